"""helpers.reference.nb04: fit on a repeated dataset, and the pure readers of a History dict."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.reference.nb04 import best_epoch, fit_repeated, generalization_gap, overfitting_epoch

HISTORY = {
    "loss": [1.2, 0.6, 0.4, 0.3],
    "accuracy": [0.60, 0.80, 0.90, 0.97],
    "val_loss": [1.0, 0.5, 0.55, 0.7],
    "val_accuracy": [0.62, 0.85, 0.88, 0.86],
}


def test_best_epoch_is_numbered_from_one():
    """Is the best validation loss, at list index 1, reported as epoch 2?"""
    assert best_epoch(HISTORY) == 2
    assert best_epoch({"val_loss": [0.1, 0.5]}) == 1


def test_best_epoch_follows_mode_and_monitor():
    """Does mode='max' pick the largest value and monitor pick the list?"""
    assert best_epoch(HISTORY, "val_accuracy", "max") == 3
    assert best_epoch(HISTORY, "loss", "min") == 4
    assert best_epoch(HISTORY, "val_loss", "max") == 1


def test_best_epoch_takes_the_earliest_tie():
    """On a tie, is the earlier epoch chosen (as early stopping would)?"""
    assert best_epoch({"val_loss": [0.5, 0.3, 0.3, 0.4]}) == 2


def test_best_epoch_errors_name_the_fix():
    """Are an unknown mode and a missing metric reported with what to do?"""
    with pytest.raises(ValueError, match="mode='max'"):
        best_epoch(HISTORY, "val_accuracy", "auto")
    with pytest.raises(KeyError, match="val_acc"):
        best_epoch(HISTORY, "val_acc", "max")


def test_generalization_gap_per_epoch_in_both_directions():
    """Is the gap training minus validation for mode='max', validation minus training for mode='min'?"""
    gap = generalization_gap(HISTORY)
    np.testing.assert_allclose(gap, [-0.02, -0.05, 0.02, 0.11], atol=1e-12)
    assert gap.dtype == np.float64
    np.testing.assert_allclose(generalization_gap(HISTORY, "loss", "min"), [-0.2, -0.1, 0.15, 0.4], atol=1e-12)


def test_generalization_gap_errors_name_the_fix():
    """Do a history with only 'acc' keys and an unknown mode get errors saying what to do?"""
    with pytest.raises(KeyError, match="validation_data"):
        generalization_gap({"acc": [0.5], "val_acc": [0.4]})
    with pytest.raises(ValueError, match="mode='min' for a loss"):
        generalization_gap(HISTORY, "loss", "auto")


def test_overfitting_epoch_is_the_first_epoch_strictly_above_the_threshold():
    """Is the answer the first epoch from 1 whose gap exceeds the threshold, an equal gap not counting?"""
    assert overfitting_epoch(HISTORY, "accuracy", "max", 0.0) == 3
    assert overfitting_epoch(HISTORY, "loss", "min", 0.2) == 4
    halves = {"loss": [0.5, 0.5, 0.5], "val_loss": [0.75, 1.0, 1.25]}
    assert overfitting_epoch(halves, "loss", "min", 0.25) == 2
    assert overfitting_epoch(halves, "loss", "min", 0.75) is None


def test_overfitting_epoch_skips_nan():
    """Does an epoch with a nan value never count?"""
    history = {"accuracy": [0.9, float("nan"), 0.9], "val_accuracy": [0.9, 0.5, 0.5]}
    assert overfitting_epoch(history, "accuracy", "max", 0.1) == 3


def test_fit_repeated_runs_one_pass_per_epoch():
    """Does an epoch on a repeated dataset take ceil(n_train / batch_size) steps, and validate on the validation set?"""
    from helpers import tf
    from helpers.data import load_digits
    from helpers.models import digits_classifier

    d = load_digits()
    train_ds = tf.data.Dataset.from_tensor_slices((d.x_train[:250], d.y_train[:250])).batch(64).repeat()
    val_ds = tf.data.Dataset.from_tensor_slices((d.x_val[:100], d.y_val[:100])).batch(50)
    model = digits_classifier(0.01)
    history = fit_repeated(model, train_ds, val_ds, n_train=250, batch_size=64, epochs=3)
    assert sorted(history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(v) == 3 for v in history.values())
    assert int(model.optimizer.iterations) == 3 * 4
    final = model.evaluate(val_ds, verbose=0, return_dict=True)
    assert history["val_loss"][-1] == pytest.approx(final["loss"], rel=1e-5)
    with pytest.raises(ValueError, match="positive int"):
        fit_repeated(model, train_ds, val_ds, n_train=250, batch_size=0, epochs=1)
