"""autograder.preprocessors.execute.fresh_seeds: hidden tests get seeds drawn for each run."""
from __future__ import annotations

from autograder.preprocessors.execute import fresh_seeds

CELL = """checks.nb01.compile_model(compile_model, seed=0)
### BEGIN HIDDEN TESTS
checks.nb01.build_sequential_model(build_sequential_model, 20, 7, 3, seed=1)
checks.nb07.train_step(train_step, model_seed=4, seed=7)
### END HIDDEN TESTS
checks.passed("compile_model")
"""


def test_only_hidden_seeds_change_and_differ_between_runs():
    """Are the visible test's seed and other arguments kept, and the hidden seeds new on every run?"""
    first, second = fresh_seeds(CELL), fresh_seeds(CELL)
    assert first != second
    for run in (first, second):
        visible, hidden = run.split("### BEGIN HIDDEN TESTS")
        assert visible == CELL.split("### BEGIN HIDDEN TESTS")[0]
        assert "seed=1)" not in hidden and "seed=7)" not in hidden and "model_seed=4" in hidden
        assert run.count("seed=") == CELL.count("seed=")
