"""Crafted submissions of notebook 01 for the grading-integrity tests: hostile, broken, and correct-but-noisy.

Each builder returns a notebook (or raw file text, for files that are not
notebooks). The catalogue numbers refer to issue 8.
"""
from __future__ import annotations

import copy
from typing import Callable

import nbformat
from nbformat import NotebookNode

from tests import harness
from tests.notebooks.students import noisy_reference

A = "01-training-steps"
FAKE_PASS = "✓ build_sequential_model: all visible checks passed.\n"
# Distinctive sleeps whose survival after grading would mean a leaked process.
LEAK_MONKEYPATCH, LEAK_EXIT = "1001.25", "1002.25"

WRONG = {
    "01_build_sequential": "def build_sequential_model(input_dim, hidden_units, num_classes):\n"
                           "    return keras.Sequential([keras.Input((input_dim,)), keras.layers.Dense(num_classes)])\n",
    "01_build_functional": "def build_functional_model(input_dim, hidden_units, num_classes):\n"
                           "    return keras.Sequential([keras.Input((input_dim,)), keras.layers.Dense(num_classes)])\n",
    "01_compile_model": "def compile_model(model, learning_rate):\n    model.compile(optimizer='sgd', loss='mse')\n"
                        "    return model\n",
}
# Right only for the visible test's sizes (64, 32, 10): the hidden tests use others (catalogue 15).
HARDCODED_FUNCTIONAL = '''def build_functional_model(input_dim, hidden_units, num_classes):
    inputs = keras.Input(shape=(64,))
    hidden = keras.layers.Dense(32, activation="relu")(inputs)
    return keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(hidden))
'''
SPAWN = '''import subprocess
subprocess.Popen(["sh", "-c", "sleep {leak} &"], start_new_session=True)  # a daemon: double-forked, own session
subprocess.Popen(["sleep", "{leak}"])
'''


def index_of(nb: NotebookNode, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if harness.grade_id(c) == grade_id)


def with_cell(nb: NotebookNode, after: str | int, source: str) -> NotebookNode:
    """Insert a plain code cell after the cell with grade id ``after`` (or after index ``after``)."""
    at = after if isinstance(after, int) else index_of(nb, after)
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(source))
    return nb


def answers(**overrides: str) -> dict[str, str]:
    chosen = harness.reference_answers(A)
    chosen.update(overrides)
    return chosen


def submission(answer_map: dict[str, str] | None = None) -> NotebookNode:
    return harness.make_submission(A, answer_map)


SETUP = 1  # index of notebook 01's first code cell (imports, hints.enable())


# --- sanitising: edited, tampered, deleted, duplicated cells and saved outputs (catalogue 1-5) -------------


def tamperer() -> NotebookNode:
    """Exercise 1 blank with its test rewritten to pass and a fake passing output; test 2's metadata tampered
    (100 points, unlocked, turned into markdown) over a hard-coded answer; exercise 3 right, duplicated with a
    wrong first copy; exercise 4 and its test deleted; a new "graded" cell worth 50 points added."""
    nb = submission(answers(**{"01_build_sequential": None, "01_build_functional": HARDCODED_FUNCTIONAL}))
    nb.cells[index_of(nb, "01_build_sequential")].source = harness.release_notebook(A).cells[
        index_of(harness.release_notebook(A), "01_build_sequential")].source
    test1 = nb.cells[index_of(nb, "01_build_sequential_test")]
    test1.source = 'checks.passed("build_sequential_model")'
    test1.outputs = [nbformat.v4.new_output("stream", name="stdout", text=FAKE_PASS)]
    test2 = nb.cells[index_of(nb, "01_build_functional_test")]
    test2.metadata["nbgrader"].update(points=100, locked=False)
    test2.cell_type = "markdown"
    del test2["outputs"], test2["execution_count"]
    ex3, t3 = index_of(nb, "01_build_subclassed"), index_of(nb, "01_build_subclassed_test")
    wrong3 = copy.deepcopy(nb.cells[ex3])
    wrong3.source = wrong3.source.replace('activation="relu"', 'activation="linear"')
    nb.cells[ex3:ex3] = [wrong3, copy.deepcopy(nb.cells[t3])]
    del nb.cells[index_of(nb, "01_compile_model_test")]
    del nb.cells[index_of(nb, "01_compile_model")]
    bonus = nbformat.v4.new_code_cell("pass")
    bonus.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": False, "points": 50,
                                  "grade_id": "01_bonus_points", "schema_version": 3}
    nb.cells.append(bonus)
    return nb


# --- resources: an infinite loop, a flood of output, a memory bomb; all other cells still graded (9-11) ---


LOOP = "while True:\n    pass\n"
FLOOD = 'for _ in range(60):\n    print("x" * 1_000_000, end="")\n'
BOMB = '''def grow():
    chunks = []
    for _ in range(16):  # 8 GiB in 512 MiB steps
        chunks.append(np.ones(2**26))
    return len(chunks)

grow()
'''


def hog() -> NotebookNode:
    nb = submission(answers())
    with_cell(nb, "01_build_sequential_test", LOOP)
    with_cell(nb, "01_build_functional_test", FLOOD)
    with_cell(nb, "01_build_subclassed_test", BOMB)
    return nb


# --- correct answers that must keep full marks (16-18) ---------------------------------------------------


def noisy_wrong_kernel() -> NotebookNode:
    """Right answers whose functions write to stderr, saved with another language's kernel (16, 17, 18)."""
    nb = noisy_reference(A, {"01_build_sequential": "build_sequential_model", "01_compile_model": "compile_model"})
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    nb.metadata["language_info"] = {"name": "R"}
    return nb


# --- static scan: one route to forged marks per class (6-8, 12, 14, 15); none of them may run. Many more
# variations of each class are checked in-process by test_code_rules.py. -----------------------------------

STATIC: dict[str, tuple[dict[str, str], str]] = {
    # name: (answers that differ from the reference, an extra cell after the setup cell)
    "showtraceback": ({"01_build_sequential": None}, "ip = get_ipython()\nip.showtraceback = lambda *a, **k: None\n"),
    "patch_numpy": (WRONG, "np.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n"
                           "tf.debugging.assert_near = lambda *a, **k: None\n"),
    "always_equal": (WRONG, "class Yes:\n    def __eq__(self, other):\n        return True\n    __hash__ = None\n"),
    "input_transformer": ({}, "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])\n"),
    "shell_escape": ({}, "!rm -f ../../../gradebook.db\n"),
    "grading_sniff": ({}, "import os\nGRADING = 'NBGRADER_EXECUTION' in os.environ\n"),
    "reference_call": ({"01_build_sequential": "from helpers.reference.nb01 import build_sequential_model as answer\n\n"
                        "def build_sequential_model(input_dim, hidden_units, num_classes):\n"
                        "    return answer(input_dim, hidden_units, num_classes)\n"}, ""),
}


def static(name: str) -> Callable[[], NotebookNode]:
    changed, extra = STATIC[name]

    def build() -> NotebookNode:
        nb = submission(answers(**changed))
        for cell in nb.cells:
            if harness.grade_id(cell) in changed and changed[harness.grade_id(cell)] is None:
                cell.source = next(c.source for c in harness.release_notebook(A).cells
                                   if harness.grade_id(c) == harness.grade_id(cell))
        if extra:
            with_cell(nb, SETUP, extra)
        nb.cells[index_of(nb, "01_build_sequential_test")].outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=FAKE_PASS)]
        return nb

    return build


# --- with the static scan switched off: the run-time defences alone (1, 6-8, 11-13) -----------------------

SWALLOW = '''import ast

class Swallow(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=ast.Name("Exception", ast.Load()), name=None, body=[ast.Pass()])
        node.body = [ast.Try(body=[s], handlers=[handler], orelse=[], finalbody=[]) for s in node.body]
        return ast.fix_missing_locations(node)

get_ipython().ast_transformers.append(Swallow())
'''
QUIET_FAILURES = '''ip = get_ipython()
ip.showtraceback = lambda *a, **k: None
ip.set_custom_exc((Exception,), lambda *a, **k: None)
'''
# Every check the tests call, patched through a parameter (out of the static scan's sight): the building blocks
# (helpers.checks and helpers.checks.core) and notebook 01's own checks (helpers.checks.nb01).
PATCH_BY_PARAMETER = '''CHECKS = ("check", "check_close", "check_equal", "check_instance", "check_model_matches",
          "fail")

def _relax(module, names=CHECKS):
    for name in names:
        setattr(module, name, lambda *a, **k: None)

_relax(checks)
_relax(checks.core)
try:
    _relax(checks.nb01, [n for n, f in vars(checks.nb01).items() if callable(f) and not n.startswith("_")])
except Exception:
    pass
''' + SPAWN.format(leak=LEAK_MONKEYPATCH)
EXIT = SPAWN.format(leak=LEAK_EXIT) + "import os\nos._exit(3)\n"
SEGFAULT = "import ctypes\nctypes.string_at(0)\n"
STUBBORN = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"
# Reach for the fork server that will fork the next student's kernel (autograder.kernels.forkserver): try to send it a
# request of our own through its sockets, then stop it. Every fork server found (not its kernels) is attacked; in the
# sandbox none is in sight.
POISON = '''import json, os, signal

def _cmdline(pid):
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read()
    except OSError:
        return b""

def _servers():
    for pid in filter(str.isdigit, os.listdir("/proc")):
        status = open(f"/proc/{pid}/status").read() if os.path.exists(f"/proc/{pid}/status") else ""
        parent = next((line.split()[1] for line in status.splitlines() if line.startswith("PPid:")), "0")
        if (int(pid) != os.getpid() and b"autograder.kernels.forkserver" in _cmdline(pid)
                and b"autograder.kernels.forkserver" not in _cmdline(parent)):
            yield int(pid)

servers = list(_servers())  # a sandboxed kernel sees only its own PID namespace (itself: a fork of the server)
print(f"{len(servers)} fork server(s) in sight")
for pid in servers:
    for fd in os.listdir(f"/proc/{pid}/fd"):
        if not os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
            continue  # stdin is /dev/null; stdout and stderr are the grader's log, as any kernel's are
        try:
            with open(f"/proc/{pid}/fd/{fd}", "w") as channel:
                channel.write(json.dumps({"argv": ["--IPKernelApp.exec_lines=['checks.check = print']"]}) + "\\n")
            print("request delivered to", pid, "through fd", fd)
        except OSError as error:
            print("request refused:", error.strerror)
    os.kill(pid, signal.SIGSTOP)
    print("stopped", pid)
'''


def run_time(name: str) -> NotebookNode:
    if name == "transformer":
        return with_cell(submission(), SETUP, STATIC["input_transformer"][1])
    if name == "swallow":
        return with_cell(submission(), SETUP, SWALLOW)
    if name == "quiet_failures":
        return with_cell(submission(), SETUP, QUIET_FAILURES)
    if name == "monkeypatch":
        return with_cell(submission(answers(**WRONG)), SETUP, PATCH_BY_PARAMETER)
    if name == "poison":
        return with_cell(submission(answers()), SETUP, POISON)
    if name == "poison_victim":  # graded right after "poison", by the fork server that it attacked
        return submission(answers())
    dying = {"exit": EXIT, "segfault": SEGFAULT, "stubborn": STUBBORN}[name]
    return with_cell(submission(answers()), "01_build_sequential_test", dying)


RUN_TIME = ["transformer", "swallow", "quiet_failures", "monkeypatch", "exit", "segfault", "stubborn", "poison",
            "poison_victim"]
