"""Checks shared by every loader: records against the schema, collected, raised once.

Loaders turn their rows into :class:`~graph.schema.Node` and
:class:`~graph.schema.Edge` records, then call :func:`check_records`, which
returns every problem it finds; the loader raises one
:class:`~graph.errors.ValidationError` with all of them, or writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from graph.errors import Problem
from graph.schema import (
    COOPERATION_MODES,
    COOPERATION_STATUSES,
    DEMAND_UNIT_TYPES,
    EDGE_ENDPOINTS,
    Edge,
    Node,
    NodeKind,
    Provenance,
    RelType,
)

__all__ = ["HIERARCHY_TYPES", "Where", "check_records", "hierarchy_problems", "normalise_quote"]

#: Relationship types that make a hierarchy: no node may be above itself.
HIERARCHY_TYPES = (RelType.PART_OF, RelType.LOCATED_IN)


@dataclass(frozen=True)
class Where:
    """Where a record came from: file, and sheet and row when there are any."""

    file: str
    sheet: str | None = None
    row: int | None = None

    def problem(self, reason: str, column: str | None = None, value: object = None) -> Problem:
        """Return a :class:`Problem` at this place."""
        shown = None if value is None else str(value)
        return Problem(self.file, reason, sheet=self.sheet, row=self.row, column=column, value=shown)


def normalise_quote(text: str) -> str:
    r"""Return ``text`` with line breaks removed, as quotes are compared.

    Lines are stripped and joined, so a sentence split across lines or
    pages by PDF extraction reads as one.

    Examples
    --------
    >>> normalise_quote("海南开放创新\n\n 合作机制")
    '海南开放创新合作机制'
    """
    return "".join(line.strip() for line in text.splitlines())


_ENUMS: dict[NodeKind, dict[str, Sequence[str]]] = {
    NodeKind.COOPERATION: {"mode": COOPERATION_MODES, "status": COOPERATION_STATUSES},
    NodeKind.DEMAND_UNIT: {"unit_type": DEMAND_UNIT_TYPES},
    NodeKind.MONITORING: {"status": COOPERATION_STATUSES},
}

_REQUIRED: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.COOPERATION: ("mode", "status", "year"),
    NodeKind.DEMAND_UNIT: ("unit_type",),
    NodeKind.MONITORING: ("year", "status"),
}


def check_records(
    nodes: Sequence[tuple[Where, Node]],
    edges: Sequence[tuple[Where, Edge]],
    *,
    existing: Mapping[str, NodeKind] | None = None,
    document: str | None = None,
) -> list[Problem]:
    """Return every problem with ``nodes`` and ``edges``, in input order.

    Parameters
    ----------
    nodes, edges
        The records, each with where it came from.
    existing
        Kinds of the nodes already in the store, by key: edges may point at them.
    document
        The normalised text that ``stated`` quotes must be found in, verbatim.

    Returns
    -------
    list of Problem
        Empty when the records can be written.
    """
    problems: list[Problem] = []
    kinds: dict[str, NodeKind] = dict(existing or {})
    seen: set[str] = set()
    for where, node in nodes:
        if node.key in seen:
            problems.append(where.problem("duplicate key", "key", node.key))
        seen.add(node.key)
        kinds[node.key] = node.kind
        problems += _node_problems(where, node, document)
    seen_edges: set[tuple[str, str, str]] = set()
    for where, edge in edges:
        if edge.triple in seen_edges:
            problems.append(where.problem("duplicate relationship", "type", " ".join(edge.triple)))
        seen_edges.add(edge.triple)
        problems += _edge_problems(where, edge, kinds)
        problems += _provenance_problems(where, edge.props, document)
    return problems


def _node_problems(where: Where, node: Node, document: str | None) -> list[Problem]:
    problems = []
    prefix = node.kind.prefix + ":"
    if not node.key.startswith(prefix) or node.key == prefix:
        problems.append(where.problem(f"a {node.kind.value} key must look like {prefix}<name>", "key", node.key))
    for column in ("name_zh", "name_en"):
        if not getattr(node, column).strip():
            problems.append(where.problem("required value is missing", column))
    for column in _REQUIRED.get(node.kind, ()):
        if column not in node.props:
            problems.append(where.problem("required value is missing", column))
    for column, allowed in _ENUMS.get(node.kind, {}).items():
        value = node.props.get(column)
        if value is not None and value not in allowed:
            problems.append(where.problem(f"must be one of {', '.join(allowed)}", column, value))
    return problems + _provenance_problems(where, node.props, document)


def _edge_problems(where: Where, edge: Edge, kinds: Mapping[str, NodeKind]) -> list[Problem]:
    problems = []
    sources, targets = EDGE_ENDPOINTS[edge.type]
    for column, key, allowed in (("source", edge.source, sources), ("target", edge.target, targets)):
        kind = kinds.get(key)
        if kind is None:
            problems.append(where.problem("refers to an unknown node", column, key))
        elif kind not in allowed:
            names = ", ".join(sorted(k.value for k in allowed))
            reason = f"{edge.type.value} {column} must be a {names}, not a {kind.value}"
            problems.append(where.problem(reason, column, key))
    return problems


def _provenance_problems(where: Where, props: Mapping[str, object], document: str | None) -> list[Problem]:
    value = props.get("provenance")
    allowed = [p.value for p in Provenance]
    if value not in allowed:
        return [where.problem(f"must be one of {', '.join(allowed)}", "provenance", value)]
    problems = []
    if value == Provenance.STATED.value:
        for column in ("section", "quote"):
            if not props.get(column):
                problems.append(where.problem("a stated fact needs its section and quote", column))
        quote = props.get("quote")
        if document is not None and isinstance(quote, str) and quote and quote not in document:
            problems.append(where.problem("quote is not found verbatim in the document", "quote", quote))
    elif value == Provenance.CURATED.value and not props.get("basis"):
        problems.append(where.problem("a curated fact needs a one-line basis", "basis"))
    return problems


def hierarchy_problems(
    edges: Sequence[tuple[Where, Edge]],
    *,
    existing: Iterable[Edge] = (),
    names: Mapping[str, str] | None = None,
    column_of: Callable[[Where, Edge], str | None] | None = None,
) -> list[Problem]:
    """Return a problem for each new ``PART_OF`` or ``LOCATED_IN`` relationship that loops or closes a cycle.

    The new relationships are added in order to those already in the store
    (``existing``); one that goes from a node to itself, or to a node from
    which the hierarchy already leads back to its source, is reported at
    its row, with the whole cycle named by Chinese name and key.

    Parameters
    ----------
    edges
        The new relationships, with where each came from; other types are ignored.
    existing
        The relationships already in the store.
    names
        Chinese names by key, for the messages.
    column_of
        The column a relationship's row names its target in.

    Returns
    -------
    list of Problem
        In input order.

    Examples
    --------
    >>> a = Edge("industry:a", RelType.PART_OF, "industry:b", {})
    >>> b = Edge("industry:b", RelType.PART_OF, "industry:a", {})
    >>> [p.reason for p in hierarchy_problems([(Where("f.csv", row=3), b)], existing=[a],
    ...                                       names={"industry:a": "甲", "industry:b": "乙"})]
    ['PART_OF makes a cycle: 乙 (industry:b) → 甲 (industry:a) → 乙 (industry:b)']
    """
    shown = dict(names or {})
    up: dict[RelType, dict[str, set[str]]] = {t: {} for t in HIERARCHY_TYPES}
    for edge in existing:
        if edge.type in up and edge.source != edge.target:
            up[edge.type].setdefault(edge.source, set()).add(edge.target)
    problems = []
    for where, edge in edges:
        if edge.type not in up:
            continue
        column = column_of(where, edge) if column_of is not None else None
        parents = up[edge.type]
        if edge.source == edge.target:
            reason = f"{edge.type.value} from a node to itself: {_named(edge.source, shown)}"
            problems.append(where.problem(reason, column, edge.target))
            continue
        path = _path(parents, edge.target, edge.source)
        if path is not None:
            chain = " → ".join(_named(key, shown) for key in [edge.source, *path])
            problems.append(where.problem(f"{edge.type.value} makes a cycle: {chain}", column, edge.target))
            continue
        parents.setdefault(edge.source, set()).add(edge.target)
    return problems


def _named(key: str, names: Mapping[str, str]) -> str:
    name = names.get(key)
    return f"{name} ({key})" if name else key


def _path(parents: Mapping[str, set[str]], start: str, goal: str) -> list[str] | None:
    """Return the nodes from ``start`` up to ``goal`` along ``parents``, both included, or None."""
    before: dict[str, str | None] = {start: None}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for parent in sorted(parents.get(node, ())):
                if parent in before:
                    continue
                before[parent] = node
                if parent == goal:
                    path = [parent]
                    step = before[parent]
                    while step is not None:
                        path.append(step)
                        step = before[step]
                    return path[::-1]
                following.append(parent)
        frontier = following
    return None
