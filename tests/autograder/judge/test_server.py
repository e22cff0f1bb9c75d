"""autograder.judge: a test cell's verdict from the grader's copy of the cell and the kernel's observations."""
from __future__ import annotations

import numpy as np
import pytest

from autograder.judge import client, coverage
from autograder.judge.plan import NotObserved, calls
from autograder.judge.server import verdict
from helpers.checks import nb01
from helpers.checks.observed import encode
from helpers.reference import nb01 as reference
from tests import harness

CELL = """checks.nb01.build_sequential_model(build_sequential_model, 64, 32, 10)
### BEGIN HIDDEN TESTS
checks.nb01.build_sequential_model(build_sequential_model, 20, 7, 3, seed=1)
### END HIDDEN TESTS
checks.passed("build_sequential_model")
"""


def observation(check, student, *args, **kwargs) -> dict:
    return {"check": check.name, "observed": encode(check.observe(student, **check.arguments(*args, **kwargs)))}


@pytest.fixture(scope="module")
def honest() -> list[dict]:
    return [observation(nb01.build_sequential_model, reference.build_sequential_model, 64, 32, 10),
            observation(nb01.build_sequential_model, reference.build_sequential_model, 20, 7, 3, seed=1)]


def test_the_cell_is_replayed_for_its_calls():
    """Are the checks a cell calls, with the grader's arguments, read from its source?"""
    planned = calls(CELL)
    assert [(c.name, c.args, c.kwargs) for c in planned] == [
        ("nb01.build_sequential_model", (64, 32, 10), {}), ("nb01.build_sequential_model", (20, 7, 3), {"seed": 1})]
    with pytest.raises(NotObserved):
        calls("checks.nb02.no_such_check(updates_per_epoch, 1, 1)")


def test_honest_observations_pass(honest):
    """Do the reference's own observations pass?"""
    assert verdict({"source": CELL, "observations": honest})["passed"] is True


def test_made_up_values_for_the_hidden_inputs_fail(honest):
    """Does a well-formed observation whose values are wrong for the hidden inputs fail, with the message?"""
    replayed = [honest[0], {**honest[0]}]
    answer = verdict({"source": CELL, "observations": replayed})
    assert answer["passed"] is False and "(20, 7, 3)" in answer["message"]
    forged = observation(nb01.build_sequential_model, reference.build_sequential_model, 20, 7, 3, seed=1)
    outputs = forged["observed"]["outputs"]
    forged["observed"]["outputs"] = encode(np.full((9, 3), 1 / 3, "float32"))
    assert outputs != forged["observed"]["outputs"]
    assert verdict({"source": CELL, "observations": [honest[0], forged]})["passed"] is False


@pytest.mark.parametrize("change", ["missing", "duplicated", "other check", "malformed", "not an array"])
def test_missing_duplicated_or_malformed_observations_fail(honest, change):
    """Does a cell whose observations are missing, extra, for another check or malformed fail?"""
    observations = {
        "missing": honest[:1], "duplicated": [*honest, honest[1]],
        "other check": [honest[0], {**honest[1], "check": "nb01.compile_model"}],
        "malformed": [honest[0], {"check": honest[1]["check"], "observed": {"kind": 1}}],
        "not an array": [honest[0], {"check": honest[1]["check"], "observed": {
            **honest[1]["observed"], "weights": {"__array__": "", "dtype": "|O", "shape": [1]}}}],
    }[change]
    assert verdict({"source": CELL, "observations": observations})["passed"] is False


def test_the_judge_process_answers_without_tensorflow_in_the_grader(honest):
    """Does the judge run in a process of its own, and does the grading process stay free of TensorFlow?"""
    import sys

    had_tf = "tensorflow" in sys.modules
    answer = client.ask({"source": CELL, "observations": honest})
    assert answer == {"judged": True, "passed": True, "message": "2 checks passed, judged by the grader."}
    assert client.ask({"source": "checks.nb02.x(f)", "observations": []}) == {"judged": False}
    assert had_tf == ("tensorflow" in sys.modules)


def test_every_notebook_is_judged_outside_the_kernel():
    """Does every notebook's test cells call only observed checks, so that each is judged outside the kernel?"""
    judged = [a for a in harness.ALL_ASSIGNMENTS if coverage.judged_outside(harness.solution_notebook(a).cells)]
    assert judged == harness.ALL_ASSIGNMENTS
