"""helpers.hints.session: in an IPython shell, the traceback comes first, the cell still fails, %hint, warnings.

An in-process ``InteractiveShell``; a real kernel and real nbgrader are in ``test_grading.py``.
"""
from __future__ import annotations

import subprocess
import sys
import warnings

import pytest

from helpers import hints
from helpers.hints import session


def test_other_warnings_are_shown_as_before(capsys):
    """Does a warning without a hint still reach the original warnings display?"""
    shown = []
    session._original_showwarning, saved = (lambda *args: shown.append(args[0])), session._original_showwarning
    try:
        session._showwarning(UserWarning("something else"), UserWarning, "f.py", 1)
    finally:
        session._original_showwarning = saved
    assert len(shown) == 1 and "Hint" not in capsys.readouterr().out


@pytest.fixture
def shell(tf):
    """An in-process IPython shell with hints on; warnings state and the singleton restored afterwards."""
    from IPython.core.interactiveshell import InteractiveShell

    with warnings.catch_warnings():
        ip = InteractiveShell.instance()
        ip.run_cell("from helpers import tf, hints\nhints.enable()\nhints.enable()\n"
                    "import numpy as np\nkeras = tf.keras\nx = np.zeros((8, 64), 'float32')\ny = np.zeros(8, 'int64')")
        yield ip
    InteractiveShell.clear_instance()


def run(shell, capsys, source: str):
    result = shell.run_cell(source)
    return result, capsys.readouterr().out


def test_error_in_a_cell_shows_traceback_then_one_hint_and_still_fails(shell, capsys):
    """Does a Keras mistake show the full traceback first, then one hint, and leave the cell failed?"""
    result, out = run(shell, capsys, "m = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10)])\n"
                                     "m.fit(x, y, verbose=0)")
    assert not result.success and isinstance(result.error_in_exec, ValueError)
    assert "Traceback" in out and "You must call `compile()` before using the model." in out
    assert out.index("compile()` before using") < out.index(hints.PREFIX)
    assert out.count(hints.PREFIX) == 1  # enable() twice registers once


def test_unrelated_error_in_a_cell_shows_only_its_traceback(shell, capsys):
    """Does an unrelated error show its traceback and no hint?"""
    result, out = run(shell, capsys, "{'a': 1}['b']")
    assert not result.success and "KeyError" in out and hints.PREFIX not in out


def test_hint_magic_explains_the_last_error_and_checks_models(shell, capsys):
    """Does %hint repeat the last error's hint, and %hint model check a model?"""
    run(shell, capsys, "history = {'accuracy': [0.5], 'loss': [1.0]}\nhistory['acc']")
    assert 'history.history["accuracy"]' in run(shell, capsys, "%hint")[1]
    run(shell, capsys, "1 / 0")
    assert "No hint for the last error (ZeroDivisionError)" in run(shell, capsys, "%hint")[1]
    run(shell, capsys, "m = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10)])")
    assert "no warning sign" in run(shell, capsys, "%hint m")[1]


def test_hint_magic_evaluates_nothing(shell, capsys):
    """Does %hint only look a name up, so that code given to it never runs (issue 16's hint-magic route)?"""
    run(shell, capsys, "ran = []")
    out = run(shell, capsys, "%hint ran.append(1) or ran")[1]
    assert "takes the name of a model" in out
    out = run(shell, capsys, "%hint __import__('os').getpid()")[1]
    assert "takes the name of a model" in out
    assert shell.user_ns["ran"] == []


def test_cell_that_compiles_logits_wrongly_gets_a_hint_after_it(shell, capsys):
    """Does a successful cell that compiles a logits model with from_logits=False get the hint, once?"""
    source = ("m = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10)])\n"
              "m.compile(optimizer=keras.optimizers.Adam(), loss='sparse_categorical_crossentropy')")
    result, out = run(shell, capsys, source)
    assert result.success and "from_logits=True" in out
    assert hints.PREFIX not in run(shell, capsys, "m.fit(x, y, verbose=0)")[1]


def test_keras_warning_in_a_cell_gets_a_hint_once(shell, capsys):
    """Does the unlogged-EarlyStopping warning print one hint per cell, on stdout, however many epochs?"""
    source = ("m = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10, activation='softmax')])\n"
              "m.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
              "m.fit(x, y, epochs=3, verbose=0, callbacks=[keras.callbacks.EarlyStopping(monitor='val_loss')])")
    for _ in range(2):
        result, out = run(shell, capsys, source)
        assert result.success and out.count(hints.PREFIX) == 1 and "validation_data" in out


def test_enable_outside_ipython_does_nothing_and_imports_no_tensorflow():
    """In plain Python (the test harness), does enable() return False, and does importing hints stay cheap?"""
    code = ("import sys, warnings, IPython; from helpers import hints; before = list(warnings.filters); "
            "print(hints.enable(), 'tensorflow' in sys.modules, warnings.filters == before)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "False", "True"], done.stderr[-2000:]


def test_warning_hints_stay_ahead_of_filters_added_later():
    """If TensorFlow's quiet filters are added after enable(), does the next cell put the hint filters first again?"""
    with warnings.catch_warnings():
        session._install_warning_hints()
        count = len(warnings.filters)
        warnings.filterwarnings("ignore", module=r"keras_as_helpers_quiet_adds_it(\.|$)")
        session._after_cell(None)
        session._after_cell(None)
        assert [f[0] for f in warnings.filters[:4]] == ["always", "always", "always", "ignore"]
        assert len(warnings.filters) == count + 1
