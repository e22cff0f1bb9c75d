"""Notebook 09's tests judged in-process: realistic wrong answers are rejected, differently written right ones accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "09-training-curves"
PLOT = "09_plot_history"
ALL = "09_plot_all_metrics"
DIAGNOSE = "09_diagnose_fit"

WRONG = {
    PLOT: {
        "old TF1 key names 'acc' / 'val_acc'": '''
def plot_history(history_dict, metric):
    key = "acc" if metric == "accuracy" else metric
    fig, ax = plt.subplots()
    epochs = range(1, len(history_dict[key]) + 1)
    ax.plot(epochs, history_dict[key], label="train")
    ax.plot(epochs, history_dict["val_" + key], label="validation")
    ax.set_xlabel("epoch"); ax.set_ylabel(metric); ax.legend()
    return fig
''',
        "legend drawn before the lines (empty)": '''
def plot_history(history_dict, metric):
    fig, ax = plt.subplots()
    ax.legend()
    epochs = range(1, len(history_dict[metric]) + 1)
    ax.plot(epochs, history_dict[metric], label="train")
    ax.plot(epochs, history_dict["val_" + metric], label="validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    return fig
''',
        "train and validation swapped": '''
def plot_history(history_dict, metric):
    fig, ax = plt.subplots()
    epochs = range(1, len(history_dict[metric]) + 1)
    ax.plot(epochs, history_dict["val_" + metric], label="train")
    ax.plot(epochs, history_dict[metric], label="validation")
    ax.set_xlabel("epoch"); ax.set_ylabel(metric); ax.legend()
    return fig
''',
        "no legend": '''
def plot_history(history_dict, metric):
    fig, ax = plt.subplots()
    epochs = range(1, len(history_dict[metric]) + 1)
    ax.plot(epochs, history_dict[metric], label="train")
    ax.plot(epochs, history_dict["val_" + metric], label="validation")
    ax.set_xlabel("epoch"); ax.set_ylabel(metric)
    return fig
''',
        "always plots the loss": '''
def plot_history(history_dict, metric):
    fig, ax = plt.subplots()
    epochs = range(1, len(history_dict["loss"]) + 1)
    ax.plot(epochs, history_dict["loss"], label="train")
    ax.plot(epochs, history_dict["val_loss"], label="validation")
    ax.set_xlabel("epoch"); ax.set_ylabel(metric); ax.legend()
    return fig
''',
        "epochs numbered from 0 (plt.plot's default x)": '''
def plot_history(history_dict, metric):
    fig, ax = plt.subplots()
    ax.plot(history_dict[metric], label="train")
    ax.plot(history_dict["val_" + metric], label="validation")
    ax.set_xlabel("epoch"); ax.set_ylabel(metric); ax.legend()
    return fig
''',
        "no axis labels": '''
def plot_history(history_dict, metric):
    fig, ax = plt.subplots()
    epochs = range(1, len(history_dict[metric]) + 1)
    ax.plot(epochs, history_dict[metric], label="train")
    ax.plot(epochs, history_dict["val_" + metric], label="validation")
    ax.legend()
    return fig
''',
        "draws on the current figure, so calls pile up": '''
def plot_history(history_dict, metric):
    epochs = range(1, len(history_dict[metric]) + 1)
    plt.plot(epochs, history_dict[metric], label="train")
    plt.plot(epochs, history_dict["val_" + metric], label="validation")
    plt.xlabel("epoch"); plt.ylabel(metric); plt.legend()
    return plt.gcf()
''',
    },
    ALL: {
        "one panel per key, val_ keys included": '''
def plot_all_metrics(history_dict):
    fig, axes = plt.subplots(1, len(history_dict), squeeze=False)
    for ax, metric in zip(axes[0], history_dict):
        epochs = range(1, len(history_dict[metric]) + 1)
        ax.plot(epochs, history_dict[metric], label="train")
        ax.plot(epochs, history_dict.get("val_" + metric, history_dict[metric]), label="validation")
        ax.set_xlabel("epoch"); ax.set_ylabel(metric); ax.legend()
    return fig
''',
        "hard-coded ['loss', 'acc']": '''
def plot_all_metrics(history_dict):
    fig, axes = plt.subplots(1, 2)
    for ax, metric in zip(axes, ["loss", "acc"]):
        epochs = range(1, len(history_dict[metric]) + 1)
        ax.plot(epochs, history_dict[metric], label="train")
        ax.plot(epochs, history_dict["val_" + metric], label="validation")
        ax.set_xlabel("epoch"); ax.set_ylabel(metric); ax.legend()
    return fig
''',
        "hard-coded loss and accuracy": '''
def plot_all_metrics(history_dict):
    fig, axes = plt.subplots(1, 2)
    for ax, metric in zip(axes, ["loss", "accuracy"]):
        epochs = range(1, len(history_dict[metric]) + 1)
        ax.plot(epochs, history_dict[metric], label="train")
        ax.plot(epochs, history_dict["val_" + metric], label="validation")
        ax.set_xlabel("epoch"); ax.set_ylabel(metric); ax.legend()
    return fig
''',
        "validation curves left out": '''
def plot_all_metrics(history_dict):
    metrics = [k for k in history_dict if not k.startswith("val_")]
    fig, axes = plt.subplots(1, len(metrics), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        ax.plot(range(1, len(history_dict[metric]) + 1), history_dict[metric], label="train")
        ax.set_xlabel("epoch"); ax.set_ylabel(metric); ax.legend()
    return fig
''',
        "every metric on one Axes": '''
def plot_all_metrics(history_dict):
    fig, ax = plt.subplots()
    for metric in [k for k in history_dict if not k.startswith("val_")]:
        epochs = range(1, len(history_dict[metric]) + 1)
        ax.plot(epochs, history_dict[metric], label="train")
        ax.plot(epochs, history_dict["val_" + metric], label="validation")
    ax.set_xlabel("epoch"); ax.legend()
    return fig
''',
        "plt.subplots(1, n) without squeeze=False breaks on one metric": '''
def plot_all_metrics(history_dict):
    metrics = [k for k in history_dict if not k.startswith("val_")]
    fig, axes = plt.subplots(1, len(metrics))
    for ax, metric in zip(axes, metrics):
        epochs = range(1, len(history_dict[metric]) + 1)
        ax.plot(epochs, history_dict[metric], label="train")
        ax.plot(epochs, history_dict["val_" + metric], label="validation")
        ax.set_xlabel("epoch"); ax.set_ylabel(metric); ax.legend()
    return fig
''',
    },
    DIAGNOSE: {
        "ignores the validation curve": '''
def diagnose_fit(history_dict, target_loss):
    loss = history_dict["loss"]
    if loss[-1] > target_loss or loss[-1] < 0.95 * loss[-4]:
        return "underfitting"
    if loss[-1] < 0.1:
        return "overfitting"
    return "good fit"
''',
        "the old rule: flat curves are a good fit however high they are": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * min(val_loss):
        return "overfitting"
    if loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    return "good fit"
''',
        "compares the validation loss with the target": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * min(val_loss):
        return "overfitting"
    if val_loss[-1] > target_loss:
        return "underfitting"
    if loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    return "good fit"
''',
        "a loss equal to the target counted as high (>=)": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * min(val_loss):
        return "overfitting"
    if loss[-1] >= target_loss:
        return "underfitting"
    if loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    return "good fit"
''',
        "the lowest training loss compared with the target": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * min(val_loss):
        return "overfitting"
    if min(loss) > target_loss:
        return "underfitting"
    if loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    return "good fit"
''',
        "high training loss checked before overfitting": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if loss[-1] > target_loss:
        return "underfitting"
    if val_loss[-1] > 1.1 * min(val_loss):
        return "overfitting"
    if loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    return "good fit"
''',
        "a big gap between the curves taken for underfitting": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * min(val_loss):
        return "overfitting"
    if loss[-1] > target_loss or val_loss[-1] - loss[-1] > target_loss:
        return "underfitting"
    if loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    return "good fit"
''',
        "compares validation with training instead of with its own minimum": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * loss[-1]:
        return "overfitting"
    if loss[-1] > target_loss:
        return "underfitting"
    if loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    return "good fit"
''',
        "compares with the first validation loss instead of the lowest": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * val_loss[0]:
        return "overfitting"
    if loss[-1] > target_loss:
        return "underfitting"
    if loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    return "good fit"
''',
        "reads the old 'val_acc' key": '''
def diagnose_fit(history_dict, target_loss):
    acc, val_acc = history_dict["acc"], history_dict["val_acc"]
    if val_acc[-1] < max(val_acc) - 0.05:
        return "overfitting"
    if acc[-1] < 0.9:
        return "underfitting"
    return "good fit"
''',
        "underfitting from the training loss alone": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * min(val_loss):
        return "overfitting"
    if loss[-1] > target_loss:
        return "underfitting"
    if loss[-1] < 0.95 * loss[-4]:
        return "underfitting"
    return "good fit"
''',
        "underfitting from the validation loss alone": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * min(val_loss):
        return "overfitting"
    if loss[-1] > target_loss:
        return "underfitting"
    if val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    return "good fit"
''',
        "window of two epochs (loss[-3])": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * min(val_loss):
        return "overfitting"
    if loss[-1] > target_loss:
        return "underfitting"
    if loss[-1] < 0.95 * loss[-3] and val_loss[-1] < 0.95 * val_loss[-3]:
        return "underfitting"
    return "good fit"
''',
        "underfitting checked before overfitting": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if loss[-1] > target_loss or loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    if val_loss[-1] > 1.1 * min(val_loss):
        return "overfitting"
    return "good fit"
''',
        "either loss falling fast (or instead of and)": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * min(val_loss):
        return "overfitting"
    if loss[-1] > target_loss:
        return "underfitting"
    if loss[-1] < 0.95 * loss[-4] or val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    return "good fit"
''',
        "a rise over the previous epoch taken for overfitting": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * val_loss[-2]:
        return "overfitting"
    if loss[-1] > target_loss:
        return "underfitting"
    if loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    return "good fit"
''',
        "answers 'overfit' instead of 'overfitting'": '''
def diagnose_fit(history_dict, target_loss):
    loss, val_loss = history_dict["loss"], history_dict["val_loss"]
    if val_loss[-1] > 1.1 * min(val_loss):
        return "overfit"
    if loss[-1] > target_loss:
        return "underfitting"
    if loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4]:
        return "underfitting"
    return "good fit"
''',
    },
}

RIGHT = {
    PLOT: {
        "fig.legend(), a helper and builtin names as variables": '''
def draw(ax, input, label):
    sum = list(range(1, len(input) + 1))
    ax.plot(sum, input, label=label)


def plot_history(history_dict, metric):
    fig, ax = plt.subplots()
    draw(ax, history_dict[metric], "training")
    draw(ax, history_dict["val_" + metric], "validation")
    ax.set_xlabel("Epoch")
    ax.set_ylabel(metric.upper())
    fig.legend()
    return fig
''',
        "pyplot state machine on a fresh figure, NumPy epochs, other labels": '''
def plot_history(history_dict, metric):
    fig = plt.figure()
    n = len(history_dict[metric])
    plt.plot(np.arange(1, n + 1), np.array(history_dict[metric]), "b-", label="Training " + metric)
    plt.plot(np.arange(1, n + 1), np.array(history_dict[f"val_{metric}"]), "r--", label="Validation " + metric)
    plt.axvline(1 + int(np.argmin(history_dict[f"val_{metric}"])), color="gray")  # unlabelled marker line
    plt.title(metric.capitalize()); plt.xlabel("Epoch"); plt.ylabel(metric.capitalize())
    plt.legend(loc="best")
    return fig
''',
    },
    ALL: {
        "one fig.legend() for the whole figure": '''
def plot_all_metrics(history_dict):
    names = [key for key in history_dict if not key.startswith("val_")]
    fig, axes = plt.subplots(1, len(names), squeeze=False)
    for ax, name in zip(axes.ravel(), names):
        epochs = np.arange(1, len(history_dict[name]) + 1)
        ax.plot(epochs, history_dict[name], label="train")
        ax.plot(epochs, history_dict["val_" + name], label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
    fig.legend()
    return fig
''',
        "reusing plot-per-axes helper and the val_ twin found by name": '''
def _panel(ax, history_dict, metric):
    epochs = list(range(1, len(history_dict[metric]) + 1))
    ax.plot(epochs, history_dict[metric], label="train")
    ax.plot(epochs, history_dict["val_" + metric], label="val")
    ax.set(xlabel="Epochs", ylabel=metric, title=metric)
    ax.legend()

def plot_all_metrics(history_dict):
    metrics = [m for m in history_dict if "val_" + m in history_dict]
    fig = plt.figure(figsize=(10, 3))
    for i, metric in enumerate(metrics):
        _panel(fig.add_subplot(1, len(metrics), i + 1), history_dict, metric)
    return fig
''',
    },
    DIAGNOSE: {
        "builtin names as variables": '''
def diagnose_fit(history_dict, target_loss):
    input = history_dict["loss"]
    vars = history_dict["val_loss"]
    if vars[-1] > 1.1 * min(vars):
        return "overfitting"
    sum = [curve[-1] < 0.95 * curve[-4] for curve in (input, vars)]
    return "underfitting" if input[-1] > target_loss or all(sum) else "good fit"
''',
        "NumPy, argmin, named thresholds and the target by another name": '''
def diagnose_fit(history_dict, best_loss):
    train = np.asarray(history_dict["loss"])
    val = np.asarray(history_dict["val_loss"])
    rose = val[-1] / val[np.argmin(val)] - 1
    if rose > 0.10:
        return "overfitting"
    high_bias = not train[-1] <= best_loss
    falling = lambda c: c[-1] / c[-4] < 0.95
    return "underfitting" if high_bias or (falling(train) and falling(val)) else "good fit"
''',
        "a list of (condition, verdict) pairs": '''
def diagnose_fit(history_dict, target_loss):
    loss = list(history_dict["loss"])
    val_loss = list(history_dict["val_loss"])
    rules = [
        (val_loss[-1] > 1.1 * min(val_loss), "overfitting"),
        (loss[-1] > target_loss, "underfitting"),
        (loss[-1] < 0.95 * loss[-4] and val_loss[-1] < 0.95 * val_loss[-4], "underfitting"),
    ]
    for holds, verdict in rules:
        if holds:
            return verdict
    return "good fit"
''',
    },
}


def test_demo_runs_show_each_diagnosis(notebook):
    """Do the notebook's demo runs really fit well, overfit, stop too early and underfit from high bias, as its text says?"""
    from helpers.reference.nb09 import diagnose_fit

    ns = notebook.namespace
    runs = ("good_run", "overfit_run", "short_run", "tiny_run")
    assert [diagnose_fit(ns[r], ns["TARGET_LOSS"]) for r in runs] == [
        "good fit", "overfitting", "underfitting", "underfitting"]
    tiny = ns["tiny_run"]
    # High bias: the old rule (no target) would call the flat, close curves of the 2-unit model a good fit.
    assert tiny["loss"][-1] >= 0.95 * tiny["loss"][-4] and tiny["val_loss"][-1] >= 0.95 * tiny["val_loss"][-4]
    assert abs(tiny["val_loss"][-1] - tiny["loss"][-1]) < 0.2 * tiny["loss"][-1]


def test_tensorboard_logs_were_cleaned_up(notebook):
    """Did the TensorBoard cell read its logs back and remove their temporary folder?"""
    import os

    assert notebook.namespace["logged_epochs"] and not os.path.exists(notebook.namespace["log_dir"])
