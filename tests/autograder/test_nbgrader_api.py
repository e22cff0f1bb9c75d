"""``autograder.nbgrader_api``: a failed nbgrader call is reported in one line that says why."""
from __future__ import annotations

import pytest

from autograder.nbgrader_api import last_error_line, require_success

LOG = ("[CollectApp | INFO] Collecting submission: jane 01\n"
       "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n"
       "\x1b[31mPermissionError: [Errno 13] /srv/nbgrader/exchange\x1b[0m\n"
       "[CollectApp | ERROR] nbgrader collect failed\n")


def test_the_error_line_of_a_log_is_picked():
    """Is the last ``...Error:`` line chosen (colours removed) over the log lines after it?"""
    assert last_error_line(LOG) == "PermissionError: [Errno 13] /srv/nbgrader/exchange"


def test_a_log_without_an_error_line_gives_its_last_line():
    """Without an error line, is the last non-blank line given, and an empty log an empty string?"""
    assert last_error_line("first\nlast line\n\n") == "last line"
    assert last_error_line("") == ""


def test_a_failed_call_raises_one_line_and_a_successful_one_nothing():
    """Does a failed API call raise 'nbgrader could not ...: <why>', preferring its error to its log?"""
    require_success({"success": True, "log": LOG}, "collect 01")
    with pytest.raises(RuntimeError) as raised:
        require_success({"success": False, "log": "ignored", "error": LOG}, "collect 01")
    assert str(raised.value) == "nbgrader could not collect 01: PermissionError: [Errno 13] /srv/nbgrader/exchange"


@pytest.mark.nbgrader
def test_a_real_nbgrader_failure_names_its_cause(tmp_path):
    """When nbgrader fails and says only "see the above traceback", does our message give the real cause?"""
    import shutil

    from autograder.nbgrader_api import open_api
    from tests.autograder import tiny

    source = tmp_path / "source" / tiny.TINY
    shutil.copytree(tiny.FIXTURES / tiny.TINY, source)
    nb = source / f"{tiny.TINY}.ipynb"
    nb.write_text(nb.read_text().replace("### END HIDDEN TESTS", "### (end marker lost)"))
    api = open_api(tmp_path / "root")
    api.coursedir.source_directory = str(source.parent)
    api.coursedir.release_directory = str(tmp_path / "release")
    result = api.generate_assignment(tiny.TINY, force=True, create=True)
    assert "above traceback" in result["error"]  # nbgrader's own last words
    with pytest.raises(RuntimeError) as raised:
        require_success(result, f"generate {tiny.TINY}")
    message = str(raised.value)
    assert "RuntimeError: No end hidden tests statement found" in message
    assert "above traceback" not in message and "\n" not in message


@pytest.mark.slow
def test_tfcourse_finds_alembic_without_the_venv_on_path(tmp_path):
    """Called by the interpreter's path with PATH lacking its scripts folder, does a fresh gradebook still open?"""
    import subprocess
    import sys

    from autograder.paths import REPO

    done = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "--course-root", str(tmp_path / "root"),
         "export", "--format", "csv", "--out", str(tmp_path / "grades.csv")],
        cwd=REPO, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "grades.csv").read_text().startswith("student,assignment")
