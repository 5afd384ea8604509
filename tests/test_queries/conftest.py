"""Small hand-made graphs, each named for the situation it holds.

Every graph is built from :mod:`graph.schema` records and shaped as
``graph_from_store`` shapes it, so the questions see exactly what they see
on a real store.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import networkx as nx
import pytest

from graph.schema import Edge, Node, NodeKind, RelType
from queries._examples import example_graph, graph_from_records

_KINDS = {kind.prefix: kind for kind in NodeKind}


def node(key: str, name_zh: str | None = None, name_en: str | None = None, **props: object) -> Node:
    """A node whose kind follows from its key prefix, curated, named after its key unless told."""
    kind = _KINDS[key.split(":", 1)[0]]
    slug = key.split(":", 1)[1]
    if kind is NodeKind.COOPERATION:
        props = {"mode": "one-to-one", "status": "active", "year": 2020, **props}
    if kind is NodeKind.DEMAND_UNIT:
        props = {"unit_type": "park", **props}
    return Node(
        key, kind, name_zh or f"{slug}中", name_en or slug.title(), {"provenance": "curated", "basis": "test", **props}
    )


def edge(source: str, rel: str, target: str, **props: object) -> Edge:
    """A curated edge."""
    return Edge(source, RelType(rel), target, {"provenance": "curated", "basis": "test", **props})


def build(nodes: list[Node], edges: list[Edge], *, reverse: bool = False) -> nx.MultiDiGraph:
    """The graph of the records; ``reverse`` adds them in the opposite order, which must not matter."""
    if not reverse:
        return graph_from_records(nodes, edges)
    G = nx.MultiDiGraph()
    for n in reversed(nodes):
        G.add_node(n.key, **n.properties())
    for e in reversed(edges):
        G.add_edge(e.source, e.target, key=e.type.value, type=e.type.value, **e.props)
    return G


def need(unit: str, industry: str) -> tuple[list[Node], list[Edge]]:
    """The need of ``unit`` in ``industry``, keyed as the data model keys it."""
    key = f"need:{unit.split(':')[1]}:{industry.split(':')[1]}"
    return [node(key)], [edge(unit, "HAS_NEED", key), edge(key, "IN_FIELD", industry)]


def coop(
    key: str,
    *,
    partners: tuple[str, ...] = (),
    supporters: tuple[str, ...] = (),
    serves: tuple[str, ...] = (),
    fields: tuple[str, ...] = (),
    status: str = "active",
    **props: object,
) -> tuple[list[Node], list[Edge]]:
    """A cooperation with its partners, supporting departments, units served and fields."""
    edges = [edge(p, "PARTNER_IN", key) for p in partners]
    edges += [edge(d, "SUPPORTS", key) for d in supporters]
    edges += [edge(key, "SERVES", u) for u in serves]
    edges += [edge(key, "IN_FIELD", f) for f in fields]
    return [node(key, status=status, **props)], edges


def records(*parts: tuple[list[Node], list[Edge]] | Node | Edge) -> tuple[list[Node], list[Edge]]:
    """Flatten nodes, edges and (nodes, edges) pairs into one pair of lists."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    for part in parts:
        if isinstance(part, Node):
            nodes.append(part)
        elif isinstance(part, Edge):
            edges.append(part)
        else:
            nodes += part[0]
            edges += part[1]
    return nodes, edges


def reasons_records() -> tuple[list[Node], list[Edge]]:
    """One need per outcome of the coverage rule, and the traps around it.

    * ``need:lab:bio`` is covered (active cooperation, right unit and field);
    * ``need:zone:bio`` has partners in its field that do not serve it;
    * ``need:zone:rice`` has no partner in its field at all;
    * ``need:lab:sea`` would be covered by a stalled and an ended cooperation;
    * ``need:town:bio`` is served only through its parent unit, and in a
      sub-field, neither of which counts;
    * ``need:lab:ai`` has a planned cooperation (covers) whose only partner
      is a department that SUPPORTS it.
    """
    return records(
        node("region:shanghai", "上海市", "Shanghai"),
        node("region:sichuan", "四川省", "Sichuan"),
        node("park:zhangjiang", "张江高新区", "Zhangjiang"),
        node("dept:hitech", "高新技术司", "High-tech department"),
        node("industry:hightech", "高新技术产业", "High-tech industry", is_leading=True),
        node("industry:bio", "生物医药", "Biomedicine"),
        node("industry:genomics", "基因组学", "Genomics"),
        node("industry:rice", "杂交稻", "Hybrid rice"),
        node("industry:sea", "深远海", "Deep sea"),
        node("industry:ai", "人工智能", "AI"),
        node("unit:lab", "实验室", "Lab", unit_type="lab"),
        node("unit:zone", "园区", "Zone"),
        node("unit:town", "镇", "Town", unit_type="county"),
        edge("industry:bio", "PART_OF", "industry:hightech"),
        edge("industry:genomics", "PART_OF", "industry:bio"),
        edge("industry:ai", "PART_OF", "industry:hightech"),
        edge("unit:town", "PART_OF", "unit:zone"),
        edge("park:zhangjiang", "LOCATED_IN", "region:shanghai"),
        need("unit:lab", "industry:bio"),
        need("unit:zone", "industry:bio"),
        need("unit:zone", "industry:rice"),
        need("unit:lab", "industry:sea"),
        need("unit:town", "industry:bio"),
        need("unit:lab", "industry:ai"),
        coop("coop:sh-lab-bio", partners=("region:shanghai",), serves=("unit:lab",), fields=("industry:bio",)),
        coop("coop:zone-genomics", partners=("park:zhangjiang",), serves=("unit:zone",), fields=("industry:genomics",)),
        coop(
            "coop:sea-stalled",
            partners=("region:shanghai",),
            serves=("unit:lab",),
            fields=("industry:sea",),
            status="stalled",
        ),
        coop(
            "coop:sea-ended",
            partners=("region:sichuan",),
            serves=("unit:lab",),
            fields=("industry:sea",),
            status="ended",
        ),
        coop(
            "coop:ai-planned",
            supporters=("dept:hitech",),
            serves=("unit:lab",),
            fields=("industry:ai",),
            status="planned",
        ),
        edge(
            "region:sichuan",
            "SPECIALISES_IN",
            "industry:bio",
            provenance="stated",
            section="二(一)",
            quote="推动四川与海南开展生物医药领域等科技合作",
            basis=None,
        ),
        edge("region:sichuan", "SPECIALISES_IN", "industry:rice"),
        edge("dept:hitech", "HANDLES", "industry:bio"),
        edge("region:shanghai", "SPECIALISES_IN", "industry:bio"),
    )


@pytest.fixture
def reasons_graph() -> nx.MultiDiGraph:
    return build(*reasons_records())


@pytest.fixture
def example() -> nx.MultiDiGraph:
    return example_graph()


@pytest.fixture
def empty_graph() -> nx.MultiDiGraph:
    return nx.MultiDiGraph()


@pytest.fixture
def make_graph() -> Callable[..., nx.MultiDiGraph]:
    """Build a graph from nodes, edges and (nodes, edges) pairs."""

    def make(*parts: tuple[list[Node], list[Edge]] | Node | Edge, reverse: bool = False) -> nx.MultiDiGraph:
        return build(*records(*parts), reverse=reverse)

    return make


@pytest.fixture
def kit() -> SimpleNamespace:
    """The record builders of this file, for tests that make their own graphs."""
    return SimpleNamespace(
        node=node, edge=edge, need=need, coop=coop, records=records, build=build, reasons_records=reasons_records
    )
