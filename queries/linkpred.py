"""Which partner and Hainan unit should work together next: link prediction, and how well it would have worked.

A *link* is a partner region or park and a Hainan demand unit that take
part in the same live cooperation (the partner ``PARTNER_IN`` it, the
cooperation ``SERVES`` the unit).  Ministry departments support
cooperations but are not partners to pair with, so they are not linked.

The scorers rate a pair that is not linked yet:

``common_neighbours``, ``jaccard``, ``adamic_adar``, ``resource_allocation``
    The classic neighbourhood scores (networkx's implementations) on the
    *affinity graph* (:func:`affinity_graph`): the actor projection of
    :func:`queries.hubs.actor_projection`, plus a tie from every actor to
    the industries it works in (a partner's capabilities and the fields of
    its live cooperations, a unit's needs).  A partner and a unit then have
    neighbours in common when they work with the same actors or in the same
    fields.
``explained``
    Today's explained score of :mod:`queries.recommend`: the best score
    of the partner as a candidate for any of the unit's needs.
``blended``
    The mean of ``explained`` and ``resource_allocation``, each first
    scaled to 0..1 by its largest value among the pairs rated.
``random``
    A seeded random number: the baseline every scorer must beat.

:func:`backtest` measures them: it hides links, rates every pair that is
not linked, and asks how high the hidden links come.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from graph.schema import NodeKind
from graph.store import Store
from queries._facts import Facts, facts_from_graph, graph_of
from queries.hubs import _projection
from queries.recommend import partner_candidates

__all__ = [
    "BACKTEST_COLUMNS",
    "LINK_SCORE_COLUMNS",
    "SCORERS",
    "TEMPORAL_CUTOFF",
    "affinity_graph",
    "backtest",
    "link_scores",
    "partner_unit_links",
]

#: The scorers, the baseline last.
SCORERS = (
    "common_neighbours",
    "jaccard",
    "adamic_adar",
    "resource_allocation",
    "explained",
    "blended",
    "random",
)

LINK_SCORE_COLUMNS = ["partner_key", "unit_key", *SCORERS]

#: The temporal split learns on the graph as of this day, the end of the mechanism's first year.
TEMPORAL_CUTOFF = "2020-12-31"

BACKTEST_COLUMNS = ["scorer", "split", "auc", "precision_at_5", "n_test"]

_PAIRABLE = frozenset({NodeKind.REGION.value, NodeKind.PARK.value})
_UNIT = NodeKind.DEMAND_UNIT.value

Pair = tuple[str, str]


def partner_unit_links(source: nx.MultiDiGraph | Store) -> set[Pair]:
    """Return the ``(partner, unit)`` pairs that share a live cooperation.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> sorted(partner_unit_links(example_graph()))
    [('park:tianfu', 'unit:boao')]
    """
    return _links(facts_from_graph(graph_of(source)))


def _links(facts: Facts) -> set[Pair]:
    found: set[Pair] = set()
    for coop in facts.live:
        partners = [p for p in facts.coop_partners.get(coop, ()) if facts.kinds.get(p) in _PAIRABLE]
        for unit in facts.coop_units.get(coop, ()):
            found.update((p, unit) for p in partners)
    return found


def link_scores(source: nx.MultiDiGraph | Store, *, seed: int = 42) -> pd.DataFrame:
    """Return every scorer's rating of every partner–unit pair that is not linked yet.

    Parameters
    ----------
    source
        The graph, or a store.
    seed
        Seed of the ``random`` baseline.

    Returns
    -------
    pandas.DataFrame
        One row per pair, by partner key then unit key, with columns
        ``partner_key``, ``unit_key`` and one per scorer (:data:`SCORERS`),
        higher meaning more likely.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> scores = link_scores(example_graph())
    >>> bool((scores["blended"] >= 0).all()), list(scores.columns) == LINK_SCORE_COLUMNS
    (True, True)
    """
    G = graph_of(source)
    facts = facts_from_graph(G)
    linked = _links(facts)
    pairs = [
        (p, u)
        for p in sorted(k for k, kind in facts.kinds.items() if kind in _PAIRABLE)
        for u in sorted(k for k, kind in facts.kinds.items() if kind == _UNIT)
        if (p, u) not in linked
    ]
    return _scored(G, facts, pairs, seed)


def affinity_graph(facts: Facts) -> nx.Graph:
    """Return the actor projection with every actor tied to the industries it works in.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> A = affinity_graph(facts_from_graph(example_graph()))
    >>> sorted(A["unit:boao"])
    ['industry:biomedicine', 'industry:tourism', 'park:tianfu']
    """
    A = _projection(facts)
    for actor, _, industry in facts.capabilities:
        A.add_edge(actor, industry)
    for coop in sorted(facts.live):
        for partner in facts.coop_partners.get(coop, ()):
            A.add_edges_from((partner, industry) for industry in facts.coop_fields.get(coop, ()))
    for need, units in facts.need_units.items():
        A.add_edges_from((unit, industry) for unit in units for industry in facts.need_fields.get(need, ()))
    return A


def _scored(G: nx.MultiDiGraph, facts: Facts, pairs: Sequence[Pair], seed: int) -> pd.DataFrame:
    P = affinity_graph(facts)
    frame = pd.DataFrame(pairs, columns=["partner_key", "unit_key"])
    if not pairs:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in LINK_SCORE_COLUMNS})
    frame["common_neighbours"] = [len(list(nx.common_neighbors(P, p, u))) for p, u in pairs]
    for name, function in (
        ("jaccard", nx.jaccard_coefficient),
        ("adamic_adar", nx.adamic_adar_index),
        ("resource_allocation", nx.resource_allocation_index),
    ):
        frame[name] = [float(score) for _, _, score in function(P, pairs)]
    frame["explained"] = _explained(G, facts, pairs)
    frame["blended"] = (_scaled(frame["explained"]) + _scaled(frame["resource_allocation"])) / 2
    frame["random"] = np.random.default_rng(seed).random(len(pairs))
    return frame[LINK_SCORE_COLUMNS]


def _scaled(values: pd.Series) -> pd.Series:
    top = float(values.max())
    return values / top if top > 0 else values * 0.0


def _explained(G: nx.MultiDiGraph, facts: Facts, pairs: Iterable[Pair]) -> list[float]:
    """Return, per pair, the partner's best score as a candidate for any need of the unit."""
    best: dict[Pair, float] = {}
    unit_needs: dict[str, set[str]] = {}
    for need, units in facts.need_units.items():
        for unit in units:
            unit_needs.setdefault(unit, set()).add(need)
    for need in sorted({n for needs in unit_needs.values() for n in needs}):
        candidates = partner_candidates(G, need)
        for unit in facts.need_units[need]:
            for partner, score in zip(candidates["candidate_key"], candidates["score"], strict=True):
                pair = (str(partner), unit)
                best[pair] = max(best.get(pair, 0.0), float(score))
    return [best.get(pair, 0.0) for pair in pairs]


@dataclass(frozen=True)
class _Split:
    name: str
    train: nx.MultiDiGraph
    test: set[Pair]


def backtest(
    source: nx.MultiDiGraph | Store,
    *,
    seed: int = 42,
    repeats: int = 5,
    holdout: float = 0.2,
    temporal: tuple[nx.MultiDiGraph, nx.MultiDiGraph] | None = None,
) -> pd.DataFrame:
    """Return how well each scorer would have predicted links it was not shown.

    ``random`` split: ``holdout`` of the live cooperations are removed at
    random (seeded), ``repeats`` times; the links only they made are the
    test links, the graph without them is what the scorers learn from.
    ``temporal`` split, when ``temporal`` gives the graph before and the
    graph after: the scorers learn on the first and are tested on the
    links that exist only in the second.

    Parameters
    ----------
    source
        The graph, or a store.
    seed
        Seed of the splits and of the ``random`` scorer.
    repeats
        Random splits to average over.
    holdout
        Share of the live cooperations each random split removes.
    temporal
        ``(before, after)`` graphs for the temporal split, or ``None``.

    Returns
    -------
    pandas.DataFrame
        One row per scorer and split, by split then the order of
        :data:`SCORERS`, with columns:

        ``scorer``
            One of :data:`SCORERS`.
        ``split``
            ``random`` or ``temporal``.
        ``auc``
            The chance that a test link scores higher than a pair that is
            linked neither before nor after (ties count half); 0.5 is
            chance.  For ``random``, the mean over the repeats.
        ``precision_at_5``
            Among each unit's five best-rated pairs, the share that are test
            links, averaged over the units that have a test link.
        ``n_test``
            Test links (for ``random``, the total over the repeats).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> list(backtest(example_graph(), repeats=1).columns) == BACKTEST_COLUMNS
    True
    """
    if not 0 < holdout < 1 or repeats < 1:
        msg = f"holdout must be between 0 and 1 and repeats at least 1, not {holdout} and {repeats}"
        raise ValueError(msg)
    G = graph_of(source)
    splits = _random_splits(G, seed=seed, repeats=repeats, holdout=holdout)
    if temporal is not None:
        before, after = temporal
        splits.append(_Split("temporal", before, _links(facts_from_graph(after)) - _links(facts_from_graph(before))))
    results: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    for number, split in enumerate(splits):
        if not split.test:
            continue
        facts = facts_from_graph(split.train)
        known = _links(facts)
        pairs = sorted(
            (p, u)
            for p in (k for k, kind in facts.kinds.items() if kind in _PAIRABLE)
            for u in (k for k, kind in facts.kinds.items() if kind == _UNIT)
            if (p, u) not in known
        )
        scores = _scored(split.train, facts, pairs, seed + number)
        truth = np.array([pair in split.test for pair in pairs])
        for scorer in SCORERS:
            values = scores[scorer].to_numpy(dtype=float)
            results.setdefault((split.name, scorer), []).append(
                (_auc(values, truth), _precision_at(scores, values, truth, 5), int(truth.sum()))
            )
    rows = [
        {
            "scorer": scorer,
            "split": name,
            "auc": float(np.mean([r[0] for r in runs])),
            "precision_at_5": float(np.mean([r[1] for r in runs])),
            "n_test": sum(r[2] for r in runs),
        }
        for name in ("random", "temporal")
        for scorer in SCORERS
        if (runs := results.get((name, scorer)))
    ]
    return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)


def _random_splits(G: nx.MultiDiGraph, *, seed: int, repeats: int, holdout: float) -> list[_Split]:
    facts = facts_from_graph(G)
    coops = sorted(facts.live)
    everything = _links(facts)
    splits = []
    for repeat in range(repeats):
        hidden = random.Random(seed + repeat).sample(coops, round(len(coops) * holdout))
        train = G.copy()
        train.remove_nodes_from(hidden)
        splits.append(_Split("random", train, everything - _links(facts_from_graph(train))))
    return splits


def _auc(values: np.ndarray, truth: np.ndarray) -> float:
    """Return the Mann–Whitney AUC of ``values`` for ``truth`` (ties count half)."""
    ranks = pd.Series(values).rank(method="average").to_numpy()
    n_pos, n_neg = int(truth.sum()), int((~truth).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return float((ranks[truth].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _precision_at(scores: pd.DataFrame, values: np.ndarray, truth: np.ndarray, k: int) -> float:
    frame = pd.DataFrame({"unit": scores["unit_key"], "partner": scores["partner_key"], "v": values, "t": truth})
    shares = []
    for _, group in frame.groupby("unit", sort=True):
        if not group["t"].any():
            continue
        best = group.sort_values(["v", "partner"], ascending=[False, True], kind="stable").head(k)
        shares.append(float(best["t"].sum()) / k)
    return float(np.mean(shares)) if shares else float("nan")
