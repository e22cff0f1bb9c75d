"""Find student functions that are the reference answer pasted and renamed, by comparing normalised syntax trees.

Normalising drops docstrings, type hints and the names a function chooses for
itself (its own name, its arguments, its local variables), keeping the calls
and attributes it uses. Two functions whose normalised trees are equal do the
same thing in the same words. A match is flagged for review, never held at
zero: a short answer can match the reference honestly.

The reference is read with ``ast`` from ``helpers/reference/nbNN.py``, never
imported. Used by ``autograder.preprocessors.scan.ScanStudentCode``.
"""
from __future__ import annotations

import ast
import builtins
import functools

from autograder.code_scan.rules import Finding
from autograder.paths import REPO

_KEEP = set(dir(builtins)) | {"self", "super"}
MIN_NODES = 25  # shorter functions match honestly too often to be worth a look


class _Normalise(ast.NodeTransformer):
    def __init__(self, own: set[str]):
        self.own, self.names = own, {}

    def _name(self, name: str) -> str:
        return self.names.setdefault(name, f"v{len(self.names)}") if name in self.own else name

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.name, node.returns, node.decorator_list = self._name(node.name), None, []
        if node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            node.body = node.body[1:] or [ast.Pass()]
        self.generic_visit(node)
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.arg, node.annotation = self._name(node.arg), None
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        node.id = self._name(node.id)
        return node


def normalised(function: ast.FunctionDef) -> str | None:
    """The function's tree without its own names, docstring and hints; ``None`` when it is too short."""
    if sum(1 for _ in ast.walk(function)) < MIN_NODES:
        return None
    own = {function.name} | {a.arg for a in ast.walk(function) if isinstance(a, ast.arg)}
    own |= {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    copy = ast.parse(ast.unparse(function)).body[0]
    return ast.dump(_Normalise(own - _KEEP).visit(copy), annotate_fields=False)


@functools.lru_cache(maxsize=16)
def reference_functions(number: str) -> dict[str, str]:
    """Normalised tree -> name, for every function in ``helpers/reference/nb<number>.py``."""
    path = REPO / "helpers" / "reference" / f"nb{number}.py"
    if not path.exists():
        return {}
    found = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and (key := normalised(node)) is not None:
            found.setdefault(key, node.name)
    return found


def copies_of_the_reference(tree: ast.Module, number: str) -> list[Finding]:
    """A review finding for each function in ``tree`` that is a reference function of notebook ``number``."""
    reference = reference_functions(number)
    findings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and (key := normalised(node)) in reference:
            findings.append(Finding("reference", node.lineno, f"{node.name} is the reference's "
                                    f"{reference[key]} with other names (pasted and renamed?)", hold=False))
    return findings
