"""Check for notebook 02's exercise 1: hold out a stratified validation set, train on the rest.

The student's ``train(model, x, y, epochs, batch_size, val_fraction)`` runs on
a ``SampleSpy``: a small classifier that knows the samples the check gave it
and notes, inside its own ``train_step`` and ``test_step``, which of them
every training and validation batch held (and whether each came with its own
label). That sees what ``fit`` really trained and validated on, however the
student passed it: arrays, index arrays, shuffled copies or ``tf.data``
datasets. The kernel sends those counts, the batch counts, the History and
the final weights; the judge rebuilds the samples from the arguments and
checks the split (disjoint, complete, ``math.ceil(val_fraction * n_c)``
validation samples of each class c), the epochs and batches, and the last
``val_loss`` against the loss of the final weights on the student's own
validation samples, computed here with NumPy.

Re-exported by ``helpers.checks.nb02``; test cells call ``checks.nb02.train(train, ...)``.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from helpers.checks.core import check, check_close, check_equal
from helpers.checks.observed import observed_check
from helpers.checks.values import plain
from helpers.data import NUM_CLASSES, load_digits
from helpers.fitting import BatchCounter
from helpers.models import build_training_state, set_seed
from helpers.quiet import import_tensorflow
from helpers.reference import nb01

tf = import_tensorflow()
keras = tf.keras

_HIDDEN_UNITS = 16


class SampleSpy(keras.Sequential):
    """A ``keras.Sequential`` that counts how often each of the known samples was trained and validated on.

    Each sample is recognised by a random projection of its values (its
    "key"). ``model.seen()`` returns, for training and for validation, one
    count per known sample, then the batch rows that matched no known sample,
    then those whose label was not that sample's label. Validation batches
    count only inside ``fit``: an ``evaluate`` of the student's own does not.
    Its ``fit`` also runs a ``BatchCounter`` of its own, ``model.counter``.
    """

    def __init__(self, *args: Any, samples: np.ndarray, labels: np.ndarray, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counter = BatchCounter()
        flat = np.asarray(samples, np.float64).reshape(len(samples), -1)
        direction = np.random.default_rng(20250219).normal(size=flat.shape[1])
        keys = flat @ direction
        gaps = np.diff(np.sort(keys))
        self._n = len(keys)
        self._direction = tf.constant(direction, tf.float64)
        self._keys = tf.constant(keys, tf.float64)
        self._labels = tf.constant(np.asarray(labels, np.int64).reshape(-1))
        self._tolerance = float(min(gaps.min() / 4 if len(gaps) else 1.0, 1e-6 * (1 + np.abs(keys).max())))
        # in lists, so that Keras does not take them for weights of the model
        self._counts = [tf.Variable(tf.zeros([self._n + 2], tf.float64), trainable=False) for _ in range(2)]
        self._in_fit = [tf.Variable(0.0, dtype=tf.float64, trainable=False)]

    def fit(self, *args: Any, callbacks: list | None = None, **kwargs: Any):
        self._in_fit[0].assign(1.0)
        try:
            return super().fit(*args, callbacks=[*(callbacks or []), self.counter], **kwargs)
        finally:
            self._in_fit[0].assign(0.0)

    def _note(self, data: Any, counts: tf.Variable, weight: Any) -> None:
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        flat = tf.reshape(tf.cast(x, tf.float64), [tf.shape(x)[0], -1])
        distance = tf.abs(tf.linalg.matvec(flat, self._direction)[:, None] - self._keys[None, :])
        nearest = tf.argmin(distance, axis=1)
        known = tf.reduce_min(distance, axis=1) <= self._tolerance
        labelled = tf.equal(tf.gather(self._labels, nearest), tf.cast(tf.reshape(y, [-1]), tf.int64))
        slot = tf.where(known, tf.where(labelled, nearest, self._n + 1), self._n)
        counts.assign_add(tf.math.unsorted_segment_sum(tf.ones_like(slot, tf.float64) * weight, slot, self._n + 2))

    def train_step(self, data: Any) -> Any:
        self._note(data, self._counts[0], 1.0)
        return super().train_step(data)

    def test_step(self, data: Any) -> Any:
        self._note(data, self._counts[1], self._in_fit[0])
        return super().test_step(data)

    def seen(self) -> dict[str, np.ndarray]:
        """``{"train": counts, "val": counts}``: per known sample, then unknown rows, then mislabelled rows."""
        return {"train": np.rint(self._counts[0].numpy()).astype(np.int64),
                "val": np.rint(self._counts[1].numpy()).astype(np.int64)}


def spy_classifier(samples: np.ndarray, labels: np.ndarray, num_classes: int, seed: int = 0) -> SampleSpy:
    """A compiled ``SampleSpy`` for ``samples``: Flatten, 16 ReLU units, softmax over ``num_classes``, Adam 0.01."""
    set_seed(seed)
    model = SampleSpy([keras.Input(shape=samples.shape[1:]), keras.layers.Flatten(),
                       keras.layers.Dense(_HIDDEN_UNITS, activation="relu"),
                       keras.layers.Dense(num_classes, activation="softmax")],
                      samples=samples, labels=labels, name="spy_mlp")
    return build_training_state(nb01.compile_model(model, 1e-2))


def split_case(
    n: int, rare: int | None, order: str, shape: tuple | None, classes: int, seed: int,
) -> tuple[np.ndarray, np.ndarray, int]:
    """``(x, y, num_classes)`` for one case: digits or Gaussian blobs, one class with only ``rare`` samples.

    Args:
        n: Samples in all.
        rare: Samples of one class drawn from ``seed``, or ``None`` for none singled out.
        order: ``"shuffled"``, or ``"sorted"`` by label (every 0 first, then every 1, ...).
        shape: ``None`` for distinct training digits of 64 pixels; else the shape of one blob sample.
        classes: Classes of the blobs (the digits have 10).
        seed: Seed of the draw.
    """
    rng = np.random.default_rng(seed)
    k = NUM_CLASSES if shape is None else classes
    scarce = None if rare is None else int(rng.integers(k))
    if shape is None:
        digits = load_digits()
        picked = rng.choice(np.flatnonzero(digits.y_train != scarce), n - (rare or 0), replace=False)
        if rare:
            picked = np.r_[picked, rng.choice(np.flatnonzero(digits.y_train == scarce), rare, replace=False)]
        x, y = digits.x_train[picked], digits.y_train[picked]
    else:
        common = [c for c in range(k) if c != scarce]
        y = np.r_[rng.choice(common, n - (rare or 0)), np.full(rare or 0, scarce)].astype(np.int32)
        centres = rng.normal(0.0, 2.0, size=(k, *shape))
        x = (centres[y] + rng.normal(size=(n, *shape))).astype(np.float32)
    arrangement = np.argsort(y, kind="stable") if order == "sorted" else rng.permutation(n)
    return x[arrangement], y[arrangement], k


def expected_validation_counts(y: np.ndarray, num_classes: int, val_fraction: float) -> list[int]:
    """``math.ceil(val_fraction * n_c)`` for each class c: the validation samples the exercise asks for."""
    return [math.ceil(val_fraction * int(n_c)) for n_c in np.bincount(y, minlength=num_classes)]


def train(
    student: Callable[..., Any], n: int = 240, epochs: int = 2, batch_size: int = 50, val_fraction: float = 0.25,
    rare: int | None = None, order: str = "shuffled", shape: tuple | None = None, classes: int = 3, seed: int = 0,
) -> dict[str, Any]:
    """Check that ``student`` holds out ``ceil(val_fraction * n_c)`` samples of each class c and trains on the rest.

    Calls ``student(model, x, y, epochs, batch_size, val_fraction)`` with a
    ``spy_classifier`` and the samples of ``split_case``. The judge checks
    that the History itself came back; that every row ``fit`` trained or
    validated on is a sample of ``x`` with its own label; that each sample
    was trained on once per epoch or validated on once per epoch, never both
    and never neither; the validation samples per class; the epochs and the
    batches of each; that the model kept its optimizer; and that the last
    ``val_loss`` is the loss of the final weights on those validation samples.

    Args:
        student: The student's ``train``.
        n: Samples in all. Defaults to 240.
        epochs: Epochs to ask for. Defaults to 2.
        batch_size: Batch size to ask for. Defaults to 50.
        val_fraction: Share of each class to hold out. Defaults to 0.25.
        rare: Samples of one class drawn from ``seed``; ``None``: no class singled out. Defaults to ``None``.
        order: ``"shuffled"`` or ``"sorted"`` by label. Defaults to ``"shuffled"``.
        shape: ``None`` for digits, else the shape of a blob sample. Defaults to ``None``.
        classes: Classes of the blobs. Defaults to 3.
        seed: Seed of the samples and of the model. Defaults to 0.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    x, y, k = split_case(n, rare, order, shape, classes, seed)
    model = spy_classifier(x, y, k, seed)
    optimizer = model.optimizer
    history = student(model, x.copy(), y.copy(), epochs, batch_size, val_fraction)
    is_history = isinstance(history, keras.callbacks.History)
    return {"returned": type(history).__name__, "exact_history": type(history) is keras.callbacks.History,
            "history": plain(history.history) if is_history else None, **model.seen(),
            "train_batches": list(model.counter.train_batches), "val_batches": list(model.counter.val_batches),
            "same_optimizer": model.optimizer is optimizer, "weights": model.get_weights()}


def _loss(weights: list, x: np.ndarray, y: np.ndarray) -> float:
    """Cross-entropy of the spy's network with ``weights`` on ``(x, y)``, in float64 NumPy."""
    kernel, bias, out_kernel, out_bias = (np.asarray(w, np.float64) for w in weights)
    logits = np.maximum(x.reshape(len(x), -1) @ kernel + bias, 0.0) @ out_kernel + out_bias
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs = np.clip(probs / probs.sum(axis=1, keepdims=True), 1e-7, 1 - 1e-7)
    return float(np.mean(-np.log(probs[np.arange(len(y)), y])))


def _judge_samples(name: str, trained: np.ndarray, validated: np.ndarray, epochs: int) -> None:
    """Every sample trained on once per epoch or validated on once per epoch: never both, never neither."""
    both = np.flatnonzero((trained > 0) & (validated > 0))
    check(len(both) == 0, f"{name}: samples both trained and validated on.", "none",
          f"{len(both)} samples, e.g. sample {both[:3].tolist()}",
          "Train on the samples you did not hold out: x[train_idx], y[train_idx], not all of x.")
    unused = np.flatnonzero((trained == 0) & (validated == 0))
    check(len(unused) == 0, f"{name}: samples neither trained nor validated on.", "none",
          f"{len(unused)} samples, e.g. sample {unused[:3].tolist()}",
          "Every sample of x goes either to validation or to training.")
    for counts, role in ((trained, "trained"), (validated, "validated")):
        wrong = np.flatnonzero((counts > 0) & (counts != epochs))
        check(len(wrong) == 0, f"{name}: each {role} sample should be {role} on once per epoch.",
              f"{epochs} times each", f"sample {wrong[0]}: {counts[wrong[0]]} times" if len(wrong) else "",
              "Give fit each sample once: no sample twice in the training or the validation set, and one fit "
              "call with validation_data.")


@observed_check(train)
def train(observed, n=240, epochs=2, batch_size=50, val_fraction=0.25, rare=None, order="shuffled", shape=None,
          classes=3, seed=0) -> None:
    x, y, k = split_case(n, rare, order, shape, classes, seed)
    name = (f"train(model, <{n} samples{', sorted by class' if order == 'sorted' else ''}>, epochs={epochs}, "
            f"batch_size={batch_size}, val_fraction={val_fraction})")
    check(observed["exact_history"] is True, f"{name} should return the History that fit returns.",
          "a keras.callbacks.History", observed["returned"],
          "Return the result of model.fit(...) itself, not history.history.")
    trained, validated = (np.asarray(observed[role], np.int64) for role in ("train", "val"))
    check(trained[n] == validated[n] == 0, f"{name}: fit got rows that are not samples of x.", "rows of x only",
          f"{trained[n] + validated[n]} other rows", "Pass the samples unchanged: x[indices], not scaled or made up.")
    check(trained[n + 1] == validated[n + 1] == 0, f"{name}: fit got samples with another sample's label.",
          "each sample with its own label", f"{trained[n + 1] + validated[n + 1]} rows with a wrong label",
          "Index x and y with the same indices, in the same order.")
    counted = observed["train_batches"]
    check_equal(len(counted), epochs, f"{name} ran the wrong number of epochs.",
                "Call fit once with epochs=epochs, as it is: no +1, no -1 and no initial_epoch.")
    history = observed["history"] if isinstance(observed["history"], dict) else {}
    val_loss = history.get("val_loss")
    check(isinstance(val_loss, list) and len(val_loss) == epochs and all(observed["val_batches"]),
          f"{name} should validate after every epoch.", f"{epochs} values of 'val_loss'", sorted(history),
          "Pass validation_data=(x_val, y_val) to fit, with the samples you held out.")
    _judge_samples(name, trained[:n], validated[:n], epochs)
    held_out = validated[:n] > 0
    check_equal(np.bincount(y[held_out], minlength=k).tolist(), expected_validation_counts(y, k, val_fraction),
                f"{name}: validation samples of each class 0..{k - 1}.",
                "Hold out math.ceil(val_fraction * n_c) samples of each class c, n_c being its samples in y. "
                "validation_split takes the last rows instead, whatever their class.")
    check_equal(counted, [math.ceil(int(np.sum(~held_out)) / batch_size)] * epochs,
                f"{name}: training batches counted in each epoch.",
                "Pass batch_size=batch_size to fit, with the training samples only.")
    check(observed["same_optimizer"] is True, f"{name} should train the model as it was given, already compiled.",
          "the model's own optimizer", "a new optimizer", "Do not call model.compile again: just call model.fit.")
    weights = observed["weights"]
    shapes = [(int(np.prod(x.shape[1:])), _HIDDEN_UNITS), (_HIDDEN_UNITS,), (_HIDDEN_UNITS, k), (k,)]
    check([tuple(np.shape(w)) for w in weights] == shapes, f"{name}: the model should keep its layers.",
          shapes, [np.shape(w) for w in weights], "Train the model you were given.")
    check_close(val_loss[-1], _loss(weights, x[held_out], y[held_out]),
                f"{name}: the last val_loss should be the loss of the final weights on your validation samples.",
                "Validate on the held-out samples, unweighted: validation_data=(x_val, y_val).", rtol=1e-4, atol=1e-5)
