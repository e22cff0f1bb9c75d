"""Reference models for the digits set, in Keras's three model-building styles.

All three builders make the same network: 64 inputs, one ReLU hidden layer and
a softmax over the 10 digit classes. Their weights are interchangeable, which
is how notebook 01's tests compare a student's three models.

Used in notebook 01; later notebooks build on ``build_sequential`` and
``compile_for_integer_labels``.
"""
from __future__ import annotations

from helpers.data import FLAT_DIM, NUM_CLASSES
from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


def set_seed(seed: int = 0) -> None:
    """Seed Python, NumPy and TensorFlow at once, for repeatable runs.

    Args:
        seed: The seed. Defaults to 0.

    Used in every notebook.
    """
    keras.utils.set_random_seed(seed)


def build_sequential(
    input_dim: int = FLAT_DIM, hidden_units: int = 32, num_classes: int = NUM_CLASSES
) -> keras.Model:
    """Build the course's small classifier with the Sequential API.

    Args:
        input_dim: Features per sample. Defaults to 64 (flat digits).
        hidden_units: Width of the ReLU hidden layer. Defaults to 32.
        num_classes: Size of the softmax output. Defaults to 10.

    Returns:
        An uncompiled ``keras.Sequential`` model.

    Used in notebook 01 and, as the default model, in notebooks 02-09.

    >>> build_sequential().output_shape
    (None, 10)
    """
    return keras.Sequential(
        [
            keras.Input(shape=(input_dim,)),
            keras.layers.Dense(hidden_units, activation="relu"),
            keras.layers.Dense(num_classes, activation="softmax"),
        ],
        name="sequential_mlp",
    )


def build_functional(
    input_dim: int = FLAT_DIM, hidden_units: int = 32, num_classes: int = NUM_CLASSES
) -> keras.Model:
    """Build the same classifier with the Functional API.

    Args, returns and example as ``build_sequential``. Used in notebook 01.
    """
    inputs = keras.Input(shape=(input_dim,))
    hidden = keras.layers.Dense(hidden_units, activation="relu")(inputs)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(hidden)
    return keras.Model(inputs, outputs, name="functional_mlp")


class DigitsMLP(keras.Model):
    """The same classifier as a subclassed ``keras.Model``.

    Args:
        hidden_units: Width of the ReLU hidden layer. Defaults to 32.
        num_classes: Size of the softmax output. Defaults to 10.

    Used in notebook 01.
    """

    def __init__(self, hidden_units: int = 32, num_classes: int = NUM_CLASSES, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(hidden_units, activation="relu")
        self.classifier = keras.layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=False):
        return self.classifier(self.hidden(inputs))


def build_subclassed(
    input_dim: int = FLAT_DIM, hidden_units: int = 32, num_classes: int = NUM_CLASSES
) -> keras.Model:
    """Build ``DigitsMLP`` and create its weights for ``input_dim`` features.

    Args, returns and example as ``build_sequential``. Used in notebook 01.
    """
    model = DigitsMLP(hidden_units, num_classes)
    model(tf.zeros((1, input_dim)))  # one call creates the weights
    return model


def compile_for_integer_labels(
    model: keras.Model, learning_rate: float = 1e-3
) -> keras.Model:
    """Compile ``model`` for integer class labels with Adam.

    Args:
        model: A model whose last layer is a softmax.
        learning_rate: Adam's step size. Defaults to 0.001.

    Returns:
        The same model, compiled with sparse categorical cross-entropy and
        an ``accuracy`` metric.

    Used in notebook 01 and by later notebooks' default model.
    """
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=["accuracy"],
    )
    return model


def digits_classifier(learning_rate: float = 1e-3, seed: int | None = 0) -> keras.Model:
    """A compiled, seeded ``build_sequential`` model: the course's default.

    Args:
        learning_rate: Adam's step size. Defaults to 0.001.
        seed: Seed for the initial weights, or ``None`` to leave them
            random. Defaults to 0.

    Returns:
        A compiled model ready for ``fit`` on flat digits.

    Used in notebooks 02-09 and the training explorer.
    """
    if seed is not None:
        set_seed(seed)
    return compile_for_integer_labels(build_sequential(), learning_rate)
