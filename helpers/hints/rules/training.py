"""Hints for custom training loops, callbacks and transfer learning.

Used by ``helpers.hints`` in every notebook (first met in notebooks 07, 08 and 10).
"""
from __future__ import annotations

import re

from helpers.hints.rules.base import Context, hint, rule

ZIP_FIX = ("grads = tape.gradient(loss, model.trainable_variables); "
           "optimizer.apply_gradients(zip(grads, model.trainable_variables))")


@rule("ValueError", r"No gradients provided for any variable")
def no_gradients(match: re.Match, ctx: Context) -> str | None:
    return hint(
        "tape.gradient returned None for every variable: the tape never saw the loss being computed from "
        "them (the forward pass ran outside `with tf.GradientTape()`, went through NumPy, or the variable "
        "is a tf.constant the tape does not watch).",
        "compute predictions and loss inside the tape: with tf.GradientTape() as tape: "
        "loss = loss_fn(y, model(x, training=True))",
    )


@rule("RuntimeError", r"A non-persistent GradientTape can only be used to compute one set of gradients")
def tape_used_twice(match: re.Match, ctx: Context) -> str | None:
    return hint("a GradientTape gives gradients once: this tape was already used (or is reused across steps).",
                "open a new tape in every training step: with tf.GradientTape() as tape: ... "
                "(or tf.GradientTape(persistent=True) to call tape.gradient several times)")


@rule("AttributeError", r"^'NoneType' object has no attribute")
def none_gradient_used(match: re.Match, ctx: Context) -> str | None:
    if "grad" not in ctx.line:
        return None
    nearby = [v for frame in ctx.frames[-2:] for k, v in list(frame.f_locals.items()) if "grad" in k.lower()]
    if not any(isinstance(v, (list, tuple)) and v and all(g is None for g in v) for v in nearby):
        return None  # the None is not a list of missing gradients
    return no_gradients(match, ctx)


SYMBOLIC = hint("inside a tf.function the code is traced once into a graph, and tensors there are symbolic: "
                "they have no value yet, so float(), .numpy() and NumPy functions cannot read them.",
                "keep TensorFlow ops inside the tf.function and return the tensor; call float(loss) or "
                "loss.numpy() on what it returns")


@rule("TypeError", r"argument must be a string or a (?:real )?number, not 'SymbolicTensor'")
def float_of_symbolic_tensor(match: re.Match, ctx: Context) -> str | None:
    return SYMBOLIC


@rule("AttributeError", r"'SymbolicTensor' object has no attribute 'numpy'")
def numpy_of_symbolic_tensor(match: re.Match, ctx: Context) -> str | None:
    return SYMBOLIC


@rule("NotImplementedError", r"Cannot convert a symbolic tf\.Tensor \(.*\) to a numpy array")
def numpy_call_on_symbolic_tensor(match: re.Match, ctx: Context) -> str | None:
    return SYMBOLIC


@rule("InvalidArgumentError", r"Cannot update variable with shape \[[\d,]*\] using a Tensor with shape")
def gradients_paired_wrongly(match: re.Match, ctx: Context) -> str | None:
    return hint("apply_gradients paired gradients with the wrong variables (the two lists differ in order "
                "or come from different models).", ZIP_FIX)


@rule("ValueError", r"Cannot assign value to variable .*Shape mismatch\.The variable shape")
def gradients_paired_wrongly_assign(match: re.Match, ctx: Context) -> str | None:
    return gradients_paired_wrongly(match, ctx)


@rule("AttributeError", r"object has no attribute '_unique_id'")
def zip_swapped(match: re.Match, ctx: Context) -> str | None:
    if not any(f.f_code.co_name == "_var_key" for f in ctx.frames):
        return None
    return hint("apply_gradients received (variable, gradient) pairs; it wants (gradient, variable): "
                "gradients first.", "optimizer.apply_gradients(zip(grads, model.trainable_variables))")


@rule("TypeError", r"apply_gradients\(\) takes 2 positional arguments but 3 were given")
def apply_gradients_two_lists(match: re.Match, ctx: Context) -> str | None:
    return hint("apply_gradients takes one list of (gradient, variable) pairs, not two lists.",
                "optimizer.apply_gradients(zip(grads, model.trainable_variables))")


@rule("ValueError", r"^Unknown variable: <Variable path=")
def optimizer_reused(match: re.Match, ctx: Context) -> str | None:
    if ctx.innermost != "_check_variables_are_known":
        return None
    return hint("this optimizer was built for other variables: it was used for another model, or trainable "
                "flags changed after a fit without compiling again (an optimizer keeps state for the variables "
                "it first saw).", "after changing trainable, call model.compile(...) again; otherwise create a "
                "new optimizer for each model: keras.optimizers.Adam(learning_rate=1e-3)")


# --- callbacks -------------------------------------------------------------------------------


@rule("ValueError", r"(\w+) callback received monitor=(\S+?), but Keras isn't able to automatically determine")
def monitor_unknown(match: re.Match, ctx: Context) -> str | None:
    callback, monitor = match.group(1), match.group(2)
    if re.fullmatch(r"(val_)?acc", monitor):
        right = monitor.replace("acc", "accuracy")
        return hint(f"Keras 3 logs accuracy as {right!r}, not {monitor!r}.",
                    f'keras.callbacks.{callback}(monitor="{right}")')
    return hint(f"{monitor!r} is not a name Keras logs (a typo?), so it cannot tell whether it should go up "
                "or down. Logged names look like 'loss', 'accuracy', 'val_loss', 'val_accuracy'.",
                f'keras.callbacks.{callback}(monitor="val_loss")  # or the right spelling of your metric')


@rule("TypeError", r"bad operand type for abs\(\): 'str'")
def early_stopping_positional(match: re.Match, ctx: Context) -> str | None:
    if not any(type(f.f_locals.get("self")).__name__ == "EarlyStopping" for f in ctx.frames):
        return None
    return hint("EarlyStopping's positional arguments are (monitor, min_delta, patience, ...), so a string "
                "landed in min_delta.",
                'pass them by keyword: keras.callbacks.EarlyStopping(monitor="val_loss", patience=3)')


# --- transfer learning -----------------------------------------------------------------------


@rule("ValueError", r"Input size must be at least (\d+)x(\d+); Received: input_shape=")
def pretrained_input_too_small(match: re.Match, ctx: Context) -> str | None:
    side = match.group(1)
    return hint(f"this pretrained network needs images of at least {side}×{side} pixels.",
                f"resize the images up and say so: tf.image.resize(images, ({side}, {side})), "
                f"input_shape=({side}, {side}, 3)")


@rule("ValueError", r"The input must have 3 channels; Received `input_shape=")
def pretrained_input_not_rgb(match: re.Match, ctx: Context) -> str | None:
    return hint("ImageNet networks take 3-channel (RGB) images, and these have another number of channels.",
                "input_shape=(height, width, 3) and tf.image.grayscale_to_rgb(images) for grey images")


@rule("ValueError", r"When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be")
def pretrained_top_needs_224(match: re.Match, ctx: Context) -> str | None:
    return hint("the ImageNet classifier head only fits 224×224 images; for your own classes you want the "
                "network without it.", "keras.applications.MobileNetV2(input_shape=..., include_top=False, ...)")


@rule("Exception", r"^URL fetch failure on (\S+): ")
def download_failed(match: re.Match, ctx: Context) -> str | None:
    url = match.group(1)
    if "keras-applications" in url:
        return hint("the pretrained ImageNet weights could not be downloaded (this machine is offline).",
                    "use weights=None (this course's notebooks do), or weights='path/to/local_weights.h5'")
    if "datasets" in url:
        return hint("Keras tried to download a data set, and this machine is offline.",
                    "use the digits that ship with the course: from helpers.data import load_digits")
    return None
