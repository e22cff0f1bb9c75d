"""helpers.reference.nb06: labels, top-k, confusion matrix, softmax, confident mistakes."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.reference.nb06 import (
    confusion_matrix, logits_to_probabilities, most_confident_mistakes, predict_labels, predict_top_k,
)


class FixedModel:
    """Stands in for a Keras model whose predict returns fixed probabilities."""

    def __init__(self, probabilities):
        self.probabilities = np.asarray(probabilities, dtype=np.float32)

    def predict(self, x, verbose=0):
        return self.probabilities[: len(x)]


PROBS = [[0.1, 0.6, 0.3], [0.5, 0.2, 0.3], [0.2, 0.3, 0.5], [0.05, 0.15, 0.8]]


def test_predict_labels_uses_the_class_axis():
    """Is each sample's label the argmax of its own row?"""
    labels = predict_labels(FixedModel(PROBS), np.zeros((4, 2)))
    assert labels.tolist() == [1, 0, 2, 2]


def test_predict_top_k_most_probable_first():
    """Are the k classes in descending order of probability, one row per sample?"""
    top = predict_top_k(FixedModel(PROBS), np.zeros((4, 2)), 2)
    assert top.shape == (4, 2)
    assert top.tolist() == [[1, 2], [0, 2], [2, 1], [2, 1]]
    with pytest.raises(ValueError, match="positive int"):
        predict_top_k(FixedModel(PROBS), np.zeros((4, 2)), 0)


def test_predict_on_a_keras_model():
    """Do the functions accept a real Keras model and agree with each other?"""
    from helpers.data import load_digits
    from helpers.models import digits_classifier

    d = load_digits()
    model = digits_classifier()
    top = predict_top_k(model, d.x_val[:20], 3)
    np.testing.assert_array_equal(top[:, 0], predict_labels(model, d.x_val[:20]))


def test_confusion_matrix_rows_are_true_classes():
    """Does entry [i, j] count class-i samples predicted as j, with num_classes rows?"""
    matrix = confusion_matrix([0, 0, 1, 2, 2], [0, 1, 1, 0, 2], 4)
    assert matrix.shape == (4, 4) and matrix.dtype.kind == "i"
    assert matrix.tolist() == [[1, 1, 0, 0], [0, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]]
    with pytest.raises(ValueError, match="same length"):
        confusion_matrix([0], [0, 1], 2)


def test_logits_to_probabilities_is_a_stable_softmax():
    """Does each row sum to 1, match exp/sum, and survive logits of 1000?"""
    logits = np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]])
    probs = logits_to_probabilities(logits)
    expected = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    np.testing.assert_allclose(probs[0], expected)
    np.testing.assert_allclose(probs[1], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(probs.sum(axis=-1), 1.0)


def test_most_confident_mistakes_ordered_by_confidence():
    """Are only wrong predictions returned, the most confident first?"""
    y_true = np.array([1, 2, 2, 0])
    assert most_confident_mistakes(np.array(PROBS), y_true, n=5).tolist() == [3, 1]
    assert most_confident_mistakes(np.array(PROBS), y_true, n=1).tolist() == [3]
