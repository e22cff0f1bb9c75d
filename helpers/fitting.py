"""Watching what ``model.fit`` really does: a callback that counts its batches.

``fit`` makes one gradient update per batch, and the last, smaller batch of an
epoch counts too. ``BatchCounter`` counts the training and validation batches
``fit`` runs, epoch by epoch, so notebook 02 can show it.

Used in notebook 02.
"""
from __future__ import annotations

from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


class BatchCounter(keras.callbacks.Callback):
    """Count the training and validation batches ``fit`` really runs, epoch by epoch.

    The counts restart in ``on_train_begin``, so one counter can be reused
    across ``fit`` calls.

    Attributes:
        train_batches: Training batches (gradient updates) per epoch.
        val_batches: Validation batches per epoch (0 without validation data).

    Used in notebook 02.
    """

    def __init__(self) -> None:
        super().__init__()
        self.train_batches: list[int] = []
        self.val_batches: list[int] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.train_batches, self.val_batches = [], []

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.train_batches.append(0)
        self.val_batches.append(0)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.train_batches[-1] += 1

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.val_batches:  # evaluate() outside fit has no epoch to count in
            self.val_batches[-1] += 1

    @property
    def epochs(self) -> int:
        """Epochs run by the last ``fit``."""
        return len(self.train_batches)

    @property
    def total(self) -> int:
        """Gradient updates made by the last ``fit``."""
        return sum(self.train_batches)
