"""What changed between two dates, or between two graphs: the annual meeting's 年度变化.

:func:`graph_changes` compares two graphs: cooperations added, ended or
changed in status; partners and fields added; needs newly covered or
uncovered; hubs rising and falling.  :func:`changes_between` takes one
graph on two dates (:func:`graph.timeline.graph_as_of`), and
:func:`network_by_year` measures the whole network at the end of each year.

The rules, each written once:

* a cooperation is *added* when it is in the later graph only, *ended* when
  it is in the earlier graph only or its status became ``ended``, and
  *changed* when its status is otherwise different;
* a *partner* is a region, park or department that is ``PARTNER_IN`` or
  ``SUPPORTS`` a cooperation; it is *added* when it is a partner in the
  later graph only; a *field* is an industry a cooperation is ``IN_FIELD``,
  added likewise; any other region, park or department is *added* or
  *ended* when it exists in one graph only (a department reorganised away,
  its successor);
* a need is *newly covered* when :func:`queries.needs.unmatched_needs`
  lists it in the earlier graph and not in the later one (where it still
  exists), and *newly uncovered* the other way round;
* a hub *rises* or *falls* when its rank by PageRank
  (:func:`queries.hubs.hub_scores`) changed and it is among the top
  ``hubs_top`` on either side; an actor absent on one side has no rank there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import networkx as nx
import pandas as pd

from graph.evidence import fact_level, weakest
from graph.labels import label
from graph.schema import PROVENANCE_FIELDS, NodeKind, RelType
from graph.store import Store
from graph.timeline import as_of_date, graph_as_of, history_of
from queries._facts import PARTNER_LABELS, frame_from_rows, graph_of
from queries.hubs import hub_scores
from queries.needs import unmatched_needs

__all__ = [
    "CHANGES",
    "CHANGE_LABELS",
    "DIFF_COLUMNS",
    "NETWORK_COLUMNS",
    "changes_between",
    "changes_table",
    "detail_text",
    "diff_highlights",
    "graph_changes",
    "network_by_year",
]

DIFF_COLUMNS = ["change", "kind", "key", "name_zh", "name_en", "evidence", "date", "detail", "document"]

NETWORK_COLUMNS = [
    "year",
    "nodes",
    "relationships",
    "density",
    "mean_degree",
    "clustering",
    "components",
    "path_length",
]

#: The values of ``change``, in the order rows are listed.
CHANGES = ("added", "ended", "changed", "newly-covered", "newly-uncovered", "rising", "falling")

#: The values of ``change`` in words, Chinese and English.
CHANGE_LABELS: dict[str, tuple[str, str]] = {
    "added": ("新增", "added"),
    "ended": ("终止", "ended"),
    "changed": ("状态变化", "status changed"),
    "newly-covered": ("新覆盖需求", "newly covered need"),
    "newly-uncovered": ("新出现未覆盖需求", "newly uncovered need"),
    "rising": ("枢纽地位上升", "hub rising"),
    "falling": ("枢纽地位下降", "hub falling"),
}

#: The changes a map colours, in this order.
_MAP_CHANGES = ("added", "ended", "changed")

#: Kinds that are records about the network rather than part of it.
_NOT_NETWORK = frozenset({"Monitoring"})
_DOCUMENT = PROVENANCE_FIELDS[-1]
_PARTNER_RELS = frozenset({RelType.PARTNER_IN.value, RelType.SUPPORTS.value})


def graph_changes(
    before: nx.MultiDiGraph | Store,
    after: nx.MultiDiGraph | Store,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    hubs_top: int = 10,
) -> pd.DataFrame:
    """Return what changed from the graph ``before`` to the graph ``after``.

    Parameters
    ----------
    before, after
        The two graphs, or stores.
    since, until
        When the two graphs stand (if known): a change is dated by the
        latest entry of its cooperation's history in ``(since, until]``.
    hubs_top
        Hubs are compared among the top this many on either side.

    Returns
    -------
    pandas.DataFrame
        One row per change, by :data:`CHANGES` order then kind and key, with
        columns:

        ``change``
            One of :data:`CHANGES`.
        ``kind``
            The kind of what changed: ``Cooperation``, ``Region``, ``Park``,
            ``Department``, ``Industry``, ``Need`` or ``DemandUnit``.
        ``key``, ``name_zh``, ``name_en``
            What changed.
        ``evidence``
            The evidence level (``provenance``) of the fact that changed, as
            the later graph has it (the earlier one for what is gone).
        ``date``
            When it changed (``YYYY-MM-DD`` or ``YYYY``), or empty when unknown.
        ``detail``
            What changed, in short: ``planned → active``, ``rank 7 → 3``,
            the cooperations that cover a need.
        ``document``
            Where the fact is recorded (a document or an address).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> G = example_graph()
    >>> H = G.copy()
    >>> H.nodes["coop:tianfu-boao"]["status"] = "ended"
    >>> graph_changes(G, H)[["change", "key", "detail"]].head(1).to_dict("records")
    [{'change': 'ended', 'key': 'coop:tianfu-boao', 'detail': 'active → ended'}]
    """
    old, new = graph_of(before), graph_of(after)
    rows = _cooperation_rows(old, new, since, until)
    rows += _partner_and_field_rows(old, new, since, until)
    rows += _need_rows(old, new)
    rows += _hub_rows(old, new, hubs_top)
    order = {change: i for i, change in enumerate(CHANGES)}
    frame = frame_from_rows(rows, DIFF_COLUMNS, sort_by=["kind", "key"])
    if frame.empty:
        return frame
    frame = frame.sort_values(by="change", key=lambda s: s.map(order), kind="stable")
    return frame.reset_index(drop=True)


def changes_between(
    source: nx.MultiDiGraph | Store,
    since: str | int | dt.date,
    until: str | int | dt.date | None = None,
    *,
    hubs_top: int = 10,
) -> pd.DataFrame:
    """Return what changed in ``source`` from the date ``since`` to ``until`` (default today).

    A year stands for its last day.  The columns are those of :func:`graph_changes`.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> changes_between(example_graph(), "2020-12-31", "2025-12-31").empty
    True
    """
    G = graph_of(source)
    start, stop = as_of_date(since, end=True), as_of_date(until, end=True)
    return graph_changes(graph_as_of(G, start), graph_as_of(G, stop), since=start, until=stop, hubs_top=hubs_top)


def network_by_year(source: nx.MultiDiGraph | Store, first: int, last: int) -> pd.DataFrame:
    """Return measures of the whole network at the end of each year from ``first`` to ``last``.

    The network is the graph on 31 December of the year, monitoring records
    aside.  Density, mean degree, clustering and components are taken on its
    undirected simple graph (a pair of nodes is tied when any relationship
    joins them).

    Returns
    -------
    pandas.DataFrame
        One row per year, with columns:

        ``year``
            The year.
        ``nodes``, ``relationships``
            How many there were.
        ``density``
            Ties over possible ties (``networkx.density``).
        ``mean_degree``
            Mean number of nodes a node is tied to.
        ``clustering``
            Mean local clustering coefficient (``networkx.average_clustering``).
        ``components``
            Connected components.
        ``path_length``
            Average shortest-path length (hops) within the largest
            component (``networkx.average_shortest_path_length``).

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> network_by_year(example_graph(), 2020, 2021)[["year", "nodes", "components"]].values.tolist()
    [[2020, 21, 2], [2021, 21, 2]]
    """
    G = graph_of(source)
    rows = []
    for year in range(first, last + 1):
        H = graph_as_of(G, year)
        H.remove_nodes_from([n for n, kind in H.nodes(data="kind") if kind in _NOT_NETWORK])
        U = nx.Graph(H.to_undirected(as_view=True))
        n = U.number_of_nodes()
        rows.append(
            {
                "year": year,
                "nodes": n,
                "relationships": H.number_of_edges(),
                "density": float(nx.density(U)) if n > 1 else 0.0,
                "mean_degree": 2 * U.number_of_edges() / n if n else 0.0,
                "clustering": float(nx.average_clustering(U)) if n else 0.0,
                "components": nx.number_connected_components(U) if n else 0,
                "path_length": _largest_component_path_length(U),
            }
        )
    return pd.DataFrame(rows, columns=NETWORK_COLUMNS)


def _largest_component_path_length(U: nx.Graph) -> float:
    if U.number_of_nodes() < 2:
        return 0.0
    largest = U.subgraph(max(nx.connected_components(U), key=len))
    return float(nx.average_shortest_path_length(largest)) if largest.number_of_nodes() > 1 else 0.0


def _row(change: str, key: str, attrs: Mapping[str, Any], date: str = "", detail: str = "") -> dict[str, Any]:
    return {
        "change": change,
        "kind": attrs.get("kind", ""),
        "key": key,
        "name_zh": attrs.get("name_zh", ""),
        "name_en": attrs.get("name_en", ""),
        "evidence": attrs.get("provenance", ""),
        "date": date,
        "detail": detail,
        "document": attrs.get(_DOCUMENT, ""),
    }


def _within(day: str, since: dt.date | None, until: dt.date | None) -> bool:
    when = as_of_date(day, end=True)
    return (since is None or when > since) and (until is None or when <= until)


def _started(attrs: Mapping[str, Any]) -> str:
    history = history_of(attrs)
    if history:
        return str(history[0]["date"])
    return str(attrs.get("valid_from") or attrs.get("year") or "")


def _changed_on(attrs: Mapping[str, Any], since: dt.date | None, until: dt.date | None) -> str:
    dates = [str(e["date"]) for e in history_of(attrs) if _within(str(e["date"]), since, until)]
    if dates:
        return dates[-1]
    return str(attrs.get("valid_to") or "")


def _cooperations(G: nx.MultiDiGraph) -> dict[str, Mapping[str, Any]]:
    return {k: a for k, a in G.nodes(data=True) if a.get("kind") == NodeKind.COOPERATION.value}


def _cooperation_rows(
    old: nx.MultiDiGraph, new: nx.MultiDiGraph, since: dt.date | None, until: dt.date | None
) -> list[dict[str, Any]]:
    before, after = _cooperations(old), _cooperations(new)
    rows = []
    for key, attrs in after.items():
        if key not in before:
            rows.append(_row("added", key, attrs, _started(attrs), f"{attrs.get('status', '')}"))
            continue
        was, now = before[key].get("status"), attrs.get("status")
        if was != now:
            change = "ended" if now == "ended" else "changed"
            rows.append(_row(change, key, attrs, _changed_on(attrs, since, until), f"{was} → {now}"))
    for key, attrs in before.items():
        if key not in after:
            rows.append(_row("ended", key, attrs, str(attrs.get("valid_to") or ""), f"{attrs.get('status')} → —"))
    return rows


def _partners(G: nx.MultiDiGraph) -> set[str]:
    return {u for u, _, t in G.edges(data="type") if t in _PARTNER_RELS and G.nodes[u].get("kind") in PARTNER_LABELS}


def _fields(G: nx.MultiDiGraph) -> set[str]:
    return {
        v
        for u, v, t in G.edges(data="type")
        if t == RelType.IN_FIELD.value and G.nodes[u].get("kind") == NodeKind.COOPERATION.value
    }


def _partner_and_field_rows(
    old: nx.MultiDiGraph, new: nx.MultiDiGraph, since: dt.date | None, until: dt.date | None
) -> list[dict[str, Any]]:
    rows = []
    for found, what in ((_partners, "partner"), (_fields, "field")):
        for key in sorted(found(new) - found(old)):
            attrs = new.nodes[key]
            coops = _linked_cooperations(new, key, what) - set(_cooperations(old))
            date = max((_started(new.nodes[c]) for c in coops), default="") or str(attrs.get("valid_from") or "")
            names = "、".join(str(new.nodes[c].get("name_zh", c)) for c in sorted(coops))
            detail = f"new {what}" + (f": {names}" if names else "")
            rows.append(_row("added", key, attrs, date, detail))
    listed = {row["key"] for row in rows}
    actors = {k for k, kind in new.nodes(data="kind") if kind in PARTNER_LABELS}
    earlier = {k for k, kind in old.nodes(data="kind") if kind in PARTNER_LABELS}
    for key in sorted(actors - earlier - listed):
        rows.append(_row("added", key, new.nodes[key], str(new.nodes[key].get("valid_from") or ""), "new"))
    for key in sorted(earlier - actors):
        rows.append(_ended_row(key, old.nodes[key]))
    return rows


def _ended_row(key: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """Row of a node that no longer exists; an end with its own source is a reported fact."""
    row = _row("ended", key, attrs, str(attrs.get("valid_to") or ""), "no longer exists")
    if attrs.get("valid_to_document"):
        row["document"] = attrs["valid_to_document"]
        row["evidence"] = weakest([fact_level(attrs), "reported"])
    return row


def _linked_cooperations(G: nx.MultiDiGraph, key: str, what: str) -> set[str]:
    if what == "partner":
        return {v for _, v, t in G.out_edges(key, data="type") if t in _PARTNER_RELS}
    return {
        u
        for u, _, t in G.in_edges(key, data="type")
        if t == RelType.IN_FIELD.value and G.nodes[u].get("kind") == NodeKind.COOPERATION.value
    }


def _need_rows(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> list[dict[str, Any]]:
    unmatched_old = set(unmatched_needs(old)["need_key"]) if old.number_of_nodes() else set()
    unmatched_new = set(unmatched_needs(new)["need_key"]) if new.number_of_nodes() else set()
    rows = []
    for key in sorted((unmatched_old - unmatched_new) & set(new)):
        rows.append(_row("newly-covered", key, new.nodes[key], detail=_covering(new, key)))
    for key in sorted((unmatched_new - unmatched_old) & set(old)):
        rows.append(_row("newly-uncovered", key, new.nodes[key], detail=_covering(old, key)))
    return rows


def _covering(G: nx.MultiDiGraph, need: str) -> str:
    """Name the live cooperations that serve the need's unit in its field, as the detail of a need row."""
    units = {u for u, _, t in G.in_edges(need, data="type") if t == RelType.HAS_NEED.value}
    fields = {v for _, v, t in G.out_edges(need, data="type") if t == RelType.IN_FIELD.value}
    coops = sorted(
        c
        for c, a in _cooperations(G).items()
        if any(v in units for _, v, t in G.out_edges(c, data="type") if t == RelType.SERVES.value)
        and any(v in fields for _, v, t in G.out_edges(c, data="type") if t == RelType.IN_FIELD.value)
    )
    return "、".join(f"{G.nodes[c].get('name_zh', c)}（{G.nodes[c].get('status', '')}）" for c in coops)


def _ranks(G: nx.MultiDiGraph) -> dict[str, int]:
    if not G.number_of_nodes():
        return {}
    frame = hub_scores(G)
    return {str(key): rank for rank, key in enumerate(frame["actor_key"], start=1)}


def _hub_rows(old: nx.MultiDiGraph, new: nx.MultiDiGraph, top: int) -> list[dict[str, Any]]:
    before, after = _ranks(old), _ranks(new)
    rows = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key), after.get(key)
        if was == now or min(was or top + 1, now or top + 1) > top:
            continue
        rising = now is not None and (was is None or now < was)
        attrs = new.nodes[key] if key in new else old.nodes[key]
        detail = f"rank {was or '—'} → {now or '—'}"
        rows.append(_row("rising" if rising else "falling", key, attrs, detail=detail))
    return rows


def diff_highlights(changes: pd.DataFrame, *, lang: str = "zh") -> dict[str, list[str]]:
    """Return the keys a map colours for ``changes``: added, ended and changed, by their labels.

    Pass the result as ``highlight`` to :func:`graph.render.network_map`
    drawn on the later graph.  A category with no key is left out.

    Examples
    --------
    >>> frame = pd.DataFrame({"change": ["added", "rising", "ended"], "key": ["coop:a", "region:b", "coop:c"]})
    >>> diff_highlights(frame, lang="en")
    {'added': ['coop:a'], 'ended': ['coop:c']}
    """
    index = 0 if lang == "zh" else 1
    out = {}
    for change in _MAP_CHANGES:
        keys = sorted(set(changes.loc[changes["change"] == change, "key"])) if not changes.empty else []
        if keys:
            out[CHANGE_LABELS[change][index]] = keys
    return out


_DETAIL_WORDS = {
    "new": ("新出现", "new"),
    "no longer exists": ("不复存在", "no longer exists"),
    "new partner": ("新合作伙伴", "new partner"),
    "new field": ("新领域", "new field"),
}


def detail_text(detail: str, lang: str = "zh") -> str:
    """Return a change's ``detail`` in ``lang``: statuses through the label table, fixed phrases translated.

    Examples
    --------
    >>> detail_text("planned → active"), detail_text("new partner: 甲合作"), detail_text("rank 3 → 1")
    ('计划中 → 进行中', '新合作伙伴：甲合作', '排名 3 → 1')
    """
    index = 0 if lang == "zh" else 1
    head, _, rest = detail.partition(": ")
    if head in _DETAIL_WORDS:
        return _DETAIL_WORDS[head][index] + (("：" if index == 0 else ": ") + rest if rest else "")
    if detail.startswith("rank "):
        return ("排名 " if index == 0 else "rank ") + detail[len("rank ") :]
    return " → ".join(label(part, lang) if part != "—" else part for part in detail.split(" → "))


def changes_table(changes: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """Return ``changes`` as a report shows them (年度变化): the change in words, then the facts.

    Returns
    -------
    pandas.DataFrame
        One row per change, in the order of ``changes``, with columns
        ``change`` (in words), ``name`` (Chinese or English name, by
        ``lang``), ``kind``, ``evidence``, ``date``, ``detail`` and ``document``.

    Examples
    --------
    >>> frame = pd.DataFrame([{"change": "added", "kind": "Cooperation", "key": "coop:a", "name_zh": "甲",
    ...                        "name_en": "A", "evidence": "reported", "date": "2025-11-20", "detail": "planned",
    ...                        "document": "https://example.org"}])
    >>> changes_table(frame).iloc[0][["change", "name"]].tolist()
    ['新增', '甲']
    """
    index = 0 if lang == "zh" else 1
    columns = ["change", "name", "kind", "evidence", "date", "detail", "document"]
    rows = [
        {
            "change": CHANGE_LABELS[row["change"]][index],
            "name": row["name_zh" if index == 0 else "name_en"],
            "kind": row["kind"],
            "evidence": row["evidence"],
            "date": row["date"],
            "detail": detail_text(str(row["detail"] or ""), lang),
            "document": row["document"],
        }
        for row in changes.to_dict("records")
    ]
    return pd.DataFrame(rows, columns=columns)
