"""Read every student cell before anything runs, and flag code that tampers with grading.

Runs in the sanitize step, after ``OverwriteCells`` has restored the locked
cells. A cell is the student's unless its source is, word for word, a
non-exercise cell of the instructor's notebook (setup, worked examples, test
cells, with or without their hidden tests; leading comments aside). Student cells are parsed as
IPython would run them (magics and ``!`` lines become ``get_ipython()``
calls) and checked against ``code_rules``. Each finding becomes a flag on the
notebook (see ``verdict``): the notebook is not executed and every test is
held at zero, with the reason in the gradebook.
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

from autograder.preprocessors import code_rules, ungradable, verdict

_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[ \t]*\n?", re.M | re.S)


def as_ipython_runs_it(source: str) -> str:
    """The Python that IPython would compile for ``source`` (magics become function calls)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - nbgrader depends on IPython
        return source
    return TransformerManager().transform_cell(source)


def parse(source: str) -> ast.Module | None:
    """The cell's syntax tree, or ``None`` when it does not compile (then nothing in it runs either)."""
    try:
        return ast.parse(as_ipython_runs_it(source))
    except (SyntaxError, ValueError):
        return None


def normalise(source: str) -> str:
    """The source without leading comments and blank lines (nbgrader prefixes a comment to restored cells)."""
    lines = source.strip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
        lines.pop(0)
    return "\n".join(lines).strip()


def _defined_names(tree: ast.Module) -> set[str]:
    return {s.name for s in tree.body if isinstance(s, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))}


class ScanStudentCode(NbGraderPreprocessor):
    """Flag student cells that break a ``code_rules`` rule; the instructor's own cells are exempt."""

    source_directory = Unicode(
        "", help="Folder of the instructor notebooks ({source_directory}/{assignment}/{notebook}.ipynb)."
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        ungradable.flag_if_ungradable(nb, resources)
        trusted, exempt = self._instructor_cells(resources)
        context = code_rules.Context()
        trees: dict[int, ast.Module] = {}
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            tree = parse(cell.source)
            if tree is None:
                continue
            own = normalise(cell.source) in trusted
            code_rules.learn(tree, context, test_cell=own and utils.is_grade(cell), exempt=exempt)
            if not own:
                trees[index] = tree
        for index, tree in trees.items():
            for finding in code_rules.scan(tree, context):
                where = nb.cells[index].metadata.get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"
                verdict.record(nb, "flags", f"{where}: {finding}", index)
        return nb, resources

    def _instructor_cells(self, resources: ResourcesDict) -> tuple[set[str], set[str]]:
        """Sources of the instructor's non-exercise code cells, and the names the exercises define."""
        info = resources["nbgrader"]
        trusted: set[str] = set()
        exempt: set[str] = set()
        with Gradebook(info["db_url"]) as gb:
            notebook = gb.find_notebook(info["notebook"], info["assignment"])
            trusted |= {normalise(c.source) for c in notebook.source_cells if c.locked and c.cell_type == "code"}
        path = Path(self.source_directory) / info["assignment"] / f"{info['notebook']}.ipynb"
        if self.source_directory and path.exists():
            for cell in nbformat.read(str(path), as_version=4).cells:
                if cell.cell_type != "code":
                    continue
                if utils.is_solution(cell):
                    tree = parse(cell.source)
                    exempt |= _defined_names(tree) if tree else set()
                else:
                    trusted |= {normalise(cell.source), normalise(_HIDDEN.sub("", cell.source))}
        return trusted, exempt
