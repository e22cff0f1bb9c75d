"""Every way into the answer key: ``helpers.reference``, and each name another helpers module binds to it.

The reference answers live in ``helpers.reference`` (``nb01`` ... ``nb10``).
Other helpers modules import from it: a notebook's checks
(``helpers.checks.nb07`` binds ``reference``; ``helpers.checks.nb02`` also
binds ``nb01``), and the teaching helpers that build on earlier answers
(``helpers.models`` binds ``build_sequential_model``). Each such name is
another path to an answer, so ``reaches`` follows a dotted path through them.

The helpers sources are read with ``ast``, never imported: the scan runs in
the grader, which does not import TensorFlow. Used by ``autograder.code_scan.scanner``.
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path

from autograder.paths import REPO

#: The answer key: ``helpers.reference.nb01`` ... ``nb10``.
REFERENCE_PACKAGE = "helpers.reference"


def is_reference_module(module: str) -> bool:
    """Is ``module`` the answer key or one of its modules (or something in one)?

    >>> is_reference_module("helpers.reference.nb07"), is_reference_module("helpers.checks.nb07")
    (True, False)
    """
    return module == REFERENCE_PACKAGE or module.startswith(REFERENCE_PACKAGE + ".")


def _module_name(path: Path, top: Path) -> str:
    parts = list(path.relative_to(top).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, top: Path) -> list[tuple[str, str]]:
    """``(what, bound name)`` for each import in one module: ``("helpers.reference.nb01", "reference")``."""
    module = _module_name(path, top)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, a.asname) for a in node.names if a.asname]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
            source = ".".join(p for p in (base, node.module or "") if p)
            found += [(f"{source}.{a.name}", a.asname or a.name) for a in node.names if a.name != "*"]
    return found


@functools.lru_cache(maxsize=1)
def leaks(root: Path = REPO / "helpers") -> dict[str, frozenset[str]]:
    """Helpers module -> the names it binds to the answer key, directly or through another such name.

    Args:
        root: The ``helpers`` package folder. Defaults to the one beside ``autograder``.
    """
    imports = {_module_name(p, root.parent): _imports(p, root.parent) for p in sorted(root.rglob("*.py"))}
    found: dict[str, set[str]] = {m: set() for m in imports if not is_reference_module(m)}
    changed = True
    while changed:  # a name imported from a module that leaks it leaks too
        changed = False
        for module, names in found.items():
            for source, bound in imports[module]:
                if bound not in names and _reaches(source, found):
                    names.add(bound)
                    changed = True
    return {m: frozenset(n) for m, n in found.items() if n}


def _reaches(path: str, found: dict[str, set[str]] | dict[str, frozenset[str]]) -> bool:
    parts = path.split(".")
    for i in range(1, len(parts) + 1):
        prefix = ".".join(parts[:i])
        if is_reference_module(prefix) or (i < len(parts) and parts[i] in found.get(prefix, ())):
            return True
    return False


def reaches(path: str) -> bool:
    """Does the dotted ``path`` lead into the answer key?

    >>> reaches("helpers.reference.nb01.build_sequential_model"), reaches("helpers.checks.nb01.passed")
    (True, False)
    """
    return _reaches(path, leaks())
