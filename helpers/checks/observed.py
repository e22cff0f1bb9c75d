"""Checks in two halves: *observe* the student's function in the kernel, *judge* the observation anywhere.

A check declared with ``observed_check`` is called as before from a test cell::

    checks.nb01.build_sequential_model(build_sequential_model, 20, 7, 3, seed=1)

- ``observe(student, *args)`` rebuilds the inputs from the arguments, calls the
  student's function and returns what it gave back as plain data: numbers,
  strings, NumPy arrays, lists and dicts (a model's weights and outputs, an
  optimizer's settings). Its own checks only make messages friendlier (a
  student sees "should return a Keras model" instead of an ``AttributeError``);
  they never make a wrong answer pass.
- ``judge(observed, *args)`` compares that data with the reference, rebuilding
  the same inputs from the same arguments, and raises ``CheckFailed`` with the
  expected / got / hint message.

In JupyterLab, ``tfcourse check`` and nbgrader's Validate, the call observes and
judges in the kernel. Under grading, ``GuardedExecute`` switches the kernel to
``report()`` mode: the call only observes and publishes the observation as a
display message of type ``OBSERVATION_MIME``. The grader then judges it in a
trusted process of its own, from the arguments in *its* copy of the test cell
(``autograder.judge``), so nothing the kernel prints can pass a test.

Used by the per-notebook check modules (``helpers.checks.nbNN``).
"""
from __future__ import annotations

import base64
import math
import functools
import inspect
from typing import Any, Callable

import numpy as np

OBSERVATION_MIME = "application/vnd.tfcourse.observation+json"
#: Every check declared with ``observed_check``, by ``"nbNN.name"``.
REGISTRY: dict[str, "ObservedCheck"] = {}
_reporting = {"on": False}


def report() -> None:
    """Publish observations for the grader instead of judging them here (run by the grader in its kernel)."""
    _reporting["on"] = True


def reporting() -> bool:
    """Are observations published for the grader (under grading) rather than judged here?"""
    return _reporting["on"]


class ObservedCheck:
    """A check split into ``observe`` (kernel side) and ``judge`` (pure comparison with the reference)."""

    def __init__(self, name: str, observe: Callable[..., dict], judge: Callable[..., None]):
        self.name, self.observe, self.judge = name, observe, judge
        self.signature = inspect.signature(observe)
        functools.update_wrapper(self, observe)

    def arguments(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The call's arguments by name, defaults filled in, without the student's function."""
        bound = self.signature.bind(None, *args, **kwargs)
        bound.apply_defaults()
        return dict(list(bound.arguments.items())[1:])

    def __call__(self, student: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        arguments = self.arguments(*args, **kwargs)
        observed = self.observe(student, **arguments)
        if _reporting["on"]:
            from IPython.display import publish_display_data

            publish_display_data({OBSERVATION_MIME: {"check": self.name, "observed": encode(observed)}})
        else:
            self.judge(observed, **arguments)

    def __repr__(self) -> str:
        return f"<check {self.name}>"


def notebook_module(stem: str) -> str:
    """The ``nbNN`` a checks module belongs to: a notebook's checks may be split over ``nbNN.py`` and
    ``nbNN_topic.py`` (re-exported by ``nbNN``), and test cells reach them all as ``checks.nbNN.name``.

    >>> notebook_module("nb08_saving")
    'nb08'
    """
    return stem.split("_", 1)[0]


def observed_check(observe: Callable[..., dict]) -> Callable[[Callable[..., None]], ObservedCheck]:
    """Declare a check from its ``observe`` function; decorate the ``judge`` with the result.

    >>> def double(student, n=2):
    ...     return {"value": student(n)}
    >>> @observed_check(double)
    ... def double(observed, n=2):
    ...     assert observed["value"] == 2 * n
    >>> double(lambda n: n + n, 5)
    """
    def declare(judge: Callable[..., None]) -> ObservedCheck:
        module = notebook_module(observe.__module__.rsplit(".", 1)[-1])
        check = ObservedCheck(f"{module}.{observe.__name__}", observe, judge)
        REGISTRY[check.name] = check
        return check

    return declare


_NUMERIC_KINDS = "biuf"


def encode(value: Any) -> Any:
    """Plain data as JSON: arrays as base64 with their dtype and shape, NumPy scalars as Python ones.

    A float that JSON cannot hold (``nan``, ``inf``) is sent as ``{"__float__": "nan"}``:
    Jupyter's messages would turn it into the string ``"nan"``.

    >>> encode([1.5, float("nan"), np.float32(2)])
    [1.5, {'__float__': 'nan'}, 2.0]
    """
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, np.ndarray) or hasattr(value, "numpy"):
        array = np.asarray(value)
        array = np.ascontiguousarray(array) if array.ndim else array.copy()  # ascontiguousarray makes 0-d 1-d
        if array.dtype.kind not in _NUMERIC_KINDS:
            raise TypeError(f"cannot send an array of dtype {array.dtype}")
        return {"__array__": base64.b64encode(array.tobytes()).decode(), "dtype": array.dtype.str,
                "shape": list(array.shape)}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return {"__float__": repr(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot send a {type(value).__name__}")


def decode(value: Any) -> Any:
    """The inverse of ``encode``, accepting only plain JSON and numeric arrays; anything else is ``ValueError``."""
    if isinstance(value, dict):
        if "__array__" in value:
            dtype = np.dtype(value["dtype"])
            shape = tuple(int(n) for n in value["shape"])
            if dtype.kind not in _NUMERIC_KINDS or any(n < 0 for n in shape):
                raise ValueError("malformed array")
            return np.frombuffer(base64.b64decode(value["__array__"]), dtype=dtype).reshape(shape).copy()
        if set(value) == {"__float__"}:
            if value["__float__"] not in ("nan", "inf", "-inf"):
                raise ValueError("malformed float")
            return float(value["__float__"])
        return {str(k): decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"malformed observation: {type(value).__name__}")
