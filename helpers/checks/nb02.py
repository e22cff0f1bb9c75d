"""Checks for notebook 02: training with a stratified validation set, and with balanced class weights.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). ``train`` is checked in
``helpers.checks.nb02_split`` and re-exported here: it runs on a model that
notes which samples ``fit`` trained and validated on.
``balanced_class_weights`` is compared with the reference on the labels a test
cell gives, or, with ``seed``, on many generated label arrays (classes
missing, one class, one sample). ``train_balanced`` runs on a
``WeighingSequential``: a ``ProbedSequential`` (a small classifier whose
``fit`` always runs its own ``BatchCounter``) that also adds up the sample
weight each class gets in its training batches; the judge trains the same
initial model without weights itself and compares the rare class's recall on
held-out digits.

Used by notebook 02's test cells, e.g. ``checks.nb02.balanced_class_weights(balanced_class_weights, [0, 1], 2)``.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from helpers.checks.core import check, check_close, check_equal, show
from helpers.checks.nb02_split import train  # noqa: F401 - test cells call checks.nb02.train
from helpers.checks.observed import observed_check
from helpers.checks.values import kind, plain
from helpers.data import FLAT_DIM, NUM_CLASSES, load_digits
from helpers.fitting import BatchCounter
from helpers.models import build_training_state, set_seed
from helpers.quiet import import_tensorflow
from helpers.reference import nb01, nb02 as reference

tf = import_tensorflow()
keras = tf.keras


class ProbedSequential(keras.Sequential):
    """A ``keras.Sequential`` whose ``fit`` always runs its own ``BatchCounter``, kept in ``model.counter``.

    It lets a check see how many batches a function that calls ``fit`` really
    trained on, without changing the call.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counter = BatchCounter()

    def fit(self, *args: Any, callbacks: list | None = None, **kwargs: Any):
        return super().fit(*args, callbacks=[*(callbacks or []), self.counter], **kwargs)


def probe_classifier(
    input_dim: int = FLAT_DIM,
    hidden_units: int = 16,
    num_classes: int = NUM_CLASSES,
    seed: int = 0,
    learning_rate: float = 1e-2,
) -> ProbedSequential:
    """A small compiled classifier that counts its batches in ``model.counter``.

    Args:
        input_dim: Features per sample. Defaults to 64.
        hidden_units: Width of the ReLU hidden layer. Defaults to 16.
        num_classes: Size of the softmax output. Defaults to 10.
        seed: Seed of the initial weights. Defaults to 0.
        learning_rate: Adam's step size. Defaults to 0.01.

    Returns:
        A compiled ``ProbedSequential`` model.
    """
    set_seed(seed)
    model = ProbedSequential(
        [
            keras.Input(shape=(input_dim,)),
            keras.layers.Dense(hidden_units, activation="relu"),
            keras.layers.Dense(num_classes, activation="softmax"),
        ],
        name="probed_mlp",
    )
    return build_training_state(nb01.compile_model(model, learning_rate))


def _label_cases(seed: int) -> list[tuple[np.ndarray, int]]:
    """Generated ``(labels, num_classes)``: the rule's boundaries first (absent classes, one class, one sample)."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 13))

    def drawn(n: int, classes: np.ndarray, dtype: Any = np.int64) -> np.ndarray:
        shares = rng.dirichlet(np.full(len(classes), 0.7))
        labels = np.concatenate([classes, rng.choice(classes, size=max(n - len(classes), 0), p=shares)])
        return rng.permutation(labels).astype(dtype)

    every = np.arange(k)
    cases = [
        (np.array([int(rng.integers(k))]), k),                          # one sample
        (np.full(int(rng.integers(2, 50)), int(rng.integers(k))), k),     # one class only
        (rng.permutation(np.repeat(every, int(rng.integers(1, 9)))), k),  # balanced: every weight 1
        (drawn(int(rng.integers(20, 300)), every[1:]), k),                # class 0 absent
        (drawn(int(rng.integers(20, 300)), every[:-1], np.int32), k),     # the last class absent
        (drawn(int(rng.integers(20, 300)), np.delete(every, rng.choice(k, size=2, replace=False))), k),
        (rng.permutation(np.r_[np.zeros(int(rng.integers(50, 200))), np.ones(int(rng.integers(1, 6)))]).astype(
            np.uint8), 2),                                              # two classes, one rare
    ]
    for _ in range(20):
        classes_n = int(rng.integers(2, 13))
        present = np.flatnonzero(rng.random(classes_n) < 0.75)
        present = present if len(present) else np.array([int(rng.integers(classes_n))])
        cases.append((drawn(int(rng.integers(len(present), 400)), present), classes_n))
    return cases


def _weight_cases(labels: Any, num_classes: int | None, seed: int | None) -> list[tuple[np.ndarray, int]]:
    given = [] if labels is None else [(np.asarray(labels, dtype=np.int64), num_classes)]
    return given + ([] if seed is None else _label_cases(seed))


def _described_weights(result: Any) -> dict[str, Any]:
    """A returned dict as its keys (ints, or ``None`` for keys of another type) and its values, plainly."""
    if not isinstance(result, dict):
        return {"type": kind(result)}
    keys = list(result)
    numbers_ = [isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                for v in result.values()]
    return {"type": "dict",
            "keys": [int(k) if isinstance(k, (int, np.integer)) and not isinstance(k, bool) else None
                     for k in keys],
            "key_kinds": [kind(k) for k in keys],
            "values": [float(v) if ok else kind(v) for v, ok in zip(result.values(), numbers_)]}


def balanced_class_weights(
    student: Callable[[np.ndarray, int], Any], labels: Any = None, num_classes: int | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """Check ``student(y, num_classes)`` against the reference's balanced weights.

    Args:
        student: The student's ``balanced_class_weights``.
        labels: The integer labels of one case. Defaults to ``None`` (no such case).
        num_classes: The number of classes of that case. Defaults to ``None``.
        seed: With a seed, also 27 generated cases: absent classes (first, last, two), one class
            only, one sample, balanced labels, two classes with a rare one. Defaults to ``None``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    return {"got": [_described_weights(student(y.copy(), k)) for y, k in _weight_cases(labels, num_classes, seed)]}


def _weights_hint(got: dict, want: dict[int, float], counts: np.ndarray, num_classes: int) -> str:
    present = np.count_nonzero(counts)
    absent = [c for c in range(num_classes) if not counts[c]]
    rule = ("Each class c in y gets n / (k * n_c): n labels, n_c of them c, and k the number of classes "
            "that occur in y.")
    if absent and any(not isinstance(got.get(c), float) or got[c] != 1.0 for c in absent if c in got):
        return f"A class that does not occur in y gets 1.0. {rule}"
    if present != num_classes and all(
            np.isclose(got.get(c, np.nan), want[c] * present / num_classes) for c in range(num_classes) if counts[c]):
        return f"k counts the classes that occur in y ({present} here), not num_classes. {rule}"
    return rule


@observed_check(balanced_class_weights)
def balanced_class_weights(observed, labels=None, num_classes=None, seed=None) -> None:
    cases = _weight_cases(labels, num_classes, seed)
    got = observed["got"]
    check(isinstance(got, list) and len(got) == len(cases), "balanced_class_weights: one answer per case.",
          len(cases), kind(got), "Run the test cell again.")
    for (y, k), seen in zip(cases, got):
        call = f"balanced_class_weights({show(y.tolist()) if len(y) <= 12 else f'<{len(y)} labels>'}, {k})"
        want = reference.balanced_class_weights(y, k)
        check(seen.get("type") == "dict", f"{call} should return a dict.", "a dict {class: weight}",
              seen.get("type"), "Return a dict such as {0: 1.5, 1: 0.75}.")
        keys = seen["keys"]
        check(None not in keys and sorted(keys) == list(range(k)), f"{call}: the keys of the dict.",
              f"the ints 0 to {k - 1}, one per class", list(zip(seen["key_kinds"], keys)),
              "One int key per class the model tells apart, range(num_classes): a class absent from y too.")
        values = dict(zip(keys, seen["values"]))
        check(all(isinstance(v, float) for v in values.values()), f"{call}: the weights should be numbers.",
              "numbers", values, "Make every weight a float.")
        counts = np.bincount(y, minlength=k)
        check(all(np.isclose(values[c], want[c], rtol=1e-5, atol=1e-7) for c in range(k)), f"{call} is wrong.",
              want, values, _weights_hint(values, want, counts, k))


class WeighingSequential(ProbedSequential):
    """A ``ProbedSequential`` that adds up, per class, the sample weights of the batches it trains on.

    ``model.weight_seen()`` is that sum: with ``class_weight`` or ``sample_weight``
    it shows the weights ``fit`` really used, without weights each sample counts 1.
    """

    def __init__(self, *args: Any, num_classes: int = NUM_CLASSES, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seen = [tf.Variable(tf.zeros([num_classes], tf.float64), trainable=False)]  # a list: not a weight

    def train_step(self, data: Any) -> Any:
        _, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        labels = tf.cast(tf.reshape(y, [-1]), tf.int32)
        weight = (tf.ones_like(labels, tf.float64) if sample_weight is None
                  else tf.cast(tf.reshape(sample_weight, [-1]), tf.float64))
        self._seen[0].assign_add(tf.math.unsorted_segment_sum(weight, labels, self._seen[0].shape[0]))
        return super().train_step(data)

    def weight_seen(self) -> np.ndarray:
        return self._seen[0].numpy()


def weighing_classifier(seed: int = 0) -> WeighingSequential:
    """``probe_classifier``'s network as a compiled ``WeighingSequential``: 64 inputs, 16 ReLU units, 10 classes."""
    set_seed(seed)
    model = WeighingSequential([keras.Input(shape=(FLAT_DIM,)), keras.layers.Dense(16, activation="relu"),
                                keras.layers.Dense(NUM_CLASSES, activation="softmax")], name="weighing_mlp")
    return build_training_state(nb01.compile_model(model, 1e-2))


def _imbalanced(per_class: int, rare: int, missing: bool, n_val: int, seed: int) -> dict[str, Any]:
    """A training subset with ``per_class`` digits of each class but ``rare`` of one (and, with ``missing``, no 9)."""
    data, rng = load_digits(), np.random.default_rng(seed)
    absent = NUM_CLASSES - 1 if missing else None  # the last class: `y.max() + 1` then counts one class too few
    minority = int(rng.integers(NUM_CLASSES - 1 if missing else NUM_CLASSES))
    sizes = {c: rare if c == minority else 0 if c == absent else per_class for c in range(NUM_CLASSES)}
    picked = np.concatenate([rng.choice(np.flatnonzero(data.y_train == c), n, replace=False)
                             for c, n in sizes.items()])
    picked = rng.permutation(picked)
    start = int(rng.integers(len(data.x_val) - n_val + 1))
    return {"x": data.x_train[picked], "y": data.y_train[picked], "minority": minority,
            "x_val": data.x_val[start:start + n_val], "y_val": data.y_val[start:start + n_val],
            "x_rare": data.x_test[data.y_test == minority]}


def train_balanced(
    student: Callable[..., Any], per_class: int = 30, rare: int = 4, missing: bool = False, n_val: int = 120,
    epochs: int = 8, batch_size: int = 32, seed: int = 0,
) -> dict[str, Any]:
    """Check that ``student`` trains with balanced class weights and weighs its validation loss the same way.

    Trains a ``weighing_classifier(seed=seed)`` on an imbalanced subset of the
    training digits: ``per_class`` of each digit but ``rare`` of one drawn from
    ``seed`` (and none of digit 9 with ``missing``), validating on ``n_val``
    validation digits. The judge checks the History, the epochs and batches,
    that the model kept its optimizer, that each class's training samples
    carried the balanced weight, that the last ``val_loss`` is the weighted
    loss of the final weights on the validation data (weights of the
    validation labels' classes), and that the rare digit's recall on the test
    digits beats, by 0.05 or more, that of the same model trained without
    weights by the judge itself.

    Args:
        student: The student's ``train_balanced``.
        per_class: Training digits of each common class. Defaults to 30.
        rare: Training digits of the rare class. Defaults to 4.
        missing: Leave digit 9 out of the training data (the rare digit is then another). Defaults to False.
        n_val: Validation samples. Defaults to 120.
        epochs: Epochs to ask for. Defaults to 8.
        batch_size: Batch size to ask for. Defaults to 32.
        seed: Seed of the model and of the subset. Defaults to 0.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    d = _imbalanced(per_class, rare, missing, n_val, seed)
    model = weighing_classifier(seed)
    optimizer = model.optimizer
    history = student(model, d["x"].copy(), d["y"].copy(), d["x_val"].copy(), d["y_val"].copy(), epochs, batch_size)
    is_history = isinstance(history, keras.callbacks.History)
    return {"returned": type(history).__name__, "exact_history": type(history) is keras.callbacks.History,
            "history": plain(history.history) if is_history else None,
            "train_batches": list(model.counter.train_batches), "weight_seen": model.weight_seen(),
            "same_optimizer": model.optimizer is optimizer, "weights": model.get_weights()}


def _recall(network: Any, weights: list, x: np.ndarray, label: int) -> float:
    network.set_weights([np.asarray(w) for w in weights])
    return float(np.mean(np.argmax(np.asarray(network(x, training=False)), axis=1) == label))


@observed_check(train_balanced)
def train_balanced(observed, per_class=30, rare=4, missing=False, n_val=120, epochs=8, batch_size=32, seed=0) -> None:
    d = _imbalanced(per_class, rare, missing, n_val, seed)
    name = f"train_balanced(model, <{len(d['y'])} samples, {rare} of digit {d['minority']}>, ..., epochs={epochs})"
    check(observed["exact_history"] is True, f"{name} should return the History that fit returns.",
          "a keras.callbacks.History", observed["returned"], "Return the result of model.fit(...) itself.")
    check_equal(observed["train_batches"], [math.ceil(len(d["y"]) / batch_size)] * epochs,
                f"{name}: training batches counted in each epoch.",
                "Call fit once with epochs=epochs and batch_size=batch_size, on x_train and y_train as they are.")
    check(observed["same_optimizer"] is True, f"{name} should train the model as it was given, already compiled.",
          "the model's own optimizer", "a new optimizer", "Do not call model.compile again: just call model.fit.")
    want = reference.balanced_class_weights(d["y"], NUM_CLASSES)
    counts = np.bincount(d["y"], minlength=NUM_CLASSES)
    per_sample = np.asarray(observed["weight_seen"], dtype=np.float64) / np.maximum(epochs * counts, 1)
    check_close(np.round(per_sample, 6).tolist(), [want[c] if counts[c] else 0.0 for c in range(NUM_CLASSES)],
                f"{name}: the weight each training sample of class 0..9 carried (0 for a class with no samples).",
                "Pass class_weight=balanced_class_weights(y_train, model.output_shape[-1]) to fit.", rtol=1e-4)
    history = observed["history"] if isinstance(observed["history"], dict) else {}
    val_loss = history.get("val_loss")
    check(isinstance(val_loss, list) and len(val_loss) == epochs, f"{name} should validate after every epoch.",
          f"{epochs} values of 'val_loss'", sorted(history), "Pass validation_data=(x_val, y_val, val_weights).")
    network = weighing_classifier(seed)
    start = network.get_weights()
    weights = observed["weights"]
    check([np.shape(w) for w in weights] == [w.shape for w in start], f"{name}: the model should keep its layers.",
          [w.shape for w in start], [np.shape(w) for w in weights], "Train the model you were given.")
    network.set_weights(weights)
    probs = np.clip(np.asarray(network(d["x_val"], training=False), dtype=np.float64), 1e-7, 1 - 1e-7)
    val_weights = np.array([want[int(c)] for c in d["y_val"]])
    weighted = float(np.mean(-val_weights * np.log(probs[np.arange(len(d["y_val"])), d["y_val"]])))
    check_close(val_loss[-1], weighted, f"{name}: the last val_loss should be the loss of the final weights on "
                "(x_val, y_val), each sample weighted by its class's weight.", "class_weight does not reach the "
                "validation data: pass validation_data=(x_val, y_val, w_val), where w_val[i] is the weight of "
                "class y_val[i].", rtol=1e-4, atol=1e-5)
    network.set_weights(start)
    network.fit(d["x"], d["y"], epochs=epochs, batch_size=batch_size, verbose=0)
    baseline = _recall(network, network.get_weights(), d["x_rare"], d["minority"])
    recall = _recall(network, weights, d["x_rare"], d["minority"])
    check(recall >= baseline + 0.05, f"{name}: recall of digit {d['minority']} on the test digits.",
          f"at least {baseline + 0.05:.3f} (trained without weights: {baseline:.3f})", round(recall, 3),
          "Train with the balanced class weights, for the epochs and batch size you were given.")
