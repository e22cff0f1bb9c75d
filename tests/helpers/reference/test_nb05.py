"""helpers.reference.nb05: evaluate() against a baseline, accuracy from predict(), accuracy per class."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.reference.nb05 import accuracy_by_hand, evaluate_against_baseline, per_class_accuracy


@pytest.fixture(scope="module")
def trained():
    from helpers.data import load_digits
    from helpers.models import digits_classifier

    d = load_digits()
    model = digits_classifier(0.01)
    model.fit(d.x_train, d.y_train, epochs=3, batch_size=64, verbose=0)
    return model, d


def test_evaluate_against_baseline_returns_floats_for_the_given_pipeline(trained):
    """Is the result three floats: evaluate on the pipeline, and the majority of y_train measured on its labels?"""
    from helpers import tf

    model, d = trained
    test_ds = tf.data.Dataset.from_tensor_slices((d.x_val, d.y_val)).batch(50)
    y_train = np.array([3, 3, 3, 1, 2, 3, 1])
    result = evaluate_against_baseline(model, test_ds, y_train)
    assert sorted(result) == ["accuracy", "baseline_accuracy", "loss"]
    assert all(type(v) is float for v in result.values())
    loss, accuracy = model.evaluate(d.x_val, d.y_val, verbose=0)
    assert result == pytest.approx({"loss": loss, "accuracy": accuracy, "baseline_accuracy": np.mean(d.y_val == 3)})


def test_accuracy_by_hand_agrees_with_evaluate(trained):
    """Does the argmax-over-classes accuracy equal evaluate's accuracy?"""
    model, d = trained
    for x, y in [(d.x_test, d.y_test), (d.x_val[:7], d.y_val[:7])]:
        expected = model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"]
        assert accuracy_by_hand(model, x, y) == pytest.approx(expected, abs=1e-6)


def test_per_class_accuracy_is_recall():
    """Is each class's value its correct share of that class's true samples?"""
    y_true = np.array([0, 0, 1, 1, 1, 2])
    y_pred = np.array([0, 1, 1, 1, 0, 1])
    np.testing.assert_allclose(per_class_accuracy(y_true, y_pred, 3), [0.5, 2 / 3, 0.0])


def test_per_class_accuracy_absent_class_is_nan():
    """Does a class with no samples give nan, and the length follow num_classes?"""
    result = per_class_accuracy(np.array([0, 1]), np.array([0, 0]), 4)
    assert result.shape == (4,)
    np.testing.assert_array_equal(np.isnan(result), [False, False, True, True])


def test_per_class_accuracy_rejects_mismatched_lengths():
    """Are labels of different lengths reported with both lengths?"""
    with pytest.raises(ValueError, match="2 and 3"):
        per_class_accuracy(np.array([0, 1]), np.array([0, 1, 1]), 2)
