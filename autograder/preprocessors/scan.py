"""Read every student cell before anything runs, and flag code that tampers with grading.

Runs in the sanitize step, after ``OverwriteCells`` has restored the locked
cells. A cell is the student's unless its source is, word for word, a
non-exercise cell of the instructor's notebook (setup, worked examples, test
cells, with or without their hidden tests; leading comments aside). Student
cells are parsed as IPython would run them (magics and ``!`` lines become
``get_ipython()`` calls) and checked against the static rules
(``autograder.code_scan``), and compared with the reference answers'
syntax trees (``autograder.code_scan.similarity``).

The scan is a review aid wherever the grader judges the tests outside the
kernel (``autograder.judge.coverage``): there nothing in a cell can change a
verdict by itself, so patched comparisons, fake values, answer-key use and the
like are notes for review, with the line and the reason. Code that can reach
past the kernel (imports, ``eval``/``exec``/``open``, shell escapes,
interpreter internals: ``rules.REACHES_OUTSIDE``) is a note too when the kernel
runs in the sandbox (``autograder.kernels.jail``): it can reach nothing there
but its own files. What could still change a verdict becomes a flag
(``autograder.findings``): the notebook is not executed and every test is held
at zero. That is code that reaches past the kernel when grading runs without
the sandbox (``--unsafe-no-sandbox``), and any finding in a notebook whose
tests are still judged in the kernel. Findings that can never change a verdict
(the answer key, a string, a builtin replaced in the student's own namespace)
are always notes.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder import findings
from autograder.cells import grade_id, is_test
from autograder.code_scan import rules
from autograder.code_scan.scanner import parse, scan
from autograder.code_scan.similarity import copies_of_the_reference
from autograder.judge.coverage import judged_outside
from autograder.preprocessors import ungradable

_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[ \t]*\n?", re.M | re.S)


def normalise(source: str) -> str:
    """The source without leading comments and blank lines (nbgrader prefixes a comment to restored cells)."""
    lines = source.strip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
        lines.pop(0)
    return "\n".join(lines).strip()


def holds(finding: rules.Finding, judged_outside_kernel: bool, sandboxed: bool) -> bool:
    """Does ``finding`` hold its notebook at zero (a flag), rather than being a note for review?

    >>> reach = rules.Finding("import", 1, "imports subprocess, which no answer needs")
    >>> holds(reach, judged_outside_kernel=True, sandboxed=True), holds(reach, True, sandboxed=False)
    (False, True)
    >>> holds(rules.Finding("fake-value", 1, "class Yes defines __eq__"), judged_outside_kernel=False, sandboxed=True)
    True
    """
    if not finding.hold:
        return False
    return not judged_outside_kernel or (finding.rule in rules.REACHES_OUTSIDE and not sandboxed)


class ScanStudentCode(NbGraderPreprocessor):
    """Flag student cells that break a rule of ``autograder.code_scan``; the instructor's own cells are exempt."""

    source_directory = Unicode(
        "", help="Folder of the instructor notebooks ({source_directory}/{assignment}/{notebook}.ipynb)."
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        ungradable.flag_if_ungradable(nb, resources)
        trusted = self._instructor_cells(resources)
        context = rules.Context()
        trees: dict[int, ast.Module] = {}
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            tree = parse(cell.source)
            if tree is None:
                continue
            rules.learn(tree, context)
            if is_test(cell):
                rules.learn_tests(tree, context)
            if normalise(cell.source) not in trusted:
                trees[index] = tree
        review_only = judged_outside(nb.cells)
        confined = review_only and self._sandboxed()
        number = resources["nbgrader"]["assignment"][:2]
        for index, tree in trees.items():
            for finding in [*scan(tree, context), *copies_of_the_reference(tree, number)]:
                where = grade_id(nb.cells[index]) or f"cell {index + 1}"
                if holds(finding, review_only, confined):
                    findings.record(nb, "flags", f"{where}: {finding}", index)
                else:
                    findings.record(nb, "notes", f"for review: {where}: {finding}", index)
        return nb, resources

    def _sandboxed(self) -> bool:
        """Will this notebook's kernel run in the sandbox (the course's kernel manager, not switched off)?"""
        from autograder.kernels import jail

        settings = self.config.get("SandboxedKernelManager", {})
        return not settings.get("unsafe_no_sandbox", jail.unsafe())

    def _instructor_cells(self, resources: ResourcesDict) -> set[str]:
        """Sources of the instructor's non-exercise code cells (with and without their hidden tests)."""
        info = resources["nbgrader"]
        trusted: set[str] = set()
        with Gradebook(info["db_url"]) as gb:
            notebook = gb.find_notebook(info["notebook"], info["assignment"])
            trusted |= {normalise(c.source) for c in notebook.source_cells if c.locked and c.cell_type == "code"}
        path = Path(self.source_directory) / info["assignment"] / f"{info['notebook']}.ipynb"
        if self.source_directory and path.exists():
            for cell in nbformat.read(str(path), as_version=4).cells:
                if cell.cell_type == "code" and not utils.is_solution(cell):
                    trusted |= {normalise(cell.source), normalise(_HIDDEN.sub("", cell.source))}
        return trusted
