"""A real class, end to end: JupyterHub, a PostgreSQL gradebook and the nbgrader exchange, in headless Chromium.

One instructor and two students, each a Unix user created for the test with
their own home, log in to a real JupyterHub (PAM, LocalProcessSpawner,
configurable-http-proxy) configured with the README's own config blocks
(``tests/hub/hub.py``). The gradebook is a real PostgreSQL server. Each step
leaves a screenshot in ``tests/artifacts/hub/``; a failed step also leaves the
hub's log (with every user's server log) and PostgreSQL's log there.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from autograder import paths
from autograder.commands.feedback import PLACEHOLDER
from tests import harness
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DISABLED_LAB_PLUGINS
from tests.hub.accounts import create_account, remove_account
from tests.hub.hub import as_user_argv, instructor_nbgrader_config, shared_nbgrader_config, start_hub

# 7 min 17 s on the 2-core VM while other test runs shared it (load 7-9; timings.txt per step); room for busier.
pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.nbgrader, pytest.mark.slow, pytest.mark.timeout(1800)]

A = "01-training-steps"
COURSE_ID = paths.COURSE_ID
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "hub"
NAMES = {"instructor": "tfc-instructor", "a": "tfc-student-a", "b": "tfc-student-b"}
SOLVED = "01_build_sequential"  # the one exercise student A solves


def as_user(account, *argv: str, env: dict | None = None, check: bool = True, timeout: float = 900):
    """Run a command as ``account`` (a terminal on the hub), in their home."""
    command, wrapper_env = as_user_argv(list(argv), account.home.parent.parent / "park")

    def drop() -> None:
        os.setgid(account.gid)
        os.initgroups(account.name, account.gid)
        os.setuid(account.uid)
    full_env = {"HOME": str(account.home), "USER": account.name, "PATH": os.environ["PATH"],
                "PYTHONPATH": str(paths.REPO), "LANG": "C.UTF-8", **wrapper_env, **(env or {})}
    done = subprocess.run(command, preexec_fn=None if wrapper_env else drop, cwd=account.home, env=full_env,
                          capture_output=True, text=True, timeout=timeout)
    if check and done.returncode:
        raise AssertionError(f"{' '.join(argv)} as {account.name} exited with {done.returncode}:\n"
                             f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


@pytest.fixture(scope="module")
def accounts(shared_tmp):
    if os.geteuid() != 0:
        pytest.fail("the class test creates Unix users and starts JupyterHub as root: run it as root (as .ci/run does)")
    homes = shared_tmp / "home"
    homes.mkdir()
    homes.chmod(0o755)
    made = {}
    try:
        for role, name in NAMES.items():
            remove_account(name)  # a leftover of an interrupted run
            made[role] = create_account(name, homes)
        yield made
    finally:
        for name in NAMES.values():
            remove_account(name)


@pytest.fixture(scope="module")
def exchange(shared_tmp) -> Path:
    """The exchange folder, as nbgrader documents it: everyone may write into it."""
    folder = shared_tmp / "exchange"
    folder.mkdir()
    folder.chmod(0o777)
    return folder


@pytest.fixture(scope="module")
def class_hub(shared_tmp, accounts, exchange, postgres):
    """JupyterHub for the class, with the shared and the instructor's nbgrader settings in place."""
    if shutil.which("configurable-http-proxy") is None:
        pytest.fail("no configurable-http-proxy: npm install -g configurable-http-proxy (see .ci/run)")
    etc_jupyter = shared_tmp / "etc-jupyter"  # stands for /etc/jupyter
    etc_jupyter.mkdir()
    etc_jupyter.chmod(0o755)
    (etc_jupyter / "nbgrader_config.py").write_text(shared_nbgrader_config(exchange))
    for account in accounts.values():
        lab = account.home / ".jupyter" / "labconfig"
        as_user(account, "mkdir", "-p", str(lab))
        as_user(account, sys.executable, "-c", f"import json, sys; open(sys.argv[1], 'w').write(json.dumps("
                f"{{'disabledExtensions': {DISABLED_LAB_PLUGINS!r}}}))", str(lab / "page_config.json"))
    instructor = accounts["instructor"]
    as_user(instructor, "mkdir", "-p", str(instructor.home / "tf-course"))  # the course root
    as_user(instructor, sys.executable, "-c", "import sys; open(sys.argv[1], 'w').write(sys.argv[2])",
            str(instructor.home / ".jupyter" / "nbgrader_config.py"),
            instructor_nbgrader_config(instructor.home, postgres.url))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "timings.txt").unlink(missing_ok=True)
    hub = start_hub(shared_tmp / "hub", list(NAMES.values()), etc_jupyter)
    try:
        yield hub
    finally:
        hub.stop()
        for log in (hub.log, postgres.log):
            if log.exists():
                shutil.copy(log, ARTIFACTS / log.name)


class Browser:
    """One person's Chromium, logged in to the hub."""

    def __init__(self, playwright, hub, account, profile: Path):
        self.hub, self.account = hub, account
        self.context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000})
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()
        self.page.set_default_timeout(60_000)

    @property
    def user_url(self) -> str:
        return f"{self.hub.url}/user/{self.account.name}"

    def log_in(self) -> None:
        page = self.page
        page.goto(f"{self.hub.url}/hub/login")
        page.fill("#username_input", self.account.name)
        page.fill("#password_input", self.account.password)
        page.click("#login_submit")
        page.wait_for_url(f"**/user/{self.account.name}/lab**", timeout=150_000)
        page.locator(".jp-LabShell").wait_for(timeout=120_000)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@contextmanager
def step(name: str, browser: Browser | None):
    """A step of the class: its screenshot whether it passes or fails, and its duration in timings.txt."""
    start = time.monotonic()
    try:
        yield
    except BaseException:
        if browser is not None:
            browser.shot(f"{name}-FAILED")
        raise
    finally:
        with open(ARTIFACTS / "timings.txt", "a") as timings:
            timings.write(f"{time.monotonic() - start:6.1f} s  {name}\n")
    if browser is not None:
        browser.shot(name)


def open_assignment_list(browser: Browser) -> None:
    page = browser.page
    page.goto(f"{browser.user_url}/lab")
    page.locator(".jp-LabShell").wait_for()
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()


def answer_one_exercise(browser: Browser, answer: str) -> None:
    """Open the fetched notebook, replace the first exercise cell with ``answer``, save, and press Validate."""
    page = browser.page
    page.goto(f"{browser.user_url}/lab/tree/{A}/{A}.ipynb")
    cell = page.locator(".jp-CodeCell", has_text="def build_sequential_model").first
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(answer)
    page.keyboard.press("Control+S")
    page.wait_for_timeout(1500)
    page.locator(".validate-button").first.click()
    page.get_by_text("Validation Results").wait_for(timeout=300_000)


def run_cli(account, db: str, *argv: str):
    """``tfcourse --db DB --course-root ~/tf-course ARGV`` in the instructor's terminal."""
    return as_user(account, sys.executable, "-m", "autograder.cli", "--db", db, "--course-root",
                   str(account.home / "tf-course"), *argv)


def grades(db_url: str) -> dict:
    """Every test cell's score, per student, in the gradebook at ``db_url``."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, COURSE_ID) as gb:
        return {(s.student_id, g.name): g.score for s in gb.assignment_submissions(A)
                for nb in s.notebooks for g in nb.grades}


def test_a_class_on_jupyterhub(class_hub, accounts, exchange, postgres, shared_tmp):
    """Does a class go from release to feedback on JupyterHub, with the gradebook in PostgreSQL?"""
    from playwright.sync_api import sync_playwright

    teacher, a, b = accounts["instructor"], accounts["a"], accounts["b"]
    with sync_playwright() as p:
        instructor = Browser(p, class_hub, teacher, shared_tmp / "profile-instructor")
        with step("1-instructor-logs-in", instructor):
            instructor.log_in()
        with step("1-formgrader-releases-01", instructor):
            page = instructor.page
            page.goto(f"{instructor.user_url}/formgrader")
            row = page.locator("tr", has_text=A)
            row.locator("td.assign a").click()
            page.get_by_text(f"Successfully created the student version of '{A}'").wait_for(timeout=120_000)
            instructor.shot("1-generated")
            page.goto(f"{instructor.user_url}/formgrader")
            row.locator("td.release a").click()
            page.get_by_text(f"Successfully released '{A}'").wait_for()
        course = exchange / COURSE_ID
        assert (course / "outbound" / A / f"{A}.ipynb").is_file()
        assert {d: oct((course / d).stat().st_mode & 0o777) for d in ("outbound", "inbound")} == \
            {"outbound": "0o755", "inbound": "0o733"}

        student_a = Browser(p, class_hub, a, shared_tmp / "profile-a")
        with step("2-student-a-logs-in", student_a):
            student_a.log_in()
        with step("2-student-a-fetches-01", student_a):
            open_assignment_list(student_a)
            student_a.page.get_by_role("button", name="Fetch", exact=True).click()
            student_a.page.get_by_role("button", name="Submit", exact=True).wait_for()
        assert (a.home / A / f"{A}.ipynb").is_file()
        with step("2-student-a-solves-one-exercise-and-validates", student_a):
            answer_one_exercise(student_a, harness.reference_answers(A)[SOLVED])
        with step("2-student-a-submits", student_a):
            student_a.page.keyboard.press("Escape")
            open_assignment_list(student_a)
            student_a.page.get_by_role("button", name="Submit", exact=True).click()
            student_a.page.locator(".submitted_assignments_list, #submitted_assignments_list").get_by_text(
                A).first.wait_for()

        student_b = Browser(p, class_hub, b, shared_tmp / "profile-b")
        with step("3-student-b-submits-untouched", student_b):
            student_b.log_in()
            open_assignment_list(student_b)
            student_b.page.get_by_role("button", name="Fetch", exact=True).click()
            student_b.page.get_by_role("button", name="Submit", exact=True).click()
            student_b.page.locator(".submitted_assignments_list, #submitted_assignments_list").get_by_text(
                A).first.wait_for()
        denied = as_user(b, "ls", str(course / "inbound"), check=False)
        assert denied.returncode != 0 and "Permission denied" in denied.stderr, "B could list the submissions"

        with step("4-formgrader-collects-and-autogrades", instructor):
            page.goto(f"{instructor.user_url}/formgrader")
            row.locator("td.collect a").click()
            page.get_by_text(f"Successfully collected submissions of '{A}'").wait_for(timeout=120_000)
            for student in (a, b):
                page.goto(f"{instructor.user_url}/formgrader/manage_submissions/{A}")
                page.locator("tr", has_text=student.name).locator("td.autograde a").click()
                page.get_by_text(f"Successfully autograded '{A}' for student '{student.name}'").wait_for(
                    timeout=300_000)
        by_formgrader = grades(postgres.url)
        assert {s for s, _ in by_formgrader} == {a.name, b.name}
        score = {s: sum(v for (t, _), v in by_formgrader.items() if t == s) for s in (a.name, b.name)}
        assert score[a.name] > 0 and score[b.name] == 0, score

        with step("4-tfcourse-grade-workers-2-on-postgresql", None):
            run_cli(teacher, postgres.url, "grade", "01", "--workers", "2", "--force")
        assert grades(postgres.url) == by_formgrader

        with step("7-the-same-class-graded-with-sqlite", None):
            sqlite_root = teacher.home / "sqlite-copy"
            as_user(teacher, "mkdir", "-p", str(sqlite_root))
            as_user(teacher, "cp", "-r", str(teacher.home / "tf-course" / "submitted"), str(sqlite_root))
            as_user(teacher, sys.executable, "-c",
                    "import sys; from autograder.commands.release import release; "
                    "release(sys.argv[1], sys.argv[2], release_dir=sys.argv[2] + '/release')", A, str(sqlite_root))
            as_user(teacher, sys.executable, "-m", "autograder.cli", "--course-root", str(sqlite_root),
                    "grade", "01", "--workers", "2")
        assert grades(f"sqlite:///{sqlite_root / 'gradebook.db'}") == by_formgrader

        with step("5-formgrader-generates-and-releases-feedback", instructor):
            page.goto(f"{instructor.user_url}/formgrader")
            row.locator("td.generate-feedback a").click()
            page.get_by_text(f"Successfully generated feedback of '{A}'").wait_for(timeout=120_000)
            page.goto(f"{instructor.user_url}/formgrader")
            row.locator("td.release-feedback a").click()
            page.get_by_text(f"Successfully released feedback of '{A}'").wait_for()
        assert oct((course / "feedback").stat().st_mode & 0o777) == "0o711"

        for name, student, mine in (("a", student_a, a), ("b", student_b, b)):
            with step(f"6-student-{name}-fetches-feedback", student):
                open_assignment_list(student)
                student.page.get_by_role("button", name="Fetch Feedback").click()
                student.page.get_by_text("view feedback").first.wait_for()
            pages = list((mine.home / A / "feedback").rglob("*.html"))
            assert len(pages) == 1, pages
            total = round(float(sum(v for (s, _), v in by_formgrader.items() if s == mine.name)), 2)
            with step(f"6-student-{name}-reads-own-score", student):
                student.page.goto(f"{student.user_url}/files/{pages[0].relative_to(mine.home)}")
                student.page.get_by_text(f"{A} (Score: {total} / ").wait_for()
            html = pages[0].read_text()
            assert PLACEHOLDER in html and "BEGIN HIDDEN TESTS" not in html and "seed=" not in html
            other = b if mine is a else a
            peek = as_user(mine, "ls", str(other.home), str(course / "feedback"), check=False)
            assert peek.returncode != 0 and peek.stdout.strip() == "", peek.stdout

        with step("report-and-export-from-postgresql", None):
            run_cli(teacher, postgres.url, "report")
            run_cli(teacher, postgres.url, "export", "01", "--format", "csv", "--out",
                    str(teacher.home / "grades.csv"))
        with open(teacher.home / "tf-course" / "reports" / "grades.csv") as f:
            reported = {row["student_id"]: float(row["score"]) for row in csv.DictReader(f)}
        assert reported == pytest.approx({s: sum(v for (t, _), v in by_formgrader.items() if t == s)
                                          for s in (a.name, b.name)})
        exported = (teacher.home / "grades.csv").read_text()
        assert a.name in exported and b.name in exported
        for browser in (instructor, student_a, student_b):
            browser.context.close()
