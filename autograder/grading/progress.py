"""The progress bar of ``tfcourse grade`` and ``tfcourse demo``: plain text with an ETA, on stderr.

On a terminal it redraws one line; in a log (CI, a file) it writes one line
per graded submission, each with its counts, times and result, so the log
reads as a record of the run.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class ProgressBar:
    """Call it as ``bar(done, total, outcome)`` after each graded submission.

    On a terminal it redraws one line; elsewhere (CI logs) it prints one line
    per submission.

    Args:
        label: The word in front of the bar. Defaults to ``"grading"``.
        stream: Where to write. Defaults to ``sys.stderr``.
    """

    def __init__(self, label: str = "grading", stream: TextIO | None = None, width: int = 24):
        self.label, self.stream, self.width = label, stream or sys.stderr, width
        self.started = time.monotonic()

    def line(self, done: int, total: int, last: str = "") -> str:
        elapsed = time.monotonic() - self.started
        filled = int(self.width * done / total) if total else self.width
        eta = elapsed / done * (total - done) if done else None
        bar = "#" * filled + "-" * (self.width - filled)
        text = f"{self.label} [{bar}] {done}/{total}  elapsed {_clock(elapsed)}"
        text += f"  ETA {_clock(eta)}" if eta is not None else "  ETA ?"
        return text + (f"  {last}" if last else "")

    def __call__(self, done: int, total: int, outcome=None) -> None:
        last = ""
        if outcome is not None:
            result = (f"{outcome.score:g}/{outcome.max_score:g}" if outcome.graded
                      else "FAILED: " + ", ".join(outcome.problems or ["error"]))
            last = f"{outcome.student} {outcome.assignment}: {result}"
        text = self.line(done, total, last)
        if self.stream.isatty():
            end = "\n" if done >= total else ""
            self.stream.write("\r\x1b[2K" + text + end)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
