"""nbgrader's ``OverwriteCells``, with deleted graded cells put back wherever they were.

nbgrader's ``add_missing_cells`` puts a deleted graded cell back after the
cell that preceded it in the instructor's notebook, and fails (leaving the
submission in "needs manual grade") when that cell was deleted too. Here a
missing cell goes where ``autograder.cells.restore_position`` says (after the
nearest earlier cell that is present, else before the nearest later one, else
at the end; ``tfcourse check`` follows the same rule), and each restored cell
is noted in the gradebook. A cell that claims a grade id the gradebook does not
know loses its nbgrader metadata (nbgrader would otherwise fail on it).
"""
from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import OverwriteCells

from autograder import findings
from autograder.cells import grade_id, restore_position
from autograder.preprocessors.ungradable import RESOURCE


class RestoreMissingCells(OverwriteCells):
    """Restore changed cells as nbgrader does, and put back deleted graded cells robustly."""

    def add_missing_grade_cells(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in source_nb.source_cells]
        solutions = {cell.name for cell in source_nb.solution_cells}
        for grade_cell in source_nb.grade_cells:
            present = [grade_id(c) for c in nb.cells]
            if grade_cell.name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_cell.name)
            source_cell = source_nb.source_cells[order.index(grade_cell.name)]
            new = self.missing_cell_transform(source_cell, grade_cell.max_score,
                                              is_solution=grade_cell.name in solutions)
            nb.cells.insert(restore_position(order, grade_cell.name, present), new)
            if not resources.get(RESOURCE):  # an unreadable file: every cell is "missing", say it once
                findings.record(nb, "notes", f"cell {grade_cell.name} was deleted; the original was put back.",
                               nb.cells.index(new))
        return nb, resources

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, cell_index: int):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        meta = cell.metadata.get("nbgrader")
        if meta is not None and "grade_id" not in meta:  # a grade id the gradebook does not know: not graded
            del cell.metadata["nbgrader"]
        return cell, resources

    def add_missing_task_cells(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        for cell in nb.cells:  # nbgrader's version fails on nbgrader metadata without a grade id
            if "nbgrader" in cell.metadata and "grade_id" not in cell.metadata["nbgrader"]:
                del cell.metadata["nbgrader"]
        return super().add_missing_task_cells(nb, resources)
