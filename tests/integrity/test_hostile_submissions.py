"""Hostile, broken and noisy submissions of notebook 01 under real ``nbgrader autograde`` (issue 8's catalogue).

The numbers in the docstrings are the catalogue's. ``runs["full"]`` uses the
course configuration; ``runs["runtime"]`` switches the static scan off so the
run-time defences are tested on their own.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from nbgrader.api import Gradebook  # noqa: F401 - imported early so a broken install fails here
from tests import harness
from tests.harness import GradedNotebook
from tests.integrity import students as s

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]

SEQ, FUNC, SUB, COMP = (f"01_{n}_test" for n in ("build_sequential", "build_functional", "build_subclassed",
                                                    "compile_model"))


def _cell(nb, grade_id):
    cells = [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id]
    assert len(cells) == 1, f"{grade_id} appears {len(cells)} times"
    return cells[0]


def _errors(cell) -> str:
    return "\n".join(f"{o['ename']}: {o['evalue']}" for o in cell.get("outputs", []) if o["output_type"] == "error")


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o["output_type"] == "stream")


def _graded(run, student) -> GradedNotebook:
    result = run.grades[student]
    assert isinstance(result, GradedNotebook), f"{student} has no gradebook record: {result!r}"
    assert not result.needs_manual_grade, f"{student} was left in 'needs manual grade': {result.cells}"
    assert result.max_score == 8, f"{student}'s maximum changed: {result.cells}"
    return result


# --- the batch ---------------------------------------------------------------------------------------------


def test_every_submission_gets_a_record_and_only_the_renamed_one_errs(runs):
    """Does one batch with every hostile submission finish with a grade for each, and no other nbgrader error? (18)"""
    run = runs["full"]
    for student in run.grades:
        _graded(run, student)
    errors = [line for line in run.done.stderr.splitlines() if "There was an error processing assignment" in line]
    assert errors and all("renamed" in line for line in errors), errors
    print(f"\nfull run: {run.seconds:.0f} s; run-time run: {runs['runtime'].seconds:.0f} s")


def test_runtime_batch_exits_cleanly(runs):
    """Do dead, crashed and stuck kernels leave nbgrader's exit status at 0? (11, 12)"""
    assert runs["runtime"].done.returncode == 0, runs["runtime"].done.stderr[-3000:]


# --- sanitising ----------------------------------------------------------------------------------------------


def test_edited_test_cell_is_restored_and_runs(runs):
    """Does a test cell rewritten to pass get its original source back, and fail on a blank answer? (1)"""
    run = runs["full"]
    assert _graded(run, "tamperer").cells[SEQ] == (0, 2)
    original = next(c.source for c in harness.solution_notebook(s.A).cells if harness.grade_id(c) == SEQ)
    restored = _cell(run.notebook("tamperer"), SEQ).source
    same_seeds = re.compile(r"\bseed=\d+")  # hidden tests' seeds are drawn afresh for each run
    assert same_seeds.sub("seed=N", restored.strip()) == same_seeds.sub("seed=N", original.strip())


def test_tampered_metadata_is_restored(runs):
    """Do 100 points, an unlocked flag and a markdown cell type on a test cell all revert, and does a cell
    claiming an unknown grade id earn nothing? (2)"""
    run = runs["full"]
    assert _graded(run, "tamperer").cells[FUNC] == (0, 2)
    assert "01_bonus_points" not in run.grades["tamperer"].cells
    assert _cell(run.notebook("tamperer"), FUNC).cell_type == "code"


def test_hidden_tests_catch_an_answer_hardcoded_for_the_visible_inputs(runs):
    """Does an answer right only for the visible test's sizes fail on the hidden tests' fresh inputs? (15)"""
    cell = _cell(runs["full"].notebook("tamperer"), FUNC)
    assert "(20, 7, 3)" in _errors(cell), "the visible part should pass and a hidden size fail"


def test_deleted_exercise_and_test_are_put_back_and_score_zero(runs):
    """Does deleting an exercise and its test together give zero, a note, and no manual grading? (3)"""
    run = runs["full"]
    assert _graded(run, "tamperer").cells[COMP] == (0, 2)
    assert "NameError" in _errors(_cell(run.notebook("tamperer"), COMP)), "the restored test must run"
    assert any("01_compile_model_test was deleted" in f for f in run.findings("tamperer"))


def test_duplicated_cells_are_graded_once_with_a_note(runs):
    """Is a duplicated exercise and test graded once (the last copy), with a note saying so? (4)"""
    run = runs["full"]
    assert _graded(run, "tamperer").cells[SUB] == (2, 2)
    _cell(run.notebook("tamperer"), SUB)
    assert any("01_build_subclassed appeared 2 times" in f for f in run.findings("tamperer"))


@pytest.mark.parametrize("student", ["tamperer", "patch_numpy"])
def test_saved_outputs_are_cleared(runs, student):
    """Are fake passing outputs saved in the file gone from the graded notebook, run or not? (5)"""
    nb = runs["full"].notebook(student)
    assert not any(s.FAKE_PASS in _text(c) for c in nb.cells if c.cell_type == "code")


# --- static scan --------------------------------------------------------------------------------------------


# Every route runs: its kernel is in the sandbox and its verdicts are judged outside it (issues 15 and 16), so
# nothing it does can change a grade. It is flagged for review and scores exactly what its honest answers deserve.
# The input transformer turns its own later cells, tests included, into `pass`, so it earns nothing; the shell
# escape deletes nothing but in its own folder. Without the sandbox (--unsafe-no-sandbox) the routes that reach past
# the kernel are held at zero unrun (tests/autograder/preprocessors/test_scan_holds.py).
REVIEWED = {"always_equal": 2, "patch_numpy": 2, "reference_call": 8, "grading_sniff": 8, "input_transformer": 0,
            "shell_escape": 8, "showtraceback": 6}


def test_static_routes_are_all_in_one_list():
    assert sorted(REVIEWED) == sorted(s.STATIC)


@pytest.mark.parametrize("student", sorted(REVIEWED))
def test_tampering_in_the_kernel_is_flagged_for_review_and_earns_nothing(runs, student):
    """Do shell escapes, IPython hooks, patched comparisons, objects equal to anything and the answer key earn
    exactly what the honest answers deserve, with a note for review naming the line? (6, 7, 8, 12, 14, 15)"""
    run = runs["full"]
    assert _graded(run, student).score == REVIEWED[student], run.grades[student].cells
    notes = [f for f in run.findings(student) if "for review" in f]
    assert notes and all("line" in f for f in notes), run.findings(student)
    assert not [f for f in run.findings(student) if f.startswith("[integrity flag]") and "held at zero" in f]


# --- resources ----------------------------------------------------------------------------------------------


def test_infinite_loop_times_out_and_everything_else_is_graded(runs):
    """Does an endless loop cost only its own cell, with every test still earning its points? (9)"""
    run = runs["full"]
    assert _graded(run, "hog").score == 8, run.grades["hog"].cells
    loop = next(c for c in run.notebook("hog").cells if c.source == s.LOOP)
    assert "CellTimeoutError" in _errors(loop)


def test_flood_of_output_is_capped_while_it_streams(runs):
    """Is 60 MB of printed output cut to the cap, keeping the graded notebook small? (10)"""
    run = runs["full"]
    flood = next(c for c in run.notebook("hog").cells if c.source == s.FLOOD)
    assert 0 < len(_text(flood)) <= 1_100_000
    assert "the grader dropped the rest" in _text(flood)
    assert (run.root / "autograded" / "hog" / s.A / f"{s.A}.ipynb").stat().st_size < 3_000_000


def test_memory_bomb_hits_the_kernel_limit(runs):
    """Does allocating 8 GiB fail inside the kernel (MemoryError) while the other cells keep their marks? (11)"""
    bomb = next(c for c in runs["full"].notebook("hog").cells if c.source == s.BOMB)
    assert "MemoryError" in _errors(bomb)


# --- correct answers ----------------------------------------------------------------------------------------


def test_noisy_correct_answer_with_the_wrong_kernel_gets_full_marks(runs):
    """Does a right answer that writes to stderr, saved with an R kernelspec, score full marks? (16, 18)"""
    run = runs["full"]
    assert _graded(run, "noisy_a").score == 8, run.grades["noisy_a"].cells
    assert run.notebook("noisy_a").metadata["kernelspec"]["name"] == "python3"
    assert not run.findings("noisy_a")


def test_grading_the_same_unseeded_answer_twice_gives_the_same_score(runs):
    """Do two copies of the same unseeded submission get identical cell scores? (17)"""
    run = runs["full"]
    assert _graded(run, "noisy_a").cells == _graded(run, "noisy_b").cells


@pytest.mark.parametrize("student, reason", [("broken_json", "not a readable notebook"),
                                             ("renamed", "my-notebook.ipynb")])
def test_ungradable_files_score_zero_with_the_reason(runs, student, reason):
    """Do invalid JSON and a renamed notebook score zero with an 'ungradable' reason in the gradebook? (18)"""
    run = runs["full"]
    assert _graded(run, student).score == 0
    assert any("ungradable" in f and reason in f for f in run.findings(student)), run.findings(student)


# --- run-time defences alone (static scan off) --------------------------------------------------------------


@pytest.mark.parametrize("student, evidence", [
    ("transformer", "did not run to its end"),
    ("swallow", "IPython hooks installed"),
    ("monkeypatch", "helpers.checks"),
])
def test_runtime_tampering_is_caught_without_the_static_scan(runs, student, evidence):
    """Do hooks that skip cells or swallow errors, and checks patched out of sight of the scan, score zero? (7, 8)"""
    run = runs["runtime"]
    assert _graded(run, student).score == 0, run.grades[student].cells
    assert any(evidence in f for f in run.findings(student)), run.findings(student)


def test_hidden_tracebacks_still_fail_with_hints_enabled(runs):
    """With hints.enable() in the first cell and showtraceback and the custom handler silenced, does every
    failing test still record an error and score zero? (6)"""
    run = runs["runtime"]
    assert _graded(run, "quiet_failures").score == 0
    nb = run.notebook("quiet_failures")
    assert "hints.enable()" in nb.cells[s.SETUP].source
    for grade_id in (SEQ, FUNC, SUB, COMP):
        assert _errors(_cell(nb, grade_id)), f"{grade_id} has no error output"


@pytest.mark.parametrize("student, reason", [
    ("exit", "exited with status 3"),
    ("segfault", "SIGSEGV"),
    ("stubborn", "stopped answering"),
])
def test_dead_kernel_is_recorded_with_its_reason(runs, student, reason):
    """Does a kernel that exits, crashes or ignores interrupts keep earlier marks, zero the rest, and say why? (11, 12)"""
    run = runs["runtime"]
    result = _graded(run, student)
    assert result.cells[SEQ] == (2, 2) and result.score == 2, result.cells
    assert any(reason in f for f in run.findings(student)), run.findings(student)
    assert "NotRun" in _errors(_cell(run.notebook(student), COMP))


def test_processes_left_running_are_killed(runs):
    """Are daemons and children started by a notebook gone once it is graded, even when its kernel died? (13)"""
    leaks = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if s.LEAK_MONKEYPATCH in text or s.LEAK_EXIT in text:
            leaks.append(text)
    assert not leaks, leaks


def test_a_notebook_cannot_reach_the_fork_server_of_the_next_student(runs):
    """Can a notebook neither send the fork server (that forks the next student's kernel) a request of its own,
    through /proc, nor stall it? In the sandbox it cannot even see it (its own PID namespace)."""
    run = runs["runtime"]
    said = _text(run.notebook("poison").cells[s.SETUP + 1])
    assert "0 fork server(s) in sight" in said, said
    assert "request delivered" not in said and "stopped" not in said, said
    assert _graded(run, "poison_victim").score == 8, run.grades["poison_victim"].cells
    assert "Kernel ready in" in run.done.stderr and "(forked)" in run.done.stderr
