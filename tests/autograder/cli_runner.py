"""Run ``tfcourse`` in the test process and capture what it prints."""
from __future__ import annotations

import contextlib
import io

from autograder import cli


def tfcourse(*argv: str) -> tuple[int, str, str]:
    """Run ``tfcourse ARGV`` in this process; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()
