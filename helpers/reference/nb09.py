"""Reference answers for notebook 09's exercises; used by helpers.checks.nb09.

Notebook 09 reads training curves from ``history.history``: one list per
metric with one value per epoch (``loss``, ``accuracy``, and ``val_loss``,
``val_accuracy`` when ``fit`` was given ``validation_data``). Its exercises
draw those lists with epochs numbered from 1 (``plot_history``,
``plot_all_metrics``) and name the kind of fit they show against a target
training loss (``diagnose_fit``).
"""
from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

History = Mapping[str, Sequence[float]]

#: ``diagnose_fit``'s thresholds (notebook 09 states the rule in words).
OVERFIT_RISE = 1.10  # the last val_loss more than 10 % above its lowest value
STILL_FALLING = 0.95  # both losses more than 5 % lower than three epochs earlier
WINDOW = 3


def base_metrics(history_dict: History) -> list[str]:
    """The metrics of a history without their ``val_`` twins, in the dict's order.

    Args:
        history_dict: ``history.history`` from ``fit``.

    Returns:
        The keys that do not start with ``"val_"``.

    >>> base_metrics({"loss": [1], "accuracy": [0], "val_loss": [1], "val_accuracy": [0]})
    ['loss', 'accuracy']
    """
    return [key for key in history_dict if not key.startswith("val_")]


def draw_metric(ax: Axes, history_dict: History, metric: str) -> Axes:
    """Draw ``metric``'s training and validation curves on ``ax``, as notebook 09's exercise 1 asks.

    Args:
        ax: The axes to draw on.
        history_dict: ``history.history`` from ``fit``.
        metric: A key of ``history_dict``, such as ``"loss"`` or ``"accuracy"``.

    Returns:
        ``ax``, with a line labelled ``"train"``, one labelled ``"validation"``
        (when the history has ``"val_" + metric``), axis labels and a legend.
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
    """A new figure with ``metric``'s training and validation curves (exercise 1).

    Args:
        history_dict: ``history.history`` from ``fit``.
        metric: Which metric to plot. Defaults to ``"loss"``.

    Returns:
        The ``Figure``, not shown.

    >>> fig = plot_history({"loss": [0.9, 0.5], "val_loss": [1.0, 0.7]})
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['train', 'validation']
    >>> plt.close(fig)
    """
    fig, ax = plt.subplots(figsize=(5, 3.5))
    draw_metric(ax, history_dict, metric)
    fig.tight_layout()
    return fig


def plot_all_metrics(history_dict: History) -> Figure:
    """A new figure with one panel per metric (``loss``, ``accuracy``, ...), side by side (exercise 2).

    Args:
        history_dict: ``history.history`` from ``fit``.

    Returns:
        The ``Figure``, whose ``axes`` follow ``base_metrics(history_dict)``.
    """
    metrics = base_metrics(history_dict)
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.5), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        draw_metric(ax, history_dict, metric)
    fig.tight_layout()
    return fig


def diagnose_fit(history_dict: History, target_loss: float) -> str:
    """Name the fit that a history's loss curves show, by notebook 09's rule of thumb (exercise 3).

    Checked in this order, every comparison strict (a value exactly on a
    threshold does not meet it):

    - ``"overfitting"``: the last validation loss is more than 10 % above the
      lowest validation loss (it went back up while training went on);
    - ``"underfitting"``: the last training loss is above ``target_loss``
      (the model cannot fit even its training data: high bias), or the
      training loss and the validation loss are both still falling fast, each
      more than 5 % below its value three epochs earlier (stopped too early);
    - ``"good fit"``: otherwise.

    Args:
        history_dict: A history with ``loss`` and ``val_loss`` over at least
            four epochs.
        target_loss: The training loss a model that has learned the task
            reaches; a last training loss above it is high.

    Returns:
        ``"overfitting"``, ``"underfitting"`` or ``"good fit"``.

    >>> diagnose_fit({"loss": [1.0, 0.6, 0.4, 0.3], "val_loss": [1.0, 0.7, 0.5, 0.6]}, 0.5)
    'overfitting'
    >>> diagnose_fit({"loss": [2.2, 1.3, 1.22, 1.2], "val_loss": [2.2, 1.3, 1.24, 1.23]}, 0.25)
    'underfitting'
    """
    loss = np.asarray(history_dict["loss"], dtype=float)
    val = np.asarray(history_dict["val_loss"], dtype=float)
    if len(loss) <= WINDOW:
        raise ValueError(f"diagnose_fit needs at least {WINDOW + 1} epochs, got {len(loss)}")
    if val[-1] > OVERFIT_RISE * val.min():
        return "overfitting"
    if loss[-1] > target_loss:
        return "underfitting"
    if loss[-1] < STILL_FALLING * loss[-1 - WINDOW] and val[-1] < STILL_FALLING * val[-1 - WINDOW]:
        return "underfitting"
    return "good fit"
