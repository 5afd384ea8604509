"""The meeting report: findings first, then the map and the tables, printable on A4.

:func:`report_html` builds one :class:`queries.findings.ReportAnalysis`
and every section reads from it: the findings
(:func:`queries.findings.report_findings`), the map's highlights and
tooltips (:func:`highlight_sets`, :func:`node_figures`), the industry
gaps, the policy checks, the unmatched needs with their recommended
partners, and the hubs.  On screen the map is interactive; in print it is a
static SVG of the same nodes at the same positions
(:func:`graph.render_image.map_svg`), with page numbers and no controls.
:func:`annotated_network_map` is the analysed map that ``hainet map``
writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
from importlib.resources import files
from typing import Any

import networkx as nx
import pandas as pd

from graph.errors import HainetError
from graph.evidence import graph_at
from graph.export import graph_to_node_link
from graph.labels import LANGUAGES, label
from graph.render import MAX_MAP_NODES, HtmlParts, NetworkMap, ego_subgraph, html_document, network_map
from graph.render_image import map_svg
from graph.schema import NodeKind
from graph.tables import keys_named
from queries._facts import key_for_name
from queries.diff import changes_table
from queries.findings import ReportAnalysis, data_as_of, report_analysis, report_findings, scoped_analysis
from queries.report_map import core_keys
from queries.report_tables import table_html

__all__ = [
    "DOCUMENT_DATE",
    "DOCUMENT_NUMBER",
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

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "unmatched": "未覆盖需求",
        "uncovered": "产业缺口（无伙伴）",
        "single": "单一伙伴产业",
        "report_title": "海南开放创新合作网络 · 会议报告",
        "map_title": "海南开放创新合作网络",
        "as_of": "数据截至",
        "document": "依据文件",
        "issued": "印发日期",
        "generated": "报告日期",
        "scope": "范围",
        "size": "规模",
        "nodes": "个节点",
        "edges": "条关系",
        "findings": "主要发现",
        "evidence": "证据",
        "summary": "概况",
        "map": "合作网络图",
        "map_note": "图中为未覆盖需求、缺口产业、主要枢纽及连接它们的合作；完整的交互式地图用 hainet map 生成。",
        "gaps": "产业缺口",
        "checks": "政策检查",
        "checks_passed": "其余 {n} 项检查通过。",
        "checks_all_passed": "全部 {n} 项检查通过。",
        "needs": "未覆盖需求及推荐伙伴",
        "hubs": "枢纽",
        "changes": "年度变化（{since} 以来）",
        "no_changes": "此期间没有记录到变化。",
        "spof": "单点依赖：一旦退出就会使需求失去覆盖的伙伴",
        "none": "无",
        "n_unmatched": "未覆盖需求 {n} 项",
        "n_gaps": "无伙伴产业 {n} 个",
        "n_single": "单一伙伴产业 {n} 个",
        "n_failed": "未通过的政策检查 {n} 项",
        "recommended": "推荐伙伴（前三）",
        "no_candidate": "暂无候选伙伴",
        "top_hubs": "按 PageRank 排前 {n} 位的伙伴和需求单位",
        "mechanism": "海南开放创新合作机制",
        "sep": "：",
        "list_sep": "、",
        "whole": "全部数据",
        "evidence_all": "全部证据等级",
        "evidence_from": "{level}及以上",
        "page": "第 {page} 页",
    },
    "en": {
        "unmatched": "unmatched need",
        "uncovered": "industry gap (no partner)",
        "single": "single-partner industry",
        "report_title": "Hainan open innovation cooperation network: meeting report",
        "map_title": "Hainan open innovation cooperation network",
        "as_of": "Data as of",
        "document": "Document",
        "issued": "Issued",
        "generated": "Report date",
        "scope": "Scope",
        "size": "Size",
        "nodes": "nodes",
        "edges": "relationships",
        "findings": "Findings",
        "evidence": "Evidence",
        "summary": "Summary",
        "map": "Cooperation network",
        "map_note": "The map shows the unmatched needs, the industries in trouble, the main hubs and the "
        "cooperations that tie them; `hainet map` writes the full interactive map.",
        "gaps": "Industry gaps",
        "checks": "Policy checks",
        "checks_passed": "The other {n} checks pass.",
        "checks_all_passed": "All {n} checks pass.",
        "needs": "Unmatched needs and recommended partners",
        "hubs": "Hubs",
        "changes": "Changes since {since}",
        "no_changes": "No change recorded in this period.",
        "spof": "Single points of failure: partners whose withdrawal leaves needs uncovered",
        "none": "none",
        "n_unmatched": "unmatched needs: {n}",
        "n_gaps": "industries without a partner: {n}",
        "n_single": "single-partner industries: {n}",
        "n_failed": "policy checks failed: {n}",
        "recommended": "Recommended partners (top 3)",
        "no_candidate": "no candidate yet",
        "top_hubs": "Top {n} partners and demand units by PageRank",
        "mechanism": "Hainan Open Innovation Cooperation Mechanism",
        "sep": ": ",
        "list_sep": ", ",
        "whole": "all data",
        "evidence_all": "every level",
        "evidence_from": "{level} and stronger",
        "page": "page {page}",
    },
}

_TOP_HUBS = 15


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}"
        raise HainetError(msg)


def _name(row: Any, prefix: str, lang: str) -> str:
    first, second = (f"{prefix}_zh", f"{prefix}_en") if lang == "zh" else (f"{prefix}_en", f"{prefix}_zh")
    get = row.get if hasattr(row, "get") else row.__getitem__
    return str(get(first) or get(second) or get(f"{prefix}_key") or "")


def highlight_sets(
    G: nx.MultiDiGraph, *, lang: str = "zh", analysis: ReportAnalysis | None = None
) -> dict[str, list[str]]:
    """Return what a map should highlight: unmatched needs, gap and single-partner industries.

    Parameters
    ----------
    G
        The graph.
    lang
        Language of the category labels.
    analysis
        The answers to read; asked of ``G`` when not given.

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
    analysis = analysis or report_analysis(G)
    gaps = analysis.gaps
    return {
        t["unmatched"]: sorted(set(analysis.needs["need_key"])),
        t["uncovered"]: sorted(gaps.loc[gaps["status"] == "uncovered", "industry_key"]),
        t["single"]: sorted(gaps.loc[gaps["status"] == "single-partner", "industry_key"]),
    }


def node_figures(
    G: nx.MultiDiGraph, *, lang: str = "zh", top: int = 3, analysis: ReportAnalysis | None = None
) -> pd.DataFrame:
    """Return the analysis figures to show in a map's tooltips, one row per node.

    Parameters
    ----------
    G
        The graph.
    lang
        Language of the figure names and texts.
    top
        Recommended partners listed per unmatched need.
    analysis
        The answers to read; asked of ``G`` when not given.

    Returns
    -------
    pandas.DataFrame
        Columns ``key`` then one column per figure, named in ``lang``: for
        actors their hub figures (:func:`queries.hubs.hub_scores`: live
        cooperations, PageRank, betweenness, community); for industries
        their gap status and partner count; for unmatched needs the reason,
        the evidence level and the top recommended partners with scores.
        Empty cells are ``None``.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> figures = node_figures(example_graph(), lang="en")
    >>> list(figures.columns)[:3], figures["key"].is_unique
    (['key', 'live cooperations', 'hub PageRank'], True)
    """
    _check_lang(lang)
    zh = lang == "zh"
    analysis = analysis or report_analysis(G, top=top)
    rows: dict[str, dict[str, Any]] = {}
    names = {
        "n": "进行中或计划中的合作" if zh else "live cooperations",
        "pr": "枢纽 PageRank" if zh else "hub PageRank",
        "bt": "枢纽介数中心性" if zh else "hub betweenness",
        "cm": "社区" if zh else "community",
        "gap": "产业覆盖" if zh else "industry coverage",
        "np": label("n_partners", lang),
        "why": "未覆盖原因" if zh else "unmatched because",
        "ev": label("evidence", lang),
        "rec": "推荐伙伴" if zh else "recommended partners",
    }
    for hub in analysis.hubs.to_dict(orient="records"):
        rows[str(hub["actor_key"])] = {
            names["n"]: int(hub["n_cooperations"]),
            names["pr"]: round(float(hub["pagerank"]), 4),
            names["bt"]: round(float(hub["betweenness"]), 4),
            names["cm"]: int(hub["community"]),
        }
    for gap in analysis.gaps.to_dict(orient="records"):
        rows.setdefault(str(gap["industry_key"]), {}).update(
            {names["gap"]: label(gap["status"], lang), names["np"]: int(gap["n_partners"])}
        )
    picks_of = _picks(analysis, top)
    for need in analysis.needs.to_dict(orient="records"):
        key = str(need["need_key"])
        listed = "; ".join(
            f"{int(p['rank'])}. {_name(p, 'candidate', lang)} ({float(p['score']):.2f})" for p in picks_of.get(key, [])
        )
        rows.setdefault(key, {}).update(
            {
                names["why"]: _reason(need, lang),
                names["ev"]: label(need["evidence"], lang),
                names["rec"]: listed or _TEXT[lang]["no_candidate"],
            }
        )
    columns = ["key", *names.values()]
    records = [{"key": key, **values} for key, values in sorted(rows.items())]
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.astype(object).where(frame.notna(), None)


def _picks(analysis: ReportAnalysis, top: int) -> dict[str, list[dict[str, Any]]]:
    """Return the top recommended partners of each need, best first."""
    recs = analysis.recommendations
    picks: dict[str, list[dict[str, Any]]] = {}
    if recs.empty:
        return picks
    for row in recs.sort_values(["need_key", "rank"], kind="stable").to_dict(orient="records"):
        listed = picks.setdefault(str(row["need_key"]), [])
        if len(listed) < top:
            listed.append({str(k): v for k, v in row.items()})
    return picks


def _reason(need: Any, lang: str) -> str:
    """Return a need's reason: the sentence when the row has one, else the label of its code."""
    sentence = need.get(f"reason_{lang}") if hasattr(need, "get") else None
    return str(sentence) if sentence else label(need["reason"], lang)


def map_coverage(G: nx.MultiDiGraph, *, lang: str = "zh", analysis: ReportAnalysis | None = None) -> pd.DataFrame:
    """Return, for every need, whether it is covered and why not: what a map's side panel shows.

    Parameters
    ----------
    G
        The graph.
    lang
        Language of the texts.
    analysis
        The answers to read; asked of ``G`` once when not given.

    Returns
    -------
    pandas.DataFrame
        One row per need node, sorted by key, with columns ``key``,
        ``covered`` (bool), ``status`` (text), ``reason`` (text, empty when
        covered), ``evidence`` (the evidence level the row rests on),
        ``closest`` (the closest cooperation's name, when known),
        ``closest_key``, ``partners`` (recommended partners, as text) and
        ``partner_keys`` (their keys, best first).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> frame = map_coverage(example_graph(), lang="en")
    >>> list(frame.columns)[:4], bool(frame.set_index("key").loc["need:boao:tourism", "covered"])
    (['key', 'covered', 'status', 'reason'], False)
    """
    _check_lang(lang)
    if analysis is None:
        analysis = report_analysis(G)
    zh = lang == "zh"
    recommendations = analysis.recommendations
    unmatched = {str(r["need_key"]): r for r in analysis.needs.to_dict(orient="records")}
    rows = []
    for key, attrs in sorted(G.nodes(data=True)):
        if attrs.get("kind") != NodeKind.NEED.value:
            continue
        row: dict[str, Any] = {
            "key": key,
            "covered": key not in unmatched,
            "closest": None,
            "closest_key": None,
            "partners": None,
            "partner_keys": [],
        }
        need = unmatched.get(key)
        if need is None:
            row.update({"status": label("covered", lang), "reason": None, "evidence": attrs.get("provenance")})
        else:
            picks = recommendations[recommendations["need_key"] == key].sort_values("rank")
            names = [_name(p, "candidate", lang) for _, p in picks.iterrows()]
            closest = need.get("closest_cooperation")
            row.update(
                {
                    "status": label(need.get("status") or "uncovered", lang),
                    "reason": str(need.get("reason_zh" if zh else "reason_en") or ""),
                    "evidence": need.get("evidence") or need.get("provenance"),
                    "closest": G.nodes[closest].get("name_zh" if zh else "name_en") if closest in G else None,
                    "closest_key": closest if closest in G else None,
                    "partners": _TEXT[lang]["list_sep"].join(names) or _TEXT[lang]["no_candidate"],
                    "partner_keys": [str(k) for k in picks["candidate_key"]],
                }
            )
        rows.append(row)
    columns = ["key", "covered", "status", "reason", "evidence", "closest", "closest_key", "partners", "partner_keys"]
    return pd.DataFrame.from_records(rows, columns=columns)


def annotated_network_map(
    G: nx.MultiDiGraph,
    *,
    lang: str = "zh",
    highlight: bool = True,
    title: str | None = None,
    analysis: ReportAnalysis | None = None,
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
    analysis
        The answers to draw; asked of ``G`` once when not given.
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
    if highlight and analysis is None:
        analysis = report_analysis(G)
    return network_map(
        G,
        lang=lang,
        highlight=highlight_sets(G, lang=lang, analysis=analysis) if highlight else None,
        figures=node_figures(G, lang=lang, analysis=analysis) if highlight else None,
        coverage=map_coverage(G, lang=lang, analysis=analysis) if highlight else None,
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


def _findings_html(findings: pd.DataFrame, lang: str) -> str:
    items = []
    for row in findings.to_dict(orient="records"):
        level = str(row["evidence"])
        badge = (
            f'<span class="hn-evidence hn-evidence-{html.escape(level, quote=True)}">'
            f"{html.escape(_TEXT[lang]['evidence'])}{_TEXT[lang]['sep']}{html.escape(label(level, lang))}</span>"
        )
        items.append(
            f'<li><p class="hn-finding">{html.escape(str(row[f"finding_{lang}"]))}{badge}</p>'
            f'<p class="hn-next">{html.escape(str(row[f"next_step_{lang}"]))}</p></li>'
        )
    if not items:
        return f'<p class="hn-empty">{html.escape(_TEXT[lang]["none"])}</p>'
    return '<ol class="hn-findings" id="hn-findings-list">\n' + "\n".join(items) + "\n</ol>"


def _chips(analysis: ReportAnalysis, lang: str) -> str:
    t = _TEXT[lang]
    gaps = analysis.gaps
    counts = [
        (t["n_unmatched"], len(analysis.needs)),
        (t["n_gaps"], int((gaps["status"] == "uncovered").sum())),
        (t["n_single"], int((gaps["status"] == "single-partner").sum())),
        (t["n_failed"], int((~analysis.checks["passed"].astype(bool)).sum())),
    ]
    chips = [
        f'<span class="hn-chip{" hn-chip-zero" if n == 0 else ""}">{html.escape(text.format(n=n))}</span>'
        for text, n in counts
    ]
    return '<div class="hn-banner" id="hn-report-summary">' + "".join(chips) + "</div>"


def _needs_with_picks(analysis: ReportAnalysis, lang: str, top: int) -> pd.DataFrame:
    needs = analysis.needs.copy()
    picks_of = _picks(analysis, top)
    listed = []
    for key in needs["need_key"]:
        lines = [
            f"{int(p['rank'])}. {_name(p, 'candidate', lang)} ({float(p['score']):.2f})" for p in picks_of.get(key, [])
        ]
        listed.append("\n".join(lines) or _TEXT[lang]["no_candidate"])
    needs["recommended"] = listed
    needs["reason_text"] = [_reason(row, lang) for row in needs.to_dict(orient="records")]
    return needs


def _scope_keys(
    G: nx.MultiDiGraph, industry: str | None, unit: str | None, focus: str | None, radius: int, lang: str
) -> tuple[list[str], str]:
    """Return the nodes a scoped report is about, and its scope in words (empty for the whole graph)."""
    chosen = [name for name, value in (("industry", industry), ("unit", unit), ("focus", focus)) if value]
    if len(chosen) > 1:
        msg = f"choose one scope, not {' and '.join(chosen)}"
        raise HainetError(msg)
    if industry:
        key = key_for_name(G, NodeKind.INDUSTRY, industry)
        subs = [s for s, _, a in G.in_edges(key, data=True) if a.get("type") == "PART_OF"]
        return [key, *sorted(subs)], _name(G.nodes[key], "name", lang)
    if unit:
        key = key_for_name(G, NodeKind.DEMAND_UNIT, unit)
        return [key], _name(G.nodes[key], "name", lang)
    if focus:
        around = ego_subgraph(G, focus, radius=radius)
        return sorted(around), focus
    return [], ""


def _print_map(the_map: NetworkMap, G: nx.MultiDiGraph, lang: str) -> str:
    """Return the map for paper: the same drawing as ``hainet map --format svg``, inline, with its legend."""
    number, issued, name = _document(G)
    source = (
        f"来源：{number}《{name or _TEXT['zh']['mechanism']}》；hainet"
        if lang == "zh"
        else f"Source: {number}, {_TEXT['en']['mechanism']}; hainet"
    )
    svg = map_svg(the_map, title="", date=f"{_TEXT[lang]['as_of']} {data_as_of(G) or issued}", source=source)
    # Inline in HTML: no XML declaration, and the drawing scales to the page's width.
    svg = svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg
    return svg.replace("<svg ", '<svg class="hn-map-svg" ', 1)


def report_html(
    G: nx.MultiDiGraph,
    *,
    lang: str = "zh",
    date: str | None = None,
    top: int = 3,
    size_by: str = "pagerank",
    industry: str | None = None,
    unit: str | None = None,
    focus: str | None = None,
    radius: int = 1,
    evidence: str = "all",
    analysis: ReportAnalysis | None = None,
    changes: pd.DataFrame | None = None,
    changes_since: str | None = None,
) -> str:
    """Return the meeting report: one self-contained page, findings first, printable on A4.

    The page opens with the source document, the date the data runs to
    (:func:`queries.findings.data_as_of`) and the report date; then three
    to five findings, each with its evidence level and a next step
    (:func:`queries.findings.report_findings`); the map (interactive on
    screen, a static SVG in print); the industry gaps; the failed policy
    checks; the unmatched needs with their recommended partners; the hubs
    and the single points of failure.  Every question is asked once
    (:func:`queries.findings.report_analysis`).  Every value is escaped;
    the page loads nothing from anywhere.

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
    industry, unit, focus
        Scope the report to one industry (with its sub-fields), one demand
        unit, or the neighbourhood of one node (``radius`` steps): a key or
        a name.  At most one.
    radius
        Steps around ``focus``.
    changes, changes_since
        What changed since a day (:func:`queries.diff.changes_between`) and
        that day: shown as the section 年度变化 when given.
    evidence
        Report on the facts at or above this level
        (:data:`graph.evidence.EVIDENCE_CHOICES`; ``all`` by default).
    analysis
        The answers to report; asked of ``G`` once when not given.

    Returns
    -------
    str
        The page.

    Raises
    ------
    HainetError
        On an unknown language, measure or name, a malformed date, or two scopes.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> page = report_html(example_graph(), date="2024-05-01")
    >>> "国科办区〔2020〕105号" in page, "2024-05-01" in page, "建议下一步" in page
    (True, True, True)
    """
    _check_lang(lang)
    if top < 1:
        msg = f"top must be at least 1, not {top}"
        raise HainetError(msg)
    t = _TEXT[lang]
    report_date = _report_date(date)
    if evidence != "all":
        G = graph_at(G, evidence=evidence)
    scope, scope_name = _scope_keys(G, industry, unit, focus, radius, lang)
    full = analysis or report_analysis(G, top=top)
    shown = scoped_analysis(full, scope) if scope else full
    number, issued, name = _document(G)
    keys = core_keys(G, shown)
    if focus and scope:
        keys = list(dict.fromkeys([*keys, *scope]))
    # Drawn from the core subgraph alone: sizes are its own centralities, and a large graph is not copied.
    core = nx.MultiDiGraph(G.subgraph(keys or list(G)[:1]))
    the_map = annotated_network_map(
        core, lang=lang, analysis=full, size_by=size_by, max_nodes=MAX_MAP_NODES, renderer="canvas"
    )
    meta = [
        (t["document"], f"{number}《{name or t['mechanism']}》"),
        (t["issued"], issued),
        (t["as_of"], data_as_of(G) or issued),
        (t["generated"], report_date),
        (t["scope"], scope_name or t["whole"]),
        (
            t["evidence"],
            t["evidence_all"] if evidence == "all" else t["evidence_from"].format(level=label(evidence, lang)),
        ),
        (t["size"], f"{G.number_of_nodes():,} {t['nodes']} · {G.number_of_edges():,} {t['edges']}"),
    ]
    header = (
        '<p class="hn-meta-line">'
        + "".join(f"<span><strong>{html.escape(k)}</strong>{t['sep']}{html.escape(v)}</span>" for k, v in meta)
        + "</p>"
    )

    def section(title: str, body: str, ident: str) -> HtmlParts:
        return HtmlParts(
            body=f'<section class="hn-section" id="{ident}"><h2>{html.escape(title)}</h2>\n{body}\n</section>'
        )

    checks = shown.checks
    failed = keys_named(checks[~checks["passed"].astype(bool)], _names(G, lang))
    passed = len(checks) - len(failed)
    checks_note = (t["checks_all_passed"] if failed.empty else t["checks_passed"]).format(n=passed)
    checks_body = (
        table_html(
            failed, ["check", "subject_zh", "subject_en", "passed", "finding_zh", "finding_en", "evidence"], lang
        )
        if not failed.empty
        else ""
    ) + f'<p class="hn-meta">{html.escape(checks_note)}</p>'
    needs = _needs_with_picks(shown, lang, top)
    hubs = shown.hubs.head(_TOP_HUBS)
    map_parts = the_map.parts()
    map_body = (
        f'<section class="hn-section" id="hn-map-section"><h2 id="hn-map-heading">{html.escape(t["map"])}</h2>'
        f'<p class="hn-meta">{html.escape(t["map_note"])}</p>'
        f'<div class="hn-screen-only">{map_parts.body}</div>'
        f'<figure class="hn-figure hn-print-only" id="hn-map-print">{_print_map(the_map, G, lang)}'
        "</figure></section>"
    )
    parts = [
        section(t["findings"], _findings_html(report_findings(shown), lang) + _chips(shown, lang), "hn-findings"),
        section(
            t["gaps"],
            table_html(
                shown.gaps,
                [
                    "industry_zh",
                    "industry_en",
                    "is_leading",
                    "n_needs",
                    "n_partners",
                    "partners_zh",
                    "status",
                    "via_zh",
                    "evidence",
                ],
                lang,
            ),
            "hn-gaps",
        ),
        HtmlParts(body=map_body, styles=(*map_parts.styles, _report_css()), scripts=map_parts.scripts),
        section(t["checks"], checks_body, "hn-checks"),
        section(
            t["needs"],
            table_html(
                needs.rename(columns={"recommended": "recommended_text"}),
                ["unit_zh", "unit_en", "industry_zh", "industry_en", "reason_text", "evidence", "recommended_text"],
                lang,
            ),
            "hn-needs",
        ),
        section(
            t["hubs"],
            "\n".join(
                [
                    table_html(
                        hubs,
                        [
                            "actor_zh",
                            "actor_en",
                            "actor_kind",
                            "n_cooperations",
                            "degree",
                            "pagerank",
                            "community",
                            "constraint",
                            "core",
                            "evidence",
                        ],
                        lang,
                        caption=t["top_hubs"].format(n=_TOP_HUBS),
                    ),
                    f"<h3>{html.escape(t['spof'])}</h3>",
                    table_html(
                        shown.spof,
                        [
                            "actor_zh",
                            "actor_en",
                            "n_stranded",
                            "unit_zh",
                            "unit_en",
                            "industry_zh",
                            "industry_en",
                            "evidence",
                        ],
                        lang,
                    ),
                ]
            ),
            "hn-hubs",
        ),
    ]
    if changes is not None:
        body = (
            table_html(
                changes_table(changes, lang=lang), ["change", "name", "kind", "evidence", "date", "detail"], lang
            )
            if len(changes)
            else f'<p class="hn-meta">{html.escape(t["no_changes"])}</p>'
        )
        parts.insert(1, section(t["changes"].format(since=changes_since or "—"), body, "hn-changes"))
    return html_document(parts, title=t["report_title"], lang=lang, header=header)


def _names(G: nx.MultiDiGraph, lang: str) -> dict[str, str]:
    first, second = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    return {str(k): str(a.get(first) or a.get(second) or k) for k, a in G.nodes(data=True)}


def _report_css() -> str:
    return files("queries").joinpath("report.css").read_text(encoding="utf-8")


def commands() -> list[Any]:
    """Return no commands: ``map`` and ``report`` now come with the other questions (:func:`queries.cli.commands`).

    Kept so that an installation whose entry points still name this
    function starts; reinstalling drops the entry point.
    """
    return []
