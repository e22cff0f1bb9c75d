"""The course's default model for the digits, and one call that makes a run repeatable.

``digits_classifier`` is notebook 01's answer put together: the Sequential
network (``helpers.reference.nb01.build_sequential_model``) compiled for
integer labels with Adam (``helpers.reference.nb01.compile_model``).

Used in every notebook from 02 on, and by the training explorer.
"""
from __future__ import annotations

import numpy as np

from helpers.quiet import import_tensorflow
from helpers.reference.nb01 import build_sequential_model, compile_model

tf = import_tensorflow()
keras = tf.keras


def set_seed(seed: int = 0) -> None:
    """Seed Python, NumPy and TensorFlow at once, for repeatable runs.

    Args:
        seed: The seed. Defaults to 0.

    Used in every notebook.
    """
    keras.utils.set_random_seed(seed)


def digits_classifier(learning_rate: float = 1e-3, seed: int | None = 0) -> keras.Model:
    """A compiled, seeded classifier for flat digits: the course's default model.

    64 inputs, a ReLU hidden layer of 32 units and a softmax over the 10
    classes, compiled with Adam, sparse categorical cross-entropy and an
    ``accuracy`` metric.

    Args:
        learning_rate: Adam's step size. Defaults to 0.001.
        seed: Seed for the initial weights, or ``None`` to leave them
            random. Defaults to 0.

    Returns:
        A compiled model ready for ``fit`` on flat digits.

    Used in notebooks 02-09 and the training explorer.

    >>> digits_classifier().output_shape
    (None, 10)
    """
    if seed is not None:
        set_seed(seed)
    return build_training_state(compile_model(build_sequential_model(), learning_rate))


def build_training_state(model: keras.Model, data_batch: tuple | None = None) -> keras.Model:
    """Create a compiled model's optimizer and metric variables now, instead of in ``fit``.

    On TensorFlow, Keras otherwise creates them while tracing the training
    step, and TensorFlow then traces that step a second time: about 0.4 s for
    the digits model, a second for MobileNetV2, before the first epoch. The
    weights and every result stay the same. Skipped where this Keras lacks the
    hook, or where the state cannot be built (``fit`` then builds and reports
    it as usual).

    A built model with one output gets only that state (``_build_from_output``):
    Keras's own ``_symbolic_build`` would first trace the whole model forward
    just to learn the output's shape, which the model already knows (about
    0.6 s for MobileNetV2, at every compile).

    Args:
        model: A compiled model.
        data_batch: One ``(x, y)`` batch of the training data. Defaults to
            ``None``: a zero input of the model's single input's shape, with
            an integer class label (a classifier for integer labels).

    Returns:
        ``model``.

    Used by ``digits_classifier``, ``helpers.transfer.compile_classifier``
    and the training explorer.
    """
    build = getattr(model, "_symbolic_build", None)
    if build is None:
        return model
    if data_batch is None:
        if len(getattr(model, "inputs", None) or []) != 1:
            return model
        data_batch = (np.zeros((1, *model.inputs[0].shape[1:]), dtype="float32"), np.zeros((1,), dtype="int32"))
    try:
        if not _build_from_output(model, data_batch):
            build(data_batch=data_batch)
    except Exception:  # fit builds (and reports) it as usual
        pass
    return model


def _build_from_output(model: keras.Model, data_batch: tuple) -> bool:
    """Keras's ``Trainer._symbolic_build`` for a built model with a single output, less its forward pass: the
    metrics' and loss's state from symbolic tensors of the data's and the output's shapes, then the optimizer's.
    Returns ``False`` (nothing done) for any other model."""
    from keras.src import backend

    outputs = getattr(model, "outputs", None) or []
    if len(outputs) != 1 or not all(layer.built for layer in model._flatten_layers()):
        return False
    symbolic = [backend.KerasTensor(np.shape(v), backend.standardize_dtype(np.asarray(v).dtype)) for v in data_batch]
    x, y, weights = (*symbolic, None)[:3]
    y_pred = backend.KerasTensor((x.shape[0], *outputs[0].shape[1:]), outputs[0].dtype)
    metrics, loss = getattr(model, "_compile_metrics", None), getattr(model, "_compile_loss", None)
    if metrics is not None and not metrics.built:
        backend.compute_output_spec(model.compute_metrics, x, y, y_pred, sample_weight=weights)
    if loss is not None and not loss.built:
        backend.compute_output_spec(model._compute_loss, x, y, y_pred, sample_weight=weights, training=False)
    if model.optimizer is not None and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    model._post_build()
    return True
