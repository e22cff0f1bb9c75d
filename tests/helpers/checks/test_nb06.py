"""helpers.checks.nb06: the checks accept the reference answers and name what a wrong answer got wrong."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import CheckFailed, nb06
from helpers.reference import nb06 as reference

SEEDS = (None, 1, 2, 3, 2**31 - 1)


def test_identity_classifier_outputs_the_softmax_of_its_inputs():
    """Are identity_classifier's probabilities the softmax of the inputs, so the visible answers are known?"""
    probabilities = nb06.identity_classifier(5).predict(nb06.X5, verbose=0)
    np.testing.assert_allclose(probabilities, reference.logits_to_probabilities(nb06.X5), rtol=1e-5)
    assert reference.predict_top_k(nb06.identity_classifier(5), nb06.X5, 3).tolist() == [[1, 3, 2], [0, 3, 2], [4, 1, 2]]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_reference_answers_pass_for_any_seed(seed):
    """Do the reference answers pass the visible case and cases drawn from any seed?"""
    nb06.predict_labels(reference.predict_labels, seed=seed)
    for k in (1, 3, 10):
        nb06.predict_top_k(reference.predict_top_k, k=k, seed=seed)
    nb06.logits_to_probabilities(reference.logits_to_probabilities, seed=seed)
    if seed is not None:
        nb06.confusion_matrix(reference.confusion_matrix, seed=seed)


def test_generated_cases_hold_ties_and_absent_classes():
    """Do the generated cases hold tied probabilities, single samples and classes that never occur?"""
    _, x, _ = nb06.model_cases(5)[1]
    assert any(len(set(row)) < len(row) for row in x.tolist())
    cases = nb06.confusion_cases(5)
    assert any(len(t) == 1 for t, _, _ in cases)
    assert any(len(set(t.tolist()) | set(p.tolist())) < c for t, p, c in cases)


def test_predict_labels_rejects_axis_0():
    """Is argmax over the samples rejected?"""
    with pytest.raises(CheckFailed):
        nb06.predict_labels(lambda m, x: np.argmax(m.predict(x, verbose=0), axis=0), seed=4)


def test_top_k_accepts_any_order_among_ties_and_rejects_ascending_order():
    """Do tied classes pass in either order, and are the k classes least-probable-first rejected?"""
    def reversed_ties(model, x, k):
        return np.argsort(model.predict(x, verbose=0), axis=-1, kind="stable")[:, ::-1][:, :k]

    for seed in range(1, 6):
        nb06.predict_top_k(reversed_ties, k=3, seed=seed)
    with pytest.raises(CheckFailed, match="most probable first"):
        nb06.predict_top_k(lambda m, x, k: reference.predict_top_k(m, x, k)[:, ::-1])


def test_confusion_matrix_names_a_transposed_matrix():
    """Is a transposed matrix rejected with its own message?"""
    nb06.confusion_matrix(reference.confusion_matrix, [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    with pytest.raises(CheckFailed, match=r"confusion_matrix\(\[0, 0, 1, 2, 2, 2\], .*transposed"):
        nb06.confusion_matrix(lambda t, p, n: reference.confusion_matrix(t, p, n).T,
                              [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)


def test_confusion_matrix_sized_by_the_largest_label_is_rejected():
    """Is a matrix sized by the labels seen, not num_classes, rejected on generated cases?"""
    def sized_by_labels(t, p, n):
        return reference.confusion_matrix(t, p, int(max(t.max(), p.max())) + 1)

    with pytest.raises(CheckFailed, match="shape"):
        nb06.confusion_matrix(sized_by_labels, seed=3)


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
