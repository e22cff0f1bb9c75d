"""The arguments of ``model.fit`` and how many weight updates a run makes.

``fit`` cuts the training data into batches of ``batch_size`` samples and makes
one gradient update per batch; the last batch of an epoch holds what is left,
so an epoch has ``ceil(n_samples / batch_size)`` updates. ``BatchCounter``
counts what really happens during ``fit``, and ``probe_classifier`` builds a
model that attaches one to every ``fit`` call, however ``fit`` is called.

Used in notebook 02; the training explorer builds on ``train``.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from helpers.data import FLAT_DIM, NUM_CLASSES
from helpers.models import compile_for_integer_labels, set_seed
from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


def _check_positive_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"`{name}` must be a positive int, got {value!r}")


def updates_per_epoch(n_samples: int, batch_size: int) -> int:
    """The number of gradient updates (batches) in one epoch of ``fit``.

    The last batch keeps the samples left over, so this rounds up.

    Args:
        n_samples: Training samples.
        batch_size: Samples per batch.

    Returns:
        ``ceil(n_samples / batch_size)`` as an int.

    Raises:
        ValueError: ``n_samples`` is negative or ``batch_size`` is not a positive int.

    Used in notebook 02.

    >>> updates_per_epoch(1077, 32)
    34
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 0:
        raise ValueError(f"`n_samples` must be an int >= 0, got {n_samples!r}")
    _check_positive_int("batch_size", batch_size)
    return int(math.ceil(int(n_samples) / int(batch_size)))


def total_updates(n_samples: int, batch_size: int, epochs: int) -> int:
    """The number of gradient updates in a whole ``fit`` run.

    Args:
        n_samples: Training samples.
        batch_size: Samples per batch.
        epochs: Passes over the training data.

    Returns:
        ``epochs * updates_per_epoch(n_samples, batch_size)``.

    Used in notebook 02.

    >>> total_updates(1077, 32, 10)
    340
    """
    _check_positive_int("epochs", epochs)
    return int(epochs) * updates_per_epoch(n_samples, batch_size)


def train(
    model: keras.Model,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    epochs: int,
    batch_size: int,
) -> keras.callbacks.History:
    """Train a compiled model, validating on the given data after each epoch.

    Args:
        model: A compiled Keras model.
        x_train: Training inputs.
        y_train: Training labels.
        x_val: Validation inputs, never trained on.
        y_val: Validation labels.
        epochs: Passes over the training data.
        batch_size: Samples per gradient update.

    Returns:
        The ``History`` that ``fit`` returns.

    Used in notebook 02 and by the training explorer.
    """
    _check_positive_int("epochs", epochs)
    _check_positive_int("batch_size", batch_size)
    return model.fit(
        x_train, y_train, epochs=epochs, batch_size=batch_size,
        validation_data=(x_val, y_val), verbose=0,
    )


class BatchCounter(keras.callbacks.Callback):
    """Count the training and validation batches ``fit`` really runs, epoch by epoch.

    The counts restart in ``on_train_begin``, so one counter can be reused
    across ``fit`` calls.

    Attributes:
        train_batches: Training batches (gradient updates) per epoch.
        val_batches: Validation batches per epoch (0 without validation data).

    Used in notebook 02.

    >>> counter = BatchCounter()
    >>> model.fit(x, y, epochs=2, batch_size=32, callbacks=[counter], verbose=0)  # doctest: +SKIP
    >>> counter.train_batches                                                     # doctest: +SKIP
    [34, 34]
    """

    def __init__(self) -> None:
        super().__init__()
        self.train_batches: list[int] = []
        self.val_batches: list[int] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.train_batches, self.val_batches = [], []

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.train_batches.append(0)
        self.val_batches.append(0)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.train_batches[-1] += 1

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.val_batches:  # evaluate() outside fit has no epoch to count in
            self.val_batches[-1] += 1

    @property
    def epochs(self) -> int:
        """Epochs run by the last ``fit``."""
        return len(self.train_batches)

    @property
    def total(self) -> int:
        """Gradient updates made by the last ``fit``."""
        return sum(self.train_batches)


class ProbedSequential(keras.Sequential):
    """A ``keras.Sequential`` whose ``fit`` always runs its own ``BatchCounter``.

    The counter is ``model.counter``. It lets a test see how many batches a
    function that calls ``fit`` really trained on, without changing the call.

    Used by the tests of notebook 02.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counter = BatchCounter()

    def fit(self, *args: Any, callbacks: list | None = None, **kwargs: Any):
        return super().fit(*args, callbacks=[*(callbacks or []), self.counter], **kwargs)


def probe_classifier(
    input_dim: int = FLAT_DIM,
    hidden_units: int = 16,
    num_classes: int = NUM_CLASSES,
    seed: int = 0,
    learning_rate: float = 1e-2,
) -> ProbedSequential:
    """A small compiled classifier that counts its batches in ``model.counter``.

    Args:
        input_dim: Features per sample. Defaults to 64.
        hidden_units: Width of the ReLU hidden layer. Defaults to 16.
        num_classes: Size of the softmax output. Defaults to 10.
        seed: Seed of the initial weights. Defaults to 0.
        learning_rate: Adam's step size. Defaults to 0.01.

    Returns:
        A compiled ``ProbedSequential`` model.

    Used by the tests of notebook 02.
    """
    set_seed(seed)
    model = ProbedSequential(
        [
            keras.Input(shape=(input_dim,)),
            keras.layers.Dense(hidden_units, activation="relu"),
            keras.layers.Dense(num_classes, activation="softmax"),
        ],
        name="probed_mlp",
    )
    return compile_for_integer_labels(model, learning_rate)
