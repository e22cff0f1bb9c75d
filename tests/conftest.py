"""Settings shared by every test: a headless matplotlib, a quiet TensorFlow, and the suite's markers.

``pytest`` runs everything (the README's command). ``pytest -m "not slow"`` is
the quick inner loop: it leaves out real nbgrader runs of whole notebooks and
the browser tests, and still imports and exercises every module.
"""
import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

import helpers  # noqa: E402,F401 - sets TensorFlow's quiet environment before anything imports it

BROWSER = Path(__file__).parent / "browser"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests are ``browser`` and ``slow``, before ``-m`` selects."""
    for item in items:
        if BROWSER in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
