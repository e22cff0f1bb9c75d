"""Notebook 02's tests judged in-process: realistic wrong answers are rejected, differently written right ones accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "02-fit-syntax"
PER_EPOCH = "02_updates_per_epoch"
TOTAL = "02_total_updates"
TRAIN = "02_train"

WRONG = {
    PER_EPOCH: {
        "floor division drops the last, smaller batch": '''
def updates_per_epoch(n_samples, batch_size):
    return n_samples // batch_size
''',
        "always one extra batch, even when batch_size divides n_samples": '''
def updates_per_epoch(n_samples, batch_size):
    return n_samples // batch_size + 1
''',
        "rounds to the nearest int": '''
def updates_per_epoch(n_samples, batch_size):
    return round(n_samples / batch_size)
''',
        "returns the float quotient": '''
def updates_per_epoch(n_samples, batch_size):
    return n_samples / batch_size
''',
        "batch_size ignored (Keras's default of 32)": '''
def updates_per_epoch(n_samples, batch_size):
    return math.ceil(n_samples / 32)
''',
    },
    TOTAL: {
        "floor division in each epoch": '''
def total_updates(n_samples, batch_size, epochs):
    return epochs * (n_samples // batch_size)
''',
        "one epoch too few": '''
def total_updates(n_samples, batch_size, epochs):
    return (epochs - 1) * updates_per_epoch(n_samples, batch_size)
''',
        "one epoch too many": '''
def total_updates(n_samples, batch_size, epochs):
    return (epochs + 1) * updates_per_epoch(n_samples, batch_size)
''',
        "all epochs treated as one stream of samples (one partial batch in all)": '''
def total_updates(n_samples, batch_size, epochs):
    return math.ceil(n_samples * epochs / batch_size)
''',
        "epochs ignored": '''
def total_updates(n_samples, batch_size, epochs):
    return updates_per_epoch(n_samples, batch_size)
''',
    },
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
    PER_EPOCH: {
        "negated floor division": '''
def updates_per_epoch(n_samples, batch_size):
    return -(-n_samples // batch_size)
''',
        "NumPy ceil cast to int": '''
def updates_per_epoch(n_samples, batch_size):
    return int(np.ceil(n_samples / batch_size))
''',
        "divmod with an extra batch for the remainder": '''
def updates_per_epoch(n_samples, batch_size):
    full, rest = divmod(n_samples, batch_size)
    return full + (1 if rest else 0)
''',
    },
    TOTAL: {
        "a sum over epochs, formula inlined": '''
def total_updates(n_samples, batch_size, epochs):
    return sum((n_samples + batch_size - 1) // batch_size for _ in range(epochs))
''',
    },
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
WRONG[PER_EPOCH].update({
    "math.ceil of a floor division (rounds down first)": '''
def updates_per_epoch(n_samples, batch_size):
    return math.ceil(n_samples // batch_size)
''',
    "np.ceil left as a float": '''
def updates_per_epoch(n_samples, batch_size):
    return np.ceil(n_samples / batch_size)
''',
    "an extra batch only when there are more samples than batch_size": '''
def updates_per_epoch(n_samples, batch_size):
    return n_samples // batch_size + (1 if n_samples > batch_size and n_samples % batch_size else 0)
''',
})
WRONG[TOTAL].update({
    "floor in each epoch, one partial batch for the whole run": '''
def total_updates(n_samples, batch_size, epochs):
    return epochs * (n_samples // batch_size) + 1
''',
})
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
RIGHT[PER_EPOCH].update({
    "floor division plus a bool for the remainder": '''
def updates_per_epoch(n_samples, batch_size):
    return n_samples // batch_size + (n_samples % batch_size > 0)
''',
    "a loop over batch starts, with builtin names as variables": '''
def updates_per_epoch(n_samples, batch_size):
    sum = 0
    for input in range(0, n_samples, batch_size):
        sum += 1
    return sum
''',
})
RIGHT[TOTAL].update({
    "a helper function with type hints": '''
def _batches(n: int, b: int) -> int:
    return -(-n // b)


def total_updates(n_samples: int, batch_size: int, epochs: int) -> int:
    return _batches(n_samples, batch_size) * epochs
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
