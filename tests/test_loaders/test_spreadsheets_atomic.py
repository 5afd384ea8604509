"""Nothing lost: a load that fails writes nothing, and a load killed half-way leaves the store as it was."""

import csv
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from graph.errors import ValidationError
from graph.schema import Node, NodeKind
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from loaders.spreadsheets import load_paths

STATED = {"provenance": "stated", "section": "二(一)", "quote": "海南"}
BASE = [
    Node("region:hainan", NodeKind.REGION, "海南省", "Hainan", STATED),
    Node("industry:tourism", NodeKind.INDUSTRY, "旅游业", "Tourism", {"provenance": "curated", "basis": "leading"}),
]


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path):
    if request.param == "neo4j":
        s = request.getfixturevalue("neo4j_store")
        s.write(BASE, [])
        yield s
        return
    with SQLiteStore(tmp_path / "g.sqlite") as s:
        s.write(BASE, [])
        yield s


def write_big_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["key", "name_zh", "name_en", "region_type", "parent_region"])
        for i in range(rows):
            writer.writerow([f"region:r{i}", f"地区{i}", f"Region {i}", "city", "海南省"])
    return path


def test_a_load_with_one_bad_row_among_many_writes_nothing(store, tmp_path):
    path = write_big_csv(tmp_path / "regions.csv", 3000)
    with open(path, "a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(["region:last", "最后", "Last", "city", "火星"])
    before = graph_from_store(store)
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    assert [(p.row, p.column) for p in caught.value.problems] == [(3002, "parent_region")]
    after = graph_from_store(store)
    assert sorted(after.nodes(data=True)) == sorted(before.nodes(data=True))
    assert after.number_of_edges() == before.number_of_edges() == 0


KILLED_LOAD = textwrap.dedent(
    """
    import sys, time
    from graph.sqlite_store import SQLiteStore
    from loaders.spreadsheets import load_paths

    def progress(done, total):
        print("written", done, flush=True)
        time.sleep(60)  # the parent kills the process here, inside the write's transaction

    with SQLiteStore(sys.argv[1]) as store:
        load_paths(store, [sys.argv[2]], progress=progress)
    """
)


def test_a_load_killed_half_way_leaves_the_store_as_it_was(tmp_path):
    db = tmp_path / "g.sqlite"
    with SQLiteStore(db) as s:
        s.write(BASE, [])
        before = s.counts()
    path = write_big_csv(tmp_path / "regions.csv", 12_000)
    child = subprocess.Popen([sys.executable, "-c", KILLED_LOAD, str(db), str(path)], stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.startswith("written"), line  # the first batch is in, uncommitted
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    with SQLiteStore(db) as s:
        assert s.counts() == before
        assert [n.key for n in s.iter_nodes()] == ["industry:tourism", "region:hainan"]
        report = load_paths(s, [path])  # and the store takes the load afterwards
        assert report.added["Region"] == 12_000 and report.added["PART_OF"] == 12_000
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
