"""Extra synthetic students graded by real nbgrader alongside ``reference`` and ``blank``.

Each entry builds a submission notebook. Keep them few: every student costs a
kernel run.
"""
from __future__ import annotations

from typing import Callable

from nbformat import NotebookNode

from tests import harness
from tests.notebooks import alternatives

# A correct answer that makes the test cells write to stderr three ways: a
# Python warning, a print to sys.stderr, and a raw write to file descriptor 2
# (as TensorFlow's C++ logging does).
NOISE = '''
import os as _os, sys as _sys, warnings as _warnings

def _noise():
    _warnings.simplefilter("always")
    _warnings.warn("keras: a UserWarning raised while the test ran", UserWarning)
    print("W0000 00:00:1 cpu_feature_guard.cc:227] a TensorFlow-style log line", file=_sys.stderr)
    _os.write(2, b"I0000 00:00:1 port.cc:153] a C++ log line on fd 2\\n")
'''


def noisy_reference(assignment: str, call_before: dict[str, str]) -> NotebookNode:
    """Reference answers whose functions write to stderr each time they are called.

    Args:
        call_before: exercise id -> the name of the function in that answer
            whose body should start with a call to ``_noise()``.
    """
    answers = harness.reference_answers(assignment)
    for exercise, function in call_before.items():
        source = answers[exercise]
        head = f"def {function}("
        start = source.index(head)
        body = source.index("\n", source.index('"""', source.index('"""', start) + 3)) + 1
        indent = " " * 4
        answers[exercise] = NOISE + source[:body] + f"{indent}_noise()\n" + source[body:]
    return harness.make_submission(assignment, answers)


EXTRA_STUDENTS: dict[str, dict[str, Callable[[], NotebookNode]]] = {
    "01-training-steps": {
        "noisy": lambda: noisy_reference(
            "01-training-steps",
            {"01_build_sequential": "build_sequential_model", "01_compile_model": "compile_model"},
        ),
    },
}

# Correct answers written the ways students write them (issue #17), graded as ``alternative-N`` students.
for _assignment in harness.ALL_ASSIGNMENTS:
    EXTRA_STUDENTS.setdefault(_assignment, {}).update(alternatives.students(_assignment))
