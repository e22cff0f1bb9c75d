"""Reference answers for notebook 10's exercises; used by helpers.checks.nb10.

Notebook 10 follows the transfer-learning recipe with MobileNetV2: scale the
pixels the way the base expects and augment only in training
(``build_image_preprocessing``), put a frozen base under a new head
(``build_transfer_model``), choose where fine-tuning starts
(``unfreeze_from``, BatchNormalization kept frozen), and recompile with a low
learning rate (``prepare_fine_tuning``).
"""
from __future__ import annotations

import numpy as np

from helpers.quiet import import_tensorflow
from helpers.transfer import compile_classifier

tf = import_tensorflow()
keras = tf.keras


def build_image_preprocessing(rotation: float = 0.1) -> keras.Sequential:
    """Augment in training only, then scale pixels from [0, 255] to [-1, 1] (exercise 1).

    ``RandomFlip`` and ``RandomRotation`` change images only when called with
    ``training=True`` (as ``fit`` does); in inference they pass images
    through. ``Rescaling(1 / 127.5, offset=-1)`` is what
    ``keras.applications.mobilenet_v2.preprocess_input`` computes.

    Args:
        rotation: ``RandomRotation``'s factor, a fraction of a full turn. Defaults to 0.1.

    Returns:
        An unbuilt ``keras.Sequential``.
    """
    return keras.Sequential([
        keras.layers.RandomFlip("horizontal"),
        keras.layers.RandomRotation(rotation),
        keras.layers.Rescaling(1 / 127.5, offset=-1),
    ], name="preprocessing")


def build_transfer_model(base_model: keras.Model, num_classes: int, preprocessing: keras.layers.Layer,
                         dropout_rate: float = 0.2) -> keras.Model:
    """Freeze ``base_model`` and build pixels -> preprocessing -> base -> pool -> Dropout -> softmax (exercise 2).

    The base is called with ``training=False``, which governs calls made
    without a ``training`` argument. In Keras 3 a frozen BatchNormalization
    layer runs in inference mode even inside ``fit``, because Keras 3 ties that
    to ``trainable``.

    Args:
        base_model: A convolutional base (4-D feature-map output).
        num_classes: Classes of the new task.
        preprocessing: The layer that augments and scales the pixels.
        dropout_rate: Dropout's rate before the classifier. Defaults to 0.2.

    Returns:
        An uncompiled Functional model whose input is raw pixels in [0, 255].
    """
    base_model.trainable = False
    inputs = keras.Input(shape=base_model.input_shape[1:])
    x = preprocessing(inputs)
    x = base_model(x, training=False)
    x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dropout(dropout_rate)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def count_trainable_params(model: keras.Model) -> int:
    """How many numbers training may change: the sizes of ``model.trainable_weights``, summed.

    >>> count_trainable_params(keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]))
    8
    """
    return int(sum(int(np.prod(w.shape)) for w in model.trainable_weights))


def unfreeze_from(base_model: keras.Model, layer_name: str) -> keras.Model:
    """Make the layer ``layer_name`` and every layer above it trainable, except BatchNormalization (exercise 3).

    Args:
        base_model: The base, frozen or not.
        layer_name: The name of the lowest layer to fine-tune.

    Returns:
        ``base_model``, with ``trainable`` set on every layer.
    """
    base_model.trainable = True
    names = [layer.name for layer in base_model.layers]
    start = names.index(layer_name)
    for i, layer in enumerate(base_model.layers):
        layer.trainable = i >= start and not isinstance(layer, keras.layers.BatchNormalization)
    return base_model


def prepare_fine_tuning(model: keras.Model, base_model: keras.Model, layer_name: str,
                        learning_rate: float) -> keras.Model:
    """Unfreeze ``base_model`` from ``layer_name`` up and recompile ``model`` with a low learning rate (exercise 4).

    Recompiling matters: Keras builds its training step (and the list of
    weights it updates) once per compile, so changes to ``trainable`` after a
    ``fit`` take effect only after the next ``compile``.

    Args:
        model: The transfer model, its head already trained.
        base_model: The base inside ``model``.
        layer_name: The lowest layer of the base to fine-tune.
        learning_rate: Adam's new learning rate.

    Returns:
        ``model``, recompiled.
    """
    unfreeze_from(base_model, layer_name)
    return compile_classifier(model, learning_rate)


def train_best_model(base_model: keras.Model, train_ds, val_ds, epochs: int = 30,
                     learning_rate: float = 1e-2) -> keras.Model:
    """The challenge's answer: features computed once by the frozen base, a head trained on them for many epochs.

    With a frozen base and no augmentation, the base's output for an image never
    changes, so it is computed once (one pass over the 120 images) instead of
    once per epoch; the head then trains for many cheap epochs, on the training
    and validation images together, from a ``tf.data.Dataset`` (given NumPy
    arrays, ``fit`` spends about 0.1 s per epoch preparing them again). The
    returned model chains the same layers: raw pixels in, class probabilities
    out.

    Args:
        base_model: The pretrained MobileNetV2 (``include_top=False``).
        train_ds: ``(images, labels)`` batches from ``image_dataset_from_directory``, pixels in [0, 255].
        val_ds: The same, for validation.
        epochs: Epochs of the head. Defaults to 30.
        learning_rate: Adam's learning rate for the head. Defaults to 1e-2.

    Returns:
        A model from raw pixels to one probability per class of ``train_ds.class_names``.
    """
    base_model.trainable = False
    scaling = keras.layers.Rescaling(1 / 127.5, offset=-1)
    pooling = keras.layers.GlobalAveragePooling2D()
    features, labels = [], []
    # 60 images a call: an eager call costs ~0.4 s whatever its size, and all 120 at once would hold ~1 GB
    for images, batch_labels in train_ds.concatenate(val_ds).unbatch().batch(60):
        features.append(np.asarray(pooling(base_model(scaling(images), training=False))))
        labels.append(np.asarray(batch_labels))
    head = keras.Sequential([keras.Input(shape=(features[0].shape[-1],)), keras.layers.Dropout(0.2),
                             keras.layers.Dense(len(train_ds.class_names), activation="softmax")])
    compile_classifier(head, learning_rate)
    pairs = tf.data.Dataset.from_tensor_slices((np.concatenate(features), np.concatenate(labels)))
    head.fit(pairs.shuffle(120).batch(30), epochs=epochs, verbose=0)   # a Dataset: an epoch costs ~0.1 s less
    inputs = keras.Input(shape=base_model.input_shape[1:])
    return keras.Model(inputs, head(pooling(base_model(scaling(inputs), training=False))))
