"""Keep library noise on stderr from costing a correct answer its points.

nbgrader scores a test cell zero when it has an ``error`` output *or* any
``stderr`` stream output. TensorFlow and Keras write warnings and C++ log lines
to stderr on their own, so a correct answer could lose its points. This
preprocessor runs after execution and before grades are saved. In test cells
it turns ``stderr`` streams into ``stdout`` streams marked ``[stderr]``. The
text stays visible in the feedback. A failing test raises, which leaves an
``error`` output, so failures still score zero.
"""
from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.cells import is_test

MARK = "[stderr] "


class StderrIsNotFailure(NbGraderPreprocessor):
    """Mark stderr output of test cells as output, not as failure."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if not is_test(cell):
            return cell, resources
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["name"] = "stdout"
                output["text"] = "".join(
                    MARK + line for line in output.get("text", "").splitlines(keepends=True)
                )
        return cell, resources
