"""helpers.fitting: update counts, the reference train(), and the batch-counting callback."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.data import load_digits
from helpers.fitting import BatchCounter, probe_classifier, total_updates, train, updates_per_epoch


@pytest.mark.parametrize("n, b, want", [(100, 30, 4), (120, 30, 4), (1077, 32, 34), (10, 64, 1), (0, 8, 0)])
def test_updates_per_epoch_rounds_up(n, b, want):
    """Does the last, smaller batch count as an update, and an exact division add none?"""
    got = updates_per_epoch(n, b)
    assert got == want and type(got) is int


def test_total_updates_multiplies_by_epochs():
    """Is a run's update count the per-epoch count times the epochs?"""
    assert total_updates(100, 30, 3) == 12
    assert total_updates(1077, 32, 10) == 340


@pytest.mark.parametrize("call", [lambda: updates_per_epoch(10, 0), lambda: updates_per_epoch(-1, 4),
                                  lambda: updates_per_epoch(10, 2.5), lambda: total_updates(10, 2, 0)])
def test_bad_arguments_name_the_fix(call):
    """Do non-positive or non-int sizes raise a ValueError that names the argument?"""
    with pytest.raises(ValueError, match="must be"):
        call()


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_train_counts_batches_and_validates_on_given_data(digits):
    """Does train() run the asked epochs and batches, and validate on the given data?"""
    model = probe_classifier(seed=1)
    history = train(model, digits.x_train[:130], digits.y_train[:130], digits.x_val[:40], digits.y_val[:40],
                    epochs=2, batch_size=50)
    assert history.epoch == [0, 1]
    assert model.counter.train_batches == [3, 3]
    assert model.counter.val_batches == [1, 1]
    after = model.evaluate(digits.x_val[:40], digits.y_val[:40], verbose=0, return_dict=True)
    np.testing.assert_allclose(history.history["val_loss"][-1], after["loss"], rtol=1e-5)


def test_batch_counter_resets_between_fits(digits):
    """Can one BatchCounter be reused, counting only the last fit?"""
    model = probe_classifier(seed=0)
    counter = BatchCounter()
    model.fit(digits.x_train[:64], digits.y_train[:64], epochs=3, batch_size=32, callbacks=[counter], verbose=0)
    assert counter.train_batches == [2, 2, 2] and counter.val_batches == [0, 0, 0]
    model.fit(digits.x_train[:64], digits.y_train[:64], epochs=1, batch_size=10, callbacks=[counter], verbose=0)
    assert counter.train_batches == [7] and counter.epochs == 1 and counter.total == 7


def test_train_rejects_a_zero_batch_size(digits):
    """Does train() stop with a readable error before fit sees batch_size=0?"""
    with pytest.raises(ValueError, match="batch_size"):
        train(probe_classifier(), digits.x_train, digits.y_train, digits.x_val, digits.y_val, epochs=1, batch_size=0)
