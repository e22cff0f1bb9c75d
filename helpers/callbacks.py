"""A real ``fit`` whose logged values follow a script: for seeing what a callback does, epoch by epoch.

A callback reacts to the numbers ``fit`` logs at the end of each epoch. To
know exactly what it should do, ``ScriptedLogs`` writes chosen numbers into
those logs before the other callbacks see them, and ``scripted_fit`` runs a
real ``fit`` of a tiny model with it.

Used in notebook 08 (the worked example of a callback) and by its checks,
``helpers.checks.nb08``.
"""
from __future__ import annotations

import functools
from typing import Mapping, Sequence

import numpy as np

from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


class ScriptedLogs(keras.callbacks.Callback):
    """Overwrite logged values with scripted ones, and record the weights, at each epoch's end.

    Put it *first* in ``callbacks``: Keras hands every callback the same logs
    dict in list order, so the callbacks after it (and ``History``) see the
    scripted values.

    Args:
        scripts: ``{name: values}``, e.g. ``{"val_loss": [0.9, 0.8, ...]}``;
            epoch ``i`` logs ``values[i]``.

    Attributes:
        weights: The model's weights at the end of each epoch, in order.

    Used in notebook 08 and by its checks.
    """

    def __init__(self, scripts: Mapping[str, Sequence[float]]):
        super().__init__()
        self.scripts = {name: [float(v) for v in values] for name, values in scripts.items()}
        self.weights: list[list[np.ndarray]] = []

    def on_train_begin(self, logs=None):
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        for name, values in self.scripts.items():
            logs[name] = values[epoch]
        self.weights.append(self.model.get_weights())


def tiny_model(seed: int = 0) -> keras.Model:
    """A compiled 4-input, 3-class softmax regression: the smallest model ``fit`` can train.

    Args:
        seed: Seed of the initial weights. Defaults to 0.

    Returns:
        A model compiled with SGD(0.5), sparse categorical cross-entropy and
        ``accuracy``.

    Used by ``scripted_fit``.
    """
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def scripted_fit(
    callbacks: Sequence[keras.callbacks.Callback],
    scripts: Mapping[str, Sequence[float]],
    model: keras.Model | None = None,
) -> tuple[keras.Model, ScriptedLogs, dict[str, list[float]]]:
    """Train ``model`` (default: a new ``tiny_model``) with real ``fit`` while ``scripts`` dictate the logs.

    One batch per epoch, unshuffled, so the weights change every epoch. At
    most as many epochs run as the scripts are long.

    Args:
        callbacks: The callbacks under test; they run after the script.
        scripts: ``{name: values per epoch}``, as for ``ScriptedLogs``.
        model: A compiled model with 4 inputs and 3 classes. Defaults to a
            new ``tiny_model()``.

    Returns:
        ``(model, recorder, history)``: the trained model, the
        ``ScriptedLogs`` (its ``weights`` per epoch) and ``fit``'s history.

    Used in notebook 08 and by its checks.
    """
    model = model if model is not None else tiny_model()
    recorder = ScriptedLogs(scripts)
    epochs = min(len(values) for values in scripts.values())
    history = model.fit(_one_batch(), epochs=epochs, verbose=0, callbacks=[recorder, *callbacks])
    return model, recorder, history.history


@functools.lru_cache(maxsize=1)
def _one_batch() -> tf.data.Dataset:
    """``scripted_fit``'s 24 examples as one unshuffled batch.

    A ``tf.data`` pipeline built once: given NumPy arrays, ``fit`` builds a
    new pipeline every epoch, which takes longer than this epoch's training.
    """
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int32") + (x[:, 1] > 0.5).astype("int32")
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(24)
