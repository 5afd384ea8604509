"""Fixtures shared by every test package: the store guard, the local Neo4j server, headless Chromium.

Every test runs with ``HAINET_STORE`` and ``XDG_DATA_HOME`` pointed at a
temporary folder, and fails if the user's own default store changed.

Tests marked ``neo4j`` use the server named by ``NEO4J_URI``; when it is unset,
the session starts one with ``scripts/neo4j-local``.  Tests marked
``browser`` use Debian's Chromium.  With ``CI=true`` a server or browser
that cannot be had fails those tests instead of skipping them.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from ci_policy import missing
from render_fixtures import launched_chromium, offline_opener

ROOT = Path(__file__).resolve().parent.parent
NEO4J_LOCAL = ROOT / "scripts" / "neo4j-local"
#: Port of the server the test session starts, away from a developer's own 7687.
TEST_PORT = os.environ.get("HAINET_TEST_NEO4J_PORT", "7697")
#: Port of the server with Graph Data Science that the tests of ``graph.gds_server`` start.
GDS_TEST_PORT = os.environ.get("HAINET_TEST_GDS_PORT", "7708")


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """Set environment variables for the duration, then restore them as they were."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


#: The user's own default store folder, which no test may touch.
USER_DATA = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "hainet"


def _snapshot(folder: Path) -> list[tuple[str, int, int]]:
    if not folder.exists():
        return []
    return sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*"))


@pytest.fixture(scope="session", autouse=True)
def _private_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point every default store location of this run at a temporary folder."""
    home = tmp_path_factory.mktemp("hainet-data")
    with environment(XDG_DATA_HOME=str(home), HAINET_STORE=str(home / "default-store.sqlite")):
        yield


@pytest.fixture(autouse=True)
def _user_store_untouched() -> Iterator[None]:
    """Fail a test that writes into the user's own default store folder."""
    before = _snapshot(USER_DATA)
    yield
    assert _snapshot(USER_DATA) == before, f"a test changed the user's default store folder {USER_DATA}"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Yield a headless Chromium browser, one per test module."""
    yield from launched_chromium()


@pytest.fixture
def offline_page(chromium: Any) -> Iterator[Any]:
    """Yield a function that opens a file:// page with every other request refused."""
    yield from offline_opener(chromium)


def local_neo4j(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(NEO4J_LOCAL), command],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[dict[str, str]]:
    """Yield ``NEO4J_URI``, ``NEO4J_USERNAME`` and ``NEO4J_PASSWORD`` of a running server."""
    if os.environ.get("NEO4J_URI"):
        yield {k: os.environ[k] for k in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD") if k in os.environ}
        return
    started = local_neo4j("start", NEO4J_LOCAL_PORT=TEST_PORT)
    if started.returncode != 0:
        missing(f"no Neo4j server: scripts/neo4j-local start failed:\n{started.stderr[-2000:]}")
    words = shlex.split(started.stdout)  # the lines are shell-evaluable, perhaps quoted
    settings = dict(word.split("=", 1) for word in words if "=" in word)
    try:
        with environment(**settings):
            yield settings
    finally:
        local_neo4j("stop", NEO4J_LOCAL_PORT=TEST_PORT)


@pytest.fixture(scope="session")
def gds_server() -> Iterator[dict[str, str]]:
    """Yield the settings of a running server with Graph Data Science (``NEO4J_LOCAL_GDS=1``).

    ``HAINET_TEST_GDS_URI`` names one already running (with ``NEO4J_USERNAME``
    and ``NEO4J_PASSWORD``); otherwise a local one is started on
    ``HAINET_TEST_GDS_PORT`` and stopped at the end.  The default test server
    runs without GDS, so these tests do not use it.
    """
    if os.environ.get("HAINET_TEST_GDS_URI"):
        yield {
            "NEO4J_URI": os.environ["HAINET_TEST_GDS_URI"],
            **{k: os.environ[k] for k in ("NEO4J_USERNAME", "NEO4J_PASSWORD") if k in os.environ},
        }
        return
    started = local_neo4j("start", NEO4J_LOCAL_PORT=GDS_TEST_PORT, NEO4J_LOCAL_GDS="1")
    if started.returncode != 0:
        missing(
            f"no Neo4j server with GDS: NEO4J_LOCAL_GDS=1 scripts/neo4j-local start failed:\n{started.stderr[-2000:]}"
        )
    words = shlex.split(started.stdout)
    try:
        yield dict(word.split("=", 1) for word in words if "=" in word)
    finally:
        local_neo4j("stop", NEO4J_LOCAL_PORT=GDS_TEST_PORT)


@pytest.fixture
def gds_store(gds_server: dict[str, str]) -> Iterator[object]:
    """Yield an empty :class:`graph.neo4j_store.Neo4jStore` on the server with GDS, its settings in the environment."""
    from graph.neo4j_store import Neo4jStore

    with environment(**gds_server):
        store = Neo4jStore(gds_server["NEO4J_URI"])
        store.clear()
        try:
            yield store
        finally:
            store.clear()
            store.close()


@pytest.fixture
def neo4j_store(neo4j_server: dict[str, str]) -> Iterator[object]:
    """Yield an empty :class:`graph.neo4j_store.Neo4jStore` on the test server."""
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_server["NEO4J_URI"])
    store.clear()
    try:
        yield store
    finally:
        store.clear()
        store.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Tests that need the server get it through the marker alone.
    for item in items:
        # Tests on the server with Graph Data Science bring their own (gds_server).
        names = getattr(item, "fixturenames", ())
        if item.get_closest_marker("neo4j") and "neo4j_server" not in names and "gds_server" not in names:
            # A new list: parametrized items of one test share theirs, and the others must not start the server.
            item.fixturenames = [*item.fixturenames, "neo4j_server"]  # type: ignore[attr-defined]
