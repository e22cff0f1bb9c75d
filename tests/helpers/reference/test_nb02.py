"""helpers.reference.nb02: update counts and training with a given validation set."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.checks.nb02 import probe_classifier
from helpers.data import load_digits
from helpers.reference.nb02 import total_updates, train, updates_per_epoch


@pytest.mark.parametrize("n, b, want", [(100, 30, 4), (120, 30, 4), (1077, 32, 34), (10, 64, 1), (0, 8, 0)])
def test_updates_per_epoch_rounds_up(n, b, want):
    """Does the last, smaller batch count as an update, and an exact division add none?"""
    got = updates_per_epoch(n, b)
    assert got == want and type(got) is int


def test_total_updates_multiplies_by_epochs():
    """Is a run's update count the per-epoch count times the epochs?"""
    assert total_updates(100, 30, 3) == 12
    assert total_updates(1077, 32, 10) == 340


def test_train_counts_batches_and_validates_on_given_data():
    """Does train() run the asked epochs and batches, and validate on the given data?"""
    digits = load_digits()
    model = probe_classifier(seed=1)
    history = train(model, digits.x_train[:130], digits.y_train[:130], digits.x_val[:40], digits.y_val[:40],
                    epochs=2, batch_size=50)
    assert history.epoch == [0, 1]
    assert model.counter.train_batches == [3, 3]
    assert model.counter.val_batches == [1, 1]
    after = model.evaluate(digits.x_val[:40], digits.y_val[:40], verbose=0, return_dict=True)
    np.testing.assert_allclose(history.history["val_loss"][-1], after["loss"], rtol=1e-5)
