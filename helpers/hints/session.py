"""When and where hints are printed: IPython's error display, the ``%hint`` magic, warnings, the post-cell check.

``enable()`` installs four hooks in the running IPython shell:

- a custom exception handler that shows the traceback exactly as before,
  then the hint (the cell still fails, so grading is unaffected);
- ``%hint``, the hint for the last error or a check of a model;
- a ``warnings.showwarning`` that prints a hint instead of the Keras
  warnings that have one, once per cell;
- a ``post_run_cell`` callback that runs ``check_models`` after cells calling
  ``compile(`` or ``fit(``, and keeps the warning filters ahead of
  ``helpers.quiet``'s.

Used by ``helpers.hints`` in every notebook.
"""
from __future__ import annotations

import re
import warnings
from typing import Any

from helpers.hints import rules
from helpers.hints.core import PREFIX, check_models, explain

_CALLS_KERAS = re.compile(r"\b(compile|fit)\(")
_warned_this_cell: set[str] = set()


def _show_with_hint(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> None:
    # The traceback first, through the shell, exactly as without hints; the cell still counts as failed.
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    text = explain(value)
    if text:
        print(f"\n{PREFIX}{text}")


def hint_magic(line: str = "") -> None:
    """``%hint``: the hint for the last error; ``%hint model``: check a compiled model.

    Args:
        line: What follows ``%hint``: empty for the last error, or the name
            of a model in the notebook (looked up, never evaluated). Defaults to ``""``.

    Used in every notebook.
    """
    import sys  # here, so that no `sys` attribute is reachable from this module

    name = line.strip()
    if name:
        from IPython import get_ipython

        # A name is looked up, never evaluated: the magic runs no code of its own.
        namespace = get_ipython().user_ns if get_ipython() is not None else {}
        if not name.isidentifier() or name not in namespace:
            print(f"%hint takes the name of a model in this notebook, e.g. `%hint model`; {name!r} is not one.")
            return
        text = explain(namespace[name])
        print(f"{PREFIX}{text}" if text else f"{name}: no warning sign found.")
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
    text = rules.hint_for_warning(str(message))
    if text is None:
        _original_showwarning(message, category, filename, lineno, file, line)
    elif str(message) not in _warned_this_cell:
        _warned_this_cell.add(str(message))
        print(f"\nKeras warned: {message}\n{PREFIX}{text}")


_original_showwarning = warnings.showwarning


def _install_warning_hints() -> None:
    """Route the Keras warnings that have a hint to ``_showwarning``, ahead of ``helpers.quiet``'s filters."""
    global _original_showwarning
    patterns = list(rules.WARNING_PATTERNS.values())
    front = {f[1].pattern for f in warnings.filters[:len(patterns)] if f[0] == "always" and f[1] is not None}
    if front != set(patterns):  # re-adding moves them to the front, but also resets every "once" registry
        for pattern in patterns:
            warnings.filterwarnings("always", message=pattern, category=UserWarning)
    if warnings.showwarning is not _showwarning:
        _original_showwarning = warnings.showwarning
        warnings.showwarning = _showwarning


def _after_cell(result: Any) -> None:
    _warned_this_cell.clear()
    try:
        _install_warning_hints()  # helpers.quiet's filters, added when TensorFlow loads, must not come first
        source = getattr(getattr(result, "info", None), "raw_cell", "") or ""
        import sys

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

    Used in every notebook's first cell (``hints.enable()``).
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
        callbacks.remove(old)  # also after importlib.reload(session)
    shell.events.register("post_run_cell", _after_cell)
    shell.register_magic_function(hint_magic, "line", "hint")
    _install_warning_hints()
    return True
