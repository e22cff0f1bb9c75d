"""helpers.hints.rules.transfer: notebook 10's mistakes, made for real on MobileNetV2, get hints that name the fix."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import hints
from tests.helpers.hints.mistakes import raised

PIXELS = np.random.default_rng(0).uniform(0, 255, (4, 96, 96, 3)).astype("float32")


@pytest.fixture(scope="module")
def keras(tf):
    return tf.keras


def _base(keras, **kwargs):
    from helpers.transfer import COURSE_MOBILENET_WEIGHTS

    settings = {"input_shape": (96, 96, 3), "alpha": 0.35, "include_top": False,
                "weights": str(COURSE_MOBILENET_WEIGHTS)}
    return keras.applications.MobileNetV2(**{**settings, **kwargs})


def _model(keras, scale=True, augmentation_training=None):
    base = _base(keras)
    base.trainable = False
    inputs = keras.Input((96, 96, 3))
    augment = keras.Sequential([keras.layers.RandomFlip("horizontal")])
    x = augment(inputs) if augmentation_training is None else augment(inputs, training=augmentation_training)
    x = keras.layers.Rescaling(1 / 127.5, offset=-1)(x) if scale else x
    x = keras.layers.GlobalAveragePooling2D()(base(x, training=False))
    model = keras.Model(inputs, keras.layers.Dense(5, activation="softmax")(x))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model, base


def test_weights_file_for_another_width_gets_a_hint(keras):
    """Does loading the course's file into MobileNetV2 with another alpha give a hint with the right call?"""
    text = hints.explain(raised(lambda: _base(keras, alpha=1.0)))
    assert text and "alpha" in text and "alpha=0.35" in text


def test_weights_file_for_grey_images_gets_a_hint(keras):
    """Does loading the course's file into a MobileNetV2 built for one channel give the hint with the right call?"""
    text = hints.explain(raised(lambda: _base(keras, input_shape=(96, 96, 1))))
    assert text and "input_shape=(96, 96, 3)" in text


def test_weights_file_with_top_gets_a_hint(keras):
    """Does loading the base-only file with include_top=True give a hint saying include_top=False?"""
    text = hints.explain(raised(lambda: _base(keras, include_top=True)))
    assert text and "include_top=False" in text


def test_unscaled_pixels_get_a_hint(keras):
    """Is a compiled model that feeds raw pixels to the pretrained base flagged, and the right one not?"""
    wrong, _ = _model(keras, scale=False)
    assert "Rescaling(1 / 127.5, offset=-1)" in hints.explain(wrong)
    right, _ = _model(keras)
    assert hints.explain(right) is None


def test_augmentation_at_inference_gets_a_hint(keras):
    """Is augmentation called with training=True (active in predict too) flagged?"""
    model, _ = _model(keras, augmentation_training=True)
    assert "training=True" in hints.explain(model)


@pytest.mark.slow  # fits a MobileNetV2 head, then fits again: about 25 s
def test_freezing_after_fit_without_recompiling_gets_a_hint(keras):
    """Does setting trainable after a fit, without compiling again, get a hint that says to recompile?"""
    model, base = _model(keras)
    model.fit(PIXELS, np.arange(4), epochs=1, verbose=0)
    assert hints.explain(model) is None
    base.trainable = True
    assert "model.compile(...) again" in hints.explain(model)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(PIXELS, np.arange(4), epochs=1, verbose=0)
    assert hints.explain(model) is None
