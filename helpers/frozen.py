"""Frozen Keras weights that TensorFlow's gradient tape no longer records.

Keras 3 keeps a weight's ``trainable`` flag on its own variable object, and
on TensorFlow that object wraps a ``tf.Variable`` whose ``trainable`` flag was
fixed when the weight was created. Freezing a layer afterwards
(``base_model.trainable = False``) changes the Keras flag only. ``fit``'s
``tf.GradientTape`` watches every ``tf.Variable`` marked trainable that the
forward pass reads, so it still records the frozen base's whole forward pass,
and the training step gets a backward pass through the base whose result
nobody uses. Nothing is updated wrongly; it only costs time: on notebook 10's
MobileNetV2 (155 layers), about a second more per trace of the training step.

``sync_frozen_flags()`` makes the Keras setter pass the flag on to the
``tf.Variable``, as Keras already does for PyTorch's ``requires_grad``
(keras-team/keras#18519). Unfreezing passes ``True`` on the same way, so a
layer unfrozen for fine-tuning is recorded and updated again after the usual
``compile``. It is installed when the course imports TensorFlow
(``from helpers import tf``), in students' kernels and in the grader alike.

Used by ``helpers.quiet.import_tensorflow``.
"""
from __future__ import annotations


def sync_frozen_flags() -> bool:
    """Pass every later change of a Keras weight's ``trainable`` flag on to its ``tf.Variable``.

    Returns:
        ``True`` when installed (or already installed); ``False`` where this
        Keras has no TensorFlow variable class to patch (another backend or
        version): Keras then behaves as it always does, only slower.

    >>> from helpers.frozen import sync_frozen_flags
    >>> sync_frozen_flags()
    True
    """
    try:
        from keras.src.backend.tensorflow.core import Variable
    except ImportError:  # pragma: no cover - another Keras layout
        return False
    if getattr(Variable, "_tfcourse_synced", False):
        return True
    keras_flag = Variable.trainable
    if not isinstance(keras_flag, property) or keras_flag.fset is None:  # pragma: no cover - another Keras
        return False

    def set_trainable(self, value: bool) -> None:
        keras_flag.fset(self, value)
        inner = getattr(self, "_value", None)
        if inner is not None and hasattr(inner, "_trainable"):
            inner._trainable = bool(value)

    Variable.trainable = property(keras_flag.fget, set_trainable, doc=keras_flag.__doc__)
    Variable._tfcourse_synced = True
    return True
