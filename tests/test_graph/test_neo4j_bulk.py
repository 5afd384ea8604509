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
    ]
    edges = [Edge("region:a", RelType.PART_OF, "region:b", {"basis": '"quoted"', "year": 2020})]
    bulk_load(neo4j_store, nodes, edges)
    neo4j_store.reconnect()
    assert {n.key: n for n in neo4j_store.iter_nodes()} == {n.key: n for n in nodes}
    assert list(neo4j_store.iter_edges()) == edges
    with pytest.raises(StoreError, match="only into an empty database"):
        bulk_load(neo4j_store, nodes, edges)


def test_bulk_stops_at_a_bad_record_and_the_server_answers_after(neo4j_store):
    nodes = [Node("region:a", NodeKind.REGION, "甲", "A")]
    edges = [Edge("region:a", RelType.PART_OF, "region:nowhere")]
    with pytest.raises(StoreError, match=r"the offline import into .* failed") as failure:
        bulk_load(neo4j_store, nodes, edges)
    assert "\n" not in str(failure.value)
    neo4j_store.reconnect()
    assert neo4j_store.counts().total_edges == 0
    # The empty database loads as before.
    bulk_load(neo4j_store, nodes, [])
    neo4j_store.reconnect()
    assert [n.key for n in neo4j_store.iter_nodes()] == ["region:a"]
