"""Reference answers for notebook 04: ``fit`` on datasets, and reading the ``History`` it returns.

``model.fit`` returns a ``History`` object whose ``.history`` dict holds one
list per metric (``'loss'``, ``'accuracy'``, ``'val_loss'``,
``'val_accuracy'``), with one value per epoch. ``best_epoch``,
``generalization_gap`` and ``overfitting_epoch`` only read such a dict; they never need TensorFlow.

Epochs are numbered from 1, as Keras prints them (``Epoch 1/10``): the value
at list index ``i`` belongs to epoch ``i + 1``.

Reference answer for notebook 04's exercises; used by ``helpers.checks.nb04``.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal, Mapping, Sequence

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - only for type checkers
    import tensorflow as tf

HistoryDict = Mapping[str, Sequence[float]]


def fit_repeated(
    model: "tf.keras.Model", train_ds: "tf.data.Dataset", val_ds: "tf.data.Dataset", n_train: int,
    batch_size: int, epochs: int,
) -> dict[str, list[float]]:
    """Train a compiled model on a repeated dataset, one pass over the training samples per epoch.

    A repeated dataset has no end, so ``fit`` cannot tell where an epoch ends:
    ``steps_per_epoch`` says it. One pass over ``n_train`` samples in batches
    of ``batch_size`` is ``ceil(n_train / batch_size)`` batches, the last one
    smaller when ``batch_size`` does not divide ``n_train``.

    Args:
        model: A compiled Keras model.
        train_ds: ``n_train`` samples in batches of ``batch_size``, then repeated.
        val_ds: A finite batched dataset, measured after each epoch and never trained on.
        n_train: How many training samples one pass holds.
        batch_size: The training batch size.
        epochs: How many epochs.

    Returns:
        ``History.history``: one list per metric, each with ``epochs`` values.

    Reference answer for notebook 04's exercise 1; used by ``helpers.checks.nb04``.
    """
    for name, value in (("n_train", n_train), ("batch_size", batch_size), ("epochs", epochs)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"`{name}` must be a positive int, got {value!r}")
    steps = math.ceil(n_train / batch_size)
    history = model.fit(train_ds, epochs=int(epochs), steps_per_epoch=steps, validation_data=val_ds, verbose=0)
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


def generalization_gap(
    history: HistoryDict, metric: str = "accuracy", mode: Literal["min", "max"] = "max"
) -> np.ndarray:
    """How much better ``metric`` is on the training data than on the validation data, epoch by epoch.

    Args:
        history: A ``History.history`` dict with ``metric`` and ``"val_" + metric``.
        metric: The metric's training key. Defaults to ``"accuracy"``.
        mode: ``"max"`` when larger is better (the gap is training minus
            validation), ``"min"`` when smaller is better (validation minus
            training). Defaults to ``"max"``.

    Returns:
        A float64 array with one gap per epoch; positive when the model does
        better on its training data; ``nan`` where a value is ``nan``.

    Used by notebook 04 (worked example) and by ``overfitting_epoch``.

    >>> generalization_gap({"accuracy": [0.5, 0.9], "val_accuracy": [0.5, 0.8]}).round(2).tolist()
    [0.0, 0.1]
    """
    if mode not in ("min", "max"):
        raise ValueError(f"`mode` must be 'min' or 'max', got {mode!r}. "
                         "Pass mode='min' for a loss, mode='max' for an accuracy.")
    for key in (metric, "val_" + metric):
        if key not in history:
            raise KeyError(f"no {key!r} in the history; it has {sorted(history)}. "
                           "Compile with the metric and fit with validation_data.")
    train = np.asarray(history[metric], dtype=np.float64)
    val = np.asarray(history["val_" + metric], dtype=np.float64)
    return train - val if mode == "max" else val - train


def overfitting_epoch(
    history: HistoryDict, metric: str, mode: Literal["min", "max"], threshold: float
) -> int | None:
    """The first epoch (numbered from 1) whose generalisation gap exceeds ``threshold``.

    Args:
        history: A ``History.history`` dict with ``metric`` and ``"val_" + metric``.
        metric: The metric's training key, e.g. ``"accuracy"`` or ``"loss"``.
        mode: ``"max"`` when larger is better, ``"min"`` when smaller is better.
        threshold: The gap the run may have; only a gap strictly larger counts.

    Returns:
        The 1-based epoch number, or ``None`` when no epoch's gap exceeds
        ``threshold``. An epoch with a ``nan`` value never counts.

    Reference answer for notebook 04's exercise 3; used by ``helpers.checks.nb04``.

    >>> overfitting_epoch({"loss": [0.9, 0.5, 0.3], "val_loss": [0.8, 0.6, 0.6]}, "loss", "min", 0.2)
    3
    >>> overfitting_epoch({"accuracy": [0.5, 0.9], "val_accuracy": [0.5, 0.8]}, "accuracy", "max", 0.25) is None
    True
    """
    over = np.flatnonzero(generalization_gap(history, metric, mode) > threshold)
    return int(over[0]) + 1 if len(over) else None
