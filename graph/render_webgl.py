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

import html
from importlib.resources import files
from typing import TYPE_CHECKING

from graph.render_html import HtmlParts, _asset, html_document, script_json
from graph.render_text import _TEXT

if TYPE_CHECKING:
    from graph.render_map import NetworkMap

__all__ = ["RENDERERS", "WEBGL_ABOVE", "chosen_renderer", "webgl_html", "webgl_parts"]

#: The map's renderers: ``canvas`` (vis-network) and ``webgl`` (sigma.js); ``auto`` picks by size.
RENDERERS = ("auto", "canvas", "webgl")

#: Above this many nodes, ``renderer="auto"`` draws with WebGL.
WEBGL_ABOVE = 1_500

_STYLE = """
#hn-network { height: calc(100vh - 11rem); min-height: 420px; position: relative; }
.hn-map { position: relative; }
#hn-panel { position: absolute; top: 3rem; right: 8px; width: min(26rem, 40vw); max-height: calc(100vh - 14rem);
  overflow: auto; background: #fff; border: 1px solid #bbb; border-radius: 4px; padding: 8px 12px; z-index: 5;
  box-shadow: 0 2px 8px rgba(0, 0, 0, .15); }
#hn-panel h2 { font-size: 1.15rem; margin: 0 0 6px; }
#hn-panel pre { white-space: pre-wrap; font-family: inherit; font-size: 0.95rem; margin: 0; }
#hn-panel button { float: right; font-size: 1.2rem; border: 0; background: none; cursor: pointer; }
#hn-results { list-style: none; margin: 0; padding: 0 8px; display: flex; flex-wrap: wrap; gap: 4px; }
#hn-results button { font-size: 0.9rem; }
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


def _bundle() -> str:
    return files("graph").joinpath("templates", "lib", "hainet-webgl.min.js").read_text(encoding="utf-8")


def webgl_parts(network: NetworkMap) -> HtmlParts:
    """Return the map as page parts drawn with WebGL: tools, canvas, side panel, legend and data."""
    t = _TEXT[network.lang]
    flagged = (
        f'<label><input type="checkbox" id="hn-flagged-only"> {html.escape(t["flagged_only"])}</label>'
        if network.data["flags"]
        else ""
    )
    body = "\n".join([
        network.banner,
        '<section class="hn-map" id="hn-map">',
        '<div class="hn-tools">',
        '<form id="hn-search-form" role="search">'
        f'<input type="search" id="hn-search" placeholder="{html.escape(t["search"])}" '
        f'aria-label="{html.escape(t["search"])}">'
        f'<button type="submit">{html.escape(t["find"])}</button></form>',
        f'<label>{html.escape(t["industry"])} <select id="hn-industry">'
        f'<option value="">{html.escape(t["all_industries"])}</option></select></label>',
        flagged,
        f'<button type="button" id="hn-fit">{html.escape(t["fit"])}</button>',
        '<span id="hn-status" aria-live="polite"></span>',
        "</div>",
        '<ul id="hn-results"></ul>',
        '<div id="hn-network"></div>',
        '<aside id="hn-panel" hidden></aside>',
        network.legend,
        "</section>",
        f'<script type="application/json" id="hn-data">{script_json(network.data)}</script>',
    ])
    return HtmlParts(body=body, styles=(_asset("map.css"), _STYLE), scripts=(_bundle(), _asset("webgl.js")))


def webgl_html(network: NetworkMap) -> str:
    """Return the map as one self-contained HTML page drawn with WebGL."""
    return html_document([webgl_parts(network)], title=network.title, lang=network.lang)
