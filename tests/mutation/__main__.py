"""``python -m tests.mutation [NN | exercise_id ...] [--render]``: grade mutants, update the report."""
from __future__ import annotations

import argparse
import sys
import time

from tests.mutation import report
from tests.mutation.run import check_worktree, run_assignments, select


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation", description=__doc__)
    parser.add_argument("selection", nargs="*",
                        help="notebooks (01, 02-fit-syntax) or exercises (02_train); all notebooks by default")
    parser.add_argument("--render", action="store_true", help="only re-render the report from the saved results")
    args = parser.parse_args(argv)
    results = report.load()
    if not args.render:
        check_worktree()
        start = time.monotonic()
        for assignment, entry in run_assignments(select(args.selection), progress=print):
            merged = results.get(assignment, {"exercises": {}}) if entry["partial"] else {"exercises": {}}
            merged["exercises"].update(entry.pop("exercises"))
            merged.update({k: v for k, v in entry.items() if k != "partial"})
            results[assignment] = merged
            report.write(results)  # after each notebook: a long run that stops keeps what it found
        print(f"mutation run took {time.monotonic() - start:.0f} s")
    report.write(results)
    print(f"wrote {report.REPORT}")
    below = [f"{ex} ({100 * s.rate:.1f}%)" for nb in results.values() for ex, e in nb["exercises"].items()
             if (s := report.score(e)).rate < report.TARGET]
    if below:
        print("below the target kill rate:", ", ".join(below))
    return 0


if __name__ == "__main__":
    sys.exit(main())
