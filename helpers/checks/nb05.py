"""Checks for notebook 05: ``evaluate`` as a dict, accuracy from ``predict``, accuracy per class.

Each check takes the student's function first, then the inputs of one case.
It calls the student's function on the model it was given, and computes the
expected values with the reference answer (``helpers.reference.nb05``) on a
same-weights twin of that model, so nothing the student's function does to
the model can change what is expected.

Used by notebook 05's test cells, e.g.
``checks.nb05.evaluate_on_test(evaluate_on_test, trained_model, data.x_test, data.y_test)``.
"""
from __future__ import annotations

import random
from typing import Any, Callable, Sequence

import numpy as np

from helpers.checks.core import check, check_close, check_equal, check_instance, show
from helpers.reference import nb05 as reference


def same_weights_twin(model: Any) -> Any:
    """A separate copy of a Keras model: same architecture, same weights, compiled the same way for ``evaluate``.

    The copy is compiled with the model's loss and ``metrics=["accuracy"]``
    (when the model is compiled), which is all ``evaluate`` needs. Python's
    random state is restored afterwards, so making a twin does not change
    the initial weights of models built later in the notebook.

    Args:
        model: A built Keras model.

    Returns:
        The twin.

    Used by the checks of notebooks 05 and 06.
    """
    from helpers import tf

    state = random.getstate()  # clone_model draws seeds for its (overwritten) initial weights
    try:
        twin = tf.keras.models.clone_model(model)
    finally:
        random.setstate(state)
    twin.set_weights(model.get_weights())
    if getattr(model, "compiled", False):
        twin.compile(loss=model.loss, metrics=["accuracy"])
    return twin


def evaluate_on_test(
    answer: Callable, model: Any, x: np.ndarray, y: np.ndarray,
    name: str = "evaluate_on_test(trained_model, data.x_test, data.y_test)",
) -> None:
    """Check that ``evaluate_on_test`` returns ``{'loss', 'accuracy'}`` as numbers, measured on ``(x, y)``.

    Args:
        answer: The student's ``evaluate_on_test(model, x_test, y_test)``.
        model: A model compiled with ``metrics=["accuracy"]``.
        x: The inputs to evaluate on.
        y: Their labels.
        name: How the messages name the call. Defaults to the visible test's.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    twin = same_weights_twin(model)
    result = answer(model, x, y)
    expected = reference.evaluate_on_test(twin, x, y)

    check_instance(result, dict, f"{name} should return a dict.",
                   "Return {'loss': ..., 'accuracy': ...}, or use evaluate(..., return_dict=True).")
    check_equal(sorted(result), ["accuracy", "loss"], f"{name}: the dict's keys.",
                "Use exactly the keys 'loss' and 'accuracy'.")
    for key in ("loss", "accuracy"):
        check(np.ndim(result[key]) == 0, f"{name}: {key!r} should be a single number.", "a float",
              show(result[key]), "Convert with float(...).")
    check_close(result["accuracy"], expected["accuracy"],
                f"{name}: 'accuracy' should be the accuracy on the set you were given.",
                "Evaluate on x_test and y_test (the arguments), as a fraction from 0 to 1.", rtol=0, atol=1e-6)
    check_close(result["loss"], expected["loss"], f"{name}: 'loss' should be the loss on the set you were given.",
                "Evaluate on x_test and y_test (the arguments); evaluate returns the loss first.", rtol=1e-4, atol=1e-6)


def accuracy_by_hand(
    answer: Callable, model: Any, x: np.ndarray, y: np.ndarray,
    name: str = "accuracy_by_hand(trained_model, data.x_test, data.y_test)",
) -> None:
    """Check that ``accuracy_by_hand`` returns one number that agrees with ``evaluate``'s accuracy.

    Args:
        answer: The student's ``accuracy_by_hand(model, x, y)``.
        model: A classifier compiled with ``metrics=["accuracy"]``.
        x: The inputs.
        y: Their labels.
        name: How the messages name the call. Defaults to the visible test's.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    twin = same_weights_twin(model)
    got = answer(model, x, y)
    expected = reference.evaluate_on_test(twin, x, y)["accuracy"]

    check(np.ndim(got) == 0, f"{name} should return a single number.", "a float", show(got),
          "Average the per-sample comparison: np.mean(predicted == y).")
    check_close(got, expected, f"{name} should agree with evaluate's accuracy.",
                "Take np.argmax over the last axis (axis=-1, the classes), then compare with y.", rtol=0, atol=1e-6)


def per_class_accuracy(
    answer: Callable, y_true: Sequence[int] | np.ndarray, y_pred: Sequence[int] | np.ndarray, num_classes: int
) -> None:
    """Check ``per_class_accuracy``: one value per class, ``nan`` exactly for absent classes, the right fractions.

    Args:
        answer: The student's ``per_class_accuracy(y_true, y_pred, num_classes)``.
        y_true: True labels (a list or an array; the student gets an array).
        y_pred: Predicted labels, same length.
        num_classes: Passed to ``answer``.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    name = f"per_class_accuracy({show(y_true)}, {show(y_pred)}, {num_classes})"
    got = np.asarray(answer(np.array(y_true), np.array(y_pred), num_classes), dtype=float)
    expected = reference.per_class_accuracy(np.array(y_true), np.array(y_pred), num_classes)

    check_equal(got.shape, expected.shape, f"{name}: one value per class.",
                "Return an array of length num_classes, even for classes that never occur.")
    check(bool(np.array_equal(np.isnan(got), np.isnan(expected))), f"{name}: nan exactly for classes without samples.",
          expected, got, "Give np.nan to a class that does not occur in y_true, and a number to every other.")
    known = ~np.isnan(expected)
    check(bool(np.allclose(got[known], expected[known], rtol=0, atol=1e-9)), f"{name}: the per-class accuracies.",
          expected, got, "Divide by the number of samples whose TRUE label is c (not by how often c was predicted).")
