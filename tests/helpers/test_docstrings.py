"""The ``>>>`` examples in ``helpers``' docstrings run, and show what they say (doctest, module by module)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import helpers


def _modules() -> list[str]:
    names = [helpers.__name__]
    for info in pkgutil.walk_packages(helpers.__path__, prefix="helpers."):
        names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name: str):
    """Does every docstring example in this module give the output it shows?"""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples in {name} failed (see above)"
