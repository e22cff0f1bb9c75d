"""helpers.frozen: a followed model's frozen weights leave the gradient tape and come back when unfrozen; others not."""
from __future__ import annotations

import numpy as np

from helpers import tf
from helpers.frozen import follow_keras_flags

keras = tf.keras


def _base_and_model() -> tuple[keras.Model, keras.Model]:
    keras.utils.set_random_seed(0)
    inputs = keras.Input((6,))
    base = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(8)])
    outputs = keras.layers.Dense(3, activation="softmax")(base(inputs))
    return base, keras.Model(inputs, outputs)


def _watched(model: keras.Model) -> set[int]:
    with tf.GradientTape() as tape:
        model(np.ones((2, 6), "float32"))
    return {id(v) for v in tape.watched_variables()}


def test_the_tape_watches_exactly_the_weights_keras_trains():
    """Once followed, does a GradientTape see only the head's weights when the base is frozen, all when unfrozen?"""
    base, model = _base_and_model()
    base.trainable = False
    follow_keras_flags(model)
    for frozen in (True, False, True):
        base.trainable = not frozen
        assert _watched(model) == {id(v.value) for v in model.trainable_weights}, f"frozen={frozen}"


def test_models_not_followed_keep_keras_behaviour():
    """Does a model nobody asked for still have its frozen weights watched, as in plain Keras (notebook 07)?"""
    follow_keras_flags(_base_and_model()[1])      # installed for one model ...
    base, model = _base_and_model()               # ... not for this one
    base.trainable = False
    assert _watched(model) == {id(v.value) for v in model.weights}


def test_fine_tuning_after_a_frozen_fit_moves_the_unfrozen_base():
    """Frozen fit, then unfreeze and a plain compile: does the second fit change the base, and the first not?"""
    base, model = _base_and_model()
    x, y = np.random.default_rng(0).normal(size=(16, 6)).astype("float32"), np.arange(16) % 3
    base.trainable = False
    follow_keras_flags(model).compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    before = [w.copy() for w in base.get_weights()]
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, base.get_weights()))
    base.trainable = True
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert all(not np.array_equal(a, b) for a, b in zip(before, base.get_weights()))
