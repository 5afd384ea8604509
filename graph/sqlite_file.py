"""What is in a file given as an embedded store, and what SQLite's errors mean for it.

hainet writes only into a file it created.  A store carries a marker and a
schema version in its SQLite header (``PRAGMA application_id`` and
``PRAGMA user_version``), so the file can be recognised by reading its
first hundred bytes, without opening it as a database and without writing
a byte.  A store of schema version 1 (hainet 0.1, before the marker) is
recognised by its two tables, ``nodes`` and ``edges``, and migrated when
it is opened; see :mod:`graph.sqlite_store`.

Every SQLite error becomes one :class:`~graph.errors.StoreError` line that
says what happened to which file: locked by another writer (named by its
process id when the lock can be seen), read-only, disk full, damaged.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import StoreError

__all__ = [
    "APPLICATION_ID",
    "FileState",
    "file_state",
    "lock_holder",
    "sqlite_errors",
]

#: ``PRAGMA application_id`` of a hainet store: ``hnet`` in ASCII.
APPLICATION_ID = 0x686E6574

_MAGIC = b"SQLite format 3\x00"
_HEADER = 100

#: Tables of a version-1 store, and their columns, as hainet 0.1 created them.
_V1_TABLES = {
    "nodes": ["key", "kind", "name_zh", "name_en", "props"],
    "edges": ["source", "type", "target", "props"],
}


@dataclass(frozen=True)
class FileState:
    """What a path given as a store holds.

    Attributes
    ----------
    kind
        ``missing``, ``empty`` (a file of zero bytes), ``hainet`` (a store,
        of ``version``), ``blank`` (an SQLite database without tables),
        ``foreign`` (another program's SQLite database) or ``not-sqlite``.
    version
        The schema version of a ``hainet`` store, else 0.
    detail
        For ``foreign``: what gave it away (its application id or tables).
    """

    kind: str
    version: int = 0
    detail: str = ""


def file_state(path: Path) -> FileState:
    """Tell what ``path`` holds, reading it without a lock and without writing.

    Raises
    ------
    StoreError
        The path is a folder, or cannot be read.
    """
    try:
        with path.open("rb") as f:
            header = f.read(_HEADER)
    except FileNotFoundError:
        return FileState("missing")
    except IsADirectoryError as e:
        msg = f"the store {path} is a folder; give a file path"
        raise StoreError(msg) from e
    except OSError as e:
        msg = f"cannot open the store {path}: {e.strerror or e}"
        raise StoreError(msg) from e
    if not header:
        return FileState("empty")
    if len(header) < _HEADER or not header.startswith(_MAGIC):
        return FileState("not-sqlite")
    user_version, application_id = struct.unpack(">i4xi", header[60:72])
    if application_id == APPLICATION_ID:
        return FileState("hainet", user_version)
    if application_id:
        return FileState("foreign", detail=f"application id 0x{application_id & 0xFFFFFFFF:08x}")
    return _state_from_tables(path)


def _state_from_tables(path: Path) -> FileState:
    """Tell a version-1 store, a blank database and another program's database apart by their tables."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as e:
        msg = f"cannot read the store {path}: {e}"
        raise StoreError(msg) from e
    try:
        with sqlite_errors(path, "read"):
            names = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            columns = {
                name: [row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", (name,))] for name in names
            }
    finally:
        conn.close()
    if not names:
        return FileState("blank")
    if columns == _V1_TABLES:
        return FileState("hainet", 1)
    shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
    return FileState("foreign", detail=f"tables {shown}")


# Where SQLite puts its POSIX locks in a database file (see SQLite's os_unix.c):
# the pending byte, the reserved byte, then the shared range.
_PENDING_BYTE = 0x40000000
_LOCK_BYTES = 2 + 510


def lock_holder(path: Path) -> int | None:
    """Return the id of another process holding an SQLite lock on ``path``, or None if none can be seen.

    Asks the kernel with ``fcntl(F_GETLK)`` which process holds a lock that a
    writer would wait for.  Only Linux's ``struct flock`` layout is known
    here; elsewhere the answer is None.
    """
    if not sys.platform.startswith("linux"):
        return None
    # struct flock on Linux: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid.
    layout = "hh4xqqi4x"
    query = struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, _PENDING_BYTE, _LOCK_BYTES, 0)
    try:
        # Opened read-only and only asked: F_GETLK takes no lock.  Closing a
        # descriptor drops this process's own locks on the file, so this is
        # called only after this process's transaction has failed.
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
    except OSError:
        return None
    finally:
        os.close(fd)
    l_type, _, _, _, pid = struct.unpack(layout, answer)
    return pid if l_type != fcntl.F_UNLCK and pid > 0 else None


_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


@contextlib.contextmanager
def sqlite_errors(path: Path, action: str, *, waited: float | None = None) -> Iterator[None]:
    """Turn an :class:`sqlite3.Error` raised inside into one :class:`StoreError` line about ``path``.

    Parameters
    ----------
    path
        The store file.
    action
        What was being done, e.g. ``write`` or ``read``, for the message.
    waited
        Seconds SQLite waited for a lock before giving up, for the message.
    """
    try:
        yield
    except sqlite3.Error as e:
        raise StoreError(_message(path, action, e, waited)) from e


def _message(path: Path, action: str, error: sqlite3.Error, waited: float | None) -> str:
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if code in (_BUSY, _LOCKED):
        holder = lock_holder(path)
        who = f"process {holder}" if holder else "another process (which one cannot be told)"
        wait = f" for {waited:g} s" if waited is not None else ""
        return (
            f"cannot {action} the store {path}: {who} is writing it and kept it locked{wait}; "
            f"try again when it is done, or set HAINET_LOCK_TIMEOUT to wait longer"
        )
    if code == _READONLY:
        return f"cannot {action} the store {path}: it is read-only (check the permissions of the file and its folder)"
    if code == _FULL:
        return f"cannot {action} the store {path}: the disk is full; nothing was written"
    if code in (_CORRUPT, _NOTADB):
        return f"cannot {action} the store {path}: the file is damaged ({error}); restore it from a copy"
    if code == _CANTOPEN:
        return (
            f"cannot {action} the store {path}: SQLite cannot open the file or create its journal beside it "
            f"(check that the folder is writable)"
        )
    if code == _IOERR:
        return f"cannot {action} the store {path}: input/output error ({error})"
    return f"cannot {action} the store {path}: {error}"
