"""Reference answers for notebook 04: ``fit`` on datasets, and reading the ``History`` it returns.

``model.fit`` returns a ``History`` object whose ``.history`` dict holds one
list per metric (``'loss'``, ``'accuracy'``, ``'val_loss'``,
``'val_accuracy'``), with one value per epoch. ``best_epoch`` and
``generalization_gap`` only read such a dict; they never need TensorFlow.

Epochs are numbered from 1, as Keras prints them (``Epoch 1/10``): the value
at list index ``i`` belongs to epoch ``i + 1``.

Reference answer for notebook 04's exercises; used by ``helpers.checks.nb04``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Mapping, Sequence

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - only for type checkers
    import tensorflow as tf

HistoryDict = Mapping[str, Sequence[float]]


def fit_on_datasets(
    model: "tf.keras.Model", train_ds: "tf.data.Dataset", val_ds: "tf.data.Dataset", epochs: int
) -> dict[str, list[float]]:
    """Train a compiled model on batched datasets and return the history dict.

    Args:
        model: A compiled Keras model.
        train_ds: A batched dataset of ``(x, y)`` pairs to train on.
        val_ds: A batched dataset of ``(x, y)`` pairs, measured after each
            epoch and never trained on.
        epochs: How many passes over ``train_ds``.

    Returns:
        ``History.history``: one list per metric, each with ``epochs`` values.

    Reference answer for notebook 04's exercise 1; used by ``helpers.checks.nb04``.
    """
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"`epochs` must be a positive int, got {epochs!r}")
    history = model.fit(train_ds, epochs=int(epochs), validation_data=val_ds, verbose=0)
    return history.history


def best_epoch(
    history: HistoryDict, monitor: str = "val_loss", mode: Literal["min", "max"] = "min"
) -> int:
    """The epoch (numbered from 1) at which ``monitor`` was best.

    Args:
        history: A ``History.history`` dict.
        monitor: The metric to look at. Defaults to ``"val_loss"``.
        mode: ``"min"`` when smaller is better (losses), ``"max"`` when
            larger is better (accuracies). Defaults to ``"min"``.

    Returns:
        The 1-based epoch number of the best value; the earliest one on ties.

    Reference answer for notebook 04's exercise 2; used by ``helpers.checks.nb04``.

    >>> best_epoch({"val_loss": [0.9, 0.5, 0.7]})
    2
    >>> best_epoch({"val_accuracy": [0.6, 0.8, 0.7]}, "val_accuracy", "max")
    2
    """
    if mode not in ("min", "max"):
        raise ValueError(f"`mode` must be 'min' or 'max', got {mode!r}. "
                         "Pass mode='max' in order to monitor an accuracy.")
    if monitor not in history:
        raise KeyError(f"no {monitor!r} in the history; it has {sorted(history)}")
    values = np.asarray(history[monitor], dtype=np.float64)
    index = np.argmin(values) if mode == "min" else np.argmax(values)
    return int(index) + 1


def generalization_gap(history: HistoryDict) -> np.ndarray:
    """Training accuracy minus validation accuracy, epoch by epoch.

    A gap that grows while training accuracy keeps rising is the signature of
    overfitting.

    Args:
        history: A ``History.history`` dict with ``'accuracy'`` and
            ``'val_accuracy'``.

    Returns:
        A float64 array with one gap per epoch; positive when the model does
        better on its training data.

    Reference answer for notebook 04's exercise 3; used by ``helpers.checks.nb04``.

    >>> generalization_gap({"accuracy": [0.5, 0.9], "val_accuracy": [0.5, 0.8]}).round(2).tolist()
    [0.0, 0.1]
    """
    for key in ("accuracy", "val_accuracy"):
        if key not in history:
            raise KeyError(f"no {key!r} in the history; it has {sorted(history)}. "
                           "Compile with metrics=['accuracy'] and fit with validation_data.")
    train = np.asarray(history["accuracy"], dtype=np.float64)
    val = np.asarray(history["val_accuracy"], dtype=np.float64)
    return train - val
