"""The README's ``pip install -e . && jupyter lab``: the formgrader at a clone's root shows the ten assignments.

``pip install`` puts ``autograder/jupyter_config/nbgrader_config.py`` in
``{sys.prefix}/etc/jupyter`` (the wheel test checks that it does); here the
same file is put on Jupyter's config path with ``JUPYTER_CONFIG_PATH``, and a
real JupyterLab, started at the root of a copy of the clone, is asked through
nbgrader's formgrader API which assignments it has. A copy, so that the
formgrader's gradebook (``classroom/``) is not the checkout's.
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import urllib.request
from typing import Iterator

import pytest

from autograder.paths import REPO, assignments
from tests.browser.conftest import JupyterLab, free_port, lab_environment, shut_down, wait_until_up

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]
CLONE_PARTS = ("autograder", "helpers", "solutions", "course")


@contextlib.contextmanager
def lab_at_a_clone(tmp_path_factory, **extra_env: str) -> Iterator[JupyterLab]:
    """A real JupyterLab at the root of a fresh copy of the clone, with the installed Jupyter config."""
    home, clone = tmp_path_factory.mktemp("home"), tmp_path_factory.mktemp("clone")
    for part in CLONE_PARTS:
        shutil.copytree(REPO / part, clone / part, ignore=shutil.ignore_patterns("__pycache__", "classroom"))
    env = lab_environment(home)
    env["JUPYTER_CONFIG_PATH"] = str(REPO / "autograder" / "jupyter_config")  # as installed in etc/jupyter
    env.pop("TFCOURSE_ROOT", None)
    env.update(extra_env)
    port, token = free_port(), secrets.token_hex(16)
    with open(home / "server.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
             f"--ServerApp.root_dir={clone}", *(["--allow-root"] if os.geteuid() == 0 else [])],
            cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        lab = JupyterLab(f"http://127.0.0.1:{port}", token, clone, process)
        try:
            wait_until_up(lab, home / "server.log")
            yield lab
        finally:
            shut_down(lab)


@pytest.fixture(scope="module")
def lab_at_clone_root(tmp_path_factory):
    with lab_at_a_clone(tmp_path_factory) as lab:
        yield lab


def get_json(lab: JupyterLab, path: str, method: str = "GET"):
    request = urllib.request.Request(f"{lab.url}{path}", headers={"Authorization": f"token {lab.token}"},
                                     method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def test_formgrader_lists_the_ten_assignments(lab_at_clone_root):
    """Does the formgrader, started at the clone's root, list the course's ten assignments from solutions/?"""
    listed = get_json(lab_at_clone_root, "/formgrader/api/assignments")
    assert sorted(a["name"] for a in listed) == assignments()
    assert len(listed) == 10


def test_formgrader_uses_the_course_settings(lab_at_clone_root):
    """Is the gradebook the course's (in the clone's classroom/), not one at the Lab's root?"""
    get_json(lab_at_clone_root, "/formgrader/api/assignments")
    assert (lab_at_clone_root.root / "classroom" / "gradebook.db").is_file()
    assert not (lab_at_clone_root.root / "gradebook.db").exists()
