"""Checks for notebook 04: ``fit`` on datasets, the best epoch, the generalisation gap.

Each check takes the student's function first, builds its inputs from its
other arguments, calls the function on fresh copies, and compares what came
back with the reference answer (``helpers.reference.nb04``) or with what the
call left behind. Called with the student's function alone, a check runs the
notebook's visible cases; the hidden tests pass other inputs.

Used by notebook 04's test cells.
"""
from __future__ import annotations

import copy
import math
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from helpers.checks.core import check, check_close, check_equal, check_instance
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
) -> None:
    """Check ``fit_on_datasets`` on a fresh digits model and small batched datasets.

    What it returned must be the history dict with the four keys, one value
    per epoch; what it left behind must be ``epochs`` x batches weight updates
    and a model whose loss on the validation set is the last ``'val_loss'``.

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
    name = f"fit_on_datasets(model, train_ds, val_ds, epochs={epochs})"

    result = answer(model, train, val, epochs)
    steps = int(model.optimizer.iterations)
    # The trained model's own loss on val_ds: what the last 'val_loss' must report.
    final_val_loss = model.evaluate(val, verbose=0, return_dict=True)["loss"]

    check_instance(result, dict, f"{name} should return the history dict.",
                   "Return `history.history`, the dict inside the History object that fit returns.")
    for key in HISTORY_KEYS:
        check(key in result, f"{name}: the history should hold {key!r}.", repr(key), sorted(result),
              "Pass the validation dataset as validation_data=val_ds.")
        check_equal(len(result[key]), epochs, f"{name}: {key!r} should hold one value per epoch.",
                    "Call fit once, with epochs=epochs.")
    check_equal(steps, epochs * math.ceil(n_train / batch_size),
                f"{name}: the number of weight updates should be epochs x batches in train_ds.",
                "Train on train_ds (not val_ds), for exactly `epochs` epochs.")
    check_close(result["val_loss"][-1], final_val_loss, f"{name}: the last 'val_loss' should be the loss on val_ds.",
                "Give fit validation_data=val_ds, the validation dataset you were passed.", rtol=1e-4, atol=1e-5)


def best_epoch(
    answer: Callable,
    history: Mapping[str, Sequence[float]] | None = None,
    cases: Sequence[tuple[str, str, str, str]] | None = None,
) -> None:
    """Check ``best_epoch`` against the reference on each case.

    Args:
        answer: The student's ``best_epoch(history, monitor, mode)``.
        history: The history dict. Defaults to ``MADE_UP``.
        cases: ``(monitor, mode, what, hint)`` tuples: the call's arguments and
            the message if it is wrong. Defaults to ``BEST_EPOCH_CASES``.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    history = MADE_UP if history is None else history
    for monitor, mode, what, hint in BEST_EPOCH_CASES if cases is None else cases:
        got = answer(copy.deepcopy(history), monitor, mode)
        expected = reference.best_epoch(copy.deepcopy(history), monitor, mode)
        check_equal(got, expected, what, hint)


def generalization_gap(
    answer: Callable, history: Mapping[str, Sequence[float]] | None = None,
    name: str = "generalization_gap(made_up)",
) -> None:
    """Check ``generalization_gap``: one value per epoch, training minus validation accuracy.

    Args:
        answer: The student's ``generalization_gap(history)``.
        history: The history dict. Defaults to ``MADE_UP_GAP``.
        name: How the messages name the call. Defaults to the visible test's.

    Raises:
        CheckFailed: with what was expected, what came back and a hint.
    """
    history = MADE_UP_GAP if history is None else history
    got = answer(copy.deepcopy(history))
    expected = reference.generalization_gap(copy.deepcopy(history))
    check_equal(np.shape(got), expected.shape, f"{name}: one gap per epoch.",
                "Subtract the two lists element by element, e.g. with np.asarray(...) - np.asarray(...).")
    check_close(got, expected, f"{name}: training accuracy minus validation accuracy, per epoch.",
                "Use history['accuracy'] - history['val_accuracy'], in that order.", rtol=1e-5, atol=1e-6)
