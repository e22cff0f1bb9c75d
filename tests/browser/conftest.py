"""A real JupyterLab server and a headless Chromium driven by Python playwright.

The server runs on 127.0.0.1, on a free port, with a random token, in a
temporary folder with its own Jupyter config, settings and workspaces, so
nothing of the user's setup (or of another test run) leaks in. Chromium is
Debian's ``chromium`` package (installed by ``.ci/run``); ``playwright
install`` is never needed.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TFCOURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# JupyterLab's pop-ups that would cover the notebook: the news prompt.
DISABLED_LAB_PLUGINS = {"@jupyterlab/apputils-extension:announcements": True}


@dataclass
class JupyterLab:
    url: str
    token: str
    root: Path
    process: subprocess.Popen

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?reset&token={self.token}"

    def get(self, path: str, timeout: float = 2.0) -> int:
        request = urllib.request.Request(
            f"{self.url}{path}", headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_environment(home: Path) -> dict[str, str]:
    """The server's environment: private Jupyter dirs, and the notebook's own matplotlib backend."""
    config = home / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": DISABLED_LAB_PLUGINS}))
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # tests force Agg; lab uses inline
    env.update(JUPYTER_CONFIG_DIR=str(config), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), IPYTHONDIR=str(home / "ipython"))
    return env


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory) -> JupyterLab:
    """A JupyterLab serving a fresh temporary folder; shut down (kernels too) afterwards."""
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (see .ci/run)")
    home = tmp_path_factory.mktemp("jupyter-home")
    root = tmp_path_factory.mktemp("lab-root")
    port, token = free_port(), secrets.token_hex(16)
    log = open(home / "server.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=root, env=lab_environment(home), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    lab = JupyterLab(f"http://127.0.0.1:{port}", token, root, process)
    try:
        wait_until_up(lab, home / "server.log")
        yield lab
    finally:
        shut_down(lab)
        log.close()


def wait_until_up(lab: JupyterLab, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            pytest.fail(f"JupyterLab exited with {lab.process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if lab.get("/api/status") == 200:
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"JupyterLab did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def shut_down(lab: JupyterLab) -> None:
    """Ask the server to stop (it shuts its kernels down), then make sure it has."""
    try:
        request = urllib.request.Request(
            f"{lab.url}/api/shutdown", method="POST",
            headers={"Authorization": f"token {lab.token}"})
        urllib.request.urlopen(request, timeout=5).close()
        lab.process.wait(timeout=15)
    except (OSError, subprocess.TimeoutExpired):
        pass
    if lab.process.poll() is None:  # the server's own session: itself and its kernels only
        os.killpg(lab.process.pid, signal.SIGKILL)
        lab.process.wait(timeout=10)


@pytest.fixture
def page(tmp_path):
    """A page of a headless Chromium with a fresh profile."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 1000})
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()
