"""helpers.checks.nb03: the random-shift and pipeline checks reject wrong answers with a message and accept right ones."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import checks, tf
from helpers.checks import CheckFailed
from helpers.reference import nb03 as reference

SLICES = tf.data.Dataset.from_tensor_slices


def _shift_with(draw):
    """A make_random_shift whose corner (0, 1 or 2 in each direction) comes from ``draw(rng)``."""
    def make(seed):
        rng = tf.random.Generator.from_seed(seed)

        def shift(image, label):
            padded = tf.pad(tf.reshape(image, (8, 8)), [[1, 1], [1, 1]])
            return tf.reshape(tf.slice(padded, draw(rng), (8, 8)), (64,)), label
        return shift
    return make


def test_numpy_random_numbers_in_a_map_are_rejected():
    """Is a shift drawn with NumPy (once, while map traces) rejected for giving one shift to every digit?"""
    checks.nb03.make_random_shift(reference.make_random_shift, n=60, seed=1)
    with pytest.raises(CheckFailed, match="shift of its own(.|\n)*NumPy"):
        checks.nb03.make_random_shift(_shift_with(lambda rng: tf.constant(np.random.randint(0, 3, 2), tf.int32)),
                                      n=60, seed=1)


def test_an_op_seed_that_replays_every_epoch_is_rejected():
    """Does tf.random.uniform(seed=...) fail with the message about new shifts in the second epoch?"""
    with pytest.raises(CheckFailed, match="second epoch should draw new shifts"):
        checks.nb03.make_random_shift(_shift_with(lambda rng: tf.random.uniform((2,), 0, 3, tf.int32, seed=5)),
                                      n=60, split="train")


def test_a_wrapping_shift_gets_the_tf_roll_hint():
    """Is a shift that wraps pixels round the edge rejected with the hint that names tf.roll?"""
    def make(seed):
        rng = tf.random.Generator.from_seed(seed)

        def shift(image, label):
            moves = rng.uniform((2,), -1, 2, dtype=tf.int32)
            return tf.reshape(tf.roll(tf.reshape(image, (8, 8)), moves, axis=[0, 1]), (64,)), label
        return shift
    with pytest.raises(CheckFailed, match="tf.roll wraps"):
        checks.nb03.make_random_shift(make, n=60, seed=3)


def test_a_flip_gets_the_flip_hint():
    """Is a left-right flip rejected with the hint that a flipped digit is another digit?"""
    def make(seed):
        return lambda image, label: (tf.reshape(tf.reverse(tf.reshape(image, (8, 8)), [1]), (64,)), label)
    with pytest.raises(CheckFailed, match="do not flip"):
        checks.nb03.make_random_shift(make, n=60, seed=3)


def test_a_cache_after_the_augmentation_is_rejected():
    """Does the training check see the first epoch's augmentation replayed when the cache comes after augment?"""
    def cached_late(x, y, batch_size, shuffle_buffer, seed, augment=None):
        ds = SLICES((x, y)).map(reference.normalize, num_parallel_calls=tf.data.AUTOTUNE)
        ds = ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE).cache() if augment else ds.cache()
        return ds.shuffle(shuffle_buffer, seed=seed).batch(batch_size).prefetch(1)

    checks.nb03.make_train_pipeline(cached_late, n=50, batch_size=8, seed=0)
    with pytest.raises(CheckFailed, match="augmented anew(.|\n)*Cache before you augment"):
        checks.nb03.make_train_pipeline(cached_late, n=50, batch_size=8, seed=0, augment=True)


def test_a_cache_after_the_shuffle_is_rejected():
    """Does a cache after the shuffle fail because the second epoch replays the first order?"""
    def cached_after_shuffle(x, y, batch_size, shuffle_buffer, seed, augment=None):
        ds = SLICES((x, y)).map(reference.normalize, num_parallel_calls=tf.data.AUTOTUNE)
        return ds.shuffle(shuffle_buffer, seed=seed).cache().batch(batch_size).prefetch(1)

    with pytest.raises(CheckFailed, match="second epoch should come in a new order"):
        checks.nb03.make_train_pipeline(cached_after_shuffle, n=50, batch_size=8, seed=0)


def test_augmenting_whole_batches_is_rejected():
    """Is an augment mapped after the batch rejected for sharing one change across a batch?"""
    def batch_augment(x, y, batch_size, shuffle_buffer, seed, augment=None):
        ds = SLICES((x, y)).map(reference.normalize, num_parallel_calls=tf.data.AUTOTUNE).cache()
        ds = ds.shuffle(shuffle_buffer, seed=seed).batch(batch_size)
        return (ds.map(augment) if augment else ds).prefetch(1)

    with pytest.raises(CheckFailed, match="each sample on its own"):
        checks.nb03.make_train_pipeline(batch_augment, n=50, batch_size=8, seed=0, augment=True)


@pytest.mark.parametrize("divisor", ["255.0", "max"])
def test_a_wrong_normalisation_is_rejected(divisor):
    """Are pixels divided by 255, or by each image's own maximum, rejected by the normalisation check?"""
    def normalize(image, label):
        image = tf.cast(image, tf.float32)
        return image / (255.0 if divisor == "255.0" else tf.reduce_max(image) + 1), label

    def wrong(x, y, batch_size):
        return SLICES((x, y)).map(normalize, num_parallel_calls=tf.data.AUTOTUNE).batch(batch_size).prefetch(1)

    with pytest.raises(CheckFailed, match="normalised"):
        checks.nb03.make_eval_pipeline(wrong, n=30, batch_size=8)


def test_a_map_without_num_parallel_calls_is_rejected_by_its_stage():
    """Is a sequential normalising map rejected by the stage names (ParallelMap expected)?"""
    def sequential(x, y, batch_size, shuffle_buffer, seed, augment=None):
        ds = SLICES((x, y)).map(reference.normalize).cache().shuffle(shuffle_buffer, seed=seed)
        return ds.batch(batch_size).prefetch(1)

    with pytest.raises(CheckFailed, match="stages, first to last(.|\n)*ParallelMap"):
        checks.nb03.make_train_pipeline(sequential, n=40, batch_size=8, seed=0)


def test_prefetch_before_batch_is_rejected_by_the_order_of_stages():
    """Is a pipeline that prefetches and then batches rejected, though it has a Prefetch stage?"""
    def prefetch_first(x, y, batch_size, shuffle_buffer, seed):
        ds = SLICES((x, y)).map(reference.normalize, num_parallel_calls=tf.data.AUTOTUNE).cache()
        return ds.shuffle(shuffle_buffer, seed=seed).prefetch(2).batch(batch_size)

    with pytest.raises(CheckFailed, match="stages, first to last"):
        checks.nb03.make_train_pipeline(prefetch_first, n=50, batch_size=8, seed=0)
    with pytest.raises(CheckFailed, match="stages, first to last"):
        checks.nb03.make_eval_pipeline(
            lambda x, y, b: SLICES((x, y)).map(reference.normalize, num_parallel_calls=-1).prefetch(2).batch(b),
            n=30, batch_size=8)


def test_a_shuffled_evaluation_pipeline_is_rejected():
    """Does the evaluation check say that the samples should come in their original order?"""
    def shuffled(x, y, batch_size):
        return SLICES((x, y)).map(reference.normalize, num_parallel_calls=-1).shuffle(len(x), seed=0).batch(
            batch_size).prefetch(1)

    with pytest.raises(CheckFailed, match="original order"):
        checks.nb03.make_eval_pipeline(shuffled, n=30, batch_size=8)


def test_an_unbatched_pipeline_gets_the_element_spec_message():
    """Is a dataset of single samples rejected by its element_spec, instead of crashing while read as batches?"""
    with pytest.raises(CheckFailed, match="element_spec"):
        checks.nb03.make_train_pipeline(lambda x, y, b, buffer, seed: SLICES((x, y)).shuffle(buffer, seed=seed),
                                        n=20, batch_size=4, seed=0)


def test_batching_before_shuffling_is_rejected():
    """Does the training check see batches of consecutive ids when the pipeline batches first?"""
    def batch_first(x, y, batch_size, shuffle_buffer, seed):
        ds = SLICES((x, y)).map(reference.normalize, num_parallel_calls=-1).cache().batch(batch_size)
        return ds.shuffle(shuffle_buffer, seed=seed).prefetch(1)

    with pytest.raises(CheckFailed, match="mix samples from all over"):
        checks.nb03.make_train_pipeline(batch_first, n=100, batch_size=16, seed=0)


@pytest.mark.parametrize("n, buffer", [(120, 5), (200, 200)])
def test_the_buffer_check_accepts_the_reference_and_rejects_a_fixed_buffer(n, buffer):
    """Does the buffer check pass the given buffer and reject a hard-coded one (10 is too far or too near)?"""
    checks.nb03.make_train_pipeline_buffer(reference.make_train_pipeline, n=n, batch_size=10,
                                           shuffle_buffer=buffer, seed=3)

    def fixed_buffer(x, y, batch_size, shuffle_buffer, seed):
        return reference.make_train_pipeline(x, y, batch_size, 10, seed)

    with pytest.raises(CheckFailed, match=f"shuffle_buffer={buffer}"):
        checks.nb03.make_train_pipeline_buffer(fixed_buffer, n=n, batch_size=10, shuffle_buffer=buffer, seed=3)


def test_the_reference_answers_pass():
    """Do the checks accept the reference answers on hidden-style arguments?"""
    checks.nb03.make_random_shift(reference.make_random_shift, n=30, split="test")
    checks.nb03.make_train_pipeline(reference.make_train_pipeline, n=64, batch_size=64, seed=1, augment=True,
                                    dtype="uint8")
    checks.nb03.make_eval_pipeline(reference.make_eval_pipeline, n=10, batch_size=64, dtype="int64")
