"""Hints for mistakes in ``compile`` and in the choice of loss for the labels.

Used by ``helpers.hints`` in every notebook (first met in notebook 01).
"""
from __future__ import annotations

import difflib
import re

from helpers.hints.rules.base import SHAPE, Context, hint, parse_shape, rule


POSITIONAL_COMPILE = hint(
    "compile()'s third positional argument is `loss_weights`, not `metrics`, so your metrics list "
    "went into the wrong place (Keras only notices later, deep inside fit or evaluate).",
    'pass every argument by keyword: model.compile(optimizer="adam", '
    'loss="sparse_categorical_crossentropy", metrics=["accuracy"])',
)


@rule("ValueError", r"Expected `loss_weights` argument to be a float .* Received instead: loss_weights=")
def compile_metrics_as_loss_weights(match: re.Match, ctx: Context) -> str | None:
    return POSITIONAL_COMPILE


@rule("ValueError", r"dtype='string' is not a valid dtype for Keras type promotion")
def compile_metrics_list_as_loss_weights(match: re.Match, ctx: Context) -> str | None:
    model = ctx.call.owner if ctx.call else None
    config = getattr(getattr(model, "_compile_config", None), "config", {}) or {}
    weights = config.get("loss_weights")
    if isinstance(weights, str) or (isinstance(weights, (list, tuple)) and any(isinstance(w, str) for w in weights)):
        return POSITIONAL_COMPILE
    return None


@rule("ValueError", r"You must call `compile\(\)` before using the model")
def not_compiled(match: re.Match, ctx: Context) -> str | None:
    method = ctx.call.method if ctx.call else "fit"
    return hint(
        f"the model was not compiled before `{method}`: Keras does not know the loss or the optimizer yet.",
        'call model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]) '
        f"first, then model.{method}(...)",
    )


@rule("ValueError", r"No loss to compute\. Provide a `loss` argument")
def no_loss(match: re.Match, ctx: Context) -> str | None:
    return hint("compile() was called without a loss, so there is nothing to minimise.",
                'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])')


_KNOWN = {
    "metric": ["accuracy", "sparse_categorical_accuracy", "categorical_accuracy", "mae", "mse"],
    "optimizer": ["adam", "sgd", "rmsprop", "adamw", "adagrad"],
    "loss": ["sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy", "mse", "mae"],
}


@rule("ValueError", r"Could not interpret (metric|optimizer|loss) identifier: (\S+)")
def unknown_identifier(match: re.Match, ctx: Context) -> str | None:
    kind, name = match.group(1), match.group(2)
    close = difflib.get_close_matches(name.lower(), _KNOWN[kind], n=1, cutoff=0.6)
    better = close[0] if close else _KNOWN[kind][0]
    keyword = {"metric": 'metrics=["{}"]', "optimizer": 'optimizer="{}"', "loss": 'loss="{}"'}[kind]
    return hint(f"Keras has no {kind} called {name!r}; check the spelling.", keyword.format(better))


@rule("ValueError", r"Argument\(s\) not recognized: \{'lr'")
def lr_keyword(match: re.Match, ctx: Context) -> str | None:
    return hint("`lr` is the old name of the learning rate; Keras 3 only accepts `learning_rate`.",
                "keras.optimizers.Adam(learning_rate=0.001)")


# --- losses and labels -----------------------------------------------------------------------


@rule("ValueError", r"Arguments `target` and `output` must have the same rank \(ndim\)\. "
                    rf"Received: target\.shape={SHAPE}, output\.shape={SHAPE}")
def labels_rank_mismatch(match: re.Match, ctx: Context) -> str | None:
    target, output = parse_shape(match.group(1)), parse_shape(match.group(2))
    if len(target) != len(output) - 1 or not output[-1] or output[-1] < 2:
        return None
    if ctx.innermost == "categorical_crossentropy":
        return hint(
            f"the labels are integers (shape {target}) but categorical_crossentropy expects one-hot labels "
            f"(shape {output}).",
            'loss="sparse_categorical_crossentropy" (or one-hot the labels: keras.utils.to_categorical(y, num_classes))',
        )
    if ctx.innermost == "binary_crossentropy":
        return hint(
            f"binary_crossentropy is for one yes/no output, but the model has {output[-1]} class outputs "
            "and the labels are class numbers.",
            'loss="sparse_categorical_crossentropy" for integer labels 0..n-1',
        )
    return None


@rule("ValueError", r"Argument `output` must have rank \(ndim\) `target\.ndim - 1`\. "
                    rf"Received: target\.shape={SHAPE}, output\.shape={SHAPE}")
def onehot_labels_sparse_loss(match: re.Match, ctx: Context) -> str | None:
    target = parse_shape(match.group(1))
    return hint(
        f"the labels look one-hot (shape {target}) but sparse_categorical_crossentropy expects integer labels.",
        'loss="categorical_crossentropy" (or turn the labels back into integers: y.argmax(axis=1))',
    )


@rule("InvalidArgumentError", r"Received a label value of (-?\d+) which is outside the valid range of \[0, (\d+)\)")
def label_out_of_range(match: re.Match, ctx: Context) -> str | None:
    label, classes = int(match.group(1)), int(match.group(2))
    return hint(
        f"a label is {label}, but the last layer has {classes} units, so labels must be 0 to {classes - 1}.",
        "give the last Dense layer num_classes = y.max() + 1 units, or shift labels that start at 1: y - 1",
    )


_REGRESSION_LOSSES = ("mse", "mae", "mean_squared_error", "mean_absolute_error", "huber", "log_cosh")


@rule("ValueError", r"Dimensions must be equal, but are \d+ and \d+ for '\{\{node compile_loss/(\w+)/.*"
                    r"with input shapes: \[(\d+)\], \[\d+,(\d+)\]")
def regression_loss_on_class_labels(match: re.Match, ctx: Context) -> str | None:
    loss, classes = match.group(1), int(match.group(3))
    if loss not in _REGRESSION_LOSSES or classes < 2:
        return None
    return hint(f"{loss} compares numbers, but here it compares one class label per sample with {classes} class "
                "probabilities: a classifier needs a cross-entropy loss.",
                'loss="sparse_categorical_crossentropy" for integer labels')
