"""The ``tfcourse`` commands, one module per verb; ``autograder.cli`` parses the command line and calls them.

- ``check``: a student runs a notebook's visible tests headless;
- ``release``: course/ regenerated from solutions/;
- ``exchange``: release to and collect from the nbgrader exchange (JupyterHub);
- ``import_``: students' notebooks from an LMS download into submitted/;
- ``grade``: the command-line face of ``autograder.grading`` (progress bar, summary);
- ``feedback``, ``report``: HTML feedback pages; grades.csv, plots and a summary;
- ``demo``, ``bench``: the whole pipeline on demo students; timings as Markdown.
"""
