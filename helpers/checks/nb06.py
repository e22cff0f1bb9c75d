"""Checks for notebook 06: predicted labels, top-k classes, the confusion matrix, logits to probabilities.

Each check takes the student's function first, then the inputs of one case
(called with the student's function alone, it runs the visible case). It
calls the student's function, and computes the expected values with the
reference answer (``helpers.reference.nb06``) on separate copies: a
same-weights twin of the model, copies of the arrays.

Used by notebook 06's test cells, e.g. ``checks.nb06.predict_top_k(predict_top_k)``.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from helpers.checks.core import check, check_close, check_equal, fail
from helpers.checks.nb05 import same_weights_twin
from helpers.reference import nb06 as reference

#: The inputs of ``predict_top_k``'s visible test: every row of ``identity_classifier(5)``'s
#: probabilities is distinct, so the top-k classes are unique.
X5 = np.array([[0.1, 2.0, 0.5, 1.0, -1.0],
               [3.0, 0.0, 1.5, 2.2, 0.7],
               [0.0, 0.4, 0.2, -0.3, 1.1]], dtype="float32")

#: ``logits_to_probabilities``'s visible cases: (logits, name).
SOFTMAX_CASES = (
    ([[2.0, 1.0, 0.1], [0.0, 0.0, 3.0]], "logits_to_probabilities([[2, 1, 0.1], [0, 0, 3]])"),
    ([[1000.0, 0.0, -5.0]], "logits_to_probabilities([[1000, 0, -5]])"),
)


def identity_classifier(num_classes: int) -> Any:
    """A ``num_classes``-class softmax model with identity weights: its probabilities are the softmax of its inputs.

    Args:
        num_classes: Inputs and classes.

    Returns:
        An uncompiled Keras model whose answers are known exactly.

    Used by notebook 06's checks.
    """
    from helpers import tf

    keras = tf.keras
    model = keras.Sequential([keras.Input(shape=(num_classes,)), keras.layers.Dense(num_classes, activation="softmax")])
    model.set_weights([np.eye(num_classes, dtype="float32"), np.zeros(num_classes, dtype="float32")])
    return model


def predict_labels(answer: Callable, model: Any, x: np.ndarray, name: str = "predict_labels(trained_model, data.x_test)") -> None:
    """Check that ``predict_labels`` returns each sample's most probable class, as integers of shape ``(n,)``.

    Args:
        answer: The student's ``predict_labels(model, x)``.
        model: A classifier.
        x: Its inputs.
        name: How the messages name the call. Defaults to the visible test's.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    twin = same_weights_twin(model)
    got = np.asarray(answer(model, x))
    expected = reference.predict_labels(twin, np.array(x))

    check_equal(got.shape, expected.shape, f"{name}: one label per sample.",
                "Take np.argmax over the last axis (axis=-1, the classes).")
    check(np.issubdtype(got.dtype, np.integer), f"{name}: labels are integers.", "an integer dtype",
          str(got.dtype), "Return class indices (np.argmax), not probabilities.")
    check(bool(np.array_equal(got, expected)), f"{name}: the most probable class of each sample.",
          expected, got, "Take np.argmax over the last axis, on the predictions for x (the argument).")


def predict_top_k(
    answer: Callable, model: Any = None, x: np.ndarray | None = None, k: int = 3,
    name: str = "predict_top_k(model, x5, 3)",
) -> None:
    """Check that ``predict_top_k`` returns the ``k`` most probable classes per row, most probable first.

    Args:
        answer: The student's ``predict_top_k(model, x, k)``.
        model: A classifier. Defaults to ``identity_classifier(5)``.
        x: Its inputs. Defaults to ``X5``.
        k: Passed to ``answer``. Defaults to 3.
        name: How the messages name the call. Defaults to the visible test's.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    model = identity_classifier(5) if model is None else model
    x = X5 if x is None else x
    twin = same_weights_twin(model)
    got = np.asarray(answer(model, np.array(x), k))
    expected = reference.predict_top_k(twin, np.array(x), k)

    check_equal(got.shape, expected.shape, f"{name}: shape (samples, k).",
                "Sort along the last axis (the classes) and keep k columns.")
    check_equal(got.tolist(), expected.tolist(),
                f"{name}: the {k} most probable classes per row, most probable first.",
                "np.argsort sorts ascending: sort the negated probabilities, or reverse, then keep the first k.")


def confusion_matrix(
    answer: Callable, y_true: Sequence[int] | np.ndarray, y_pred: Sequence[int] | np.ndarray, num_classes: int,
    name: str | None = None,
) -> None:
    """Check ``confusion_matrix``: shape ``(num_classes, num_classes)``, integer counts, rows true and columns predicted.

    Args:
        answer: The student's ``confusion_matrix(y_true, y_pred, num_classes)``.
        y_true: True labels (a list or an array; the student gets an array).
        y_pred: Predicted labels, same length.
        num_classes: Passed to ``answer``.
        name: How the messages name the call. Defaults to the call written out.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    name = name or f"confusion_matrix({list(y_true)}, {list(y_pred)}, {num_classes})"
    got = np.asarray(answer(np.array(y_true), np.array(y_pred), num_classes))
    expected = reference.confusion_matrix(np.array(y_true), np.array(y_pred), num_classes)

    check_equal(got.shape, expected.shape, f"{name}: shape (num_classes, num_classes).",
                "Make the matrix num_classes x num_classes, even if some classes never occur.")
    check(np.issubdtype(got.dtype, np.integer), f"{name}: the entries are counts.", "an integer dtype",
          str(got.dtype), "Count with integers (dtype=int); do not normalise.")
    if np.array_equal(got, expected.T) and not np.array_equal(got, expected):
        fail(f"{name}: the matrix is transposed.", expected, got,
             "Rows are the TRUE classes, columns the PREDICTED ones: matrix[true, predicted].")
    check(bool(np.array_equal(got, expected)), f"{name}: entry [i, j] counts true class i predicted as j.",
          expected, got, "Add 1 to matrix[t, p] for every pair; repeated pairs must count every time.")


def logits_to_probabilities(answer: Callable, logits: Any = None, name: str | None = None) -> None:
    """Check ``logits_to_probabilities``: same shape, finite, rows summing to 1, one softmax over the last axis.

    Args:
        answer: The student's ``logits_to_probabilities(logits)``; it gets the logits as float32.
        logits: Logits of shape ``(..., classes)``, or ``None`` for the visible cases (``SOFTMAX_CASES``).
        name: How the messages name the call (needed with ``logits``).

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    cases = SOFTMAX_CASES if logits is None else ((logits, name or "logits_to_probabilities"),)
    for case_logits, case_name in cases:
        got = np.asarray(answer(np.array(case_logits, dtype=np.float32)), dtype=np.float64)
        expected = reference.logits_to_probabilities(np.array(case_logits, dtype=np.float64))
        _compare_softmax(got, expected, case_name)


def _compare_softmax(got: np.ndarray, expected: np.ndarray, name: str) -> None:
    check_equal(got.shape, expected.shape, f"{name}: same shape as the logits.", "Keep one probability per logit.")
    check(bool(np.all(np.isfinite(got))), f"{name}: finite probabilities.", "no nan or inf", got,
          "Subtract each row's maximum before np.exp, so exp never overflows.")
    check_close(got.sum(axis=-1), np.ones(expected.shape[:-1]), f"{name}: each row sums to 1.",
                "Normalise over the last axis (axis=-1, the classes), not over the samples.", rtol=0, atol=1e-5)
    check_close(got, expected, f"{name}: the softmax of each row.",
                "Apply exp(z) / sum(exp(z)) once, over the last axis; a second softmax flattens the result.",
                rtol=1e-4, atol=1e-6)
