"""Graph algorithms' input taken in the server: the actor projection in one Cypher query.

Hub scores need only the *actor projection*: the regions, parks,
departments and demand units, tied by the live cooperations they share
(see :mod:`queries.hubs`).  On a server, :func:`actor_projection_rows`
asks for exactly that sub-graph, weights counted in the server, instead of
pulling the whole graph into Python.  This is what works where Neo4j Graph
Data Science is absent, as on Aura Free.

Labels and relationship types come from the schema enums; the live
statuses travel as a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from graph.runner import CypherRunner
from graph.schema import NodeKind, RelType

__all__ = ["ACTOR_PROJECTION", "actor_projection_rows"]

_PARTNER_LABELS = f"{NodeKind.REGION.value}|{NodeKind.PARK.value}|{NodeKind.DEPARTMENT.value}"
_ACTOR_LABELS = f"{_PARTNER_LABELS}|{NodeKind.DEMAND_UNIT.value}"

#: Every actor, and the members of every live cooperation; one query, in key order so that the same
#: graph always gives the same answer.  A member of a cooperation is a
#: region, park or department that is PARTNER_IN it or SUPPORTS it, or a demand unit it SERVES.
ACTOR_PROJECTION = f"""
CALL () {{
  MATCH (a:{_ACTOR_LABELS})
  WITH a ORDER BY a.key
  RETURN collect([a.key, labels(a), a.name_zh, a.name_en]) AS actors
}}
CALL () {{
  MATCH (c:{NodeKind.COOPERATION.value}) WHERE c.status IN $live
  CALL (c) {{
    MATCH (p:{_PARTNER_LABELS})-[:{RelType.PARTNER_IN.value}|{RelType.SUPPORTS.value}]->(c) RETURN p AS member
    UNION
    MATCH (c)-[:{RelType.SERVES.value}]->(u:{NodeKind.DEMAND_UNIT.value}) RETURN u AS member
  }}
  WITH c, member.key AS member ORDER BY c.key, member
  WITH c, collect(member) AS members ORDER BY c.key
  RETURN collect(members) AS groups
}}
RETURN actors, groups
"""

_KIND_OF_LABEL = {kind.value: kind.value for kind in NodeKind}


def actor_projection_rows(
    runner: CypherRunner, *, live: Sequence[str]
) -> tuple[list[tuple[str, str, str, str, int]], list[tuple[str, str, int]]]:
    """Return the actors and the weighted ties of the actor projection, computed in the server.

    Parameters
    ----------
    runner
        A server store, or a replay of one.
    live
        The statuses of a live cooperation.

    Returns
    -------
    tuple
        ``(actors, ties)``: actors as ``(key, kind, name_zh, name_en,
        n_cooperations)`` sorted by key; ties as ``(u, v, weight)`` with
        ``u < v``, sorted, ``weight`` the number of live cooperations the two
        share.
    """
    [row] = runner.run(ACTOR_PROJECTION, {"live": list(live)})
    n_cooperations: dict[str, int] = {}
    weights: dict[tuple[str, str], int] = {}
    for members in row["groups"]:
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            n_cooperations[a] = n_cooperations.get(a, 0) + 1
            for b in ordered[i + 1:]:
                weights[a, b] = weights.get((a, b), 0) + 1
    actors = sorted(
        (key, next(label for label in labels if label in _KIND_OF_LABEL), zh, en, n_cooperations.get(key, 0))
        for key, labels, zh, en in row["actors"]
    )
    ties = sorted(((u, v, w) for (u, v), w in weights.items()), key=itemgetter(0, 1))
    return actors, ties
