"""Checks for notebook 02: how many updates ``fit`` makes, and training with your own validation set.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). The update counts are compared with the
reference answer on the sizes a test cell gives, or, with ``seed``, on many
generated sizes that include the rule's boundaries (exact multiples, one
sample, a batch larger than the data). ``train`` is run on a
``ProbedSequential``: a small classifier whose ``fit`` always runs its own
``BatchCounter``. The kernel sends the counts, the history and the weights the
run left behind; the judge rebuilds the data and the initial model from the
arguments, computes the losses of those weights itself and compares the
validation loss with the history's last ``val_loss``.

Used by notebook 02's test cells, e.g. ``checks.nb02.updates_per_epoch(updates_per_epoch, 100, 30)``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from helpers.checks.core import check, check_close, check_equal
from helpers.checks.observed import observed_check
from helpers.checks.values import kind, plain
from helpers.data import FLAT_DIM, NUM_CLASSES, load_digits
from helpers.fitting import BatchCounter
from helpers.models import set_seed
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
    return nb01.compile_model(model, learning_rate)


def _count_cases(seed: int) -> list[tuple[int, int]]:
    """Generated ``(n_samples, batch_size)`` pairs: the rule's boundaries first, then random sizes."""
    rng = np.random.default_rng(seed)
    b, k, n = int(rng.integers(2, 100)), int(rng.integers(2, 20)), int(rng.integers(2, 2000))
    cases = [(1, 1), (1, b), (b, b), (b - 1, b), (b + 1, b), (k * b, b), (k * b + 1, b), (k * b - 1, b),
             (n, 1), (n, n), (n, n + int(rng.integers(1, 500)))]
    return cases + [(int(rng.integers(1, 5000)), int(rng.integers(1, 600))) for _ in range(25)]


def _run_cases(seed: int) -> list[tuple[int, int, int]]:
    """Generated ``(n_samples, batch_size, epochs)``: one epoch, exact multiples, a batch larger than the data..."""
    rng = np.random.default_rng(seed)
    epochs = [1, 1, *(int(e) for e in rng.integers(2, 50, size=len(_count_cases(seed)) - 2))]
    return [(n, b, e) for (n, b), e in zip(_count_cases(seed), rng.permutation(epochs).tolist())]


def _count_hint(got: Any, n_samples: int, batch_size: int, rule: str) -> str:
    if got == n_samples // batch_size:
        return f"{rule} Integer division // rounds down and drops the last, smaller batch; round up (math.ceil)."
    if got == n_samples // batch_size + 1:
        return f"{rule} When batch_size divides n_samples there is no extra batch: round up, do not add 1."
    if isinstance(got, float):
        return f"{rule} Return an int, e.g. math.ceil(n_samples / batch_size)."
    return rule


def updates_per_epoch(
    student: Callable[[int, int], Any], n_samples: int | None = None, batch_size: int | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """Check ``student(n_samples, batch_size)`` against the reference count, as an int.

    Args:
        student: The student's ``updates_per_epoch``.
        n_samples: Training samples of one case. Defaults to ``None`` (no such case).
        batch_size: Batch size of that case. Defaults to ``None``.
        seed: With a seed, also 36 generated cases, boundaries included. Defaults to ``None``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    cases = _cases(n_samples, batch_size, seed)
    return {"got": [plain(student(n, b)) for n, b in cases]}


def _cases(n_samples: int | None, batch_size: int | None, seed: int | None) -> list[tuple[int, int]]:
    given = [] if n_samples is None else [(n_samples, batch_size)]
    return given + ([] if seed is None else _count_cases(seed))


def _judge_counts(got: list, cases: list[tuple], expected: list[int], name: str, rule: str) -> None:
    check(isinstance(got, list) and len(got) == len(cases), f"{name}: one answer per case.", len(cases),
          kind(got), "Run the test cell again.")
    for case, value, want in zip(cases, got, expected):
        call = f"{name}({', '.join(map(str, case))})"
        check_equal(value, want, f"{call} is wrong.", _count_hint(value, case[0], case[1], rule))


@observed_check(updates_per_epoch)
def updates_per_epoch(observed, n_samples=None, batch_size=None, seed=None) -> None:
    cases = _cases(n_samples, batch_size, seed)
    _judge_counts(observed["got"], cases, [reference.updates_per_epoch(n, b) for n, b in cases],
                  "updates_per_epoch", "One update per batch, and the last, smaller batch counts too: round "
                  "n_samples / batch_size UP, and return an int (math.ceil does both).")


def total_updates(
    student: Callable[[int, int, int], Any], n_samples: int | None = None, batch_size: int | None = None,
    epochs: int | None = None, seed: int | None = None,
) -> dict[str, Any]:
    """Check ``student(n_samples, batch_size, epochs)`` against the reference count, as an int.

    Args:
        student: The student's ``total_updates``.
        n_samples: Training samples of one case. Defaults to ``None`` (no such case).
        batch_size: Batch size of that case. Defaults to ``None``.
        epochs: Epochs of that case. Defaults to ``None``.
        seed: With a seed, also 36 generated cases, boundaries included. Defaults to ``None``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    return {"got": [plain(student(n, b, e)) for n, b, e in _total_cases(n_samples, batch_size, epochs, seed)]}


def _total_cases(n_samples, batch_size, epochs, seed) -> list[tuple[int, int, int]]:
    given = [] if n_samples is None else [(n_samples, batch_size, epochs)]
    return given + ([] if seed is None else _run_cases(seed))


@observed_check(total_updates)
def total_updates(observed, n_samples=None, batch_size=None, epochs=None, seed=None) -> None:
    cases = _total_cases(n_samples, batch_size, epochs, seed)
    _judge_counts(observed["got"], cases, [reference.total_updates(*c) for c in cases], "total_updates",
                  "Each of the `epochs` epochs makes updates_per_epoch(n_samples, batch_size) updates, "
                  "the last smaller batch of each epoch included.")


def _train_data(n_train: int, n_val: int, seed: int) -> tuple[np.ndarray, ...]:
    """``n_train`` training digits from a start drawn from ``seed``, and the first ``n_val`` validation digits."""
    data = load_digits()
    start = seed % (len(data.x_train) - n_train + 1)
    return (data.x_train[start:start + n_train], data.y_train[start:start + n_train],
            data.x_val[:n_val], data.y_val[:n_val])


def train(
    student: Callable[..., Any], n_train: int = 230, n_val: int = 90, epochs: int = 3, batch_size: int = 50,
    seed: int = 0,
) -> dict[str, Any]:
    """Check that ``student`` trains the model it is given for ``epochs`` epochs of ``batch_size``, validating on the given data.

    Trains a ``probe_classifier(seed=seed)`` on ``n_train`` training digits
    (from a start drawn from ``seed``), validating on the first ``n_val``
    validation digits. The judge checks the History's class (exactly
    ``History``), the epochs and batches counted, that the model kept its
    optimizer (not compiled again), that the training loss of the final
    weights is below that of the initial ones, and that the last ``val_loss``
    is the loss of the final weights on the validation data, computed by the
    judge itself.

    Args:
        student: The student's ``train``.
        n_train: Training samples. Defaults to 230.
        n_val: Validation samples. Defaults to 90.
        epochs: Epochs to ask for. Defaults to 3.
        batch_size: Batch size to ask for. Defaults to 50.
        seed: Seed of the model and of where the training slice starts. Defaults to 0.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    x_tr, y_tr, x_v, y_v = _train_data(n_train, n_val, seed)
    model = probe_classifier(seed=seed)
    optimizer = model.optimizer
    history = student(model, x_tr.copy(), y_tr.copy(), x_v.copy(), y_v.copy(), epochs, batch_size)
    is_history = isinstance(history, keras.callbacks.History)
    return {"returned": type(history).__name__, "exact_history": type(history) is keras.callbacks.History,
            "history": plain(history.history) if is_history else None,
            "train_batches": list(model.counter.train_batches), "val_batches": list(model.counter.val_batches),
            "same_optimizer": model.optimizer is optimizer, "weights": model.get_weights()}


def _loss(network: Any, weights: list, x: np.ndarray, y: np.ndarray) -> float:
    """Cross-entropy of ``network`` with ``weights`` on ``(x, y)``, computed here in float64."""
    network.set_weights([np.asarray(w) for w in weights])
    probs = np.clip(np.asarray(network(x, training=False), dtype=np.float64), 1e-7, 1 - 1e-7)
    return float(np.mean(-np.log(probs[np.arange(len(y)), y])))


@observed_check(train)
def train(observed, n_train=230, n_val=90, epochs=3, batch_size=50, seed=0) -> None:
    name = f"train(model, <{n_train} samples>, ..., <{n_val} samples>, epochs={epochs}, batch_size={batch_size})"
    x_tr, y_tr, x_v, y_v = _train_data(n_train, n_val, seed)
    check(observed["exact_history"] is True, f"{name} should return the History that fit returns.",
          "a keras.callbacks.History", observed["returned"],
          "Return the result of model.fit(...) itself, not history.history.")
    counted = observed["train_batches"]
    check_equal(len(counted), epochs, f"{name} ran the wrong number of epochs.",
                "Call fit once with epochs=epochs, as it is: no +1, no -1 and no initial_epoch.")
    per_epoch = reference.updates_per_epoch(n_train, batch_size)
    check_equal(counted, [per_epoch] * epochs, f"{name}: training batches counted in each epoch.",
                "Pass batch_size=batch_size to fit, and train on all of x_train: no validation_split.")
    history = observed["history"] if isinstance(observed["history"], dict) else {}
    val_loss = history.get("val_loss")
    check(isinstance(val_loss, list) and len(val_loss) == epochs and all(observed["val_batches"]),
          f"{name} should evaluate on validation data after every epoch.",
          f"{epochs} values of 'val_loss'", sorted(history), "Pass validation_data=(x_val, y_val) to fit.")
    check(observed["same_optimizer"] is True, f"{name} should train the model as it was given, already compiled.",
          "the model's own optimizer", "a new optimizer", "Do not call model.compile again: just call model.fit.")
    network = probe_classifier(seed=seed)
    start = network.get_weights()
    weights = observed["weights"]
    check([np.shape(w) for w in weights] == [w.shape for w in start], f"{name}: the model should keep its layers.",
          [w.shape for w in start], [np.shape(w) for w in weights], "Train the model you were given.")
    before, after = _loss(network, start, x_tr, y_tr), _loss(network, weights, x_tr, y_tr)
    check(after < before, f"{name}: the training loss of the final weights should be below that of the initial ones.",
          f"below {before:.4f}", round(after, 4), "Call fit on x_train and y_train.")
    check_close(val_loss[-1], _loss(network, weights, x_v, y_v),
                f"{name}: the last val_loss should be the loss of the final weights on (x_val, y_val).",
                "Validate on the given data: validation_data=(x_val, y_val), not validation_split and not "
                "the training data.", rtol=1e-4, atol=1e-5)
