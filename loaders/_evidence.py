"""No silent downgrade of evidence: planners' rows against stated and reported facts in the store.

A planner's row that names a fact the store holds as ``stated`` (quoted from
the mechanism) or ``reported`` (a public development with its source) must
not replace it with ``user`` provenance.  A row that only repeats the fact
(names equal after :func:`graph.names.folded`, values equal) changes
nothing.  A row that differs in a field is a conflict, reported with both
values; with ``override`` the planner's values are recorded beside the
fact's own in its :data:`~loaders.templates.USER_OVERRIDES` property (JSON
text, which every store can hold), and the fact keeps its provenance,
section, quote and values.

Every load writes through :func:`write_keeping_user_data`, so that a
planner's data on a fact outlives a reload of the fact itself: reloading
the built-in dataset keeps the ``user_overrides`` recorded on its facts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from graph.errors import Problem
from graph.names import folded
from graph.schema import PROVENANCE_FIELDS, Edge, Node, Provenance
from graph.store import Progress, Store, WriteReport
from loaders._validate import Where
from loaders.templates import USER_OVERRIDES

__all__ = ["STRONG_EVIDENCE", "USER_DATA", "guarded_edge", "guarded_node", "with_user_data", "write_keeping_user_data"]

#: Evidence levels that a planner's row never replaces without ``--override``.
STRONG_EVIDENCE = frozenset({Provenance.STATED.value, Provenance.REPORTED.value})

#: Properties that hold a planner's own data about a fact: a write that brings none keeps the store's.
USER_DATA = (USER_OVERRIDES,)

_NAMES = ("name_zh", "name_en")


def guarded_node(
    where: Where, new: Node, stored: Node, given: Mapping[str, Any], *, override: bool, document: str
) -> tuple[Node, list[Problem]]:
    """Return the node to write in place of ``new``, and the conflicts with ``stored`` when not overridden.

    Parameters
    ----------
    where
        The row of ``new``.
    new, stored
        The node the row makes, and the node of the same key in the store.
    given
        The values the row gives, by column: only these are compared, so
        that an empty cell never counts as a difference.
    override
        Record differing values beside the stored fact instead of refusing them.
    document
        The file of the row, recorded with an override.

    Returns
    -------
    (Node, list of Problem)
        ``new`` itself when ``stored`` is not stated or reported; else
        ``stored`` unchanged (a repeat, or a conflict reported), or
        ``stored`` with the row's values in its ``user_overrides``.
    """
    if stored.props.get("provenance") not in STRONG_EVIDENCE:
        return new, []
    differences: dict[str, tuple[Any, Any]] = {}
    for name in _NAMES:
        if name in given and folded(getattr(new, name)) != folded(getattr(stored, name)):
            differences[name] = (getattr(stored, name), getattr(new, name))
    claims = new.props.get("provenance") != Provenance.USER.value
    for name, value in new.props.items():
        if name == USER_OVERRIDES or name not in given or (name in PROVENANCE_FIELDS and not claims):
            continue
        if stored.props.get(name) != value:
            differences[name] = (stored.props.get(name), value)
    if not differences:
        return stored, []
    if not override:
        return stored, _conflicts(where, stored.props, differences)
    props = dict(stored.props)
    props[USER_OVERRIDES] = _recorded(stored.props.get(USER_OVERRIDES), differences, document)
    return Node(stored.key, stored.kind, stored.name_zh, stored.name_en, props), []


def guarded_edge(
    where: Where, new: Edge, stored: Edge, *, override: bool, document: str, column: str | None = None
) -> tuple[Edge, list[Problem]]:
    """Return the relationship to write in place of ``new``; see :func:`guarded_node`.

    A relationship's facts are its ends and type, which ``new`` repeats;
    only provenance fields that the row claims itself (a provenance other
    than ``user``) can differ.
    """
    if stored.props.get("provenance") not in STRONG_EVIDENCE:
        return new, []
    differences: dict[str, tuple[Any, Any]] = {}
    if new.props.get("provenance") != Provenance.USER.value:
        for name in PROVENANCE_FIELDS:
            if name in new.props and stored.props.get(name) != new.props[name]:
                differences[name] = (stored.props.get(name), new.props[name])
    if not differences:
        return stored, []
    if not override:
        return stored, _conflicts(where, stored.props, differences, column)
    props = dict(stored.props)
    props[USER_OVERRIDES] = _recorded(stored.props.get(USER_OVERRIDES), differences, document)
    return Edge(stored.source, stored.type, stored.target, props), []


def _conflicts(
    where: Where, stored: Mapping[str, Any], differences: Mapping[str, tuple[Any, Any]], column: str | None = None
) -> list[Problem]:
    level = stored.get("provenance")
    cited = f" (section {stored['section']})" if stored.get("section") else ""
    problems = []
    for name, (old, value) in differences.items():
        held = "no value" if old is None else repr(old)
        reason = (
            f"conflicts with the {level} fact in the store{cited}: it holds {held}, this row {value!r}; "
            "load with --override to record this value beside it"
        )
        problems.append(where.problem(reason, column or name, value))
    return problems


def _recorded(previous: Any, differences: Mapping[str, tuple[Any, Any]], document: str) -> str:
    """Return the ``user_overrides`` text: earlier overrides, updated with these values and their file."""
    try:
        overrides = json.loads(previous) if isinstance(previous, str) else {}
    except json.JSONDecodeError:
        overrides = {}
    if not isinstance(overrides, dict):
        overrides = {}
    overrides.update({name: value for name, (_, value) in differences.items()})
    overrides["loaded_from"] = document
    return json.dumps(overrides, ensure_ascii=False, sort_keys=True)


def with_user_data(store: Store, nodes: Iterable[Node], edges: Iterable[Edge]) -> tuple[list[Node], list[Edge]]:
    """Return ``nodes`` and ``edges``, each with the :data:`USER_DATA` its record in ``store`` holds and it lacks.

    Writes replace a record's properties; this is what keeps a planner's
    data on a fact when the fact is written again, by a reload of the
    built-in dataset or of a file.  A record that brings its own value of
    a :data:`USER_DATA` property (an exported file loaded back) keeps it.
    """
    nodes, edges = list(nodes), list(edges)
    held_nodes = {
        node.key: _user_data(node.props)
        for kind in sorted({n.kind for n in nodes})
        for node in store.iter_nodes(kind)
        if _user_data(node.props)
    }
    held_edges = {
        edge.triple: _user_data(edge.props)
        for rel_type in sorted({e.type for e in edges})
        for edge in store.iter_edges(rel_type)
        if _user_data(edge.props)
    }
    kept_nodes = [
        Node(n.key, n.kind, n.name_zh, n.name_en, {**held_nodes[n.key], **n.props}) if n.key in held_nodes else n
        for n in nodes
    ]
    kept_edges = [
        Edge(e.source, e.type, e.target, {**held_edges[e.triple], **e.props}) if e.triple in held_edges else e
        for e in edges
    ]
    return kept_nodes, kept_edges


def write_keeping_user_data(
    store: Store,
    nodes: Iterable[Node],
    edges: Iterable[Edge],
    *,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> WriteReport:
    """Write ``nodes`` and ``edges`` into ``store`` as :func:`with_user_data` returns them; see ``Store.write``."""
    kept_nodes, kept_edges = with_user_data(store, nodes, edges)
    return store.write(kept_nodes, kept_edges, progress=progress, dry_run=dry_run)


def _user_data(props: Mapping[str, Any]) -> dict[str, Any]:
    return {name: props[name] for name in USER_DATA if props.get(name) is not None}
