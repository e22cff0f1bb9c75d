"""The explorer's knobs: ``RunSettings``, and the checks that say in words what is wrong with them.

Pure Python: nothing here imports TensorFlow.

Used by the training explorer in notebooks 02 and 09.
"""
from __future__ import annotations

from dataclasses import dataclass

#: The optimizers the explorer offers: the name in its menu -> the ``keras.optimizers`` class.
OPTIMIZERS = {"adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop"}


class SettingsError(ValueError):
    """A setting the explorer cannot train with; the message says what to change."""


@dataclass(frozen=True)
class RunSettings:
    """The knobs of one training run. Defaults are the explorer's defaults.

    >>> RunSettings(batch_size=64).label
    'adam lr=0.001 batch=64 epochs=10'
    """

    epochs: int = 10
    batch_size: int = 32
    learning_rate: float = 1e-3
    optimizer: str = "adam"
    val_fraction: float = 0.2

    @property
    def label(self) -> str:
        """The settings in a few words, for legends and messages."""
        return (f"{self.optimizer} lr={self.learning_rate:.3g} "
                f"batch={self.batch_size} epochs={self.epochs}")


def batch_size_options(num_train: int) -> list[int]:
    """The batch sizes the explorer's slider offers.

    Args:
        num_train: Training samples left after the validation split.

    Returns:
        Powers of two from 8 up to ``num_train``, then ``num_train`` itself (one batch).

    >>> batch_size_options(100)
    [8, 16, 32, 64, 100]
    """
    options = [2**k for k in range(3, 31) if 2**k <= num_train]
    if num_train not in options:
        options.append(num_train)
    return options


def check_settings(settings: RunSettings, num_train: int) -> None:
    """Raise ``SettingsError`` with a message for people when ``settings`` cannot train.

    Args:
        settings: The chosen settings.
        num_train: Training samples left after the validation split.

    Raises:
        SettingsError: naming the setting to change.

    >>> check_settings(RunSettings(batch_size=200), num_train=100)
    Traceback (most recent call last):
    ...
    helpers.explorer.settings.SettingsError: Batch size 200 is larger than the 100 training samples: pick 100 or less (or lower the validation fraction).
    """
    s = settings
    if num_train < 1:
        raise SettingsError(
            f"Validation fraction {s.val_fraction} leaves no training samples: lower it.")
    if s.epochs < 1:
        raise SettingsError(f"Epochs must be at least 1, got {s.epochs}.")
    if s.batch_size < 1:
        raise SettingsError(f"Batch size must be a positive number, got {s.batch_size}.")
    if s.batch_size > num_train:
        raise SettingsError(
            f"Batch size {s.batch_size} is larger than the {num_train} training samples: "
            f"pick {num_train} or less (or lower the validation fraction).")
    if not s.learning_rate > 0:
        raise SettingsError(f"Learning rate must be positive, got {s.learning_rate}.")
    if s.optimizer not in OPTIMIZERS:
        raise SettingsError(f"Optimizer must be one of {sorted(OPTIMIZERS)}, got {s.optimizer!r}.")
    if not 0 <= s.val_fraction < 1:
        raise SettingsError(f"Validation fraction must be in [0, 1), got {s.val_fraction}.")
