"""Reference answer for notebook 03's exercises; used by helpers.checks.nb03.

A training pipeline normalises once (a parallel ``map`` before the ``cache``),
shuffles *samples* after the cache (with the buffer it is given, and a new
order every epoch), augments after the cache (so every epoch draws new random
changes), batches keeping the last partial batch, and prefetches so that the
next batch is ready while the model trains on the current one. An evaluation
pipeline normalises and keeps the order. A digit is augmented by shifting it
at most one pixel, with random numbers from a ``tf.random.Generator``: new
ones every epoch, and the same sequence again for the same seed.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from helpers.quiet import import_tensorflow

tf = import_tensorflow()

AUTOTUNE = tf.data.AUTOTUNE


def normalize(image: Any, label: Any) -> tuple[Any, Any]:
    """One ``(image, label)`` with the pixels cast to float32 and scaled from [0, 16] to [0, 1].

    Notebook 03's normalising step, the first ``map`` of both pipelines.
    """
    return tf.cast(image, tf.float32) / 16.0, label


def make_random_shift(seed: int) -> Callable[[Any, Any], tuple[Any, Any]]:
    """An augmentation for ``Dataset.map``: shift each 8 x 8 digit by -1, 0 or 1 pixel in each direction.

    Args:
        seed: Seed of the generator the shifts come from: the same seed gives
            the same sequence of shifts.

    Returns:
        ``shift(image, label)``: ``image`` is a row of 64 pixels; it returns the
        shifted row (pixels moved in from outside are 0) and the label as it
        was. Each call draws a new shift, also in later epochs.

    Notebook 03's exercise 1.
    """
    rng = tf.random.Generator.from_seed(seed)

    def shift(image: Any, label: Any) -> tuple[Any, Any]:
        padded = tf.pad(tf.reshape(image, (8, 8)), [[1, 1], [1, 1]])
        corner = rng.uniform((2,), minval=0, maxval=3, dtype=tf.int32)
        return tf.reshape(tf.slice(padded, corner, (8, 8)), (64,)), label

    return shift


def make_train_pipeline(
    x: np.ndarray, y: np.ndarray, batch_size: int, shuffle_buffer: int, seed: int,
    augment: Callable[[Any, Any], tuple[Any, Any]] | None = None,
) -> tf.data.Dataset:
    """A training dataset: normalised once and cached, shuffled samples, augmented, in batches, prefetched.

    Args:
        x: Raw pixels from 0 to 16, one row per sample.
        y: Labels, one per sample.
        batch_size: Samples per batch; the last batch keeps the rest.
        shuffle_buffer: Samples the shuffle draws from; ``len(x)`` or more
            gives a uniform shuffle.
        seed: Seed of the shuffle: the same seed gives the same sequence of
            epochs.
        augment: ``augment(image, label)`` applied to every sample in every
            epoch, or ``None`` for no augmentation. Defaults to ``None``.

    Returns:
        A ``tf.data.Dataset`` of ``(x_batch, y_batch)`` with a new order each
        epoch.

    Notebook 03's exercise 2.
    """
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).map(normalize, num_parallel_calls=AUTOTUNE).cache()
    dataset = dataset.shuffle(shuffle_buffer, seed=seed, reshuffle_each_iteration=True)
    if augment is not None:
        dataset = dataset.map(augment, num_parallel_calls=AUTOTUNE)
    return dataset.batch(batch_size).prefetch(AUTOTUNE)


def make_eval_pipeline(x: np.ndarray, y: np.ndarray, batch_size: int) -> tf.data.Dataset:
    """An evaluation dataset: normalised samples in their original order, in batches, prefetched.

    Args:
        x: Raw pixels from 0 to 16, one row per sample.
        y: Labels, one per sample.
        batch_size: Samples per batch; the last batch keeps the rest.

    Returns:
        A ``tf.data.Dataset`` of ``(x_batch, y_batch)``, in order.

    Notebook 03's exercise 3.
    """
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).map(normalize, num_parallel_calls=AUTOTUNE)
    return dataset.batch(batch_size).prefetch(AUTOTUNE)
