"""Apply ``rules`` to one student cell: every rule it breaks, with the line and what was seen.

``parse(source)`` reads a cell as IPython would run it (magics and ``!``
lines become ``get_ipython()`` calls); ``scan(tree, context)`` walks its
syntax tree once (``_Scanner``) and then checks what its top level rebinds.
The rules themselves, and what they know about the notebook (``Context``),
are in ``autograder.code_scan.rules``.

Used by ``autograder.preprocessors.scan.ScanStudentCode``.
"""
from __future__ import annotations

import ast

from autograder.code_scan.answer_key import reaches
from autograder.code_scan.rules import (
    ALLOWED_MODULES, BUILTIN_NAMES, FAKE_VALUE, FORBIDDEN_BUILTINS, INTROSPECTION, NBGRADER, RESTRICTED_MODULES,
    Context, Finding, bound_names, dotted, is_chain, root_name,
)


def as_ipython_runs_it(source: str) -> str:
    """The Python that IPython would compile for ``source`` (magics become function calls)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - nbgrader depends on IPython
        return source
    return TransformerManager().transform_cell(source)


def parse(source: str) -> ast.Module | None:
    """The cell's syntax tree, or ``None`` when it does not compile (then nothing in it runs either)."""
    try:
        return ast.parse(as_ipython_runs_it(source))
    except (SyntaxError, ValueError):
        return None


class _Scanner(ast.NodeVisitor):
    def __init__(self, context: Context):
        self.context = context
        self.findings: list[Finding] = []
        # What a test cell could end up running: imported names, and the builtins the test cells read
        # (the exercises' own names are the student's to define).
        self.protected = context.imported | (context.test_names & BUILTIN_NAMES)
        self._roots: set[int] = set()  # names that start an attribute chain
        self.restricted = dict(context.restricted)  # alias -> restricted module ("_os" -> "os")

    def flag(self, rule: str, node: ast.AST, detail: str, hold: bool = True) -> None:
        self.findings.append(Finding(rule, getattr(node, "lineno", 0), detail, hold))

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
            if module.startswith("helpers") and (alias.asname or alias.name) in self.context.test_names - {"checks"}:
                self.flag("reference", node, f"imports the answer {alias.asname or alias.name} from {full} "
                                             "instead of writing it", hold=False)
            if not node.level and reaches(full):
                self.flag("reference", node, f"imports {full}, which leads to the reference answers", hold=False)
            if alias.name == "*" and module.startswith("helpers"):
                self.flag("reference", node, f"imports everything from {module}", hold=False)
        self.generic_visit(node)

    def _check_module(self, node: ast.AST, module: str) -> None:
        if module.split(".")[0] not in ALLOWED_MODULES:
            self.flag("import", node, f"imports {module}, which no answer needs")
        elif reaches(module):
            self.flag("reference", node, f"imports {module}, where the reference answers live", hold=False)

    # names and attributes
    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.restricted:
            self.flag("import", node, f"uses the {self.restricted[node.id]} module beyond printing and paths")
        elif node.id in FORBIDDEN_BUILTINS and not (node.id in self.context.bound and node.id.isidentifier()
                                                    and not node.id.startswith("__") and node.id != "get_ipython"):
            self.flag("builtin", node, f"uses {node.id}")  # a name the notebook binds is its own variable
        elif node.id == "getattr" and isinstance(node.ctx, ast.Load) and "getattr" not in self.context.bound:
            self.flag("builtin", node, "uses getattr as a value (an alias hides a computed name)")
        elif node.id == "helpers" and isinstance(node.ctx, ast.Load) and id(node) not in self._roots:
            self.flag("reference", node, "passes the helpers package around, a path to the reference answers",
                      hold=False)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain = dotted(node)
        if chain and chain.split(".")[0] in self.restricted:
            head, _, rest = chain.partition(".")
            full = f"{self.restricted[head]}.{rest}"
            if full in RESTRICTED_MODULES[full.split(".")[0]] and isinstance(node.ctx, ast.Load):
                return  # an allowed use such as sys.stderr; do not visit the module name below
            self.flag("import", node, f"uses {full}, which no answer needs")
            return
        self._check_attribute(node, node.attr, node.value)
        self._roots.add(id(node.value))
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._check_patch(node)
        self.generic_visit(node)

    def _check_attribute(self, node: ast.AST, attr: str, base: ast.AST) -> None:
        if attr in INTROSPECTION or (attr in FAKE_VALUE and attr != "__class__"):
            self.flag("introspection", node, f"reaches .{attr}")
        chain = dotted(base)
        resolved = self.context.resolve(chain) if chain else None
        if resolved and reaches(f"{resolved}.{attr}"):
            self.flag("reference", node, f"uses {chain}.{attr}, which leads to the reference answers", hold=False)

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
        if func == "getattr":  # the call itself is checked above; a bare `getattr` elsewhere is an alias
            for child in [*node.args, *node.keywords]:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            text = node.value.strip()
            if NBGRADER.search(text):  # a string by itself changes nothing: for review only
                self.flag("grading-detection", node, f"mentions {text[:40]!r}", hold=False)

    # classes, definitions, rebinding
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for keyword in node.keywords:
            if keyword.arg == "metaclass":
                self.flag("fake-value", node, f"class {node.name} sets a metaclass")
        for item in node.body:
            names = [item.name] if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
            if isinstance(item, (ast.Assign, ast.AnnAssign)):
                targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                names = [n for t in targets for n in bound_names(t)]
            for name in names:
                if name in FAKE_VALUE or name in INTROSPECTION:
                    self.flag("fake-value", item, f"class {node.name} defines {name}")
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            if name in self.protected or name in BUILTIN_NAMES:
                self.flag("monkeypatch", node, f"rebinds {name} from inside a function")

    visit_Nonlocal = visit_Global

    def check_top_level(self, tree: ast.Module) -> None:
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and is_chain(statement.value) and (
                root_name(statement.value) in self.context.imported
            ) and not any(n in BUILTIN_NAMES for t in statement.targets for n in bound_names(t)):
                continue  # an alias such as keras = tf.keras
            for name, node in _top_level_bindings(statement):
                if name in self.protected:
                    self.flag("monkeypatch", node, f"rebinds {name}, which the tests rely on")
                elif name in BUILTIN_NAMES and _stands_in_for_a_function(statement):
                    # `sum = 0` or `input = keras.Input(...)` is a variable; `isinstance = lambda ...` is not
                    self.flag("monkeypatch", node, f"replaces the builtin {name} with a function", hold=False)


def _stands_in_for_a_function(statement: ast.stmt) -> bool:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    value = getattr(statement, "value", None)
    return isinstance(value, (ast.Lambda, ast.Name))


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
            for name in bound_names(target):
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
