"""The report's map: which nodes it shows, and a static SVG of it for print.

A printed page cannot show 200 nodes legibly, and a canvas does not print
well.  :func:`core_keys` picks what a meeting needs to see: the unmatched
needs and their units, the industries in trouble, the top hubs, and the
cooperations that tie them.  The report draws the interactive map of those
nodes on screen and :func:`map_svg` draws the same nodes, at the same
positions, as an SVG for print: one layout, two media.

:func:`map_svg` is deliberately small; a fuller SVG renderer in
:mod:`graph` can take its place with the same input (a
:class:`graph.render.NetworkMap`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph.labels import label
from graph.render import HIGHLIGHT_COLOURS, KIND_STYLES, NetworkMap
from graph.schema import NodeKind
from queries.findings import ReportAnalysis

__all__ = ["MAP_BUDGET", "core_keys", "map_legend_html", "map_svg"]

#: At most this many partners, units, industries and needs on the report's map (cooperations come on top).
MAP_BUDGET = 48

_COOPERATIONS = 40
_NEEDS = 12
_PARTNER_KINDS = (NodeKind.REGION.value, NodeKind.PARK.value, NodeKind.DEPARTMENT.value)
_MARGIN = 60.0
_FONT = 15.0


def core_keys(G: nx.MultiDiGraph, analysis: ReportAnalysis, *, budget: int = MAP_BUDGET) -> list[str]:
    """Return the nodes the report's map shows, most important first.

    In order: the first unmatched needs (at most 12) with their units and
    industries; the industries with no partner, one partner or only
    sub-fields, and up to 8 of their partners; up to 8 partner hubs by
    PageRank; then any hubs, until ``budget`` nodes.  Then the cooperations that tie
    two of them (at most 40), so that the map shows who works with whom.

    Parameters
    ----------
    G
        The graph.
    analysis
        The report's analysis.
    budget
        Nodes other than cooperations.

    Returns
    -------
    list of str
        Node keys of ``G``.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> from queries.findings import report_analysis
    >>> G = example_graph()
    >>> keys = core_keys(G, report_analysis(G))
    >>> "need:boao:tourism" in keys, len(keys) == len(set(keys))
    (True, True)
    """
    chosen: dict[str, None] = {}

    def add(keys: Iterable[object], limit: int = budget) -> None:
        for key in keys:
            if len(chosen) >= min(budget, limit):
                return
            if isinstance(key, str) and key in G:
                chosen.setdefault(key, None)

    needs = analysis.needs.head(_NEEDS)
    add(needs["need_key"])
    add(needs["unit_key"])
    add(needs["industry_key"])
    gaps = analysis.gaps
    weak = gaps[gaps["status"] != "covered"]
    add(weak["industry_key"])
    add([p for partners in weak["partners"] for p in partners], limit=len(chosen) + 8)
    hubs = analysis.hubs
    partners = hubs[hubs["actor_kind"].isin(_PARTNER_KINDS)]["actor_key"]
    add(partners, limit=len(chosen) + 8)
    add(hubs["actor_key"])
    core = set(chosen)
    ties: dict[str, int] = {}
    for key in core:
        for coop in nx.all_neighbors(G, key):
            if G.nodes[coop].get("kind") == NodeKind.COOPERATION.value:
                ties[coop] = ties.get(coop, 0) + 1
    tying = sorted((c for c, n in ties.items() if n >= 2), key=lambda c: (-ties[c], c))[:_COOPERATIONS]
    return [*chosen, *tying]


def _shape(kind: str, x: float, y: float, r: float, fill: str, stroke: str, width: float) -> str:
    style = f'fill="{fill}" stroke="{stroke}" stroke-width="{width:.1f}"'
    if kind in (NodeKind.PARK.value, NodeKind.SOURCE.value):
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {style}/>'
    if kind == NodeKind.DEMAND_UNIT.value:
        points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        return f'<polygon points="{points}" {style}/>'
    if kind in (NodeKind.DEPARTMENT.value, NodeKind.NEED.value):
        d = -1 if kind == NodeKind.DEPARTMENT.value else 1
        points = f"{x:.1f},{y + d * r:.1f} {x + r:.1f},{y - d * r:.1f} {x - r:.1f},{y - d * r:.1f}"
        return f'<polygon points="{points}" {style}/>'
    if kind == NodeKind.COOPERATION.value:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r * 0.6:.1f}" {style}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'


def _labels(nodes: list[dict[str, Any]], where: dict[str, tuple[float, float]]) -> list[str]:
    """Return the labels that fit: flagged and larger nodes first, a label that would overlap one placed is left out."""
    placed: list[tuple[float, float, float, float]] = []
    out = []
    order = sorted((n for n in nodes if n["kind"] not in (NodeKind.COOPERATION.value, NodeKind.NEED.value)),
                   key=lambda n: (not n.get("flags"), -float(n.get("size", 0)), str(n["id"])))
    for node in order:
        text = str(node["label"])
        x, y = where[node["id"]]
        r = max(5.0, float(node.get("size", 12)) * 0.6)
        width = sum(_FONT if ord(c) > 0x2E7F else _FONT * 0.55 for c in text)
        box = (x - width / 2, y + r + 2, x + width / 2, y + r + _FONT + 4)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        out.append(f'<text x="{x:.1f}" y="{y + r + _FONT:.1f}" text-anchor="middle" fill="#222" stroke="#fff" '
                   f'stroke-width="3" paint-order="stroke">{html.escape(text)}</text>')
    return out


def map_svg(the_map: NetworkMap, *, labels: bool = True) -> str:
    """Return ``the_map`` as a static SVG: the same nodes at the same positions, flags as red rings.

    Every text is escaped; the SVG holds no script and no link.

    Parameters
    ----------
    the_map
        A map from :func:`graph.render.network_map`.
    labels
        Label the nodes, except cooperations and needs (a need sits beside
        its unit, flagged), flagged and larger nodes first; a label that
        would overlap one already placed is left out.

    Returns
    -------
    str
        An ``<svg>`` element that scales to its container's width.

    Examples
    --------
    >>> from graph.render import network_map
    >>> from queries._examples import example_graph
    >>> svg = map_svg(network_map(example_graph(), highlight={"未覆盖": ["need:boao:tourism"]}))
    >>> svg.startswith("<svg") and "<script" not in svg and "海南省" in svg
    True
    """
    nodes = the_map.data["nodes"]
    if not nodes:
        return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img"></svg>'
    xs = [float(n["x"]) for n in nodes]
    ys = [float(n["y"]) for n in nodes]
    left, top = min(xs) - _MARGIN * 2, min(ys) - _MARGIN
    width, height = max(xs) - left + _MARGIN * 2, max(ys) - top + _MARGIN
    where = {n["id"]: (float(n["x"]), float(n["y"])) for n in nodes}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:.0f} {top:.0f} {width:.0f} {height:.0f}" '
        f'role="img" aria-label="{html.escape(the_map.title, quote=True)}" class="hn-map-svg" '
        f'font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif" font-size="{_FONT:.0f}">',
        f"<title>{html.escape(the_map.title)}</title>",
        '<g stroke="#b8b8b8" stroke-width="1">',
    ]
    for edge in the_map.data["edges"]:
        if edge["from"] in where and edge["to"] in where:
            (x1, y1), (x2, y2) = where[edge["from"]], where[edge["to"]]
            dash = ' stroke-dasharray="4 3"' if edge.get("dashes") else ""
            out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"{dash}/>')
    out.append("</g>")
    for node in sorted(nodes, key=lambda n: n["kind"] != NodeKind.COOPERATION.value):
        kind = str(node["kind"])
        fill = KIND_STYLES.get(kind, KIND_STYLES[NodeKind.SOURCE.value])[1]
        r = max(5.0, float(node.get("size", 12)) * 0.6)
        node_flags = node.get("flags") or []
        stroke, stroke_width = ("#555", 1.0)
        if node_flags:
            stroke, stroke_width = HIGHLIGHT_COLOURS[node_flags[0] % len(HIGHLIGHT_COLOURS)], 4.0
        x, y = where[node["id"]]
        out.append(_shape(kind, x, y, r, fill, stroke, stroke_width))
    if labels:
        out.extend(_labels(nodes, where))
    out.append("</svg>")
    return "\n".join(out)


def map_legend_html(the_map: NetworkMap) -> str:
    """Return the legend of :func:`map_svg` as HTML: the node kinds drawn, then the flags with their counts.

    Examples
    --------
    >>> from graph.render import network_map
    >>> from queries._examples import example_graph
    >>> "需求单位" in map_legend_html(network_map(example_graph()))
    True
    """
    nodes = the_map.data["nodes"]
    items = []
    for kind, (_, colour) in KIND_STYLES.items():
        if any(n["kind"] == kind for n in nodes):
            items.append(f'<span class="hn-key"><svg viewBox="-8 -8 16 16" width="14" height="14">'
                         f'{_shape(kind, 0, 0, 6, colour, "#555", 1.0)}</svg>{html.escape(label(kind, the_map.lang))}'
                         "</span>")
    for flag in the_map.data.get("flags", []):
        if not flag["count"]:
            continue
        colour = html.escape(str(flag["colour"]), quote=True)
        items.append(f'<span class="hn-key"><svg viewBox="-8 -8 16 16" width="14" height="14"><circle r="5" '
                     f'fill="none" stroke="{colour}" stroke-width="3"/></svg>'
                     f'{html.escape(str(flag["label"]))} {int(flag["count"])}</span>')
    return '<p class="hn-map-legend">' + "".join(items) + "</p>"
