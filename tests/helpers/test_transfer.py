"""helpers.transfer: the offline base, never a download unless asked, the few-shot digits task, images for a base."""
from __future__ import annotations

import json

import numpy as np
import pytest

from helpers import transfer
from helpers.transfer import (DIGITS_BASE_RECORD, DIGITS_BASE_WEIGHTS, build_digits_base, few_shot_digits, keras,
                              load_base_model, prepare_images)


@pytest.fixture
def no_mobilenet(monkeypatch):
    """Make any attempt to build MobileNetV2 fail loudly, and record it."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(kwargs)
        raise OSError("no network in this test")

    monkeypatch.setattr(keras.applications, "MobileNetV2", refuse)
    return calls


def test_shipped_weights_are_small_and_recorded():
    """Is the shipped weights file well under 1 MB, with a record of a well-learned source task beside it?"""
    assert DIGITS_BASE_WEIGHTS.stat().st_size < 300_000
    record = json.loads(DIGITS_BASE_RECORD.read_text())
    assert record["test_accuracy"] >= 0.95
    assert record["command"] == "python -m helpers.pretrain_base"
    assert record["base_params"] == build_digits_base().count_params()


def test_digits_base_loads_its_pretrained_weights():
    """Does load_base_model('digits') return the 8x8x1 -> 2x2x64 base with the shipped, not random, weights?"""
    base = load_base_model("digits")
    assert base.input_shape == (None, 8, 8, 1) and base.output_shape == (None, 2, 2, 64)
    fresh = build_digits_base()
    assert any(not np.allclose(a, b) for a, b in zip(base.get_weights(), fresh.get_weights()))
    again = load_base_model("digits")
    for a, b in zip(base.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_offline_auto_says_one_sentence_and_never_downloads(tmp_path, monkeypatch, capsys, no_mobilenet):
    """With no cached ImageNet weights, does 'auto' print one plain sentence, skip MobileNetV2 and return the digits base?"""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(transfer, "imagenet_weights_cache_paths", lambda size=96: [tmp_path / "models" / "none.h5"])
    base = load_base_model()
    out = capsys.readouterr()
    assert base.name == "digits_base"
    assert no_mobilenet == []
    lines = out.out.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.out + out.err
    assert "offline default" in lines[0] and "allow_download" in lines[0]


def test_cached_weights_are_used(tmp_path, monkeypatch):
    """When the weights file is in the Keras cache, does 'auto' build MobileNetV2 with ImageNet weights?"""
    cached = tmp_path / "models" / "weights.h5"
    cached.parent.mkdir()
    cached.write_bytes(b"")
    monkeypatch.setattr(transfer, "imagenet_weights_cache_paths", lambda size=96: [cached])
    sentinel = keras.Sequential([keras.Input((96, 96, 3))], name="mobilenet_stand_in")
    seen = {}
    monkeypatch.setattr(keras.applications, "MobileNetV2", lambda **kw: seen.update(kw) or sentinel)
    assert load_base_model() is sentinel
    assert seen == {"input_shape": (96, 96, 3), "include_top": False, "weights": "imagenet"}


def test_failed_download_falls_back_in_one_sentence(tmp_path, monkeypatch, capsys, no_mobilenet):
    """With allow_download=True but no network, is the failure one sentence, followed by the offline default?"""
    monkeypatch.setattr(transfer, "imagenet_weights_cache_paths", lambda size=96: [tmp_path / "absent.h5"])
    base = load_base_model("mobilenet_v2", allow_download=True)
    out = capsys.readouterr().out.strip().splitlines()
    assert base.name == "digits_base" and len(no_mobilenet) == 1
    assert len(out) == 1 and out[0].startswith("Could not load MobileNetV2") and "OSError" in out[0]


def test_cache_paths_follow_keras_home_and_image_size(tmp_path, monkeypatch):
    """Are the cache paths under $KERAS_HOME/models, with Keras's file name for the size (224 for unusual sizes)?"""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    first = transfer.imagenet_weights_cache_paths(128)[0]
    assert first.parent == tmp_path / "models" and first.name.endswith("_1.0_128_no_top.h5")
    assert transfer.imagenet_weights_cache_paths(32)[0].name.endswith("_1.0_224_no_top.h5")


def test_unknown_kind_is_refused():
    """Does a misspelt kind raise an error that lists the valid ones?"""
    with pytest.raises(ValueError, match="'auto', 'mobilenet_v2' or 'digits'"):
        load_base_model("imagenet")


def test_few_shot_task_has_new_classes_only():
    """Does the target task hold `shots` images per digit 5-9, relabelled 0-4, and test images disjoint from them?"""
    task = few_shot_digits(shots=3, seed=1)
    assert task.x_train.shape == (15, 8, 8, 1) and task.num_classes == 5
    assert np.bincount(task.y_train).tolist() == [3] * 5
    assert set(np.unique(task.y_test)) == set(range(5)) and len(task.y_test) > 300
    train_rows = {row.tobytes() for row in task.x_train}
    assert not any(row.tobytes() in train_rows for row in task.x_test)
    np.testing.assert_array_equal(few_shot_digits(3, seed=1).x_train, task.x_train)
    with pytest.raises(ValueError, match="positive"):
        few_shot_digits(0)


def test_prepare_images_for_the_digits_base_and_an_rgb_base():
    """Are digits passed through for the digits base, and resized to 3 channels in [-1, 1] for an RGB base?"""
    x = np.random.default_rng(0).uniform(0, 1, (4, 64)).astype("float32")
    assert prepare_images(x, build_digits_base()).shape == (4, 8, 8, 1)
    rgb_input = keras.Input((32, 32, 3))
    rgb = keras.Model(rgb_input, keras.layers.Identity()(rgb_input))
    out = prepare_images(x, rgb)
    assert out.shape == (4, 32, 32, 3) and out.min() >= -1.0 - 1e-6 and out.max() <= 1.0 + 1e-6


def test_pretrain_script_writes_weights_and_record(tmp_path):
    """Does `python -m helpers.pretrain_base --out ...` write loadable weights and a JSON record beside them?"""
    from helpers import pretrain_base

    out = tmp_path / "mini.weights.h5"
    record = pretrain_base.main(["--epochs", "1", "--out", str(out)])
    saved = json.loads((tmp_path / "mini.json").read_text())
    assert saved == record and saved["epochs"] == 1 and 0 <= saved["test_accuracy"] <= 1
    base = build_digits_base()
    base.load_weights(out)
    assert saved["weights_bytes"] == out.stat().st_size


# ---- notebook 10's MobileNetV2 ------------------------------------------------------------------------------------

def test_course_mobilenet_weights_are_small_and_recorded():
    """Is the shipped MobileNetV2 file a few MB, with a record of a source task learned well above chance?"""
    from helpers.transfer import COURSE_MOBILENET_WEIGHTS, mobilenet_record

    record = mobilenet_record()
    assert COURSE_MOBILENET_WEIGHTS.stat().st_size == record["weights_bytes"] < 5_000_000
    assert record["test_accuracy"] >= 0.5 and record["command"] == "python -m helpers.pretrain_mobilenet"
    assert record["base_params"] == 410_208 and record["tensorflow"] and record["keras"]


def test_pretrained_weights_without_imagenet_cache_says_one_sentence(tmp_path, monkeypatch, capsys):
    """With an empty Keras cache, is the course's file returned, loadable into MobileNetV2, with one printed sentence?"""
    from helpers.transfer import COURSE_MOBILENET_WEIGHTS, MOBILENET_CONFIG, pretrained_weights

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(transfer, "imagenet_mobilenet_path", lambda alpha, rows: None)
    weights = pretrained_weights()
    lines = capsys.readouterr().out.strip().splitlines()
    assert weights == str(COURSE_MOBILENET_WEIGHTS) and len(lines) == 1 and "course's own weights" in lines[0]
    base = keras.applications.MobileNetV2(**MOBILENET_CONFIG, weights=weights)
    fresh = keras.applications.MobileNetV2(**MOBILENET_CONFIG, weights=None)
    assert any(not np.allclose(a, b) for a, b in zip(base.get_weights(), fresh.get_weights()))


def test_pretrained_weights_prefers_cached_imagenet_weights(tmp_path, monkeypatch, capsys):
    """When Keras's cache holds the ImageNet file for alpha 0.35 at 96 px, is 'imagenet' returned, silently?"""
    from helpers.transfer import pretrained_weights

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    cached = tmp_path / "models" / "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5"
    cached.parent.mkdir()
    cached.write_bytes(b"")
    assert pretrained_weights() == "imagenet" and capsys.readouterr().out == ""


@pytest.mark.slow
def test_pretrain_mobilenet_script_writes_loadable_weights_and_record(tmp_path):
    """Does `python -m helpers.pretrain_mobilenet --out ...` write weights MobileNetV2 loads, and a record beside them?"""
    from helpers import pretrain_mobilenet
    from helpers.transfer import MOBILENET_CONFIG

    out = tmp_path / "mini.h5"
    record = pretrain_mobilenet.main(["--per-class", "2", "--epochs", "1", "--out", str(out)])
    saved = json.loads((tmp_path / "mini.json").read_text())
    assert saved == record and saved["epochs"] == 1 and 0 <= saved["test_accuracy"] <= 1
    keras.applications.MobileNetV2(**MOBILENET_CONFIG, weights=str(out))
