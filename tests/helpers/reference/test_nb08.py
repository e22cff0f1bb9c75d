"""helpers.reference.nb08: the early-stopping rule and PatienceStopping agree with Keras's EarlyStopping."""
from __future__ import annotations

import os

import numpy as np
import pytest

from helpers import tf
from helpers.callbacks import scripted_fit, tiny_model
from helpers.checks.nb08 import drive
from helpers.reference.nb08 import PatienceStopping, epochs_until_stop, stop_point, train_with_checkpoint

keras = tf.keras


def random_cases(count: int, seed: int = 0):
    """Random (values, patience, min_delta, mode) with no value exactly min_delta away from another."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        values = [float(v) for v in np.round(rng.uniform(0, 1, int(rng.integers(1, 12))), 2)]
        yield values, int(rng.integers(0, 4)), float(rng.choice([0.0, 0.015, 0.155])), str(rng.choice(["min", "max"]))


@pytest.fixture(scope="module")
def model():
    return tiny_model(0)


def test_stop_point_matches_keras_early_stopping(model):
    """Does the pure rule give the same epochs run and best epoch as Keras's EarlyStopping, case after case?"""
    for values, patience, min_delta, mode in random_cases(60):
        keras_stopper = keras.callbacks.EarlyStopping(patience=patience, min_delta=min_delta, mode=mode)
        ran, _ = drive(keras_stopper, {"val_loss": values}, model)
        assert stop_point(values, patience, min_delta, mode) == (ran, keras_stopper.best_epoch), (values, patience)


def test_patience_stopping_matches_keras_including_restored_weights(model):
    """Does PatienceStopping stop where EarlyStopping stops and restore the same epoch's weights?"""
    for values, patience, min_delta, mode in random_cases(40, seed=1):
        settings = dict(patience=patience, min_delta=min_delta, mode=mode, restore_best_weights=True)
        keras_stopper = keras.callbacks.EarlyStopping(**settings)
        keras_ran, _ = drive(keras_stopper, {"val_loss": values}, model)
        ran, weights = drive(PatienceStopping(**settings), {"val_loss": values}, model)
        assert ran == keras_ran, (values, patience, min_delta, mode)
        for ours, best in zip(model.get_weights(), weights[keras_stopper.best_epoch]):
            np.testing.assert_array_equal(ours, best)


def test_epochs_until_stop_examples():
    """Do the documented cases hold: never stopping, patience counted in a row, min_delta as a margin?"""
    assert epochs_until_stop([1.0, 0.9, 0.95, 0.97, 0.99, 0.5], patience=3) == 5
    assert epochs_until_stop([1.0, 0.9, 0.8], patience=1) == 3
    assert epochs_until_stop([1.0, 0.95, 0.92, 0.89, 0.88, 0.87, 0.86], 3, 0.1) == 7
    assert epochs_until_stop([0.5, 0.5], patience=0) == 2
    assert stop_point([0.5, 0.7, 0.6], patience=1, mode="max") == (3, 1)


def test_bad_settings_say_what_to_do():
    """Are an unknown mode and a negative patience rejected with messages that name the fix?"""
    with pytest.raises(ValueError, match="mode='max' for an accuracy"):
        PatienceStopping(mode="auto")
    with pytest.raises(ValueError, match="patience"):
        stop_point([1.0], patience=-1)


def test_missing_monitor_names_the_logged_keys(model):
    """Does PatienceStopping say which keys the logs hold when the monitored one is missing?"""
    with pytest.raises(KeyError, match="validation_data"):
        drive(PatienceStopping(monitor="val_loss"), {"loss": [1.0, 0.9]}, model)


def test_one_patience_stopping_serves_two_fits():
    """Does a reused PatienceStopping start fresh in each real fit (state reset in on_train_begin)?"""
    stopper = PatienceStopping(patience=1, restore_best_weights=True)
    model = tiny_model(1)
    _, first, history = scripted_fit([stopper], {"val_loss": [0.5, 0.1, 0.3, 0.2]}, model=model)
    assert len(history["loss"]) == 3
    np.testing.assert_array_equal(model.get_weights()[0], first.weights[1][0])
    _, second, history = scripted_fit([stopper], {"val_loss": [0.9, 0.8, 0.7]}, model=model)
    assert len(history["loss"]) == 3 and stopper.best_epoch == 2


def test_train_with_checkpoint_keeps_the_best_epoch_on_disk(tmp_path):
    """Does train_with_checkpoint stop by the rule and leave the lowest validation loss's model in a .keras file?"""
    from helpers.checks.nb08_saving import checkpoint_data, checkpoint_model, reference_run

    model = checkpoint_model(2)
    path = train_with_checkpoint(model, *checkpoint_data(2), str(tmp_path), patience=2, epochs=12)
    steps = int(model.optimizer.iterations)
    val_losses, predictions = reference_run(2, 2, 12)
    ran, best = stop_point(val_losses, 2)
    assert 0 < best < ran - 1 < 11, (best, ran)  # a turn, then an early stop: the case is worth testing
    assert path.endswith(".keras") and os.listdir(tmp_path) == ["best.keras"]
    assert steps == ran
    reloaded = keras.models.load_model(path)
    np.testing.assert_allclose(reloaded(checkpoint_data(2)[1][0]), predictions[best], atol=1e-5)
