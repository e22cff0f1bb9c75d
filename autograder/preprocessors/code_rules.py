"""Static rules for student code: what an answer to a course exercise never needs.

Rules describe classes of attack, not instances:

- ``import``: modules outside ``ALLOWED_MODULES`` (``IPython``, ``subprocess``,
  ``ctypes``, ``importlib``, ``signal``, ...): process control, the kernel,
  the file system, dynamic imports. ``os`` and ``sys`` only through a few
  harmless attribute chains (``sys.stderr``, ``os.path.join``), never
  ``os._exit``, ``os.environ`` or ``sys.modules``;
- ``builtin``: ``eval``, ``exec``, ``compile``, ``__import__``, ``globals``,
  ``setattr``, ``open``, ``exit``, ``get_ipython`` (magics and ``!`` lines become
  ``get_ipython()`` calls), and ``getattr`` or ``type(name, bases, dict)``
  with a computed name;
- ``introspection``: dunders and frame attributes that reach interpreter
  internals (``__globals__``, ``__subclasses__``, ``__dict__``, ``f_back``, ...);
- ``fake-value``: classes that define comparison or conversion dunders
  (``__eq__``, ``__bool__``, ``__array__``, ...) or a metaclass, so that an
  object can pretend to be a right answer;
- ``monkeypatch``: assigning or deleting an attribute of a module or of
  anything imported (``np.allclose = ...``, ``checks.check = ...``,
  ``keras.Model.fit = ...``), and rebinding an imported or builtin name at
  top level (``np = ...``, ``isinstance = ...``);
- ``grading-detection``: any mention of ``NBGRADER``;
- ``reference``: using the reference implementations that the notebook's own
  tests import from ``helpers``.

Used by ``ScanStudentCode``.
"""
from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field

ALLOWED_MODULES = frozenset({
    "numpy", "tensorflow", "keras", "matplotlib", "helpers", "sklearn", "pandas", "scipy",
    "math", "cmath", "random", "statistics", "decimal", "fractions", "numbers",
    "collections", "itertools", "functools", "operator", "heapq", "bisect", "copy",
    "typing", "dataclasses", "enum", "abc", "string", "re", "textwrap", "pprint",
    "datetime", "time", "warnings", "json", "logging", "__future__",
})
# Modules an answer may use only through these exact attribute chains (printing to stderr, paths).
RESTRICTED_MODULES = {
    "os": frozenset({"os.write", "os.getcwd", "os.cpu_count", "os.sep", "os.linesep", "os.devnull",
                     "os.path.join", "os.path.exists", "os.path.basename", "os.path.dirname",
                     "os.path.splitext", "os.path.isfile", "os.path.isdir", "os.path.abspath"}),
    "sys": frozenset({"sys.stdout", "sys.stderr", "sys.stdout.write", "sys.stderr.write", "sys.stdout.flush",
                      "sys.stderr.flush", "sys.version", "sys.version_info", "sys.float_info", "sys.maxsize",
                      "sys.platform", "sys.getsizeof", "sys.byteorder"}),
}
FORBIDDEN_BUILTINS = frozenset({
    "eval", "exec", "compile", "__import__", "globals", "locals", "vars", "setattr", "delattr",
    "open", "input", "breakpoint", "exit", "quit", "get_ipython", "__builtins__", "__builtin__",
    "__IPYTHON__", "memoryview",
})
INTROSPECTION = frozenset({
    "__globals__", "__builtins__", "__code__", "__closure__", "__dict__", "__func__", "__self__",
    "__defaults__", "__kwdefaults__", "__subclasses__", "__bases__", "__base__", "__mro__", "mro",
    "__getattribute__", "__setattr__", "__delattr__", "__import__", "__loader__", "__spec__",
    "__module__", "__wrapped__", "__reduce__", "__reduce_ex__", "__init_subclass__", "__set_name__",
    "__class_getitem__", "__traceback__", "__context__", "__cause__",
    "f_globals", "f_locals", "f_builtins", "f_back", "f_code", "f_lineno", "f_trace",
    "tb_frame", "tb_next", "gi_frame", "gi_code", "cr_frame", "cr_code", "ag_frame", "co_code",
})
FAKE_VALUE = frozenset({
    "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__bool__", "__hash__",
    "__float__", "__int__", "__index__", "__complex__", "__round__", "__abs__", "__sub__", "__rsub__",
    "__array__", "__array_ufunc__", "__array_function__", "__array_interface__", "__array_priority__",
    "__array_wrap__", "__array_finalize__", "__instancecheck__", "__subclasscheck__",
    "__getattr__", "__class__", "__del__", "__tf_tensor__",
})
BUILTIN_NAMES = frozenset(n for n in dir(builtins) if not n.startswith("_"))
_NBGRADER = re.compile("nbgrader", re.I)


@dataclass(frozen=True)
class Finding:
    """One rule broken by one cell: ``rule`` is the class of attack, ``detail`` says what was seen."""

    rule: str
    line: int
    detail: str

    def __str__(self) -> str:
        return f"{self.rule} (line {self.line}): {self.detail}"


@dataclass
class Context:
    """What the trusted cells of the notebook bind, which the rules need to know.

    Attributes:
        imported: names bound by imports in any cell, and aliases of them (``keras = tf.keras``).
        references: names and aliases of the reference implementations the tests import from helpers.
        reference_modules: the helpers modules those come from (``helpers.models``).
        restricted: aliases of ``os`` and ``sys`` (``"_os": "os"``).
        helpers: names bound to the ``helpers`` package (``import helpers as h``).
    """

    imported: set[str] = field(default_factory=set)
    references: set[str] = field(default_factory=set)
    reference_modules: set[str] = field(default_factory=set)
    restricted: dict[str, str] = field(default_factory=dict)
    helpers: set[str] = field(default_factory=lambda: {"helpers"})


def root_name(node: ast.AST) -> str | None:
    """``np`` for ``np.testing.assert_allclose``; ``None`` when the chain starts elsewhere."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _is_chain(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def learn(tree: ast.AST, context: Context, *, test_cell: bool, exempt: set[str]) -> None:
    """Add the imports (and, in test cells, the reference imports) of ``tree`` to ``context``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            context.imported.update((a.asname or a.name).split(".")[0] for a in node.names)
            for alias in node.names:
                if alias.name.split(".")[0] == "helpers":
                    context.helpers.add((alias.asname or alias.name).split(".")[0])
                if alias.name.split(".")[0] in RESTRICTED_MODULES:
                    context.restricted[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            context.imported.update(a.asname or a.name for a in node.names)
            module = node.module or ""
            if test_cell and module.startswith("helpers.") and module != "helpers.checks":
                context.reference_modules.add(module)
                for alias in node.names:
                    context.references.add(alias.asname or alias.name)
                    if alias.name not in exempt:
                        context.references.add(alias.name)
        elif isinstance(node, ast.Assign) and _is_chain(node.value) and root_name(node.value) in context.imported:
            context.imported.update(t.id for t in node.targets if isinstance(t, ast.Name))


def _dotted(node: ast.AST) -> str | None:
    """``"a.b.c"`` for the attribute chain ``a.b.c``; ``None`` when it does not start at a name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def _bound_names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _bound_names(elt)]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    return []


class _Scanner(ast.NodeVisitor):
    def __init__(self, context: Context):
        self.context = context
        self.findings: list[Finding] = []
        self.protected = BUILTIN_NAMES | context.imported
        self.reference_leaves = {m.rsplit(".", 1)[-1] for m in context.reference_modules}
        self.restricted = dict(context.restricted)  # alias -> restricted module ("_os" -> "os")

    def flag(self, rule: str, node: ast.AST, detail: str) -> None:
        self.findings.append(Finding(rule, getattr(node, "lineno", 0), detail))

    # imports
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            top = alias.name.split(".")[0]
            if top in RESTRICTED_MODULES:
                self.restricted[alias.asname or top] = top if alias.asname is None else alias.name
            else:
                self._check_module(node, alias.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level:
            self.flag("import", node, "a relative import")
        if module.split(".")[0] in RESTRICTED_MODULES:
            allowed = RESTRICTED_MODULES[module.split(".")[0]]
            for alias in node.names:
                if f"{module}.{alias.name}" not in allowed:
                    self.flag("import", node, f"imports {module}.{alias.name}, which no answer needs")
        elif module.split(".")[0] not in ALLOWED_MODULES:
            self.flag("import", node, f"imports {module}, which no answer needs")
        for alias in node.names:
            full = f"{module}.{alias.name}"
            if alias.name in self.context.references or full in self.context.reference_modules:
                self.flag("reference", node, f"imports the reference implementation {full}")
            if alias.name == "*" and module.startswith("helpers"):
                self.flag("reference", node, f"imports everything from {module}")
        self.generic_visit(node)

    def _check_module(self, node: ast.AST, module: str) -> None:
        if module.split(".")[0] not in ALLOWED_MODULES:
            self.flag("import", node, f"imports {module}, which no answer needs")
        elif module in self.context.reference_modules:
            self.flag("reference", node, f"imports {module}, where the reference answers live")

    # names and attributes
    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.restricted:
            self.flag("import", node, f"uses the {self.restricted[node.id]} module beyond printing and paths")
        elif node.id in FORBIDDEN_BUILTINS:
            self.flag("builtin", node, f"uses {node.id}")
        elif isinstance(node.ctx, ast.Load) and node.id in self.context.references:
            self.flag("reference", node, f"uses the reference implementation {node.id}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain = _dotted(node)
        if chain and chain.split(".")[0] in self.restricted:
            head, _, rest = chain.partition(".")
            full = f"{self.restricted[head]}.{rest}"
            if full in RESTRICTED_MODULES[full.split(".")[0]] and isinstance(node.ctx, ast.Load):
                return  # an allowed use such as sys.stderr; do not visit the module name below
            self.flag("import", node, f"uses {full}, which no answer needs")
            return
        self._check_attribute(node, node.attr, node.value)
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._check_patch(node)
        self.generic_visit(node)

    def _check_attribute(self, node: ast.AST, attr: str, base: ast.AST) -> None:
        if attr in INTROSPECTION or (attr in FAKE_VALUE and attr != "__class__"):
            self.flag("introspection", node, f"reaches .{attr}")
        if root_name(base) in self.context.helpers and (
            attr in self.context.references or attr in self.reference_leaves
        ):
            self.flag("reference", node, f"uses .{attr} from helpers")

    def _check_patch(self, node: ast.Attribute) -> None:
        root = root_name(node.value)
        if root in self.context.imported or root in BUILTIN_NAMES:
            self.flag("monkeypatch", node, f"changes {ast.unparse(node)}, which belongs to {root}")
        elif node.attr == "__class__":
            self.flag("fake-value", node, "assigns __class__")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func.id if isinstance(node.func, ast.Name) else None
        if func == "getattr" and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                self._check_attribute(node, name.value, node.args[0])
            else:
                self.flag("builtin", node, "getattr with a computed name")
        if func == "type" and len(node.args) == 3:
            self.flag("builtin", node, "creates a class with type(name, bases, dict)")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            text = node.value.strip()
            if _NBGRADER.search(text):
                self.flag("grading-detection", node, f"mentions {text[:40]!r}")
            elif text in FORBIDDEN_BUILTINS or text in INTROSPECTION or text in FAKE_VALUE:
                self.flag("builtin", node, f"names {text!r} in a string")

    # classes, definitions, rebinding
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for keyword in node.keywords:
            if keyword.arg == "metaclass":
                self.flag("fake-value", node, f"class {node.name} sets a metaclass")
        for item in node.body:
            names = [item.name] if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
            if isinstance(item, (ast.Assign, ast.AnnAssign)):
                targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                names = [n for t in targets for n in _bound_names(t)]
            for name in names:
                if name in FAKE_VALUE or name in INTROSPECTION:
                    self.flag("fake-value", item, f"class {node.name} defines {name}")
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            if name in self.protected:
                self.flag("monkeypatch", node, f"rebinds {name} from inside a function")

    visit_Nonlocal = visit_Global

    def check_top_level(self, tree: ast.Module) -> None:
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and _is_chain(statement.value) and (
                root_name(statement.value) in self.context.imported
            ) and not any(n in BUILTIN_NAMES for t in statement.targets for n in _bound_names(t)):
                continue  # an alias such as keras = tf.keras
            for name, node in _top_level_bindings(statement):
                if name in self.protected:
                    self.flag("monkeypatch", node, f"rebinds {name}, which the tests rely on")


def _top_level_bindings(statement: ast.stmt):
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield statement.name, statement
    elif isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete, ast.For, ast.With)):
        targets = {
            ast.Assign: lambda s: s.targets, ast.AugAssign: lambda s: [s.target],
            ast.AnnAssign: lambda s: [s.target], ast.Delete: lambda s: s.targets,
            ast.For: lambda s: [s.target], ast.With: lambda s: [i.optional_vars for i in s.items if i.optional_vars],
        }[type(statement)](statement)
        for target in targets:
            for name in _bound_names(target):
                yield name, statement
    for node in ast.walk(statement):
        if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
            yield node.target.id, node


def scan(tree: ast.Module, context: Context) -> list[Finding]:
    """Every rule that ``tree`` (one student cell) breaks, in source order."""
    scanner = _Scanner(context)
    scanner.visit(tree)
    scanner.check_top_level(tree)
    unique = {(f.rule, f.line, f.detail): f for f in scanner.findings}
    return sorted(unique.values(), key=lambda f: (f.line, f.rule))
