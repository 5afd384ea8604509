"""Write a graph out as node-link JSON, GraphML or plain CSV, deterministically.

The same graph always gives the same bytes: nodes sorted by key, links by
``(source, type, target)``, attributes by name.  Other packages add formats
of their own with :func:`register_exporter` (``loaders`` adds the planners'
spreadsheet templates, ``xlsx`` and ``csv``), so that :mod:`graph` never
imports them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from graph.store import Store

__all__ = [
    "EXPORT_FORMATS",
    "Exporter",
    "export_formats",
    "exporter_named",
    "graph_to_csv",
    "graph_to_graphml",
    "graph_to_node_link",
    "node_link_data",
    "register_exporter",
    "safe_cell",
]

#: Formats that :mod:`graph` writes by itself; loaders add spreadsheet formats.
EXPORT_FORMATS = ("node-link", "graphml", "edgelist-csv")

#: Writes a store to an output path and returns the files it wrote.
Exporter = Callable[["Store", str], list[Path]]

_EXPORTERS: dict[str, Exporter] = {}


def register_exporter(name: str, exporter: Exporter) -> None:
    """Add the export format ``name``, written by ``exporter(store, output_path)``.

    Registering a name again replaces its exporter; the names of
    :data:`EXPORT_FORMATS` cannot be taken.
    """
    if name in EXPORT_FORMATS:
        msg = f"{name!r} is a built-in export format"
        raise ValueError(msg)
    _EXPORTERS[name] = exporter


def exporter_named(name: str) -> Exporter | None:
    """Return the registered exporter of the format ``name``, or None for a built-in or unknown one."""
    return _EXPORTERS.get(name)


def export_formats() -> tuple[str, ...]:
    """Return every export format: the built-in ones, then the registered ones, sorted.

    Examples
    --------
    >>> export_formats()[:3]
    ('node-link', 'graphml', 'edgelist-csv')
    """
    return EXPORT_FORMATS + tuple(sorted(_EXPORTERS))


def node_link_data(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Return ``G`` in the shape of networkx's ``node_link_data``, sorted.

    Every node is ``{"id": key, ...properties}``; every link is
    ``{"source", "target", "key", "type", ...properties}``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("b", kind="Region"); G.add_node("a", kind="Region")
    >>> G.add_edge("a", "b", key="PART_OF", type="PART_OF")
    'PART_OF'
    >>> data = node_link_data(G)
    >>> [n["id"] for n in data["nodes"]], data["links"][0]["type"]
    (['a', 'b'], 'PART_OF')
    """
    nodes = [{"id": key, **_sorted(attrs)} for key, attrs in sorted(G.nodes(data=True))]
    for node in nodes:
        node.pop("key", None)
    links = [
        {"source": u, "target": v, "key": k, **_sorted(attrs)}
        for u, v, k, attrs in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1]))
    ]
    return {"directed": True, "multigraph": True, "graph": {}, "nodes": nodes, "links": links}


def graph_to_node_link(G: nx.MultiDiGraph) -> str:
    """Return node-link JSON text of ``G``, indented, UTF-8 names kept readable."""
    return json.dumps(node_link_data(G), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def graph_to_graphml(G: nx.MultiDiGraph) -> str:
    """Return GraphML text of ``G``; list and dict values are written as JSON."""
    H = nx.MultiDiGraph()
    for key, attrs in sorted(G.nodes(data=True)):
        H.add_node(key, **{k: _scalar(v) for k, v in _sorted(attrs).items() if k != "key"})
    for u, v, k, attrs in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        H.add_edge(u, v, key=k, **{a: _scalar(b) for a, b in _sorted(attrs).items()})
    return "\n".join(nx.generate_graphml(H, prettyprint=True)) + "\n"


def graph_to_csv(G: nx.MultiDiGraph) -> dict[str, str]:
    """Return ``{"nodes.csv": text, "edges.csv": text}`` for ``G``.

    Columns are the union of attribute names, fixed ones first; list and
    dict values are written as JSON.
    """
    node_rows = [{"key": key, **attrs} for key, attrs in sorted(G.nodes(data=True))]
    edge_rows = [
        {"source": u, "type": k, "target": v, **attrs}
        for u, v, k, attrs in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1]))
    ]
    return {
        "nodes.csv": _csv_text(node_rows, ["key", "kind", "name_zh", "name_en"]),
        "edges.csv": _csv_text(edge_rows, ["source", "type", "target"]),
    }


def _csv_text(rows: list[dict[str, Any]], first: list[str]) -> str:
    rest = sorted({k for row in rows for k in row} - set(first))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=first + rest, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(_scalar(v)) for k, v in row.items()})
    return buffer.getvalue()


#: Leading characters that make a spreadsheet treat a cell as a formula.
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return ``value`` safe to open in a spreadsheet.

    A text cell that would start a formula gets a leading apostrophe.

    Examples
    --------
    >>> safe_cell("=SUM(A1:A9)")
    "'=SUM(A1:A9)"
    >>> safe_cell("海南"), safe_cell(-3)
    ('海南', -3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_LEADS):
        return "'" + value
    return value


def _sorted(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: attrs[k] for k in sorted(attrs)}


def _scalar(value: Any) -> Any:
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value
