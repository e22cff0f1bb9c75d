"""autograder.judge on notebooks 02 to 05: the reference's observations pass, made-up ones for the hidden inputs fail.

Each test takes a real test cell of the solution notebook, with its hidden seeds
drawn afresh as the grader does (``fresh_seeds``). It observes the reference
answers for the grader's arguments (what an honest kernel sends), then forges
a well-formed observation: the values a kernel could have prepared in advance,
right for other hidden inputs (another seed), or values changed by hand.
"""
from __future__ import annotations

import re

import pytest

from autograder.judge.plan import calls
from autograder.judge.server import verdict
from autograder.preprocessors.execute import fresh_seeds
from helpers.checks.observed import REGISTRY, encode
from helpers.reference import nb02, nb03, nb04, nb05
from tests import harness

ANSWERS = {"nb02": nb02, "nb03": nb03, "nb04": nb04, "nb05": nb05}


def _cell(assignment: str, grade_id: str) -> str:
    cells = harness.solution_notebook(assignment).cells
    return fresh_seeds(next(c.source for c in cells if harness.grade_id(c) == grade_id))


def _observations(source: str) -> list[dict]:
    """What an honest kernel sends for ``source``: the reference answer observed for each call."""
    sent = []
    for call in calls(source):
        check = REGISTRY[call.name]
        module, name = call.name.split(".")
        answer = getattr(ANSWERS[module], name.removesuffix("_buffer"))
        sent.append({"check": call.name, "observed": encode(check.observe(answer, **check.arguments(*call.args,
                                                                                                     **call.kwargs)))})
    return sent


def _other_seeds(source: str) -> str:
    """``source`` with every hidden seed moved by one: inputs the kernel could have guessed in advance."""
    visible, hidden = source.split("### BEGIN HIDDEN TESTS")
    return visible + "### BEGIN HIDDEN TESTS" + re.sub(r"\bseed=(\d+)", lambda m: f"seed={int(m[1]) + 1}", hidden)


@pytest.mark.parametrize("assignment, grade_id", [
    ("02-fit-syntax", "02_balanced_class_weights_test"),
    ("03-data-pipelines", "03_make_random_shift_test"),
    ("04-fit-and-history", "04_best_epoch_test"),
    ("04-fit-and-history", "04_overfitting_epoch_test"),
    ("05-evaluate", "05_per_class_accuracy_test"),
    ("05-evaluate", "05_evaluate_against_baseline_test"),
])
def test_observations_made_for_other_hidden_inputs_fail(assignment, grade_id):
    """Do the reference's observations pass, and do well-formed ones made for other hidden seeds fail?"""
    source = _cell(assignment, grade_id)
    honest = _observations(source)
    assert verdict({"source": source, "observations": honest}) == {
        "judged": True, "passed": True, "message": f"{len(honest)} checks passed, judged by the grader."}
    guessed = _observations(_other_seeds(source))
    assert [o["check"] for o in guessed] == [o["check"] for o in honest]
    answer = verdict({"source": source, "observations": guessed})
    assert answer["judged"] is True and answer["passed"] is False, answer


def _replayed_marks(epochs: list[dict]) -> list[dict]:
    """Notebook 03's two training epochs with each sample's augmentation mark of epoch 1 again in epoch 2."""
    import numpy as np

    first, second = epochs
    mark_of = dict(zip(np.rint(first["first"] * 16).astype(int).tolist(), first["last"].tolist()))
    replayed = np.array([mark_of[i] for i in np.rint(second["first"] * 16).astype(int).tolist()], np.float32)
    return [first, {**second, "last": replayed}]


@pytest.mark.parametrize("assignment, grade_id, index, change", [
    ("02-fit-syntax", "02_balanced_class_weights_test", -1,
     lambda o: {"got": [{**g, "values": [1.0] * len(g["values"])} for g in o["got"]]}),
    ("02-fit-syntax", "02_train_balanced_test", -1, lambda o: {**o, "history": {
        **o["history"], "val_loss": [v * 1.01 for v in o["history"]["val_loss"]]}}),
    ("03-data-pipelines", "03_make_eval_pipeline_test", -1,
     lambda o: {**o, "epochs": [{**e, "sizes": e["sizes"][::-1]} for e in o["epochs"]]}),
    ("03-data-pipelines", "03_make_train_pipeline_test", 1, lambda o: {**o, "epochs": _replayed_marks(o["epochs"])}),
    ("03-data-pipelines", "03_make_train_pipeline_test", 1, lambda o: {**o, "stages": [
        "TensorSlice", "ParallelMap", "Cache", "Shuffle", "ParallelMap", "Batch", "Prefetch"][::-1]}),
    ("04-fit-and-history", "04_overfitting_epoch_test", -1, lambda o: {"got": [None for _ in o["got"]]}),
    ("05-evaluate", "05_evaluate_against_baseline_test", 0,
     lambda o: {"returned": {**o["returned"], "baseline_accuracy": 0.1}}),
    ("05-evaluate", "05_per_class_accuracy_test", 0, lambda o: {"got": [[1.0, 1.0] for _ in o["got"]]}),
])
def test_made_up_values_fail(assignment, grade_id, index, change):
    """Does a well-formed observation whose values were changed by hand fail in the judge?"""
    from helpers.checks.observed import decode

    source = _cell(assignment, grade_id)
    sent = _observations(source)
    sent[index] = {"check": sent[index]["check"], "observed": encode(change(decode(sent[index]["observed"])))}
    answer = verdict({"source": source, "observations": sent})
    assert answer["judged"] is True and answer["passed"] is False, answer
