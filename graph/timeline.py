"""Time on facts: validity ranges, status histories, and the graph as it stood on a date.

A node or relationship may carry ``valid_from`` and ``valid_to``, each an
ISO date (``YYYY-MM-DD``) or a year (``YYYY``); a year as ``valid_from``
means its first day, as ``valid_to`` its last.  Both ends are inclusive and
either may be missing (open).  A cooperation may carry ``status_history``:
a list of ``{"status", "date", ...provenance}`` entries, kept in every store
and export as JSON text (:func:`history_text`); its ``status`` property
stays the current one.

On a date, a fact *exists* when the date lies in its range, and a
cooperation's status is the one of the latest history entry dated on or
before it.  A cooperation whose history starts later than the date had no
status yet on it.  :func:`graph_as_of` applies both rules to a whole graph;
:func:`with_history` makes a later load record a change of status instead
of overwriting the past.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph.errors import HainetError
from graph.schema import PROVENANCE_FIELDS, Node, NodeKind

__all__ = [
    "TIME_FIELDS",
    "as_of_date",
    "exists_on",
    "graph_as_of",
    "history_of",
    "history_text",
    "status_on",
    "with_history",
]

#: Properties that place a fact in time.
TIME_FIELDS = ("valid_from", "valid_to", "status_history")

_YEAR = re.compile(r"[0-9]{4}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def as_of_date(value: str | int | dt.date | None, *, end: bool = False) -> dt.date:
    """Return ``value`` as a date: today for ``None``, a year's first day (or last, with ``end``).

    Raises
    ------
    HainetError
        When ``value`` is neither ``YYYY-MM-DD`` nor ``YYYY``.

    Examples
    --------
    >>> as_of_date("2020-12-31"), as_of_date(2023), as_of_date("2023", end=True)
    (datetime.date(2020, 12, 31), datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    """
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if _YEAR.fullmatch(text):
            return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
        if _DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    msg = f"not a date: {value!r}; expected YYYY-MM-DD or YYYY"
    raise HainetError(msg)


def exists_on(props: Mapping[str, Any], day: dt.date) -> bool:
    """Tell whether a fact with properties ``props`` exists on ``day``.

    Examples
    --------
    >>> import datetime as dt
    >>> fact = {"valid_from": "2021", "valid_to": "2023-03-10"}
    >>> [exists_on(fact, dt.date(y, 6, 1)) for y in (2020, 2021, 2023)]
    [False, True, False]
    """
    start, stop = props.get("valid_from"), props.get("valid_to")
    if start not in (None, "") and as_of_date(start) > day:
        return False
    return stop in (None, "") or as_of_date(stop, end=True) >= day


def history_of(props: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the status history of a cooperation, oldest first, whether stored as a list or as JSON text.

    Raises
    ------
    HainetError
        When an entry has no status or no readable date.
    """
    raw = props.get("status_history")
    if raw in (None, "", []):
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as e:
            msg = f"status_history is not a JSON list: {e}"
            raise HainetError(msg) from e
    entries = []
    for entry in raw if isinstance(raw, list) else [raw]:
        if not isinstance(entry, Mapping) or not entry.get("status") or not entry.get("date"):
            msg = f"a status_history entry needs a status and a date, not {entry!r}"
            raise HainetError(msg)
        as_of_date(entry["date"])
        entries.append(dict(entry))
    return sorted(entries, key=lambda e: as_of_date(e["date"]))


def history_text(entries: Iterable[Mapping[str, Any]]) -> str:
    """Return a status history as the JSON text stores and exports keep: sorted keys, no escapes.

    Examples
    --------
    >>> history_text([{"status": "active", "date": "2020-12-02", "provenance": "curated"}])
    '[{"date": "2020-12-02", "provenance": "curated", "status": "active"}]'
    """
    return json.dumps([dict(e) for e in entries], ensure_ascii=False, sort_keys=True)


def status_on(props: Mapping[str, Any], day: dt.date) -> str | None:
    """Return a cooperation's status on ``day``: from its history, else its ``status``.

    ``None`` when the history starts after ``day``.

    Examples
    --------
    >>> import datetime as dt
    >>> coop = {"status": "ended", "status_history": [
    ...     {"status": "planned", "date": "2021-01-15"}, {"status": "active", "date": "2022"},
    ...     {"status": "ended", "date": "2024-06-30"}]}
    >>> [status_on(coop, dt.date(y, 12, 31)) for y in (2020, 2021, 2022, 2024)]
    [None, 'planned', 'active', 'ended']
    """
    history = history_of(props)
    if not history:
        status = props.get("status")
        return None if status is None else str(status)
    current = None
    for entry in history:
        if as_of_date(entry["date"]) <= day:
            current = str(entry["status"])
    return current


def graph_as_of(G: nx.MultiDiGraph, as_of: str | int | dt.date | None = None) -> nx.MultiDiGraph:
    """Return the part of ``G`` that existed on ``as_of`` (default today), with statuses of that day.

    Nodes and relationships outside their validity range are dropped (with
    a node go its relationships); a cooperation's ``status`` becomes the one
    its history gives for the day, and a cooperation that had no status yet
    is dropped.  A year stands for its last day.  ``G`` is not changed.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("coop:a", kind="Cooperation", status="active",
    ...            status_history=[{"status": "planned", "date": "2021"}, {"status": "active", "date": "2023"}])
    >>> G.add_node("coop:b", kind="Cooperation", status="active", valid_from="2025-11-20")
    >>> [(k, s) for k, s in graph_as_of(G, "2022").nodes(data="status")]
    [('coop:a', 'planned')]
    """
    day = as_of_date(as_of, end=True)
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    for key, attrs in G.nodes(data=True):
        if not exists_on(attrs, day):
            continue
        if attrs.get("kind") == NodeKind.COOPERATION.value and (attrs.get("status_history") or attrs.get("status")):
            status = status_on(attrs, day)
            if status is None:
                continue
            attrs = {**attrs, "status": status}
        H.add_node(key, **attrs)
    for u, v, k, attrs in G.edges(keys=True, data=True):
        if u in H and v in H and exists_on(attrs, day):
            H.add_edge(u, v, key=k, **attrs)
    return H


def with_history(stored: Iterable[Node], nodes: Iterable[Node], *, today: dt.date | None = None) -> list[Node]:
    """Return ``nodes`` with the past kept: a changed status is appended to the stored history.

    For a cooperation already in ``stored`` whose new record has another
    ``status``, the new record's ``status_history`` becomes the stored
    history (started with the stored status, dated by its ``year``, when it
    had none), followed by the entries of the new record that are not in it
    yet and, unless one of them gives the new status, an entry of the new
    status dated ``today`` with the new record's provenance, written as
    :func:`history_text`.  A stored ``valid_to`` is kept when the new record
    leaves it out.  Every other node is returned as given.

    Examples
    --------
    >>> import datetime as dt
    >>> old = Node("coop:a", NodeKind.COOPERATION, "甲", "A", {"status": "active", "year": 2021})
    >>> new = Node("coop:a", NodeKind.COOPERATION, "甲", "A", {"status": "ended", "year": 2021,
    ...                                                       "provenance": "user"})
    >>> print(with_history([old], [new], today=dt.date(2025, 3, 1))[0].props["status_history"])
    [{"date": "2021", "status": "active"}, {"date": "2025-03-01", "provenance": "user", "status": "ended"}]
    """
    day = today or dt.date.today()
    before = {n.key: n for n in stored if n.kind is NodeKind.COOPERATION}
    out = []
    for node in nodes:
        old = before.get(node.key)
        if node.kind is not NodeKind.COOPERATION or old is None:
            out.append(node)
            continue
        props = dict(node.props)
        if "valid_to" in old.props and "valid_to" not in props:
            props["valid_to"] = old.props["valid_to"]
        if old.props.get("status") != props.get("status") or old.props.get("status_history"):
            merged = _merged(old, props, day)
            props["status_history"] = history_text(merged) if merged else None
        out.append(Node(node.key, node.kind, node.name_zh, node.name_en, props))
    return out


def _merged(old: Node, new: Mapping[str, Any], day: dt.date) -> list[dict[str, Any]]:
    history = history_of(old.props)
    if not history and old.props.get("status") is not None:
        start = old.props.get("valid_from") or old.props.get("year")
        if start is not None:
            history = [{"status": old.props["status"], "date": str(start)}]
    seen = {(e["status"], str(e["date"])) for e in history}
    for entry in history_of(new):
        if (entry["status"], str(entry["date"])) not in seen:
            history.append(entry)
            seen.add((entry["status"], str(entry["date"])))
    status = new.get("status")
    last = history[-1]["status"] if history else None
    if status is not None and status != last:
        entry = {"status": status, "date": day.isoformat()}
        entry |= {k: new[k] for k in PROVENANCE_FIELDS if k in new}
        history.append(entry)
    return [dict(sorted(e.items())) for e in sorted(history, key=lambda e: as_of_date(e["date"]))]
