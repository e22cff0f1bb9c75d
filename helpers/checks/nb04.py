"""Checks for notebook 04: ``fit`` on datasets, the best epoch, the generalisation gap.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). ``fit_on_datasets`` trains a fresh digits model
given by the check; the kernel sends what the function returned, the weights it
left behind and the optimizer's step count, and the judge trains the same
model on the same datasets itself (training on unshuffled datasets is
repeatable) and compares history and weights. ``best_epoch`` and
``generalization_gap`` are pure: called with the student's function alone, a
check runs the notebook's visible cases; with ``seed``, many generated
histories that include the rules' boundaries (ties, equal values, one epoch,
``nan``), each compared with the reference (``helpers.reference.nb04``) on the
judge's own copy.

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

#: The made-up four-epoch history of ``generalization_gap``'s visible test.
MADE_UP_GAP = {
    "loss":         [1.30, 0.70, 0.45, 0.33],
    "accuracy":     [0.55, 0.78, 0.90, 0.97],
    "val_loss":     [1.10, 0.62, 0.50, 0.55],
    "val_accuracy": [0.60, 0.80, 0.86, 0.85],
}

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


def _digits_datasets(n_train: int, batch_size: int) -> tuple[Any, Any]:
    """The first ``n_train`` training digits in batches of ``batch_size``, and 90 validation digits in batches of 30."""
    from helpers import tf
    from helpers.data import load_digits

    data = load_digits()
    train = tf.data.Dataset.from_tensor_slices((data.x_train[:n_train], data.y_train[:n_train])).batch(batch_size)
    val = tf.data.Dataset.from_tensor_slices((data.x_val[:90], data.y_val[:90])).batch(30)
    return train, val


def fit_on_datasets(
    answer: Callable, n_train: int = 256, batch_size: int = 64, epochs: int = 3, seed: int = 0
) -> dict[str, Any]:
    """Check ``fit_on_datasets`` on a fresh digits model and small batched datasets.

    What it returned must be the history dict with the four keys, one value per
    epoch; the model it was given must keep its optimizer (not compiled again)
    and have made ``epochs`` x batches updates. The judge trains the same model
    on the same datasets itself: the weights left behind and every value of the
    history must match its own run's.

    Args:
        answer: The student's ``fit_on_datasets(model, train_ds, val_ds, epochs)``.
        n_train: How many training digits. Defaults to 256.
        batch_size: The training batch size. Defaults to 64.
        epochs: Passed to ``answer``. Defaults to 3.
        seed: Seed of the model's initial weights. Defaults to 0.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    from helpers.models import digits_classifier

    train, val = _digits_datasets(n_train, batch_size)
    model = digits_classifier(learning_rate=0.01, seed=seed)
    optimizer = model.optimizer
    result = answer(model, train, val, epochs)
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
    train, val = _digits_datasets(n_train, batch_size)
    return model, reference.fit_on_datasets(model, train, val, epochs)


@observed_check(fit_on_datasets)
def fit_on_datasets(observed, n_train=256, batch_size=64, epochs=3, seed=0) -> None:
    name = f"fit_on_datasets(model, train_ds, val_ds, epochs={epochs})"
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
    check_equal(observed["steps"], epochs * math.ceil(n_train / batch_size),
                f"{name}: the number of weight updates should be epochs x batches in train_ds.",
                "Train on train_ds (not val_ds), for exactly `epochs` epochs.")
    model, expected = _judges_run(n_train, batch_size, epochs, seed)
    weights = observed["weights"]
    same = len(weights) == len(model.get_weights()) and all(
        np.shape(g) == w.shape and np.allclose(g, w, rtol=1e-4, atol=1e-5) for g, w in zip(weights, model.get_weights()))
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


def _gap_histories(seed: int | None) -> list[tuple[dict, str]]:
    if seed is None:
        return [(MADE_UP_GAP, "generalization_gap(made_up)")]
    rng = np.random.default_rng(seed)
    cases = [({"accuracy": [round(float(rng.uniform(0.5, 1)), 3)], "val_accuracy": [round(float(rng.uniform(0.5, 1)), 3)]},
              "generalization_gap on one epoch")]
    for length in (int(rng.integers(2, 10)), int(rng.integers(10, 40))):
        history = {key: [float(np.float32(v)) for v in rng.uniform(0.3, 1.0, length)] for key in HISTORY_KEYS}
        cases.append((history, f"generalization_gap on a {length}-epoch history"))
    diverged = {key: [float(v) for v in rng.uniform(0.3, 1.0, 5)] for key in HISTORY_KEYS}
    diverged["val_accuracy"][3] = float("nan")
    cases.append((diverged, "generalization_gap on a history with a nan val_accuracy"))
    return cases


def generalization_gap(answer: Callable, seed: int | None = None) -> dict[str, Any]:
    """Check ``generalization_gap``: one number per epoch, training minus validation accuracy.

    An epoch whose accuracy is ``nan`` must get ``nan`` (not ``None``).

    Args:
        answer: The student's ``generalization_gap(history)``.
        seed: ``None`` for the visible ``MADE_UP_GAP``; else generated histories
            of one epoch, of several, and with a ``nan``. Defaults to ``None``.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    return {"got": [plain(answer(copy.deepcopy(history))) for history, _ in _gap_histories(seed)]}


@observed_check(generalization_gap)
def generalization_gap(observed, seed=None) -> None:
    cases = _gap_histories(seed)
    check(len(observed["got"]) == len(cases), "generalization_gap: one answer per case.", len(cases),
          len(observed["got"]), "Run the test cell again.")
    for (history, name), returned in zip(cases, observed["got"]):
        expected = reference.generalization_gap(copy.deepcopy(history))
        got = numbers(returned)
        check(got is not None, f"{name}: the gaps should be numbers.", "a list or array of floats",
              show(returned), "Subtract the two lists element by element; a nan accuracy gives np.nan, not None.")
        check_equal(got.shape, expected.shape, f"{name}: one gap per epoch.",
                    "Subtract the two lists element by element, e.g. with np.asarray(...) - np.asarray(...).")
        check(bool(np.array_equal(np.isnan(got), np.isnan(expected))), f"{name}: nan exactly where an accuracy is nan.",
              expected, got, "Subtract as floats: an epoch with a nan accuracy has a nan gap.")
        known = ~np.isnan(expected)
        check_close(got[known], expected[known], f"{name}: training accuracy minus validation accuracy, per epoch.",
                    "Use history['accuracy'] - history['val_accuracy'], in that order.", rtol=1e-5, atol=1e-6)
