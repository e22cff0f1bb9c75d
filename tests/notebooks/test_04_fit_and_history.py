"""Notebook 04's tests judged in-process: realistic wrong answers are rejected, differently written right ones accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "04-fit-and-history"
FIT = "04_fit_repeated"
BEST = "04_best_epoch"
OVERFIT = "04_overfitting_epoch"

WRONG = {
    FIT: {
        "returns the History object, not its dict": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    steps = math.ceil(n_train / batch_size)
    return model.fit(train_ds, epochs=epochs, steps_per_epoch=steps, validation_data=val_ds, verbose=0)
''',
        "no steps_per_epoch: the first epoch reads the dataset to its end": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    return model.fit(train_ds, epochs=epochs, validation_data=val_ds, verbose=0).history
''',
        "floor division: the last, smaller batch of each pass left out": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    steps = n_train // batch_size
    return model.fit(train_ds, epochs=epochs, steps_per_epoch=steps, validation_data=val_ds, verbose=0).history
''',
        "steps_per_epoch counted in samples, not batches": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    return model.fit(train_ds, epochs=epochs, steps_per_epoch=n_train, validation_data=val_ds, verbose=0).history
''',
        "int() of the division rounds down too": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    return model.fit(train_ds, epochs=epochs, steps_per_epoch=int(n_train / batch_size),
                     validation_data=val_ds, verbose=0).history
''',
        "round() instead of rounding up": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    return model.fit(train_ds, epochs=epochs, steps_per_epoch=round(n_train / batch_size),
                     validation_data=val_ds, verbose=0).history
''',
        "epochs x steps as one long epoch": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    steps = math.ceil(n_train / batch_size)
    return model.fit(train_ds, epochs=1, steps_per_epoch=steps * epochs, validation_data=val_ds, verbose=0).history
''',
        "no validation data, so no val_ keys": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    steps = math.ceil(n_train / batch_size)
    return model.fit(train_ds, epochs=epochs, steps_per_epoch=steps, verbose=0).history
''',
        "validates on the (repeated) training set for as many steps": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    steps = math.ceil(n_train / batch_size)
    return model.fit(train_ds, epochs=epochs, steps_per_epoch=steps, validation_data=train_ds,
                     validation_steps=steps, verbose=0).history
''',
        "validation_split instead of validation_data (Keras refuses it for datasets)": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    steps = math.ceil(n_train / batch_size)
    return model.fit(train_ds, epochs=epochs, steps_per_epoch=steps, validation_split=0.2, verbose=0).history
''',
        # Not here: passing batch_size along with a dataset. Keras ignores it (the dataset's own batches
        # win), so the training is exactly right; it is a misconception to explain, not an answer to reject.
        "one epoch too many (range(epochs + 1) thinking)": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    steps = math.ceil(n_train / batch_size)
    return model.fit(train_ds, epochs=epochs + 1, steps_per_epoch=steps, validation_data=val_ds, verbose=0).history
''',
        "fit once per epoch, keeping only the last call's history": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    steps = math.ceil(n_train / batch_size)
    for _ in range(epochs):
        history = model.fit(train_ds, epochs=1, steps_per_epoch=steps, validation_data=val_ds, verbose=0)
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
    OVERFIT: {
        "the sign of a loss gap taken like an accuracy's (mode ignored)": '''
def overfitting_epoch(history, metric, mode, threshold):
    gap = np.asarray(history[metric]) - np.asarray(history["val_" + metric])
    above = np.flatnonzero(gap > threshold)
    return int(above[0]) + 1 if len(above) else None
''',
        "mode reversed": '''
def overfitting_epoch(history, metric, mode, threshold):
    train, val = np.asarray(history[metric]), np.asarray(history["val_" + metric])
    gap = val - train if mode == "max" else train - val
    above = np.flatnonzero(gap > threshold)
    return int(above[0]) + 1 if len(above) else None
''',
        "a gap equal to the threshold counts (>=)": '''
def overfitting_epoch(history, metric, mode, threshold):
    train, val = np.asarray(history[metric]), np.asarray(history["val_" + metric])
    gap = train - val if mode == "max" else val - train
    above = np.flatnonzero(gap >= threshold)
    return int(above[0]) + 1 if len(above) else None
''',
        "off by one: the list index, from 0": '''
def overfitting_epoch(history, metric, mode, threshold):
    train, val = np.asarray(history[metric]), np.asarray(history["val_" + metric])
    gap = train - val if mode == "max" else val - train
    above = np.flatnonzero(gap > threshold)
    return int(above[0]) if len(above) else None
''',
        "the last epoch above the threshold, not the first": '''
def overfitting_epoch(history, metric, mode, threshold):
    train, val = np.asarray(history[metric]), np.asarray(history["val_" + metric])
    gap = train - val if mode == "max" else val - train
    above = np.flatnonzero(gap > threshold)
    return int(above[-1]) + 1 if len(above) else None
''',
        "the epoch of the largest gap": '''
def overfitting_epoch(history, metric, mode, threshold):
    train, val = np.asarray(history[metric]), np.asarray(history["val_" + metric])
    gap = train - val if mode == "max" else val - train
    return int(np.argmax(gap)) + 1 if gap.max() > threshold else None
''',
        "the size of the gap, whatever its sign (abs)": '''
def overfitting_epoch(history, metric, mode, threshold):
    gap = np.abs(np.asarray(history[metric]) - np.asarray(history["val_" + metric]))
    above = np.flatnonzero(gap > threshold)
    return int(above[0]) + 1 if len(above) else None
''',
        "always reads the accuracy": '''
def overfitting_epoch(history, metric, mode, threshold):
    train, val = np.asarray(history["accuracy"]), np.asarray(history["val_accuracy"])
    gap = train - val if mode == "max" else val - train
    above = np.flatnonzero(gap > threshold)
    return int(above[0]) + 1 if len(above) else None
''',
        "0 instead of None when the gap never exceeds the threshold": '''
def overfitting_epoch(history, metric, mode, threshold):
    train, val = np.asarray(history[metric]), np.asarray(history["val_" + metric])
    gap = train - val if mode == "max" else val - train
    above = np.flatnonzero(gap > threshold)
    return int(above[0]) + 1 if len(above) else 0
''',
        "a nan gap taken as above the threshold (not <=)": '''
def overfitting_epoch(history, metric, mode, threshold):
    train, val = np.asarray(history[metric]), np.asarray(history["val_" + metric])
    gap = train - val if mode == "max" else val - train
    above = np.flatnonzero(~(gap <= threshold))
    return int(above[0]) + 1 if len(above) else None
''',
    },
}

RIGHT = {
    FIT: {
        "negative floor division rounds up; keyword x=, dict() copy": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    result = model.fit(x=train_ds, validation_data=val_ds, epochs=int(epochs),
                       steps_per_epoch=-(-n_train // batch_size), verbose=0, shuffle=False)
    return dict(result.history)
''',
        "reads model.history after fit; a remainder test": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    steps = n_train // batch_size
    if n_train % batch_size:
        steps += 1
    model.fit(train_ds, validation_data=val_ds, epochs=epochs, steps_per_epoch=steps, verbose=0)
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
    OVERFIT: {
        "a loop over zip with enumerate from 1": '''
def overfitting_epoch(history, metric, mode, threshold):
    for epoch, (train, val) in enumerate(zip(history[metric], history["val_" + metric]), start=1):
        gap = train - val if mode == "max" else val - train
        if gap > threshold:
            return epoch
    return None
''',
        "the sign folded into a factor, argmax of a boolean array": '''
def overfitting_epoch(history, metric, mode, threshold):
    sign = 1 if mode == "max" else -1
    gap = sign * (np.array(history[metric], dtype=np.float32) - np.array(history["val_" + metric], dtype=np.float32))
    above = gap > threshold
    if not above.any():
        return None
    return np.argmax(above) + 1
''',
    },
}

# Issue 17: the model used as given, ties and nan, and answers written other ways.
WRONG[FIT].update({
    "compiles the model again (losing its optimizer)": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    steps = math.ceil(n_train / batch_size)
    return model.fit(train_ds, epochs=epochs, steps_per_epoch=steps, validation_data=val_ds, verbose=0).history
''',
    "trains once more on the validation set after the recorded run": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    steps = math.ceil(n_train / batch_size)
    history = model.fit(train_ds, epochs=epochs, steps_per_epoch=steps, validation_data=val_ds, verbose=0)
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
RIGHT[FIT].update({
    "one fit per epoch, histories merged": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    merged = {}
    for _ in range(epochs):
        one = model.fit(train_ds, epochs=1, steps_per_epoch=math.ceil(n_train / batch_size),
                        validation_data=val_ds, verbose=0).history
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
RIGHT[OVERFIT].update({
    "a list comprehension and list.index, nan checked by hand": '''
def overfitting_epoch(history, metric, mode, threshold):
    train, val = history[metric], history["val_" + metric]
    gaps = [(t - v) if mode == "max" else (v - t) for t, v in zip(train, val)]
    over = [not np.isnan(g) and g > threshold for g in gaps]
    return over.index(True) + 1 if True in over else None
''',
})
