"""Batches of records for the Neo4j store, and the senders that run them side by side.

A :class:`Batch` holds the rows of one node kind, or of one relationship
type between two node kinds, as lists (not maps): the distinct property
maps, and the distinct endpoint keys of relationships, are sent once per
batch and rows hold positions in those lists, which keeps the parameters
small and cheap to pack.

Every node belongs to one of :data:`PARTS` parts, found from a hash of its
key, and a batch holds records of one part of each node kind it touches: the
nodes of one (kind, part), or the relationships of one (type, source kind,
source part, target kind, target part).  Those (kind, part) pairs are the
batch's *lock set*, a superset of the nodes its transaction locks.  The
:class:`Pipeline` never runs two batches whose lock sets meet; batches whose
lock sets are apart run at once.  That keeps the load's own transactions
from waiting on each other's node locks, but not from every lock: linking a
new relationship into a node's chain also locks a relationship already
there, which another node's chain may share.  Such a deadlock is rare (two,
retried, in a load of a million relationships) and the managed transaction
retries it.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from graph.errors import StoreError
from graph.schema import RECORD_LIST_PROPERTIES, Edge, Node, reserved_property
from graph.store import Progress, WriteReport

__all__ = ["PARTS", "Batch", "Pipeline", "part_of_key"]

#: Parts the nodes of each kind are split into; see the module docstring.
PARTS = 2

#: Batches sent and not yet tallied; bounds the memory a load holds.
_IN_FLIGHT = 8

#: A (node kind, part) pair; a batch locks only nodes of the pairs in its lock set.
LockSet = frozenset[tuple[str, int]]


def part_of_key(key: str) -> int:
    """Return the part of the node with ``key``, the same for the whole of one Python process.

    Examples
    --------
    >>> part_of_key("region:a") == part_of_key("region:a")
    True
    """
    return hash(key) % PARTS


class Batch:
    """Rows of one node kind or one (type, source kind, target kind), to be sent in one transaction.

    ``name`` is the label or relationship type the report counts under;
    ``locks`` the batch's lock set; ``writes`` is false for a dry run's
    read-only batch.
    """

    __slots__ = ("check_endpoints", "locks", "name", "props", "query", "rows", "sources", "targets", "writes")

    def __init__(self, name: str, query: str, locks: LockSet, *, writes: bool, check_endpoints: bool) -> None:
        self.name = name
        self.query = query
        self.locks = locks
        self.writes = writes
        self.check_endpoints = check_endpoints
        self.rows: list[list[Any]] = []
        self.props = _Distinct()
        self.sources = _Distinct()
        self.targets = _Distinct()

    def add_node(self, node: Node) -> None:
        """Add the row of ``node``: key, position of its props, name_zh, name_en."""
        self.rows.append([node.key, self._props_position(node), node.name_zh, node.name_en])

    def add_edge(self, edge: Edge) -> None:
        """Add the row of ``edge``: positions of its source key, target key and props."""
        sources, targets = self.sources, self.targets
        source = sources.index.get(edge.source)
        if source is None:
            source = sources.position(edge.source, edge.source)
        target = targets.index.get(edge.target)
        if target is None:
            target = targets.position(edge.target, edge.target)
        self.rows.append([source, target, self._props_position(edge)])

    def _props_position(self, record: Node | Edge) -> int:
        # Records of a load mostly share a few property maps: a map already in the
        # batch was checked when it came first, so only a new one is checked.
        key = _quick_key(record.props)
        found = self.props.index.get(key) if key is not None else None
        if found is not None:
            return found
        if isinstance(record, Node):
            checked = check_props(record.props, what=f"node {record.key}", node=True)
        else:
            checked = check_props(record.props, what=f"relationship {' '.join(record.triple)}", node=False)
        shared = _shared_key(checked)
        found = self.props.index.get(shared)
        if found is None:
            found = self.props.position(shared, checked)
        if key is not None:
            self.props.index[key] = found
        return found

    def parameters(self) -> dict[str, Any]:
        """Return the query parameters of the batch."""
        return {
            "rows": self.rows,
            "props": self.props.values,
            "sources": self.sources.values,
            "targets": self.targets.values,
        }


class _Distinct:
    """Distinct values in the order first seen, each found by a hashable key."""

    __slots__ = ("index", "values")

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}
        self.values: list[Any] = []

    def position(self, key: Any, value: Any) -> int:
        """Return the position of ``value``, adding it if its ``key`` is new."""
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.values)
            self.values.append(value)
        return found


def check_props(props: dict[str, Any], *, what: str, node: bool) -> dict[str, Any]:
    """Return ``props`` as Neo4j stores them (record lists as JSON text), or raise StoreError."""
    reserved = reserved_property(props, node=node)
    if reserved is not None:
        msg = f"{what} has a property named {reserved!r}, a name reserved for the structure of the graph; rename it"
        raise StoreError(msg)
    props = {
        name: json.dumps(value, ensure_ascii=False, sort_keys=True)
        if name in RECORD_LIST_PROPERTIES and not isinstance(value, str)
        else value
        for name, value in props.items()
    }
    for name, value in props.items():
        if not _storable(value):
            msg = f"property {name!r} holds {type(value).__name__}, which Neo4j cannot store"
            raise StoreError(msg)
    return props


def _storable(value: Any) -> bool:
    if isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list):
        return len({type(v) for v in value}) <= 1 and all(isinstance(v, str | int | float | bool) for v in value)
    return False


def _quick_key(props: dict[str, Any]) -> tuple[Any, ...] | None:
    """Return a hashable key of ``props`` as given, or None when a value is not hashable (a list)."""
    values = tuple(props.values())
    # Types are part of the key: True == 1 == 1.0, but Neo4j keeps them apart.
    key = ("given", tuple(props), tuple(map(type, values)), values)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _shared_key(props: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        (name, type(value), tuple((type(v), v) for v in value) if isinstance(value, list) else value)
        for name, value in props.items()
    )


def _tally(report: WriteReport, name: str, counts: dict[str, int]) -> None:
    updated = counts["rows"] - counts["added"] - counts["unchanged"]
    if counts["added"]:
        report.added[name] += counts["added"]
    if updated:
        report.updated[name] += updated
    if counts["unchanged"]:
        report.unchanged[name] += counts["unchanged"]


class Pipeline:
    """Sends batches from background threads while the caller builds the next ones.

    A sender takes the oldest waiting batch whose lock set meets none of
    the running batches' lock sets.  Two batches of the same group (same
    lock set) therefore run one after the other, in the order sent: a
    record written twice ends with its last properties, as in a sequential
    load.  At most :data:`_IN_FLIGHT` batches wait at a time, so memory
    stays bounded; counts are tallied in the caller's thread, in the order
    sent.

    Parameters
    ----------
    send
        Runs one batch in its own transaction and returns its counts
        (``added``, ``unchanged``, ``rows``).
    location
        Where the batches go, for error messages.
    """

    def __init__(
        self,
        send: Callable[[Batch], dict[str, int]],
        location: str,
        report: WriteReport,
        progress: Progress | None,
        *,
        senders: int,
        done: int = 0,
    ) -> None:
        self.send_batch = send
        self.location = location
        self.report = report
        self.progress = progress
        self.done = done
        self.waiting: deque[tuple[Batch, Future[dict[str, int]]]] = deque()
        self.queued: list[tuple[Batch, Future[dict[str, int]]]] = []
        self.held: Counter[tuple[str, int]] = Counter()
        self.closing = False
        self.changed = threading.Condition()
        self.threads = [
            threading.Thread(target=self._sender, name=f"hainet-neo4j-{i}", daemon=True) for i in range(senders)
        ]
        for thread in self.threads:
            thread.start()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        # On an error, batches not yet started are dropped; the ones running finish or fail.
        with self.changed:
            if exc is not None:
                for _, future in self.queued:
                    future.cancel()
                self.queued.clear()
            self.closing = True
            self.changed.notify_all()
        for thread in self.threads:
            thread.join()

    def send(self, batch: Batch) -> None:
        """Queue ``batch``; block while too many batches wait."""
        if not batch.rows:
            return
        future: Future[dict[str, int]] = Future()
        with self.changed:
            self.queued.append((batch, future))
            self.changed.notify_all()
        self.waiting.append((batch, future))
        while len(self.waiting) > _IN_FLIGHT:
            self._finish_oldest()

    def _sender(self) -> None:
        while True:
            with self.changed:
                item = self._next_free()
                while item is None:
                    if self.closing and not self.queued:
                        return
                    self.changed.wait()
                    item = self._next_free()
                batch, future = item
                self.held.update(batch.locks)
            try:
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(self.send_batch(batch))
                    except BaseException as e:  # handed to the caller's thread by the future
                        future.set_exception(e)
            finally:
                with self.changed:
                    self.held.subtract(batch.locks)
                    self.changed.notify_all()

    def _next_free(self) -> tuple[Batch, Future[dict[str, int]]] | None:
        """Take the oldest queued batch that locks nothing a running batch may lock (under the lock)."""
        for i, (batch, future) in enumerate(self.queued):
            if not any(self.held[pair] for pair in batch.locks):
                del self.queued[i]
                return batch, future
        return None

    def wait(self) -> None:
        """Block until every queued batch is written, and tally them."""
        while self.waiting:
            self._finish_oldest()

    def _finish_oldest(self) -> None:
        batch, future = self.waiting.popleft()
        counts = future.result()
        if batch.check_endpoints and counts["rows"] != len(batch.rows):
            msg = (
                f"{len(batch.rows) - counts['rows']} {batch.name} relationships name a node that does "
                f"not exist in {self.location}"
            )
            raise StoreError(msg)
        _tally(self.report, batch.name, counts)
        self.done += len(batch.rows)
        if self.progress:
            self.progress(self.done, None)
