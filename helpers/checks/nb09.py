"""Checks for notebook 09: training curves drawn from a history, and the fit they show.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). The figure checks observe the matplotlib
artists the student's function left behind (each line's label and data, the
axis labels, the legends of the axes and of the figure), not pixels; the
judge compares them with the history that was plotted, which it rebuilds
from the arguments. ``diagnose_fit`` observes the student's verdicts on
histories built from the arguments; the judge computes
``helpers.reference.nb09.diagnose_fit``'s own.

Instruments: ``VISIBLE_HISTORY`` (the visible tests' history),
``random_history`` (histories generated from a seed), ``fit_history``
(a history with given loss curves) and ``fit_cases`` (loss curves drawn
from a seed where each part of the rule decides the verdict).

Used by notebook 09's test cells (``checks.nb09.plot_history(plot_history)``).
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, NamedTuple, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from helpers.checks.core import check, check_equal
from helpers.checks.observed import observed_check
from helpers.checks.plain import scalar
from helpers.reference import nb09 as reference

History = Mapping[str, Sequence[float]]
_WORDS = {1: "one", 2: "two", 3: "three"}

#: The history the visible tests plot.
VISIBLE_HISTORY: dict[str, list[float]] = {
    "loss": [0.9, 0.6, 0.45, 0.4], "accuracy": [0.6, 0.75, 0.82, 0.86],
    "val_loss": [1.0, 0.7, 0.6, 0.62], "val_accuracy": [0.55, 0.7, 0.78, 0.79],
}


class FitCase(NamedTuple):
    """One ``diagnose_fit`` case: two loss curves, the target loss, what they show, and a hint for a wrong verdict."""

    loss: Sequence[float]
    val_loss: Sequence[float]
    target: float
    story: str
    hint: str


#: The visible tests' four curves: a good fit, overfitting, and the two faces of underfitting.
VISIBLE_FITS: tuple[FitCase, ...] = (
    FitCase([1.0, 0.6, 0.4, 0.3, 0.25, 0.22, 0.21, 0.2], [1.0, 0.65, 0.45, 0.36, 0.33, 0.32, 0.325, 0.32], 0.25,
            "both losses level off together, the training loss below the target of 0.25.",
            "Only rule 3 applies here."),
    FitCase([1.0, 0.6, 0.4, 0.3, 0.2, 0.14, 0.1, 0.07], [1.0, 0.7, 0.55, 0.5, 0.55, 0.6, 0.66, 0.72], 0.25,
            "the validation loss rose from 0.5 to 0.72 while the training loss kept falling.",
            "Compare the last val_loss with the lowest val_loss (rule 1), and check it first."),
    FitCase([2.2, 1.9, 1.65, 1.48, 1.37, 1.3, 1.26, 1.24, 1.23, 1.22],
            [2.1, 1.85, 1.63, 1.48, 1.39, 1.33, 1.29, 1.27, 1.26, 1.25], 0.25,
            "both losses levelled off together at about 1.2, far above the target of 0.25 (a model too small).",
            "Rule 2: a last training loss above target_loss is underfitting, even on flat curves."),
    FitCase([1.0, 0.8, 0.62, 0.48, 0.38, 0.3, 0.24, 0.19], [1.0, 0.82, 0.66, 0.53, 0.43, 0.35, 0.29, 0.24], 0.25,
            "both losses are still falling fast at the end (the training loss is already below the target).",
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


def history_for(history: History | None, seed: int | None, metrics: Sequence[str]) -> dict[str, list[float]]:
    """The history a figure check plots: the one given, ``VISIBLE_HISTORY``, or one drawn from ``seed``.

    A drawn history has 1 to 9 epochs of ``metrics`` (values between 0 and 2),
    then their ``val_`` twins.
    """
    if history is not None:
        return _copy(history)
    if seed is None:
        return _copy(VISIBLE_HISTORY)
    epochs = int(np.random.default_rng(seed).integers(1, 10))
    return random_history(seed + 1, epochs, {metric: (0.0, 2.0) for metric in metrics})


def _texts(legend: Any) -> list[str]:
    return [] if legend is None else [str(t.get_text()) for t in legend.get_texts()]


def _numbers(values: Any) -> Any:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return None
    return array if array.ndim == 1 else None


def figure_data(fig: Any) -> dict[str, Any]:
    """What a figure shows, as plain data: each Axes' lines (label, x, y), axis labels and legend, and the figure's
    legends."""
    if not isinstance(fig, Figure):
        return {"figure": False, "type": type(fig).__name__}
    axes = [{"lines": [{"label": str(line.get_label()), "x": _numbers(line.get_xdata()),
                        "y": _numbers(line.get_ydata())} for line in ax.get_lines()],
             "xlabel": str(ax.get_xlabel()), "ylabel": str(ax.get_ylabel()), "legend": _texts(ax.get_legend())}
            for ax in fig.axes]
    return {"figure": True, "type": type(fig).__name__, "axes": axes,
            "figure_legends": [_texts(legend) for legend in fig.legends]}


def _one_line(ax: dict, word: str, what: str) -> dict:
    labelled = [line for line in ax["lines"] if not line["label"].startswith("_")]
    lines = [line for line in labelled if word in line["label"].lower()]
    check(len(lines) == 1, f"{what}: the axes should hold exactly one line whose label contains {word!r}.",
          f"one {word!r} line", f"line labels {[line['label'] for line in labelled]}",
          'Plot each curve once with a label: ax.plot(epochs, values, label="train") '
          'and label="validation"; use a new figure on each call.')
    return lines[0]


def _judge_axes(ax: dict, figure_legends: list[list[str]], history: History, metric: str, what: str) -> None:
    """Judge one observed Axes against ``metric``'s train and validation curves, as notebook 09 asks.

    A ``train`` and a ``validation`` line whose data equal the history with
    epochs 1..n, an x label with "epoch", a y label naming the metric, and a
    legend naming both lines: the Axes' own or one of the figure's (``fig.legend()``).
    """
    train = _one_line(ax, "train", what)
    val = _one_line(ax, "val", what)
    n = len(history[metric])
    for line, key in [(train, metric), (val, f"val_{metric}")]:
        xs, ys = line["x"], line["y"]
        check(xs is not None and xs.tolist() == list(range(1, n + 1)),
              f"{what}: the {line['label']!r} line's x values should be the epochs, numbered from 1.",
              list(range(1, n + 1)), None if xs is None else xs.tolist(),
              "Pass x explicitly: epochs = range(1, len(values) + 1); ax.plot(epochs, values, ...).")
        other = f"val_{metric}" if key == metric else metric
        fits = ys is not None and ys.shape == (n,)
        swapped = fits and np.allclose(ys, history[other]) and not np.allclose(ys, history[key])
        check(not swapped, f"{what}: the {line['label']!r} line shows history[{other!r}], the other curve.",
              f"history[{key!r}]", f"history[{other!r}]",
              "Label the line of history[metric] 'train' and the line of history['val_' + metric] 'validation'.")
        check(fits and bool(np.allclose(ys, history[key])), f"{what}: the {line['label']!r} line should show "
              f"history[{key!r}].", np.asarray(history[key], float), ys, f"Plot history_dict[{key!r}] for "
              f"metric={metric!r}.")
    check("epoch" in ax["xlabel"].lower(), f"{what}: the x axis should be labelled with 'epoch'.",
          "an x label containing 'epoch'", repr(ax["xlabel"]), 'Call ax.set_xlabel("epoch").')
    check(metric.lower() in ax["ylabel"].lower(), f"{what}: the y axis should name the metric.",
          f"a y label containing {metric!r}", repr(ax["ylabel"]), "Call ax.set_ylabel(metric).")
    legends = [ax["legend"], *figure_legends]
    check(any(train["label"] in texts and val["label"] in texts for texts in legends),
          f"{what}: the axes need a legend naming both lines.", [train["label"], val["label"]],
          [texts for texts in legends if texts] or "no legend",
          "Call ax.legend() (or fig.legend()) after plotting the labelled lines.")


def _judge_figure(fig: dict, what: str, hint: str) -> None:
    check(fig.get("figure") is True, f"{what} should return a matplotlib Figure.", "a Figure", fig.get("type"), hint)


def plot_history(student: Callable, history: History | None = None, metrics: Sequence[str] = ("accuracy",),
                 seed: int | None = None) -> dict[str, Any]:
    """Check exercise 1: ``student(history, metric)`` draws one metric on a new figure.

    Args:
        student: The student's ``plot_history``.
        history: The history to plot. Defaults to ``VISIBLE_HISTORY``, or to one drawn from ``seed``.
        metrics: One call per metric, in this order; each must make a new
            figure. Defaults to ``("accuracy",)``.
        seed: Draw the history from it (``history_for``). Defaults to ``None``.

    Raises:
        CheckFailed: With what was expected, what came back and a hint.
    """
    plotted = history_for(history, seed, metrics)
    figures = [student(_copy(plotted), metric) for metric in metrics]
    observed = {"ids": [id(fig) for fig in figures], "figures": [figure_data(fig) for fig in figures]}
    for fig in figures:
        if isinstance(fig, Figure):
            plt.close(fig)
    return observed


@observed_check(plot_history)
def plot_history(observed, history=None, metrics=("accuracy",), seed=None) -> None:
    plotted = history_for(history, seed, metrics)
    figures, distinct = observed["figures"], len(set(observed["ids"]))
    check_equal(len(figures), len(metrics), "plot_history: one figure per call.", "Return the figure.")
    check(distinct == len(figures), "plot_history should make a new figure on every call.",
          _count(len(figures), "figure"), _count(distinct, "figure"), "Call plt.subplots() inside the function.")
    name = "visible" if history is None and seed is None else f"a history of {len(plotted[metrics[0]])} epochs"
    for fig, metric in zip(figures, metrics):
        _judge_figure(fig, "plot_history", "Create it with fig, ax = plt.subplots() and end with `return fig`.")
        check(len(fig["axes"]) == 1, "plot_history: the figure should have one Axes.", 1, len(fig["axes"]),
              "Use fig, ax = plt.subplots() and draw both lines on ax.")
        _judge_axes(fig["axes"][0], fig["figure_legends"], plotted, metric, f"plot_history({name}, {metric!r})")


def plot_all_metrics(student: Callable, history: History | None = None,
                     metrics: Sequence[str] = ("loss", "accuracy", "mae"), seed: int | None = None) -> dict:
    """Check exercise 2: ``student(history)`` draws one panel per metric, in the dict's order.

    Args:
        student: The student's ``plot_all_metrics``.
        history: The history to plot. Defaults to ``VISIBLE_HISTORY``, or to one drawn from ``seed``.
        metrics: The metrics of a drawn history, in this order. Defaults to ``("loss", "accuracy", "mae")``.
        seed: Draw the history from it (``history_for``). Defaults to ``None``.

    Raises:
        CheckFailed: With what was expected, what came back and a hint.
    """
    fig = student(history_for(history, seed, metrics))
    observed = figure_data(fig)
    if isinstance(fig, Figure):
        plt.close(fig)
    return observed


@observed_check(plot_all_metrics)
def plot_all_metrics(observed, history=None, metrics=("loss", "accuracy", "mae"), seed=None) -> None:
    plotted = history_for(history, seed, metrics)
    names = reference.base_metrics(plotted)
    name = "visible" if history is None and seed is None else f"{names}, {len(plotted[names[0]])} epochs"
    _judge_figure(observed, "plot_all_metrics", "Create it with plt.subplots(1, n) and end with `return fig`.")
    axes = observed["axes"]
    check(len(axes) == len(names), f"plot_all_metrics({name}): one Axes per metric, without the val_ keys.",
          f"{len(names)} axes for {names}", f"{len(axes)} axes",
          "Make plt.subplots(1, n) with n the number of keys that do not start with 'val_'.")
    for ax, metric in zip(axes, names):
        _judge_axes(ax, observed["figure_legends"], plotted, metric, f"plot_all_metrics({name}), panel {metric!r}")


def _falling(n: int, start: float, end: float) -> list[float]:
    """``n`` values falling geometrically from ``start`` to ``end``."""
    return [float(v) for v in np.geomspace(start, end, n)]


def _plateau(level: float) -> list[float]:
    """Four values that level off: each last value 1.5 % below the one three epochs earlier, ending at ``level``."""
    return [level / 0.985 * f for f in (1.0, 0.995, 0.99)] + [level]


def _levelled(n: int, start: float, level: float) -> list[float]:
    """``n`` values that fall from ``start`` and then level off at ``level`` over the last four epochs."""
    return _falling(n - 4, start, 1.08 * level / 0.985) + _plateau(level)


def _scaled(values: Sequence[float], factor: float) -> list[float]:
    return [factor * v for v in values]


def _rule_two_cases(rng: np.random.Generator, n: int, a: float) -> list[FitCase]:
    """Cases where the target loss decides (rule 2's first half), each at a boundary a wrong rule misses."""
    t = float(rng.uniform(0.2, 0.6))
    high = float(rng.uniform(2.0, 4.0)) * t
    plateau = _levelled(n, high + a, high)
    dip = _falling(n - 4, a + t, 1.1 * t) + [0.9 * t, 0.8 * t, 0.95 * t, 1.1 * t]
    return [
        FitCase(plateau, _scaled(plateau, 1.04), t, "both losses levelled off together, far above the target.",
                "Rule 2: a last training loss above target_loss is underfitting, even on flat curves."),
        FitCase(_levelled(n, a + t, 1.03 * t), _scaled(_levelled(n, a + t, 1.03 * t), 1.04), t,
                "the training loss levelled off 3 % above the target.",
                "Compare loss[-1] with target_loss itself, with no margin."),
        FitCase(_levelled(n, a + t, 0.97 * t), _scaled(_levelled(n, a + t, 0.97 * t), 1.04), t,
                "the training loss levelled off 3 % below the target (the validation loss ends just above it).",
                "Only the last training loss, loss[-1], above target_loss counts as high."),
        FitCase(_levelled(n, a + t, t), _scaled(_levelled(n, a + t, t), 0.97), t,
                "the last training loss equals the target exactly.",
                "A loss equal to target_loss is not above it: compare with >, not >=."),
        FitCase(_levelled(n, a + t, 1.3 * t), _levelled(n, a + t, 0.8 * t), t,
                "the training loss levelled off 30 % above the target; the validation loss, below it.",
                "Rule 2 compares the training loss, loss[-1], with target_loss, not val_loss."),
        FitCase(_levelled(n, a + t, 0.6 * t), _levelled(n, a + 2 * t, 1.8 * t), t,
                "the training loss levelled off below the target; only the validation loss is above it.",
                "Rule 2 compares the training loss, loss[-1], with target_loss, not val_loss."),
        FitCase(dip, _levelled(n, a + t, 1.2 * t), t,
                "the training loss dipped below the target, then ended 10 % above it.",
                "Rule 2 uses the last training loss, loss[-1], not the lowest."),
        FitCase(_levelled(n, 6 * t + a, 0.5 * t), _scaled(_levelled(n, 6 * t + a, 0.5 * t), 1.1), t,
                "the training loss started far above the target and levelled off at half of it.",
                "Rule 2 uses the last training loss, loss[-1], not the first or an average."),
        FitCase(_levelled(n, a + 1.5 * t, 1.5 * t), _falling(n - 3, a + t, 1.2 * t) + [1.25 * t, 1.35 * t, 1.45 * t],
                t, "the validation loss rose 21 % above its minimum; the training loss is also above the target.",
                "Check rule 1 first: overfitting wins over a high training loss."),
    ]


def fit_cases(seed: int) -> list[FitCase]:
    """Loss curves of 4 to 10 epochs and target losses drawn from ``seed``, each built so that one part of the rule
    decides.

    Every value keeps at least 2 % away from the rule's 10 % and 5 %
    thresholds; one case sits exactly on the target loss. The cases of rule 1
    and of rule 2's second half (both losses still falling) keep the training
    and validation losses below the target: an overfit run whose validation
    loss ends below its first value; one whose validation loss rose only a
    little since the epoch before; one where both losses also fall fast (the
    order of the rules decides); a training loss that falls fast while the
    validation loss has levelled off, and the other way round; a drop four
    epochs back that is over by three epochs back, and the other way round
    (the window decides); a fast fall of either loss undone by the last epoch
    (the last value decides); a validation loss a little above its minimum;
    both losses falling fast over exactly four epochs. The cases of rule 2's
    first half are ``_rule_two_cases``.
    """
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 11))
    a, m = float(rng.uniform(1.5, 3.0)), float(rng.uniform(0.2, 0.5))
    flat = [m * f for f in np.linspace(1.0, 0.99, 4)]
    cases = [
        (_falling(n, a, m / 2), _falling(n - 3, a, m) + [m * 1.2, m * 1.3, m * 1.4],
         "the validation loss rose 40 % above its minimum, though it ends below where it started.",
         "Rule 1 compares val_loss[-1] with min(val_loss), not with the first value."),
        (_falling(n, a, m), _falling(n - 3, a, m) + [m * 1.06, m * 1.12, m * 1.16],
         "the validation loss rose 16 % above its minimum, a little each epoch.",
         "Rule 1 compares val_loss[-1] with min(val_loss), not with the epoch before."),
        (_falling(n, a, m / 3), [m] + _falling(n - 1, 3 * m, 1.4 * m),
         "the validation loss is 40 % above its minimum (epoch 1), though both losses still fall fast.",
         "Check rule 1 first: overfitting wins over underfitting."),
        (_falling(n, a, m / 3), _falling(n - 4, a, m) + flat,
         "the training loss still falls fast, but the validation loss has levelled off.",
         "Rule 2 needs both losses to fall by more than 5 %."),
        (_falling(n - 4, a, m) + flat, _falling(n, a, m / 3),
         "the validation loss still falls fast, but the training loss has levelled off.",
         "Rule 2 needs both losses to fall by more than 5 %."),
        (_falling(n - 3, a, m / 0.8) + [m, 0.99 * m, 0.98 * m],
         _falling(n - 3, a, 1.5 * m / 0.8) + [1.5 * m, 1.49 * m, 1.48 * m],
         "both losses fell more than 5 % since three epochs earlier, all of it in the first of those epochs.",
         "Compare with loss[-4], three epochs before the last, not loss[-3] or loss[-2]."),
        (_falling(n - 4, a, m * 1.05) + [m, m * 1.25, m * 1.1, m * 0.98],
         _falling(n - 4, a, 2 * m * 1.05) + [2 * m, 2 * m * 1.08, 2 * m * 1.07, 2 * m * 0.98],
         "both losses are about where they were three epochs earlier, after a bump.",
         "Compare with loss[-4], three epochs before the last, not loss[-3] or loss[-2]."),
        (_falling(n - 4, a, 1.05 * m) + [m, 0.98 * m, 0.8 * m, 0.98 * m], _falling(n, a, m / 3),
         "the training loss fell fast until the last epoch, which undid the fall: it ends 2 % below its value "
         "three epochs earlier.", "Rule 2 uses the last values, loss[-1] and val_loss[-1]."),
        (_falling(n, a, m / 3), _falling(n - 4, a, 1.05 * m) + [m, 0.99 * m, 0.91 * m, 0.975 * m],
         "the validation loss fell fast until the last epoch, which undid most of the fall: it ends 2.5 % "
         "below its value three epochs earlier.", "Rule 2 uses the last values, loss[-1] and val_loss[-1]."),
        (_falling(n, a, m / 2), _falling(n - 1, a, m) + [m * 1.07],
         "the validation loss ended 7 % above its minimum: less than 10 %.",
         "Rule 1 needs val_loss[-1] to be more than 10 % above min(val_loss)."),
        (_falling(4, a, a / 2), _falling(4, a * 1.1, a / 1.8), "four epochs, both still falling fast.",
         "With four epochs, loss[-4] is the first value."),
    ]
    # A target above both last losses, so that only the part of the rule each case is about decides.
    cases = [FitCase(loss, val, float(rng.uniform(1.2, 2.0)) * max(loss[-1], val[-1]), story, hint)
             for loss, val, story, hint in cases] + _rule_two_cases(rng, n, a)
    return [cases[i] for i in rng.permutation(len(cases))]


def _fit_cases(cases: Sequence[Sequence] | None, seed: int | None) -> list[FitCase]:
    chosen = [FitCase(*case) for case in (cases if cases is not None else (() if seed is not None else VISIBLE_FITS))]
    return chosen + (fit_cases(seed) if seed is not None else [])


def diagnose_fit(student: Callable, cases: Sequence[Sequence] | None = None, seed: int | None = None) -> list:
    """Check exercise 3: ``student(history, target_loss)`` names each case's fit as the reference rule does.

    Args:
        student: The student's ``diagnose_fit``; it gets a four-key history
            (``fit_history``) and the case's target loss.
        cases: ``(loss, val_loss, target, story, hint)`` each (see ``FitCase``).
            Defaults to ``VISIBLE_FITS``, or to none when ``seed`` is given.
        seed: Add the cases drawn from it (``fit_cases``). Defaults to ``None``.

    Raises:
        CheckFailed: For the first case whose verdict differs, with its story and hint.
    """
    return [scalar(student(fit_history(case.loss, case.val_loss), case.target)) for case in _fit_cases(cases, seed)]


@observed_check(diagnose_fit)
def diagnose_fit(observed, cases=None, seed=None) -> None:
    chosen = _fit_cases(cases, seed)
    check(isinstance(observed, list) and len(observed) == len(chosen), "diagnose_fit: one verdict per history.",
          len(chosen), len(observed) if isinstance(observed, list) else observed, "Return one string per call.")
    for case, got in zip(chosen, observed):
        expected = reference.diagnose_fit(fit_history(case.loss, case.val_loss), case.target)
        check_equal(got, expected, f"diagnose_fit (target_loss={case.target:.3g}): {case.story}", case.hint)
