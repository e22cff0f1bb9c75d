"""A real PostgreSQL server for a test: Debian's ``postgresql`` package, started in a temporary folder.

``initdb`` and ``postgres`` refuse to run as root, so as root the server runs
as the ``postgres`` user the Debian package creates; as anyone else, as that
user. It listens on 127.0.0.1 on a free port, with password authentication,
and holds one database, the course's gradebook.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


def postgres_bin() -> Path | None:
    """The folder of ``initdb`` and ``postgres`` (Debian keeps them out of PATH), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class PostgresServer:
    """A running server and the URL of the gradebook it holds."""

    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # "fast" shutdown: ends the sessions, then exits
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(owner: pwd.struct_passwd | None):
    if owner is None:
        return None

    def drop() -> None:
        os.setgid(owner.pw_gid)
        os.setuid(owner.pw_uid)
    return drop


def start_postgres(folder: Path, database: str = "gradebook", timeout: float = 60.0) -> PostgresServer:
    """Initialise a cluster in ``folder``, start it, and create ``database`` owned by a fresh role.

    Raises:
        FileNotFoundError: no PostgreSQL server is installed (apt-get install postgresql, see .ci/run).
        RuntimeError: the server did not start; the message ends with its log.
    """
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise FileNotFoundError("no PostgreSQL server (initdb): apt-get install postgresql (see .ci/run)")
    owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
    folder.mkdir(parents=True, exist_ok=True)
    data, sockets, log = folder / "data", folder / "sockets", folder / "postgres.log"
    sockets.mkdir(exist_ok=True)
    password = secrets.token_hex(12)
    (folder / "pwfile").write_text(password + "\n")
    if owner is not None:
        for path in (folder, sockets, folder / "pwfile"):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    initdb = subprocess.run(
        [str(bin_dir / "initdb"), "-D", str(data), "-U", "tfcourse", "--auth=scram-sha-256",
         f"--pwfile={folder / 'pwfile'}", "-E", "UTF8", "--locale=C"],
        preexec_fn=_as_owner(owner), capture_output=True, text=True)
    if initdb.returncode:
        raise RuntimeError(f"initdb failed in {data}:\n{initdb.stdout}{initdb.stderr}")
    port = _free_port()
    out = open(log, "w")
    process = subprocess.Popen(
        [str(bin_dir / "postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(port), "-k", str(sockets),
         "-c", "fsync=off", "-c", "full_page_writes=off"],  # a throw-away cluster: speed over durability
        preexec_fn=_as_owner(owner), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    out.close()
    server = PostgresServer(f"postgresql://tfcourse:{password}@127.0.0.1:{port}/{database}", process, log)
    deadline = time.monotonic() + timeout
    env = {**os.environ, "PGPASSWORD": password}
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"PostgreSQL exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        ready = subprocess.run([str(bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                               capture_output=True)
        if ready.returncode == 0:
            subprocess.run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "tfcourse",
                            database], env=env, check=True, capture_output=True)
            return server
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"PostgreSQL did not start within {timeout:.0f} s:\n{log.read_text()[-3000:]}")
