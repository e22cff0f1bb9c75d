"""The mistakes ``helpers.hints`` recognises, one rule per mistake, grouped by topic.

- ``compiling``: ``compile`` arguments, losses that do not fit the labels;
- ``data``: input shapes, tf.data pipelines, ``History`` keys;
- ``training``: custom training loops, callbacks, transfer learning;
- ``signs``: warning signs that raise nothing (Keras warnings, logits fed to a probability loss).

Importing this package registers every rule; nothing here imports TensorFlow.
Used by ``helpers.hints.core`` and ``helpers.hints.session`` in every notebook.
"""
from helpers.hints.rules import compiling, data, training  # noqa: F401 - importing registers the rules
from helpers.hints.rules.base import RULES, hint_for_exception
from helpers.hints.rules.signs import WARNING_PATTERNS, hint_for_model, hint_for_warning

__all__ = ["RULES", "WARNING_PATTERNS", "hint_for_exception", "hint_for_model", "hint_for_warning"]
