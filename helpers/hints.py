"""Plain-words hints below Keras and TensorFlow errors.

``enable()`` (called by every notebook's first cell) makes IPython print a
short hint under the normal traceback when it recognises a common mistake:
what probably went wrong, and the one-line fix. The traceback stays, and the
cell still fails, so grading is unaffected. An error it does not recognise
gets no hint. The mistakes themselves live in ``helpers.hint_rules``.

Two warning signs raise no exception, and get a hint anyway, printed once per
cell:

- Keras warnings that Keras words obscurely (and that ``helpers.quiet``
  hides): EarlyStopping watching a metric fit does not log, softmax outputs
  with ``from_logits=True``, variables that get no gradient;
- a model whose last layer outputs logits, compiled with a cross-entropy that
  expects probabilities. After each cell that calls ``compile(`` or ``fit(``,
  the Keras models in the notebook's namespace are checked: their loss and
  last activation only, no forward pass.

On demand: ``%hint`` (or ``print(hints.explain())``) for the last error, and
``%hint model`` (or ``hints.explain(model)``) to check a model.

Used in every notebook.
"""
from __future__ import annotations

import re
import sys
import warnings
from typing import Any

from helpers import hint_rules

PREFIX = "💡 Hint: "
_CALLS_KERAS = re.compile(r"\b(compile|fit)\(")
_checked_models: set[tuple[int, int]] = set()
_warned_this_cell: set[str] = set()


def explain(obj: Any = None) -> str | None:
    """The hint for an error or a compiled model, or ``None`` when there is nothing to say.

    Args:
        obj: An exception, or a compiled Keras model to check for logits fed
            to a loss that expects probabilities. Defaults to the last error
            raised in this session.

    Returns:
        A short hint naming the probable mistake and its fix, or ``None``.

    >>> from helpers import hints
    >>> print(hints.explain(KeyError("acc")))
    Keras 3 logs accuracy as 'accuracy', not 'acc'.
       Fix: history.history["accuracy"]
    """
    if obj is None:
        obj = getattr(sys, "last_value", None)
    try:
        if isinstance(obj, BaseException):
            return hint_rules.hint_for_exception(obj)
        if obj is not None:
            return hint_rules.hint_for_model(obj)
    except Exception:  # a hint must never become a second error
        return None
    return None


def _show_with_hint(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> None:
    # The traceback first, through the shell, exactly as without hints; the cell still counts as failed.
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    text = explain(value)
    if text:
        print(f"\n{PREFIX}{text}")


def hint_magic(line: str = "") -> None:
    """``%hint``: the hint for the last error; ``%hint model``: check a compiled model."""
    if line.strip():
        from IPython import get_ipython

        obj = get_ipython().ev(line.strip())
        text = explain(obj)
        print(f"{PREFIX}{text}" if text else f"{line.strip()}: no warning sign found.")
        return
    error = getattr(sys, "last_value", None)
    if error is None:
        print("No error so far in this session.")
        return
    text = explain(error)
    print(f"{PREFIX}{text}" if text else
          f"No hint for the last error ({type(error).__name__}); read the last line of its traceback first.")


def _showwarning(message: Any, category: type, filename: str, lineno: int, file: Any = None,
                 line: str | None = None) -> None:
    text = hint_rules.hint_for_warning(str(message))
    if text is None:
        _original_showwarning(message, category, filename, lineno, file, line)
    elif str(message) not in _warned_this_cell:
        _warned_this_cell.add(str(message))
        print(f"\nKeras warned: {message}\n{PREFIX}{text}")


_original_showwarning = warnings.showwarning


def _install_warning_hints() -> None:
    """Route the Keras warnings that have a hint to ``_showwarning``, ahead of ``helpers.quiet``'s filters."""
    global _original_showwarning
    patterns = list(hint_rules.WARNING_PATTERNS.values())
    front = {f[1].pattern for f in warnings.filters[:len(patterns)] if f[0] == "always" and f[1] is not None}
    if front != set(patterns):  # re-adding moves them to the front, but also resets every "once" registry
        for pattern in patterns:
            warnings.filterwarnings("always", message=pattern, category=UserWarning)
    if warnings.showwarning is not _showwarning:
        _original_showwarning = warnings.showwarning
        warnings.showwarning = _showwarning


def check_models(namespace: dict) -> list[str]:
    """The post-cell check: hints for the compiled Keras models in ``namespace``.

    Each compiled model is hinted at most once (until it is compiled again
    with a new optimizer). Only looks if Keras is already imported.

    Args:
        namespace: The notebook's variables (``get_ipython().user_ns``).

    Returns:
        One hint per model that outputs logits into a loss expecting probabilities.
    """
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


def _after_cell(result: Any) -> None:
    _warned_this_cell.clear()
    try:
        _install_warning_hints()  # helpers.quiet's filters, added when TensorFlow loads, must not come first
        source = getattr(getattr(result, "info", None), "raw_cell", "") or ""
        if "keras" in sys.modules and _CALLS_KERAS.search(source):
            from IPython import get_ipython

            for text in check_models(get_ipython().user_ns):
                print(f"\n{PREFIX}{text}")
    except Exception:  # a hint must never become an error
        pass


def enable() -> bool:
    """Print hints under errors in this IPython session. Calling it again changes nothing.

    Returns:
        ``True`` when hints were switched on, ``False`` outside IPython.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((Exception,), _show_with_hint)
    callbacks = shell.events.callbacks["post_run_cell"]
    for old in [c for c in callbacks if getattr(c, "__qualname__", "") == "_after_cell"
                and getattr(c, "__module__", "") == __name__]:
        callbacks.remove(old)  # also after importlib.reload(hints)
    shell.events.register("post_run_cell", _after_cell)
    shell.register_magic_function(hint_magic, "line", "hint")
    _install_warning_hints()
    return True
