"""Benchmark: seconds from pressing Train to the first epoch drawn, at default settings.

Not a test (nothing asserts a time): run it by hand on the machine you care about::

    python tests/benchmarks/bench_explorer.py [--repeats 3]

The first press in a fresh process is the one a student sees first (it pays
for TensorFlow tracing ``fit``'s functions); later presses retrace for the new
model, but the Python side is warm. Each run is stopped after its first epoch.
The goal is at most 1 s on the course's 2-core CPU.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import helpers  # noqa: E402,F401 - quiet TensorFlow before anything imports it
from helpers import live  # noqa: E402


def press_train_once(explorer) -> dict[str, float]:
    """Press Train; return seconds to the first epoch's end and to its curves drawn.

    Also the CPU seconds this process used until the curves were drawn: on a
    busy shared machine the wall time says more about the neighbours.
    """
    marks: dict[str, float] = {}
    original = live.LiveCurves.on_epoch_end

    def probe(self, epoch, logs=None):
        marks.setdefault("epoch_end", time.perf_counter())
        original(self, epoch, logs)
        self.model.stop_training = True  # one epoch is all we time

    def drawn(change):
        marks.setdefault("drawn", time.perf_counter())
        marks.setdefault("cpu", time.process_time())

    explorer.plot.observe(drawn, "outputs")
    live.LiveCurves.on_epoch_end = probe
    try:
        start, cpu_start = time.perf_counter(), time.process_time()
        explorer.train_button.click()  # runs the same handler as the browser's click
    finally:
        live.LiveCurves.on_epoch_end = original
        explorer.plot.unobserve(drawn, "outputs")
    if "drawn" not in marks:
        raise RuntimeError(f"nothing was drawn: {explorer.message.value}")
    return {"first epoch trained": marks["epoch_end"] - start,
            "first epoch drawn": marks["drawn"] - start,
            "CPU time to drawn": marks["cpu"] - cpu_start}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="presses of Train (default 3)")
    args = parser.parse_args()

    start = time.perf_counter()
    from helpers.explorer import TrainingExplorer

    explorer = TrainingExplorer()
    print(f"import + build explorer: {time.perf_counter() - start:.2f} s "
          f"(settings: {explorer.settings().label}, val fraction {explorer.settings().val_fraction})")
    for press in range(1, args.repeats + 1):
        marks = press_train_once(explorer)
        kind = "cold" if press == 1 else "warm"
        print(f"press {press} ({kind}): " + ", ".join(f"{k} {v:.2f} s" for k, v in marks.items()))
    load = os.getloadavg()[0]
    print(f"CPU cores available: {len(os.sched_getaffinity(0))}, load average {load:.1f}; "
          "goal: first epoch drawn <= 1 s")


if __name__ == "__main__":
    main()
