"""Running Cypher: the one interface the questions ask a server through.

A :class:`CypherRunner` runs a read query with parameters and returns its
rows as dicts.  :class:`graph.neo4j_store.Neo4jStore` is the real one;
:class:`RecordingRunner` wraps any runner and keeps every answer, and
:class:`ReplayRunner` answers from those recordings without a server, so the
Cypher branch of every question is also tested where no Neo4j runs.

A recording is keyed by the query's text and its parameters: a changed
Cypher file has no recorded answer, and replaying it fails with one line
that says so, rather than answering from a stale recording.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from graph.errors import HainetError

__all__ = ["CypherRunner", "RecordingRunner", "ReplayRunner", "query_id"]

#: Version of the recording file layout.
_FORMAT = 1


@runtime_checkable
class CypherRunner(Protocol):
    """Something that runs a read-only Cypher query and returns its rows."""

    def run(self, cypher: str, parameters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run ``cypher`` with ``parameters``; return one dict per row, in the query's order."""
        ...


def query_id(cypher: str, parameters: Mapping[str, Any] | None) -> str:
    """Return the key a recording keeps the answer of ``cypher`` with ``parameters`` under.

    Examples
    --------
    >>> query_id("RETURN $x AS x", {"x": 1}) == query_id("RETURN $x AS x", {"x": 1})
    True
    >>> query_id("RETURN $x AS x", {"x": 1}) == query_id("RETURN $x AS x", {"x": 2})
    False
    """
    text = json.dumps([cypher, dict(parameters or {})], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class RecordingRunner:
    """A runner that passes queries to ``inner`` and keeps every answer.

    Parameters
    ----------
    inner
        The runner that answers, usually a :class:`graph.neo4j_store.Neo4jStore`.

    Examples
    --------
    >>> class Echo:
    ...     def run(self, cypher, parameters=None):
    ...         return [{"x": (parameters or {})["x"]}]
    >>> recorder = RecordingRunner(Echo())
    >>> recorder.run("RETURN $x AS x", {"x": 2})
    [{'x': 2}]
    >>> ReplayRunner(recorder.recordings).run("RETURN $x AS x", {"x": 2})
    [{'x': 2}]
    """

    def __init__(self, inner: CypherRunner) -> None:
        self.inner = inner
        self.recordings: dict[str, dict[str, Any]] = {}

    def run(self, cypher: str, parameters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run the query on ``inner``, record its rows and return them."""
        rows = self.inner.run(cypher, parameters)
        self.recordings[query_id(cypher, parameters)] = {
            "cypher": cypher,
            "parameters": dict(parameters or {}),
            "rows": rows,
        }
        return rows

    def save(self, path: str | Path) -> None:
        """Write the recordings to ``path`` as JSON, one query a line, sorted: the same answers give the same bytes."""
        lines = [
            json.dumps(key, ensure_ascii=False) + ": " + json.dumps(value, ensure_ascii=False, sort_keys=True)
            for key, value in sorted(self.recordings.items())
        ]
        body = ",\n".join(lines)
        text = f'{{"format": {_FORMAT}, "queries": {{\n{body}\n}}}}\n'
        Path(path).write_text(text, encoding="utf-8")


class ReplayRunner:
    """A runner that answers from recordings, without a server.

    Parameters
    ----------
    recordings
        The ``recordings`` of a :class:`RecordingRunner`, or a JSON file it saved.

    Raises
    ------
    HainetError
        When asked a query (text and parameters) that was never recorded.
    """

    def __init__(self, recordings: Mapping[str, Mapping[str, Any]] | str | Path) -> None:
        if isinstance(recordings, str | Path):
            self.location = str(recordings)
            document = json.loads(Path(recordings).read_text(encoding="utf-8"))
            if document.get("format") != _FORMAT:
                msg = f"{recordings} is not a Cypher recording of format {_FORMAT}"
                raise HainetError(msg)
            self.recordings: dict[str, Mapping[str, Any]] = dict(document["queries"])
        else:
            self.location = "recordings in memory"
            self.recordings = dict(recordings)
        #: Query ids answered so far, to tell which recordings no question asks any more.
        self.asked: set[str] = set()

    def run(self, cypher: str, parameters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Return the recorded rows of ``cypher`` with ``parameters``."""
        key = query_id(cypher, parameters)
        found = self.recordings.get(key)
        if found is None:
            first = next((line.strip() for line in cypher.splitlines() if line.strip()), "")
            msg = f"no recorded answer in {self.location} for query {key} ({first[:60]}): record it again"
            raise HainetError(msg)
        self.asked.add(key)
        return [dict(row) for row in found["rows"]]
