"""The class's Unix accounts: created for the test with a home and a password each, removed afterwards."""
from __future__ import annotations

import pwd
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Account:
    name: str
    password: str
    home: Path

    @property
    def uid(self) -> int:
        return pwd.getpwnam(self.name).pw_uid

    @property
    def gid(self) -> int:
        return pwd.getpwnam(self.name).pw_gid


def create_account(name: str, homes: Path) -> Account:
    """A new Unix user ``name`` with a private home in ``homes`` and a random password."""
    home = homes / name
    subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--user-group", "--shell", "/bin/bash",
                    name], check=True, capture_output=True, text=True)
    home.chmod(0o700)
    password = secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", check=True, capture_output=True, text=True)
    return Account(name, password, home)


def remove_account(name: str) -> None:
    """Remove the user (and their processes' leftovers: nothing should run as them by now)."""
    subprocess.run(["userdel", "--force", "--remove", name], capture_output=True)
