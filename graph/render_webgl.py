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

from importlib.resources import files
from typing import TYPE_CHECKING

from graph.render_html import HtmlParts, _asset, html_document

if TYPE_CHECKING:
    from graph.render_map import NetworkMap

__all__ = ["RENDERERS", "WEBGL_ABOVE", "chosen_renderer", "webgl_html", "webgl_parts"]

#: The map's renderers: ``canvas`` (vis-network) and ``webgl`` (sigma.js); ``auto`` picks by size.
RENDERERS = ("auto", "canvas", "webgl")

#: Above this many nodes, ``renderer="auto"`` draws with WebGL.
WEBGL_ABOVE = 1_500

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


def _bundle() -> str:
    return files("graph").joinpath("templates", "lib", "hainet-webgl.min.js").read_text(encoding="utf-8")


def webgl_parts(network: NetworkMap) -> HtmlParts:
    """Return the map as page parts drawn with WebGL: the canvas map's tools, side panel, legend and data."""
    return HtmlParts(body=network.body_html(), styles=(_asset("map.css"), _STYLE),
                     scripts=(_bundle(), _asset("panel.js"), _asset("webgl.js")))


def webgl_html(network: NetworkMap) -> str:
    """Return the map as one self-contained HTML page drawn with WebGL."""
    parts = webgl_parts(network)
    page = HtmlParts(body=parts.body, styles=(*parts.styles, _asset("map-page.css")), scripts=parts.scripts)
    return html_document([page], title=network.title, lang=network.lang)
