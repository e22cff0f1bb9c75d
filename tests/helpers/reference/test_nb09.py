"""helpers.reference.nb09: notebook 09's answers draw training curves from epoch one and diagnose a fit by its rule."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.reference.nb09 import diagnose_fit, draw_metric, plot_all_metrics, plot_history  # noqa: E402

HISTORY = {"loss": [0.9, 0.6, 0.5], "accuracy": [0.6, 0.7, 0.8],
           "val_loss": [1.0, 0.8, 0.7], "val_accuracy": [0.5, 0.6, 0.65]}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_history_draws_labelled_lines_from_epoch_one():
    """Does plot_history draw the history's values against epochs 1..n, with labels, axis names and a legend?"""
    ax = plot_history(HISTORY, "accuracy").axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines) == ["train", "validation"]
    assert list(lines["train"].get_xdata()) == [1, 2, 3]
    assert list(lines["train"].get_ydata()) == HISTORY["accuracy"]
    assert list(lines["validation"].get_ydata()) == HISTORY["val_accuracy"]
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "accuracy"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "validation"]


def test_plot_all_metrics_has_one_panel_per_metric_in_order():
    """Does plot_all_metrics make one Axes per non-val_ key, in the dict's order, each with its own curves?"""
    fig = plot_all_metrics(HISTORY)
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    assert [list(ax.get_lines()[1].get_ydata()) for ax in fig.axes] == [HISTORY["val_loss"], HISTORY["val_accuracy"]]


def test_plot_all_metrics_with_a_single_metric():
    """Does a history with only the loss give a figure with one Axes (no squeeze surprise)?"""
    fig = plot_all_metrics({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]})
    assert len(fig.axes) == 1


def test_missing_metric_names_the_available_keys():
    """Does asking for a metric the history lacks say which keys it has?"""
    _, ax = plt.subplots()
    with pytest.raises(KeyError, match="val_loss"):
        draw_metric(ax, {"loss": [1.0], "val_loss": [1.0]}, "acc")


@pytest.mark.parametrize("loss, val_loss, target, expected", [
    ([1.0, 0.6, 0.4, 0.3, 0.25, 0.22, 0.21, 0.2], [1.0, 0.65, 0.45, 0.36, 0.33, 0.32, 0.325, 0.32], 0.25, "good fit"),
    ([1.0, 0.6, 0.4, 0.3, 0.2, 0.14, 0.1, 0.07], [1.0, 0.7, 0.55, 0.5, 0.55, 0.6, 0.66, 0.72], 0.25, "overfitting"),
    ([2.3, 2.1, 1.9, 1.7, 1.5, 1.3, 1.1, 0.95], [2.3, 2.1, 1.95, 1.75, 1.55, 1.35, 1.2, 1.0], 2.0, "underfitting"),
    ([1.0, 0.7, 0.5, 0.35, 0.25, 0.18, 0.12], [1.0, 0.8, 0.62, 0.47, 0.45, 0.45, 0.45], 0.25, "good fit"),
    ([3.0, 2.0, 1.2, 0.7, 0.4, 0.2, 0.1, 0.05, 0.03, 0.02], [3.0, 2.1, 1.4, 1.0, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4], 0.25,
     "overfitting"),
    ([0.5, 0.45, 0.44, 0.44, 0.44, 0.44], [1.5, 1.2, 1.0, 0.9, 0.8, 0.7], 0.5, "good fit"),
    # A 2-unit model: both losses level off together, far above the target (high bias).
    ([2.2, 1.9, 1.65, 1.48, 1.37, 1.3, 1.26, 1.24, 1.23, 1.22], [2.1, 1.85, 1.63, 1.48, 1.39, 1.33, 1.29, 1.27, 1.26, 1.25],
     0.25, "underfitting"),
    ([0.9, 0.6, 0.5, 0.5, 0.5, 0.5], [0.95, 0.62, 0.52, 0.52, 0.52, 0.52], 0.5, "good fit"),  # on the target: not above
    ([0.9, 0.6, 0.5, 0.5, 0.5, 0.5], [0.95, 0.62, 0.52, 0.52, 0.52, 0.52], 0.49, "underfitting"),
    ([0.9, 0.4, 0.3, 0.3, 0.3, 0.3], [1.0, 0.7, 0.45, 0.45, 0.45, 0.45], 0.35, "good fit"),  # only val_loss above
    ([1.0, 0.5, 0.3, 0.3, 0.3, 0.6], [1.0, 0.6, 0.5, 0.6, 0.7, 0.8], 0.25, "overfitting"),  # rule 1 first
])
def test_diagnose_fit_follows_the_stated_rule(loss, val_loss, target, expected):
    """Does diagnose_fit give the rule's answer: the validation curve first, then the training loss against the target?"""
    assert diagnose_fit({"loss": loss, "val_loss": val_loss}, target) == expected


def test_diagnose_fit_needs_four_epochs():
    """Does a history too short for the three-epoch window raise an error that says so?"""
    with pytest.raises(ValueError, match="at least 4 epochs"):
        diagnose_fit({"loss": [1.0, 0.5, 0.4], "val_loss": [1.0, 0.6, 0.5]}, 0.25)


def test_diagnose_fit_on_numpy_arrays():
    """Does diagnose_fit accept NumPy arrays as well as lists?"""
    assert diagnose_fit({"loss": np.linspace(1, 0.1, 6), "val_loss": np.array([1, .6, .5, .6, .7, .8])}, 0.25) == "overfitting"
