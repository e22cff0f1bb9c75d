"""helpers.hints.rules.signs: warning signs that raise nothing (logits into a probability loss, Keras warnings)."""
from __future__ import annotations

import warnings
from typing import Callable

from helpers import hints
from helpers.hints.rules import hint_for_warning
from tests.helpers.hints.mistakes import X, Y, compiled, dense


def keras_warnings(fn: Callable) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in caught]


def test_logits_with_a_probability_loss_get_a_hint(tf):
    """Does a compiled model ending in logits, with from_logits=False, get the from_logits hint (and only it)?"""
    keras = tf.keras
    for loss in ("sparse_categorical_crossentropy", keras.losses.SparseCategoricalCrossentropy(),
                 keras.losses.sparse_categorical_crossentropy):
        model = dense(keras, activation=None)
        model.compile(optimizer="adam", loss=loss)
        assert "SparseCategoricalCrossentropy(from_logits=True)" in hints.explain(model)
        assert len(hints.check_models({"model": model})) == 1
        assert hints.check_models({"model": model}) == []  # once per compiled model
    functional = keras.Model(model.inputs, model.outputs)
    functional.compile(optimizer="adam", loss="binary_crossentropy")
    assert 'activation="sigmoid"' in hints.explain(functional)
    assert hints.explain(dense(keras, activation=None)) is None  # not compiled yet


def test_early_stopping_on_an_unlogged_metric_gets_a_hint(tf):
    """Does the warning Keras gives when EarlyStopping watches val_accuracy without validation data get a hint?"""
    stop = tf.keras.callbacks.EarlyStopping(monitor="val_accuracy")
    model = compiled(tf.keras, metrics=["accuracy"])
    found = keras_warnings(lambda: model.fit(X, Y, epochs=2, verbose=0, callbacks=[stop]))
    texts = [hint_for_warning(m) for m in found]
    assert any(t and "validation_data=(x_val, y_val)" in t for t in texts), found


def test_softmax_with_from_logits_true_gets_a_hint(tf):
    """Does the warning for softmax outputs with from_logits=True get a hint?"""
    model = compiled(tf.keras, loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    found = keras_warnings(lambda: model.fit(X, Y, verbose=0))
    assert any("drop from_logits=True" in (hint_for_warning(m) or "") for m in found), found


def test_variables_without_gradients_get_a_hint(tf):
    """Does the warning for variables that get no gradient get a hint?"""
    keras = tf.keras
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(5), keras.layers.Dense(10)])

    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(model.layers[0](X))
        keras.optimizers.SGD().apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                                   model.trainable_variables))

    found = keras_warnings(step)
    assert any("model.trainable_variables" in (hint_for_warning(m) or "") for m in found), found
