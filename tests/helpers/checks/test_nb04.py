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


def test_generalization_gap_reversed_sign_is_rejected():
    """Is validation minus training rejected, with the order hint?"""
    nb04.generalization_gap(reference.generalization_gap)
    nb04.generalization_gap(reference.generalization_gap, seed=2**31 - 1)
    with pytest.raises(CheckFailed, match="in that order"):
        nb04.generalization_gap(lambda h: -reference.generalization_gap(h))


def test_generalization_gap_needs_one_value_per_epoch_and_nan_not_none():
    """Is the last epoch's gap alone rejected, and is None for a nan accuracy rejected where np.nan passes?"""
    with pytest.raises(CheckFailed, match="one gap per epoch"):
        nb04.generalization_gap(lambda h: float(reference.generalization_gap(h)[-1]))

    def none_for_nan(history):
        return [None if np.isnan(a - v) else a - v for a, v in zip(history["accuracy"], history["val_accuracy"])]

    nb04.generalization_gap(none_for_nan)
    with pytest.raises(CheckFailed, match="not None"):
        nb04.generalization_gap(none_for_nan, seed=5)


def test_fit_on_datasets_accepts_the_reference_and_rejects_validating_on_train():
    """Does the reference pass, and does validating on the training set fail on the val_loss values?"""
    nb04.fit_on_datasets(reference.fit_on_datasets, n_train=64, batch_size=32, epochs=2)

    def on_train(model, train_ds, val_ds, epochs):
        return model.fit(train_ds, epochs=epochs, validation_data=train_ds, verbose=0).history

    with pytest.raises(CheckFailed, match="'val_loss' of each epoch"):
        nb04.fit_on_datasets(on_train, n_train=64, batch_size=32, epochs=2)


def test_fit_on_datasets_rejects_a_recompiled_model_and_extra_training():
    """Is compiling the model again rejected, and so is training it once more after the recorded run?"""
    def recompiles(model, train_ds, val_ds, epochs):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model.fit(train_ds, epochs=epochs, validation_data=val_ds, verbose=0).history

    def trains_twice(model, train_ds, val_ds, epochs):
        history = model.fit(train_ds, epochs=epochs, validation_data=val_ds, verbose=0).history
        model.fit(val_ds, epochs=1, verbose=0)
        return history

    with pytest.raises(CheckFailed, match="as it was given"):
        nb04.fit_on_datasets(recompiles, n_train=64, batch_size=32, epochs=2)
    with pytest.raises(CheckFailed, match="weight updates|weights after training"):
        nb04.fit_on_datasets(trains_twice, n_train=64, batch_size=32, epochs=2)


def test_made_up_histories_match_the_visible_messages():
    """Do the numbers quoted in the visible messages (0.48 at index 2, 0.88 at index 3) match MADE_UP?"""
    assert int(np.argmin(nb04.MADE_UP["val_loss"])) == 2 and nb04.MADE_UP["val_loss"][2] == 0.48
    assert int(np.argmax(nb04.MADE_UP["val_accuracy"])) == 3 and nb04.MADE_UP["val_accuracy"][3] == 0.88
