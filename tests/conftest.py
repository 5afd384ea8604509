"""Fixtures shared by every test package: the local Neo4j server and a clean store on it.

Tests marked ``neo4j`` use the server named by ``NEO4J_URI``; when it is unset,
the session starts one with ``scripts/neo4j-local``.  With ``CI=true`` a server
that cannot be had fails those tests instead of skipping them.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from ci_policy import missing

ROOT = Path(__file__).resolve().parent.parent
NEO4J_LOCAL = ROOT / "scripts" / "neo4j-local"
#: Port of the server the test session starts, away from a developer's own 7687.
TEST_PORT = os.environ.get("HAINET_TEST_NEO4J_PORT", "7697")


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
    saved = {k: os.environ.get(k) for k in settings}
    os.environ.update(settings)
    try:
        yield settings
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        local_neo4j("stop", NEO4J_LOCAL_PORT=TEST_PORT)


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
        if item.get_closest_marker("neo4j") and "neo4j_server" not in getattr(item, "fixturenames", ()):
            # A new list: parametrized items of one test share theirs, and the others must not start the server.
            item.fixturenames = [*item.fixturenames, "neo4j_server"]  # type: ignore[attr-defined]
