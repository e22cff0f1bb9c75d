"""helpers.checks.nb09: the curve checks read figures' artists, accept the reference and name what a wrong answer got wrong."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.checks import CheckFailed, nb09  # noqa: E402
from helpers.reference import nb09 as reference  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _swapped(history_dict, metric):
    fig, ax = plt.subplots()
    epochs = range(1, len(history_dict[metric]) + 1)
    ax.plot(epochs, history_dict["val_" + metric], label="train")
    ax.plot(epochs, history_dict[metric], label="validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.legend()
    return fig


def _no_legend(history_dict, metric):
    fig = reference.plot_history(history_dict, metric)
    fig.axes[0].get_legend().remove()
    return fig


def _current_figure(history_dict, metric):
    reference.draw_metric(plt.gca(), history_dict, metric)
    return plt.gcf()


def test_reference_answers_pass_the_visible_and_hidden_checks():
    """Do the reference answers pass every check, with the notebook's visible and hidden arguments?"""
    nb09.plot_history(reference.plot_history)
    nb09.plot_all_metrics(reference.plot_all_metrics)
    nb09.plot_all_metrics(reference.plot_all_metrics, {"loss": [1.5, 1.0, 0.8], "val_loss": [1.6, 1.2, 1.1]})
    nb09.diagnose_fit(reference.diagnose_fit)
    nb09.diagnose_fit(reference.diagnose_fit, cases=[case[:5] for case in nb09.VISIBLE_FITS])
    for seed in (0, 1, 2**31 - 1):
        nb09.plot_history(reference.plot_history, metrics=("loss", "mae"), seed=seed)
        nb09.plot_all_metrics(reference.plot_all_metrics, seed=seed)
        nb09.diagnose_fit(reference.diagnose_fit, seed=seed)


def test_a_figure_legend_counts_as_the_legend():
    """Does a legend drawn with fig.legend() count as "a legend", as the text says?"""
    def figure_legend(history_dict, metric):
        fig = reference.plot_history(history_dict, metric)
        fig.axes[0].get_legend().remove()
        fig.legend()
        return fig

    nb09.plot_history(figure_legend, metrics=("loss", "accuracy"))


def test_swapped_curves_are_named_as_the_other_curve():
    """Does plot_history's check fail, naming the other curve, when train and validation are swapped?"""
    with pytest.raises(CheckFailed, match="the other curve"):
        nb09.plot_history(_swapped)


def test_a_missing_legend_is_reported():
    """Does plot_history's check fail when the axes have no legend?"""
    with pytest.raises(CheckFailed, match="legend"):
        nb09.plot_history(_no_legend)


def test_one_figure_for_two_calls_is_reported():
    """Does plot_history's check fail, counting the figures, when two calls return the same figure?"""
    with pytest.raises(CheckFailed, match="new figure on every call") as failure:
        nb09.plot_history(_current_figure, metrics=("loss", "accuracy"))
    assert "expected: two figures" in str(failure.value) and "got:      one figure" in str(failure.value)


def test_plot_all_metrics_check_counts_panels_without_val_keys():
    """Does plot_all_metrics' check reject a figure with a panel for every key, val_ keys included?"""
    def every_key(history_dict):
        fig, axes = plt.subplots(1, len(history_dict), squeeze=False)
        for ax, key in zip(axes[0], history_dict):
            reference.draw_metric(ax, history_dict, key)
        return fig

    with pytest.raises(CheckFailed, match="one Axes per metric, without the val_ keys"):
        nb09.plot_all_metrics(every_key)


def test_random_history_draws_metrics_then_their_val_twins():
    """Does random_history give the values of one generator drawn metric by metric, then val_ twin by twin?"""
    history = nb09.random_history(seed=10, epochs=6, ranges={"loss": (0, 1), "mae": (0.5, 2)})
    rng = np.random.default_rng(10)
    expected = {"loss": rng.uniform(0, 1, 6), "mae": rng.uniform(0.5, 2, 6),
                "val_loss": rng.uniform(0, 1, 6), "val_mae": rng.uniform(0.5, 2, 6)}
    assert list(history) == list(expected)
    for key, values in expected.items():
        np.testing.assert_array_equal(history[key], values)


def test_visible_fits_show_each_kind_of_fit_once():
    """Do the visible diagnose_fit cases cover good fit, overfitting and underfitting by the reference rule?"""
    verdicts = [reference.diagnose_fit(nb09.fit_history(case.loss, case.val_loss), case.target)
                for case in nb09.VISIBLE_FITS]
    assert verdicts == ["good fit", "overfitting", "underfitting", "underfitting"]


def test_visible_high_bias_case_is_a_good_fit_by_the_old_rule():
    """Does the visible high-bias case (flat, close curves far above the target) fail the rule without the target?"""
    def without_target(history_dict, target_loss):
        return _rule(history_dict, target_loss, "no target check")

    with pytest.raises(CheckFailed, match="far above the target of 0.25") as failure:
        nb09.diagnose_fit(without_target)
    assert "expected: underfitting" in str(failure.value) and "even on flat curves" in str(failure.value)


def test_diagnose_fit_check_tells_the_story_of_the_failing_case():
    """Does a rule comparing with the first validation loss fail on the overfitting case, with its story and hint?"""
    def from_first_value(history_dict, target_loss):
        loss, val_loss = history_dict["loss"], history_dict["val_loss"]
        if val_loss[-1] > 1.1 * val_loss[0]:
            return "overfitting"
        if loss[-1] > target_loss:
            return "underfitting"
        if loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4]:
            return "underfitting"
        return "good fit"

    with pytest.raises(CheckFailed, match="rose from 0.5 to 0.72") as failure:
        nb09.diagnose_fit(from_first_value)
    assert "rule 1" in str(failure.value)


def _rule(history_dict, target, wrong=None):
    """Notebook 09's rule, or one of the mistakes students make with it."""
    loss, val = history_dict["loss"], history_dict["val_loss"]
    before = {"window loss[-3]": -3, "window loss[-2]": -2, "window loss[0]": 0}.get(wrong, -4)
    overfit = {"rise from the first value": val[-1] > 1.1 * val[0], "rise from the epoch before": val[-1] > 1.1 * val[-2],
               "any rise above the minimum": val[-1] > min(val)}.get(wrong, val[-1] > 1.1 * min(val))
    train_falls, val_falls = loss[-1] < 0.95 * loss[before], val[-1] < 0.95 * val[before]
    if wrong == "factor on the wrong side":
        train_falls, val_falls = 0.95 * loss[-1] < loss[-4], 0.95 * val[-1] < val[-4]
    falling = {"only the training loss": train_falls, "only the validation loss": val_falls,
               "either loss": train_falls or val_falls}.get(wrong, train_falls and val_falls)
    high = {"no target check": False, "target from the validation loss": val[-1] > target,
            "target from either loss": max(loss[-1], val[-1]) > target, "target reached counts as high": loss[-1] >= target,
            "target with a 5 % margin": loss[-1] > 1.05 * target, "target from the lowest training loss": min(loss) > target,
            "target from the first training loss": loss[0] > target,
            "target from the mean training loss": sum(loss) / len(loss) > target}.get(wrong, loss[-1] > target)
    underfit = high or falling
    if wrong == "rules in the other order" and falling or wrong == "target before overfitting" and high:
        return "underfitting"
    return "overfitting" if overfit else "underfitting" if underfit else "good fit"


WRONG_RULES = ("rise from the first value", "rise from the epoch before", "any rise above the minimum",
               "window loss[-3]", "window loss[-2]", "window loss[0]", "factor on the wrong side",
               "only the training loss", "only the validation loss", "either loss", "rules in the other order",
               "no target check", "target from the validation loss", "target from either loss",
               "target reached counts as high", "target with a 5 % margin", "target from the lowest training loss",
               "target from the first training loss", "target from the mean training loss", "target before overfitting")


@pytest.mark.parametrize("wrong", WRONG_RULES)
def test_every_seed_rejects_every_wrong_rule(wrong):
    """Does every drawn set of histories land where this wrong rule and the right one disagree?"""
    for seed in range(40):
        nb09.diagnose_fit(_rule, seed=seed)
        with pytest.raises(CheckFailed):
            nb09.diagnose_fit(lambda history_dict, target: _rule(history_dict, target, wrong), seed=seed)


def test_the_target_is_tested_exactly_at_the_tie():
    """Does every seed draw a case whose last training loss equals the target exactly (a "good fit", as stated)?"""
    for seed in range(20):
        ties = [case for case in nb09.fit_cases(seed) if case.loss[-1] == case.target]
        assert len(ties) == 1
        assert reference.diagnose_fit(nb09.fit_history(ties[0].loss, ties[0].val_loss), ties[0].target) == "good fit"
