"""The WebGL map: the same map data, legend, search and filters, drawn with sigma.js for large graphs.

vis-network draws on a 2D canvas and slows past a few thousand nodes;
sigma.js draws nodes and edges with WebGL and stays interactive with tens
of thousands.  Its labels are drawn on a 2D canvas, not from a glyph atlas,
so any number of distinct Chinese characters renders.  The JavaScript
(sigma.js and graphology, both MIT) is bundled in ``graph/templates/lib``
by ``scripts/build-webgl-bundle`` and inlined: the page is one offline file
under the same Content-Security-Policy as the canvas map.

:func:`webgl_parts` turns a :class:`~graph.render_map.NetworkMap` into page
parts; :data:`WEBGL_ABOVE` is where ``renderer="auto"`` switches to it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from graph.errors import HainetError
from graph.evidence import shown_level
from graph.render_html import HtmlParts, _asset, html_document

if TYPE_CHECKING:
    from graph.render_map import NetworkMap

__all__ = [
    "EDGE_EVIDENCE",
    "RENDERERS",
    "WEBGL_ABOVE",
    "chosen_renderer",
    "compact_edges",
    "compact_node",
    "webgl_html",
    "webgl_parts",
]

#: The map's renderers: ``canvas`` (vis-network) and ``webgl`` (sigma.js); ``auto`` picks by size.
RENDERERS = ("auto", "canvas", "webgl")

#: Above this many nodes, ``renderer="auto"`` draws with WebGL.
WEBGL_ABOVE = 1_500

#: What only vis-network reads: shapes, its hover and selection colours, shadows, label flags.
_VIS_ONLY = frozenset({"shape", "borderWidth", "borderWidthSelected", "shadow", "shapeProperties", "labelled", "font"})

#: Evidence levels of relationships, in the order a compact edge's third number indexes.
EDGE_EVIDENCE = ("", "stated", "reported", "curated", "user", "example")

_STYLE = """
#hn-network { position: relative; }
"""


def chosen_renderer(renderer: str, n_nodes: int) -> str:
    """Return ``canvas`` or ``webgl``: ``renderer`` itself, or for ``auto`` the one that suits ``n_nodes``.

    Examples
    --------
    >>> chosen_renderer("auto", 200), chosen_renderer("auto", 20_000), chosen_renderer("canvas", 20_000)
    ('canvas', 'webgl', 'canvas')
    """
    if renderer not in RENDERERS:
        msg = f"unknown renderer {renderer!r}: choose one of {', '.join(RENDERERS)}"
        raise ValueError(msg)
    if renderer == "auto":
        return "webgl" if n_nodes > WEBGL_ABOVE else "canvas"
    return renderer


def compact_node(node: dict[str, Any]) -> dict[str, Any]:
    """Return a map node as WebGL draws it: one fill colour, a border colour only when flagged, no vis shapes.

    Examples
    --------
    >>> compact_node({"id": "a", "shape": "dot", "flags": [], "labelled": False,
    ...               "color": {"background": "#111", "border": "#555", "hover": {}}})
    {'id': 'a', 'flags': [], 'color': '#111'}
    """
    out = {k: v for k, v in node.items() if k not in _VIS_ONLY}
    colour = node.get("color")
    if isinstance(colour, dict):
        out["color"] = colour.get("background", "#8a8a8a")
        if node.get("flags") and colour.get("border"):
            out["border"] = colour["border"]
    return out


def compact_edges(edges: Iterable[tuple[str, str, Mapping[str, Any]]], index: Mapping[str, int]) -> list[list[Any]]:
    """Return relationships as ``[from, to, evidence]`` numbers (node positions, :data:`EDGE_EVIDENCE`), weight last.

    Examples
    --------
    >>> pairs = [("a", "b", {"provenance": "stated"}), ("b", "a", {"count": 4, "aggregated": True})]
    >>> compact_edges(pairs, {"a": 0, "b": 1})
    [[0, 1, 1], [1, 0, 0, 3.0]]
    """
    level = {name: i for i, name in enumerate(EDGE_EVIDENCE)}
    out: list[list[Any]] = []
    for u, v, attrs in edges:
        record: list[Any] = [index[u], index[v], level[shown_level(attrs)]]
        count = int(attrs.get("count", 1))
        if count > 1:
            record.append(round(1 + math.log2(count), 1))
        out.append(record)
    return out


def _bundle() -> str:
    return files("graph").joinpath("templates", "lib", "hainet-webgl.min.js").read_text(encoding="utf-8")


def webgl_parts(network: NetworkMap) -> HtmlParts:
    """Return the map as page parts drawn with WebGL: the canvas map's tools, side panel, legend and data.

    ``network`` must have been built with WebGL (``renderer="webgl"``, or
    ``auto`` on a large graph): its relationships are compact numbers.
    """
    if network.renderer != "webgl":
        msg = f"this map was built for the {network.renderer} renderer: build it with renderer='webgl'"
        raise HainetError(msg)
    return HtmlParts(
        body=network.body_html(),
        styles=(_asset("map.css"), _STYLE),
        scripts=(_bundle(), _asset("panel.js"), _asset("webgl.js")),
    )


def webgl_html(network: NetworkMap) -> str:
    """Return the map as one self-contained HTML page drawn with WebGL."""
    parts = webgl_parts(network)
    page = HtmlParts(body=parts.body, styles=(*parts.styles, _asset("map-page.css")), scripts=parts.scripts)
    return html_document([page], title=network.title, lang=network.lang)
