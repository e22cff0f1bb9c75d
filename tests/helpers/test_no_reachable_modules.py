"""No helpers module hands a cell ``sys``, ``os``, ``builtins`` or ``importlib`` as an attribute (issue 16)."""
from __future__ import annotations

import importlib
import pkgutil
import types

import helpers

FORBIDDEN = {"sys", "os", "builtins", "importlib", "subprocess", "ctypes"}


def test_no_helpers_module_exposes_sys_os_or_builtins():
    """Is every module-level attribute of every helpers module something other than those modules?"""
    exposed = []
    for info in pkgutil.walk_packages(helpers.__path__, "helpers."):
        module = importlib.import_module(info.name)
        exposed += [f"{info.name}.{name}" for name, value in vars(module).items()
                    if isinstance(value, types.ModuleType) and value.__name__ in FORBIDDEN]
    assert exposed == []
