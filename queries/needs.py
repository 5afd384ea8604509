"""Hainan's needs that no cooperation covers, and why.

A cooperation *covers* a need when it is active or planned, ``SERVES`` the
need's demand unit directly and is ``IN_FIELD`` the need's industry itself
(see :mod:`queries._facts` for the rules every question shares).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import pandas as pd

from graph.schema import PROVENANCE_FIELDS
from graph.store import Store
from queries._facts import (
    IDLE_STATUSES,
    LIVE_STATUSES,
    Facts,
    cypher_text,
    facts_from_graph,
    frame_from_rows,
    gc_paused,
    graph_of,
    runner_of,
)

__all__ = ["NEED_COLUMNS", "UNMATCHED_REASONS", "unmatched_needs"]

#: Why a need is unmatched, in the order they are decided.
UNMATCHED_REASONS = ("cooperation-stalled-or-ended", "no-partner-in-field", "partners-not-linked-to-unit")

NEED_COLUMNS = [
    "need_key", "unit_key", "unit_zh", "unit_en", "industry_key", "industry_zh", "industry_en",
    "reason", "stalled_cooperations", *PROVENANCE_FIELDS,
]


def unmatched_needs(source: nx.MultiDiGraph | Store) -> pd.DataFrame:
    """Return every need that no cooperation covers, with the reason.

    The reason is decided in this order (:data:`UNMATCHED_REASONS`):

    ``cooperation-stalled-or-ended``
        A cooperation serving the unit in the field would cover it, but it
        is stalled or ended: reviving it is the shortest way.
    ``no-partner-in-field``
        No region, park or department partners an active or planned
        cooperation anywhere in the field (the industry or a sub-industry).
    ``partners-not-linked-to-unit``
        Such partners exist, but none of their cooperations serves this unit
        in this field.

    Parameters
    ----------
    source
        The graph, or a store.

    Returns
    -------
    pandas.DataFrame
        One row per need (per unit and field, should a need have several),
        sorted by need key, with columns:

        ``need_key``
            The need.
        ``unit_key``, ``unit_zh``, ``unit_en``
            The demand unit that has it.
        ``industry_key``, ``industry_zh``, ``industry_en``
            The industry it is in.
        ``reason``
            One of :data:`UNMATCHED_REASONS`.
        ``stalled_cooperations``
            For ``cooperation-stalled-or-ended``, the stalled or ended
            cooperations that would cover it, sorted; else empty.
        ``provenance``, ``section``, ``quote``, ``basis``, ``document``
            Where the need comes from (missing, ``NaN``, when absent).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> needs = unmatched_needs(example_graph())
    >>> needs[["need_key", "reason"]].to_dict("records")
    [{'need_key': 'need:boao:tourism', 'reason': 'no-partner-in-field'}, \
{'need_key': 'need:haikou-hitech:biomedicine', 'reason': 'partners-not-linked-to-unit'}, \
{'need_key': 'need:hainan:deep-sea', 'reason': 'cooperation-stalled-or-ended'}]
    """
    with gc_paused():
        runner = runner_of(source)
        if runner is not None:
            parameters = {"live": list(LIVE_STATUSES), "idle": list(IDLE_STATUSES)}
            return _need_frame(runner.run(cypher_text("unmatched_needs.cypher"), parameters))
        return _needs_from_facts(facts_from_graph(graph_of(source)))


def _needs_from_facts(facts: Facts) -> pd.DataFrame:
    """Return :func:`unmatched_needs` from facts already read, as the recommendations do."""
    by_field = facts.live_coops_by_field()
    partnered: dict[str, bool] = {}
    rows = []
    for need, unit, industry in facts.needs:
        if facts.covering(unit, industry):
            continue
        stalled = facts.covering(unit, industry, live=False)
        if industry not in partnered:
            partnered[industry] = bool(facts.partners_of(by_field.get(industry, set())))
        if stalled:
            reason = UNMATCHED_REASONS[0]
        elif not partnered[industry]:
            reason = UNMATCHED_REASONS[1]
        else:
            reason = UNMATCHED_REASONS[2]
        rows.append({
            "need_key": need,
            "unit_key": unit,
            "unit_zh": facts.name_zh(unit),
            "unit_en": facts.name_en(unit),
            "industry_key": industry,
            "industry_zh": facts.name_zh(industry),
            "industry_en": facts.name_en(industry),
            "reason": reason,
            "stalled_cooperations": stalled,
            **facts.provenance(facts.attrs[need]),
        })
    return _need_frame(rows)


def _need_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    finished = [{**row, "stalled_cooperations": sorted(row["stalled_cooperations"])} for row in rows]
    return frame_from_rows(finished, NEED_COLUMNS, ["need_key", "unit_key", "industry_key"])
