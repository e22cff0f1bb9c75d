"""A grading kernel that imports TensorFlow before it knows which notebook it will run.

``autograder.kernel_pool`` starts this module (under ``autograder.sandbox``, with
the same limits as any grading kernel) ahead of time, while the previous
notebook is still running. It:

1. imports what every graded notebook and the kernel guard import first:
   TensorFlow (quietly, ``helpers.quiet``), numpy, ``helpers.checks`` and
   ipykernel, and sets ``MPLBACKEND`` as ipykernel itself would;
2. waits for one order on file descriptor 0, a socket that only the grader
   holds (a socket, unlike a pipe, cannot be reopened through ``/proc``):
   ``{"argv": [...], "cwd": "..."}``, the arguments of ``ipykernel_launcher``
   and the notebook's folder;
3. points fd 0 at ``/dev/null`` (a cold kernel's stdin is a closed pipe: also
   end of file), moves to the notebook's folder and becomes an ordinary
   IPython kernel, for exactly one notebook.

No student code runs in it before the order comes, and it never serves a
second notebook: each notebook still gets a fresh process. End of file instead
of an order (the grader finished, or died) makes it exit quietly.

Used by ``autograder.kernel_manager.SandboxProvisioner``.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def preload() -> None:
    """Import what every grading kernel imports first (TensorFlow takes ~3 s of CPU)."""
    # ipykernel sets this before any user code runs; importing TensorFlow also
    # imports matplotlib, which reads it once, so it must be set first.
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    from helpers.quiet import import_tensorflow

    import_tensorflow()
    import numpy  # noqa: F401
    from ipykernel import kernelapp  # noqa: F401

    from autograder import kernel_guard  # noqa: F401
    from helpers import checks  # noqa: F401


def read_order() -> dict | None:
    """The grader's order from fd 0, or ``None`` at end of file."""
    line = sys.stdin.buffer.readline()
    if not line.strip():
        return None
    return json.loads(line)


def become_kernel(order: dict) -> None:
    """Start the IPython kernel that the order describes, in its folder, with stdin at end of file."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.chdir(order["cwd"] or os.getcwd())
    sys.argv = [sys.argv[0], *order["argv"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def main() -> int:
    # As ipykernel_launcher does: the launch folder is not the notebook's, so it
    # must not be on sys.path (IPython adds '' for the working folder later).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    try:
        preload()
    except Exception as error:  # the notebook's own import will meet (and report) the same problem
        print(f"warm kernel: preloading failed ({type(error).__name__}: {error})", file=sys.stderr)
    order = read_order()
    if order is None:
        return 0
    become_kernel(order)
    return 0


if __name__ == "__main__":
    sys.exit(main())
