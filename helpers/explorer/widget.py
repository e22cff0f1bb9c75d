"""``TrainingExplorer``: the ipywidgets layer of the explorer, sliders and buttons over the pure functions.

It only reads its controls, calls ``train_run`` (with ``LiveCurves`` drawing
into its plot area), and shows the records as curves and a table. It trains
only when Train is pressed, never on import or display.

Used in notebooks 02 and 09.
"""
from __future__ import annotations

import html
from typing import Any, Callable

import ipywidgets as widgets

from helpers.explorer.arrays import as_arrays
from helpers.explorer.results import run_label, runs_table, table_html
from helpers.explorer.runs import RunRecord, train_run
from helpers.explorer.settings import OPTIMIZERS, RunSettings, SettingsError, batch_size_options
from helpers.live import LiveCurves
from helpers.quiet import import_tensorflow

keras = import_tensorflow().keras

_DIGITS = object()  # the explorer's default data: the digits training split


class TrainingExplorer(widgets.VBox):
    """Sliders for epochs, batch size and learning rate, a Train button and live curves.

    Every run is kept: its curves are overlaid with the earlier runs' and a
    table lists each run's settings, final validation accuracy, seconds per
    epoch and number of gradient updates. Bad settings give a message in the
    widget, never a traceback. Nothing trains until Train is pressed.

    Args:
        data: ``(x, y)``, a ``DigitsSplits`` or a ``tf.data.Dataset``; ``None``
            means no data (Train then says so). Defaults to the digits
            training split (``helpers.data.load_digits()``).
        model_factory: Returns a new compiled model for each run. Defaults to
            ``helpers.models.digits_classifier``.
        max_epochs: Largest value of the epochs slider. Defaults to 50.

    Used in notebooks 02 and 09, where a cell ends with ``TrainingExplorer()``
    to display it.

    >>> explorer = TrainingExplorer()
    >>> explorer.settings().label, explorer.records
    ('adam lr=0.001 batch=32 epochs=10', [])
    """

    def __init__(self, data: Any = _DIGITS, model_factory: Callable[[], keras.Model] | None = None,
                 max_epochs: int = 50):
        if data is _DIGITS:
            from helpers.data import load_digits

            data = load_digits()
        if model_factory is None:
            from helpers.models import digits_classifier

            model_factory = digits_classifier
        self.data, self.model_factory = data, model_factory
        self.records: list[RunRecord] = []
        d = RunSettings()
        style = {"description_width": "9em"}
        self.epochs = widgets.IntSlider(d.epochs, 1, max_epochs, description="epochs", style=style)
        self.batch_size = widgets.SelectionSlider(
            options=[d.batch_size], value=d.batch_size, description="batch size", style=style)
        self.learning_rate = widgets.FloatLogSlider(
            d.learning_rate, base=10, min=-4, max=0, step=0.25, readout_format=".1e",
            description="learning rate", style=style)
        self.optimizer = widgets.Dropdown(options=list(OPTIMIZERS), value=d.optimizer,
                                          description="optimizer", style=style)
        self.val_fraction = widgets.FloatSlider(d.val_fraction, min=0.0, max=0.5, step=0.05,
                                                description="val fraction", style=style)
        self.train_button = widgets.Button(description="Train", button_style="primary", icon="play")
        self.clear_button = widgets.Button(description="Clear", icon="trash")
        self.message = widgets.HTML("Press <b>Train</b> to start a run.")
        self.plot = widgets.Output(layout={"min_height": "220px"})
        self.table = widgets.HTML()
        self.train_button.on_click(self.train)
        self.clear_button.on_click(self.clear)
        self.val_fraction.observe(lambda _: self._update_batch_sizes(), "value")
        self._update_batch_sizes()
        controls = widgets.VBox([self.epochs, self.batch_size, self.learning_rate,
                                 self.optimizer, self.val_fraction,
                                 widgets.HBox([self.train_button, self.clear_button])])
        super().__init__([controls, self.message, self.plot, self.table])
        self.add_class("training-explorer")

    def settings(self) -> RunSettings:
        """The settings the controls show now."""
        return RunSettings(self.epochs.value, int(self.batch_size.value), self.learning_rate.value,
                           self.optimizer.value, round(self.val_fraction.value, 4))

    def _update_batch_sizes(self) -> None:
        try:
            x, _ = as_arrays(self.data)
        except SettingsError:
            return  # Train will say what is wrong
        num_train = len(x) - int(round(len(x) * self.val_fraction.value))
        options = batch_size_options(max(num_train, 1))
        current = self.batch_size.value
        self.batch_size.options = options
        self.batch_size.value = current if current in options else min(
            options, key=lambda b: abs(b - current))

    def _say(self, text: str, kind: str = "info") -> None:
        colour = {"info": "inherit", "error": "#b00020", "done": "#1b5e20"}[kind]
        self.message.value = f'<span class="explorer-{kind}" style="color:{colour}">{text}</span>'

    def train(self, _button: Any = None) -> RunRecord | None:
        """Train one run with the current settings (what Train does).

        Returns:
            The new ``RunRecord``, or ``None`` when the settings or data were
            wrong (the message says why) or training failed.
        """
        settings, number = self.settings(), len(self.records) + 1
        earlier = [(run_label(i, r.settings), r.history)
                   for i, r in enumerate(self.records, start=1)]
        live = LiveCurves(output=self.plot, label=run_label(number, settings), earlier=earlier)
        self.train_button.disabled = True
        self._say(f"Training run {number}: {html.escape(settings.label)} …")
        try:
            record = train_run(settings, self.data, self.model_factory, callbacks=[live])
        except SettingsError as error:
            self._say(html.escape(str(error)), "error")
            return None
        except Exception as error:  # a student's model or data: say it, do not raise
            self._say(f"Training failed: {type(error).__name__}: {html.escape(str(error))}", "error")
            return None
        finally:
            self.train_button.disabled = False
        self.records.append(record)
        self.table.value = table_html(runs_table(self.records))
        accuracy = record.final_val_accuracy
        result = f"final val accuracy {accuracy:.3f}" if accuracy is not None else "done"
        self._say(f"Run {number}: {result}, {record.seconds_per_epoch:.2f} s per epoch, "
                  f"{record.updates} updates.", "done")
        return record

    def clear(self, _button: Any = None) -> None:
        """Forget every run and empty the plot and the table (what Clear does)."""
        self.records.clear()
        self.plot.outputs = ()
        self.table.value = ""
        self._say("Cleared. Press <b>Train</b> to start a run.")
