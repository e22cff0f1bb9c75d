"""Rebuild a student's Keras model from plain data (its JSON config and its weights), refusing anything but layers.

The judge of notebook 10's challenge scores the student's trained model on
images the kernel never sees. The kernel sends the model as plain data:
``model.to_json()`` and ``model.get_weights()``. Deserializing a config can run
code (a ``Lambda`` layer, a function named in the config), so every object in
it must be one of the built-in Keras classes listed here, from a ``keras``
module, before Keras reads it, with Keras's own ``safe_mode`` on as well.

Used by ``helpers.checks.nb10.train_best_model``.
"""
from __future__ import annotations

import functools
import json
import zlib
from typing import Any, Sequence

import numpy as np

from helpers.checks.core import fail
from helpers.quiet import import_tensorflow

keras = import_tensorflow().keras

#: Built-in Keras classes a model of notebook 10 may hold: layers, models, and what their configs nest.
ALLOWED_CLASSES = frozenset({
    "Functional", "Sequential", "InputLayer", "__keras_tensor__", "DTypePolicy", "SeedGenerator",
    "Conv2D", "DepthwiseConv2D", "SeparableConv2D", "BatchNormalization", "LayerNormalization",
    "ReLU", "LeakyReLU", "Softmax", "Activation", "ZeroPadding2D", "Add", "Concatenate", "Multiply", "Average",
    "GlobalAveragePooling2D", "GlobalMaxPooling2D", "MaxPooling2D", "AveragePooling2D", "Flatten",
    "Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "Dense", "Identity",
    "Rescaling", "Resizing", "CenterCrop", "RandomCrop", "RandomFlip", "RandomRotation", "RandomZoom",
    "RandomTranslation", "RandomContrast", "RandomBrightness",
    "GlorotUniform", "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform", "Zeros", "Ones",
    "Constant", "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling", "Orthogonal",
    "L1", "L2", "L1L2", "MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm",
})
MAX_CONFIG_CHARS = 2_000_000
MAX_WEIGHTS = 5_000_000


def pack_model(model: keras.Model, known: list[np.ndarray]) -> dict:
    """``model`` as small plain data: its config zlib-compressed, and each weight array either the index of an
    identical array in ``known`` (the pretrained base's weights, which the judge has too) or float16 values.

    The grader keeps at most 1 MB of output per test cell: MobileNetV2's 410,208 weights alone would fill 2.2 MB.
    """
    weights = []
    for w in model.get_weights():
        same = next((j for j, k in enumerate(known) if k.shape == w.shape and np.array_equal(k, w)), None)
        weights.append(same if same is not None else np.asarray(w, dtype=np.float16))
    config = np.frombuffer(zlib.compress(model.to_json().encode()), dtype=np.uint8)
    return {"config": config, "weights": weights}


def unpack_model(config: Any, weights: Sequence[Any], known: list[np.ndarray]) -> tuple[str, list[np.ndarray]]:
    """The inverse of ``pack_model``: the config as JSON and the weights as float32 arrays (indices into ``known``)."""
    inflate = zlib.decompressobj()
    text = inflate.decompress(np.asarray(config, dtype=np.uint8).tobytes(), MAX_CONFIG_CHARS + 1)
    if len(text) > MAX_CONFIG_CHARS:
        fail("the model's description is too large.", f"at most {MAX_CONFIG_CHARS:,} characters",
             "a larger description", "Return the MobileNetV2 base under a small head.")
    arrays = [np.asarray(known[w]) if isinstance(w, int) and not isinstance(w, bool) and 0 <= w < len(known)
              else np.asarray(w, dtype=np.float32) for w in weights]
    return text.decode(), arrays


def refused_classes(config: Any) -> list[str]:
    """The objects in a Keras config that are not allowed built-in classes, as ``"module.ClassName"``.

    >>> refused_classes({"class_name": "Lambda", "module": "keras.layers", "config": {}})
    ['keras.layers.Lambda']
    """
    found: list[str] = []
    if isinstance(config, dict):
        if "class_name" in config:
            module, name = config.get("module"), config.get("class_name")
            registered = config.get("registered_name")
            keras_module = module is None or (isinstance(module, str) and (module == "keras"
                                                                           or module.startswith("keras.")))
            if (name not in ALLOWED_CLASSES or not keras_module
                    or registered not in (None, name)):
                found.append(f"{module}.{name}")
        for value in config.values():
            found += refused_classes(value)
    elif isinstance(config, list):
        for value in config:
            found += refused_classes(value)
    return found


def _without_compile_configs(config: Any) -> Any:
    """``config`` without the optimizers, losses and metrics that compiled models record: only layers are rebuilt."""
    if isinstance(config, dict):
        return {key: None if key == "compile_config" else _without_compile_configs(value)
                for key, value in config.items()}
    if isinstance(config, list):
        return [_without_compile_configs(value) for value in config]
    return config


@functools.lru_cache(maxsize=2)
def _from_config(config_json: str) -> keras.Model:
    """One model per description: the threshold cells of one answer rebuild it once (weights are set each time)."""
    return keras.models.model_from_json(config_json)


def refuse_unsafe(config_json: str, weights: Sequence[np.ndarray], name: str) -> str:
    """``CheckFailed`` unless ``config_json`` describes built-in layers only, within the size limits.

    Args:
        config_json: ``model.to_json()`` of the student's model.
        weights: ``model.get_weights()`` of that model.
        name: The exercise's call, for the messages.

    Returns:
        The config as JSON without the compile settings: what ``rebuild_model`` builds.
    """
    if not isinstance(config_json, str) or len(config_json) > MAX_CONFIG_CHARS:
        fail(f"{name}: the model's description is too large.", f"at most {MAX_CONFIG_CHARS:,} characters",
             "a larger description", "Return the MobileNetV2 base under a small head.")
    config = _without_compile_configs(json.loads(config_json))
    refused = sorted(set(refused_classes(config)))
    if refused:
        fail(f"{name}: the model holds layers the grader does not rebuild.", "built-in Keras layers only",
             refused[:5], "Use built-in layers: Rescaling instead of a Lambda with preprocess_input, and no "
             "custom layer classes.")
    total = sum(int(np.prod(np.shape(w))) for w in weights)
    if total > MAX_WEIGHTS:
        fail(f"{name}: the model is too large.", f"at most {MAX_WEIGHTS:,} weights", f"{total:,}",
             "Keep the MobileNetV2 base and put a small head on it.")
    return json.dumps(config)


def rebuild_model(config_json: str, weights: Sequence[np.ndarray], name: str) -> keras.Model:
    """The model that ``config_json`` describes, with ``weights``; ``CheckFailed`` if it holds anything else.

    Args:
        config_json: ``model.to_json()`` of the student's model.
        weights: ``model.get_weights()`` of that model.
        name: The exercise's call, for the messages.

    Returns:
        A Keras model equal to the student's, built in this process.
    """
    config = refuse_unsafe(config_json, weights, name)
    try:
        model = _from_config(config)
        model.set_weights([np.asarray(w) for w in weights])
    except Exception as error:
        fail(f"{name}: the model could not be rebuilt from its description and weights.", "a Keras model",
             f"{type(error).__name__}: {str(error)[:200]}", "Return a Functional or Sequential Keras model.")
    return model
