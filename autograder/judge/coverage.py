"""Which notebooks the grader judges outside the kernel, read from the sources without importing TensorFlow.

A check is *observed* when ``helpers/checks/nbNN.py`` (or ``nbNN_topic.py``) declares it with
``@observed_check(...)`` (``helpers.checks.observed``). A notebook is judged
outside the kernel when every line of every test cell calls an observed check
(or ``checks.passed``): then nothing the kernel does can change a verdict, and
the grading defences that watch the kernel (``autograder.code_scan``, the
guard) only flag a notebook for review. Notebooks with other test cells keep
those defences as judges.

Used by ``autograder.preprocessors.scan`` and ``autograder.preprocessors.execute``.
"""
from __future__ import annotations

import ast
import functools
from typing import Iterable, Mapping

from autograder.cells import is_test
from autograder.paths import REPO
from helpers.checks.observed import notebook_module


@functools.lru_cache(maxsize=1)
def observed_checks() -> frozenset[str]:
    """``"nbNN.name"`` for every check declared with ``@observed_check``."""
    found = set()
    for path in sorted((REPO / "helpers" / "checks").glob("nb*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and getattr(d.func, "id", None) == "observed_check"
                    for d in node.decorator_list):
                found.add(f"{notebook_module(path.stem)}.{node.name}")
    return frozenset(found)


def _judged_statement(statement: ast.stmt) -> bool:
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    func = statement.value.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "checks":
        return func.attr == "passed"
    return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute)
            and isinstance(func.value.value, ast.Name) and func.value.value.id == "checks"
            and f"{func.value.attr}.{func.attr}" in observed_checks())


def judged_cell(source: str) -> bool:
    """Does every statement of ``source`` call an observed check (or ``checks.passed``)?"""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return bool(tree.body) and all(_judged_statement(s) for s in tree.body)


def judged_outside(cells: Iterable[Mapping]) -> bool:
    """Does every test cell among ``cells`` only call observed checks (and ``checks.passed``)?"""
    tests = [c for c in cells if is_test(c) and c.get("cell_type") == "code"]
    return bool(tests) and all(judged_cell(cell["source"]) for cell in tests)
