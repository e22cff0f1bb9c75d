"""Mutation testing of every exercise: do the notebook's tests reject slightly wrong reference answers?

``python -m tests.mutation [NN | exercise_id ...]`` mutates each selected
exercise's reference answer (``mutants.py``, ``operators.py``), grades every
mutant in-process against the notebook's visible and hidden tests
(``runner.py``) and writes ``tests/notebooks/mutation_report.md``
(``report.py``), keeping the entries of notebooks it did not run. Surviving
mutants are excused only by a reason in ``equivalent.py``.

Runs against the code of the worktree it is started from: its ``helpers``,
``autograder`` and ``solutions``.
"""
