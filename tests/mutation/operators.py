"""Mutation operators: each turns one AST node of a reference answer into a slightly wrong one.

An operator is a function ``(node, parent) -> [(name, replacement), ...]``; the
replacement is a new node put in ``node``'s place, or ``None`` to mean "remove
this statement". Operators never edit ``node`` itself: ``mutants.py`` applies
each replacement to a fresh copy of the tree.

The standard operators (constants +/-1, comparison and boolean flips, swapped
arguments, ``axis`` changes, a call removed, a statement removed or reordered,
``training=`` flipped, min/max, argmin/argmax, floor/ceil) plus those that fit
Keras code: ``from_logits`` flipped or added, activation, loss, metric and
history-key names swapped, trainable/all variables swapped.
"""
from __future__ import annotations

import ast
import copy
from typing import Callable, Iterator

Mutation = tuple[str, "ast.AST | None"]
Operator = Callable[[ast.AST, "ast.AST | None"], Iterator[Mutation]]

#: Comparison operators and what each becomes: its boundary twin and its opposite.
COMPARISONS: dict[type, tuple[type, ...]] = {
    ast.Lt: (ast.LtE, ast.Gt), ast.LtE: (ast.Lt, ast.GtE), ast.Gt: (ast.GtE, ast.Lt), ast.GtE: (ast.Gt, ast.LtE),
    ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,), ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,),
    ast.In: (ast.NotIn,), ast.NotIn: (ast.In,),
}
#: Arithmetic operators and their usual slips.
ARITHMETIC: dict[type, tuple[type, ...]] = {
    ast.Add: (ast.Sub,), ast.Sub: (ast.Add,), ast.Mult: (ast.Div,), ast.Div: (ast.Mult, ast.FloorDiv),
    ast.FloorDiv: (ast.Div,), ast.Mod: (ast.FloorDiv,), ast.Pow: (ast.Mult,),
}
NON_COMMUTATIVE = (ast.Sub, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)

#: Function, method and class names swapped for a sibling (operator name, replacements).
NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "min": ("min/max", ("max",)), "max": ("min/max", ("min",)),
    "amin": ("min/max", ("amax",)), "amax": ("min/max", ("amin",)),
    "minimum": ("min/max", ("maximum",)), "maximum": ("min/max", ("minimum",)),
    "reduce_min": ("min/max", ("reduce_max",)), "reduce_max": ("min/max", ("reduce_min",)),
    "argmin": ("argmin/argmax", ("argmax",)), "argmax": ("argmin/argmax", ("argmin",)),
    "floor": ("floor/ceil", ("ceil",)), "ceil": ("floor/ceil", ("floor",)),
    "reduce_sum": ("sum/mean", ("reduce_mean",)), "reduce_mean": ("sum/mean", ("reduce_sum",)),
    "sum": ("sum/mean", ("mean",)), "mean": ("sum/mean", ("sum",)),
    "SparseCategoricalCrossentropy": ("loss swapped", ("CategoricalCrossentropy",)),
    "CategoricalCrossentropy": ("loss swapped", ("SparseCategoricalCrossentropy",)),
    "SparseCategoricalAccuracy": ("metric swapped", ("CategoricalAccuracy", "Accuracy")),
    "Adam": ("optimizer swapped", ("SGD",)),
    "GlobalAveragePooling2D": ("layer swapped", ("GlobalMaxPooling2D", "Flatten")),
    "trainable_variables": ("variables swapped", ("variables",)),
    "trainable_weights": ("variables swapped", ("weights",)),
}
#: Strings Keras reads as names: activations, losses, metrics, history keys, modes.
STRINGS: dict[str, tuple[str, ...]] = {
    "relu": ("linear", "sigmoid"), "softmax": ("linear", "sigmoid"), "sigmoid": ("softmax",),
    "sparse_categorical_crossentropy": ("categorical_crossentropy", "mse"),
    "categorical_crossentropy": ("sparse_categorical_crossentropy",),
    "accuracy": ("val_accuracy", "acc"), "val_accuracy": ("accuracy",),
    "loss": ("val_loss",), "val_loss": ("loss",), "val_": ("",),
    "min": ("max",), "max": ("min",),
}
#: Call names that build a Keras loss: ``from_logits=True`` is added to them.
LOSSES = {"SparseCategoricalCrossentropy", "CategoricalCrossentropy", "BinaryCrossentropy"}
#: Names of modules: ``np.argmax(x)`` never loses its ``np``.
MODULES = {"np", "tf", "keras", "math", "plt", "random", "layers", "optimizers", "losses", "metrics", "callbacks"}


def _const(value: object) -> ast.Constant:
    return ast.Constant(value=value)


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def constants(node: ast.AST, parent: ast.AST | None) -> Iterator[Mutation]:
    """Numbers +/-1; True <-> False (named ``training`` / ``from_logits`` when that is the keyword); names."""
    if not isinstance(node, ast.Constant) or isinstance(parent, ast.Expr):
        return
    value = node.value
    if isinstance(value, bool):
        keyword = parent.arg if isinstance(parent, ast.keyword) else None
        name = f"{keyword}= flipped" if keyword in ("training", "from_logits") else "boolean flipped"
        yield name, _const(not value)
    elif isinstance(value, (int, float)):
        yield "constant plus 1", _const(value + 1)
        yield "constant minus 1", _const(value - 1)
    elif isinstance(value, str):
        for other in STRINGS.get(value, ()):
            yield "name string swapped", _const(other)


def comparisons(node: ast.AST, parent: ast.AST | None) -> Iterator[Mutation]:
    """Each comparison operator replaced by its boundary twin or its opposite."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for other in COMPARISONS.get(type(op), ()):
                new = copy.deepcopy(node)
                new.ops[i] = other()
                yield "comparison flipped", new


def booleans(node: ast.AST, parent: ast.AST | None) -> Iterator[Mutation]:
    """``and`` <-> ``or``, one operand dropped, ``not`` removed, a condition negated."""
    if isinstance(node, ast.BoolOp):
        yield "and/or swapped", ast.BoolOp(op=ast.Or() if isinstance(node.op, ast.And) else ast.And(),
                                           values=copy.deepcopy(node.values))
        for i in range(len(node.values)):
            rest = [copy.deepcopy(v) for j, v in enumerate(node.values) if j != i]
            yield "condition dropped", rest[0] if len(rest) == 1 else ast.BoolOp(op=node.op, values=rest)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        yield ("not removed" if isinstance(node.op, ast.Not) else "sign removed"), copy.deepcopy(node.operand)
    elif isinstance(node, (ast.If, ast.IfExp, ast.While)):
        new = copy.deepcopy(node)
        new.test = ast.UnaryOp(op=ast.Not(), operand=new.test)
        yield "condition negated", new


def arithmetic(node: ast.AST, parent: ast.AST | None) -> Iterator[Mutation]:
    """An arithmetic operator swapped (also in ``+=``), or the operands of ``-`` ``/`` ``//`` swapped."""
    if isinstance(node, (ast.BinOp, ast.AugAssign)):
        for other in ARITHMETIC.get(type(node.op), ()):
            new = copy.deepcopy(node)
            new.op = other()
            yield "arithmetic swapped", new
    if isinstance(node, ast.BinOp) and isinstance(node.op, NON_COMMUTATIVE):
        yield "arguments swapped", ast.BinOp(left=copy.deepcopy(node.right), op=node.op,
                                             right=copy.deepcopy(node.left))


def names(node: ast.AST, parent: ast.AST | None) -> Iterator[Mutation]:
    """min <-> max, argmin <-> argmax, floor <-> ceil, sum <-> mean, Keras classes and attributes swapped."""
    if isinstance(node, ast.Name) and node.id in NAMES and isinstance(node.ctx, ast.Load):
        operator, others = NAMES[node.id]
        for other in others:
            yield operator, ast.Name(id=other, ctx=ast.Load())
    elif isinstance(node, ast.Attribute) and node.attr in NAMES and isinstance(node.ctx, ast.Load):
        operator, others = NAMES[node.attr]
        for other in others:
            yield operator, ast.Attribute(value=copy.deepcopy(node.value), attr=other, ctx=ast.Load())


def calls(node: ast.AST, parent: ast.AST | None) -> Iterator[Mutation]:
    """Arguments swapped; ``axis`` changed or dropped; ``training=`` dropped; ``from_logits`` added; a call removed."""
    if not isinstance(node, ast.Call):
        return
    for i in range(len(node.args) - 1):
        new = copy.deepcopy(node)
        new.args[i], new.args[i + 1] = new.args[i + 1], new.args[i]
        yield "arguments swapped", new
    for i, keyword in enumerate(node.keywords):
        if keyword.arg in ("axis", "training"):
            new = copy.deepcopy(node)
            del new.keywords[i]
            yield f"{keyword.arg}= dropped", new
        if keyword.arg == "axis":
            for axis in (0, 1, -1):
                new = copy.deepcopy(node)
                new.keywords[i].value = _const(axis)
                yield "axis changed", new
    if _called_name(node) in LOSSES and not any(k.arg == "from_logits" for k in node.keywords):
        new = copy.deepcopy(node)
        new.keywords.append(ast.keyword(arg="from_logits", value=_const(True)))
        yield "from_logits= flipped", new
    if node.args:
        yield "call removed", copy.deepcopy(node.args[0])
    func = node.func
    if isinstance(func, ast.Attribute) and (isinstance(func.value, ast.Call) or _root_name(func.value) not in MODULES):
        yield "call removed", copy.deepcopy(func.value)


OPERATORS: tuple[Operator, ...] = (constants, comparisons, booleans, arithmetic, names, calls)
