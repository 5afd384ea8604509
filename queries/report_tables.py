"""The report's tables: labelled, escaped, printable, short columns on one line."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from graph.labels import display_columns, label, localized_frame

__all__ = ["table_html"]

#: Columns that stay on one line in the printed tables.
_ONE_LINE = frozenset(
    {
        "industry_zh",
        "unit_zh",
        "actor_zh",
        "subject_zh",
        "is_leading",
        "n_needs",
        "n_cooperations",
        "n_partners",
        "status",
        "passed",
        "evidence",
        "n_stranded",
        "degree",
        "betweenness",
        "pagerank",
        "community",
        "actor_kind",
        "provenance",
        "date",
        "change",
        "kind",
        "core",
        "constraint",
    }
)

_EMPTY = {"zh": "无", "en": "none"}
_LIST_SEP = {"zh": "、", "en": ", "}


def _cell(value: Any, lang: str) -> tuple[str, bool]:
    """Return the escaped text of a cell and whether it is a number."""
    if isinstance(value, bool):
        return html.escape(label(value, lang)), False
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}", True
    if isinstance(value, float):
        return ("" if value != value else f"{value:.4g}"), True
    if isinstance(value, list | tuple):
        return html.escape(_LIST_SEP[lang].join(str(v) for v in value)), False
    if value is None:
        return "", False
    return html.escape(str(value)).replace("\n", "<br>"), False


def table_html(frame: pd.DataFrame, columns: list[str], lang: str, *, caption: str | None = None) -> str:
    """Return the machine ``columns`` of ``frame`` as a printable table in ``lang``: labelled headers and values.

    Of each ``_zh`` / ``_en`` pair the column of ``lang`` is shown; short
    columns (names, counts, statuses, evidence) do not wrap; every value is
    escaped.

    Examples
    --------
    >>> frame = pd.DataFrame({"industry_zh": ["<旅游业>"], "industry_en": ["Tourism"], "n_partners": [1]})
    >>> print(table_html(frame, ["industry_zh", "industry_en", "n_partners"], "zh"))
    <table class="hn-table">
    <thead><tr><th>产业</th><th>伙伴数</th></tr></thead>
    <tbody>
    <tr><td class="hn-nowrap">&lt;旅游业&gt;</td><td class="hn-num hn-nowrap">1</td></tr>
    </tbody>
    </table>
    """
    if frame.empty:
        return f'<p class="hn-empty">{html.escape(_EMPTY[lang])}</p>'
    present = list(display_columns(frame[[c for c in columns if c in frame.columns]], lang))
    shown = localized_frame(frame, lang, columns=present)
    lines = ['<table class="hn-table">']
    if caption:
        lines.append(f"<caption>{html.escape(caption)}</caption>")
    lines.append("<thead><tr>" + "".join(f"<th>{html.escape(str(h))}</th>" for h in shown.columns) + "</tr></thead>")
    lines.append("<tbody>")
    for row in shown.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(present, row, strict=True):
            text, number = _cell(value.item() if hasattr(value, "item") else value, lang)
            classes = [c for c, on in (("hn-num", number), ("hn-nowrap", number or column in _ONE_LINE)) if on]
            cells.append(f'<td class="{" ".join(classes)}">{text}</td>' if classes else f"<td>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)
