"""``tfcourse import`` + ``tfcourse grade`` end to end on a synthetic class of the tiny assignment.

One class is imported from a zip and graded by ``tfcourse grade --workers 3``
(more workers than cores) with a worker that crashes on the student
``crasher``; the same class (without ``crasher``) is graded by plain serial
``nbgrader autograde`` for comparison. Both runs are shared by the tests.
"""
from __future__ import annotations

import json
import re
import sys
import threading
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.grading import autograde, private_gradebooks, worker_pool
from tests.autograder import tiny
from tests.autograder.cli_runner import tfcourse
from tests.harness import run_nbgrader

CRASHING_WORKER = [sys.executable, str(Path(__file__).with_name("crashing_worker.py"))]


def without_run_times(path: Path) -> dict:
    """A notebook's JSON without what differs from run to run of the same grader.

    That is the cells' execution timestamps, and the random per-run nonce that
    the grading defences append to test cells, which tracebacks quote.
    """
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        if "outputs" in cell:
            cell["outputs"] = json.loads(re.sub(r"[0-9a-f]{32}", "NONCE", json.dumps(cell["outputs"])))
    return nb


def dump(root: Path) -> dict:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return private_gradebooks.dump(gb)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    serial = tmp_path_factory.mktemp("serial")
    parallel = tmp_path_factory.mktemp("parallel")
    students = tiny.tiny_class(tiny.add_tiny_assignment(serial), size=3)
    for student, nb in students.items():
        tiny.submit(serial, student, nb)
    done = {}
    nbgrader = threading.Thread(target=lambda: done.update(serial=run_nbgrader(
        serial, "autograde", tiny.TINY, "--force", f"--CourseDirectory.source_directory={tiny.FIXTURES}")))
    nbgrader.start()

    tiny.add_tiny_assignment(parallel)
    archive = tmp_path_factory.mktemp("lms") / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for student, nb in {**students, "crasher": students["student00"]}.items():
            zf.writestr(f"{student}_{tiny.TINY}.ipynb", nbformat.writes(nb))
    imported = tfcourse("--course-root", str(parallel), "import", str(archive), "--assignment", tiny.TINY)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(worker_pool, "WORKER_COMMAND", CRASHING_WORKER)
        result = tfcourse("--course-root", str(parallel), "grade", tiny.TINY, "--workers", "3")
    nbgrader.join()
    assert done["serial"].returncode == 0, done["serial"].stderr[-3000:]
    return {"serial": serial, "parallel": parallel, "import": imported, "grade": result,
            "students": sorted(students)}


@pytest.mark.nbgrader
@pytest.mark.slow
def test_import_places_every_file_of_the_zip(graded):
    """Does a real zip import put each student's notebook where nbgrader looks for it?"""
    code, out, _ = graded["import"]
    assert code == 0, out
    for student in [*graded["students"], "crasher"]:
        assert (graded["parallel"] / "submitted" / student / tiny.TINY / f"{tiny.TINY}.ipynb").is_file()


@pytest.mark.nbgrader
@pytest.mark.slow
def test_parallel_grades_match_serial_nbgrader(graded):
    """Do --workers 3 give the same grades, comments and flags as plain serial nbgrader, cell by cell?"""
    serial, parallel = dump(graded["serial"]), dump(graded["parallel"])
    parallel.pop((tiny.TINY, "crasher", tiny.TINY), None)
    # `tfcourse import` keeps each zip entry's time as the submission time (timestamp.txt); the serial
    # class was written straight into submitted/, without one. Everything else must be equal.
    assert all(entry.pop("timestamp") is not None for entry in parallel.values())
    assert all(entry.pop("timestamp") is None for entry in serial.values())
    assert parallel == serial
    scores = {k[1]: sum(g[0] for g in v["grades"].values()) for k, v in serial.items()}
    assert scores == {"student00": 5, "student01": 0, "student02": 2}


@pytest.mark.nbgrader
@pytest.mark.slow
def test_parallel_autograded_notebooks_match_serial(graded):
    """Is each autograded notebook identical to the one serial nbgrader writes, but for when cells ran?"""
    for student in graded["students"]:
        name = f"autograded/{student}/{tiny.TINY}/{tiny.TINY}.ipynb"
        assert without_run_times(graded["parallel"] / name) == without_run_times(graded["serial"] / name), name


@pytest.mark.nbgrader
@pytest.mark.slow
def test_worker_crash_loses_no_other_grade(graded):
    """When a worker dies mid-task, is only that student reported failed, with the reason, and everyone else graded?"""
    code, out, _ = graded["grade"]
    assert code == 1
    assert "graded 3 of 4 submission(s)" in out
    assert "FAILED crasher/00-tiny: worker crashed" in out
    with Gradebook(f"sqlite:///{graded['parallel'] / 'gradebook.db'}") as gb:
        graded_students = {s.student_id for s in gb.find_assignment(tiny.TINY).submissions
                           if s.notebooks[0].grades[0].auto_score is not None}
    assert graded_students == set(graded["students"])


@pytest.mark.nbgrader
@pytest.mark.slow
def test_grading_shows_progress_and_no_lock_errors(graded):
    """Does grade draw a progress bar with an ETA, and never hit 'database is locked'?"""
    _, out, err = graded["grade"]
    assert "ETA" in err and "4/4" in err
    logs = "".join(p.read_text() for p in (graded["parallel"] / ".tfcourse" / "logs").glob("*.log"))
    assert "database is locked" not in out + err + logs


@pytest.mark.nbgrader
@pytest.mark.slow
def test_already_graded_submissions_are_skipped(graded):
    """Without --force, does grade leave graded submissions alone?"""
    code, out, _ = tfcourse("--course-root", str(graded["parallel"]), "grade", tiny.TINY,
                            "--student", "student01")
    assert code == 0 and "nothing to grade" in out


@pytest.mark.nbgrader
@pytest.mark.slow
def test_failed_regrade_keeps_the_earlier_grade(graded, monkeypatch):
    """When regrading a student fails, are the earlier grade and autograded copy kept?"""
    root = graded["parallel"]
    before = dump(root)[(tiny.TINY, "student02", tiny.TINY)]
    monkeypatch.setattr(worker_pool, "WORKER_COMMAND", CRASHING_WORKER)
    monkeypatch.setenv("CRASH_ON", "student02")
    code, out, _ = tfcourse("--course-root", str(root), "grade", tiny.TINY, "--student", "student02",
                            "--force", "--workers", "1")
    assert code == 1 and "FAILED student02/00-tiny: worker crashed" in out
    assert dump(root)[(tiny.TINY, "student02", tiny.TINY)] == before
    assert (root / "autograded" / "student02" / tiny.TINY / f"{tiny.TINY}.ipynb").is_file()


@pytest.mark.nbgrader
@pytest.mark.slow
def test_regrade_keeps_manual_grades(graded):
    """Does regrading keep a grader's manual score and comment, and mark the cell for review as nbgrader does?"""
    root = graded["parallel"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.find_grade("00_circle_test", tiny.TINY, tiny.TINY, "student01").manual_score = 1.5
        gb.find_comment("00_circle", tiny.TINY, tiny.TINY, "student01").manual_comment = "see me"
        gb.db.commit()
    code, out, _ = tfcourse("--course-root", str(root), "grade", tiny.TINY, "--student", "student01", "--force")
    assert code == 0, out
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        grade = gb.find_grade("00_circle_test", tiny.TINY, tiny.TINY, "student01")
        assert (grade.manual_score, grade.auto_score, grade.needs_manual_grade) == (1.5, 0.0, True)
        assert gb.find_comment("00_circle", tiny.TINY, tiny.TINY, "student01").manual_comment == "see me"


@pytest.mark.parametrize("log, reason", [
    ("ERROR | Timeout waiting for execute reply (120s).", "timeout"),
    ("nbclient.exceptions.DeadKernelError: Kernel died", "kernel died"),
    ("nbformat.reader.NotJSONError: Notebook does not appear to be JSON: '{\"cells\": ['", "invalid notebook"),
    ("WARNING | Missing grade cell 01_compile_model_test encountered, adding to notebook", "missing cells"),
    ("WARNING | FLAGGED s1/01-training-steps/01-training-steps: every test held at zero", "integrity flag"),
])
def test_grading_logs_are_read_for_reasons(log, reason):
    """Does a grading log's timeout, dead kernel, damaged notebook, missing cell or flag become a named reason?"""
    assert autograde.problems_in(log) == [reason]


@pytest.mark.nbgrader
@pytest.mark.slow
def test_submission_for_another_assignment_is_refused(graded):
    """Is a folder holding another assignment's notebook reported, with a one-line reason?"""
    folder = graded["parallel"] / "submitted" / "mixup" / tiny.TINY
    folder.mkdir(parents=True)
    (folder / "01-training-steps.ipynb").write_text("{}")
    code, out, _ = tfcourse("--course-root", str(graded["parallel"]), "grade", tiny.TINY,
                            "--student", "mixup")
    assert code == 1
    assert "FAILED mixup/00-tiny: wrong assignment: submission for another assignment" in out


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.parametrize("argv, message", [
    (["grade", "99"], "unknown assignment '99'"),
    (["grade", "01", "--student", "nobody"], "no submission from nobody"),
])
def test_bad_grade_arguments_get_one_line(graded, argv, message):
    """Do an unknown assignment or student each get a one-line explanation and a non-zero exit?"""
    code, _, err = tfcourse("--course-root", str(graded["parallel"]), *argv)
    assert code == 1 and message in err and err.count("\n") == 1, err


def test_wrong_course_root_gets_one_line(tmp_path):
    """Is a course root without submissions explained in one line?"""
    code, _, err = tfcourse("--course-root", str(tmp_path / "nowhere"), "grade", "all")
    assert code == 1 and "has no submitted/ folder" in err and err.count("\n") == 1, err
