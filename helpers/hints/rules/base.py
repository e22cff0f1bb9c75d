"""Machinery for the hint rules: registration, the error's context, and the lookup.

A rule matches an exception by type name and message pattern (the message as
TensorFlow 2.21 / Keras 3.15 words it), and may look at the student's call:
Keras's traceback filter keeps an ``error_handler`` frame whose locals hold
the method the student called (``fit``, ``predict``, ...), its model and its
arguments. A rule returns ``None`` when the evidence does not fit, so an
unrecognised error gets no hint.

Nothing here imports TensorFlow. Used by ``helpers.hints`` in every notebook.
"""
from __future__ import annotations

import linecache
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: A shape as Keras prints it, ``(None, 8, 8)``, captured without its parentheses.
SHAPE = r"\(([0-9None, ]*)\)"
Rule = Callable[[re.Match, "Context"], "str | None"]
RULES: list[tuple[str, re.Pattern, Rule]] = []


def hint(mistake: str, fix: str) -> str:
    """A hint as shown to students: the probable mistake, then the one-line fix."""
    return f"{mistake}\n   Fix: {fix}"


def rule(type_name: str, pattern: str) -> Callable[[Rule], Rule]:
    """Register ``fn`` for exceptions whose class (or a base) is ``type_name`` and whose message matches."""

    def register(fn: Rule) -> Rule:
        RULES.append((type_name, re.compile(pattern, re.S), fn))
        return fn

    return register


def parse_shape(text: str) -> tuple[int | None, ...]:
    """``"(None, 8, 8)"`` -> ``(None, 8, 8)``."""
    return tuple(None if p.strip() == "None" else int(p) for p in text.split(",") if p.strip())


def is_dataset(obj: Any) -> bool:
    """Whether ``obj`` is a ``tf.data.Dataset``, told without importing TensorFlow."""
    return any(c.__name__ == "DatasetV2" for c in type(obj).__mro__)


@dataclass
class KerasCall:
    """The Keras method the student called: ``method`` on ``owner`` with ``args``/``kwargs``."""

    method: str
    owner: Any
    args: tuple
    kwargs: dict

    @property
    def x(self) -> Any:
        return self.args[0] if self.args else self.kwargs.get("x")


class Context:
    """What the rules may look at: the message, the traceback's frames, the Keras call."""

    def __init__(self, error: BaseException):
        self.error = error
        self.message = _ANSI.sub("", str(error))
        self.frames = []
        self.line = ""  # the innermost source line, where linecache knows it
        tb = error.__traceback__
        while tb is not None:
            self.frames.append(tb.tb_frame)
            self.line = linecache.getline(tb.tb_frame.f_code.co_filename, tb.tb_lineno).strip()
            tb = tb.tb_next

    @property
    def innermost(self) -> str:
        return self.frames[-1].f_code.co_name if self.frames else ""

    @cached_property
    def call(self) -> KerasCall | None:
        """The outermost Keras method in the traceback (the one the student called)."""
        for frame in self.frames:
            local = frame.f_locals
            fn = local.get("fn") if frame.f_code.co_name == "error_handler" else None
            args, kwargs = tuple(local.get("args", ())), dict(local.get("kwargs", {}))
            if fn is not None and hasattr(fn, "__self__"):
                return KerasCall(fn.__name__, fn.__self__, args, kwargs)
            if fn is not None and "." in getattr(fn, "__qualname__", "") and args:  # a method: args[0] is self
                return KerasCall(fn.__name__, args[0], args[1:], kwargs)
            if frame.f_code.co_name in ("fit", "evaluate", "predict", "__call__") and "self" in local:
                kwargs = {k: local[k] for k in ("x", "y") if k in local}
                return KerasCall(frame.f_code.co_name, local["self"], (), kwargs)
        return None

    def uses_dataset(self) -> bool:
        return self.call is not None and is_dataset(self.call.x)


def hint_for_exception(error: BaseException) -> str | None:
    """The hint for ``error``, or for the error it was raised from or during; ``None`` if unrecognised."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen and len(seen) < 4:
        seen.add(id(error))
        names = {c.__name__ for c in type(error).__mro__}
        context = None
        for type_name, pattern, fn in RULES:
            if type_name in names:
                context = context or Context(error)
                match = pattern.search(context.message)
                try:
                    found = fn(match, context) if match else None
                except Exception:  # a rule that trips over odd evidence simply does not apply
                    found = None
                if found:
                    return found
        error = error.__cause__ or error.__context__
    return None
