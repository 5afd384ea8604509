"""Interactive network maps and self-contained HTML pages.

A map is one HTML file that works offline: vis-network's script and style
(shipped inside the ``pyvis`` package) are inlined, the graph travels as a
JSON data block, and a Content-Security-Policy lets nothing load from
anywhere.  Every data-derived string reaches the page escaped: as JSON
(``<``, ``>``, ``&``, U+2028 and U+2029 written as JSON escapes), through
``textContent`` in the page's script, as vis-network titles given as
strings (which it shows as text), or through :func:`html.escape`.

The layout is computed here, seeded, with physics off in the browser, so
the same graph gives the same bytes and a map of thousands of nodes is
interactive as soon as it is drawn.  A graph of more than
:data:`MAX_MAP_NODES` nodes is aggregated before it is drawn (see
:func:`aggregated_graph`), and the map says so.

This module knows nothing of the analysis: callers pass highlight sets and
per-node figures computed elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import random
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import HainetError
from graph.fields import rolled_up, subfields, superfields
from graph.schema import PROVENANCE_FIELDS, NodeKind, RelType

__all__ = [
    "HIGHLIGHT_COLOURS",
    "KIND_STYLES",
    "LANGUAGES",
    "MAX_MAP_NODES",
    "SIZE_MEASURES",
    "HtmlParts",
    "NetworkMap",
    "aggregated_graph",
    "ego_subgraph",
    "html_document",
    "industry_subgraph",
    "keys_from",
    "network_map",
    "node_centrality",
    "node_positions",
    "script_json",
    "subgraph_from_keys",
    "table_html",
]

#: Above this many nodes a map aggregates (see :func:`aggregated_graph`).
MAX_MAP_NODES = 2500

#: Centrality measures that can size the nodes of a map.
SIZE_MEASURES = ("degree", "pagerank", "betweenness")

#: Languages of labels and page text.
LANGUAGES = ("zh", "en")

#: Shape and colour of each node kind, as vis-network shape names and CSS colours.
KIND_STYLES: dict[str, tuple[str, str]] = {
    NodeKind.REGION.value: ("dot", "#1f77b4"),
    NodeKind.PARK.value: ("square", "#17becf"),
    NodeKind.DEPARTMENT.value: ("triangle", "#9467bd"),
    NodeKind.INDUSTRY.value: ("star", "#ff7f0e"),
    NodeKind.DEMAND_UNIT.value: ("diamond", "#2ca02c"),
    NodeKind.NEED.value: ("triangleDown", "#8c564b"),
    NodeKind.COOPERATION.value: ("hexagon", "#e377c2"),
    NodeKind.MECHANISM.value: ("star", "#393b79"),
    NodeKind.SOURCE.value: ("square", "#7f7f7f"),
}

#: Colours of highlight categories, in the order the categories are given.
HIGHLIGHT_COLOURS = ("#d62728", "#ff00aa", "#6a3d9a", "#b15928")

#: Kinds that are bookkeeping rather than actors: not sized by centrality.
_META_KINDS = frozenset({NodeKind.MECHANISM.value, NodeKind.SOURCE.value})

#: Kinds a BFS around a focus does not walk through: they tie everything to everything.
_HUB_KINDS = _META_KINDS

_PROVENANCE_FIELDS = PROVENANCE_FIELDS
_NAME_FIELDS = ("key", "kind", "name_zh", "name_en")

_VIS_DIR = "lib/vis-9.1.2"
_SEED = 20201202

_KIND_NAMES = {
    "zh": {
        "Region": "地区",
        "Park": "园区",
        "Department": "部门",
        "Industry": "产业",
        "DemandUnit": "需求单位",
        "Need": "需求",
        "Cooperation": "合作",
        "Mechanism": "机制",
        "Source": "文件",
    },
    "en": {
        "Region": "Region",
        "Park": "Park",
        "Department": "Department",
        "Industry": "Industry",
        "DemandUnit": "Demand unit",
        "Need": "Need",
        "Cooperation": "Cooperation",
        "Mechanism": "Mechanism",
        "Source": "Source",
    },
}

_REL_NAMES = {
    "zh": {
        "LOCATED_IN": "位于",
        "PART_OF": "隶属于",
        "SPECIALISES_IN": "擅长",
        "HANDLES": "主管",
        "HAS_NEED": "提出需求",
        "IN_FIELD": "属于产业",
        "PARTNER_IN": "参与合作",
        "SUPPORTS": "支持",
        "SERVES": "服务",
        "MEMBER_OF": "成员",
        "STATED_IN": "载于",
    },
    "en": {t.value: t.value.replace("_", " ").lower() for t in RelType},
}

_PROP_NAMES = {
    "zh": {
        "status": "状态",
        "mode": "合作模式",
        "year": "年份",
        "unit_type": "单位类型",
        "is_leading": "主导产业",
        "provenance": "出处类型",
        "section": "章节",
        "quote": "原文",
        "basis": "依据",
        "document": "依据文件",
    },
    "en": {"unit_type": "unit type", "is_leading": "leading industry"},
}

_VALUE_NAMES: dict[str, dict[Any, str]] = {
    "zh": {
        "planned": "计划中",
        "active": "进行中",
        "stalled": "停滞",
        "ended": "已结束",
        "stated": "文件原文",
        "curated": "整理补充",
        "user": "用户数据",
        True: "是",
        False: "否",
    },
    "en": {True: "yes", False: "no"},
}

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "html_lang": "zh-CN",
        "title": "海南开放创新合作网络",
        "nodes": "个节点",
        "edges": "条关系",
        "search": "按名称查找（中文或英文）",
        "find": "查找",
        "fit": "全图",
        "industry": "产业",
        "all_industries": "全部产业",
        "flagged_only": "只看标记的节点",
        "shown": "显示 {shown} / {total} 个节点",
        "found": "找到 {n} 个",
        "none": "未找到",
        "kinds": "类型",
        "size_by": "节点大小",
        "edges_stated": "文件所载的关系",
        "edges_curated": "整理或用户补充的关系",
        "aggregate_member": "聚合节点（虚线边框）",
        "provenance": "出处",
        "analysis": "分析",
        "flags": "标记",
        "members": "包含",
        "more": "等共 {n} 个",
        "view_industry": "产业视图：{name}",
        "view_focus": "焦点：{name}（{radius} 步之内）",
        "view_keys": "查询结果的子图",
        "aggregated": "图中共有 {total} 个节点，超过 {limit} 的上限，已聚合为 {shown} 个节点：{steps}。",
        "step_need": "需求并入其需求单位",
        "step_unit": "需求单位并入所在地区",
        "step_cooperation": "合作按产业和状态合并",
        "step_park": "园区并入所在地区",
        "group_units": "{place}的需求单位",
        "group_units_other": "其他需求单位",
        "group_cooperations": "{industry}合作（{status}）",
        "group_parks": "{place}的园区",
        "group_other": "其他",
        "highlighted": "突出显示",
        "count": "{label}：{n}",
        "relationships": "{n} 条关系",
        "measure_degree": "度",
        "measure_pagerank": "PageRank",
        "measure_betweenness": "介数中心性",
    },
    "en": {
        "html_lang": "en",
        "title": "Hainan open innovation cooperation network",
        "nodes": "nodes",
        "edges": "relationships",
        "search": "Find by name (Chinese or English)",
        "find": "Find",
        "fit": "Fit",
        "industry": "Industry",
        "all_industries": "All industries",
        "flagged_only": "Flagged nodes only",
        "shown": "showing {shown} of {total} nodes",
        "found": "{n} found",
        "none": "nothing found",
        "kinds": "Kinds",
        "size_by": "Node size",
        "edges_stated": "relationship stated in the document",
        "edges_curated": "curated or user relationship",
        "aggregate_member": "aggregate node (dashed border)",
        "provenance": "Provenance",
        "analysis": "Analysis",
        "flags": "Flags",
        "members": "Holds",
        "more": "{n} in all",
        "view_industry": "Industry view: {name}",
        "view_focus": "Focus: {name} (within {radius} steps)",
        "view_keys": "Subgraph of a query result",
        "aggregated": "The graph has {total} nodes, over the limit of {limit}; "
        "it is aggregated into {shown} nodes: {steps}.",
        "step_need": "needs merged into their demand units",
        "step_unit": "demand units merged into their regions",
        "step_cooperation": "cooperations merged by industry and status",
        "step_park": "parks merged into their regions",
        "group_units": "Demand units in {place}",
        "group_units_other": "Other demand units",
        "group_cooperations": "{industry} cooperations ({status})",
        "group_parks": "Parks in {place}",
        "group_other": "other",
        "highlighted": "highlighted",
        "count": "{label}: {n}",
        "relationships": "{n} relationships",
        "measure_degree": "degree",
        "measure_pagerank": "PageRank",
        "measure_betweenness": "betweenness",
    },
}


# --------------------------------------------------------------------------- views


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}"
        raise HainetError(msg)


def _find_node(G: nx.MultiDiGraph, ref: str, kinds: Collection[str] | None = None) -> str:
    """Return the key of the node named ``ref`` (a key, a Chinese or an English name)."""
    if ref in G and (kinds is None or G.nodes[ref].get("kind") in kinds):
        return ref
    wanted = ref.strip().casefold()
    found = sorted(
        key
        for key, attrs in G.nodes(data=True)
        if (kinds is None or attrs.get("kind") in kinds)
        and wanted in (str(attrs.get("name_zh", "")).casefold(), str(attrs.get("name_en", "")).casefold())
    )
    if len(found) == 1:
        return str(found[0])
    what = "/".join(sorted(kinds)) if kinds else "node"
    if found:
        msg = f"{ref!r} names {len(found)} {what} nodes ({', '.join(found[:5])}): give a key"
    else:
        msg = f"no {what} node has the key or name {ref!r}"
    raise HainetError(msg)


def industry_subgraph(G: nx.MultiDiGraph, industry: str) -> nx.MultiDiGraph:
    """Return the part of ``G`` about one industry.

    That is the industry and its sub-industries (``PART_OF`` it, at any
    depth), their cooperations and needs (``IN_FIELD`` them), the
    partners of those cooperations (``PARTNER_IN`` and ``SUPPORTS``), the
    demand units they serve or that have the needs, and the actors that
    specialise in or handle the industry.

    Parameters
    ----------
    G
        The graph, as from :func:`graph.store.graph_from_store`.
    industry
        The industry's key, or its Chinese or English name.

    Returns
    -------
    nx.MultiDiGraph
        A copy of the induced subgraph.

    Raises
    ------
    HainetError
        When no industry, or more than one, has that key or name.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("industry:t", kind="Industry", name_zh="旅游业", name_en="Tourism")
    >>> G.add_node("coop:a", kind="Cooperation", name_zh="合作", name_en="A")
    >>> G.add_node("region:s", kind="Region", name_zh="上海市", name_en="Shanghai")
    >>> G.add_node("region:x", kind="Region", name_zh="某地", name_en="X")
    >>> for u, t, v in [("coop:a", "IN_FIELD", "industry:t"), ("region:s", "PARTNER_IN", "coop:a")]:
    ...     _ = G.add_edge(u, v, key=t, type=t)
    >>> sorted(industry_subgraph(G, "Tourism"))
    ['coop:a', 'industry:t', 'region:s']
    """
    key = _find_node(G, industry, {NodeKind.INDUSTRY.value})
    fields = subfields(G, key)
    keep = set(fields)
    partner_types = {RelType.PARTNER_IN.value, RelType.SUPPORTS.value}
    for u, _, rel in G.in_edges(sorted(fields), keys=True):
        keep.add(u)
        kind = G.nodes[u].get("kind")
        if rel == RelType.IN_FIELD.value and kind == NodeKind.COOPERATION.value:
            for p, _, prel in G.in_edges(u, keys=True):
                if prel in partner_types:
                    keep.add(p)
            for _, unit, srel in G.out_edges(u, keys=True):
                if srel == RelType.SERVES.value:
                    keep.add(unit)
        elif rel == RelType.IN_FIELD.value and kind == NodeKind.NEED.value:
            for unit, _, hrel in G.in_edges(u, keys=True):
                if hrel == RelType.HAS_NEED.value:
                    keep.add(unit)
    return nx.MultiDiGraph(G.subgraph(keep))


def ego_subgraph(G: nx.MultiDiGraph, focus: str, *, radius: int = 2) -> nx.MultiDiGraph:
    """Return the ties of one node: everything within ``radius`` steps of it.

    Steps follow relationships in either direction but never pass through a
    mechanism or source node, which tie every actor to every other.

    Parameters
    ----------
    G
        The graph.
    focus
        The node's key, or its Chinese or English name.
    radius
        How many steps away a node may be; at least 1.

    Returns
    -------
    nx.MultiDiGraph
        A copy of the induced subgraph.

    Raises
    ------
    HainetError
        When ``focus`` names no node, or several, or ``radius`` is below 1.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for k in ["region:a", "coop:1", "unit:u", "mech:m", "region:b"]:
    ...     G.add_node(k, kind={"region": "Region", "coop": "Cooperation", "unit": "DemandUnit",
    ...                         "mech": "Mechanism"}[k.split(":")[0]], name_zh=k, name_en=k)
    >>> for u, t, v in [("region:a", "PARTNER_IN", "coop:1"), ("coop:1", "SERVES", "unit:u"),
    ...                 ("region:a", "MEMBER_OF", "mech:m"), ("region:b", "MEMBER_OF", "mech:m")]:
    ...     _ = G.add_edge(u, v, key=t, type=t)
    >>> sorted(ego_subgraph(G, "region:a"))
    ['coop:1', 'mech:m', 'region:a', 'unit:u']
    """
    if radius < 1:
        msg = f"radius must be at least 1, not {radius}"
        raise HainetError(msg)
    start = _find_node(G, focus)
    seen = {start}
    frontier = [start]
    for _ in range(radius):
        following: list[str] = []
        for node in frontier:
            if node != start and G.nodes[node].get("kind") in _HUB_KINDS:
                continue
            for other in sorted(set(G.successors(node)) | set(G.predecessors(node))):
                if other not in seen:
                    seen.add(other)
                    following.append(other)
        frontier = following
    return nx.MultiDiGraph(G.subgraph(seen))


def keys_from(result: pd.DataFrame | Iterable[str]) -> list[str]:
    """Return the node keys a query result names, in first-seen order.

    A DataFrame names its keys in the columns called ``key`` or ending in
    ``_key`` (``need_key``, ``partner_key``, ...), read row by row, left to
    right; any other iterable is taken as keys.

    Examples
    --------
    >>> frame = pd.DataFrame({"need_key": ["need:a", "need:b"], "partner_key": ["region:s", "region:s"],
    ...                       "score": [0.5, 0.25]})
    >>> keys_from(frame)
    ['need:a', 'region:s', 'need:b']
    >>> keys_from({"region:b", "region:a"})
    ['region:a', 'region:b']
    """
    if isinstance(result, pd.DataFrame):
        columns = [c for c in result.columns if str(c) == "key" or str(c).endswith("_key")]
        if not columns:
            msg = f"the result has no key column (key or *_key) among {[str(c) for c in result.columns]}"
            raise HainetError(msg)
        values = result[columns].to_numpy().ravel().tolist()
    elif isinstance(result, set | frozenset):
        values = sorted(result)
    else:
        values = list(result)
    return list(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v))


def subgraph_from_keys(G: nx.MultiDiGraph, keys: pd.DataFrame | Iterable[str]) -> nx.MultiDiGraph:
    """Return the subgraph of ``G`` induced by the nodes a query result names.

    Parameters
    ----------
    G
        The graph.
    keys
        A set or list of node keys, or a DataFrame read with :func:`keys_from`.
        Keys that are not in ``G`` are left out.

    Returns
    -------
    nx.MultiDiGraph
        A copy of the induced subgraph.

    Raises
    ------
    HainetError
        When none of the keys is a node of ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> sorted(subgraph_from_keys(G, ["a", "b", "zz"]).edges())
    [('a', 'b')]
    """
    wanted = [k for k in keys_from(keys) if k in G]
    if not wanted:
        msg = "none of the keys of the query result is a node of the graph"
        raise HainetError(msg)
    return nx.MultiDiGraph(G.subgraph(wanted))


# --------------------------------------------------------------------------- measures


def _analysed_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """Return the undirected simple graph of actors that centralities are computed on."""
    H = nx.Graph()
    H.add_nodes_from(sorted(n for n, a in G.nodes(data=True) if a.get("kind") not in _META_KINDS))
    H.add_edges_from((u, v) for u, v in G.edges() if u in H and v in H and u != v)
    return H


def node_centrality(G: nx.MultiDiGraph, measure: str = "pagerank", *, seed: int = _SEED) -> dict[str, float]:
    """Return a centrality of every node of ``G`` other than mechanisms and sources.

    Centralities are computed on the undirected simple graph of the other
    nodes: a mechanism ties every member to every other, and a source is
    bookkeeping.  ``degree`` counts neighbours; ``pagerank`` uses a damping
    of 0.85; ``betweenness`` is normalised, exact up to 1,000 nodes and
    estimated from 256 seeded sample sources above that.

    Parameters
    ----------
    G
        The graph.
    measure
        One of :data:`SIZE_MEASURES`.
    seed
        Seed of the betweenness sample.

    Returns
    -------
    dict[str, float]
        Node key to value, as Python floats.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "c")])
    >>> node_centrality(G, "degree")
    {'a': 2.0, 'b': 1.0, 'c': 1.0}
    """
    if measure not in SIZE_MEASURES:
        msg = f"unknown measure {measure!r}: choose one of {', '.join(SIZE_MEASURES)}"
        raise HainetError(msg)
    H = _analysed_graph(G)
    if H.number_of_nodes() == 0:
        return {}
    if measure == "degree":
        values: Mapping[Any, Any] = dict(H.degree())
    elif measure == "pagerank":
        values = nx.pagerank(H, alpha=0.85)
    else:
        sample = None if H.number_of_nodes() <= 1000 else 256
        values = nx.betweenness_centrality(H, k=sample, seed=seed)
    return {str(k): float(v) for k, v in sorted(values.items())}


def node_positions(G: nx.Graph, *, seed: int = _SEED) -> dict[str, tuple[float, float]]:
    """Return a deterministic force-directed layout of ``G`` in screen units.

    The layout is igraph's Fruchterman-Reingold (its grid variant above
    1,000 nodes), started from seeded random positions with igraph's random
    numbers seeded too, then scaled so that the drawing spans about
    ``max(600, 90 * sqrt(n))`` units, and rounded to 0.1.  The same graph
    and seed give the same positions.

    Parameters
    ----------
    G
        Any networkx graph; direction and parallel edges are ignored.
    seed
        Seed of the starting positions and of igraph's random numbers.

    Returns
    -------
    dict[str, tuple[float, float]]
        Node to ``(x, y)``, in the order of ``sorted(G)``.

    Examples
    --------
    >>> pos = node_positions(nx.path_graph(["a", "b", "c"]))
    >>> sorted(pos) == ["a", "b", "c"] and pos == node_positions(nx.path_graph(["a", "b", "c"]))
    True
    """
    import igraph as ig

    order = sorted(G, key=str)
    n = len(order)
    if n == 0:
        return {}
    if n == 1:
        return {order[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(order)}
    pairs = sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in G.edges() if u != v})
    graph = ig.Graph(n=n, edges=pairs)
    start = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, 2)) * math.sqrt(n)
    ig.set_random_number_generator(random.Random(seed))
    try:
        layout = graph.layout_fruchterman_reingold(seed=start.tolist(), niter=500, grid="auto")
    finally:
        ig.set_random_number_generator(random)
    coords = np.asarray(layout.coords, dtype=float)
    coords -= (coords.max(axis=0) + coords.min(axis=0)) / 2
    span = float(np.abs(coords).max()) * 2 or 1.0
    coords *= max(600.0, 90.0 * math.sqrt(n)) / span
    return {str(node): (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(order, coords, strict=True)}


# --------------------------------------------------------------------------- aggregation


def _name(attrs: Mapping[str, Any], lang: str) -> str:
    first, second = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    return str(attrs.get(first) or attrs.get(second) or attrs.get("key") or "")


def _region_of(G: nx.MultiDiGraph, key: str) -> str | None:
    for _, target, rel in sorted(G.out_edges(key, keys=True)):
        if rel == RelType.LOCATED_IN.value and G.nodes[target].get("kind") == NodeKind.REGION.value:
            return str(target)
    return None


def _merged(G: nx.MultiDiGraph, into: Mapping[str, str], groups: Mapping[str, dict[str, Any]]) -> nx.MultiDiGraph:
    """Return ``G`` with each node of ``into`` replaced by its group; parallel edges counted."""
    H = nx.MultiDiGraph()
    members: dict[str, list[str]] = {}
    for key, attrs in sorted(G.nodes(data=True)):
        if key not in into:
            H.add_node(key, **attrs)
            members[key] = list(attrs.get("members", [key]))
    for group, attrs in sorted(groups.items()):
        if group in H:
            H.nodes[group].update(attrs)
        else:
            H.add_node(group, **attrs)
            members[group] = []
    for key in sorted(into):
        members[into[key]].extend(G.nodes[key].get("members", [key]))
    for key, held in members.items():
        H.nodes[key]["members"] = held
    for u, v, rel, attrs in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        a, b = into.get(u, u), into.get(v, v)
        if a == b:
            continue
        count = int(attrs.get("count", 1))
        if H.has_edge(a, b, key=rel):
            H.edges[a, b, rel]["count"] += count
            H.edges[a, b, rel]["aggregated"] = True
        else:
            new = dict(attrs) if (a, b) == (u, v) else {"type": rel, "aggregated": True}
            new["count"] = count
            H.add_edge(a, b, key=rel, **new)
    return H


def _group_attrs(kind: str, key: str, name_zh: str, name_en: str) -> dict[str, Any]:
    return {"key": key, "kind": kind, "name_zh": name_zh, "name_en": name_en}


def aggregated_graph(G: nx.MultiDiGraph, *, max_nodes: int = MAX_MAP_NODES) -> tuple[nx.MultiDiGraph, list[str]]:
    """Return ``G`` aggregated step by step until it has at most ``max_nodes`` nodes.

    The steps, each taken only while the graph is still too big:

    ``need``
        every need merges into the demand unit that has it;
    ``unit``
        demand units merge into one node per region they are located in
        (``group:unit:<region>``, or ``group:unit:other``);
    ``cooperation``
        cooperations merge into one node per first industry and status
        (``group:coop:<industry>:<status>``);
    ``park``
        parks merge into one node per region (``group:park:<region>``).

    An aggregate node keeps its kind and lists the original keys in
    ``members``; parallel relationships between aggregates become one with
    a ``count``.  A graph still too big after the last step is returned as
    it is.

    Parameters
    ----------
    G
        The graph.
    max_nodes
        The most nodes the result should have.

    Returns
    -------
    tuple[nx.MultiDiGraph, list[str]]
        The graph, and the names of the steps taken, in order.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("unit:u", kind="DemandUnit", name_zh="单位", name_en="Unit")
    >>> for i in range(3):
    ...     G.add_node(f"need:u:{i}", kind="Need", name_zh="需求", name_en="Need")
    ...     _ = G.add_edge("unit:u", f"need:u:{i}", key="HAS_NEED", type="HAS_NEED")
    >>> H, steps = aggregated_graph(G, max_nodes=2)
    >>> sorted(H), steps, H.nodes["unit:u"]["members"]
    (['unit:u'], ['need'], ['unit:u', 'need:u:0', 'need:u:1', 'need:u:2'])
    """
    steps: list[str] = []
    H = G
    for step in ("need", "unit", "cooperation", "park"):
        if H.number_of_nodes() <= max_nodes:
            break
        into, groups = _aggregation_step(H, step)
        if into:
            H = _merged(H, into, groups)
            steps.append(step)
    if H is G:
        H = nx.MultiDiGraph(G)
    return H, steps


def _aggregation_step(G: nx.MultiDiGraph, step: str) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    into: dict[str, str] = {}
    groups: dict[str, dict[str, Any]] = {}
    kinds = {
        "need": NodeKind.NEED.value,
        "unit": NodeKind.DEMAND_UNIT.value,
        "cooperation": NodeKind.COOPERATION.value,
        "park": NodeKind.PARK.value,
    }
    for key, attrs in sorted(G.nodes(data=True)):
        if attrs.get("kind") != kinds[step]:
            continue
        if step == "need":
            units = sorted(u for u, _, r in G.in_edges(key, keys=True) if r == RelType.HAS_NEED.value)
            if units:
                into[key] = units[0]
                groups.setdefault(units[0], {})
        elif step in ("unit", "park"):
            region = _region_of(G, key)
            slug = region.split(":", 1)[-1] if region else "other"
            prefix = "unit" if step == "unit" else "park"
            group = f"group:{prefix}:{slug}"
            into[key] = group
            if group not in groups:
                zh_place = _name(G.nodes[region], "zh") if region else ""
                en_place = _name(G.nodes[region], "en") if region else ""
                if step == "unit" and region:
                    zh = _TEXT["zh"]["group_units"].format(place=zh_place)
                    en = _TEXT["en"]["group_units"].format(place=en_place)
                elif step == "unit":
                    zh, en = _TEXT["zh"]["group_units_other"], _TEXT["en"]["group_units_other"]
                else:
                    zh = _TEXT["zh"]["group_parks"].format(place=zh_place or _TEXT["zh"]["group_other"])
                    en = _TEXT["en"]["group_parks"].format(place=en_place or _TEXT["en"]["group_other"])
                groups[group] = _group_attrs(kinds[step], group, zh, en)
        else:
            fields = sorted(v for _, v, r in G.out_edges(key, keys=True) if r == RelType.IN_FIELD.value)
            industry = fields[0] if fields else None
            status = str(attrs.get("status") or "unknown")
            slug = industry.split(":", 1)[-1] if industry else "other"
            group = f"group:coop:{slug}:{status}"
            into[key] = group
            if group not in groups:
                names = {}
                for lang in LANGUAGES:
                    label = _name(G.nodes[industry], lang) if industry else _TEXT[lang]["group_other"]
                    shown = _VALUE_NAMES[lang].get(status, status)
                    names[lang] = _TEXT[lang]["group_cooperations"].format(industry=label, status=shown)
                groups[group] = _group_attrs(kinds[step], group, names["zh"], names["en"])
                groups[group]["status"] = status
    return into, groups


# --------------------------------------------------------------------------- HTML pieces


_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_json(value: Any) -> str:
    """Return ``value`` as JSON safe inside an HTML ``<script>`` element.

    Keys are sorted; ``<``, ``>``, ``&`` and the line separators U+2028 and
    U+2029 are written as JSON escapes (``<`` as backslash-u003c, ...), so
    no data can end the element or open a comment.

    Examples
    --------
    >>> text = script_json({"name": "</script><b>&"})
    >>> "<" in text or ">" in text or "&" in text, json.loads(text)["name"]
    (False, '</script><b>&')
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for raw, escaped in _SCRIPT_ESCAPES:
        text = text.replace(raw, escaped)
    return text


@dataclass(frozen=True)
class HtmlParts:
    """Pieces of a page: styles, body markup and inline scripts, run in order.

    ``body`` must be markup built with every data string escaped; scripts
    must not contain ``</script``.
    """

    body: str
    styles: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()


def _asset(name: str) -> str:
    return files("graph").joinpath("templates", name).read_text(encoding="utf-8")


def _vis_asset(name: str) -> str:
    text = files("pyvis").joinpath(_VIS_DIR, name).read_text(encoding="utf-8")
    # The source map is not shipped; a devtools fetch of it would be a request.
    # split("\n"), not splitlines(): the script holds U+2028 and other line breaks of its own.
    return "\n".join(line for line in text.split("\n") if not line.startswith("//# sourceMappingURL="))


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def html_document(parts: Sequence[HtmlParts], *, title: str, lang: str = "zh", header: str = "") -> str:
    """Return one self-contained HTML page made of ``parts``.

    The page declares UTF-8 and a Content-Security-Policy that allows no
    remote resource at all: scripts run only if their SHA-256 is listed
    (those of ``parts``), styles only inline, images only as ``data:``.
    The same parts give the same bytes.

    Parameters
    ----------
    parts
        The pieces, in page order; repeated scripts and styles appear once.
    title
        The page title and heading, escaped here.
    lang
        ``zh`` or ``en``: the page's language.
    header
        Markup (already escaped) placed under the heading.

    Returns
    -------
    str
        The page.

    Examples
    --------
    >>> page = html_document([HtmlParts(body="<p>x</p>", scripts=("1;",))], title="<b>海南</b>")
    >>> "<h1>&lt;b&gt;海南&lt;/b&gt;</h1>" in page, "script-src 'sha256-" in page
    (True, True)
    """
    _check_lang(lang)
    styles = list(dict.fromkeys([_asset("page.css"), *(s for p in parts for s in p.styles)]))
    scripts = list(dict.fromkeys(s for p in parts for s in p.scripts))
    for script in scripts:
        if "</script" in script.lower() or "<!--" in script:
            msg = "an inline script contains '</script' or '<!--' and cannot be embedded"
            raise HainetError(msg)
    hashes = " ".join(_sha256(s) for s in scripts) or "'none'"
    policy = (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
    )
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_TEXT[lang]["html_lang"]}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        *(f"<style>\n{s}\n</style>" for s in styles),
        "</head>",
        "<body>",
        f"<header class=\"hn-header\"><h1>{html.escape(title)}</h1>{header}</header>",
        *(p.body for p in parts),
        *(f"<script>{s}</script>" for s in scripts),
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def _cell(value: Any) -> tuple[str, bool]:
    """Return the escaped text of a table cell and whether it is a number."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "", False
    if isinstance(value, bool):
        return html.escape(str(value).lower()), False
    if isinstance(value, int):
        return f"{value:,}", True
    if isinstance(value, float):
        return html.escape(f"{value:.4g}" if abs(value) < 1e5 else f"{value:,.0f}"), True
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return html.escape("、".join(str(v) for v in items)), False
    return html.escape(str(value)), False


def table_html(
    frame: pd.DataFrame,
    *,
    headers: Mapping[str, str] | None = None,
    caption: str | None = None,
    empty: str = "—",
) -> str:
    """Return ``frame`` as an escaped, printable HTML table.

    Parameters
    ----------
    frame
        The rows; its index is not shown.
    headers
        Column name to heading; columns missing here keep their names.
        When given, only these columns are shown, in this order.
    caption
        A caption above the table.
    empty
        The text shown instead of a table when ``frame`` has no rows.

    Returns
    -------
    str
        A ``<table class="hn-table">`` with a ``<thead>`` (repeated on every
        printed page), or a paragraph saying ``empty``.

    Examples
    --------
    >>> print(table_html(pd.DataFrame({"name": ["<b>"], "n": [3]}), headers={"name": "名称", "n": "数"}))
    <table class="hn-table">
    <thead><tr><th>名称</th><th>数</th></tr></thead>
    <tbody>
    <tr><td>&lt;b&gt;</td><td class="hn-num">3</td></tr>
    </tbody>
    </table>
    """
    columns = [c for c in headers if c in frame.columns] if headers else [str(c) for c in frame.columns]
    if frame.empty:
        cap = f"<p class=\"hn-meta\">{html.escape(caption)}</p>" if caption else ""
        return f"{cap}<p class=\"hn-empty\">{html.escape(empty)}</p>"
    lines = ['<table class="hn-table">']
    if caption:
        lines.append(f"<caption>{html.escape(caption)}</caption>")
    heads = "".join(f"<th>{html.escape((headers or {}).get(c, c))}</th>" for c in columns)
    lines.append(f"<thead><tr>{heads}</tr></thead>")
    lines.append("<tbody>")
    for row in frame[columns].itertuples(index=False, name=None):
        cells = []
        for value in row:
            text, number = _cell(value)
            cells.append(f'<td class="hn-num">{text}</td>' if number else f"<td>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody>")
    lines.append("</table>")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the map


@dataclass(frozen=True)
class NetworkMap:
    """An interactive map of a graph, ready to save or show in Jupyter.

    Build one with :func:`network_map`.  ``html()`` is the whole page,
    ``save(path)`` writes it as UTF-8, and in a notebook the map shows
    inline in a sandboxed ``<iframe srcdoc>``, with no server.
    """

    title: str
    lang: str
    data: dict[str, Any]
    legend: str
    banner: str
    height: int
    total_nodes: int
    steps: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        # Short: a notebook shows the map itself, not a megabyte of its data as text.
        return f"<NetworkMap {self.title!r}: {self.node_count} nodes, {self.edge_count} relationships>"

    @property
    def node_count(self) -> int:
        """Return the number of nodes drawn."""
        return len(self.data["nodes"])

    @property
    def edge_count(self) -> int:
        """Return the number of relationships drawn."""
        return len(self.data["edges"])

    @property
    def aggregated(self) -> bool:
        """Tell whether nodes were merged to keep the map under :data:`MAX_MAP_NODES`."""
        return bool(self.steps)

    @property
    def flag_counts(self) -> dict[str, int]:
        """Return each highlight category and how many original nodes in the map carry it."""
        return {str(f["label"]): int(f["count"]) for f in self.data["flags"]}

    def parts(self) -> HtmlParts:
        """Return the map as pieces to place in a page with :func:`html_document`."""
        t = _TEXT[self.lang]
        flagged = (
            f'<label><input type="checkbox" id="hn-flagged-only"> {html.escape(t["flagged_only"])}</label>'
            if self.data["flags"]
            else ""
        )
        body = "\n".join(
            [
                self.banner,
                '<section class="hn-map" id="hn-map">',
                '<div class="hn-tools">',
                '<form id="hn-search-form" role="search">'
                f'<input type="search" id="hn-search" list="hn-names" placeholder="{html.escape(t["search"])}" '
                f'aria-label="{html.escape(t["search"])}">'
                f'<button type="submit">{html.escape(t["find"])}</button></form>',
                '<datalist id="hn-names"></datalist>',
                f'<label>{html.escape(t["industry"])} <select id="hn-industry">'
                f'<option value="">{html.escape(t["all_industries"])}</option></select></label>',
                flagged,
                f'<button type="button" id="hn-fit">{html.escape(t["fit"])}</button>',
                '<span id="hn-status" aria-live="polite"></span>',
                "</div>",
                f'<div id="hn-network" style="height:{int(self.height)}px"></div>',
                self.legend,
                "</section>",
                f'<script type="application/json" id="hn-data">{script_json(self.data)}</script>',
            ]
        )
        return HtmlParts(
            body=body,
            styles=(_vis_asset("vis-network.css"), _asset("map.css")),
            scripts=(_vis_asset("vis-network.min.js"), _asset("map.js")),
        )

    def html(self) -> str:
        """Return the map as one self-contained HTML page."""
        return html_document([self.parts()], title=self.title, lang=self.lang)

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` as UTF-8 and return the path."""
        target = Path(path)
        target.write_text(self.html(), encoding="utf-8")
        return target

    def _repr_html_(self) -> str:
        page = html.escape(self.html(), quote=True)
        return (
            f'<iframe srcdoc="{page}" sandbox="allow-scripts" title="{html.escape(self.title, quote=True)}" '
            f'style="width:100%;height:{int(self.height) + 260}px;border:0"></iframe>'
        )


def _text_value(value: Any, lang: str) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return str(_VALUE_NAMES[lang].get(value, value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(_VALUE_NAMES[lang].get(value, value))


def _provenance_lines(attrs: Mapping[str, Any], lang: str) -> list[str]:
    names = _PROP_NAMES[lang]
    kind = attrs.get("provenance")
    if not kind:
        return []
    lines = [f"{names.get('provenance', 'provenance')}: {_text_value(kind, lang)}"]
    for prop in PROVENANCE_FIELDS[1:]:
        if attrs.get(prop):
            lines.append(f"{names.get(prop, prop)}: {_text_value(attrs[prop], lang)}")
    return lines


def _figures_by_key(figures: pd.DataFrame | Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict[str, Any]]:
    if figures is None:
        return {}
    if isinstance(figures, pd.DataFrame):
        if "key" not in figures.columns:
            msg = f"figures need a 'key' column; they have {[str(c) for c in figures.columns]}"
            raise HainetError(msg)
        out: dict[str, dict[str, Any]] = {}
        for record in figures.to_dict(orient="records"):
            key = str(record.pop("key"))
            out.setdefault(key, {str(k): v for k, v in record.items()})
        return out
    return {str(k): dict(v) for k, v in figures.items()}


def _highlight_sets(highlight: Mapping[str, Iterable[str]] | Iterable[str] | None, lang: str) -> dict[str, set[str]]:
    if highlight is None:
        return {}
    if isinstance(highlight, Mapping):
        sets = {str(label): set(keys_from(keys)) for label, keys in highlight.items()}
    else:
        sets = {_TEXT[lang]["highlighted"]: set(keys_from(highlight))}
    if len(sets) > len(HIGHLIGHT_COLOURS):
        msg = f"at most {len(HIGHLIGHT_COLOURS)} highlight categories, not {len(sets)}"
        raise HainetError(msg)
    return sets


def _node_industries(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Return, for each node, the industries it is about (for the map's industry filter)."""
    industry = NodeKind.INDUSTRY.value
    out: dict[str, set[str]] = defaultdict(set)
    direct = {RelType.IN_FIELD.value, RelType.SPECIALISES_IN.value, RelType.HANDLES.value}
    for key, attrs in G.nodes(data=True):
        if attrs.get("kind") == industry:
            out[key].add(key)
    for u, v, rel in G.edges(keys=True):
        if rel in direct and G.nodes[v].get("kind") == industry:
            out[u].add(v)
    # Work in a sub-field is about its parent fields too: the same roll-up as industry_subgraph.
    up = superfields(G)
    for key in list(out):
        out[key] = rolled_up(out[key], up)
    # Second hand: units through their needs and the cooperations serving them,
    # partners through their cooperations.
    for u, v, rel in G.edges(keys=True):
        if rel == RelType.HAS_NEED.value:
            out[u] |= out.get(v, set())
        elif rel == RelType.SERVES.value:
            out[v] |= out.get(u, set())
        elif rel in (RelType.PARTNER_IN.value, RelType.SUPPORTS.value):
            out[u] |= out.get(v, set())
    return out


def _legend_icon(shape: str, colour: str, *, border: str = "#555", dashed: bool = False) -> str:
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    common = f'fill="{colour}" stroke="{border}" stroke-width="1.5"{dash}'
    shapes = {
        "dot": f'<circle cx="8" cy="8" r="6" {common}/>',
        "square": f'<rect x="2" y="2" width="12" height="12" {common}/>',
        "triangle": f'<polygon points="8,1.5 14.5,14 1.5,14" {common}/>',
        "triangleDown": f'<polygon points="1.5,2 14.5,2 8,14.5" {common}/>',
        "diamond": f'<polygon points="8,1 15,8 8,15 1,8" {common}/>',
        "hexagon": f'<polygon points="4,2 12,2 15.5,8 12,14 4,14 0.5,8" {common}/>',
        "star": f'<polygon points="8,1 9.8,6 15,6 10.8,9.2 12.4,14.5 8,11.3 3.6,14.5 5.2,9.2 1,6 6.2,6" {common}/>',
        "line": f'<line x1="1" y1="8" x2="15" y2="8" stroke="{colour}" stroke-width="2"{dash}/>',
    }
    return f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{shapes[shape]}</svg>'


def network_map(
    G: nx.MultiDiGraph,
    *,
    industry: str | None = None,
    focus: str | None = None,
    radius: int = 2,
    keys: pd.DataFrame | Iterable[str] | None = None,
    highlight: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
    figures: pd.DataFrame | Mapping[str, Mapping[str, Any]] | None = None,
    lang: str = "zh",
    size_by: str = "pagerank",
    title: str | None = None,
    hide_kinds: Collection[str] = (NodeKind.SOURCE.value,),
    max_nodes: int = MAX_MAP_NODES,
    height: int = 720,
    seed: int = _SEED,
) -> NetworkMap:
    """Return an interactive map of ``G``, or of one view of it.

    The view is the whole graph, unless one of ``industry`` (see
    :func:`industry_subgraph`), ``focus`` (see :func:`ego_subgraph`) or
    ``keys`` (see :func:`subgraph_from_keys`) picks a part.  Nodes are
    coloured and shaped by kind (:data:`KIND_STYLES`) and sized by a
    centrality of the whole graph (:func:`node_centrality`).  Tooltips show
    each node's facts, their provenance (section and quote, or curated
    basis) and its figures, as plain text.  Highlighted nodes get a thick
    border and halo in their category's colour, a legend entry and a count
    in the banner.  With more than ``max_nodes`` nodes the view is first
    aggregated (:func:`aggregated_graph`) and the banner says how.

    Parameters
    ----------
    G
        The graph, as from :func:`graph.store.graph_from_store`.
    industry
        Show one industry's part: a key, or a Chinese or English name.
    focus
        Show the ties of one node (e.g. a region or park): a key or a name.
    radius
        Steps around ``focus``.
    keys
        Show the subgraph a query result names: a DataFrame with ``key`` or
        ``*_key`` columns, or node keys.
    highlight
        Category label to node keys (e.g. ``{"未覆盖需求": {...}}``), or
        just keys; at most four categories.
    figures
        Figures to show in tooltips: a DataFrame with a ``key`` column
        (other columns are the figures; the first row of a key counts), or
        a mapping of key to ``{figure: value}``.
    lang
        ``zh`` (default) or ``en``: labels and page text.
    size_by
        One of :data:`SIZE_MEASURES`.
    title
        The page heading; a default one names the view.
    hide_kinds
        Node kinds left out of the map; by default the source document,
        which every stated fact points to (its quotes are in the tooltips).
    max_nodes
        Aggregate above this many nodes.
    height
        Height of the drawing, in CSS pixels.
    seed
        Seed of the layout and of sampled measures.

    Returns
    -------
    NetworkMap
        ``.html()``, ``.save(path)``, inline display in Jupyter.

    Raises
    ------
    HainetError
        On an unknown language, measure, industry or focus, or when more
        than one of ``industry``, ``focus`` and ``keys`` is given.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("region:s", key="region:s", kind="Region", name_zh="上海市", name_en="Shanghai")
    >>> G.add_node("coop:a", key="coop:a", kind="Cooperation", name_zh="沪琼合作", name_en="SH-HN")
    >>> _ = G.add_edge("region:s", "coop:a", key="PARTNER_IN", type="PARTNER_IN", provenance="stated")
    >>> m = network_map(G, highlight={"未覆盖需求": {"coop:a"}})
    >>> m.node_count, m.edge_count, m.flag_counts
    (2, 1, {'未覆盖需求': 1})
    >>> page = m.html()
    >>> page.startswith("<!DOCTYPE html>"), " src=" in page, "<link" in page
    (True, False, False)
    """
    _check_lang(lang)
    if size_by not in SIZE_MEASURES:
        msg = f"unknown size measure {size_by!r}: choose one of {', '.join(SIZE_MEASURES)}"
        raise HainetError(msg)
    chosen = [name for name, value in (("industry", industry), ("focus", focus), ("keys", keys)) if value is not None]
    if len(chosen) > 1:
        msg = f"choose one view, not {' and '.join(chosen)}"
        raise HainetError(msg)
    if max_nodes < 1:
        msg = f"max_nodes must be at least 1, not {max_nodes}"
        raise HainetError(msg)
    t = _TEXT[lang]
    hidden = set(hide_kinds)
    base = nx.MultiDiGraph(G.subgraph(sorted(n for n, a in G.nodes(data=True) if a.get("kind") not in hidden)))
    if industry is not None:
        view = industry_subgraph(base, industry)
        key = _find_node(base, industry, {NodeKind.INDUSTRY.value})
        description = t["view_industry"].format(name=_name(base.nodes[key], lang))
    elif focus is not None:
        view = ego_subgraph(base, focus, radius=radius)
        key = _find_node(base, focus)
        description = t["view_focus"].format(name=_name(base.nodes[key], lang), radius=radius)
    elif keys is not None:
        view = subgraph_from_keys(base, keys)
        description = t["view_keys"]
    else:
        view = base
        description = ""
    flags = _highlight_sets(highlight, lang)
    extra = _figures_by_key(figures)
    measure = node_centrality(base, size_by, seed=seed)
    industries = _node_industries(base)
    total = view.number_of_nodes()
    drawn, steps = aggregated_graph(view, max_nodes=max_nodes)
    positions = node_positions(drawn, seed=seed)

    nodes = [
        _map_node(key, attrs, positions[key], lang=lang, size_by=size_by, measure=measure,
                  flags=flags, figures=extra, industries=industries)
        for key, attrs in sorted(drawn.nodes(data=True))
    ]
    _scale_sizes(nodes)
    edges = [
        _map_edge(u, v, rel, attrs, drawn, lang=lang)
        for u, v, rel, attrs in sorted(drawn.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1]))
    ]
    in_view = {m for n in nodes for m in n.pop("members")}
    flag_rows = [
        {"label": label, "colour": HIGHLIGHT_COLOURS[i], "count": len(keys_ & in_view)}
        for i, (label, keys_) in enumerate(flags.items())
    ]
    present = sorted({n["kind"] for n in nodes}, key=list(KIND_STYLES).index)
    kind_counts = {k: sum(1 for n in nodes if n["kind"] == k) for k in present}
    industry_rows = sorted(
        ({"key": k, "label": _name(base.nodes[k], lang)} for k in {i for n in nodes for i in n["industries"]}),
        key=lambda r: (r["label"], r["key"]),
    )
    large = len(nodes) > 800
    options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {
            "hover": not large,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": True,
            "navigationButtons": False,
            "keyboard": False,
        },
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "color": {"color": "#b8b8b8", "highlight": "#444444", "hover": "#444444"},
            "width": 1,
            "selectionWidth": 2,
        },
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "font": {"size": 14, "face": "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"},
        },
        "groups": {
            kind: {"shape": shape, "color": {"background": colour, "border": "#555555",
                                             "highlight": {"background": colour, "border": "#000000"},
                                             "hover": {"background": colour, "border": "#000000"}}}
            for kind, (shape, colour) in KIND_STYLES.items()
        },
    }
    text = {k: t[k] for k in ("shown", "found", "none")}
    data = {
        "nodes": nodes,
        "edges": edges,
        "flags": flag_rows,
        "industries": industry_rows,
        "options": options,
        "text": text,
        "sizeBy": size_by,
    }
    legend = _legend_html(present, kind_counts, flag_rows, steps, lang=lang, size_by=size_by)
    banner = _banner_html(len(nodes), len(edges), description, flag_rows, total, steps, max_nodes, lang=lang)
    return NetworkMap(
        title=title if title is not None else t["title"],
        lang=lang,
        data=data,
        legend=legend,
        banner=banner,
        height=height,
        total_nodes=total,
        steps=tuple(steps),
    )


def _map_node(
    key: str,
    attrs: Mapping[str, Any],
    position: tuple[float, float],
    *,
    lang: str,
    size_by: str,
    measure: Mapping[str, float],
    flags: Mapping[str, set[str]],
    figures: Mapping[str, Mapping[str, Any]],
    industries: Mapping[str, set[str]],
) -> dict[str, Any]:
    t = _TEXT[lang]
    kind = str(attrs.get("kind", ""))
    members = [str(m) for m in attrs.get("members", [key])]
    label = _name(attrs, lang) or key
    if len(members) > 1:
        label = f"{label} ×{len(members)}"
    value = sum(measure.get(m, 0.0) for m in members) if kind not in _META_KINDS else None
    lines = [_name(attrs, "zh")]
    if attrs.get("name_en") and attrs.get("name_en") != attrs.get("name_zh"):
        lines.append(str(attrs["name_en"]))
    lines.append(f"{_KIND_NAMES[lang].get(kind, kind)} · {key}")
    for prop in sorted(attrs):
        if prop in _NAME_FIELDS or prop in _PROVENANCE_FIELDS or prop in ("members", "type"):
            continue
        lines.append(f"{_PROP_NAMES[lang].get(prop, prop)}: {_text_value(attrs[prop], lang)}")
    if len(members) > 1:
        lines.append(f"{t['members']}: {', '.join(members[:8])}" + (
            f" … ({t['more'].format(n=len(members))})" if len(members) > 8 else ""))
    provenance = _provenance_lines(attrs, lang)
    if provenance:
        lines.append(f"— {t['provenance']} —")
        lines.extend(provenance)
    analysis = []
    if value is not None:
        analysis.append(f"{t['measure_' + size_by]}: {_text_value(round(value, 6), lang)}")
    for name, figure in figures.get(key, {}).items():
        if figure is None or (isinstance(figure, float) and math.isnan(figure)):
            continue
        analysis.append(f"{name}: {_text_value(figure, lang)}")
    if analysis:
        lines.append(f"— {t['analysis']} —")
        lines.extend(analysis)
    node_flags = []
    flag_lines = []
    for i, (flag_label, flagged) in enumerate(flags.items()):
        hits = sum(1 for m in members if m in flagged)
        if hits:
            node_flags.append(i)
            flag_lines.append(flag_label if len(members) == 1 else f"{flag_label} ×{hits}")
    if flag_lines:
        lines.append(f"— {t['flags']} —")
        lines.extend(flag_lines)
    record: dict[str, Any] = {
        "id": key,
        "label": label,
        "nameZh": str(attrs.get("name_zh") or ""),
        "nameEn": str(attrs.get("name_en") or ""),
        "kind": kind,
        "group": kind if kind in KIND_STYLES else NodeKind.SOURCE.value,
        "x": position[0],
        "y": position[1],
        "title": "\n".join(lines),
        "industries": sorted({i for m in members for i in industries.get(m, ())}),
        "flags": node_flags,
        "members": members,
        "_value": value,
    }
    if node_flags:
        colour = HIGHLIGHT_COLOURS[node_flags[0]]
        fill = KIND_STYLES.get(kind, KIND_STYLES[NodeKind.SOURCE.value])[1]
        record["borderWidth"] = 5
        record["borderWidthSelected"] = 6
        record["color"] = {"background": fill, "border": colour,
                           "highlight": {"background": fill, "border": colour},
                           "hover": {"background": fill, "border": colour}}
        record["shadow"] = {"enabled": True, "color": colour, "size": 14, "x": 0, "y": 0}
    if len(members) > 1:
        record["shapeProperties"] = {"borderDashes": [4, 3]}
    return record


def _scale_sizes(nodes: list[dict[str, Any]]) -> None:
    """Turn each node's measure into a size from 8 to 40 (square-root scale)."""
    top = max((n["_value"] for n in nodes if n["_value"] is not None), default=0.0)
    for node in nodes:
        value = node.pop("_value")
        if value is None:
            node["size"] = 14
        elif top > 0:
            node["size"] = round(8 + 32 * math.sqrt(max(value, 0.0) / top), 1)
        else:
            node["size"] = 12


def _map_edge(
    u: str, v: str, rel: str, attrs: Mapping[str, Any], drawn: nx.MultiDiGraph, *, lang: str
) -> dict[str, Any]:
    t = _TEXT[lang]
    count = int(attrs.get("count", 1))
    head = f"{_name(drawn.nodes[u], lang)} —{_REL_NAMES[lang].get(rel, rel)}→ {_name(drawn.nodes[v], lang)}"
    lines = [head, rel]
    if attrs.get("aggregated"):
        lines.append(t["relationships"].format(n=count))
    else:
        for prop in sorted(attrs):
            if prop in _PROVENANCE_FIELDS or prop in ("type", "count", "aggregated"):
                continue
            lines.append(f"{_PROP_NAMES[lang].get(prop, prop)}: {_text_value(attrs[prop], lang)}")
        provenance = _provenance_lines(attrs, lang)
        if provenance:
            lines.append(f"— {t['provenance']} —")
            lines.extend(provenance)
    record: dict[str, Any] = {"id": f"{u}|{rel}|{v}", "from": u, "to": v, "title": "\n".join(lines)}
    if attrs.get("provenance") in ("curated", "user"):
        record["dashes"] = True
    if count > 1:
        record["width"] = round(1 + math.log2(count), 1)
    return record


def _legend_html(
    kinds: Sequence[str],
    counts: Mapping[str, int],
    flags: Sequence[Mapping[str, Any]],
    steps: Sequence[str],
    *,
    lang: str,
    size_by: str,
) -> str:
    t = _TEXT[lang]
    items = ['<div class="hn-legend" aria-label="legend">', f"<strong>{html.escape(t['kinds'])}</strong>"]
    for kind in kinds:
        shape, colour = KIND_STYLES[kind]
        items.append(
            f'<label><input type="checkbox" data-hn-kind="{html.escape(kind)}" checked>'
            f"{_legend_icon(shape, colour)}{html.escape(_KIND_NAMES[lang][kind])}"
            f' <span class="hn-count">{counts[kind]}</span></label>'
        )
    for flag in flags:
        items.append(
            f"<span>{_legend_icon('dot', '#ffffff', border=str(flag['colour']))}"
            f"{html.escape(str(flag['label']))} <span class=\"hn-count\">{int(flag['count'])}</span></span>"
        )
    items.append(f"<span>{_legend_icon('line', '#888888')}{html.escape(t['edges_stated'])}</span>")
    items.append(f"<span>{_legend_icon('line', '#888888', dashed=True)}{html.escape(t['edges_curated'])}</span>")
    if steps:
        items.append(f"<span>{_legend_icon('dot', '#dddddd', dashed=True)}{html.escape(t['aggregate_member'])}</span>")
    items.append(f"<span>{html.escape(t['size_by'])}: {html.escape(t['measure_' + size_by])}</span>")
    items.append("</div>")
    return "\n".join(items)


def _banner_html(
    node_count: int,
    edge_count: int,
    description: str,
    flags: Sequence[Mapping[str, Any]],
    total: int,
    steps: Sequence[str],
    max_nodes: int,
    *,
    lang: str,
) -> str:
    t = _TEXT[lang]
    meta = f"{node_count:,} {t['nodes']} · {edge_count:,} {t['edges']}"
    if description:
        meta = f"{description} · {meta}"
    out = [f'<p class="hn-meta" id="hn-summary">{html.escape(meta)}</p>']
    chips = [
        f'<span class="hn-chip" style="border-color:{f["colour"]};color:{f["colour"]}">'
        f"{html.escape(t['count'].format(label=f['label'], n=f['count']))}</span>"
        for f in flags
    ]
    if chips:
        out.append('<div class="hn-banner" id="hn-flags">' + "".join(chips) + "</div>")
    if steps:
        sep = "；" if lang == "zh" else "; "
        note = t["aggregated"].format(
            total=f"{total:,}", limit=f"{max_nodes:,}", shown=f"{node_count:,}",
            steps=sep.join(t["step_" + s] for s in steps),
        )
        out.append(f'<p class="hn-note" id="hn-aggregated">{html.escape(note)}</p>')
    return "\n".join(out)
