"""The build backend: setuptools', with the data files in editable installs too (used by pip, not at run time).

``pip install -e .`` (the README's command) builds an editable wheel, and
setuptools leaves ``[tool.setuptools.data-files]`` out of it: its
``editable_wheel`` asks the distribution ``has_data()``, which does not exist
(the method is ``has_data_files``). Without them the Lab would not find
``etc/jupyter/nbgrader_config.py`` (the formgrader at a clone's root). The one
line below supplies the missing name; everything else is setuptools.
"""
from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F401,F403 - the whole PEP 517/660 interface
from setuptools.dist import Distribution

if not hasattr(Distribution, "has_data"):
    Distribution.has_data = Distribution.has_data_files

build_editable = _setuptools.build_editable
