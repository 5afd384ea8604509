"""Hainan's needs that no cooperation covers, and what each one lacks.

Whether a need is covered, and what it lacks when it is not, is decided
once in :mod:`queries.coverage`: a cooperation covers a need when it is
active or planned, has a partner, ``SERVES`` the need's demand unit directly
and is ``IN_FIELD`` the need's industry itself.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd

from graph.evidence import evidence_rank
from graph.schema import PROVENANCE_FIELDS
from graph.store import Store
from queries._facts import frame_from_rows, gc_paused
from queries.coverage import NEED_MISSING, Coverage, coverage_at

__all__ = ["NEED_COLUMNS", "NEED_MISSING", "unmatched_needs"]

NEED_COLUMNS = [
    "need_key",
    "unit_key",
    "unit_zh",
    "unit_en",
    "industry_key",
    "industry_zh",
    "industry_en",
    "is_leading",
    "status",
    "missing",
    "closest_cooperation",
    "closest_cooperation_zh",
    "closest_cooperation_en",
    "reason_zh",
    "reason_en",
    "evidence",
    "chain_zh",
    "chain_en",
    *PROVENANCE_FIELDS,
]


def unmatched_needs(source: nx.MultiDiGraph | Store, *, evidence: str = "all") -> pd.DataFrame:
    """Return every need that no cooperation covers, with what it lacks in one sentence.

    What is missing is the first of :data:`queries.coverage.NEED_MISSING`
    that applies, closest first:

    ``cooperation-idle``
        A cooperation serving the unit in the field would cover it, but it
        is stalled or ended: reviving it is the shortest way.
    ``subfield-only``
        A live cooperation serves the unit, but only in a sub-field (the
        need's status is then ``covered-via-subfield``).
    ``related-field-only``
        A live cooperation serves the unit, but only in the parent field or
        a sibling field.
    ``other-unit``
        A live cooperation works in the field (or a sub-field) but serves
        another unit; one serving a unit above or below this one is
        nearest.
    ``no-cooperation``
        No cooperation works in the field, but regions, parks or departments
        are able in it (``SPECIALISES_IN``, ``HANDLES``): they are named.
    ``no-partner``
        Nobody works in the field or is able in it.

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
        One row per need (per unit and field, should a need have several):
        needs in (or under) a leading industry first, then those the
        document states, then by the unit's and the industry's Chinese
        names, with columns:

        ``need_key``
            The need.
        ``unit_key``, ``unit_zh``, ``unit_en``
            The demand unit that has it.
        ``industry_key``, ``industry_zh``, ``industry_en``
            The industry it is in.
        ``is_leading``
            Whether the industry is, or is part of, a leading industry.
        ``status``
            ``uncovered`` or ``covered-via-subfield``.
        ``missing``
            What it lacks, one of :data:`queries.coverage.NEED_MISSING`.
        ``closest_cooperation``, ``closest_cooperation_zh``, ``closest_cooperation_en``
            The cooperation nearest to covering it, with its names; empty
            (``None``) for ``no-cooperation`` and ``no-partner``.
        ``reason_zh``, ``reason_en``
            What is missing, in one sentence.
        ``evidence``
            The weakest evidence level of the need and of the facts the
            reason names.
        ``chain_zh``, ``chain_en``
            Those facts, need first, by name.
        the provenance fields (:data:`graph.schema.PROVENANCE_FIELDS`)
            Where the need comes from (missing, ``NaN``, when absent).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> needs = unmatched_needs(example_graph())
    >>> print(needs[["need_key", "missing", "closest_cooperation", "evidence"]].to_string(index=False))
                          need_key          missing    closest_cooperation evidence
    need:haikou-hitech:biomedicine       other-unit       coop:tianfu-boao  curated
                 need:boao:tourism       no-partner                   None  curated
              need:hainan:deep-sea cooperation-idle coop:shanghai-deep-sea   stated
    >>> print(needs.loc[0, "reason_zh"])
    同领域最近的合作「天府国际生物城—博鳌乐城合作」服务博鳌乐城国际医疗旅游先行区，未服务海口高新区。
    >>> print(needs.loc[2, "reason_en"])
    The cooperation that would meet it, Shanghai–Hainan deep-sea cooperation, is stalled: revive it or start another.
    """
    with gc_paused():
        return needs_frame(coverage_at(source, evidence))


def needs_frame(coverage: Coverage) -> pd.DataFrame:
    """Return :func:`unmatched_needs` of a :class:`~queries.coverage.Coverage` already decided."""
    facts = coverage.facts
    rows: list[dict[str, Any]] = []
    for found in coverage.unmatched:
        need, unit, industry, coop = found.need, found.unit, found.industry, found.closest
        leading = bool(facts.superfields.get(industry, {industry}) & facts.leading)
        provenance = facts.provenance(facts.attrs[need])
        rows.append(
            {
                "need_key": need,
                "unit_key": unit,
                "unit_zh": facts.name_zh(unit),
                "unit_en": facts.name_en(unit),
                "industry_key": industry,
                "industry_zh": facts.name_zh(industry),
                "industry_en": facts.name_en(industry),
                "is_leading": leading,
                "status": found.status,
                "missing": found.missing,
                "closest_cooperation": coop,
                "closest_cooperation_zh": facts.name_zh(coop) if coop else None,
                "closest_cooperation_en": facts.name_en(coop) if coop else None,
                "reason_zh": found.reason_zh,
                "reason_en": found.reason_en,
                "evidence": found.evidence,
                "chain_zh": found.chain_zh,
                "chain_en": found.chain_en,
                **provenance,
                "_lead": not leading,
                "_stated": evidence_rank(facts.level(need)),
                "_unit": str(facts.name_zh(unit) or unit),
                "_industry": str(facts.name_zh(industry) or industry),
            }
        )
    order = ["_lead", "_stated", "_unit", "_industry", "need_key", "unit_key", "industry_key"]
    frame = frame_from_rows(rows, [*NEED_COLUMNS, *order[:4]], order)[NEED_COLUMNS]
    closest = ["closest_cooperation", "closest_cooperation_zh", "closest_cooperation_en"]
    frame[closest] = frame[closest].astype(object).where(frame[closest].notna(), None)
    return frame
