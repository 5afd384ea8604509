"""The ``reported`` layer of the built-in dataset: public developments after 2020.

A layer file holds ``nodes`` and ``edges`` like the 2020 layer, plus
``changes`` to facts of an earlier layer.  Every reported fact carries its
source address (``document``, an ``http(s)`` URL), the date of the
development (``valid_from``, the day the fact began to hold: ``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``) and a basis in our own words; it never carries a ``quote``, since article text is
never copied.  A change is one of:

- ``{cooperation, status, date, document, basis}``: the cooperation's
  status became ``status`` on ``date``; an entry is added to its
  ``status_history`` (a JSON list, see :func:`history_text`) and its
  ``status`` becomes the latest one;
- ``{node, valid_to, document, basis}``: the node stopped on ``valid_to``;
- ``{edge: [source, type, target], valid_to, document, basis}``: the
  relationship stopped on ``valid_to``.

An ended fact keeps its own provenance; the end is recorded beside it as
``valid_to``, ``valid_to_document`` and ``valid_to_basis``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from graph.errors import Problem
from graph.schema import Edge, Node, NodeKind, Provenance, RelType
from graph.timeline import history_text  # the one JSON form of a status history
from loaders._validate import Where

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "apply_changes",
    "history_text",
    "parse_changes",
    "reported_problems",
]

#: The reported layer covers developments from the submersible trial of late 2020 to the end of 2025.
FIRST_DAY = "2020-01-01"
LAST_DAY = "2025-12-31"

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))?$")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
_CHANGE_KINDS = ("cooperation", "node", "edge")
_STRONGER = {Provenance.STATED.value: 0, Provenance.REPORTED.value: 1, Provenance.CURATED.value: 2}


def reported_problems(
    where: Where, props: Mapping[str, Any], *, when: str = "date", document_field: str = "document"
) -> list[Problem]:
    """Return what a reported fact (or change) lacks: its URL, its date in range, its basis.

    Parameters
    ----------
    where
        Where the fact comes from, for the messages.
    props
        The fact's properties.
    when
        The property that dates it: ``valid_from`` for a fact, ``date`` for a
        change of status, ``valid_to`` for an end.
    document_field
        The property that holds the address of the source.
    """
    problems = [
        where.problem("a reported fact needs this", column)
        for column in (document_field, "basis")
        if not props.get(column)
    ]
    document = props.get(document_field)
    if document and not _URL.match(str(document)):
        problems.append(
            where.problem("a reported fact's document is the http(s) address of its source", document_field, document)
        )
    if props.get("quote"):
        problems.append(where.problem("a reported fact gives a basis in our words, never a quote", "quote"))
    return problems + _date_problems(where, props.get(when), when)


def _date_problems(where: Where, value: object, column: str) -> list[Problem]:
    if value in (None, ""):
        return [where.problem("a reported fact needs its date", column)]
    text = str(value)
    if not _DATE.match(text):
        return [where.problem("a date looks like 2023 or 2023-06-21", column, value)]
    if not FIRST_DAY[: len(text)] <= text <= LAST_DAY[: len(text)]:
        return [where.problem(f"a reported date lies between {FIRST_DAY} and {LAST_DAY}", column, value)]
    return []


def parse_changes(name: str, records: object) -> tuple[list[tuple[Where, dict[str, Any]]], list[Problem]]:
    """Return the ``changes`` of a layer file, each checked, with where it comes from."""
    if records is None:
        return [], []
    if not isinstance(records, list):
        return [], [Problem(name, "'changes' must be a list", sheet="changes")]
    parsed: list[tuple[Where, dict[str, Any]]] = []
    problems: list[Problem] = []
    for row, record in enumerate(records, start=1):
        where = Where(name, "changes", row)
        kinds = [k for k in _CHANGE_KINDS if isinstance(record, dict) and k in record]
        if len(kinds) != 1:
            problems.append(where.problem("a change names one cooperation, node or edge"))
            continue
        when = "date" if kinds[0] == "cooperation" else "valid_to"
        found = reported_problems(where, record, when=when)
        if kinds[0] == "cooperation" and not record.get("status"):
            found.append(where.problem("a change of status needs the new status", "status"))
        if kinds[0] == "edge" and not _is_triple(record["edge"]):
            found.append(where.problem("an edge is [source, type, target]", "edge", record["edge"]))
        problems += found
        if not found:
            parsed.append((where, dict(record)))
    return parsed, problems


def _is_triple(value: object) -> bool:
    return isinstance(value, list) and len(value) == 3 and value[1] in {t.value for t in RelType}


def apply_changes(
    nodes: Sequence[tuple[Where, Node]],
    edges: Sequence[tuple[Where, Edge]],
    changes: Sequence[tuple[Where, Mapping[str, Any]]],
) -> tuple[list[tuple[Where, Node]], list[tuple[Where, Edge]], list[Problem]]:
    """Return ``nodes`` and ``edges`` with the ``changes`` applied, and the changes that point nowhere."""
    node_at = {n.key: i for i, (_, n) in enumerate(nodes)}
    edge_at = {e.triple: i for i, (_, e) in enumerate(edges)}
    new_nodes, new_edges = list(nodes), list(edges)
    problems: list[Problem] = []
    for where, change in changes:
        if "edge" in change:
            triple = tuple(str(x) for x in change["edge"])
            if triple not in edge_at:
                problems.append(where.problem("refers to an unknown relationship", "edge", " ".join(triple)))
                continue
            at, edge = edge_at[triple], new_edges[edge_at[triple]][1]
            new_edges[at] = (new_edges[at][0], Edge(edge.source, edge.type, edge.target, _ended(edge.props, change)))
            continue
        key = str(change.get("node") or change.get("cooperation"))
        if key not in node_at:
            problems.append(where.problem("refers to an unknown node", "node", key))
            continue
        at = node_at[key]
        node = new_nodes[at][1]
        if "cooperation" in change and node.kind is not NodeKind.COOPERATION:
            problems.append(where.problem("a change of status is for a Cooperation", "cooperation", key))
            continue
        props = _with_status(node.props, change) if "cooperation" in change else _ended(node.props, change)
        new_nodes[at] = (new_nodes[at][0], Node(node.key, node.kind, node.name_zh, node.name_en, props))
    return new_nodes, new_edges, problems


def _history(props: Mapping[str, Any]) -> list[dict[str, Any]]:
    raw = props.get("status_history") or []
    return [dict(e) for e in (json.loads(raw) if isinstance(raw, str) else raw)]


def _ended(props: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **props,
        "valid_to": str(change["valid_to"]),
        "valid_to_document": change["document"],
        "valid_to_basis": change["basis"],
    }


def _with_status(props: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    entry = {
        "status": change["status"],
        "date": str(change["date"]),
        "provenance": Provenance.REPORTED.value,
        "document": change["document"],
        "basis": change["basis"],
    }
    history = _history(props)
    same = [e for e in history if (e.get("status"), str(e.get("date"))) == (entry["status"], entry["date"])]
    # The same status on the same day, already known on weaker evidence, is replaced by the reported entry.
    history = [e for e in history if e not in same or _rank(e) < _rank(entry)]
    if not any(_rank(e) < _rank(entry) for e in same):
        history.append(entry)
    history.sort(key=lambda e: str(e["date"]))
    return {**props, "status_history": history_text(history), "status": history[-1]["status"]}


def _rank(entry: Mapping[str, Any]) -> int:
    return _STRONGER.get(str(entry.get("provenance")), len(_STRONGER))
