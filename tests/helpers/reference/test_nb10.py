"""helpers.reference.nb10: notebook 10's answers scale and augment pixels, freeze a base under a head, and fine-tune."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.checks.nb10 import images, tiny_base
from helpers.reference.nb10 import (build_image_preprocessing, build_transfer_model, count_trainable_params,
                                    prepare_fine_tuning, unfreeze_from)
from helpers.transfer import compile_classifier


def test_preprocessing_scales_always_and_augments_in_training_only():
    """Does the stack give pixels / 127.5 - 1 in inference, and other images in training?"""
    x = images(0, size=32)
    layer = build_image_preprocessing()
    np.testing.assert_allclose(np.asarray(layer(x, training=False)), x / 127.5 - 1, atol=1e-6)
    assert not np.allclose(np.asarray(layer(x, training=True)), x / 127.5 - 1)


def test_transfer_model_trains_only_its_head():
    """After a fit, are the base's weights (BatchNorm statistics included) unchanged and the head's changed?"""
    base = tiny_base()
    model = compile_classifier(build_transfer_model(base, 5, build_image_preprocessing(), 0.2), 0.05)
    assert count_trainable_params(model) == 8 * 5 + 5
    x, y = images(1), np.arange(5)
    before = [w.copy() for w in base.get_weights()]
    head = [w.copy() for w in model.layers[-1].get_weights()]
    model.fit(x, y, epochs=1, batch_size=5, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, base.get_weights()))
    assert not np.allclose(head[0], model.layers[-1].get_weights()[0])


def test_unfreeze_from_keeps_batch_norm_frozen():
    """Are exactly the named layer and those above it trainable, except BatchNormalization?"""
    base = tiny_base()
    base.trainable = False
    unfreeze_from(base, "pool")
    assert base.trainable
    assert [layer.name for layer in base.layers if layer.trainable] == ["pool", "conv_b", "relu_b"]


def test_prepare_fine_tuning_recompiles_so_the_top_layer_learns():
    """After the head was fitted, does prepare_fine_tuning make the next fit change the top conv layer only?"""
    base = tiny_base()
    model = compile_classifier(build_transfer_model(base, 5, build_image_preprocessing()), 0.05)
    x, y = images(2), np.arange(5)
    model.fit(x, y, epochs=1, batch_size=5, verbose=0)
    prepare_fine_tuning(model, base, "relu_a", 1e-3)
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)
    before = {layer.name: [w.copy() for w in layer.get_weights()] for layer in base.layers}
    model.fit(x, y, epochs=1, batch_size=5, verbose=0)
    changed = {layer.name for layer in base.layers
               if any(not np.allclose(a, b) for a, b in zip(before[layer.name], layer.get_weights()))}
    assert changed == {"conv_b"}
