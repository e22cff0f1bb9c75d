"""Warning signs that are not exceptions: Keras warnings worth a hint, and logits fed to a probability loss.

A model whose last layer has no activation outputs logits. Compiled with a
cross-entropy that expects probabilities (``from_logits=False``, the
default), it trains badly and raises nothing. ``hint_for_model`` spots that
from the compiled model alone: the loss and the last layer's activation, no
forward pass. Used by ``helpers.hints`` in every notebook.
"""
from __future__ import annotations

import re
from typing import Any

from helpers.hints.rules.base import hint

_PROBABILITY_LOSSES = {
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
    "categorical_crossentropy": "CategoricalCrossentropy",
    "binary_crossentropy": "BinaryCrossentropy",
}

#: Keras warnings that get a hint, as the regular expressions a warnings filter matches (from the start).
WARNING_PATTERNS = {
    "monitor_not_logged": r"Early stopping conditioned on metric `(\S+)` which is not available\. "
                          r"Available metrics are: (.*)",
    "softmax_from_logits": r"\"?`(\w+)` received `from_logits=True`, but the `output` argument was produced "
                           r"by a (\w+) activation",
    "missing_gradients": r"Gradients do not exist for variables \[(.*?)\] when minimizing the loss",
}


def hint_for_warning(message: str) -> str | None:
    """The hint for a Keras warning's text, or ``None``."""
    for name, pattern in WARNING_PATTERNS.items():
        match = re.match(pattern, message, re.S)
        if match:
            return _WARNING_HINTS[name](*match.groups())
    return None


def _monitor_not_logged(monitor: str, available: str) -> str:
    logged = [name for name in available.split(",") if name]
    if monitor.startswith("val_") and not any(name.startswith("val_") for name in logged):
        fix = "give fit validation data: model.fit(x, y, validation_data=(x_val, y_val), callbacks=[...])"
    else:
        fix = f"monitor a logged name: one of {logged}"
    return hint(f"EarlyStopping watches {monitor!r}, which fit does not log (it logged {logged}), "
                "so it never stops training early.", fix)


def _softmax_from_logits(loss: str, activation: str) -> str:
    return hint(f"the model already ends in {activation} (probabilities), but `{loss}` was told "
                "from_logits=True, so it applies softmax a second time.",
                "drop from_logits=True (keep the softmax), or remove the softmax and keep from_logits=True")


def _missing_gradients(names: str) -> str:
    return hint(f"some variables got no gradient ({names}): the loss computed inside the tape does not "
                "depend on them, so they will not train.",
                "compute the loss from model(x, training=True) inside the tape and differentiate with "
                "respect to model.trainable_variables")


_WARNING_HINTS = {
    "monitor_not_logged": _monitor_not_logged,
    "softmax_from_logits": _softmax_from_logits,
    "missing_gradients": _missing_gradients,
}


def _probability_loss(loss: Any) -> str | None:
    """The Loss class name when ``loss`` is a cross-entropy that expects probabilities."""
    if isinstance(loss, str):
        return _PROBABILITY_LOSSES.get(loss)
    if getattr(loss, "from_logits", False):
        return None
    name = getattr(loss, "__name__", "") or getattr(getattr(loss, "fn", None), "__name__", "")
    return _PROBABILITY_LOSSES.get(name)


def hint_for_model(model: Any) -> str | None:
    """The logits hint for a compiled Sequential or Functional model, or ``None``.

    Subclassed models are skipped: their layer list does not say which layer
    produces the output.
    """
    if not getattr(model, "compiled", False) or type(model).__name__ not in ("Sequential", "Functional"):
        return None
    loss_class = _probability_loss(getattr(model, "loss", None))
    layers = getattr(model, "layers", None) or [None]
    activation = getattr(getattr(layers[-1], "activation", None), "__name__", None)
    if not loss_class or activation != "linear":
        return None
    return hint(
        f"the last layer ({layers[-1].name}) has no activation, so the model outputs logits, but the loss "
        "expects probabilities (from_logits=False): training goes wrong without any error.",
        f"loss=keras.losses.{loss_class}(from_logits=True), or give the last layer activation="
        f"\"{'sigmoid' if loss_class == 'BinaryCrossentropy' else 'softmax'}\"",
    )
