"""Hints for data that does not fit the model: shapes, tf.data pipelines, ``History`` keys.

Used by ``helpers.hints`` in every notebook (first met in notebooks 01, 03 and 04).
"""
from __future__ import annotations

import math
import re
from typing import Any

from helpers.hints.rules.base import SHAPE, Context, hint, is_dataset, parse_shape, rule

Shape = tuple


def _same(a: Shape, b: Shape) -> bool:
    return len(a) == len(b) and all(p is None or q is None or p == q for p, q in zip(a, b))


def _size(shape: Shape) -> int | None:
    return math.prod(shape) if shape and None not in shape else None


def _missing_batch_axis(sample: Shape, ctx: Context) -> str:
    if ctx.uses_dataset():
        return hint(
            f"the tf.data pipeline gives one sample at a time (shape {sample}), but Keras trains on batches.",
            "batch the dataset before fit/evaluate/predict: ds = ds.batch(32)",
        )
    return hint(
        f"this is one sample (shape {sample}); Keras models always take a batch, even a batch of one.",
        "add the batch axis: model.predict(x[np.newaxis]) (or np.expand_dims(x, 0), or x[:1] to keep one row)",
    )


def _extra_axis(got: Shape, sample: Shape, ctx: Context) -> str:
    if ctx.uses_dataset():
        return hint(
            f"the batches have an extra axis (shape {got}): the tf.data pipeline was batched twice.",
            "call .batch(batch_size) once in the pipeline and remove the second .batch(...)",
        )
    return hint(f"the data has one axis too many (shape {got}) for samples of shape {sample}.",
                "remove the extra axis, e.g. x.reshape((-1, *sample_shape)) or np.squeeze(x, axis=1)")


def input_shape_hint(expected: Shape, got: Shape, ctx: Context) -> str | None:
    """The hint for data of shape ``got`` given to a model expecting ``expected`` (batch axis first)."""
    sample = expected[1:]
    x = ctx.call.x if ctx.call else None
    data = tuple(x.shape) if x is not None and not is_dataset(x) and hasattr(x, "shape") else None
    if _same(got, sample) or (data is not None and _same(data, sample)):  # predict splits one sample into rows
        return _missing_batch_axis(sample, ctx)
    if data is not None and len(got) != len(expected) == len(data):
        got = data  # Keras 3.15 sometimes prints the found shape without its last axis
    if len(got) == len(expected) + 1 and _same(got[2:], sample):
        return _extra_axis(got, sample, ctx)
    if len(got) != len(expected) and _size(got[1:]) and _size(got[1:]) == _size(sample):
        if len(sample) == 1:
            return hint(f"the model expects flat vectors of {sample[0]} numbers, but each sample is a "
                        f"{'×'.join(map(str, got[1:]))} array.",
                        "flatten the data: x.reshape(len(x), -1), or start the model with "
                        f"keras.Input(shape={got[1:]}) and keras.layers.Flatten()")
        return hint(f"the model expects samples of shape {sample}, but the data holds flat vectors of "
                    f"{got[1:]} numbers.",
                    f"reshape the data: x.reshape((-1, {', '.join(map(str, sample))})), or use "
                    f"keras.Input(shape={got[1:]})")
    if len(got) == len(expected) == 4:
        return _image_mismatch(got[1:], sample)
    return hint(f"the model's Input says each sample has shape {sample}, but the data's samples have shape "
                f"{got[1:]}.", "make them agree: keras.Input(shape=x.shape[1:])")


def _image_mismatch(got: Shape, wanted: Shape) -> str:
    if _same(got[:2], wanted[:2]) and got[-1] == 1 and wanted[-1] == 3:
        return _grey_into_rgb()
    if got[-1] == wanted[-1]:
        return hint(f"the images are {got[0]}×{got[1]} but the model was built for {wanted[0]}×{wanted[1]}.",
                    f"resize the images: tf.image.resize(images, ({wanted[0]}, {wanted[1]}))")
    return hint(f"the model takes {'×'.join(map(str, wanted))} images (height×width×channels), "
                f"and these are {'×'.join(map(str, got))}.",
                "build the input for the base model: keras.Input(shape=base_model.input_shape[1:]), "
                "and resize/convert the images to match")


def _grey_into_rgb() -> str:
    return hint("the images have 1 (grey) channel, but the model (like MobileNetV2) expects 3 (RGB) channels.",
                "repeat the grey channel: tf.image.grayscale_to_rgb(images) (or np.repeat(images, 3, axis=-1))")


@rule("ValueError", rf"Expected shape {SHAPE}, but input has incompatible shape {SHAPE}")
def invalid_input_shape(match: re.Match, ctx: Context) -> str | None:
    return input_shape_hint(parse_shape(match.group(1)), parse_shape(match.group(2)), ctx)


@rule("ValueError", rf"is incompatible with the layer: expected shape={SHAPE}, found shape={SHAPE}")
def incompatible_input(match: re.Match, ctx: Context) -> str | None:
    return input_shape_hint(parse_shape(match.group(1)), parse_shape(match.group(2)), ctx)


@rule("ValueError", r"expected axis -1 of input shape to have value (\d+), but received input with shape " + SHAPE)
def last_axis_mismatch(match: re.Match, ctx: Context) -> str | None:
    wanted, got = int(match.group(1)), parse_shape(match.group(2))
    if wanted == 3 and got[-1:] == (1,):
        return _grey_into_rgb()
    return hint(f"the model was built for {wanted} numbers on the last axis, but the data has {got[-1]} "
                f"(shape {got}).", "make them agree: keras.Input(shape=x.shape[1:])")


@rule("ValueError", r"expected min_ndim=(\d), found ndim=(\d)\. Full shape received: " + SHAPE)
def too_few_axes(match: re.Match, ctx: Context) -> str | None:
    wanted, found, shape = int(match.group(1)), int(match.group(2)), parse_shape(match.group(3))
    if (wanted, found) == (2, 1):
        return _missing_batch_axis(shape, ctx)
    if (wanted, found) != (4, 3):
        return None
    return hint(f"Conv2D needs images with a channel axis (height, width, channels), but got {shape}.",
                f"add a channel axis: keras.Input(shape=({shape[1]}, {shape[2]}, 1)) and x[..., np.newaxis]")


@rule("ValueError", r"Cannot convert '(\d+)' to a shape")
def input_shape_not_tuple(match: re.Match, ctx: Context) -> str | None:
    n = match.group(1)
    return hint(f"a shape is a tuple, and {n} alone is a number.", f"keras.Input(shape=({n},))  # note the comma")


@rule("ValueError", r"When providing `x` as a tf\.data\.Dataset, `y` should not be passed")
def dataset_with_y(match: re.Match, ctx: Context) -> str | None:
    return hint("the tf.data dataset already yields (features, labels) pairs, so fit takes no separate y.",
                "model.fit(train_ds, epochs=...)  # build it with Dataset.from_tensor_slices((x, y))")


@rule("ValueError", r"Argument `validation_split` is only supported for tensors or NumPy arrays")
def validation_split_dataset(match: re.Match, ctx: Context) -> str | None:
    return hint("validation_split cannot cut a tf.data dataset; it only works on NumPy arrays and tensors.",
                "make a separate validation dataset and pass it: model.fit(train_ds, validation_data=val_ds)")


# --- History keys ----------------------------------------------------------------------------


def _logged_keys(ctx: Context) -> list[str] | None:
    """The keys of a History (or its ``.history`` dict) in scope where the KeyError happened."""
    if not ctx.frames:
        return None
    for value in list(ctx.frames[-1].f_locals.values()):
        logs: Any = getattr(value, "history", None) if type(value).__name__ == "History" else value
        if isinstance(logs, dict) and logs and any(str(k).endswith("loss") for k in logs):
            return sorted(map(str, logs))
    return None


@rule("KeyError", r"^'((?:val_)?\w+)'$")
def history_key(match: re.Match, ctx: Context) -> str | None:
    key, keys = match.group(1), _logged_keys(ctx)
    about_logs = "history" in ctx.line.lower() or "logs" in ctx.line
    if (keys is not None and key in keys) or (ctx.line and not about_logs):
        return None  # a KeyError from some other dictionary
    if key in ("acc", "val_acc"):
        right = key.replace("acc", "accuracy")
        return hint(f"Keras 3 logs accuracy as {right!r}, not {key!r}.", f'history.history["{right}"]')
    if keys is None:
        return None
    if key.startswith("val_") and not any(k.startswith("val_") for k in keys):
        return hint(f"{key!r} is only logged when fit gets validation data; this run logged {keys}.",
                    "model.fit(x, y, validation_data=(x_val, y_val), ...)  # or validation_split=0.2")
    where = "logs" if "logs" in ctx.line and "history" not in ctx.line.lower() else "history.history"
    return hint(f"{key!r} was not logged; {where} has {keys}.", f'use one of those names, e.g. {where}["{keys[0]}"]')


# --- class weights ----------------------------------------------------------------------------


@rule("InvalidArgumentError", r"MapDataset.*indices\[\d+\] = (\d+) is not in \[0, (\d+)\)")
def class_weight_without_every_class(match: re.Match, ctx: Context) -> str | None:
    weights = ctx.call.kwargs.get("class_weight") if ctx.call is not None else None
    if not isinstance(weights, dict):
        return None
    label, size = match.group(1), int(match.group(2))
    return hint(f"class_weight has no weight for class {label}: with a tf.data dataset, Keras looks the weights up "
                f"in a table of the classes 0 to {size - 1}, its largest key.",
                "give class_weight one key per class the model outputs: {c: w for c in range(num_classes)}")
