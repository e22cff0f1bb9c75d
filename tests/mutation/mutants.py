"""Mutants of a reference answer: every operator applied at every site of its ``### BEGIN SOLUTION`` regions.

Only code between nbgrader's solution markers is mutated: the lines a student
writes. Mutants that unparse to the same code as the reference, or as an
earlier mutant, are dropped. A mutant's id is the exercise, the operator and a
hash of its code, so it stays the same from one run to the next for as long
as the reference answer does (``equivalent.py`` keys its reasons by it).
"""
from __future__ import annotations

import ast
import copy
import difflib
import hashlib
import re
from dataclasses import dataclass
from typing import Iterator

from tests.mutation.operators import OPERATORS

_BEGIN = re.compile(r"^\s*### BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*### END SOLUTION\s*$")


@dataclass(frozen=True)
class Mutant:
    """One wrong answer made from the reference."""

    id: str
    exercise: str
    operator: str
    source: str
    diff: str


def solution_regions(source: str) -> list[tuple[int, int]]:
    """The 1-based line ranges strictly inside ``### BEGIN SOLUTION`` / ``### END SOLUTION`` pairs."""
    regions, start = [], None
    for number, line in enumerate(source.splitlines(), 1):
        if _BEGIN.match(line):
            start = number + 1
        elif _END.match(line) and start is not None:
            regions.append((start, number - 1))
            start = None
    return regions


def _inside(node: ast.AST, regions: list[tuple[int, int]]) -> bool:
    first, last = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    return first is not None and any(a <= first and last <= b for a, b in regions)


def _blocks(node: ast.AST) -> Iterator[tuple[str, list]]:
    for field in ("body", "orelse", "finalbody"):
        block = getattr(node, field, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield field, block


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _replace(parent: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for field, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, field, new)
            return
        if isinstance(value, list) and any(v is old for v in value):
            value[[i for i, v in enumerate(value) if v is old][0]] = new
            return
    raise LookupError("node not found under its parent")


def _edits(tree: ast.AST, regions: list[tuple[int, int]]) -> Iterator[tuple[int, str, tuple]]:
    """``(index of the node in ast.walk order, operator name, edit)`` for every site in the regions."""
    parents = _parents(tree)
    for index, node in enumerate(ast.walk(tree)):
        if _inside(node, regions):
            for operator in OPERATORS:
                for name, new in operator(node, parents.get(node)):
                    yield index, name, ("replace", new)
        for field, block in _blocks(node):
            for j, statement in enumerate(block):
                if _inside(statement, regions):
                    yield index, "statement removed", ("remove", field, j)
                    if j + 1 < len(block) and _inside(block[j + 1], regions):
                        yield index, "statements swapped", ("swap", field, j)


def _apply(tree: ast.AST, index: int, edit: tuple) -> ast.AST:
    mutated = copy.deepcopy(tree)
    target = list(ast.walk(mutated))[index]
    if edit[0] == "replace":
        _replace(_parents(mutated)[target], target, copy.deepcopy(edit[1]))
    else:
        _, field, j = edit
        block = getattr(target, field)
        if edit[0] == "remove":
            del block[j]
            if not block:
                block.append(ast.Pass())
        else:
            block[j], block[j + 1] = block[j + 1], block[j]
    return ast.fix_missing_locations(mutated)


def diff_line(reference: str, mutant: str) -> str:
    """The lines that differ, as ``- old`` / ``+ new``, on one line."""
    changed = [
        f"{line[0]} {line[1:].strip()}"
        for line in difflib.unified_diff(reference.splitlines(), mutant.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    if len(changed) == 2 and changed[0][0] == "-" and changed[1][0] == "+":
        changed = _changed_part(changed[0][2:], changed[1][2:])
    text = " / ".join(changed)
    return text if len(text) <= 200 else text[:197] + "..."


def _changed_part(old: str, new: str, context: int = 24) -> list[str]:
    """``- …old…`` / ``+ …new…``: the part of one line that changed, with a little context either side."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - context)

    def part(line: str) -> str:
        end = min(len(line), len(line) - suffix + context)
        return ("…" if start else "") + line[start:end] + ("…" if end < len(line) else "")

    return [f"- {part(old)}", f"+ {part(new)}"]


def mutant_id(exercise: str, operator: str, source: str) -> str:
    """A stable id: exercise, operator and the first 8 hex digits of the mutant code's SHA-1."""
    slug = re.sub(r"[^a-z0-9]+", "-", operator.lower()).strip("-")
    return f"{exercise}/{slug}/{hashlib.sha1(source.encode()).hexdigest()[:8]}"


def make_mutants(exercise: str, cell_source: str) -> list[Mutant]:
    """Every distinct mutant of the exercise cell ``cell_source`` (with its nbgrader markers), in a stable order."""
    tree = ast.parse(cell_source)
    regions = solution_regions(cell_source)
    reference = ast.unparse(tree)
    seen, made = {reference}, []
    for index, operator, edit in _edits(tree, regions):
        try:
            source = ast.unparse(_apply(tree, index, edit))
            compile(source, "<mutant>", "exec")
        except (SyntaxError, ValueError, TypeError):
            continue
        if source in seen:
            continue
        seen.add(source)
        made.append(Mutant(mutant_id(exercise, operator, source), exercise, operator, source,
                           diff_line(reference, source)))
    return made


def bound_names(source: str) -> set[str]:
    """The names a cell binds at its top level (functions, classes, assignments, imports)."""
    names: set[str] = set()
    for statement in ast.parse(source).body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in statement.names)
        else:
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
    return names
