"""The training explorer in a real JupyterLab, driven by headless Chromium.

Opens course notebook 02 with the exercises answered (as a student who has
done them), runs every cell, moves the epochs slider, presses Train and waits
for the curves. A screenshot is kept in ``tests/artifacts/``.
"""
import re

import nbformat
import pytest

from tests import harness
from tests.browser.conftest import ARTIFACTS

ASSIGNMENT = "02-fit-syntax"
EPOCHS = 3  # the slider starts at 10; fewer epochs keep the test short
# Collects every distinct picture the explorer's plot area shows, to count the live redraws.
WATCH_PLOTS = """explorer => {
    window.plotsSeen = new Set();
    const plot = explorer.querySelector('.widget-output');
    new MutationObserver(() => plot.querySelectorAll('img').forEach(img => window.plotsSeen.add(img.src)))
        .observe(plot, {childList: true, subtree: true, attributes: true});
}"""


@pytest.fixture
def notebook(jupyterlab) -> str:
    """Course notebook 02, answered with the reference solutions, in the server's folder."""
    nb = harness.make_submission(ASSIGNMENT, harness.reference_answers(ASSIGNMENT))
    assert any("TrainingExplorer" in c.source for c in nb.cells), "notebook 02 lost its explorer cell"
    name = f"{ASSIGNMENT}.ipynb"
    nbformat.write(nb, str(jupyterlab.root / name))
    return name


@pytest.mark.timeout(300)
def test_explorer_trains_and_draws_in_jupyterlab(jupyterlab, notebook, page):
    """Run notebook 02 in JupyterLab, move a slider, press Train: do the curves and the table appear?"""
    page.set_default_timeout(60_000)
    page.goto(jupyterlab.notebook_url(notebook))
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    # Run All before the kernel is connected runs nothing: wait for the status bar's "Idle".
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for()
    try:
        run_notebook_and_train(page)
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "explorer-jupyterlab.png"))


def run_notebook_and_train(page):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()

    explorer = page.locator(".training-explorer")
    explorer.wait_for(timeout=150_000)  # Run All stops at an error, so this also means no error
    explorer.scroll_into_view_if_needed()
    plot = explorer.locator(".widget-output")
    assert plot.locator("img").count() == 0, "the explorer trained before Train was pressed"

    epochs = explorer.locator(".widget-slider").first
    epochs.locator(".noUi-handle").focus()
    for _ in range(10 - EPOCHS):
        page.keyboard.press("ArrowLeft")
    assert epochs.locator(".widget-readout").inner_text().strip() == str(EPOCHS)

    explorer.evaluate(WATCH_PLOTS)
    explorer.get_by_role("button", name="Train").click()
    plot.locator("img").first.wait_for()  # drawn after the first epoch, before the run ends
    explorer.locator(".explorer-done").wait_for(timeout=120_000)

    assert plot.locator("img").count() == 1
    assert plot.locator("img").evaluate("img => img.naturalWidth") > 200
    rows = explorer.locator("table.explorer-runs tr")
    assert rows.count() == 2  # header and one run
    assert rows.nth(1).locator("td").nth(4).inner_text() == str(EPOCHS)
    assert explorer.locator(".explorer-error").count() == 0
    assert page.evaluate("window.plotsSeen.size") == EPOCHS, "the curves were not redrawn every epoch"

    ARTIFACTS.mkdir(exist_ok=True)
    explorer.scroll_into_view_if_needed()
    explorer.screenshot(path=str(ARTIFACTS / "explorer-widget.png"))
