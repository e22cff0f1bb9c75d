"""helpers.checks.rebuild: a model sent as plain data is rebuilt only from built-in Keras layers."""
from __future__ import annotations

import json

import numpy as np
import pytest

from helpers.checks import CheckFailed
from helpers.checks.rebuild import refused_classes, rebuild_model
from helpers.transfer import keras


def _small_model() -> keras.Model:
    inputs = keras.Input(shape=(8, 8, 3))
    x = keras.layers.Rescaling(1 / 127.5, offset=-1)(inputs)
    x = keras.layers.GlobalAveragePooling2D()(keras.layers.Conv2D(2, 3)(x))
    return keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x))


def test_a_model_of_built_in_layers_is_rebuilt_with_its_outputs():
    """Does the rebuilt model compute the same outputs as the model sent?"""
    model = _small_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")   # the optimizer is not rebuilt
    x = np.random.default_rng(0).uniform(0, 255, (4, 8, 8, 3)).astype("float32")
    rebuilt = rebuild_model(model.to_json(), model.get_weights(), "test")
    np.testing.assert_allclose(rebuilt(x), model(x), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("entry", [
    {"class_name": "Lambda", "module": "keras.layers", "config": {}},
    {"class_name": "Dense", "module": "os", "config": {}},
    {"class_name": "function", "module": "builtins", "config": "eval"},
    {"class_name": "Dense", "module": "keras.layers", "registered_name": "custom>Dense", "config": {}},
])
def test_objects_that_could_run_code_are_refused(entry):
    """Is each object outside the built-in Keras classes (or from another module) refused, wherever it nests?"""
    config = {"class_name": "Functional", "module": "keras.src.models.functional", "registered_name": "Functional",
              "config": {"layers": [{"class_name": "Dense", "module": "keras.layers", "config": {"activation": entry}}]}}
    assert refused_classes(config)
    model = _small_model()
    with pytest.raises(CheckFailed, match="does not rebuild"):
        rebuild_model(json.dumps(config), model.get_weights(), "test")


def test_too_many_weights_are_refused():
    """Is a model with more weights than the limit refused before it is built?"""
    model = _small_model()
    with pytest.raises(CheckFailed, match="too large"):
        rebuild_model(model.to_json(), [np.zeros(6_000_000, "float32")], "test")
