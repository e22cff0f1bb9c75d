"""Frozen Keras weights that TensorFlow's gradient tape no longer records, for the models that ask.

Keras 3 keeps a weight's ``trainable`` flag on its own variable object, and
on TensorFlow that object wraps a ``tf.Variable`` whose ``trainable`` flag was
fixed when the weight was created. Freezing a layer afterwards
(``base_model.trainable = False``) changes the Keras flag only. ``fit``'s
``tf.GradientTape`` watches every ``tf.Variable`` marked trainable that the
forward pass reads, so it still records the frozen base's whole forward pass,
and the training step gets a backward pass through the base whose result
nobody uses. Nothing is updated wrongly; it only costs time: on notebook 10's
MobileNetV2 (155 layers), about a second more per trace of the training step.

``follow_keras_flags(model)`` passes each of the model's Keras flags on to
its ``tf.Variable``, now and whenever the flag changes later, as Keras already
does for PyTorch's ``requires_grad`` (keras-team/keras#18519). So a layer
unfrozen for fine-tuning is recorded and updated again after the usual
``compile``. Other models keep Keras's own behaviour, on purpose: notebook 07
teaches that a gradient taken over ``model.weights`` moves frozen layers.

Used by ``helpers.transfer.compile_classifier`` (notebook 10).
"""
from __future__ import annotations

from typing import Any

_MARK = "_tfcourse_follows_keras_flag"


def _pass_on(variable: Any) -> None:
    inner = getattr(variable, "_value", None)
    if inner is not None and hasattr(inner, "_trainable"):
        inner._trainable = bool(variable.trainable)


def _install() -> bool:
    """Make the Keras flag's setter pass the flag on for marked variables; ``False`` where this Keras differs."""
    try:
        from keras.src.backend.tensorflow.core import Variable
    except ImportError:  # pragma: no cover - another Keras layout
        return False
    if getattr(Variable, "_tfcourse_installed", False):
        return True
    keras_flag = Variable.trainable
    if not isinstance(keras_flag, property) or keras_flag.fset is None:  # pragma: no cover - another Keras
        return False

    def set_trainable(self: Any, value: bool) -> None:
        keras_flag.fset(self, value)
        if getattr(self, _MARK, False):
            _pass_on(self)

    Variable.trainable = property(keras_flag.fget, set_trainable, doc=keras_flag.__doc__)
    Variable._tfcourse_installed = True
    return True


def follow_keras_flags(model: Any) -> Any:
    """Let TensorFlow's ``trainable`` flag of every weight of ``model`` follow Keras's, from now on.

    Args:
        model: A Keras model (or layer), built.

    Returns:
        ``model``. Where this Keras has no TensorFlow variable class to
        patch, unchanged: it then trains as usual, only slower.

    >>> from helpers.frozen import follow_keras_flags
    >>> from helpers import tf
    >>> layer = tf.keras.layers.Dense(2)
    >>> layer.build((None, 3))
    >>> layer.trainable = False
    >>> bool(follow_keras_flags(layer).kernel.value.trainable)
    False
    """
    if not _install():
        return model
    for variable in model.weights:
        setattr(variable, _MARK, True)
        _pass_on(variable)
    return model
