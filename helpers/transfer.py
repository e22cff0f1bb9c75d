"""Transfer learning that works offline: pretrained bases, the few-shot digits task, and a compile helper.

The classic recipe starts from MobileNetV2 with ImageNet weights, which Keras
downloads on first use. ``load_base_model`` uses them when Keras already has
them in its cache (or when you ask it to download them). Otherwise it says so
in one sentence and returns the offline default: a small convolutional base
that this course pretrains on digits 0-4 (``python -m helpers.pretrain_base``)
and ships in ``helpers/weights/``. The target task is then digits 5-9 from a
handful of labelled images each.

Used in notebook 10, whose exercises (freezing a base, a new head, counting
trainable weights, fine-tuning) have their answers in ``helpers.reference.nb10``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from helpers.data import load_digits
from helpers.frozen import follow_keras_flags
from helpers.models import build_training_state
from helpers.quiet import import_tensorflow

tf = import_tensorflow()
keras = tf.keras

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
DIGITS_BASE_WEIGHTS = WEIGHTS_DIR / "digits_base.weights.h5"
DIGITS_BASE_RECORD = WEIGHTS_DIR / "digits_base.json"
SOURCE_CLASSES = (0, 1, 2, 3, 4)
TARGET_CLASSES = (5, 6, 7, 8, 9)
_IMAGENET_ROWS = (96, 128, 160, 192, 224)  # MobileNetV2's ImageNet weights come in these sizes
#: The MobileNetV2 of notebook 10: small enough for a CPU, and a size ImageNet weights exist for.
MOBILENET_CONFIG = {"input_shape": (96, 96, 3), "alpha": 0.35, "include_top": False}
COURSE_MOBILENET_WEIGHTS = WEIGHTS_DIR / "mobilenetv2_0.35_96_course.h5"   # the layout of Keras's ImageNet files
COURSE_MOBILENET_RECORD = WEIGHTS_DIR / "mobilenetv2_0.35_96_course.json"
TRANSFER_VS_SCRATCH_RECORD = WEIGHTS_DIR / "transfer_vs_scratch.json"


def build_digits_base(name: str = "digits_base") -> keras.Model:
    """The offline base's architecture, randomly initialised: 8x8x1 digits in, a 2x2x64 feature map out.

    Three Conv-BatchNorm-ReLU blocks (16, 32 and 64 filters) with max-pooling
    between them, and no classifier on top (like ``include_top=False``).

    Args:
        name: The model's name. Defaults to ``"digits_base"``.

    Returns:
        An uncompiled Functional model with 23,632 weights.

    Used by ``load_base_model``, ``helpers.pretrain_base`` and notebook 10.
    """
    inputs = keras.Input(shape=(8, 8, 1), name="digits")
    x = inputs
    for i, filters in enumerate((16, 32, 64), start=1):
        if i > 1:
            x = keras.layers.MaxPooling2D(name=f"pool{i - 1}")(x)
        x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv{i}")(x)
        x = keras.layers.BatchNormalization(momentum=0.9, name=f"bn{i}")(x)
        x = keras.layers.ReLU(name=f"relu{i}")(x)
    return keras.Model(inputs, x, name=name)


def digits_base_record() -> dict:
    """What ``python -m helpers.pretrain_base`` recorded about the shipped weights (accuracy, epochs, ...)."""
    return json.loads(DIGITS_BASE_RECORD.read_text())


def load_digits_base() -> keras.Model:
    """The offline default base with its shipped weights, pretrained on digits 0-4.

    Returns:
        The ``build_digits_base`` model with the weights from
        ``helpers/weights/digits_base.weights.h5``.

    Used in notebook 10.
    """
    if not DIGITS_BASE_WEIGHTS.exists():
        raise FileNotFoundError(
            f"{DIGITS_BASE_WEIGHTS} is missing; run `python -m helpers.pretrain_base` to recreate it."
        )
    base = build_digits_base()
    base.load_weights(DIGITS_BASE_WEIGHTS)
    return base


def imagenet_weights_cache_paths(image_size: int = 96) -> list[Path]:
    """Where Keras looks for MobileNetV2's ImageNet weights (``include_top=False``) for this image size.

    Keras keeps downloads in ``$KERAS_HOME/models`` (default ``~/.keras/models``),
    or ``/tmp/.keras/models`` when that folder is not writable.
    """
    rows = image_size if image_size in _IMAGENET_ROWS else 224
    name = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{rows}_no_top.h5"
    import os  # here, so that no `os` attribute is reachable from this module

    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return [Path(home) / "models" / name, Path("/tmp/.keras/models") / name]


def mobilenet_record() -> dict:
    """What ``python -m helpers.pretrain_mobilenet`` recorded about the course's MobileNetV2 weights."""
    return json.loads(COURSE_MOBILENET_RECORD.read_text())


def transfer_vs_scratch_record() -> dict:
    """What ``python -m helpers.measure_transfer`` measured: transfer and from-scratch accuracy over seeds."""
    return json.loads(TRANSFER_VS_SCRATCH_RECORD.read_text())


def imagenet_mobilenet_path(alpha: float = 0.35, rows: int = 96) -> Path | None:
    """The cached ImageNet weights of MobileNetV2 (``include_top=False``) for ``alpha`` and ``rows``, or ``None``.

    Keras keeps downloads in ``$KERAS_HOME/models`` (default ``~/.keras/models``),
    or ``/tmp/.keras/models`` when that folder is not writable.
    """
    import os  # here, so that no `os` attribute is reachable from this module

    name = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{alpha}_{rows}_no_top.h5"
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return next((p for p in (Path(home) / "models" / name, Path("/tmp/.keras/models") / name) if p.exists()), None)


def pretrained_weights(quiet: bool = False) -> str:
    """What to pass as ``weights=`` to notebook 10's MobileNetV2: ImageNet's if cached, else the course's file.

    Never downloads: ``"imagenet"`` is returned only when Keras already has
    that file, so Keras finds it in its cache. Otherwise it prints one
    sentence and returns the path of the course's weights, pretrained on the
    shapes of ``helpers.images`` by ``python -m helpers.pretrain_mobilenet``.
    Both expect images scaled to [-1, 1].

    Args:
        quiet: Say nothing. Defaults to ``False``.

    Returns:
        ``"imagenet"`` or the path of ``mobilenetv2_0.35_96_course.h5``.

    Used in notebook 10:

    >>> base = keras.applications.MobileNetV2(**MOBILENET_CONFIG, weights=pretrained_weights(quiet=True))
    """
    rows, alpha = MOBILENET_CONFIG["input_shape"][0], MOBILENET_CONFIG["alpha"]
    if imagenet_mobilenet_path(alpha, rows) is not None:
        return "imagenet"
    if not quiet:
        print(f"Keras has no ImageNet weights for MobileNetV2 (alpha={alpha}, {rows} px) in its cache, so this "
              f"uses the course's own weights, pretrained on 8 shapes (python -m helpers.pretrain_mobilenet).")
    return str(COURSE_MOBILENET_WEIGHTS)


def load_base_model(kind: str = "auto", image_size: int = 96, allow_download: bool = False) -> keras.Model:
    """A pretrained convolutional base without its classifier: MobileNetV2 when possible, else the offline default.

    Never touches the network unless ``allow_download=True``. When MobileNetV2's
    ImageNet weights cannot be had, prints one sentence saying why and returns
    the offline default (``load_digits_base()``).

    Args:
        kind: ``"auto"`` (MobileNetV2 if its weights are available, else the
            digits base), ``"mobilenet_v2"`` (the same, but the fallback is
            announced as a failure) or ``"digits"`` (the offline base, no
            message). Defaults to ``"auto"``.
        image_size: Input size for MobileNetV2 (32 px and up). Defaults to 96.
        allow_download: Try to download the ImageNet weights when they are
            not cached. Defaults to ``False``.

    Returns:
        A Keras model; its ``name`` says which base it is.

    Used in notebook 10.

    >>> base = load_base_model("digits")
    >>> base.output_shape
    (None, 2, 2, 64)
    """
    if kind not in ("auto", "mobilenet_v2", "digits"):
        raise ValueError(f"kind must be 'auto', 'mobilenet_v2' or 'digits', got {kind!r}")
    if kind == "digits":
        return load_digits_base()
    fallback = "so this uses the offline default, a small conv base pretrained on digits 0-4"
    cached = any(p.exists() for p in imagenet_weights_cache_paths(image_size))
    if not cached and not allow_download:
        cache = imagenet_weights_cache_paths(image_size)[0].parent
        print(f"MobileNetV2's ImageNet weights are not in the Keras cache ({cache})"
              f" and downloading is off (allow_download=False), {fallback}.")
        return load_digits_base()
    try:
        return keras.applications.MobileNetV2(
            input_shape=(image_size, image_size, 3), include_top=False, weights="imagenet"
        )
    except Exception as error:  # no network, a proxy, a truncated file: all end the same way
        print(f"Could not load MobileNetV2's ImageNet weights ({type(error).__name__}: {str(error)[:80]}), {fallback}.")
        return load_digits_base()


def prepare_images(x: np.ndarray, base_model: keras.Model) -> np.ndarray:
    """Turn digit images (pixels in [0, 1]) into the input ``base_model`` expects.

    The digits base takes them as they are. For an RGB base such as MobileNetV2
    the images are resized to its input size, repeated over 3 channels and
    scaled to [-1, 1], the range MobileNetV2 was trained on.

    Args:
        x: Images of shape ``(n, 8, 8, 1)`` or ``(n, 64)``, values in [0, 1].
        base_model: The base the images are for.

    Returns:
        A float32 array shaped like the base's input.

    Used with notebook 10's bases, when ``load_base_model`` returns MobileNetV2.
    """
    images = np.asarray(x, dtype=np.float32).reshape((-1, 8, 8, 1))
    height, width, channels = base_model.input_shape[1:]
    if (height, width, channels) == (8, 8, 1):
        return images
    resized = tf.image.resize(images, (height, width)).numpy()
    return np.repeat(resized, channels, axis=-1) * 2.0 - 1.0


@dataclass(frozen=True)
class FewShotTask:
    """A few labelled images per new class, and a test set of the same classes.

    Labels are renumbered from 0 (digit 5 is label 0, ..., digit 9 is label 4).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    classes: tuple[int, ...]

    @property
    def num_classes(self) -> int:
        return len(self.classes)


def few_shot_digits(shots: int = 5, classes: Sequence[int] = TARGET_CLASSES, seed: int = 0) -> FewShotTask:
    """The target task: ``shots`` training images of each digit in ``classes``, as 8x8x1 images.

    Training images come from the course's training split; the test set is the
    validation and test splits of those digits (about 36 images per digit each).

    Args:
        shots: Labelled images per class. Defaults to 5.
        classes: The digits of the task. Defaults to 5-9, which the offline
            base has never seen.
        seed: Which images are drawn. Defaults to 0.

    Returns:
        A ``FewShotTask``.

    Used in notebook 10.
    """
    if shots < 1:
        raise ValueError(f"shots must be a positive int, got {shots}")
    data = load_digits(view="image")
    rng = np.random.default_rng(seed)
    picked = [rng.choice(np.flatnonzero(data.y_train == c), size=shots, replace=False) for c in classes]
    index = np.concatenate(picked)
    relabel = {c: i for i, c in enumerate(classes)}
    x_pool = np.concatenate([data.x_val, data.x_test])
    y_pool = np.concatenate([data.y_val, data.y_test])
    keep = np.isin(y_pool, classes)
    return FewShotTask(
        x_train=data.x_train[index],
        y_train=np.array([relabel[c] for c in data.y_train[index]], dtype=np.int32),
        x_test=x_pool[keep],
        y_test=np.array([relabel[c] for c in y_pool[keep]], dtype=np.int32),
        classes=tuple(classes),
    )


def compile_classifier(model: keras.Model, learning_rate: float = 1e-3) -> keras.Model:
    """Compile ``model`` with Adam at ``learning_rate``, sparse categorical cross-entropy and accuracy.

    Also lets the weights of its frozen layers out of ``fit``'s gradient tape
    (``helpers.frozen.follow_keras_flags``): the same training, a second
    less to trace through a frozen MobileNetV2.

    Args:
        model: A classifier whose last layer is a softmax over integer labels.
        learning_rate: Adam's learning rate. Defaults to 1e-3.

    Returns:
        ``model``, compiled.

    Used in notebook 10.
    """
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return build_training_state(follow_keras_flags(model))
