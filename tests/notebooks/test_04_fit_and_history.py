"""Notebook 04's tests judged in-process: realistic wrong answers are rejected, differently written right ones accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "04-fit-and-history"
FIT = "04_fit_on_datasets"
BEST = "04_best_epoch"
GAP = "04_generalization_gap"

WRONG = {
    FIT: {
        "returns the History object, not its dict": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    return model.fit(train_ds, epochs=epochs, validation_data=val_ds, verbose=0)
''',
        "no validation data, so no val_ keys": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    return model.fit(train_ds, epochs=epochs, verbose=0).history
''',
        "validates on the training set": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    return model.fit(train_ds, epochs=epochs, validation_data=train_ds, verbose=0).history
''',
        "training and validation sets swapped": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    return model.fit(val_ds, epochs=epochs, validation_data=train_ds, verbose=0).history
''',
        "one epoch too many (range(epochs + 1) thinking)": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    return model.fit(train_ds, epochs=epochs + 1, validation_data=val_ds, verbose=0).history
''',
        "validation_split instead of validation_data (Keras refuses it for datasets)": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    return model.fit(train_ds, epochs=epochs, validation_split=0.2, verbose=0).history
''',
        # Not here: passing batch_size=32 along with a dataset. Keras ignores it (the dataset's own batches
        # win), so the training is exactly right; it is a misconception to explain, not an answer to reject.
        "epochs hard-coded": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    return model.fit(train_ds, epochs=3, validation_data=val_ds, verbose=0).history
''',
        "fit once per epoch, keeping only the last call's history": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    for _ in range(epochs):
        history = model.fit(train_ds, epochs=1, validation_data=val_ds, verbose=0)
    return history.history
''',
    },
    BEST: {
        "argmax where argmin is meant (mode reversed)": '''
def best_epoch(history, monitor, mode):
    values = np.asarray(history[monitor])
    return int(np.argmax(values) if mode == "min" else np.argmin(values)) + 1
''',
        "mode ignored: always the smallest": '''
def best_epoch(history, monitor, mode):
    return int(np.argmin(history[monitor])) + 1
''',
        "mode ignored: always the largest": '''
def best_epoch(history, monitor, mode):
    return int(np.argmax(history[monitor])) + 1
''',
        "off by one: the list index, from 0": '''
def best_epoch(history, monitor, mode):
    values = np.asarray(history[monitor])
    return int(np.argmin(values) if mode == "min" else np.argmax(values))
''',
        "monitor ignored: always val_loss": '''
def best_epoch(history, monitor, mode):
    values = np.asarray(history["val_loss"])
    return int(np.argmin(values) if mode == "min" else np.argmax(values)) + 1
''',
        "the last of tied epochs": '''
def best_epoch(history, monitor, mode):
    values = list(history[monitor])
    best = min(values) if mode == "min" else max(values)
    return len(values) - values[::-1].index(best)
''',
        "returns the best value instead of its epoch": '''
def best_epoch(history, monitor, mode):
    return min(history[monitor]) if mode == "min" else max(history[monitor])
''',
    },
    GAP: {
        "reads 'acc' instead of 'accuracy'": '''
def generalization_gap(history):
    return np.asarray(history["acc"]) - np.asarray(history["val_acc"])
''',
        "sign reversed (validation minus training)": '''
def generalization_gap(history):
    return np.asarray(history["val_accuracy"]) - np.asarray(history["accuracy"])
''',
        "loss instead of accuracy": '''
def generalization_gap(history):
    return np.asarray(history["loss"]) - np.asarray(history["val_loss"])
''',
        "only the last epoch": '''
def generalization_gap(history):
    return history["accuracy"][-1] - history["val_accuracy"][-1]
''',
        "the mean gap over all epochs": '''
def generalization_gap(history):
    return float(np.mean(np.asarray(history["accuracy"]) - np.asarray(history["val_accuracy"])))
''',
        "training accuracy minus itself (val_ prefix forgotten)": '''
def generalization_gap(history):
    return np.asarray(history["accuracy"]) - np.asarray(history["accuracy"])
''',
    },
}

RIGHT = {
    FIT: {
        "keyword x=, dict() copy": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    result = model.fit(x=train_ds, validation_data=val_ds, epochs=int(epochs), verbose=0, shuffle=False)
    return dict(result.history)
''',
        "reads model.history after fit": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=0)
    return model.history.history
''',
    },
    BEST: {
        "list.index on a plain list": '''
def best_epoch(history, monitor, mode):
    values = list(history[monitor])
    best = min(values) if mode == "min" else max(values)
    return values.index(best) + 1
''',
        "negate for max, enumerate from 1": '''
def best_epoch(history, monitor, mode):
    sign = -1 if mode == "max" else 1
    return min(enumerate(history[monitor], start=1), key=lambda pair: sign * pair[1])[0]
''',
    },
    GAP: {
        "a list comprehension over zip": '''
def generalization_gap(history):
    return [train - val for train, val in zip(history["accuracy"], history["val_accuracy"])]
''',
        "tf.subtract": '''
def generalization_gap(history):
    return tf.subtract(history["accuracy"], history["val_accuracy"]).numpy()
''',
    },
}

# Issue 17: the model used as given, ties and nan, and answers written other ways.
WRONG[FIT].update({
    "compiles the model again (losing its optimizer)": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.fit(train_ds, epochs=epochs, validation_data=val_ds, verbose=0).history
''',
    "trains once more on the validation set after the recorded run": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    history = model.fit(train_ds, epochs=epochs, validation_data=val_ds, verbose=0)
    model.fit(val_ds, epochs=1, verbose=0)
    return history.history
''',
})
WRONG[BEST].update({
    "sorted indices: the last of tied epochs for max": '''
def best_epoch(history, monitor, mode):
    values = history[monitor]
    order = sorted(range(len(values)), key=lambda i: values[i])
    return (order[0] if mode == "min" else order[-1]) + 1
''',
})
WRONG[GAP].update({
    "None for an epoch whose accuracy is nan": '''
def generalization_gap(history):
    gaps = []
    for a, v in zip(history["accuracy"], history["val_accuracy"]):
        gaps.append(None if np.isnan(a - v) else a - v)
    return gaps
''',
})
RIGHT[FIT].update({
    "one fit per epoch, histories merged": '''
def fit_on_datasets(model, train_ds, val_ds, epochs):
    merged = {}
    for _ in range(epochs):
        one = model.fit(train_ds, epochs=1, validation_data=val_ds, verbose=0).history
        for key, values in one.items():
            merged.setdefault(key, []).extend(values)
    return merged
''',
})
RIGHT[BEST].update({
    "a loop with a strict comparison and builtin names": '''
def best_epoch(history, monitor, mode):
    vars = list(history[monitor])
    sum = 0
    for i, value in enumerate(vars):
        better = value < vars[sum] if mode == "min" else value > vars[sum]
        if better:
            sum = i
    return sum + 1
''',
})
RIGHT[GAP].update({
    "float32 arrays": '''
def generalization_gap(history):
    return np.asarray(history["accuracy"], dtype=np.float32) - np.asarray(history["val_accuracy"], dtype=np.float32)
''',
})
