"""The one schema of hainet: node kinds, relationship types and records.

Every Cypher label and relationship type comes from the enums here, and
every store, loader and query speaks in :class:`Node` and :class:`Edge`
records.  See ``docs/data-model.md`` for the model as a diagram.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "COOPERATION_MODES",
    "COOPERATION_STATUSES",
    "DEMAND_UNIT_TYPES",
    "EDGE_ENDPOINTS",
    "FIRST_MONITORING_YEAR",
    "MONITORING_MEASURES",
    "PARTNER_KINDS",
    "PROVENANCE_FIELDS",
    "RECORD_LIST_PROPERTIES",
    "RESERVED_NAMES",
    "SCHEMA_VERSION",
    "Edge",
    "Node",
    "NodeKind",
    "Provenance",
    "RelType",
    "node_key",
    "reserved_property",
]


class NodeKind(StrEnum):
    """Kinds of node; the value is the Neo4j label."""

    REGION = "Region"
    PARK = "Park"
    DEPARTMENT = "Department"
    INDUSTRY = "Industry"
    DEMAND_UNIT = "DemandUnit"
    NEED = "Need"
    COOPERATION = "Cooperation"
    MECHANISM = "Mechanism"
    SOURCE = "Source"
    MONITORING = "Monitoring"

    @property
    def prefix(self) -> str:
        """Key prefix of this kind, e.g. ``region`` for ``region:shanghai``."""
        return _PREFIXES[self]


_PREFIXES = {
    NodeKind.REGION: "region",
    NodeKind.PARK: "park",
    NodeKind.DEPARTMENT: "dept",
    NodeKind.INDUSTRY: "industry",
    NodeKind.DEMAND_UNIT: "unit",
    NodeKind.NEED: "need",
    NodeKind.COOPERATION: "coop",
    NodeKind.MECHANISM: "mech",
    NodeKind.SOURCE: "source",
    NodeKind.MONITORING: "monitoring",
}


class RelType(StrEnum):
    """Relationship types; the value is the Neo4j relationship type."""

    LOCATED_IN = "LOCATED_IN"
    PART_OF = "PART_OF"
    SPECIALISES_IN = "SPECIALISES_IN"
    HANDLES = "HANDLES"
    HAS_NEED = "HAS_NEED"
    IN_FIELD = "IN_FIELD"
    PARTNER_IN = "PARTNER_IN"
    SUPPORTS = "SUPPORTS"
    SERVES = "SERVES"
    MEMBER_OF = "MEMBER_OF"
    STATED_IN = "STATED_IN"
    REPORTS_ON = "REPORTS_ON"
    SUCCEEDED_BY = "SUCCEEDED_BY"


class Provenance(StrEnum):
    """Where a fact comes from.

    ``stated`` facts quote the 2020 mechanism verbatim, ``reported`` facts
    are public developments after 2020 with a source address and date,
    ``curated`` facts are hainet's additions with a one-line basis, ``user``
    facts come from a planner's own spreadsheets and ``example`` facts are
    fictional demonstration data.  Strongest first; see :mod:`graph.evidence`.
    """

    STATED = "stated"
    REPORTED = "reported"
    CURATED = "curated"
    USER = "user"
    EXAMPLE = "example"


#: Version of the stored schema that this hainet writes.  Version 1 (hainet 0.1) called the
#: provenance property ``document`` ``source``; stores of version 1 are migrated when opened.
SCHEMA_VERSION = 2

#: Properties that every node and edge carries, in this order.
PROVENANCE_FIELDS = ("provenance", "section", "quote", "basis", "document")

#: Names that are structure in node-link JSON, GraphML and CSV exports; no property may take one.
RESERVED_NAMES = ("id", "key", "source", "target", "type", "label")

#: Fields of a node kept beside its properties, so no property of a node may take one either.
_NODE_FIELDS = ("kind", "name_zh", "name_en")


def reserved_property(props: dict[str, Any], *, node: bool) -> str | None:
    """Return the first property name in ``props`` that is reserved, or None.

    A reserved name (:data:`RESERVED_NAMES`, and for a node also ``kind``,
    ``name_zh`` and ``name_en``) would collide with the structure of an
    export or of a stored node.

    Examples
    --------
    >>> reserved_property({"document": "x.csv", "source": "y"}, node=False)
    'source'
    >>> reserved_property({"document": "x.csv"}, node=True) is None
    True
    """
    names = RESERVED_NAMES + _NODE_FIELDS if node else RESERVED_NAMES
    return next((name for name in sorted(props) if name in names), None)


#: Kinds that can be a partner of Hainan in a cooperation.
PARTNER_KINDS = frozenset({NodeKind.REGION, NodeKind.PARK, NodeKind.DEPARTMENT})

#: What a demand unit can be.
DEMAND_UNIT_TYPES = ("province", "city", "county", "park", "lab", "programme")

#: How the parties of a cooperation are linked (section 一 of the mechanism).
COOPERATION_MODES = ("one-to-one", "point-to-point", "many-to-one", "direct-support")

#: Life cycle of a cooperation; only ``active`` and ``planned`` cover a need.
#: ``completed`` is a measure that reached its end as intended: it covers no
#: need any more, but unlike ``stalled`` or ``ended`` it is no failure.
COOPERATION_STATUSES = ("planned", "active", "completed", "stalled", "ended")

#: Properties whose value is a list of records, kept as JSON text (given as a list, a server store writes the text).
RECORD_LIST_PROPERTIES = frozenset({"status_history"})

#: The year the mechanism was issued: the first year a monitoring record can be about.
FIRST_MONITORING_YEAR = 2020

#: What a monitoring record counts for its cooperation and year, each a number at or above 0.
MONITORING_MEASURES = ("projects", "funding_wan_yuan", "talents", "results_transferred", "platforms")

_ACTORS = frozenset({NodeKind.REGION, NodeKind.PARK, NodeKind.DEPARTMENT, NodeKind.DEMAND_UNIT})
_ANY = frozenset(NodeKind)

#: Allowed (source kinds, target kinds) of every relationship type.
EDGE_ENDPOINTS: dict[RelType, tuple[frozenset[NodeKind], frozenset[NodeKind]]] = {
    RelType.LOCATED_IN: (
        frozenset({NodeKind.PARK, NodeKind.DEMAND_UNIT, NodeKind.REGION}),
        frozenset({NodeKind.REGION}),
    ),
    RelType.PART_OF: (
        frozenset({NodeKind.REGION, NodeKind.DEPARTMENT, NodeKind.INDUSTRY, NodeKind.DEMAND_UNIT}),
        frozenset({NodeKind.REGION, NodeKind.DEPARTMENT, NodeKind.INDUSTRY, NodeKind.DEMAND_UNIT}),
    ),
    RelType.SPECIALISES_IN: (_ACTORS, frozenset({NodeKind.INDUSTRY})),
    RelType.HANDLES: (frozenset({NodeKind.DEPARTMENT}), frozenset({NodeKind.INDUSTRY})),
    RelType.HAS_NEED: (frozenset({NodeKind.DEMAND_UNIT}), frozenset({NodeKind.NEED})),
    RelType.IN_FIELD: (
        frozenset({NodeKind.NEED, NodeKind.COOPERATION}),
        frozenset({NodeKind.INDUSTRY}),
    ),
    RelType.PARTNER_IN: (PARTNER_KINDS, frozenset({NodeKind.COOPERATION})),
    RelType.SUPPORTS: (frozenset({NodeKind.DEPARTMENT}), frozenset({NodeKind.COOPERATION})),
    RelType.SERVES: (frozenset({NodeKind.COOPERATION}), frozenset({NodeKind.DEMAND_UNIT})),
    RelType.MEMBER_OF: (_ACTORS, frozenset({NodeKind.MECHANISM})),
    RelType.STATED_IN: (_ANY - {NodeKind.SOURCE}, frozenset({NodeKind.SOURCE})),
    RelType.REPORTS_ON: (frozenset({NodeKind.MONITORING}), frozenset({NodeKind.COOPERATION})),
    # A department whose functions passed to another on a date (``valid_from``).
    RelType.SUCCEEDED_BY: (frozenset({NodeKind.DEPARTMENT}), frozenset({NodeKind.DEPARTMENT})),
}


def node_key(kind: NodeKind, slug: str) -> str:
    """Return the stable key of a node, ``<prefix>:<slug>``.

    Examples
    --------
    >>> node_key(NodeKind.REGION, "shanghai")
    'region:shanghai'
    """
    return f"{kind.prefix}:{slug}"


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: props[k] for k in sorted(props) if props[k] is not None}


@dataclass(frozen=True)
class Node:
    """One node: a stable key, its kind, names and properties.

    ``props`` holds every other property, the provenance fields included
    (see :data:`PROVENANCE_FIELDS`); ``None`` values are dropped.
    """

    key: str
    kind: NodeKind
    name_zh: str
    name_en: str
    props: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "props", _clean(self.props))

    def properties(self) -> dict[str, Any]:
        """Return all properties as one flat dict, as stores keep them."""
        return {
            "key": self.key,
            "kind": self.kind.value,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            **self.props,
        }

    def props_json(self) -> str:
        """Return ``props`` as canonical JSON (sorted keys, no ASCII escapes)."""
        return json.dumps(self.props, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_properties(cls, properties: dict[str, Any]) -> Node:
        """Build a node from the flat dict of :meth:`properties`."""
        rest = dict(properties)
        return cls(
            key=rest.pop("key"),
            kind=NodeKind(rest.pop("kind")),
            name_zh=rest.pop("name_zh"),
            name_en=rest.pop("name_en"),
            props=rest,
        )


@dataclass(frozen=True)
class Edge:
    """One relationship ``source -[type]-> target``; at most one per triple."""

    source: str
    type: RelType
    target: str
    props: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "props", _clean(self.props))

    @property
    def triple(self) -> tuple[str, str, str]:
        """Return ``(source, type, target)``, the identity of the edge."""
        return (self.source, self.type.value, self.target)

    def props_json(self) -> str:
        """Return ``props`` as canonical JSON (sorted keys, no ASCII escapes)."""
        return json.dumps(self.props, ensure_ascii=False, sort_keys=True)
