"""helpers.checks.nb05: the checks accept the reference answers, reject wrong ones, and judge on an untouched twin."""
from __future__ import annotations

import random

import numpy as np
import pytest

from helpers.checks import CheckFailed, nb05
from helpers.reference import nb05 as reference


@pytest.fixture(scope="module")
def small():
    """A compiled 3-class identity model and inputs whose answers are known."""
    from helpers import tf

    keras = tf.keras
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.set_weights([np.eye(3, dtype="float32"), np.zeros(3, dtype="float32")])
    x = np.array([[5, 0, 0], [4, 0, 0], [0, 0, 5], [0, 6, 0]], dtype="float32")
    return model, x, np.array([0, 1, 2, 1])


def test_same_weights_twin_predicts_the_same_and_leaves_random_state(small):
    """Does the twin compute the same outputs, evaluate, and leave Python's random state as it was?"""
    model, x, y = small
    state = random.getstate()
    twin = nb05.same_weights_twin(model)
    assert random.getstate() == state
    assert twin is not model
    np.testing.assert_array_equal(twin.predict(x, verbose=0), model.predict(x, verbose=0))
    assert twin.evaluate(x, y, verbose=0, return_dict=True)["accuracy"] == pytest.approx(0.75)


def test_evaluate_on_test_reference_passes_and_a_list_fails(small):
    """Does the reference pass, and is evaluate's plain list rejected as 'should return a dict'?"""
    model, x, y = small
    nb05.evaluate_on_test(reference.evaluate_on_test, model, x, y, name="e")
    with pytest.raises(CheckFailed, match="e should return a dict"):
        nb05.evaluate_on_test(lambda m, xs, ys: m.evaluate(xs, ys, verbose=0), model, x, y, name="e")


def test_evaluate_on_test_expected_comes_from_the_untouched_twin(small):
    """Is an answer that changes the model's weights before measuring it rejected?"""
    model, x, y = small
    weights = model.get_weights()

    def scrambles(m, xs, ys):
        m.set_weights([np.roll(np.eye(3, dtype="float32"), 1, axis=1), np.zeros(3, dtype="float32")])
        return reference.evaluate_on_test(m, xs, ys)

    try:
        with pytest.raises(CheckFailed, match="'accuracy' should be the accuracy"):
            nb05.evaluate_on_test(scrambles, model, x, y)
    finally:
        model.set_weights(weights)


def test_accuracy_by_hand_rejects_a_count(small):
    """Does the reference pass, and is the number of correct samples (not the fraction) rejected?"""
    model, x, y = small
    nb05.accuracy_by_hand(reference.accuracy_by_hand, model, x, y)
    with pytest.raises(CheckFailed, match="agree with evaluate's accuracy"):
        nb05.accuracy_by_hand(lambda m, xs, ys: 3, model, x, y)


def test_per_class_accuracy_rejects_precision():
    """Is dividing by the predicted count (precision) rejected?"""
    nb05.per_class_accuracy(reference.per_class_accuracy, [0, 0, 1, 2], [0, 1, 1, 1], 4)

    def precision(y_true, y_pred, num_classes):
        return np.array([np.mean(y_true[y_pred == c] == c) if np.any(y_pred == c) else np.nan
                         for c in range(num_classes)])

    with pytest.raises(CheckFailed, match=r"per_class_accuracy\(\[0, 0, 1, 2\], \[0, 1, 1, 1\], 4\)"):
        nb05.per_class_accuracy(precision, [0, 0, 1, 2], [0, 1, 1, 1], 4)


def test_per_class_accuracy_names_the_call():
    """Does the message name the call with its arguments, as the visible test always did?"""
    with pytest.raises(CheckFailed, match=r"per_class_accuracy\(\[0, 0, 1, 2\], \[0, 1, 1, 1\], 4\): one value"):
        nb05.per_class_accuracy(lambda t, p, n: np.zeros(3), [0, 0, 1, 2], [0, 1, 1, 1], 4)
