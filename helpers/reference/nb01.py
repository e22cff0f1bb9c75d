"""Reference answer for notebook 01's exercises; used by helpers.checks.nb01.

One small classifier for the digits, in Keras's three model-building styles,
and the compile step for integer labels. The three builders make the same
network (inputs, one ReLU hidden layer, a softmax over the classes), so their
weights are interchangeable: that is how the checks compare a student's model
with these, and notebook 01 shows it.

Later notebooks build on ``build_sequential_model`` and ``compile_model``
(``helpers.models.digits_classifier`` is the two together); the defaults give
the course's digits classifier.
"""
from __future__ import annotations

from helpers.data import FLAT_DIM, NUM_CLASSES
from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


def build_sequential_model(
    input_dim: int = FLAT_DIM, hidden_units: int = 32, num_classes: int = NUM_CLASSES
) -> keras.Model:
    """Build the classifier with the Sequential API: input -> Dense(ReLU) -> Dense(softmax).

    Args:
        input_dim: Features per sample. Defaults to 64 (flat digits).
        hidden_units: Width of the ReLU hidden layer. Defaults to 32.
        num_classes: Size of the softmax output. Defaults to 10.

    Returns:
        An uncompiled ``keras.Sequential`` model.

    Notebook 01's exercise 1; later notebooks build on it.

    >>> build_sequential_model(20, 7, 3).output_shape
    (None, 3)
    """
    return keras.Sequential(
        [
            keras.Input(shape=(input_dim,)),
            keras.layers.Dense(hidden_units, activation="relu"),
            keras.layers.Dense(num_classes, activation="softmax"),
        ],
        name="sequential_mlp",
    )


def build_functional_model(
    input_dim: int = FLAT_DIM, hidden_units: int = 32, num_classes: int = NUM_CLASSES
) -> keras.Model:
    """Build the same classifier with the Functional API.

    Args as ``build_sequential_model``. Returns an uncompiled functional ``keras.Model``.

    Notebook 01's exercise 2.
    """
    inputs = keras.Input(shape=(input_dim,))
    hidden = keras.layers.Dense(hidden_units, activation="relu")(inputs)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(hidden)
    return keras.Model(inputs, outputs, name="functional_mlp")


class MLP(keras.Model):
    """The same classifier as a subclassed ``keras.Model``.

    Args:
        hidden_units: Width of the ReLU hidden layer.
        num_classes: Size of the softmax output.

    Notebook 01's exercise 3.
    """

    def __init__(self, hidden_units: int, num_classes: int, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(hidden_units, activation="relu")
        self.classifier = keras.layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=False):
        return self.classifier(self.hidden(inputs))


def build_subclassed_model(
    input_dim: int = FLAT_DIM, hidden_units: int = 32, num_classes: int = NUM_CLASSES
) -> keras.Model:
    """Build an ``MLP`` and call it once, so that its weights exist for ``input_dim`` features.

    Args as ``build_sequential_model``. Returns the ``MLP``, its weights created.

    Notebook 01's exercise 3.
    """
    model = MLP(hidden_units, num_classes)
    model(tf.zeros((1, input_dim)))  # one call creates the weights
    return model


def compile_model(model: keras.Model, learning_rate: float = 1e-3) -> keras.Model:
    """Compile a softmax classifier for integer class labels with Adam.

    Args:
        model: A model whose last layer is a softmax.
        learning_rate: Adam's step size. Defaults to 0.001.

    Returns:
        The same model, compiled with sparse categorical cross-entropy and an
        ``accuracy`` metric.

    Notebook 01's exercise 4; later notebooks build on it.
    """
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=["accuracy"],
    )
    return model
