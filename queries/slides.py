"""A slide deck for the meeting: title, map, one slide per finding, then the tables.

:func:`slides_deck` writes a 16:9 PowerPoint file with python-pptx: a
title slide, the meeting map as an image (the same layout and label
budget as ``hainet map``), one slide per finding with its evidence and a
建议下一步 line, then the industry gaps and the unmatched needs split
across as many slides as they need to stay legible.  ``hainet slides`` is
its command-line face.  Every text reaches the file through python-pptx,
which writes it as escaped XML text.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import networkx as nx
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Inches, Length, Pt

from graph.cli import output_option, pass_store, stderr
from graph.errors import HainetError
from graph.evidence import EVIDENCE_LEVELS
from graph.labels import label
from graph.render_image import map_image
from graph.store import Store, graph_from_store
from queries.findings import report_analysis, report_findings
from queries.gaps import industry_gaps
from queries.needs import unmatched_needs
from queries.recommend import recommend_partners
from queries.report import _document, annotated_network_map

__all__ = ["GAP_ROWS_PER_SLIDE", "NEED_ROWS_PER_SLIDE", "Finding", "commands", "findings", "slides_deck"]

#: Rows of the industry-gaps table on one slide.
GAP_ROWS_PER_SLIDE = 10

#: Rows of the unmatched-needs table on one slide.
NEED_ROWS_PER_SLIDE = 8

_FONT = "Noto Sans CJK SC"
_WIDTH, _HEIGHT = Inches(13.333), Inches(7.5)
_INK, _MUTED, _ALERT, _WHITE = "1A1A1A", "555555", "C01F1F", "FFFFFF"
_ORDER = EVIDENCE_LEVELS


@dataclass(frozen=True)
class Finding:
    """One finding for a slide: a headline, supporting lines, the evidence it rests on and a next step."""

    headline: str
    lines: tuple[str, ...]
    evidence: str
    next_step: str


def findings(G: nx.MultiDiGraph) -> list[Finding]:
    """Return the deck's findings: the report's own (:func:`queries.findings.report_findings`), one per slide.

    Each names the weakest evidence level it rests on and a next step.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> deck = findings(example_graph())
    >>> 3 <= len(deck) <= 5, all(f.next_step.startswith("建议下一步") for f in deck)
    (True, True)
    """
    rows = report_findings(report_analysis(G))
    return [
        Finding(str(r["finding_zh"]), (), str(r["evidence"]), str(r["next_step_zh"]))
        for r in rows.to_dict(orient="records")
    ]


def _font(run: Any, size: float, *, bold: bool = False, colour: str = _INK) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = _FONT
    run.font.color.rgb = RGBColor.from_string(colour)  # type: ignore[no-untyped-call]
    properties = run._r.get_or_add_rPr()
    east_asian = properties.find(qn("a:ea"))
    if east_asian is None:
        east_asian = properties.makeelement(qn("a:ea"), {})
        properties.append(east_asian)
    east_asian.set("typeface", _FONT)


def _text(
    slide: Any, text: str, left: Length, top: Length, width: Length, height: Length, size: float, **style: Any
) -> Any:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    _font(run, size, **style)
    return frame


def _slide(deck: Any, title: str) -> Any:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    _text(slide, title, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9), 30, bold=True)
    return slide


def _footer(slide: Any, text: str) -> None:
    _text(slide, text, Inches(0.5), Inches(7.0), Inches(12.3), Inches(0.4), 11, colour=_MUTED)


def _table(
    deck: Any,
    title: str,
    header: Sequence[str],
    rows: list[list[str]],
    widths: Sequence[float],
    per_slide: int,
    footer: str,
) -> None:
    pages = max(1, -(-len(rows) // per_slide))
    for page in range(pages):
        chunk = rows[page * per_slide : (page + 1) * per_slide]
        slide = _slide(deck, f"{title}（{page + 1}/{pages}）" if pages > 1 else title)
        shape = slide.shapes.add_table(
            len(chunk) + 1, len(header), Inches(0.5), Inches(1.3), Inches(12.3), Inches(0.5) * (len(chunk) + 1)
        )
        table = shape.table
        for j, width in enumerate(widths):
            table.columns[j].width = Inches(width)
        for i, values in enumerate([list(header), *chunk]):
            for j, value in enumerate(values):
                cell = table.cell(i, j)
                cell.text_frame.word_wrap = True
                paragraph = cell.text_frame.paragraphs[0]
                run = paragraph.add_run()
                run.text = value
                _font(run, 15 if i == 0 else 14, bold=i == 0, colour=_WHITE if i == 0 else _INK)
        _footer(slide, footer)


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def slides_deck(G: nx.MultiDiGraph, path: str | Path, *, date: str | None = None, top: int = 3) -> Path:
    """Write the meeting deck for ``G`` to ``path`` (a .pptx file) and return the path.

    Parameters
    ----------
    G
        The graph.
    path
        Where to write.
    date
        The data's as-of date shown on the slides; default the document's date.
    top
        Recommended partners listed per unmatched need.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    HainetError
        When the graph is empty or the file cannot be written.
    """
    if G.number_of_nodes() == 0:
        msg = "the graph is empty: nothing to put on slides"
        raise HainetError(msg)
    number, issued, name = _document(G)
    as_of = f"数据截至 {date or issued}"
    source = f"来源：{number}《{name or '海南开放创新合作机制'}》；hainet"
    deck = Presentation()
    deck.slide_width, deck.slide_height = _WIDTH, _HEIGHT

    slide = deck.slides.add_slide(deck.slide_layouts[6])
    _text(slide, "海南开放创新合作网络", Inches(0.8), Inches(2.3), Inches(11.7), Inches(1.2), 44, bold=True)
    _text(
        slide,
        "谁在和海南合作、合作什么、缺口在哪里",
        Inches(0.8),
        Inches(3.5),
        Inches(11.7),
        Inches(0.8),
        24,
        colour=_MUTED,
    )
    _text(slide, f"{as_of} · {source}", Inches(0.8), Inches(4.4), Inches(11.7), Inches(0.6), 16, colour=_MUTED)

    the_map = annotated_network_map(G, renderer="canvas")
    with tempfile.TemporaryDirectory() as folder:
        image = map_image(the_map, Path(folder) / "map.png", date=as_of, source=source)
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        slide.shapes.add_picture(str(image), 0, 0, width=_WIDTH, height=_HEIGHT)

    for finding in findings(G):
        slide = _slide(deck, finding.headline)
        frame = _text(slide, "", Inches(0.7), Inches(1.4), Inches(11.9), Inches(4.2), 22)
        for i, line in enumerate(finding.lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = f"• {line}"
            _font(run, 22)
        _text(
            slide,
            f"证据：{label(finding.evidence)}",
            Inches(0.7),
            Inches(5.6),
            Inches(11.9),
            Inches(0.5),
            16,
            colour=_MUTED,
        )
        _text(
            slide, finding.next_step, Inches(0.7), Inches(6.1), Inches(11.9), Inches(0.7), 22, bold=True, colour=_ALERT
        )
        _footer(slide, f"{as_of} · {source}")

    gaps = industry_gaps(G)
    gap_rows = [
        [
            str(r["industry_zh"]),
            label(str(r["status"]), "zh"),
            str(int(r["n_partners"])),
            _cut("、".join(r["partners_zh"]), 60),
        ]
        for _, r in gaps.iterrows()
    ]
    _table(
        deck,
        "产业缺口",
        ("产业", "状态", "伙伴数", "伙伴"),
        gap_rows,
        (2.2, 1.8, 1.2, 7.1),
        GAP_ROWS_PER_SLIDE,
        f"{as_of} · {source}",
    )
    needs = unmatched_needs(G)
    picks = recommend_partners(G, top=top)
    need_rows = []
    for _, need in needs.iterrows():
        chosen = picks[picks["need_key"] == need["need_key"]].sort_values("rank")
        need_rows.append(
            [
                _cut(str(need["unit_zh"]), 24),
                str(need["industry_zh"]),
                _cut(str(need["reason_zh"]), 60),
                "、".join(chosen["candidate_zh"].astype(str)) or "暂无候选伙伴",
            ]
        )
    _table(
        deck,
        "未覆盖需求及推荐伙伴",
        ("需求单位", "产业", "原因", "推荐伙伴（前三）"),
        need_rows,
        (2.6, 1.6, 5.0, 3.1),
        NEED_ROWS_PER_SLIDE,
        f"{as_of} · {source}",
    )

    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        deck.save(str(target))
    except OSError as e:
        msg = f"cannot write {target}: {e.strerror or e}"
        raise HainetError(msg) from e
    return target


@click.command(name="slides")
@click.option("--date", metavar="YYYY-MM-DD", help="The data's as-of date on the slides; default the document's.")
@click.option(
    "--top", type=click.IntRange(1, 10), default=3, show_default=True, help="Recommended partners per unmatched need."
)
@output_option
@pass_store
def slides_command(store: Store, date: str | None, top: int, output: str) -> None:
    """Write the meeting deck (PowerPoint, 16:9): title, map, findings, gaps and unmatched needs."""
    if output == "-" or not output.lower().endswith(".pptx"):
        msg = "give the deck a file name ending in .pptx with -o"
        raise HainetError(msg)
    G = graph_from_store(store)
    if not G.number_of_nodes():
        msg = "the store is empty: run `hainet load` first"
        raise HainetError(msg)
    slides_deck(G, output, date=date, top=top)
    stderr.print(f"wrote {output}")


def commands() -> list[click.Command]:
    """Return the commands this module adds to ``hainet``."""
    return [slides_command]
