"""Reference answers for notebook 05: measuring a classifier with ``evaluate()``, against a baseline and by hand.

Reference answer for notebook 05's exercises; used by ``helpers.checks.nb05``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - only for type checkers
    import tensorflow as tf


def evaluate_against_baseline(
    model: "tf.keras.Model", test_ds: "tf.data.Dataset", y_train: np.ndarray
) -> dict[str, float]:
    """The model's loss and accuracy on a test pipeline, next to the accuracy of guessing the majority class.

    The baseline always predicts the most frequent class of the *training*
    labels: the best guess one can make without looking at any input, and
    decided before the test set is looked at. Its accuracy is measured on
    the test labels, like the model's.

    Args:
        model: A model compiled with ``metrics=["accuracy"]``.
        test_ds: A finite batched dataset of ``(x, y)`` pairs with integer labels.
        y_train: The integer training labels.

    Returns:
        ``{"loss": float, "accuracy": float, "baseline_accuracy": float}``.

    Reference answer for notebook 05's exercise 1; used by ``helpers.checks.nb05``.
    """
    results = model.evaluate(test_ds, verbose=0, return_dict=True)
    if "accuracy" not in results:
        raise KeyError(f"the model reports {sorted(results)}, no 'accuracy'. "
                       "Compile it with metrics=['accuracy'].")
    y_test = np.concatenate([np.asarray(y).reshape(-1) for _, y in test_ds])
    majority = int(np.argmax(np.bincount(np.asarray(y_train).reshape(-1))))
    return {"loss": float(results["loss"]), "accuracy": float(results["accuracy"]),
            "baseline_accuracy": float(np.mean(y_test == majority))}


def accuracy_by_hand(model: "tf.keras.Model", x: np.ndarray, y: np.ndarray) -> float:
    """The share of samples whose most probable class is the true label.

    Computes what ``evaluate``'s ``accuracy`` reports, from ``predict``: the
    argmax over the class axis (the last one), compared with the labels.

    Args:
        model: A classifier with one output per class.
        x: Inputs, one sample per row.
        y: Integer labels, one per sample.

    Returns:
        The accuracy, a float between 0 and 1.

    Reference answer for notebook 05's exercise 2; used by ``helpers.checks.nb05``.
    """
    probabilities = model.predict(x, verbose=0)
    predicted = np.argmax(probabilities, axis=-1)
    return float(np.mean(predicted == np.asarray(y).reshape(-1)))


def per_class_accuracy(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """For each class, the share of its samples that were predicted correctly.

    This is each class's *recall*: among the samples whose true label is
    ``c``, the fraction predicted as ``c``.

    Args:
        y_true: True integer labels.
        y_pred: Predicted integer labels, same length.
        num_classes: Number of classes; the result has this length even when
            some classes do not occur.

    Returns:
        A float64 array of length ``num_classes``; ``nan`` for a class with
        no samples in ``y_true``.

    Reference answer for notebook 05's exercise 3; used by ``helpers.checks.nb05``.

    >>> per_class_accuracy(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 1]), 3).tolist()
    [0.5, 1.0, 0.0]
    """
    y_true = np.asarray(y_true).reshape(-1)
    y_pred = np.asarray(y_pred).reshape(-1)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {len(y_true)} and {len(y_pred)}")
    totals = np.bincount(y_true, minlength=num_classes).astype(np.float64)
    correct = np.bincount(y_true[y_true == y_pred], minlength=num_classes).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, correct / np.maximum(totals, 1), np.nan)
