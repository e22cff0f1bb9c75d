"""helpers.data: deterministic, stratified, normalised splits of the bundled digits set."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.data import as_flat, as_images, load_digits, normalize_pixels


def test_splits_are_deterministic_and_disjoint():
    """Do two loads give identical splits that together hold every sample exactly once?"""
    a, b = load_digits(), load_digits()
    np.testing.assert_array_equal(a.x_train, b.x_train)
    assert (len(a.x_train), len(a.x_val), len(a.x_test)) == (1077, 360, 360)
    rows = np.concatenate([a.x_train, a.x_val, a.x_test])
    labels = np.concatenate([a.y_train, a.y_val, a.y_test])
    from sklearn.datasets import load_digits as sklearn_digits

    everything = sklearn_digits()
    key = np.lexsort(np.column_stack([rows * 16, labels]).T)
    want = np.lexsort(np.column_stack([everything.data, everything.target]).T)
    np.testing.assert_array_equal(rows[key] * 16, everything.data[want])
    np.testing.assert_array_equal(labels[key], everything.target[want])


def test_every_class_in_every_split():
    """Is the split stratified, so each digit appears in train, val and test?"""
    d = load_digits()
    for y in (d.y_train, d.y_val, d.y_test):
        assert set(np.unique(y)) == set(range(10))


def test_views_and_normalisation():
    """Do the image view and the normalisation give the documented shapes, dtypes and range?"""
    d = load_digits("image")
    assert d.x_train.shape[1:] == (8, 8, 1) and d.x_train.dtype == np.float32
    assert d.x_train.max() == 1.0 and d.x_train.min() == 0.0
    assert d.y_train.dtype == np.int32
    raw = load_digits(normalize=False)
    assert raw.x_train.max() == 16.0
    np.testing.assert_allclose(normalize_pixels(raw.x_train), load_digits().x_train)
    np.testing.assert_array_equal(as_flat(as_images(raw.x_val)), raw.x_val)


def test_bad_arguments_say_what_to_do():
    """Are a wrong view or fractions rejected with a message naming the valid choices?"""
    with pytest.raises(ValueError, match="'flat' or 'image'"):
        load_digits("pixels")
    with pytest.raises(ValueError, match="leave data for training"):
        load_digits(val_fraction=0.5, test_fraction=0.5)
