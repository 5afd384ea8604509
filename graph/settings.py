"""Settings, read from the environment at call time.

===================  =========================================================
variable             meaning
===================  =========================================================
``HAINET_STORE``     where the graph lives: a file path (embedded store) or a
                     ``neo4j://`` / ``bolt://`` URI; default
                     ``$XDG_DATA_HOME/hainet/hainet.sqlite``
                     (``~/.local/share/hainet/hainet.sqlite``)
``NEO4J_URI``        the Neo4j server used when a store URI is not given
``NEO4J_USERNAME``   Neo4j user, default ``neo4j``
``NEO4J_PASSWORD``   Neo4j password
``NEO4J_DATABASE``   Neo4j database, default: the server's default database
``HAINET_LOCK_TIMEOUT``
                     seconds to wait for an embedded store that another
                     process is writing, default 30; then the command stops
                     with an error that names the other process if it can
===================  =========================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.errors import HainetError

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "NEO4J_SCHEMES",
    "Neo4jSettings",
    "default_store_path",
    "is_neo4j_uri",
    "lock_timeout",
    "neo4j_settings",
    "store_location",
]


#: URI schemes that select the Neo4j backend.
NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def is_neo4j_uri(location: str) -> bool:
    """Tell whether ``location`` names a Neo4j server rather than a file.

    Examples
    --------
    >>> is_neo4j_uri("bolt://127.0.0.1:7687")
    True
    >>> is_neo4j_uri("data/hainet.sqlite")
    False
    """
    scheme, sep, _ = location.partition("://")
    return bool(sep) and scheme.lower() in NEO4J_SCHEMES


def store_location(explicit: str | None = None) -> str:
    """Return the store to use: ``explicit``, else ``HAINET_STORE``, else the default."""
    if explicit:
        return explicit
    return os.environ.get("HAINET_STORE") or str(default_store_path())


@dataclass(frozen=True)
class Neo4jSettings:
    """How to reach a Neo4j server."""

    uri: str
    username: str
    password: str
    database: str | None

    def __repr__(self) -> str:
        # The password never appears in a repr, a log or an error.
        return f"Neo4jSettings(uri={self.uri!r}, username={self.username!r}, database={self.database!r})"


def neo4j_settings(uri: str | None = None) -> Neo4jSettings:
    """Return Neo4j settings from ``uri`` and the ``NEO4J_*`` variables."""
    return Neo4jSettings(
        uri=uri or os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
        username=os.environ.get("NEO4J_USERNAME", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", ""),
        database=os.environ.get("NEO4J_DATABASE") or None,
    )


#: Seconds to wait for a store locked by another writer when ``HAINET_LOCK_TIMEOUT`` is unset.
DEFAULT_LOCK_TIMEOUT = 30.0


def lock_timeout() -> float:
    """Return the seconds to wait for an embedded store locked by another writer.

    Read from ``HAINET_LOCK_TIMEOUT`` (a number of seconds, ``0`` for no
    wait), else :data:`DEFAULT_LOCK_TIMEOUT`.

    Raises
    ------
    HainetError
        The variable is not a number of seconds.

    Examples
    --------
    >>> import os
    >>> os.environ["HAINET_LOCK_TIMEOUT"] = "2.5"
    >>> lock_timeout()
    2.5
    >>> del os.environ["HAINET_LOCK_TIMEOUT"]
    """
    text = os.environ.get("HAINET_LOCK_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < 86_400:
        msg = f"HAINET_LOCK_TIMEOUT must be a number of seconds from 0 to 86400, not {text!r}"
        raise HainetError(msg)
    return seconds


def default_store_path() -> Path:
    """Return the embedded store used when neither ``--store`` nor ``HAINET_STORE`` is set."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "hainet" / "hainet.sqlite"
