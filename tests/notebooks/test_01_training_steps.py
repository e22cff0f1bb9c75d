"""Notebook 01's tests judged in-process: realistic wrong answers are rejected, differently written right ones accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "01-training-steps"
SEQUENTIAL = "01_build_sequential"
FUNCTIONAL = "01_build_functional"
SUBCLASSED = "01_build_subclassed"
COMPILE = "01_compile_model"

WRONG = {
    SEQUENTIAL: {
        "linear hidden layer": '''
def build_sequential_model(input_dim, hidden_units, num_classes):
    return keras.Sequential([keras.Input(shape=(input_dim,)),
                             keras.layers.Dense(hidden_units),
                             keras.layers.Dense(num_classes, activation="softmax")])
''',
        "softmax missing": '''
def build_sequential_model(input_dim, hidden_units, num_classes):
    return keras.Sequential([keras.Input(shape=(input_dim,)),
                             keras.layers.Dense(hidden_units, activation="relu"),
                             keras.layers.Dense(num_classes)])
''',
        "sigmoid output": '''
def build_sequential_model(input_dim, hidden_units, num_classes):
    return keras.Sequential([keras.Input(shape=(input_dim,)),
                             keras.layers.Dense(hidden_units, activation="relu"),
                             keras.layers.Dense(num_classes, activation="sigmoid")])
''',
        "sizes hard-coded to the visible test": '''
def build_sequential_model(input_dim, hidden_units, num_classes):
    return keras.Sequential([keras.Input(shape=(64,)),
                             keras.layers.Dense(32, activation="relu"),
                             keras.layers.Dense(10, activation="softmax")])
''',
        "Functional model instead of Sequential": '''
def build_sequential_model(input_dim, hidden_units, num_classes):
    inputs = keras.Input(shape=(input_dim,))
    h = keras.layers.Dense(hidden_units, activation="relu")(inputs)
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(h))
''',
    },
    FUNCTIONAL: {
        "linear hidden layer": '''
def build_functional_model(input_dim, hidden_units, num_classes):
    inputs = keras.Input(shape=(input_dim,))
    h = keras.layers.Dense(hidden_units)(inputs)
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(h))
''',
        "softmax missing": '''
def build_functional_model(input_dim, hidden_units, num_classes):
    inputs = keras.Input(shape=(input_dim,))
    h = keras.layers.Dense(hidden_units, activation="relu")(inputs)
    return keras.Model(inputs, keras.layers.Dense(num_classes)(h))
''',
        "hidden layer skipped (output wired to the input)": '''
def build_functional_model(input_dim, hidden_units, num_classes):
    inputs = keras.Input(shape=(input_dim,))
    h = keras.layers.Dense(hidden_units, activation="relu")(inputs)
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(inputs))
''',
        "a Sequential model": '''
def build_functional_model(input_dim, hidden_units, num_classes):
    return keras.Sequential([keras.Input(shape=(input_dim,)),
                             keras.layers.Dense(hidden_units, activation="relu"),
                             keras.layers.Dense(num_classes, activation="softmax")])
''',
    },
    SUBCLASSED: {
        "call skips the hidden layer": '''
class MLP(keras.Model):
    def __init__(self, hidden_units, num_classes):
        super().__init__()
        self.hidden = keras.layers.Dense(hidden_units, activation="relu")
        self.classifier = keras.layers.Dense(num_classes, activation="softmax")
    def call(self, inputs, training=False):
        return self.classifier(inputs)

def build_subclassed_model(input_dim, hidden_units, num_classes):
    model = MLP(hidden_units, num_classes)
    model(np.zeros((1, input_dim), dtype="float32"))
    return model
''',
        "linear hidden layer": '''
class MLP(keras.Model):
    def __init__(self, hidden_units, num_classes):
        super().__init__()
        self.hidden = keras.layers.Dense(hidden_units)
        self.classifier = keras.layers.Dense(num_classes, activation="softmax")
    def call(self, inputs, training=False):
        return self.classifier(self.hidden(inputs))

def build_subclassed_model(input_dim, hidden_units, num_classes):
    model = MLP(hidden_units, num_classes)
    model(np.zeros((1, input_dim), dtype="float32"))
    return model
''',
        "never called, so no weights": '''
class MLP(keras.Model):
    def __init__(self, hidden_units, num_classes):
        super().__init__()
        self.hidden = keras.layers.Dense(hidden_units, activation="relu")
        self.classifier = keras.layers.Dense(num_classes, activation="softmax")
    def call(self, inputs, training=False):
        return self.classifier(self.hidden(inputs))

def build_subclassed_model(input_dim, hidden_units, num_classes):
    return MLP(hidden_units, num_classes)
''',
        "a Sequential model instead of a subclass": '''
def build_subclassed_model(input_dim, hidden_units, num_classes):
    return keras.Sequential([keras.Input(shape=(input_dim,)),
                             keras.layers.Dense(hidden_units, activation="relu"),
                             keras.layers.Dense(num_classes, activation="softmax")])
''',
    },
    COMPILE: {
        "categorical cross-entropy with integer labels": '''
def compile_model(model, learning_rate):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="categorical_crossentropy", metrics=["accuracy"])
    return model
''',
        "learning rate ignored": '''
def compile_model(model, learning_rate):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
        "mean squared error on class labels": '''
def compile_model(model, learning_rate):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", metrics=["accuracy"])
    return model
''',
        "metric named 'acc', so later notebooks find no 'accuracy'": '''
def compile_model(model, learning_rate):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy", metrics=["acc"])
    return model
''',
        "positional arguments (metrics become loss_weights)": '''
def compile_model(model, learning_rate):
    model.compile(keras.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy", ["accuracy"])
    return model
''',
        "no accuracy metric": '''
def compile_model(model, learning_rate):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy")
    return model
''',
        "SGD instead of Adam": '''
def compile_model(model, learning_rate):
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
        "forgets to return the model": '''
def compile_model(model, learning_rate):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
''',
    },
}

RIGHT = {
    SEQUENTIAL: {
        "add() calls, Activation layers and input_shape": '''
def build_sequential_model(input_dim, hidden_units, num_classes):
    model = keras.Sequential()
    model.add(keras.layers.Dense(hidden_units, input_shape=(input_dim,)))
    model.add(keras.layers.Activation(tf.nn.relu))
    model.add(keras.layers.Dense(num_classes))
    model.add(keras.layers.Softmax())
    return model
''',
    },
    FUNCTIONAL: {
        "keyword arguments and a function activation": '''
def build_functional_model(input_dim, hidden_units, num_classes):
    x = keras.layers.Input((input_dim,))
    hidden = keras.layers.Dense(units=hidden_units, activation=keras.activations.relu)
    head = keras.layers.Dense(units=num_classes, activation=keras.activations.softmax)
    return keras.Model(inputs=x, outputs=head(hidden(x)), name="my_functional")
''',
    },
    SUBCLASSED: {
        "layers in a list and an explicit build call": '''
class MLP(keras.Model):
    def __init__(self, hidden_units, num_classes):
        super().__init__()
        self.stack = [keras.layers.Dense(hidden_units, activation="relu"),
                      keras.layers.Dense(num_classes, activation="softmax")]
    def call(self, inputs, training=False):
        for layer in self.stack:
            inputs = layer(inputs)
        return inputs

def build_subclassed_model(input_dim, hidden_units, num_classes):
    model = MLP(hidden_units, num_classes)
    _ = model(tf.zeros([1, input_dim]))
    return model
''',
    },
    COMPILE: {
        "string loss and optimizer object built first": '''
def compile_model(model, learning_rate):
    adam = tf.keras.optimizers.Adam(learning_rate=learning_rate)
    model.compile(loss="sparse_categorical_crossentropy", optimizer=adam,
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
    return model
''',
    },
}
