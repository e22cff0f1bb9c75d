"""Live training curves: a Keras callback that redraws loss and accuracy after every epoch.

``LiveCurves`` keeps its own copy of the per-epoch logs (the same numbers as
``model.fit(...).history``) and, after each epoch, redraws one figure with one
panel per metric: training as a solid line, validation dashed. Earlier runs
can be overlaid, each labelled, so runs with different settings can be
compared at a glance.

Where the figure goes:

- ``output=None`` in a notebook: one display area under the cell, updated in
  place (no flicker, no pile of figures).
- ``output=`` an ``ipywidgets.Output``: the widget's content is replaced by the
  new figure, which also works from a button's click handler.
- outside IPython (plain Python, the tests' harness): nothing is shown, but
  ``history`` and ``figure`` are kept up to date.

The figure is a ``matplotlib.figure.Figure`` made without pyplot, so the
inline backend never shows a second copy at the end of the cell.

Used in notebook 09 and by the training explorer (``helpers.explorer``,
notebooks 02 and 09).
"""
from __future__ import annotations

import base64
import io
from typing import Any, Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras

#: A run to draw: its label and its history (metric name -> one value per epoch).
Curves = tuple[str, Mapping[str, Sequence[float]]]

DEFAULT_METRICS = ("loss", "accuracy")
_COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple",
           "tab:brown", "tab:pink", "tab:gray", "tab:olive", "tab:cyan")


def metrics_present(
    runs: Sequence[Curves], metrics: Sequence[str] = DEFAULT_METRICS
) -> list[str]:
    """The metrics of ``metrics`` that at least one run has, in that order.

    Falls back to every training metric found (names without ``val_``) when
    none of ``metrics`` is present, so a model compiled without accuracy
    still gets its loss drawn.
    """
    keys = {k for _, history in runs for k in history}
    found = [m for m in metrics if m in keys or f"val_{m}" in keys]
    if found:
        return found
    return sorted(k for k in keys if not k.startswith("val_"))


def curves_figure(
    runs: Sequence[Curves],
    metrics: Sequence[str] = DEFAULT_METRICS,
    figsize: tuple[float, float] = (8.0, 3.0),
) -> Figure:
    """Draw the training and validation curves of several runs in one figure.

    Args:
        runs: ``(label, history)`` pairs, oldest first; ``history`` maps a
            metric name (``"loss"``, ``"val_loss"``, ...) to one value per
            epoch, like ``model.fit(...).history``. The last run is drawn on
            top with thicker lines.
        metrics: Metrics to draw, one panel each; ``val_<metric>`` is drawn
            dashed in the same panel. Defaults to ``("loss", "accuracy")``.
        figsize: Size in inches. Defaults to ``(8.0, 3.0)``.

    Returns:
        A ``matplotlib.figure.Figure`` (not registered with pyplot).

    Used in notebook 09 and the training explorer.

    >>> fig = curves_figure([("lr 0.01", {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]})])
    >>> [ax.get_title() for ax in fig.axes]
    ['loss']
    """
    names = metrics_present(runs, metrics) or list(metrics)
    # A fixed layout: constrained layout would double the drawing time.
    fig = Figure(figsize=figsize)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.9, wspace=0.22)
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    for ax, name in zip(axes, names):
        for i, (label, history) in enumerate(runs):
            latest = i == len(runs) - 1
            style = {"color": _COLORS[i % len(_COLORS)], "lw": 2.0 if latest else 1.0}
            for key, dash, suffix in ((name, "-", "train"), (f"val_{name}", "--", "val")):
                values = list(history.get(key, ()))
                if values:
                    epochs = range(1, len(values) + 1)
                    ax.plot(epochs, values, dash, marker=".", label=f"{label} ({suffix})", **style)
        ax.set_title(name)
        ax.set_xlabel("epoch  (solid: train, dashed: validation)", fontsize="small")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    _legend_of_runs(axes[-1])
    return fig


def _legend_of_runs(ax) -> None:
    """One legend entry per run (its colour), not one per line."""
    runs = {}
    for line in ax.lines:
        runs.setdefault(line.get_color(), (line, line.get_label().rsplit(" (", 1)[0]))
    if runs:
        handles, labels = zip(*runs.values())
        ax.legend(handles, labels, fontsize="x-small")


def figure_png(fig: Figure, dpi: int = 72) -> bytes:
    """Render ``fig`` as PNG bytes (Agg, no pyplot)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def display_bundle(fig: Figure, dpi: int = 72) -> dict[str, Any]:
    """A Jupyter ``display_data`` output holding ``fig`` as a PNG."""
    return {
        "output_type": "display_data",
        "data": {
            "image/png": base64.b64encode(figure_png(fig, dpi)).decode("ascii"),
            "text/plain": "<training curves>",
        },
        "metadata": {},
    }


def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        return False
    return get_ipython() is not None


class LiveCurves(keras.callbacks.Callback):
    """Redraw the loss and accuracy curves after every epoch of ``fit``.

    Args:
        output: An ``ipywidgets.Output`` to draw into, or ``None`` to draw
            under the running notebook cell. Defaults to ``None``.
        metrics: Metrics to draw, one panel each. Defaults to
            ``("loss", "accuracy")``.
        label: Legend label of this run. Defaults to ``"this run"``.
        earlier: Earlier runs to overlay, as ``(label, history)`` pairs.
            Defaults to none.
        figsize: Figure size in inches. Defaults to ``(8.0, 3.0)``.
        dpi: Resolution of the drawn PNG. Defaults to 72.

    Attributes:
        history: Metric name -> one value per epoch, equal to the
            ``History`` that ``fit`` returns. Reset when training begins, so
            one callback can be reused for several ``fit`` calls.
        figure: The last figure drawn, or ``None`` before the first epoch.
        epochs_drawn: How many epochs this run has drawn so far.

    Used in notebook 09 and by the training explorer.

    >>> import numpy as np
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> x, y = np.ones((8, 4), "float32"), np.ones(8, "float32")
    >>> curves = LiveCurves()
    >>> history = model.fit(x, y, epochs=2, validation_split=0.25,
    ...                     callbacks=[curves], verbose=0)
    >>> curves.history == history.history
    True
    """

    def __init__(
        self,
        output: Any = None,
        metrics: Sequence[str] = DEFAULT_METRICS,
        label: str = "this run",
        earlier: Sequence[Curves] = (),
        figsize: tuple[float, float] = (8.0, 3.0),
        dpi: int = 72,
    ):
        super().__init__()
        self.output = output
        self.metrics = tuple(metrics)
        self.label = label
        self.earlier = list(earlier)
        self.figsize = figsize
        self.dpi = dpi
        self._reset()

    def _reset(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.figure: Figure | None = None
        self.epochs_drawn = 0
        self._handle = None

    def on_train_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        self._reset()

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        self.redraw()
        self.epochs_drawn += 1

    def redraw(self) -> None:
        """Draw the earlier runs and this run's curves so far, and show them."""
        self.figure = curves_figure(
            [*self.earlier, (self.label, self.history)], self.metrics, self.figsize
        )
        if self.output is not None:
            self.output.outputs = (display_bundle(self.figure, self.dpi),)
        elif _in_ipython():
            self._show_under_cell()

    def _show_under_cell(self) -> None:
        from IPython.display import display

        data = display_bundle(self.figure, self.dpi)["data"]
        if self._handle is None:
            self._handle = display(data, raw=True, display_id=True)
        else:
            self._handle.update(data, raw=True)
