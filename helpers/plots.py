"""Training curves from ``history.history``: plot them, and read them.

``fit`` returns a ``History`` whose ``.history`` dict holds one list per metric
with one value per epoch (``loss``, ``accuracy``, and ``val_loss``,
``val_accuracy`` when ``validation_data`` was given). These functions draw
those lists with epochs numbered from 1, and name the kind of fit they show.

Used in notebook 09.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

History = Mapping[str, Sequence[float]]

#: ``diagnose_fit``'s thresholds (notebook 09 states the rule in words).
OVERFIT_RISE = 1.10  # the last val_loss at least 10 % above its lowest value
STILL_FALLING = 0.95  # both losses at least 5 % lower than three epochs earlier
WINDOW = 3


def base_metrics(history_dict: History) -> list[str]:
    """The metrics of a history without their ``val_`` twins, in the dict's order.

    >>> base_metrics({"loss": [1], "accuracy": [0], "val_loss": [1], "val_accuracy": [0]})
    ['loss', 'accuracy']
    """
    return [key for key in history_dict if not key.startswith("val_")]


def draw_metric(ax: Axes, history_dict: History, metric: str) -> Axes:
    """Draw ``metric``'s training and validation curves on ``ax``.

    Args:
        ax: The axes to draw on.
        history_dict: ``history.history`` from ``fit``.
        metric: A key of ``history_dict``, such as ``"loss"`` or ``"accuracy"``.

    Returns:
        ``ax``, with a line labelled ``"train"``, one labelled ``"validation"``
        (when the history has ``"val_" + metric``), axis labels and a legend.

    Used in notebook 09.
    """
    if metric not in history_dict:
        raise KeyError(f"the history has no {metric!r}; it has {sorted(history_dict)}")
    values = history_dict[metric]
    epochs = np.arange(1, len(values) + 1)
    ax.plot(epochs, values, "o-", label="train")
    if f"val_{metric}" in history_dict:
        ax.plot(epochs, history_dict[f"val_{metric}"], "o-", label="validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.set_title(metric)
    ax.legend()
    return ax


def plot_history(history_dict: History, metric: str = "loss") -> Figure:
    """A new figure with ``metric``'s training and validation curves.

    Args:
        history_dict: ``history.history`` from ``fit``.
        metric: Which metric to plot. Defaults to ``"loss"``.

    Returns:
        The ``Figure``; call ``plt.show()`` to display it.

    Used in notebook 09 (exercise 1).

    >>> fig = plot_history({"loss": [0.9, 0.5], "val_loss": [1.0, 0.7]})
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['train', 'validation']
    """
    fig, ax = plt.subplots(figsize=(5, 3.5))
    draw_metric(ax, history_dict, metric)
    fig.tight_layout()
    return fig


def plot_all_metrics(history_dict: History) -> Figure:
    """A new figure with one panel per metric (``loss``, ``accuracy``, ...), side by side.

    Args:
        history_dict: ``history.history`` from ``fit``.

    Returns:
        The ``Figure``, whose ``axes`` follow ``base_metrics(history_dict)``.

    Used in notebook 09 (exercise 2).
    """
    metrics = base_metrics(history_dict)
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.5), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        draw_metric(ax, history_dict, metric)
    fig.tight_layout()
    return fig


def diagnose_fit(history_dict: History) -> str:
    """Name the fit that a history's loss curves show, by notebook 09's rule of thumb.

    - ``"overfitting"``: the last validation loss is more than 10 % above the
      lowest validation loss (it went back up while training went on);
    - ``"underfitting"``: otherwise, if the training loss and the validation
      loss are both still falling: each is more than 5 % below its value three
      epochs earlier (more epochs or a bigger model would still help);
    - ``"good fit"``: otherwise.

    Args:
        history_dict: A history with ``loss`` and ``val_loss`` over at least
            four epochs.

    Returns:
        ``"overfitting"``, ``"underfitting"`` or ``"good fit"``.

    Used in notebook 09 (exercise 3).
    """
    loss = np.asarray(history_dict["loss"], dtype=float)
    val = np.asarray(history_dict["val_loss"], dtype=float)
    if len(loss) <= WINDOW:
        raise ValueError(f"diagnose_fit needs at least {WINDOW + 1} epochs, got {len(loss)}")
    if val[-1] > OVERFIT_RISE * val.min():
        return "overfitting"
    if loss[-1] < STILL_FALLING * loss[-1 - WINDOW] and val[-1] < STILL_FALLING * val[-1 - WINDOW]:
        return "underfitting"
    return "good fit"


# --- checks for notebook 09's tests: they read the figure's artists, not its pixels ---------------


def _labelled_lines(ax: Axes) -> list:
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


def _one_line(ax: Axes, word: str, what: str) -> object:
    from helpers.checks import core as checks

    lines = [ln for ln in _labelled_lines(ax) if word in ln.get_label().lower()]
    labels = [ln.get_label() for ln in _labelled_lines(ax)]
    checks.check(len(lines) == 1, f"{what}: the axes should hold exactly one line whose label contains {word!r}.",
                 f"one {word!r} line", f"line labels {labels}",
                 'Plot each curve once with a label: ax.plot(epochs, values, label="train") '
                 'and label="validation"; use a new figure on each call.')
    return lines[0]


def check_metric_axes(ax: Axes, history_dict: History, metric: str, what: str) -> None:
    """Check that ``ax`` shows ``metric``'s train and validation curves, as notebook 09 asks.

    Reads the axes' artists: a ``train`` and a ``validation`` line whose data
    equal the history with epochs 1..n, an x label with "epoch", a y label
    naming the metric, and a legend listing both lines.

    Used by notebook 09's tests.
    """
    from helpers.checks import core as checks

    checks.check_instance(ax, Axes, f"{what}: expected a matplotlib Axes.", "Draw on axes from plt.subplots().")
    train = _one_line(ax, "train", what)
    val = _one_line(ax, "val", what)
    n = len(history_dict[metric])
    for line, key in [(train, metric), (val, f"val_{metric}")]:
        xs, ys = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        checks.check(xs.tolist() == list(range(1, n + 1)),
                     f"{what}: the {line.get_label()!r} line's x values should be the epochs, numbered from 1.",
                     list(range(1, n + 1)), xs.tolist(),
                     "Pass x explicitly: epochs = range(1, len(values) + 1); ax.plot(epochs, values, ...).")
        other = f"val_{metric}" if key == metric else metric
        swapped = ys.shape == (n,) and np.allclose(ys, history_dict[other]) and not np.allclose(ys, history_dict[key])
        checks.check(not swapped, f"{what}: the {line.get_label()!r} line shows history[{other!r}], the other curve.",
                     f"history[{key!r}]", f"history[{other!r}]",
                     "Label the line of history[metric] 'train' and the line of history['val_' + metric] 'validation'.")
        checks.check(ys.shape == (n,) and bool(np.allclose(ys, history_dict[key])),
                     f"{what}: the {line.get_label()!r} line should show history[{key!r}].",
                     np.asarray(history_dict[key], float), ys, f"Plot history_dict[{key!r}] for metric={metric!r}.")
    checks.check("epoch" in ax.get_xlabel().lower(), f"{what}: the x axis should be labelled with 'epoch'.",
                 "an x label containing 'epoch'", repr(ax.get_xlabel()), 'Call ax.set_xlabel("epoch").')
    checks.check(metric.lower() in ax.get_ylabel().lower(), f"{what}: the y axis should name the metric.",
                 f"a y label containing {metric!r}", repr(ax.get_ylabel()), "Call ax.set_ylabel(metric).")
    legend = ax.get_legend()
    texts = [t.get_text() for t in legend.get_texts()] if legend is not None else []
    checks.check(legend is not None and train.get_label() in texts and val.get_label() in texts,
                 f"{what}: the axes need a legend naming both lines.", [train.get_label(), val.get_label()],
                 texts if legend is not None else "no legend", "Call ax.legend() after plotting the labelled lines.")
