"""Self-contained HTML pages: inline assets, a strict CSP, escaped JSON and tables."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd

from graph.errors import HainetError
from graph.render_text import _TEXT, _check_lang

__all__ = ["HtmlParts", "html_document", "script_json", "table_html"]

_VIS_DIR = "lib/vis-9.1.2"


_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_json(value: Any) -> str:
    """Return ``value`` as JSON safe inside an HTML ``<script>`` element.

    Keys are sorted; ``<``, ``>``, ``&`` and the line separators U+2028 and
    U+2029 are written as JSON escapes (``<`` as backslash-u003c, ...), so
    no data can end the element or open a comment.

    Examples
    --------
    >>> text = script_json({"name": "</script><b>&"})
    >>> "<" in text or ">" in text or "&" in text, json.loads(text)["name"]
    (False, '</script><b>&')
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for raw, escaped in _SCRIPT_ESCAPES:
        text = text.replace(raw, escaped)
    return text


@dataclass(frozen=True)
class HtmlParts:
    """Pieces of a page: styles, body markup and inline scripts, run in order.

    ``body`` must be markup built with every data string escaped; scripts
    must not contain ``</script``.
    """

    body: str
    styles: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()


def _asset(name: str) -> str:
    return files("graph").joinpath("templates", name).read_text(encoding="utf-8")


def _vis_asset(name: str) -> str:
    text = files("pyvis").joinpath(_VIS_DIR, name).read_text(encoding="utf-8")
    # The source map is not shipped; a devtools fetch of it would be a request.
    # split("\n"), not splitlines(): the script holds U+2028 and other line breaks of its own.
    return "\n".join(line for line in text.split("\n") if not line.startswith("//# sourceMappingURL="))


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def html_document(parts: Sequence[HtmlParts], *, title: str, lang: str = "zh", header: str = "") -> str:
    """Return one self-contained HTML page made of ``parts``.

    The page declares UTF-8 and a Content-Security-Policy that allows no
    remote resource at all: scripts run only if their SHA-256 is listed
    (those of ``parts``), styles only inline, images only as ``data:``.
    The same parts give the same bytes.

    Parameters
    ----------
    parts
        The pieces, in page order; repeated scripts and styles appear once.
    title
        The page title and heading, escaped here.
    lang
        ``zh`` or ``en``: the page's language.
    header
        Markup (already escaped) placed under the heading.

    Returns
    -------
    str
        The page.

    Examples
    --------
    >>> page = html_document([HtmlParts(body="<p>x</p>", scripts=("1;",))], title="<b>海南</b>")
    >>> "<h1>&lt;b&gt;海南&lt;/b&gt;</h1>" in page, "script-src 'sha256-" in page
    (True, True)
    """
    _check_lang(lang)
    styles = list(dict.fromkeys([_asset("page.css"), *(s for p in parts for s in p.styles)]))
    scripts = list(dict.fromkeys(s for p in parts for s in p.scripts))
    for script in scripts:
        if "</script" in script.lower() or "<!--" in script:
            msg = "an inline script contains '</script' or '<!--' and cannot be embedded"
            raise HainetError(msg)
    hashes = " ".join(_sha256(s) for s in scripts) or "'none'"
    policy = (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
    )
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_TEXT[lang]["html_lang"]}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        *(f"<style>\n{s}\n</style>" for s in styles),
        "</head>",
        "<body>",
        f'<header class="hn-header"><h1>{html.escape(title)}</h1>{header}</header>',
        *(p.body for p in parts),
        *(f"<script>{s}</script>" for s in scripts),
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def _cell(value: Any) -> tuple[str, bool]:
    """Return the escaped text of a table cell and whether it is a number."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "", False
    if isinstance(value, bool):
        return html.escape(str(value).lower()), False
    if isinstance(value, int):
        return f"{value:,}", True
    if isinstance(value, float):
        return html.escape(f"{value:.4g}" if abs(value) < 1e5 else f"{value:,.0f}"), True
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return html.escape("、".join(str(v) for v in items)), False
    return html.escape(str(value)), False


def table_html(
    frame: pd.DataFrame,
    *,
    headers: Mapping[str, str] | None = None,
    caption: str | None = None,
    empty: str = "—",
) -> str:
    """Return ``frame`` as an escaped, printable HTML table.

    Parameters
    ----------
    frame
        The rows; its index is not shown.
    headers
        Column name to heading; columns missing here keep their names.
        When given, only these columns are shown, in this order.
    caption
        A caption above the table.
    empty
        The text shown instead of a table when ``frame`` has no rows.

    Returns
    -------
    str
        A ``<table class="hn-table">`` with a ``<thead>`` (repeated on every
        printed page), or a paragraph saying ``empty``.

    Examples
    --------
    >>> print(table_html(pd.DataFrame({"name": ["<b>"], "n": [3]}), headers={"name": "名称", "n": "数"}))
    <table class="hn-table">
    <thead><tr><th>名称</th><th>数</th></tr></thead>
    <tbody>
    <tr><td>&lt;b&gt;</td><td class="hn-num">3</td></tr>
    </tbody>
    </table>
    """
    columns = [c for c in headers if c in frame.columns] if headers else [str(c) for c in frame.columns]
    if frame.empty:
        cap = f'<p class="hn-meta">{html.escape(caption)}</p>' if caption else ""
        return f'{cap}<p class="hn-empty">{html.escape(empty)}</p>'
    lines = ['<table class="hn-table">']
    if caption:
        lines.append(f"<caption>{html.escape(caption)}</caption>")
    heads = "".join(f"<th>{html.escape((headers or {}).get(c, c))}</th>" for c in columns)
    lines.append(f"<thead><tr>{heads}</tr></thead>")
    lines.append("<tbody>")
    for row in frame[columns].itertuples(index=False, name=None):
        cells = []
        for value in row:
            text, number = _cell(value)
            cells.append(f'<td class="hn-num">{text}</td>' if number else f"<td>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody>")
    lines.append("</table>")
    return "\n".join(lines)
