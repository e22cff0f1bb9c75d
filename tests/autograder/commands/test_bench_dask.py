"""The tables of ``tfcourse bench --dask``: overhead over the local pool, and the projection for a large class."""
from __future__ import annotations

from autograder.commands.bench_dask import _table, _waits


def test_dask_bench_reports_overhead_and_projection():
    """Are Dask's overhead, the time per submission and the 300 x 10 projection computed from the measured runs?"""
    text = "\n".join(_table({"pool": 100.0, "local": 105.0, "scheduler": 120.0}, n=60, workers=2,
                            assignment="00-tiny", identical=True, before="a machine"))
    assert "| --cluster local:2 (start-up included) | 105.0 | 1.75 | 3.50 | +5.0% | not recorded |" in text
    assert "| --scheduler, dask scheduler + 2 dask worker processes | 120.0 | 2.00 | 4.00 | +20.0% |" in text
    assert "3000 tasks at 4.00 worker-seconds each" in text
    assert "| 1 | 3.33 h (200 min) |" in text and "| 10 | 0.33 h (20 min) |" in text
    assert "| 50 | 0.07 h (4 min) |" in text and "Assumptions:" in text


def test_dask_bench_reports_each_ways_kernel_waits():
    """Does each way's row give the median and slowest kernel wait, and how many kernels started which way?"""
    waits = {"pool": [(0.40, "forked"), (0.50, "forked"), (0.45, "forked")],
             "scheduler": [(0.40, "forked"), (2.0, "forked, fork server started for it")]}
    text = "\n".join(_table({"pool": 100.0, "local": 105.0, "scheduler": 120.0}, n=60, workers=2,
                            assignment="00-tiny", identical=True, before="a machine", waits=waits))
    assert "| +0.0% | 0.45 / 0.50 (3 forked) |" in text
    assert "| +20.0% | 1.20 / 2.00 (1 forked, 1 forked, fork server started for it) |" in text
    assert _waits([]) == "not recorded"
