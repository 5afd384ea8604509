"""The one industry roll-up, and the map's two industry views that use it."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.fields import industry_parents, rolled_up, subfields, superfields
from graph.render import industry_subgraph
from graph.render_map import _node_industries
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from loaders.builtin import builtin_records


def _tree() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for k in ("industry:top", "industry:mid", "industry:leaf", "industry:other"):
        G.add_node(k, kind="Industry", name_zh=k, name_en=k)
    G.add_node("region:r", kind="Region", name_zh="r", name_en="r")
    G.add_edge("industry:mid", "industry:top", key="PART_OF", type="PART_OF")
    G.add_edge("industry:leaf", "industry:mid", key="PART_OF", type="PART_OF")
    G.add_edge("region:r", "industry:leaf", key="PART_OF", type="PART_OF")  # not between industries: ignored
    return G


def test_parents_and_closures():
    G = _tree()
    assert dict(industry_parents(G)) == {"industry:mid": {"industry:top"}, "industry:leaf": {"industry:mid"}}
    up = superfields(G)
    assert up["industry:leaf"] == {"industry:leaf", "industry:mid", "industry:top"}
    assert up["industry:other"] == {"industry:other"}
    assert subfields(G, "industry:top") == {"industry:top", "industry:mid", "industry:leaf"}
    assert subfields(G, "industry:leaf") == {"industry:leaf"}
    assert rolled_up(["industry:mid", "industry:other"], up) == {"industry:mid", "industry:top", "industry:other"}


@pytest.fixture(scope="module")
def builtin_graph(tmp_path_factory):
    with SQLiteStore(tmp_path_factory.mktemp("fields") / "h.sqlite") as store:
        store.write(*builtin_records())
        return graph_from_store(store)


def test_the_maps_in_page_filter_shows_what_the_industry_view_shows(builtin_graph):
    G = builtin_graph
    tagged = _node_industries(G)
    industries = sorted(k for k, kind in G.nodes(data="kind") if kind == "Industry")
    assert industries
    for industry in industries:
        in_page = {n for n, about in tagged.items() if industry in about}
        assert in_page == set(industry_subgraph(G, industry)), industry


def test_a_partner_in_a_sub_field_is_shown_under_the_parent(builtin_graph):
    G = builtin_graph
    tagged = _node_industries(G)
    tourism = next(k for k, a in G.nodes(data=True) if a.get("name_zh") == "旅游业")
    subs = subfields(G, tourism) - {tourism}
    assert subs, "the built-in data rolls sub-fields up into 旅游业"
    partners = {
        p
        for p, c, rel in G.edges(keys=True)
        if rel == "PARTNER_IN" and any(v in subs for _, v, r in G.out_edges(c, keys=True) if r == "IN_FIELD")
    }
    assert partners
    assert all(tourism in tagged[p] for p in partners)
