"""helpers.reference.nb01: the three model-building styles and compiling for integer labels."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import tf
from helpers.reference.nb01 import (
    MLP, build_functional_model, build_sequential_model, build_subclassed_model, compile_model,
)

keras = tf.keras


def test_the_three_builders_compute_the_same_network():
    """Given the same weights, do the Sequential, Functional and subclassed models give the same probabilities?"""
    x = np.random.default_rng(0).normal(size=(5, 20)).astype("float32")
    models = [build(20, 7, 3) for build in (build_sequential_model, build_functional_model, build_subclassed_model)]
    shared = models[0].get_weights()
    outputs = []
    for model in models:
        model.set_weights(shared)
        outputs.append(np.asarray(model(x)))
    np.testing.assert_allclose(outputs[1], outputs[0], rtol=1e-6)
    np.testing.assert_allclose(outputs[2], outputs[0], rtol=1e-6)
    np.testing.assert_allclose(outputs[0].sum(axis=1), 1.0, rtol=1e-5)


def test_the_builders_have_the_documented_kinds():
    """Is each builder's model of the kind its exercise asks for, the subclassed one with its weights created?"""
    assert isinstance(build_sequential_model(), keras.Sequential)
    functional = build_functional_model()
    assert isinstance(functional, keras.Model) and not isinstance(functional, keras.Sequential)
    subclassed = build_subclassed_model(5, 4, 2)
    assert isinstance(subclassed, MLP)
    assert [w.shape for w in subclassed.get_weights()] == [(5, 4), (4,), (4, 2), (2,)]


def test_the_hidden_layer_is_relu():
    """Does a negative pre-activation give zero in the hidden layer (ReLU), not a negative number?"""
    model = build_sequential_model(1, 1, 2)
    model.set_weights([np.array([[1.0]]), np.array([0.0]), np.array([[1.0, -1.0]]), np.zeros(2)])
    np.testing.assert_allclose(np.asarray(model(np.array([[-5.0]]))), [[0.5, 0.5]], rtol=1e-6)


@pytest.mark.parametrize("learning_rate", [0.05, 0.003])
def test_compile_model_uses_adam_sparse_cross_entropy_and_accuracy(learning_rate):
    """Is the model compiled with Adam at the given rate, a loss for integer labels and an accuracy metric?"""
    model = build_sequential_model(4, 3, 3)
    assert compile_model(model, learning_rate) is model
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    np.testing.assert_allclose(float(model.optimizer.learning_rate), learning_rate, rtol=1e-6)
    x, y = np.ones((6, 4), "float32"), np.array([0, 1, 2, 0, 1, 2])
    result = model.evaluate(x, y, verbose=0, return_dict=True)
    probs = model.predict(x, verbose=0)
    np.testing.assert_allclose(result["loss"], np.mean(-np.log(probs[np.arange(6), y])), rtol=1e-4)
    assert "accuracy" in result
