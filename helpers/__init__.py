"""Reference code, data and checks for the TensorFlow training course.

Importing ``helpers`` is cheap: it only quiets TensorFlow's logging through
environment variables, which must be set before TensorFlow is imported.
TensorFlow itself is imported on first use, without its start-up log lines::

    from helpers import tf      # TensorFlow, imported quietly

Each topic lives in its own module (``helpers.data``, ``helpers.models``,
``helpers.checks``, ...); each public function names the notebook using it.
"""
from __future__ import annotations

from typing import Any

from helpers.quiet import quiet_environment

quiet_environment()

__all__ = ["tf"]


def __getattr__(name: str) -> Any:
    if name == "tf":
        from helpers.quiet import import_tensorflow

        return import_tensorflow()
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
