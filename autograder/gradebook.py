"""nbgrader's Python API, configured for a course root.

Every ``tfcourse`` command goes through ``open_api`` so that it reads the same
``autograder/nbgrader_config.py`` as plain ``nbgrader`` commands do.
"""
from __future__ import annotations

from pathlib import Path

from nbgrader.apps import NbGraderAPI
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder.paths import course_root, write_course_root_config


def load_config(root: Path) -> Config:
    """The nbgrader config a plain ``nbgrader`` command would see in ``root``."""
    config_file = write_course_root_config(root)
    return PyFileConfigLoader(config_file.name, path=str(root)).load_config()


def open_api(root: str | Path | None = None) -> NbGraderAPI:
    """An ``NbGraderAPI`` for the course root (see ``autograder.paths.course_root``)."""
    resolved = course_root(root)
    return NbGraderAPI(config=load_config(resolved))
