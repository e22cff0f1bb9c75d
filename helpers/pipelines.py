"""Tools that show what a ``tf.data`` pipeline does: its stages, one epoch of it, and its timing.

``pipeline_stages`` names the transformations that built a dataset,
``read_epoch`` gathers one epoch of batches, and ``with_slow_loading`` with
``time_one_epoch`` simulate a slow disk to show what ``prefetch`` buys.

Used in notebook 03 (its checks, ``helpers.checks.nb03``, use them too).
"""
from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

from helpers.quiet import import_tensorflow

tf = import_tensorflow()


def pipeline_stages(ds: tf.data.Dataset) -> list[str]:
    """The transformations that built ``ds``, first to last.

    Args:
        ds: A ``tf.data.Dataset``.

    Returns:
        Stage names such as ``['TensorSlice', 'Shuffle', 'Batch', 'Prefetch']``.

    Used in notebook 03 and its checks.

    >>> pipeline_stages(tf.data.Dataset.range(4).batch(2).prefetch(1))
    ['Range', 'Batch', 'Prefetch']
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

    Used in notebook 03 and its checks.
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
