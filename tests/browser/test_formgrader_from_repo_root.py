"""The formgrader, in Chromium, from a JupyterLab started at a clone's root (the README's `jupyter lab`)."""
from __future__ import annotations

from autograder.paths import assignments
from tests.autograder.test_jupyter_config import lab_at_clone_root  # noqa: F401 - the shared fixture


def test_formgrader_page_shows_the_ten_assignments(lab_at_clone_root, page):  # noqa: F811
    """Does the formgrader's Manage Assignments page list each of the ten assignments?"""
    lab = lab_at_clone_root
    page.goto(f"{lab.url}/formgrader?token={lab.token}")
    for name in assignments():
        page.get_by_text(name, exact=True).first.wait_for(timeout=60_000)
    assert "No data available" not in page.content()
