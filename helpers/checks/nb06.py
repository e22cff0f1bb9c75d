"""Checks for notebook 06: predicted labels, top-k classes, the confusion matrix, logits to probabilities.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). The inputs come from the arguments: the visible
case when no ``seed`` is given, else cases generated from ``seed``. For the
model exercises a case is a small softmax classifier whose weights are drawn
from the seed (or ``identity_classifier``, whose probabilities are the softmax
of its inputs, with many exact ties); the judge rebuilds it and computes the
probabilities itself. Classes whose probabilities tie may come in either order.

Used by notebook 06's test cells, e.g. ``checks.nb06.predict_top_k(predict_top_k)``.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from helpers.checks.core import check, check_close, check_equal, fail
from helpers.checks.observed import observed_check
from helpers.checks.plain import returned
from helpers.reference import nb06 as reference

#: The inputs of ``predict_top_k``'s visible test: every row of ``identity_classifier(5)``'s
#: probabilities is distinct, so the top-k classes are unique.
X5 = np.array([[0.1, 2.0, 0.5, 1.0, -1.0],
               [3.0, 0.0, 1.5, 2.2, 0.7],
               [0.0, 0.4, 0.2, -0.3, 1.1]], dtype="float32")

#: ``logits_to_probabilities``'s visible cases.
SOFTMAX_CASES = ([[2.0, 1.0, 0.1], [0.0, 0.0, 3.0]], [[1000.0, 0.0, -5.0]])
#: Two probabilities closer than this count as a tie (float32 rounding differs between batch sizes).
TIE = 1e-6


def identity_classifier(num_classes: int) -> Any:
    """A ``num_classes``-class softmax model with identity weights: its probabilities are the softmax of its inputs.

    Args:
        num_classes: Inputs and classes.

    Returns:
        An uncompiled Keras model whose answers are known exactly.

    Used by notebook 06's checks.
    """
    return _softmax_model(np.eye(num_classes, dtype="float32"), np.zeros(num_classes, dtype="float32"))


def _softmax_model(kernel: np.ndarray, bias: np.ndarray) -> Any:
    from helpers import tf

    keras = tf.keras
    model = keras.Sequential([keras.Input(shape=(kernel.shape[0],)),
                              keras.layers.Dense(kernel.shape[1], activation="softmax")])
    model.set_weights([kernel, bias])
    return model


def model_cases(seed: int | None) -> list[tuple[Any, np.ndarray, str]]:
    """``(model, x, description)`` cases: the visible one, or two drawn from ``seed``.

    From a seed: a random softmax classifier on random inputs, and
    ``identity_classifier`` on small integer inputs, whose probabilities tie
    exactly in many rows.
    """
    if seed is None:
        return [(identity_classifier(5), X5.copy(), "identity_classifier(5) on x5")]
    rng = np.random.default_rng(seed)
    n, classes, features = int(rng.integers(1, 40)), int(rng.integers(2, 11)), int(rng.integers(2, 30))
    kernel = (rng.normal(size=(features, classes)) * 1.5).astype("float32")
    bias = rng.normal(size=classes).astype("float32")
    x = rng.normal(size=(n, features)).astype("float32")
    tied_classes, tied_n = int(rng.integers(2, 11)), int(rng.integers(1, 40))
    tied = rng.integers(0, 3, size=(tied_n, tied_classes)).astype("float32")
    return [(_softmax_model(kernel, bias), x, f"a {classes}-class model on {n} samples"),
            (identity_classifier(tied_classes), tied,
             f"a {tied_classes}-class model on {tied_n} samples with tied probabilities")]


def _probabilities(seed: int | None) -> list[tuple[np.ndarray, str]]:
    return [(np.asarray(model(x, training=False), dtype=np.float64), description)
            for model, x, description in model_cases(seed)]


def _one_result_per_case(observed: Any, count: int, name: str) -> None:
    got = len(observed) if isinstance(observed, list) else type(observed).__name__
    check(isinstance(observed, list) and len(observed) == count, f"{name}: one result per case.",
          count, got, "Return one result per call.")


def predict_labels(student: Callable[..., Any], seed: int | None = None) -> dict[str, Any]:
    """Check that ``student(model, x)`` returns each sample's most probable class, as integers of shape ``(n,)``.

    Args:
        student: The student's ``predict_labels(model, x)``.
        seed: Draws two cases (see ``model_cases``); ``None`` runs the visible one. Defaults to ``None``.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    return [returned(student(model, x.copy())) for model, x, _ in model_cases(seed)]


def _judge_integers(got: dict[str, Any], shape: tuple[int, ...], classes: int, name: str, hint: str) -> np.ndarray:
    array = got["array"]
    check(array is not None, f"{name}: return a NumPy array of class indices.", f"an integer array of shape {shape}",
          got["type"], hint)
    check_equal(tuple(array.shape), shape, f"{name}: the shape of the result.", hint)
    check(array.dtype.kind in "iu", f"{name}: class indices are integers.", "an integer dtype", str(array.dtype),
          "Return class indices (np.argmax / np.argsort), not probabilities.")
    check(bool(np.all((array >= 0) & (array < classes))), f"{name}: class indices lie in 0..{classes - 1}.",
          f"values in 0..{classes - 1}", array, "Sort or reduce over the last axis (axis=-1, the classes).")
    return array


@observed_check(predict_labels)
def predict_labels(observed, seed=None) -> None:
    cases = _probabilities(seed)
    _one_result_per_case(observed, len(cases), "predict_labels")
    for got, (probabilities, description) in zip(observed, cases):
        _judge_labels(got, probabilities, f"predict_labels on {description}")


def _judge_labels(observed: dict[str, Any], probabilities: np.ndarray, name: str) -> None:
    labels = _judge_integers(observed, probabilities.shape[:1], probabilities.shape[1], name,
                             "Take np.argmax over the last axis (axis=-1, the classes).")
    chosen = probabilities[np.arange(len(labels)), labels]
    check(bool(np.all(chosen >= probabilities.max(axis=-1) - TIE)), f"{name}: the most probable class of each sample.",
          np.argmax(probabilities, axis=-1), labels,
          "Take np.argmax over the last axis, on the predictions for x (the argument).")


def predict_top_k(student: Callable[..., Any], k: int = 3, seed: int | None = None) -> dict[str, Any]:
    """Check that ``student(model, x, k)`` returns the ``k`` most probable classes per row, most probable first.

    Classes with equal probabilities may come in either order.

    Args:
        student: The student's ``predict_top_k(model, x, k)``.
        k: Passed to ``student``; with a ``seed`` it is capped at the number of classes. Defaults to 3.
        seed: Draws two cases (see ``model_cases``); ``None`` runs the visible one. Defaults to ``None``.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    return [returned(student(model, x.copy(), _k(k, int(model.output_shape[-1])))) for model, x, _ in model_cases(seed)]


def _k(k: int, classes: int) -> int:
    return max(1, min(int(k), classes))


@observed_check(predict_top_k)
def predict_top_k(observed, k=3, seed=None) -> None:
    cases = _probabilities(seed)
    _one_result_per_case(observed, len(cases), "predict_top_k")
    for got, (probabilities, description) in zip(observed, cases):
        _judge_top_k(got, probabilities, k, description)


def _judge_top_k(observed: dict[str, Any], probabilities: np.ndarray, k: int, description: str) -> None:
    n, classes = probabilities.shape
    k = _k(k, classes)
    name = f"predict_top_k with k={k} on {description}"
    top = _judge_integers(observed, (n, k), classes, name,
                          "Sort along the last axis (the classes) and keep k columns.")
    check(all(len(set(row)) == k for row in top.tolist()), f"{name}: each row lists {k} different classes.",
          "no class twice in a row", top, "Keep the first k positions of one sort of each row.")
    want = -np.sort(-probabilities, axis=-1)[:, :k]
    got = np.take_along_axis(probabilities, top, axis=-1)
    check(bool(np.all(np.abs(got - want) <= TIE)), f"{name}: the {k} most probable classes per row, most probable "
          "first.", reference.predict_top_k(_ProbabilityModel(probabilities), None, k), top,
          "np.argsort sorts ascending: sort the negated probabilities, or reverse, then keep the first k.")


class _ProbabilityModel:
    """Stands for a model whose ``predict`` returns the given probabilities (for the expected answer's display)."""

    def __init__(self, probabilities: np.ndarray):
        self.probabilities = probabilities

    def predict(self, x: Any, verbose: int = 0) -> np.ndarray:
        return self.probabilities


def confusion_cases(seed: int | None, y_true=None, y_pred=None, num_classes=None) -> list[tuple]:
    """``(y_true, y_pred, num_classes)`` cases: the given one, or generated from ``seed``.

    Generated cases include a single sample, repeated pairs, classes that
    never occur (as true labels, as predictions or at all) and the largest
    label equal to ``num_classes - 1``.
    """
    if seed is None:
        return [(np.array(y_true), np.array(y_pred), int(num_classes))]
    rng = np.random.default_rng(seed)
    cases = [(np.array([0]), np.array([0]), 1), (np.array([2, 2, 2]), np.array([0, 0, 0]), 4)]
    for _ in range(10):
        classes = int(rng.integers(2, 9))
        n = int(rng.integers(1, 60))
        used = rng.choice(classes, size=int(rng.integers(1, classes + 1)), replace=False)
        y_t = rng.choice(used, n)
        y_p = np.where(rng.uniform(size=n) < 0.5, y_t, rng.choice(used, n))
        cases.append((y_t.astype(np.int64), y_p.astype(np.int64), classes))
    return cases


def _case_name(y_true, y_pred, num_classes) -> str:
    if len(y_true) <= 8:
        return f"confusion_matrix({y_true.tolist()}, {y_pred.tolist()}, {num_classes})"
    return f"confusion_matrix on {len(y_true)} pairs, {num_classes} classes"


def confusion_matrix(
    student: Callable[..., Any], y_true: Sequence[int] | None = None, y_pred: Sequence[int] | None = None,
    num_classes: int | None = None, seed: int | None = None,
) -> list[dict[str, Any]]:
    """Check ``confusion_matrix``: shape ``(num_classes, num_classes)``, integer counts, rows true and columns
    predicted.

    Args:
        student: The student's ``confusion_matrix(y_true, y_pred, num_classes)``; it gets integer arrays.
        y_true: True labels of the one case to check (without ``seed``).
        y_pred: Predicted labels, same length.
        num_classes: The matrix's size.
        seed: Check a dozen cases generated from it instead (``confusion_cases``). Defaults to ``None``.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    return [returned(student(t.copy(), p.copy(), c)) for t, p, c in confusion_cases(seed, y_true, y_pred, num_classes)]


@observed_check(confusion_matrix)
def confusion_matrix(observed, y_true=None, y_pred=None, num_classes=None, seed=None) -> None:
    cases = confusion_cases(seed, y_true, y_pred, num_classes)
    _one_result_per_case(observed, len(cases), "confusion_matrix")
    for got, (t, p, c) in zip(observed, cases):
        name = _case_name(t, p, c)
        expected = reference.confusion_matrix(t, p, c)
        array = got["array"]
        check(array is not None, f"{name}: return a NumPy array.", "an integer array", got["type"],
              "Start from np.zeros((num_classes, num_classes), dtype=int).")
        check_equal(tuple(array.shape), expected.shape, f"{name}: shape (num_classes, num_classes).",
                    "Make the matrix num_classes x num_classes, even if some classes never occur.")
        check(array.dtype.kind in "iu", f"{name}: the entries are counts.", "an integer dtype", str(array.dtype),
              "Count with integers (dtype=int); do not normalise.")
        if np.array_equal(array, expected.T) and not np.array_equal(array, expected):
            fail(f"{name}: the matrix is transposed.", expected, array,
                 "Rows are the TRUE classes, columns the PREDICTED ones: matrix[true, predicted].")
        check(bool(np.array_equal(array, expected)), f"{name}: entry [i, j] counts true class i predicted as j.",
              expected, array, "Add 1 to matrix[t, p] for every pair; repeated pairs must count every time.")


def softmax_cases(seed: int | None, logits: Any = None) -> list[np.ndarray]:
    """Float32 logits: the given ones, the visible cases, or cases generated from ``seed``.

    Generated cases: a batch of rows, a square batch, a 3-D batch, a single
    row, equal logits, and logits in the hundreds (positive and negative).
    """
    if logits is not None:
        return [np.array(logits, dtype=np.float32)]
    if seed is None:
        return [np.array(case, dtype=np.float32) for case in SOFTMAX_CASES]
    rng = np.random.default_rng(seed)
    c = int(rng.integers(2, 12))
    return [np.array(z, dtype=np.float32) for z in (
        rng.normal(size=(int(rng.integers(2, 9)), c)) * 4, rng.normal(size=(c, c)) * 2,
        rng.normal(size=(2, int(rng.integers(2, 5)), c)), rng.normal(size=(1, c)),
        np.full((2, c), float(rng.integers(-5, 6))), rng.uniform(-1000, 1000, size=(3, c)),
    )]


def logits_to_probabilities(student: Callable[..., Any], logits: Any = None, seed: int | None = None) -> list:
    """Check ``logits_to_probabilities``: same shape, finite, rows summing to 1, one softmax over the last axis.

    Args:
        student: The student's ``logits_to_probabilities(logits)``; it gets the logits as float32.
        logits: Logits of shape ``(..., classes)``. Defaults to the visible cases, or with ``seed`` to generated ones.
        seed: Check the cases generated from it (``softmax_cases``). Defaults to ``None``.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    return [returned(student(case.copy())) for case in softmax_cases(seed, logits)]


@observed_check(logits_to_probabilities)
def logits_to_probabilities(observed, logits=None, seed=None) -> None:
    cases = softmax_cases(seed, logits)
    _one_result_per_case(observed, len(cases), "logits_to_probabilities")
    for got, case in zip(observed, cases):
        name = f"logits_to_probabilities on logits of shape {case.shape}"
        if case.size <= 6:
            name = f"logits_to_probabilities({case.tolist()})"
        check(got["array"] is not None, f"{name}: return a NumPy array.", "probabilities", got["type"],
              "Return a NumPy array (call .numpy() on a tensor).")
        _compare_softmax(np.asarray(got["array"], dtype=np.float64),
                         reference.logits_to_probabilities(case.astype(np.float64)), name)


def _compare_softmax(got: np.ndarray, expected: np.ndarray, name: str) -> None:
    check_equal(got.shape, expected.shape, f"{name}: same shape as the logits.", "Keep one probability per logit.")
    check(bool(np.all(np.isfinite(got))), f"{name}: finite probabilities.", "no nan or inf", got,
          "Subtract each row's maximum before np.exp, so exp never overflows.")
    check_close(got.sum(axis=-1), np.ones(expected.shape[:-1]), f"{name}: each row sums to 1.",
                "Normalise over the last axis (axis=-1, the classes), not over the samples.", rtol=0, atol=1e-5)
    check_close(got, expected, f"{name}: the softmax of each row.",
                "Apply exp(z) / sum(exp(z)) once, over the last axis; a second softmax flattens the result.",
                rtol=1e-4, atol=1e-6)
