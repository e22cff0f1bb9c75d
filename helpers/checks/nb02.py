"""Checks for notebook 02: how many updates ``fit`` makes, and training with your own validation set.

The update counts are compared with the reference answer on the sizes a test
cell gives. ``train`` is run on a ``ProbedSequential``: a small classifier whose
``fit`` always runs its own ``BatchCounter``, so the check sees how many epochs
and batches the student's ``fit`` call really ran, however it was written.

Used by notebook 02's test cells, e.g. ``checks.nb02.updates_per_epoch(updates_per_epoch, 100, 30)``.
"""
from __future__ import annotations

from typing import Any, Callable

from helpers.checks.core import check, check_close, check_equal, check_instance
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


def updates_per_epoch(student: Callable[[int, int], Any], n_samples: int, batch_size: int) -> None:
    """Check ``student(n_samples, batch_size)`` against the reference count, as an int.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    got = student(n_samples, batch_size)
    check_equal(got, reference.updates_per_epoch(n_samples, batch_size),
                f"updates_per_epoch({n_samples}, {batch_size}) is wrong.",
                "One update per batch, and the last, smaller batch counts too: round n_samples / batch_size "
                "UP, and return an int (math.ceil does both).")


def total_updates(student: Callable[[int, int, int], Any], n_samples: int, batch_size: int, epochs: int) -> None:
    """Check ``student(n_samples, batch_size, epochs)`` against the reference count, as an int.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    got = student(n_samples, batch_size, epochs)
    check_equal(got, reference.total_updates(n_samples, batch_size, epochs),
                f"total_updates({n_samples}, {batch_size}, {epochs}) is wrong.",
                "Each of the `epochs` epochs makes updates_per_epoch(n_samples, batch_size) updates, "
                "the last smaller batch of each epoch included.")


def train(
    student: Callable[..., Any], n_train: int = 230, n_val: int = 90, epochs: int = 3, batch_size: int = 50,
    seed: int = 0,
) -> None:
    """Check that ``student`` trains for ``epochs`` epochs of ``batch_size`` and validates on the given data.

    Trains a ``probe_classifier(seed=seed)`` on ``n_train`` training digits
    (from index ``seed`` on), validating on the first ``n_val`` validation digits.

    Args:
        student: The student's ``train``.
        n_train: Training samples. Defaults to 230.
        n_val: Validation samples. Defaults to 90.
        epochs: Epochs to ask for. Defaults to 3.
        batch_size: Batch size to ask for. Defaults to 50.
        seed: Seed of the model, and where the training slice starts. Defaults to 0.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    name = f"train(model, <{n_train} samples>, ..., <{n_val} samples>, epochs={epochs}, batch_size={batch_size})"
    data = load_digits()
    x_tr, y_tr = data.x_train[seed:seed + n_train], data.y_train[seed:seed + n_train]
    x_v, y_v = data.x_val[:n_val], data.y_val[:n_val]

    model = probe_classifier(seed=seed)
    history = student(model, x_tr, y_tr, x_v, y_v, epochs, batch_size)
    counted = model.counter
    after = model.evaluate(x_v, y_v, verbose=0, return_dict=True)

    per_epoch = reference.updates_per_epoch(len(x_tr), batch_size)
    check_instance(history, keras.callbacks.History, f"{name} should return the History that fit returns.",
                   "Return the result of model.fit(...) itself, not history.history.")
    check_equal(counted.epochs, epochs, f"{name} ran the wrong number of epochs.",
                "Pass epochs=epochs to fit, as it is: no +1, no -1 and no initial_epoch.")
    check_equal(counted.train_batches, [per_epoch] * epochs, f"{name}: training batches counted in each epoch.",
                "Pass batch_size=batch_size to fit, and train on all of x_train: no validation_split.")
    check(len(history.history.get("val_loss", [])) == epochs and all(counted.val_batches),
          f"{name} should evaluate on validation data after every epoch.",
          f"{epochs} values of 'val_loss'", sorted(history.history), "Pass validation_data=(x_val, y_val) to fit.")
    check_close(history.history["val_loss"][-1], after["loss"],
                f"{name}: the last val_loss should be the loss on (x_val, y_val), as model.evaluate gives it.",
                "Validate on the given data: validation_data=(x_val, y_val), not validation_split and not "
                "the training data.", rtol=1e-4, atol=1e-5)
    losses = history.history["loss"]
    check(losses[-1] < losses[0], f"{name}: the training loss should fall.", "a falling loss",
          [round(v, 4) for v in losses], "Call fit on x_train and y_train.")
