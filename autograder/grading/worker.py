"""A grading worker: a long-lived process that autogrades one submission at a time.

``tfcourse grade`` starts one per ``--workers``. Each task names a private
course root (its own submitted/ copy, autograded/ folder and SQLite
gradebook, see ``autograder.grading.private_gradebooks``); the worker runs
nbgrader's ``autograde`` there, with the course root's own nbgrader settings,
and never touches the real gradebook. Paying Python's and nbgrader's start-up
once per worker instead of once per submission is what makes small tasks
cheap, and so does its fork server (``autograder.kernels.forkserver_client``):
TensorFlow is imported once per worker, and every notebook's kernel is forked
from there.

Protocol: one JSON task per line on stdin, one JSON reply per line on the
original stdout. Everything nbgrader or a kernel prints goes to stderr.
"""
from __future__ import annotations

import copy
import functools
import json
import os
import sys
import traceback
from pathlib import Path


@functools.lru_cache(maxsize=None)
def _config(config_root: str):
    """The course root's nbgrader settings, read once per worker (kernels cannot write them: autograder.kernels.jail)."""
    from autograder.nbgrader_api import load_config

    return load_config(Path(config_root))


def grade_one(task: dict) -> dict:
    """Autograde ``task['student']``'s ``task['assignment']`` in the task's private course root."""
    from nbgrader.apps import NbGraderAPI

    from autograder.preprocessors.execute import STARTS

    config = copy.deepcopy(_config(task["config_root"]))
    config.CourseDirectory.root = task["root"]
    config.CourseDirectory.db_url = f"sqlite:///{os.path.join(task['root'], 'gradebook.db')}"
    STARTS.clear()
    api = NbGraderAPI(config=config)
    result = api.autograde(task["assignment"], task["student"], force=True, create=True)
    return {
        "id": task["id"],
        "success": bool(result.get("success")),
        "log": result.get("log") or "",
        "error": result.get("error") or "",
        "kernel_starts": [[start.seconds, start.origin] for start in STARTS],
    }


def main() -> int:
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # nbgrader's and the kernels' prints must not corrupt the protocol
    sys.stdout = sys.stderr
    for line in sys.stdin:
        task = json.loads(line)
        try:
            reply = grade_one(task)
        except Exception:  # report, and stay alive for the next submission
            reply = {"id": task["id"], "success": False, "log": "", "error": traceback.format_exc()}
        replies.write(json.dumps(reply) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
