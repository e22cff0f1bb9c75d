"""Checks for notebook 05: ``evaluate`` against a baseline, accuracy from ``predict``, accuracy per class.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). The model checks give the student's function a
model that the check builds from its arguments (``test_model``): weights
computed from a seed in NumPy, so that the judge can rebuild the very same
model and compute the expected values itself, on its own untouched copy.
Nothing the student's function does to the model it was given (training it,
compiling it again) changes what is expected. ``evaluate_against_baseline`` also gets
training labels and a test pipeline drawn from the seed. ``per_class_accuracy`` is pure:
with ``seed`` it is compared with the reference on many generated label arrays,
absent classes included.

Used by notebook 05's test cells, e.g. ``checks.nb05.accuracy_by_hand(accuracy_by_hand)``.
"""
from __future__ import annotations

import random
from typing import Any, Callable

import numpy as np

from helpers.checks.core import check, check_close, check_equal, show
from helpers.checks.observed import observed_check
from helpers.checks.values import kind, numbers, plain
from helpers.reference import nb05 as reference

#: The models ``test_model`` builds: fitted in NumPy (softmax output), random, or fitted with a logits output.
MODEL_KINDS = ("trained", "untrained", "logits")


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


def _weights(model: str, seed: int) -> list[np.ndarray]:
    """The digits network's weights for ``model``, computed from ``seed`` in NumPy (no training run)."""
    from helpers.data import load_digits

    rng = np.random.default_rng(seed)
    w1, b1 = rng.normal(0, 0.5, (64, 32)), rng.normal(0, 0.1, 32)
    if model == "untrained":
        w2 = rng.normal(0, 0.3, (32, 10))
    else:  # the output layer that best maps the hidden features to the labels (ridge regression)
        data = load_digits()
        hidden = np.maximum(data.x_train @ w1 + b1, 0)
        w2 = 8 * np.linalg.solve(hidden.T @ hidden + np.eye(32), hidden.T @ np.eye(10)[data.y_train])
    return [w.astype(np.float32) for w in (w1, b1, w2, np.zeros(10))]


def test_model(model: str = "trained", seed: int = 0) -> Any:
    """A compiled digits classifier whose weights come from ``seed``; the same on every call.

    Args:
        model: ``"trained"`` (about 80 % accurate, softmax output),
            ``"untrained"`` (random weights) or ``"logits"`` (as trained, with a
            linear output and ``from_logits=True``). Defaults to ``"trained"``.
        seed: Seed of the weights. Defaults to 0.

    Returns:
        A model compiled with Adam, sparse categorical cross-entropy and ``metrics=["accuracy"]``.
    """
    from helpers import tf

    keras = tf.keras
    if model not in MODEL_KINDS:
        raise ValueError(f"`model` must be one of {MODEL_KINDS}, got {model!r}")
    logits = model == "logits"
    network = keras.Sequential([keras.Input(shape=(64,)), keras.layers.Dense(32, activation="relu"),
                                keras.layers.Dense(10, activation=None if logits else "softmax")])
    network.set_weights(_weights(model, seed))
    network.compile(optimizer=keras.optimizers.Adam(1e-3), metrics=["accuracy"],
                    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=logits))
    return network


def _data(split: str, n: int | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """All of ``split`` in order (``n=None``), or ``n`` of its samples drawn with ``seed``."""
    from helpers.data import load_digits

    data = load_digits()
    x, y = getattr(data, f"x_{split}"), getattr(data, f"y_{split}")
    if n is None:
        return x, y
    rows = np.random.default_rng(seed).choice(len(x), n, replace=False)
    return x[rows], y[rows]


def _call_name(function: str, model: str, split: str, n: int | None) -> str:
    samples = f"all {split} samples" if n is None else f"{n} {split} samples"
    return f"{function}(<a{'n' if model == 'untrained' else ''} {model} digits model>, <{samples}>)"


def _on_test_model(answer: Callable, model: str, split: str, n: int | None, seed: int) -> dict[str, Any]:
    state = random.getstate()
    x, y = _data(split, n, seed)
    returned = answer(test_model(model, seed), x.copy(), y.copy())
    random.setstate(state)
    return {"returned": plain(returned)}


def _baseline_data(n: int, absent: bool, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x_test, y_test, y_train)`` drawn from ``seed``: training labels with one clear majority class, and ``n``
    test digits of which about 40 % belong to another class; the training majority is rare in them (under 1/15),
    or absent."""
    from helpers.data import load_digits

    rng = np.random.default_rng(seed)
    train_major, test_major = (int(c) for c in rng.permutation(10)[:2])
    counts = rng.integers(5, 30, 10)
    counts[train_major] = counts.max() + int(rng.integers(1, 10))
    y_train = rng.permutation(np.repeat(np.arange(10), counts)).astype(np.int64)
    data = load_digits()
    major, rare = np.flatnonzero(data.y_test == test_major), np.flatnonzero(data.y_test == train_major)
    others = np.flatnonzero((data.y_test != test_major) & (data.y_test != train_major))
    k = min(round(0.4 * n), len(major))
    j = 0 if absent else int(rng.integers(1, max(2, n // 15)))  # under 1/15 of the samples: never a 10 % guess
    rows = rng.permutation(np.concatenate([rng.choice(major, k, replace=False), rng.choice(rare, j, replace=False),
                                           rng.choice(others, n - k - j, replace=False)]))
    return data.x_test[rows], data.y_test[rows], y_train


def _test_pipeline(x: np.ndarray, y: np.ndarray, batch_size: int) -> Any:
    from helpers import tf

    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size).prefetch(tf.data.AUTOTUNE)


def evaluate_against_baseline(
    answer: Callable, model: str = "trained", n: int = 60, batch_size: int = 32, absent: bool = False,
    seed: int = 0,
) -> dict[str, Any]:
    """Check ``evaluate_against_baseline``: the model's loss and accuracy on the pipeline, and the majority baseline.

    The model is ``test_model(model, seed)``, the data ``_baseline_data(n, absent, seed)``: the judge rebuilds both
    and evaluates its own copy.

    Args:
        answer: The student's ``evaluate_against_baseline(model, test_ds, y_train)``.
        model: Which ``test_model``. Defaults to ``"trained"``.
        n: How many test digits. Defaults to 60.
        batch_size: The test pipeline's batch size. Defaults to 32.
        absent: Whether the training labels' majority class is absent from the test digits. Defaults to ``False``.
        seed: Seed of the model's weights and of the labels and samples drawn. Defaults to 0.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    state = random.getstate()
    x, y, y_train = _baseline_data(n, absent, seed)
    returned = answer(test_model(model, seed), _test_pipeline(x.copy(), y.copy(), batch_size), y_train.copy())
    random.setstate(state)
    return {"returned": plain(returned)}


def _baseline_hint(got: float, y_test: np.ndarray, y_train: np.ndarray) -> str:
    train_major = int(np.argmax(np.bincount(y_train)))
    near = lambda value: abs(got - value) <= 1e-6  # noqa: E731 - a one-line test, used four times
    if near(np.bincount(y_test).max() / len(y_test)):
        return ("Take the majority class from the training labels y_train, not from the test labels: the baseline "
                "is decided before the test set is looked at.")
    if near(np.mean(y_train == train_major)):
        return ("Measure the baseline on the test labels: the share of test samples whose label is the training "
                "set's most frequent class.")
    if near(1 / 10) or near(1 / len(np.unique(y_train))):
        return "Not a uniform guess: the baseline always predicts the most frequent class of y_train."
    return ("baseline_accuracy = the share of the test labels (collected from test_ds) equal to the most frequent "
            "class of y_train, e.g. np.argmax(np.bincount(y_train)).")


def _number(value: Any) -> float | None:
    got = numbers(value)
    return None if got is None or got.ndim != 0 else float(got)


@observed_check(evaluate_against_baseline)
def evaluate_against_baseline(observed, model="trained", n=60, batch_size=32, absent=False, seed=0) -> None:
    article = "n" if model == "untrained" else ""
    name = (f"evaluate_against_baseline(<a{article} {model} digits model>, <{n} test digits in batches of "
            f"{batch_size}>, <training labels>)")
    result = observed["returned"]
    check(isinstance(result, dict) and "__object__" not in result, f"{name} should return a dict.", "a dict",
          kind(result), "Return {'loss': ..., 'accuracy': ..., 'baseline_accuracy': ...}.")
    check_equal(sorted(result), ["accuracy", "baseline_accuracy", "loss"], f"{name}: the dict's keys.",
                "Use exactly the keys 'loss', 'accuracy' and 'baseline_accuracy'.")
    for key in ("loss", "accuracy", "baseline_accuracy"):
        check(_number(result[key]) is not None, f"{name}: {key!r} should be a single number.", "a float",
              show(result[key]), "Convert with float(...).")
    x, y, y_train = _baseline_data(n, absent, seed)
    expected = reference.evaluate_against_baseline(test_model(model, seed), _test_pipeline(x, y, batch_size), y_train)
    check_close(_number(result["accuracy"]), expected["accuracy"],
                f"{name}: 'accuracy' should be the accuracy of the model as given, on test_ds.",
                "Evaluate the model as it is (no fit, no compile) on the whole of test_ds, as a fraction from 0 to 1.",
                rtol=0, atol=1e-6)
    check_close(_number(result["loss"]), expected["loss"],
                f"{name}: 'loss' should be the loss of the model as given, on test_ds.",
                "Evaluate the model as it is compiled (do not compile it again) on test_ds; with return_dict=True "
                "the loss is under 'loss'.", rtol=1e-4, atol=1e-6)
    got = _number(result["baseline_accuracy"])
    check_close(got, expected["baseline_accuracy"],
                f"{name}: 'baseline_accuracy' should be the accuracy of always predicting y_train's most frequent "
                "class, on the test labels.", _baseline_hint(got, y, y_train), rtol=0, atol=1e-6)


def accuracy_by_hand(
    answer: Callable, model: str = "trained", split: str = "test", n: int | None = None, seed: int = 0,
) -> dict[str, Any]:
    """Check that ``accuracy_by_hand`` returns one number that agrees with ``evaluate``'s accuracy.

    The model is ``test_model(model, seed)``, on ``n`` samples of ``split``
    drawn with ``seed`` (``None``: all, in order); ``n=10`` makes the outputs square, so
    that an argmax over the wrong axis gives an answer of the right shape.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    return _on_test_model(answer, model, split, n, seed)


@observed_check(accuracy_by_hand)
def accuracy_by_hand(observed, model="trained", split="test", n=None, seed=0) -> None:
    name = _call_name("accuracy_by_hand", model, split, n)
    got = _number(observed["returned"])
    check(got is not None, f"{name} should return a single number.", "a float", show(observed["returned"]),
          "Average the per-sample comparison: np.mean(predicted == y).")
    x, y = _data(split, n, seed)
    expected = reference.accuracy_by_hand(test_model(model, seed), x, y)
    check_close(got, expected, f"{name} should agree with evaluate's accuracy.",
                "Take np.argmax over the last axis (axis=-1, the classes), then compare with y.", rtol=0, atol=1e-6)


def _label_cases(y_true: Any, y_pred: Any, num_classes: int | None, seed: int | None) -> list[tuple]:
    """``(y_true, y_pred, num_classes)`` arrays: the given case, then generated ones with the rules' boundaries."""
    cases = [] if y_true is None else [(np.array(y_true), np.array(y_pred), num_classes)]
    if seed is None:
        return cases
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 11))
    labels = rng.integers(0, k, int(rng.integers(5, 60)))
    absent = labels[labels != k // 2]  # a class in the middle never occurs
    wrong = (absent + 1) % k
    cases += [
        (labels, labels.copy(), k),                                   # all correct
        (labels, (labels + 1) % k, k),                                # none correct
        (absent, np.where(rng.uniform(size=len(absent)) < 0.5, absent, wrong), k),
        (labels, labels.copy(), k + int(rng.integers(1, 4))),          # classes beyond the last label
        (np.array([int(rng.integers(0, k))]), np.array([int(rng.integers(0, k))]), k),   # one sample
        (np.full(7, k - 1), np.full(7, k // 2), k),                    # predicted but never true
    ]
    for size in (int(rng.integers(1, 20)), 300):
        y = rng.integers(0, k, size)
        cases.append((y.astype(np.int32), np.where(rng.uniform(size=size) < 0.6, y, rng.integers(0, k, size)), k))
    return cases


def per_class_accuracy(
    answer: Callable, y_true: Any = None, y_pred: Any = None, num_classes: int | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """Check ``per_class_accuracy``: one value per class, ``np.nan`` exactly for absent classes, the right fractions.

    Args:
        answer: The student's ``per_class_accuracy(y_true, y_pred, num_classes)``.
        y_true: True labels of one case (a list; the student gets an array). Defaults to ``None``.
        y_pred: Predicted labels, same length. Defaults to ``None``.
        num_classes: Passed to ``answer``. Defaults to ``None``.
        seed: With a seed, also generated cases: every class right, none right, an absent class, classes beyond
            the last label, one sample, a class predicted but never true. Defaults to ``None``.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    return {"got": [plain(answer(t.copy(), p.copy(), k))
                    for t, p, k in _label_cases(y_true, y_pred, num_classes, seed)]}


@observed_check(per_class_accuracy)
def per_class_accuracy(observed, y_true=None, y_pred=None, num_classes=None, seed=None) -> None:
    cases = _label_cases(y_true, y_pred, num_classes, seed)
    check(len(observed["got"]) == len(cases), "per_class_accuracy: one answer per case.", len(cases),
          len(observed["got"]), "Run the test cell again.")
    for (t, p, k), returned in zip(cases, observed["got"]):
        name = f"per_class_accuracy({show(t.tolist())}, {show(p.tolist())}, {k})"
        expected = reference.per_class_accuracy(t, p, k)
        got = numbers(returned)
        check(got is not None, f"{name}: the accuracies should be numbers, np.nan for a class without samples.",
              expected, show(returned), "Give np.nan (not None) to a class that does not occur in y_true.")
        check_equal(got.shape, expected.shape, f"{name}: one value per class.",
                    "Return an array of length num_classes, even for classes that never occur.")
        check(bool(np.array_equal(np.isnan(got), np.isnan(expected))),
              f"{name}: nan exactly for classes without samples.", expected, got,
              "Give np.nan to a class that does not occur in y_true, and a number to every other.")
        known = ~np.isnan(expected)
        check_close(got[known], expected[known], f"{name}: the per-class accuracies.",
                    "Divide by the number of samples whose TRUE label is c (not by how often c was predicted).",
                    rtol=1e-5, atol=1e-6)
