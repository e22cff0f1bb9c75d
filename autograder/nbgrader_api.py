"""nbgrader's Python API, configured for a course root, and what to say when one of its calls fails.

Every ``tfcourse`` command goes through ``open_api`` (or ``load_config``) so
that it reads the same ``autograder/nbgrader_config.py`` as plain ``nbgrader``
commands do. ``NbGraderAPI`` calls return ``{"success": ..., "log": ...,
"error": ...}`` instead of raising; ``require_success`` turns a failure into
one line.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbgrader.api
from nbgrader.apps import NbGraderAPI
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder.paths import course_root, write_course_root_config

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ERROR = re.compile(r"^[\w.]*(Error|Exception)\b")
_LOGGED = re.compile(r"^\[(?:\w+ \| )?(?:ERROR|CRITICAL)\]\s*(?P<said>.+)$")
# nbgrader's own last words: they point at a traceback our message does not show.
_GENERIC = re.compile(r"above traceback|see the error log|^[\w.]*NbGraderException\b", re.IGNORECASE)


def alembic_head() -> str:
    """The gradebook schema's version, read in-process from nbgrader's migrations.

    nbgrader asks a new gradebook's version of an ``alembic`` subprocess, which
    is not on PATH when a venv's ``tfcourse`` runs without the venv activated
    (cron, pipx, a JupyterHub service), nor in a venv that sees its packages
    through ``--system-site-packages``. Same answer, no subprocess.
    """
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    return ScriptDirectory(ALEMBIC_DIR).get_current_head()


nbgrader.api.get_alembic_version = alembic_head  # used by nbgrader.api.Gradebook for a new database


def load_config(root: Path) -> Config:
    """The nbgrader config a plain ``nbgrader`` command would see in ``root``."""
    config_file = write_course_root_config(root)
    return PyFileConfigLoader(config_file.name, path=str(root)).load_config()


def open_api(root: str | Path | None = None) -> NbGraderAPI:
    """An ``NbGraderAPI`` for the course root (see ``autograder.paths.course_root``)."""
    resolved = course_root(root)
    return NbGraderAPI(config=load_config(resolved))


def log_of(result: dict) -> str:
    """What an ``NbGraderAPI`` call said: its error (a traceback), else its log."""
    return result.get("error") or result.get("log") or ""


def last_error_line(text: str) -> str:
    """The line of a log that says what went wrong: the last ``...Error: ...`` line, else the last line.

    >>> last_error_line("[INFO] start\\nValueError: no such cell\\n[INFO] done")
    'ValueError: no such cell'
    """
    lines = [ln.strip() for ln in _ANSI.sub("", text).splitlines() if ln.strip()]
    errors = [ln for ln in lines if _ERROR.match(ln)]
    return (errors or lines or [""])[-1][:300]


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in _ANSI.sub("", text).splitlines() if ln.strip()]


def cause(result: dict) -> str:
    """Why an ``NbGraderAPI`` call failed, from the lines that matter in its traceback and its log.

    nbgrader logs the real exception, then raises a generic one ("Please see
    the above traceback"); the real one's line comes first, then what
    nbgrader's log said at ERROR level, e.g. which student's notebook failed.

    >>> cause({"error": "NbGraderException: Please see the above traceback",
    ...        "log": "[ERROR] There was an error processing assignment: 01\\n"
    ...               "FileNotFoundError: [Errno 2] No such file or directory: 'alembic'"})
    "FileNotFoundError: [Errno 2] No such file or directory: 'alembic' (nbgrader: There was an error processing assignment: 01)"
    """
    error, log = result.get("error") or "", result.get("log") or ""
    exceptions = [ln for text in (log, error) for ln in _lines(text)
                  if _ERROR.match(ln) and not _GENERIC.search(ln)]
    said = []
    for ln in _lines(log):
        m = _LOGGED.match(ln)
        if m and not _GENERIC.search(m["said"]) and not m["said"].startswith("Traceback") and m["said"] not in said:
            said.append(m["said"])
    specific = [ln for ln in _lines(error) if _ERROR.match(ln) and not _GENERIC.search(ln)]
    line = (specific or exceptions or [last_error_line(log_of(result))])[-1][:300]
    extra = [s for s in said if s not in line][:3]
    return f"{line} (nbgrader: {'; '.join(extra)[:300]})" if extra else line


def require_success(result: dict, doing: str, error: type[Exception] = RuntimeError) -> None:
    """Raise ``error("nbgrader could not DOING: <the line that says why>")`` when an API call failed.

    Args:
        result: What an ``NbGraderAPI`` method returned.
        doing: What was asked, e.g. ``"collect 01-training-steps"``.
        error: The exception type to raise. Defaults to ``RuntimeError``.
    """
    if not result.get("success"):
        raise error(f"nbgrader could not {doing}: {cause(result)}")
