"""What a student's function returned, as plain data an observation can carry, and the judge's reading of it.

``plain(value)`` turns a return value into what ``helpers.checks.observed.encode``
can send: numbers, strings, ``None``, lists, dicts and numeric arrays (tensors
included). Anything else becomes ``{"__object__": type name, "repr": ...}``, so
the judge can still say what came back. NumPy scalars and 0-d arrays or tensors
become Python numbers, as ``check_equal`` has always compared them.

``numbers(value)`` is the judge's side: a list or array of numbers as a float64
array, or ``None`` when it holds anything else (``None`` items included, which
``np.asarray(..., float)`` would silently turn into ``nan``).

Used by the checks of notebooks 02 to 05.
"""
from __future__ import annotations

from typing import Any

import numpy as np

_NUMERIC_KINDS = "biuf"


def plain(value: Any) -> Any:
    """``value`` as plain data for an observation (see the module docstring)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item() if value.dtype.kind in _NUMERIC_KINDS else _described(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray) or (hasattr(value, "numpy") and hasattr(value, "dtype")):
        try:
            array = np.asarray(value)
        except Exception:  # a tensor that cannot be read as an array: described below
            array = None
        if array is not None and array.dtype.kind in _NUMERIC_KINDS:
            return array.item() if array.ndim == 0 else array  # encode would send a 0-d array as shape (1,)
    return _described(value)


def _described(value: Any) -> dict[str, str]:
    try:
        text = repr(value)
    except Exception:  # an object whose repr fails is still named by its type
        text = "?"
    return {"__object__": type(value).__name__, "repr": text[:200]}


def kind(value: Any) -> str:
    """How the judge names a value it was sent: ``'int'``, ``'list'``, ``'array'``, ``'History'``, ..."""
    if isinstance(value, dict) and "__object__" in value:
        return str(value["__object__"])
    if isinstance(value, np.ndarray):
        return "array"
    return type(value).__name__


def numbers(value: Any) -> np.ndarray | None:
    """A list or array of numbers (no ``None``, no strings, no objects) as float64; ``None`` otherwise."""
    if isinstance(value, np.ndarray):
        return value.astype(np.float64) if value.dtype.kind in _NUMERIC_KINDS else None
    if isinstance(value, (bool, int, float)):
        return np.asarray(value, dtype=np.float64)
    if isinstance(value, list):
        items = [numbers(v) for v in value]
        if any(i is None for i in items):
            return None
        try:
            return np.asarray(items, dtype=np.float64)
        except ValueError:  # ragged
            return None
    return None
