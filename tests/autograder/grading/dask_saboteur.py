"""A Dask worker plugin that kills its worker process (SIGKILL) when it starts grading a named student.

It stands in for a notebook that takes its Dask worker down (or a worker
lost to the out-of-memory killer): the tests register it on a real cluster
before ``tfcourse grade --scheduler`` runs.
"""
import os
import signal

from distributed import WorkerPlugin


class KillWorkerOn(WorkerPlugin):
    """SIGKILL the worker process as soon as a task grading ``student`` starts executing."""

    name = "test-kill-worker-on"

    def __init__(self, student: str):
        self.student = student

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish == "executing" and f"-{self.student}-" in str(key):
            os.kill(os.getpid(), signal.SIGKILL)
