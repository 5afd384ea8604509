"""Evidence levels, and the graph as it stands at one level and on one date.

Every fact (node or relationship) carries a ``provenance``: its evidence
level.  From strongest to weakest:

``stated``
    the 2020 mechanism's own words, with section and quote;
``reported``
    public development after 2020, with a source address and date;
``curated``
    hainet's reading, with a one-line basis;
``user``
    a planner's own data;
``example``
    fictional demonstration data, never in the built-in dataset.

A question asked "at" a level answers on :func:`graph_at`, the graph
restricted to facts at or above it, and every row it returns names the
weakest level its conclusion rests on (:func:`weakest`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph.errors import HainetError
from graph.timeline import as_of_date, exists_on, graph_as_of

__all__ = [
    "EVIDENCE_CHOICES",
    "EVIDENCE_LEVELS",
    "EVIDENCE_NAMES_ZH",
    "allowed_levels",
    "evidence_rank",
    "fact_level",
    "fact_rank",
    "graph_at",
    "shown_level",
    "valid_on",
    "weakest",
]

#: Evidence levels, strongest first; the values of the ``provenance`` property.
EVIDENCE_LEVELS = ("stated", "reported", "curated", "user", "example")

#: What the ``evidence`` keyword and the CLI's ``--evidence`` accept.
EVIDENCE_CHOICES = ("stated", "reported", "curated", "all")

#: The Chinese word for each level, as the chains of facts show it.
EVIDENCE_NAMES_ZH = {"stated": "原文", "reported": "报道", "curated": "整理", "user": "用户", "example": "示例"}

#: Level of a fact that carries no provenance: a planner's own.
_UNMARKED = "user"

_RANKS = {level: rank for rank, level in enumerate(EVIDENCE_LEVELS)}
_UNMARKED_RANK = _RANKS[_UNMARKED]


def _unknown_level(level: object) -> HainetError:
    message = f"unknown evidence level {level!r}; expected one of {', '.join(EVIDENCE_LEVELS)}"
    return HainetError(message)


def evidence_rank(level: str) -> int:
    """Return the rank of an evidence level, 0 for the strongest.

    Raises
    ------
    HainetError
        ``level`` is not one of :data:`EVIDENCE_LEVELS`.

    Examples
    --------
    >>> evidence_rank("stated"), evidence_rank("curated"), evidence_rank("example")
    (0, 2, 4)
    """
    try:
        return _RANKS[level]
    except (KeyError, TypeError) as e:
        raise _unknown_level(level) from e


def weakest(levels: Iterable[str]) -> str:
    """Return the weakest of some evidence levels.

    A conclusion is only as strong as the weakest fact it rests on.  A
    conclusion that rests on no fact at all is ``stated`` strong, so the
    weakest of nothing is ``"stated"``.

    Examples
    --------
    >>> weakest(["stated", "curated", "reported"])
    'curated'
    >>> weakest([])
    'stated'
    """
    levels = list(levels)
    try:
        return EVIDENCE_LEVELS[max(map(_RANKS.__getitem__, levels), default=0)]
    except (KeyError, TypeError):
        # Name the first level that is not one, as evidence_rank does.
        return EVIDENCE_LEVELS[max((evidence_rank(level) for level in levels), default=0)]


def fact_level(attrs: Mapping[str, Any]) -> str:
    """Return the evidence level of a node's or relationship's attributes.

    A fact without a ``provenance``, or with one that is not an evidence
    level, counts as a planner's own (``user``).

    Examples
    --------
    >>> fact_level({"provenance": "stated"}), fact_level({}), fact_level({"provenance": "rumour"})
    ('stated', 'user', 'user')
    """
    level = attrs.get("provenance")
    return level if level in EVIDENCE_LEVELS else _UNMARKED


def fact_rank(attrs: Mapping[str, Any]) -> int:
    """Return the rank (:func:`evidence_rank`) of the evidence level of a node's or relationship's attributes.

    The same as ``evidence_rank(fact_level(attrs))``, for the questions that
    weigh the levels of many facts.

    Examples
    --------
    >>> fact_rank({"provenance": "stated"}), fact_rank({}), fact_rank({"provenance": ["stated"]})
    (0, 3, 3)
    """
    try:
        return _RANKS.get(attrs.get("provenance"), _UNMARKED_RANK)  # type: ignore[arg-type]
    except TypeError:
        return _UNMARKED_RANK


def shown_level(attrs: Mapping[str, Any]) -> str:
    """Return the evidence level a map filters a drawn node or relationship by.

    A fact's own level (:func:`fact_level`); empty for a group that
    aggregation drew in place of many facts, which every level shows.

    Examples
    --------
    >>> shown_level({"provenance": "curated"}), shown_level({}), shown_level({"aggregated": True})
    ('curated', 'user', '')
    """
    return "" if attrs.get("aggregated") else fact_level(attrs)


def allowed_levels(evidence: str = "all") -> tuple[str, ...]:
    """Return the provenance values admitted at ``evidence``, strongest first.

    This is the list the ``.cypher`` files take as ``$levels``.

    Raises
    ------
    HainetError
        ``evidence`` is not one of :data:`EVIDENCE_CHOICES`.

    Examples
    --------
    >>> allowed_levels("stated")
    ('stated',)
    >>> allowed_levels("curated")
    ('stated', 'reported', 'curated')
    >>> allowed_levels("all") == EVIDENCE_LEVELS
    True
    """
    if evidence not in EVIDENCE_CHOICES:
        message = f"unknown evidence {evidence!r}; expected one of {', '.join(EVIDENCE_CHOICES)}"
        raise HainetError(message)
    if evidence == "all":
        return EVIDENCE_LEVELS
    return EVIDENCE_LEVELS[: EVIDENCE_LEVELS.index(evidence) + 1]


def valid_on(attrs: Mapping[str, Any], as_of: str | dt.date | None) -> bool:
    """Return whether a fact holds on ``as_of`` by its ``valid_from`` / ``valid_to``.

    A fact whose ``valid_from`` is after ``as_of``, or whose ``valid_to`` is
    before it, does not hold.  A bare year counts as the whole year: a fact
    valid from ``2021`` holds on 2021-01-01, one valid to ``2021`` holds on
    2021-12-31.  A bare year as ``as_of`` means its last day, the state at
    the end of that year.  ``None`` holds always.

    Raises
    ------
    HainetError
        A date is neither ``YYYY-MM-DD`` nor ``YYYY``.

    Examples
    --------
    >>> valid_on({"valid_from": "2021-03-01"}, "2020")
    False
    >>> valid_on({"valid_from": "2021", "valid_to": "2022-06-30"}, "2022-01-15")
    True
    >>> valid_on({"valid_to": "2020"}, "2021")
    False
    """
    return as_of is None or exists_on(attrs, as_of_date(as_of, end=True))


def graph_at(G: nx.MultiDiGraph, *, evidence: str = "all", as_of: str | dt.date | None = None) -> nx.MultiDiGraph:
    """Return the graph restricted to facts at or above ``evidence`` that hold on ``as_of``.

    A node is kept when its ``provenance`` is admitted by
    :func:`allowed_levels` and it holds on ``as_of`` (:func:`valid_on`); a
    relationship is kept when it passes the same test and both its
    endpoints are kept.  On a date, a cooperation's ``status`` is the one its
    ``status_history`` gives for that day, and a cooperation whose history
    starts later is dropped (:func:`graph.timeline.graph_as_of`).  The
    result is a new graph; ``G`` is not changed.

    Parameters
    ----------
    G
        A graph as :func:`graph.store.graph_from_store` returns it.
    evidence
        One of :data:`EVIDENCE_CHOICES`: ``stated`` is the document alone,
        ``curated`` adds reported developments and hainet's curation,
        ``all`` keeps everything.
    as_of
        A date (``YYYY-MM-DD``, ``YYYY`` or a :class:`datetime.date`), or
        ``None`` for no restriction in time.

    Raises
    ------
    HainetError
        ``evidence`` is unknown or a date cannot be read.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", provenance="stated")
    >>> G.add_node("b", provenance="curated")
    >>> G.add_node("c", provenance="stated", valid_from="2023")
    >>> _ = G.add_edge("a", "b", key="R", type="R", provenance="stated")
    >>> _ = G.add_edge("a", "c", key="R", type="R", provenance="curated")
    >>> sorted(graph_at(G, evidence="stated").nodes), graph_at(G, evidence="stated").number_of_edges()
    (['a', 'c'], 0)
    >>> sorted(graph_at(G).edges(keys=True))
    [('a', 'b', 'R'), ('a', 'c', 'R')]
    >>> sorted(graph_at(G, as_of="2022").nodes)
    ['a', 'b']
    """
    levels = frozenset(allowed_levels(evidence))

    def keep(attrs: Mapping[str, Any]) -> bool:
        return fact_level(attrs) in levels

    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, dict(attrs)) for n, attrs in G.nodes(data=True) if keep(attrs))
    H.add_edges_from(
        (u, v, k, dict(attrs)) for u, v, k, attrs in G.edges(keys=True, data=True) if u in H and v in H and keep(attrs)
    )
    return H if as_of is None else graph_as_of(H, as_of)
