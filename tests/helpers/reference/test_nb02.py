"""helpers.reference.nb02: update counts and training with a given validation set."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.checks.nb02 import probe_classifier
from helpers.data import load_digits
from helpers.reference.nb02 import balanced_class_weights, train


@pytest.mark.parametrize("y, k, want", [
    ([0, 0, 0, 1], 2, {0: 2 / 3, 1: 2.0}),
    ([0, 0, 0, 1], 3, {0: 2 / 3, 1: 2.0, 2: 1.0}),       # k counts the classes present: 2
    ([4, 4, 4], 5, {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0}),
    ([2, 0, 1, 2, 0, 1], 3, {0: 1.0, 1: 1.0, 2: 1.0}),
])
def test_balanced_class_weights_follow_the_rule(y, k, want):
    """Does every present class get n / (k * n_c), an absent one 1.0, with int keys and float values?"""
    got = balanced_class_weights(np.array(y), k)
    assert list(got) == list(range(k)) and all(type(w) is float for w in got.values())
    np.testing.assert_allclose([got[c] for c in range(k)], [want[c] for c in range(k)])


def test_balanced_weights_keep_the_total_weight():
    """Do the weights of all samples add up to the number of samples, as without weights?"""
    y = np.random.default_rng(0).choice(7, size=300, p=[0.5, 0.2, 0.1, 0.1, 0.05, 0.05, 0.0])
    weights = balanced_class_weights(y, 9)
    assert np.isclose(sum(weights[c] for c in y), len(y))


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
