"""The explorer's data as NumPy arrays: ``(x, y)``, a ``DigitsSplits`` or a ``tf.data.Dataset`` in, arrays out.

Used by the training explorer in notebooks 02 and 09.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from helpers.explorer.settings import SettingsError
from helpers.quiet import import_tensorflow

tf = import_tensorflow()

NO_DATA = "No data loaded: pass data=(x, y) (or a tf.data.Dataset) to the explorer."
Pair = tuple[np.ndarray, np.ndarray]


def as_arrays(data: Any) -> Pair:
    """Turn the explorer's data into ``(x, y)`` NumPy arrays.

    Args:
        data: ``(x, y)`` arrays, a ``DigitsSplits`` (its training split is
            used), or a ``tf.data.Dataset`` of ``(x, y)`` pairs, batched or
            not (it is read into memory once: course-sized data only).

    Returns:
        ``(x, y)`` with as many samples in each.

    Raises:
        SettingsError: when there is no data, or ``x`` and ``y`` differ in length.

    >>> x, y = as_arrays(([[0, 1], [2, 3]], [0, 1]))
    >>> x.shape, y.shape
    ((2, 2), (2,))
    """
    if data is None:
        raise SettingsError(NO_DATA)
    if hasattr(data, "x_train"):
        data = (data.x_train, data.y_train)
    elif isinstance(data, tf.data.Dataset):
        data = _dataset_arrays(data)
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise SettingsError(f"data must be (x, y) or a tf.data.Dataset, got {type(data).__name__}.")
    x, y = (np.asarray(a) for a in data)
    if len(x) != len(y):
        raise SettingsError(f"x has {len(x)} samples but y has {len(y)}: pass matching arrays.")
    if len(x) == 0:
        raise SettingsError("The data set is empty. " + NO_DATA)
    return x, y


def _dataset_arrays(dataset: tf.data.Dataset) -> Pair:
    spec = dataset.element_spec
    if not isinstance(spec, tuple) or len(spec) != 2:
        raise SettingsError("The tf.data.Dataset must yield (x, y) pairs.")
    if spec[0].shape.rank and spec[0].shape[0] is None:
        dataset = dataset.unbatch()
    pairs = list(dataset.as_numpy_iterator())
    if not pairs:
        raise SettingsError("The tf.data.Dataset is empty. " + NO_DATA)
    return np.stack([p[0] for p in pairs]), np.stack([p[1] for p in pairs])


def split_validation(x: np.ndarray, y: np.ndarray, val_fraction: float) -> tuple[Pair, Pair | None]:
    """Keep the last ``val_fraction`` of the samples for validation.

    Args:
        x: Inputs, one sample per row.
        y: Labels, as many as ``x`` has samples.
        val_fraction: The share of samples kept for validation, in ``[0, 1)``.

    Returns:
        ``((x_train, y_train), (x_val, y_val))``; the validation pair is
        ``None`` when ``val_fraction`` leaves no sample for it.

    >>> (x_train, y_train), (x_val, y_val) = split_validation(np.arange(10), np.arange(10), 0.2)
    >>> y_val
    array([8, 9])
    """
    n_val = int(round(len(x) * val_fraction))
    if n_val == 0:
        return (x, y), None
    return (x[:-n_val], y[:-n_val]), (x[-n_val:], y[-n_val:])
