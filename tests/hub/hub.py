"""A real JupyterHub for the class test, configured with the README's own config blocks.

The README's section "Running a class on JupyterHub" holds ``jupyterhub_config.py``,
the shared ``/etc/jupyter/nbgrader_config.py`` and the instructor's
``~/.jupyter/nbgrader_config.py``. This module reads them from the README and
runs them, changing only what a test must: the port, the account names, the
folders (a temporary exchange instead of /srv/nbgrader/exchange, a temporary
folder instead of /etc/jupyter), the gradebook's URL and where the course's
code is.
"""
from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from autograder import paths

README = paths.REPO / "README.md"


def readme_block(name: str) -> str:
    """The code block that follows ``<!-- class-test: NAME -->`` in the README."""
    match = re.search(rf"<!-- class-test: {re.escape(name)} -->\s*```\w*\n(.*?)```", README.read_text(), re.S)
    assert match, f"README.md lost its '{name}' block (section 'Running a class on JupyterHub')"
    return match.group(1)


def replace(text: str, old: str, new: str) -> str:
    assert old in text, f"the README's block no longer holds {old!r}"
    return text.replace(old, new)


def private_ancestor(path: Path) -> Path | None:
    """The first folder above ``path`` that other users cannot enter (e.g. /root, 0700), or None.

    ``$TFCOURSE_TEST_PRIVATE_HOME`` names one to treat as such, to exercise the
    work-around below on a machine that does not need it.
    """
    forced = os.environ.get("TFCOURSE_TEST_PRIVATE_HOME")
    if forced and Path(path).resolve().is_relative_to(forced):
        return Path(forced)
    for folder in reversed(path.resolve().parents):
        if not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


# Only where the Python environment lives in a private home (as /root/.pyenv on the CI
# machine) can the class's users not run it. Each of their processes (a server, a
# terminal command) then starts as root in a mount namespace of its own where that home
# is an empty, readable tmpfs holding only the environment's folder, and drops to its
# user before running anything else. A real hub installs Python where everyone can read
# it (README) and needs none of this.
WRAPPER = r"""
set -eu
mount --bind "$KEEP" "$PARK"
mount -t tmpfs -o mode=755 tmpfs "$PRIVATE"
mkdir -p "$KEEP"
mount --move "$PARK" "$KEEP"
cd "$HOME"
exec setpriv --reuid="$USER" --regid="$USER" --init-groups -- "$@"
"""
PRIVATE = private_ancestor(Path(sys.prefix))


def as_user_argv(argv: list[str], park: Path) -> tuple[list[str], dict[str, str]]:
    """``argv`` run through the wrapper (started as root), and the environment it needs; unchanged if not needed."""
    if PRIVATE is None:
        return argv, {}
    keep = PRIVATE / Path(sys.prefix).resolve().relative_to(PRIVATE).parts[0]
    park.mkdir(parents=True, exist_ok=True)
    return (["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", WRAPPER, "sh", *argv],
            {"KEEP": str(keep), "PARK": str(park), "PRIVATE": str(PRIVATE)})


def spawner_lines(park: Path) -> str:
    argv, env = as_user_argv([sys.executable, "-m", "jupyterhub.singleuser"], park)
    if not env:
        return ""
    return f"""
from jupyterhub.spawner import LocalProcessSpawner

class PrivatePythonSpawner(LocalProcessSpawner):
    def make_preexec_fn(self, name):
        return None  # the wrapper drops to the user once its mounts are done

c.JupyterHub.spawner_class = PrivatePythonSpawner
c.Spawner.cmd = {argv!r}
c.Spawner.environment.update({env!r})
"""


@dataclass
class Hub:
    url: str
    process: subprocess.Popen
    log: Path

    def get(self, path: str, timeout: float = 2.0) -> int:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=timeout) as response:
            return response.status

    def stop(self) -> None:
        """Stop the hub; it stops the users' servers (JupyterHub.cleanup_servers) and its proxy."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def hub_config(port: int, hub_port: int, users: list[str], etc_jupyter: Path, folder: Path) -> str:
    """``jupyterhub_config.py``: the README's block, then what only the test changes."""
    env = {"JUPYTER_CONFIG_PATH": str(etc_jupyter), "PYTHONPATH": str(paths.REPO)}
    return readme_block("jupyterhub_config.py") + f"""
# --- the test's changes ---
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.Authenticator.allowed_users = {set(users)!r}
c.JupyterHub.db_url = "sqlite:///{folder / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = "{folder / 'cookie_secret'}"
c.ConfigurableHTTPProxy.pid_file = "{folder / 'proxy.pid'}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.Spawner.cmd = [{sys.executable!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.environment = {env!r}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.cleanup_servers = True
""" + spawner_lines(folder.parent / "park")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_hub(folder: Path, users: list[str], etc_jupyter: Path, timeout: float = 90.0) -> Hub:
    """Start JupyterHub (as root: it starts each user's server as that Unix user) and wait for it."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = folder / "jupyterhub_config.py"
    config.write_text(hub_config(port, free_port(), users, etc_jupyter, folder))
    log = folder / "hub.log"
    out = open(log, "w")
    process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=folder,
                               stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    out.close()
    hub = Hub(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if hub.get("/hub/api") == 200:
                return hub
        except OSError:
            time.sleep(0.5)
    hub.stop()
    raise RuntimeError(f"JupyterHub did not answer within {timeout:.0f} s:\n{log.read_text()[-4000:]}")


def shared_nbgrader_config(exchange: Path) -> str:
    """/etc/jupyter/nbgrader_config.py, from the README, with the test's exchange."""
    return replace(readme_block("/etc/jupyter/nbgrader_config.py"), "/srv/nbgrader/exchange", str(exchange))


def instructor_nbgrader_config(home: Path, db_url: str) -> str:
    """The instructor's ~/.jupyter/nbgrader_config.py, from the README, with the test's folders and gradebook."""
    text = readme_block("~/.jupyter/nbgrader_config.py")
    text = replace(text, "/opt/tfcourse/autograder/nbgrader_config.py", str(paths.CONFIG))
    text = replace(text, "/home/instructor", str(home))
    return replace(text, "postgresql://tfcourse:PASSWORD@127.0.0.1:5432/tf_course", db_url)
