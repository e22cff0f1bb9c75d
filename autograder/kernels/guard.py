"""Kernel-side half of the grading guard: notice when the grading machinery was tampered with.

``GuardedExecute`` runs ``install()`` in the grading kernel before the
notebook's first cell, and ends every test cell with ``finish(nonce)``.
``install`` records what the tests rely on: the comparison and check
functions (``numpy``, ``numpy.testing``, ``helpers.checks``, its building
blocks in ``helpers.checks.core`` and every notebook's checks in
``helpers.checks.nbNN``, ``tf.debugging``, builtins), the core methods of Keras models and layers, and IPython's cell
pipeline (transformers, event callbacks, ``run_cell``). ``finish`` prints
``<nonce>:ok`` when all of that is unchanged and ``<nonce>:tampered:<what>``
otherwise. A cell whose code was skipped or whose exception was swallowed
never reaches ``finish`` at all, so the grader sees no nonce.

This is a tripwire, not a wall: code in the same process can defeat any
in-process check. It catches what the static scan could not see.

Used by ``autograder.preprocessors.GuardedExecute``; ``autograder.kernels.forkserver``
imports what it watches ahead of the fork.
"""
from __future__ import annotations

import builtins
import importlib
import sys
import types
from typing import Any

_OWN_MODULES = ("IPython", "ipykernel", "matplotlib", "matplotlib_inline", "autograder", "helpers", "traitlets")
_SHELL_METHODS = ("run_cell", "run_cell_async", "run_ast_nodes", "run_code", "transform_cell",
                  "should_run_async", "showtraceback")
# Builtins the tests call (ipykernel itself swaps ``input`` on every execution).
_BUILTINS = ("isinstance", "issubclass", "type", "len", "abs", "float", "int", "bool", "str", "all", "any", "sum",
             "min", "max", "round", "print", "getattr", "hasattr", "callable", "range", "zip", "sorted", "repr",
             "iter", "next", "__import__", "__build_class__")
_snapshot: dict[str, Any] = {}


def _notebook_checks() -> dict[str, types.ModuleType]:
    """``helpers.checks.nbNN`` for every notebook whose checks exist, imported now so they are watched."""
    from helpers import checks

    found = {}
    for name in checks.NOTEBOOK_MODULES:
        try:
            found[f"helpers.checks.{name}"] = importlib.import_module(f"helpers.checks.{name}")
        except ModuleNotFoundError as missing:
            if missing.name != f"helpers.checks.{name}":
                raise
    return found


def watched() -> dict[str, Any]:
    """Name -> namespace whose callables the tests rely on."""
    import numpy as np

    from helpers import checks, tf
    from helpers.checks import core

    keras = tf.keras
    return {
        "builtins": types.SimpleNamespace(**{n: getattr(builtins, n) for n in _BUILTINS}),
        "numpy": np, "numpy.testing": np.testing, "numpy.linalg": np.linalg,
        "helpers.checks": checks, "helpers.checks.core": core, **_notebook_checks(),
        "tf.debugging": tf.debugging, "tf.math": tf.math,
        "keras.Model": keras.Model, "keras.Sequential": keras.Sequential,
        "keras.layers.Layer": keras.layers.Layer, "keras.layers.Dense": keras.layers.Dense,
        "keras.optimizers.Optimizer": keras.optimizers.Optimizer,
    }


def _callables(namespace: Any) -> dict[str, tuple[int, int | None]]:
    found = {}
    for name, value in list(vars(namespace).items()):
        if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
            continue  # private names change on their own (caches, lazy loading)
        if callable(value) or isinstance(value, types.ModuleType):
            code = getattr(value, "__code__", None)
            found[name] = (id(value), id(code) if code is not None else None)
    return found


def _foreign(functions: Any) -> list[str]:
    """Names of hook functions that come from neither IPython nor the course."""
    names = []
    for function in functions:
        module = getattr(function, "__module__", None) or type(function).__module__ or ""
        if not module.startswith(_OWN_MODULES):
            names.append(getattr(function, "__qualname__", None) or type(function).__name__)
    return names


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - kernels always have IPython
        return None
    return get_ipython()


def install() -> None:
    """Record the state that ``finish`` checks. Run once, before the notebook's first cell."""
    _snapshot.clear()
    _snapshot["namespaces"] = {name: _callables(ns) for name, ns in watched().items()}
    shell = _shell()
    if shell is not None:
        _snapshot["shell"] = {name: getattr(type(shell), name, None) for name in _SHELL_METHODS}
        _snapshot["instance"] = {name: name in vars(shell) for name in _SHELL_METHODS}


def problems() -> list[str]:
    """What changed since ``install``; empty when nothing did."""
    found = []
    namespaces = watched() if _snapshot.get("namespaces") else {}
    for name, before in _snapshot.get("namespaces", {}).items():
        now = _callables(namespaces[name])
        changed = sorted(k for k, v in before.items() if now.get(k) != v)
        if changed:
            found.append(f"{name}: {', '.join(changed[:5])} replaced")
    if sys.gettrace() is not None or sys.getprofile() is not None:
        found.append("a trace or profile function is installed")
    shell = _shell()
    if shell is not None and "shell" in _snapshot:
        for name, original in _snapshot["shell"].items():
            if getattr(type(shell), name, None) is not original or (
                name in vars(shell) and not _snapshot["instance"][name]
            ):
                found.append(f"IPython's {name} was overridden")
        hooks = [*shell.input_transformers_cleanup, *shell.input_transformers_post, *shell.ast_transformers]
        hooks += [f for callbacks in shell.events.callbacks.values() for f in callbacks]
        foreign = _foreign(hooks)
        if foreign:
            found.append(f"IPython hooks installed: {', '.join(foreign[:5])}")
    return found


def finish(nonce: str) -> None:
    """Tell the grader that this test cell ran to its end, and whether anything was tampered with."""
    found = problems()
    verdict = "ok" if not found else "tampered:" + "; ".join(found)
    sys.stdout.write(f"{nonce}:{verdict}\n")  # one write, so the line arrives in one message
    sys.stdout.flush()
