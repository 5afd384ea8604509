"""Analysis columns for the nodes of an export, so that a Gephi user can colour the map by gap.

:func:`analysis_node_columns` gathers, per node, what the questions say
about it; :mod:`queries.cli` registers it with
:func:`graph.export.register_node_columns`, and ``hainet export
--with-analysis`` adds its columns to the nodes.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from queries.gaps import industry_gaps
from queries.hubs import hub_scores
from queries.needs import unmatched_needs

__all__ = ["ANALYSIS_COLUMNS", "analysis_node_columns"]

ANALYSIS_COLUMNS = [
    "pagerank",
    "community",
    "coverage_status",
    "n_partners",
    "single_partner",
    "unmatched_need",
    "unmatched_reason",
]


def analysis_node_columns(G: nx.MultiDiGraph, *, seed: int = 42) -> pd.DataFrame:
    """Return the analysis columns of the nodes of ``G``, indexed by node key.

    Parameters
    ----------
    G
        The graph, as exported.
    seed
        Seed of the community detection, as in :func:`~queries.hubs.hub_scores`.

    Returns
    -------
    pandas.DataFrame
        One row per node that some question speaks about, sorted by key, with columns:

        ``pagerank``, ``community``
            For actors: their PageRank and community in the cooperation
            network (:func:`~queries.hubs.hub_scores`).
        ``coverage_status``
            For needed industries: the status of
            :func:`~queries.gaps.industry_gaps` (``uncovered``,
            ``covered-via-subfield``, ``single-partner``, ``covered``); for
            needs: the status of :func:`~queries.needs.unmatched_needs`
            (``uncovered``, ``covered-via-subfield``), else ``covered``.
        ``n_partners``
            For needed industries: how many partners cover them.
        ``single_partner``
            For needed industries: whether one partner's withdrawal would
            uncover them (status ``single-partner``).
        ``unmatched_need``, ``unmatched_reason``
            For needs: whether :func:`~queries.needs.unmatched_needs` lists
            it, and its ``missing`` code (what it lacks).

        Cells that do not apply to a node are missing (NaN).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> columns = analysis_node_columns(example_graph())
    >>> print(columns.loc[["industry:tourism", "need:boao:tourism"], ["coverage_status", "n_partners",
    ...                                                              "unmatched_need"]].to_string())
                      coverage_status  n_partners  unmatched_need
    industry:tourism        uncovered           0            <NA>
    need:boao:tourism       uncovered        <NA>            True
    """
    rows: dict[str, dict[str, object]] = {}
    hubs = hub_scores(G, seed=seed)
    for actor, pagerank, community in zip(hubs["actor_key"], hubs["pagerank"], hubs["community"], strict=True):
        rows.setdefault(actor, {}).update(pagerank=float(pagerank), community=int(community))
    gaps = industry_gaps(G)
    for industry, status, n_partners in zip(gaps["industry_key"], gaps["status"], gaps["n_partners"], strict=True):
        rows.setdefault(industry, {}).update(
            coverage_status=str(status), n_partners=int(n_partners), single_partner=status == "single-partner"
        )
    unmatched = unmatched_needs(G)
    statuses = dict(zip(unmatched["need_key"], unmatched["status"], strict=True))
    missing = dict(zip(unmatched["need_key"], unmatched["missing"], strict=True))
    for key, kind in sorted(G.nodes(data="kind")):
        if kind == "Need":
            rows.setdefault(key, {}).update(
                coverage_status=str(statuses.get(key, "covered")),
                unmatched_need=key in statuses,
                unmatched_reason=str(missing[key]) if key in missing else None,
            )
    frame = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=ANALYSIS_COLUMNS)
    # Nullable types keep whole numbers and flags as they are where other rows have no value.
    frame = frame.astype(
        {
            "pagerank": "Float64",
            "community": "Int64",
            "n_partners": "Int64",
            "single_partner": "boolean",
            "unmatched_need": "boolean",
        }
    )
    return frame.sort_index()
