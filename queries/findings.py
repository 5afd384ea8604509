"""One analysis per report, and the findings a meeting reads first.

:func:`report_analysis` asks every question once: gaps, unmatched needs,
recommendations, hubs, single points of failure and policy checks.  The
report, the map's highlights and tooltips, and the slides all read from that
one :class:`ReportAnalysis`, so no question is asked twice for one output.
:func:`scoped_analysis` narrows it to an industry, a demand unit or the
neighbourhood of a node.  :func:`report_findings` turns it into three to
five findings in Chinese (with English), each with its evidence level and a
next step.

The evidence level of a row is the weakest level
(:func:`graph.evidence.weakest`) among the facts the row names (its node
keys and cooperations) and those that tie them: ``stated`` (the
document's own words) is the strongest, then ``reported``, ``curated``,
``user`` and ``example``.  A row that already carries an ``evidence``
column of levels keeps it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any

import networkx as nx
import pandas as pd

from graph.errors import HainetError
from graph.evidence import EVIDENCE_LEVELS, fact_level, weakest
from graph.labels import label
from graph.schema import NodeKind
from queries._facts import facts_shared
from queries.gaps import industry_gaps, policy_checks
from queries.hubs import hub_scores, single_points_of_failure
from queries.needs import unmatched_needs
from queries.recommend import recommend_partners

__all__ = [
    "FINDING_COLUMNS",
    "ReportAnalysis",
    "data_as_of",
    "report_analysis",
    "report_findings",
    "scoped_analysis",
]

#: Columns of :func:`report_findings`.
FINDING_COLUMNS = [
    "finding",
    "subject_key",
    "count",
    "evidence",
    "finding_zh",
    "finding_en",
    "next_step_zh",
    "next_step_en",
]

#: Attributes whose values date a fact.
_DATE_FIELDS = ("date", "valid_from", "valid_to", "issued", "reported_on", "as_of")

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

_KEY_LISTS = ("cooperations", "partners", "stalled_cooperations")


@dataclass(frozen=True)
class ReportAnalysis:
    """Every question's answer for one report, each asked once.

    Attributes
    ----------
    gaps
        :func:`queries.gaps.industry_gaps`, with ``evidence``.
    needs
        :func:`queries.needs.unmatched_needs`, with ``evidence``.
    recommendations
        :func:`queries.recommend.recommend_partners` (``top`` per need), with ``evidence``.
    hubs
        :func:`queries.hubs.hub_scores`, with ``evidence``.
    spof
        :func:`queries.hubs.single_points_of_failure`, with ``evidence``.
    checks
        :func:`queries.gaps.policy_checks`.
    """

    gaps: pd.DataFrame
    needs: pd.DataFrame
    recommendations: pd.DataFrame
    hubs: pd.DataFrame
    spof: pd.DataFrame
    checks: pd.DataFrame


class _Ties:
    """The facts that tie named nodes together, with each node's cooperations and sub-fields read once."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        self._coops: dict[str, frozenset[str]] = {}
        self._subs: dict[str, list[tuple[str, Any]]] = {}
        self._reach: dict[str, frozenset[str]] = {}
        self._levels: dict[str, str] = {}
        #: The weakest level of any fact of the graph: a row that reaches it needs no more reading.
        self.floor = weakest(
            [*(fact_level(a) for _, a in G.nodes(data=True)), *(fact_level(a) for *_, a in G.edges(data=True))]
        )

    def coops(self, key: str) -> frozenset[str]:
        if key not in self._coops:
            G = self.G
            self._coops[key] = frozenset(
                n for n in nx.all_neighbors(G, key) if G.nodes[n].get("kind") == NodeKind.COOPERATION.value
            )
        return self._coops[key]

    def subs(self, key: str) -> list[tuple[str, Any]]:
        if key not in self._subs:
            self._subs[key] = [
                (sub, fact_level(attrs))
                for sub, _, attrs in self.G.in_edges(key, data=True)
                if attrs.get("type") == "PART_OF"
            ]
        return self._subs[key]

    def coop_level(self, coop: str) -> str:
        """Return the weakest level of a cooperation and its relationships."""
        if coop not in self._levels:
            G = self.G
            levels = [fact_level(G.nodes[coop])]
            levels += [fact_level(a) for *_, a in G.in_edges(coop, data=True)]
            levels += [fact_level(a) for *_, a in G.out_edges(coop, data=True)]
            self._levels[coop] = weakest(levels)
        return self._levels[coop]

    def reach(self, key: str) -> frozenset[str]:
        if key not in self._reach:
            self._reach[key] = self.coops(key).union(*(self.coops(sub) for sub, _ in self.subs(key)))
        return self._reach[key]

    def provenances(self, keys: list[str]) -> list[Any]:
        """Return the provenance of ``keys`` and of the facts that tie two of them.

        Two named nodes are tied by a cooperation next to both, directly or
        through a sub-field (``PART_OF``) of a named industry; the
        cooperation with its relationships, and the roll-up edge, count.
        """
        G = self.G
        found = [fact_level(G.nodes[k]) for k in keys]
        if len(keys) < 2 or weakest(found) == self.floor:
            return found  # nothing can make the row weaker
        members = {
            key: [(key, []), *((sub, [edge, fact_level(G.nodes[sub])]) for sub, edge in self.subs(key))] for key in keys
        }
        reach = {key: self.reach(key) for key in keys}
        tied: set[str] = {
            k
            for k in keys
            if G.nodes[k].get("kind") == NodeKind.COOPERATION.value and any(k in reach[o] for o in keys if o != k)
        }
        for i, first in enumerate(keys):
            for second in keys[i + 1 :]:
                tied |= reach[first] & reach[second]
        for coop in tied:
            found.append(self.coop_level(coop))
            if found[-1] == self.floor:
                return found
        for group in members.values():
            for node, extra in group[1:]:
                if tied & self.coops(node):
                    found.extend(extra)
        return found


def _with_evidence(G: nx.MultiDiGraph, frame: pd.DataFrame, ties: _Ties | None = None) -> pd.DataFrame:
    """Return ``frame`` with an ``evidence`` column of levels, computed from the facts its rows name."""
    if "evidence" in frame.columns and frame["evidence"].isin(EVIDENCE_LEVELS).all():
        return frame
    ties = ties or _Ties(G)
    columns = [c for c in frame.columns if str(c).endswith("_key") or c in _KEY_LISTS]
    levels = []
    for row in frame[columns].itertuples(index=False, name=None):
        keys: list[str] = []
        for value in row:
            if isinstance(value, str):
                keys.append(value)
            elif isinstance(value, list | tuple):
                keys.extend(str(v) for v in value)
        levels.append(weakest(ties.provenances([k for k in dict.fromkeys(keys) if k in G])))
    result = frame.copy()
    result["evidence" if "evidence" not in frame.columns else "evidence_level"] = levels
    return result


def report_analysis(G: nx.MultiDiGraph, *, top: int = 3, seed: int = 42) -> ReportAnalysis:
    """Ask every question of ``G`` once, for one report.

    Parameters
    ----------
    G
        The graph.
    top
        Recommended partners per unmatched need.
    seed
        Seed of the community detection of the hubs.

    Returns
    -------
    ReportAnalysis
        The answers, each with an ``evidence`` column of levels.

    Raises
    ------
    HainetError
        When ``top`` is below 1.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> analysis = report_analysis(example_graph())
    >>> sorted(set(analysis.needs["evidence"])), len(analysis.checks) > 0
    (['curated', 'stated'], True)
    """
    if top < 1:
        msg = f"top must be at least 1, not {top}"
        raise HainetError(msg)
    ties = _Ties(G)
    with facts_shared(G):
        return ReportAnalysis(
            gaps=_with_evidence(G, industry_gaps(G), ties),
            needs=_with_evidence(G, unmatched_needs(G), ties),
            recommendations=_with_evidence(G, recommend_partners(G, top=top), ties),
            hubs=_with_evidence(G, hub_scores(G, seed=seed), ties),
            spof=_with_evidence(G, single_points_of_failure(G), ties),
            checks=policy_checks(G),
        )


def scoped_analysis(analysis: ReportAnalysis, keys: Iterable[str]) -> ReportAnalysis:
    """Return ``analysis`` with only the rows that name one of ``keys`` (in any ``*_key`` column).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> scoped = scoped_analysis(report_analysis(example_graph()), ["industry:tourism"])
    >>> set(scoped.gaps["industry_key"]), set(scoped.needs["industry_key"])
    ({'industry:tourism'}, {'industry:tourism'})
    """
    wanted = set(keys)

    def rows(frame: pd.DataFrame) -> pd.DataFrame:
        columns = [c for c in frame.columns if str(c).endswith("_key")]
        if not columns:
            return frame
        mask = frame[columns].isin(wanted).any(axis=1)
        return frame[mask].reset_index(drop=True)

    return replace(analysis, **{f.name: rows(getattr(analysis, f.name)) for f in fields(analysis)})


def _parsed_date(value: Any) -> dt.date | None:
    match = _DATE.match(str(value).strip()) if value is not None else None
    if not match:
        return None
    year, month, day = (int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def data_as_of(G: nx.MultiDiGraph) -> str | None:
    """Return the latest date any fact of ``G`` carries (``YYYY-MM-DD``), or ``None`` when none is dated.

    Dates are read from the attributes ``date``, ``valid_from``,
    ``valid_to``, ``issued``, ``reported_on`` and ``as_of`` of nodes and
    relationships, and from the entries of a cooperation's
    ``status_history``; a date after today does not count.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s", issued="2020-12-02"); G.add_node("c", status_history=[{"date": "2023-05"}])
    >>> data_as_of(G), data_as_of(nx.MultiDiGraph())
    ('2023-05-01', None)
    """
    today = dt.date.today()
    latest: dt.date | None = None
    fields_ = {*_DATE_FIELDS, "status_history"}
    records = [a for _, a in G.nodes(data=True)] + [a for *_, a in G.edges(data=True)]
    for attrs in records:
        if fields_.isdisjoint(attrs):
            continue
        values = [attrs.get(f) for f in _DATE_FIELDS]
        history = attrs.get("status_history")
        if isinstance(history, list):
            values.extend(entry.get("date") for entry in history if isinstance(entry, dict))
        for value in values:
            day = _parsed_date(value)
            if day is not None and day <= today and (latest is None or day > latest):
                latest = day
    return latest.isoformat() if latest else None


def _names(frame: pd.DataFrame, prefix: str, lang: str, limit: int = 3) -> str:
    column = f"{prefix}_{lang}" if f"{prefix}_{lang}" in frame.columns else f"{prefix}_zh"
    names = list(dict.fromkeys(str(v) for v in frame[column] if v))
    sep = "、" if lang == "zh" else ", "
    shown = sep.join(names[:limit])
    if len(names) > limit:
        shown += f"等 {len(names)} 个" if lang == "zh" else f" and {len(names) - limit} more"
    return shown


def _finding(
    finding: str, subject: str | None, count: int, evidence: str, zh: str, en: str, next_zh: str, next_en: str
) -> dict[str, Any]:
    return dict(zip(FINDING_COLUMNS, [finding, subject, count, evidence, zh, en, next_zh, next_en], strict=True))


def _needs_finding(analysis: ReportAnalysis) -> list[dict[str, Any]]:
    needs = analysis.needs
    if needs.empty:
        return []
    stated = int((needs.get("provenance", pd.Series(dtype=object)) == "stated").sum())
    by_unit = needs.groupby("unit_zh", sort=False).size().sort_values(ascending=False, kind="stable")
    unit_en = dict(zip(needs["unit_zh"], needs["unit_en"], strict=True))
    top_units = list(by_unit.index[:3])
    zh_units = "、".join(f"{u}（{by_unit[u]} 项）" for u in top_units)
    en_units = ", ".join(f"{unit_en.get(u) or u} ({by_unit[u]})" for u in top_units)
    recs = analysis.recommendations
    best = recs[recs["rank"] == 1] if "rank" in recs.columns else recs.head(0)
    if not best.empty:
        counts = best.groupby("candidate_zh", sort=False).size().sort_values(ascending=False, kind="stable")
        name = str(counts.index[0])
        name_en = str(best.loc[best["candidate_zh"] == name, "candidate_en"].iloc[0] or name)
        next_zh = f"建议下一步：为这些需求逐项对接推荐伙伴，首推{name}（{int(counts.iloc[0])} 项需求的第一候选）。"
        next_en = (
            f"Next step: pair each need with its recommended partner; {name_en} is the first candidate "
            f"for {int(counts.iloc[0])} of them."
        )
    else:
        next_zh = "建议下一步：为这些需求寻找具备相关能力的地区或园区伙伴。"
        next_en = "Next step: look for regions or parks able to work in these fields."
    zh = (
        f"{len(needs)} 项需求尚无进行中或计划中的合作覆盖"
        + (f"（其中 {stated} 项为文件原文所列需求）" if stated else "")
        + f"，集中在{zh_units}。"
    )
    en = (
        f"{len(needs)} needs have no active or planned cooperation"
        + (f" ({stated} of them stated in the document)" if stated else "")
        + f", mostly at {en_units}."
    )
    return [_finding("unmatched-needs", None, len(needs), weakest(needs["evidence"]), zh, en, next_zh, next_en)]


def _gap_findings(analysis: ReportAnalysis) -> list[dict[str, Any]]:
    gaps = analysis.gaps
    weak = gaps[(gaps["status"] != "covered") & gaps["is_leading"].astype(bool)]
    if weak.empty:
        weak = gaps[gaps["status"] == "uncovered"]
    found = []
    for _, row in weak.head(2).iterrows():
        status = str(row["status"])
        partners_zh = "、".join(str(p) for p in row["partners_zh"]) if len(row["partners_zh"]) else ""
        kind_zh = "主导产业" if row["is_leading"] else "产业"
        kind_en = "leading industry" if row["is_leading"] else "industry"
        name_en = row["industry_en"] or row["industry_zh"]
        if status == "uncovered":
            zh = f"{kind_zh}{row['industry_zh']}有 {int(row['n_needs'])} 项需求，但没有任何合作伙伴。"
            en = f"The {kind_en} {name_en} has {int(row['n_needs'])} needs but no partner at all."
        elif status == "single-partner":
            zh = f"{kind_zh}{row['industry_zh']}只有一个合作伙伴（{partners_zh}），一旦其退出即无人覆盖。"
            en = f"The {kind_en} {name_en} has a single partner; if it withdraws, nobody covers the field."
        else:
            listed = row.get("via_zh")
            via = [str(v) for v in listed] if isinstance(listed, list) else []
            via_zh = "、".join(via[:3]) + (f"等 {len(via)} 个子领域" if len(via) > 3 else "")
            zh = (
                f"{kind_zh}{row['industry_zh']}{label(status)}"
                + (f"（经由{via_zh}）" if via else "")
                + f"，伙伴（{int(row['n_partners'])} 个）只在子领域合作。"
            )
            en = (
                f"The {kind_en} {name_en} is {label(status, 'en')}: its partners ({int(row['n_partners'])}) "
                "work only in its sub-fields."
            )
        recs = analysis.recommendations
        picks = recs[(recs["industry_key"] == row["industry_key"]) & ~recs["candidate_key"].isin(row["partners"])]
        if not picks.empty:
            next_zh = f"建议下一步：在该产业对接新的伙伴，候选：{_names(picks, 'candidate', 'zh')}。"
            next_en = f"Next step: bring a new partner into the field; candidates: {_names(picks, 'candidate', 'en')}."
        else:
            next_zh = "建议下一步：在该产业物色具备能力的地区、园区或科技部司局，建立至少一项合作。"
            next_en = "Next step: find an able region, park or MOST department and start a cooperation in the field."
        found.append(
            _finding(
                f"industry-{status}",
                str(row["industry_key"]),
                int(row["n_partners"]),
                str(row["evidence"]),
                zh,
                en,
                next_zh,
                next_en,
            )
        )
    return found


def _spof_finding(analysis: ReportAnalysis) -> list[dict[str, Any]]:
    spof = analysis.spof
    if spof.empty:
        return []
    first = spof.iloc[0]
    rows = spof[spof["actor_key"] == first["actor_key"]]
    n = int(first["n_stranded"])
    actor_en = first["actor_en"] or first["actor_zh"]
    zh = (
        f"{first['actor_zh']}是单点依赖：一旦退出，{n} 项已覆盖的需求将失去覆盖"
        f"（涉及{_names(rows, 'industry', 'zh')}领域）。"
    )
    en = (
        f"{actor_en} is a single point of failure: if it withdrew, {n} covered needs would be left uncovered "
        f"({_names(rows, 'industry', 'en')})."
    )
    next_zh = f"建议下一步：为这些需求培育第二个合作伙伴，降低对{first['actor_zh']}的依赖。"
    next_en = f"Next step: grow a second partner for these needs so that they rest on more than {actor_en}."
    return [
        _finding(
            "single-point-of-failure", str(first["actor_key"]), n, weakest(rows["evidence"]), zh, en, next_zh, next_en
        )
    ]


def _checks_finding(analysis: ReportAnalysis) -> list[dict[str, Any]]:
    checks = analysis.checks
    failed = checks[~checks["passed"].astype(bool)]
    if failed.empty:
        return []
    first = failed.iloc[0]
    same = failed[failed["check"] == first["check"]]
    zh = f"{len(failed)} 项政策检查未通过，例如“{label(first['check'])}”不满足：{_names(same, 'subject', 'zh')}。"
    plural = ("s", "") if len(failed) != 1 else ("", "s")
    en = (
        f"{len(failed)} policy check{plural[0]} fail{plural[1]}, e.g. “{label(first['check'], 'en')}” for "
        f"{_names(same, 'subject', 'en')}."
    )
    next_zh = "建议下一步：按机制要求逐项补齐，先处理主导产业和重点工作。"
    next_en = "Next step: close them one by one as the mechanism asks, leading industries and key tasks first."
    return [
        _finding("policy-checks-failed", str(first["subject_key"]), len(failed), "stated", zh, en, next_zh, next_en)
    ]


def _hub_finding(analysis: ReportAnalysis) -> list[dict[str, Any]]:
    hubs = analysis.hubs
    if hubs.empty:
        return []
    first = hubs.iloc[0]
    name_en = first["actor_en"] or first["actor_zh"]
    zh = (
        f"{first['actor_zh']}是合作网络的核心枢纽：PageRank 第一，参与 {int(first['n_cooperations'])} 项"
        "进行中或计划中的合作。"
    )
    en = (
        f"{name_en} is the network's main hub: first by PageRank, in {int(first['n_cooperations'])} active "
        "or planned cooperations."
    )
    next_zh = f"建议下一步：请{first['actor_zh']}牵头对接上述缺口和未覆盖需求。"
    next_en = f"Next step: ask {name_en} to lead on the gaps and unmatched needs above."
    return [
        _finding(
            "main-hub",
            str(first["actor_key"]),
            int(first["n_cooperations"]),
            str(first["evidence"]),
            zh,
            en,
            next_zh,
            next_en,
        )
    ]


def report_findings(analysis: ReportAnalysis, *, limit: int = 5) -> pd.DataFrame:
    """Return the report's findings, most pressing first: three to five where the data has them.

    In order: leading industries without a partner, with one partner or
    covered only through sub-fields; the unmatched needs; the largest
    single point of failure; the failed policy checks; the main hub.  A
    finding about nothing (no unmatched need, no failed check) is left out,
    not stated as a zero.

    Parameters
    ----------
    analysis
        From :func:`report_analysis`.
    limit
        At most this many findings.

    Returns
    -------
    pandas.DataFrame
        Columns ``finding`` (a code), ``subject_key`` (the node it is
        about, if one), ``count``, ``evidence`` (the weakest level it rests
        on), ``finding_zh``, ``finding_en``, ``next_step_zh``,
        ``next_step_en`` (each next step starts 建议下一步 / Next step).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> findings = report_findings(report_analysis(example_graph()))
    >>> list(findings.columns) == FINDING_COLUMNS, 3 <= len(findings) <= 5
    (True, True)
    >>> findings["next_step_zh"].str.startswith("建议下一步").all()
    np.True_
    """
    rows = [
        *_gap_findings(analysis),
        *_needs_finding(analysis),
        *_spof_finding(analysis),
        *_checks_finding(analysis),
        *_hub_finding(analysis),
    ]
    return pd.DataFrame(rows[:limit], columns=FINDING_COLUMNS)
