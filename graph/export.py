"""Write a graph out as node-link JSON, GraphML or plain CSV, deterministically.

The same graph always gives the same bytes: nodes sorted by key, links by
``(source, type, target)``, attributes by name.  Other packages add formats
of their own with :func:`register_exporter` (``loaders`` adds the planners'
spreadsheet templates, ``xlsx`` and ``csv``), and columns of analysis for
the nodes with :func:`register_node_columns` (``queries`` adds PageRank,
community, coverage status and gap flags), so that :mod:`graph` never
imports them.

Nodes carry ``label``, their Chinese name, for Gephi and Cytoscape.  The
names of :data:`~graph.schema.RESERVED_NAMES` are structure (node ids,
endpoints, relationship keys and types, labels): a graph whose properties
use one is refused rather than written wrong.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from graph.errors import HainetError
from graph.schema import RESERVED_NAMES

if TYPE_CHECKING:
    from graph.store import Store

__all__ = [
    "EXPORT_FORMATS",
    "Exporter",
    "NodeColumns",
    "check_reserved",
    "export_formats",
    "exporter_named",
    "graph_to_csv",
    "graph_to_graphml",
    "graph_to_node_link",
    "graph_with_analysis",
    "node_column_providers",
    "node_link_data",
    "register_exporter",
    "register_node_columns",
    "safe_cell",
]

#: Formats that :mod:`graph` writes by itself; loaders add spreadsheet formats.
EXPORT_FORMATS = ("node-link", "graphml", "edgelist-csv")

#: Writes a store to an output path and returns the files it wrote.
Exporter = Callable[["Store", str], list[Path]]

_EXPORTERS: dict[str, Exporter] = {}

#: Returns columns for the nodes of a graph: a DataFrame indexed by node key.
NodeColumns = Callable[[nx.MultiDiGraph], pd.DataFrame]

_NODE_COLUMNS: dict[str, NodeColumns] = {}


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


def register_node_columns(name: str, provider: NodeColumns) -> None:
    """Add ``provider``, whose columns ``hainet export --with-analysis`` adds to the nodes.

    ``provider(G)`` returns a DataFrame indexed by node key; a node it does
    not list gets no value in its columns.  Registering a name again
    replaces its provider.
    """
    _NODE_COLUMNS[name] = provider


def node_column_providers() -> dict[str, NodeColumns]:
    """Return the registered node-column providers by name, sorted by name."""
    return dict(sorted(_NODE_COLUMNS.items()))


def graph_with_analysis(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy of ``G`` whose nodes also carry every registered provider's columns.

    Missing values (NaN, None) are left out, and numpy scalars become
    Python numbers, so every export writes them as plain values.

    Raises
    ------
    HainetError
        No provider is registered, or a column would replace a property.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("region:a", name_zh="甲")
    >>> register_node_columns("demo", lambda g: pd.DataFrame({"degree": [0]}, index=["region:a"]))
    >>> graph_with_analysis(G).nodes["region:a"]
    {'name_zh': '甲', 'degree': 0}
    >>> del _NODE_COLUMNS["demo"]
    """
    if not _NODE_COLUMNS:
        msg = "no analysis columns are registered: is the queries package installed?"
        raise HainetError(msg)
    H = G.copy()
    for name, provider in node_column_providers().items():
        frame = provider(G)
        clash = sorted(
            set(frame.columns) & ({a for _, attrs in G.nodes(data=True) for a in attrs} | set(RESERVED_NAMES))
        )
        if clash:
            msg = f"the analysis columns of {name} would replace the properties {', '.join(clash)}"
            raise HainetError(msg)
        for key, row in frame.iterrows():
            if key in H:
                H.nodes[key].update({c: _plain(v) for c, v in row.items() if not _missing(v)})
    return H


def _missing(value: Any) -> bool:
    return not isinstance(value, list | dict | tuple) and bool(pd.isna(value))


def _plain(value: Any) -> Any:
    """Return ``value`` as a plain Python value: numpy scalars become int, float or bool."""
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, list | dict | str) else value


def check_reserved(G: nx.MultiDiGraph) -> None:
    """Refuse a graph whose properties take a name that exports use for structure.

    A node may carry ``key`` (its id), a relationship ``type`` (its key);
    no other :data:`~graph.schema.RESERVED_NAMES` may be a property.

    Raises
    ------
    HainetError
        Naming the first node or relationship that breaks the rule.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("region:a", label="x")
    >>> check_reserved(G)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.HainetError: cannot export: node region:a has a property named 'label', ...
    """
    node_names = set(RESERVED_NAMES) - {"key"}
    edge_names = set(RESERVED_NAMES) - {"type"}
    for key, attrs in sorted(G.nodes(data=True)):
        bad = sorted(node_names & set(attrs))
        if bad:
            msg = (
                f"cannot export: node {key} has a property named {bad[0]!r}, a name reserved for the structure "
                f"of exports; rename it"
            )
            raise HainetError(msg)
    for u, v, k, attrs in G.edges(keys=True, data=True):
        bad = sorted(edge_names & set(attrs))
        if bad:
            msg = (
                f"cannot export: relationship {u} {k} {v} has a property named {bad[0]!r}, a name reserved "
                f"for the structure of exports; rename it"
            )
            raise HainetError(msg)


def node_link_data(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Return ``G`` in the shape of networkx's ``node_link_data``, sorted.

    Every node is ``{"id": key, "label": name_zh, ...properties}``; every
    link is ``{"source", "target", "key", "type", ...properties}``.  Read it
    back with ``networkx.node_link_graph(data, edges="links")``.

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
    check_reserved(G)
    nodes = [{"id": key, **_labelled(attrs)} for key, attrs in sorted(G.nodes(data=True))]
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
    """Return GraphML text of ``G``; list and dict values are written as JSON.

    Nodes carry ``label``, their Chinese name; a relationship's GraphML id
    is its type.  Read it back with ``networkx.read_graphml``.
    """
    check_reserved(G)
    H = nx.MultiDiGraph()
    for key, attrs in sorted(G.nodes(data=True)):
        H.add_node(key, **{k: _scalar(v) for k, v in _labelled(attrs).items() if k != "key"})
    for u, v, k, attrs in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        H.add_edge(u, v, key=k, **{a: _scalar(b) for a, b in _sorted(attrs).items()})
    # Not generate_graphml(): it splits the text into lines, carriage returns inside values included.
    buffer = io.BytesIO()
    nx.write_graphml(H, buffer, encoding="utf-8", prettyprint=True)
    # XML parsers read a raw carriage return as a line feed; a character reference keeps it.
    return buffer.getvalue().decode("utf-8").replace("\r", "&#13;")


def graph_to_csv(G: nx.MultiDiGraph) -> dict[str, str]:
    """Return ``{"nodes.csv": text, "edges.csv": text}`` for ``G``.

    Columns are the union of attribute names, fixed ones first; list and
    dict values are written as JSON, and a text that a spreadsheet would run
    as a formula gets a leading apostrophe (:func:`safe_cell`).
    """
    check_reserved(G)
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


def _labelled(attrs: dict[str, Any]) -> dict[str, Any]:
    """Return the attributes sorted, after ``label``: the Chinese name, else the English one."""
    name = attrs.get("name_zh") or attrs.get("name_en")
    return ({"label": name} if name else {}) | _sorted(attrs)


def _scalar(value: Any) -> Any:
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value
