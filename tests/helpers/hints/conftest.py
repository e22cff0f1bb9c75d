"""Fixtures for the hints tests: TensorFlow, imported quietly once."""
import pytest


@pytest.fixture(scope="session")
def tf():
    from helpers import tf as tensorflow

    return tensorflow
