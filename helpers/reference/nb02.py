"""Reference answer for notebook 02's exercises; used by helpers.checks.nb02.

``train`` holds out a stratified validation set (``stratified_validation``:
the same share of every class) and hands it to ``fit`` as ``validation_data``.
``balanced_class_weights`` and ``train_balanced`` weigh an imbalanced training
set so that every class counts as much in the loss, through ``class_weight``
for training and the matching ``sample_weight`` for validation
(``class_weight`` never reaches the validation data).
"""
from __future__ import annotations

import math

import numpy as np

from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


def balanced_class_weights(y: np.ndarray, num_classes: int) -> dict[int, float]:
    """Class weights that give every class present in ``y`` the same total weight.

    A class with ``n_c`` of the ``n`` labels gets ``n / (k * n_c)``, where ``k``
    is the number of classes that occur in ``y``: each present class then
    weighs ``n / k`` in all, and the weights of all samples add up to ``n``, as
    without weights, so the loss keeps its scale. A class absent from ``y``
    gets ``1.0``, Keras's own default for a class without a weight.

    Args:
        y: Integer labels from 0 to ``num_classes - 1``, at least one.
        num_classes: How many classes the model tells apart.

    Returns:
        ``{class: weight}`` with the int keys ``0 .. num_classes - 1`` and float values.

    Notebook 02's exercise 2.

    >>> balanced_class_weights(np.array([0, 0, 0, 1]), 3)
    {0: 0.6666666666666666, 1: 2.0, 2: 1.0}
    """
    counts = np.bincount(np.asarray(y).reshape(-1).astype(np.int64), minlength=num_classes)
    present = np.count_nonzero(counts)
    return {c: float(counts.sum() / (present * counts[c])) if counts[c] else 1.0 for c in range(num_classes)}


def stratified_validation(y: np.ndarray, val_fraction: float) -> np.ndarray:
    """Which samples to hold out for validation: ``math.ceil(val_fraction * n_c)`` of each class.

    The first samples of each class, in the order of ``y``, are held out.
    Rounding up, as scikit-learn's ``train_test_split`` does for its test
    set, gives every class present at least one validation sample.

    Args:
        y: Integer labels, one per sample.
        val_fraction: The share of each class to hold out, between 0 and 1.

    Returns:
        A boolean mask over the samples, ``True`` for validation.

    Notebook 02's exercise 1.

    >>> stratified_validation(np.array([0, 1, 0, 0, 0, 0, 2, 1]), 0.25).nonzero()[0].tolist()
    [0, 1, 2, 6]
    """
    held_out = np.zeros(len(y), dtype=bool)
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        held_out[members[:math.ceil(val_fraction * len(members))]] = True
    return held_out


def train(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    epochs: int,
    batch_size: int,
    val_fraction: float,
) -> keras.callbacks.History:
    """Hold out a stratified validation set, train a compiled model on the rest, validate after each epoch.

    ``validation_split`` would hold out the *last* samples instead: with data
    sorted by class, only the last classes.

    Args:
        model: A compiled Keras model.
        x: Inputs, one row per sample.
        y: Integer labels.
        epochs: Passes over the training samples.
        batch_size: Samples per gradient update.
        val_fraction: The share of each class held out (``stratified_validation``).

    Returns:
        The ``History`` that ``fit`` returns.

    Notebook 02's exercise 1.
    """
    val = stratified_validation(y, val_fraction)
    return model.fit(
        x[~val], y[~val], epochs=epochs, batch_size=batch_size,
        validation_data=(x[val], y[val]), verbose=0,
    )


def train_balanced(
    model: keras.Model,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    epochs: int,
    batch_size: int,
) -> keras.callbacks.History:
    """Train with balanced class weights, and weigh the validation loss the same way.

    The weights come from the training labels, for every class the model
    outputs (``model.output_shape[-1]``). ``class_weight`` applies to the
    training batches only, so the validation samples get the weights of their
    classes as the third element of ``validation_data``: ``loss`` and
    ``val_loss`` then measure the same weighted loss.

    Args:
        model: A compiled Keras classifier with a softmax output.
        x_train: Training inputs.
        y_train: Integer training labels, classes possibly imbalanced or missing.
        x_val: Validation inputs.
        y_val: Integer validation labels.
        epochs: Passes over the training data.
        batch_size: Samples per gradient update.

    Returns:
        The ``History`` that ``fit`` returns.

    Notebook 02's exercise 3.
    """
    weights = balanced_class_weights(y_train, model.output_shape[-1])
    val_weights = np.array([weights[int(c)] for c in y_val], dtype=np.float32)
    return model.fit(
        x_train, y_train, epochs=epochs, batch_size=batch_size, class_weight=weights,
        validation_data=(x_val, y_val, val_weights), verbose=0,
    )
