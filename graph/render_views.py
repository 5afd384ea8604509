"""Views of a graph for a map: one industry, the ties of one node, a query result."""

from __future__ import annotations

from collections.abc import Collection, Iterable

import networkx as nx
import pandas as pd

from graph.errors import HainetError
from graph.fields import subfields
from graph.names import key_for_name
from graph.schema import NodeKind, RelType

__all__ = ["ego_subgraph", "industry_subgraph", "keys_from", "subgraph_from_keys"]

#: Kinds that are bookkeeping rather than actors: not sized by centrality.
_META_KINDS = frozenset({NodeKind.MECHANISM.value, NodeKind.SOURCE.value})

#: Kinds a BFS around a focus does not walk through: they tie everything to everything.
_HUB_KINDS = _META_KINDS


def _find_node(G: nx.MultiDiGraph, ref: str, kinds: Collection[str] | None = None) -> str:
    """Return the key of the node named ``ref`` (a key, a Chinese or an English name).

    Names resolve as on the command line (:func:`graph.names.key_for_name`):
    folded, and a part of one name is enough.  Without ``kinds`` every kind
    is tried, and the name must pick one node across them all.
    """
    if ref in G and (kinds is None or G.nodes[ref].get("kind") in kinds):
        return ref
    known = {str(a.get("kind")) for _, a in G.nodes(data=True)} & {k.value for k in NodeKind}
    tried = sorted(set(kinds) & known if kinds is not None else known)
    found: list[str] = []
    problems: list[HainetError] = []
    for kind in tried:
        try:
            found.append(key_for_name(G, NodeKind(kind), ref))
        except HainetError as e:
            problems.append(e)
    if len(found) == 1:
        return found[0]
    if found:
        msg = f"{ref!r} names {len(found)} nodes of different kinds ({', '.join(found[:5])}): give a key"
        raise HainetError(msg)
    ambiguous = [e for e in problems if "give a key" in str(e)]
    if ambiguous:
        raise ambiguous[0]
    what = "/".join(sorted(kinds)) if kinds else "node"
    msg = f"no {what} node has the key or name {ref!r}"
    raise HainetError(msg)


def industry_subgraph(G: nx.MultiDiGraph, industry: str) -> nx.MultiDiGraph:
    """Return the part of ``G`` about one industry.

    That is the industry and its sub-industries (``PART_OF`` it, at any
    depth), their cooperations and needs (``IN_FIELD`` them), the
    partners of those cooperations (``PARTNER_IN`` and ``SUPPORTS``), the
    demand units they serve or that have the needs, and the actors that
    specialise in or handle the industry.

    Parameters
    ----------
    G
        The graph, as from :func:`graph.store.graph_from_store`.
    industry
        The industry's key, or its Chinese or English name.

    Returns
    -------
    nx.MultiDiGraph
        A copy of the induced subgraph.

    Raises
    ------
    HainetError
        When no industry, or more than one, has that key or name.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("industry:t", kind="Industry", name_zh="旅游业", name_en="Tourism")
    >>> G.add_node("coop:a", kind="Cooperation", name_zh="合作", name_en="A")
    >>> G.add_node("region:s", kind="Region", name_zh="上海市", name_en="Shanghai")
    >>> G.add_node("region:x", kind="Region", name_zh="某地", name_en="X")
    >>> for u, t, v in [("coop:a", "IN_FIELD", "industry:t"), ("region:s", "PARTNER_IN", "coop:a")]:
    ...     _ = G.add_edge(u, v, key=t, type=t)
    >>> sorted(industry_subgraph(G, "Tourism"))
    ['coop:a', 'industry:t', 'region:s']
    """
    key = _find_node(G, industry, {NodeKind.INDUSTRY.value})
    fields = subfields(G, key)
    keep = set(fields)
    partner_types = {RelType.PARTNER_IN.value, RelType.SUPPORTS.value}
    for u, _, rel in G.in_edges(sorted(fields), keys=True):
        keep.add(u)
        kind = G.nodes[u].get("kind")
        if rel == RelType.IN_FIELD.value and kind == NodeKind.COOPERATION.value:
            for p, _, prel in G.in_edges(u, keys=True):
                if prel in partner_types:
                    keep.add(p)
            for _, unit, srel in G.out_edges(u, keys=True):
                if srel == RelType.SERVES.value:
                    keep.add(unit)
        elif rel == RelType.IN_FIELD.value and kind == NodeKind.NEED.value:
            for unit, _, hrel in G.in_edges(u, keys=True):
                if hrel == RelType.HAS_NEED.value:
                    keep.add(unit)
    return nx.MultiDiGraph(G.subgraph(keep))


def ego_subgraph(G: nx.MultiDiGraph, focus: str, *, radius: int = 2) -> nx.MultiDiGraph:
    """Return the ties of one node: everything within ``radius`` steps of it.

    Steps follow relationships in either direction but never pass through a
    mechanism or source node, which tie every actor to every other.

    Parameters
    ----------
    G
        The graph.
    focus
        The node's key, or its Chinese or English name.
    radius
        How many steps away a node may be; at least 1.

    Returns
    -------
    nx.MultiDiGraph
        A copy of the induced subgraph.

    Raises
    ------
    HainetError
        When ``focus`` names no node, or several, or ``radius`` is below 1.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for k in ["region:a", "coop:1", "unit:u", "mech:m", "region:b"]:
    ...     G.add_node(k, kind={"region": "Region", "coop": "Cooperation", "unit": "DemandUnit",
    ...                         "mech": "Mechanism"}[k.split(":")[0]], name_zh=k, name_en=k)
    >>> for u, t, v in [("region:a", "PARTNER_IN", "coop:1"), ("coop:1", "SERVES", "unit:u"),
    ...                 ("region:a", "MEMBER_OF", "mech:m"), ("region:b", "MEMBER_OF", "mech:m")]:
    ...     _ = G.add_edge(u, v, key=t, type=t)
    >>> sorted(ego_subgraph(G, "region:a"))
    ['coop:1', 'mech:m', 'region:a', 'unit:u']
    """
    if radius < 1:
        msg = f"radius must be at least 1, not {radius}"
        raise HainetError(msg)
    start = _find_node(G, focus)
    seen = {start}
    frontier = [start]
    for _ in range(radius):
        following: list[str] = []
        for node in frontier:
            if node != start and G.nodes[node].get("kind") in _HUB_KINDS:
                continue
            for other in sorted(set(G.successors(node)) | set(G.predecessors(node))):
                if other not in seen:
                    seen.add(other)
                    following.append(other)
        frontier = following
    return nx.MultiDiGraph(G.subgraph(seen))


def keys_from(result: pd.DataFrame | Iterable[str]) -> list[str]:
    """Return the node keys a query result names, in first-seen order.

    A DataFrame names its keys in the columns called ``key`` or ending in
    ``_key`` (``need_key``, ``partner_key``, ...), read row by row, left to
    right; any other iterable is taken as keys.

    Examples
    --------
    >>> frame = pd.DataFrame({"need_key": ["need:a", "need:b"], "partner_key": ["region:s", "region:s"],
    ...                       "score": [0.5, 0.25]})
    >>> keys_from(frame)
    ['need:a', 'region:s', 'need:b']
    >>> keys_from({"region:b", "region:a"})
    ['region:a', 'region:b']
    """
    if isinstance(result, pd.DataFrame):
        columns = [c for c in result.columns if str(c) == "key" or str(c).endswith("_key")]
        if not columns:
            msg = f"the result has no key column (key or *_key) among {[str(c) for c in result.columns]}"
            raise HainetError(msg)
        values = result[columns].to_numpy().ravel().tolist()
    elif isinstance(result, set | frozenset):
        values = sorted(result)
    else:
        values = list(result)
    return list(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v))


def subgraph_from_keys(G: nx.MultiDiGraph, keys: pd.DataFrame | Iterable[str]) -> nx.MultiDiGraph:
    """Return the subgraph of ``G`` induced by the nodes a query result names.

    Parameters
    ----------
    G
        The graph.
    keys
        A set or list of node keys, or a DataFrame read with :func:`keys_from`.
        Keys that are not in ``G`` are left out.

    Returns
    -------
    nx.MultiDiGraph
        A copy of the induced subgraph.

    Raises
    ------
    HainetError
        When none of the keys is a node of ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> sorted(subgraph_from_keys(G, ["a", "b", "zz"]).edges())
    [('a', 'b')]
    """
    wanted = [k for k in keys_from(keys) if k in G]
    if not wanted:
        msg = "none of the keys of the query result is a node of the graph"
        raise HainetError(msg)
    return nx.MultiDiGraph(G.subgraph(wanted))
