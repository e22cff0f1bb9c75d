"""The ``tfcourse`` commands, one module per verb; ``autograder.cli`` parses the command line and calls them.

- ``start``: a student's own copy of the notebooks;
- ``check``: a student runs a notebook's visible tests headless;
- ``release``: course/ regenerated from solutions/;
- ``exchange``: release to and collect from the nbgrader exchange (JupyterHub);
- ``import_``: students' notebooks from an LMS download into submitted/;
- ``grade``: the command-line face of ``autograder.grading`` (progress bar, summary);
- ``feedback``, ``report``: HTML feedback pages (hidden tests hidden, released to the exchange); grades.csv,
  plots and a summary;
- ``export``: grades in Canvas's or Moodle's import format;
- ``demo``, ``bench``: the whole pipeline on demo students; timings as Markdown.
"""
