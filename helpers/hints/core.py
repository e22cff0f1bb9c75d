"""What to say: the hint for an error, and the logits check for the models in a namespace.

Plain functions, no IPython: ``helpers.hints.session`` decides when to call
them and where to print. Nothing here imports TensorFlow.

Used by ``helpers.hints`` in every notebook.
"""
from __future__ import annotations

from typing import Any

from helpers.hints import rules

#: What every hint starts with, in the notebook's output.
PREFIX = "💡 Hint: "
_checked_models: set[tuple[int, int]] = set()


def explain(obj: Any = None) -> str | None:
    """The hint for an error or a compiled model, or ``None`` when there is nothing to say.

    Args:
        obj: An exception, or a compiled Keras model to check for logits fed
            to a loss that expects probabilities. Defaults to the last error
            raised in this session.

    Returns:
        A short hint naming the probable mistake and its fix, or ``None``.

    Used in every notebook (``hints.explain(...)``, ``%hint``).

    >>> from helpers import hints
    >>> print(hints.explain(KeyError("acc")))
    Keras 3 logs accuracy as 'accuracy', not 'acc'.
       Fix: history.history["accuracy"]
    """
    import sys  # here, so that no `sys` attribute is reachable from this module

    if obj is None:
        obj = getattr(sys, "last_value", None)
    try:
        if isinstance(obj, BaseException):
            return rules.hint_for_exception(obj)
        if obj is not None:
            return rules.hint_for_model(obj)
    except Exception:  # a hint must never become a second error
        return None
    return None


def check_models(namespace: dict) -> list[str]:
    """The post-cell check: hints for the compiled Keras models in ``namespace``.

    Each compiled model is hinted at most once (until it is compiled again
    with a new optimizer). Only looks if Keras is already imported.

    Args:
        namespace: The notebook's variables (``get_ipython().user_ns``).

    Returns:
        One hint per model that outputs logits into a loss expecting probabilities.

    Used after every cell that calls ``compile(`` or ``fit(``, in every notebook.
    """
    import sys  # here, so that no `sys` attribute is reachable from this module

    keras = sys.modules.get("keras")
    model_class = getattr(keras, "Model", None)
    found = []
    for value in list(namespace.values()):
        if model_class is None or not isinstance(value, model_class):
            continue
        key = (id(value), id(getattr(value, "optimizer", None)))
        text = None if key in _checked_models else explain(value)
        if text:
            _checked_models.add(key)
            found.append(text)
    return found
