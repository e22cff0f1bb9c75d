"""Releasing to and collecting from the nbgrader exchange, for JupyterHub classes.

``tfcourse release NN --exchange`` copies course/NN into the exchange, where
students get it with ``nbgrader fetch_assignment`` (or the Assignment List in
JupyterLab); ``tfcourse collect NN`` copies their submissions into the course
root's submitted/ folder. Both are nbgrader's own ``release_assignment`` and
``collect``.
"""
from __future__ import annotations

from pathlib import Path

from nbgrader.apps import NbGraderAPI

from autograder.nbgrader_api import load_config, require_success
from autograder.paths import assignments, course_root, resolve_assignment


def exchange_api(root: str | Path | None = None, exchange: str | Path | None = None) -> NbGraderAPI:
    """nbgrader's API for the course root, with ``Exchange.root`` set if ``exchange`` is given."""
    config = load_config(course_root(root))
    if exchange:
        Path(exchange).mkdir(parents=True, exist_ok=True)
        config.Exchange.root = str(Path(exchange).resolve())
    return NbGraderAPI(config=config)


def _chosen(which: str) -> list[str]:
    return assignments() if which == "all" else [resolve_assignment(which)]


def release_to_exchange(
    which: str = "all", root: str | Path | None = None, exchange: str | Path | None = None
) -> list[str]:
    """Put course/ assignments in the exchange; return their ids.

    Args:
        which: ``"01"``, an assignment id, or ``"all"``. Defaults to ``"all"``.
        root: The course root. Defaults to ``autograder.paths.course_root()``.
        exchange: The exchange folder. Defaults to nbgrader's
            ``Exchange.root`` (``/srv/nbgrader/exchange``).
    """
    api = exchange_api(root, exchange)
    for assignment in _chosen(which):
        require_success(api.release_assignment(assignment), f"release {assignment} to the exchange")
    return _chosen(which)


def collect(
    which: str = "all", root: str | Path | None = None, exchange: str | Path | None = None
) -> dict[str, list[str]]:
    """Copy submissions from the exchange into submitted/; return ``{assignment: [students]}``."""
    api = exchange_api(root, exchange)
    out = {}
    for assignment in _chosen(which):
        require_success(api.collect(assignment, update=True), f"collect {assignment}")
        submitted = course_root(root) / "submitted"
        out[assignment] = sorted(p.parent.name for p in submitted.glob(f"*/{assignment}"))
    return out
