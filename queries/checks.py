"""What the 2020 mechanism asks for, checked; and able partners not yet tapped.

Both take the keyword ``evidence`` (one of
:data:`graph.evidence.EVIDENCE_CHOICES`) and answer on the facts at or
above that level; coverage follows the one rule of :mod:`queries.coverage`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graph.evidence import EVIDENCE_LEVELS, EVIDENCE_NAMES_ZH, fact_rank, weakest
from graph.schema import PROVENANCE_FIELDS, NodeKind, RelType
from graph.store import Store
from queries._facts import (
    CapabilityTable,
    Facts,
    column_from_codes,
    frame_from_columns,
    frame_from_rows,
    gc_paused,
    normalised_section,
)
from queries.coverage import Coverage, coverage_at, tidy_zh

__all__ = [
    "KEY_TASK_SECTION",
    "PAIRING_SECTION",
    "POLICY_CHECKS",
    "POLICY_CHECK_COLUMNS",
    "UNTAPPED_COLUMNS",
    "policy_checks",
    "untapped_partners",
]

UNTAPPED_COLUMNS = [
    "actor_key",
    "actor_kind",
    "actor_zh",
    "actor_en",
    "industry_key",
    "industry_zh",
    "industry_en",
    "capability",
    "n_needs",
    "tied_to_hainan",
    "evidence",
    "chain_zh",
    "chain_en",
    *PROVENANCE_FIELDS,
]

POLICY_CHECK_COLUMNS = [
    "check",
    "subject_key",
    "subject_zh",
    "subject_en",
    "passed",
    "finding_zh",
    "finding_en",
    "evidence",
    "chain_zh",
    "chain_en",
]

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

_CAPABILITY_ZH = {RelType.SPECIALISES_IN.value: "擅长", RelType.HANDLES.value: "主管"}
_CAPABILITY_EN = {RelType.SPECIALISES_IN.value: "specialises in", RelType.HANDLES.value: "handles"}


def untapped_partners(source: nx.MultiDiGraph | Store, *, evidence: str = "all") -> pd.DataFrame:
    """Return regions, parks and departments able to work in a needed field that do not yet.

    An actor is *able* when it ``SPECIALISES_IN`` the needed industry, or is
    a department that ``HANDLES`` it; it is *untapped* there when it
    partners no active or planned cooperation in the field (the industry or
    a sub-field).  One row per capability relationship.

    Parameters
    ----------
    source
        The graph, or a store.
    evidence
        Answer on the facts at or above this level
        (:data:`graph.evidence.EVIDENCE_CHOICES`).

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
        ``evidence``
            The weakest level of the actor, the capability and the industry.
        ``chain_zh``, ``chain_en``
            The capability as a chain of facts, by name.
        the provenance fields (:data:`graph.schema.PROVENANCE_FIELDS`)
            Where the capability relationship comes from (missing, ``NaN``, when absent).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> untapped = untapped_partners(example_graph())
    >>> print(untapped[["actor_key", "industry_key", "tied_to_hainan", "evidence"]].to_string(index=False))
          actor_key         industry_key  tied_to_hainan evidence
    region:shanghai industry:biomedicine           False  curated
     region:sichuan industry:biomedicine           False   stated
      dept:regional    industry:hightech            True  curated
    >>> print(untapped.loc[1, "chain_zh"])
    生物医药 ← 四川省（原文：擅长）
    """
    with gc_paused():
        coverage = coverage_at(source, evidence)
        return _untapped_frame(coverage)


def _untapped_frame(coverage: Coverage) -> pd.DataFrame:
    """Return the rows of :func:`untapped_partners`, built a column at a time from the capability table."""
    facts = coverage.facts
    table = facts.capability_table
    rows = _untapped_rows(coverage, table)
    if not len(rows):
        return frame_from_columns([], UNTAPPED_COLUMNS)
    actor, industry, rel, edge_rank = table.actor[rows], table.industry[rows], table.rel[rows], table.rank[rows]
    actors, industries = table.actors, table.industries
    actor_zh, actor_en = [facts.name_zh(a) for a in actors], [facts.name_en(a) for a in actors]
    industry_zh, industry_en = [facts.name_zh(i) for i in industries], [facts.name_en(i) for i in industries]
    live = facts.live
    tied = [not facts.partner_coops.get(a, set()).isdisjoint(live) for a in actors]
    actor_rank = np.array([facts.rank(a) for a in actors], dtype=np.intp)
    industry_rank = np.array([facts.rank(i) for i in industries], dtype=np.intp)
    rank = np.maximum(np.maximum(industry_rank[industry], actor_rank[actor]), edge_rank)
    # The chains as in f"{industry} ← {actor}（{level}：{capability}）", joined a column at a time.
    said = edge_rank * len(table.rels) + rel
    said_zh = [f"（{EVIDENCE_NAMES_ZH[lv]}：{_CAPABILITY_ZH[r]}）" for lv in EVIDENCE_LEVELS for r in table.rels]
    said_en = [f" ({lv}: {_CAPABILITY_EN[r]})" for lv in EVIDENCE_LEVELS for r in table.rels]
    chain_zh = (
        column_from_codes([f"{name} ← " for name in industry_zh], industry)
        + column_from_codes([f"{name}" for name in actor_zh], actor)
        + column_from_codes(said_zh, said)
    )
    chain_en = (
        column_from_codes([f"{name} <- " for name in industry_en], industry)
        + column_from_codes([f"{name}" for name in actor_en], actor)
        + column_from_codes(said_en, said)
    )
    columns = [
        column_from_codes(actors, actor),
        column_from_codes([facts.kinds[a] for a in actors], actor),
        column_from_codes(actor_zh, actor),
        column_from_codes(actor_en, actor),
        column_from_codes(industries, industry),
        column_from_codes(industry_zh, industry),
        column_from_codes(industry_en, industry),
        column_from_codes(table.rels, rel),
        column_from_codes([coverage.n_needs.get(i, 0) for i in industries], industry),
        column_from_codes(tied, actor),
        column_from_codes(list(EVIDENCE_LEVELS), rank),
        chain_zh,
        chain_en,
        *(column_from_codes(table.provenance[name][0], table.provenance[name][1][rows]) for name in PROVENANCE_FIELDS),
    ]
    return pd.DataFrame(dict(zip(UNTAPPED_COLUMNS, columns, strict=True)), columns=UNTAPPED_COLUMNS)


def _untapped_rows(coverage: Coverage, table: CapabilityTable) -> np.ndarray:
    """Return the rows of ``table`` in a needed industry its actor does not work in, by industry, actor, capability."""
    found = coverage.industries
    n_actors = len(table.actors)
    position = dict(zip(table.actors, range(n_actors), strict=True))
    needed = np.array([i in found for i in table.industries], dtype=bool)
    tapped = [
        code * n_actors + position[partner]
        for code, industry in enumerate(table.industries)
        if industry in found
        for partner in found[industry].partners
        if partner in position
    ]
    keep = needed[table.industry] & ~np.isin(table.industry * n_actors + table.actor, tapped)
    rows = np.flatnonzero(keep)
    # The table is sorted by actor, capability and industry: a stable sort by industry keeps the rest in order.
    return rows[np.argsort(table.industry[rows], kind="stable")]


def policy_checks(source: nx.MultiDiGraph | Store, *, evidence: str = "all") -> pd.DataFrame:
    """Return pass/fail rows for what the 2020 mechanism asks, each with what was found and its evidence.

    The checks (:data:`POLICY_CHECKS`):

    ``leading-industry-has-region``, ``leading-industry-has-park``
        Each leading industry has a region, and a park, partnering an
        active or planned cooperation in its field (sub-fields included,
        as :mod:`queries.coverage` rolls them up).
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
    evidence
        Answer on the facts at or above this level
        (:data:`graph.evidence.EVIDENCE_CHOICES`).

    Returns
    -------
    pandas.DataFrame
        In the order of :data:`POLICY_CHECKS`, then by subject key, with
        columns:

        ``check``, ``subject_key``, ``subject_zh``, ``subject_en``
            The check and what it is about.
        ``passed``
            Whether it passes (bool).
        ``finding_zh``, ``finding_en``
            What was found, or what is missing.
        ``evidence``
            The weakest level the finding rests on.
        ``chain_zh``, ``chain_en``
            The facts it rests on, by name.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> checks = policy_checks(example_graph())
    >>> checks.groupby("check", sort=False)["passed"].all().to_dict()
    {'leading-industry-has-region': False, 'leading-industry-has-park': False, \
'key-task-has-department': True, 'pairing-has-both-sides': False}
    >>> print(checks[["subject_key", "passed", "evidence"]].to_string(index=False))
               subject_key  passed evidence
         industry:hightech   False   stated
         industry:services   False   stated
          industry:tourism   False   stated
         industry:hightech    True  curated
         industry:services   False   stated
          industry:tourism   False   stated
       coop:five-year-plan    True   stated
          coop:tianfu-boao    True   stated
    coop:zhangjiang-haikou   False   stated
    """
    with gc_paused():
        coverage = coverage_at(source, evidence)
        return _check_frame(_check_rows(coverage))


def _check_rows(coverage: Coverage) -> list[dict[str, Any]]:
    facts = coverage.facts
    rows = []
    for check, kind in (("leading-industry-has-region", "Region"), ("leading-industry-has-park", "Park")):
        for industry in sorted(facts.leading):
            links = [link for link in coverage.links(industry) if facts.kinds[link.partner] == kind]
            found = sorted({link.partner for link in links})
            needed = coverage.needed_level(industry)
            if links:
                level = weakest([needed, links[0].level])
                chain = links[0].chains(facts)
            else:
                level = needed
                chain = coverage.industries[industry].chain_zh, coverage.industries[industry].chain_en
            kind_zh = "地区" if kind == "Region" else "园区"
            rows.append(
                _check_row(
                    facts,
                    check,
                    industry,
                    found,
                    level,
                    chain,
                    (f"{kind_zh}合作方：" + "、".join(_zh(facts, p) for p in found))
                    if found
                    else f"没有{kind_zh}参与其领域的进行中或计划中合作",
                    (f"{kind} partners: " + ", ".join(_en(facts, p) for p in found))
                    if found
                    else f"no {kind} partners an active or planned cooperation in its field",
                )
            )
    sections = [(coop, normalised_section(facts.attrs[coop].get("section"))) for coop in sorted(facts.status)]
    for check, section in (("key-task-has-department", KEY_TASK_SECTION), ("pairing-has-both-sides", PAIRING_SECTION)):
        for coop, said in sections:
            if not said.startswith(section):
                continue
            partners = sorted(facts.coop_partners.get(coop, ()))
            members = _strongest_first(facts, [(p, *_partner_rel(facts, p, coop)) for p in partners])
            if check == "key-task-has-department":
                depts = [step for step in members if facts.kinds[step[0]] == NodeKind.DEPARTMENT.value]
                names = sorted(d for d, _, _ in depts)
                zh = ("支持部门：" + "、".join(_zh(facts, d) for d in names)) if depts else "没有部门支持"
                en = (
                    ("supported by " + ", ".join(_en(facts, d) for d in names))
                    if depts
                    else "no Department SUPPORTS it"
                )
                rows.append(_coop_row(facts, check, coop, bool(depts), depts[:1], zh, en))
            else:
                served = sorted(facts.coop_units.get(coop, ()))
                units = _strongest_first(facts, [(u, _SERVES, facts.edge_rank(coop, _SERVES, u)) for u in served])
                missing_zh = [s for s, have in (("合作方", members), ("服务对象", units)) if not have]
                missing_en = [s for s, have in (("a partner", members), ("a served unit", units)) if not have]
                zh = (
                    f"合作方：{'、'.join(_zh(facts, p) for p in partners) or '无'}；"
                    f"服务：{'、'.join(_zh(facts, u) for u in served) or '无'}"
                )
                en = f"partners: {', '.join(partners) or '-'}; serves: {', '.join(served) or '-'}"
                if missing_zh:
                    zh += f"；缺少{'和'.join(missing_zh)}"
                    en += f"; missing {' and '.join(missing_en)}"
                passed = bool(members) and bool(units)
                rows.append(_coop_row(facts, check, coop, passed, [*members[:1], *units[:1]], zh, en))
    return rows


def _zh(facts: Facts, key: str) -> str:
    return str(facts.name_zh(key) or key)


def _en(facts: Facts, key: str) -> str:
    return str(facts.name_en(key) or key)


_PARTNER_RELS = (RelType.PARTNER_IN.value, RelType.SUPPORTS.value)
_SERVES = RelType.SERVES.value
_STEP_ZH = {"PARTNER_IN": "合作方", "SUPPORTS": "支持部门", "SERVES": "服务对象"}
_STEP_EN = {"PARTNER_IN": "partner", "SUPPORTS": "supporting department", "SERVES": "unit served"}


def _partner_rel(facts: Facts, partner: str, coop: str) -> tuple[str, int]:
    """Return the type and rank of the strongest relationship of ``partner`` to ``coop``, ``PARTNER_IN`` on a tie."""
    found: tuple[str, int] | None = None
    for rel in _PARTNER_RELS:
        attrs = facts.edge_attrs.get((partner, rel, coop))
        if attrs is not None and (found is None or fact_rank(attrs) < found[1]):
            found = (rel, fact_rank(attrs))
    if found is None:
        msg = f"{partner} is not a partner of {coop}"
        raise KeyError(msg)
    return found


def _strongest_first(facts: Facts, steps: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Return the partners (or served units) of a cooperation, as sorted by key, strongest first.

    Each step is (partner or unit, relationship type, rank of the
    relationship); it is as strong as the weaker of the node and the
    relationship.
    """
    if len(steps) < 2:
        return steps
    ranks = facts.node_ranks
    return sorted(steps, key=lambda step: max(ranks[step[0]], step[2]))  # stable: ties stay by key


def _coop_row(
    facts: Facts, check: str, coop: str, passed: bool, steps: list[tuple[str, str, int]], zh: str, en: str
) -> dict[str, Any]:
    """Return the row of a check of ``coop`` resting on it and ``steps``, (partner or unit, type, rank) each."""
    ranks = facts.node_ranks
    lvl = facts.level(coop)
    chain_zh = f"{_zh(facts, coop)}（{EVIDENCE_NAMES_ZH[lvl]}：第{facts.attrs[coop].get('section') or '?'}节）"
    chain_en = f"{_en(facts, coop)} ({lvl}: section {facts.attrs[coop].get('section') or '?'})"
    worst = ranks[coop]
    for other, rel, rank in steps:
        rank = max(rank, ranks[other])
        worst = max(worst, rank)
        el = EVIDENCE_LEVELS[rank]
        chain_zh += f" ← {_zh(facts, other)}（{EVIDENCE_NAMES_ZH[el]}：{_STEP_ZH[rel]}）"
        chain_en += f" <- {_en(facts, other)} ({el}: {_STEP_EN[rel]})"
    level = EVIDENCE_LEVELS[worst]
    return _check_row(facts, check, coop, [], level, (tidy_zh(chain_zh), chain_en), zh, en, passed=passed)


def _check_row(
    facts: Facts,
    check: str,
    subject: str,
    found: list[str],
    level: str,
    chain: tuple[str, str],
    zh: str,
    en: str,
    *,
    passed: bool | None = None,
) -> dict[str, Any]:
    return {
        "check": check,
        "subject_key": subject,
        "subject_zh": facts.name_zh(subject),
        "subject_en": facts.name_en(subject),
        "passed": bool(found) if passed is None else passed,
        "finding_zh": zh,
        "finding_en": en,
        "evidence": level,
        "chain_zh": chain[0],
        "chain_en": chain[1],
    }


_NO_SUBJECT = {
    "leading-industry-has-region": ("图中没有主导产业", "no leading industry (is_leading true) in the graph"),
    "leading-industry-has-park": ("图中没有主导产业", "no leading industry (is_leading true) in the graph"),
    "key-task-has-department": (
        f"图中没有第{KEY_TASK_SECTION}节的合作",
        f"no Cooperation of section {KEY_TASK_SECTION} in the graph",
    ),
    "pairing-has-both-sides": (
        f"图中没有第{PAIRING_SECTION}节的合作",
        f"no Cooperation of section {PAIRING_SECTION} in the graph",
    ),
}


def _check_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    finished = [dict(row) for row in rows]
    seen = {row["check"] for row in finished}
    for check in POLICY_CHECKS:
        if check not in seen:
            zh, en = _NO_SUBJECT[check]
            finished.append(
                {
                    "check": check,
                    "subject_key": "",
                    "subject_zh": "",
                    "subject_en": "",
                    "passed": False,
                    "finding_zh": zh,
                    "finding_en": en,
                    "evidence": "stated",
                    "chain_zh": "",
                    "chain_en": "",
                }
            )
    for row in finished:
        row["_order"] = POLICY_CHECKS.index(row["check"])
    frame = frame_from_rows(finished, [*POLICY_CHECK_COLUMNS, "_order"], ["_order", "subject_key"])
    return frame[POLICY_CHECK_COLUMNS]
