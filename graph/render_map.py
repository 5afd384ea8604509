"""The interactive network map: nodes, relationships, legend and banner as one page.

This module knows nothing of the analysis: callers pass highlight sets and
per-node figures computed elsewhere.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from graph.errors import HainetError
from graph.evidence import allowed_levels
from graph.fields import rolled_up, superfields
from graph.render_aggregation import MAX_MAP_NODES, aggregated_graph
from graph.render_html import HtmlParts, _asset, _vis_asset, html_document, script_json
from graph.render_layout import HAINAN_MAGNIFY, geo_positions, layered_positions, meeting_subgraph
from graph.render_legend import _banner_html, _legend_html
from graph.render_measures import _SEED, SIZE_MEASURES, node_centrality, node_positions
from graph.render_panel import coverage_by_key, node_panel, tour
from graph.render_records import _map_edge, _map_node, _scale_sizes
from graph.render_style import (
    GEO_LABEL_BUDGET,
    LABEL_BUDGET,
    LABEL_FONT,
    MIN_SCREEN_FONT,
    VIEWS,
    column_headers,
    first_field_name,
    industry_colours,
    legend_colours,
    meeting_style,
    short_label,
    vis_options,
)
from graph.render_style import label_budget as _labelled
from graph.render_text import (
    _TEXT,
    HIGHLIGHT_COLOURS,
    KIND_STYLES,
    _check_lang,
    _name,
)
from graph.render_views import _find_node, ego_subgraph, industry_subgraph, keys_from, subgraph_from_keys
from graph.render_webgl import (
    EDGE_EVIDENCE,
    RENDERERS,
    chosen_renderer,
    compact_edges,
    compact_node,
    webgl_html,
    webgl_parts,
)
from graph.schema import NodeKind, RelType

__all__ = ["EVIDENCE_SWITCH", "VIEWS", "NetworkMap", "network_map"]

#: The choices of the map's in-page evidence switch, widest first.
EVIDENCE_SWITCH = ("all", "curated", "stated")

#: Page texts the map's script reads.
_PAGE_TEXT = (
    "shown",
    "found",
    "none",
    "matches",
    "covered",
    "not_covered",
    "step_of",
    "no_unmatched",
    "close",
    "neighbours_only",
    "show_all",
    "panel_evidence",
    "panel_section",
    "panel_quote",
    "panel_basis",
    "panel_needs",
    "panel_partners",
    "panel_cooperations",
    "panel_units",
    "panel_fields",
    "panel_status",
    "panel_reason",
    "panel_closest",
    "panel_recommended",
    "panel_conclusion",
)


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
    height: int | None
    total_nodes: int
    steps: tuple[str, ...] = field(default=())
    renderer: str = "canvas"

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
        """Tell whether nodes were merged to keep the map under its ``max_nodes``."""
        return bool(self.steps)

    @property
    def flag_counts(self) -> dict[str, int]:
        """Return each highlight category and how many original nodes in the map carry it."""
        return {str(f["label"]): int(f["count"]) for f in self.data["flags"]}

    def body_html(self) -> str:
        """Return the map's markup: banner, tools, drawing area, side panel and legend, then its data."""
        t = _TEXT[self.lang]
        flagged = (
            f'<label><input type="checkbox" id="hn-flagged-only"> {html.escape(t["flagged_only"])}</label>'
            if self.data["flags"]
            else ""
        )
        evidence = "".join(
            f'<option value="{level}">{html.escape(t["evidence_" + level])}</option>' for level in EVIDENCE_SWITCH
        )
        present = (
            f'<button type="button" id="hn-present">{html.escape(t["present"])}</button>' if self.data["tour"] else ""
        )
        size = f' style="height:{int(self.height)}px"' if self.height else ""
        return "\n".join(
            [
                self.banner,
                f'<section class="hn-map" id="hn-map" data-view="{html.escape(str(self.data["view"]))}"{size}>',
                '<div class="hn-tools">',
                '<form id="hn-search-form" role="search">'
                f'<input type="search" id="hn-search" list="hn-names" placeholder="{html.escape(t["search"])}" '
                f'aria-label="{html.escape(t["search"])}">'
                f'<button type="submit">{html.escape(t["find"])}</button></form>',
                '<datalist id="hn-names"></datalist>',
                f'<label>{html.escape(t["industry"])} <select id="hn-industry">'
                f'<option value="">{html.escape(t["all_industries"])}</option></select></label>',
                f'<label>{html.escape(t["evidence_switch"])} <select id="hn-evidence">{evidence}</select></label>',
                flagged,
                f'<button type="button" id="hn-neighbours" disabled>{html.escape(t["neighbours_only"])}</button>',
                f'<button type="button" id="hn-fit">{html.escape(t["fit"])}</button>',
                present,
                '<span id="hn-status" aria-live="polite"></span>',
                "</div>",
                '<div class="hn-body">',
                '<div id="hn-network"></div>',
                '<aside class="hn-aside" id="hn-aside">',
                '<div id="hn-matches" class="hn-matches" hidden></div>',
                '<div id="hn-panel" class="hn-panel" hidden role="dialog" aria-labelledby="hn-panel-title">'
                f'<button type="button" id="hn-panel-close" class="hn-close">{html.escape(t["close"])}</button>'
                '<h2 id="hn-panel-title"></h2><div id="hn-panel-body"></div></div>',
                self.legend,
                "</aside>",
                '<div id="hn-stage" class="hn-stage" hidden aria-live="polite"><p id="hn-stage-count"></p>'
                '<h2 id="hn-stage-title"></h2><ul id="hn-stage-lines"></ul></div>',
                "</div>",
                "</section>",
                f'<script type="application/json" id="hn-data">{script_json(self.data)}</script>',
            ]
        )

    def parts(self) -> HtmlParts:
        """Return the map as pieces to place in a page with :func:`html_document`."""
        if self.renderer == "webgl":
            return webgl_parts(self)
        return HtmlParts(
            body=self.body_html(),
            styles=(_vis_asset("vis-network.css"), _asset("map.css")),
            scripts=(_vis_asset("vis-network.min.js"), _asset("panel.js"), _asset("map.js")),
        )

    def html(self) -> str:
        """Return the map as one self-contained HTML page that fills the window."""
        if self.renderer == "webgl":
            return webgl_html(self)
        parts = self.parts()
        page = HtmlParts(body=parts.body, styles=(*parts.styles, _asset("map-page.css")), scripts=parts.scripts)
        return html_document([page], title=self.title, lang=self.lang)

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` as UTF-8 and return the path."""
        target = Path(path)
        target.write_text(self.html(), encoding="utf-8")
        return target

    def _repr_html_(self) -> str:
        page = html.escape(self.html(), quote=True)
        return (
            f'<iframe srcdoc="{page}" sandbox="allow-scripts" title="{html.escape(self.title, quote=True)}" '
            f'style="width:100%;height:{int(self.height or 760)}px;border:0"></iframe>'
        )


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


def _without_kinds(G: nx.MultiDiGraph, hidden: set[str]) -> nx.MultiDiGraph:
    """Return ``G`` without its nodes of the ``hidden`` kinds: ``G`` itself when it has none (never changed)."""
    keep = {n for n, kind in G.nodes(data="kind") if kind not in hidden}
    if len(keep) == G.number_of_nodes():
        return G
    # Built afresh, not copied and pruned: removing a source's thousands of edges one by one is the slow part.
    H = nx.MultiDiGraph(**G.graph)
    H.add_nodes_from((n, attrs) for n, attrs in G.nodes(data=True) if n in keep)
    H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u in keep and v in keep)
    return H


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


def network_map(
    G: nx.MultiDiGraph,
    *,
    industry: str | None = None,
    focus: str | None = None,
    radius: int = 2,
    keys: pd.DataFrame | Iterable[str] | None = None,
    highlight: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
    coverage: pd.DataFrame | Mapping[str, Mapping[str, Any]] | None = None,
    figures: pd.DataFrame | Mapping[str, Mapping[str, Any]] | None = None,
    view: str = "meeting",
    label_budget: int = LABEL_BUDGET,
    lang: str = "zh",
    size_by: str = "pagerank",
    title: str | None = None,
    hide_kinds: Collection[str] = (NodeKind.SOURCE.value, NodeKind.MONITORING.value),
    max_nodes: int | None = None,
    height: int | None = None,
    seed: int = _SEED,
    renderer: str = "auto",
) -> NetworkMap:
    """Return an interactive map of ``G``, or of one view of it.

    The part drawn is the whole graph, unless one of ``industry`` (see
    :func:`industry_subgraph`), ``focus`` (see :func:`ego_subgraph`) or
    ``keys`` (see :func:`subgraph_from_keys`) picks a part.  ``view``
    chooses the drawing: ``meeting`` (default) lays partners, cooperations,
    Hainan units and flagged needs out in columns
    (:func:`graph.render_layout.meeting_subgraph`), cooperations and needs
    coloured by industry; ``full`` draws every node with a force layout,
    coloured and shaped by kind (:data:`KIND_STYLES`) and sized by a
    centrality of the whole graph (:func:`node_centrality`); ``geo`` places
    nodes at the approximate seat of their place
    (:func:`graph.render_layout.geo_positions`).  Only flagged nodes and the
    ``label_budget`` nodes of highest PageRank carry a label at first; the
    others show theirs on zoom and hover.  A click opens a side panel
    (:func:`graph.render_panel.node_panel`).  Tooltips show
    each node's facts, their provenance (section and quote, or curated
    basis) and its figures, as plain text.  Highlighted nodes get a thick
    border and halo in their category's colour, a legend entry and a count
    in the banner.  ``renderer`` draws with vis-network on a canvas or with
    sigma.js in WebGL (:mod:`graph.render_webgl`), by default WebGL above
    :data:`~graph.render_webgl.WEBGL_ABOVE` nodes.  With more than
    ``max_nodes`` nodes the view is first aggregated
    (:func:`aggregated_graph`) and the banner says how; on a canvas
    ``max_nodes`` defaults to :data:`MAX_MAP_NODES`, while WebGL draws
    every node unless ``max_nodes`` is given.

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
    coverage
        Per need, whether and how it is covered, as computed by the
        questions: a DataFrame with a ``key`` column and some of
        :data:`graph.render_panel.COVERAGE_COLUMNS`, or a mapping of key to
        such a row.  The side panel and the presentation show it.
    figures
        Figures to show in tooltips: a DataFrame with a ``key`` column
        (other columns are the figures; the first row of a key counts), or
        a mapping of key to ``{figure: value}``.
    view
        One of :data:`VIEWS`.
    label_budget
        How many unflagged nodes, by PageRank, carry a label at fit.
    lang
        ``zh`` (default) or ``en``: labels and page text.
    size_by
        One of :data:`SIZE_MEASURES`.
    title
        The page heading; a default one names the view.
    hide_kinds
        Node kinds left out of the map; by default the source document,
        which every stated fact points to (its quotes are in the tooltips),
        and monitoring records, which are about the network, not part of it.
    max_nodes
        Aggregate above this many nodes; by default :data:`MAX_MAP_NODES`
        on a canvas and no limit with WebGL.
    height
        Height of the map in CSS pixels; by default it fills the window.
    seed
        Seed of the layout and of sampled measures.
    renderer
        ``auto`` (default), ``canvas`` or ``webgl``.

    Returns
    -------
    NetworkMap
        ``.html()``, ``.save(path)``, inline display in Jupyter.

    Raises
    ------
    HainetError
        On an unknown language, measure, renderer, industry or focus, or when more
        than one of ``industry``, ``focus`` and ``keys`` is given.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("region:s", key="region:s", kind="Region", name_zh="上海市", name_en="Shanghai")
    >>> G.add_node("coop:a", key="coop:a", kind="Cooperation", name_zh="沪琼合作", name_en="SH-HN")
    >>> _ = G.add_edge("region:s", "coop:a", key="PARTNER_IN", type="PARTNER_IN", provenance="stated")
    >>> m = network_map(G, highlight={"未覆盖需求": {"coop:a"}}, view="full")
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
    if view not in VIEWS:
        msg = f"unknown view {view!r}: choose one of {', '.join(VIEWS)}"
        raise HainetError(msg)
    chosen = [name for name, value in (("industry", industry), ("focus", focus), ("keys", keys)) if value is not None]
    if len(chosen) > 1:
        msg = f"choose one view, not {' and '.join(chosen)}"
        raise HainetError(msg)
    if renderer not in RENDERERS:
        msg = f"unknown renderer {renderer!r}: choose one of {', '.join(RENDERERS)}"
        raise HainetError(msg)
    if max_nodes is not None and max_nodes < 1:
        msg = f"max_nodes must be at least 1, not {max_nodes}"
        raise HainetError(msg)
    if label_budget < 0:
        msg = f"label_budget must be 0 or more, not {label_budget}"
        raise HainetError(msg)
    t = _TEXT[lang]
    hidden = set(hide_kinds)
    base = _without_kinds(G, hidden)
    if industry is not None:
        part = industry_subgraph(base, industry)
        key = _find_node(base, industry, {NodeKind.INDUSTRY.value})
        description = t["view_industry"].format(name=_name(base.nodes[key], lang))
    elif focus is not None:
        part = ego_subgraph(base, focus, radius=radius)
        key = _find_node(base, focus)
        description = t["view_focus"].format(name=_name(base.nodes[key], lang), radius=radius)
    elif keys is not None:
        part = subgraph_from_keys(base, keys)
        description = t["view_keys"]
    else:
        part = base
        description = ""
    flags = _highlight_sets(highlight, lang)
    covered = coverage_by_key(coverage)
    extra = _figures_by_key(figures)
    measure = node_centrality(base, size_by, seed=seed)
    pagerank = measure if size_by == "pagerank" else node_centrality(base, "pagerank", seed=seed)
    industries = _node_industries(base)
    total = part.number_of_nodes()
    drawing = chosen_renderer(renderer, total)
    if max_nodes is None:
        max_nodes = MAX_MAP_NODES if drawing == "canvas" else max(total, 1)
    flagged_keys = set().union(*flags.values()) if flags else set()
    if view in ("meeting", "geo"):
        drawn = meeting_subgraph(part, flagged_keys)
        steps: list[str] = []
        # Columns are for a meeting: past a canvas map's size they would be a wall, so draw it whole.
        if drawn.number_of_nodes() == 0 or drawn.number_of_nodes() > min(max_nodes, MAX_MAP_NODES):
            view = "full"
    if view == "full":
        drawn, steps = (part, []) if total <= max_nodes else aggregated_graph(part, max_nodes=max_nodes)
    # On places, needs crowd their unit: they keep their flag colour but show their name on hover.
    if view == "geo":
        labelled = _labelled(drawn, set(), pagerank, min(label_budget, GEO_LABEL_BUDGET))
    else:
        labelled = _labelled(drawn, flagged_keys, pagerank, label_budget)
    if view == "meeting":
        first = {k: first_field_name(base, k) for k in drawn}
        positions = layered_positions(drawn, first=first, labelled=labelled)
        description = " · ".join(x for x in (description, t["view_meeting_note"]) if x)
    elif view == "geo":
        positions = geo_positions(drawn)
        description = " · ".join(x for x in (description, t["view_geo_note"].format(m=HAINAN_MAGNIFY)) if x)
    else:
        positions = node_positions(drawn, seed=seed)

    nodes = [
        _map_node(
            key,
            attrs,
            positions[key],
            lang=lang,
            size_by=size_by,
            measure=measure,
            flags=flags,
            figures=extra,
            industries=industries,
        )
        for key, attrs in sorted(drawn.nodes(data=True))
    ]
    _scale_sizes(nodes)
    webgl = drawing == "webgl"
    colours = industry_colours(base, drawn) if view == "meeting" else {}
    for node in nodes:
        node["panel"] = node_panel(base, node["id"], lang=lang, coverage=covered) if node["id"] in base else {}
        node["labelled"] = node["id"] in labelled
        if view == "meeting":
            meeting_style(node, base, colours)
        elif view == "geo" and node.get("label"):
            node["label"] = short_label(str(node["label"]), 8)
        if not node["labelled"]:
            node["fullLabel"] = node.pop("label")
        if webgl:
            # The side panel says what the tooltip said; WebGL shows no tooltips, so no text twice.
            del node["title"]
    ordered = sorted(drawn.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1]))
    if webgl:
        nodes = [compact_node(node) for node in nodes]
        index = {node["id"]: i for i, node in enumerate(nodes)}
        edges: list[Any] = compact_edges(((u, v, attrs) for u, v, _rel, attrs in ordered), index)
    else:
        edges = [_map_edge(u, v, rel, attrs, drawn, lang=lang) for u, v, rel, attrs in ordered]
    # Industries are colours, not nodes, in the meeting view: count the flags of all those in the part.
    in_part = {str(k) for k, kind in part.nodes(data="kind") if kind == NodeKind.INDUSTRY.value}
    in_view = {m for n in nodes for m in n.pop("members")} | in_part
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
    headers = column_headers(positions, drawn, lang) if view == "meeting" else []
    colour_rows = legend_colours(colours, flags, base, lang)
    data = {
        "nodes": nodes,
        "edges": edges,
        "headers": headers,
        "flags": flag_rows,
        "industries": industry_rows,
        "options": vis_options(view, large=len(nodes) > 800),
        "text": {k: t[k] for k in _PAGE_TEXT},
        "sizeBy": size_by,
        "view": view,
        "fontSize": LABEL_FONT,
        "minScreenFont": MIN_SCREEN_FONT,
        "tour": tour(nodes, drawn, flags, covered, lang),
        "legendColours": colour_rows,
        # What each choice of the in-page evidence switch admits: the same rule as --evidence.
        "evidenceAdmits": {choice: list(allowed_levels(choice)) for choice in EVIDENCE_SWITCH},
    }
    if webgl:
        data["edgeEvidence"] = list(EDGE_EVIDENCE)
    legend = _legend_html(
        present, kind_counts, flag_rows, steps, lang=lang, size_by=size_by, view=view, colours=colour_rows
    )
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
        renderer=drawing,
    )
