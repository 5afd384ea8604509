"""The report's map: which nodes it shows.

A printed page cannot show 200 nodes legibly.  :func:`core_keys` picks
what a meeting needs to see: the unmatched needs and their units, the
industries in trouble, the top hubs, and the cooperations that tie them.
The report draws the interactive map of those nodes on screen, and the
same map as the SVG of :func:`graph.render_image.map_svg` for print: one
layout, two media.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graph.schema import NodeKind
from queries.findings import ReportAnalysis

__all__ = ["MAP_BUDGET", "core_keys"]

#: At most this many partners, units, industries and needs on the report's map (cooperations come on top).
MAP_BUDGET = 48

_COOPERATIONS = 40
_NEEDS = 12
_PARTNER_KINDS = (NodeKind.REGION.value, NodeKind.PARK.value, NodeKind.DEPARTMENT.value)
_MARGIN = 60.0
_FONT = 15.0


def core_keys(G: nx.MultiDiGraph, analysis: ReportAnalysis, *, budget: int = MAP_BUDGET) -> list[str]:
    """Return the nodes the report's map shows, most important first.

    In order: the first unmatched needs (at most 12) with their units and
    industries; the industries with no partner, one partner or only
    sub-fields, and up to 8 of their partners; up to 8 partner hubs by
    PageRank; then any hubs, until ``budget`` nodes.  Then the cooperations that tie
    two of them (at most 40), so that the map shows who works with whom.

    Parameters
    ----------
    G
        The graph.
    analysis
        The report's analysis.
    budget
        Nodes other than cooperations.

    Returns
    -------
    list of str
        Node keys of ``G``.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> from queries.findings import report_analysis
    >>> G = example_graph()
    >>> keys = core_keys(G, report_analysis(G))
    >>> "need:boao:tourism" in keys, len(keys) == len(set(keys))
    (True, True)
    """
    chosen: dict[str, None] = {}

    def add(keys: Iterable[object], limit: int = budget) -> None:
        for key in keys:
            if len(chosen) >= min(budget, limit):
                return
            if isinstance(key, str) and key in G:
                chosen.setdefault(key, None)

    needs = analysis.needs.head(_NEEDS)
    add(needs["need_key"])
    add(needs["unit_key"])
    add(needs["industry_key"])
    gaps = analysis.gaps
    weak = gaps[gaps["status"] != "covered"]
    add(weak["industry_key"])
    add([p for partners in weak["partners"] for p in partners], limit=len(chosen) + 8)
    hubs = analysis.hubs
    partners = hubs[hubs["actor_kind"].isin(_PARTNER_KINDS)]["actor_key"]
    add(partners, limit=len(chosen) + 8)
    add(hubs["actor_key"])
    core = set(chosen)
    ties: dict[str, int] = {}
    for key in core:
        for coop in nx.all_neighbors(G, key):
            if G.nodes[coop].get("kind") == NodeKind.COOPERATION.value:
                ties[coop] = ties.get(coop, 0) + 1
    tying = sorted((c for c, n in ties.items() if n >= 2), key=lambda c: (-ties[c], c))[:_COOPERATIONS]
    return [*chosen, *tying]
