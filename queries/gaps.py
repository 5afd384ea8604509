"""Where Hainan's needed industries lack partners, on a chosen level of evidence.

Every function takes a graph (as from :func:`graph.store.graph_from_store`)
or a :class:`~graph.store.Store`, and the keyword ``evidence`` (one of
:data:`graph.evidence.EVIDENCE_CHOICES`, ``all`` by default): it answers
on the facts at or above that level.  Whether an industry is covered, how
and on what evidence is decided once, in :mod:`queries.coverage`; a store
that runs Cypher (Neo4j) restricts the facts to the level on the server
(:func:`queries._facts.graph_at_level`); the facts and the coverage of one graph
are decided once for all the questions asked of it (:func:`queries.coverage.coverage_at`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import networkx as nx
import pandas as pd

from graph.evidence import weakest
from graph.schema import NodeKind
from graph.store import Store
from queries._facts import frame_from_columns, frame_from_rows, gc_paused, key_for_name
from queries.checks import (
    KEY_TASK_SECTION,
    PAIRING_SECTION,
    POLICY_CHECK_COLUMNS,
    POLICY_CHECKS,
    UNTAPPED_COLUMNS,
    policy_checks,
    untapped_partners,
)
from queries.coverage import INDUSTRY_STATUSES, Coverage, Link, coverage_at

__all__ = [
    "COVERAGE_COLUMNS",
    "GAP_COLUMNS",
    "GAP_STATUSES",
    "INDUSTRY_PARTNER_COLUMNS",
    "KEY_TASK_SECTION",
    "PAIRING_SECTION",
    "POLICY_CHECKS",
    "POLICY_CHECK_COLUMNS",
    "UNTAPPED_COLUMNS",
    "coverage_matrix",
    "coverage_pairs",
    "industry_gaps",
    "industry_partners",
    "policy_checks",
    "untapped_partners",
]

#: Statuses of a needed industry, worst first (:data:`queries.coverage.INDUSTRY_STATUSES`).
GAP_STATUSES = INDUSTRY_STATUSES

GAP_COLUMNS = [
    "industry_key",
    "industry_zh",
    "industry_en",
    "is_leading",
    "n_needs",
    "n_cooperations",
    "n_partners",
    "partners",
    "partners_zh",
    "status",
    "via",
    "via_zh",
    "evidence",
    "chain_zh",
    "chain_en",
]

INDUSTRY_PARTNER_COLUMNS = [
    "partner_key",
    "partner_kind",
    "partner_zh",
    "partner_en",
    "n_cooperations",
    "n_active",
    "n_planned",
    "cooperations",
    "via",
    "evidence",
    "chain_zh",
    "chain_en",
]

COVERAGE_COLUMNS = ["industry_key", "industry_zh", "industry_en", "is_leading", *INDUSTRY_PARTNER_COLUMNS]


def industry_gaps(source: nx.MultiDiGraph | Store, *, evidence: str = "all") -> pd.DataFrame:
    """Return one row per industry Hainan needs, with its partners, how it is covered and on what evidence.

    The needed industries are the leading ones (``is_leading``) and every
    industry a ``Need`` is ``IN_FIELD``.  Its cooperations are the active or
    planned ones ``IN_FIELD`` it *or one of its sub-fields*
    (:mod:`graph.fields`), its partners the regions, parks and departments
    ``PARTNER_IN`` or ``SUPPORTS`` those.  The status follows the one rule
    of :mod:`queries.coverage`.

    Parameters
    ----------
    source
        The graph, or a store.
    evidence
        Answer on the facts at or above this level
        (:data:`graph.evidence.EVIDENCE_CHOICES`); ``stated`` is the
        document alone.

    Returns
    -------
    pandas.DataFrame
        One row per needed industry, worst first (by status, then leading
        industries first, then by key), with columns:

        ``industry_key``, ``industry_zh``, ``industry_en``
            The industry.
        ``is_leading``
            Whether it is one of the three leading industries.
        ``n_needs``
            Needs ``IN_FIELD`` the industry itself.
        ``n_cooperations``
            Active or planned cooperations in its field, sub-fields included.
        ``n_partners``
            Distinct partners of those cooperations.
        ``partners``, ``partners_zh``
            Their keys, sorted, and their Chinese names in the same order.
        ``status``
            ``uncovered``, ``covered-via-subfield`` (仅通过子领域覆盖: partners
            only through sub-fields), ``single-partner`` or ``covered``; see
            :data:`queries.coverage.INDUSTRY_STATUSES`.
        ``via``, ``via_zh``
            The sub-fields whose cooperations reach the industry, keys sorted
            and their Chinese names.
        ``evidence``
            The weakest evidence level the status rests on.
        ``chain_zh``, ``chain_en``
            The facts it rests on, industry first, by name.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> gaps = industry_gaps(example_graph())
    >>> print(gaps[["industry_key", "n_partners", "status", "via", "evidence"]].to_string(index=False))
            industry_key  n_partners               status                    via evidence
       industry:services           0            uncovered                     []   stated
        industry:tourism           0            uncovered                     []   stated
       industry:deep-sea           0            uncovered                     []   stated
       industry:hightech           2 covered-via-subfield [industry:biomedicine]  curated
    industry:biomedicine           2              covered                     []  curated
    >>> for step in gaps.loc[3, "chain_zh"].split("← "):
    ...     print(step.strip())
    高新技术产业
    生物医药（整理：生物医药属于高新技术产业）
    天府国际生物城—博鳌乐城合作（整理：合作领域）
    成都天府国际生物城（原文：合作方）；另有1个合作方
    >>> industry_gaps(example_graph(), evidence="stated")["status"].tolist()
    ['uncovered', 'uncovered', 'uncovered', 'uncovered', 'single-partner']
    """
    with gc_paused():
        coverage = coverage_at(source, evidence)
        return _gap_frame(_gap_rows(coverage))


def _gap_rows(coverage: Coverage) -> list[dict[str, Any]]:
    facts = coverage.facts
    rows = []
    for industry, found in coverage.industries.items():
        rows.append(
            {
                "industry_key": industry,
                "industry_zh": facts.name_zh(industry),
                "industry_en": facts.name_en(industry),
                "is_leading": industry in facts.leading,
                "n_needs": coverage.n_needs.get(industry, 0),
                "n_cooperations": len(found.cooperations),
                "n_partners": len(found.partners),
                "partners": list(found.partners),
                "partners_zh": [facts.name_zh(p) for p in found.partners],
                "status": found.status,
                "via": list(found.via),
                "via_zh": [facts.name_zh(f) for f in found.via],
                "evidence": found.evidence,
                "chain_zh": found.chain_zh,
                "chain_en": found.chain_en,
            }
        )
    return rows


def _gap_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    finished = [{**row, "_order": GAP_STATUSES.index(row["status"]), "_lead": not row["is_leading"]} for row in rows]
    frame = frame_from_rows(finished, [*GAP_COLUMNS, "_order", "_lead"], ["_order", "_lead", "industry_key"])
    return frame[GAP_COLUMNS]


def coverage_pairs(source: nx.MultiDiGraph | Store, *, evidence: str = "all") -> pd.DataFrame:
    """Return one row per needed industry and partner active in its field: the tidy coverage table.

    Industries without any partner have no row here; :func:`coverage_matrix`
    keeps them as rows of zeros.

    Parameters
    ----------
    source
        The graph, or a store.
    evidence
        Answer on the facts at or above this level, as in :func:`industry_gaps`.

    Returns
    -------
    pandas.DataFrame
        Sorted by industry key, then partner key, with columns:

        ``industry_key``, ``industry_zh``, ``industry_en``, ``is_leading``
            The needed industry.
        ``partner_key``, ``partner_kind``, ``partner_zh``, ``partner_en``
            A region, park or department partnering a live cooperation in
            its field (sub-fields included).
        ``n_cooperations``, ``n_active``, ``n_planned``
            How many such cooperations, all, active and planned.
        ``cooperations``
            Their keys, sorted.
        ``via``
            The sub-fields those cooperations are in, when not the industry
            itself, sorted.
        ``evidence``
            The level of the partner's strongest link to the industry.
        ``chain_zh``, ``chain_en``
            That link, industry first, by name.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> pairs = coverage_pairs(example_graph())
    >>> print(pairs[["industry_key", "partner_key", "n_active", "via", "evidence"]].to_string(index=False))
            industry_key     partner_key  n_active                    via evidence
    industry:biomedicine     park:tianfu         1                     []  curated
    industry:biomedicine park:zhangjiang         0                     []   stated
       industry:hightech     park:tianfu         1 [industry:biomedicine]  curated
       industry:hightech park:zhangjiang         0 [industry:biomedicine]  curated
    """
    with gc_paused():
        coverage = coverage_at(source, evidence)
        facts = coverage.facts
        rows = []
        for industry in sorted(coverage.industries):
            head = (industry, facts.name_zh(industry), facts.name_en(industry), industry in facts.leading)
            rows += [(*head, *row) for row in _partner_rows(coverage, industry)]
        return frame_from_columns(rows, COVERAGE_COLUMNS)


def industry_partners(source: nx.MultiDiGraph | Store, industry: str, *, evidence: str = "all") -> pd.DataFrame:
    """Return the partners of the live cooperations in the field of ``industry``.

    Parameters
    ----------
    source
        The graph, or a store.
    industry
        An industry key, or its Chinese or English name.
    evidence
        Answer on the facts at or above this level, as in :func:`industry_gaps`.

    Returns
    -------
    pandas.DataFrame
        Sorted by partner key, with the columns of :func:`coverage_pairs`
        from ``partner_key`` on: ``partner_key``, ``partner_kind``,
        ``partner_zh``, ``partner_en``, ``n_cooperations``, ``n_active``,
        ``n_planned``, ``cooperations``, ``via``, ``evidence``,
        ``chain_zh`` and ``chain_en``.

    Raises
    ------
    HainetError
        When no industry, or several, answer to ``industry``.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> industry_partners(example_graph(), "生物医药")[["partner_key", "cooperations"]].to_dict("records")
    [{'partner_key': 'park:tianfu', 'cooperations': ['coop:tianfu-boao']}, \
{'partner_key': 'park:zhangjiang', 'cooperations': ['coop:zhangjiang-haikou']}]
    """
    with gc_paused():
        key = key_for_name(source, NodeKind.INDUSTRY, industry)
        coverage = coverage_at(source, evidence)
        if key not in coverage.facts.attrs:
            return frame_from_rows([], INDUSTRY_PARTNER_COLUMNS, ["partner_key"])
        return frame_from_columns(_partner_rows(coverage, key), INDUSTRY_PARTNER_COLUMNS)


def _partner_rows(coverage: Coverage, industry: str) -> list[tuple[Any, ...]]:
    """Return the rows of the partners of ``industry``, values in the order of the columns, by partner key."""
    facts = coverage.facts
    by_partner: dict[str, list[Link]] = defaultdict(list)
    for link in coverage.links(industry):
        by_partner[link.partner].append(link)
    needed = coverage.needed_level(industry) if industry in coverage.industries else facts.level(industry)
    rows = []
    status = facts.status
    for partner in sorted(by_partner):
        links = by_partner[partner]
        coops = sorted({link.coop for link in links})
        statuses = [status.get(c) for c in coops]
        best = links[0]
        chain_zh, chain_en = best.chains(facts)
        rows.append(
            (
                partner,
                facts.kinds[partner],
                facts.name_zh(partner),
                facts.name_en(partner),
                len(coops),
                statuses.count("active"),
                statuses.count("planned"),
                coops,
                sorted({link.field for link in links if not link.direct}),
                weakest([needed, best.level]),
                chain_zh,
                chain_en,
            )
        )
    return rows


def coverage_matrix(
    source: nx.MultiDiGraph | Store, *, label: Literal["key", "zh", "en"] = "key", evidence: str = "all"
) -> pd.DataFrame:
    """Return the industry × partner matrix of live cooperations, ready for a heatmap.

    Parameters
    ----------
    source
        The graph, or a store.
    label
        What names the rows and columns: node keys, Chinese or English
        names.  A name shared by two nodes gets its key in brackets.
    evidence
        Answer on the facts at or above this level, as in :func:`industry_gaps`.

    Returns
    -------
    pandas.DataFrame
        One row per needed industry (uncovered ones as rows of zeros), by
        industry key; one column per partner with a live cooperation in a
        needed field, by partner key; each cell the number of such
        cooperations (``n_cooperations`` of :func:`coverage_pairs`), an
        ``int``.  The index is named ``industry``, the columns ``partner``.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> matrix = coverage_matrix(example_graph())
    >>> matrix.shape, matrix.loc["industry:hightech"].to_dict()
    ((5, 2), {'park:tianfu': 1, 'park:zhangjiang': 1})
    >>> list(coverage_matrix(example_graph(), label="zh").columns)
    ['成都天府国际生物城', '上海张江国家高新区']
    """
    if label not in ("key", "zh", "en"):
        msg = f"label must be key, zh or en, not {label!r}"
        raise ValueError(msg)
    pairs = coverage_pairs(source, evidence=evidence)
    gaps = industry_gaps(source, evidence=evidence)
    industries = sorted(gaps["industry_key"])
    partners = sorted(set(pairs["partner_key"]))
    matrix = pd.DataFrame(
        0, index=pd.Index(industries, name="industry"), columns=pd.Index(partners, name="partner"), dtype=int
    )
    for industry, partner, n in zip(pairs["industry_key"], pairs["partner_key"], pairs["n_cooperations"], strict=True):
        matrix.loc[industry, partner] = int(n)
    if label != "key":
        industry_names = dict(zip(gaps["industry_key"], gaps[f"industry_{label}"], strict=True))
        partner_names = dict(zip(pairs["partner_key"], pairs[f"partner_{label}"], strict=True))
        matrix.index = pd.Index(_unique_labels(industries, industry_names), name="industry")
        matrix.columns = pd.Index(_unique_labels(partners, partner_names), name="partner")
    return matrix


def _unique_labels(keys: list[str], names: Mapping[str, Any]) -> list[str]:
    shown = [str(names.get(k) or k) for k in keys]
    counts: dict[str, int] = defaultdict(int)
    for name in shown:
        counts[name] += 1
    return [name if counts[name] == 1 else f"{name} [{key}]" for key, name in zip(keys, shown, strict=True)]
