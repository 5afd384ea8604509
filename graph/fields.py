"""The industry roll-up: which industries are sub-fields of which.

An industry is a *sub-field* of another when it is ``PART_OF`` it, at any
depth (``Industry -[:PART_OF*]-> Industry``).  Work in a sub-field counts
for its parent fields: a cooperation in 医疗旅游 is about 旅游业 when the
graph says the one is part of the other.  This module is the one place
that rule is written; the questions (:mod:`queries`), the map's industry
view and its in-page industry filter all call it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import networkx as nx

from graph.schema import NodeKind, RelType

__all__ = [
    "industry_parents",
    "rolled_up",
    "subfields",
    "superfields",
    "superfields_from_parents",
]

_INDUSTRY = NodeKind.INDUSTRY.value
_PART_OF = RelType.PART_OF.value


def industry_parents(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Return industry -> the industries it is directly ``PART_OF``.

    Only ``PART_OF`` relationships between two industries count.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for k in ("industry:a", "industry:b"):
    ...     G.add_node(k, kind="Industry")
    >>> _ = G.add_edge("industry:b", "industry:a", key="PART_OF")
    >>> dict(industry_parents(G))
    {'industry:b': {'industry:a'}}
    """
    kinds = G.nodes(data="kind")
    parents: dict[str, set[str]] = defaultdict(set)
    for u, v, rel in G.edges(keys=True):
        if rel == _PART_OF and kinds[u] == _INDUSTRY and kinds[v] == _INDUSTRY:
            parents[u].add(v)
    return parents


def superfields_from_parents(industries: Iterable[str], parents: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """Return industry -> itself and every industry it is part of, at any depth.

    A ``PART_OF`` cycle does not hang: every industry is visited once.

    Examples
    --------
    >>> up = superfields_from_parents(["c", "b", "a"], {"c": ["b"], "b": ["a"], "a": ["c"]})
    >>> sorted(up["c"])
    ['a', 'b', 'c']
    """
    out = {}
    for start in industries:
        seen = {start}
        stack = [start]
        while stack:
            for nxt in parents.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        out[start] = seen
    return out


def superfields(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Return industry -> itself and every industry it is ``PART_OF``, at any depth.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for k in ("industry:a", "industry:b", "industry:c"):
    ...     G.add_node(k, kind="Industry")
    >>> _ = G.add_edge("industry:c", "industry:b", key="PART_OF")
    >>> _ = G.add_edge("industry:b", "industry:a", key="PART_OF")
    >>> sorted(superfields(G)["industry:c"])
    ['industry:a', 'industry:b', 'industry:c']
    """
    industries = sorted(k for k, kind in G.nodes(data="kind") if kind == _INDUSTRY)
    return superfields_from_parents(industries, industry_parents(G))


def subfields(G: nx.MultiDiGraph, industry: str) -> set[str]:
    """Return ``industry`` and every industry ``PART_OF`` it, at any depth.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for k in ("industry:a", "industry:b", "industry:c"):
    ...     G.add_node(k, kind="Industry")
    >>> _ = G.add_edge("industry:c", "industry:b", key="PART_OF")
    >>> _ = G.add_edge("industry:b", "industry:a", key="PART_OF")
    >>> sorted(subfields(G, "industry:b"))
    ['industry:b', 'industry:c']
    """
    return {i for i, ups in superfields(G).items() if industry in ups} | {industry}


def rolled_up(industries: Iterable[str], up: Mapping[str, set[str]]) -> set[str]:
    """Return ``industries`` with every field they are part of: what work in them is about.

    ``up`` is the mapping of :func:`superfields`; an industry missing from
    it stands for itself.

    Examples
    --------
    >>> sorted(rolled_up(["b"], {"b": {"a", "b"}}))
    ['a', 'b']
    """
    out: set[str] = set()
    for industry in industries:
        out |= up.get(industry, {industry})
    return out
