"""helpers.checks.nb02: update counts judged against the reference, and train() watched by a batch-counting model."""
from __future__ import annotations

import pytest

from helpers import checks
from helpers.checks import CheckFailed
from helpers.checks.nb02 import probe_classifier
from helpers.data import load_digits
from helpers.reference import nb02 as reference


def test_counts_are_judged_against_the_reference_on_any_sizes():
    """Does the check accept ceil(n / b) on sizes it has no table for, and reject floor division?"""
    for n, b in [(7, 3), (1234, 99), (5, 5)]:
        checks.nb02.updates_per_epoch(reference.updates_per_epoch, n, b)
    with pytest.raises(CheckFailed, match=r"updates_per_epoch\(7, 3\) is wrong(.|\n)*expected: 3(.|\n)*got: +2"):
        checks.nb02.updates_per_epoch(lambda n, b: n // b, 7, 3)


def test_a_float_count_is_rejected():
    """Is 4.0 rejected where the int 4 is expected?"""
    with pytest.raises(CheckFailed, match="total_updates"):
        checks.nb02.total_updates(lambda n, b, e: float(reference.total_updates(n, b, e)), 100, 30, 3)


def test_probe_classifier_counts_batches_and_keeps_the_callers_callbacks():
    """Does the probed model count its batches however fit is called, and still run the callbacks it was given?"""
    from helpers.fitting import BatchCounter

    digits = load_digits()
    theirs = BatchCounter()
    model = probe_classifier(seed=2)
    model.fit(digits.x_train[:50], digits.y_train[:50], epochs=2, batch_size=20, callbacks=[theirs], verbose=0)
    assert model.counter.train_batches == theirs.train_batches == [3, 3]


def test_validating_on_the_training_data_is_rejected():
    """Does the train check notice a validation on the training data, through the last val_loss?"""
    def validates_on_training_data(model, x_train, y_train, x_val, y_val, epochs, batch_size):
        return model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size,
                         validation_data=(x_train, y_train), verbose=0)

    with pytest.raises(CheckFailed, match="the last val_loss should be the loss of the final weights"):
        checks.nb02.train(validates_on_training_data, n_train=60, n_val=30, epochs=1, batch_size=30)


@pytest.mark.parametrize("seed", [0, 2**31 - 1])
def test_generated_counts_pass_the_reference_and_catch_an_extra_batch_at_exact_multiples(seed):
    """Do the generated cases accept ceil(n / b) for any seed, and reject `n // b + 1` (wrong only at multiples)?"""
    checks.nb02.updates_per_epoch(reference.updates_per_epoch, seed=seed)
    checks.nb02.total_updates(reference.total_updates, seed=seed)
    with pytest.raises(CheckFailed, match="no extra batch"):
        checks.nb02.updates_per_epoch(lambda n, b: n // b + 1, seed=seed)
    with pytest.raises(CheckFailed, match="total_updates"):
        checks.nb02.total_updates(lambda n, b, e: -(-n * e // b), seed=seed)


def test_a_recompiled_model_and_a_history_subclass_are_rejected():
    """Is compiling the given model again rejected, and is a subclass of History not taken for the History?"""
    from helpers import tf

    def recompiles(model, x_train, y_train, x_val, y_val, epochs, batch_size):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return reference.train(model, x_train, y_train, x_val, y_val, epochs, batch_size)

    class Record(tf.keras.callbacks.History):
        pass

    def subclass(model, x_train, y_train, x_val, y_val, epochs, batch_size):
        record = Record()
        record.history = reference.train(model, x_train, y_train, x_val, y_val, epochs, batch_size).history
        return record

    with pytest.raises(CheckFailed, match="as it was given"):
        checks.nb02.train(recompiles, n_train=60, n_val=30, epochs=1, batch_size=30)
    with pytest.raises(CheckFailed, match="should return the History"):
        checks.nb02.train(subclass, n_train=60, n_val=30, epochs=1, batch_size=30)
