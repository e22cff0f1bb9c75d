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
- ``reference``: reaching the answer key, ``helpers.reference``, by any path
  (``autograder.code_scan.answer_key``): importing it or anything from it, or a name or attribute
  path through ``helpers`` that leads there (``helpers.reference.nb01``,
  ``checks.nb07.reference``, ``from helpers.models import build_sequential_model``).

This module holds the rules and what they need to know about a notebook
(``Context``, ``learn``); ``autograder.code_scan.scanner.scan`` applies them
to one cell. Used by ``autograder.preprocessors.scan.ScanStudentCode``.
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
# Rules whose findings can reach past the kernel (files, processes, the grader's gradebook) when the kernel is not
# confined (--unsafe-no-sandbox): there they hold a notebook at zero even where every verdict is judged outside it.
REACHES_OUTSIDE = frozenset({"import", "builtin", "introspection"})
NBGRADER = re.compile("nbgrader", re.I)


@dataclass(frozen=True)
class Finding:
    """One rule broken by one cell: ``rule`` is the class of attack, ``detail`` says what was seen."""

    rule: str
    line: int
    detail: str
    hold: bool = True  # False: worth an instructor's look, but it cannot change a verdict on its own

    def __str__(self) -> str:
        return f"{self.rule} (line {self.line}): {self.detail}"


@dataclass
class Context:
    """What the notebook's cells bind, which the rules need to know.

    Attributes:
        imported: names bound by imports in any cell, and aliases of them (``keras = tf.keras``).
        restricted: aliases of ``os`` and ``sys`` (``"_os": "os"``).
        helpers: names bound to ``helpers`` or to anything in it, with what they stand for
            (``"h": "helpers"`` for ``import helpers as h``, ``"checks": "helpers.checks"``).
        bound: names the notebook binds by assignment, definition or argument (a variable named
            ``vars`` is the student's, not the builtin), minus names it deletes.
        test_names: names the test cells read; rebinding one of them can change what a test runs.
    """

    imported: set[str] = field(default_factory=set)
    bound: set[str] = field(default_factory=set)
    test_names: set[str] = field(default_factory=set)
    restricted: dict[str, str] = field(default_factory=dict)
    helpers: dict[str, str] = field(default_factory=lambda: {"helpers": "helpers"})

    def resolve(self, chain: str) -> str | None:
        """The full dotted path of ``chain`` when it starts at a helpers name (``checks.nb07`` ->
        ``helpers.checks.nb07``), else ``None``."""
        head, _, rest = chain.partition(".")
        if head not in self.helpers:
            return None
        return f"{self.helpers[head]}.{rest}" if rest else self.helpers[head]


def root_name(node: ast.AST) -> str | None:
    """``np`` for ``np.testing.assert_allclose``; ``None`` when the chain starts elsewhere."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def is_chain(node: ast.AST) -> bool:
    """Is ``node`` a name or an attribute chain on a name (``tf.keras``)?"""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def dotted(node: ast.AST) -> str | None:
    """``"a.b.c"`` for the attribute chain ``a.b.c``; ``None`` when it does not start at a name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def bound_names(target: ast.AST) -> list[str]:
    """The names an assignment target binds (``a, (b, *c) = ...`` binds a, b and c)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in bound_names(elt)]
    if isinstance(target, ast.Starred):
        return bound_names(target.value)
    return []


def learn(tree: ast.AST, context: Context) -> None:
    """Add the imports of ``tree`` (one cell), and aliases of them, to ``context``."""
    deleted = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            context.bound.add(node.id)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Del):
            deleted.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            context.bound.add(node.name)
        elif isinstance(node, ast.arg):
            context.bound.add(node.arg)
        if isinstance(node, ast.Import):
            context.imported.update((a.asname or a.name).split(".")[0] for a in node.names)
            for alias in node.names:
                if alias.name.split(".")[0] == "helpers":
                    context.helpers[alias.asname or "helpers"] = alias.name if alias.asname else "helpers"
                if alias.name.split(".")[0] in RESTRICTED_MODULES:
                    context.restricted[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            context.imported.update(a.asname or a.name for a in node.names)
            if (node.module or "").split(".")[0] == "helpers" and not node.level:
                context.helpers.update(
                    {a.asname or a.name: f"{node.module}.{a.name}" for a in node.names if a.name != "*"})
        elif isinstance(node, ast.Assign) and is_chain(node.value) and root_name(node.value) in context.imported:
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            context.imported.update(names)
            resolved = context.resolve(dotted(node.value))  # c = checks.nb07: c.reference is still the key
            if resolved:
                context.helpers.update(dict.fromkeys(names, resolved))
    context.bound -= deleted


def learn_tests(tree: ast.AST, context: Context) -> None:
    """Add the names a test cell reads to ``context.test_names``."""
    context.test_names.update(n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load))
