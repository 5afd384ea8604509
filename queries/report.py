"""Maps and the meeting report: the analysis, drawn and printed.

:func:`annotated_network_map` draws the graph with the analysis on it:
unmatched needs and industry gaps highlighted, hub figures and the top
recommended partners in the tooltips.  :func:`report_html` puts that map
together with the gaps, the policy checks, the unmatched needs with their
recommendations and the hubs into one self-contained, printable page.
``hainet map`` and ``hainet report`` are the command-line faces of both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
from collections.abc import Iterable
from typing import Any

import click
import networkx as nx
import pandas as pd

from graph.cli import emit, output_option, pass_store, stderr
from graph.errors import HainetError
from graph.export import graph_to_node_link
from graph.render import (
    LANGUAGES,
    MAX_MAP_NODES,
    SIZE_MEASURES,
    HtmlParts,
    NetworkMap,
    html_document,
    network_map,
    table_html,
)
from graph.schema import NodeKind
from graph.store import Store, graph_from_store
from queries.gaps import industry_gaps, policy_checks
from queries.hubs import hub_scores, single_points_of_failure
from queries.needs import unmatched_needs
from queries.recommend import recommend_partners

__all__ = [
    "DOCUMENT_DATE",
    "DOCUMENT_NUMBER",
    "MAP_QUERIES",
    "annotated_network_map",
    "commands",
    "data_version",
    "highlight_sets",
    "node_figures",
    "report_html",
]

#: The mechanism's document number, used when the graph has no source node that says it.
DOCUMENT_NUMBER = "国科办区〔2020〕105号"

#: The day the mechanism was issued, used when the graph has no source node that says it.
DOCUMENT_DATE = "2020-12-02"

#: Query results ``hainet map --query`` can draw as a subgraph.
MAP_QUERIES = ("unmatched-needs", "gaps", "hubs", "single-points-of-failure", "recommendations")

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "unmatched": "未覆盖需求",
        "uncovered": "产业缺口（无伙伴）",
        "single": "单一伙伴产业",
        "report_title": "海南开放创新合作网络 · 会议报告",
        "map_title": "海南开放创新合作网络",
        "data_version": "数据版本",
        "document": "依据文件",
        "issued": "印发日期",
        "generated": "报告日期",
        "nodes": "节点",
        "edges": "关系",
        "map": "合作网络图",
        "gaps": "产业缺口",
        "checks": "政策检查",
        "needs": "未覆盖需求及推荐伙伴",
        "hubs": "枢纽",
        "spof": "单点失效：一旦退出就会使需求失去覆盖的伙伴",
        "none": "无",
        "passed": "通过",
        "failed": "未通过",
        "n_unmatched": "未覆盖需求 {n} 项",
        "n_gaps": "产业缺口 {n} 个",
        "n_single": "单一伙伴产业 {n} 个",
        "n_failed": "未通过的政策检查 {n} 项",
        "recommended": "推荐伙伴",
        "no_candidate": "暂无候选伙伴",
        "top_hubs": "按 PageRank 排前 {n} 位的伙伴和需求单位",
        "mechanism": "海南开放创新合作机制",
        "sep": "、",
    },
    "en": {
        "unmatched": "unmatched need",
        "uncovered": "industry gap (no partner)",
        "single": "single-partner industry",
        "report_title": "Hainan open innovation cooperation network: meeting report",
        "map_title": "Hainan open innovation cooperation network",
        "data_version": "Data version",
        "document": "Document",
        "issued": "Issued",
        "generated": "Report date",
        "nodes": "nodes",
        "edges": "relationships",
        "map": "Cooperation network",
        "gaps": "Industry gaps",
        "checks": "Policy checks",
        "needs": "Unmatched needs and recommended partners",
        "hubs": "Hubs",
        "spof": "Single points of failure: partners whose withdrawal leaves needs uncovered",
        "none": "none",
        "passed": "passed",
        "failed": "failed",
        "n_unmatched": "{n} unmatched needs",
        "n_gaps": "{n} industry gaps",
        "n_single": "{n} single-partner industries",
        "n_failed": "{n} policy checks failed",
        "recommended": "Recommended partners",
        "no_candidate": "no candidate yet",
        "top_hubs": "Top {n} partners and demand units by PageRank",
        "mechanism": "Hainan Open Innovation Cooperation Mechanism",
        "sep": ", ",
    },
}

_HEADERS: dict[str, dict[str, dict[str, str]]] = {
    "zh": {
        "gaps": {"industry": "产业", "is_leading": "主导产业", "n_needs": "需求数", "n_cooperations": "合作数",
                 "n_partners": "伙伴数", "partner_names": "伙伴", "status_text": "状态"},
        "checks": {"check_text": "检查", "subject": "对象", "result": "结果", "evidence": "依据（英文）"},
        "needs": {"unit": "需求单位", "industry": "产业", "reason_text": "原因", "recommended": "推荐伙伴（前三）"},
        "hubs": {"actor": "伙伴或单位", "kind_text": "类型", "n_cooperations": "合作数", "degree": "联系数",
                 "betweenness": "介数中心性", "pagerank": "PageRank", "community": "社区"},
        "spof": {"actor": "伙伴", "n_stranded": "受影响需求数", "unit": "需求单位", "industry": "产业"},
    },
    "en": {
        "gaps": {"industry": "Industry", "is_leading": "Leading", "n_needs": "Needs", "n_cooperations": "Cooperations",
                 "n_partners": "Partners", "partner_names": "Partner names", "status_text": "Status"},
        "checks": {"check_text": "Check", "subject": "Subject", "result": "Result", "evidence": "Evidence"},
        "needs": {"unit": "Demand unit", "industry": "Industry", "reason_text": "Reason",
                  "recommended": "Recommended partners (top 3)"},
        "hubs": {"actor": "Partner or unit", "kind_text": "Kind", "n_cooperations": "Cooperations",
                 "degree": "Ties", "betweenness": "Betweenness", "pagerank": "PageRank", "community": "Community"},
        "spof": {"actor": "Partner", "n_stranded": "Needs stranded", "unit": "Demand unit", "industry": "Industry"},
    },
}

_VALUES: dict[str, dict[str, str]] = {
    "zh": {
        "uncovered": "无伙伴",
        "single-partner": "仅一个伙伴",
        "covered": "已覆盖",
        "leading-industry-has-region": "主导产业有地区合作伙伴",
        "leading-industry-has-park": "主导产业有园区合作伙伴",
        "key-task-has-department": "重点工作有科技部司局支持",
        "pairing-has-both-sides": "园区对口帮扶双方齐全",
        "cooperation-stalled-or-ended": "相关合作停滞或已结束",
        "no-partner-in-field": "该领域没有合作伙伴",
        "partners-not-linked-to-unit": "领域内有伙伴，但未对接该单位",
        "Region": "地区",
        "Park": "园区",
        "Department": "部门",
        "DemandUnit": "需求单位",
    },
    "en": {
        "Region": "region",
        "Park": "park",
        "Department": "department",
        "DemandUnit": "demand unit",
    },
}

_TOP_HUBS = 15


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}"
        raise HainetError(msg)


def _value(text: Any, lang: str) -> str:
    return _VALUES[lang].get(str(text), str(text).replace("-", " "))


def _name(row: pd.Series, prefix: str, lang: str) -> str:
    first, second = (f"{prefix}_zh", f"{prefix}_en") if lang == "zh" else (f"{prefix}_en", f"{prefix}_zh")
    return str(row.get(first) or row.get(second) or row.get(f"{prefix}_key") or "")


def highlight_sets(G: nx.MultiDiGraph, *, lang: str = "zh") -> dict[str, list[str]]:
    """Return what a map should highlight: unmatched needs, gap and single-partner industries.

    Parameters
    ----------
    G
        The graph.
    lang
        Language of the category labels.

    Returns
    -------
    dict[str, list[str]]
        Category label to sorted node keys, in this order: unmatched needs
        (:func:`queries.needs.unmatched_needs`), industries with no partner,
        industries with one partner (:func:`queries.gaps.industry_gaps`).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> sets = highlight_sets(example_graph(), lang="en")
    >>> list(sets), "need:boao:tourism" in sets["unmatched need"]
    (['unmatched need', 'industry gap (no partner)', 'single-partner industry'], True)
    """
    _check_lang(lang)
    t = _TEXT[lang]
    needs = unmatched_needs(G)
    gaps = industry_gaps(G)
    return {
        t["unmatched"]: sorted(set(needs["need_key"])),
        t["uncovered"]: sorted(gaps.loc[gaps["status"] == "uncovered", "industry_key"]),
        t["single"]: sorted(gaps.loc[gaps["status"] == "single-partner", "industry_key"]),
    }


def node_figures(G: nx.MultiDiGraph, *, lang: str = "zh", top: int = 3) -> pd.DataFrame:
    """Return the analysis figures to show in a map's tooltips, one row per node.

    Parameters
    ----------
    G
        The graph.
    lang
        Language of the figure names and texts.
    top
        Recommended partners listed per unmatched need.

    Returns
    -------
    pandas.DataFrame
        Columns ``key`` then one column per figure, named in ``lang``: for
        actors their hub figures (:func:`queries.hubs.hub_scores`: live
        cooperations, PageRank, betweenness, community); for industries
        their gap status and partner count; for unmatched needs the reason
        and the top recommended partners with scores.  Empty cells are
        ``None``.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> figures = node_figures(example_graph(), lang="en")
    >>> list(figures.columns)[:3], figures["key"].is_unique
    (['key', 'live cooperations', 'hub PageRank'], True)
    """
    _check_lang(lang)
    zh = lang == "zh"
    rows: dict[str, dict[str, Any]] = {}
    names = {
        "n": "进行中或计划中的合作" if zh else "live cooperations",
        "pr": "枢纽 PageRank" if zh else "hub PageRank",
        "bt": "枢纽介数中心性" if zh else "hub betweenness",
        "cm": "社区" if zh else "community",
        "gap": "产业覆盖" if zh else "industry coverage",
        "np": "伙伴数" if zh else "partners",
        "why": "未覆盖原因" if zh else "unmatched because",
        "rec": "推荐伙伴" if zh else "recommended partners",
    }
    for hub in hub_scores(G).to_dict(orient="records"):
        rows[str(hub["actor_key"])] = {
            names["n"]: int(hub["n_cooperations"]),
            names["pr"]: round(float(hub["pagerank"]), 4),
            names["bt"]: round(float(hub["betweenness"]), 4),
            names["cm"]: int(hub["community"]),
        }
    for _, gap in industry_gaps(G).iterrows():
        rows.setdefault(str(gap["industry_key"]), {}).update(
            {names["gap"]: _value(gap["status"], lang), names["np"]: int(gap["n_partners"])}
        )
    recommendations = recommend_partners(G, top=top)
    for _, need in unmatched_needs(G).iterrows():
        key = str(need["need_key"])
        picks = recommendations[recommendations["need_key"] == key].sort_values("rank")
        listed = "; ".join(f"{int(p['rank'])}. {_name(p, 'candidate', lang)} ({float(p['score']):.2f})"
                           for _, p in picks.iterrows())
        rows.setdefault(key, {}).update({names["why"]: _value(need["reason"], lang),
                                         names["rec"]: listed or _TEXT[lang]["no_candidate"]})
    columns = ["key", *names.values()]
    records = [{"key": key, **values} for key, values in sorted(rows.items())]
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.astype(object).where(frame.notna(), None)


def annotated_network_map(
    G: nx.MultiDiGraph,
    *,
    lang: str = "zh",
    highlight: bool = True,
    title: str | None = None,
    **options: Any,
) -> NetworkMap:
    """Return a map of ``G`` with the analysis on it.

    Unmatched needs, industries with no partner and industries with a single
    partner are highlighted (:func:`highlight_sets`), and tooltips carry
    :func:`node_figures`.

    Parameters
    ----------
    G
        The graph.
    lang
        ``zh`` or ``en``.
    highlight
        Whether to highlight and annotate; without it the map shows the
        graph only.
    title
        The heading; by default the network's name.
    **options
        Passed on to :func:`graph.render.network_map` (``industry``,
        ``focus``, ``radius``, ``keys``, ``size_by``, ``max_nodes``, ...).

    Returns
    -------
    NetworkMap
        The map.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> m = annotated_network_map(example_graph(), lang="en")
    >>> list(m.flag_counts)
    ['unmatched need', 'industry gap (no partner)', 'single-partner industry']
    """
    _check_lang(lang)
    return network_map(
        G,
        lang=lang,
        highlight=highlight_sets(G, lang=lang) if highlight else None,
        figures=node_figures(G, lang=lang) if highlight else None,
        title=title if title is not None else _TEXT[lang]["map_title"],
        **options,
    )


def data_version(G: nx.MultiDiGraph) -> str:
    """Return a short fingerprint of the graph's content: the same data, the same version.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", kind="Region")
    >>> data_version(G) == data_version(G.copy()), len(data_version(G))
    (True, 12)
    """
    return hashlib.sha256(graph_to_node_link(G).encode("utf-8")).hexdigest()[:12]


def _document(G: nx.MultiDiGraph) -> tuple[str, str, str]:
    """Return the mechanism's (document number, issue date, name) from its source node, else the defaults."""
    for _, attrs in sorted(G.nodes(data=True)):
        if attrs.get("kind") == NodeKind.SOURCE.value and attrs.get("doc_number"):
            return str(attrs["doc_number"]), str(attrs.get("issued") or DOCUMENT_DATE), str(attrs.get("name_zh") or "")
    return DOCUMENT_NUMBER, DOCUMENT_DATE, ""


def _report_date(date: str | None) -> str:
    if date:
        try:
            return dt.date.fromisoformat(date).isoformat()
        except ValueError as e:
            msg = f"report date {date!r} is not YYYY-MM-DD"
            raise HainetError(msg) from e
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()
    return dt.date.today().isoformat()


def _joined(values: Iterable[Any], lang: str) -> str:
    return _TEXT[lang]["sep"].join(str(v) for v in values)


def _gaps_table(G: nx.MultiDiGraph, lang: str) -> str:
    gaps = industry_gaps(G)
    frame = pd.DataFrame(
        {
            "industry": [_name(r, "industry", lang) for _, r in gaps.iterrows()],
            "is_leading": [_value(bool(v), lang) if lang == "en" else ("是" if v else "") for v in gaps["is_leading"]],
            "n_needs": gaps["n_needs"].astype(int),
            "n_cooperations": gaps["n_cooperations"].astype(int),
            "n_partners": gaps["n_partners"].astype(int),
            "partner_names": [
                _joined(zh_names, lang) if lang == "zh" else _joined(keys, lang)
                for zh_names, keys in zip(gaps["partners_zh"], gaps["partners"], strict=True)
            ],
            "status_text": [_value(s, lang) for s in gaps["status"]],
        }
    )
    return table_html(frame, headers=_HEADERS[lang]["gaps"], empty=_TEXT[lang]["none"])


def _checks_table(G: nx.MultiDiGraph, lang: str) -> tuple[str, int]:
    checks = policy_checks(G)
    t = _TEXT[lang]
    frame = pd.DataFrame(
        {
            "check_text": [_value(c, lang) for c in checks["check"]],
            "subject": [_name(r, "subject", lang) for _, r in checks.iterrows()],
            "result": [("✓ " + t["passed"]) if p else ("✗ " + t["failed"]) for p in checks["passed"]],
            "evidence": checks["evidence"].astype(str),
        }
    )
    return table_html(frame, headers=_HEADERS[lang]["checks"], empty=t["none"]), int((~checks["passed"]).sum())


def _needs_table(G: nx.MultiDiGraph, lang: str, top: int) -> tuple[str, int]:
    needs = unmatched_needs(G)
    recommendations = recommend_partners(G, top=top)
    t = _TEXT[lang]
    explanation = "explanation_zh" if lang == "zh" else "explanation_en"
    listed = []
    for key in needs["need_key"]:
        picks = recommendations[recommendations["need_key"] == key].sort_values("rank")
        lines = [
            f"{int(p['rank'])}. {_name(p, 'candidate', lang)} ({float(p['score']):.2f}) — {p[explanation]}"
            for _, p in picks.iterrows()
        ]
        listed.append("\n".join(lines) or t["no_candidate"])
    frame = pd.DataFrame(
        {
            "unit": [_name(r, "unit", lang) for _, r in needs.iterrows()],
            "industry": [_name(r, "industry", lang) for _, r in needs.iterrows()],
            "reason_text": [_value(r, lang) for r in needs["reason"]],
            "recommended": listed,
        }
    )
    return table_html(frame, headers=_HEADERS[lang]["needs"], empty=t["none"]), len(needs)


def _hubs_tables(G: nx.MultiDiGraph, lang: str) -> str:
    t = _TEXT[lang]
    hubs = hub_scores(G).head(_TOP_HUBS)
    frame = pd.DataFrame(
        {
            "actor": [_name(r, "actor", lang) for _, r in hubs.iterrows()],
            "kind_text": [_value(k, lang) for k in hubs["actor_kind"]],
            "n_cooperations": hubs["n_cooperations"].astype(int),
            "degree": hubs["degree"].astype(int),
            "betweenness": hubs["betweenness"].astype(float).round(4),
            "pagerank": hubs["pagerank"].astype(float).round(4),
            "community": hubs["community"].astype(int),
        }
    )
    spof = single_points_of_failure(G)
    stranded = pd.DataFrame(
        {
            "actor": [_name(r, "actor", lang) for _, r in spof.iterrows()],
            "n_stranded": spof["n_stranded"].astype(int),
            "unit": [_name(r, "unit", lang) for _, r in spof.iterrows()],
            "industry": [_name(r, "industry", lang) for _, r in spof.iterrows()],
        }
    )
    return "\n".join(
        [
            table_html(frame, headers=_HEADERS[lang]["hubs"], caption=t["top_hubs"].format(n=_TOP_HUBS),
                       empty=t["none"]),
            f"<h3>{html.escape(t['spof'])}</h3>",
            table_html(stranded, headers=_HEADERS[lang]["spof"], empty=t["none"]),
        ]
    )


def report_html(
    G: nx.MultiDiGraph,
    *,
    lang: str = "zh",
    date: str | None = None,
    top: int = 3,
    size_by: str = "pagerank",
    max_nodes: int = MAX_MAP_NODES,
) -> str:
    """Return the meeting report: one self-contained, printable HTML page.

    The page holds the data version (:func:`data_version`), the source
    document and its date, and the report date; the annotated map
    (:func:`annotated_network_map`); the industry gaps; the policy checks;
    the unmatched needs with their top recommended partners; the hubs and
    the single points of failure.  Every value is escaped; the page loads
    nothing from anywhere and prints with table headings repeated and no
    row cut across pages.

    Parameters
    ----------
    G
        The graph.
    lang
        ``zh`` (default) or ``en``.
    date
        The report date, ``YYYY-MM-DD``; by default ``SOURCE_DATE_EPOCH``
        when set (for reproducible builds), else today.
    top
        Recommended partners listed per unmatched need.
    size_by
        The map's node size measure.
    max_nodes
        The map aggregates above this many nodes.

    Returns
    -------
    str
        The page.

    Raises
    ------
    HainetError
        On an unknown language or measure, or a malformed date.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> page = report_html(example_graph(), date="2024-05-01")
    >>> "国科办区〔2020〕105号" in page, "2024-05-01" in page, '<section class="hn-map"' in page
    (True, True, True)
    """
    _check_lang(lang)
    if top < 1:
        msg = f"top must be at least 1, not {top}"
        raise HainetError(msg)
    t = _TEXT[lang]
    number, issued, name = _document(G)
    the_map = annotated_network_map(G, lang=lang, size_by=size_by, max_nodes=max_nodes)
    checks, n_failed = _checks_table(G, lang)
    needs, n_unmatched = _needs_table(G, lang, top)
    counts = {label: n for label, n in the_map.flag_counts.items()}
    uncovered = counts.get(t["uncovered"], 0)
    single = counts.get(t["single"], 0)
    meta = [
        (t["data_version"], f"{data_version(G)} · {G.number_of_nodes():,} {t['nodes']} · "
                            f"{G.number_of_edges():,} {t['edges']}"),
        (t["document"], f"{number}《{name or t['mechanism']}》"),
        (t["issued"], issued),
        (t["generated"], _report_date(date)),
    ]
    header = "\n".join(
        [
            *(f'<p class="hn-meta"><strong>{html.escape(k)}</strong>：{html.escape(v)}</p>' if lang == "zh"
              else f'<p class="hn-meta"><strong>{html.escape(k)}</strong>: {html.escape(v)}</p>' for k, v in meta),
            '<div class="hn-banner" id="hn-report-summary">',
            *(f'<span class="hn-chip">{html.escape(text)}</span>' for text in (
                t["n_unmatched"].format(n=n_unmatched), t["n_gaps"].format(n=uncovered),
                t["n_single"].format(n=single), t["n_failed"].format(n=n_failed))),
            "</div>",
        ]
    )

    def section(title: str, body: str, ident: str) -> HtmlParts:
        heading = f'<section class="hn-section" id="{ident}"><h2>{html.escape(title)}</h2>'
        return HtmlParts(body=f"{heading}\n{body}\n</section>")

    map_parts = the_map.parts()
    parts = [
        HtmlParts(body=f'<h2 id="hn-map-heading">{html.escape(t["map"])}</h2>'),
        map_parts,
        section(t["gaps"], _gaps_table(G, lang), "hn-gaps"),
        section(t["checks"], checks, "hn-checks"),
        section(t["needs"], needs, "hn-needs"),
        section(t["hubs"], _hubs_tables(G, lang), "hn-hubs"),
    ]
    return html_document(parts, title=t["report_title"], lang=lang, header=header)


# --------------------------------------------------------------------------- commands


def _lang_option(command: Any) -> Any:
    return click.option("--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True,
                        help="Language of labels and text.")(command)


def _query_keys(G: nx.MultiDiGraph, query: str) -> pd.DataFrame:
    if query == "unmatched-needs":
        return unmatched_needs(G)
    if query == "gaps":
        gaps = industry_gaps(G)
        rows = [{"industry_key": k, "partner_key": p} for k, ps in zip(gaps["industry_key"], gaps["partners"],
                                                                         strict=True) for p in (list(ps) or [None])]
        return pd.DataFrame(rows, columns=["industry_key", "partner_key"])
    if query == "hubs":
        return hub_scores(G).head(_TOP_HUBS)
    if query == "single-points-of-failure":
        return single_points_of_failure(G)
    return recommend_partners(G)


@click.command(name="map")
@click.option("--industry", metavar="KEY|NAME", help="Show one industry: its cooperations, needs, partners and units.")
@click.option("--focus", metavar="KEY|NAME", help="Show the ties of one node, e.g. a region or a park.")
@click.option("--radius", type=click.IntRange(1, 6), default=2, show_default=True, help="Steps around --focus.")
@click.option("--query", type=click.Choice(MAP_QUERIES), help="Show the subgraph of a query result.")
@click.option("--keys", "keys_file", type=click.Path(exists=True, dir_okay=False),
              help="Show the subgraph of the keys in a CSV file (columns key or *_key).")
@click.option("--size-by", type=click.Choice(SIZE_MEASURES), default="pagerank", show_default=True,
              help="Centrality that sizes the nodes.")
@_lang_option
@click.option("--title", help="Heading of the map.")
@click.option("--max-nodes", type=click.IntRange(1), default=MAX_MAP_NODES, show_default=True,
              help="Aggregate the map above this many nodes.")
@click.option("--no-highlight", is_flag=True, help="Leave out the analysis: no highlights, no figures.")
@output_option
@pass_store
def map_command(
    store: Store,
    industry: str | None,
    focus: str | None,
    radius: int,
    query: str | None,
    keys_file: str | None,
    size_by: str,
    lang: str,
    title: str | None,
    max_nodes: int,
    no_highlight: bool,
    output: str,
) -> None:
    """Write an interactive network map: one offline HTML file.

    Unmatched needs and industry gaps are highlighted unless --no-highlight.
    """
    G = graph_from_store(store)
    if not G.number_of_nodes():
        msg = "the store is empty: run `hainet load` first"
        raise HainetError(msg)
    keys: pd.DataFrame | None = None
    if query is not None:
        keys = _query_keys(G, query)
    if keys_file is not None:
        try:
            keys = pd.read_csv(keys_file, dtype=str, encoding="utf-8-sig")
        except (OSError, ValueError) as e:
            msg = f"cannot read keys from {keys_file}: {e}"
            raise HainetError(msg) from e
    the_map = annotated_network_map(
        G, lang=lang, highlight=not no_highlight, title=title, industry=industry, focus=focus, radius=radius,
        keys=keys, size_by=size_by, max_nodes=max_nodes,
    )
    emit(the_map.html(), output)
    if the_map.aggregated:
        stderr.print(f"{the_map.total_nodes} nodes aggregated into {the_map.node_count} (over {max_nodes})")


@click.command(name="report")
@_lang_option
@click.option("--date", metavar="YYYY-MM-DD", help="Report date; default $SOURCE_DATE_EPOCH, else today.")
@click.option("--top", type=click.IntRange(1, 10), default=3, show_default=True,
              help="Recommended partners per unmatched need.")
@click.option("--size-by", type=click.Choice(SIZE_MEASURES), default="pagerank", show_default=True,
              help="Centrality that sizes the map's nodes.")
@output_option
@pass_store
def report_command(store: Store, lang: str, date: str | None, top: int, size_by: str, output: str) -> None:
    """Write the meeting report: map, gaps, policy checks, unmatched needs, hubs; one printable HTML file."""
    G = graph_from_store(store)
    if not G.number_of_nodes():
        msg = "the store is empty: run `hainet load` first"
        raise HainetError(msg)
    emit(report_html(G, lang=lang, date=date, top=top, size_by=size_by), output)


def commands() -> list[click.Command]:
    """Return the commands this module adds to ``hainet``."""
    return [map_command, report_command]
