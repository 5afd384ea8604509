"""The map's legend, banner and side panel markup, every data string escaped."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from graph.render_text import _KIND_NAMES, _TEXT, KIND_STYLES

__all__: list[str] = []


def _legend_icon(shape: str, colour: str, *, border: str = "#555", dashed: bool = False) -> str:
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    common = f'fill="{colour}" stroke="{border}" stroke-width="1.5"{dash}'
    shapes = {
        "dot": f'<circle cx="8" cy="8" r="6" {common}/>',
        "box": f'<rect x="1" y="3" width="14" height="10" rx="2" {common}/>',
        "square": f'<rect x="2" y="2" width="12" height="12" {common}/>',
        "triangle": f'<polygon points="8,1.5 14.5,14 1.5,14" {common}/>',
        "triangleDown": f'<polygon points="1.5,2 14.5,2 8,14.5" {common}/>',
        "diamond": f'<polygon points="8,1 15,8 8,15 1,8" {common}/>',
        "hexagon": f'<polygon points="4,2 12,2 15.5,8 12,14 4,14 0.5,8" {common}/>',
        "star": f'<polygon points="8,1 9.8,6 15,6 10.8,9.2 12.4,14.5 8,11.3 3.6,14.5 5.2,9.2 1,6 6.2,6" {common}/>',
        "line": f'<line x1="1" y1="8" x2="15" y2="8" stroke="{colour}" stroke-width="2"{dash}/>',
    }
    return f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{shapes[shape]}</svg>'


def _legend_html(
    kinds: Sequence[str],
    counts: Mapping[str, int],
    flags: Sequence[Mapping[str, Any]],
    steps: Sequence[str],
    *,
    lang: str,
    size_by: str,
    view: str,
    colours: Sequence[Mapping[str, Any]] = (),
) -> str:
    """Return the legend: kinds (with filter boxes), industry colours, flags, edge styles."""
    t = _TEXT[lang]
    items = [
        '<div class="hn-legend" id="hn-legend" aria-label="legend">',
        f"<strong>{html.escape(t['kinds'])}</strong>",
    ]
    boxed = view == "meeting"
    for kind in kinds:
        shape, colour = KIND_STYLES[kind]
        items.append(
            f'<label><input type="checkbox" data-hn-kind="{html.escape(kind)}" checked>'
            f"{_legend_icon('box' if boxed else shape, colour)}{html.escape(_KIND_NAMES[lang][kind])}"
            f' <span class="hn-count">{counts[kind]}</span></label>'
        )
    if colours:
        items.append(f"<strong>{html.escape(t['colour_by_industry'])}</strong>")
        for row in colours:
            flag = ""
            if row.get("flag"):
                flag = (
                    f' <span class="hn-flag-text" style="color:{row["flag"]}">'
                    f"{html.escape(str(row['flagText']))}</span>"
                )
            wide = ' class="hn-wide"' if flag else ""
            items.append(
                f"<span{wide}>{_legend_icon('box', str(row['colour']))}{html.escape(str(row['label']))}{flag}</span>"
            )
    if flags:
        items.append(f"<strong>{html.escape(t['flags'])}</strong>")
    for row in flags:
        items.append(
            f'<span class="hn-wide">{_legend_icon("dot", "#ffffff", border=str(row["colour"]))}'
            f'{html.escape(str(row["label"]))} <span class="hn-count">{int(row["count"])}</span></span>'
        )
    items.append(f"<strong>{html.escape(t['relationships_heading'])}</strong>")
    items.append(f'<span class="hn-wide">{_legend_icon("line", "#888888")}{html.escape(t["edges_stated"])}</span>')
    items.append(
        f'<span class="hn-wide">{_legend_icon("line", "#888888", dashed=True)}{html.escape(t["edges_curated"])}</span>'
    )
    if steps:
        items.append(f"<span>{_legend_icon('dot', '#dddddd', dashed=True)}{html.escape(t['aggregate_member'])}</span>")
    if view != "meeting":
        items.append(f"<span>{html.escape(t['size_by'])}: {html.escape(t['measure_' + size_by])}</span>")
    items.append(f'<p class="hn-hint">{html.escape(t["hint"])}</p>')
    items.append("</div>")
    return "\n".join(items)


def _banner_html(
    node_count: int,
    edge_count: int,
    description: str,
    flags: Sequence[Mapping[str, Any]],
    total: int,
    steps: Sequence[str],
    max_nodes: int,
    *,
    lang: str,
) -> str:
    """Return the line under the title: what is drawn, the flag counts, any aggregation."""
    t = _TEXT[lang]
    meta = f"{node_count:,} {t['nodes']} · {edge_count:,} {t['edges']}"
    if description:
        meta = f"{description} · {meta}"
    out = [f'<p class="hn-meta" id="hn-summary">{html.escape(meta)}</p>']
    chips = [
        f'<span class="hn-chip" style="border-color:{f["colour"]};color:{f["colour"]}">'
        f"{html.escape(t['count'].format(label=f['label'], n=f['count']))}</span>"
        for f in flags
    ]
    if chips:
        out.append('<div class="hn-banner" id="hn-flags">' + "".join(chips) + "</div>")
    if steps:
        sep = "；" if lang == "zh" else "; "
        note = t["aggregated"].format(
            total=f"{total:,}",
            limit=f"{max_nodes:,}",
            shown=f"{node_count:,}",
            steps=sep.join(t["step_" + s] for s in steps),
        )
        out.append(f'<p class="hn-note" id="hn-aggregated">{html.escape(note)}</p>')
    return "\n".join(out)
