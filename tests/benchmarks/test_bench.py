"""The benchmark in its short mode: it runs end to end and its tables have every figure (not a timed test)."""
from __future__ import annotations

import math
import re

import nbformat
import pytest

from autograder.commands.bench import as_released, run_bench
from tests.autograder.tiny import FIXTURES, TINY

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]

NUMBER = re.compile(r"^-?\d+(\.\d+)?(x|%)?( \(max\))?$")


def test_short_benchmark_prints_every_figure():
    """Does the short benchmark (on the tiny notebook) print the machine and tables whose every cell holds a figure,
    with kernel waits for kernels started on their own, forked, and forked by a fork server started for them,
    all in the sandbox?"""
    out = run_bench(short=True, solutions=FIXTURES)
    assert out.startswith("Machine: ") and "cores" in out.splitlines()[0]
    rows = [[cell.strip() for cell in line.strip("|").split("|")]
            for line in out.splitlines() if line.startswith("| ") and not line.startswith("|---")]
    headers = [r for r in rows if r[0] in ("notebook", "grading", "check")]
    assert len(headers) == 3, out
    data = [r for r in rows if r not in headers]
    labels = [r[0] for r in data]
    assert labels[:2] == [TINY, "all 1"]
    assert [label.split(",")[0] for label in labels[2:4]] == ["one submission", "class of 2 x 1 notebook(s)"]
    overheads = [label for label in labels if label.startswith("grading overhead")]
    waits = [label for label in labels if label.startswith("kernel wait before the first cell")]
    assert len(overheads) == 3
    for origin in ("started on its own", "forked", "forked, fork server started for it"):
        assert sum(label.split("(s), ")[1].startswith(origin + ":") for label in waits) == 2, (origin, waits)
    assert all(label.endswith(")") and ", in the sandbox (bwrap " in label for label in waits), waits
    assert len(labels) == 4 + len(overheads) + len(waits) + 1
    for row in data:
        for cell in row[1:]:
            assert cell == "yes" or NUMBER.match(cell), f"not a figure: {cell!r} in {row}"
            if NUMBER.match(cell):
                assert math.isfinite(float(cell.split()[0].rstrip("x%")))


def test_repeated_timings_give_each_notebook_its_median_and_range():
    """With --repeat 3, does the timings table give each notebook's run of median total, and the range of the
    totals that contains it?"""
    out = run_bench(solutions=FIXTURES, timings_only=True, repeat=3)
    assert "Each notebook ran 3 times" in out
    row = next(line for line in out.splitlines() if line.startswith(f"| {TINY} "))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    for total, spread in ((cells[3], cells[6]), (cells[4], cells[7])):   # with hidden tests, as a student runs it
        low, high = (float(x) for x in spread.split("–"))
        assert low <= float(total) <= high, row


def test_a_student_runs_the_notebook_without_its_hidden_tests():
    """Does the student's run drop exactly the hidden tests, as nbgrader's release does, keeping every answer?"""
    path = FIXTURES / TINY / f"{TINY}.ipynb"
    solution, released = nbformat.read(str(path), as_version=4), as_released(nbformat.read(str(path), as_version=4))
    changed = [(a.source, b.source) for a, b in zip(solution.cells, released.cells) if a.source != b.source]
    assert len(solution.cells) == len(released.cells) and len(changed) == 1, changed
    before, after = changed[0]
    assert "HIDDEN" in before and "HIDDEN" not in after and "add(-1, 1)" not in after
    assert after == before.split("\n### BEGIN HIDDEN TESTS")[0]
