"""Every export read back with the tool a user would read it with, and compared with the store's graph.

Nodes are compared by key, relationships as ``(source, type, target)``, and
every attribute by value, on the built-in dataset and on a graph of hostile
names.  Node-link JSON is read by ``networkx.node_link_graph``, GraphML by
``networkx.read_graphml``, the edge-list CSV by the ``csv`` module, and the
planners' templates (csv, xlsx) by loading them into a fresh store.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import HainetError, StoreError
from graph.export import (
    check_reserved,
    graph_to_csv,
    graph_to_graphml,
    graph_to_node_link,
    graph_with_analysis,
    safe_cell,
)
from graph.schema import RESERVED_NAMES, Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from loaders.builtin import load_builtin
from loaders.spreadsheets import export_csv_folder, export_workbook, load_paths

NAMES = [
    '=HYPERLINK("http://example.com","海南")',
    "+86 海口",
    "-负号",
    "@SUM(A1:A2)",
    "'已有撇号",
    "quote \" and ' and `back`",
    "<b>&amp; bold</b> ]]> <!-- -->",
    "emoji 🌴🚀 🇨🇳",
    "逗号, 分号; 竖线 |",
    "spaces  inside,  doubled",
    "e\u0301 combining, ﬁ ligature, 全角ＡＢＣ",
    "x" * 5_000,
    "id",
    "source",
]


def hostile_records() -> tuple[list[Node], list[Edge]]:
    nodes = [
        Node(
            f"region:r{i}",
            NodeKind.REGION,
            name,
            f"Region {name}",
            {"provenance": "user", "document": name, "code": f"{i:06d}"},
        )
        for i, name in enumerate(NAMES)
    ]
    # Line breaks and tabs are allowed in the multi-line text columns (quote, basis), not in names.
    nodes.append(
        Node(
            "industry:i",
            NodeKind.INDUSTRY,
            "=1+1 产业",
            "-Industry",
            {"provenance": "curated", "basis": "@basis\nline break\nand\ttab", "is_leading": True},
        )
    )
    edges = [
        Edge(f"region:r{i}", RelType.PART_OF, f"region:r{i + 1}", {"provenance": "user", "document": NAMES[i]})
        for i in range(len(NAMES) - 1)
    ]
    edges += [
        Edge(f"region:r{i}", RelType.SPECIALISES_IN, "industry:i", {"provenance": "curated", "basis": NAMES[i]})
        for i in range(0, len(NAMES), 3)
    ]
    return nodes, edges


@pytest.fixture(scope="module", params=["builtin", "hostile"])
def store_path(request, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp(request.param) / "g.sqlite"
    with SQLiteStore(path) as store:
        if request.param == "builtin":
            load_builtin(store)
        else:
            store.write(*hostile_records())
    return path


@pytest.fixture(scope="module")
def G(store_path) -> nx.MultiDiGraph:
    with SQLiteStore(store_path) as store:
        return graph_from_store(store)


def triples(H: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(u, k, v) for u, v, k in H.edges(keys=True)}


def expected_node(attrs: dict[str, Any]) -> dict[str, Any]:
    """The node as an export writes it: ``key`` is the id, ``label`` the Chinese name."""
    return {"label": attrs["name_zh"], **{k: v for k, v in attrs.items() if k != "key"}}


def as_text(value: Any) -> Any:
    """A value as GraphML and CSV carry it: lists and dicts as JSON."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, list | dict) else value


def test_node_link_reads_back_through_networkx(G):
    data = json.loads(graph_to_node_link(G))
    H = nx.node_link_graph(data, edges="links")
    assert H.is_directed() and H.is_multigraph()
    assert set(H.nodes) == set(G.nodes)
    for key, attrs in G.nodes(data=True):
        assert H.nodes[key] == expected_node(attrs)
    assert triples(H) == triples(G)
    for u, v, k, attrs in G.edges(keys=True, data=True):
        assert H.edges[u, v, k] == attrs
        assert H.edges[u, v, k]["type"] == k


def test_graphml_reads_back_through_networkx(G, tmp_path):
    path = tmp_path / "g.graphml"
    path.write_text(graph_to_graphml(G), encoding="utf-8")
    H = nx.read_graphml(path, force_multigraph=True)
    assert set(H.nodes) == set(G.nodes)
    for key, attrs in G.nodes(data=True):
        assert H.nodes[key] == {k: as_text(v) for k, v in expected_node(attrs).items()}
    assert triples(H) == triples(G)
    for u, v, k, attrs in G.edges(keys=True, data=True):
        assert H.edges[u, v, k] == {a: as_text(b) for a, b in attrs.items()}


def test_edgelist_csv_reads_back_with_the_csv_module(G, tmp_path):
    for name, text in graph_to_csv(G).items():
        (tmp_path / name).write_text(text, encoding="utf-8")

    def rows(name: str) -> list[dict[str, str]]:
        with open(tmp_path / name, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    def cells(attrs: dict[str, Any]) -> dict[str, str]:
        return {k: str(safe_cell(as_text(v))) for k, v in attrs.items()}

    nodes = {row["key"]: {k: v for k, v in row.items() if v != ""} for row in rows("nodes.csv")}
    assert nodes.keys() == set(G.nodes)
    for key, attrs in G.nodes(data=True):
        assert nodes[key] == cells(attrs)
    edges = {
        (row["source"], row["type"], row["target"]): {k: v for k, v in row.items() if v != ""}
        for row in rows("edges.csv")
    }
    assert set(edges) == triples(G)
    for u, v, k, attrs in G.edges(keys=True, data=True):
        assert edges[u, k, v] == cells({"source": u, "target": v, **attrs})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_load_back_into_a_fresh_store(G, store_path, tmp_path, fmt):
    with SQLiteStore(store_path) as store:
        if fmt == "xlsx":
            [out] = export_workbook(store, tmp_path / "g.xlsx")
        else:
            export_csv_folder(store, tmp_path / "csv")
            out = tmp_path / "csv"
    with SQLiteStore(tmp_path / "fresh.sqlite") as fresh:
        load_paths(fresh, [out])
        H = graph_from_store(fresh)
    assert set(H.nodes) == set(G.nodes) and triples(H) == triples(G)
    assert sorted(H.nodes(data=True)) == sorted(G.nodes(data=True))
    assert sorted(H.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))


def test_graphml_keeps_carriage_returns_that_xml_would_fold(tmp_path):
    H = nx.MultiDiGraph()
    H.add_node("region:a", key="region:a", name_zh="甲\r\n乙\r丙", quote="a\r\nb")
    path = tmp_path / "g.graphml"
    path.write_text(graph_to_graphml(H), encoding="utf-8")
    back = nx.read_graphml(path)
    assert back.nodes["region:a"] == {"label": "甲\r\n乙\r丙", "name_zh": "甲\r\n乙\r丙", "quote": "a\r\nb"}


def test_node_link_and_graphml_carry_the_chinese_name_as_label(G):
    data = json.loads(graph_to_node_link(G))
    assert all(node["label"] == G.nodes[node["id"]]["name_zh"] for node in data["nodes"])
    assert '<key id="d' in graph_to_graphml(G) and 'attr.name="label"' in graph_to_graphml(G)


# ---------------------------------------------------------------------------------------------- reserved


@pytest.mark.parametrize("name", RESERVED_NAMES)
def test_a_reserved_property_name_is_refused_at_write(tmp_path, name):
    node = Node("region:a", NodeKind.REGION, "甲", "A")
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        with pytest.raises(StoreError, match=f"node region:b has a property named '{name}', a name reserved"):
            store.write([Node("region:b", NodeKind.REGION, "乙", "B", {name: "x"})], [])
        with pytest.raises(StoreError, match=f"relationship region:a PART_OF region:a has a property named '{name}'"):
            store.write([node], [Edge("region:a", RelType.PART_OF, "region:a", {name: "x"})])
        assert store.counts().total_nodes == 0


@pytest.mark.parametrize("name", ["id", "source", "target", "label"])
def test_a_graph_with_a_reserved_property_is_not_exported(name):
    H = nx.MultiDiGraph()
    H.add_node("region:a", key="region:a", name_zh="甲", **{name: "x"})
    with pytest.raises(HainetError, match=f"node region:a has a property named '{name}'"):
        check_reserved(H)
    for write in (graph_to_node_link, graph_to_graphml, graph_to_csv):
        with pytest.raises(HainetError):
            write(H)


# --------------------------------------------------------------------------------------------- analysis


@pytest.fixture(scope="module")
def builtin_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("analysis") / "g.sqlite"
    with SQLiteStore(path) as store:
        load_builtin(store)
    return path


def test_export_with_analysis_adds_the_columns_that_read_back(builtin_path, tmp_path):
    from queries.gaps import industry_gaps
    from queries.hubs import hub_scores
    from queries.needs import unmatched_needs

    out = tmp_path / "a.graphml"
    result = CliRunner().invoke(
        cli, ["--store", str(builtin_path), "export", "-f", "graphml", "--with-analysis", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    H = nx.read_graphml(out, force_multigraph=True)
    with SQLiteStore(builtin_path) as store:
        G = graph_from_store(store)
    gaps = industry_gaps(G).set_index("industry_key")
    for industry, row in gaps.iterrows():
        assert H.nodes[industry]["coverage_status"] == row["status"]
        assert H.nodes[industry]["n_partners"] == row["n_partners"]
        assert H.nodes[industry]["single_partner"] == (row["status"] == "single-partner")
    hubs = hub_scores(G).set_index("actor_key")
    for actor, row in hubs.iterrows():
        assert H.nodes[actor]["pagerank"] == pytest.approx(row["pagerank"])
        assert H.nodes[actor]["community"] == row["community"]
    unmatched = unmatched_needs(G).set_index("need_key")
    needs = [k for k, kind in G.nodes(data="kind") if kind == "Need"]
    assert len(unmatched) and set(needs) > set(unmatched.index)
    for need in needs:
        listed = need in unmatched.index
        assert H.nodes[need]["unmatched_need"] == listed
        assert H.nodes[need]["coverage_status"] == (unmatched.loc[need, "status"] if listed else "covered")
        assert H.nodes[need].get("unmatched_reason") == (unmatched.loc[need, "missing"] if listed else None)
    # Nodes no question speaks of get no analysis columns; the data is otherwise the plain export's.
    assert "pagerank" not in H.nodes["source:mechanism-2020"]
    assert triples(H) == triples(G)


def test_analysis_columns_never_replace_a_property(builtin_path):
    with SQLiteStore(builtin_path) as store:
        G = graph_from_store(store)
    G.nodes["region:shanghai"]["pagerank"] = 1.0
    with pytest.raises(HainetError, match="would replace the properties pagerank"):
        graph_with_analysis(G)


def test_with_analysis_and_evidence_do_not_apply_to_template_formats(builtin_path, tmp_path):
    result = CliRunner().invoke(
        cli, ["--store", str(builtin_path), "export", "-f", "xlsx", "--with-analysis", "-o", str(tmp_path / "g.xlsx")]
    )
    assert result.exit_code == 2 and "not to xlsx" in result.output
    assert not (tmp_path / "g.xlsx").exists()


# --------------------------------------------------------------------------------------------- evidence


@pytest.mark.parametrize("evidence", ["stated", "curated"])
def test_export_at_an_evidence_level_holds_exactly_graph_at(builtin_path, evidence):
    from graph.evidence import allowed_levels, graph_at

    result = CliRunner().invoke(cli, ["--store", str(builtin_path), "export", "--evidence", evidence])
    assert result.exit_code == 0, result.output
    H = nx.node_link_graph(json.loads(result.output), edges="links")
    with SQLiteStore(builtin_path) as store:
        G = graph_from_store(store)
    expected = graph_at(G, evidence=evidence)
    assert set(H.nodes) == set(expected.nodes) and triples(H) == triples(expected)
    assert {attrs["provenance"] for _, attrs in H.nodes(data=True)} <= set(allowed_levels(evidence))
    assert {attrs["provenance"] for *_, attrs in H.edges(data=True)} <= set(allowed_levels(evidence))
    if evidence == "stated":
        assert H.number_of_edges() < G.number_of_edges() and "industry:modern-services" in H


@pytest.mark.neo4j
def test_neo4j_refuses_a_reserved_property_name(neo4j_store):
    with pytest.raises(StoreError, match="node region:b has a property named 'label', a name reserved"):
        neo4j_store.write([Node("region:b", NodeKind.REGION, "乙", "B", {"label": "x"})], [])
    assert neo4j_store.counts().total_nodes == 0
