"""Reference answers for notebook 10's exercises; used by helpers.checks.nb10.

Notebook 10 freezes a pretrained base and puts a new head on it
(``build_transfer_model``), counts what training may change
(``count_trainable_params``), and prepares fine-tuning: the top layers
unfrozen, BatchNormalization kept frozen (``unfreeze_top_layers``), and the
model recompiled with a low learning rate (``prepare_fine_tuning``).
"""
from __future__ import annotations

import numpy as np

from helpers.quiet import import_tensorflow
from helpers.transfer import compile_classifier

keras = import_tensorflow().keras


def build_transfer_model(base_model: keras.Model, num_classes: int) -> keras.Model:
    """Freeze ``base_model`` and put a new classifier on top (exercise 1).

    The base is called with ``training=False``, which governs calls made
    without a ``training`` argument. In Keras 3 an outer ``training=True``
    (as in ``fit``) is passed down and wins; a frozen BatchNormalization layer
    still runs in inference mode, because Keras 3 ties that to ``trainable``.

    Args:
        base_model: A convolutional base (4-D feature-map output).
        num_classes: Classes of the new task.

    Returns:
        An uncompiled Functional model
        ``base -> GlobalAveragePooling2D -> Dense(softmax)``.
    """
    base_model.trainable = False
    inputs = keras.Input(shape=base_model.input_shape[1:])
    features = base_model(inputs, training=False)
    pooled = keras.layers.GlobalAveragePooling2D()(features)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(pooled)
    return keras.Model(inputs, outputs)


def count_trainable_params(model: keras.Model) -> int:
    """How many numbers training may change: the sizes of ``model.trainable_weights``, summed (exercise 2).

    Args:
        model: Any Keras model or layer.

    Returns:
        The count, as a Python ``int``.

    >>> count_trainable_params(keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]))
    8
    """
    return int(sum(int(np.prod(w.shape)) for w in model.trainable_weights))


def unfreeze_top_layers(base_model: keras.Model, n: int) -> keras.Model:
    """Make the top ``n`` layers of ``base_model`` trainable, except BatchNormalization layers (exercise 3).

    Args:
        base_model: The base, frozen or not.
        n: How many layers, counted from the top of ``base_model.layers``.

    Returns:
        ``base_model``, with ``trainable`` set on every layer.
    """
    base_model.trainable = True
    first_unfrozen = len(base_model.layers) - n
    for i, layer in enumerate(base_model.layers):
        is_bn = isinstance(layer, keras.layers.BatchNormalization)
        layer.trainable = i >= first_unfrozen and not is_bn
    return base_model


def prepare_fine_tuning(model: keras.Model, base_model: keras.Model, n: int, learning_rate: float) -> keras.Model:
    """Unfreeze the top ``n`` layers of ``base_model`` and recompile ``model`` with a low learning rate (exercise 4).

    Recompiling matters: Keras builds its training step (and the list of
    weights it updates) once per compile, so changes to ``trainable`` after a
    ``fit`` take effect only after the next ``compile``.

    Args:
        model: The transfer model, its head already trained.
        base_model: The base inside ``model``.
        n: How many of the base's top layers to unfreeze.
        learning_rate: Adam's new learning rate.

    Returns:
        ``model``, recompiled.
    """
    unfreeze_top_layers(base_model, n)
    return compile_classifier(model, learning_rate)
