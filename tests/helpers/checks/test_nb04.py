"""helpers.checks.nb04: the checks accept the reference answers and name what a wrong answer got wrong."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import CheckFailed, nb04
from helpers.reference import nb04 as reference


@pytest.mark.parametrize("seed", [None, 0, 2**31 - 1])
def test_best_epoch_accepts_the_reference_on_visible_and_generated_cases(seed):
    """Do the visible cases and the generated ones (any seed) pass the reference answer?"""
    nb04.best_epoch(reference.best_epoch, seed=seed)


def test_best_epoch_off_by_one_gets_the_numbering_hint():
    """Is a 0-based answer rejected with the 'number epochs from 1' message?"""
    with pytest.raises(CheckFailed, match="Number epochs from 1"):
        nb04.best_epoch(lambda history, monitor, mode: reference.best_epoch(history, monitor, mode) - 1)


def test_best_epoch_latest_of_ties_is_rejected_by_generated_histories():
    """Does the last of tied epochs (which the visible cases cannot tell apart) fail on the generated ones?"""
    def latest(history, monitor, mode):
        values = np.asarray(history[monitor])[::-1]
        return len(values) - int(np.argmin(values) if mode == "min" else np.argmax(values))

    nb04.best_epoch(latest)
    with pytest.raises(CheckFailed, match="earliest"):
        nb04.best_epoch(latest, seed=3)


def test_best_epoch_answer_cannot_change_the_expected_value():
    """Does an answer that empties the history still get compared with the untouched history's best epoch?"""
    def clears(history, monitor, mode):
        history[monitor].clear()
        return 1

    with pytest.raises(CheckFailed, match="expected: 3"):
        nb04.best_epoch(clears)


@pytest.mark.parametrize("seed", [None, 0, 2**31 - 1])
def test_overfitting_epoch_accepts_the_reference_on_visible_and_generated_cases(seed):
    """Do the visible cases and the generated ones (any seed) pass the reference answer?"""
    nb04.overfitting_epoch(reference.overfitting_epoch, seed=seed)


def _first_above(gaps, threshold, strict=True):
    above = np.flatnonzero(gaps > threshold if strict else gaps >= threshold)
    return int(above[0]) + 1 if len(above) else None


def test_overfitting_epoch_reversed_mode_gets_the_direction_hint():
    """Is a gap taken the wrong way round for a loss rejected, with the visible case's direction hint?"""
    def like_accuracy(history, metric, mode, threshold):
        return _first_above(np.asarray(history[metric]) - np.asarray(history["val_" + metric]), threshold)

    with pytest.raises(CheckFailed, match="validation minus training"):
        nb04.overfitting_epoch(like_accuracy)


def test_overfitting_epoch_equal_gap_is_rejected_only_by_generated_runs():
    """Does >= (which the visible cases cannot tell apart) fail on the generated runs with the 'strictly' hint?"""
    def at_least(history, metric, mode, threshold):
        return _first_above(reference.generalization_gap(history, metric, mode), threshold, strict=False)

    nb04.overfitting_epoch(at_least)
    with pytest.raises(CheckFailed, match="strictly larger"):
        nb04.overfitting_epoch(at_least, seed=3)


def test_overfitting_epoch_generated_runs_hold_the_rules_boundaries():
    """Does every seed's set hold both modes, one epoch, a None answer, a threshold met exactly, and a nan?"""
    for seed in (0, 1, 2**31 - 1):
        runs = nb04._generated_runs(seed)
        assert {mode for _, _, mode, _ in runs} == {"min", "max"}
        assert any(len(h[m]) == 1 for h, m, _, _ in runs)
        assert any(reference.overfitting_epoch(h, m, mode, t) is None for h, m, mode, t in runs)
        assert any(np.any(reference.generalization_gap(h, m, mode) == t) for h, m, mode, t in runs)
        assert any(np.isnan(np.concatenate([h[m], h["val_" + m]])).any() for h, m, _, _ in runs)


def test_fit_repeated_accepts_the_reference_and_rejects_rounding_down():
    """Does the reference pass, and does n_train // batch_size (the last smaller batch left out) fail with the hint?"""
    nb04.fit_repeated(reference.fit_repeated, n_train=70, batch_size=32, epochs=2)

    def floor(model, train_ds, val_ds, n_train, batch_size, epochs):
        return model.fit(train_ds, epochs=epochs, steps_per_epoch=n_train // batch_size, validation_data=val_ds,
                         verbose=0).history

    with pytest.raises(CheckFailed, match="Round up"):
        nb04.fit_repeated(floor, n_train=70, batch_size=32, epochs=2)


def test_fit_repeated_rejects_a_missing_steps_per_epoch_and_validating_on_train():
    """Does leaving out steps_per_epoch fail on the updates, and validating on the training set on val_loss?"""
    def no_steps(model, train_ds, val_ds, n_train, batch_size, epochs):
        return model.fit(train_ds, epochs=epochs, validation_data=val_ds, verbose=0).history

    def on_train(model, train_ds, val_ds, n_train, batch_size, epochs):
        steps = -(-n_train // batch_size)
        return model.fit(train_ds, epochs=epochs, steps_per_epoch=steps, validation_data=train_ds.take(steps),
                         verbose=0).history

    with pytest.raises(CheckFailed, match="steps_per_epoch"):
        nb04.fit_repeated(no_steps, n_train=64, batch_size=32, epochs=2)
    with pytest.raises(CheckFailed, match="'val_loss' of each epoch"):
        nb04.fit_repeated(on_train, n_train=64, batch_size=32, epochs=2)


def test_fit_repeated_rejects_a_recompiled_model_and_extra_training():
    """Is compiling the model again rejected, and so is training it once more after the recorded run?"""
    def recompiles(model, train_ds, val_ds, n_train, batch_size, epochs):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return reference.fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs)

    def trains_twice(model, train_ds, val_ds, n_train, batch_size, epochs):
        history = reference.fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs)
        model.fit(val_ds, epochs=1, verbose=0)
        return history

    with pytest.raises(CheckFailed, match="as it was given"):
        nb04.fit_repeated(recompiles, n_train=64, batch_size=32, epochs=2)
    with pytest.raises(CheckFailed, match="weight updates|weights after training"):
        nb04.fit_repeated(trains_twice, n_train=64, batch_size=32, epochs=2)


def test_made_up_histories_match_the_visible_messages():
    """Do the numbers quoted in the visible messages (0.48 at index 2, 0.88 at index 3, the gaps) match MADE_UP?"""
    assert int(np.argmin(nb04.MADE_UP["val_loss"])) == 2 and nb04.MADE_UP["val_loss"][2] == 0.48
    assert int(np.argmax(nb04.MADE_UP["val_accuracy"])) == 3 and nb04.MADE_UP["val_accuracy"][3] == 0.88
    for metric, mode, threshold, what, _ in nb04.OVERFIT_CASES:
        gaps = reference.generalization_gap(nb04.MADE_UP, metric, mode)
        epoch = reference.overfitting_epoch(nb04.MADE_UP, metric, mode, threshold)
        if epoch is None:
            assert "no " in what and gaps.max() < threshold
        else:
            assert ", ".join(f"{g:.2f}" for g in gaps) in what and f"list index {epoch - 1}" in what
