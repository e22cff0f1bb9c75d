"""helpers.reference.nb03: normalisation, the random shift, training and evaluation pipelines."""
from __future__ import annotations

import numpy as np

from helpers import tf
from helpers.pipelines import pipeline_stages, read_epoch
from helpers.reference.nb03 import make_eval_pipeline, make_random_shift, make_train_pipeline, normalize


def id_data(n: int, dtype: str = "float32") -> tuple[np.ndarray, np.ndarray]:
    ids = np.arange(n)
    return np.repeat(ids[:, None], 64, axis=1).astype(dtype), (ids % 10).astype(np.int32)


def test_normalize_casts_to_float32_and_divides_by_16():
    """Are integer pixels 0..16 scaled to 0..1 as float32, the label untouched?"""
    image, label = normalize(tf.constant([0, 4, 16], tf.int64), tf.constant(3))
    assert image.dtype == tf.float32 and image.numpy().tolist() == [0.0, 0.25, 1.0] and int(label) == 3


def test_random_shift_moves_a_digit_by_at_most_one_pixel_with_zeros_moved_in():
    """Is every shifted image one of the nine one-pixel shifts, all nine drawn, anew each epoch, repeatable?"""
    image = np.zeros((8, 8), np.float32)
    image[3, 4] = 1.0
    ds = tf.data.Dataset.from_tensor_slices((np.tile(image.ravel(), (90, 1)), np.zeros(90, np.int32)))
    shifted = ds.map(make_random_shift(0))
    epochs = [[tuple(np.argwhere(x.reshape(8, 8))[0]) for x, _ in shifted.as_numpy_iterator()] for _ in range(2)]
    assert set(epochs[0]) == {(3 + dy, 4 + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)}
    assert epochs[0] != epochs[1]
    again = [tuple(np.argwhere(x.reshape(8, 8))[0]) for x, _ in ds.map(make_random_shift(0)).as_numpy_iterator()]
    assert again == epochs[0]
    corner = np.zeros((8, 8), np.float32)
    corner[0, 0] = 1.0
    sums = {float(x.sum()) for x, _ in tf.data.Dataset.from_tensor_slices(([corner.ravel()] * 40, [0] * 40))
            .map(make_random_shift(1)).as_numpy_iterator()}
    assert sums == {0.0, 1.0}    # the corner pixel leaves the image: nothing wraps round


def test_train_pipeline_shuffles_samples_every_epoch_and_keeps_the_last_batch():
    """Does each epoch see every sample once, in a new mixed order, with the last partial batch kept?"""
    x, y = id_data(50)
    ds = make_train_pipeline(x, y, batch_size=16, shuffle_buffer=50, seed=0)
    sizes, xs, ys = read_epoch(ds)
    sizes_2, xs_2, _ = read_epoch(ds)
    assert sizes == sizes_2 == [16, 16, 16, 2]
    ids, ids_2 = np.rint(xs[:, 0] * 16).astype(int), np.rint(xs_2[:, 0] * 16).astype(int)
    assert sorted(ids) == list(range(50)) and sorted(ids_2) == list(range(50))
    assert ids.tolist() != ids_2.tolist() != list(range(50))
    np.testing.assert_array_equal(ys, ids % 10)
    np.testing.assert_allclose(xs[:, 5], ids / 16)
    assert pipeline_stages(ds) == ["TensorSlice", "ParallelMap", "Cache", "Shuffle", "Batch", "Prefetch"]


def test_train_pipeline_augments_every_sample_anew_after_the_cache():
    """Is augment applied after the cache and before the batch, so each epoch draws new changes per sample?"""
    x, y = id_data(40, "int64")
    rng = tf.random.Generator.from_seed(0)
    ds = make_train_pipeline(x, y, 8, 40, seed=0, augment=lambda a, b: (a * 0 + rng.uniform(()), b))
    assert pipeline_stages(ds) == ["TensorSlice", "ParallelMap", "Cache", "Shuffle", "ParallelMap", "Batch", "Prefetch"]
    noise = [np.sort(read_epoch(ds)[1][:, 0]) for _ in range(2)]    # one draw per sample and epoch
    assert len(np.unique(noise[0])) == 40 and not np.allclose(noise[0], noise[1])


def test_train_pipeline_is_repeatable_with_a_seed():
    """Do two pipelines with the same seed give the same first epoch?"""
    x, y = id_data(30)
    first = read_epoch(make_train_pipeline(x, y, 8, 30, seed=4))[1]
    np.testing.assert_array_equal(first, read_epoch(make_train_pipeline(x, y, 8, 30, seed=4))[1])


def test_eval_pipeline_keeps_order_and_the_last_batch():
    """Does the evaluation pipeline give every sample in order, last partial batch included?"""
    x, y = id_data(21, "uint8")
    ds = make_eval_pipeline(x, y, batch_size=8)
    sizes, xs, ys = read_epoch(ds)
    assert sizes == [8, 8, 5] and np.allclose(xs[:, 0] * 16, np.arange(21))
    np.testing.assert_array_equal(ys, y)
    assert ds.element_spec[0].shape.as_list() == [None, 64] and ds.element_spec[0].dtype == tf.float32
    assert ds.element_spec[1].dtype == tf.int32
    assert pipeline_stages(ds)[-1] == "Prefetch"
