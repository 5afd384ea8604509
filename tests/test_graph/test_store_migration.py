"""Stores written by hainet 0.1 (schema version 1) open, migrate once, and then load as usual.

The old stores are made here as hainet 0.1 wrote them: raw SQL with its
tables, no marker, and the provenance property called ``source``; raw
Cypher with no meta node, for Neo4j.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from collections import defaultdict

import networkx as nx
import pytest

from graph.errors import StoreError
from graph.neo4j_meta import META_LABEL
from graph.schema import SCHEMA_VERSION, Edge, Node, NodeKind
from graph.sqlite_file import APPLICATION_ID, file_state
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store, open_store
from loaders.builtin import builtin_records, load_builtin

# The schema of hainet 0.1, verbatim.
V1_SCHEMA = """
CREATE TABLE IF NOT EXISTS nodes (
    key     TEXT PRIMARY KEY,
    kind    TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    props   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nodes_kind ON nodes (kind);
CREATE TABLE IF NOT EXISTS edges (
    source TEXT NOT NULL REFERENCES nodes (key),
    type   TEXT NOT NULL,
    target TEXT NOT NULL REFERENCES nodes (key),
    props  TEXT NOT NULL,
    PRIMARY KEY (source, type, target)
);
CREATE INDEX IF NOT EXISTS edges_type ON edges (type);
CREATE INDEX IF NOT EXISTS edges_target ON edges (target);
"""


def v1_props(props: dict) -> str:
    old = {("source" if k == "document" else k): v for k, v in props.items()}
    return json.dumps(old, ensure_ascii=False, sort_keys=True)


def write_v1_sqlite(path, nodes: list[Node], edges: list[Edge]) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.executemany(
        "INSERT INTO nodes VALUES (?, ?, ?, ?, ?)",
        [(n.key, n.kind.value, n.name_zh, n.name_en, v1_props(n.props)) for n in nodes],
    )
    conn.executemany("INSERT INTO edges VALUES (?, ?, ?, ?)", [(*e.triple, v1_props(e.props)) for e in edges])
    conn.commit()
    conn.close()


def header_numbers(path) -> tuple[int, int]:
    with open(path, "rb") as f:
        header = f.read(100)
    user_version, application_id = struct.unpack(">i4xi", header[60:72])
    return user_version, application_id


@pytest.fixture(scope="module")
def builtin():
    return builtin_records()


def test_a_version_1_sqlite_store_is_recognised_migrated_and_marked(tmp_path, builtin):
    nodes, edges = builtin
    old = tmp_path / "old.sqlite"
    write_v1_sqlite(old, nodes, edges)
    assert file_state(old).kind == "hainet" and file_state(old).version == 1
    assert header_numbers(old) == (0, 0)

    with SQLiteStore(old) as store:
        assert store.schema_version == SCHEMA_VERSION
        migrated = graph_from_store(store)
    assert header_numbers(old) == (SCHEMA_VERSION, APPLICATION_ID)

    with SQLiteStore(tmp_path / "new.sqlite") as fresh:
        load_builtin(fresh)
        expected = graph_from_store(fresh)
    assert nx.utils.graphs_equal(migrated, expected)
    assert all("source" not in attrs and attrs["document"] for _, attrs in migrated.nodes(data=True))
    assert all("source" not in attrs and attrs["document"] for *_, attrs in migrated.edges(data=True))


def test_after_migration_a_load_changes_nothing_and_is_idempotent(tmp_path, builtin):
    nodes, edges = builtin
    old = tmp_path / "old.sqlite"
    write_v1_sqlite(old, nodes, edges)
    with SQLiteStore(old) as store:
        first = load_builtin(store)
        second = load_builtin(store)
        counts = store.counts()
    assert not first.changed and not second.changed
    assert sum(first.unchanged.values()) == len(nodes) + len(edges)
    assert counts.total_nodes == len(nodes) and counts.total_edges == len(edges)


def test_migration_keeps_a_users_own_props_and_runs_once(tmp_path):
    old = tmp_path / "old.sqlite"
    props = {"provenance": "user", "document": "plan.xlsx", "colour": "红"}
    user = Node("region:x", NodeKind.REGION, "某地", "X", props)
    write_v1_sqlite(old, [user], [])
    with SQLiteStore(old) as store:
        assert list(store.iter_nodes()) == [user]
    before = old.read_bytes()
    with SQLiteStore(old) as store:
        assert list(store.iter_nodes()) == [user]
    assert old.read_bytes() == before, "a second open must not write"


def test_a_read_only_version_1_store_is_read_as_version_2_without_a_write(tmp_path, builtin):
    nodes, edges = builtin
    old = tmp_path / "old.sqlite"
    write_v1_sqlite(old, nodes, edges)
    before = old.read_bytes()
    with SQLiteStore(old, read_only=True) as store:
        assert store.read_only and store.schema_version == 1
        graph = graph_from_store(store)
        report = load_builtin(store, dry_run=True)
    assert old.read_bytes() == before
    assert all("source" not in attrs for _, attrs in graph.nodes(data=True))
    assert not report.changed


def test_a_store_of_a_newer_version_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "new.sqlite"
    with SQLiteStore(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}, written by a newer hainet"):
        open_store(str(path))
    assert path.read_bytes() == before


# ----------------------------------------------------------------------------------------------- Neo4j

V1_NODES = "UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) SET n = row"
V1_EDGES = (
    "UNWIND $rows AS row MATCH (a:{source} {{key: row.source}}), (b:{target} {{key: row.target}}) "
    "MERGE (a)-[e:{type}]->(b) SET e = row.props"
)


def write_v1_neo4j(uri: str, nodes: list[Node], edges: list[Edge]) -> None:
    """Write the records as hainet 0.1 did: no meta node, provenance in ``source``."""
    from neo4j import GraphDatabase

    from graph.settings import neo4j_settings

    settings = neo4j_settings(uri)
    kinds = {n.key: n.kind.value for n in nodes}
    by_label: dict[str, list[dict]] = defaultdict(list)
    for n in nodes:
        by_label[n.kind.value].append(
            json.loads(v1_props({**n.props, "key": n.key, "name_zh": n.name_zh, "name_en": n.name_en}))
        )
    by_group: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for e in edges:
        by_group[(e.type.value, kinds[e.source], kinds[e.target])].append(
            {"source": e.source, "target": e.target, "props": json.loads(v1_props(e.props))}
        )
    driver = GraphDatabase.driver(settings.uri, auth=(settings.username, settings.password))
    with driver, driver.session(database=settings.database) as session:
        session.run(f"MATCH (m:{META_LABEL}) DETACH DELETE m").consume()
        for label, rows in by_label.items():
            session.run(V1_NODES.format(label=label), rows=rows).consume()
        for (rel, source, target), rows in by_group.items():
            session.run(V1_EDGES.format(type=rel, source=source, target=target), rows=rows).consume()


def meta_nodes(store) -> list[dict]:
    return [row["props"] for row in store.run(f"MATCH (m:{META_LABEL}) RETURN properties(m) AS props")]


@pytest.mark.neo4j
def test_a_version_1_neo4j_store_is_migrated_on_open_and_then_loads_idempotently(
    neo4j_store, neo4j_server, builtin, tmp_path
):
    nodes, edges = builtin
    write_v1_neo4j(neo4j_server["NEO4J_URI"], nodes, edges)
    assert neo4j_store.run("MATCH (n) WHERE n.source IS NOT NULL RETURN count(n) AS n")[0]["n"] == len(nodes)
    assert meta_nodes(neo4j_store) == []

    from graph.neo4j_store import Neo4jStore

    with Neo4jStore(neo4j_server["NEO4J_URI"]) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert meta_nodes(store) == [{"name": "hainet", "schema_version": SCHEMA_VERSION}]
        assert store.run("MATCH (n) WHERE n.source IS NOT NULL RETURN count(n) AS n")[0]["n"] == 0
        assert store.run("MATCH ()-[r]->() WHERE r.source IS NOT NULL RETURN count(r) AS n")[0]["n"] == 0
        migrated = graph_from_store(store)
        first = load_builtin(store)
        second = load_builtin(store)
        counts = store.counts()
    with SQLiteStore(tmp_path / "fresh.sqlite") as fresh:
        load_builtin(fresh)
        expected = graph_from_store(fresh)
    assert nx.utils.graphs_equal(migrated, expected)
    assert not first.changed and not second.changed
    assert counts.total_nodes == len(nodes) and "HainetMeta" not in counts.nodes


@pytest.mark.neo4j
def test_the_neo4j_meta_node_is_never_data(neo4j_store):
    assert meta_nodes(neo4j_store) == [{"name": "hainet", "schema_version": SCHEMA_VERSION}]
    assert neo4j_store.counts().total_nodes == 0
    assert list(neo4j_store.iter_nodes()) == []
    neo4j_store.clear()
    assert len(meta_nodes(neo4j_store)) == 1


@pytest.mark.neo4j
def test_a_read_only_neo4j_store_of_version_1_is_refused_not_migrated(neo4j_store, neo4j_server, builtin):
    nodes, _ = builtin
    write_v1_neo4j(neo4j_server["NEO4J_URI"], nodes[:3], [])
    from graph.neo4j_store import Neo4jStore

    with pytest.raises(StoreError, match="schema version 1; open it once for writing"):
        Neo4jStore(neo4j_server["NEO4J_URI"], read_only=True)
    assert neo4j_store.run("MATCH (n) WHERE n.source IS NOT NULL RETURN count(n) AS n")[0]["n"] == 3
