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

# Issue 19: `train` holds out a stratified validation set, math.ceil(val_fraction * n_c) samples of each class c.
_CEIL = "math.ceil(val_fraction * len(members))"
_FIT = '''    return model.fit(x[~held_out], y[~held_out], epochs=epochs, batch_size=batch_size,
                     validation_data=(x[held_out], y[held_out]), verbose=0)
'''


def _split_with(count: str = _CEIL, fit: str = _FIT, before: str = "") -> str:
    """The reference answer with another per-class count, other lines from ``return model.fit`` on, or a line first."""
    return f'''
def train(model, x, y, epochs, batch_size, val_fraction):
{before}    held_out = np.zeros(len(y), dtype=bool)
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        held_out[members[:{count}]] = True
{fit}'''


WRONG = {
    TRAIN: {
        "validation_split=val_fraction (the last rows, whatever their class)": '''
def train(model, x, y, epochs, batch_size, val_fraction):
    return model.fit(x, y, epochs=epochs, batch_size=batch_size, validation_split=val_fraction, verbose=0)
''',
        "shuffled first, then validation_split (random, not stratified)": '''
def train(model, x, y, epochs, batch_size, val_fraction):
    order = np.random.permutation(len(x))
    return model.fit(x[order], y[order], epochs=epochs, batch_size=batch_size, validation_split=val_fraction,
                     verbose=0)
''',
        "a random ceil(val_fraction * n) of all samples, not of each class": '''
def train(model, x, y, epochs, batch_size, val_fraction):
    order = np.random.permutation(len(x))
    n_val = math.ceil(val_fraction * len(x))
    val, rest = order[:n_val], order[n_val:]
    return model.fit(x[rest], y[rest], epochs=epochs, batch_size=batch_size, validation_data=(x[val], y[val]),
                     verbose=0)
''',
        "round() instead of math.ceil": _split_with(count="round(val_fraction * len(members))"),
        "int() (rounds down) instead of math.ceil": _split_with(count="int(val_fraction * len(members))"),
        "the training share rounded up instead (validation rounded down)": _split_with(
            count="len(members) - math.ceil((1 - val_fraction) * len(members))"),
        "a share of the classes held out, not a share of each class": '''
def train(model, x, y, epochs, batch_size, val_fraction):
    classes = np.unique(y)
    held_out = np.isin(y, classes[:math.ceil(val_fraction * len(classes))])
    return model.fit(x[~held_out], y[~held_out], epochs=epochs, batch_size=batch_size,
                     validation_data=(x[held_out], y[held_out]), verbose=0)
''',
        "trains on all samples, the held-out ones too": _split_with(fit='''    return model.fit(x, y, epochs=epochs, batch_size=batch_size,
                     validation_data=(x[held_out], y[held_out]), verbose=0)
'''),
        "the training labels taken in another order than their samples": '''
def train(model, x, y, epochs, batch_size, val_fraction):
    train_idx, val_idx = [], []
    for c in np.unique(y):
        members = list(np.flatnonzero(y == c))
        n_val = math.ceil(val_fraction * len(members))
        val_idx += members[:n_val]
        train_idx += members[n_val:]
    return model.fit(x[train_idx], y[sorted(train_idx, reverse=True)], epochs=epochs, batch_size=batch_size,
                     validation_data=(x[val_idx], y[val_idx]), verbose=0)
''',
        "some training samples given twice": _split_with(fit='''    x_tr, y_tr = x[~held_out], y[~held_out]
    x_tr, y_tr = np.concatenate([x_tr, x_tr[:5]]), np.concatenate([y_tr, y_tr[:5]])
    return model.fit(x_tr, y_tr, epochs=epochs, batch_size=batch_size,
                     validation_data=(x[held_out], y[held_out]), verbose=0)
'''),
        "validates every other epoch only": _split_with(fit='''    return model.fit(x[~held_out], y[~held_out], epochs=epochs, batch_size=batch_size, validation_freq=2,
                     validation_data=(x[held_out], y[held_out]), verbose=0)
'''),
        "batch_size ignored": _split_with(fit='''    return model.fit(x[~held_out], y[~held_out], epochs=epochs,
                     validation_data=(x[held_out], y[held_out]), verbose=0)
'''),
        "one epoch too many": _split_with(fit='''    return model.fit(x[~held_out], y[~held_out], epochs=epochs + 1, batch_size=batch_size,
                     validation_data=(x[held_out], y[held_out]), verbose=0)
'''),
        "epochs counted from 1 with initial_epoch": _split_with(fit='''    return model.fit(x[~held_out], y[~held_out], initial_epoch=1, epochs=epochs, batch_size=batch_size,
                     validation_data=(x[held_out], y[held_out]), verbose=0)
'''),
        "one fit per epoch, returning only the last History": _split_with(fit='''    for _ in range(epochs):
        history = model.fit(x[~held_out], y[~held_out], epochs=1, batch_size=batch_size,
                            validation_data=(x[held_out], y[held_out]), verbose=0)
    return history
'''),
        "returns history.history instead of the History": _split_with(fit='''    return model.fit(x[~held_out], y[~held_out], epochs=epochs, batch_size=batch_size,
                     validation_data=(x[held_out], y[held_out]), verbose=0).history
'''),
        "compiles the model again before training": _split_with(
            before='    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])\n'),
        "validation samples weighted by balanced class weights": _split_with(fit='''    counts = np.bincount(y[held_out])
    w_val = (len(y[held_out]) / (np.count_nonzero(counts) * np.maximum(counts, 1)))[y[held_out]]
    return model.fit(x[~held_out], y[~held_out], epochs=epochs, batch_size=batch_size,
                     validation_data=(x[held_out], y[held_out], w_val), verbose=0)
'''),
    },
}

RIGHT = {
    TRAIN: {
        "a per-class loop over index lists, the last samples of each class held out": '''
def train(model, x, y, epochs, batch_size, val_fraction):
    train_idx, val_idx = [], []
    for c in sorted(set(y.tolist())):
        members = [i for i in range(len(y)) if y[i] == c]
        n_val = math.ceil(val_fraction * len(members))
        val_idx += members[len(members) - n_val:]
        train_idx += members[:len(members) - n_val]
    history = model.fit(x[train_idx], y[train_idx], batch_size=batch_size, epochs=epochs,
                        validation_data=(x[val_idx], y[val_idx]), verbose=0)
    return history
''',
        "NumPy only: each sample's rank within its class from a stable argsort": '''
def train(model, x, y, epochs, batch_size, val_fraction):
    order = np.argsort(y, kind="stable")
    counts = np.bincount(y)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    rank = np.empty(len(y), dtype=int)
    rank[order] = np.arange(len(y)) - np.repeat(starts, counts)
    held_out = rank < np.ceil(val_fraction * counts).astype(int)[y]
    return model.fit(x[~held_out], y[~held_out], epochs=epochs, batch_size=batch_size,
                     validation_data=(x[held_out], y[held_out]), verbose=0)
''',
        "random samples of each class (np.random), tf.data datasets, an evaluate of its own": '''
def train(model, x, y, epochs, batch_size, val_fraction):
    rng = np.random.default_rng()
    val = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:math.ceil(val_fraction * np.sum(y == c))]
                          for c in np.unique(y)])
    rest = np.setdiff1d(np.arange(len(y)), val)
    train_ds = tf.data.Dataset.from_tensor_slices((x[rest], y[rest])).shuffle(len(rest)).batch(batch_size)
    val_ds = tf.data.Dataset.from_tensor_slices((x[val], y[val])).batch(64)
    print("before training:", model.evaluate(val_ds, verbose=0))
    return model.fit(train_ds, epochs=epochs, validation_data=val_ds, verbose=0)
''',
        "np.random.choice in each class, shuffle=False, validation_data as a list": '''
def train(model, x, y, epochs, batch_size, val_fraction):
    held_out = np.zeros(len(y), dtype=bool)
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        held_out[np.random.choice(members, math.ceil(val_fraction * len(members)), replace=False)] = True
    return model.fit(x[~held_out], y[~held_out], epochs=epochs, batch_size=batch_size, shuffle=False,
                     validation_data=[x[held_out], y[held_out]], verbose=0)
''',
        "builtin names as variables, keyword x/y and a dict of fit arguments": '''
def train(model, x, y, epochs, batch_size, val_fraction):
    input, vars = [], []
    for label in np.unique(y):
        where = np.where(y == label)[0]
        k = -int(-val_fraction * len(where) // 1)
        vars.extend(where[:k])
        input.extend(where[k:])
    sum = {"epochs": epochs, "batch_size": batch_size}
    print("training on", len(input), "samples, validating on", len(vars))
    return model.fit(x=x[input], y=y[input], validation_data=(x[vars], y[vars]), verbose=0, **sum)
''',
    },
}

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
