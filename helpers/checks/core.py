"""Assertions for the notebooks' visible tests: say what was expected, what came back, and a hint.

A failed check raises ``CheckFailed`` (an ``AssertionError``) whose message
reads::

    build_sequential_model(): the last layer should turn scores into probabilities.
      expected: activation 'softmax'
      got:      activation 'linear'
      hint:     Give the last Dense layer activation='softmax'.

Used by every notebook's checks (``helpers.checks.nbNN``) and re-exported by ``helpers.checks``.
"""
from __future__ import annotations

import reprlib
from typing import Any

import numpy as np

_repr = reprlib.Repr()
_repr.maxstring = 120
_repr.maxother = 120
_repr.maxlist = 8


class CheckFailed(AssertionError):
    """A visible test found a wrong answer; the message says what to change."""


def show(value: Any) -> str:
    """A short, readable rendering of ``value`` for a test message."""
    if isinstance(value, str):
        return value if len(value) <= 200 else value[:197] + "..."
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=4, threshold=12, edgeitems=3)
        return f"array{value.shape} {text}" if value.ndim > 1 else text
    return _repr.repr(value)


def fail(what: str, expected: Any, got: Any, hint: str) -> None:
    """Raise ``CheckFailed`` with the expected / got / hint message.

    Args:
        what: Which function and which property failed, as one sentence.
        expected: What a correct answer gives (shown with ``show``).
        got: What the student's answer gave.
        hint: What to change, in one sentence.
    """
    raise CheckFailed(
        f"{what}\n  expected: {show(expected)}\n  got:      {show(got)}\n  hint:     {hint}"
    )


def check(condition: bool, what: str, expected: Any, got: Any, hint: str) -> None:
    """Fail with the expected / got / hint message unless ``condition`` holds."""
    if condition is not True and not (isinstance(condition, np.bool_) and bool(condition)):
        fail(what, expected, got, hint)


def _plain(value: Any) -> Any:
    """NumPy scalars become Python ones; lists and tuples are compared item by item."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


def check_equal(got: Any, expected: Any, what: str, hint: str) -> None:
    """Check ``got == expected`` exactly, with the same type (ints, strings, shapes).

    The type must match too, so ``True`` is not ``1`` and ``3.0`` is not ``3``,
    and an object whose ``__eq__`` always says yes is not taken for an answer.
    """
    g, e = _plain(got), _plain(expected)
    check(type(g) is type(e) and bool(e == g), what, expected, got, hint)


def check_close(
    got: Any, expected: Any, what: str, hint: str, rtol: float = 1e-5, atol: float = 1e-6
) -> None:
    """Check that two numbers or arrays agree within a tolerance, shapes included."""
    got_arr = np.asarray(got, dtype=np.float64)
    exp_arr = np.asarray(expected, dtype=np.float64)
    if got_arr.shape != exp_arr.shape:
        fail(what, f"shape {exp_arr.shape}", f"shape {got_arr.shape}", hint)
    diff = np.abs(got_arr - exp_arr)
    ok = bool(np.all(diff <= atol + rtol * np.abs(exp_arr)))
    check(ok, what, expected, got, hint)


def check_instance(obj: Any, cls: type | tuple[type, ...], what: str, hint: str) -> None:
    """Check ``isinstance(obj, cls)``, naming both types in the message."""
    names = cls.__name__ if isinstance(cls, type) else " or ".join(c.__name__ for c in cls)
    check(isinstance(obj, cls), what, f"an instance of {names}", f"{type(obj).__name__}: {show(obj)}", hint)


def passed(name: str) -> None:
    """Print the line a student sees when every visible check of ``name`` passed.

    Under grading the checks only observe (``helpers.checks.observed``), so
    nothing has passed yet: the grader's own line replaces this one.
    """
    from helpers.checks.observed import reporting

    if not reporting():
        print(f"✓ {name}: all visible checks passed.")


def check_model_matches(model: Any, reference: Any, x: np.ndarray, name: str) -> None:
    """Check that ``model`` computes what ``reference`` computes, given the same weights.

    Gives ``model``'s weights to the reference (so the architecture must match
    layer for layer) and compares the outputs on ``x``. This accepts any way
    of writing the same network (``Activation`` layers, ``.add()``, a function
    instead of a string) and rejects any different computation. Both halves
    in one process; the grader uses ``judge_model_outputs`` alone.

    Args:
        model: The student's model.
        reference: The reference model, already built.
        x: A batch of inputs.
        name: The exercise's function name, for the message.

    Used in JupyterLab by anyone checking a model by hand.
    """
    judge_model_outputs(model.get_weights(), np.asarray(model(x, training=False)), reference, x, name)


def judge_model_outputs(
    weights: list, outputs: np.ndarray | None, reference: Any, x: np.ndarray, name: str, error: str | None = None
) -> None:
    """Check that ``reference``, given a student model's ``weights``, computes that model's ``outputs`` on ``x``.

    ``check_model_matches`` in two halves: the student's model is seen
    only through its weights and its outputs (``helpers.checks.observed``), so
    the architecture must match layer for layer, and any way of writing the
    same network passes.

    Args:
        weights: The student's model's weights, in ``get_weights()`` order.
        outputs: The student's model's outputs on ``x``.
        reference: The reference model, already built.
        x: The batch of inputs the outputs were computed on.
        name: The exercise's function name, for the message.
        error: Why the student's model could not compute ``outputs``, if it could not. Defaults to ``None``.

    Used by the tests of notebook 01.
    """
    got_shapes = [tuple(np.shape(w)) for w in weights]
    want_shapes = [tuple(w.shape) for w in reference.get_weights()]
    check(got_shapes == want_shapes, f"{name}: the model's weights should have these shapes, layer by layer.",
          want_shapes, got_shapes,
          "Check the number of Dense layers and their units; build the model for the given input size.")
    if error is not None or outputs is None:
        fail(f"{name}: the model should run on a batch of {x.shape[1]} features.", "outputs", error,
             "Build the model for the given input size.")
    reference.set_weights([np.asarray(w) for w in weights])
    got = np.asarray(outputs, dtype=np.float64)
    want = np.asarray(reference(x, training=False), dtype=np.float64)
    check(got.shape == want.shape, f"{name}: the output shape is wrong.", want.shape, got.shape,
          "The last layer needs one unit per class.")
    sums = got.sum(axis=-1)
    check(bool(np.allclose(sums, 1.0, atol=1e-4)), f"{name}: each output row should be probabilities that sum to 1.",
          "rows summing to 1.0", f"rows summing to {show(sums[:3])}...",
          "Give the last Dense layer activation='softmax'.")
    check_close(got, want, f"{name}: with the reference weights, the outputs should match the reference model.",
                "Check the hidden layer's activation (ReLU) and the order of the layers.", rtol=1e-5, atol=1e-6)
