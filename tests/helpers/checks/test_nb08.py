"""helpers.checks.nb08: the early-stopping checks accept the reference answers and name each mistake."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import checks, tf
from helpers.callbacks import tiny_model
from helpers.checks import CheckFailed
from helpers.checks.nb08 import drive
from helpers.reference import nb08 as reference

keras = tf.keras


class NeverResets(reference.PatienceStopping):
    """The reference rule, with its state set once in __init__ and never again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        super().on_train_begin()

    def on_train_begin(self, logs=None):
        pass


class IgnoresMode(reference.PatienceStopping):
    """The reference rule, always treating lower as better."""

    def _improves(self, value):
        return self.best is None or value < self.best - self.min_delta


def test_the_reference_answers_pass():
    """Do the checks accept the reference answers, with visible and hidden-style arguments?"""
    checks.nb08.epochs_until_stop(reference.epochs_until_stop)
    checks.nb08.epochs_until_stop(reference.epochs_until_stop, [([0.3], 1, 0.0)], seed=8, count=5)
    checks.nb08.patience_stopping_stops(reference.PatienceStopping, seed=0)
    checks.nb08.patience_stopping_restores(reference.PatienceStopping, [], seed=1)
    checks.nb08.patience_stopping_resets(reference.PatienceStopping, [], patience=0, how="direct", seed=2)
    checks.nb08.patience_stopping_stops(reference.PatienceStopping)
    checks.nb08.patience_stopping_restores(reference.PatienceStopping)
    checks.nb08.patience_stopping_resets(reference.PatienceStopping, [[0.5, 0.1, 0.3], [0.9, 0.8]], patience=1,
                                         how="direct")


@pytest.mark.parametrize("seed", range(5))
def test_every_seed_reaches_the_rules_boundaries(seed):
    """Do the cases drawn from any seed hold patience=0, equal values, an exact min_delta margin and one epoch?"""
    cases = checks.nb08.until_stop_cases(None, seed)
    assert any(p == 0 for _, p, _ in cases) and any(len(v) == 1 for v, _, _ in cases)
    assert any(len(set(v)) < len(v) for v, _, _ in cases)
    assert any(d > 0 and any(a - b == d for a, b in zip(v, v[1:])) for v, _, d in cases)
    checks.nb08.epochs_until_stop(reference.epochs_until_stop, [], seed=seed)


@pytest.mark.parametrize("wrong", ["wait > patience", "value <= best - min_delta", "best follows every value"])
def test_drawn_cases_reject_boundary_mistakes(wrong):
    """Do the drawn cases reject rules that differ from the reference only at a boundary?"""
    def rule(val_losses, patience, min_delta):
        best, wait = None, 0
        for epoch, loss in enumerate(val_losses):
            better = best is None or (loss <= best - min_delta if wrong == "value <= best - min_delta"
                                      else loss < best - min_delta)
            if better:
                best, wait = loss, 0
                continue
            if wrong == "best follows every value" and loss < best:
                best = loss
            wait += 1
            if wait > patience if wrong == "wait > patience" else wait >= patience:
                return epoch + 1
        return len(val_losses)

    with pytest.raises(CheckFailed, match="epochs_until_stop"):
        checks.nb08.epochs_until_stop(rule, [], seed=11)


def test_random_cases_catch_an_off_by_one():
    """Does an off-by-one patience that passes a hand-picked case fail on the seeded random cases?"""
    def one_late(val_losses, patience, min_delta):  # stops when wait > patience
        return reference.epochs_until_stop(val_losses, patience + 1, min_delta)

    with pytest.raises(CheckFailed, match="epochs_until_stop"):
        checks.nb08.epochs_until_stop(one_late, [], seed=8, count=30)


def test_ignoring_mode_gets_the_max_hint():
    """Is a callback that treats every monitor as a loss told to check self.mode?"""
    with pytest.raises(CheckFailed, match="check self.mode"):
        checks.nb08.patience_stopping_stops(IgnoresMode)


def test_a_callback_that_never_resets_fails_only_the_reset_check():
    """Does a callback without on_train_begin state pass the stopping cases but fail the reuse check?"""
    checks.nb08.patience_stopping_stops(NeverResets)
    with pytest.raises(CheckFailed, match="a reused PatienceStopping"):
        checks.nb08.patience_stopping_resets(NeverResets)


def test_drive_marks_each_epoch_and_stops_where_the_callback_says():
    """Does drive set recognisable weights per epoch and end the loop when stop_training is set?"""
    model = tiny_model(0)
    start = model.get_weights()
    ran, weights = drive(keras.callbacks.EarlyStopping(patience=1), {"val_loss": [0.5, 0.6, 0.4]}, model)
    assert ran == 2 and len(weights) == 2
    np.testing.assert_allclose(weights[1][0], start[0] + 2)
