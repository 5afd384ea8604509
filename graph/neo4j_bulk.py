"""Bulk loading into an empty Neo4j database with Neo4j's own offline importer.

:func:`bulk_load` writes the records as the CSV files ``neo4j-admin
database import full`` reads, one file per node kind or relationship type
and per set of property names and types, then has ``scripts/neo4j-local
import`` stop the local server, replace its database with the import and
start it again.  It is for the local server only (the importer writes the
store files directly), and only into an empty database: anything else is
refused with one line.

The graph it leaves is the one an online load leaves: the same labels,
``key``, ``name_zh`` and ``name_en`` on every node, the same properties
with the same types, and the same uniqueness constraints on ``key``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from graph.errors import StoreError
from graph.neo4j_store import Neo4jStore
from graph.schema import Edge, Node
from graph.store import Progress, WriteReport

__all__ = ["bulk_load", "local_server_script"]

#: Separates the items of a list property inside one CSV field (the unit separator, never in names).
_ARRAY_DELIMITER = "\x1f"

_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def local_server_script() -> Path:
    """Return the path of ``scripts/neo4j-local`` in the source tree hainet runs from.

    Raises
    ------
    StoreError
        When hainet does not run from a source tree that has it.
    """
    script = Path(__file__).resolve().parents[1] / "scripts" / "neo4j-local"
    if not script.is_file():
        msg = f"--bulk needs scripts/neo4j-local of a hainet source tree, and {script} does not exist"
        raise StoreError(msg)
    return script


def bulk_load(
    store: Neo4jStore, nodes: Iterable[Node], edges: Iterable[Edge], *, progress: Progress | None = None
) -> WriteReport:
    """Load ``nodes`` and ``edges`` into the empty database of ``store`` with the offline importer.

    The local server of ``store``'s port is stopped for the import and
    started again; ``store`` reconnects by itself.

    Returns
    -------
    WriteReport
        Every record counted as added.

    Raises
    ------
    StoreError
        The database is not empty, the server is not a local one, a
        property cannot be stored, or the importer failed.
    """
    counts = store.counts()
    if counts.total_nodes or counts.total_edges:
        msg = (
            f"--bulk loads only into an empty database, and {store.location} holds {counts.total_nodes:,} "
            f"nodes and {counts.total_edges:,} relationships: clear it, or load without --bulk"
        )
        raise StoreError(msg)
    where = urlsplit(store.settings.uri)
    if where.hostname not in ("127.0.0.1", "localhost", "::1") or store.settings.database not in (None, "", "neo4j"):
        msg = f"--bulk imports only into the database neo4j of a local server (scripts/neo4j-local), not {where.netloc}"
        raise StoreError(msg)
    script = local_server_script()
    report = WriteReport()
    with tempfile.TemporaryDirectory(prefix="hainet-bulk-") as folder:
        arguments = _write_files(Path(folder), nodes, edges, report, progress)
        environment = {
            **os.environ,
            "NEO4J_LOCAL_PORT": str(where.port or 7687),
            "NEO4J_LOCAL_PASSWORD": store.settings.password,
        }
        command = [
            "bash",
            str(script),
            "import",
            *arguments,
            f"--array-delimiter={_ARRAY_DELIMITER}",
            "--multiline-fields=true",
            "--id-type=string",
        ]
        done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        msg = f"the offline import into {store.location} failed: {lines[-1] if lines else done.returncode}"
        raise StoreError(msg)
    store.reconnect()
    store.ensure_constraints()
    return report


def _write_files(
    folder: Path, nodes: Iterable[Node], edges: Iterable[Edge], report: WriteReport, progress: Progress | None
) -> list[str]:
    files: dict[tuple[Any, ...], tuple[IO[str], list[str]]] = {}
    done = 0
    try:
        for node in nodes:
            names, types = _signature(node.props)
            group = ("nodes", node.kind.value, names, types)
            if group not in files:
                header = ["key:ID", "name_zh", "name_en", *_header(names, types), ":LABEL"]
                files[group] = _open(folder, len(files), header)
            values = [
                _text(node.key),
                _text(node.name_zh),
                _text(node.name_en),
                *(_cell(node.props[n]) for n in names),
                node.kind.value,
            ]
            files[group][0].write(",".join(values) + "\n")
            report.added[node.kind.value] += 1
            done += 1
            if progress and done % 100_000 == 0:
                progress(done, None)
        for edge in edges:
            names, types = _signature(edge.props)
            group = ("relationships", edge.type.value, names, types)
            if group not in files:
                header = [":START_ID", ":END_ID", *_header(names, types), ":TYPE"]
                files[group] = _open(folder, len(files), header)
            values = [_text(edge.source), _text(edge.target), *(_cell(edge.props[n]) for n in names), edge.type.value]
            files[group][0].write(",".join(values) + "\n")
            report.added[edge.type.value] += 1
            done += 1
            if progress and done % 100_000 == 0:
                progress(done, None)
    finally:
        for handle, _ in files.values():
            handle.close()
    if progress:
        progress(done, None)
    return [f"--{group[0]}={path}" for group, (_, [path]) in files.items()]


def _open(folder: Path, number: int, header: list[str]) -> tuple[IO[str], list[str]]:
    path = folder / f"{number:04d}.csv"
    handle = path.open("w", encoding="utf-8", newline="")
    handle.write(",".join(header) + "\n")
    return handle, [str(path)]


def _signature(props: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    names = tuple(sorted(props))
    return names, tuple(_type_of(name, props[name]) for name in names)


def _type_of(name: str, value: Any) -> str:
    if isinstance(value, list):
        kinds = {_TYPES.get(type(v)) for v in value}
        if len(kinds) != 1 or None in kinds:
            msg = f"property {name!r} holds a list that the offline importer cannot store: {value!r:.60}"
            raise StoreError(msg)
        return f"{kinds.pop()}[]"
    found = _TYPES.get(type(value))
    if found is None:
        msg = f"property {name!r} holds {type(value).__name__}, which Neo4j cannot store"
        raise StoreError(msg)
    return found


def _header(names: tuple[str, ...], types: tuple[str, ...]) -> list[str]:
    return [f"{name}:{kind}" for name, kind in zip(names, types, strict=True)]


def _cell(value: Any) -> str:
    if isinstance(value, list):
        items = [_plain(v) for v in value]
        if any(_ARRAY_DELIMITER in item for item in items):
            msg = f"a list item holds the importer's array delimiter U+001F: {value!r:.60}"
            raise StoreError(msg)
        return _text(_ARRAY_DELIMITER.join(items))
    return _text(value) if isinstance(value, str) else _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _text(value: str) -> str:
    # Quoted always: the importer reads an unquoted empty field as no value, a quoted one as "".
    return '"' + value.replace('"', '""') + '"'
