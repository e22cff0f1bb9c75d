"""What the hints tests share: tiny data, tiny models, and a registry of functions that each make one mistake.

Every mistake runs real TensorFlow 2.21 / Keras 3.15 code on tiny data and
hands the real exception to ``hints.explain``; the hint must name the fix.
"""
from __future__ import annotations

import warnings
from typing import Callable

import numpy as np

from helpers import hints

RNG = np.random.default_rng(0)
X = RNG.random((32, 64), dtype=np.float32)
Y = RNG.integers(0, 10, 32)


class Mistakes(dict):
    """Functions that each make one mistake, by name, with the strings their hint must contain."""

    def register(self, *fix: str) -> Callable:
        """Register a function that makes one mistake; the hint must contain every string in ``fix``."""

        def register(fn: Callable) -> Callable:
            self[fn.__name__] = (fn, list(fix))
            return fn

        return register

    def assert_hint_names_fix(self, tf, name: str) -> None:
        """Make mistake ``name`` for real; its error's hint must contain every string of its fix."""
        fn, fix = self[name]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            error = raised(fn, tf)
        text = hints.explain(error)
        assert text, f"no hint for {name}: {type(error).__name__}: {str(error)[:300]}"
        for part in fix:
            assert part in text, f"the hint for {name} should say {part!r}:\n{text}"


def raised(fn: Callable, *args) -> BaseException:
    try:
        fn(*args)
    except Exception as error:  # the real error, as a student would meet it
        return error
    raise AssertionError(f"{fn.__name__} raised nothing")


def dense(keras, inputs=(64,), activation="softmax"):
    return keras.Sequential([keras.Input(inputs), keras.layers.Flatten(), keras.layers.Dense(10, activation=activation)])


def compiled(keras, loss="sparse_categorical_crossentropy", inputs=(64,), metrics=None):
    model = dense(keras, inputs)
    model.compile(optimizer="adam", loss=loss, metrics=metrics)
    return model


def gradients(tf, model, x=X, y=Y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(y, model(x)))
    return tape.gradient(loss, model.trainable_variables)
