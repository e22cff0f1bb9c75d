"""``tfcourse feedback``: one HTML page per student and assignment, with nbgrader's generate_feedback.

Hidden tests stay hidden: by default each page keeps a hidden test cell's
points, pass or fail and message, but not its code (nbgrader shows it: its
issues #917 and #1363). ``release=True`` then puts the pages in the nbgrader
exchange (nbgrader's ``release_feedback``), where students fetch them from
JupyterLab's Assignment List or with ``nbgrader fetch_feedback``.
"""
from __future__ import annotations

from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor
from nbgrader.apps import NbGraderAPI
from nbgrader.preprocessors import GetGrades

from autograder.nbgrader_api import load_config, require_success
from autograder.paths import course_root, resolve_assignment

BEGIN, END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
PLACEHOLDER = "# (hidden tests ran here; their code is not shown)"


class HideHiddenTests(Preprocessor):
    """Replace each hidden-test region with one comment, and a failing cell's traceback with its message.

    A traceback quotes the lines around the failure, so it could show hidden
    code; ``AssertionError: add(-1, 1): expected 0`` is what the student needs.
    """

    enabled = True  # nbconvert runs a registered preprocessor only when enabled

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or BEGIN not in cell.source:
            return cell, resources
        kept, hiding = [], False
        for line in cell.source.splitlines():
            if BEGIN in line:
                hiding = True
                kept.append(line[: len(line) - len(line.lstrip())] + PLACEHOLDER)
            elif END in line:
                hiding = False
            elif not hiding:
                kept.append(line)
        cell.source = "\n".join(kept)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources


FEEDBACK_HIDING_HIDDEN_TESTS = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]  # the course's default
FEEDBACK_SHOWING_HIDDEN_TESTS = [GetGrades, CSSHTMLHeaderPreprocessor]  # nbgrader's default


def feedback_api(root: Path, show_hidden: bool = False, exchange: str | Path | None = None) -> NbGraderAPI:
    """nbgrader's API whose generate_feedback hides hidden tests unless ``show_hidden``."""
    config = load_config(root)
    config.GenerateFeedback.preprocessors = (
        FEEDBACK_SHOWING_HIDDEN_TESTS if show_hidden else FEEDBACK_HIDING_HIDDEN_TESTS)
    if exchange:
        Path(exchange).mkdir(parents=True, exist_ok=True)
        config.Exchange.root = str(Path(exchange).resolve())
    return NbGraderAPI(config=config)


def generate_feedback(
    which: str = "all", root: str | Path | None = None, student: str | None = None,
    show_hidden: bool = False, release: bool = False, exchange: str | Path | None = None,
) -> list[Path]:
    """Write ``<root>/feedback/STUDENT/ASSIGNMENT/*.html`` from the autograded notebooks.

    Args:
        which: ``"01"``, an assignment id, or ``"all"`` (every graded one).
            Defaults to ``"all"``.
        root: The course root. Defaults to ``autograder.paths.course_root()``.
        student: Only this student. Defaults to everyone graded.
        show_hidden: Keep the hidden tests' code in the pages. Defaults to
            ``False``: their results and messages only.
        release: Also put the pages in the exchange for students to fetch.
            Defaults to ``False``.
        exchange: The exchange folder. Defaults to nbgrader's ``Exchange.root``.

    Returns:
        The HTML files written.

    Raises:
        FileNotFoundError: nothing has been graded yet.

    >>> generate_feedback("01", "classroom", release=True)  # doctest: +SKIP
    """
    resolved = course_root(root)
    autograded = resolved / "autograded"
    graded = sorted({p.name for p in autograded.glob("*/*") if p.is_dir()})
    if not graded:
        raise FileNotFoundError(f"nothing is graded in {resolved}: run `tfcourse grade` first")
    chosen = graded if which == "all" else [which if which in graded else resolve_assignment(which)]
    api = feedback_api(resolved, show_hidden, exchange)
    for assignment in chosen:
        require_success(api.generate_feedback(assignment, student, force=True), f"write feedback for {assignment}")
        if release:
            require_success(api.release_feedback(assignment, student),
                            f"release feedback for {assignment} to the exchange")
    pattern = f"{student or '*'}/*/*.html"
    return sorted(p for p in (resolved / "feedback").glob(pattern) if p.parent.name in chosen)
