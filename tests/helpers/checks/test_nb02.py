"""helpers.checks.nb02: balanced class weights, training with them, and the batch-counting model (``train``: test_nb02_split)."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import checks
from helpers.checks import CheckFailed
from helpers.checks.nb02 import probe_classifier
from helpers.data import load_digits
from helpers.reference import nb02 as reference


def test_weights_are_judged_against_the_reference_on_any_labels():
    """Does the check accept the reference on given and generated labels, and name an absent class's weight?"""
    checks.nb02.balanced_class_weights(reference.balanced_class_weights, [0, 0, 0, 1], 3)
    for seed in (0, 2**31 - 1):
        checks.nb02.balanced_class_weights(reference.balanced_class_weights, seed=seed)

    def absent_zero(y, num_classes):
        return {c: (w if c in set(y.tolist()) else 0.0)
                for c, w in reference.balanced_class_weights(y, num_classes).items()}

    with pytest.raises(CheckFailed, match=r"balanced_class_weights\(\[0, 0, 0, 1\], 3\) is wrong(.|\n)*gets 1.0"):
        checks.nb02.balanced_class_weights(absent_zero, [0, 0, 0, 1], 3)


@pytest.mark.parametrize("seed", [0, 2**31 - 1])
def test_generated_labels_catch_dividing_by_num_classes(seed):
    """Do the generated labels (classes absent) reject n / (num_classes * n_c), right whenever every class occurs?"""
    def all_classes(y, num_classes):
        counts = np.bincount(y, minlength=num_classes)
        return {c: float(len(y) / (num_classes * counts[c])) if counts[c] else 1.0 for c in range(num_classes)}

    checks.nb02.balanced_class_weights(all_classes, [2, 0, 1, 1], 3)
    with pytest.raises(CheckFailed, match="not num_classes"):
        checks.nb02.balanced_class_weights(all_classes, seed=seed)


def test_weights_need_int_keys_for_every_class():
    """Are float keys, and a dict without the absent classes, rejected?"""
    with pytest.raises(CheckFailed, match="the keys of the dict"):
        checks.nb02.balanced_class_weights(
            lambda y, k: {float(c): w for c, w in reference.balanced_class_weights(y, k).items()}, [0, 1], 2)
    with pytest.raises(CheckFailed, match="the keys of the dict"):
        checks.nb02.balanced_class_weights(
            lambda y, k: {c: w for c, w in reference.balanced_class_weights(y, k).items() if c in y}, [0, 1], 3)


def test_probe_classifier_counts_batches_and_keeps_the_callers_callbacks():
    """Does the probed model count its batches however fit is called, and still run the callbacks it was given?"""
    from helpers.fitting import BatchCounter

    digits = load_digits()
    theirs = BatchCounter()
    model = probe_classifier(seed=2)
    model.fit(digits.x_train[:50], digits.y_train[:50], epochs=2, batch_size=20, callbacks=[theirs], verbose=0)
    assert model.counter.train_batches == theirs.train_batches == [3, 3]


def test_train_balanced_passes_the_reference_and_sees_the_weights_used():
    """Does the reference pass (a class missing too), and does the weighing model see class_weight and sample_weight?"""
    checks.nb02.train_balanced(reference.train_balanced, missing=True, seed=3)
    digits = load_digits()
    model = checks.nb02.weighing_classifier(seed=1)
    y = digits.y_train[:40]
    model.fit(digits.x_train[:40], y, epochs=2, batch_size=16, class_weight={3: 4.0}, verbose=0)
    np.testing.assert_allclose(model.weight_seen(), 2 * np.bincount(y, minlength=10) * np.where(np.arange(10) == 3, 4, 1))
    assert len(model.get_weights()) == 4, "the weighing counter must not be one of the model's weights"


def test_train_balanced_rejects_unweighted_validation_and_unweighted_training():
    """Is an unweighted val_loss named, and training without weights caught by the weights each class carried?"""
    def unweighted_validation(model, x_train, y_train, x_val, y_val, epochs, batch_size):
        weights = reference.balanced_class_weights(y_train, 10)
        return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, class_weight=weights,
                         validation_data=(x_val, y_val), verbose=0)

    def no_weights(model, x_train, y_train, x_val, y_val, epochs, batch_size):
        return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, validation_data=(x_val, y_val),
                         verbose=0)

    with pytest.raises(CheckFailed, match="class_weight does not reach the validation data"):
        checks.nb02.train_balanced(unweighted_validation, epochs=2, seed=4)
    with pytest.raises(CheckFailed, match="the weight each training sample"):
        checks.nb02.train_balanced(no_weights, epochs=2, seed=4)
