"""Tests of the Neo4j store against a real Neo4j server (no mocks).

The session server comes from ``tests/conftest.py``; the test that stops a
server in the middle of a load starts a second one of its own with
``scripts/neo4j-local`` on port ``HAINET_TEST_NEO4J_STOP_PORT`` (7698).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import StoreError, StoreUnavailableError
from graph.export import node_link_data
from graph.neo4j_store import Neo4jStore
from graph.schema import Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from loaders.builtin import builtin_records, load_builtin

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
NEO4J_LOCAL = ROOT / "scripts" / "neo4j-local"
STOP_PORT = os.environ.get("HAINET_TEST_NEO4J_STOP_PORT", "7698")

# Labels come from the schema enum; every value would travel as a parameter.
DUPLICATE_KEYS = "MATCH (n:{label}) WITH n.key AS k, count(*) AS c WHERE c > 1 RETURN count(*) AS dups"
DUPLICATE_RELATIONSHIPS = (
    "MATCH (a)-[r]->(b) WITH a, type(r) AS t, b, count(*) AS c WHERE c > 1 RETURN count(*) AS dups"
)

HOSTILE = [
    'it\'s "quoted"',
    "back`tick` `n`",
    "'}) DETACH DELETE n //",
    '"}) MATCH (m) DETACH DELETE m RETURN 1 //',
    "$(rm -rf /) `whoami` ${HOME}",
    "{key: $key} $rows[0]",
    "\\ backslash \\' \\u0041",
    "海南自由贸易港 · 开放创新",
    "emoji 🌴🚀👩🏽‍🔬 flags 🇨🇳",
    "line\nbreak\r\ncarriage\ttab",
    "nul \x00 inside, and \x01\x07\x1b\x7f controls",
    "\u202eright-to-left override\u202c, zero\u200bwidth, e\u0301",
    "x" * 100_000,
    "",
]


def synthetic_graph(
    regions: int, *, first: int = 0, industries: int = 50, per_region: int = 9
) -> tuple[list[Node], Iterator[Edge]]:
    """Regions ``first`` .. ``first + regions - 1``, industries, and SPECIALISES_IN between them."""
    basis = {"provenance": "curated", "basis": "test record"}
    nodes = [
        Node(f"industry:i{j:03d}", NodeKind.INDUSTRY, f"产业{j}", f"Industry {j}", basis) for j in range(industries)
    ]
    nodes += [
        Node(f"region:r{i:06d}", NodeKind.REGION, f"地区{i}", f"Region {i}", {**basis, "rank": i})
        for i in range(first, first + regions)
    ]

    def edges() -> Iterator[Edge]:
        for i in range(first, first + regions):
            for k in range(per_region):
                yield Edge(
                    f"region:r{i:06d}",
                    RelType.SPECIALISES_IN,
                    f"industry:i{(i + k) % industries:03d}",
                    {**basis, "weight": k},
                )

    return nodes, edges()


def assert_no_duplicates(store: Neo4jStore) -> None:
    for kind in NodeKind:
        assert store.run(DUPLICATE_KEYS.format(label=kind.value)) == [{"dups": 0}], kind
    assert store.run(DUPLICATE_RELATIONSHIPS) == [{"dups": 0}]


# --- Round trip ------------------------------------------------------------------------


def test_builtin_dataset_round_trips_to_the_same_graph_as_the_embedded_store(neo4j_store, tmp_path):
    nodes, _ = builtin_records()
    with SQLiteStore(tmp_path / "g.sqlite") as embedded:
        load_builtin(embedded)
        expected = node_link_data(graph_from_store(embedded))
        embedded_counts = embedded.counts()
    load_builtin(neo4j_store)

    assert neo4j_store.counts() == embedded_counts
    assert neo4j_store.counts().total_nodes == len(nodes) > 150
    actual = node_link_data(graph_from_store(neo4j_store))
    assert actual["nodes"] == expected["nodes"]
    assert actual["links"] == expected["links"]
    assert actual == expected


def test_records_read_back_with_their_types(neo4j_store):
    node = Node(
        "industry:x",
        NodeKind.INDUSTRY,
        "产业",
        "Industry",
        {"is_leading": True, "year": 2020, "share": 0.25, "tags": ["a", "b"], "flag": False},
    )
    other = Node("region:y", NodeKind.REGION, "地区", "Region", {"n": 1})
    edge = Edge("region:y", RelType.SPECIALISES_IN, "industry:x", {"weight": 1.0, "years": [2020, 2021]})
    neo4j_store.write([node, other], [edge])

    back = {n.key: n for n in neo4j_store.iter_nodes()}
    assert back["industry:x"] == node
    assert type(back["industry:x"].props["is_leading"]) is bool
    assert type(back["industry:x"].props["year"]) is int
    [stored] = list(neo4j_store.iter_edges())
    assert stored == edge
    assert type(stored.props["weight"]) is float


# --- Idempotence and reports -------------------------------------------------------------


def test_loading_twice_gives_the_same_counts_and_changes_nothing(neo4j_store):
    nodes, edges = builtin_records()
    first = load_builtin(neo4j_store)
    counts = neo4j_store.counts()
    second = load_builtin(neo4j_store)

    assert neo4j_store.counts() == counts
    assert sum(first.added.values()) == len(nodes) + len(edges)
    assert not first.updated
    assert not +second.added and not +second.updated
    assert not second.changed
    assert sum(second.unchanged.values()) == len(nodes) + len(edges)
    assert dict(second.unchanged) == {**counts.nodes, **counts.edges}


def test_report_tells_added_updated_and_unchanged_apart(neo4j_store):
    a = Node("region:a", NodeKind.REGION, "甲", "A", {"provenance": "user"})
    b = Node("region:b", NodeKind.REGION, "乙", "B", {"provenance": "user"})
    bare = Edge("region:a", RelType.PART_OF, "region:b")  # no properties at all
    neo4j_store.write([a, b], [bare])

    c = Node("region:c", NodeKind.REGION, "丙", "C", {"provenance": "user"})
    renamed = Node("region:b", NodeKind.REGION, "乙", "B2", {"provenance": "user"})
    described = Edge("region:a", RelType.PART_OF, "region:b", {"basis": "map"})
    report = neo4j_store.write([a, renamed, c], [described, Edge("region:c", RelType.PART_OF, "region:a")])

    assert dict(report.added) == {"Region": 1, "PART_OF": 1}
    assert dict(report.updated) == {"Region": 1, "PART_OF": 1}
    assert dict(report.unchanged) == {"Region": 1}
    assert {n.key: n.name_en for n in neo4j_store.iter_nodes()} == {"region:a": "A", "region:b": "B2", "region:c": "C"}
    # A property dropped from a record is dropped from the store: records replace.
    again = neo4j_store.write([], [bare])
    assert dict(again.updated) == {"PART_OF": 1}
    assert [e.props for e in neo4j_store.iter_edges(RelType.PART_OF) if e.source == "region:a"] == [{}]
    stored = neo4j_store.run("MATCH (n) WHERE n._hainet_new IS NOT NULL RETURN count(n) AS n")
    assert stored == [{"n": 0}]


def test_dry_run_reports_and_writes_nothing(neo4j_store):
    nodes, edges = builtin_records()
    report = neo4j_store.write(nodes, edges, dry_run=True)
    assert neo4j_store.counts().total_nodes == 0
    assert neo4j_store.counts().total_edges == 0
    assert sum(report.added.values()) == len(nodes) + len(edges)

    neo4j_store.write(nodes, edges)
    before = node_link_data(graph_from_store(neo4j_store))
    changed = Node(nodes[0].key, nodes[0].kind, nodes[0].name_zh, "changed in a dry run", nodes[0].props)
    new = Node("region:dry-run", NodeKind.REGION, "试", "Dry run", {"provenance": "user"})
    report = neo4j_store.write([changed, *nodes[1:], new], edges, dry_run=True)

    assert sum(report.updated.values()) == 1
    assert sum(report.added.values()) == 1
    assert sum(report.unchanged.values()) == len(nodes) - 1 + len(edges)
    assert node_link_data(graph_from_store(neo4j_store)) == before


def test_an_edge_to_a_missing_node_is_an_error(neo4j_store):
    neo4j_store.write([Node("region:a", NodeKind.REGION, "甲", "A")], [])
    with pytest.raises(StoreError, match="1 PART_OF relationships name a node that does not exist"):
        neo4j_store.write([], [Edge("region:a", RelType.PART_OF, "region:nowhere")])
    assert neo4j_store.counts().total_edges == 0


def test_values_neo4j_cannot_keep_are_refused(neo4j_store):
    with pytest.raises(StoreError, match="property 'where' holds dict"):
        neo4j_store.write([Node("region:a", NodeKind.REGION, "甲", "A", {"where": {"x": 1}})], [])
    with pytest.raises(StoreError, match="surrogates not allowed"):
        neo4j_store.write([Node("region:b", NodeKind.REGION, "\ud800", "B")], [])
    assert neo4j_store.counts().total_nodes == 0


# --- Hostile text -------------------------------------------------------------------------


def test_hostile_names_are_stored_verbatim_and_change_nothing_else(neo4j_store):
    load_builtin(neo4j_store)
    counts = neo4j_store.counts()
    hostile = [
        Node(f"region:hostile-{i}", NodeKind.REGION, text, text[::-1], {"note": text, "aliases": [text, "x"]})
        for i, text in enumerate(HOSTILE)
    ]
    hostile.append(Node("region:'}) DETACH DELETE n //", NodeKind.REGION, "键", "key", {"note": "key"}))
    edges = [
        Edge(hostile[i].key, RelType.LOCATED_IN, "region:hainan", {"quote": text}) for i, text in enumerate(HOSTILE)
    ]
    report = neo4j_store.write(hostile, edges)

    assert report.added["Region"] == len(hostile)
    after = neo4j_store.counts()
    assert after.nodes == {**counts.nodes, "Region": counts.nodes["Region"] + len(hostile)}
    assert after.edges == {**counts.edges, "LOCATED_IN": counts.edges["LOCATED_IN"] + len(edges)}
    stored = {n.key: n for n in neo4j_store.iter_nodes(NodeKind.REGION)}
    for node in hostile:
        assert stored[node.key] == node
    assert stored["region:hostile-12"].name_zh == "x" * 100_000
    assert stored["region:hostile-10"].name_zh.count("\x00") == 1  # NUL is storable in Neo4j 5
    quotes = {e.source: e.props.get("quote") for e in neo4j_store.iter_edges(RelType.LOCATED_IN)}
    assert all(quotes[e.source] == e.props["quote"] for e in edges)
    # The rest of the graph is untouched.
    builtin = {n.key for n in builtin_records()[0]}
    assert builtin <= set(n.key for n in neo4j_store.iter_nodes())


# --- Concurrency ------------------------------------------------------------------------


def test_two_loaders_at_once_leave_no_duplicates(neo4j_server):
    # Overlapping halves: regions 0-2999 and 1500-4499, the same industries.
    loads = [synthetic_graph(3000), synthetic_graph(3000, first=1500)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def load(nodes: list[Node], edges: Iterator[Edge], reverse: bool) -> None:
        try:
            with Neo4jStore(neo4j_server["NEO4J_URI"], batch_size=500) as store:
                barrier.wait()
                store.write(nodes[::-1] if reverse else nodes, reversed(list(edges)) if reverse else edges)
        except BaseException as e:  # re-raised in the test's thread below
            errors.append(e)

    with Neo4jStore(neo4j_server["NEO4J_URI"]) as store:
        store.clear()
        threads = [threading.Thread(target=load, args=(*records, i == 1)) for i, records in enumerate(loads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        try:
            counts = store.counts()
            assert counts.nodes == {"Industry": 50, "Region": 4500}
            assert counts.edges == {"SPECIALISES_IN": 4500 * 9}
            assert_no_duplicates(store)
        finally:
            store.clear()


# --- A server stopped in the middle of a load ----------------------------------------------


def local_neo4j(command: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEO4J_LOCAL_PORT": STOP_PORT, "NEO4J_LOCAL_DATA": str(data)}
    return subprocess.run(
        ["bash", str(NEO4J_LOCAL), command], env=env, capture_output=True, text=True, timeout=600, check=False
    )


def started(data: Path) -> dict[str, str]:
    result = local_neo4j("start", data)
    if result.returncode != 0:
        pytest.fail(f"scripts/neo4j-local start failed on port {STOP_PORT}:\n{result.stderr[-2000:]}")
    return dict(word.split("=", 1) for word in shlex.split(result.stdout) if "=" in word)


def test_a_load_cut_by_a_server_stop_fails_cleanly_and_a_rerun_completes_it(tmp_path, monkeypatch):
    data = tmp_path / "neo4j-data"
    regions, per_region = 20_000, 9  # 20 050 nodes and 180 000 relationships
    expected_nodes, expected_edges = regions + 50, regions * per_region
    settings = started(data)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    try:
        stop_requested, stopped = threading.Event(), threading.Event()

        def stop_server() -> None:
            local_neo4j("stop", data)
            stopped.set()

        def progress(done: int, total: int | None) -> None:
            # Once some batches have landed, stop the server and wait until it is down,
            # so that the rest of the load meets a dead server.
            if done >= 20_000 and not stop_requested.is_set():
                stop_requested.set()
                threading.Thread(target=stop_server, daemon=True).start()
                stopped.wait(timeout=120)

        store = Neo4jStore(settings["NEO4J_URI"], batch_size=1000)
        store.clear()
        with pytest.raises(StoreUnavailableError) as failure:
            store.write(*synthetic_graph(regions, per_region=per_region), progress=progress)
        store.close()
        assert stopped.is_set()
        message = str(failure.value)
        assert "\n" not in message and settings["NEO4J_PASSWORD"] not in message
        assert settings["NEO4J_URI"] in message

        settings = started(data)  # the same data folder
        with Neo4jStore(settings["NEO4J_URI"], batch_size=1000) as store:
            partial = store.counts()
            assert 20_000 <= partial.total_nodes + partial.total_edges < expected_nodes + expected_edges
            report = store.write(*synthetic_graph(regions, per_region=per_region))
            counts = store.counts()
            assert counts.nodes == {"Industry": 50, "Region": regions}
            assert counts.edges == {"SPECIALISES_IN": expected_edges}
            assert_no_duplicates(store)
            # What landed before the stop is found unchanged, the rest is added.
            landed = partial.total_nodes + partial.total_edges
            assert sum(report.unchanged.values()) == landed
            assert sum(report.added.values()) == expected_nodes + expected_edges - landed
    finally:
        local_neo4j("stop", data)


def test_counts_per_kind_match_the_records(neo4j_store):
    nodes, edges = builtin_records()
    neo4j_store.write(nodes, edges)
    counts = neo4j_store.counts()
    assert counts.nodes == dict(sorted(Counter(n.kind.value for n in nodes).items()))
    assert counts.edges == dict(sorted(Counter(e.type.value for e in edges).items()))
