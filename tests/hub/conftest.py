"""Servers for the class tests: a real PostgreSQL (and, in test_class_on_hub, a real JupyterHub)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.hub.postgres import PostgresServer, postgres_bin, start_postgres


@pytest.fixture(scope="module")
def shared_tmp() -> Path:
    """A temporary folder that other Unix users (postgres, the class's accounts) can reach.

    pytest's own temporary folders are private to the user running the tests.
    """
    folder = Path(tempfile.mkdtemp(prefix="tfcourse-class-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres(shared_tmp) -> PostgresServer:
    """A PostgreSQL server on 127.0.0.1 holding an empty gradebook database; stopped afterwards."""
    if postgres_bin() is None:
        pytest.fail("no PostgreSQL server (initdb): apt-get install postgresql (see .ci/run)")
    server = start_postgres(shared_tmp / "postgres")
    try:
        yield server
    finally:
        server.stop()
