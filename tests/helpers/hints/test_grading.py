"""helpers.hints in a real Jupyter kernel and under real nbgrader: the traceback stays, the cell still fails, grades are unchanged.

Two runs, each started once per module: a small notebook executed by
nbclient in a real kernel, and notebook 01 graded by real ``nbgrader
autograde`` for a student whose wrong answers raise errors that get hints.
(The reference answers' full marks with hints on are checked by
``tests/notebooks/test_autograde.py``.)
"""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.hints import PREFIX
from tests import harness

SETUP = """\
from helpers import tf, hints
hints.enable()
hints.enable()
import numpy as np
keras = tf.keras
x = np.zeros((8, 64), "float32")
y = np.zeros(8, "int64")"""
MISTAKE = """\
model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
model.fit(x, y, verbose=0)"""
CORRECT = """\
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
print(model.evaluate(x, y, verbose=0))"""
CELLS = {"setup": SETUP, "mistake": MISTAKE, "magic": "%hint", "unrelated": "1 / 0", "correct": CORRECT}


@pytest.fixture(scope="module")
def kernel_run() -> tuple[dict, dict]:
    """``({cell name: outputs}, {cell name: execute_reply status})`` from one real kernel run."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS.values()])
    statuses = []
    client = NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=300,
                            resources={"metadata": {"path": str(harness.SOLUTIONS.parent)}})
    client.on_cell_executed = lambda cell, cell_index, execute_reply: statuses.append(
        execute_reply["content"]["status"])
    client.execute(env={**os.environ, "MPLBACKEND": "Agg"})
    return dict(zip(CELLS, (c.outputs for c in nb.cells))), dict(zip(CELLS, statuses))


def text(outputs: list, name: str = "stdout") -> str:
    return "".join(o.get("text", "") for o in outputs if o.output_type == "stream" and o.name == name)


def test_kernel_error_keeps_its_traceback_and_fails_the_cell(kernel_run):
    """In a real kernel, does a hinted error still produce the error output and an 'error' execute reply?"""
    outputs, statuses = kernel_run
    assert statuses["mistake"] == "error"
    kinds = [o.output_type for o in outputs["mistake"]]
    assert "error" in kinds, kinds
    error = next(o for o in outputs["mistake"] if o.output_type == "error")
    assert error.ename == "ValueError" and "dtype='string'" in error.evalue and len(error.traceback) > 1


def test_kernel_prints_one_hint_below_the_traceback(kernel_run):
    """Is the hint printed once, on stdout, after the error output (enable() was called twice)?"""
    outputs, _ = kernel_run
    kinds = [o.output_type for o in outputs["mistake"]]
    hint_at = next(i for i, o in enumerate(outputs["mistake"]) if PREFIX in o.get("text", ""))
    assert kinds.index("error") < hint_at
    assert text(outputs["mistake"]).count(PREFIX) == 1 and "metrics=[" in text(outputs["mistake"])
    assert text(outputs["mistake"], "stderr") == ""


def test_kernel_hint_magic_repeats_the_last_hint(kernel_run):
    """Does %hint in the next cell print the hint for the error before it?"""
    outputs, statuses = kernel_run
    assert statuses["magic"] == "ok" and "metrics=[" in text(outputs["magic"])


def test_kernel_unrelated_error_and_correct_code_get_no_hint(kernel_run):
    """Does an unrelated error keep its traceback without a hint, and correct code run silently?"""
    outputs, statuses = kernel_run
    assert statuses["unrelated"] == "error" and statuses["correct"] == "ok"
    assert [o.ename for o in outputs["unrelated"] if o.output_type == "error"] == ["ZeroDivisionError"]
    for name in ("unrelated", "correct", "setup"):
        assert PREFIX not in text(outputs[name]), name
        assert text(outputs[name], "stderr") == "", name


# --- real nbgrader ----------------------------------------------------------------------------

ASSIGNMENT = "01-training-steps"


def wrong_answers() -> dict[str, str]:
    """Reference answers with two mistakes that raise hinted errors inside test cells."""
    answers = harness.reference_answers(ASSIGNMENT)
    compile_answer = answers["01_compile_model"]
    start = compile_answer.index("    model.compile(")
    end = compile_answer.index("    return model")
    answers["01_compile_model"] = (compile_answer[:start] + "    model.compile(keras.optimizers.Adam(learning_rate), "
                                   "'sparse_categorical_crossentropy', ['accuracy'])\n" + compile_answer[end:])
    answers["01_build_subclassed"] = answers["01_build_subclassed"].replace(
        "np.zeros((1, input_dim)", "np.zeros((input_dim,)")
    return answers


@pytest.fixture(scope="module")
def graded_with_hints(tmp_path_factory):
    root = Path(tmp_path_factory.mktemp("hints-root"))
    submission = harness.make_submission(ASSIGNMENT, wrong_answers())
    done, grades = harness.autograde(root, ASSIGNMENT, {"hinted": submission})
    autograded = root / "autograded" / "hinted" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return done, grades["hinted"], harness.read_notebook(autograded)


@pytest.mark.nbgrader
@pytest.mark.slow
def test_nbgrader_failing_test_cells_score_zero_with_hints_on(graded_with_hints):
    """Under real nbgrader, do test cells that fail with a hinted error score zero, and the others full marks?"""
    done, result, _ = graded_with_hints
    assert done.returncode == 0, done.stderr[-3000:]
    assert result.cells["01_compile_model_test"][0] == 0
    assert result.cells["01_build_subclassed_test"][0] == 0
    others = {k: v for k, v in result.cells.items() if k not in ("01_compile_model_test", "01_build_subclassed_test")}
    assert all(score == top for score, top in others.values()), others
    assert not result.needs_manual_grade


@pytest.mark.nbgrader
@pytest.mark.slow
def test_nbgrader_feedback_shows_traceback_then_hint(graded_with_hints):
    """Does the autograded notebook keep each failing test's traceback, with the hint below it?"""
    *_, nb = graded_with_hints
    for grade_id, fix in (("01_compile_model_test", "metrics=["), ("01_build_subclassed_test", "x[np.newaxis]")):
        cell = next(c for c in nb.cells if harness.grade_id(c) == grade_id)
        kinds = [o.output_type for o in cell.outputs]
        hint_at = next(i for i, o in enumerate(cell.outputs) if PREFIX in o.get("text", ""))
        assert "error" in kinds and kinds.index("error") < hint_at, (grade_id, kinds)
        assert fix in cell.outputs[hint_at].text, (grade_id, cell.outputs[hint_at].text)
