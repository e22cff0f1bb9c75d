"""Verdicts judged outside the kernel (issue 16): under real ``nbgrader autograde``, nothing the kernel does
earns a point that the student's functions' values do not.

One batch of notebook-01 submissions, graded with the static scan off so that
every attack runs: each attack on a blank notebook scores zero, and on a
half-right notebook scores exactly the half's 4 of 8 points.
"""
from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

from tests import harness
from tests.integrity import judged_students as j
from tests.integrity.students import A

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]
ARGS = ["--Execute.timeout=30", "--ScanStudentCode.enabled=False"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> tuple[Path, dict]:
    root = Path(tmp_path_factory.mktemp("judged"))
    harness.prepare_root(root, A)
    for name in j.STUDENTS:
        harness.submit(root, A, name, j.student(name))
    start = time.monotonic()
    done = harness.run_nbgrader(root, "autograde", A, "--force", *ARGS)
    (root / "autograde.log").write_text(done.stdout + done.stderr)
    print(f"graded {len(j.STUDENTS)} notebooks in {time.monotonic() - start:.0f} s")
    return root, {name: harness.read_grades(root, A, name) for name in j.STUDENTS}


def _notebook(root: Path, student: str):
    return nbformat.read(str(root / "autograded" / student / A / f"{A}.ipynb"), as_version=4)


def test_honest_students_score_what_their_answers_deserve(batch):
    """Do the reference, half-right and blank notebooks score 8, 4 and 0 of 8?"""
    _, grades = batch
    assert [grades[s].score for s in ("reference", "half", "blank")] == [8, 4, 0], {
        s: grades[s].cells for s in ("reference", "half", "blank")}


@pytest.mark.parametrize("attack", list(j.ATTACKS))
def test_an_attack_earns_nothing(batch, attack):
    """Does each attack score zero on a blank notebook, and on a half-right one exactly its 4 of 8 (less where
    the attack spoils the honest answers' own observations)?"""
    _, grades = batch
    assert grades[f"{attack}_blank"].score == 0, grades[f"{attack}_blank"].cells
    if attack in j.SPOILS_OBSERVATIONS:
        assert grades[f"{attack}_half"].score <= 4, grades[f"{attack}_half"].cells
    else:
        assert grades[f"{attack}_half"].score == 4, grades[f"{attack}_half"].cells


def test_made_up_values_for_the_hidden_inputs_score_zero(batch):
    """Does a kernel sending well-formed observations, right only for the visible inputs, fail every test?"""
    root, grades = batch
    assert grades["replay_blank"].score == 0
    cell = next(c for c in _notebook(root, "replay_blank").cells
                if harness.grade_id(c) == "01_build_sequential_test")
    assert any(o.output_type == "error" and "build_sequential_model(20, 7, 3)" in o.evalue for o in cell.outputs)


def test_duplicated_observations_score_zero(batch):
    """Does a test cell whose kernel sent each observation twice score zero, even with right answers?"""
    _, grades = batch
    assert grades["duplicate"].score == 0, grades["duplicate"].cells


def test_a_pass_is_the_graders_line_and_no_execute_result_survives(batch):
    """Does each passing test cell end with the grader's line, and does no test cell keep an execute_result?"""
    root, _ = batch
    for student in ("reference", "displayhook_blank"):
        for cell in _notebook(root, student).cells:
            if harness.grade_id(cell) and harness.grade_id(cell).endswith("_test"):
                kinds = [o.output_type for o in cell.outputs]
                assert "execute_result" not in kinds, (student, harness.grade_id(cell), kinds)
                if student == "reference":
                    assert "judged by the grader" in cell.outputs[-1].text


def test_hidden_seeds_are_fresh_for_each_run(batch):
    """Did the reference pass hidden tests whose seeds were drawn for this run, not the released ones?"""
    root, grades = batch
    assert grades["reference"].score == 8
    cell = next(c for c in _notebook(root, "reference").cells if harness.grade_id(c) == "01_build_sequential_test")
    hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1]
    assert "seed=" in hidden and "seed=1)" not in hidden, hidden
