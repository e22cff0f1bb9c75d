"""Attacks from inside a grading kernel, under real ``nbgrader autograde`` with the course config (issue 15).

Two runs at once, in two course roots: one forks its kernels from the fork
server (the default), the other starts each kernel cold. In each, attackers
(``tests/integrity/attacks.py``: writing, reading, a daemon, sockets,
signals, filling /tmp, a fork bomb) are graded between two honest students
and a control student with the attackers' answers and no attack. The static
scan is off, so every attack runs. The grader's environment carries a token.

Each test shows that the attack gains nothing (no attacker beats the
control), that the honest students get 8/8 unflagged, that the repository,
the course config and the submissions are byte-identical afterwards, and
that no process is left.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder.paths import REPO
from tests import harness
from tests.integrity import attacks
from tests.integrity import students as s

pytestmark = [pytest.mark.sandbox, pytest.mark.nbgrader, pytest.mark.slow]

STUDENTS = ["aaa_honest", *(f"atk_{name}" for name in attacks.ATTACKS), "control", "zzz_honest"]
ARGS = ["--force", "--Execute.timeout=180", "--ScanStudentCode.enabled=False"]


def _digest(paths: list[Path]) -> dict[str, str]:
    found = {}
    for top in paths:
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _protected(roots: list[Path]) -> list[Path]:
    return [REPO / "autograder", REPO / "helpers", REPO / "solutions", REPO / "course",
            *(r / "nbgrader_config.py" for r in roots), *(r / "submitted" for r in roots),
            *(r / "release" for r in roots)]


def _processes(*markers: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(m in text for m in markers):
            found.append(f"{cmdline.parent.name}: {text[:200]}")
    return found


def _grade(root: Path, fork_server: bool) -> dict:
    harness.prepare_root(root, s.A)
    for student in STUDENTS:
        if student.startswith("atk_"):
            nb = attacks.attacker(student[4:], str(root), str(REPO))
        else:
            nb = attacks.control() if student == "control" else attacks.honest()
        harness.submit(root, s.A, student, nb)
    return {"root": root, "fork_server": fork_server}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    roots = {"forked": tmp_path_factory.mktemp("forked"), "cold": tmp_path_factory.mktemp("cold")}
    for name, root in roots.items():
        _grade(root, name == "forked")
    before = _digest(_protected(list(roots.values())))
    os.environ["JUPYTERHUB_API_TOKEN"] = attacks.TOKEN  # the grader's environment carries a secret
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {name: pool.submit(harness.run_nbgrader, root, "autograde", s.A, *ARGS,
                                         f"--SandboxedKernelManager.fork_server={name == 'forked'}")
                       for name, root in roots.items()}
            done = {name: f.result() for name, f in futures.items()}
    finally:
        del os.environ["JUPYTERHUB_API_TOKEN"]
    left = _processes(attacks.DAEMON_SLEEP, *(str(r) for r in roots.values()))
    for name, root in roots.items():
        (root / "autograde.log").write_text(done[name].stdout + done[name].stderr)
    runs = {}
    for name, root in roots.items():
        runs[name] = {
            "grades": {st: harness.read_grades(root, s.A, st) for st in STUDENTS},
            "notebooks": {st: nbformat.read(str(root / "autograded" / st / s.A / f"{s.A}.ipynb"), as_version=4)
                          for st in STUDENTS},
            "root": root, "done": done[name],
        }
    return {"runs": runs, "before": before, "after": _digest(_protected(list(roots.values()))), "left": left,
            "roots": roots}


def _said(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                   if o.get("output_type") == "stream")


def _flags(root: Path, student: str) -> list[str]:
    from nbgrader.api import Gradebook

    from autograder.findings import read_findings

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return [f for f in read_findings(gb, s.A, s.A, student) if "flag" in f.lower()]


@pytest.mark.parametrize("mode", ["forked", "cold"])
def test_honest_students_get_full_marks_unflagged(graded, mode):
    """Do the students graded before and after the attackers get 8/8, with no flag?"""
    run = graded["runs"][mode]
    for student in ("aaa_honest", "zzz_honest"):
        assert run["grades"][student].score == 8, (student, run["grades"][student])
        assert not _flags(run["root"], student)


@pytest.mark.parametrize("mode", ["forked", "cold"])
@pytest.mark.parametrize("attack", sorted(attacks.ATTACKS))
def test_an_attack_gains_nothing(graded, mode, attack):
    """Does no attacker score more than the control student with the same answers and no attack?"""
    run = graded["runs"][mode]
    assert run["grades"][f"atk_{attack}"].score <= run["grades"]["control"].score, _said(
        run["notebooks"][f"atk_{attack}"])


@pytest.mark.parametrize("mode", ["forked", "cold"])
def test_files_writes_reads_sockets_and_signals_reach_nothing(graded, mode):
    """Did every write, read, connection and signal outside the kernel's own sandbox fail?"""
    run = graded["runs"][mode]
    said = {a: _said(run["notebooks"][f"atk_{a}"]) for a in attacks.ATTACKS}
    root, repo = str(run["root"]), str(REPO)
    assert "ATTACK-WROTE" not in said["write"] and "refused" in said["write"], said["write"]
    assert "ENV {}" in said["read"], said["read"]
    assert not [line for line in said["read"].splitlines() if line.startswith("READ") and "/proc/" not in line]
    assert "True" not in said["read"] and root not in said["read"].split("SEEN", 1)[1], said["read"]
    assert "reached nothing" in said["sockets"], said["sockets"]
    assert "signalled nothing" in said["signals"] or mode == "cold", said["signals"]
    assert repo + "/solutions" not in said["read"].split("SEEN", 1)[1]


@pytest.mark.parametrize("mode", ["forked", "cold"])
def test_no_secret_reaches_a_graded_notebook(graded, mode):
    """Does no graded notebook's output carry the grader's token (the attacker's own source names it)?"""
    for nb in graded["runs"][mode]["notebooks"].values():
        outputs = [c.get("outputs", []) for c in nb.cells if c.cell_type == "code"]
        assert attacks.TOKEN not in json.dumps(outputs)


@pytest.mark.parametrize("mode", ["forked", "cold"])
def test_tmp_and_processes_are_bounded(graded, mode):
    """Does filling /tmp stop at the private /tmp's size, and a fork bomb at the process limit?"""
    run = graded["runs"][mode]
    bomb = _said(run["notebooks"]["atk_fork_bomb"])
    forked = int(bomb.split("FORKED", 1)[1].split()[0])
    assert forked < 600 and "stopped by: None" not in bomb, bomb
    fill = _said(run["notebooks"]["atk_fill_tmp"])
    assert "stopped in /tmp after" in fill, fill
    assert int(fill.split("stopped in /tmp after", 1)[1].split()[0]) <= 256, fill


def test_files_are_byte_identical_and_the_gradebook_untouched(graded):
    """Are the repository, course configs, releases and submissions byte-identical after both runs?"""
    changed = sorted(k for k in {*graded["before"], *graded["after"]}
                     if graded["before"].get(k) != graded["after"].get(k))
    assert not changed
    for root in graded["roots"].values():
        data = (root / "gradebook.db").read_bytes()
        assert b"sabotaged" not in data and not data.endswith(b"late")


def test_no_process_is_left(graded):
    """After grading, is no daemon of any attacker still running (now, and a while later)?"""
    assert not graded["left"]
    time.sleep(2)
    assert not _processes(attacks.DAEMON_SLEEP, *(str(r) for r in graded["roots"].values()))
