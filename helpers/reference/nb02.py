"""Reference answer for notebook 02's exercises; used by helpers.checks.nb02.

``fit`` cuts the training data into batches of ``batch_size`` samples and makes
one gradient update per batch; the last batch of an epoch holds what is left,
so an epoch has ``ceil(n_samples / batch_size)`` updates.
"""
from __future__ import annotations

import math

import numpy as np

from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


def updates_per_epoch(n_samples: int, batch_size: int) -> int:
    """The number of gradient updates (batches) in one epoch of ``fit``.

    The last batch keeps the samples left over, so this rounds up.

    Args:
        n_samples: Training samples.
        batch_size: Samples per batch.

    Returns:
        ``ceil(n_samples / batch_size)`` as an int.

    Notebook 02's exercise 1.

    >>> updates_per_epoch(1077, 32)
    34
    """
    return math.ceil(n_samples / batch_size)


def total_updates(n_samples: int, batch_size: int, epochs: int) -> int:
    """The number of gradient updates in a whole ``fit`` run.

    Args:
        n_samples: Training samples.
        batch_size: Samples per batch.
        epochs: Passes over the training data.

    Returns:
        ``epochs * updates_per_epoch(n_samples, batch_size)``.

    Notebook 02's exercise 2.

    >>> total_updates(1077, 32, 10)
    340
    """
    return epochs * updates_per_epoch(n_samples, batch_size)


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

    Notebook 02's exercise 3.
    """
    return model.fit(
        x_train, y_train, epochs=epochs, batch_size=batch_size,
        validation_data=(x_val, y_val), verbose=0,
    )
