"""helpers.probes: a layer that only acts in training mode, in a model with a frozen first layer."""
from __future__ import annotations

import numpy as np

from helpers import tf
from helpers.probes import TrainingProbe, probe_model


def test_probe_scales_only_in_training_mode():
    """Does TrainingProbe halve its inputs with training=True only, and survive a config round trip?"""
    probe = TrainingProbe(0.5)
    ones = tf.ones((2, 3))
    np.testing.assert_allclose(probe(ones, training=True), 0.5)
    np.testing.assert_allclose(probe(ones), 1.0)
    assert TrainingProbe.from_config(probe.get_config()).factor == 0.5


def test_probe_model_has_a_frozen_first_layer():
    """Are exactly the first layer's two weight tensors non-trainable, and equal seeds equal weights?"""
    model = probe_model(12, 6, 4, seed=0)
    assert len(model.weights) == 6 and len(model.trainable_variables) == 4
    assert all(not v.trainable for v in model.get_layer("frozen").weights)
    for a, b in zip(model.get_weights(), probe_model(12, 6, 4, seed=0).get_weights()):
        np.testing.assert_array_equal(a, b)


def test_probe_model_modes_give_different_outputs():
    """Does the same batch give different probabilities in training and inference mode?"""
    model = probe_model(12, 6, 4, seed=0)
    x = np.random.default_rng(0).normal(size=(5, 12)).astype("float32")
    assert not np.allclose(model(x, training=True), model(x, training=False))
