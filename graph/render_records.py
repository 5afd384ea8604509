"""The records a map draws: one per node and relationship, with its tooltip text and style.

Tooltips hold each fact, its provenance (section and quote, or curated
basis) and the figures callers pass in, as plain text: vis-network shows a
title given as a string as text, never as markup.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np

from graph.evidence import shown_level
from graph.render_text import (
    _KIND_NAMES,
    _PROP_NAMES,
    _REL_NAMES,
    _TEXT,
    _VALUE_NAMES,
    HIGHLIGHT_COLOURS,
    KIND_STYLES,
    _name,
)
from graph.render_views import _META_KINDS
from graph.schema import PROVENANCE_FIELDS, NodeKind

__all__: list[str] = []

_NAME_FIELDS = ("key", "kind", "name_zh", "name_en")


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
        if prop in _NAME_FIELDS or prop in PROVENANCE_FIELDS or prop in ("members", "type", "column", "aggregated"):
            continue
        lines.append(f"{_PROP_NAMES[lang].get(prop, prop)}: {_text_value(attrs[prop], lang)}")
    if len(members) > 1:
        lines.append(
            f"{t['members']}: {', '.join(members[:8])}"
            + (f" … ({t['more'].format(n=len(members))})" if len(members) > 8 else "")
        )
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
    # Shape and colour on the node itself, not a vis group: a group's options win over the
    # node's own on every update, which reset flag borders whenever a filter changed.
    style = KIND_STYLES.get(kind, KIND_STYLES[NodeKind.SOURCE.value])
    record: dict[str, Any] = {
        "id": key,
        "label": label,
        "nameZh": str(attrs.get("name_zh") or ""),
        "nameEn": str(attrs.get("name_en") or ""),
        "kind": kind,
        "shape": style[0],
        "color": {
            "background": style[1],
            "border": "#555555",
            "highlight": {"background": style[1], "border": "#000000"},
            "hover": {"background": style[1], "border": "#000000"},
        },
        "x": position[0],
        "y": position[1],
        "title": "\n".join(lines),
        "industries": sorted({i for m in members for i in industries.get(m, ())}),
        "flags": node_flags,
        "evidence": shown_level(attrs),
        "members": members,
        "_value": value,
    }
    if node_flags:
        colour = HIGHLIGHT_COLOURS[node_flags[0]]
        fill = KIND_STYLES.get(kind, KIND_STYLES[NodeKind.SOURCE.value])[1]
        record["borderWidth"] = 5
        record["borderWidthSelected"] = 6
        record["color"] = {
            "background": fill,
            "border": colour,
            "highlight": {"background": fill, "border": colour},
            "hover": {"background": fill, "border": colour},
        }
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
            if prop in PROVENANCE_FIELDS or prop in ("type", "count", "aggregated"):
                continue
            lines.append(f"{_PROP_NAMES[lang].get(prop, prop)}: {_text_value(attrs[prop], lang)}")
        provenance = _provenance_lines(attrs, lang)
        if provenance:
            lines.append(f"— {t['provenance']} —")
            lines.extend(provenance)
    record: dict[str, Any] = {
        "id": f"{u}|{rel}|{v}",
        "from": u,
        "to": v,
        "title": "\n".join(lines),
        "evidence": shown_level(attrs),
    }
    if attrs.get("provenance") in ("curated", "user"):
        record["dashes"] = True
    if count > 1:
        record["width"] = round(1 + math.log2(count), 1)
    return record
