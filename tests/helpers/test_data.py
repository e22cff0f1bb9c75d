"""helpers.data: deterministic, stratified, normalised splits of the shipped digits set."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import helpers
from helpers.data import DIGITS_FILE, as_flat, as_images, load_digits, normalize_pixels, stratified_split

ARRAYS = ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test")
#: SHA-256 of each array's bytes, recorded from scikit-learn 1.9.1's train_test_split (helpers.data before it
#: dropped scikit-learn). Every number the notebooks print depends on these splits.
DIGESTS = {
    (): {
        "x_train": "5dc95ad73697a2a57c55032a30ea783e9507f4e775e7b45263454c707fa8a1c4",
        "y_train": "5f6f929a98a92e1957ae1443063c413aa451e241527f09f5eb7ad1691a76f664",
        "x_val": "6b9f987cf6a13fb3c774d74bad1f5659e59cb2d408c3dddc7fa8d6abf18d00df",
        "y_val": "c22dd503c99af3d46dbd2b0e09aaa1931f0baf918a0b87de80ee26bd2ee511c4",
        "x_test": "53d6a8c3d406e86d40aad5acd3374f1eed5131e403fad9d446ab12bfde56ba18",
        "y_test": "c8a9cf10e14a86796104430df50404c7410c89e40405867682f0a6cf4fc4167c",
    },
    (("seed", 1),): {
        "x_train": "76844a6018583c73c945c15cc055716bba759884b5a2d656629ed6b92bab496e",
        "y_train": "b23921912a8eb977aa3f8462cb5239508c3ec0fb941441808b278c24fbdf6846",
        "x_val": "41ac7650fb60657eb33c6475070c66b2ef00b27185faf7f8f1132a564bd9251f",
        "y_val": "00b5cb9fce4d9b33f293caab856e078e665d6eb2f2c3ffbccf1906dc5a7f419e",
        "x_test": "0f898e76e4c596736549bafac21497f635705828ea3106a1ccdda3a47f5df5fb",
        "y_test": "33aaa1d23f65ee2220d7e56603c877679f344719da49917518a3b26dfd145946",
    },
    (("view", "image"), ("normalize", False), ("val_fraction", 0.1), ("test_fraction", 0.3), ("seed", 7)): {
        "x_train": "6489d3d3deada508f27ce9b57eb682b911b40e989c41dc1019a9e57424305f71",
        "y_train": "d2bd7dddb5cdffa34725e44f5c73cf352cffb1621169542664d968f0b324f4e1",
        "x_val": "a3471f0f1c933fdaa494d53e7fc2c8b1cfc338a28c5cc883b0778dc041d6907b",
        "y_val": "7b736a5e2af9aab81f1b13c5678f23ec743df741678a280067349eb1e48ebfd8",
        "x_test": "a40b8552a36d72524911c10050bec9094c0d520a44d083137b2874923fd2435b",
        "y_test": "1da20d90b3bcc1f9b6e4f00f43515f2446b29f4f3049c79cb9600c20fe947532",
    },
}


def sklearn_splits(view="flat", normalize=True, val_fraction=0.2, test_fraction=0.2, seed=0):
    """The splits as helpers.data made them with scikit-learn's train_test_split."""
    from sklearn.datasets import load_digits as sklearn_digits
    from sklearn.model_selection import train_test_split

    bunch = sklearn_digits()
    x, y = bunch.data.astype(np.float32), bunch.target.astype(np.int32)
    x = normalize_pixels(x) if normalize else x
    x_rest, x_test, y_rest, y_test = train_test_split(x, y, test_size=test_fraction, stratify=y, random_state=seed)
    x_train, x_val, y_train, y_val = train_test_split(
        x_rest, y_rest, test_size=val_fraction / (1 - test_fraction), stratify=y_rest, random_state=seed)
    shape = as_images if view == "image" else as_flat
    return dict(x_train=shape(x_train), y_train=y_train, x_val=shape(x_val), y_val=y_val,
                x_test=shape(x_test), y_test=y_test)


def test_splits_are_deterministic_and_disjoint():
    """Do two loads give identical splits that together hold every sample exactly once?"""
    a, b = load_digits(), load_digits()
    np.testing.assert_array_equal(a.x_train, b.x_train)
    assert (len(a.x_train), len(a.x_val), len(a.x_test)) == (1077, 360, 360)
    rows = np.concatenate([a.x_train, a.x_val, a.x_test])
    labels = np.concatenate([a.y_train, a.y_val, a.y_test])
    with np.load(DIGITS_FILE) as shipped:
        pixels, targets = shipped["pixels"], shipped["labels"]
    key = np.lexsort(np.column_stack([rows * 16, labels]).T)
    want = np.lexsort(np.column_stack([pixels, targets]).T)
    np.testing.assert_array_equal(rows[key] * 16, pixels[want])
    np.testing.assert_array_equal(labels[key], targets[want])


@pytest.mark.parametrize("kwargs", DIGESTS, ids=lambda k: ",".join(f"{n}={v}" for n, v in k) or "defaults")
def test_splits_are_the_recorded_ones(kwargs):
    """Without scikit-learn, are the default split and two others byte for byte those the notebooks were written on?"""
    d = load_digits(**dict(kwargs))
    got = {name: hashlib.sha256(np.ascontiguousarray(getattr(d, name)).tobytes()).hexdigest() for name in ARRAYS}
    assert got == DIGESTS[kwargs]


@pytest.mark.parametrize("view", ["flat", "image"])
@pytest.mark.parametrize(("val_fraction", "test_fraction"),
                         [(0.2, 0.2), (0.1, 0.1), (0.15, 0.25), (0.3, 0.3), (0.05, 0.5), (0.33, 0.17), (0.01, 0.01)])
@pytest.mark.parametrize("seed", [0, 1, 7, 42, 2024])
def test_splits_equal_scikit_learns(view, val_fraction, test_fraction, seed):
    """Are the splits identical, array for array and dtype for dtype, to scikit-learn's stratified train_test_split?"""
    pytest.importorskip("sklearn")
    kwargs = dict(view=view, val_fraction=val_fraction, test_fraction=test_fraction, seed=seed)
    for normalize in (True, False):
        got, want = load_digits(normalize=normalize, **kwargs), sklearn_splits(normalize=normalize, **kwargs)
        for name in ARRAYS:
            assert getattr(got, name).dtype == want[name].dtype
            np.testing.assert_array_equal(getattr(got, name), want[name], err_msg=name)


@pytest.mark.parametrize("seed", range(20))
def test_stratified_split_equals_scikit_learns_on_ties(seed):
    """On small, uneven label sets where remainders tie, are the indices the same as scikit-learn's, in order?"""
    pytest.importorskip("sklearn")
    from sklearn.model_selection import train_test_split

    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(5), rng.integers(2, 9, size=5))
    fraction = float(rng.choice([0.3, 0.4, 0.5, 0.6]))
    train, test = stratified_split(y, fraction, seed)
    want_train, want_test = train_test_split(np.arange(len(y)), test_size=fraction, stratify=y, random_state=seed)
    np.testing.assert_array_equal(train, want_train)
    np.testing.assert_array_equal(test, want_test)


def test_shipped_file_is_scikit_learns_digits():
    """Is helpers/datasets/digits.npz exactly scikit-learn's load_digits() data and target, as uint8?"""
    pytest.importorskip("sklearn")
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    with np.load(DIGITS_FILE) as shipped:
        assert sorted(shipped.files) == ["labels", "pixels"]
        assert shipped["pixels"].dtype == shipped["labels"].dtype == np.uint8
        np.testing.assert_array_equal(shipped["pixels"], bunch.data)
        np.testing.assert_array_equal(shipped["labels"], bunch.target)


def test_load_digits_never_imports_scikit_learn():
    """In a process where ``import sklearn`` fails, does load_digits still give the usual split?"""
    code = ("import sys; sys.modules['sklearn'] = None\n"
            "from helpers.data import load_digits\n"
            "d = load_digits()\n"
            "print(len(d.x_train), len(d.x_val), len(d.x_test), 'sklearn' in sys.modules and sys.modules['sklearn'])")
    here = Path(helpers.__file__).parent.parent  # the helpers under test, first on the child's path
    done = subprocess.run([sys.executable, "-c", code], cwd=here, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["1077", "360", "360", "None"]


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
    with pytest.raises(ValueError, match="each of the 10 classes on both sides"):
        load_digits(test_fraction=0.001)
