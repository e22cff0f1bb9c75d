"""helpers.fitting: the callback that counts the batches fit really runs."""
from __future__ import annotations

from helpers.data import load_digits
from helpers.fitting import BatchCounter
from helpers.models import digits_classifier


def test_batch_counter_counts_the_last_smaller_batch_and_validation_batches():
    """Does BatchCounter count ceil(n / batch_size) training batches and the validation batches of each epoch?"""
    digits = load_digits()
    counter = BatchCounter()
    digits_classifier().fit(digits.x_train[:70], digits.y_train[:70], epochs=2, batch_size=32,
                            validation_data=(digits.x_val[:40], digits.y_val[:40]), callbacks=[counter], verbose=0)
    assert counter.train_batches == [3, 3] and counter.val_batches == [2, 2]
    assert counter.epochs == 2 and counter.total == 6


def test_batch_counter_resets_between_fits():
    """Can one BatchCounter be reused, counting only the last fit?"""
    digits = load_digits()
    model = digits_classifier()
    counter = BatchCounter()
    model.fit(digits.x_train[:64], digits.y_train[:64], epochs=3, batch_size=32, callbacks=[counter], verbose=0)
    assert counter.train_batches == [2, 2, 2] and counter.val_batches == [0, 0, 0]
    model.fit(digits.x_train[:64], digits.y_train[:64], epochs=1, batch_size=10, callbacks=[counter], verbose=0)
    assert counter.train_batches == [7] and counter.epochs == 1 and counter.total == 7


def test_batch_counter_ignores_an_evaluate_outside_fit():
    """Does an evaluate() call before any fit leave the counter empty instead of failing?"""
    digits = load_digits()
    counter = BatchCounter()
    digits_classifier().evaluate(digits.x_val[:20], digits.y_val[:20], callbacks=[counter], verbose=0)
    assert counter.val_batches == [] and counter.total == 0
