"""Input pipelines with ``tf.data``: normalise, shuffle, batch, prefetch.

A training pipeline shuffles *samples* (before batching, with a buffer that
holds the whole set, and a new order every epoch), batches them keeping the
last partial batch, and prefetches so that the next batch is ready while the
model trains on the current one. An evaluation pipeline keeps the order.

Used in notebook 03; later notebooks build their datasets with
``make_train_pipeline`` and ``make_eval_pipeline``.
"""
from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

from helpers.data import PIXEL_MAX
from helpers.quiet import import_tensorflow

tf = import_tensorflow()


def _check_positive_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"`{name}` must be a positive int, got {value!r}")


def normalize_images(x: Any) -> np.ndarray:
    """Scale digit pixels from [0, 16] to [0, 1] as float32.

    The digits are 4-bit images: their brightest pixel is 16, not 255.

    Args:
        x: Pixels of any shape (array, list or tensor), from 0 to 16.

    Returns:
        A new float32 NumPy array of the same shape; ``x`` is left unchanged.

    Used in notebook 03.

    >>> normalize_images(np.array([0, 8, 16])).tolist()
    [0.0, 0.5, 1.0]
    """
    return np.asarray(x, dtype=np.float32) / np.float32(PIXEL_MAX)


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

    Used in notebook 03 and later notebooks.

    >>> ds = make_train_pipeline(x, y, batch_size=32, shuffle_buffer=len(x), seed=0)  # doctest: +SKIP
    """
    _check_positive_int("batch_size", batch_size)
    _check_positive_int("shuffle_buffer", shuffle_buffer)
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

    Used in notebook 03 and later notebooks.
    """
    _check_positive_int("batch_size", batch_size)
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size).prefetch(tf.data.AUTOTUNE)


def pipeline_stages(ds: tf.data.Dataset) -> list[str]:
    """The transformations that built ``ds``, first to last.

    Args:
        ds: A ``tf.data.Dataset``.

    Returns:
        Stage names such as ``['TensorSlice', 'Shuffle', 'Batch', 'Prefetch']``.

    Used in notebook 03 and its tests.
    """
    stages = []
    node: Any = ds
    while node is not None:
        stages.append(type(node).__name__.strip("_").removesuffix("Dataset"))
        inputs = getattr(node, "_input_dataset", None)
        if inputs is None and getattr(node, "_datasets", None):  # zip / concatenate
            inputs = node._datasets[0]
        node = inputs
    return stages[::-1]


def read_epoch(ds: tf.data.Dataset, max_batches: int = 10_000) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Iterate ``ds`` once and gather what it gave.

    Args:
        ds: A dataset of ``(x_batch, y_batch)``.
        max_batches: Stop with an error after this many batches, so that an
            endless (``repeat()``-ed) dataset fails instead of hanging.
            Defaults to 10,000.

    Returns:
        ``(batch_sizes, x, y)``: the size of each batch, and all inputs and
        labels concatenated in the order they came.

    Raises:
        ValueError: the dataset gave more than ``max_batches`` batches.

    Used in notebook 03 and its tests.
    """
    sizes, xs, ys = [], [], []
    for i, (xb, yb) in enumerate(ds):
        if i >= max_batches:
            raise ValueError(f"the dataset gave more than {max_batches} batches; remove .repeat()")
        xs.append(np.asarray(xb))
        ys.append(np.asarray(yb))
        sizes.append(len(ys[-1]))
    if not sizes:
        return [], np.empty((0,)), np.empty((0,))
    return sizes, np.concatenate(xs), np.concatenate(ys)


def with_slow_loading(ds: tf.data.Dataset, seconds: float) -> tf.data.Dataset:
    """Make every element of ``ds`` take ``seconds`` longer to produce, as if read from a slow disk.

    Args:
        ds: A dataset of ``(x_batch, y_batch)``.
        seconds: Delay per element.

    Returns:
        The same elements, produced slowly.

    Used in notebook 03's prefetch demonstration.
    """

    def wait(x: np.ndarray) -> np.ndarray:
        time.sleep(seconds)
        return x

    def slow(x: tf.Tensor, y: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        delayed = tf.numpy_function(wait, [x], x.dtype)
        return tf.ensure_shape(delayed, x.shape), y

    return ds.map(slow)


def time_one_epoch(ds: tf.data.Dataset, train_step: Callable[[Any, Any], Any]) -> float:
    """Seconds taken to run ``train_step(x_batch, y_batch)`` on every batch of one epoch.

    Args:
        ds: A dataset of ``(x_batch, y_batch)``.
        train_step: Called once per batch.

    Returns:
        The wall-clock time of the epoch in seconds.

    Used in notebook 03's prefetch demonstration.
    """
    start = time.perf_counter()
    for xb, yb in ds:
        train_step(xb, yb)
    return time.perf_counter() - start
