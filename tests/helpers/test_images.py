"""helpers.images: deterministic, varied 96x96 shape images, written as a folder per class and cached."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from helpers import images
from helpers.images import SOURCE_CLASSES, TARGET_CLASSES, draw_image, render, write_task


def test_render_is_deterministic_and_labelled_in_class_order():
    """Does the same call give the same pixels, with `per_class` labels per class in class order?"""
    x, y = render("target", 3, seed=2)
    again, _ = render("target", 3, seed=2)
    assert x.shape == (15, 96, 96, 3) and x.dtype == np.uint8
    assert y.tolist() == [c for c in range(5) for _ in range(3)]
    np.testing.assert_array_equal(x, again)


def test_pixels_are_those_the_shipped_weights_and_records_were_made_from():
    """Are the pixels byte for byte those of the images the course's MobileNetV2 was pretrained on and its records
    measured on? A faster drawing must not change a single one (SHA-256 of every task and split at one seed)."""
    digest = hashlib.sha256()
    for task in ("source", "target"):
        for split in ("train", "test", "extra", "hidden"):
            x, y = render(task, 3, split, seed=11)
            digest.update(x.tobytes() + y.tobytes())
    assert digest.hexdigest() == "ccdc3ae5a416b991016f88df875b42cc165e7fa1145dbae7f9ee90b0ce8a4818"


def test_splits_seeds_and_tasks_give_different_images():
    """Do the hidden test split, another seed and the other task give images the training split never holds?"""
    train = {row.tobytes() for row in render("target", 4)[0]}
    for other in (render("target", 4, "test")[0], render("target", 4, seed=1)[0], render("source", 1)[0]):
        assert not any(row.tobytes() in train for row in other)


def test_tasks_have_disjoint_classes():
    """Are the target task's shapes ones the source task (pretraining) never shows?"""
    assert not set(SOURCE_CLASSES) & set(TARGET_CLASSES)
    assert len(SOURCE_CLASSES) == 8 and len(TARGET_CLASSES) == 5


def test_images_vary_in_background_colour_and_position():
    """Do images of one class differ in mean colour, in brightness spread and in where the shape lies?"""
    x, _ = render("source", 12)
    circles = x[:12].astype(float)
    assert np.ptp(circles.mean(axis=(1, 2)), axis=0).min() > 40   # colours differ in each channel
    assert np.ptp(circles.std(axis=(1, 2, 3))) > 10               # flat and busy backgrounds
    assert not np.array_equal(draw_image("heart", (1, 2)), draw_image("heart", (1, 3)))


def test_shapes_are_visible():
    """Does the drawn shape change the image: the same seed with another shape gives other pixels where it lies?"""
    a, b = draw_image("circle", (5,)), draw_image("square", (5,))
    assert np.abs(a.astype(int) - b.astype(int)).max() > 60


def test_bad_arguments_are_refused():
    """Are an unknown task and a non-positive count refused with messages that name the fix?"""
    with pytest.raises(ValueError, match="'source' or 'target'"):
        render("digits", 2)
    with pytest.raises(ValueError, match="positive"):
        render("target", 0)


def test_write_task_makes_a_folder_per_class_and_reuses_it(tmp_path):
    """Does write_task write one PNG folder per class that Keras reads back exactly, and reuse it on a second call?"""
    from helpers.transfer import keras

    directory = write_task("target", 2, root=tmp_path)
    assert sorted(p.name for p in directory.iterdir() if p.is_dir()) == sorted(TARGET_CLASSES)
    stamp = (directory / "arrow" / "00000.png").stat().st_mtime_ns
    assert write_task("target", 2, root=tmp_path) == directory
    assert (directory / "arrow" / "00000.png").stat().st_mtime_ns == stamp
    dataset = keras.utils.image_dataset_from_directory(directory, image_size=(96, 96), shuffle=False,
                                                       batch_size=32, verbose=False)
    assert tuple(dataset.class_names) == tuple(sorted(TARGET_CLASSES))
    pixels = np.concatenate([batch.numpy() for batch, _ in dataset])
    x, y = render("target", 2)
    order = [TARGET_CLASSES.index(name) for name in dataset.class_names]
    expected = np.concatenate([x[y == label] for label in order])
    np.testing.assert_array_equal(pixels, expected.astype("float32"))


def test_cache_root_follows_the_environment(tmp_path, monkeypatch):
    """Is the cache under $TFCOURSE_CACHE when set, never in the current (course) directory?"""
    monkeypatch.setenv("TFCOURSE_CACHE", str(tmp_path))
    assert images.cache_root() == tmp_path
    monkeypatch.delenv("TFCOURSE_CACHE")
    assert images.cache_root().is_absolute() and "tfcourse" in images.cache_root().name
