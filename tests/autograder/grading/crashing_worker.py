"""A grading worker that dies (SIGKILL) when handed a student named in ``$CRASH_ON`` (default ``crasher``).

It grades anyone else.

It stands in for a worker killed mid-task by the out-of-memory killer or a
runaway submission, whatever the grading defences stop first.
"""
import json
import os
import signal
import sys

from autograder.grading.worker import grade_one

if __name__ == "__main__":
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        task = json.loads(line)
        if task["student"] in os.environ.get("CRASH_ON", "crasher").split(","):
            os.kill(os.getpid(), signal.SIGKILL)
        replies.write(json.dumps(grade_one(task)) + "\n")
