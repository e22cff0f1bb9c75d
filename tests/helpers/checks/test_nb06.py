"""helpers.checks.nb06: the checks accept the reference answers and name what a wrong answer got wrong."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import CheckFailed, nb06
from helpers.reference import nb06 as reference


def test_identity_classifier_outputs_the_softmax_of_its_inputs():
    """Are identity_classifier's probabilities the softmax of the inputs, so the visible answers are known?"""
    probabilities = nb06.identity_classifier(5).predict(nb06.X5, verbose=0)
    np.testing.assert_allclose(probabilities, reference.logits_to_probabilities(nb06.X5), rtol=1e-5)
    assert reference.predict_top_k(nb06.identity_classifier(5), nb06.X5, 3).tolist() == [[1, 3, 2], [0, 3, 2], [4, 1, 2]]


def test_predict_labels_rejects_axis_0():
    """Does the reference pass, and is argmax over the samples rejected?"""
    x3 = np.array([[5, 0, 0], [4, 0, 0], [0, 0, 5]], dtype="float32")
    model = nb06.identity_classifier(3)
    nb06.predict_labels(reference.predict_labels, model, x3, name="p")
    with pytest.raises(CheckFailed, match="p: the most probable class"):
        nb06.predict_labels(lambda m, x: np.argmax(m.predict(x, verbose=0), axis=0), model, x3, name="p")


def test_predict_top_k_rejects_ascending_order():
    """Does the reference pass, and are the k classes least-probable-first rejected?"""
    nb06.predict_top_k(reference.predict_top_k)
    nb06.predict_top_k(reference.predict_top_k, x=nb06.X5[1:], k=5, name="k=5")
    with pytest.raises(CheckFailed, match="most probable first"):
        nb06.predict_top_k(lambda m, x, k: reference.predict_top_k(m, x, k)[:, ::-1])


def test_confusion_matrix_names_a_transposed_matrix():
    """Is a transposed matrix rejected with its own message?"""
    nb06.confusion_matrix(reference.confusion_matrix, [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    with pytest.raises(CheckFailed, match=r"confusion_matrix\(\[0, 0, 1, 2, 2, 2\], .*transposed"):
        nb06.confusion_matrix(lambda t, p, n: reference.confusion_matrix(t, p, n).T,
                              [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)


def test_logits_to_probabilities_rejects_a_double_softmax():
    """Does the reference pass on the visible cases, and is a second softmax rejected?"""
    nb06.logits_to_probabilities(reference.logits_to_probabilities)
    with pytest.raises(CheckFailed, match="second softmax"):
        nb06.logits_to_probabilities(lambda z: reference.logits_to_probabilities(reference.logits_to_probabilities(z)))


def test_logits_to_probabilities_rejects_overflow():
    """Is an exp without the max subtraction rejected on logits of 1000 as not finite?"""
    def naive(z):
        e = np.exp(np.asarray(z, dtype=np.float32))
        return e / e.sum(axis=-1, keepdims=True)

    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(CheckFailed, match="finite probabilities"):
        nb06.logits_to_probabilities(naive)
