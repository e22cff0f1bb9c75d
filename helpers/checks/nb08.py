"""Checks for notebook 08: the early-stopping rule by hand, and a callback of one's own.

The checkpoint exercise (EarlyStopping and ModelCheckpoint in one ``fit``) is
checked in ``helpers.checks.nb08_saving`` and re-exported here.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). The callbacks run on scripted logs, so the
judge knows where training must stop: either inside a real ``fit``
(``helpers.callbacks.scripted_fit``) or with ``drive``, which calls the
callback's hooks as ``fit`` would, without training. Each run starts from a
new ``tiny_model(model_seed)``. The kernel reports how many epochs ran and the
weights left behind; the judge computes the expected epoch counts with the
reference rule (``helpers.reference.nb08.stop_point``) and the weights of
every epoch itself (by ``drive``'s arithmetic, or by the same ``fit`` without
the callback).

Each check takes the student's function (or class), literal cases and a
``seed``: with no cases and no seed it runs the visible cases; with a seed it
adds cases generated from it, at the rule's boundaries (``patience=0``,
equal values, a value exactly ``min_delta`` better, a single epoch).

Used by notebook 08's test cells, e.g. ``checks.nb08.epochs_until_stop(epochs_until_stop)``.
"""
from __future__ import annotations

import functools
import warnings
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from helpers.callbacks import scripted_fit, tiny_model
from helpers.checks.core import check, check_equal, fail
from helpers.checks.observed import observed_check
from helpers.checks.plain import scalar
from helpers.quiet import import_tensorflow
from helpers.reference import nb08 as reference
from helpers.checks.nb08_saving import train_with_checkpoint  # noqa: F401 - test cells call checks.nb08.<name>

tf = import_tensorflow()
keras = tf.keras

Scripts = Mapping[str, Sequence[float]]
Weights = list[np.ndarray]
#: Values and margins that are exact in binary, so that ``value < best - min_delta`` has one answer.
_STEP = 0.125


def drive(callback: keras.callbacks.Callback, scripts: Scripts, model: keras.Model) -> tuple[int, list[Weights]]:
    """Call ``callback``'s hooks as ``fit`` would, with scripted logs and no training.

    At epoch ``i`` the model's weights become its starting weights plus
    ``i + 1``, so each epoch's weights are recognisable. The loop ends when
    the callback sets ``model.stop_training``.

    Args:
        callback: The callback under test.
        scripts: ``{name: values per epoch}``, as for ``ScriptedLogs``.
        model: Any built model; its weights are overwritten.

    Returns:
        ``(epochs_run, weights)``: how many epochs ran, and the weights set
        at each of them.
    """
    callback.set_model(model)
    model.stop_training = False
    start = model.get_weights()
    weights: list[Weights] = []
    callback.on_train_begin({})
    epochs_run = 0
    for epoch in range(min(len(values) for values in scripts.values())):
        callback.on_epoch_begin(epoch, {})
        model.set_weights([w + (epoch + 1) for w in start])
        weights.append(model.get_weights())
        callback.on_epoch_end(epoch, {name: float(values[epoch]) for name, values in scripts.items()})
        epochs_run = epoch + 1
        if model.stop_training:
            break
    callback.on_train_end({})
    return epochs_run, weights


@functools.lru_cache(maxsize=8)
def _tiny(model_seed: int) -> tuple[keras.Model, tuple]:
    model = tiny_model(model_seed)
    return model, tuple(model.get_weights())


def fresh_model(model_seed: int) -> keras.Model:
    """``tiny_model(model_seed)`` as new: one model per seed, its initial weights put back (fit traces once)."""
    model, weights = _tiny(model_seed)
    model.set_weights(list(weights))
    model.stop_training = False
    return model


def _run(callback: Any, scripts: Scripts, how: str, model_seed: int) -> dict[str, Any]:
    """Run ``callback`` on ``fresh_model(model_seed)``: the epochs run and the weights left, or the error."""
    model = fresh_model(model_seed)
    try:
        if how == "fit":
            with warnings.catch_warnings():  # Keras warns when a monitored name is missing; the check says it better
                warnings.simplefilter("ignore")
                _, _, history = scripted_fit([callback], scripts, model=model)
            ran = len(history["loss"])
        else:
            ran = drive(callback, scripts, model)[0]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return {"error": f"{type(error).__name__}: {str(error)[:160]}"}
    return {"error": None, "ran": ran, "weights": model.get_weights()}


@functools.lru_cache(maxsize=64)
def _fit_weights(epochs: int, model_seed: int) -> tuple:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, recorder, _ = scripted_fit([], {"val_loss": [0.0] * epochs}, model=fresh_model(model_seed))
    return tuple(tuple(w) for w in recorder.weights)


def epoch_weights(epochs: int, how: str, model_seed: int) -> list[Weights]:
    """The weights a run of ``epochs`` epochs holds at the end of each epoch, computed without the callback."""
    if how == "fit":
        return [list(w) for w in _fit_weights(epochs, model_seed)]
    start = list(_tiny(model_seed)[1])
    return [[w + (epoch + 1) for w in start] for epoch in range(epochs)]


def _same(weights_a: Sequence[np.ndarray], weights_b: Sequence[np.ndarray]) -> bool:
    return len(weights_a) == len(weights_b) and all(
        np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-5, atol=1e-6) for a, b in zip(weights_a, weights_b))


def _rounded(rng: np.random.Generator, n: int, mode: str) -> list[float]:
    """``n`` values on a grid of ``_STEP``, so that ties and exact ``min_delta`` margins are common."""
    values = rng.integers(1, 9, n) * _STEP
    return [float(v) for v in (values if mode == "min" else 1 - values / 2)]


def _one_per_case(observed: Any, count: int, name: str) -> None:
    check(isinstance(observed, list) and len(observed) == count, f"{name}: one result per case.", count,
          len(observed) if isinstance(observed, list) else type(observed).__name__, "Run each case once.")


_UNTIL_CASES = (
    ([1.0, 0.8, 0.6, 0.5, 0.45], 2, 0.0, "If the loss keeps improving, all the epochs run."),
    ([1.0, 0.8, 0.9, 0.85, 0.7], 2, 0.0,
     "Count the epochs in a row without improvement; stop when the count is at least patience, "
     "and return the number of epochs run (1-based)."),
    ([1.0, 0.95, 0.92, 0.91, 0.5], 3, 0.1, "An epoch improves only if loss < best - min_delta."),
)
_UNTIL_HINT = "Apply the rule above exactly: the best changes only on an improvement, and the wait is compared " \
              "with patience after every epoch that does not improve."


def until_stop_cases(cases: Sequence[tuple] | None, seed: int | None, count: int = 30) -> list[tuple]:
    """``(val_losses, patience, min_delta, hint...)``: the given (or visible) cases, then ``count`` drawn from ``seed``.

    Drawn cases: a single epoch, equal values with ``patience=0``, a value
    exactly ``min_delta`` below the best followed by an improvement on the
    best that was kept, then 1 to 10 losses on a grid of 0.125 (so equal values and
    values exactly ``min_delta`` below the best are common), ``patience``
    from 0 to 4, ``min_delta`` 0, 0.125 or 0.25; one in three cases has
    random losses rounded to 2 decimals instead.
    """
    chosen = [tuple(c) for c in (cases if cases is not None else (() if seed is not None else _UNTIL_CASES))]
    if seed is not None:
        rng = np.random.default_rng(seed)
        best, margin = float(rng.integers(4, 9)) * _STEP, float(rng.integers(1, 3)) * _STEP
        chosen += [([float(rng.integers(1, 9)) * _STEP], int(rng.integers(0, 3)), 0.0),
                   ([best, best, best - _STEP], 0, 0.0),
                   # exactly min_delta better (not an improvement), then an improvement on the kept best
                   ([best, best - margin, best - margin - _STEP, best], 2, margin)]
        for i in range(count - 3):
            n = int(rng.integers(1, 11))
            if i % 3 == 2:
                losses = [float(v) for v in np.round(rng.uniform(0.2, 1.0, n), 2)]
                chosen.append((losses, int(rng.integers(0, 4)), float(rng.choice([0.0, 0.015, 0.155]))))
            else:
                chosen.append((_rounded(rng, n, "min"), int(rng.integers(0, 5)), float(rng.choice([0, 1, 2])) * _STEP))
    return chosen


def epochs_until_stop(student: Callable[..., Any], cases: Sequence[tuple] | None = None, *,
                      seed: int | None = None, count: int = 30) -> list:
    """Check ``student(val_losses, patience, min_delta)`` against the rule, case by case.

    Args:
        student: The student's ``epochs_until_stop``; it gets a new list each call.
        cases: ``(val_losses, patience, min_delta)`` tuples, optionally with a
            hint as a fourth item. Defaults to the visible cases, or to none
            when ``seed`` is given.
        seed: Also check ``count`` cases drawn from it (``until_stop_cases``). Defaults to ``None``.
        count: How many drawn cases. Defaults to 30.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    return [scalar(student(list(losses), patience, min_delta))
            for losses, patience, min_delta, *_ in until_stop_cases(cases, seed, count)]


@observed_check(epochs_until_stop)
def epochs_until_stop(observed, cases=None, seed=None, count=30) -> None:
    chosen = until_stop_cases(cases, seed, count)
    _one_per_case(observed, len(chosen), "epochs_until_stop")
    for got, (losses, patience, min_delta, *hint) in zip(observed, chosen):
        want = reference.epochs_until_stop(losses, patience, min_delta)
        check_equal(got, want, f"epochs_until_stop({list(losses)}, patience={patience}, min_delta={min_delta})",
                    hint[0] if hint else _UNTIL_HINT)


_RULE_HINTS = {
    "min": "In mode 'min' an epoch improves when value < best - min_delta; stop when the wait is at least patience.",
    "max": "In mode 'max' an epoch improves when value > best + min_delta: check self.mode.",
}
_STOP_CASES = (
    ({"patience": 2}, {"val_loss": [0.9, 0.8, 0.85, 0.82, 0.5, 0.4]}),
    ({"patience": 2}, {"val_loss": [0.9, 0.8, 0.85, 0.82, 0.5, 0.4]}, "fit"),
    ({"patience": 1, "min_delta": 0.1}, {"val_loss": [1.0, 0.95, 0.6, 0.3]}),
    ({"monitor": "val_accuracy", "patience": 2, "mode": "max"}, {"val_accuracy": [0.5, 0.7, 0.6, 0.65, 0.9, 0.95]}),
    ({"patience": 2}, {"loss": [1.0, 0.9, 0.8, 0.7, 0.6, 0.5], "val_loss": [0.8, 0.7, 0.75, 0.74, 0.6, 0.5]}),
)


def stop_cases(cases: Sequence[tuple] | None, seed: int | None) -> list[tuple[dict, dict, str]]:
    """``(settings, scripts, how)``: the given (or visible) cases, then eight drawn from ``seed`` and one fixed.

    Drawn cases watch a loss or an accuracy (with the matching mode), with
    ``patience`` 0 to 3 and ``min_delta`` 0, 0.125 or 0.25, on values on a grid
    of 0.125; the logs also hold a decoy ``loss`` that keeps falling. The fixed
    case has an accuracy exactly ``min_delta`` above the best, in mode ``"max"``.
    """
    chosen = [(c[0], c[1], c[2] if len(c) > 2 else "direct")
              for c in (cases if cases is not None else (() if seed is not None else _STOP_CASES))]
    if seed is not None:
        rng = np.random.default_rng(seed)
        for i in range(8):
            monitor = str(rng.choice(["val_loss", "val_accuracy", "val_auc"]))
            mode = "min" if monitor == "val_loss" else "max"
            n = int(rng.integers(1, 9))
            settings = {"monitor": monitor, "patience": int(rng.integers(0, 4)), "mode": mode,
                        "min_delta": float(rng.choice([0, 1, 2])) * _STEP}
            scripts = {monitor: _rounded(rng, n, mode), "loss": [1.0 - 0.1 * e for e in range(n)]}
            chosen.append((settings, scripts, "fit" if i == 0 else "direct"))
        # In mode "max", a value exactly min_delta above the best is no improvement: the wait grows and it stops.
        chosen.append(({"monitor": "val_accuracy", "patience": 1, "mode": "max", "min_delta": 2 * _STEP},
                       {"val_accuracy": [0.5, 0.75, 1.0, 0.875], "loss": [1.0, 0.9, 0.8, 0.7]}, "direct"))
    return chosen


def patience_stopping_stops(student: type, cases: Sequence[tuple] | None = None, *, seed: int | None = None,
                            model_seed: int = 2) -> list[dict[str, Any]]:
    """Check that ``student(**settings)`` stops training after the epoch the rule says.

    Args:
        student: The student's ``PatienceStopping`` class.
        cases: ``(settings, scripts)`` or ``(settings, scripts, how)`` tuples:
            the constructor's keyword arguments, ``{name: values per epoch}``,
            and ``"direct"`` (``drive``) or ``"fit"`` (a real ``fit``).
            Defaults to the visible cases, or to none when ``seed`` is given.
        seed: Add eight cases drawn from it (``stop_cases``). Defaults to ``None``.
        model_seed: Seed of the tiny model. Defaults to 2.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    return [_run(student(**settings), scripts, how, model_seed) for settings, scripts, how in stop_cases(cases, seed)]


@observed_check(patience_stopping_stops)
def patience_stopping_stops(observed, cases=None, seed=None, model_seed=2) -> None:
    chosen = stop_cases(cases, seed)
    _one_per_case(observed, len(chosen), "PatienceStopping")
    for got, (settings, scripts, how) in zip(observed, chosen):
        monitor, mode = settings.get("monitor", "val_loss"), settings.get("mode", "min")
        want, _ = reference.stop_point(scripts[monitor], settings.get("patience", 0), settings.get("min_delta", 0.0),
                                       mode)
        if got["error"] is not None:
            fail(f"PatienceStopping({settings}) failed with logs {sorted(scripts)}.", f"keys {sorted(scripts)}",
                 got["error"], "Read logs[self.monitor]: the monitored name is in self.monitor.")
        hint = _RULE_HINTS[mode]
        if "loss" in scripts and monitor != "loss":
            hint += f" Read logs[self.monitor] ({monitor!r}), not the training loss."
        check_equal(got["ran"], want, f"PatienceStopping({settings}) with logs {dict(scripts)}: epochs run ({how})",
                    hint)


_RESTORE_CASES = (
    ({"patience": 2, "restore_best_weights": True}, [0.9, 0.5, 0.7, 0.6, 0.55]),
    ({"patience": 2, "restore_best_weights": True}, [0.9, 0.5, 0.7, 0.6, 0.55], "fit"),
    ({"patience": 2, "restore_best_weights": False}, [0.9, 0.5, 0.7, 0.6, 0.55]),
    ({"patience": 5, "restore_best_weights": True}, [0.9, 0.5, 0.7, 0.6]),  # never stops early
)


def restore_cases(cases: Sequence[tuple] | None, seed: int | None) -> list[tuple[dict, list, str]]:
    """``(settings, val_losses, how)``: the given (or visible) cases, then six drawn from ``seed``."""
    chosen = [(c[0], list(c[1]), c[2] if len(c) > 2 else "direct")
              for c in (cases if cases is not None else (() if seed is not None else _RESTORE_CASES))]
    if seed is not None:
        rng = np.random.default_rng(seed)
        for i in range(6):
            settings = {"patience": int(rng.integers(0, 4)), "restore_best_weights": bool(i % 3),
                        "min_delta": float(rng.choice([0, 1])) * _STEP}
            chosen.append((settings, _rounded(rng, int(rng.integers(1, 8)), "min"), "fit" if i == 0 else "direct"))
    return chosen


def patience_stopping_restores(student: type, cases: Sequence[tuple] | None = None, *, seed: int | None = None,
                               model_seed: int = 3) -> list[dict[str, Any]]:
    """Check that after training the model holds the best epoch's weights (restore) or the last epoch's (no restore).

    Args:
        student: The student's ``PatienceStopping`` class.
        cases: ``(settings, val_losses)`` or ``(settings, val_losses, how)``
            tuples, ``how`` being ``"direct"`` or ``"fit"``. Defaults to the visible cases.
        seed: Add six cases drawn from it (``restore_cases``). Defaults to ``None``.
        model_seed: Seed of the tiny model. Defaults to 3.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    return [_run(student(**settings), {"val_loss": script}, how, model_seed)
            for settings, script, how in restore_cases(cases, seed)]


def _judge_weights(got: dict[str, Any], script: list, patience: int, min_delta: float, restore: bool, how: str,
                   model_seed: int, name: str, hint: str) -> None:
    if got["error"] is not None:
        fail(f"{name}: training failed.", "a finished run", got["error"], "Read logs[self.monitor].")
    ran, best = reference.stop_point(script, patience, min_delta, "min")
    check_equal(got["ran"], ran, f"{name}: epochs run ({how})", hint)
    keep = best if restore else ran - 1
    check(_same(got["weights"], epoch_weights(len(script), how, model_seed)[keep]),
          f"{name}: the weights after training ({how})", f"the weights of epoch {keep + 1}",
          "the weights of another epoch",
          "Save self.model.get_weights() on each improvement and set them back in on_train_end "
          "only when restore_best_weights is True.")


@observed_check(patience_stopping_restores)
def patience_stopping_restores(observed, cases=None, seed=None, model_seed=3) -> None:
    chosen = restore_cases(cases, seed)
    _one_per_case(observed, len(chosen), "PatienceStopping")
    for got, (settings, script, how) in zip(observed, chosen):
        _judge_weights(got, script, settings.get("patience", 0), settings.get("min_delta", 0.0),
                       bool(settings.get("restore_best_weights")), how, model_seed,
                       f"PatienceStopping({settings}) with val_loss {script}",
                       "Reset best, best epoch, wait and best weights in on_train_begin, so each fit starts fresh.")


_RESET_SCRIPTS = ([0.9, 0.2, 0.5, 0.6, 0.7], [0.8, 0.7, 0.6, 0.5, 0.45])


def reset_scripts(scripts: Sequence[Sequence[float]] | None, seed: int | None) -> list[list[float]]:
    """The ``val_loss`` values of each run: the given (or visible) ones, then three drawn from ``seed``."""
    chosen = [list(s) for s in (scripts if scripts is not None else (() if seed is not None else _RESET_SCRIPTS))]
    if seed is not None:
        rng = np.random.default_rng(seed)
        chosen += [_rounded(rng, int(rng.integers(2, 7)), "min") for _ in range(3)]
    return chosen


def patience_stopping_resets(student: type, scripts: Sequence[Sequence[float]] | None = None, *, patience: int = 2,
                             how: str = "fit", seed: int | None = None, model_seed: int = 3) -> list[dict[str, Any]]:
    """Check that one ``student(patience=..., restore_best_weights=True)`` starts fresh in each of several runs.

    Args:
        student: The student's ``PatienceStopping`` class.
        scripts: The ``val_loss`` values of each run, in order. Defaults to the visible ones.
        patience: The callback's patience. Defaults to 2.
        how: ``"fit"`` (a real ``fit``) or ``"direct"`` (``drive``). Defaults to ``"fit"``.
        seed: Add three runs drawn from it (``reset_scripts``). Defaults to ``None``.
        model_seed: Seed of the tiny model. Defaults to 3.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    reused = student(patience=patience, restore_best_weights=True)
    return [_run(reused, {"val_loss": script}, how, model_seed) for script in reset_scripts(scripts, seed)]


@observed_check(patience_stopping_resets)
def patience_stopping_resets(observed, scripts=None, patience=2, how="fit", seed=None, model_seed=3) -> None:
    chosen = reset_scripts(scripts, seed)
    _one_per_case(observed, len(chosen), "a reused PatienceStopping")
    for got, script in zip(observed, chosen):
        _judge_weights(got, script, patience, 0.0, True, how, model_seed,
                       f"a reused PatienceStopping with val_loss {script}",
                       "Reset the state (best, wait, best weights) in on_train_begin, not only in __init__.")
