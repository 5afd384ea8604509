"""hainet load --bulk: Neo4j's offline importer, on the local test server."""

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import StoreError
from graph.export import node_link_data
from graph.neo4j_bulk import bulk_load
from graph.schema import Edge, Node, NodeKind, RelType
from graph.store import graph_from_store
from loaders.builtin import builtin_records

pytestmark = pytest.mark.neo4j


def test_bulk_gives_the_graph_of_the_online_load(neo4j_store, neo4j_server):
    neo4j_store.write(*builtin_records())
    online = node_link_data(graph_from_store(neo4j_store))
    neo4j_store.clear()
    result = CliRunner().invoke(
        cli, ["--store", neo4j_server["NEO4J_URI"], "load", "--bulk"], env=neo4j_server, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "loaded into" in result.output
    neo4j_store.reconnect()
    assert node_link_data(graph_from_store(neo4j_store)) == online


def test_bulk_refuses_a_database_that_is_not_empty(neo4j_store, neo4j_server):
    neo4j_store.write([Node("region:a", NodeKind.REGION, "甲", "A")], [])
    result = CliRunner().invoke(cli, ["--store", neo4j_server["NEO4J_URI"], "load", "--bulk"], env=neo4j_server)
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert "--bulk loads only into an empty database" in line and "holds 1 nodes" in line
    assert neo4j_store.counts().total_nodes == 1


def test_bulk_keeps_hostile_text_and_property_types(neo4j_store):
    nodes = [
        Node(
            "region:a",
            NodeKind.REGION,
            '引号"和,逗号',
            "line\nbreak",
            {"aliases": ["x;y", "", "z"], "n": 3, "share": 0.5, "flag": False, "empty": ""},
        ),
        Node("region:b", NodeKind.REGION, "乙", "B", {"note": "  spaces  "}),
        Node("region:c", NodeKind.REGION, "丙\r\n第二行", 'C "1",\r', {"note": "中文，逗号\n", "empty": ""}),
        Node("park:d", NodeKind.PARK, "园区", "", {"aliases": ["a\nb", "c"], "note": '""'}),
    ]
    edges = [
        Edge("region:a", RelType.PART_OF, "region:b", {"basis": '"quoted"', "year": 2020}),
        Edge("region:c", RelType.PART_OF, "region:b", {"basis": "第一行\n第二行", "quote": "a,b\r\n"}),
        Edge("park:d", RelType.LOCATED_IN, "region:c"),
    ]
    bulk_load(neo4j_store, nodes, edges)
    neo4j_store.reconnect()
    assert {n.key: n for n in neo4j_store.iter_nodes()} == {n.key: n for n in nodes}
    assert sorted(neo4j_store.iter_edges(), key=str) == sorted(edges, key=str)
    with pytest.raises(StoreError, match="only into an empty database"):
        bulk_load(neo4j_store, nodes, edges)


def test_bulk_refuses_a_relationship_to_a_missing_node_before_the_import(neo4j_store):
    nodes = [Node("region:a", NodeKind.REGION, "甲", "A")]
    edges = [Edge("region:a", RelType.PART_OF, "region:nowhere")]
    with pytest.raises(StoreError, match=r"no node 'region:nowhere'") as failure:
        bulk_load(neo4j_store, nodes, edges)
    assert "\n" not in str(failure.value)
    with pytest.raises(StoreError, match=r"the node 'region:a' twice"):
        bulk_load(neo4j_store, nodes * 2, [])
    assert neo4j_store.counts().total_nodes == 0
    # The empty database loads as before.
    bulk_load(neo4j_store, nodes, [])
    neo4j_store.reconnect()
    assert [n.key for n in neo4j_store.iter_nodes()] == ["region:a"]


def test_bulk_stops_at_a_failed_import_and_the_server_answers_after(neo4j_store):
    # A value larger than the importer's read buffer (4 MiB) makes the importer itself fail.
    nodes = [Node("region:a", NodeKind.REGION, "甲", "A", {"note": "x" * (5 << 20)})]
    with pytest.raises(StoreError, match=r"the offline import into .* failed") as failure:
        bulk_load(neo4j_store, nodes, [])
    assert "\n" not in str(failure.value)
    neo4j_store.reconnect()
    assert neo4j_store.counts().total_nodes == 0
    bulk_load(neo4j_store, [Node("region:b", NodeKind.REGION, "乙", "B")], [])
    neo4j_store.reconnect()
    assert [n.key for n in neo4j_store.iter_nodes()] == ["region:b"]
