"""Reference answer for notebook 08's exercises; used by helpers.checks.nb08.

Keras's ``EarlyStopping`` watches one logged number (``val_loss`` by default)
at the end of every epoch. An epoch *improves* when the number beats the best
so far by more than ``min_delta``; after ``patience`` epochs in a row without
an improvement, training stops, and with ``restore_best_weights=True`` the
model gets back the weights of its best epoch.

- ``train_with_checkpoint``: Keras's ``EarlyStopping`` and ``ModelCheckpoint`` in one
  ``fit``: the best epoch's model saved to a ``.keras`` file;
- ``stop_point``: the rule as a pure function, for a loss or an accuracy: how
  many epochs run and which epoch is the best (the checks' expected values);
- ``epochs_until_stop``: the rule for a loss, as the exercise asks for it;
- ``PatienceStopping``: the same rule as a reusable Keras callback.
"""
from __future__ import annotations

from os.path import join
from typing import Sequence

from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras

MODES = ("min", "max")


def train_with_checkpoint(model: keras.Model, train: tuple, val: tuple, folder: str, patience: int = 2,
                          epochs: int = 12) -> str:
    """Train with early stopping, keeping the best epoch's model on disk, and return the file's path.

    ``EarlyStopping`` ends training ``patience`` epochs after the lowest
    validation loss; ``ModelCheckpoint(save_best_only=True)`` rewrites the
    file only when the validation loss improves, so the file holds the best
    epoch's model (weights, architecture and optimizer state) whatever the
    model in memory ends with.

    Args:
        model: A compiled model.
        train: ``(x, y)`` to train on.
        val: ``(x_val, y_val)`` to validate on.
        folder: An existing folder for the checkpoint.
        patience: Epochs without improvement before training stops. Defaults to 2.
        epochs: The most epochs to run. Defaults to 12.

    Returns:
        The path of the ``.keras`` file, for ``keras.models.load_model``.

    Notebook 08's exercise 1.
    """
    path = join(folder, "best.keras")
    callbacks = [keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience),
                 keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True)]
    model.fit(*train, validation_data=val, epochs=epochs, callbacks=callbacks, verbose=0)
    return path


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(
            f"`mode` must be 'min' or 'max', got {mode!r}. Pass mode='min' for a loss "
            "and mode='max' for an accuracy."
        )


def stop_point(
    values: Sequence[float], patience: int, min_delta: float = 0.0, mode: str = "min"
) -> tuple[int, int]:
    """Where Keras's early-stopping rule stops, for the values logged epoch by epoch.

    The first value is the first best. A later value improves when it beats
    the best by more than ``min_delta`` (``value < best - min_delta`` in
    ``"min"`` mode, ``value > best + min_delta`` in ``"max"`` mode); only
    then does the best change and the wait restart. Training stops at the
    end of the epoch where ``patience`` epochs in a row have not improved.

    Args:
        values: The monitored value at the end of each epoch, as far as
            training would run without early stopping.
        patience: Epochs without improvement that are tolerated.
        min_delta: The margin an improvement needs. Defaults to 0.
        mode: ``"min"`` (lower is better) or ``"max"``. Defaults to ``"min"``.

    Returns:
        ``(epochs_run, best_epoch)``: how many epochs run (``len(values)``
        when training never stops early) and the 0-based epoch of the best
        value, whose weights ``restore_best_weights`` brings back.

    Used by ``helpers.checks.nb08`` for the expected values.

    >>> stop_point([1.0, 0.8, 0.9, 0.85, 0.7], patience=2)
    (4, 1)
    """
    _check_mode(mode)
    if patience < 0:
        raise ValueError(f"`patience` must be 0 or more, got {patience}")
    sign = 1.0 if mode == "min" else -1.0
    best, best_epoch, wait = None, 0, 0
    for epoch, value in enumerate(values):
        if best is None or sign * (value + sign * abs(min_delta)) < sign * best:
            best, best_epoch, wait = value, epoch, 0
            continue
        wait += 1
        if wait >= patience:
            return epoch + 1, best_epoch
    return len(values), best_epoch


def epochs_until_stop(val_losses: Sequence[float], patience: int, min_delta: float = 0.0) -> int:
    """How many epochs run before early stopping on ``val_loss`` ends training.

    Args:
        val_losses: The validation loss at the end of each epoch.
        patience: Epochs without improvement that are tolerated.
        min_delta: The margin an improvement needs. Defaults to 0.

    Returns:
        The number of epochs that run: ``len(val_losses)`` when training
        never stops early.

    Notebook 08's exercise 2.

    >>> epochs_until_stop([1.0, 0.9, 0.95, 0.97, 0.99, 0.5], patience=3)
    5
    """
    return stop_point(val_losses, patience, min_delta, "min")[0]


class PatienceStopping(keras.callbacks.Callback):
    """Stop training when ``monitor`` has not improved for ``patience`` epochs.

    The rule is Keras's ``EarlyStopping`` (see ``stop_point``). The state is
    reset in ``on_train_begin``, so one instance can serve several ``fit``
    calls.

    Args:
        monitor: The logged quantity to watch. Defaults to ``"val_loss"``.
        patience: Epochs without improvement that are tolerated.
            Defaults to 0.
        min_delta: The margin an improvement needs. Defaults to 0.
        mode: ``"min"`` when lower is better, ``"max"`` when higher is
            better. Defaults to ``"min"``.
        restore_best_weights: At the end of training, put back the weights
            of the best epoch. Defaults to ``False``.

    Notebook 08's exercise 3.

    >>> stopper = PatienceStopping("val_accuracy", patience=2, mode="max")
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 0,
        min_delta: float = 0.0,
        mode: str = "min",
        restore_best_weights: bool = False,
    ):
        super().__init__()
        _check_mode(mode)
        self.monitor, self.patience, self.min_delta = monitor, patience, abs(min_delta)
        self.mode, self.restore_best_weights = mode, restore_best_weights
        self.on_train_begin()

    def on_train_begin(self, logs=None):
        self.wait, self.stopped_epoch, self.best_epoch = 0, None, None
        self.best, self.best_weights = None, None

    def _improves(self, value: float) -> bool:
        if self.best is None:
            return True
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.monitor not in logs:
            raise KeyError(
                f"PatienceStopping monitors {self.monitor!r}, but the logs only hold {sorted(logs)}. "
                "Pass validation_data to fit, or monitor one of these names."
            )
        value = float(logs[self.monitor])
        if self._improves(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.restore_best_weights and self.best_weights is not None:
            self.model.set_weights(self.best_weights)
