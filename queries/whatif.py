"""What if a cooperation ended, or a new one started: the measures that would change.

A planner names cooperations to remove (by key or name) and pairings to add,
each written ``PARTY—UNIT:INDUSTRY`` (``上海市—文昌国际航天城:航天``; the dash
may also be ``->``, the colon full-width).  :func:`what_if` answers the
questions on a copy of the graph with those changes and lists every measure
that differs from today.  The stored graph is never touched.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from graph.errors import HainetError
from graph.names import folded, key_for_name
from graph.schema import PARTNER_KINDS, NodeKind, RelType
from graph.store import Store
from queries._facts import graph_of
from queries.gaps import industry_gaps
from queries.hubs import hub_scores, single_points_of_failure
from queries.needs import unmatched_needs

__all__ = ["WHATIF_COLUMNS", "WHATIF_MEASURES", "Pairing", "parse_pairing", "what_if", "whatif_graph"]

WHATIF_COLUMNS = ["measure", "subject", "before", "after", "change", "subject_key", "subject_name_en"]

#: The measures compared, in the order they are listed.
WHATIF_MEASURES = ("industry-status", "unmatched-count", "unmatched-need", "single-point-of-failure", "hub-rank")

#: Hubs whose rank is compared: those in the top this many before or after.
TOP_HUBS = 10

_PARTNER_LABELS = frozenset(kind.value for kind in PARTNER_KINDS)
_SPLIT = re.compile(r"\s*(?:—|－|->|→)\s*")
_COLON = re.compile(r"\s*[:：]\s*")


@dataclass(frozen=True)
class Pairing:
    """A cooperation to add: a partner serving a Hainan unit in an industry (all node keys)."""

    party: str
    unit: str
    industry: str


def parse_pairing(source: nx.MultiDiGraph | Store, text: str) -> Pairing:
    """Return the :class:`Pairing` written ``PARTY—UNIT:INDUSTRY``, each part a key or a name.

    Raises
    ------
    HainetError
        When the text is not of that form or a part names no node, or more than one.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> parse_pairing(example_graph(), "Shanghai—Haikou Hi-tech Zone：Biomedicine")
    Pairing(party='region:shanghai', unit='unit:haikou-hitech', industry='industry:biomedicine')
    """
    parts = _SPLIT.split(text.strip(), maxsplit=1)
    colons = list(_COLON.finditer(parts[1])) if len(parts) == 2 else []
    if not parts[0] or not colons:
        msg = f"{text!r} is not a pairing: write PARTY—UNIT:INDUSTRY, e.g. 上海市—文昌国际航天城:航天"
        raise HainetError(msg)
    party = _party(source, parts[0])
    # Keys hold colons too (unit:boao:industry:tourism): the last split that names a unit and an industry wins.
    error: HainetError | None = None
    for colon in reversed(colons):
        unit, industry = parts[1][: colon.start()], parts[1][colon.end() :]
        try:
            return Pairing(
                party,
                key_for_name(source, NodeKind.DEMAND_UNIT, unit),
                key_for_name(source, NodeKind.INDUSTRY, industry),
            )
        except HainetError as e:
            error = error or e
    assert error is not None
    raise error


def _party(source: nx.MultiDiGraph | Store, text: str) -> str:
    """Return the one region, park or department ``text`` names, a whole name before a part of one."""
    G = graph_of(source)
    wanted = folded(text)
    exact = sorted(
        key
        for key, attrs in G.nodes(data=True)
        if attrs.get("kind") in _PARTNER_LABELS
        and wanted in (key, folded(str(attrs.get("name_zh", ""))), folded(str(attrs.get("name_en", ""))))
    )
    if len(exact) == 1:
        return str(exact[0])
    found = []
    for kind in sorted(PARTNER_KINDS):
        with contextlib.suppress(HainetError):
            found.append(key_for_name(G, kind, text))
    if len(found) == 1:
        return found[0]
    msg = (
        f"{text!r} names no region, park or department"
        if not found
        else (f"{text!r} names several partners: {', '.join(found)}; give a key")
    )
    raise HainetError(msg)


def whatif_graph(
    source: nx.MultiDiGraph | Store, *, add: Iterable[Pairing] = (), remove: Iterable[str] = ()
) -> nx.MultiDiGraph:
    """Return a copy of the graph with the cooperations ``remove`` taken out and ``add`` put in.

    An added cooperation is active, ``user`` evidence, keyed
    ``coop:whatif-N`` and named after its parts.

    Raises
    ------
    HainetError
        When a cooperation to remove is not in the graph.
    """
    G = graph_of(source).copy()
    for text in remove:
        key = key_for_name(G, NodeKind.COOPERATION, text)
        G.remove_node(key)
    for number, pairing in enumerate(add, start=1):
        _add(G, f"coop:whatif-{number}", pairing)
    return G


def _add(G: nx.MultiDiGraph, key: str, p: Pairing) -> None:
    names = {
        lang: "—".join(str(G.nodes[k].get(f"name_{lang}") or k) for k in (p.party, p.unit)) for lang in ("zh", "en")
    }
    industry = {lang: G.nodes[p.industry].get(f"name_{lang}") or p.industry for lang in ("zh", "en")}
    provenance = {"provenance": "user", "basis": "what-if"}
    G.add_node(
        key,
        key=key,
        kind=NodeKind.COOPERATION.value,
        name_zh=f"{names['zh']}（{industry['zh']}，设想）",
        name_en=f"{names['en']} ({industry['en']}, what-if)",
        status="active",
        mode="one-to-one",
        **provenance,
    )
    rel = RelType.SUPPORTS if G.nodes[p.party].get("kind") == NodeKind.DEPARTMENT.value else RelType.PARTNER_IN
    for u, t, v in ((p.party, rel, key), (key, RelType.SERVES, p.unit), (key, RelType.IN_FIELD, p.industry)):
        G.add_edge(u, v, key=t.value, type=t.value, **provenance)


def what_if(
    source: nx.MultiDiGraph | Store,
    *,
    add: Sequence[Pairing | str] = (),
    remove: Sequence[str] = (),
    seed: int = 42,
) -> pd.DataFrame:
    """Return every measure that would change if ``remove`` ended and ``add`` started.

    Parameters
    ----------
    source
        The graph, or a store (read, never written).
    add
        Pairings to add, as :class:`Pairing` or ``PARTY—UNIT:INDUSTRY`` text.
    remove
        Cooperations to take out, by key or name.
    seed
        Seed of the hub scores' communities and sampling.

    Returns
    -------
    pandas.DataFrame
        One row per measure and subject that changes, in the order of
        :data:`WHATIF_MEASURES`, then by subject key, with columns:

        ``measure``
            ``industry-status`` (the coverage status of a needed industry),
            ``unmatched-count`` (how many needs are unmatched),
            ``unmatched-need`` (a need that becomes matched or unmatched),
            ``single-point-of-failure`` (the needs a partner alone holds up),
            ``hub-rank`` (rank by PageRank of an actor in the top ten).
        ``subject``
            What changes, by its Chinese name (``全部需求`` for the count).
        ``before``, ``after``
            The value today and with the changes (``None`` where absent).
        ``change``
            ``up`` or ``down`` for numbers, else ``changed``, ``added`` or ``removed``.
        ``subject_key``, ``subject_name_en``
            Its key and English name.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> rows = what_if(example_graph(), remove=["coop:tianfu-boao"])
    >>> rows[rows["measure"] == "unmatched-count"][["before", "after", "change"]].to_dict("records")
    [{'before': 3, 'after': 4, 'change': 'up'}]
    """
    G = graph_of(source)
    pairings = [p if isinstance(p, Pairing) else parse_pairing(G, p) for p in add]
    H = whatif_graph(G, add=pairings, remove=remove)
    rows = [
        *_compared("industry-status", _statuses(G), _statuses(H), G, H),
        *_compared("unmatched-count", {"*": len(_unmatched(G))}, {"*": len(_unmatched(H))}, G, H),
        *_compared("unmatched-need", _unmatched(G), _unmatched(H), G, H),
        *_compared("single-point-of-failure", _stranding(G), _stranding(H), G, H),
        *_compared("hub-rank", *_ranks(G, H, seed), G, H),
    ]
    return pd.DataFrame(rows, columns=WHATIF_COLUMNS, dtype=object)


def _statuses(G: nx.MultiDiGraph) -> dict[str, Any]:
    gaps = industry_gaps(G)
    return dict(zip(gaps["industry_key"], gaps["status"], strict=True))


def _unmatched(G: nx.MultiDiGraph) -> dict[str, Any]:
    return dict.fromkeys(unmatched_needs(G)["need_key"], "unmatched")


def _stranding(G: nx.MultiDiGraph) -> dict[str, Any]:
    spof = single_points_of_failure(G)
    return dict(zip(spof["actor_key"], spof["n_stranded"], strict=True))


def _ranks(G: nx.MultiDiGraph, H: nx.MultiDiGraph, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    before, after = ({k: i for i, k in enumerate(hub_scores(X, seed=seed)["actor_key"], 1)} for X in (G, H))
    top = {k for ranks in (before, after) for k, r in ranks.items() if r <= TOP_HUBS}
    return {k: before.get(k) for k in top}, {k: after.get(k) for k in top}


def _compared(
    measure: str, before: dict[str, Any], after: dict[str, Any], G: nx.MultiDiGraph, H: nx.MultiDiGraph
) -> list[dict[str, Any]]:
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = _plain(before.get(key)), _plain(after.get(key))
        if old == new:
            continue
        attrs = G.nodes[key] if key in G else H.nodes[key] if key in H else {}
        rows.append(
            {
                "measure": measure,
                "subject": attrs.get("name_zh", "全部需求"),
                "before": old,
                "after": new,
                "change": _change(measure, old, new),
                "subject_key": key,
                "subject_name_en": attrs.get("name_en", "all needs"),
            }
        )
    return rows


def _plain(value: Any) -> Any:
    return int(value) if hasattr(value, "item") and float(value).is_integer() else value


def _change(measure: str, old: Any, new: Any) -> str:
    if old is None:
        return "added"
    if new is None:
        return "removed"
    if isinstance(old, int) and isinstance(new, int) and measure != "hub-rank":
        return "up" if new > old else "down"
    if measure == "hub-rank":
        return "up" if new < old else "down"
    return "changed"
