"""One training run of the explorer: ``train_run`` trains a fresh model and returns a ``RunRecord``.

Used by the training explorer in notebooks 02 and 09.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from helpers.explorer.arrays import as_arrays, split_validation
from helpers.explorer.settings import OPTIMIZERS, RunSettings, SettingsError, check_settings
from helpers.models import build_training_state
from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


@dataclass
class RunRecord:
    """What one run did: its settings, its curves and what it cost.

    ``history`` is Keras's ``History.history`` (metric -> one value per epoch).

    >>> record = RunRecord(RunSettings(batch_size=32), {"loss": [0.9, 0.5]}, [0.2, 0.1], num_train=100)
    >>> record.epochs_run, record.updates
    (2, 8)
    """

    settings: RunSettings
    history: dict[str, list[float]]
    epoch_seconds: list[float] = field(default_factory=list)
    num_train: int = 0

    @property
    def epochs_run(self) -> int:
        """Epochs that ran (fewer than asked for when a callback stopped training)."""
        return len(self.history.get("loss", ()))

    @property
    def updates(self) -> int:
        """Gradient updates: batches per epoch times epochs run."""
        return self.epochs_run * math.ceil(self.num_train / self.settings.batch_size)

    @property
    def seconds_per_epoch(self) -> float:
        """Mean wall-clock seconds per epoch, ``nan`` before any epoch."""
        return float(np.mean(self.epoch_seconds)) if self.epoch_seconds else float("nan")

    @property
    def final_val_accuracy(self) -> float | None:
        """The last epoch's validation accuracy, or ``None`` when it was not logged."""
        values = self.history.get("val_accuracy")
        return values[-1] if values else None


def with_optimizer(model: keras.Model, name: str, learning_rate: float) -> keras.Model:
    """Recompile a compiled ``model`` with the same loss and metrics but a new optimizer.

    Args:
        model: A compiled Keras model.
        name: One of ``OPTIMIZERS`` (``"adam"``, ``"sgd"``, ``"rmsprop"``).
        learning_rate: The new optimizer's learning rate.

    Returns:
        ``model`` itself, recompiled.

    Raises:
        SettingsError: when ``model`` was not compiled.
    """
    if not getattr(model, "compiled", False):
        raise SettingsError("The model factory must return a compiled model: call model.compile(...).")
    config = model.get_compile_config()
    optimizer = getattr(keras.optimizers, OPTIMIZERS[name])(learning_rate=learning_rate)
    config["optimizer"] = keras.optimizers.serialize(optimizer)
    model.compile_from_config(config)
    return model


class _EpochTimer(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def train_run(
    settings: RunSettings,
    data: Any,
    model_factory: Callable[[], keras.Model],
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> RunRecord:
    """Train one fresh model with ``settings`` and record what happened.

    Args:
        settings: Epochs, batch size, learning rate, optimizer, validation fraction.
        data: ``(x, y)``, a ``DigitsSplits`` or a ``tf.data.Dataset``; see ``as_arrays``.
        model_factory: Returns a new compiled model; its optimizer is replaced
            by the one ``settings`` names.
        callbacks: Extra Keras callbacks (``LiveCurves``, ``EarlyStopping``, ...).
            Defaults to none.

    Returns:
        A ``RunRecord`` whose ``history`` equals Keras's ``History.history``.

    Raises:
        SettingsError: for settings or data that cannot train (checked before
            any model is built).

    Used by the training explorer in notebooks 02 and 09.
    """
    x, y = as_arrays(data)
    train, val = split_validation(x, y, settings.val_fraction)
    check_settings(settings, len(train[0]))
    model = with_optimizer(model_factory(), settings.optimizer, settings.learning_rate)
    build_training_state(model, (train[0][:1], train[1][:1]))
    timer = _EpochTimer()
    history = model.fit(*train, validation_data=val, epochs=settings.epochs,
                        batch_size=settings.batch_size, callbacks=[timer, *callbacks], verbose=0)
    return RunRecord(settings, dict(history.history), timer.seconds, len(train[0]))
