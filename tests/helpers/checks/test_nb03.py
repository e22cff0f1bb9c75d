"""helpers.checks.nb03: normalisation and pipeline checks reject wrong answers with a message and accept right ones."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import checks, tf
from helpers.checks import CheckFailed
from helpers.reference import nb03 as reference

SLICES = tf.data.Dataset.from_tensor_slices


def test_dividing_in_place_is_rejected():
    """Does the check name the in-place division of a float input (generated with a seed)?"""
    def in_place(x):
        if x.dtype.kind == "f":
            x /= 16.0
            return x.astype("float32")
        return x.astype("float32") / 16

    checks.nb03.normalize_images(reference.normalize_images, seed=1)
    with pytest.raises(CheckFailed, match="should leave its input unchanged"):
        checks.nb03.normalize_images(in_place, seed=1)


def test_dividing_by_the_batch_maximum_fails_on_a_dimmer_batch():
    """Is x / x.max() rejected, by the generated batch whose brightest pixel is 12?"""
    with pytest.raises(CheckFailed, match="brightest 12(.|\n)*Divide by 16"):
        checks.nb03.normalize_images(lambda x: np.asarray(x, "float32") / np.float32(np.max(x)), seed=2)


def test_prefetch_before_batch_is_rejected_by_the_order_of_stages():
    """Is a pipeline that prefetches and then batches rejected, though it has a Prefetch stage?"""
    def prefetch_first(x, y, batch_size, shuffle_buffer, seed):
        return SLICES((x, y)).shuffle(shuffle_buffer, seed=seed).prefetch(2).batch(batch_size)

    with pytest.raises(CheckFailed, match="stages, first to last"):
        checks.nb03.make_train_pipeline(prefetch_first, n=50, batch_size=8, seed=0)
    with pytest.raises(CheckFailed, match="stages, first to last"):
        checks.nb03.make_eval_pipeline(lambda x, y, b: SLICES((x, y)).prefetch(2).batch(b), n=30, batch_size=8)


def test_a_shuffled_evaluation_pipeline_is_rejected():
    """Does the evaluation check say that the samples should come in their original order?"""
    def shuffled(x, y, batch_size):
        return SLICES((x, y)).shuffle(len(x), seed=0).batch(batch_size).prefetch(1)

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
        return SLICES((x, y)).batch(batch_size).shuffle(shuffle_buffer, seed=seed).prefetch(1)

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
    checks.nb03.normalize_images(reference.normalize_images, [[1, 2], [15, 16]], split="test", n=5)
    checks.nb03.make_train_pipeline(reference.make_train_pipeline, n=64, batch_size=64, seed=1)
    checks.nb03.make_eval_pipeline(reference.make_eval_pipeline, n=10, batch_size=64)
