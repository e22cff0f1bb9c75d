"""The training explorer: turn the knobs (epochs, batch size, learning rate) and watch the curves.

The widget is a thin layer over pure functions, which the tests call directly:

- ``settings``: ``RunSettings``, and ``check_settings``, which says in words
  what is wrong with a choice of settings;
- ``arrays``: ``as_arrays`` and ``split_validation`` turn ``(x, y)``, a
  ``DigitsSplits`` or a ``tf.data.Dataset`` into training and validation arrays;
- ``runs``: ``train_run`` trains one fresh model and returns a ``RunRecord``;
- ``results``: ``runs_table`` and ``runs_figure`` turn the records into a
  table and curves;
- ``widget``: ``TrainingExplorer``, the ipywidgets controls over them.

The curves are drawn live by ``helpers.live.LiveCurves``. Nothing trains on
import or display, only when Train is pressed.

Used in notebooks 02 and 09::

    from helpers.explorer import TrainingExplorer
    TrainingExplorer()                                  # digits data, helpers.models.digits_classifier
    TrainingExplorer(data=(x, y), model_factory=make)   # any (x, y) or tf.data.Dataset, any compiled-model factory
"""
from helpers.explorer.widget import TrainingExplorer

__all__ = ["TrainingExplorer"]
