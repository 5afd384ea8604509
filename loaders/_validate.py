"""Checks shared by every loader: records against the schema, collected, raised once.

Loaders turn their rows into :class:`~graph.schema.Node` and
:class:`~graph.schema.Edge` records, then call :func:`check_records`, which
returns every problem it finds; the loader raises one
:class:`~graph.errors.ValidationError` with all of them, or writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
)

__all__ = ["Where", "check_records", "normalise_quote"]


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
