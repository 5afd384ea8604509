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
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graph.errors import Problem
from graph.names import folded
from graph.schema import PROVENANCE_FIELDS, Edge, Node, Provenance
from loaders._validate import Where
from loaders.templates import USER_OVERRIDES

__all__ = ["STRONG_EVIDENCE", "guarded_edge", "guarded_node"]

#: Evidence levels that a planner's row never replaces without ``--override``.
STRONG_EVIDENCE = frozenset({Provenance.STATED.value, Provenance.REPORTED.value})

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


def _conflicts(where: Where, stored: Mapping[str, Any], differences: Mapping[str, tuple[Any, Any]],
               column: str | None = None) -> list[Problem]:
    level = stored.get("provenance")
    cited = f" (section {stored['section']})" if stored.get("section") else ""
    problems = []
    for name, (old, value) in differences.items():
        held = "no value" if old is None else repr(old)
        reason = (f"conflicts with the {level} fact in the store{cited}: it holds {held}, this row {value!r}; "
                  "load with --override to record this value beside it")
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
