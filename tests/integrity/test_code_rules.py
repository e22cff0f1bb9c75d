"""The static rules on their own: each class of tampering is flagged, and ordinary answers are not.

Runs in-process (no kernel): the context comes from the solution notebook,
as ``ScanStudentCode`` builds it from the instructor's notebook.
"""
from __future__ import annotations

import ast
import copy

import pytest

from autograder.code_scan import answer_key
from autograder.code_scan import rules as code_rules
from autograder.code_scan.scanner import as_ipython_runs_it, parse, scan
from tests import harness
from tests.notebooks.students import NOISE


def context_for(assignment: str) -> code_rules.Context:
    context = code_rules.Context()
    for cell in harness.solution_notebook(assignment).cells:
        if cell.cell_type == "code":
            code_rules.learn(parse(cell.source), context)
        if harness.is_test(cell):
            code_rules.learn_tests(parse(cell.source), context)
    return context


def findings(source: str, context: code_rules.Context) -> list:
    tree = ast.parse(as_ipython_runs_it(source))
    context = copy.deepcopy(context)
    code_rules.learn(tree, context)
    return scan(tree, context)


@pytest.fixture(scope="module")
def context01() -> code_rules.Context:
    return context_for("01-training-steps")


def rules(source: str, context: code_rules.Context) -> set[str]:
    """The rules ``source`` breaks as one student cell; like the scanner, first learn its own imports."""
    tree = ast.parse(as_ipython_runs_it(source))
    context = copy.deepcopy(context)
    code_rules.learn(tree, context)
    return {f.rule for f in scan(tree, context)}


HOSTILE = {
    # class of attack -> variations, each of which must be flagged with that rule
    "builtin": ["get_ipython().input_transformers_post.append(lambda lines: [])",
                "get_ipython().events.register('post_run_cell', print)",
                "eval('1')", "exec('x = 1')", "f = globals()['checks']", "exit()",
                "getattr(np, 'all' + 'close')", "X = type('X', (), {})", "%load_ext autoreload",
                "!rm -rf /tmp/anything", "open('../../gradebook.db', 'w')", "setattr(checks, 'check', print)"],
    "import": ["import IPython", "from IPython import get_ipython", "import ctypes", "import subprocess",
               "import importlib", "import signal", "from os import system", "import os\nos._exit(0)",
               "import sys\nsys.exit()", "import sys\nsys.modules['numpy']", "import os as o\no.kill(1, 9)",
               "import sys\nsys.settrace(None)", "import os\nf = os", "import threading", "import builtins",
               "import os\nos.environ.get('HOME')", "import os.path as p\np.os._exit(0)", "import sys\nsys.stdout.session"],
    "introspection": ["(lambda: 0).__globals__", "().__class__.__base__.__subclasses__()",
                      "checks.check.__code__", "np.__dict__"],
    "fake-value": ["class Yes:\n    def __eq__(self, other):\n        return True",
                   "class F(float):\n    __lt__ = lambda s, o: True",
                   "class A(np.ndarray):\n    def __array_ufunc__(self, *a, **k):\n        return True",
                   "class M(type):\n    pass\nclass B(metaclass=M):\n    pass"],
    "monkeypatch": ["np.allclose = lambda *a, **k: True", "np.testing.assert_allclose = print",
                    "checks.check = print", "tf.debugging.assert_near = print", "keras.Model.fit = print",
                    "from helpers import checks as c\nc.fail = print", "m = np\nm.isclose = print",
                    "isinstance = lambda *a: True", "np = None", "del checks.check",
                    "def f():\n    global checks\n    checks = None"],
    "grading-detection": ["import os\nGRADING = 'NBGRADER_EXECUTION' in os.environ", "x = 'nbgrader'"],
    "reference": ["from helpers.reference.nb01 import build_sequential_model", "from helpers.reference import nb01",
                  "from helpers import reference", "import helpers.reference.nb01", "import helpers.reference as r",
                  "import helpers\nhelpers.reference.nb01.build_functional_model(1, 2, 3)",
                  "import helpers as h\nh.reference.nb07.train_step", "getattr(helpers, 'reference')",
                  "from helpers import checks\nchecks.nb01.reference.build_sequential_model(1, 2, 3)",
                  "import helpers.checks.nb07 as c\nc.reference.train_step", "from helpers import *",
                  "from helpers import checks\nc = checks.nb03\nc.reference"],
}
# Issue 16's routes: each is seen, whatever the spelling.
HOSTILE["builtin"] += ["g = getattr\ng(print, '__se' + 'lf__')", "f = [getattr][0]"]
HOSTILE["reference"] += ["import helpers\npkg = helpers\npkg.models.build_sequential(1, 2, 3)",
                         "import operator, helpers\noperator.attrgetter('models.build_' + 'subclassed')(helpers)",
                         "from helpers.models import compile_for_integer_labels as compile_model"]


@pytest.mark.parametrize("rule, source", [(r, s) for r, sources in HOSTILE.items() for s in sources])
def test_tampering_is_flagged(context01, rule, source):
    """Is each variation of each class of tampering flagged with its rule?"""
    assert rule in rules(source, context01), rules(source, context01)


LEAKS = sorted((module, name) for module, names in answer_key.leaks().items() for name in names)


@pytest.mark.parametrize("module, name", LEAKS, ids=[f"{m}.{n}" for m, n in LEAKS])
def test_every_helpers_name_for_a_reference_answer_is_flagged(context01, module, name):
    """Is each name a helpers module binds to the answer key (``checks.nb07.reference``, an answer that
    ``helpers.models`` builds on) flagged, imported from its module or reached through it?"""
    assert "reference" in rules(f"from {module} import {name}", context01)
    assert "reference" in rules(f"import {module} as m\nm.{name}", context01)


ORDINARY = [
    NOISE,
    "import numpy as np\nfrom helpers import tf\nkeras = tf.keras",
    "from helpers.models import set_seed\nset_seed(3)",
    "model = build_sequential_model(64, 32, 10)\nmodel.summary()\nmodel.trainable = False",
    "class Block(keras.layers.Layer):\n    def __init__(self, units):\n        super().__init__()\n"
    "        self.dense = keras.layers.Dense(units)\n    def call(self, x):\n        return self.dense(x)",
    "class Batches(keras.utils.PyDataset):\n    def __len__(self):\n        return 3\n"
    "    def __getitem__(self, i):\n        return i",
    "import matplotlib.pyplot as plt\nplt.rcParams['figure.figsize'] = (4, 3)\nplt.show()",
    "print(type(model).__name__, getattr(model, 'name'))",
    "import sys\nprint('warning', file=sys.stderr)\nsys.stderr.write('x\\n')",
    "import os\npath = os.path.join('a', 'b')",
    "for layer in model.layers:\n    layer.trainable = False",
    "import math, random, collections, functools, itertools, time, warnings, logging",
    "stop = keras.callbacks.EarlyStopping(patience=2)\nlayer = keras.models.Sequential",
    "from helpers import checks\nchecks.nb01.build_sequential_model(build_sequential_model)\nchecks.passed('x')",
    "reference = build_sequential_model(4, 3, 2)\nreference_loss = 0.5\nprint(reference.name, reference_loss)",
]


# Correct answers that used to be zeroed (issue 16): builtin names as variables, strings that name builtins,
# extra prints, helper functions, type hints.
ORDINARY += [
    "vars = model.trainable_variables\nfor v in vars:\n    print(v.shape)",
    "inputs = keras.Input(shape=(64,), name='input')\nhidden = keras.layers.Dense(32, name='sum')(inputs)",
    "input = keras.Input(shape=(64,))\nx = keras.layers.Dense(10)(input)",
    "sum = 0\nfor i in range(3):\n    sum += i\nmax = 5\nlist = [1, 2]\nprint(sum, max, list)",
    "def _dense(units: int, activation: str = 'relu') -> keras.layers.Layer:\n"
    "    return keras.layers.Dense(units, activation=activation)\n\n"
    "def build_sequential_model(input_dim: int, hidden_units: int, num_classes: int) -> keras.Model:\n"
    "    print('building', input_dim)\n"
    "    return keras.Sequential([keras.Input((input_dim,)), _dense(hidden_units), _dense(num_classes, 'softmax')])",
    "x = {'input': 1, 'sum': 2, 'eval': 3}\nprint(x['input'], 'exec', 'vars')",
]


@pytest.mark.parametrize("source", ["import helpers\npkg = helpers\npkg.models.build_sequential(1, 2, 3)",
                                    "x = 'nbgrader'", "isinstance = lambda *a: True",
                                    "from helpers.reference.nb01 import build_sequential_model"])
def test_what_cannot_change_a_verdict_is_for_review_only(context01, source):
    """Are answer-key use, strings and builtins replaced in the student's own namespace flagged for review,
    never held at zero?"""
    found = findings(source, context01)
    assert found and not any(f.hold for f in found), [(str(f), f.hold) for f in found]


@pytest.mark.parametrize("source", ORDINARY)
def test_ordinary_code_is_not_flagged(context01, source):
    """Is code that students write in honest answers and scratch cells left alone?"""
    assert not rules(source, context01)


@pytest.mark.parametrize("assignment", harness.ALL_ASSIGNMENTS)
def test_reference_answers_pass_the_scan(assignment):
    """Do the solution notebook's own answers break no rule (else correct students would be flagged)?"""
    context = context_for(assignment)
    for grade_id, source in harness.reference_answers(assignment).items():
        found = scan(parse(source), context)
        assert not found, f"{assignment} {grade_id}: {[str(f) for f in found]}"
