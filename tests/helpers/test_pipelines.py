"""helpers.pipelines: normalisation, training and evaluation pipelines, and the tools that inspect them."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import tf
from helpers.pipelines import (
    make_eval_pipeline, make_train_pipeline, normalize_images, pipeline_stages, read_epoch,
    time_one_epoch, with_slow_loading,
)


def id_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    ids = np.arange(n)
    return np.repeat(ids[:, None], 4, axis=1).astype(np.float32), (ids % 10).astype(np.int32)


def test_normalize_images_divides_by_16_into_a_new_float32_array():
    """Are 0..16 pixels scaled to 0..1 as float32, leaving the input untouched?"""
    x = np.array([[0, 4, 16]], dtype=np.int64)
    got = normalize_images(x)
    assert got.dtype == np.float32 and got.tolist() == [[0.0, 0.25, 1.0]]
    assert x.tolist() == [[0, 4, 16]]


def test_train_pipeline_shuffles_samples_every_epoch_and_keeps_the_last_batch():
    """Does each epoch see every sample once, in a new mixed order, with the last partial batch kept?"""
    x, y = id_data(50)
    ds = make_train_pipeline(x, y, batch_size=16, shuffle_buffer=50, seed=0)
    sizes, xs, ys = read_epoch(ds)
    sizes_2, xs_2, _ = read_epoch(ds)
    assert sizes == sizes_2 == [16, 16, 16, 2]
    assert sorted(xs[:, 0]) == list(range(50)) and sorted(xs_2[:, 0]) == list(range(50))
    assert xs[:, 0].tolist() != xs_2[:, 0].tolist() != list(range(50))
    np.testing.assert_array_equal(ys, xs[:, 0].astype(int) % 10)
    assert pipeline_stages(ds) == ["TensorSlice", "Shuffle", "Batch", "Prefetch"]


def test_train_pipeline_is_repeatable_with_a_seed():
    """Do two pipelines with the same seed give the same first epoch?"""
    x, y = id_data(30)
    first = read_epoch(make_train_pipeline(x, y, 8, 30, seed=4))[1]
    np.testing.assert_array_equal(first, read_epoch(make_train_pipeline(x, y, 8, 30, seed=4))[1])


def test_eval_pipeline_keeps_order_and_the_last_batch():
    """Does the evaluation pipeline give every sample in order, last partial batch included?"""
    x, y = id_data(21)
    ds = make_eval_pipeline(x, y, batch_size=8)
    sizes, xs, ys = read_epoch(ds)
    assert sizes == [8, 8, 5] and xs[:, 0].tolist() == list(range(21))
    np.testing.assert_array_equal(ys, y)
    assert ds.element_spec[0].shape.as_list() == [None, 4] and ds.element_spec[1].dtype == tf.int32
    assert pipeline_stages(ds)[-1] == "Prefetch"


@pytest.mark.parametrize("call", [lambda x, y: make_train_pipeline(x, y, 0, 10, 0),
                                  lambda x, y: make_train_pipeline(x, y, 4, 0, 0),
                                  lambda x, y: make_eval_pipeline(x, y, -1)])
def test_bad_sizes_name_the_argument(call):
    """Do a zero or negative batch size or buffer raise a ValueError that names the argument?"""
    with pytest.raises(ValueError, match="must be a positive int"):
        call(*id_data(10))


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
