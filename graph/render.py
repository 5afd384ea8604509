"""Interactive network maps and self-contained HTML pages.

A map is one HTML file that works offline: vis-network's script and style
(shipped inside the ``pyvis`` package) are inlined, the graph travels as a
JSON data block, and a Content-Security-Policy lets nothing load from
anywhere.  Every data-derived string reaches the page escaped: as JSON
(``<``, ``>``, ``&``, U+2028 and U+2029 written as JSON escapes), through
``textContent`` in the page's script, as vis-network titles given as
strings (which it shows as text), or through :func:`html.escape`.

The layout is computed in Python, seeded, with physics off in the browser, so
the same graph gives the same bytes and a map of thousands of nodes is
interactive as soon as it is drawn.  A graph of more than
:data:`MAX_MAP_NODES` nodes is aggregated before it is drawn (see
:func:`aggregated_graph`), and the map says so.

The parts live in their own modules: :mod:`graph.render_views` (which part
of the graph), :mod:`graph.render_measures` (centrality and layout),
:mod:`graph.render_aggregation` (big graphs), :mod:`graph.render_layout`
(the meeting columns and places), :mod:`graph.render_style` (label budget,
colours), :mod:`graph.render_records` (node and edge records),
:mod:`graph.render_panel` (the side panel and the presentation),
:mod:`graph.render_legend`, :mod:`graph.render_html` (pages and tables),
:mod:`graph.render_map` (the map), :mod:`graph.render_image` (SVG, PNG,
PDF) and :mod:`graph.render_text` (names, texts and styles).  This module gathers
their public names.
"""

from __future__ import annotations

from graph.render_aggregation import MAX_MAP_NODES, aggregated_graph
from graph.render_html import HtmlParts, html_document, script_json, table_html
from graph.render_map import VIEWS, NetworkMap, network_map
from graph.render_measures import SIZE_MEASURES, node_centrality, node_positions
from graph.render_text import HIGHLIGHT_COLOURS, KIND_STYLES, LANGUAGES
from graph.render_views import ego_subgraph, industry_subgraph, keys_from, subgraph_from_keys

__all__ = [
    "HIGHLIGHT_COLOURS",
    "KIND_STYLES",
    "LANGUAGES",
    "MAX_MAP_NODES",
    "SIZE_MEASURES",
    "VIEWS",
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
