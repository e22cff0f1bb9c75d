"""helpers.reference.nb03: normalisation, training and evaluation pipelines."""
from __future__ import annotations

import numpy as np

from helpers import tf
from helpers.data import normalize_pixels
from helpers.pipelines import pipeline_stages, read_epoch
from helpers.reference.nb03 import make_eval_pipeline, make_train_pipeline, normalize_images


def id_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    ids = np.arange(n)
    return np.repeat(ids[:, None], 4, axis=1).astype(np.float32), (ids % 10).astype(np.int32)


def test_normalize_images_divides_by_16_into_a_new_float32_array():
    """Are 0..16 pixels scaled to 0..1 as float32, leaving the input untouched?"""
    x = np.array([[0, 4, 16]], dtype=np.int64)
    got = normalize_images(x)
    assert got.dtype == np.float32 and got.tolist() == [[0.0, 0.25, 1.0]]
    assert x.tolist() == [[0, 4, 16]]


def test_normalize_images_returns_a_new_array_for_float32_input():
    """Is a float32 input left unchanged, not divided in place?"""
    x = np.array([8.0, 16.0], dtype=np.float32)
    got = normalize_images(x)
    got[0] = -1.0
    assert x.tolist() == [8.0, 16.0] and normalize_pixels(x).tolist() == [0.5, 1.0]


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
