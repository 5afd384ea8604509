"""A store as planners' spreadsheets: the rows of every template, written as a workbook or CSV files.

Loading what is written into an empty store gives the same graph back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graph.errors import HainetError
from graph.schema import Edge, Node, NodeKind, RelType
from graph.store import Store
from loaders.templates import FACT_FIELDS, TEMPLATES, write_csv_folder, write_workbook

__all__ = ["export_csv_folder", "export_workbook", "tables_from_store"]

_NODE_TEMPLATES = {t.kind: t for t in TEMPLATES if t.kind is not None}
_PARTY_ROLES = {RelType.PARTNER_IN: "partner", RelType.SUPPORTS: "supporter", RelType.SERVES: "served"}


def tables_from_store(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of every template, filled from ``store``.

    Each entity is a row of its kind's table; a relationship goes into the
    column of its entity's row when the templates have one and it shares the
    row's provenance, else into ``cooperation_parties``,
    ``cooperation_fields``, ``specialisations`` or ``links``.  References
    are written as keys.  Loading the rows into an empty store gives the
    same graph back.

    Returns
    -------
    dict
        Rows by template name, each row mapping column names to values.

    Raises
    ------
    HainetError
        When a node or relationship has a property that no column holds.
    """
    rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TEMPLATES}
    nodes = {node.key: node for node in store.iter_nodes()}
    out_edges: dict[tuple[str, RelType], list[Edge]] = defaultdict(list)
    in_edges: dict[tuple[str, RelType], list[Edge]] = defaultdict(list)
    edges = list(store.iter_edges())
    for edge in edges:
        out_edges[(edge.source, edge.type)].append(edge)
        in_edges[(edge.target, edge.type)].append(edge)
        extra = set(edge.props) - set(FACT_FIELDS)
        if extra:
            msg = f"cannot export {' '.join(edge.triple)}: the templates have no column for {', '.join(sorted(extra))}"
            raise HainetError(msg)
    done: set[tuple[str, str, str]] = set()
    for node in nodes.values():
        template = _NODE_TEMPLATES[node.kind]
        columns = {c.name for c in template.columns}
        extra = set(node.props) - columns
        if extra:
            msg = f"cannot export {node.key}: the {template.name} template has no column for {', '.join(sorted(extra))}"
            raise HainetError(msg)
        for name, value in node.props.items():
            if isinstance(value, list) and any(";" in str(item) or "；" in str(item) for item in value):
                msg = f"cannot export {node.key}: an item of {name} holds ';', which separates the items of a list"
                raise HainetError(msg)
        row: dict[str, Any] = {"key": node.key, "name_zh": node.name_zh, "name_en": node.name_en, **node.props}
        shared = {k: node.props[k] for k in FACT_FIELDS if k in node.props}
        for column in template.columns:
            if column.relationship is None:
                continue
            pool = in_edges if column.incoming else out_edges
            candidates = [
                e
                for e in pool[(node.key, column.relationship)]
                if nodes[e.source if column.incoming else e.target].kind in column.refers_to
            ]
            if not candidates:
                continue
            chosen = next((e for e in candidates if e.props == shared), candidates[0])
            row[column.name] = chosen.source if column.incoming else chosen.target
            if chosen.props == shared:
                done.add(chosen.triple)
        rows[template.name].append(row)
    for edge in edges:
        if edge.triple in done:
            continue
        table, row = _edge_row(edge, nodes)
        rows[table].append({**row, **edge.props})
    return rows


def _edge_row(edge: Edge, nodes: Mapping[str, Node]) -> tuple[str, dict[str, Any]]:
    if edge.type in _PARTY_ROLES:
        cooperation, party = (edge.source, edge.target) if edge.type is RelType.SERVES else (edge.target, edge.source)
        return "cooperation_parties", {"cooperation": cooperation, "party": party, "role": _PARTY_ROLES[edge.type]}
    if edge.type is RelType.IN_FIELD and nodes[edge.source].kind is NodeKind.COOPERATION:
        return "cooperation_fields", {"cooperation": edge.source, "industry": edge.target}
    if edge.type is RelType.SPECIALISES_IN:
        return "specialisations", {"actor": edge.source, "industry": edge.target}
    return "links", {"from": edge.source, "type": edge.type.value, "to": edge.target}


def export_workbook(store: Store, path: str | Path) -> list[Path]:
    """Write ``store`` as one workbook of the templates (see :func:`tables_from_store`).

    Returns
    -------
    list of Path
        The workbook written.
    """
    return [write_workbook(tables_from_store(store), path)]


def export_csv_folder(store: Store, path: str | Path) -> list[Path]:
    """Write ``store`` as a folder with one template CSV file per table (see :func:`tables_from_store`).

    Returns
    -------
    list of Path
        The files written.
    """
    return write_csv_folder(tables_from_store(store), path)
