"""Installed by tfcourse as ``{sys.prefix}/etc/jupyter/nbgrader_config.py``, where Jupyter looks for config.

The README's ``pip install -e . && jupyter lab`` starts Jupyter at the root
of a clone, where there is no ``nbgrader_config.py`` (the repository's top
level holds only the course). Whenever nbgrader (the formgrader, the
Assignment List, a plain ``nbgrader`` command) runs in a tfcourse clone's
root, this loads the course's settings (``autograder/nbgrader_config.py``):
the ten assignments in ``solutions/``, the class in ``classroom/``, and the
grading defences. Anywhere else it does nothing.
"""
import os

_course_config = os.path.join(os.getcwd(), "autograder", "nbgrader_config.py")
if os.path.isfile(_course_config) and os.path.isdir(os.path.join(os.getcwd(), "solutions")):
    load_subconfig(_course_config)  # noqa: F821 - provided by traitlets when it loads this file
    # The class lives in the course root (classroom/, git-ignored): the gradebook needs its folder.
    os.makedirs(get_config().CourseDirectory.root, exist_ok=True)  # noqa: F821 - as load_subconfig
