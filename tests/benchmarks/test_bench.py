"""The benchmark in its short mode: it runs end to end and its tables have every figure (not a timed test)."""
from __future__ import annotations

import math
import re

from autograder.bench import run_bench
from tests.autograder.tiny import FIXTURES, TINY

NUMBER = re.compile(r"^-?\d+(\.\d+)?(x|%)?( \(max\))?$")


def test_short_benchmark_prints_every_figure():
    """Does the short benchmark (on the tiny notebook) print the machine and tables whose every cell holds a figure,
    kernel waits included (the third student's kernel is a spare)?"""
    out = run_bench(short=True, solutions=FIXTURES)
    assert out.startswith("Machine: ") and "cores" in out.splitlines()[0]
    rows = [[cell.strip() for cell in line.strip("|").split("|")]
            for line in out.splitlines() if line.startswith("| ") and not line.startswith("|---")]
    headers = [r for r in rows if r[0] in ("notebook", "grading", "check")]
    assert len(headers) == 3, out
    data = [r for r in rows if r not in headers]
    labels = [r[0] for r in data]
    assert labels[:2] == [TINY, "all 1"]
    assert [label.split(",")[0] for label in labels[2:4]] == ["one submission", "class of 3 x 1 notebook(s)"]
    waits = [label for label in labels if label.startswith("kernel wait before the first cell")]
    for how in ("plain nbgrader", "tfcourse grade, spare kernel", "tfcourse grade, started on demand"):
        assert sum(how in label for label in waits) == 2, (how, waits)  # its mean and its max
    assert len(labels) == 4 + 2 + len(waits) + 1
    for row in data:
        for cell in row[1:]:
            assert cell == "yes" or NUMBER.match(cell), f"not a figure: {cell!r} in {row}"
            if NUMBER.match(cell):
                assert math.isfinite(float(cell.split()[0].rstrip("x%")))
