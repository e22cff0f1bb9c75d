"""helpers.checks.nb04: the checks accept the reference answers and name what a wrong answer got wrong."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import CheckFailed, nb04
from helpers.reference import nb04 as reference


def test_best_epoch_accepts_the_reference_on_every_visible_case():
    """Do the visible cases and a hidden-style case list pass the reference answer?"""
    nb04.best_epoch(reference.best_epoch)
    nb04.best_epoch(reference.best_epoch, {"val_loss": [0.4, 0.4]}, [("val_loss", "min", "ties", "first")])


def test_best_epoch_off_by_one_gets_the_numbering_hint():
    """Is a 0-based answer rejected with the 'number epochs from 1' message?"""
    with pytest.raises(CheckFailed, match="Number epochs from 1"):
        nb04.best_epoch(lambda history, monitor, mode: reference.best_epoch(history, monitor, mode) - 1)


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
    with pytest.raises(CheckFailed, match="in that order"):
        nb04.generalization_gap(lambda h: -reference.generalization_gap(h))


def test_generalization_gap_needs_one_value_per_epoch():
    """Is a single number (the last epoch's gap) rejected by the shape check, under the given name?"""
    with pytest.raises(CheckFailed, match="gap on one epoch: one gap per epoch"):
        nb04.generalization_gap(lambda h: float(reference.generalization_gap(h)[-1]),
                                {"accuracy": [0.7], "val_accuracy": [0.9]}, name="gap on one epoch")


def test_fit_on_datasets_accepts_the_reference_and_rejects_validating_on_train():
    """Does the reference pass, and does validating on the training set fail on the last val_loss?"""
    nb04.fit_on_datasets(reference.fit_on_datasets, n_train=64, batch_size=32, epochs=2)

    def on_train(model, train_ds, val_ds, epochs):
        return model.fit(train_ds, epochs=epochs, validation_data=train_ds, verbose=0).history

    with pytest.raises(CheckFailed, match="last 'val_loss'"):
        nb04.fit_on_datasets(on_train, n_train=64, batch_size=32, epochs=2)


def test_made_up_histories_match_the_visible_messages():
    """Do the numbers quoted in the visible messages (0.48 at index 2, 0.88 at index 3) match MADE_UP?"""
    assert int(np.argmin(nb04.MADE_UP["val_loss"])) == 2 and nb04.MADE_UP["val_loss"][2] == 0.48
    assert int(np.argmax(nb04.MADE_UP["val_accuracy"])) == 3 and nb04.MADE_UP["val_accuracy"][3] == 0.88
