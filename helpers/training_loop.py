"""A training loop written by hand with ``tf.GradientTape``: the reference for notebook 07.

``model.fit`` runs, for every batch, a forward pass in training mode, the loss,
the gradients of that loss with respect to the trainable weights, and one
optimizer update. These functions spell that loop out, so it can be changed
(custom losses, several optimizers, gradient clipping) and tested:

- ``train_step``: one update on one batch; returns the batch's loss;
- ``eval_step``: the loss on one batch, in inference mode, with no update;
- ``train_loop``: epochs of ``train_step`` and ``eval_step`` with per-epoch
  metrics, returning a history dict shaped like ``model.fit``'s.

``TrainingProbe`` and ``probe_model`` build the small models the notebook's
tests use: the probe layer computes something different in training mode, so
a forward pass without ``training=True`` gives different numbers, and the
first layer is frozen, so an update of non-trainable weights shows.

Used in notebook 07; later notebooks reuse ``train_loop``.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

from helpers.data import NUM_CLASSES
from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras

#: The keys of the history dict that ``train_loop`` returns, in order.
HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")


class TrainingProbe(keras.layers.Layer):
    """Scale the inputs by ``factor`` in training mode; pass them through otherwise.

    A deterministic stand-in for ``Dropout``: the output depends on the
    ``training`` flag, but not on a random draw, so two training steps from
    the same weights give the same numbers.

    Args:
        factor: The scale applied when ``training=True``. Defaults to 0.5.

    Used by the tests of notebook 07.

    >>> probe = TrainingProbe(0.5)
    >>> float(probe(tf.ones((1, 1)), training=True)[0, 0])
    0.5
    """

    def __init__(self, factor: float = 0.5, **kwargs):
        super().__init__(**kwargs)
        self.factor = float(factor)

    def call(self, inputs, training=False):
        return inputs * self.factor if training else inputs

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


def probe_model(
    input_dim: int = 64,
    hidden_units: int = 16,
    num_classes: int = NUM_CLASSES,
    seed: int | None = 0,
) -> keras.Model:
    """A small softmax classifier with a frozen first layer and a ``TrainingProbe``.

    Layers: a frozen ``Dense(hidden_units, tanh)``, a trainable
    ``Dense(hidden_units, relu)``, ``TrainingProbe(0.5)``, and a
    ``Dense(num_classes, softmax)``. Two calls with the same ``seed`` give the
    same initial weights.

    Args:
        input_dim: Features per sample. Defaults to 64.
        hidden_units: Width of both hidden layers. Defaults to 16.
        num_classes: Size of the softmax output. Defaults to 10.
        seed: Seed for the initial weights, or ``None`` for random ones.
            Defaults to 0.

    Returns:
        An uncompiled ``keras.Sequential`` model, 6 weight tensors of which
        the first 2 are non-trainable.

    Used by the tests of notebook 07.
    """
    if seed is not None:
        keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(input_dim,)),
            keras.layers.Dense(hidden_units, activation="tanh", name="frozen"),
            keras.layers.Dense(hidden_units, activation="relu", name="hidden"),
            TrainingProbe(0.5, name="probe"),
            keras.layers.Dense(num_classes, activation="softmax", name="classifier"),
        ],
        name="probe_model",
    )
    model.get_layer("frozen").trainable = False
    return model


def train_step(
    model: keras.Model,
    optimizer: keras.optimizers.Optimizer,
    loss_fn: keras.losses.Loss,
    x,
    y,
) -> tf.Tensor:
    """Update ``model`` once on the batch ``(x, y)`` and return the batch's loss.

    The forward pass runs inside the tape with ``training=True``; the
    gradients are taken with respect to ``model.trainable_variables`` only,
    and ``optimizer.apply_gradients`` applies them.

    Args:
        model: The model to train.
        optimizer: A Keras optimizer.
        loss_fn: A Keras loss, called as ``loss_fn(y_true, y_pred)``.
        x: A batch of inputs.
        y: The batch's labels.

    Returns:
        The loss of the batch *before* the update, as a scalar tensor.

    Used in notebook 07.

    >>> model = probe_model()
    >>> loss = train_step(model, keras.optimizers.SGD(0.1),
    ...                   keras.losses.SparseCategoricalCrossentropy(),
    ...                   np.zeros((4, 64), "float32"), np.arange(4))
    """
    loss, _ = _update(model, optimizer, loss_fn, x, y)
    return loss


def _update(model, optimizer, loss_fn, x, y) -> tuple[tf.Tensor, tf.Tensor]:
    """One training step; returns the pre-update loss and predictions."""
    with tf.GradientTape() as tape:
        predictions = model(x, training=True)
        loss = loss_fn(y, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss, predictions


def eval_step(model: keras.Model, loss_fn: keras.losses.Loss, x, y) -> tf.Tensor:
    """The loss of ``model`` on the batch ``(x, y)`` in inference mode, with no update.

    Args:
        model: The model to evaluate.
        loss_fn: A Keras loss, called as ``loss_fn(y_true, y_pred)``.
        x: A batch of inputs.
        y: The batch's labels.

    Returns:
        The batch's loss with ``training=False``, as a scalar tensor.

    Used in notebook 07.
    """
    return loss_fn(y, model(x, training=False))


def train_loop(
    model: keras.Model,
    train_ds: Iterable,
    val_ds: Iterable,
    epochs: int,
    optimizer: keras.optimizers.Optimizer,
    loss_fn: keras.losses.Loss,
) -> dict[str, list[float]]:
    """Train for ``epochs`` epochs, validating after each, and return the history.

    Each epoch runs one training step per batch of ``train_ds``, then
    evaluates every batch of ``val_ds`` without updating. The metrics are
    reset at the start of each epoch. As in ``model.fit``, the epoch's
    ``loss`` is the mean of the batch losses weighted by batch size, and
    ``accuracy`` counts the predictions made during the training steps.

    Args:
        model: A model whose outputs are class probabilities.
        train_ds: Batches ``(x, y)`` with integer labels, e.g. a batched
            ``tf.data.Dataset``.
        val_ds: Validation batches ``(x, y)``.
        epochs: The number of passes over ``train_ds``.
        optimizer: A Keras optimizer.
        loss_fn: A Keras loss, called as ``loss_fn(y_true, y_pred)``.

    Returns:
        ``{"loss": [...], "accuracy": [...], "val_loss": [...],
        "val_accuracy": [...]}``, one Python float per epoch in each list.

    Used in notebook 07.
    """
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"`epochs` must be a positive int, got {epochs!r}")
    loss_mean, accuracy = keras.metrics.Mean(), keras.metrics.SparseCategoricalAccuracy()
    val_mean, val_accuracy = keras.metrics.Mean(), keras.metrics.SparseCategoricalAccuracy()
    metrics = {"loss": loss_mean, "accuracy": accuracy, "val_loss": val_mean, "val_accuracy": val_accuracy}
    history: dict[str, list[float]] = {key: [] for key in HISTORY_KEYS}
    for _ in range(int(epochs)):
        for metric in metrics.values():
            metric.reset_state()
        for x, y in train_ds:
            loss, predictions = _update(model, optimizer, loss_fn, x, y)
            loss_mean.update_state(loss, sample_weight=tf.shape(predictions)[0])
            accuracy.update_state(y, predictions)
        for x, y in val_ds:
            predictions = model(x, training=False)
            val_mean.update_state(loss_fn(y, predictions), sample_weight=tf.shape(predictions)[0])
            val_accuracy.update_state(y, predictions)
        for key, metric in metrics.items():
            history[key].append(float(metric.result()))
    return history


def same_weights_twin(model: keras.Model, build) -> keras.Model:
    """A new model from ``build()`` holding a copy of ``model``'s weights.

    Args:
        model: The model to copy.
        build: A function with no arguments that builds the same architecture.

    Returns:
        The new model, with ``model.get_weights()`` set into it.

    Used by the tests of notebook 07.
    """
    twin = build()
    twin.set_weights(model.get_weights())
    return twin
