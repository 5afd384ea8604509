"""Reading planners' CSV files: their encoding, and their rows numbered as in the file.

CSV files may be UTF-8 (with or without a byte-order mark), GBK or GB18030;
anything else is refused with a message that says why, never read as
garbled text.  Rows are numbered as a spreadsheet program shows them (the
header is row 1), also when a quoted cell holds line breaks and a row
spans several lines of the file; a parse error names the row where the
broken row starts, and its line in the file when that differs.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from graph.errors import Problem
from loaders._tables import BadCell, RawTable, header_text
from loaders.templates import EXCEL_ERRORS

__all__ = ["FIELD_LIMIT", "decoded", "table_from_csv_text", "unescaped"]

#: The most characters a CSV cell may hold: far beyond any real quote or basis (Excel's own limit is 32,767).
FIELD_LIMIT = 16 * 1024 * 1024

#: What may follow the apostrophe that :func:`~loaders.templates.cell_text` puts before a CSV cell.
_ESCAPED_LEADS = ("=", "+", "-", "@", "\t", "\r", "'")


def unescaped(text: str) -> str:
    """Return a CSV cell without the apostrophe that export puts before text a spreadsheet would misread.

    Examples
    --------
    >>> unescaped("'=1+1"), unescaped("'#N/A"), unescaped("''quoted"), unescaped("'海口")
    ('=1+1', '#N/A', "'quoted", "'海口")
    """
    if text.startswith("'") and (text[1:2] in _ESCAPED_LEADS or text[1:].strip() in EXCEL_ERRORS):
        return text[1:]
    return text


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    # The csv module's limit is process-wide; it is raised only while a file is read.
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(row, cells)``; a csv.Error raised here carries the row and the line the broken row starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row, line = 0, 1
    while True:
        row += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise csv.Error(str(e), row, line) from e
        yield row, record
        line = reader.line_num + 1


def _parse_problem(file: str, error: csv.Error) -> Problem:
    text, row, line = str(error.args[0]), int(error.args[1]), int(error.args[2])
    if "field larger than field limit" in text:
        reason = f"a cell is longer than {FIELD_LIMIT:,} characters, the most a cell may hold"
    elif "unexpected end of data" in text:
        reason = "a quoted cell opened on this row is never closed: the file ends inside it"
    else:
        reason = f"not a well-formed CSV row: {text} (check the quotes of this row)"
    if line != row:
        reason += f"; the row starts on line {line} of the file, after cells that hold line breaks"
    return Problem(file, reason, row=row)


def table_from_csv_text(file: str, text: str, problems: list[Problem]) -> RawTable | None:
    """Return the table of a CSV file's text, or None when it cannot be parsed (the problem added).

    Rows are numbered as a spreadsheet shows them; error values (``#N/A``)
    become :class:`~loaders._tables.BadCell` with a problem each, and the
    export's formula-guard apostrophe is taken off every other cell.
    """
    numbered: list[tuple[int, list[str]]] = []
    with _field_limit(FIELD_LIMIT):
        try:
            numbered = list(_records(text))
        except csv.Error as e:
            problems.append(_parse_problem(file, e))
            return None
    if not numbered:
        problems.append(Problem(file, "the file is empty: its first row must hold the column names", row=1))
        return None
    header_row, header_cells = numbered[0]
    headers: list[object] = list(header_cells)
    if len(headers) == 1 and any(sep in header_cells[0] for sep in (";", "\t")):
        reason = "the columns are not separated by commas; save the file as CSV (comma delimited)"
        problems.append(Problem(file, reason, row=header_row, value=header_cells[0]))
        return None
    table = RawTable(file, None, headers)
    for number, record in numbered[1:]:
        cells: list[object] = []
        for index, value in enumerate(record):
            if value.strip() in EXCEL_ERRORS:
                problems.append(
                    Problem(
                        file,
                        f"the cell holds the error {value.strip()}, not a value",
                        row=number,
                        column=header_text(headers, index),
                        value=value,
                    )
                )
                cells.append(BadCell(value))
            else:
                cells.append(unescaped(value) if value != "" else None)
        table.rows.append((number, cells))
    return table


def decoded(data: bytes) -> str:
    """Return the text of a CSV file, or raise ValueError saying why it cannot be read.

    A strict cascade, because guessing from short text is unreliable: UTF-8
    (a byte-order mark settles it), then GB18030, of which GBK is a part.
    Text that decodes both ways is taken as GBK only when, read as UTF-8, it
    holds stray two-byte characters that no planner writes (``һ`` for the
    GBK bytes of ``一``) and, read as GB18030, it is plain Chinese.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        msg = "it is UTF-32 text; save it as CSV UTF-8"
        raise ValueError(msg)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        msg = "it is UTF-16 text; save it as CSV UTF-8"
        raise ValueError(msg)
    head = data[:4096]
    if head.count(0) * 20 > len(head):
        msg = (
            "it holds NUL bytes: it is UTF-16 or UTF-32 text without a byte-order mark, or not text at all; "
            "save it as CSV UTF-8"
        )
        raise ValueError(msg)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if data.startswith(codecs.BOM_UTF8) or not _stray_characters(text):
            return text
        try:
            chinese = data.decode("gb18030")
        except UnicodeDecodeError:
            return text
        return chinese if _plausible_chinese(chinese, strict=True) else text
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        msg = f"it is neither UTF-8 nor GBK/GB18030 text (byte {e.start}); save it as CSV UTF-8"
        raise ValueError(msg) from e
    if not _plausible_chinese(text):
        msg = (
            "it is neither UTF-8 nor GBK/GB18030 text (read as GB18030 it gives unlikely characters); "
            "save it as CSV UTF-8"
        )
        raise ValueError(msg)
    return text


def _stray_characters(text: str) -> bool:
    """Tell whether UTF-8 text holds two-byte characters that are not part of a word.

    Accented Latin letters next to ASCII letters or digits (``Zürich``,
    ``25°``) and Latin-1 punctuation next to Chinese (``约翰·史密斯``) are
    words; anything else between U+0080 and U+07FF, or beyond U+FFFF, is
    most likely GBK bytes read as UTF-8.  (The caller still keeps UTF-8
    unless the GBK reading is plain Chinese, so an emoji stays an emoji.)
    """
    for i, char in enumerate(text):
        if char >= "\U00010000":
            return True  # beyond the BMP: four GBK bytes read as one character, or an emoji
        if not "\x80" <= char < "\u0800":
            continue
        neighbours = text[max(i - 1, 0) : i] + text[i + 1 : i + 2]
        if "\u00a0" <= char <= "\u024f" and any(n.isascii() and n.isalnum() for n in neighbours):
            continue
        if "\u00a0" <= char <= "\u00bf" and any(n >= "\u0800" for n in neighbours):
            continue
        return True
    return False


def _plausible_chinese(text: str, *, strict: bool = False) -> bool:
    """Tell whether text decoded as GB18030 reads as Chinese rather than as another encoding misread.

    Bytes of Shift-JIS, Big5 or Latin-1 text often decode as GB18030, but into
    rare characters outside GB2312, private-use characters or four-byte
    sequences; at most one character in ten may be such, none when ``strict``.
    """
    wide = rare = 0
    for char in text:
        if char < "\x80":
            continue
        wide += 1
        if not _common_chinese(char):
            rare += 1
    return rare == 0 if strict else rare * 10 <= wide


def _common_chinese(char: str) -> bool:
    if "\ue000" <= char <= "\uf8ff":
        return False
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    if unicodedata.category(char)[0] in "PSZ":
        try:
            char.encode("gbk")
            return True
        except UnicodeEncodeError:
            return False
    return False
