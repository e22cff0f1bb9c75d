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
