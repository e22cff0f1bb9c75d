"""helpers.pipelines: the tools that show a pipeline's stages, read an epoch of it, and time it."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import tf
from helpers.pipelines import pipeline_stages, read_epoch, time_one_epoch, with_slow_loading


def id_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    ids = np.arange(n)
    return np.repeat(ids[:, None], 4, axis=1).astype(np.float32), (ids % 10).astype(np.int32)


def test_pipeline_stages_follows_zip_and_map():
    """Are stages listed first to last, through a map and a zip?"""
    x, y = id_data(6)
    zipped = tf.data.Dataset.zip((tf.data.Dataset.from_tensor_slices(x), tf.data.Dataset.from_tensor_slices(y)))
    stages = pipeline_stages(zipped.batch(2).map(lambda a, b: (a, b)))
    assert stages == ["TensorSlice", "Zip", "Batch", "Map"]


def test_read_epoch_stops_an_endless_dataset():
    """Does read_epoch raise instead of hanging on a repeat()-ed dataset?"""
    x, y = id_data(4)
    with pytest.raises(ValueError, match="repeat"):
        read_epoch(tf.data.Dataset.from_tensor_slices((x, y)).repeat().batch(2), max_batches=20)


def test_slow_loading_delays_each_element_and_keeps_it():
    """Does with_slow_loading add its delay to every batch and leave the batches as they were?"""
    x, y = id_data(40)
    slow = with_slow_loading(tf.data.Dataset.from_tensor_slices((x, y)).batch(4), 0.02)
    sizes, xs, _ = read_epoch(slow)
    assert sizes == [4] * 10 and xs[:, 0].tolist() == list(range(40))
    assert time_one_epoch(slow, lambda a, b: None) >= 10 * 0.02 * 0.9
