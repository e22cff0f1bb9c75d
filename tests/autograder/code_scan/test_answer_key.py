"""``answer_key``: every helpers name that leads to the reference answers, read from the sources."""
from __future__ import annotations

from pathlib import Path

from autograder.code_scan import answer_key

FAKE = {
    "__init__.py": "",
    "reference/__init__.py": "",
    "reference/nb01.py": "def build(): ...\n",
    "reference/nb02.py": "from helpers.reference.nb01 import build\n",
    "checks/__init__.py": "from helpers.checks.core import check\n",
    "checks/core.py": "import numpy as np\n",
    "checks/nb02.py": "from helpers.checks.core import check\nfrom helpers.reference import nb01, nb02 as reference\n",
    "models.py": "from helpers.reference.nb01 import build\nimport helpers.reference.nb02 as answers\n",
    "teach.py": "from .models import build as make\nfrom helpers.models import set_seed\n",
}


def fake_helpers(tmp_path: Path) -> Path:
    for name, text in FAKE.items():
        path = tmp_path / "helpers" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "helpers"


def test_names_bound_to_the_answer_key_are_found_through_any_import(tmp_path):
    """Are names bound by from-imports, aliased imports and relative imports of an answer all found, and nothing
    else (the checks' building blocks, an honest helper)?"""
    assert answer_key.leaks.__wrapped__(fake_helpers(tmp_path)) == {
        "helpers.checks.nb02": {"nb01", "reference"},
        "helpers.models": {"build", "answers"},
        "helpers.teach": {"make"},
    }


def test_paths_into_the_answer_key_are_recognised():
    """Do a reference module, and a path through a checks module's ``reference``, reach the answers, and a check not?"""
    assert answer_key.reaches("helpers.reference")
    assert answer_key.reaches("helpers.reference.nb07.train_step")
    assert not answer_key.reaches("helpers.checks.nb01")
    assert not answer_key.reaches("helpers.referenced")
