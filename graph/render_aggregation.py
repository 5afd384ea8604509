"""Aggregation of a graph too big to draw: needs into units, units and parks into regions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from graph.render_text import _TEXT, _VALUE_NAMES, LANGUAGES, _name
from graph.schema import NodeKind, RelType

__all__ = ["MAX_MAP_NODES", "aggregated_graph"]

#: Above this many nodes a map aggregates (see :func:`aggregated_graph`).
MAX_MAP_NODES = 2500


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
    return {"key": key, "kind": kind, "name_zh": name_zh, "name_en": name_en, "aggregated": True}


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
