"""What a student's function returned, as plain data an observation can carry (``helpers.checks.observed``).

``observe`` halves call these on whatever came back, so that a surprising
return value (a list, a tensor, a string, ``None``) becomes data the judge
can name in its message instead of an error in the kernel.

Used by the checks of notebooks 06 to 09.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def returned(value: Any) -> dict[str, Any]:
    """``{"type": ..., "array": numeric array or None, "tensor": bool}`` for any value a function returned.

    Args:
        value: What the student's function returned.

    Returns:
        The type's name, whether it is a tensor, and its values as a numeric
        NumPy array when they convert to one (``None`` otherwise).

    >>> returned([1, 2])["array"].tolist()
    [1, 2]
    >>> returned("2")["array"] is None
    True
    """
    kind = type(value).__name__
    tensor = hasattr(value, "numpy") and hasattr(value, "dtype") and not isinstance(value, np.ndarray)
    try:
        array = None if value is None or isinstance(value, (str, bytes)) else np.asarray(value)
    except Exception:  # a ragged list or an exotic object: the judge says what it was
        array = None
    if array is not None and array.dtype.kind not in "biuf":
        array = None
    return {"type": kind, "array": array, "tensor": bool(tensor)}


def scalar(value: Any) -> Any:
    """A plain ``int``, ``float``, ``bool`` or ``str`` kept as it is (NumPy scalars become one); else ``returned``."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return returned(value)
