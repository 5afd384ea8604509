"""graph_from_store reads a store in columns and gives exactly the graph that record-by-record reading gives."""

import networkx as nx
import pytest

from graph.schema import Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from graph.store import Store, graph_from_rows, graph_from_store
from loaders.builtin import builtin_records


def graph_record_by_record(store: Store) -> nx.MultiDiGraph:
    """The graph built one record at a time through networkx's public API, as the reader used to."""
    G = nx.MultiDiGraph()
    for node in store.iter_nodes():
        G.add_node(node.key, **node.properties())
    for edge in store.iter_edges():
        G.add_edge(edge.source, edge.target, key=edge.type.value, type=edge.type.value, **edge.props)
    return G


def assert_same_graph(G: nx.MultiDiGraph, H: nx.MultiDiGraph, *, attribute_order: bool = True) -> None:
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))
    assert list(G.in_edges(keys=True, data=True)) == list(H.in_edges(keys=True, data=True))
    for n in G:
        assert list(G.predecessors(n)) == list(H.predecessors(n))
        if attribute_order:
            assert list(G.nodes[n]) == list(H.nodes[n])
    assert nx.utils.graphs_equal(G, H)


def test_builtin_dataset_reads_as_record_by_record(tmp_path):
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        store.write(*builtin_records())
        G = graph_from_store(store)
        assert_same_graph(G, graph_record_by_record(store))
    assert G.number_of_edges() > 100


def test_hostile_and_parallel_records(tmp_path):
    nodes = [
        Node("region:b", NodeKind.REGION, "乙", "B", {"aliases": ["x", "y"], "weight": 1.5, "flag": True}),
        Node("region:a", NodeKind.REGION, '"\\\n', "</script>", {"note": "\u2028\u00a0", "empty": ""}),
        Node("park:a", NodeKind.PARK, "园", "Park", {}),
    ]
    edges = [
        Edge("park:a", RelType.LOCATED_IN, "region:a", {"basis": "x"}),
        Edge("park:a", RelType.PART_OF, "region:a", {}),
        Edge("region:b", RelType.PART_OF, "region:a", {"n": [1, 2]}),
    ]
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        store.write(nodes, edges)
        G = graph_from_store(store)
        assert_same_graph(G, graph_record_by_record(store))
    assert set(G["park:a"]["region:a"]) == {"LOCATED_IN", "PART_OF"}
    assert G.nodes["region:a"]["note"] == "\u2028\u00a0"


def test_an_empty_store_is_an_empty_graph(tmp_path):
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        G = graph_from_store(store)
    assert (G.number_of_nodes(), G.number_of_edges()) == (0, 0)


def test_rows_with_an_unknown_endpoint_add_it_bare_as_networkx_does():
    G = graph_from_rows([("a", {"kind": "Park"})], [("a", "b", "X", {"type": "X"}), ("c", "a", "X", {"type": "X"})])
    H = nx.MultiDiGraph()
    H.add_node("a", kind="Park")
    H.add_edge("a", "b", key="X", type="X")
    H.add_edge("c", "a", key="X", type="X")
    assert_same_graph(G, H)
    G.add_edge("b", "c", key="Y")
    G.remove_node("a")
    assert list(G.edges(keys=True)) == [("b", "c", "Y")]


def test_rows_in_any_order_give_what_add_edge_gives():
    # The reader looks a source up once per run of equal sources; rows out of order must still land right.
    rows = [("b", "a", "X"), ("a", "b", "X"), ("b", "c", "Y"), ("b", "a", "Y"), ("d", "d", "X"), ("a", "b", "Y")]
    G = graph_from_rows([("a", {}), ("b", {})], [(s, t, r, {"type": r}) for s, t, r in rows])
    H = nx.MultiDiGraph()
    H.add_nodes_from(["a", "b"])
    for s, t, r in rows:
        H.add_edge(s, t, key=r, type=r)
    assert_same_graph(G, H)


@pytest.mark.neo4j
def test_neo4j_reads_in_columns_as_record_by_record(neo4j_store, tmp_path):
    neo4j_store.write(*builtin_records())
    G = graph_from_store(neo4j_store)
    # A Neo4j map has no order; the column reader sorts properties by name, as the embedded store does.
    assert_same_graph(G, graph_record_by_record(neo4j_store), attribute_order=False)
    with SQLiteStore(tmp_path / "g.sqlite") as embedded:
        embedded.write(*builtin_records())
        assert_same_graph(G, graph_from_store(embedded))


def test_rows_with_the_same_properties_do_not_share_what_they_hold(tmp_path):
    # Equal property texts are decoded once; no two rows may end up holding the same dict or list.
    props = {"basis": "同一依据", "provenance": "curated"}
    listed = {"aliases": ["甲", "乙"], "provenance": "curated"}
    nodes = [Node(f"park:p{i}", NodeKind.PARK, f"园区{i}", f"Park {i}", dict(listed)) for i in range(3)]
    edges = [Edge(f"park:p{i}", RelType.LOCATED_IN, "park:p0", dict(props)) for i in (1, 2)]
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        store.write(nodes, edges)
        G = graph_from_store(store)
    G.nodes["park:p1"]["aliases"].append("丙")
    G.edges["park:p1", "park:p0", "LOCATED_IN"]["basis"] = "改过"
    assert G.nodes["park:p2"]["aliases"] == ["甲", "乙"]
    assert G.edges["park:p2", "park:p0", "LOCATED_IN"]["basis"] == "同一依据"
