"""Plain-words hints below Keras and TensorFlow errors.

``enable()`` (called by every notebook's first cell) makes IPython print a
short hint under the normal traceback when it recognises a common mistake:
what probably went wrong, and the one-line fix. The traceback stays, and the
cell still fails, so grading is unaffected. An error it does not recognise
gets no hint.

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

The package:

- ``rules``: the mistakes recognised, one rule per mistake, grouped by topic;
- ``core``: ``explain`` and ``check_models``, what to say (no IPython);
- ``session``: ``enable`` and ``%hint``, when and where to say it.

Importing it is cheap: neither TensorFlow nor IPython is imported.

Used in every notebook::

    from helpers import tf, hints
    hints.enable()
"""
from helpers.hints.core import PREFIX, check_models, explain
from helpers.hints.session import enable, hint_magic

__all__ = ["PREFIX", "check_models", "enable", "explain", "hint_magic"]
