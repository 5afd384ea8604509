"""What the command line does with files that are not plain, writable hainet stores.

Every case runs through the CLI and asserts one ``Error:`` line, the exit
status, and that the file is byte-identical afterwards.  Running as root,
permissions do not stop a write, so a read-only file or folder is made
immutable with ``chattr +i`` there (``chmod`` elsewhere).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import graph.sqlite_store
from graph.cli import cli
from graph.schema import SCHEMA_VERSION
from graph.sqlite_file import APPLICATION_ID, file_state
from graph.sqlite_store import SQLiteStore
from loaders.builtin import load_builtin


def run(*args: str, **env: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env or None)


def one_error_line(result: Result) -> str:
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    path = tmp_path / "g.sqlite"
    with SQLiteStore(path) as store:
        load_builtin(store)
    return path


# --------------------------------------------------------------------------------------- files not ours


def test_another_programs_sqlite_file_is_refused_even_by_info(tmp_path):
    path = tmp_path / "photos.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, file TEXT)")
    conn.execute("INSERT INTO photos (file) VALUES ('a.jpg')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for command in (["info"], ["load"], ["export", "-f", "graphml"], ["--adopt-empty", "load"]):
        line = one_error_line(run("--store", str(path), *command))
        assert line == f"Error: {path} is another program's SQLite database (tables photos); it was left as it is"
        assert path.read_bytes() == before


def test_an_sqlite_file_with_another_application_id_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1598903374")  # some other program's
    conn.execute("CREATE TABLE nodes (key TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    line = one_error_line(run("--store", str(path), "info"))
    assert "another program's SQLite database (application id 0x5f4d544e)" in line
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("meeting notes, not a database\n" * 10, encoding="utf-8")
    before = path.read_bytes()
    line = one_error_line(run("--store", str(path), "load"))
    assert line == f"Error: {path} is not a hainet store (not an SQLite file); it was left as it is"
    assert path.read_bytes() == before


def test_an_empty_file_is_refused_unless_adopted(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    line = one_error_line(run("--store", str(path), "info"))
    assert line == (
        f"Error: {path} is an empty file, not a hainet store; it was left as it is "
        f"(give --adopt-empty to make it a store)"
    )
    assert path.read_bytes() == b""
    adopted = run("--store", str(path), "--adopt-empty", "load")
    assert adopted.exit_code == 0, adopted.output
    assert file_state(path).kind == "hainet" and file_state(path).version == SCHEMA_VERSION
    again = run("--store", str(path), "load")
    assert again.exit_code == 0 and "nothing changed" in again.output


def test_an_sqlite_database_without_tables_is_adopted_only_with_the_flag(tmp_path):
    path = tmp_path / "blank.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    assert "an SQLite database with no tables" in one_error_line(run("--store", str(path), "info"))
    assert path.read_bytes() == before
    assert run("--store", str(path), "--adopt-empty", "info").exit_code == 0
    with open(path, "rb") as f:
        assert int.from_bytes(f.read(72)[68:72], "big") == APPLICATION_ID


def test_a_path_that_does_not_exist_becomes_a_marked_store(tmp_path):
    path = tmp_path / "sub" / "new.sqlite"
    result = run("--store", str(path), "info", "--lang", "en")
    assert result.exit_code == 0 and f"schema version: {SCHEMA_VERSION}" in result.output
    assert file_state(path).kind == "hainet"


# ------------------------------------------------------------------------------------ read-only stores


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` (a file or a folder) unwritable, even for root."""
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"cannot make {path} immutable here: {made.stderr.decode().strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def test_a_read_only_store_file_is_read_dry_run_and_refused_for_a_write(loaded):
    before = loaded.read_bytes()
    with read_only(loaded):
        info = run("--store", str(loaded), "info", "--lang", "en")
        assert info.exit_code == 0 and "(read-only)" in info.output
        dry = run("--store", str(loaded), "load", "--dry-run")
        assert dry.exit_code == 0 and "would load" in dry.output and "nothing changed" in dry.output
        export = run("--store", str(loaded), "export", "-f", "graphml")
        assert export.exit_code == 0 and "<graphml" in export.output
        line = one_error_line(run("--store", str(loaded), "load"))
        assert line == f"Error: cannot write the store {loaded}: it is read-only (check the permissions of the file)"
    assert loaded.read_bytes() == before


def test_a_store_in_a_read_only_folder_is_read_and_refused_for_a_write(loaded):
    before = loaded.read_bytes()
    with read_only(loaded.parent):
        assert run("--store", str(loaded), "info").exit_code == 0
        assert run("--store", str(loaded), "load", "--dry-run").exit_code == 0
        assert "it is read-only" in one_error_line(run("--store", str(loaded), "load"))
    assert loaded.read_bytes() == before


def test_a_dry_run_on_a_missing_store_creates_nothing(tmp_path):
    path = tmp_path / "none.sqlite"
    result = run("--store", str(path), "load", "--dry-run")
    assert result.exit_code == 0 and "would load" in result.output
    assert not path.exists()


# ---------------------------------------------------------------------------------- locked, full, damaged

HOLD_LOCK = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE nodes SET name_en = name_en")
    print("locked", flush=True)
    time.sleep(60)
""")


def test_a_store_locked_by_another_writer_names_the_process_after_the_timeout(loaded):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(loaded)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        before = loaded.read_bytes()
        started = time.monotonic()
        line = one_error_line(run("--store", str(loaded), "load", HAINET_LOCK_TIMEOUT="0.5"))
        waited = time.monotonic() - started
        assert line == (
            f"Error: cannot write the store {loaded}: process {holder.pid} is writing it and kept it "
            f"locked for 0.5 s; try again when it is done, or set HAINET_LOCK_TIMEOUT to wait longer"
        )
        assert 0.5 <= waited < 20
        # Readers are not blocked by a writer that has not committed yet.
        assert run("--store", str(loaded), "info").exit_code == 0
        assert loaded.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


def test_a_bad_lock_timeout_setting_is_one_line(loaded):
    line = one_error_line(run("--store", str(loaded), "info", HAINET_LOCK_TIMEOUT="soon"))
    assert line == "Error: HAINET_LOCK_TIMEOUT must be a number of seconds from 0 to 86400, not 'soon'"


def test_a_full_disk_is_one_line_and_writes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "g.sqlite"
    with SQLiteStore(path):
        pass
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    # The "disk" holds only two more pages than the empty store.
    monkeypatch.setattr(
        graph.sqlite_store, "_PRAGMAS", [*graph.sqlite_store._PRAGMAS, f"PRAGMA max_page_count = {pages + 2}"]
    )
    before = path.read_bytes()
    line = one_error_line(run("--store", str(path), "load"))
    assert line == f"Error: cannot write the store {path}: the disk is full; nothing was written"
    assert path.read_bytes() == before


def test_a_damaged_store_is_one_line_and_left_as_it_is(loaded):
    data = bytearray(loaded.read_bytes())
    page = 4096
    data[page:] = bytes([0xA5]) * (len(data) - page)
    loaded.write_bytes(bytes(data))
    for command in (["info"], ["load"], ["export", "-f", "node-link"]):
        line = one_error_line(run("--store", str(loaded), *command))
        action = "read"  # a load reads the stored cooperations first, to keep their status history
        assert line.startswith(f"Error: cannot {action} the store {loaded}: the file is damaged (")
        assert line.endswith("); restore it from a copy")
        assert loaded.read_bytes() == bytes(data)


def test_copy_reads_its_source_read_only_and_refuses_a_missing_one(loaded, tmp_path):
    before = loaded.read_bytes()
    with read_only(loaded):
        copied = run("copy", "--from", str(loaded), "--to", str(tmp_path / "copy.sqlite"))
    assert copied.exit_code == 0, copied.output
    assert loaded.read_bytes() == before
    missing = run("copy", "--from", str(tmp_path / "nothing.sqlite"), "--to", str(tmp_path / "copy.sqlite"))
    assert missing.exit_code == 2 and "there is no store at" in missing.output
    assert not (tmp_path / "nothing.sqlite").exists()


CREATE_AND_LOAD = textwrap.dedent("""
    import sys
    from graph.sqlite_store import SQLiteStore
    from loaders.builtin import load_builtin
    with SQLiteStore(sys.argv[1]) as store:
        load_builtin(store)
""")


def test_processes_creating_the_same_new_store_at_once_all_succeed(tmp_path):
    path = tmp_path / "new.sqlite"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    children = [
        subprocess.Popen([sys.executable, "-c", CREATE_AND_LOAD, str(path)], env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    errors = [child.communicate(timeout=300)[1] for child in children]
    assert [child.returncode for child in children] == [0, 0, 0, 0], errors
    assert file_state(path) == file_state(path).__class__("hainet", SCHEMA_VERSION)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.sqlite"]
    with SQLiteStore(path) as store:
        assert store.counts().total_nodes > 200


def test_a_dry_run_on_an_adopted_empty_file_leaves_it_empty(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    result = run("--store", str(path), "--adopt-empty", "load", "--dry-run")
    assert result.exit_code == 0 and "would load" in result.output, result.output
    assert path.read_bytes() == b""
