"""Checks for notebook 10: preprocessing and augmentation, the transfer model, and fine-tuning.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). The fixed images are generated shape images
(``helpers.images``, the ``"extra"`` split: never the notebook's own), drawn
from ``seed``. The transfer and fine-tuning checks use ``tiny_base``, a small
random conv base that trains in milliseconds; the layer choice is checked on
the real ``keras.applications.MobileNetV2`` (alpha 0.35, 96 px, random weights).

- ``build_image_preprocessing``: inference output == pixels / 127.5 - 1;
  training output of the same shape, different from it (augmentation on).
- ``build_transfer_model``: a frozen base; one Dropout at the given rate; the
  reference model, given the student's head, computes the student's outputs;
  a fit leaves the base (BatchNorm statistics included) unchanged and moves the head.
- ``unfreeze_from``: the trainable flags of every layer, from a starting
  state drawn from ``seed``.
- ``prepare_fine_tuning``: Adam at the new rate, accuracy kept, and a fit
  after the call moves exactly the layers with weights that were unfrozen.
- ``train_best_model`` (the challenge): the kernel trains the student's model
  within ``CHALLENGE_SECONDS`` and sends it as plain data (config and
  weights); the judge rebuilds it (``helpers.checks.rebuild``) and scores it
  on ``HIDDEN_PER_CLASS`` images per class drawn from a seed of its own, which
  the kernel never sees, against the labels it draws itself.

Used by notebook 10's test cells, e.g. ``checks.nb10.build_transfer_model(build_transfer_model)``.
"""
from __future__ import annotations

import functools
import hashlib
import secrets
import time
import weakref
from typing import Any, Callable

import numpy as np

from helpers.checks.core import CheckFailed, check, check_close, check_equal, check_instance, fail
from helpers.checks.observed import observed_check, reporting
from helpers.checks.rebuild import pack_model, rebuild_model, refuse_unsafe, unpack_model
from helpers.images import TARGET_CLASSES, render, write_task
from helpers.quiet import import_tensorflow
from helpers.reference import nb10 as reference
from helpers.transfer import COURSE_MOBILENET_WEIGHTS, MOBILENET_CONFIG, imagenet_mobilenet_path, pretrained_weights

keras = import_tensorflow().keras

TINY_LAYERS = ("conv_a", "bn_a", "relu_a", "dropout", "pool", "conv_b", "bn_b", "relu_b")


def tiny_base(filters: int = 4, seed: int = 0, input_shape: tuple[int, int, int] = (96, 96, 3)) -> keras.Model:
    """A tiny random conv base for fast checks: Conv-BN-ReLU, Dropout, MaxPool, Conv-BN-ReLU.

    Its ``Dropout`` layer makes a base called in training mode visible.

    Args:
        filters: Filters of the first conv layer (the second has twice as many). Defaults to 4.
        seed: Seed of the random weights. Defaults to 0.
        input_shape: One image's shape. Defaults to ``(96, 96, 3)``.

    Returns:
        An uncompiled Functional model named ``"tiny_base"``, layers named as ``TINY_LAYERS``.
    """
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(filters, 3, strides=4, padding="same", name="conv_a")(inputs)
    x = keras.layers.BatchNormalization(name="bn_a")(x)
    x = keras.layers.ReLU(name="relu_a")(x)
    x = keras.layers.Dropout(0.5, name="dropout")(x)
    x = keras.layers.MaxPooling2D(name="pool")(x)
    x = keras.layers.Conv2D(2 * filters, 3, padding="same", name="conv_b")(x)
    x = keras.layers.BatchNormalization(name="bn_b")(x)
    x = keras.layers.ReLU(name="relu_b")(x)
    return keras.Model(inputs, x, name="tiny_base")


def images(seed: int | None, size: int = 96) -> np.ndarray:
    """Five fixed shape images (one per target class) as float32 pixels in [0, 255], ``size`` px square."""
    x = render("target", 1, "extra", 0 if seed is None else seed)[0].astype("float32")
    step = 96 // size
    return x[:, ::step, ::step] if step > 1 else x


def _summary(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error)[:200]}"


# ---- Exercise 1: preprocessing and augmentation ------------------------------------------------------------

def build_image_preprocessing(student: Callable[[], Any], seed: int | None = None) -> dict[str, Any]:
    """Check exercise 1: ``student()`` scales pixels to [-1, 1] always, and augments only in training.

    Args:
        student: The student's ``build_image_preprocessing``.
        seed: Which fixed images (32 px). Defaults to ``None`` (seed 0).

    Raises:
        CheckFailed: with expected / got / hint.
    """
    x = images(seed, size=32)
    layer = student()
    check_instance(layer, keras.layers.Layer, "build_image_preprocessing() should return a Keras layer or model.",
                   "Return keras.Sequential([...]) with the augmentation layers and the rescaling.")
    try:
        outputs = {"inference": layer(x, training=False),
                   "training": [layer(x, training=True) for _ in range(2)]}
    except Exception as error:
        fail("build_image_preprocessing(): calling it on a batch of images failed.", "outputs", _summary(error),
             "Use only Keras layers, e.g. RandomFlip, RandomRotation and Rescaling.")
    observed = {key: [np.asarray(v, dtype="float32") for v in value] if isinstance(value, list)
                else np.asarray(value, dtype="float32") for key, value in outputs.items()}
    observed["augmentation"] = _augmentation_settings(layer)
    return observed


def _augmentation_settings(layer: Any) -> list[list]:
    """``[class name, setting]`` of each flip and rotation layer in ``layer`` (nested models included)."""
    found = []
    for inner in getattr(layer, "_flatten_layers", lambda: [layer])():
        if isinstance(inner, keras.layers.RandomFlip):
            found.append(["RandomFlip", str(inner.mode)])
        elif isinstance(inner, keras.layers.RandomRotation):
            factor = inner.factor if isinstance(inner.factor, (list, tuple)) else (-inner.factor, inner.factor)
            found.append(["RandomRotation", [float(factor[0]), float(factor[1])]])
    return found


@observed_check(build_image_preprocessing)
def build_image_preprocessing(observed, seed=None) -> None:
    x = images(seed, size=32)
    want = x / 127.5 - 1.0
    name = "build_image_preprocessing()"
    for key, how in (("inference", "layer(x, training=False)"),):
        got = np.asarray(observed[key], dtype=np.float64)
        check(got.shape == want.shape, f"{name}: {how} should keep the images' shape.", want.shape, got.shape,
              "Keep the image size: no Resizing or cropping here, the images are already 96x96.")
        check_close(got, want, f"{name}: {how} (inference) should only scale the pixels to [-1, 1].",
                    "Rescaling(1 / 127.5, offset=-1) maps 0..255 to -1..1, as MobileNetV2 expects; augmentation "
                    "layers must leave images alone in inference, so use Keras's Random... layers.",
                    rtol=1e-5, atol=1e-5)
    settings = [list(item) for item in observed["augmentation"]]
    check(["RandomFlip", "horizontal"] in settings, f"{name}: flip the images left to right in training.",
          'RandomFlip("horizontal")', settings, 'Add keras.layers.RandomFlip("horizontal").')
    rotations = [item[1] for item in settings if item[0] == "RandomRotation"]
    check(any(np.allclose(sorted(abs(v) for v in r), [0.1, 0.1]) and r[0] <= 0 <= r[1] for r in rotations),
          f"{name}: rotate by up to a tenth of a turn either way in training.", "RandomRotation(0.1)",
          rotations or settings, "Add keras.layers.RandomRotation(0.1): 0.1 is a fraction of a full turn.")
    for got in observed["training"]:
        got = np.asarray(got, dtype=np.float64)
        check(got.shape == want.shape, f"{name}: layer(x, training=True) should keep the images' shape.",
              want.shape, got.shape, "Use RandomFlip and RandomRotation: they keep the image size.")
        changed = np.abs(got - want).reshape(len(x), -1).max(axis=1) > 1e-3
        check(bool(changed.any()), f"{name}: layer(x, training=True) should augment the images.",
              "some images flipped or rotated", "the same images as in inference",
              "Add augmentation layers such as RandomFlip('horizontal') and RandomRotation(0.1).")


# ---- Exercise 2: the transfer model ------------------------------------------------------------------------

def _scaling() -> keras.layers.Layer:
    """The ``preprocessing`` given to the student's ``build_transfer_model``: deterministic, so outputs compare."""
    return keras.layers.Rescaling(1 / 127.5, offset=-1, name="preprocessing")


def _layer_list(model: Any) -> list[dict[str, Any]]:
    return [{"class": type(layer).__name__, "rate": float(getattr(layer, "rate", -1.0)),
             "is_base": layer.name == "tiny_base"} for layer in getattr(model, "layers", [])]


def _transfer_size(seed: int | None) -> int:
    """The image size of the transfer checks: 96 px, and 48 px for hidden (seeded) cases, so the model must take its
    input shape from the base it is given."""
    return 96 if seed is None else 48


def _transfer_shape(seed: int | None) -> tuple[int, int, int]:
    return (_transfer_size(seed), _transfer_size(seed), 3)


def build_transfer_model(student: Callable[..., Any], num_classes: int = 5, dropout_rate: float = 0.2,
                         filters: int = 4, seed: int | None = None) -> dict[str, Any]:
    """Check exercise 2: ``student(base, num_classes, preprocessing, dropout_rate)`` on a ``tiny_base``.

    Args:
        student: The student's ``build_transfer_model``.
        num_classes: Classes of the head. Defaults to 5.
        dropout_rate: Dropout's rate. Defaults to 0.2.
        filters: The tiny base's first filters. Defaults to 4.
        seed: Seed of the base's weights and of the images. Defaults to ``None`` (0).

    Raises:
        CheckFailed: with expected / got / hint.
    """
    x = images(seed, _transfer_size(seed))
    base = tiny_base(filters, seed=seed or 0, input_shape=_transfer_shape(seed))
    model = student(base, num_classes, _scaling(), dropout_rate)
    check_instance(model, keras.Model, "build_transfer_model should return a Keras model.", "End with `return model`.")
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    observed = {"base_trainable": bool(base.trainable), "layers": _layer_list(model),
                "output_shape": [-1 if d is None else int(d) for d in model.output_shape],
                "head": dense[-1].get_weights() if dense else [], "trainable": reference.count_trainable_params(model)}
    observed["outputs"] = np.asarray(model(x, training=False))
    observed["plain_outputs"] = np.asarray(model(x))
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy", run_eagerly=True)
    model.fit(x, np.arange(len(x)) % num_classes, epochs=2, batch_size=5, verbose=0)
    observed["base_after"] = base.get_weights()
    observed["head_after"] = dense[-1].get_weights() if dense else []
    return observed


@observed_check(build_transfer_model)
def build_transfer_model(observed, num_classes=5, dropout_rate=0.2, filters=4, seed=None) -> None:
    name = f"build_transfer_model(base, {num_classes}, preprocessing, {dropout_rate})"
    check(observed["base_trainable"] is False, f"{name}: the base should be frozen.", "base_model.trainable == False",
          f"base_model.trainable == {observed['base_trainable']}", "Set base_model.trainable = False.")
    check_equal(list(observed["output_shape"]), [-1, num_classes], f"{name}: one output per class (-1 = batch).",
                "The last Dense layer needs num_classes units.")
    classes = [layer["class"] for layer in observed["layers"]]
    rates = [layer["rate"] for layer in observed["layers"] if layer["class"] == "Dropout"]
    check(len(rates) == 1 and abs(rates[0] - dropout_rate) < 1e-9, f"{name}: one Dropout layer in the head.",
          f"Dropout({dropout_rate})", rates, "Add keras.layers.Dropout(dropout_rate) between the pooling and Dense.")
    check("GlobalAveragePooling2D" in classes and classes.index("GlobalAveragePooling2D") < classes.index("Dropout"),
          f"{name}: average the feature map, then drop out.", "GlobalAveragePooling2D before Dropout", classes,
          "base -> GlobalAveragePooling2D -> Dropout -> Dense(softmax).")
    tiny = tiny_base(filters, seed=seed or 0, input_shape=_transfer_shape(seed))
    expected = reference.build_transfer_model(tiny, num_classes, _scaling(), dropout_rate)
    head = [np.asarray(w) for w in observed["head"]]
    want_head = expected.layers[-1].get_weights()
    check([w.shape for w in head] == [w.shape for w in want_head], f"{name}: the Dense head's weights.",
          [w.shape for w in want_head], [w.shape for w in head],
          "Pool with GlobalAveragePooling2D (Flatten keeps every position), then one Dense(num_classes).")
    check_equal(observed["trainable"], reference.count_trainable_params(expected),
                f"{name}: only the head's weights should be trainable.", "Freeze the whole base.")
    expected.layers[-1].set_weights(head)
    want = np.asarray(expected(images(seed, _transfer_size(seed)), training=False))
    check_close(observed["outputs"], want, f"{name}: given your head's weights, the reference model should compute "
                "your outputs on raw pixels.", "Pass the inputs through `preprocessing` first (the base expects "
                "[-1, 1]), call the base with training=False, and end with Dense(..., activation='softmax').",
                rtol=1e-4, atol=1e-5)
    check_close(observed["plain_outputs"], want, f"{name}: called without a training argument, model(x) should run "
                "the base in inference mode.", "Call the base as base_model(x, training=False): its Dropout and "
                "BatchNormalization layers must not act as in training.", rtol=1e-4, atol=1e-5)
    base_before = tiny_base(filters, seed=seed or 0, input_shape=_transfer_shape(seed)).get_weights()
    _judge_fit(observed, base_before, head, name)


def _judge_fit(observed: dict, base_before: list, head_before: list, name: str) -> None:
    after = [np.asarray(w) for w in observed["base_after"]]
    check(len(after) == len(base_before) and all(np.array_equal(a, b) for a, b in zip(after, base_before)),
          f"{name}: after fit, the base's weights (BatchNorm statistics included) should be unchanged.",
          "an unchanged base", "the base's weights changed",
          "Freeze the base (base_model.trainable = False) before building the model.")
    moved = any(not np.allclose(a, np.asarray(b)) for a, b in zip(head_before, observed["head_after"]))
    check(moved, f"{name}: after fit, the head's weights should have changed.", "a trained head", "an unchanged head",
          "Leave the Dense head trainable.")


# ---- Exercise 3: choosing the layers to fine-tune ------------------------------------------------------------

def _structure(base: keras.Model) -> tuple[tuple[str, bool], ...]:
    return tuple((layer.name, isinstance(layer, keras.layers.BatchNormalization)) for layer in base.layers)


@functools.lru_cache(maxsize=1)
def _new_mobilenet() -> keras.Model:
    """MobileNetV2 without weights, built once per process (a second): only its layers' flags matter here, and
    ``_fresh_base`` sets every one of them before each case."""
    return keras.applications.MobileNetV2(**MOBILENET_CONFIG, weights=None)


@functools.lru_cache(maxsize=1)
def _mobilenet_layers() -> tuple[tuple[str, bool], ...]:
    """Read before any student's function gets the base (``_unfreeze_case`` comes first), so from the untouched
    build."""
    return _structure(_new_mobilenet())


@functools.lru_cache(maxsize=1)
def _tiny_layers() -> tuple[tuple[str, bool], ...]:
    return _structure(tiny_base())


def _layers_of(kind: str) -> tuple[tuple[str, bool], ...]:
    """(name, is BatchNormalization) of every layer of the ``kind`` base."""
    return _tiny_layers() if kind == "tiny" else _mobilenet_layers()


def _unfreeze_case(kind: str, layer_name: str | None, seed: int | None) -> tuple[str, list[bool] | None]:
    """The layer to start from and the starting flags (``None``: a frozen base), from ``seed``."""
    layers = _layers_of(kind)
    if seed is None:
        return layer_name, None
    rng = np.random.default_rng(seed)
    # Never the input layer: Keras numbers its default name per process ("input_layer_3"), so the name drawn here
    # would not be the name in the base built next. It has no weights to unfreeze anyway.
    start = layer_name or layers[int(rng.integers(1, len(layers)))][0]
    return start, [bool(flag) for flag in rng.random(len(layers)) < 0.5]


def _fresh_base(kind: str, flags: list[bool] | None, seed: int | None) -> keras.Model:
    """The base of a case, every flag set as a new base would have it: frozen (``flags`` ``None``), or trainable
    with each layer's flag from ``flags``."""
    base = tiny_base(seed=seed or 0) if kind == "tiny" else _new_mobilenet()
    base.trainable = flags is not None      # resets every layer's flag, including a reused base's
    for layer, flag in zip(base.layers, flags or ()):
        layer.trainable = flag
    return base


def unfreeze_from(student: Callable[..., Any], layer_name: str | None = "block_13_expand", base: str = "mobilenet",
                  seed: int | None = None) -> dict[str, Any]:
    """Check exercise 3: ``student(base_model, layer_name)`` sets the trainable flags the reference sets.

    Args:
        student: The student's ``unfreeze_from``.
        layer_name: The layer to start from; ``None`` draws one from ``seed``.
            Defaults to ``"block_13_expand"``.
        base: ``"mobilenet"`` (MobileNetV2, alpha 0.35, 96 px) or ``"tiny"``. Defaults to ``"mobilenet"``.
        seed: ``None``: the base comes frozen. Else its layers' flags are drawn from ``seed``. Defaults to ``None``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    start, flags = _unfreeze_case(base, layer_name, seed)
    model = _fresh_base(base, flags, seed)
    returned = student(model, start)
    return {"returned_base": returned is model, "returned": type(returned).__name__,
            "base_trainable": bool(model.trainable), "flags": [bool(layer.trainable) for layer in model.layers]}


@observed_check(unfreeze_from)
def unfreeze_from(observed, layer_name="block_13_expand", base="mobilenet", seed=None) -> None:
    start, _ = _unfreeze_case(base, layer_name, seed)
    name = f"unfreeze_from(base_model, {start!r})"
    check(observed["returned_base"] is True, f"{name} should return the base it changed.", "base_model",
          observed["returned"], "End with `return base_model`.")
    check(observed["base_trainable"] is True, f"{name}: the base itself should be trainable.",
          "base_model.trainable == True", f"base_model.trainable == {observed['base_trainable']}",
          "Set base_model.trainable = True first; a frozen model freezes all its layers.")
    layers = _layers_of(base)
    first = [n for n, _ in layers].index(start)
    want = [i >= first and not is_bn for i, (_, is_bn) in enumerate(layers)]
    got = [bool(flag) for flag in observed["flags"]]
    wrong = [f"{layers[i][0]}={'T' if g else 'F'}" for i, (g, w) in enumerate(zip(got, want)) if g != w][:6]
    check(got == want, f"{name}: the layers' trainable flags are wrong (first wrong ones shown).",
          f"{start!r} and every layer above it trainable, except BatchNormalization; every layer below frozen",
          wrong or got, "Find the index of layer_name in base_model.layers; set each layer's trainable flag "
          "(after base_model.trainable = True), and keep BatchNormalization layers frozen.")


# ---- Exercise 4: preparing fine-tuning ---------------------------------------------------------------------

def _fine_tuning_case(layer_name: str | None, learning_rate: float | None, seed: int | None) -> tuple[str, float]:
    if seed is None:
        return layer_name or "conv_b", learning_rate or 1e-3
    rng = np.random.default_rng(seed)
    start = layer_name or TINY_LAYERS[int(rng.integers(6))]   # always below conv_b: something must move
    return start, learning_rate or float(10 ** rng.uniform(-4, -2))


def prepare_fine_tuning(student: Callable[..., Any], layer_name: str | None = "conv_b",
                        learning_rate: float | None = 1e-3, seed: int | None = None) -> dict[str, Any]:
    """Check exercise 4: after ``student(model, base, layer_name, learning_rate)``, a fit moves the unfrozen layers.

    The reference transfer model on a ``tiny_base`` is compiled and fitted
    first (the head is trained), then handed to the student's function, then
    fitted again.

    Args:
        student: The student's ``prepare_fine_tuning``.
        layer_name: The lowest layer to fine-tune; ``None`` draws one from ``seed``. Defaults to ``"conv_b"``.
        learning_rate: The new learning rate; ``None`` draws one from ``seed``. Defaults to 1e-3.
        seed: Seed of the base, the images and the drawn arguments. Defaults to ``None``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    start, rate = _fine_tuning_case(layer_name, learning_rate, seed)
    x = images(seed)
    y = np.arange(len(x)) % 5
    base = tiny_base(seed=seed or 0)
    model = reference.build_transfer_model(base, 5, reference.build_image_preprocessing())
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy", run_eagerly=True)
    model.fit(x, y, epochs=1, batch_size=5, verbose=0)           # the head is trained first
    returned = student(model, base, start, rate)
    model.run_eagerly = True   # 5 images: tracing the new training step would take longer than running it
    optimizer = getattr(model, "optimizer", None)
    lr = getattr(optimizer, "learning_rate", None)
    observed = {"returned_model": returned is model, "returned": type(returned).__name__,
                "adam": isinstance(optimizer, keras.optimizers.Adam), "optimizer": type(optimizer).__name__,
                "learning_rate": None if lr is None else float(lr),
                "metrics": sorted(results := model.evaluate(x, y, verbose=0, return_dict=True)),
                "loss": float(results.get("loss", np.nan)), "probabilities": np.asarray(model(x, training=False))}
    before = {layer.name: [w.copy() for w in layer.get_weights()] for layer in base.layers}
    try:
        model.fit(x, y, epochs=1, batch_size=5, verbose=0)
        observed["fit_error"] = None
    except Exception as error:  # e.g. Keras refusing variables its optimizer was not built with
        observed["fit_error"] = _summary(error)
    observed["moved"] = sorted(layer.name for layer in base.layers
                               if any(not np.allclose(a, b) for a, b in zip(before[layer.name], layer.get_weights())))
    return observed


@observed_check(prepare_fine_tuning)
def prepare_fine_tuning(observed, layer_name="conv_b", learning_rate=1e-3, seed=None) -> None:
    start, rate = _fine_tuning_case(layer_name, learning_rate, seed)
    name = f"prepare_fine_tuning(model, base_model, {start!r}, {rate:.3g})"
    check(observed["returned_model"] is True, f"{name} should return the model.", "the same model",
          observed["returned"], "End with `return model`.")
    check(observed["adam"] is True, f"{name}: recompile with Adam.", "an instance of Adam", observed["optimizer"],
          "model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), ...)")
    check_close(observed["learning_rate"], rate, f"{name}: the new learning rate.",
                "Give the new Adam optimizer learning_rate=learning_rate.", rtol=1e-5)
    check("accuracy" in observed["metrics"], f"{name}: keep the 'accuracy' metric.", "'accuracy' in the results",
          observed["metrics"], 'Pass metrics=["accuracy"].')
    probabilities = np.asarray(observed["probabilities"], dtype=np.float64)
    labels = np.arange(len(probabilities)) % 5
    cross_entropy = float(np.mean(-np.log(np.clip(probabilities[np.arange(len(labels)), labels], 1e-7, 1.0))))
    check_close(observed["loss"], cross_entropy, f"{name}: the loss should stay the cross-entropy of integer labels.",
                'Recompile with loss="sparse_categorical_crossentropy".', rtol=1e-3, atol=1e-4)
    check(observed["fit_error"] is None, f"{name}: model.fit should work after your function.", "a fit",
          observed["fit_error"], "Recompile the model after changing trainable flags: model.compile(...) builds a "
          "new optimizer for the weights that are now trainable.")
    unfrozen = reference.unfreeze_from(tiny_base(seed=seed or 0), start)
    want = sorted(layer.name for layer in unfrozen.layers if layer.trainable_weights)
    check(list(observed["moved"]) == want, f"{name}: after fit, exactly the unfrozen layers should have changed.",
          want, observed["moved"], "Unfreeze with unfreeze_from, then call model.compile(...) again: "
          "Keras only sees new trainable flags after a compile.")


# ---- Exercise 5: the challenge -------------------------------------------------------------------------------

CHALLENGE_SECONDS = 60      # of processor time (a busy grader stretches wall time); the reference uses about 2
HIDDEN_PER_CLASS = 60       # 300 hidden images: the accuracy's sampling spread is about 3 points
_trained: "weakref.WeakKeyDictionary[Callable, dict]" = weakref.WeakKeyDictionary()


def challenge_datasets() -> tuple[Any, Any]:
    """The challenge's training data: notebook 10's 120 training files, split 90 / 30 as in the notebook."""
    return keras.utils.image_dataset_from_directory(
        write_task("target", per_class=24), validation_split=0.25, subset="both", seed=1,
        image_size=MOBILENET_CONFIG["input_shape"][:2], batch_size=30, verbose=False)


def hidden_images(seed: int, per_class: int = HIDDEN_PER_CLASS) -> tuple[np.ndarray, np.ndarray]:
    """The judge's test images (split ``"hidden"``), with labels numbered as ``image_dataset_from_directory`` does."""
    x, y = render("target", per_class, "hidden", seed)
    alphabetical = np.array([sorted(TARGET_CLASSES).index(name) for name in TARGET_CLASSES])
    return x.astype("float32"), alphabetical[y]


def train_best_model(student: Callable[..., Any], min_accuracy: float = 0.4, seed: int | None = None) -> dict:
    """Check the challenge: ``student(base_model, train_ds, val_ds)`` trains a model, judged on hidden images.

    The student's function runs once per ``seed`` (the random seed of its
    training); the cells of each threshold reuse that run.

    Args:
        student: The student's ``train_best_model``.
        min_accuracy: The accuracy on the hidden images needed to pass. Defaults to 0.4.
        seed: Keras's random seed before the call; ``None`` is 0. Defaults to ``None``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    runs = _trained.setdefault(student, {})
    if seed not in runs:
        train_ds, val_ds = challenge_datasets()
        base = _challenge_base()
        known = base.get_weights()
        keras.utils.set_random_seed(seed or 0)
        start = time.process_time()
        model = student(base, train_ds, val_ds)
        seconds = time.process_time() - start
        check_instance(model, keras.Model, "train_best_model should return a trained Keras model.",
                       "End with `return model`.")
        runs[seed] = {"seconds": seconds, **pack_model(model, known)}
        _packed_here.clear()
        if not reporting():     # under grading the grader judges, in another process: nothing here would use it
            config, arrays = unpack_model(runs[seed]["config"], runs[seed]["weights"], known)
            _packed_here[config, _Weights(arrays).digest] = model
    return runs[seed]


#: The model this process packed last, by its description and the digest of its packed weights. A kernel that
#: judges its own check (JupyterLab) scores it instead of rebuilding it (a second MobileNetV2, about a second). The
#: grader judges in another process, where this is empty, so grades always come from the rebuilt model.
_packed_here: dict[tuple[str, str], Any] = {}


@functools.lru_cache(maxsize=1)
def _hidden_set() -> tuple[np.ndarray, np.ndarray]:
    """This process's hidden images, from a seed drawn here: one draw per judge process, for every answer."""
    return hidden_images(secrets.randbits(32))


_PRETRAINED: dict[str, tuple] = {}


def _pretrained() -> tuple:
    """The pretrained base's weights, which ``pack_model`` refers to by index instead of sending them.

    Read once per process, into the process's reused MobileNetV2 (``_new_mobilenet``), as ``keras.applications``
    reads them into the base it builds. In a kernel that judges its own checks (JupyterLab), the observation has
    already read them; the grader's judge process reads them itself.
    """
    source = pretrained_weights(quiet=True)
    if source not in _PRETRAINED:
        base = _new_mobilenet()
        base.load_weights(COURSE_MOBILENET_WEIGHTS if source != "imagenet" else
                          imagenet_mobilenet_path(MOBILENET_CONFIG["alpha"], MOBILENET_CONFIG["input_shape"][0]))
        _PRETRAINED[source] = tuple(base.get_weights())
    return _PRETRAINED[source]


def _challenge_base() -> keras.Model:
    """The base handed to the student's ``train_best_model``: MobileNetV2 with the pretrained weights, every layer
    trainable, as ``keras.applications`` builds it.

    It is the process's reused MobileNetV2 (``_new_mobilenet``) with its weights and flags reset, so the
    observation does not build the 155 layers again (about a second).
    """
    base = _new_mobilenet()
    base.trainable = True
    base.set_weights(list(_pretrained()))
    return base


#: Images per call when scoring: a traced call frees each layer's output once it is used (an eager Keras call keeps
#: them all, about 7 MB per image), so 100 at a time stay within the kernel's memory.
SCORING_BATCH = 100


@functools.lru_cache(maxsize=4)
def _predictions(config: str, digest: str, weights: tuple) -> np.ndarray:
    """The model's probabilities on the hidden images (both threshold cells of an answer share them): the model
    rebuilt from its description, or, in the process that packed it, that model with the packed values."""
    name = "train_best_model(base_model, train_ds, val_ds)"
    packed_here = _packed_here.get((config, digest))
    if packed_here is None:
        return _score(rebuild_model(config, list(weights), name))
    refuse_unsafe(config, weights, name)          # what the grader's rebuild refuses, refused here too
    own = packed_here.get_weights()
    packed_here.set_weights(list(weights))        # the values the grader gets: the head's rounded to float16
    try:
        return _score(packed_here)
    finally:
        packed_here.set_weights(own)


def _score(model: keras.Model) -> np.ndarray:
    """``model``'s probabilities on this process's hidden images."""
    x, _ = _hidden_set()
    # one trace (about 0.7 s) costs less than eager calls on 300 images (about 0.25 s each, whatever their size)
    call = import_tensorflow().function(lambda images: model(images, training=False), reduce_retracing=True)
    return np.concatenate([np.asarray(call(x[i:i + SCORING_BATCH])) for i in range(0, len(x), SCORING_BATCH)])


class _Weights(tuple):
    """Weights hashed by a digest of their bytes, so that ``_predictions`` can cache on them."""

    def __new__(cls, weights):
        arrays = [np.asarray(w) for w in weights]
        self = super().__new__(cls, arrays)
        self.digest = hashlib.sha256(b"".join(a.tobytes() + str(a.shape).encode() for a in arrays)).hexdigest()
        return self

    def __hash__(self):
        return hash(self.digest)

    def __eq__(self, other):
        return isinstance(other, _Weights) and other.digest == self.digest


@observed_check(train_best_model)
def train_best_model(observed, min_accuracy=0.4, seed=None) -> None:
    name = "train_best_model(base_model, train_ds, val_ds)"
    seconds = float(observed["seconds"])
    check(seconds <= CHALLENGE_SECONDS, f"{name}: training should fit the budget.",
          f"at most {CHALLENGE_SECONDS} s of processor time", f"{seconds:.0f} s",
          "Train for fewer epochs, or compute the frozen base's features once and train the head on them.")
    config, arrays = unpack_model(observed["config"], observed["weights"], list(_pretrained()))
    weights = _Weights(arrays)
    try:
        probabilities = _predictions(config, weights.digest, weights)
    except CheckFailed:
        raise
    except Exception as error:
        fail(f"{name}: the model should take raw 96x96 RGB pixels.", "class probabilities", _summary(error),
             "Build the model from keras.Input(shape=base_model.input_shape[1:]) and scale the pixels inside it.")
    _, y = _hidden_set()
    check(probabilities.shape == (len(y), len(TARGET_CLASSES)), f"{name}: one output per class.",
          (len(y), len(TARGET_CLASSES)), probabilities.shape, "End with Dense(len(train_ds.class_names), ...).")
    accuracy = float(np.mean(probabilities.argmax(axis=1) == y))
    check(accuracy >= min_accuracy, f"{name}: accuracy on {len(y)} hidden images.",
          f"at least {min_accuracy:.0%}", f"{accuracy:.1%}", "Train the head longer (more epochs at a good learning "
          "rate), on features computed once, then consider fine-tuning the top of the base.")
