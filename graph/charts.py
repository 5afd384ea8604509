"""Static charts of query results, with Chinese labels that render.

Each chart function takes a query result (a DataFrame, as the functions of
``queries`` return it) and returns a :class:`matplotlib.figure.Figure`.
Figures are made without :mod:`matplotlib.pyplot`, so nothing is left open
in pyplot's global state; in Jupyter, a figure returned by the last line of
a cell shows inline as a PNG, once, whichever matplotlib backend is active
(no ``%matplotlib inline`` needed).

Chinese text needs a font that has Chinese glyphs, which matplotlib's
default (DejaVu Sans) lacks: without one every character is drawn as a
box.  :func:`use_cjk_font` finds an installed CJK font (Noto Sans CJK SC,
from Debian's ``fonts-noto-cjk``, first) and makes it matplotlib's
sans-serif font; every chart function calls it, so charts render Chinese
without any setup, and so do the pandas plots of a notebook once it has
been called.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from graph.errors import HainetError
from graph.labels import label
from graph.render import KIND_STYLES, LANGUAGES, node_positions

__all__ = [
    "CENTRALITY_MEASURES",
    "CJK_FONT_FAMILIES",
    "CJKFontWarning",
    "centrality_chart",
    "cjk_font_name",
    "community_chart",
    "coverage_heatmap",
    "gap_chart",
    "use_cjk_font",
]

#: Font families with Chinese glyphs, in order of preference.
CJK_FONT_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "SimHei",
    "Arial Unicode MS",
)

#: Columns of :func:`queries.hubs.hub_scores` that :func:`centrality_chart` can draw.
CENTRALITY_MEASURES = ("pagerank", "betweenness", "degree", "weighted_degree", "n_cooperations", "brokerage")

#: Parts of font file names that mark a CJK font, for fonts installed after matplotlib's cache was built.
_CJK_FILE_MARKS = ("notosanscjk", "notoserifcjk", "sourcehansans", "notosanssc", "wqy", "msyh", "simhei", "pingfang")

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "industry": "产业",
        "partner": "合作伙伴",
        "cooperations": "进行中或计划中的合作数",
        "heatmap_title": "产业 × 合作伙伴：进行中或计划中的合作",
        "no_partner": "还没有伙伴在所需产业开展进行中或计划中的合作",
        "no_rows": "没有可显示的数据",
        "uncovered_note": "红色产业：没有任何伙伴",
        "centrality_title": "合作网络中心性：前 {n} 位（{measure}）",
        "gap_title": "所需产业的合作伙伴数",
        "n_partners": "伙伴数",
        "leading": "★ 主导产业",
        "community_title": "合作网络的社区（按颜色）",
        "community": "社区 {n}（{size} 个主体）",
        "other_communities": "其他社区",
    },
    "en": {
        "industry": "Industry",
        "partner": "Partner",
        "cooperations": "active or planned cooperations",
        "heatmap_title": "Industry × partner: active or planned cooperations",
        "no_partner": "No partner has an active or planned cooperation in a needed industry yet",
        "no_rows": "Nothing to show",
        "uncovered_note": "Industries in red: no partner at all",
        "centrality_title": "Centrality in the cooperation network: top {n} ({measure})",
        "gap_title": "Partners per needed industry",
        "n_partners": "partners",
        "leading": "★ leading industry",
        "community_title": "Communities of the cooperation network (by colour)",
        "community": "community {n} ({size} actors)",
        "other_communities": "other communities",
    },
}

_MEASURE_NAMES = {
    "zh": {
        "pagerank": "PageRank",
        "betweenness": "介数中心性",
        "degree": "度（合作对象数）",
        "weighted_degree": "加权度",
        "n_cooperations": "参与的合作数",
        "brokerage": "跨社区联系数",
    },
    "en": {
        "pagerank": "PageRank",
        "betweenness": "betweenness",
        "degree": "degree (actors tied to)",
        "weighted_degree": "weighted degree",
        "n_cooperations": "cooperations taken part in",
        "brokerage": "communities bridged",
    },
}

_STATUS_COLOURS = {"uncovered": "#d62728", "single-partner": "#ff7f0e", "covered": "#2ca02c"}

#: Colours of communities, largest first (matplotlib's tab10 without its grey).
_COMMUNITY_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf")
_OTHER_COMMUNITY = "#c7c7c7"


class CJKFontWarning(UserWarning):
    """No installed font has Chinese glyphs: Chinese labels will show as boxes."""


class _ChartFigure(Figure):
    """A figure that Jupyter shows as a PNG even when no inline backend has been switched on.

    A figure made without pyplot has no PNG form of its own; IPython's
    figure formatter, when the inline backend registers one, takes
    precedence over this method, so a chart never shows twice.
    """

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()


# --------------------------------------------------------------------------- fonts


def _installed_families() -> set[str]:
    return {entry.name for entry in font_manager.fontManager.ttflist}


def _add_uncached_cjk_fonts() -> None:
    """Register CJK font files that matplotlib's font cache has not seen (installed after it was built)."""
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in sorted(font_manager.findSystemFonts()):
        name = path.replace("-", "").replace("_", "").casefold()
        if path not in known and any(mark in name for mark in _CJK_FILE_MARKS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                # A damaged or unreadable file is not a font we can use; the others may be.
                continue


def cjk_font_name() -> str | None:
    """Return the family name of the preferred installed CJK font, or ``None`` when there is none.

    The families of :data:`CJK_FONT_FAMILIES` are tried in order among the
    fonts matplotlib knows; font files installed after matplotlib built its
    font cache are found too.

    Examples
    --------
    >>> name = cjk_font_name()
    >>> name is None or name in CJK_FONT_FAMILIES
    True
    """
    for attempt in range(2):
        families = _installed_families()
        for family in CJK_FONT_FAMILIES:
            if family in families:
                return family
        if attempt == 0:
            _add_uncached_cjk_fonts()
    return None


def use_cjk_font() -> str | None:
    """Make the preferred installed CJK font matplotlib's sans-serif font, and return its name.

    The font goes first in ``rcParams["font.sans-serif"]`` and the font
    family becomes ``sans-serif``, so every later figure (pandas plots
    included) draws Chinese with it; Latin text falls back to the next
    fonts of the list.  The minus sign is drawn as a hyphen, which every
    font has.  Calling it again changes nothing.

    Returns
    -------
    str or None
        The font's family name, e.g. ``Noto Sans CJK SC``; ``None``, with a
        :class:`CJKFontWarning`, when no CJK font is installed (on Debian
        or Ubuntu: ``apt-get install fonts-noto-cjk``).

    Examples
    --------
    >>> name = use_cjk_font()
    >>> name is None or mpl.rcParams["font.sans-serif"][0] == name
    True
    """
    name = cjk_font_name()
    if name is None:
        message = (
            "no font with Chinese glyphs is installed, so Chinese labels will show as boxes; "
            "install Noto Sans CJK SC (Debian/Ubuntu: apt-get install fonts-noto-cjk), "
            "then call use_cjk_font() again"
        )
        warnings.warn(message, CJKFontWarning, stacklevel=2)
        return None
    sans = [str(f) for f in mpl.rcParams["font.sans-serif"] if f != name]
    mpl.rcParams["font.sans-serif"] = [name, *sans]
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["axes.unicode_minus"] = False
    return name


# --------------------------------------------------------------------------- checks


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}"
        raise HainetError(msg)


def _check_frame(frame: Any, columns: Sequence[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        msg = f"{what} must be a pandas DataFrame, not {type(frame).__name__}"
        raise HainetError(msg)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{what} lacks the columns {', '.join(missing)}; it has {', '.join(map(str, frame.columns))}"
        raise HainetError(msg)


def _label(row: pd.Series, prefix: str, lang: str) -> str:
    first, second = (f"{prefix}_zh", f"{prefix}_en") if lang == "zh" else (f"{prefix}_en", f"{prefix}_zh")
    for column in (first, second, f"{prefix}_key"):
        value = row.get(column)
        if isinstance(value, str) and value:
            return value
    return ""


def _empty_figure(text: str, title: str) -> Figure:
    fig = _ChartFigure(figsize=(7, 2.5), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    return fig


# --------------------------------------------------------------------------- charts


def coverage_heatmap(matrix: pd.DataFrame, *, lang: str = "zh", title: str | None = None) -> Figure:
    """Return a heatmap of an industry × partner coverage matrix.

    Parameters
    ----------
    matrix
        As from :func:`queries.gaps.coverage_matrix`: one row per needed
        industry, one column per partner, each cell a count of active or
        planned cooperations.  Row and column labels are shown as they are,
        so ask ``coverage_matrix`` for ``label="zh"`` or ``"en"`` names.
    lang
        ``zh`` or ``en``: the language of the title, axis names and notes.
    title
        The title; by default one that says what the cells count.

    Returns
    -------
    matplotlib.figure.Figure
        One heatmap axes and its colour bar.  Non-zero cells carry their
        count; industries whose row is all zero (no partner) are labelled
        in red.  A matrix without partners or industries gives a figure
        that says so.

    Raises
    ------
    HainetError
        When ``matrix`` is not a DataFrame of numbers, or ``lang`` is unknown.

    Examples
    --------
    >>> matrix = pd.DataFrame([[2, 0], [0, 0]], index=["旅游业", "生物医药"], columns=["上海市", "四川省"])
    >>> fig = coverage_heatmap(matrix)
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()], [t.get_text() for t in ax.texts]
    (['旅游业', '生物医药'], ['2', '红色产业：没有任何伙伴'])
    """
    _check_lang(lang)
    if not isinstance(matrix, pd.DataFrame):
        msg = f"the coverage matrix must be a pandas DataFrame, not {type(matrix).__name__}"
        raise HainetError(msg)
    t = _TEXT[lang]
    use_cjk_font()
    heading = title if title is not None else t["heatmap_title"]
    if matrix.empty:
        return _empty_figure(t["no_partner"] if len(matrix.index) else t["no_rows"], heading)
    try:
        values = matrix.to_numpy(dtype=float)
    except (TypeError, ValueError) as e:
        msg = "the coverage matrix must hold numbers (counts of cooperations)"
        raise HainetError(msg) from e
    n_rows, n_cols = values.shape
    fig = _ChartFigure(figsize=(max(6.0, 1.5 + 0.42 * n_cols), max(3.0, 1.8 + 0.36 * n_rows)), layout="constrained")
    ax = fig.add_subplot()
    top = float(np.nanmax(values)) if values.size else 0.0
    image = ax.imshow(values, cmap="Blues", vmin=0, vmax=max(top, 1.0), aspect="auto")
    ax.set_xticks(range(n_cols), [str(c) for c in matrix.columns], rotation=60, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(n_rows), [str(i) for i in matrix.index])
    ax.set_xlabel(t["partner"])
    ax.set_ylabel(t["industry"])
    ax.set_title(heading)
    ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_rows, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    for r in range(n_rows):
        for c in range(n_cols):
            value = values[r, c]
            if value and not math.isnan(value):
                colour = "white" if value > top / 2 else "black"
                ax.text(c, r, f"{value:g}", ha="center", va="center", fontsize=8, color=colour)
    uncovered = [r for r in range(n_rows) if not np.nansum(values[r])]
    for r in uncovered:
        ax.get_yticklabels()[r].set_color("#d62728")
    if uncovered:
        ax.annotate(
            t["uncovered_note"],
            xy=(0, 1),
            xycoords="axes fraction",
            xytext=(0, 18),
            textcoords="offset points",
            fontsize=8,
            color="#d62728",
        )
    fig.colorbar(image, ax=ax, label=t["cooperations"], shrink=0.6)
    return fig


def centrality_chart(
    hubs: pd.DataFrame,
    *,
    measure: str = "pagerank",
    top: int = 15,
    lang: str = "zh",
    title: str | None = None,
) -> Figure:
    """Return a bar chart of the actors that score highest on one centrality measure.

    Parameters
    ----------
    hubs
        As from :func:`queries.hubs.hub_scores`: at least ``actor_key``,
        ``actor_kind``, ``actor_zh``, ``actor_en`` and the ``measure`` column.
    measure
        One of :data:`CENTRALITY_MEASURES`.
    top
        How many actors to show, highest first (ties by key); actors
        scoring 0 are left out.
    lang
        ``zh`` or ``en``: actor names, title and legend.
    title
        The title; by default one that names the measure.

    Returns
    -------
    matplotlib.figure.Figure
        One horizontal bar per actor, the highest on top, coloured by kind
        as on the network maps, with a legend of kinds.  No actors gives a
        figure that says so.

    Raises
    ------
    HainetError
        On an unknown measure or language, a missing column, or ``top`` below 1.

    Examples
    --------
    >>> hubs = pd.DataFrame({"actor_key": ["dept:most", "region:shanghai", "park:tianfu"],
    ...                      "actor_kind": ["Department", "Region", "Park"],
    ...                      "actor_zh": ["科学技术部", "上海市", "天府国际生物城"],
    ...                      "actor_en": ["MOST", "Shanghai", "Tianfu Bio-Town"],
    ...                      "pagerank": [0.5, 0.3, 0.2]})
    >>> ax = centrality_chart(hubs, top=2).axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['上海市', '科学技术部']
    """
    _check_lang(lang)
    if measure not in CENTRALITY_MEASURES:
        msg = f"unknown measure {measure!r}: choose one of {', '.join(CENTRALITY_MEASURES)}"
        raise HainetError(msg)
    if top < 1:
        msg = f"top must be at least 1, not {top}"
        raise HainetError(msg)
    _check_frame(hubs, ["actor_key", "actor_kind", "actor_zh", "actor_en", measure], "the hub scores")
    t = _TEXT[lang]
    measure_name = _MEASURE_NAMES[lang][measure]
    use_cjk_font()
    best = hubs.assign(_value=pd.to_numeric(hubs[measure], errors="coerce").fillna(0.0))
    best = best[best["_value"] > 0]
    best = best.sort_values(["_value", "actor_key"], ascending=[False, True], kind="stable").head(top)
    heading = title if title is not None else t["centrality_title"].format(n=len(best), measure=measure_name)
    if best.empty:
        return _empty_figure(t["no_rows"], heading)
    best = best.iloc[::-1]
    labels = [_label(row, "actor", lang) for _, row in best.iterrows()]
    kinds = [str(k) for k in best["actor_kind"]]
    colours = [KIND_STYLES.get(k, KIND_STYLES["Source"])[1] for k in kinds]
    fig = _ChartFigure(figsize=(8, max(2.5, 1.2 + 0.34 * len(best))), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(range(len(best)), best["_value"].to_numpy(dtype=float), color=colours)
    ax.set_yticks(range(len(best)), labels)
    ax.set_xlabel(measure_name)
    ax.set_title(heading)
    ax.spines[["top", "right"]].set_visible(False)
    shown = [k for k in KIND_STYLES if k in set(kinds)]
    ax.legend(
        handles=[Patch(color=KIND_STYLES[k][1], label=label(k, lang)) for k in shown],
        loc="lower right",
        frameon=False,
    )
    return fig


def gap_chart(gaps: pd.DataFrame, *, lang: str = "zh", title: str | None = None) -> Figure:
    """Return a bar chart of how many partners each needed industry has, coloured by gap status.

    Parameters
    ----------
    gaps
        As from :func:`queries.gaps.industry_gaps`: at least ``industry_key``,
        ``industry_zh``, ``industry_en``, ``is_leading``, ``n_partners`` and
        ``status``.
    lang
        ``zh`` or ``en``.
    title
        The title; by default one that says what the bars count.

    Returns
    -------
    matplotlib.figure.Figure
        One horizontal bar per industry in the order of ``gaps`` (worst
        first, on top): red for no partner, orange for a single partner,
        green for several; leading industries are starred.

    Raises
    ------
    HainetError
        On a missing column or an unknown language.

    Examples
    --------
    >>> gaps = pd.DataFrame({"industry_key": ["industry:tourism", "industry:biomedicine"],
    ...                      "industry_zh": ["旅游业", "生物医药"], "industry_en": ["Tourism", "Biomedicine"],
    ...                      "is_leading": [True, False], "n_partners": [0, 3],
    ...                      "status": ["uncovered", "covered"]})
    >>> ax = gap_chart(gaps).axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['生物医药', '★ 旅游业']
    """
    _check_lang(lang)
    _check_frame(
        gaps, ["industry_key", "industry_zh", "industry_en", "is_leading", "n_partners", "status"], "the industry gaps"
    )
    t = _TEXT[lang]
    use_cjk_font()
    heading = title if title is not None else t["gap_title"]
    if gaps.empty:
        return _empty_figure(t["no_rows"], heading)
    rows = gaps.iloc[::-1]
    labels = [("★ " if bool(row["is_leading"]) else "") + _label(row, "industry", lang) for _, row in rows.iterrows()]
    statuses = [str(s) for s in rows["status"]]
    fig = _ChartFigure(figsize=(8, max(2.5, 1.2 + 0.32 * len(rows))), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(
        range(len(rows)),
        rows["n_partners"].to_numpy(dtype=float),
        color=[_STATUS_COLOURS.get(s, "#7f7f7f") for s in statuses],
    )
    ax.set_yticks(range(len(rows)), labels)
    ax.set_xlabel(t["n_partners"])
    ax.set_title(heading)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    handles: list[Artist] = [
        Patch(color=colour, label=label(status, lang))
        for status, colour in _STATUS_COLOURS.items()
        if status in set(statuses)
    ]
    handles.append(Line2D([], [], linestyle="none", label=t["leading"]))
    ax.legend(handles=handles, loc="lower right", frameon=False)
    return fig


def community_chart(
    projection: nx.Graph,
    hubs: pd.DataFrame,
    *,
    lang: str = "zh",
    communities: int = len(_COMMUNITY_COLOURS),
    hide_isolated: bool = True,
    title: str | None = None,
    seed: int = 20201202,
) -> Figure:
    """Return a drawing of the actor network with each community in its own colour.

    Parameters
    ----------
    projection
        The actor projection, as from :func:`queries.hubs.actor_projection`:
        actors as nodes, ties with a ``weight``.
    hubs
        As from :func:`queries.hubs.hub_scores` on the same graph: at least
        ``actor_key``, ``actor_zh``, ``actor_en``, ``community``,
        ``community_size`` and ``pagerank``.
    lang
        ``zh`` or ``en``.
    communities
        How many communities, largest first, get a colour of their own; the
        others are grey.  At most 9.
    hide_isolated
        Leave out actors with no tie (no live cooperation).
    title
        The title; by default one that says colours are communities.
    seed
        Seed of the layout (:func:`graph.render.node_positions`).

    Returns
    -------
    matplotlib.figure.Figure
        Nodes sized by PageRank and labelled with their names, ties as lines
        as wide as their weight, a legend of communities.

    Raises
    ------
    HainetError
        On a missing column, an unknown language, or ``communities``
        outside 1 to 9.

    Examples
    --------
    >>> P = nx.Graph([("region:a", "unit:x"), ("region:b", "unit:y")])
    >>> hubs = pd.DataFrame({"actor_key": ["region:a", "unit:x", "region:b", "unit:y"],
    ...                      "actor_zh": ["甲", "乙", "丙", "丁"], "actor_en": ["A", "X", "B", "Y"],
    ...                      "community": [0, 0, 1, 1], "community_size": [2, 2, 2, 2],
    ...                      "pagerank": [0.25, 0.25, 0.25, 0.25]})
    >>> ax = community_chart(P, hubs).axes[0]
    >>> sorted(t.get_text() for t in ax.texts)
    ['丁', '丙', '乙', '甲']
    """
    _check_lang(lang)
    if not 1 <= communities <= len(_COMMUNITY_COLOURS):
        msg = f"communities must be from 1 to {len(_COMMUNITY_COLOURS)}, not {communities}"
        raise HainetError(msg)
    if not isinstance(projection, nx.Graph):
        msg = f"the projection must be a networkx graph, not {type(projection).__name__}"
        raise HainetError(msg)
    _check_frame(
        hubs, ["actor_key", "actor_zh", "actor_en", "community", "community_size", "pagerank"], "the hub scores"
    )
    t = _TEXT[lang]
    use_cjk_font()
    heading = title if title is not None else t["community_title"]
    rows = {str(row["actor_key"]): row for _, row in hubs.iterrows()}
    keep = sorted(n for n in projection if str(n) in rows and (projection.degree(n) > 0 or not hide_isolated))
    fig = _ChartFigure(figsize=(10, 8), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(heading)
    if not keep:
        ax.text(0.5, 0.5, t["no_rows"], ha="center", va="center", transform=ax.transAxes)
        return fig
    view = projection.subgraph(keep)
    positions = node_positions(view, seed=seed)
    coloured = sorted({int(rows[k]["community"]) for k in keep})[:communities]
    palette = dict(zip(coloured, _COMMUNITY_COLOURS, strict=False))
    top_rank = max(float(rows[k]["pagerank"]) for k in keep) or 1.0
    for u, v, weight in sorted(view.edges(data="weight", default=1)):
        (x1, y1), (x2, y2) = positions[str(u)], positions[str(v)]
        ax.plot([x1, x2], [y1, y2], color="#b8b8b8", linewidth=0.6 + 0.6 * math.log2(max(1, weight)), zorder=1)
    xs = [positions[k][0] for k in keep]
    ys = [positions[k][1] for k in keep]
    sizes = [60 + 900 * math.sqrt(max(float(rows[k]["pagerank"]), 0.0) / top_rank) for k in keep]
    colours = [palette.get(int(rows[k]["community"]), _OTHER_COMMUNITY) for k in keep]
    ax.scatter(xs, ys, s=sizes, c=colours, edgecolors="#555555", linewidths=0.6, zorder=2)
    for key, x, y in zip(keep, xs, ys, strict=True):
        ax.text(x, y, _label(rows[key], "actor", lang), fontsize=7, ha="center", va="bottom", zorder=3, clip_on=False)
    ax.set_aspect("equal", adjustable="datalim")
    sizes_of = {int(rows[k]["community"]): int(rows[k]["community_size"]) for k in keep}
    handles = [Patch(color=colour, label=t["community"].format(n=n, size=sizes_of[n])) for n, colour in palette.items()]
    if any(int(rows[k]["community"]) not in palette for k in keep):
        handles.append(Patch(color=_OTHER_COMMUNITY, label=t["other_communities"]))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    return fig
