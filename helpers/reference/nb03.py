"""Reference answer for notebook 03's exercises; used by helpers.checks.nb03.

A training pipeline shuffles *samples* (before batching, with the buffer it is
given, and a new order every epoch), batches them keeping the last partial
batch, and prefetches so that the next batch is ready while the model trains on
the current one. An evaluation pipeline keeps the order.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from helpers.data import normalize_pixels
from helpers.quiet import import_tensorflow

tf = import_tensorflow()


def normalize_images(x: Any) -> np.ndarray:
    """Scale digit pixels from [0, 16] to [0, 1] as a new float32 array.

    Args:
        x: Pixels of any shape (array, list or tensor), from 0 to 16.

    Returns:
        A new float32 NumPy array of the same shape; ``x`` is left unchanged.

    Notebook 03's exercise 1: ``helpers.data.normalize_pixels``, which
    ``load_digits`` uses, is the answer.

    >>> normalize_images(np.array([0, 8, 16])).tolist()
    [0.0, 0.5, 1.0]
    """
    return normalize_pixels(x)


def make_train_pipeline(
    x: np.ndarray, y: np.ndarray, batch_size: int, shuffle_buffer: int, seed: int
) -> tf.data.Dataset:
    """A training dataset: shuffled samples, in batches, prefetched.

    Args:
        x: Inputs, one row per sample.
        y: Labels, one per sample.
        batch_size: Samples per batch; the last batch keeps the rest.
        shuffle_buffer: Samples the shuffle draws from; ``len(x)`` or more
            gives a uniform shuffle.
        seed: Seed of the shuffle: the same seed gives the same sequence of
            epochs.

    Returns:
        A ``tf.data.Dataset`` of ``(x_batch, y_batch)`` with a new order each
        epoch.

    Notebook 03's exercise 2.
    """
    return (
        tf.data.Dataset.from_tensor_slices((x, y))
        .shuffle(shuffle_buffer, seed=seed, reshuffle_each_iteration=True)
        .batch(batch_size)
        .prefetch(tf.data.AUTOTUNE)
    )


def make_eval_pipeline(x: np.ndarray, y: np.ndarray, batch_size: int) -> tf.data.Dataset:
    """An evaluation dataset: samples in their original order, in batches, prefetched.

    Args:
        x: Inputs, one row per sample.
        y: Labels, one per sample.
        batch_size: Samples per batch; the last batch keeps the rest.

    Returns:
        A ``tf.data.Dataset`` of ``(x_batch, y_batch)``, in order.

    Notebook 03's exercise 3.
    """
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size).prefetch(tf.data.AUTOTUNE)
