"""helpers.reference.nb07: exact single steps, no-op evaluation, and a loop that agrees with model.fit."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import tf
from helpers.probes import probe_model
from helpers.reference.nb07 import (
    HISTORY_KEYS, ClippedModel, clipped_train_step, eval_step, train_loop, train_step,
)

keras = tf.keras
LOSS = keras.losses.SparseCategoricalCrossentropy()


@pytest.fixture(scope="module")
def batch():
    rng = np.random.default_rng(0)
    return rng.normal(size=(16, 12)).astype("float32"), rng.integers(0, 4, 16).astype("int32")


def build():
    return probe_model(12, 6, 4, seed=0)


def test_train_step_is_one_sgd_step_on_trainable_weights(batch):
    """Does train_step return the pre-update training-mode loss and move each trainable weight by -lr * gradient?"""
    x, y = batch
    model = build()
    with tf.GradientTape() as tape:
        expected_loss = LOSS(y, model(x, training=True))
    gradients = [g.numpy() for g in tape.gradient(expected_loss, model.trainable_variables)]
    before = [v.numpy().copy() for v in model.trainable_variables]
    frozen = [v.numpy().copy() for v in model.non_trainable_weights]
    loss = train_step(model, keras.optimizers.SGD(0.1), LOSS, x, y)
    np.testing.assert_allclose(float(loss), float(expected_loss), rtol=1e-6)
    for variable, start, gradient in zip(model.trainable_variables, before, gradients):
        np.testing.assert_allclose(variable.numpy(), start - 0.1 * gradient, rtol=1e-5, atol=1e-7)
    for variable, start in zip(model.non_trainable_weights, frozen):
        np.testing.assert_array_equal(variable.numpy(), start)


def test_train_step_compiles_with_tf_function(batch):
    """Does tf.function(train_step) give the same weights as the eager step?"""
    x, y = batch
    eager, graph = build(), build()
    train_step(eager, keras.optimizers.SGD(0.1), LOSS, x, y)
    tf.function(train_step)(graph, keras.optimizers.SGD(0.1), LOSS, x, y)
    for a, b in zip(eager.get_weights(), graph.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def test_eval_step_changes_nothing(batch):
    """Does eval_step return the inference-mode loss and leave every weight as it was?"""
    x, y = batch
    model = build()
    before = model.get_weights()
    loss = eval_step(model, LOSS, x, y)
    np.testing.assert_allclose(float(loss), float(LOSS(y, model(x, training=False))), rtol=1e-6)
    assert float(loss) != pytest.approx(float(LOSS(y, model(x, training=True))))
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_train_loop_agrees_with_fit_on_unshuffled_data():
    """From the same weights, on the same unshuffled batches (uneven last batch included), does the loop match fit?"""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(70, 12)).astype("float32")
    y = (x[:, 0] > 0).astype("int32") + 2 * (x[:, 1] > 0).astype("int32")
    train = tf.data.Dataset.from_tensor_slices((x[:50], y[:50])).batch(16)
    val = tf.data.Dataset.from_tensor_slices((x[50:], y[50:])).batch(8)
    model, fitted = build(), build()
    history = train_loop(model, train, val, 3, keras.optimizers.SGD(0.3), LOSS)
    fitted.compile(optimizer=keras.optimizers.SGD(0.3), loss=LOSS, metrics=["accuracy"])
    expected = fitted.fit(train, validation_data=val, epochs=3, shuffle=False, verbose=0).history
    assert tuple(history) == HISTORY_KEYS
    for key in HISTORY_KEYS:
        assert all(isinstance(v, float) for v in history[key])
        np.testing.assert_allclose(history[key], expected[key], rtol=1e-4, atol=1e-6)


def test_train_loop_rejects_a_bad_epoch_count():
    """Is epochs=0 refused with a message that names the argument?"""
    with pytest.raises(ValueError, match="`epochs` must be a positive int"):
        train_loop(build(), [], [], 0, keras.optimizers.SGD(0.1), LOSS)


@pytest.mark.parametrize("l2", [0.0, 0.05])
@pytest.mark.parametrize("ratio", [0.25, 4.0])
def test_clipped_train_step_minimises_penalties_with_gradients_scaled_together(batch, l2, ratio):
    """Does clipped_train_step return data loss + penalties and move by -lr * gradient * min(1, max_norm / norm)?"""
    x, y = batch
    model = probe_model(12, 6, 4, seed=0, l2=l2)
    assert len(model.losses) == (2 if l2 else 0)
    with tf.GradientTape() as tape:
        expected_loss = LOSS(y, model(x, training=True)) + sum(model.losses)
    gradients = [g.numpy() for g in tape.gradient(expected_loss, model.trainable_variables)]
    norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in gradients)))
    max_norm = ratio * norm
    before = [v.numpy().copy() for v in model.trainable_variables]
    loss = clipped_train_step(model, keras.optimizers.SGD(0.1), LOSS, x, y, max_norm)
    np.testing.assert_allclose(float(loss), float(expected_loss), rtol=1e-6)
    scale = min(1.0, max_norm / norm)
    for variable, start, gradient in zip(model.trainable_variables, before, gradients):
        np.testing.assert_allclose(variable.numpy(), start - 0.1 * scale * gradient, rtol=1e-5, atol=1e-7)


def test_clipped_model_fit_makes_the_clipped_steps(batch):
    """Does fit on a ClippedModel make exactly clipped_train_step's updates, penalties included?"""
    x, y = batch
    fitted, stepped = probe_model(12, 6, 4, seed=0, l2=0.05), probe_model(12, 6, 4, seed=0, l2=0.05)
    model = ClippedModel(fitted.inputs, fitted.outputs)
    model.max_norm = 0.2
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=LOSS, jit_compile=False)
    history = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0).history
    optimizer, losses = keras.optimizers.SGD(0.1), []
    for start in (0, 8):
        losses.append(float(clipped_train_step(stepped, optimizer, LOSS, x[start:start + 8], y[start:start + 8], 0.2)))
    np.testing.assert_allclose(history["loss"][0], np.mean(losses), rtol=1e-5)
    for a, b in zip(model.get_weights(), stepped.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
