"""Settings shared by every test: a headless matplotlib, a quiet TensorFlow, the suite's markers, and its groups.

``pytest -n 2`` runs everything on two cores (the README's command, pytest-xdist);
plain ``pytest`` runs the same tests one at a time. ``pytest -m "not slow"`` is
the quick inner loop: it leaves out real nbgrader runs of whole notebooks and
the browser tests, and still imports and exercises every module.
"""
import os
from collections import defaultdict
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

import helpers  # noqa: E402,F401 - sets TensorFlow's quiet environment before anything imports it

BROWSER = Path(__file__).parent / "browser"

@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """``pytest -n 2`` sends each ``xdist_group`` to one worker (``--dist loadgroup``) unless ``--dist`` says otherwise.

    Set here rather than in ``addopts``, where it would tell a serial run's plugins that it is distributed. A worker
    parses the command line again, so it takes the choice from the controller (``pytest_configure_node``).
    """
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        config.option.loadgroup = workerinput.get("loadgroup", config.option.loadgroup)
    elif getattr(config.option, "numprocesses", None) and config.option.dist == "no":
        config.option.dist = "loadgroup"


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """Tell an xdist worker whether its tests' ``xdist_group`` marks count (see ``pytest_cmdline_main``)."""
    node.workerinput["loadgroup"] = node.config.option.dist == "loadgroup"


#: Session fixtures cheap enough for each xdist worker to build its own (an import), so they group nothing.
CHEAP_SESSION_FIXTURES = {"tf"}


def _shared_state(item: pytest.Item) -> set[str]:
    """What ``item`` shares with other tests that a second xdist worker would have to build again.

    A fixture of the suite's own with module (or class) scope is shared by its module's tests, one with session
    scope by every test that uses it (``graded``: every notebook graded by nbgrader). A test's own
    ``xdist_group`` mark names state a module keeps outside fixtures (``test_mutation.py``'s cache).
    """
    shared = {f"group:{mark.args[0]}" for mark in item.iter_markers("xdist_group")}
    info = getattr(item, "_fixtureinfo", None)
    for name in getattr(item, "fixturenames", ()):
        definitions = info.name2fixturedefs.get(name) if info else None
        if not definitions or not definitions[-1].baseid.startswith("tests"):
            continue  # pytest's and plugins' fixtures (tmp_path_factory, monkeypatch, ...)
        scope = definitions[-1].scope
        if scope in ("module", "class", "package"):
            shared.add(item.nodeid.split("::")[0])
        elif scope == "session" and name not in CHEAP_SESSION_FIXTURES:
            shared.add(f"session:{name}")
    return shared


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests are ``browser`` and ``slow``, before ``-m`` selects; tests that share state share a worker.

    Under ``pytest -n 2`` (``--dist loadgroup``, see ``pytest_cmdline_main``) the tests that share an expensive
    fixture form one ``xdist_group``, which one worker runs, so the fixture is built once, as in a serial run.
    The others are spread one by one.
    """
    for item in items:
        if BROWSER in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    keys = {id(item): sorted(_shared_state(item)) for item in items}
    for shared in keys.values():
        for key in shared[1:]:
            parent[root(key)] = root(shared[0])
    members: dict[str, set[str]] = defaultdict(set)
    for shared in keys.values():
        for key in shared:
            members[root(key)].add(key)
    for item in items:
        if keys[id(item)]:  # one mark per test: xdist would join the names of several into another group
            item.own_markers = [mark for mark in item.own_markers if mark.name != "xdist_group"]
            item.add_marker(pytest.mark.xdist_group(min(members[root(keys[id(item)][0])]).removeprefix("group:")))
