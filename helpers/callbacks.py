"""Early stopping: Keras's callback, the rule it applies, and a hand-written callback.

Keras's ``EarlyStopping`` watches one logged number (``val_loss`` by default)
at the end of every epoch. An epoch *improves* when the number beats the best
so far by more than ``min_delta``; after ``patience`` epochs in a row without
an improvement, training stops, and with ``restore_best_weights=True`` the
model gets back the weights of its best epoch.

- ``make_early_stopping``: Keras's callback, set up as the course uses it;
- ``stop_point`` and ``epochs_until_stop``: the rule as pure functions;
- ``PatienceStopping``: the same rule as a reusable Keras callback;
- ``ScriptedLogs`` and ``scripted_fit``: a real ``model.fit`` whose logged
  values are dictated by a script, so tests know where training must stop;
- ``drive``: the same callback calls without ``fit``, for fast direct tests.

Used in notebook 08; notebook 09 reuses ``make_early_stopping``.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras

MODES = ("min", "max")


def make_early_stopping(patience: int = 3, monitor: str = "val_loss") -> keras.callbacks.EarlyStopping:
    """Keras's ``EarlyStopping`` that watches ``monitor`` and restores the best weights.

    Args:
        patience: Epochs without improvement before training stops.
            Defaults to 3.
        monitor: The logged quantity to watch; its direction (lower or
            higher is better) is inferred from its name. Defaults to
            ``"val_loss"``.

    Returns:
        A ``keras.callbacks.EarlyStopping`` with ``restore_best_weights=True``.

    Used in notebooks 08 and 09.

    >>> make_early_stopping(5).patience
    5
    """
    return keras.callbacks.EarlyStopping(monitor=monitor, patience=patience, restore_best_weights=True)


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

    Used by the tests of notebook 08.

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

    Used in notebook 08.

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

    Used in notebook 08.

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


class ScriptedLogs(keras.callbacks.Callback):
    """Overwrite logged values with scripted ones, and record the weights, at each epoch's end.

    Put it *first* in ``callbacks``: Keras hands every callback the same logs
    dict in list order, so the callbacks after it (and ``History``) see the
    scripted values.

    Args:
        scripts: ``{name: values}``, e.g. ``{"val_loss": [0.9, 0.8, ...]}``;
            epoch ``i`` logs ``values[i]``.

    Attributes:
        weights: The model's weights at the end of each epoch, in order.

    Used in notebook 08 and its tests.
    """

    def __init__(self, scripts: Mapping[str, Sequence[float]]):
        super().__init__()
        self.scripts = {name: [float(v) for v in values] for name, values in scripts.items()}
        self.weights: list[list[np.ndarray]] = []

    def on_train_begin(self, logs=None):
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        for name, values in self.scripts.items():
            logs[name] = values[epoch]
        self.weights.append(self.model.get_weights())


def tiny_model(seed: int = 0) -> keras.Model:
    """A compiled 4-input, 3-class softmax regression: the smallest model ``fit`` can train.

    Args:
        seed: Seed of the initial weights. Defaults to 0.

    Returns:
        A model compiled with SGD(0.5), sparse categorical cross-entropy and
        ``accuracy``.

    Used by ``scripted_fit``.
    """
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def scripted_fit(
    callbacks: Sequence[keras.callbacks.Callback],
    scripts: Mapping[str, Sequence[float]],
    model: keras.Model | None = None,
) -> tuple[keras.Model, ScriptedLogs, dict[str, list[float]]]:
    """Train ``model`` (default: a new ``tiny_model``) with real ``fit`` while ``scripts`` dictate the logs.

    One batch per epoch, unshuffled, so the weights change every epoch. At
    most as many epochs run as the scripts are long.

    Args:
        callbacks: The callbacks under test; they run after the script.
        scripts: ``{name: values per epoch}``, as for ``ScriptedLogs``.
        model: A compiled model with 4 inputs and 3 classes. Defaults to a
            new ``tiny_model()``.

    Returns:
        ``(model, recorder, history)``: the trained model, the
        ``ScriptedLogs`` (its ``weights`` per epoch) and ``fit``'s history.

    Used in notebook 08 and its tests.
    """
    model = model if model is not None else tiny_model()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int32") + (x[:, 1] > 0.5).astype("int32")
    recorder = ScriptedLogs(scripts)
    epochs = min(len(values) for values in scripts.values())
    history = model.fit(x, y, batch_size=24, epochs=epochs, shuffle=False, verbose=0,
                        callbacks=[recorder, *callbacks])
    return model, recorder, history.history


def drive(
    callback: keras.callbacks.Callback,
    scripts: Mapping[str, Sequence[float]],
    model: keras.Model,
) -> tuple[int, list[list[np.ndarray]]]:
    """Call ``callback``'s hooks as ``fit`` would, with scripted logs and no training.

    At epoch ``i`` the model's weights become its starting weights plus
    ``i + 1``, so each epoch's weights are recognisable. The loop ends when
    the callback sets ``model.stop_training``.

    Args:
        callback: The callback under test.
        scripts: ``{name: values per epoch}``, as for ``ScriptedLogs``.
        model: Any built model; its weights are overwritten.

    Returns:
        ``(epochs_run, weights)``: how many epochs ran, and the weights set
        at each of them.

    Used by the tests of notebook 08.
    """
    callback.set_model(model)
    model.stop_training = False
    start = model.get_weights()
    weights: list[list[np.ndarray]] = []
    callback.on_train_begin({})
    epochs_run = 0
    for epoch in range(min(len(values) for values in scripts.values())):
        callback.on_epoch_begin(epoch, {})
        model.set_weights([w + (epoch + 1) for w in start])
        weights.append(model.get_weights())
        callback.on_epoch_end(epoch, {name: float(values[epoch]) for name, values in scripts.items()})
        epochs_run = epoch + 1
        if model.stop_training:
            break
    callback.on_train_end({})
    return epochs_run, weights
