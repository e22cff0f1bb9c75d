"""helpers.quiet: importing helpers is cheap, and TensorFlow starts without writing to stderr."""
from __future__ import annotations

import subprocess
import sys


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_import_helpers_does_not_import_tensorflow():
    """Is `import helpers` cheap, leaving TensorFlow unimported?"""
    done = _python("import sys, helpers; print('tensorflow' in sys.modules)")
    assert done.stdout.strip() == "False", done.stderr


def test_tensorflow_imports_and_runs_without_stderr():
    """Do `from helpers import tf` and a first fit write nothing to stderr (no C++ or Python warnings)?"""
    done = _python(
        "from helpers import tf\n"
        "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])\n"
        "m.compile('adam', 'mse')\n"
        "m.fit(tf.zeros((4, 3)), tf.zeros((4, 2)), verbose=0)\n"
        "print('ran')"
    )
    assert done.stdout.strip() == "ran"
    assert done.stderr == "", done.stderr


def test_the_import_runs_no_collection_and_its_objects_are_left_out_of_later_ones():
    """Does importing TensorFlow run no collection, leave the collector on, and freeze what it imported?"""
    done = _python(
        "import gc, sys, helpers\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: runs.append(info['generation']) if phase == 'start' else None)\n"
        "from helpers import tf\n"
        "print(len(runs), gc.isenabled(), gc.get_freeze_count() > 100_000, 'keras' in sys.modules)"
    )
    assert done.stdout.split() == ["0", "True", "True", "True"], done.stderr
