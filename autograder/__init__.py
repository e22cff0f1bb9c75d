"""Grading side of the course: nbgrader configuration, preprocessors and the ``tfcourse`` command line.

The data flows one way::

    solutions/  --release-->  course/  --students-->  <course root>/submitted/
        --autograde-->  <course root>/autograded/  -->  feedback/ + report
"""
