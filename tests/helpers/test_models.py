"""helpers.models: the course's default classifier and the seed that makes runs repeatable."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.models import build_training_state, digits_classifier, keras, set_seed


def test_digits_classifier_is_compiled_for_integer_labels():
    """Is the default model a 64 -> 32 (ReLU) -> 10 (softmax) network compiled with Adam at the given rate?"""
    model = digits_classifier(learning_rate=0.02)
    assert [w.shape for w in model.get_weights()] == [(64, 32), (32,), (32, 10), (10,)]
    assert type(model.optimizer).__name__ == "Adam"
    np.testing.assert_allclose(float(model.optimizer.learning_rate), 0.02, rtol=1e-6)
    result = model.evaluate(np.zeros((4, 64), "float32"), np.arange(4), verbose=0, return_dict=True)
    assert "accuracy" in result
    np.testing.assert_allclose(result["loss"], np.log(10), rtol=1e-2)  # zero inputs: uniform-ish softmax


def test_the_same_seed_gives_the_same_weights():
    """Do two classifiers with one seed start from the same weights, and another seed from others?"""
    a, b, c = digits_classifier(seed=3), digits_classifier(seed=3), digits_classifier(seed=4)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_set_seed_repeats_numpy_draws():
    """Does set_seed make NumPy's global random draws repeatable?"""
    set_seed(5)
    first = np.random.rand(3)
    set_seed(5)
    np.testing.assert_array_equal(first, np.random.rand(3))


class _Counting(keras.layers.Layer):
    """Passes its input on, counting how often Python runs it: once per trace inside fit."""

    calls = 0

    def call(self, x):
        type(self).calls += 1
        return x


def _counted_model() -> keras.Model:
    keras.utils.set_random_seed(0)
    inputs = keras.Input((8,))
    outputs = keras.layers.Dense(3, activation="softmax")(_Counting()(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


_X = np.random.default_rng(0).normal(size=(32, 8)).astype("float32")
_Y = np.arange(32) % 3


@pytest.mark.parametrize("build", ["ours", "none"])
def test_the_training_state_is_built_without_a_forward_pass_so_fit_traces_once(build):
    """Does build_training_state create the optimizer's and metrics' state without running the model, so that fit
    traces its step once (twice without it: the first trace creates the state)?"""
    model = _counted_model()
    _Counting.calls = 0
    if build == "ours":
        build_training_state(model)
        assert _Counting.calls == 0 and model.optimizer.built and model._compile_metrics.built
    model.fit(_X, _Y, epochs=2, batch_size=16, verbose=0)
    assert _Counting.calls == (1 if build == "ours" else 2)


def test_the_training_is_that_of_keras_own_build():
    """Given the same seed, does a model built by build_training_state train to the same weights and history as one
    built by Keras's own _symbolic_build (which also runs the model forward)?"""
    runs = []
    for build in (build_training_state, lambda m: m._symbolic_build(data_batch=(_X[:1], _Y[:1]))):
        model = _counted_model()
        build(model)
        keras.utils.set_random_seed(1)
        history = model.fit(_X, _Y, epochs=3, batch_size=8, verbose=0).history
        runs.append((history, model.get_weights()))
    (history, weights), (keras_history, keras_weights) = runs
    assert history == keras_history
    for a, b in zip(weights, keras_weights):
        np.testing.assert_array_equal(a, b)
