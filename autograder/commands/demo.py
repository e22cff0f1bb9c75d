"""``tfcourse demo``: the instructor's side in one command, on three demo students.

In a temporary course root (course/ and the real classroom are untouched):
release the notebooks into a fresh gradebook, hand in three submissions per
notebook, grade them in parallel, write their feedback and the report, print
the grade table, and check every test cell's score:

- ``reference``: the solutions' answers; every test cell gets full points;
- ``blank``: the untouched student notebook; every test cell gets zero;
- ``partial``: the first half of the exercises answered (reference answers),
  the rest left blank; exactly the tests of the answered exercises pass.
"""
from __future__ import annotations

import copy
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.api import Gradebook, MissingEntry

from autograder import cells
from autograder.commands.feedback import generate_feedback
from autograder.commands.release import release
from autograder.commands.report import write_report
from autograder.grading.autograde import grade
from autograder.grading.progress import ProgressBar
from autograder.nbgrader_api import open_api
from autograder import paths
from autograder.paths import assignments, resolve_assignment

STUDENTS = ("reference", "blank", "partial")


def reference_answers(assignment: str, solutions: Path | None = None) -> dict[str, str]:
    """The solution notebook's answers as a student would write them, by exercise grade id."""
    solutions = solutions or paths.SOLUTIONS
    return cells.reference_answers(nbformat.read(str(solutions / assignment / f"{assignment}.ipynb"), as_version=4))


def demo_submissions(
    assignment: str, solutions: Path | None = None, course: Path | None = None
) -> tuple[dict[str, NotebookNode], dict[str, dict[str, float]]]:
    """The three demo students' notebooks, and each one's expected score per test cell.

    Args:
        assignment: The assignment id.
        solutions: The instructor notebooks' folder. Defaults to solutions/.
        course: The student notebooks' folder. Defaults to course/.
    """
    course = course or paths.COURSE
    released = nbformat.read(str(course / assignment / f"{assignment}.ipynb"), as_version=4)
    answers = reference_answers(assignment, solutions)
    exercises = list(answers)
    answered = {"reference": set(exercises), "blank": set(),
                "partial": set(exercises[: (len(exercises) + 1) // 2])}
    notebooks, expected = {}, {}
    for student, chosen in answered.items():
        nb = copy.deepcopy(released)
        owner, scores = None, {}
        for cell in nb.cells:
            if cells.is_exercise(cell):
                owner = cells.grade_id(cell)
                if owner in chosen:
                    cell.source = answers[owner]
            elif cells.is_test(cell):
                scores[cells.grade_id(cell)] = cells.points(cell) if owner in chosen else 0.0
        notebooks[student], expected[student] = nb, scores
    return notebooks, expected


def _chosen(notebooks: str) -> list[str]:
    if notebooks == "all":
        return assignments()
    return [resolve_assignment(n.strip()) for n in notebooks.split(",") if n.strip()]


def grade_table(gb: Gradebook, chosen: list[str]) -> str:
    """A Markdown table: one row per demo student, one column per assignment, and the total."""
    lines = ["| student | " + " | ".join(chosen) + " | total |", "|---" * (len(chosen) + 2) + "|"]
    for student in STUDENTS:
        cells, got, top = [], 0.0, 0.0
        for assignment in chosen:
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                cells.append("not graded")
                continue
            cells.append(f"{sub.score:g}/{sub.max_score:g}")
            got, top = got + sub.score, top + sub.max_score
        lines.append(f"| {student} | " + " | ".join(cells) + f" | {got:g}/{top:g} |")
    return "\n".join(lines)


def mismatches(gb: Gradebook, expected: dict[str, dict[str, dict[str, float]]]) -> list[str]:
    """Every test cell whose score differs from the expected one, as readable lines."""
    wrong = []
    for assignment, students in expected.items():
        for student, scores in students.items():
            try:
                nb = gb.find_submission_notebook(assignment, assignment, student)
            except MissingEntry:
                continue  # reported as a failure to grade
            got = {g.name: g.score for g in nb.grades}
            for cell, want in scores.items():
                if got.get(cell) != want:
                    wrong.append(f"{student}/{assignment}/{cell}: expected {want:g}, got {got.get(cell)}")
    return wrong


def run_demo(notebooks: str = "all", root: str | Path | None = None, workers: int | None = None) -> bool:
    """Run the demo; print what happens and the grade table.

    Args:
        notebooks: ``"all"`` or comma-separated numbers such as ``"01,02"``.
            Defaults to ``"all"``.
        root: A course root to use and keep. Defaults to a temporary folder.
        workers: Grading workers. Defaults to the number of cores.

    Returns:
        True when every test cell got exactly the expected score.
    """
    chosen = _chosen(notebooks)
    with tempfile.TemporaryDirectory(prefix="tfcourse-demo-") as scratch:
        course = Path(root) if root else Path(scratch) / "course-root"
        print(f"demo course root: {course}")
        expected = {}
        for assignment in chosen:
            release(assignment, course, release_dir=course / "release")
            subs, expected[assignment] = demo_submissions(assignment, course=course / "release")
            for student, nb in subs.items():
                path = course / "submitted" / student / assignment / f"{assignment}.ipynb"
                path.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, str(path))
        print(f"released {', '.join(chosen)}; submitted {', '.join(STUDENTS)}")
        outcomes = grade("all", course, workers=workers, force=True, progress=ProgressBar())
        failed = [f"{o.student}/{o.assignment}: {o.detail}" for o in outcomes if not o.graded]
        pages = generate_feedback("all", course)
        print(f"feedback: {len(pages)} HTML page(s) in {course / 'feedback'}")
        report = write_report(course)
        print(f"report: {report[-1]}")
        api = open_api(course)
        with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
            print(grade_table(gb, chosen))
            wrong = failed + mismatches(gb, expected)
    for line in wrong:
        print(f"UNEXPECTED {line}", file=sys.stderr)
    print("demo: every grade is as expected" if not wrong else f"demo: {len(wrong)} unexpected grade(s)")
    return not wrong
