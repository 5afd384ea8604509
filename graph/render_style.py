"""How the map draws: label budget, industry colours, box styles and vis-network options.

The interactive map and the static images read the same choices from
here, so that a slide shows what the page shows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import networkx as nx

from graph.render_layout import MEETING_COLUMNS, colour_industries
from graph.render_text import _TEXT, HIGHLIGHT_COLOURS, KIND_STYLES, _name
from graph.schema import NodeKind, RelType

__all__ = ["GEO_LABEL_BUDGET", "INDUSTRY_PALETTE", "LABEL_BUDGET", "LABEL_FONT", "MIN_SCREEN_FONT", "VIEWS"]

#: The drawings a map can be: columns for a meeting, the whole force layout, places.
VIEWS = ("meeting", "full", "geo")

#: Unflagged nodes, by PageRank, that carry a label before any zoom.
LABEL_BUDGET = 30

#: Nodes labelled at fit in the geo view, where Hainan's units crowd one corner.
GEO_LABEL_BUDGET = 12

#: Size of a label, in layout units.
LABEL_FONT = 16

#: The smallest label on screen at fit, in CSS pixels; the page enlarges labels to keep it.
MIN_SCREEN_FONT = 14

#: The longest label of a box in the meeting view, in characters; the full name is in the panel.
MAX_LABEL_CHARS = 12

#: Colours of the industries a map colours by, in order of first use; the rest share the last.
INDUSTRY_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#e15759",
    "#86bcb6",
    "#8cd17d",
    "#d4a6c8",
    "#bab0ac",
)

_UNIT_FILL = "#eef5ec"
_UNIT_BORDER = "#2ca02c"
_FONT_FACE = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


def label_budget(
    drawn: nx.MultiDiGraph, flagged: Collection[str], pagerank: Mapping[str, float], budget: int
) -> set[str]:
    """Return the nodes that carry a label at fit: every flagged one and the ``budget`` of highest PageRank.

    When the nodes carry a ``column`` (the meeting view), the budget is
    shared evenly among the columns, so that partners, cooperations and
    units each get their best-known names labelled.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("c", "d")])
    >>> sorted(label_budget(G, {"d"}, {"a": 0.4, "b": 0.3, "c": 0.2, "d": 0.1}, 1))
    ['a', 'd']
    """
    shown = {str(k) for k in drawn if k in flagged or any(m in flagged for m in drawn.nodes[k].get("members", ()))}
    groups: dict[str, list[str]] = {}
    for key in sorted(drawn, key=str):
        if str(key) not in shown:
            groups.setdefault(str(drawn.nodes[key].get("column", "")), []).append(str(key))
    share = budget if len(groups) <= 1 else -(-budget // len(groups))
    for keys in groups.values():
        keys.sort(key=lambda k: (-pagerank.get(k, 0.0), k))
        shown.update(keys[:share])
    return shown


def first_field_name(G: nx.MultiDiGraph, key: str) -> str:
    """Return the name of the first field (``IN_FIELD``) of a node, or an empty string."""
    fields = sorted(v for _, v, r in G.out_edges(key, keys=True) if r == RelType.IN_FIELD.value) if key in G else []
    return _name(G.nodes[fields[0]], "zh") if fields else ""


def industry_colours(G: nx.MultiDiGraph, drawn: nx.MultiDiGraph) -> dict[str, str]:
    """Return the colour of each colour-giving industry used by the drawn cooperations and needs.

    Industries are taken in order of how many drawn nodes use them, most
    first; past the palette they share its last colour.
    """
    rollup = colour_industries(G)
    uses: dict[str, int] = {}
    for key in drawn:
        for field in node_fields(G, str(key), rollup):
            uses[field] = uses.get(field, 0) + 1
    ordered = sorted(uses, key=lambda k: (-uses[k], k))
    return {k: INDUSTRY_PALETTE[min(i, len(INDUSTRY_PALETTE) - 1)] for i, k in enumerate(ordered)}


def node_fields(G: nx.MultiDiGraph, key: str, rollup: Mapping[str, str]) -> list[str]:
    """Return the colour-giving industries of a cooperation or need, sorted."""
    if key not in G or G.nodes[key].get("kind") not in (NodeKind.COOPERATION.value, NodeKind.NEED.value):
        return []
    fields = {rollup.get(str(v), str(v)) for _, v, r in G.out_edges(key, keys=True) if r == RelType.IN_FIELD.value}
    return sorted(fields)


def _tint(colour: str, amount: float) -> str:
    """Return ``colour`` mixed with white: 0 is white, 1 the colour."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * amount):02x}" for c in rgb)


def _ink(fill: str) -> str:
    r, g, b = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 150 else "#1a1a1a"


def node_fill(G: nx.MultiDiGraph, node: Mapping[str, Any], colours: Mapping[str, str]) -> tuple[str, str]:
    """Return the fill and border of a node of the meeting view."""
    kind = str(node["kind"])
    rollup = colour_industries(G)
    fields = [f for f in node_fields(G, str(node["id"]), rollup) if f in colours]
    if kind == NodeKind.COOPERATION.value:
        fill = colours[fields[0]] if fields else "#bbbbbb"
        return fill, fill
    if kind == NodeKind.NEED.value:
        return _tint(colours[fields[0]], 0.35) if fields else "#ffffff", "#888888"
    if kind == NodeKind.DEMAND_UNIT.value:
        return _UNIT_FILL, _UNIT_BORDER
    colour = KIND_STYLES.get(kind, KIND_STYLES[NodeKind.SOURCE.value])[1]
    return _tint(colour, 0.22), colour


def meeting_style(node: dict[str, Any], G: nx.MultiDiGraph, colours: Mapping[str, str]) -> None:
    """Give a node record of the meeting view its box (labelled) or dot (not) and its colours."""
    fill, border = node_fill(G, node, colours)
    node["fill"] = fill
    flagged = bool(node["flags"])
    if flagged:
        border = HIGHLIGHT_COLOURS[node["flags"][0]]
    colour = {
        "background": fill,
        "border": border,
        "highlight": {"background": fill, "border": "#000000"},
        "hover": {"background": fill, "border": "#000000"},
    }
    node["color"] = colour
    node["borderWidth"] = 3 if flagged else 1.5
    node["borderWidthSelected"] = 5
    node.pop("size", None)
    if node["labelled"]:
        node["shape"] = "box"
        node["margin"] = 3
        node["font"] = {"size": LABEL_FONT, "color": _ink(fill) if not flagged or node["kind"] != "Need" else "#1a1a1a"}
        node["label"] = short_label(str(node["label"]))
    else:
        node["shape"] = "dot"
        node["size"] = 6
        node["font"] = {"size": 12, "color": "#333333"}
    node.pop("shadow", None)


def short_label(label: str, most: int = MAX_LABEL_CHARS) -> str:
    """Return ``label`` cut to ``most`` characters with an ellipsis, so that a box fits its column.

    Examples
    --------
    >>> short_label("广东、广西国家农业科技园区—海南儋州、陵水、三亚国家农业科技园区合作", 10)
    '广东、广西国家农业…'
    """
    return label if len(label) <= most else label[: most - 1] + "…"


def column_headers(
    positions: Mapping[str, tuple[float, float]], drawn: nx.MultiDiGraph, lang: str
) -> list[dict[str, Any]]:
    """Return the heading of each meeting column present, placed above its top node."""
    t = _TEXT[lang]
    top = min((y for _, y in positions.values()), default=0.0)
    out = []
    for column in MEETING_COLUMNS:
        xs = [positions[k][0] for k, c in drawn.nodes(data="column") if c == column]
        if xs:
            out.append(
                {
                    "id": f"hn-column:{column}",
                    "label": t["col_" + column],
                    "x": xs[0],
                    "y": top - 40,
                    "shape": "text",
                    "font": {"size": 18, "color": "#444444"},
                    "kind": "",
                    "header": True,
                    "fixed": True,
                    "physics": False,
                }
            )
    return out


def legend_colours(
    colours: Mapping[str, str], flags: Mapping[str, set[str]], G: nx.MultiDiGraph, lang: str
) -> list[dict[str, Any]]:
    """Return the industry colour rows of the legend, flagged industries marked in their flag's colour."""
    rows = []
    seen: set[str] = set()
    crowded = len(colours) > len(INDUSTRY_PALETTE)
    for key, colour in colours.items():
        other = crowded and colour == INDUSTRY_PALETTE[-1]
        if other and colour in seen:
            continue
        seen.add(colour)
        label = _TEXT[lang]["other_industries"] if other else _name(G.nodes[key], lang)
        row: dict[str, Any] = {"key": key, "label": label, "colour": colour}
        for i, (flag, keys) in enumerate(flags.items()):
            if key in keys and not other:
                row.update({"flag": HIGHLIGHT_COLOURS[i], "flagText": flag})
                break
        rows.append(row)
    return rows


def vis_options(view: str, *, large: bool) -> dict[str, Any]:
    """Return vis-network's options for a view: physics off, hover tooltips, curved edges in columns."""
    meeting = view == "meeting"
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {
            "hover": not large,
            "tooltipDelay": 250,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": True,
            "navigationButtons": False,
            "keyboard": False,
        },
        "edges": {
            "smooth": {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.5}
            if meeting
            else False,
            "arrows": {"to": {"enabled": not meeting, "scaleFactor": 0.4}},
            "color": {"color": "#9a9a9a", "highlight": "#222222", "hover": "#222222", "opacity": 0.7},
            "width": 1.2 if meeting else 1,
            "selectionWidth": 2,
        },
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "font": {"size": LABEL_FONT, "face": _FONT_FACE},
        },
    }
