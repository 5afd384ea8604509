"""Query results as text: terminal tables that fit the screen, CSV for spreadsheets, JSON.

A terminal table shows a frame in one language through :mod:`graph.labels`:
labelled headers and values, one name column per entity, no keys.  When the
screen is narrow the lightest columns go first (:func:`graph.labels.column_weight`);
short columns stay on one line, lists wrap only between their items, and
sentences wrap.  rich lays the table out and never reads a cell as markup.

CSV keeps the machine columns and codes, so that it can be filtered and
read back; it starts with a byte-order mark so that Excel on a Chinese
Windows reads it as UTF-8, and cells that would start a formula are
neutralised.  JSON is a list of row objects with UTF-8 kept readable.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from graph.export import safe_cell
from graph.labels import column_weight, display_columns, label, localized_frame
from graph.schema import NodeKind

__all__ = [
    "BOM",
    "frame_to_csv",
    "frame_to_json",
    "frame_to_table",
    "keys_named",
    "terminal_width",
]

#: The byte-order mark that starts every CSV text.
BOM = "\ufeff"

#: Width of the gap between two columns of a terminal table.
_GAP = 3

#: A text column narrower than this is not worth showing.
_MIN_TEXT = 12

#: A sentence reads comfortably from this width on; details make way for it.
_COMFORT = 28

#: A name wider than this may wrap (at spaces, in English) when the screen is narrow.
_MAX_NAME = 20

#: Columns that hold one entity's name.
_NAME_STEMS = frozenset(
    {
        "industry",
        "unit",
        "actor",
        "partner",
        "subject",
        "candidate",
        "name",
        "need",
        "closest_cooperation",
        "cooperation",
    }
)

_SEPARATORS = {"zh": "、", "en": "; "}


def terminal_width(default: int = 100) -> int:
    """Return the width of the terminal: ``$COLUMNS`` when set, else the terminal's, else ``default``.

    Examples
    --------
    >>> os.environ["COLUMNS"] = "80"; terminal_width()
    80
    >>> del os.environ["COLUMNS"]
    """
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return shutil.get_terminal_size((default, 24)).columns


_KEY = re.compile(r"\b(?:" + "|".join(sorted({re.escape(k.prefix) for k in NodeKind})) + r"):[^\s,;、，）)]+")


def keys_named(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Return ``frame`` with node keys inside its text cells replaced by the nodes' names.

    Key columns (``*_key`` and lists of keys) are left as they are; a key
    without a name stays.

    Examples
    --------
    >>> f = pd.DataFrame({"subject_key": ["region:x"], "evidence": ["Region partners: region:x, park:y"]})
    >>> keys_named(f, {"region:x": "X省"}).to_dict("records")
    [{'subject_key': 'region:x', 'evidence': 'Region partners: X省, park:y'}]
    """
    result = frame.copy()

    def named(match: re.Match[str]) -> str:
        return names.get(match.group(0), match.group(0))

    for column in frame.columns:
        name = str(column)
        textual = frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])
        if name.endswith("_key") or name in ("key", "partners", "cooperations") or not textual:
            continue
        result[column] = [_KEY.sub(named, v) if isinstance(v, str) else v for v in frame[column]]
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    return value


def frame_to_json(frame: pd.DataFrame) -> str:
    """Return ``frame`` as a JSON list of row objects, UTF-8 kept readable.

    Examples
    --------
    >>> print(frame_to_json(pd.DataFrame({"name": ["海南"], "n": [1], "keys": [["a", "b"]]})), end="")
    [
     {"name": "海南", "n": 1, "keys": ["a", "b"]}
    ]
    """
    rows = [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
    if not rows:
        return "[]\n"
    lines = ",\n".join(" " + json.dumps(row, ensure_ascii=False) for row in rows)
    return "[\n" + lines + "\n]\n"


def _csv_cell(value: Any) -> Any:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def frame_to_csv(frame: pd.DataFrame) -> str:
    r"""Return ``frame`` as CSV after a byte-order mark: lists joined with ``; ``, formula-like cells neutralised.

    Examples
    --------
    >>> text = frame_to_csv(pd.DataFrame({"quote": ["=1+1"], "keys": [["a", "b"]]}))
    >>> text.startswith(BOM), text[1:]
    (True, "quote,keys\n'=1+1,a; b\n")
    """
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([safe_cell(_csv_cell(v)) for v in row])
    return buffer.getvalue()


def _number(value: float) -> str:
    if value.is_integer() and abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.4f}"


def _cell(value: Any, lang: str) -> str | list[str]:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return label(value, lang)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, list):
        return [str(v) for v in value if v is not None and str(v) != ""]
    return str(value)


def _stem(column: str) -> str:
    for suffix in ("_zh", "_en"):
        if column.endswith(suffix):
            return column[: -len(suffix)]
    return column


def _packed(items: list[str], width: int, separator: str) -> str:
    """Join ``items`` with ``separator``, breaking lines only between items, each line at most ``width``."""
    lines: list[str] = []
    line = ""
    for i, item in enumerate(items):
        piece = item + (separator.rstrip() if i < len(items) - 1 else "")
        candidate = f"{line}{' ' if line and separator.endswith(' ') else ''}{piece}" if line else piece
        if line and cell_len(candidate) > width:
            lines.append(line)
            line = piece
        else:
            line = candidate
    if line:
        lines.append(line)
    return "\n".join(lines)


class _Column:
    """One column's cells and the widths it can take."""

    def __init__(self, name: str, header: str, cells: list[str | list[str]], *, numeric: bool, separator: str) -> None:
        self.name, self.header, self.cells, self.numeric = name, header, cells, numeric
        self.is_list = any(isinstance(c, list) for c in cells)
        joined = [separator.join(c) if isinstance(c, list) else c for c in cells]
        self.natural = max([cell_len(header), *(max((cell_len(p) for p in t.split("\n")), default=0) for t in joined)])
        if self.is_list:
            longest = max((cell_len(i) for c in cells if isinstance(c, list) for i in c), default=0)
            self.minimum = max(cell_len(header), min(longest, self.natural))
        elif not numeric and _stem(name) in _NAME_STEMS:
            self.minimum = min(self.natural, _MAX_NAME)  # a name: one line unless very long
        elif not numeric and self.natural > 2 * _MIN_TEXT:
            self.minimum = max(cell_len(header), _MIN_TEXT)  # a sentence: it wraps
        else:
            self.minimum = self.natural  # short: stays on one line
        self.weight = column_weight(name)

    @property
    def wraps(self) -> bool:
        return self.minimum < self.natural


def frame_to_table(
    frame: pd.DataFrame,
    *,
    lang: str = "zh",
    width: int | None = None,
    columns: Sequence[str] | None = None,
) -> str:
    """Return ``frame`` as a table for the terminal, in one language, fitted to ``width``.

    Parameters
    ----------
    frame
        A query result with machine columns and codes.
    lang
        ``zh`` (default) or ``en``: headers and coded values are labelled
        (:func:`graph.labels.localized_frame`).
    width
        Width in terminal cells; by default :func:`terminal_width`.
    columns
        The machine columns to consider, in order; by default every column
        a display shows (:func:`graph.labels.display_columns`) that weighs
        more than nothing.  The lightest go first when they do not fit.

    Returns
    -------
    str
        The table, then a line with the row count.

    Examples
    --------
    >>> f = pd.DataFrame({"industry_key": ["i:t"], "industry_zh": ["旅游业"], "industry_en": ["Tourism"],
    ...                   "status": ["single-partner"], "partners_zh": [["上海市", "三亚市"]]})
    >>> print(frame_to_table(f, width=40), end="")
    产业     状态       伙伴
    ──────────────────────────────────
    旅游业   单一伙伴   上海市、三亚市
    共 1 行
    """
    width = width if width is not None else terminal_width()
    separator = _SEPARATORS.get(lang, "; ")
    chosen = list(columns) if columns is not None else [c for c in display_columns(frame, lang) if column_weight(c) > 0]
    chosen = _kinds_after_names(chosen)
    shown = localized_frame(frame, lang, columns=chosen)
    table_columns: list[_Column] = []
    for name, header in zip(chosen, shown.columns, strict=True):
        values = shown[header]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        table_columns.append(
            _Column(name, str(header), [_cell(v, lang) for v in values], numeric=numeric, separator=separator)
        )
    if len(shown):  # a column empty on every row says nothing
        table_columns = [c for c in table_columns if any(cell not in ("", []) for cell in c.cells)]
    table_columns = _fitted(table_columns, width)
    widths = _widths(table_columns, width)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), collapse_padding=False)
    for column, column_width in zip(table_columns, widths, strict=True):
        table.add_column(
            column.header,
            justify="right" if column.numeric else "left",
            width=column_width,
            no_wrap=not column.wraps or column.is_list,
            overflow="fold",
        )
    for i in range(len(shown)):
        cells = []
        for column, column_width in zip(table_columns, widths, strict=True):
            cell = column.cells[i]
            cells.append(_packed(cell, column_width, separator) if isinstance(cell, list) else cell)
        table.add_row(*cells)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=max(width, 20),
        no_color=True,
        highlight=False,
        emoji=False,
        markup=False,
        force_terminal=False,
        legacy_windows=False,
    )
    console.print(table)
    text = "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()).strip("\n") + "\n"
    rows = len(frame)
    footer = f"共 {rows} 行" if lang == "zh" else f"{rows} row{'s' if rows != 1 else ''}"
    return text + footer + "\n"


def _kinds_after_names(columns: list[str]) -> list[str]:
    """Move each ``X_kind`` column right after the name of ``X``, so that a row starts with what it is about."""
    ordered = list(columns)
    for kind in [c for c in columns if c.endswith("_kind")]:
        stem = kind[: -len("_kind")]
        names = [c for c in ordered if c in (f"{stem}_zh", f"{stem}_en")]
        if names:
            ordered.remove(kind)
            ordered.insert(ordered.index(names[-1]) + 1, kind)
    return ordered


def _needed(columns: list[_Column]) -> int:
    return sum(c.minimum for c in columns) + _GAP * max(len(columns) - 1, 0)


def _comfortable(columns: list[_Column]) -> int:
    """Return the width at which every sentence gets at least :data:`_COMFORT` cells (or all it needs)."""
    return _needed(columns) + sum(
        max(min(c.natural, _COMFORT) - c.minimum, 0) for c in columns if c.wraps and not c.is_list
    )


def _fitted(columns: list[_Column], width: int) -> list[_Column]:
    """Drop the lightest columns, rightmost first, until the rest fit ``width``; the first column always stays.

    Details (weight 1) go first while they squeeze a sentence below a
    comfortable width; then any column goes while the rest do not fit.
    """
    kept = list(columns)
    while len(kept) > 1 and _comfortable(kept) > width:
        details = [i for i in range(1, len(kept)) if kept[i].weight <= 1]
        if not details:
            break
        kept.pop(max(details))
    while len(kept) > 1 and _needed(kept) > width:
        lightest = min(range(1, len(kept)), key=lambda i: (kept[i].weight, -i))
        kept.pop(lightest)
    return kept


def _widths(columns: list[_Column], width: int) -> list[int]:
    """Give each column its minimum, then share what is left among the columns that wrap."""
    widths = [c.minimum for c in columns]
    spare = width - _needed(columns)
    growing = [i for i, c in enumerate(columns) if c.wraps]
    while spare > 0 and growing:
        share = max(spare // len(growing), 1)
        for i in list(growing):
            step = min(share, columns[i].natural - widths[i], spare)
            widths[i] += step
            spare -= step
            if widths[i] >= columns[i].natural:
                growing.remove(i)
            if spare <= 0:
                break
    return widths
