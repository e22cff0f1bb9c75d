"""helpers.checks.nb02_split: the stratified-split check sees what fit trained and validated on, and judges it."""
from __future__ import annotations

import math

import numpy as np
import pytest

from helpers import checks
from helpers.checks import CheckFailed, nb02_split
from helpers.reference import nb02 as reference

SORTED_BLOBS = dict(n=120, classes=4, shape=(5, 3), order="sorted", rare=1, epochs=3, batch_size=128,
                    val_fraction=0.2)


def held_out_then(fit):
    """A ``train`` that holds out the reference's samples, then calls ``fit(model, x, y, val, epochs, batch_size)``."""
    def train(model, x, y, epochs, batch_size, val_fraction):
        return fit(model, x, y, reference.stratified_validation(y, val_fraction), epochs, batch_size)
    return train


def test_the_check_is_reached_as_nb02_and_passes_the_reference():
    """Is the check registered as nb02.train, and does the reference pass the visible case and sorted blobs?"""
    from helpers.checks.observed import REGISTRY

    assert checks.nb02.train is nb02_split.train and REGISTRY["nb02.train"] is nb02_split.train
    checks.nb02.train(reference.train, n=80, epochs=1, batch_size=30, val_fraction=0.25, seed=4)
    checks.nb02.train(reference.train, **SORTED_BLOBS, seed=2**31 - 1)


@pytest.mark.parametrize("seed", [0, 7, 2**31 - 1])
def test_cases_are_drawn_from_the_seed_with_one_rare_class(seed):
    """Does a case come back the same for a seed, sorted when asked, with exactly one class of `rare` samples?"""
    x, y, k = nb02_split.split_case(120, 1, "sorted", (5, 3), 4, seed)
    again, _, _ = nb02_split.split_case(120, 1, "sorted", (5, 3), 4, seed)
    np.testing.assert_array_equal(x, again)
    assert x.shape == (120, 5, 3) and k == 4 and np.all(np.diff(y) >= 0)
    assert np.sum(np.bincount(y, minlength=4) == 1) == 1
    digits, labels, ten = nb02_split.split_case(240, None, "shuffled", None, 3, seed)
    assert digits.shape == (240, 64) and ten == 10 and len(np.unique(digits, axis=0)) == 240


def test_the_spy_counts_samples_inside_fit_only_and_notes_strangers_and_wrong_labels():
    """Does the spy count each sample per epoch, ignore an evaluate outside fit, and note unknown rows and labels?"""
    x, y, k = nb02_split.split_case(60, None, "shuffled", (4,), 3, 1)
    model = nb02_split.spy_classifier(x, y, k)
    model.evaluate(x, y, verbose=0)
    model.fit(x[:40], y[:40], epochs=2, batch_size=16, validation_data=(x[40:], y[40:]), verbose=0)
    seen = model.seen()
    assert seen["train"][:60].tolist() == [2] * 40 + [0] * 20
    assert seen["val"][:60].tolist() == [0] * 40 + [2] * 20
    assert model.counter.train_batches == [3, 3] and len(model.get_weights()) == 4
    model.fit(np.r_[x[:5] + 10, x[5:8]], np.r_[y[:5], (y[5:8] + 1) % k], epochs=1, verbose=0)
    assert model.seen()["train"][60:].tolist() == [5, 3]


@pytest.mark.parametrize("student, message", [
    (lambda model, x, y, epochs, batch_size, val_fraction: model.fit(
        x, y, epochs=epochs, batch_size=batch_size, validation_split=val_fraction, verbose=0),
     "validation samples of each class"),
    (held_out_then(lambda model, x, y, val, epochs, batch_size: model.fit(
        x, y, epochs=epochs, batch_size=batch_size, validation_data=(x[val], y[val]), verbose=0)),
     "both trained and validated on"),
    (held_out_then(lambda model, x, y, val, epochs, batch_size: model.fit(
        x[~val][1:], y[~val][1:], epochs=epochs, batch_size=batch_size, validation_data=(x[val], y[val]),
        verbose=0)),
     "neither trained nor validated on"),
    (held_out_then(lambda model, x, y, val, epochs, batch_size: model.fit(
        x[~val], y[~val][::-1], epochs=epochs, batch_size=batch_size, validation_data=(x[val], y[val]),
        verbose=0)),
     "another sample's label"),
    (held_out_then(lambda model, x, y, val, epochs, batch_size: model.fit(
        x[~val] * 2, y[~val], epochs=epochs, batch_size=batch_size, validation_data=(x[val], y[val]), verbose=0)),
     "not samples of x"),
    (held_out_then(lambda model, x, y, val, epochs, batch_size: model.fit(
        x[~val], y[~val], epochs=epochs, batch_size=batch_size,
        validation_data=(x[val], y[val], np.full(int(val.sum()), 2.0)), verbose=0)),
     "the last val_loss should be the loss of the final weights"),
])
def test_mistakes_are_named(student, message):
    """Is each mistake (validation_split, overlap, a sample left out, labels, changed rows, weights) named?"""
    with pytest.raises(CheckFailed, match=message):
        checks.nb02.train(student, **SORTED_BLOBS, seed=5)


def test_a_recompiled_model_and_a_history_subclass_are_rejected():
    """Is compiling the given model again rejected, and is a subclass of History not taken for the History?"""
    from helpers import tf

    def recompiles(model, x, y, epochs, batch_size, val_fraction):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return reference.train(model, x, y, epochs, batch_size, val_fraction)

    class Record(tf.keras.callbacks.History):
        pass

    def subclass(model, x, y, epochs, batch_size, val_fraction):
        record = Record()
        record.history = reference.train(model, x, y, epochs, batch_size, val_fraction).history
        return record

    with pytest.raises(CheckFailed, match="as it was given"):
        checks.nb02.train(recompiles, n=60, epochs=1, batch_size=30)
    with pytest.raises(CheckFailed, match="should return the History"):
        checks.nb02.train(subclass, n=60, epochs=1, batch_size=30)


def test_expected_counts_round_up_every_class_present():
    """Is the rule ceil(val_fraction * n_c), 0 for an absent class, 1 for a class of one?"""
    y = np.array([0] * 5 + [1] * 2 + [3])
    assert nb02_split.expected_validation_counts(y, 5, 0.25) == [2, 1, 0, 1, 0]
    assert nb02_split.expected_validation_counts(np.arange(3).repeat(10), 3, 0.2) == [math.ceil(2.0)] * 3
