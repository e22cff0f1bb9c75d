"""helpers.models: the course's default classifier and the seed that makes runs repeatable."""
from __future__ import annotations

import numpy as np

from helpers.models import digits_classifier, set_seed


def test_digits_classifier_is_compiled_for_integer_labels():
    """Is the default model a 64 -> 32 (ReLU) -> 10 (softmax) network compiled with Adam at the given rate?"""
    model = digits_classifier(learning_rate=0.02)
    assert [w.shape for w in model.get_weights()] == [(64, 32), (32,), (32, 10), (10,)]
    assert type(model.optimizer).__name__ == "Adam"
    np.testing.assert_allclose(float(model.optimizer.learning_rate), 0.02, rtol=1e-6)
    result = model.evaluate(np.zeros((4, 64), "float32"), np.arange(4), verbose=0, return_dict=True)
    assert "accuracy" in result
    np.testing.assert_allclose(result["loss"], np.log(10), rtol=1e-2)  # zero inputs: uniform-ish softmax


def test_the_same_seed_gives_the_same_weights():
    """Do two classifiers with one seed start from the same weights, and another seed from others?"""
    a, b, c = digits_classifier(seed=3), digits_classifier(seed=3), digits_classifier(seed=4)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_set_seed_repeats_numpy_draws():
    """Does set_seed make NumPy's global random draws repeatable?"""
    set_seed(5)
    first = np.random.rand(3)
    set_seed(5)
    np.testing.assert_array_equal(first, np.random.rand(3))
