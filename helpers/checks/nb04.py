"""Checks for notebook 04: ``fit`` on a repeated dataset, the best epoch, the epoch overfitting starts.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). ``fit_repeated`` trains a fresh digits model
given by the check on a training dataset that repeats; the kernel sends what
the function returned, the weights it left behind and the optimizer's step
count, and the judge trains the same model on the same datasets itself
(training on unshuffled datasets is repeatable) and compares history and
weights. ``best_epoch`` and ``overfitting_epoch`` are pure: called with the
student's function alone, a check runs the notebook's visible cases; with
``seed``, many generated histories that include the rules' boundaries (ties,
gaps equal to the threshold, one epoch, ``nan``), each compared with the
reference (``helpers.reference.nb04``) on the judge's own copy.

Used by notebook 04's test cells.
"""
from __future__ import annotations

import copy
import math
from typing import Any, Callable

import numpy as np

from helpers.checks.core import check, check_close, check_equal, show
from helpers.checks.observed import observed_check
from helpers.checks.values import kind, numbers, plain
from helpers.reference import nb04 as reference

#: The made-up six-epoch history of ``best_epoch``'s visible test ("made_up" in its messages).
MADE_UP = {
    "loss":         [1.30, 0.70, 0.45, 0.33, 0.25, 0.20],
    "accuracy":     [0.55, 0.78, 0.86, 0.90, 0.93, 0.95],
    "val_loss":     [1.10, 0.62, 0.48, 0.51, 0.56, 0.60],
    "val_accuracy": [0.60, 0.80, 0.85, 0.88, 0.87, 0.86],
}

#: ``overfitting_epoch``'s visible cases on ``MADE_UP``: (metric, mode, threshold, what, hint).
OVERFIT_CASES = (
    ("accuracy", "max", 0.05,
     "overfitting_epoch(made_up, 'accuracy', 'max', 0.05): training minus validation accuracy is "
     "-0.05, -0.02, 0.01, 0.02, 0.06, 0.09; the first gap above 0.05 is at list index 4.",
     "With mode='max' (an accuracy) the gap is history[metric] - history['val_' + metric], training minus validation."),
    ("loss", "min", 0.1,
     "overfitting_epoch(made_up, 'loss', 'min', 0.1): validation minus training loss is "
     "-0.20, -0.08, 0.03, 0.18, 0.31, 0.40; the first gap above 0.1 is at list index 3.",
     "With mode='min' (a loss) the gap is history['val_' + metric] - history[metric], validation minus training."),
    ("accuracy", "max", 0.1,
     "overfitting_epoch(made_up, 'accuracy', 'max', 0.1): no accuracy gap is above 0.1.",
     "Return None when no epoch's gap is larger than the threshold."),
)

#: ``best_epoch``'s visible cases on ``MADE_UP``: (monitor, mode, what, hint).
BEST_EPOCH_CASES = (
    ("val_loss", "min", "best_epoch(made_up, 'val_loss', 'min'): the lowest val_loss, 0.48, is at list index 2.",
     "Number epochs from 1: return the list index plus 1."),
    ("val_accuracy", "max",
     "best_epoch(made_up, 'val_accuracy', 'max'): the highest val_accuracy, 0.88, is at list index 3.",
     "With mode='max' the largest value is best (np.argmax); with mode='min' the smallest (np.argmin)."),
    ("loss", "min", "best_epoch(made_up, 'loss', 'min'): the training loss is lowest in the last epoch.",
     "Look up the list history[monitor], not always 'val_loss'."),
)

HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")


#: How many times the checks' training datasets repeat, beyond the epochs asked for: enough for
#: ``steps_per_epoch`` x ``epochs`` batches when the answer is right, and a finite end when it is not.
EXTRA_REPEATS = 2


def _digits_datasets(n_train: int, batch_size: int, epochs: int) -> tuple[Any, Any]:
    """The first ``n_train`` training digits in batches of ``batch_size``, repeated ``epochs + EXTRA_REPEATS``
    times, and 90 validation digits in batches of 30."""
    from helpers import tf
    from helpers.data import load_digits

    data = load_digits()
    train = (tf.data.Dataset.from_tensor_slices((data.x_train[:n_train], data.y_train[:n_train]))
             .batch(batch_size).repeat(epochs + EXTRA_REPEATS))
    val = tf.data.Dataset.from_tensor_slices((data.x_val[:90], data.y_val[:90])).batch(30)
    return train, val


def fit_repeated(
    answer: Callable, n_train: int = 250, batch_size: int = 64, epochs: int = 3, seed: int = 0
) -> dict[str, Any]:
    """Check ``fit_repeated`` on a fresh digits model, a repeated training dataset and a finite validation one.

    What it returned must be the history dict with the four keys, one value per
    epoch; the model it was given must keep its optimizer (not compiled again)
    and have made ``epochs`` x ``ceil(n_train / batch_size)`` updates. The
    judge trains the same model on the same datasets itself: the weights left
    behind and every value of the history must match its own run's.

    Args:
        answer: The student's ``fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs)``.
        n_train: How many training digits one pass holds. Defaults to 250.
        batch_size: The training batch size. Defaults to 64.
        epochs: Passed to ``answer``. Defaults to 3.
        seed: Seed of the model's initial weights. Defaults to 0.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    from helpers.models import digits_classifier

    train, val = _digits_datasets(n_train, batch_size, epochs)
    model = digits_classifier(learning_rate=0.01, seed=seed)
    optimizer = model.optimizer
    result = answer(model, train, val, n_train, batch_size, epochs)
    return {"returned": plain(result), "weights": model.get_weights(), "same_optimizer": model.optimizer is optimizer,
            "steps": int(optimizer.iterations)}


_JUDGES_MODEL: list = []


def _judges_run(n_train: int, batch_size: int, epochs: int, seed: int) -> tuple[Any, dict[str, list[float]]]:
    """The reference run, on the judge's own model: the model and the history dict.

    A fresh model's first ``fit`` costs seconds of set-up, so the judge keeps
    one model, gives it the seeded initial weights and zeroes its optimizer's
    state: the run is the same as on a fresh ``digits_classifier(0.01, seed)``.
    """
    from helpers.models import digits_classifier

    fresh = digits_classifier(learning_rate=0.01, seed=seed)
    if not _JUDGES_MODEL:
        _JUDGES_MODEL.append(fresh)
    model = _JUDGES_MODEL[0]
    model.set_weights(fresh.get_weights())
    for variable in model.optimizer.variables:
        if "learning_rate" not in variable.path:
            variable.assign(np.zeros(variable.shape, variable.dtype))
    train, val = _digits_datasets(n_train, batch_size, epochs)
    return model, reference.fit_repeated(model, train, val, n_train, batch_size, epochs)


def _steps_hint(steps: int, n_train: int, batch_size: int, epochs: int) -> str:
    if steps == epochs * (n_train // batch_size):
        return ("Round up: the last, smaller batch is a step too, so one pass is math.ceil(n_train / batch_size) "
                "batches, not n_train // batch_size.")
    if steps == epochs * n_train:
        return "steps_per_epoch counts batches, not samples: n_train samples make ceil(n_train / batch_size) batches."
    return ("Pass steps_per_epoch=math.ceil(n_train / batch_size) and epochs=epochs: a repeated dataset has no end, "
            "so without steps_per_epoch fit reads it to its end in the first epoch.")


@observed_check(fit_repeated)
def fit_repeated(observed, n_train=250, batch_size=64, epochs=3, seed=0) -> None:
    name = f"fit_repeated(model, train_ds, val_ds, n_train={n_train}, batch_size={batch_size}, epochs={epochs})"
    result = observed["returned"]
    check(isinstance(result, dict) and "__object__" not in result, f"{name} should return the history dict.",
          "a dict", kind(result), "Return `history.history`, the dict inside the History object that fit returns.")
    for key in HISTORY_KEYS:
        check(key in result, f"{name}: the history should hold {key!r}.", repr(key), sorted(result),
              "Pass the validation dataset as validation_data=val_ds.")
        check(isinstance(result[key], list) and len(result[key]) == epochs,
              f"{name}: {key!r} should hold one value per epoch.", f"{epochs} values", show(result[key]),
              "Call fit once, with epochs=epochs, and return history.history as it is.")
    check(observed["same_optimizer"] is True, f"{name} should train the model as it was given, already compiled.",
          "the model's own optimizer", "a new optimizer", "Do not call model.compile again: just call model.fit.")
    steps = epochs * math.ceil(n_train / batch_size)
    check(observed["steps"] == steps,
          f"{name}: the number of weight updates should be epochs x the batches in one pass over n_train samples.",
          steps, observed["steps"], _steps_hint(observed["steps"], n_train, batch_size, epochs))
    model, expected = _judges_run(n_train, batch_size, epochs, seed)
    weights = observed["weights"]
    want = model.get_weights()
    same = len(weights) == len(want) and all(
        np.shape(g) == w.shape and np.allclose(g, w, rtol=1e-4, atol=1e-5) for g, w in zip(weights, want))
    check(same, f"{name}: the weights after training should be those of {epochs} epochs on train_ds.",
          "the weights of the judge's own run", "other weights",
          "Train the model you were given on train_ds, once, for `epochs` epochs, and nothing else.")
    for key, hint in (("loss", "Return the history of the fit call that trained the model."),
                      ("accuracy", "Return the history of the fit call that trained the model."),
                      ("val_loss", "Give fit validation_data=val_ds, the validation dataset you were passed."),
                      ("val_accuracy", "Give fit validation_data=val_ds, the validation dataset you were passed.")):
        got = numbers(result[key])
        check(got is not None, f"{name}: {key!r} should hold numbers.", "floats", show(result[key]), hint)
        check_close(got, expected[key], f"{name}: the {key!r} of each epoch.", hint, rtol=1e-4, atol=1e-5)


def _named(history: dict, monitor: str) -> str:
    return f"best_epoch(<history[{monitor!r}] = {show(list(history[monitor]))}>"


def _generated_histories(seed: int) -> list[tuple[dict, str, str, str]]:
    """``(history, monitor, mode, what)``: the made-up history in every mode, one epoch, equal values, ties..."""
    rng = np.random.default_rng(seed)
    cases = [(MADE_UP, monitor, mode, f"best_epoch(made_up, {monitor!r}, {mode!r})")
             for monitor in HISTORY_KEYS for mode in ("min", "max")]
    single = {"val_loss": [round(float(rng.uniform(0.1, 2.0)), 3)], "loss": [round(float(rng.uniform(0.1, 2.0)), 3)]}
    level = round(float(rng.uniform(0.0, 1.0)), 2)
    flat = {"val_accuracy": [level] * int(rng.integers(2, 9)), "val_loss": list(rng.uniform(0, 1, 3).round(3))}
    generated = [(single, "val_loss", "min"), (single, "loss", "max"), (flat, "val_accuracy", "max"),
                 (flat, "val_accuracy", "min")]
    for _ in range(16):
        length = int(rng.integers(2, 41))
        history = {key: (rng.integers(0, 5, length) / 4).tolist() for key in ("val_loss", "val_auc", "loss")}
        generated.append((history, str(rng.choice(list(history))), str(rng.choice(["min", "max"]))))
    return cases + [(h, m, mode, f"{_named(h, m)}, {m!r}, {mode!r})") for h, m, mode in generated]


def _best_epoch_cases(seed: int | None) -> list[tuple[dict, str, str, str]]:
    if seed is None:
        return [(MADE_UP, monitor, mode, what) for monitor, mode, what, _ in BEST_EPOCH_CASES]
    return _generated_histories(seed)


def best_epoch(answer: Callable, seed: int | None = None) -> dict[str, Any]:
    """Check ``best_epoch`` against the reference on each case.

    Args:
        answer: The student's ``best_epoch(history, monitor, mode)``.
        seed: ``None`` for the visible cases on ``MADE_UP``; else the made-up
            history in every mode plus generated histories with one epoch,
            equal values and ties. Defaults to ``None``.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    return {"got": [plain(answer(copy.deepcopy(history), monitor, mode))
                    for history, monitor, mode, _ in _best_epoch_cases(seed)]}


def _best_epoch_hint(got: Any, history: dict, monitor: str, mode: str, visible_hint: str | None) -> str:
    values = np.asarray(history[monitor], dtype=np.float64)
    best = values.min() if mode == "min" else values.max()
    earliest, latest = int(np.flatnonzero(values == best)[0]), int(np.flatnonzero(values == best)[-1])
    other = reference.best_epoch(history, monitor, "max" if mode == "min" else "min")
    if got == earliest:
        return "Number epochs from 1: return the list index plus 1."
    if got == latest + 1 and latest != earliest:
        return "If several epochs tie, return the earliest (np.argmin and np.argmax already do)."
    if got == other and visible_hint is None:
        return "With mode='max' the largest value is best (np.argmax); with mode='min' the smallest (np.argmin)."
    if isinstance(got, float):
        return "Return an int, e.g. int(index) + 1."
    return visible_hint or "Look up the list history[monitor]; with mode='min' the smallest value is best."


@observed_check(best_epoch)
def best_epoch(observed, seed=None) -> None:
    cases = _best_epoch_cases(seed)
    hints = {(m, mode): hint for m, mode, _, hint in BEST_EPOCH_CASES} if seed is None else {}
    check(len(observed["got"]) == len(cases), "best_epoch: one answer per case.", len(cases), len(observed["got"]),
          "Run the test cell again.")
    for (history, monitor, mode, what), got in zip(cases, observed["got"]):
        expected = reference.best_epoch(copy.deepcopy(history), monitor, mode)
        check_equal(got, expected, f"{what} is wrong.",
                    _best_epoch_hint(got, history, monitor, mode, hints.get((monitor, mode))))


def _generated_runs(seed: int) -> list[tuple[dict, str, str, float]]:
    """``(history, metric, mode, threshold)`` drawn from ``seed``: values in sixteenths, so every gap is exact.

    Both modes and three metrics, one epoch, thresholds equal to a gap (which
    does not count), to the largest gap (``None``) and below every gap (epoch
    1), gaps that grow and shrink again, a ``nan`` where the answer would
    otherwise be, and the other metrics in every history.
    """
    rng = np.random.default_rng(seed)
    runs = []
    for i in range(14):
        metric = ("accuracy", "loss", "auc")[(i // 2) % 3]
        mode = "max" if i % 2 else "min"
        length = 1 if i < 2 else int(rng.integers(2, 25))
        train = rng.integers(0, 17, length) / 16
        gaps = (np.cumsum(rng.integers(-1, 3, length)) - int(rng.integers(0, 5))) / 16  # a gap that tends to grow
        if i % 3 == 2:  # a gap that grows, then shrinks again: the last epoch is not above the threshold
            gaps = np.minimum(gaps, gaps[::-1])
        val = train - gaps if mode == "max" else train + gaps
        history = {key: (rng.integers(0, 17, length) / 16).tolist()  # the other metrics, to read the right one
                   for name in ("accuracy", "loss", "auc") for key in (name, "val_" + name)}
        history.update({metric: train.tolist(), "val_" + metric: val.tolist()})
        threshold = float((gaps[-1], gaps[rng.integers(0, length)], gaps.max(), gaps.min() - 1 / 16,
                           rng.integers(-4, 5) / 16)[0 if i % 3 == 2 else 1 + i % 4])
        runs.append((history, metric, mode, threshold))
        first = reference.overfitting_epoch(history, metric, mode, threshold)
        if first is not None and i % 3 == 0:  # the same run with a nan where the answer was
            spoilt = copy.deepcopy(history)
            spoilt[("val_" + metric) if i % 2 else metric][first - 1] = float("nan")
            runs.append((spoilt, metric, mode, threshold))
    return runs


def _overfit_cases(seed: int | None) -> list[tuple[dict, str, str, float, str]]:
    if seed is None:
        return [(MADE_UP, metric, mode, threshold, what) for metric, mode, threshold, what, _ in OVERFIT_CASES]
    return [(history, metric, mode, threshold,
             f"overfitting_epoch(<history[{metric!r}] = {show(history[metric])}, history['val_{metric}'] = "
             f"{show(history['val_' + metric])}>, {metric!r}, {mode!r}, {threshold!r})")
            for history, metric, mode, threshold in _generated_runs(seed)]


def overfitting_epoch(answer: Callable, seed: int | None = None) -> dict[str, Any]:
    """Check ``overfitting_epoch``: the first epoch (from 1) whose gap is strictly above the threshold, or ``None``.

    Args:
        answer: The student's ``overfitting_epoch(history, metric, mode, threshold)``.
        seed: ``None`` for the visible cases on ``MADE_UP``; else generated runs
            in both modes with gaps equal to the threshold, none above it, a
            ``nan`` and a single epoch. Defaults to ``None``.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    return {"got": [plain(answer(copy.deepcopy(history), metric, mode, threshold))
                    for history, metric, mode, threshold, _ in _overfit_cases(seed)]}


def _gaps(history: dict, metric: str, mode: str) -> np.ndarray:
    return reference.generalization_gap(history, metric, mode)


def _overfit_hint(got: Any, history: dict, metric: str, mode: str, threshold: float) -> str:
    expected = reference.overfitting_epoch(history, metric, mode, threshold)
    gaps = _gaps(history, metric, mode)
    reached = np.flatnonzero(gaps >= threshold)
    if isinstance(got, float):
        return "Return an int (or None), e.g. int(index) + 1."
    if expected is not None and got == expected - 1:
        return "Number epochs from 1: return the list index plus 1."
    if len(reached) and got == int(reached[0]) + 1:
        return "Only a gap strictly larger than the threshold counts: an epoch whose gap equals it does not."
    if got == reference.overfitting_epoch(history, metric, "max" if mode == "min" else "min", threshold):
        return ("Mind the direction: with mode='max' the gap is training minus validation, with mode='min' "
                "validation minus training.")
    if expected is None:
        return "Return None when no epoch's gap is larger than the threshold."
    return "Compute the gap of history[metric] and history['val_' + metric] per epoch, then take the first one above."


@observed_check(overfitting_epoch)
def overfitting_epoch(observed, seed=None) -> None:
    cases = _overfit_cases(seed)
    hints = {(m, mode, t): hint for m, mode, t, _, hint in OVERFIT_CASES} if seed is None else {}
    check(len(observed["got"]) == len(cases), "overfitting_epoch: one answer per case.", len(cases),
          len(observed["got"]), "Run the test cell again.")
    for (history, metric, mode, threshold, what), got in zip(cases, observed["got"]):
        expected = reference.overfitting_epoch(copy.deepcopy(history), metric, mode, threshold)
        hint = hints.get((metric, mode, threshold)) or _overfit_hint(got, history, metric, mode, threshold)
        check_equal(got, expected, f"{what} is wrong.", hint)
