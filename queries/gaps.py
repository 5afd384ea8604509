"""Where Hainan's needed industries lack partners, and what the mechanism asks for.

Every function takes a graph (as from :func:`graph.store.graph_from_store`)
or a :class:`~graph.store.Store`; a store that runs Cypher (Neo4j) answers
on the server with this package's ``.cypher`` files, any other store is
read into networkx first.  The rules they share (live cooperations, partners,
fields with their sub-industries, needed industries) are stated in
:mod:`queries._facts`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import networkx as nx
import pandas as pd

from graph.schema import PROVENANCE_FIELDS, NodeKind
from graph.store import Store
from queries._facts import (
    LIVE_STATUSES,
    cypher_text,
    facts_from_graph,
    frame_from_rows,
    gc_paused,
    graph_of,
    key_for_name,
    normalised_section,
    runner_of,
)

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

#: Statuses of a needed industry, worst first.
GAP_STATUSES = ("uncovered", "single-partner", "covered")

GAP_COLUMNS = [
    "industry_key", "industry_zh", "industry_en", "is_leading",
    "n_needs", "n_cooperations", "n_partners", "partners", "partners_zh", "status",
]

COVERAGE_COLUMNS = [
    "industry_key", "industry_zh", "industry_en", "is_leading",
    "partner_key", "partner_kind", "partner_zh", "partner_en",
    "n_cooperations", "n_active", "n_planned", "cooperations",
]

INDUSTRY_PARTNER_COLUMNS = [
    "partner_key", "partner_kind", "partner_zh", "partner_en",
    "n_cooperations", "n_active", "n_planned", "cooperations",
]

UNTAPPED_COLUMNS = [
    "actor_key", "actor_kind", "actor_zh", "actor_en",
    "industry_key", "industry_zh", "industry_en", "capability", "n_needs", "tied_to_hainan",
    *PROVENANCE_FIELDS,
]

POLICY_CHECK_COLUMNS = ["check", "subject_key", "subject_zh", "subject_en", "passed", "evidence"]

#: Section of the mechanism whose cooperations are the ministry's key tasks, 二(五).
KEY_TASK_SECTION = "二(五)"

#: Section of the mechanism whose cooperations pair parks, 二(四).
PAIRING_SECTION = "二(四)"

#: The checks of :func:`policy_checks`, in the order they are reported.
POLICY_CHECKS = (
    "leading-industry-has-region",
    "leading-industry-has-park",
    "key-task-has-department",
    "pairing-has-both-sides",
)

_LIVE = {"live": list(LIVE_STATUSES)}


def industry_gaps(source: nx.MultiDiGraph | Store) -> pd.DataFrame:
    """Return one row per industry Hainan needs, with its partners and how exposed it is.

    The needed industries are the leading ones (``is_leading``) and every
    industry a ``Need`` is ``IN_FIELD``.  The cooperations of an industry
    are the active or planned ones ``IN_FIELD`` it *or one of its
    sub-industries* (``Industry -[:PART_OF*]-> Industry``), so that a
    cooperation in 生物医药 counts for 高新技术产业 when the graph says the
    one is part of the other; its partners are the regions, parks and
    departments ``PARTNER_IN`` or ``SUPPORTS`` those cooperations.

    Parameters
    ----------
    source
        The graph, or a store.

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
            Active or planned cooperations in its field.
        ``n_partners``
            Distinct partners of those cooperations.
        ``partners``, ``partners_zh``
            Their keys, sorted, and their Chinese names in the same order.
        ``status``
            ``uncovered`` (no partner), ``single-partner`` (one partner: one
            withdrawal uncovers it) or ``covered``.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> gaps = industry_gaps(example_graph())
    >>> print(gaps[["industry_key", "n_needs", "n_partners", "status"]].to_string(index=False))
            industry_key  n_needs  n_partners    status
       industry:services        0           0 uncovered
        industry:tourism        1           0 uncovered
       industry:deep-sea        1           0 uncovered
       industry:hightech        0           2   covered
    industry:biomedicine        2           2   covered
    """
    with gc_paused():
        runner = runner_of(source)
        rows = (runner.run(cypher_text("industry_gaps.cypher"), _LIVE) if runner is not None
                else _gap_rows(graph_of(source)))
        return _gap_frame(rows)


def _gap_rows(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    facts = facts_from_graph(G)
    by_field = facts.live_coops_by_field()
    n_needs: dict[str, int] = defaultdict(int)
    for fields in facts.need_fields.values():
        for f in fields:
            n_needs[f] += 1
    rows = []
    for industry in facts.needed:
        coops = by_field.get(industry, set())
        partners = facts.partners_of(coops)
        rows.append({
            "industry_key": industry,
            "industry_zh": facts.name_zh(industry),
            "industry_en": facts.name_en(industry),
            "is_leading": industry in facts.leading,
            "n_needs": n_needs[industry],
            "cooperations": sorted(coops),
            "partners": [[p, facts.name_zh(p)] for p in sorted(partners)],
        })
    return rows


def _gap_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    finished = []
    for row in rows:
        partners = sorted((p[0], p[1]) for p in row["partners"])
        n_partners = len(partners)
        status = GAP_STATUSES[min(n_partners, 2)]
        finished.append({
            **{k: row[k] for k in ("industry_key", "industry_zh", "industry_en")},
            "is_leading": bool(row["is_leading"]),
            "n_needs": int(row["n_needs"]),
            "n_cooperations": len(set(row["cooperations"])),
            "n_partners": n_partners,
            "partners": [p[0] for p in partners],
            "partners_zh": [p[1] for p in partners],
            "status": status,
            "_order": GAP_STATUSES.index(status),
            "_lead": not row["is_leading"],
        })
    frame = frame_from_rows(finished, [*GAP_COLUMNS, "_order", "_lead"], ["_order", "_lead", "industry_key"])
    return frame[GAP_COLUMNS]


def coverage_pairs(source: nx.MultiDiGraph | Store) -> pd.DataFrame:
    """Return one row per needed industry and partner active in its field: the tidy coverage table.

    Industries without any partner have no row here; :func:`coverage_matrix`
    keeps them as rows of zeros.

    Parameters
    ----------
    source
        The graph, or a store.

    Returns
    -------
    pandas.DataFrame
        Sorted by industry key, then partner key, with columns:

        ``industry_key``, ``industry_zh``, ``industry_en``, ``is_leading``
            The needed industry.
        ``partner_key``, ``partner_kind``, ``partner_zh``, ``partner_en``
            A region, park or department partnering a live cooperation in
            its field (sub-industries included).
        ``n_cooperations``, ``n_active``, ``n_planned``
            How many such cooperations, all, active and planned.
        ``cooperations``
            Their keys, sorted.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> pairs = coverage_pairs(example_graph())
    >>> print(pairs[["industry_key", "partner_key", "n_active", "n_planned"]].to_string(index=False))
            industry_key     partner_key  n_active  n_planned
    industry:biomedicine     park:tianfu         1          0
    industry:biomedicine park:zhangjiang         0          1
       industry:hightech     park:tianfu         1          0
       industry:hightech park:zhangjiang         0          1
    """
    with gc_paused():
        runner = runner_of(source)
        if runner is not None:
            rows = runner.run(cypher_text("coverage_pairs.cypher"), _LIVE)
        else:
            G = graph_of(source)
            facts = facts_from_graph(G)
            by_field = facts.live_coops_by_field()
            rows = []
            for industry in facts.needed:
                head = {
                    "industry_key": industry,
                    "industry_zh": facts.name_zh(industry),
                    "industry_en": facts.name_en(industry),
                    "is_leading": industry in facts.leading,
                }
                rows += [{**head, **row} for row in _partner_rows(facts, by_field.get(industry, set()))]
        return _pair_frame(rows, COVERAGE_COLUMNS, ["industry_key", "partner_key"])


def industry_partners(source: nx.MultiDiGraph | Store, industry: str) -> pd.DataFrame:
    """Return the partners of the live cooperations in the field of ``industry``.

    Parameters
    ----------
    source
        The graph, or a store.
    industry
        An industry key, or its Chinese or English name.

    Returns
    -------
    pandas.DataFrame
        Sorted by partner key, with columns ``partner_key``, ``partner_kind``,
        ``partner_zh``, ``partner_en``, ``n_cooperations``, ``n_active``,
        ``n_planned`` and ``cooperations``, as in :func:`coverage_pairs`.

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
        runner = runner_of(source)
        if runner is not None:
            rows = runner.run(cypher_text("industry_partners.cypher"), {**_LIVE, "industry": key})
        else:
            facts = facts_from_graph(graph_of(source))
            rows = _partner_rows(facts, facts.live_coops_by_field().get(key, set()))
        return _pair_frame(rows, INDUSTRY_PARTNER_COLUMNS, ["partner_key"])


def _partner_rows(facts: Any, coops: set[str]) -> list[dict[str, Any]]:
    by_partner: dict[str, list[list[Any]]] = defaultdict(list)
    for coop in coops:
        for partner in facts.coop_partners.get(coop, ()):
            by_partner[partner].append([coop, facts.status.get(coop)])
    return [
        {
            "partner_key": partner,
            "partner_kind": facts.kinds[partner],
            "partner_zh": facts.name_zh(partner),
            "partner_en": facts.name_en(partner),
            "cooperations": coops_of,
        }
        for partner, coops_of in by_partner.items()
    ]


def _pair_frame(rows: Iterable[Mapping[str, Any]], columns: list[str], sort_by: list[str]) -> pd.DataFrame:
    finished = []
    for row in rows:
        coops = sorted((c[0], c[1]) for c in row["cooperations"])
        finished.append({
            **{k: row[k] for k in columns if k in row and k != "cooperations"},
            "is_leading": bool(row.get("is_leading")),
            "n_cooperations": len(coops),
            "n_active": sum(1 for _, s in coops if s == "active"),
            "n_planned": sum(1 for _, s in coops if s == "planned"),
            "cooperations": [c for c, _ in coops],
        })
    return frame_from_rows(finished, columns, sort_by)


def coverage_matrix(
    source: nx.MultiDiGraph | Store, *, label: Literal["key", "zh", "en"] = "key"
) -> pd.DataFrame:
    """Return the industry × partner matrix of live cooperations, ready for a heatmap.

    Parameters
    ----------
    source
        The graph, or a store.
    label
        What names the rows and columns: node keys, Chinese or English
        names.  A name shared by two nodes gets its key in brackets.

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
    pairs = coverage_pairs(source)
    gaps = industry_gaps(source)
    industries = sorted(gaps["industry_key"])
    partners = sorted(set(pairs["partner_key"]))
    matrix = pd.DataFrame(0, index=pd.Index(industries, name="industry"),
                          columns=pd.Index(partners, name="partner"), dtype=int)
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


def untapped_partners(source: nx.MultiDiGraph | Store) -> pd.DataFrame:
    """Return regions, parks and departments able to work in a needed field that do not yet.

    An actor is *able* when it ``SPECIALISES_IN`` the needed industry, or is
    a department that ``HANDLES`` it; it is *untapped* there when it
    partners no active or planned cooperation in the field (the industry or
    a sub-industry).  One row per capability relationship.

    Parameters
    ----------
    source
        The graph, or a store.

    Returns
    -------
    pandas.DataFrame
        Sorted by industry key, actor key and capability, with columns:

        ``actor_key``, ``actor_kind``, ``actor_zh``, ``actor_en``
            The region, park or department.
        ``industry_key``, ``industry_zh``, ``industry_en``
            The needed industry.
        ``capability``
            ``SPECIALISES_IN`` or ``HANDLES``.
        ``n_needs``
            Needs ``IN_FIELD`` the industry.
        ``tied_to_hainan``
            Whether the actor already partners a live cooperation in any field.
        ``provenance``, ``section``, ``quote``, ``basis``, ``document``
            Where the capability relationship comes from (missing, ``NaN``, when absent).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> untapped = untapped_partners(example_graph())
    >>> print(untapped[["actor_key", "industry_key", "capability", "tied_to_hainan"]].to_string(index=False))
          actor_key         industry_key     capability  tied_to_hainan
    region:shanghai industry:biomedicine SPECIALISES_IN           False
     region:sichuan industry:biomedicine SPECIALISES_IN           False
      dept:regional    industry:hightech        HANDLES            True
    """
    with gc_paused():
        runner = runner_of(source)
        if runner is not None:
            rows = runner.run(cypher_text("untapped_partners.cypher"), _LIVE)
        else:
            rows = _untapped_rows(graph_of(source))
        for row in rows:
            row["tied_to_hainan"] = bool(row["tied_to_hainan"])
            row["n_needs"] = int(row["n_needs"])
        return frame_from_rows(rows, UNTAPPED_COLUMNS, ["industry_key", "actor_key", "capability"])


def _untapped_rows(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    facts = facts_from_graph(G)
    needed = set(facts.needed)
    by_field = facts.live_coops_by_field()
    partners_by_field: dict[str, set[str]] = {}
    n_needs: dict[str, int] = defaultdict(int)
    for fields in facts.need_fields.values():
        for f in fields:
            n_needs[f] += 1
    tied = {a for a, coops in facts.partner_coops.items() if any(facts.is_live(c) for c in coops)}
    rows = []
    for actor, rel, industry in facts.capabilities:
        if industry not in needed:
            continue
        if industry not in partners_by_field:
            partners_by_field[industry] = facts.partners_of(by_field.get(industry, set()))
        if actor in partners_by_field[industry]:
            continue
        rows.append({
            "actor_key": actor,
            "actor_kind": facts.kinds[actor],
            "actor_zh": facts.name_zh(actor),
            "actor_en": facts.name_en(actor),
            "industry_key": industry,
            "industry_zh": facts.name_zh(industry),
            "industry_en": facts.name_en(industry),
            "capability": rel,
            "n_needs": n_needs[industry],
            "tied_to_hainan": actor in tied,
            **facts.provenance(facts.capability_attrs(actor, rel, industry)),
        })
    return rows


def policy_checks(source: nx.MultiDiGraph | Store) -> pd.DataFrame:
    """Return pass/fail rows for what the 2020 mechanism asks, each with its evidence.

    The checks (:data:`POLICY_CHECKS`):

    ``leading-industry-has-region``, ``leading-industry-has-park``
        Each leading industry has a region, and a park, partnering an
        active or planned cooperation in its field (sub-industries included).
    ``key-task-has-department``
        Each cooperation of section 二(五), the ministry's key tasks, has a
        department that ``SUPPORTS`` it (or is ``PARTNER_IN`` it).
    ``pairing-has-both-sides``
        Each cooperation of section 二(四), the park pairings, has a partner
        and a demand unit it ``SERVES``.

    Sections compare with full-width brackets made ASCII and spaces dropped,
    so ``二（五）`` is ``二(五)``.  A check with no subject at all (no
    leading industry, no cooperation of the section) fails once, with an
    empty ``subject_key``.

    Parameters
    ----------
    source
        The graph, or a store.

    Returns
    -------
    pandas.DataFrame
        In the order of :data:`POLICY_CHECKS`, then by subject key, with
        columns ``check``, ``subject_key``, ``subject_zh``, ``subject_en``,
        ``passed`` (bool) and ``evidence`` (what was found, or what is
        missing, in English).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> checks = policy_checks(example_graph())
    >>> checks.groupby("check", sort=False)["passed"].all().to_dict()
    {'leading-industry-has-region': False, 'leading-industry-has-park': False, \
'key-task-has-department': True, 'pairing-has-both-sides': False}
    """
    with gc_paused():
        runner = runner_of(source)
        parameters = {**_LIVE, "key_task_section": KEY_TASK_SECTION, "pairing_section": PAIRING_SECTION}
        if runner is not None:
            rows = runner.run(cypher_text("policy_checks.cypher"), parameters)
        else:
            rows = _check_rows(graph_of(source))
        return _check_frame(rows)


def _check_rows(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    facts = facts_from_graph(G)
    by_field = facts.live_coops_by_field()
    rows = []
    for check, kind in (("leading-industry-has-region", "Region"), ("leading-industry-has-park", "Park")):
        for industry in sorted(facts.leading):
            partners = facts.partners_of(by_field.get(industry, set()))
            found = sorted(p for p in partners if facts.kinds[p] == kind)
            rows.append(_check_row(facts, check, industry, found, []))
    for check, section in (("key-task-has-department", KEY_TASK_SECTION), ("pairing-has-both-sides", PAIRING_SECTION)):
        for coop in sorted(facts.status):
            if not normalised_section(facts.attrs[coop].get("section")).startswith(section):
                continue
            members = sorted(facts.coop_partners.get(coop, ()))
            if check == "key-task-has-department":
                departments = [p for p in members if facts.kinds[p] == NodeKind.DEPARTMENT.value]
                rows.append(_check_row(facts, check, coop, departments, []))
            else:
                rows.append(_check_row(facts, check, coop, members, sorted(facts.coop_units.get(coop, ()))))
    return rows


def _check_row(facts: Any, check: str, subject: str, found: list[str], units: list[str]) -> dict[str, Any]:
    return {
        "check": check,
        "subject_key": subject,
        "subject_zh": facts.name_zh(subject),
        "subject_en": facts.name_en(subject),
        "found": found,
        "units": units,
    }


_FOUND = {
    "leading-industry-has-region": (
        "Region partners: {}", "no Region partners an active or planned cooperation in its field"
    ),
    "leading-industry-has-park": (
        "Park partners: {}", "no Park partners an active or planned cooperation in its field"
    ),
    "key-task-has-department": ("supported by {}", "no Department SUPPORTS it"),
}

_NO_SUBJECT = {
    "leading-industry-has-region": "no leading industry (is_leading true) in the graph",
    "leading-industry-has-park": "no leading industry (is_leading true) in the graph",
    "key-task-has-department": f"no Cooperation of section {KEY_TASK_SECTION} in the graph",
    "pairing-has-both-sides": f"no Cooperation of section {PAIRING_SECTION} in the graph",
}


def _check_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    finished = []
    for row in rows:
        check = row["check"]
        found, units = sorted(row["found"]), sorted(row["units"])
        if check == "pairing-has-both-sides":
            passed = bool(found) and bool(units)
            missing = [side for side, have in (("a partner", found), ("a served unit", units)) if not have]
            evidence = f"partners: {', '.join(found) or '-'}; serves: {', '.join(units) or '-'}"
            if missing:
                evidence += f"; missing {' and '.join(missing)}"
        else:
            passed = bool(found)
            yes, no = _FOUND[check]
            evidence = yes.format(", ".join(found)) if passed else no
        finished.append({
            "check": check,
            "subject_key": row["subject_key"],
            "subject_zh": row["subject_zh"],
            "subject_en": row["subject_en"],
            "passed": passed,
            "evidence": evidence,
        })
    seen = {row["check"] for row in finished}
    for check in POLICY_CHECKS:
        if check not in seen:
            finished.append({
                "check": check, "subject_key": "", "subject_zh": "", "subject_en": "",
                "passed": False, "evidence": _NO_SUBJECT[check],
            })
    for row in finished:
        row["_order"] = POLICY_CHECKS.index(row["check"])
    frame = frame_from_rows(finished, [*POLICY_CHECK_COLUMNS, "_order"], ["_order", "subject_key"])
    return frame[POLICY_CHECK_COLUMNS]

