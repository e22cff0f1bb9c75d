"""A model whose numbers show whether it ran in training mode and which weights moved.

``fit`` calls a model with ``training=True`` and ``evaluate`` with
``training=False``; layers such as ``Dropout`` compute something different in
each. ``TrainingProbe`` is a deterministic stand-in for them, and
``probe_model`` puts one in a small classifier whose first layer is frozen, so
a forward pass in the wrong mode, or an update of non-trainable weights, shows
in the numbers.

Used in notebook 07 (the section on training and inference mode) and by its
checks, ``helpers.checks.nb07``.
"""
from __future__ import annotations

from helpers.data import NUM_CLASSES
from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


class TrainingProbe(keras.layers.Layer):
    """Scale the inputs by ``factor`` in training mode; pass them through otherwise.

    A deterministic stand-in for ``Dropout``: the output depends on the
    ``training`` flag, but not on a random draw, so two training steps from
    the same weights give the same numbers.

    Args:
        factor: The scale applied when ``training=True``. Defaults to 0.5.

    Used in notebook 07.

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
    l2: float = 0.0,
) -> keras.Model:
    """A small softmax classifier with a frozen first layer and a ``TrainingProbe``.

    Layers: a frozen ``Dense(hidden_units, tanh)``, a trainable
    ``Dense(hidden_units, relu)``, ``TrainingProbe(0.5)``, and a
    ``Dense(num_classes, softmax)``. Two calls with the same ``seed`` give the
    same initial weights. With ``l2 > 0`` the two trainable ``Dense`` layers
    get ``kernel_regularizer=L2(l2)``, so ``model.losses`` holds two penalties.

    Args:
        input_dim: Features per sample. Defaults to 64.
        hidden_units: Width of both hidden layers. Defaults to 16.
        num_classes: Size of the softmax output. Defaults to 10.
        seed: Seed for the initial weights, or ``None`` for random ones.
            Defaults to 0.
        l2: The L2 factor of the trainable layers' kernel regularisers, or 0
            for none. Defaults to 0.

    Returns:
        An uncompiled ``keras.Sequential`` model, 6 weight tensors of which
        the first 2 are non-trainable.

    Used in notebook 07.

    >>> len(probe_model(12, 6, 4).trainable_variables)
    4
    """
    if seed is not None:
        keras.utils.set_random_seed(seed)
    penalty = keras.regularizers.L2(l2) if l2 > 0 else None
    model = keras.Sequential(
        [
            keras.Input(shape=(input_dim,)),
            keras.layers.Dense(hidden_units, activation="tanh", name="frozen"),
            keras.layers.Dense(hidden_units, activation="relu", kernel_regularizer=penalty, name="hidden"),
            TrainingProbe(0.5, name="probe"),
            keras.layers.Dense(num_classes, activation="softmax", kernel_regularizer=penalty, name="classifier"),
        ],
        name="probe_model",
    )
    model.get_layer("frozen").trainable = False
    return model
