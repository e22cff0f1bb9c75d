"""Hints for notebook 10's transfer-learning mistakes, with and without an error.

Errors: a weights file loaded into a MobileNetV2 of another width or with the
ImageNet classifier on top. Silent mistakes, found on a compiled model (after
cells that call ``compile(`` or ``fit(``, and by ``%hint model``): a pretrained
base fed unscaled pixels, augmentation layers hard-wired to training mode, and
``trainable`` flags changed after a fit without compiling again.

Nothing here imports TensorFlow. Used by ``helpers.hints`` in notebook 10.
"""
from __future__ import annotations

import re
from typing import Any

from helpers.hints.rules.base import Context, hint, rule

COURSE_CALL = ("keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, include_top=False, "
               "weights=pretrained_weights())")
_SCALERS = ("Rescaling", "Normalization", "Lambda", "TFOpLambda")


# Each error twice: as Keras words it for a `.weights.h5` file, and for the one-group-per-layer `.h5` layout of its
# ImageNet files and of the course's own file.

@rule("ValueError", r"objects could not be loaded.*must match\. variable\.shape=|Shape mismatch in layer #\d+")
def weights_for_another_shape(match: re.Match, ctx: Context) -> str | None:
    return hint("the weights file was saved from a network of another shape: MobileNetV2's alpha (its width) "
                "or its input_shape differs from the one the file was made for.", COURSE_CALL)


def _without_top() -> str:
    return hint("this weights file holds the base only (it was saved with include_top=False), so it cannot "
                "fill the ImageNet classifier on top.", COURSE_CALL)


@rule("ValueError", r"Layer 'predictions' expected 2 variables, but received 0 variables during loading")
def weights_without_top(match: re.Match, ctx: Context) -> str | None:
    return _without_top()


@rule("ValueError", r"Layer count mismatch when loading weights from file\. Model expected (\d+) layers, "
                    r"found (\d+) saved layers")
def weights_for_more_layers(match: re.Match, ctx: Context) -> str | None:
    expected, saved = int(match.group(1)), int(match.group(2))
    if expected == saved + 1:       # the one more layer with weights: the classifier of include_top=True
        return _without_top()
    return weights_for_another_shape(match, ctx)


def _is_pretrained_base(layer: Any) -> bool:
    return type(layer).__name__ == "Functional" and str(getattr(layer, "name", "")).startswith("mobilenetv2")


def _scales(layer: Any) -> bool:
    inner = getattr(layer, "layers", None)
    if inner is not None and not _is_pretrained_base(layer):
        return any(_scales(sub) for sub in inner)
    return type(layer).__name__ in _SCALERS


def _training_kwarg(layer: Any) -> Any:
    nodes = getattr(layer, "_inbound_nodes", None) or []
    arguments = getattr(nodes[0], "arguments", None) if nodes else None
    return (getattr(arguments, "kwargs", None) or {}).get("training")


def _augments_always(layer: Any) -> bool:
    if type(layer).__name__.startswith("Random") and _training_kwarg(layer) is True:
        return True
    return _training_kwarg(layer) is True and any(
        type(sub).__name__.startswith("Random") for sub in getattr(layer, "layers", []) or [])


def hint_for_transfer_model(model: Any) -> str | None:
    """The hint for a compiled transfer model's silent mistake, or ``None``."""
    layers = list(getattr(model, "layers", None) or [])
    bases = [i for i, layer in enumerate(layers) if _is_pretrained_base(layer)]
    if bases and not any(_scales(layer) for layer in layers[:bases[0]]):
        return hint("the pretrained base gets pixels from 0 to 255, but its weights were learned on pixels "
                    "scaled to [-1, 1]: it sees nothing it knows, and training goes wrong without any error.",
                    "put keras.layers.Rescaling(1 / 127.5, offset=-1) (or preprocess_input) before the base")
    if any(_augments_always(layer) for layer in layers):
        return hint("an augmentation layer is called with training=True, so it also flips and turns the "
                    "images in evaluate and predict: predictions depend on a coin toss.",
                    "call it without a training argument: x = augmentation(inputs)")
    return _stale_optimizer(model)


def _stale_optimizer(model: Any) -> str | None:
    optimizer = getattr(model, "optimizer", None)
    built_for = getattr(optimizer, "_trainable_variables", None)
    if getattr(model, "train_function", None) is None or not built_for:
        return None
    now = {id(v) for v in getattr(model, "trainable_variables", [])}
    if now == {id(v) for v in built_for}:
        return None
    return hint("trainable flags changed after this model was fitted, but it was not compiled again: "
                "Keras keeps training the weights it saw at the first fit after compile (or stops with "
                "'Unknown variable').", "after changing trainable, call model.compile(...) again, then fit")
