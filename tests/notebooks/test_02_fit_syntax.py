"""Notebook 02's tests judged in-process: realistic wrong answers are rejected, differently written right ones accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "02-fit-syntax"
TRAIN = "02_train"
WEIGHTS = "02_balanced_class_weights"
BALANCED = "02_train_balanced"

WRONG = {
    TRAIN: {
        "validation_split instead of validation_data": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, validation_split=0.2, verbose=0)
''',
        "batch_size ignored": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    return model.fit(x_train, y_train, epochs=epochs, validation_data=(x_val, y_val), verbose=0)
''',
        "one epoch too many": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    return model.fit(x_train, y_train, epochs=epochs + 1, batch_size=batch_size,
                     validation_data=(x_val, y_val), verbose=0)
''',
        "one epoch too few": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    return model.fit(x_train, y_train, epochs=epochs - 1, batch_size=batch_size,
                     validation_data=(x_val, y_val), verbose=0)
''',
        "epochs counted from 1 with initial_epoch": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    return model.fit(x_train, y_train, initial_epoch=1, epochs=epochs, batch_size=batch_size,
                     validation_data=(x_val, y_val), verbose=0)
''',
        "validates on the training data": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size,
                     validation_data=(x_train, y_train), verbose=0)
''',
        "no validation at all": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)
''',
        "returns history.history instead of the History": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size,
                     validation_data=(x_val, y_val), verbose=0).history
''',
        "one fit per epoch, returning only the last History": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    for _ in range(epochs):
        history = model.fit(x_train, y_train, epochs=1, batch_size=batch_size,
                            validation_data=(x_val, y_val), verbose=0)
    return history
''',
    },
}

RIGHT = {
    TRAIN: {
        "keyword x/y, a named History and shuffle spelled out": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    history = model.fit(x=x_train, y=y_train, batch_size=batch_size, epochs=epochs, verbose=0,
                        shuffle=True, validation_data=[x_val, y_val])
    return history
''',
        "tf.data datasets batched by hand": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(len(x_train)).batch(batch_size)
    val_ds = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(batch_size)
    return model.fit(train_ds, epochs=epochs, validation_data=val_ds, verbose=0)
''',
    },
}

# Issue 17: mistakes that only the rule's boundaries or the contract of `train` expose.
WRONG[TRAIN].update({
    "compiles the model again before training": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size,
                     validation_data=(x_val, y_val), verbose=0)
''',
    "trains on the validation data too": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    x_all, y_all = np.concatenate([x_train, x_val]), np.concatenate([y_train, y_val])
    return model.fit(x_all, y_all, epochs=epochs, batch_size=batch_size, validation_data=(x_val, y_val), verbose=0)
''',
})
RIGHT[TRAIN].update({
    "builtin names as variables and shuffle=False": '''
def train(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    input = x_train
    vars = (x_val, y_val)
    sum = {"epochs": epochs, "batch_size": batch_size}
    print("training on", len(input), "samples")
    return model.fit(input, y_train, validation_data=vars, verbose=0, shuffle=False, **sum)
''',
})

# Issue 19: balanced class weights, and training with them.
WRONG[WEIGHTS] = {
    "divides by num_classes, not by the classes present": '''
def balanced_class_weights(y, num_classes):
    counts = np.bincount(y, minlength=num_classes)
    return {c: float(len(y) / (num_classes * counts[c])) if counts[c] else 1.0 for c in range(num_classes)}
''',
    "an absent class gets 0.0": '''
def balanced_class_weights(y, num_classes):
    counts = np.bincount(y, minlength=num_classes)
    present = np.count_nonzero(counts)
    return {c: float(len(y) / (present * counts[c])) if counts[c] else 0.0 for c in range(num_classes)}
''',
    "keys only for the classes present": '''
def balanced_class_weights(y, num_classes):
    classes, counts = np.unique(y, return_counts=True)
    return {int(c): len(y) / (len(classes) * n) for c, n in zip(classes, counts)}
''',
    "inverse frequency, not normalised (1 / n_c)": '''
def balanced_class_weights(y, num_classes):
    counts = np.bincount(y, minlength=num_classes)
    return {c: 1.0 / counts[c] if counts[c] else 1.0 for c in range(num_classes)}
''',
    "the frequency itself: common classes weigh more": '''
def balanced_class_weights(y, num_classes):
    counts = np.bincount(y, minlength=num_classes)
    present = np.count_nonzero(counts)
    return {c: float(present * counts[c] / len(y)) if counts[c] else 1.0 for c in range(num_classes)}
''',
    "scaled to the largest class (max_count / n_c)": '''
def balanced_class_weights(y, num_classes):
    counts = np.bincount(y, minlength=num_classes)
    return {c: float(counts.max() / counts[c]) if counts[c] else 1.0 for c in range(num_classes)}
''',
    "classes counted from y.max() + 1": '''
def balanced_class_weights(y, num_classes):
    counts = np.bincount(y)
    present = np.count_nonzero(counts)
    return {c: float(len(y) / (present * counts[c])) if counts[c] else 1.0 for c in range(len(counts))}
''',
    "float keys": '''
def balanced_class_weights(y, num_classes):
    counts = np.bincount(y, minlength=num_classes)
    present = np.count_nonzero(counts)
    return {float(c): float(len(y) / (present * counts[c])) if counts[c] else 1.0 for c in range(num_classes)}
''',
}
WRONG[BALANCED] = {
    "no class weights at all": '''
def train_balanced(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, validation_data=(x_val, y_val), verbose=0)
''',
    "class_weight for training, unweighted validation": '''
def train_balanced(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    weights = balanced_class_weights(y_train, model.output_shape[-1])
    return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, class_weight=weights,
                     validation_data=(x_val, y_val), verbose=0)
''',
    "validation weights computed from the validation labels": '''
def train_balanced(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    weights = balanced_class_weights(y_train, model.output_shape[-1])
    own = balanced_class_weights(y_val, model.output_shape[-1])
    w_val = np.array([own[c] for c in y_val])
    return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, class_weight=weights,
                     validation_data=(x_val, y_val, w_val), verbose=0)
''',
    "number of classes from y_train.max() + 1 (a missing last class breaks the lookup)": '''
def train_balanced(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    weights = balanced_class_weights(y_train, int(y_train.max()) + 1)
    w_val = np.array([weights[c] for c in y_val])
    return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, class_weight=weights,
                     validation_data=(x_val, y_val, w_val), verbose=0)
''',
    "the rare class boosted by hand": '''
def train_balanced(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    counts = np.bincount(y_train, minlength=10)
    weights = {c: 10.0 if 0 < counts[c] < counts.max() else 1.0 for c in range(10)}
    w_val = np.array([weights[c] for c in y_val])
    return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, class_weight=weights,
                     validation_data=(x_val, y_val, w_val), verbose=0)
''',
    "oversamples the rare class instead of weighing it": '''
def train_balanced(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    counts = np.bincount(y_train, minlength=10)
    rare = np.flatnonzero(y_train == np.argmin(np.where(counts > 0, counts, counts.max())))
    extra = np.repeat(rare, 6)
    x, y = np.concatenate([x_train, x_train[extra]]), np.concatenate([y_train, y_train[extra]])
    return model.fit(x, y, epochs=epochs, batch_size=batch_size, validation_data=(x_val, y_val), verbose=0)
''',
    "weights computed but validation_data left out": '''
def train_balanced(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    weights = balanced_class_weights(y_train, model.output_shape[-1])
    return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, class_weight=weights, verbose=0)
''',
}
RIGHT[WEIGHTS] = {
    "np.unique and a dict filled with 1.0 first": '''
def balanced_class_weights(y, num_classes):
    weights = {c: 1.0 for c in range(num_classes)}
    classes, counts = np.unique(y, return_counts=True)
    for c, n in zip(classes, counts):
        weights[int(c)] = len(y) / (len(classes) * n)
    return weights
''',
    "collections.Counter": '''
from collections import Counter


def balanced_class_weights(y, num_classes):
    counts = Counter(int(label) for label in y)
    k = len(counts)
    return {c: (len(y) / (k * counts[c]) if c in counts else 1.0) for c in range(num_classes)}
''',
}
RIGHT[BALANCED] = {
    "sample_weight for training, weights looked up with NumPy": '''
def train_balanced(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    table = balanced_class_weights(y_train, model.output_shape[-1])
    lookup = np.array([table[c] for c in range(len(table))], dtype="float32")
    return model.fit(x_train, y_train, sample_weight=lookup[y_train], epochs=epochs, batch_size=batch_size,
                     validation_data=(x_val, y_val, lookup[y_val]), verbose=0)
''',
    "class count from the last layer's units, a named History": '''
def train_balanced(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    n_classes = model.layers[-1].units
    cw = balanced_class_weights(y_train, n_classes)
    w_val = np.vectorize(cw.get)(y_val).astype(np.float32)
    history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, class_weight=cw,
                        validation_data=(x_val, y_val, w_val), verbose=0)
    return history
''',
}
