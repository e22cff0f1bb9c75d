"""Grading side of the course: nbgrader configuration, preprocessors and the ``tfcourse`` command line.

The data flows one way::

    solutions/  --release-->  course/  --students-->  <course root>/submitted/
        --autograde-->  <course root>/autograded/  -->  feedback/ + report

The package, by role:

- ``cli``: the ``tfcourse`` command line; ``commands/``: one module per verb;
- ``grading/``: parallel autograding (workers, private gradebooks, merge, progress);
- ``kernels/``: the grading kernels (kernel manager, sandbox, fork server and its client, guard);
- ``preprocessors/``: the nbgrader preprocessors the course adds, one per module;
- ``code_scan/``: the static scan of student code (rules, scanner, the answer key's paths);
- ``nbgrader_config.py``: the nbgrader settings; ``paths``: where things are;
  ``nbgrader_api``: nbgrader's Python API for a course root; ``cells``: what a
  cell's nbgrader metadata says; ``findings``: flags and notes the grading
  defences record.
"""
