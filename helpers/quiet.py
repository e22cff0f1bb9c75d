"""Keep TensorFlow's start-up noise out of students' cells and graded cells.

TensorFlow 2.21 prints C++ log lines (oneDNN, CUDA probing) straight to file
descriptor 2 while it is imported and when it first touches the devices, and
``TF_CPP_MIN_LOG_LEVEL`` does not silence the ones logged before absl starts.
In a notebook these lines become ``stderr`` outputs, and nbgrader zeroes a test
cell with any ``stderr`` output. So we set the log level *and* import
TensorFlow with file descriptor 2 pointed at ``/dev/null``.

Used by every notebook's first cell (``from helpers import tf``).
"""
from __future__ import annotations

import contextlib
import gc
import logging
import warnings
from types import ModuleType
from typing import Iterator

#: Environment for a quiet TensorFlow; also set for grading kernels by
#: ``autograder/nbgrader_config.py``.
QUIET_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # C++ logs: fatal only
    "KMP_WARNINGS": "0",
}


def quiet_environment() -> None:
    """Set the environment variables TensorFlow reads at import time.

    Values already set by the user win, so ``TF_CPP_MIN_LOG_LEVEL=0`` still
    brings the logs back for debugging. Used on ``import helpers``.
    """
    import os  # imported here: a notebook that has `helpers.quiet` gets no `os` from it

    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)


@contextlib.contextmanager
def stderr_fd_silenced() -> Iterator[None]:
    """Point file descriptor 2 at ``/dev/null`` for the ``with`` block.

    This silences native code, which bypasses ``sys.stderr``.
    """
    import os
    import sys

    try:
        sys.stderr.flush()
    except (AttributeError, ValueError):
        pass
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def silence_python_warnings() -> None:
    """Hide TensorFlow's and Keras's Python warnings and INFO/WARNING logs."""
    for module in ("tensorflow", "keras", "absl", "google.protobuf"):
        warnings.filterwarnings("ignore", module=rf"{module}(\.|$)")
    # Keras attributes some warnings to the caller's frame (stacklevel=2).
    warnings.filterwarnings("ignore", message=r"Do not pass an `input_shape`")
    warnings.filterwarnings("ignore", message=r".*`build\(\)` was called on layer")
    for name in ("tensorflow", "keras", "absl", "h5py"):
        logging.getLogger(name).setLevel(logging.ERROR)


@contextlib.contextmanager
def no_collection_while_importing() -> Iterator[None]:
    """Pause Python's cycle collector during the import, then exempt what was imported from later collections.

    Importing TensorFlow and Keras creates about 700,000 Python objects that live as long as the process.
    Collected as usual, they cost about seven full collections during the import, and every full collection
    afterwards walks them again (measured on notebook 10 on this 2-core machine: about 1.4 s during its import and
    1.7 s during its other cells). ``gc.freeze`` moves them into a generation the collector never visits, as the ``gc``
    documentation suggests for long-lived start-up objects. The few cycles the import leaves behind stay in memory
    (about 3 MB). The fork server (``autograder.kernels.forkserver``) imports under it too: frozen objects are
    also left alone by the collector of each forked kernel, so their memory pages stay shared.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def import_tensorflow() -> ModuleType:
    """Import TensorFlow without its start-up log lines and return it.

    Also initialises the devices inside the silenced window, because the
    first op otherwise logs a failed CUDA probe on machines with no GPU.

    Returns:
        The ``tensorflow`` module.

    >>> from helpers.quiet import import_tensorflow
    >>> tf = import_tensorflow()
    """
    import sys

    quiet_environment()
    if "tensorflow" in sys.modules and getattr(import_tensorflow, "_done", False):
        return sys.modules["tensorflow"]
    with stderr_fd_silenced(), no_collection_while_importing():
        import tensorflow as tf

        tf.config.list_physical_devices()
        tf.constant(0.0).numpy()
        tf.get_logger().setLevel(logging.ERROR)
        try:
            import absl.logging

            absl.logging.set_verbosity(absl.logging.ERROR)
        except ImportError:  # pragma: no cover - absl ships with TensorFlow
            pass
    silence_python_warnings()
    import_tensorflow._done = True  # type: ignore[attr-defined]
    return tf
