"""Reference answer for notebook 07's exercises; used by helpers.checks.nb07.

A training loop written by hand with ``tf.GradientTape``. ``model.fit`` runs,
for every batch, a forward pass in training mode, the loss, the gradients of
that loss with respect to the trainable weights, and one optimizer update.
These functions spell that loop out:

- ``train_step``: one update on one batch; returns the batch's loss;
- ``eval_step``: the loss on one batch, in inference mode, with no update;
- ``train_loop``: epochs of training steps and validation with per-epoch
  metrics, returning a history dict shaped like ``model.fit``'s;
- ``clipped_train_step``: a training step that also minimises the layers'
  regularisation penalties (``model.losses``) and clips the gradients by
  their global norm;
- ``ClippedModel``: the same clipping inside ``fit``, by overriding
  ``Model.train_step``.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras

#: The keys of the history dict that ``train_loop`` returns, in order.
HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")


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

    Notebook 07's exercise 1.
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

    Notebook 07's exercise 2.
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

    Raises:
        ValueError: if ``epochs`` is not a positive int.

    Notebook 07's exercise 3.
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


def clipped_train_step(
    model: keras.Model,
    optimizer: keras.optimizers.Optimizer,
    loss_fn: keras.losses.Loss,
    x,
    y,
    max_norm: float,
) -> tf.Tensor:
    """One update that minimises the data loss plus the regularisation penalties, with clipped gradients.

    Inside the tape: the forward pass with ``training=True``, then the total
    loss ``loss_fn(y, predictions) + sum(model.losses)`` (``model.losses``
    holds one scalar per regulariser, e.g. ``kernel_regularizer``; the sum of
    an empty list is 0). The gradients over ``model.trainable_variables`` are
    rescaled together by ``tf.clip_by_global_norm`` so that their joint norm
    is at most ``max_norm``, which keeps their direction; then one
    ``optimizer.apply_gradients``.

    Args:
        model: The model to train.
        optimizer: A Keras optimizer.
        loss_fn: A Keras loss, called as ``loss_fn(y_true, y_pred)``.
        x: A batch of inputs.
        y: The batch's labels.
        max_norm: The largest global norm the applied gradients may have.

    Returns:
        The total loss (data loss plus penalties) before the update, as a
        scalar tensor: the number ``fit`` reports for a regularised model.

    Notebook 07's exercise 4.
    """
    with tf.GradientTape() as tape:
        predictions = model(x, training=True)
        loss = loss_fn(y, predictions) + sum(model.losses)
    gradients = tape.gradient(loss, model.trainable_variables)
    gradients, _ = tf.clip_by_global_norm(gradients, max_norm)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


class ClippedModel(keras.Model):
    """A model whose ``fit`` clips the gradients by their global norm; everything else is ``fit``'s own.

    Built like a functional model, ``ClippedModel(inputs, outputs)``; set
    ``max_norm`` on the instance to change the clipping. ``train_step`` runs
    the forward pass in training mode, takes the loss from
    ``self.compute_loss`` (the compiled loss plus ``self.losses``), clips the
    gradients with ``tf.clip_by_global_norm``, applies them with
    ``self.optimizer.apply``, updates ``self.metrics`` and returns their
    results, so callbacks and the history see them.

    Notebook 07's exercise 5.
    """

    #: The largest global norm of the gradients applied at each step.
    max_norm = 1.0

    def train_step(self, data):
        """One clipped update on the batch ``data = (x, y)``; returns ``{metric name: result}``."""
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        gradients, _ = tf.clip_by_global_norm(gradients, self.max_norm)
        self.optimizer.apply(gradients, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {metric.name: metric.result() for metric in self.metrics}
