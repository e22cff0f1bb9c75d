"""Checks for notebook 09: training curves drawn from a history, and the fit they show.

The figure checks read the matplotlib artists the student's function left
behind (lines and their data, axis labels, the legend), not pixels, and
compare them with the history that was plotted. ``diagnose_fit`` compares
the student's verdict with ``helpers.reference.nb09.diagnose_fit``'s.

Instruments: ``VISIBLE_HISTORY`` (the visible tests' history),
``random_history`` (histories generated from a seed) and ``fit_history``
(a history with given loss curves).

Used by notebook 09's test cells (``checks.nb09.plot_history(plot_history)``).
"""
from __future__ import annotations

from typing import Callable, Mapping, NamedTuple, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers.checks.core import check, check_equal, check_instance
from helpers.reference import nb09 as reference

History = Mapping[str, Sequence[float]]
_WORDS = {1: "one", 2: "two", 3: "three"}

#: The history the visible tests plot.
VISIBLE_HISTORY: dict[str, list[float]] = {
    "loss": [0.9, 0.6, 0.45, 0.4], "accuracy": [0.6, 0.75, 0.82, 0.86],
    "val_loss": [1.0, 0.7, 0.6, 0.62], "val_accuracy": [0.55, 0.7, 0.78, 0.79],
}


class FitCase(NamedTuple):
    """One ``diagnose_fit`` case: two loss curves, what they show, and a hint for a wrong verdict."""

    loss: Sequence[float]
    val_loss: Sequence[float]
    story: str
    hint: str


#: The visible tests' three curves: one of each kind of fit.
VISIBLE_FITS: tuple[FitCase, ...] = (
    FitCase([1.0, 0.6, 0.4, 0.3, 0.25, 0.22, 0.21, 0.2], [1.0, 0.65, 0.45, 0.36, 0.33, 0.32, 0.325, 0.32],
            "both losses level off together.", "Only rule 3 applies here."),
    FitCase([1.0, 0.6, 0.4, 0.3, 0.2, 0.14, 0.1, 0.07], [1.0, 0.7, 0.55, 0.5, 0.55, 0.6, 0.66, 0.72],
            "the validation loss rose from 0.5 to 0.72 while the training loss kept falling.",
            "Compare the last val_loss with the lowest val_loss (rule 1), and check it first."),
    FitCase([2.3, 2.1, 1.9, 1.7, 1.5, 1.3, 1.1, 0.95], [2.3, 2.1, 1.95, 1.75, 1.55, 1.35, 1.2, 1.0],
            "both losses are still falling fast at the end.",
            "Compare loss[-1] with 0.95 * loss[-4], and val_loss likewise (rule 2)."),
)


def random_history(seed: int, epochs: int, ranges: Mapping[str, tuple[float, float]]) -> dict[str, list[float]]:
    """A history of uniform random values: each metric of ``ranges``, then each ``val_`` twin.

    Args:
        seed: Seed of ``np.random.default_rng``.
        epochs: Values per list.
        ranges: Metric name -> ``(low, high)``, for the metric and its twin.

    Returns:
        A dict like ``history.history``.

    >>> sorted(random_history(0, 3, {"loss": (0, 1)}))
    ['loss', 'val_loss']
    """
    rng = np.random.default_rng(seed)
    names = list(ranges) + [f"val_{name}" for name in ranges]
    return {name: list(rng.uniform(*ranges[name.removeprefix("val_")], epochs)) for name in names}


def fit_history(loss: Sequence[float], val_loss: Sequence[float]) -> dict[str, list[float]]:
    """A four-key history with the given loss curves and a flat accuracy of 0.5."""
    return {"loss": list(loss), "accuracy": [0.5] * len(loss), "val_loss": list(val_loss),
            "val_accuracy": [0.5] * len(loss)}


def _copy(history: History) -> dict[str, list[float]]:
    return {key: list(values) for key, values in history.items()}


def _count(n: int, noun: str) -> str:
    return f"{_WORDS.get(n, n)} {noun}{'' if n == 1 else 's'}"


def _labelled_lines(ax: Axes) -> list:
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


def _one_line(ax: Axes, word: str, what: str):
    lines = [ln for ln in _labelled_lines(ax) if word in ln.get_label().lower()]
    labels = [ln.get_label() for ln in _labelled_lines(ax)]
    check(len(lines) == 1, f"{what}: the axes should hold exactly one line whose label contains {word!r}.",
          f"one {word!r} line", f"line labels {labels}",
          'Plot each curve once with a label: ax.plot(epochs, values, label="train") '
          'and label="validation"; use a new figure on each call.')
    return lines[0]


def _metric_axes(ax: Axes, history_dict: History, metric: str, what: str) -> None:
    """Check that ``ax`` shows ``metric``'s train and validation curves, as notebook 09 asks.

    A ``train`` and a ``validation`` line whose data equal the history with
    epochs 1..n, an x label with "epoch", a y label naming the metric, and a
    legend listing both lines.
    """
    check_instance(ax, Axes, f"{what}: expected a matplotlib Axes.", "Draw on axes from plt.subplots().")
    train = _one_line(ax, "train", what)
    val = _one_line(ax, "val", what)
    n = len(history_dict[metric])
    for line, key in [(train, metric), (val, f"val_{metric}")]:
        xs, ys = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        check(xs.tolist() == list(range(1, n + 1)),
              f"{what}: the {line.get_label()!r} line's x values should be the epochs, numbered from 1.",
              list(range(1, n + 1)), xs.tolist(),
              "Pass x explicitly: epochs = range(1, len(values) + 1); ax.plot(epochs, values, ...).")
        other = f"val_{metric}" if key == metric else metric
        swapped = ys.shape == (n,) and np.allclose(ys, history_dict[other]) and not np.allclose(ys, history_dict[key])
        check(not swapped, f"{what}: the {line.get_label()!r} line shows history[{other!r}], the other curve.",
              f"history[{key!r}]", f"history[{other!r}]",
              "Label the line of history[metric] 'train' and the line of history['val_' + metric] 'validation'.")
        check(ys.shape == (n,) and bool(np.allclose(ys, history_dict[key])),
              f"{what}: the {line.get_label()!r} line should show history[{key!r}].",
              np.asarray(history_dict[key], float), ys, f"Plot history_dict[{key!r}] for metric={metric!r}.")
    check("epoch" in ax.get_xlabel().lower(), f"{what}: the x axis should be labelled with 'epoch'.",
          "an x label containing 'epoch'", repr(ax.get_xlabel()), 'Call ax.set_xlabel("epoch").')
    check(metric.lower() in ax.get_ylabel().lower(), f"{what}: the y axis should name the metric.",
          f"a y label containing {metric!r}", repr(ax.get_ylabel()), "Call ax.set_ylabel(metric).")
    legend = ax.get_legend()
    texts = [t.get_text() for t in legend.get_texts()] if legend is not None else []
    check(legend is not None and train.get_label() in texts and val.get_label() in texts,
          f"{what}: the axes need a legend naming both lines.", [train.get_label(), val.get_label()],
          texts if legend is not None else "no legend", "Call ax.legend() after plotting the labelled lines.")


def plot_history(student: Callable, history: History | None = None, metrics: Sequence[str] = ("accuracy",),
                 name: str = "visible") -> None:
    """Check exercise 1: ``student(history, metric)`` draws one metric on a new figure.

    Args:
        student: The student's ``plot_history``.
        history: The history to plot. Defaults to ``VISIBLE_HISTORY``.
        metrics: One call per metric, in this order; each must make a new
            figure. Defaults to ``("accuracy",)``.
        name: How the messages name ``history``. Defaults to ``"visible"``.

    Raises:
        CheckFailed: With what was expected, what came back and a hint.
    """
    history = VISIBLE_HISTORY if history is None else history
    figures = [student(_copy(history), metric) for metric in metrics]
    distinct = len({id(fig) for fig in figures})
    check(distinct == len(figures), "plot_history should make a new figure on every call.",
          _count(len(figures), "figure"), _count(distinct, "figure"), "Call plt.subplots() inside the function.")
    for fig, metric in zip(figures, metrics):
        check_instance(fig, Figure, "plot_history should return a matplotlib Figure.",
                       "Create it with fig, ax = plt.subplots() and end with `return fig`.")
        check(len(fig.axes) == 1, "plot_history: the figure should have one Axes.", 1, len(fig.axes),
              "Use fig, ax = plt.subplots() and draw both lines on ax.")
        _metric_axes(fig.axes[0], history, metric, f"plot_history({name}, {metric!r})")
    for fig in figures:
        plt.close(fig)


def plot_all_metrics(student: Callable, history: History | None = None, name: str = "visible") -> None:
    """Check exercise 2: ``student(history)`` draws one panel per metric, in the dict's order.

    Args:
        student: The student's ``plot_all_metrics``.
        history: The history to plot. Defaults to ``VISIBLE_HISTORY``.
        name: How the messages name ``history``. Defaults to ``"visible"``.

    Raises:
        CheckFailed: With what was expected, what came back and a hint.
    """
    history = VISIBLE_HISTORY if history is None else history
    fig = student(_copy(history))
    metrics = reference.base_metrics(history)
    check_instance(fig, Figure, "plot_all_metrics should return a matplotlib Figure.",
                   "Create it with plt.subplots(1, n) and end with `return fig`.")
    check(len(fig.axes) == len(metrics), f"plot_all_metrics({name}): one Axes per metric, without the val_ keys.",
          f"{len(metrics)} axes for {metrics}", f"{len(fig.axes)} axes",
          "Make plt.subplots(1, n) with n the number of keys that do not start with 'val_'.")
    for ax, metric in zip(fig.axes, metrics):
        _metric_axes(ax, history, metric, f"plot_all_metrics({name}), panel {metric!r}")
    plt.close(fig)


def diagnose_fit(student: Callable, cases: Sequence[Sequence] = VISIBLE_FITS) -> None:
    """Check exercise 3: ``student(history)`` names each case's fit as the reference rule does.

    Args:
        student: The student's ``diagnose_fit``.
        cases: ``(loss, val_loss, story, hint)`` each (see ``FitCase``).
            Defaults to ``VISIBLE_FITS``.

    Raises:
        CheckFailed: For the first case whose verdict differs, with its story and hint.
    """
    cases = [FitCase(*case) for case in cases]
    verdicts = [student(fit_history(case.loss, case.val_loss)) for case in cases]
    for case, got in zip(cases, verdicts):
        expected = reference.diagnose_fit(fit_history(case.loss, case.val_loss))
        check_equal(got, expected, f"diagnose_fit: {case.story}", case.hint)
