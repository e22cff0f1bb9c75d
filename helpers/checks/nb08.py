"""Checks for notebook 08: Keras's EarlyStopping, the early-stopping rule by hand, and a callback of one's own.

The callbacks run on scripted logs, so the checks know where training must
stop: either inside a real ``fit`` (``helpers.callbacks.scripted_fit``) or
with ``drive``, which calls the callback's hooks as ``fit`` would, without
training. The expected epoch counts and best epochs come from the reference
rule (``helpers.reference.nb08.stop_point``).

Each check takes the student's function (or class) and a list of cases; with
no cases it runs the visible ones. Hidden tests pass their own cases.

Used by notebook 08's test cells, e.g. ``checks.nb08.epochs_until_stop(epochs_until_stop)``.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from helpers.callbacks import scripted_fit, tiny_model
from helpers.checks.core import check, check_equal, check_instance, fail
from helpers.quiet import import_tensorflow
from helpers.reference import nb08 as reference

tf = import_tensorflow()
keras = tf.keras

Scripts = Mapping[str, Sequence[float]]
Weights = list[np.ndarray]


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


def _run(callback: Any, scripts: Scripts, model: keras.Model, how: str) -> tuple[int, list[Weights]]:
    """Epochs run and the weights of each epoch, in a real ``fit`` (``how="fit"``) or driven directly."""
    if how == "fit":
        with warnings.catch_warnings():  # Keras warns when a monitored name is missing; the check says it better
            warnings.simplefilter("ignore")
            _, recorder, history = scripted_fit([callback], scripts, model=model)
        return len(history["loss"]), recorder.weights
    return drive(callback, scripts, model)


def _same(weights_a: Weights, weights_b: Weights) -> bool:
    return all(np.array_equal(a, b) for a, b in zip(weights_a, weights_b))


_MAKE_CASES = ((3, "val_loss", [0.9, 0.7, 0.8, 0.75, 0.72, 0.71, 0.5, 0.4]),)


def make_early_stopping(student: Callable[..., Any], cases: Sequence[tuple] | None = None, *,
                        model_seed: int = 1) -> None:
    """Check that ``student(patience, monitor)`` returns Keras's EarlyStopping, set up to restore the best weights.

    For each case the callback's settings are read back, then it runs in a real
    ``fit`` on the scripted values: it must stop after the rule's epoch count and
    leave the best epoch's weights.

    Args:
        student: The student's ``make_early_stopping``.
        cases: ``(patience, monitor, script)`` or ``(patience, monitor, script, mode)``
            tuples, ``mode`` being the direction Keras infers from the name
            (``"min"`` when left out). Defaults to the visible case.
        model_seed: Seed of the tiny model that trains. Defaults to 1.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    model = tiny_model(model_seed)
    for patience, monitor, script, *mode in cases or _MAKE_CASES:
        name = f"make_early_stopping({patience}, {monitor!r})"
        stopper = student(patience, monitor)
        run = _run(stopper, {monitor: script}, model, "fit") if isinstance(
            stopper, keras.callbacks.EarlyStopping) else None
        epochs_run, best_epoch = reference.stop_point(script, patience, 0.0, mode[0] if mode else "min")

        check_instance(stopper, keras.callbacks.EarlyStopping, f"{name} should return Keras's callback.",
                       "Return keras.callbacks.EarlyStopping(...).")
        check_equal(stopper.monitor, monitor, f"{name} should watch {monitor!r}.", "Pass monitor=monitor.")
        check_equal(stopper.patience, patience, f"{name} should have patience {patience}.", "Pass patience=patience.")
        check(stopper.restore_best_weights is True, f"{name} should restore the best weights.", True,
              stopper.restore_best_weights, "Pass restore_best_weights=True.")
        ran, weights = run
        check_equal(ran, epochs_run, f"{name}: with {monitor} = {script}, training should run this many epochs.",
                    "Keep min_delta and mode at their defaults.")
        check(_same(model.get_weights(), weights[best_epoch]),
              f"{name}: after fit, the model should hold the weights of epoch {best_epoch + 1}.",
              f"the weights of epoch {best_epoch + 1}", "other weights", "Pass restore_best_weights=True.")


_UNTIL_CASES = (
    ([1.0, 0.8, 0.6, 0.5, 0.45], 2, 0.0, "If the loss keeps improving, all the epochs run."),
    ([1.0, 0.8, 0.9, 0.85, 0.7], 2, 0.0,
     "Count the epochs in a row without improvement; stop when the count reaches patience, "
     "and return the number of epochs run (1-based)."),
    ([1.0, 0.95, 0.92, 0.91, 0.5], 3, 0.1, "An epoch improves only if loss < best - min_delta."),
)
_UNTIL_HINT = "Apply the rule above exactly."


def _random_losses(seed: int, count: int):
    """``count`` random ``(val_losses, patience, min_delta)``: 1 to 11 losses, rounded to 2 decimals."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        losses = list(np.round(rng.uniform(0.2, 1.0, int(rng.integers(1, 12))), 2))
        yield losses, int(rng.integers(0, 4)), float(rng.choice([0.0, 0.015, 0.155]))


def epochs_until_stop(student: Callable[..., Any], cases: Sequence[tuple] | None = None, *,
                      seed: int | None = None, count: int = 30) -> None:
    """Check ``student(val_losses, patience, min_delta)`` against the rule, case by case.

    Args:
        student: The student's ``epochs_until_stop``.
        cases: ``(val_losses, patience, min_delta)`` tuples, optionally with a
            hint as a fourth item. Defaults to the visible cases, or to none
            when ``seed`` is given.
        seed: Also check ``count`` random cases drawn from this seed.
            Defaults to ``None``.
        count: How many random cases. Defaults to 30.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    chosen = list(cases) if cases is not None else ([] if seed is not None else list(_UNTIL_CASES))
    if seed is not None:
        chosen += list(_random_losses(seed, count))
    for val_losses, patience, min_delta, *hint in chosen:
        got = student(list(val_losses), patience, min_delta)
        want = reference.epochs_until_stop(val_losses, patience, min_delta)
        check_equal(got, want, f"epochs_until_stop({list(val_losses)}, patience={patience}, min_delta={min_delta})",
                    hint[0] if hint else _UNTIL_HINT)


_RULE_HINTS = {
    "min": "In mode 'min' an epoch improves when value < best - min_delta; stop when the wait reaches patience.",
    "max": "In mode 'max' an epoch improves when value > best + min_delta: check self.mode.",
}
_STOP_CASES = (
    ({"patience": 2}, {"val_loss": [0.9, 0.8, 0.85, 0.82, 0.5, 0.4]}),
    ({"patience": 2}, {"val_loss": [0.9, 0.8, 0.85, 0.82, 0.5, 0.4]}, "fit"),
    ({"patience": 1, "min_delta": 0.1}, {"val_loss": [1.0, 0.95, 0.6, 0.3]}),
    ({"monitor": "val_accuracy", "patience": 2, "mode": "max"}, {"val_accuracy": [0.5, 0.7, 0.6, 0.65, 0.9, 0.95]}),
    ({"patience": 2}, {"loss": [1.0, 0.9, 0.8, 0.7, 0.6, 0.5], "val_loss": [0.8, 0.7, 0.75, 0.74, 0.6, 0.5]}),
)


def patience_stopping_stops(student: type, cases: Sequence[tuple] | None = None, *, model_seed: int = 2) -> None:
    """Check that ``student(**settings)`` stops training after the epoch the rule says.

    Args:
        student: The student's ``PatienceStopping`` class.
        cases: ``(settings, scripts)`` or ``(settings, scripts, how)`` tuples:
            the constructor's keyword arguments, ``{name: values per epoch}``,
            and ``"direct"`` (``drive``) or ``"fit"`` (a real ``fit``).
            Defaults to the visible cases.
        model_seed: Seed of the tiny model. Defaults to 2.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    model = tiny_model(model_seed)
    for settings, scripts, *how in cases or _STOP_CASES:
        how = how[0] if how else "direct"
        callback = student(**settings)
        try:
            got, error = _run(callback, scripts, model, how)[0], None
        except KeyError as exc:
            got, error = None, exc
        monitor, mode = settings.get("monitor", "val_loss"), settings.get("mode", "min")
        want, _ = reference.stop_point(scripts[monitor], settings.get("patience", 0), settings.get("min_delta", 0.0),
                                       mode)

        if error is not None:
            fail(f"PatienceStopping({settings}) read a value that is not in the logs.", f"keys {sorted(scripts)}",
                 f"KeyError: {error}", "Read logs[self.monitor]: the monitored name is in self.monitor.")
        hint = _RULE_HINTS[mode]
        if "loss" in scripts and monitor != "loss":
            hint += f" Read logs[self.monitor] ({monitor!r}), not the training loss."
        check_equal(got, want, f"PatienceStopping({settings}) with logs {scripts}: epochs run ({how})", hint)


_RESTORE_CASES = (
    ({"patience": 2, "restore_best_weights": True}, [0.9, 0.5, 0.7, 0.6, 0.55]),
    ({"patience": 2, "restore_best_weights": True}, [0.9, 0.5, 0.7, 0.6, 0.55], "fit"),
    ({"patience": 2, "restore_best_weights": False}, [0.9, 0.5, 0.7, 0.6, 0.55]),
    ({"patience": 5, "restore_best_weights": True}, [0.9, 0.5, 0.7, 0.6]),  # never stops early
)


def patience_stopping_restores(student: type, cases: Sequence[tuple] | None = None, *, model_seed: int = 3) -> None:
    """Check that after training the model holds the best epoch's weights (restore) or the last epoch's (no restore).

    Args:
        student: The student's ``PatienceStopping`` class.
        cases: ``(settings, val_losses)`` or ``(settings, val_losses, how)``
            tuples, ``how`` being ``"direct"`` or ``"fit"``. Defaults to the visible cases.
        model_seed: Seed of the tiny model. Defaults to 3.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    model = tiny_model(model_seed)
    for settings, script, *how in cases or _RESTORE_CASES:
        how = how[0] if how else "direct"
        got_ran, weights = _run(student(**settings), {"val_loss": script}, model, how)
        final = model.get_weights()
        ran, best = reference.stop_point(script, settings.get("patience", 0), settings.get("min_delta", 0.0), "min")

        check_equal(got_ran, ran, f"PatienceStopping({settings}) with val_loss {script}: epochs run ({how})",
                    "Reset best, best epoch, wait and best weights in on_train_begin, so each fit starts fresh.")
        keep = best if settings.get("restore_best_weights") else ran - 1
        check(_same(final, weights[keep]),
              f"PatienceStopping({settings}) with val_loss {script}: the weights after training ({how})",
              f"the weights of epoch {keep + 1}", "the weights of another epoch",
              "Save self.model.get_weights() on each improvement and set them back in on_train_end "
              "only when restore_best_weights is True.")


_RESET_SCRIPTS = ([0.9, 0.2, 0.5, 0.6, 0.7], [0.8, 0.7, 0.6, 0.5, 0.45])


def patience_stopping_resets(student: type, scripts: Sequence[Sequence[float]] | None = None, *, patience: int = 2,
                             how: str = "fit", model_seed: int = 3) -> None:
    """Check that one ``student(patience=..., restore_best_weights=True)`` starts fresh in each of several runs.

    Args:
        student: The student's ``PatienceStopping`` class.
        scripts: The ``val_loss`` values of each run, in order. Defaults to the visible ones.
        patience: The callback's patience. Defaults to 2.
        how: ``"fit"`` (a real ``fit``) or ``"direct"`` (``drive``). Defaults to ``"fit"``.
        model_seed: Seed of the tiny model. Defaults to 3.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    model = tiny_model(model_seed)
    reused = student(patience=patience, restore_best_weights=True)
    for script in scripts or _RESET_SCRIPTS:
        got_ran, weights = _run(reused, {"val_loss": script}, model, how)
        final = model.get_weights()
        ran, best = reference.stop_point(script, patience)

        check_equal(got_ran, ran, f"a reused PatienceStopping with val_loss {script}: epochs run",
                    "Reset the state (best, wait, best weights) in on_train_begin, not only in __init__.")
        check(_same(final, weights[best]), f"a reused PatienceStopping with val_loss {script}: the restored weights",
              f"the weights of epoch {best + 1}", "the weights of another epoch",
              "Reset the best weights in on_train_begin.")
