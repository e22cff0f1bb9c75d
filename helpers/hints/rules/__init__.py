"""The mistakes ``helpers.hints`` recognises, one rule per mistake, grouped by topic.

- ``compiling``: ``compile`` arguments, losses that do not fit the labels;
- ``data``: input shapes, tf.data pipelines, ``History`` keys;
- ``training``: custom training loops, callbacks, transfer learning;
- ``transfer``: pretrained bases: weights files, unscaled pixels, augmentation at inference, stale optimizers;
- ``signs``: warning signs that raise nothing (Keras warnings, logits fed to a probability loss).

Importing this package registers every rule; nothing here imports TensorFlow.
Used by ``helpers.hints.core`` and ``helpers.hints.session`` in every notebook.
"""
from typing import Any

from helpers.hints.rules import compiling, data, training, transfer  # noqa: F401 - importing registers the rules
from helpers.hints.rules.base import RULES, hint_for_exception
from helpers.hints.rules.signs import WARNING_PATTERNS, hint_for_warning
from helpers.hints.rules.signs import hint_for_model as _logits_hint


def hint_for_model(model: Any) -> str | None:
    """The first warning sign found on a compiled model: logits fed to a probability loss, then transfer mistakes."""
    if not getattr(model, "compiled", False) or type(model).__name__ not in ("Sequential", "Functional"):
        return None
    return _logits_hint(model) or transfer.hint_for_transfer_model(model)

__all__ = ["RULES", "WARNING_PATTERNS", "hint_for_exception", "hint_for_model", "hint_for_warning"]
