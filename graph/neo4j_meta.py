"""The schema version of a Neo4j store, kept in one meta node, and the migrations between versions.

The meta node has the label :data:`META_LABEL`, which is not a
:class:`~graph.schema.NodeKind`: the store never counts, lists, exports or
clears it as data.  A database with hainet's data and no meta node was
written by hainet 0.1 (schema version 1) and is migrated when opened;
each migration runs in batches and can be run again safely.
"""

from __future__ import annotations

from collections.abc import Callable

import neo4j

from graph.errors import StoreError
from graph.schema import SCHEMA_VERSION, NodeKind, RelType

__all__ = ["META_LABEL", "open_schema"]

#: Label of the meta node; never a node kind.
META_LABEL = "HainetMeta"

_META_CONSTRAINT = f"CREATE CONSTRAINT hainet_meta_name IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.name IS UNIQUE"
_READ_META = f"MATCH (m:{META_LABEL} {{name: 'hainet'}}) RETURN m.schema_version AS version"
_WRITE_META = f"MERGE (m:{META_LABEL} {{name: 'hainet'}}) SET m.schema_version = $version"
_ANY_DATA = "MATCH (n) WHERE any(label IN labels(n) WHERE label IN $labels) RETURN 1 AS found LIMIT 1"

# Filled only with enum values (a label or a relationship type).
_NODES_1_TO_2 = (
    "MATCH (n:{label}) WHERE n.source IS NOT NULL "
    "CALL (n) {{ SET n.document = n.source REMOVE n.source }} IN TRANSACTIONS OF 10000 ROWS"
)
_EDGES_1_TO_2 = (
    "MATCH ()-[r:{type}]->() WHERE r.source IS NOT NULL "
    "CALL (r) {{ SET r.document = r.source REMOVE r.source }} IN TRANSACTIONS OF 10000 ROWS"
)


def _migrate_1_to_2(session: neo4j.Session) -> None:
    """Rename the provenance property ``source`` to ``document`` on every node and relationship."""
    for kind in NodeKind:
        session.run(_NODES_1_TO_2.format(label=kind.value)).consume()
    for rel in RelType:
        session.run(_EDGES_1_TO_2.format(type=rel.value)).consume()


#: Migration from each schema version to the next.
_MIGRATIONS: dict[int, Callable[[neo4j.Session], None]] = {1: _migrate_1_to_2}


def stored_version(session: neo4j.Session) -> int:
    """Return the schema version of the database: its meta node's, else 1 with data, else the current one."""
    record = session.run(_READ_META).single()
    if record is not None and record["version"] is not None:
        return int(record["version"])
    found = session.run(_ANY_DATA, labels=[kind.value for kind in NodeKind]).single()
    return 1 if found is not None else SCHEMA_VERSION


def open_schema(session: neo4j.Session, location: str, *, read_only: bool) -> int:
    """Bring the database up to :data:`SCHEMA_VERSION` and mark it; return the version it now has.

    Raises
    ------
    StoreError
        The database was written by a newer hainet, or is of an older
        version and ``read_only`` forbids migrating it.
    """
    version = stored_version(session)
    if version > SCHEMA_VERSION:
        msg = (
            f"Neo4j at {location} holds a store of schema version {version}, written by a newer hainet; "
            f"this one reads versions up to {SCHEMA_VERSION}"
        )
        raise StoreError(msg)
    if read_only:
        if version < SCHEMA_VERSION:
            msg = (
                f"Neo4j at {location} holds a store of schema version {version}; open it once for writing "
                f"(without --dry-run) to migrate it to version {SCHEMA_VERSION}"
            )
            raise StoreError(msg)
        return version
    if version == SCHEMA_VERSION and session.run(_READ_META).single() is not None:
        return version
    session.run(_META_CONSTRAINT).consume()
    for step in range(version, SCHEMA_VERSION):
        _MIGRATIONS[step](session)
    session.run(_WRITE_META, version=SCHEMA_VERSION).consume()
    return SCHEMA_VERSION
