"""What the map's side panel says about a node, as data the page shows as text.

A click on a node opens a panel: what the node is, its needs and whether
each is covered (with the reason), its partners and cooperations, the
quoted sentence and its evidence level.  Coverage, reasons and evidence
of conclusions are computed by the questions, not here: callers pass them
in as ``coverage`` rows keyed by need.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import networkx as nx
import pandas as pd

from graph.errors import HainetError
from graph.render_text import _KIND_NAMES, _TEXT, _VALUE_NAMES, _name
from graph.schema import NodeKind, RelType

__all__ = ["COVERAGE_COLUMNS"]

#: Columns a coverage frame passed to a map may have, besides ``key`` (a need's key), ``closest_key``
#: (the closest cooperation's key) and ``partner_keys`` (a list of recommended partners' keys).
COVERAGE_COLUMNS = ("covered", "status", "reason", "evidence", "closest", "partners")

_PARTNER_RELS = (RelType.PARTNER_IN.value, RelType.SUPPORTS.value)
_MAX_LISTED = 12


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def coverage_by_key(coverage: pd.DataFrame | Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict[str, Any]]:
    """Return coverage rows as need key to ``{column: value}``, empty cells dropped."""
    if coverage is None:
        return {}
    if isinstance(coverage, pd.DataFrame):
        if "key" not in coverage.columns:
            msg = f"coverage needs a 'key' column; it has {[str(c) for c in coverage.columns]}"
            raise HainetError(msg)
        rows: dict[str, dict[str, Any]] = {
            str(r["key"]): {str(k): v for k, v in r.items()} for r in coverage.to_dict(orient="records")
        }
    else:
        rows = {str(k): dict(v) for k, v in coverage.items()}
    out: dict[str, dict[str, Any]] = {}
    for key, row in rows.items():
        kept = {c: _clean(row.get(c)) for c in COVERAGE_COLUMNS}
        shown: dict[str, Any] = {c: (bool(v) if c == "covered" else str(v)) for c, v in kept.items() if v is not None}
        if _clean(row.get("closest_key")):
            shown["closest_key"] = str(row["closest_key"])
        listed = row.get("partner_keys")
        if isinstance(listed, list | tuple):
            shown["partner_keys"] = [str(k) for k in listed]
        out[key] = shown
    return out


def _names(G: nx.MultiDiGraph, keys: set[str], lang: str) -> list[str]:
    names = sorted({_name(G.nodes[k], lang) for k in keys if k in G})
    return names[:_MAX_LISTED] + (["…"] if len(names) > _MAX_LISTED else [])


def _by_rel(G: nx.MultiDiGraph, key: str, rels: tuple[str, ...], *, incoming: bool) -> set[str]:
    # The adjacency itself, not an edge view: this runs for every node of a large map.
    ends = G.pred[key] if incoming else G.succ[key]
    return {str(other) for other, keyed in ends.items() if not keyed.keys().isdisjoint(rels)}


def node_panel(G: nx.MultiDiGraph, key: str, *, lang: str, coverage: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Return the side panel of one node of ``G``: texts and lists, no markup.

    Keys: ``kind`` (its kind's name), ``evidence`` (its provenance, named),
    ``section``, ``quote``, ``basis`` (when known), ``needs`` (a list of
    ``{name, covered, status, reason, evidence}``), ``partners``,
    ``cooperations``, ``units`` and ``fields`` (lists of names), and for a
    need its own ``status``, ``reason``, ``closest`` and ``recommended``.
    """
    attrs = G.nodes[key]
    kind = str(attrs.get("kind", ""))
    values = _VALUE_NAMES[lang]
    panel: dict[str, Any] = {"kind": _KIND_NAMES[lang].get(kind, kind)}
    level = attrs.get("provenance")
    if level:
        panel["evidence"] = str(values.get(level, level))
    for prop in ("section", "quote", "basis"):
        if _clean(attrs.get(prop)):
            panel[prop] = str(attrs[prop])
    coops: set[str] = set()
    if kind == NodeKind.COOPERATION.value:
        panel["partners"] = _names(G, _by_rel(G, key, _PARTNER_RELS, incoming=True), lang)
        panel["units"] = _names(G, _by_rel(G, key, (RelType.SERVES.value,), incoming=False), lang)
        if attrs.get("status"):
            panel["status"] = str(values.get(attrs["status"], attrs["status"]))
    elif kind == NodeKind.DEMAND_UNIT.value:
        coops = _by_rel(G, key, (RelType.SERVES.value,), incoming=True)
        partners = set().union(*(_by_rel(G, c, _PARTNER_RELS, incoming=True) for c in coops)) if coops else set()
        panel["cooperations"] = _names(G, coops, lang)
        panel["partners"] = _names(G, partners, lang)
        needs = sorted(
            _by_rel(G, key, (RelType.HAS_NEED.value,), incoming=False),
            key=lambda n: (bool(coverage.get(n, {}).get("covered", True)), _name(G.nodes[n], lang)),
        )
        panel["needs"] = [_need_line(G, n, lang, coverage) for n in needs]
    elif kind == NodeKind.NEED.value:
        row = coverage.get(key, {})
        panel.update({k: row[k] for k in ("status", "reason", "closest") if k in row})
        if "partners" in row:
            panel["recommended"] = row["partners"]
        if "evidence" in row:
            panel["conclusion_evidence"] = str(values.get(row["evidence"], row["evidence"]))
        panel["units"] = _names(G, _by_rel(G, key, (RelType.HAS_NEED.value,), incoming=True), lang)
    elif kind in (NodeKind.REGION.value, NodeKind.PARK.value, NodeKind.DEPARTMENT.value):
        coops = _by_rel(G, key, _PARTNER_RELS, incoming=False)
        units = (
            set().union(*(_by_rel(G, c, (RelType.SERVES.value,), incoming=False) for c in coops)) if coops else set()
        )
        panel["cooperations"] = _names(G, coops, lang)
        panel["units"] = _names(G, units, lang)
    fields = _by_rel(
        G, key, (RelType.IN_FIELD.value, RelType.SPECIALISES_IN.value, RelType.HANDLES.value), incoming=False
    )
    if fields:
        panel["fields"] = _names(G, fields, lang)
    return panel


def _need_line(G: nx.MultiDiGraph, need: str, lang: str, coverage: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    row = coverage.get(need, {})
    line: dict[str, Any] = {"name": _name(G.nodes[need], lang)}
    for column in ("covered", "status", "reason"):
        if column in row:
            line[column] = row[column]
    if "evidence" in row:
        line["evidence"] = str(_VALUE_NAMES[lang].get(row["evidence"], row["evidence"]))
    return line


def tour(
    nodes: list[dict[str, Any]],
    drawn: nx.MultiDiGraph,
    flags: Mapping[str, set[str]],
    coverage: Mapping[str, Mapping[str, Any]],
    lang: str,
) -> list[dict[str, Any]]:
    """Return the presentation's steps: one per drawn need of the first flag category, top to bottom.

    Each step names the nodes to show (the need, its unit, the closest
    cooperation and the recommended partners when drawn), a title and its
    lines of text.
    """
    if not flags:
        return []
    first = next(iter(flags.values()))
    t = _TEXT[lang]
    steps = []
    for node in sorted(nodes, key=lambda n: (n["x"], n["y"], n["id"])):
        if node["kind"] != NodeKind.NEED.value or node["id"] not in first:
            continue
        row = coverage.get(node["id"], {})
        panel = node.get("panel", {})
        show = [node["id"]]
        show += sorted(str(u) for u in drawn.predecessors(node["id"]))
        show += [k for k in [row.get("closest_key"), *row.get("partner_keys", [])] if k and k in drawn]
        lines = []
        for label, value in (
            ("panel_units", "、".join(panel.get("units", []))),
            ("panel_reason", row.get("reason")),
            ("panel_closest", row.get("closest")),
            ("panel_recommended", row.get("partners")),
            ("panel_conclusion", panel.get("conclusion_evidence")),
        ):
            if value:
                lines.append(f"{t[label]}：{value}" if lang == "zh" else f"{t[label]}: {value}")
        steps.append(
            {
                "focus": list(dict.fromkeys(show)),
                "title": node.get("fullLabel") or node.get("label") or "",
                "lines": lines,
            }
        )
    return steps
