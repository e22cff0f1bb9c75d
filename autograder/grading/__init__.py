"""Parallel autograding with the results of serial nbgrader.

- ``autograde``: ``grade()``, which prepares one private course root per
  submission, hands them to workers and merges their results;
- ``worker``: the worker process, which runs nbgrader's ``autograde`` on one
  private course root at a time;
- ``worker_pool``: the worker processes, replaced when one crashes;
- ``private_gradebooks``: the per-submission SQLite gradebooks, and merging
  them into the real one;
- ``progress``: the progress bar ``tfcourse grade`` draws;
- ``on_dask``: the same tasks on a Dask cluster (``--scheduler``, ``--cluster local:N``).
"""
