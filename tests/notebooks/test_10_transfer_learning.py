"""Notebook 10's tests judged in-process: realistic wrong answers are rejected, differently written right ones accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "10-transfer-learning"
BUILD = "10_build_transfer_model"
COUNT = "10_count_trainable_params"
UNFREEZE = "10_unfreeze_top_layers"
FINE_TUNE = "10_prepare_fine_tuning"

# Two mistakes the issue lists are tolerated by Keras 3 itself, so they are accepted (see RIGHT), not rejected:
# - "frozen after compile, without recompiling": Keras 3 builds the training step at the first fit after
#   compile, so freezing between compile and fit still freezes. The form Keras does not tolerate, changing
#   `trainable` after a fit without compiling again, is rejected under FINE_TUNE ("no recompile").
# - "keras.Sequential([base, GAP, Dense])": Sequential passes fit's training=True down to the base, but so does a
#   Functional model in Keras 3 (an outer training value overrides the recorded training=False), and a frozen
#   BatchNormalization runs in inference mode either way. A hard-coded training=True is still rejected: it
#   changes plain `model(x)` calls.
WRONG = {
    BUILD: {
        "base not frozen": '''
def build_transfer_model(base_model, num_classes):
    inputs = keras.Input(shape=base_model.input_shape[1:])
    x = keras.layers.GlobalAveragePooling2D()(base_model(inputs, training=False))
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))
''',
        "base called with training=True": '''
def build_transfer_model(base_model, num_classes):
    base_model.trainable = False
    inputs = keras.Input(shape=base_model.input_shape[1:])
    x = keras.layers.GlobalAveragePooling2D()(base_model(inputs, training=True))
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))
''',
        "Flatten instead of GlobalAveragePooling2D": '''
def build_transfer_model(base_model, num_classes):
    base_model.trainable = False
    inputs = keras.Input(shape=base_model.input_shape[1:])
    x = keras.layers.Flatten()(base_model(inputs, training=False))
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))
''',
        "sigmoid head": '''
def build_transfer_model(base_model, num_classes):
    base_model.trainable = False
    inputs = keras.Input(shape=base_model.input_shape[1:])
    x = keras.layers.GlobalAveragePooling2D()(base_model(inputs, training=False))
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="sigmoid")(x))
''',
        "GlobalMaxPooling2D instead of average pooling": '''
def build_transfer_model(base_model, num_classes):
    base_model.trainable = False
    inputs = keras.Input(shape=base_model.input_shape[1:])
    x = keras.layers.GlobalMaxPooling2D()(base_model(inputs, training=False))
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))
''',
        "only the base's last layer frozen": '''
def build_transfer_model(base_model, num_classes):
    base_model.layers[-1].trainable = False
    inputs = keras.Input(shape=base_model.input_shape[1:])
    x = keras.layers.GlobalAveragePooling2D()(base_model(inputs, training=False))
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))
''',
        "an extra hidden Dense layer in the head": '''
def build_transfer_model(base_model, num_classes):
    base_model.trainable = False
    inputs = keras.Input(shape=base_model.input_shape[1:])
    x = keras.layers.GlobalAveragePooling2D()(base_model(inputs, training=False))
    x = keras.layers.Dense(32, activation="relu")(x)
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))
''',
        "input shape hard-coded to 8x8x1": '''
def build_transfer_model(base_model, num_classes):
    base_model.trainable = False
    inputs = keras.Input(shape=(8, 8, 1))
    x = keras.layers.GlobalAveragePooling2D()(base_model(inputs, training=False))
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))
''',
    },
    COUNT: {
        "count_params() counts frozen weights too": '''
def count_trainable_params(model):
    return model.count_params()
''',
        "number of weight tensors, not of values": '''
def count_trainable_params(model):
    return len(model.trainable_weights)
''',
        "layer by layer, trusting each top-level layer's flag": '''
def count_trainable_params(model):
    return sum(layer.count_params() for layer in model.layers if layer.trainable)
''',
        "counts the non-trainable weights": '''
def count_trainable_params(model):
    return int(sum(np.prod(w.shape) for w in model.non_trainable_weights))
''',
        "sums the values instead of counting them": '''
def count_trainable_params(model):
    return int(sum(np.abs(np.asarray(w)).sum() for w in model.trainable_weights))
''',
    },
    UNFREEZE: {
        "all layers unfrozen": '''
def unfreeze_top_layers(base_model, n):
    base_model.trainable = True
    return base_model
''',
        "BatchNormalization unfrozen with the rest": '''
def unfreeze_top_layers(base_model, n):
    base_model.trainable = True
    for layer in base_model.layers[:-n]:
        layer.trainable = False
    return base_model
''',
        "the bottom n layers instead of the top": '''
def unfreeze_top_layers(base_model, n):
    base_model.trainable = True
    for i, layer in enumerate(base_model.layers):
        layer.trainable = i < n and not isinstance(layer, keras.layers.BatchNormalization)
    return base_model
''',
        "off by one: n + 1 layers": '''
def unfreeze_top_layers(base_model, n):
    base_model.trainable = True
    for i, layer in enumerate(base_model.layers):
        layer.trainable = i >= len(base_model.layers) - n - 1 and not isinstance(layer, keras.layers.BatchNormalization)
    return base_model
''',
        "the base itself left frozen": '''
def unfreeze_top_layers(base_model, n):
    for i, layer in enumerate(base_model.layers):
        layer.trainable = i >= len(base_model.layers) - n and not isinstance(layer, keras.layers.BatchNormalization)
    return base_model
''',
        "base_model.trainable = True set last, which unfreezes everything again": '''
def unfreeze_top_layers(base_model, n):
    for i, layer in enumerate(base_model.layers):
        layer.trainable = i >= len(base_model.layers) - n and not isinstance(layer, keras.layers.BatchNormalization)
    base_model.trainable = True
    return base_model
''',
    },
    FINE_TUNE: {
        "no recompile: unfrozen after the head was fitted": '''
def prepare_fine_tuning(model, base_model, n, learning_rate):
    unfreeze_top_layers(base_model, n)
    return model
''',
        "new learning rate set on the old optimizer, no recompile": '''
def prepare_fine_tuning(model, base_model, n, learning_rate):
    unfreeze_top_layers(base_model, n)
    model.optimizer.learning_rate.assign(learning_rate)
    return model
''',
        "learning rate ignored (Adam's default)": '''
def prepare_fine_tuning(model, base_model, n, learning_rate):
    unfreeze_top_layers(base_model, n)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
        "all layers unfrozen before recompiling": '''
def prepare_fine_tuning(model, base_model, n, learning_rate):
    base_model.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
''',
        # "recompiled without metrics" is not here: Keras 3 keeps the metrics of the previous compile, so
        # the recompiled model still reports accuracy.
        "recompiled with the loss for one-hot labels": '''
def prepare_fine_tuning(model, base_model, n, learning_rate):
    unfreeze_top_layers(base_model, n)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    return model
''',
        "recompiled with SGD": '''
def prepare_fine_tuning(model, base_model, n, learning_rate):
    unfreeze_top_layers(base_model, n)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
''',
    },
}

RIGHT = {
    BUILD: {
        "frozen after compile, before any fit (Keras 3 tolerates it)": '''
def build_transfer_model(base_model, num_classes):
    inputs = keras.layers.Input(base_model.input_shape[1:])
    features = base_model(inputs, training=False)
    head = keras.layers.Dense(units=num_classes, activation=tf.nn.softmax)
    model = keras.Model(inputs=inputs, outputs=head(keras.layers.GlobalAveragePooling2D()(features)))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    base_model.trainable = False
    return model
''',
        "keras.Sequential, as in the seed (Keras 3 behaves the same)": '''
def build_transfer_model(base_model, num_classes):
    for layer in base_model.layers:
        layer.trainable = False
    base_model.trainable = False
    return keras.Sequential([
        keras.Input(shape=base_model.input_shape[1:]),
        base_model,
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(num_classes),
        keras.layers.Softmax(),
    ])
''',
    },
    COUNT: {
        "keras.ops sizes and a loop": '''
def count_trainable_params(model):
    total = 0
    for variable in model.trainable_variables:
        total += int(keras.ops.size(variable))
    return total
''',
    },
    UNFREEZE: {
        "slices and a separate BatchNormalization pass": '''
def unfreeze_top_layers(base_model, n):
    base_model.trainable = True
    for layer in base_model.layers[:-n]:
        layer.trainable = False
    for layer in base_model.layers:
        if isinstance(layer, tf.keras.layers.BatchNormalization):
            layer.trainable = False
    return base_model
''',
    },
    FINE_TUNE: {
        "compiled first, then unfrozen (Keras 3 tolerates it), optimizer built separately": '''
def prepare_fine_tuning(model, base_model, n, learning_rate):
    optimizer = tf.keras.optimizers.Adam(learning_rate=learning_rate)
    model.compile(optimizer=optimizer, loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
    unfreeze_top_layers(base_model, n)
    return model
''',
    },
}


def test_transfer_beats_scratch_early_on_the_same_budget(notebook):
    """Does the notebook's experiment show what its text says: transfer ahead of from-scratch in the early epochs?"""
    transfer, scratch = notebook.namespace["transfer_run"], notebook.namespace["scratch_run"]
    assert len(transfer["val_accuracy"]) == len(scratch["val_accuracy"])
    assert transfer["val_accuracy"][3] > scratch["val_accuracy"][3] + 0.1
