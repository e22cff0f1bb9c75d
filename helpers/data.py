"""The course's data: scikit-learn's bundled digits set, split the same way everywhere.

scikit-learn ships the 1,797 8x8 digit images inside the package, so nothing is
ever downloaded. Pixels are integers from 0 to 16.

Used in every notebook; notebook 01 introduces it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

#: The brightest pixel in the digits set (not 255: these are 4-bit images).
PIXEL_MAX = 16.0
NUM_CLASSES = 10
IMAGE_SHAPE = (8, 8, 1)
FLAT_DIM = 64


@dataclass(frozen=True)
class DigitsSplits:
    """Train, validation and test arrays of the digits set.

    ``x_*`` are float32, ``y_*`` are int32 class labels from 0 to 9.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def num_classes(self) -> int:
        return NUM_CLASSES

    def __repr__(self) -> str:
        shapes = ", ".join(
            f"{name}={getattr(self, name).shape}"
            for name in ("x_train", "x_val", "x_test")
        )
        return f"DigitsSplits({shapes})"


@functools.lru_cache(maxsize=1)
def _raw_digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits as sk_load_digits

    bunch = sk_load_digits()
    return bunch.data.astype(np.float32), bunch.target.astype(np.int32)


def normalize_pixels(x: Any) -> np.ndarray:
    """Scale digit pixels from [0, 16] to [0, 1] as a new float32 array.

    The digits are 4-bit images: their brightest pixel is 16, not 255.

    Args:
        x: Pixels of any shape (array, list or tensor), from 0 to 16.

    Returns:
        A new float32 NumPy array of the same shape; ``x`` is left unchanged.

    Used by ``load_digits``; notebook 03's first exercise asks for it.

    >>> normalize_pixels(np.array([0, 8, 16])).tolist()
    [0.0, 0.5, 1.0]
    """
    return np.asarray(x, dtype=np.float32) / np.float32(PIXEL_MAX)


def as_images(x: np.ndarray) -> np.ndarray:
    """Reshape flat ``(n, 64)`` digits into ``(n, 8, 8, 1)`` images."""
    return np.asarray(x).reshape((-1, *IMAGE_SHAPE))


def as_flat(x: np.ndarray) -> np.ndarray:
    """Reshape ``(n, 8, 8[, 1])`` digit images into flat ``(n, 64)`` vectors."""
    return np.asarray(x).reshape((-1, FLAT_DIM))


def load_digits(
    view: Literal["flat", "image"] = "flat",
    normalize: bool = True,
    val_fraction: float = 0.2,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> DigitsSplits:
    """Load the digits set as deterministic, stratified train/val/test splits.

    Args:
        view: ``"flat"`` gives ``(n, 64)`` vectors for dense networks,
            ``"image"`` gives ``(n, 8, 8, 1)`` images for convolutions.
            Defaults to ``"flat"``.
        normalize: Scale pixels to [0, 1]. Defaults to ``True``.
        val_fraction: Share of all samples kept for validation.
            Defaults to 0.2.
        test_fraction: Share of all samples kept for the test set.
            Defaults to 0.2.
        seed: Seed of the split; the same seed gives the same split on
            every machine. Defaults to 0.

    Returns:
        A ``DigitsSplits`` (1,077 / 360 / 360 samples with the defaults).

    Used in every notebook.

    >>> d = load_digits()
    >>> d.x_train.shape, d.y_train.dtype
    ((1077, 64), dtype('int32'))
    """
    if view not in ("flat", "image"):
        raise ValueError(f"view must be 'flat' or 'image', got {view!r}")
    if not 0 < val_fraction < 1 or not 0 < test_fraction < 1 or val_fraction + test_fraction >= 1:
        raise ValueError(
            "val_fraction and test_fraction must be between 0 and 1 and leave "
            f"data for training, got {val_fraction} and {test_fraction}"
        )
    from sklearn.model_selection import train_test_split

    x, y = _raw_digits()
    if normalize:
        x = normalize_pixels(x)
    x_rest, x_test, y_rest, y_test = train_test_split(
        x, y, test_size=test_fraction, stratify=y, random_state=seed
    )
    val_share = val_fraction / (1 - test_fraction)
    x_train, x_val, y_train, y_val = train_test_split(
        x_rest, y_rest, test_size=val_share, stratify=y_rest, random_state=seed
    )
    shape = as_images if view == "image" else as_flat
    return DigitsSplits(
        shape(x_train), y_train, shape(x_val), y_val, shape(x_test), y_test
    )
