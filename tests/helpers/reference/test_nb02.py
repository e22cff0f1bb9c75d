"""helpers.reference.nb02: balanced class weights, and training with a stratified validation set."""
from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.checks.nb02 import probe_classifier
from helpers.data import load_digits
from helpers.reference.nb02 import balanced_class_weights, stratified_validation, train


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


def test_stratified_validation_holds_out_ceil_of_each_class():
    """Are math.ceil(val_fraction * n_c) samples of each class held out, the first ones, a class of one too?"""
    y = np.array([0, 1, 0, 0, 0, 0, 2, 1])
    assert np.flatnonzero(stratified_validation(y, 0.25)).tolist() == [0, 1, 2, 6]
    labels = np.random.default_rng(0).integers(0, 7, size=500)
    held_out = stratified_validation(labels, 0.3)
    assert np.bincount(labels[held_out], minlength=7).tolist() == [
        math.ceil(0.3 * n) for n in np.bincount(labels, minlength=7)]


def test_train_trains_on_the_rest_and_validates_on_the_held_out_samples():
    """Does train() fit on the samples it did not hold out, in the asked batches, and validate on the others?"""
    digits = load_digits()
    x, y = digits.x_train[:130], digits.y_train[:130]
    model = probe_classifier(seed=1)
    history = train(model, x, y, epochs=2, batch_size=50, val_fraction=0.2)
    held_out = stratified_validation(y, 0.2)
    assert history.epoch == [0, 1]
    assert model.counter.train_batches == [math.ceil(np.sum(~held_out) / 50)] * 2
    after = model.evaluate(x[held_out], y[held_out], verbose=0, return_dict=True)
    np.testing.assert_allclose(history.history["val_loss"][-1], after["loss"], rtol=1e-5)
