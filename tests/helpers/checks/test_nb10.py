"""helpers.checks.nb10: the transfer checks accept the reference answers and reject the classic mistakes, saying which."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import CheckFailed, nb10
from helpers.reference import nb10 as reference
from helpers.transfer import keras


def test_tiny_base_shows_a_base_called_in_training_mode():
    """Does a model calling the tiny base with training=True give different outputs for model(x) and training=False?"""
    base = nb10.tiny_base((8, 8, 1), 4, seed=0)
    inputs = keras.Input((8, 8, 1))
    model = keras.Model(inputs, base(inputs, training=True))
    x = np.random.default_rng(0).uniform(size=(4, 8, 8, 1)).astype("float32")
    assert not np.allclose(np.asarray(model(x)), np.asarray(model(x, training=False)))


def test_reference_answers_pass_the_visible_and_hidden_checks():
    """Do the reference answers pass every check, with the notebook's visible and some hidden arguments?"""
    nb10.build_transfer_model(reference.build_transfer_model)
    nb10.build_transfer_model(reference.build_transfer_model, input_shape=(10, 10, 3), filters=3, num_classes=5, seed=1)
    nb10.count_trainable_params(reference.count_trainable_params)
    nb10.count_trainable_params(reference.count_trainable_params, cases=[
        ("frozen", lambda: nb10.dense_probe(5, 7, frozen=True))])
    nb10.unfreeze_top_layers(reference.unfreeze_top_layers)
    nb10.unfreeze_top_layers(reference.unfreeze_top_layers, cases=[
        (lambda: nb10.digits_base("frozen_first", frozen=True), 7, "a frozen digits base")])
    nb10.prepare_fine_tuning(reference.prepare_fine_tuning)


def test_probes_have_the_trainable_weights_their_stories_say():
    """Do the probe models hold the trainable weights the notebook's hidden stories count?"""
    assert reference.count_trainable_params(nb10.transfer_probe((8, 8, 1), 5, 4, seed=3, unfreeze=4)) == (
        3 * 3 * 5 * 10 + 10 + 10 * 4 + 4)
    assert reference.count_trainable_params(nb10.dense_probe(6, 2, batch_norm=True)) == 6 + 6 + 6 * 2 + 2
    assert reference.count_trainable_params(nb10.dense_probe(5, 7, frozen=True)) == 0


def test_base_called_in_training_mode_is_rejected():
    """Does build_transfer_model's check reject a base called with training=True, saying so?"""
    def training_true(base_model, num_classes):
        base_model.trainable = False
        inputs = keras.Input(shape=base_model.input_shape[1:])
        x = keras.layers.GlobalAveragePooling2D()(base_model(inputs, training=True))
        return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))

    with pytest.raises(CheckFailed, match="inference mode"):
        nb10.build_transfer_model(training_true)


def test_count_params_is_rejected_as_a_trainable_count():
    """Does count_trainable_params' check reject count_params(), which counts frozen weights too?"""
    with pytest.raises(CheckFailed, match="a frozen tiny base"):
        nb10.count_trainable_params(lambda model: model.count_params())


def test_unfrozen_batch_norm_is_rejected_with_the_flags():
    """Does unfreeze_top_layers' check list the flags when BatchNormalization is unfrozen with the rest?"""
    def batch_norm_too(base_model, n):
        base_model.trainable = True
        for layer in base_model.layers[:-n]:
            layer.trainable = False
        return base_model

    with pytest.raises(CheckFailed, match="trainable flags are wrong") as failure:
        nb10.unfreeze_top_layers(batch_norm_too)
    assert "bn_b=F" in str(failure.value) and "bn_b=T" in str(failure.value)


def test_fine_tuning_without_recompiling_is_rejected():
    """Does prepare_fine_tuning's check reject unfreezing without a new compile?"""
    def no_recompile(model, base_model, n, learning_rate):
        reference.unfreeze_top_layers(base_model, n)
        return model

    with pytest.raises(CheckFailed):
        nb10.prepare_fine_tuning(no_recompile)
