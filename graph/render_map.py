"""The interactive network map: nodes, relationships, legend and banner as one page.

This module knows nothing of the analysis: callers pass highlight sets and
per-node figures computed elsewhere.
"""

from __future__ import annotations

import html
import json
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import HainetError
from graph.fields import rolled_up, superfields
from graph.render_aggregation import MAX_MAP_NODES, aggregated_graph
from graph.render_html import HtmlParts, _asset, _vis_asset, html_document, script_json
from graph.render_measures import _SEED, SIZE_MEASURES, node_centrality, node_positions
from graph.render_text import (
    _KIND_NAMES,
    _PROP_NAMES,
    _REL_NAMES,
    _TEXT,
    _VALUE_NAMES,
    HIGHLIGHT_COLOURS,
    KIND_STYLES,
    _check_lang,
    _name,
)
from graph.render_views import _META_KINDS, _find_node, ego_subgraph, industry_subgraph, keys_from, subgraph_from_keys
from graph.schema import PROVENANCE_FIELDS, NodeKind, RelType

__all__ = ["NetworkMap", "network_map"]

_PROVENANCE_FIELDS = PROVENANCE_FIELDS
_NAME_FIELDS = ("key", "kind", "name_zh", "name_en")


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
