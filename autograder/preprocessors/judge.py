"""Score each test cell from the grader's verdict on what the student's functions returned.

``JudgeObservations`` runs right after ``GuardedExecute``. For every test cell
it collects the observations the checks published (display messages of type
``helpers.checks.observed.OBSERVATION_MIME``) and asks the judge process
(``autograder.judge``) for a verdict, from the cell's source as the grader
released it. It then sets the cell's outputs to what that verdict says: a pass
keeps only the kernel's printed text and adds the grader's line (full points);
a fail keeps the kernel's text and tracebacks (with their hints) for feedback
and adds one error output with the grader's expected / got / hint message
(zero). An ``execute_result`` (nbgrader's partial credit), an error, or
anything else the kernel produced never decides the score by itself.

A test cell that calls anything other than observed checks keeps nbgrader's
own scoring from its outputs.
"""
from __future__ import annotations

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder import findings
from autograder.cells import grade_id, is_test
from autograder.judge import client

OBSERVATION_MIME = "application/vnd.tfcourse.observation+json"  # as helpers.checks.observed, without importing TF


def observations(cell: NotebookNode) -> list:
    """The observations a test cell's checks published, in order."""
    return [output["data"][OBSERVATION_MIME] for output in cell.get("outputs", [])
            if output.get("output_type") in ("display_data", "execute_result")
            and OBSERVATION_MIME in output.get("data", {})]


def kernel_error(cell: NotebookNode) -> str | None:
    """The first error the kernel reported in ``cell``, as ``Name: value`` (for the message only)."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename')}: {str(output.get('evalue'))[:300]}"
    return None


class JudgeObservations(NbGraderPreprocessor):
    """Replace each observed test cell's outputs with the grader's verdict."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        for cell in nb.cells:
            if is_test(cell) and cell.cell_type == "code" and cell.source.strip():
                self._judge(cell)
        return nb, resources

    def _judge(self, cell: NotebookNode) -> None:
        request = {"source": cell.source, "observations": observations(cell), "kernel_error": kernel_error(cell)}
        try:
            answer = client.ask(request)
        except client.JudgeError as error:
            answer = {"judged": True, "passed": False, "message": f"the grader could not judge this test: {error}"}
        if not answer.get("judged"):
            return
        self.log.debug("%s: %s", grade_id(cell), answer["message"])
        if answer["passed"]:
            kept = [o for o in cell.outputs if o.get("output_type") == "stream" and o.get("name") == "stdout"]
            cell.outputs = [*kept, nbformat.v4.new_output("stream", name="stdout", text=f"✓ {answer['message']}\n")]
        else:
            kept = [o for o in cell.outputs if o.get("output_type") in ("stream", "error")
                    or o.get("output_type") == "display_data" and OBSERVATION_MIME not in o.get("data", {})]
            cell.outputs = [*kept, findings.error_output("CheckFailed", answer["message"])]
