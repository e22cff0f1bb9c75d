"""The mutant maker on small cells: operators, solution regions, deduplication, stable ids, the report."""
from __future__ import annotations

import pytest

import ast

from tests.mutation import equivalent, report
from tests.mutation.mutants import bound_names, diff_line, make_mutants, solution_regions

CELL = '''def best(values, mode, k=3):
    """Not mutated: outside the solution region."""
    limit = k + 1
    ### BEGIN SOLUTION
    index = np.argmin(values, axis=-1) if mode == "min" else np.argmax(values)
    ok = index < limit and not math.floor(index) > 0
    loss = keras.losses.SparseCategoricalCrossentropy()
    y = model(x, training=True)
    return max(index, 0) - 1
    ### END SOLUTION
'''


def changes(cell: str = CELL) -> dict[str, list[str]]:
    """The mutants' code, by operator."""
    found: dict[str, list[str]] = {}
    for mutant in make_mutants("99_best", cell):
        found.setdefault(mutant.operator, []).append(mutant.source)
    return found


def test_solution_regions_are_the_lines_between_the_markers():
    """Are the regions the lines strictly inside each BEGIN/END SOLUTION pair?"""
    assert solution_regions(CELL) == [(5, 9)]


@pytest.mark.slow  # mutates every notebook's answers: 12-27 s each
def test_every_standard_operator_applies():
    """Does each operator the issue names make at least one mutant of a cell that offers it a site?"""
    found = changes()
    for operator in ("constant plus 1", "constant minus 1", "comparison flipped", "and/or swapped", "not removed",
                     "condition negated", "arguments swapped", "axis changed", "axis= dropped", "call removed",
                     "statement removed", "statements swapped", "training= flipped", "training= dropped",
                     "min/max", "argmin/argmax", "floor/ceil", "from_logits= flipped", "name string swapped",
                     "loss swapped"):
        assert operator in found, operator
    assert any("np.argmax(values, axis=-1) if mode" in code for code in found["argmin/argmax"])
    assert any("training=False" in code for code in found["training= flipped"])
    assert any("math.ceil(index)" in code for code in found["floor/ceil"])


def test_diff_line_shows_the_changed_part_of_a_long_line():
    """Does a survivor's diff show what changed, even far into a long line?"""
    old = "model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, validation_data=(x_val, y_val), verbose=0)"
    assert diff_line(old, old.replace("verbose=0", "verbose=1")) == "- …(x_val, y_val), verbose=0) / + …(x_val, y_val), verbose=1)"


@pytest.mark.slow  # mutates every notebook's answers: 12-27 s each
def test_code_outside_the_solution_region_is_never_mutated():
    """Is the line above ``### BEGIN SOLUTION`` (``limit = k + 1``) and the docstring left alone?"""
    for mutant in make_mutants("99_best", CELL):
        assert "limit = k + 1" in mutant.source and "Not mutated" in mutant.source


@pytest.mark.slow  # mutates every notebook's answers: 12-27 s each
def test_mutants_are_distinct_and_differ_from_the_reference():
    """Are mutants that unparse identically, or to the reference, dropped?"""
    mutants = make_mutants("99_best", CELL)
    sources = [m.source for m in mutants]
    assert len(sources) == len(set(sources))
    assert ast.unparse(ast.parse(CELL)) not in sources


@pytest.mark.slow  # mutates every notebook's answers: 12-27 s each
def test_ids_are_stable_and_unique():
    """Do two runs give the same ids, each naming its exercise and operator?"""
    first, second = make_mutants("99_best", CELL), make_mutants("99_best", CELL)
    assert [m.id for m in first] == [m.id for m in second]
    assert len({m.id for m in first}) == len(first)
    assert all(m.id.startswith("99_best/") for m in first)


def test_bound_names_cover_functions_classes_and_assignments():
    """Does the grader know which names to remove before running a mutant of a cell?"""
    assert bound_names("class A: pass\ndef f(): pass\nx, y = 1, 2\nimport numpy as np\n") == {"A", "f", "x", "y", "np"}


def test_report_counts_excused_survivors_out_of_the_rate(monkeypatch):
    """Is the kill rate killed / (made - excused), with unexplained survivors shown as grading gaps?"""
    monkeypatch.setitem(equivalent.EQUIVALENT, "99_best/x/1", "same result for every input")
    survivors = [{"id": "99_best/x/1", "operator": "x", "diff": "- a / + b"},
                 {"id": "99_best/x/2", "operator": "x", "diff": "- c / + d"}]
    entry = {"made": 20, "killed": 18, "timeouts": 1, "survivors": survivors, "reference_seconds": 0.1,
             "limit": 20, "seconds": 3}
    score = report.score(entry)
    assert score.rate == 18 / 19 and len(score.gaps) == 1
    text = report.render({"99-x": {"notebook_seconds": 1, "seconds": 4, "exercises": {"99_best": entry}}})
    assert "| 99_best | 20 | 18 | 2 | 1 | 1 | 94.7% **below target** | 3 |" in text
    assert "equivalent: same result for every input" in text and "**grading gap**" in text


def test_readme_table_is_replaced_between_its_markers(tmp_path):
    """Does the README's kill-rate table get regenerated in place, leaving the text around it alone?"""
    results = {"99-x": {"notebook_seconds": 1, "seconds": 4, "exercises": {"99_best": {
        "made": 10, "killed": 9, "timeouts": 0, "survivors": [{"id": "99_best/x/3", "operator": "x", "diff": ""}],
        "reference_seconds": 0.1, "limit": 20, "seconds": 3}}}}
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{report._BEGIN}\nold table\n{report._END}\nafter\n")
    report.update_readme(results, readme)
    text = readme.read_text()
    assert "old table" not in text and text.startswith("before\n") and text.endswith("after\n")
    assert "| 99-x | 10 | 9 | 0 | 1 | 90.0% | `99_best` 90.0% |" in text
