"""The training explorer: turn the knobs (epochs, batch size, learning rate) and watch the curves.

The widget is a thin layer over pure functions, which the tests call directly:

- ``as_arrays`` and ``split_validation`` turn ``(x, y)``, a ``DigitsSplits`` or a
  ``tf.data.Dataset`` into training and validation arrays;
- ``check_settings`` says, in words, what is wrong with a choice of settings;
- ``train_run`` trains one fresh model and returns a ``RunRecord``;
- ``runs_table`` and ``runs_figure`` turn the records into a table and curves.

``TrainingExplorer`` only reads its controls, calls these, and shows the
results. It trains only when Train is pressed, never on import or display.

Used in notebooks 02 and 09.
"""
from __future__ import annotations

import html
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import ipywidgets as widgets
import numpy as np

from helpers.live import LiveCurves, curves_figure
from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras

OPTIMIZERS = {"adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop"}
_DIGITS = object()  # the explorer's default data: the digits training split
NO_DATA = "No data loaded: pass data=(x, y) (or a tf.data.Dataset) to the explorer."


class SettingsError(ValueError):
    """A setting the explorer cannot train with; the message says what to change."""


@dataclass(frozen=True)
class RunSettings:
    """The knobs of one training run. Defaults are the explorer's defaults."""

    epochs: int = 10
    batch_size: int = 32
    learning_rate: float = 1e-3
    optimizer: str = "adam"
    val_fraction: float = 0.2

    @property
    def label(self) -> str:
        return (f"{self.optimizer} lr={self.learning_rate:.3g} "
                f"batch={self.batch_size} epochs={self.epochs}")


@dataclass
class RunRecord:
    """What one run did: its settings, its curves and what it cost.

    ``history`` is Keras's ``History.history`` (metric -> one value per epoch).
    """

    settings: RunSettings
    history: dict[str, list[float]]
    epoch_seconds: list[float] = field(default_factory=list)
    num_train: int = 0

    @property
    def epochs_run(self) -> int:
        return len(self.history.get("loss", ()))

    @property
    def updates(self) -> int:
        """Gradient updates: batches per epoch times epochs run."""
        return self.epochs_run * math.ceil(self.num_train / self.settings.batch_size)

    @property
    def seconds_per_epoch(self) -> float:
        return float(np.mean(self.epoch_seconds)) if self.epoch_seconds else float("nan")

    @property
    def final_val_accuracy(self) -> float | None:
        values = self.history.get("val_accuracy")
        return values[-1] if values else None


def as_arrays(data: Any) -> tuple[np.ndarray, np.ndarray]:
    """Turn the explorer's data into ``(x, y)`` NumPy arrays.

    Args:
        data: ``(x, y)`` arrays, a ``DigitsSplits`` (its training split is
            used), or a ``tf.data.Dataset`` of ``(x, y)`` pairs, batched or
            not (it is read into memory once: course-sized data only).

    Returns:
        ``(x, y)`` with as many samples in each.

    Raises:
        SettingsError: when there is no data, or ``x`` and ``y`` differ in length.
    """
    if data is None:
        raise SettingsError(NO_DATA)
    if hasattr(data, "x_train"):
        data = (data.x_train, data.y_train)
    elif isinstance(data, tf.data.Dataset):
        data = _dataset_arrays(data)
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise SettingsError(f"data must be (x, y) or a tf.data.Dataset, got {type(data).__name__}.")
    x, y = (np.asarray(a) for a in data)
    if len(x) != len(y):
        raise SettingsError(f"x has {len(x)} samples but y has {len(y)}: pass matching arrays.")
    if len(x) == 0:
        raise SettingsError("The data set is empty. " + NO_DATA)
    return x, y


def _dataset_arrays(dataset: tf.data.Dataset) -> tuple[np.ndarray, np.ndarray]:
    spec = dataset.element_spec
    if not isinstance(spec, tuple) or len(spec) != 2:
        raise SettingsError("The tf.data.Dataset must yield (x, y) pairs.")
    if spec[0].shape.rank and spec[0].shape[0] is None:
        dataset = dataset.unbatch()
    pairs = list(dataset.as_numpy_iterator())
    if not pairs:
        raise SettingsError("The tf.data.Dataset is empty. " + NO_DATA)
    return np.stack([p[0] for p in pairs]), np.stack([p[1] for p in pairs])


def split_validation(x: np.ndarray, y: np.ndarray, val_fraction: float):
    """Keep the last ``val_fraction`` of the samples for validation.

    Returns:
        ``((x_train, y_train), (x_val, y_val))``; the validation pair is
        ``None`` when ``val_fraction`` leaves no sample for it.
    """
    n_val = int(round(len(x) * val_fraction))
    if n_val == 0:
        return (x, y), None
    return (x[:-n_val], y[:-n_val]), (x[-n_val:], y[-n_val:])


def batch_size_options(num_train: int) -> list[int]:
    """Powers of two from 8 up to ``num_train``, then ``num_train`` itself (one batch)."""
    options = [2**k for k in range(3, 31) if 2**k <= num_train]
    if num_train not in options:
        options.append(num_train)
    return options


def check_settings(settings: RunSettings, num_train: int) -> None:
    """Raise ``SettingsError`` with a message for people when ``settings`` cannot train.

    Args:
        settings: The chosen settings.
        num_train: Training samples left after the validation split.
    """
    s = settings
    if num_train < 1:
        raise SettingsError(
            f"Validation fraction {s.val_fraction} leaves no training samples: lower it.")
    if s.epochs < 1:
        raise SettingsError(f"Epochs must be at least 1, got {s.epochs}.")
    if s.batch_size < 1:
        raise SettingsError(f"Batch size must be a positive number, got {s.batch_size}.")
    if s.batch_size > num_train:
        raise SettingsError(
            f"Batch size {s.batch_size} is larger than the {num_train} training samples: "
            f"pick {num_train} or less (or lower the validation fraction).")
    if not s.learning_rate > 0:
        raise SettingsError(f"Learning rate must be positive, got {s.learning_rate}.")
    if s.optimizer not in OPTIMIZERS:
        raise SettingsError(f"Optimizer must be one of {sorted(OPTIMIZERS)}, got {s.optimizer!r}.")
    if not 0 <= s.val_fraction < 1:
        raise SettingsError(f"Validation fraction must be in [0, 1), got {s.val_fraction}.")


def with_optimizer(model: keras.Model, name: str, learning_rate: float) -> keras.Model:
    """Recompile a compiled ``model`` with the same loss and metrics but a new optimizer."""
    if not getattr(model, "compiled", False):
        raise SettingsError("The model factory must return a compiled model: call model.compile(...).")
    config = model.get_compile_config()
    optimizer = getattr(keras.optimizers, OPTIMIZERS[name])(learning_rate=learning_rate)
    config["optimizer"] = keras.optimizers.serialize(optimizer)
    model.compile_from_config(config)
    return model


def build_metrics(model: keras.Model, x: np.ndarray, y: np.ndarray) -> None:
    """Create the model's metric state from one sample, before ``fit``.

    On TensorFlow, Keras otherwise creates it while tracing the train step,
    and TensorFlow then traces that step a second time: about 0.15 s of CPU
    before the first epoch can be drawn. Skipped if this Keras lacks the hook.
    """
    build = getattr(model, "_symbolic_build", None)
    if build is not None:
        try:
            build(data_batch=(x[:1], y[:1]))
        except Exception:  # fit builds (and reports) it as usual
            pass


class _EpochTimer(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def train_run(
    settings: RunSettings,
    data: Any,
    model_factory: Callable[[], keras.Model],
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> RunRecord:
    """Train one fresh model with ``settings`` and record what happened.

    Args:
        settings: Epochs, batch size, learning rate, optimizer, validation fraction.
        data: ``(x, y)``, a ``DigitsSplits`` or a ``tf.data.Dataset``; see ``as_arrays``.
        model_factory: Returns a new compiled model; its optimizer is replaced
            by the one ``settings`` names.
        callbacks: Extra Keras callbacks (``LiveCurves``, ``EarlyStopping``, ...).
            Defaults to none.

    Returns:
        A ``RunRecord`` whose ``history`` equals Keras's ``History.history``.

    Raises:
        SettingsError: for settings or data that cannot train (checked before
            any model is built).

    Used by the training explorer in notebooks 02 and 09.
    """
    x, y = as_arrays(data)
    train, val = split_validation(x, y, settings.val_fraction)
    check_settings(settings, len(train[0]))
    model = with_optimizer(model_factory(), settings.optimizer, settings.learning_rate)
    build_metrics(model, *train)
    timer = _EpochTimer()
    history = model.fit(*train, validation_data=val, epochs=settings.epochs,
                        batch_size=settings.batch_size, callbacks=[timer, *callbacks], verbose=0)
    return RunRecord(settings, dict(history.history), timer.seconds, len(train[0]))


def runs_table(records: Sequence[RunRecord]) -> list[dict[str, Any]]:
    """One row per run: its settings, final validation accuracy, seconds per epoch, updates."""
    rows = []
    for i, r in enumerate(records, start=1):
        s = r.settings
        rows.append({
            "run": i, "optimizer": s.optimizer, "learning rate": s.learning_rate,
            "batch size": s.batch_size, "epochs": r.epochs_run, "val fraction": s.val_fraction,
            "final val accuracy": r.final_val_accuracy,
            "s / epoch": r.seconds_per_epoch, "updates": r.updates,
        })
    return rows


def table_html(rows: Sequence[dict[str, Any]]) -> str:
    """Render ``runs_table`` rows as a small HTML table."""
    if not rows:
        return ""

    def cell(value: Any) -> str:
        if value is None:
            return "–"
        return f"{value:.3g}" if isinstance(value, float) else html.escape(str(value))

    pad = 'style="padding:2px 10px;text-align:right;border-bottom:1px solid #ddd"'
    head = "".join(f"<th {pad}>{html.escape(k)}</th>" for k in rows[0])
    body = "".join("<tr>" + "".join(f"<td {pad}>{cell(v)}</td>" for v in row.values()) + "</tr>"
                   for row in rows)
    return (f'<table class="explorer-runs" style="border-collapse:collapse">'
            f"<tr>{head}</tr>{body}</table>")


def run_label(number: int, settings: RunSettings) -> str:
    """The legend label of run ``number``: its number and settings."""
    return f"#{number} {settings.label}"


def runs_figure(records: Sequence[RunRecord], **kwargs: Any):
    """All runs' curves overlaid, each labelled by its settings (see ``curves_figure``)."""
    return curves_figure(
        [(run_label(i, r.settings), r.history) for i, r in enumerate(records, start=1)], **kwargs)


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

    Used in notebooks 02 and 09.

    >>> explorer = TrainingExplorer()
    >>> explorer          # the last line of a cell displays it
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
