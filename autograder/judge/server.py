"""The judge process: reads one request per line on stdin, answers one verdict per line.

A request is ``{"source": test cell source, "observations": [...], "kernel_error": str | null}``.
The answer is ``{"judged": false}`` when the cell calls something other than
observed checks (nbgrader scores it as usual), else ``{"judged": true,
"passed": bool, "message": str}``. Every call in the source must be matched by
exactly one observation, in order, naming the same check: a missing, extra,
mismatched or malformed observation fails the cell.

Run by ``autograder.judge.client`` as ``python -m autograder.judge.server``.
"""
from __future__ import annotations

import json
import os
import sys
from typing import Any

from autograder.judge.plan import NotObserved, calls


def verdict(request: dict[str, Any]) -> dict[str, Any]:
    """Judge one test cell (see the module docstring)."""
    from helpers.checks.core import CheckFailed
    from helpers.checks.observed import REGISTRY, decode

    try:
        planned = calls(request["source"])
    except NotObserved:
        return {"judged": False}
    observations = request.get("observations") or []
    if not planned:
        return {"judged": False}
    stopped = request.get("kernel_error")
    for index, call in enumerate(planned):
        if index >= len(observations):
            why = f" ({stopped})" if stopped else ""
            return _fail(f"the test stopped before its check {index + 1} of {len(planned)} ({call.name}) reported "
                         f"its values{why}.")
        observation = observations[index]
        if not isinstance(observation, dict) or observation.get("check") != call.name:
            return _fail(f"check {index + 1} ({call.name}): the kernel reported something else.")
        check = REGISTRY[call.name]
        try:
            observed = decode(observation.get("observed"))
            check.judge(observed, **check.arguments(*call.args, **call.kwargs))
        except CheckFailed as failure:
            return _fail(str(failure))
        except Exception as error:  # a malformed observation: missing keys, wrong types
            return _fail(f"check {index + 1} ({call.name}): the values reported could not be judged "
                         f"({type(error).__name__}: {error}).")
    if len(observations) > len(planned):
        return _fail(f"the kernel reported {len(observations)} results for {len(planned)} checks.")
    return {"judged": True, "passed": True, "message": f"{len(planned)} checks passed, judged by the grader."}


def _fail(message: str) -> dict[str, Any]:
    return {"judged": True, "passed": False, "message": message}


def main() -> None:
    """Serve requests until stdin closes; only this loop writes to the real stdout."""
    channel = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything else written to stdout (Python or C++) goes to the log, not into the protocol
    for line in sys.stdin:
        try:
            answer = verdict(json.loads(line))
        except Exception as error:  # never leave the grader waiting
            answer = _fail(f"the judge could not read this test's results ({type(error).__name__}: {error}).")
        channel.write(json.dumps(answer) + "\n")
        channel.flush()


if __name__ == "__main__":
    main()
