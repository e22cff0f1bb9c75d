"""Reference answers for notebook 06: from a classifier's outputs to labels, top-k, confusion matrix, probabilities.

Every function works on the **last** axis, the class axis: axis 0 runs over
samples.

Reference answer for notebook 06's exercises; used by ``helpers.checks.nb06``.
``most_confident_mistakes`` is the function behind notebook 06's last worked
example, kept here with the answers it builds on.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - only for type checkers
    import tensorflow as tf


def predict_labels(model: "tf.keras.Model", x: np.ndarray) -> np.ndarray:
    """The most probable class of each sample.

    Args:
        model: A classifier with one output per class.
        x: Inputs, one sample per row.

    Returns:
        An integer array of shape ``(n,)``.

    Reference answer for notebook 06's exercise 1; used by ``helpers.checks.nb06``.
    """
    return np.argmax(model.predict(x, verbose=0), axis=-1)


def predict_top_k(model: "tf.keras.Model", x: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` most probable classes of each sample, most probable first.

    Args:
        model: A classifier with one output per class.
        x: Inputs, one sample per row.
        k: How many classes to keep per sample.

    Returns:
        An integer array of shape ``(n, k)``; column 0 is ``predict_labels``.

    Reference answer for notebook 06's exercise 2; used by ``helpers.checks.nb06``.
    """
    if k < 1:
        raise ValueError(f"`k` must be a positive int, got {k!r}")
    probabilities = model.predict(x, verbose=0)
    # A stable sort of the negated scores keeps the lower class first on ties, as argmax does.
    return np.argsort(-probabilities, axis=-1, kind="stable")[:, :k]


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """Count each (true, predicted) pair: rows are true classes, columns predicted ones.

    Args:
        y_true: True integer labels.
        y_pred: Predicted integer labels, same length.
        num_classes: Number of classes, the matrix's size.

    Returns:
        An int64 array of shape ``(num_classes, num_classes)``; entry
        ``[i, j]`` counts samples of class ``i`` predicted as ``j``, so the
        diagonal holds the correct predictions.

    Reference answer for notebook 06's exercise 3; used by ``helpers.checks.nb06``.

    >>> confusion_matrix([0, 1, 1], [0, 0, 1], 2).tolist()
    [[1, 0], [1, 1]]
    """
    y_true = np.asarray(y_true).reshape(-1)
    y_pred = np.asarray(y_pred).reshape(-1)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {len(y_true)} and {len(y_pred)}")
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def logits_to_probabilities(logits: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, safe for large logits.

    Args:
        logits: Raw scores, shape ``(..., num_classes)``.

    Returns:
        Float64 probabilities of the same shape; each row sums to 1.

    Reference answer for notebook 06's exercise 4; used by ``helpers.checks.nb06``.

    >>> logits_to_probabilities(np.array([[0.0, 0.0], [1000.0, 0.0]])).round(3).tolist()
    [[0.5, 0.5], [1.0, 0.0]]
    """
    logits = np.asarray(logits, dtype=np.float64)
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))  # subtracting the max avoids overflow
    return shifted / shifted.sum(axis=-1, keepdims=True)


def most_confident_mistakes(probabilities: np.ndarray, y_true: np.ndarray, n: int = 8) -> np.ndarray:
    """Indices of the ``n`` wrong predictions made with the highest probability.

    Args:
        probabilities: Predicted probabilities, shape ``(samples, classes)``.
        y_true: True integer labels.
        n: How many mistakes to return at most. Defaults to 8.

    Returns:
        Sample indices, most confident mistake first.

    The function behind notebook 06's last worked example.

    >>> most_confident_mistakes(np.array([[0.9, 0.1], [0.4, 0.6], [0.2, 0.8]]), np.array([1, 0, 1])).tolist()
    [0, 1]
    """
    probabilities = np.asarray(probabilities)
    predicted = probabilities.argmax(axis=-1)
    wrong = np.flatnonzero(predicted != np.asarray(y_true).reshape(-1))
    confidence = probabilities[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")[:n]]
