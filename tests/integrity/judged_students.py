"""Submissions of notebook 01 for the verdicts judged outside the kernel (issue 16), honest and hostile.

Each attack runs inside the student's kernel, where a verdict no longer is:
the grader judges what the student's functions returned, from its own copy
of the test cells. Graded with the static scan off, so that every attack runs.
"""
from __future__ import annotations

from nbformat import NotebookNode

from tests import harness
from tests.integrity.students import A, SETUP, answers, index_of, submission, with_cell

EXERCISES = ("01_build_sequential", "01_build_functional", "01_build_subclassed", "01_compile_model")
HALF = ("01_build_sequential", "01_compile_model")  # 2 + 2 of 8 points


def blank_except(*kept: str) -> dict[str, str]:
    """Reference answers for ``kept``, the released (blank) cells elsewhere."""
    release = harness.release_notebook(A)
    chosen = answers()
    for grade_id in EXERCISES:
        if grade_id not in kept:
            chosen[grade_id] = release.cells[index_of(release, grade_id)].source
    return chosen


# The first-execute_result route: every blank exercise raises NotImplementedError, whose replacement first
# shows "done" through the real displayhook, so each test cell's first output is an execute_result.
DISPLAYHOOK = '''import builtins, sys

class NotImplementedError(Exception):
    def __init__(self, *args):
        sys.displayhook("done")
        super().__init__(*args)

builtins.NotImplementedError = NotImplementedError
'''
# The guard switched off, reached through an alias of getattr; then every check made a no-op that prints a pass.
GETATTR_ALIAS = '''g = getattr
g(print, "__se" + "lf__")
import autograder.kernels.guard as guard
guard._snapshot.clear()
import helpers.checks.observed as observed
for check in list(observed.REGISTRY.values()):
    check.observe = lambda *a, **k: {}
    check.judge = lambda *a, **k: None
'''
# The kernel judges for itself again (grading mode off) with every judge a no-op: the cells print passes.
REPORT_OFF = '''import helpers.checks.observed as observed
observed._reporting["on"] = False
for check in observed.REGISTRY.values():
    check.judge = lambda *a, **k: None
'''
# Well-formed observations with made-up values: each check replays, for every call, what the reference gives
# for the visible test's arguments (right there, wrong for the hidden inputs).
REPLAY = '''import helpers.checks.observed as observed
from helpers.reference import nb01 as answer_key
from IPython.display import publish_display_data

_seen = {}

def _replay(self, student, *args, **kwargs):
    if self.name not in _seen:
        reference = getattr(answer_key, self.name.split(".")[1].replace("_step_size", ""))
        _seen[self.name] = observed.encode(self.observe(reference, *args, **kwargs))
    publish_display_data({observed.OBSERVATION_MIME: {"check": self.name, "observed": _seen[self.name]}})

observed.ObservedCheck.__call__ = _replay
'''
# Honest answers, but every observation sent twice.
DUPLICATE = '''import helpers.checks.observed as observed
from IPython.display import publish_display_data

_call = observed.ObservedCheck.__call__

def _twice(self, student, *args, **kwargs):
    arguments = self.arguments(*args, **kwargs)
    data = {observed.OBSERVATION_MIME: {"check": self.name,
                                        "observed": observed.encode(self.observe(student, **arguments))}}
    publish_display_data(data)
    publish_display_data(data)

observed.ObservedCheck.__call__ = _twice
'''
# The hint magic used to evaluate its argument: an input transformer claiming to be IPython's.
HINT_MAGIC = '''hints.hint_magic("get_ipython().input_transformers_post.append(type('T', (), {'__module__': "
                 "'IPython.core.inputtransformer2', '__call__': lambda self, lines: ['pass\\\\n']})())")
'''
# Attacks that replace what the checks observe, so that the honest answers' values are lost too.
SPOILS_OBSERVATIONS = {"getattr_alias", "report_off", "replay"}
ATTACKS = {"displayhook": DISPLAYHOOK, "getattr_alias": GETATTR_ALIAS, "report_off": REPORT_OFF,
           "replay": REPLAY, "hint_magic": HINT_MAGIC}


def student(name: str) -> NotebookNode:
    """``reference``, ``half``, ``blank``, ``duplicate`` or ``<attack>_blank`` / ``<attack>_half``."""
    if name == "reference":
        return submission(answers())
    if name == "duplicate":
        return with_cell(submission(answers()), SETUP, DUPLICATE)
    attack, _, base = name.rpartition("_") if name not in ("half", "blank") else ("", "", name)
    nb = submission(blank_except(*(HALF if base == "half" else ())))
    return with_cell(nb, SETUP, ATTACKS[attack]) if attack else nb


STUDENTS = ["reference", "half", "blank", "duplicate",
            *(f"{attack}_{base}" for attack in ATTACKS for base in ("blank", "half"))]
