"""Static images of a map for slides and print: SVG, PNG and PDF from the same layout.

The image draws what the interactive map draws at fit: the same nodes at
the same places, the same labels (the label budget), the same colours and
flag borders, with a title, the date and a source line, 16:9 by default.
The SVG is plain XML with every text escaped and no script; PNG and PDF
are rendered from it with CairoSVG, which embeds the CJK font
(Noto Sans CJK from Debian's fonts-noto-cjk) into the PDF.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from graph.errors import HainetError
from graph.render_map import NetworkMap
from graph.render_style import LABEL_FONT
from graph.render_text import _TEXT

__all__ = ["IMAGE_FORMATS", "cjk_font_family", "map_image", "map_svg"]

#: Formats :func:`map_image` writes.
IMAGE_FORMATS = ("svg", "png", "pdf")

_FAMILIES = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
_LEGEND_WIDTH = 300
_TOP = 92
_BOTTOM = 40
_MARGIN = 24


def cjk_font_family() -> str | None:
    """Return the family name fontconfig gives for Simplified Chinese sans, if it has a CJK font.

    Examples
    --------
    >>> family = cjk_font_family()
    >>> family is None or "CJK" in family or "Han" in family or "Hei" in family
    True
    """
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    found = subprocess.run(
        [fc_match, "-f", "%{family[0]}", "sans-serif:lang=zh-cn"], capture_output=True, text=True, check=False
    )
    family = found.stdout.strip()
    return family if found.returncode == 0 and family else None


def _text_width(text: str, size: float) -> float:
    """Return the approximate drawn width of ``text``: wide (CJK) characters are one em, others about half."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.55 for c in text)


def _attr(value: Any) -> str:
    return quoteattr(str(value))


def _colours(node: Mapping[str, Any]) -> tuple[str, str]:
    colour = node.get("color") or {}
    return str(colour.get("background", "#cccccc")), str(colour.get("border", "#555555"))


def _shape(node: Mapping[str, Any], x: float, y: float, size: float, fill: str, border: str, width: float) -> str:
    style = f"fill={_attr(fill)} stroke={_attr(border)} stroke-width={_attr(round(width, 2))}"
    shape = node.get("shape", "dot")
    r = size
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {style}/>'
    points = {
        "triangle": [(0, -r), (r, r * 0.8), (-r, r * 0.8)],
        "triangleDown": [(0, r), (r, -r * 0.8), (-r, -r * 0.8)],
        "diamond": [(0, -r), (r, 0), (0, r), (-r, 0)],
        "hexagon": [(r * math.cos(a), r * math.sin(a)) for a in (i * math.pi / 3 for i in range(6))],
        "star": [
            (
                (r if i % 2 == 0 else r * 0.45) * math.sin(i * math.pi / 5),
                -(r if i % 2 == 0 else r * 0.45) * math.cos(i * math.pi / 5),
            )
            for i in range(10)
        ],
    }.get(str(shape))
    if points:
        text = " ".join(f"{x + px:.1f},{y + py:.1f}" for px, py in points)
        return f'<polygon points="{text}" {style}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'


def map_svg(
    the_map: NetworkMap,
    *,
    width: int = 1600,
    height: int = 900,
    title: str | None = None,
    date: str = "",
    source: str = "",
) -> str:
    """Return the map as a standalone SVG image: title, drawing, legend, date and source.

    Parameters
    ----------
    the_map
        A map from :func:`graph.render.network_map`; its layout, labels and colours are drawn.
    width, height
        The image size in pixels; 16:9 by default.
    title
        The heading; default the map's title.
    date
        The date shown under the title (e.g. the data's as-of date).
    source
        The source line at the bottom.

    Returns
    -------
    str
        An SVG document, UTF-8, with no script and every text escaped.

    Examples
    --------
    >>> import networkx as nx
    >>> from graph.render import network_map
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("region:s", kind="Region", name_zh="上海市", name_en="Shanghai")
    >>> G.add_node("coop:a", kind="Cooperation", name_zh="<沪琼>&合作", name_en="SH-HN")
    >>> _ = G.add_edge("region:s", "coop:a", key="PARTNER_IN", type="PARTNER_IN")
    >>> svg = map_svg(network_map(G, view="full"), date="2020-12-02")
    >>> "&lt;沪琼&gt;&amp;合作" in svg, "<script" in svg
    (True, False)
    """
    if width < 320 or height < 240:
        msg = f"an image must be at least 320×240 pixels, not {width}×{height}"
        raise HainetError(msg)
    data = the_map.data
    t = _TEXT[the_map.lang]
    nodes = [n for n in data["nodes"] if "x" in n]
    headers = list(data.get("headers", []))
    area_w = width - _LEGEND_WIDTH - 2 * _MARGIN
    area_h = height - _TOP - _BOTTOM
    xs = [float(n["x"]) for n in nodes + headers] or [0.0]
    ys = [float(n["y"]) for n in nodes + headers] or [0.0]
    pad = 140.0 if data.get("view") == "meeting" else 60.0
    span_w = max(xs) - min(xs) + 2 * pad
    span_h = max(ys) - min(ys) + 60.0
    scale = min(area_w / span_w, area_h / span_h)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    ox, oy = _MARGIN + area_w / 2, _TOP + area_h / 2

    def at(node: Mapping[str, Any]) -> tuple[float, float]:
        return ox + (float(node["x"]) - cx) * scale, oy + (float(node["y"]) - cy) * scale

    font = max(LABEL_FONT * scale, 13.0)
    where = {n["id"]: at(n) for n in nodes}
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{_FAMILIES}">',
        f"<title>{escape(title or the_map.title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{_MARGIN}" y="44" font-size="30" font-weight="bold" fill="#1a1a1a">'
        f"{escape(title or the_map.title)}</text>",
    ]
    sub = " · ".join(x for x in (date, _banner_text(data, t)) if x)
    if sub:
        out.append(f'<text x="{_MARGIN}" y="74" font-size="17" fill="#555555">{escape(sub)}</text>')
    out.append('<g id="edges" fill="none">')
    meeting = data.get("view") == "meeting"
    for edge in data["edges"]:
        if edge["from"] not in where or edge["to"] not in where:
            continue
        (x1, y1), (x2, y2) = where[edge["from"]], where[edge["to"]]
        dash = ' stroke-dasharray="5 4"' if edge.get("dashes") else ""
        if meeting:
            dx = (x2 - x1) / 2
            path = f"M{x1:.1f},{y1:.1f} C{x1 + dx:.1f},{y1:.1f} {x2 - dx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        else:
            path = f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"
        out.append(f'<path d="{path}" stroke="#9a9a9a" stroke-opacity="0.7" stroke-width="1.1"{dash}/>')
    out.append("</g>")
    out.append('<g id="nodes">')
    for node in sorted(nodes, key=lambda n: (bool(n.get("labelled")), n["id"])):
        x, y = where[node["id"]]
        fill, border = _colours(node)
        border_width = float(node.get("borderWidth", 1.2))
        label = node.get("label") if node.get("labelled") else None
        if meeting and label:
            w = _text_width(str(label), font) + 10
            h = font + 8
            out.append(
                f'<rect x="{x - w / 2:.1f}" y="{y - h / 2:.1f}" width="{w:.1f}" height="{h:.1f}" rx="4" '
                f"fill={_attr(fill)} stroke={_attr(border)} stroke-width={_attr(min(border_width, 3.5))}/>"
            )
            ink = str((node.get("font") or {}).get("color", "#1a1a1a"))
            out.append(
                f'<text x="{x:.1f}" y="{y + font * 0.36:.1f}" font-size="{font:.1f}" text-anchor="middle" '
                f"fill={_attr(ink)}>{escape(str(label))}</text>"
            )
            continue
        size = float(node.get("size", 6)) * scale if not meeting else max(5.0, 6 * scale)
        out.append(_shape(node, x, y, max(size, 3.0), fill, border, min(border_width, 3.5)))
        if label:
            out.append(
                f'<text x="{x:.1f}" y="{y + size + font:.1f}" font-size="{font:.1f}" text-anchor="middle" '
                f'fill="#1a1a1a" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                f"{escape(str(label))}</text>"
            )
    for header in headers:
        x, y = at(header)
        out.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{max(18 * scale, 15):.1f}" text-anchor="middle" '
            f'fill="#444444">{escape(str(header["label"]))}</text>'
        )
    out.append("</g>")
    out.extend(_legend_svg(the_map, x=width - _LEGEND_WIDTH, top=_TOP, bottom=height - _BOTTOM))
    if source:
        out.append(f'<text x="{_MARGIN}" y="{height - 14}" font-size="14" fill="#666666">{escape(source)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _banner_text(data: Mapping[str, Any], t: Mapping[str, str]) -> str:
    counts = [t["count"].format(label=f["label"], n=f["count"]) for f in data.get("flags", []) if f["count"]]
    return "；".join(counts)


def _legend_svg(the_map: NetworkMap, *, x: float, top: float, bottom: float) -> list[str]:
    """Return the legend as SVG: industry colours and flags, then the two edge styles."""
    data = the_map.data
    t = _TEXT[the_map.lang]
    rows: list[tuple[str, str, str]] = []
    for row in data.get("legendColours", []):
        rows.append(("box", str(row["colour"]), str(row["label"])))
    if not rows:
        seen: dict[str, str] = {}
        for node in data["nodes"]:
            seen.setdefault(str(node["kind"]), _colours(node)[0])
        rows = [("dot", colour, kind) for kind, colour in seen.items()]
    for flag in data.get("flags", []):
        rows.append(("flag", str(flag["colour"]), str(flag["label"])))
    rows.append(("line", "#888888", t["edges_stated"]))
    rows.append(("dash", "#888888", t["edges_curated"]))
    step = min(24.0, (bottom - top) / max(len(rows), 1))
    out = ['<g id="legend" font-size="15" fill="#333333">']
    for i, (kind, colour, label) in enumerate(rows):
        y = top + 10 + i * step
        if kind == "box":
            out.append(f'<rect x="{x}" y="{y - 11:.1f}" width="18" height="13" rx="2" fill={_attr(colour)}/>')
        elif kind == "flag":
            out.append(
                f'<rect x="{x}" y="{y - 11:.1f}" width="18" height="13" rx="2" fill="#ffffff" '
                f'stroke={_attr(colour)} stroke-width="3"/>'
            )
        elif kind in ("line", "dash"):
            dash = ' stroke-dasharray="4 3"' if kind == "dash" else ""
            out.append(
                f'<line x1="{x}" y1="{y - 5:.1f}" x2="{x + 18}" y2="{y - 5:.1f}" stroke={_attr(colour)} '
                f'stroke-width="2"{dash}/>'
            )
        else:
            out.append(f'<circle cx="{x + 9}" cy="{y - 5:.1f}" r="6" fill={_attr(colour)}/>')
        out.append(f'<text x="{x + 26}" y="{y:.1f}">{escape(label)}</text>')
    out.append("</g>")
    return out


def map_image(
    the_map: NetworkMap,
    path: str | Path,
    *,
    fmt: str | None = None,
    width: int = 1600,
    height: int = 900,
    title: str | None = None,
    date: str = "",
    source: str = "",
) -> Path:
    """Write the map as an SVG, PNG or PDF image and return the path.

    The PNG is rendered at twice ``width`` × ``height`` (3,200 × 1,800 by
    default), so that it stays sharp on a projector; the PDF is one page of
    ``width`` × ``height`` points with the CJK font embedded.

    Parameters
    ----------
    the_map
        The map.
    path
        Where to write.
    fmt
        One of :data:`IMAGE_FORMATS`; default the suffix of ``path``.
    width, height, title, date, source
        As for :func:`map_svg`.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    HainetError
        On an unknown format, or when the file cannot be written.
    """
    target = Path(path)
    chosen = (fmt or target.suffix.lstrip(".")).lower()
    if chosen not in IMAGE_FORMATS:
        msg = f"unknown image format {chosen!r}: choose one of {', '.join(IMAGE_FORMATS)}"
        raise HainetError(msg)
    svg = map_svg(the_map, width=width, height=height, title=title, date=date, source=source)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if chosen == "svg":
            target.write_text(svg, encoding="utf-8")
            return target
        import cairosvg

        if chosen == "png":
            cairosvg.svg2png(bytestring=svg.encode("utf-8"), write_to=str(target), scale=2.0)
        else:
            cairosvg.svg2pdf(bytestring=svg.encode("utf-8"), write_to=str(target))
    except OSError as e:
        msg = f"cannot write {target}: {e.strerror or e}"
        raise HainetError(msg) from e
    return target
