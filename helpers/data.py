"""The course's data: the UCI handwritten digits, shipped with the package and split the same way everywhere.

The 1,797 8x8 digit images live in ``helpers/datasets/digits.npz`` inside the
package, so nothing is ever downloaded. Pixels are integers from 0 to 16.

Provenance and licence: the file holds the test set (``optdigits.tes``) of
"Optical Recognition of Handwritten Digits" by E. Alpaydin and C. Kaynak
(1998), UCI Machine Learning Repository,
https://archive.ics.uci.edu/ml/datasets/Optical+Recognition+of+Handwritten+Digits,
licensed under Creative Commons Attribution 4.0 (CC BY 4.0). scikit-learn
bundles the same file (``sklearn.datasets.load_digits``); ``write_digits_file``
recreates ours from scikit-learn's copy, pixel for pixel.

The splits follow scikit-learn's stratified ``train_test_split`` exactly
(``stratified_split``), in NumPy alone: scikit-learn is not needed at run
time, and Keras, which imports it at start-up whenever it is installed, starts
about a second sooner without it.

Used in every notebook; notebook 01 introduces it.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

#: The brightest pixel in the digits set (not 255: these are 4-bit images).
PIXEL_MAX = 16.0
NUM_CLASSES = 10
IMAGE_SHAPE = (8, 8, 1)
FLAT_DIM = 64
#: The shipped digits: uint8 ``pixels`` (1797, 64) and uint8 ``labels`` (1797,).
DIGITS_FILE = Path(__file__).with_name("datasets") / "digits.npz"


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
    with np.load(DIGITS_FILE) as shipped:
        return shipped["pixels"].astype(np.float32), shipped["labels"].astype(np.int32)


def write_digits_file(path: Path = DIGITS_FILE) -> Path:
    """Recreate the shipped digits file from scikit-learn's copy: ``python -m helpers.data``.

    Needs scikit-learn (``pip install scikit-learn``); the course itself does
    not. The data are exactly ``sklearn.datasets.load_digits()``'s ``data``
    and ``target``, stored as uint8 (every pixel is an integer from 0 to 16).

    Args:
        path: Where to write the ``.npz`` file. Defaults to ``DIGITS_FILE``,
            the file the package ships.

    Returns:
        The path written.

    Used to build the data file every notebook loads.
    """
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    pixels, labels = bunch.data.astype(np.uint8), bunch.target.astype(np.uint8)
    if not (np.array_equal(pixels, bunch.data) and np.array_equal(labels, bunch.target)):
        raise ValueError("scikit-learn's digits are no longer integers from 0 to 16; check its load_digits")
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, pixels=pixels, labels=labels)
    return path


def _approximate_mode(class_counts: np.ndarray, n_draws: int, rng: np.random.RandomState) -> np.ndarray:
    """How many of ``n_draws`` samples each class gets: its share rounded down, the rest by largest remainder.

    Ties between equal remainders are broken with ``rng``, drawing exactly as
    scikit-learn's ``sklearn.utils.extmath._approximate_mode`` does.
    """
    continuous = class_counts / class_counts.sum() * n_draws
    floored = np.floor(continuous)
    need_to_add = int(n_draws - floored.sum())
    if need_to_add > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (tied,) = np.where(remainder == value)
            add_now = min(len(tied), need_to_add)
            floored[rng.choice(tied, size=add_now, replace=False)] += 1
            need_to_add -= add_now
            if need_to_add == 0:
                break
    return floored.astype(int)


def stratified_split(y: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Train and test indices of a shuffled split that keeps each class's share.

    Gives the same indices, in the same order, as scikit-learn's
    ``train_test_split(x, y, test_size=test_fraction, stratify=y,
    random_state=seed)`` (``StratifiedShuffleSplit``, scikit-learn 1.9; BSD
    licence): the test set holds ``ceil(test_fraction * len(y))`` samples.

    Args:
        y: Class labels, one per sample.
        test_fraction: Share of the samples in the test set, between 0 and 1.
        seed: Seed of ``np.random.RandomState``; the same seed gives the same
            split on every machine.

    Returns:
        ``(train, test)``: two shuffled integer index arrays into ``y``.

    Used by ``load_digits``.

    >>> stratified_split(np.array([0, 0, 1, 1]), 0.5, seed=0)
    (array([1, 2]), array([3, 0]))
    """
    n_test = math.ceil(test_fraction * len(y))
    n_train = len(y) - n_test
    _, y_indices, class_counts = np.unique(y, return_inverse=True, return_counts=True)
    if min(n_train, n_test) < len(class_counts) or class_counts.min() < 2:
        raise ValueError(
            f"a stratified split needs at least one sample of each of the {len(class_counts)} classes on both "
            f"sides, got {n_train} train and {n_test} test samples: choose a fraction nearer 0.5"
        )
    class_indices = np.split(np.argsort(y_indices, kind="stable"), np.cumsum(class_counts)[:-1])
    rng = np.random.RandomState(seed)
    n_i = _approximate_mode(class_counts, n_train, rng)
    t_i = _approximate_mode(class_counts - n_i, n_test, rng)
    train, test = [], []
    for indices, count, n, t in zip(class_indices, class_counts, n_i, t_i):
        shuffled = indices[rng.permutation(count)]
        train.append(shuffled[:n])
        test.append(shuffled[n:n + t])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


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
    x, y = _raw_digits()
    if normalize:
        x = normalize_pixels(x)
    rest, test = stratified_split(y, test_fraction, seed)
    train, val = stratified_split(y[rest], val_fraction / (1 - test_fraction), seed)
    train, val = rest[train], rest[val]
    shape = as_images if view == "image" else as_flat
    return DigitsSplits(
        shape(x[train]), y[train], shape(x[val]), y[val], shape(x[test]), y[test]
    )


if __name__ == "__main__":
    print(f"wrote {write_digits_file()}")
