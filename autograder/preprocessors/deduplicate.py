"""nbgrader's ``DeduplicateIds``, plus a note in the gradebook that says which cells were duplicated.

As in nbgrader, the last copy of a cell keeps its grade id and is graded; the
earlier copies lose their nbgrader metadata. A duplicated test cell's earlier
copies are the instructor's code, so they are dropped rather than run twice.
This is the first course preprocessor of the sanitize step, so it also clears
any grading findings that a submission brought in its metadata.
"""
from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import DeduplicateIds

from autograder import findings
from autograder.cells import grade_id


class DeduplicateIdsWithNote(DeduplicateIds):
    """Keep the last copy of each graded cell and note the duplicates."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        findings.reset(nb)
        self.duplicates: dict[str, int] = {}
        self.dropped: set[int] = set()
        nb, resources = super().preprocess(nb, resources)
        nb.cells = [c for c in nb.cells if id(c) not in self.dropped]
        for cell in nb.cells:
            if cell.metadata.get("nbgrader") == {}:  # an empty dict trips nbgrader's add_missing_cells
                del cell.metadata["nbgrader"]
        for duplicated, extra in self.duplicates.items():
            index = next(i for i, c in enumerate(nb.cells) if grade_id(c) == duplicated)
            findings.record(nb, "notes", f"cell {duplicated} appeared {extra + 1} times; the last copy was graded.",
                           index)
        return nb, resources

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, cell_index: int):
        gid = grade_id(cell)
        duplicate = gid in self.grade_ids and (
            utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell))
        if duplicate:
            self.duplicates[gid] = self.duplicates.get(gid, 0) + 1
            if utils.is_locked(cell) and not utils.is_solution(cell):
                self.dropped.add(id(cell))
        return super().preprocess_cell(cell, resources, cell_index)
