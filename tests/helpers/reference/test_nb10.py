"""helpers.reference.nb10: notebook 10's answers freeze a base under a new head, count trainable weights and fine-tune."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.checks.nb10 import tiny_base
from helpers.reference.nb10 import build_transfer_model, count_trainable_params, prepare_fine_tuning, unfreeze_top_layers
from helpers.transfer import build_digits_base, compile_classifier


def test_transfer_model_trains_only_its_head():
    """After a fit, are the base's weights (BatchNorm statistics included) unchanged and the head's changed?"""
    base = tiny_base((8, 8, 1), 4)
    model = compile_classifier(build_transfer_model(base, 3), 0.05)
    assert count_trainable_params(model) == 8 * 3 + 3
    x = np.random.default_rng(0).uniform(size=(16, 8, 8, 1)).astype("float32")
    y = np.arange(16) % 3
    before = [w.copy() for w in model.get_weights()]
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    after = model.get_weights()
    n_base = len(base.get_weights())
    assert all(np.array_equal(a, b) for a, b in zip(before[:n_base], after[:n_base]))
    assert not np.allclose(before[-2], after[-2])
    np.testing.assert_allclose(model.predict(x, verbose=0).sum(axis=1), 1.0, atol=1e-5)


def test_unfreeze_top_layers_keeps_batch_norm_frozen():
    """Are exactly the top n layers trainable, except BatchNormalization?"""
    base = build_digits_base()
    base.trainable = False
    unfreeze_top_layers(base, 4)
    assert base.trainable
    assert [layer.name for layer in base.layers if layer.trainable] == ["pool2", "conv3", "relu3"]
    assert count_trainable_params(base) == 3 * 3 * 32 * 64


def test_prepare_fine_tuning_recompiles_so_the_top_layer_learns():
    """After the head was fitted, does prepare_fine_tuning make the next fit change the top conv layer only?"""
    base = tiny_base((8, 8, 1), 4)
    model = compile_classifier(build_transfer_model(base, 3), 0.05)
    x = np.random.default_rng(1).uniform(size=(16, 8, 8, 1)).astype("float32")
    y = np.arange(16) % 3
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    prepare_fine_tuning(model, base, 3, 1e-3)
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)
    before = {layer.name: [w.copy() for w in layer.get_weights()] for layer in base.layers}
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    changed = {layer.name for layer in base.layers
               if any(not np.allclose(a, b) for a, b in zip(before[layer.name], layer.get_weights()))}
    assert changed == {"conv_b"}
