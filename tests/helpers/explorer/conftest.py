"""Fixtures for the explorer tests: a small slice of the real digits."""
import pytest

from helpers.data import load_digits


@pytest.fixture(scope="module")
def small():
    """200 real digits: small enough for seconds, real enough to learn."""
    d = load_digits()
    return d.x_train[:200], d.y_train[:200]
