"""helpers.checks.nb08_saving: the checkpoint check accepts the reference, names each mistake and leaves no files."""
from __future__ import annotations

import os
import tempfile

import numpy as np
import pytest

from helpers import checks, tf
from helpers.checks import CheckFailed
from helpers.checks import nb08_saving
from helpers.reference import nb08 as reference

keras = tf.keras


def _fit(model, train, val, epochs, callbacks):
    model.fit(*train, validation_data=val, epochs=epochs, callbacks=callbacks, verbose=0)


def saves_every_epoch(model, train, val, folder, patience, epochs):
    path = os.path.join(folder, "model.keras")
    _fit(model, train, val, epochs, [keras.callbacks.EarlyStopping(patience=patience),
                                     keras.callbacks.ModelCheckpoint(path)])
    return path


def never_stops(model, train, val, folder, patience, epochs):
    path = os.path.join(folder, "model.keras")
    _fit(model, train, val, epochs, [keras.callbacks.ModelCheckpoint(path, save_best_only=True)])
    return path


def weights_only(model, train, val, folder, patience, epochs):
    path = os.path.join(folder, "best.weights.h5")
    _fit(model, train, val, epochs, [keras.callbacks.EarlyStopping(patience=patience),
                                     keras.callbacks.ModelCheckpoint(path, save_best_only=True,
                                                                     save_weights_only=True)])
    return path


def returns_nothing(model, train, val, folder, patience, epochs):
    reference.train_with_checkpoint(model, train, val, folder, patience, epochs)


def outside_the_folder(model, train, val, folder, patience, epochs):
    return reference.train_with_checkpoint(model, train, val, os.path.dirname(folder), patience, epochs)


def test_the_reference_passes_visible_and_hidden_calls():
    """Does the reference pass the visible case, literal hidden cases and cases drawn from seeds?"""
    checks.nb08.train_with_checkpoint(reference.train_with_checkpoint)
    checks.nb08.train_with_checkpoint(reference.train_with_checkpoint, [(7, 7, 0, 8)], seed=86)
    checks.nb08.train_with_checkpoint(reference.train_with_checkpoint, [], seed=2**31 - 1)


def test_the_check_is_reached_as_nb08():
    """Do test cells reach the check as checks.nb08.train_with_checkpoint, registered under that name?"""
    from helpers.checks.observed import REGISTRY

    assert checks.nb08.train_with_checkpoint is nb08_saving.train_with_checkpoint
    assert REGISTRY["nb08.train_with_checkpoint"] is nb08_saving.train_with_checkpoint


@pytest.mark.parametrize("student, message", [
    (saves_every_epoch, "the model at the epoch with the lowest validation loss"),
    (never_stops, "epochs run"),
    (weights_only, "should end in .keras"),
    (returns_nothing, "should return the path"),
    (outside_the_folder, "inside `folder`"),
])
def test_mistakes_are_named(student, message):
    """Is each common mistake rejected with a message that names it?"""
    with pytest.raises(CheckFailed, match=message):
        checks.nb08.train_with_checkpoint(student)


def test_save_best_only_on_the_training_loss_is_rejected():
    """Is a checkpoint that watches the training loss (which keeps falling) rejected on the hidden cases?"""
    def on_training_loss(model, train, val, folder, patience, epochs):
        path = os.path.join(folder, "best.keras")
        _fit(model, train, val, epochs, [keras.callbacks.EarlyStopping(patience=patience),
                                         keras.callbacks.ModelCheckpoint(path, monitor="loss", save_best_only=True)])
        return path

    with pytest.raises(CheckFailed, match="lowest validation loss"):
        checks.nb08.train_with_checkpoint(on_training_loss, [(7, 7, 0, 8)], seed=86)


def test_no_file_is_left_behind():
    """Is the folder the check hands out, and everything saved in it, deleted once the check is done?"""
    folders = []

    def remembers(model, train, val, folder, patience, epochs):
        folders.append(folder)
        return reference.train_with_checkpoint(model, train, val, folder, patience, epochs)

    checks.nb08.train_with_checkpoint(remembers)
    assert folders and folders[0].startswith(tempfile.gettempdir())
    assert not os.path.exists(os.path.dirname(folders[0]))


@pytest.mark.parametrize("data_seed, model_seed", [(2, 2), (7, 7), (123, 456), (40000, 9)])
def test_the_judges_loop_matches_fit(data_seed, model_seed):
    """Does the judge's plain training loop give fit's validation losses and predictions, epoch by epoch?"""
    val_losses, predictions = nb08_saving.reference_run(data_seed, model_seed, 8)
    fit_losses, fit_predictions = nb08_saving.fit_run(data_seed, model_seed, 8)
    np.testing.assert_allclose(val_losses, fit_losses, atol=1e-5)
    for ours, fits in zip(predictions, fit_predictions):
        np.testing.assert_allclose(ours, fits, atol=1e-5)
    assert min(np.abs(a - b).max() for a, b in zip(predictions, predictions[1:])) > 1e-3  # epochs are told apart


def test_drawn_cases_differ_by_seed_and_stay_short():
    """Do two seeds draw different cases, each with patience 0 to 3 and at most 6 epochs?"""
    first, second = nb08_saving.checkpoint_cases(None, 1), nb08_saving.checkpoint_cases(None, 2)
    assert first != second and len(first) == 2
    assert all(0 <= p <= 3 and 3 <= e <= 6 for _, _, p, e in first + second)
