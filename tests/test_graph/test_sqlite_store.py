import json
import signal
import subprocess
import sys
import textwrap

import networkx as nx
import pytest

from graph.errors import StoreError
from graph.schema import Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store, open_store

HAINAN = Node("region:hainan", NodeKind.REGION, "海南省", "Hainan", {"provenance": "stated", "section": "二(一)"})
SHANGHAI = Node("region:shanghai", NodeKind.REGION, "上海市", "Shanghai", {"provenance": "stated", "tags": ["a", "b"]})
COOP = Node(
    "coop:sh-hn",
    NodeKind.COOPERATION,
    "沪琼合作",
    "Shanghai–Hainan",
    {"mode": "one-to-one", "status": "active", "year": 2020, "provenance": "stated"},
)
PARTNER = Edge("region:shanghai", RelType.PARTNER_IN, "coop:sh-hn", {"provenance": "stated", "quote": "上海"})


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(tmp_path / "g.sqlite") as s:
        yield s


def test_round_trip_keeps_every_property(store):
    store.write([HAINAN, SHANGHAI, COOP], [PARTNER])
    assert list(store.iter_nodes()) == sorted([HAINAN, SHANGHAI, COOP], key=lambda n: n.key)
    assert list(store.iter_edges()) == [PARTNER]
    assert list(store.iter_nodes(NodeKind.COOPERATION)) == [COOP]
    assert store.counts().nodes == {"Cooperation": 1, "Region": 2}
    assert store.counts().edges == {"PARTNER_IN": 1}


def test_graph_from_store_is_a_multidigraph_with_properties(store):
    store.write([HAINAN, SHANGHAI, COOP], [PARTNER])
    G = graph_from_store(store)
    assert isinstance(G, nx.MultiDiGraph)
    assert G.nodes["coop:sh-hn"]["year"] == 2020
    assert G.nodes["region:shanghai"]["tags"] == ["a", "b"]
    assert G.nodes["region:shanghai"]["kind"] == "Region"
    assert G.edges["region:shanghai", "coop:sh-hn", "PARTNER_IN"]["quote"] == "上海"


def test_second_identical_write_changes_nothing(store):
    first = store.write([HAINAN, SHANGHAI, COOP], [PARTNER])
    second = store.write([HAINAN, SHANGHAI, COOP], [PARTNER])
    assert sum(first.added.values()) == 4
    assert not second.changed
    assert second.unchanged == {"Region": 2, "Cooperation": 1, "PARTNER_IN": 1}


def test_changed_property_counts_as_updated(store):
    store.write([HAINAN], [])
    moved = Node("region:hainan", NodeKind.REGION, "海南省", "Hainan Province", {"provenance": "stated"})
    report = store.write([moved], [])
    assert report.updated == {"Region": 1}
    assert next(store.iter_nodes()).name_en == "Hainan Province"


def test_dry_run_reports_but_writes_nothing(store):
    report = store.write([HAINAN, SHANGHAI], [], dry_run=True)
    assert report.added == {"Region": 2}
    assert store.counts().total_nodes == 0


def test_edge_to_missing_node_writes_nothing(store):
    store.write([HAINAN], [])
    with pytest.raises(StoreError, match="does not exist"):
        store.write([SHANGHAI], [PARTNER])
    assert [n.key for n in store.iter_nodes()] == ["region:hainan"]


def test_open_store_picks_the_embedded_store_for_a_path(tmp_path, monkeypatch):
    monkeypatch.setenv("HAINET_STORE", str(tmp_path / "env.sqlite"))
    with open_store() as s:
        assert s.location == str(tmp_path / "env.sqlite")
    with open_store(str(tmp_path / "explicit.sqlite")) as s:
        assert s.location.endswith("explicit.sqlite")


def test_unopenable_path_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot open the store"):
        SQLiteStore(blocker / "sub" / "g.sqlite")


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from graph.schema import Node, NodeKind
    from graph.sqlite_store import SQLiteStore

    def nodes():
        for i in range(1_000_000):
            if i == 20_000:
                print("midway", flush=True)
                time.sleep(60)
            yield Node(f"region:r{i}", NodeKind.REGION, f"地区{i}", f"R{i}", {"provenance": "user"})

    SQLiteStore(sys.argv[1]).write(nodes(), [])
    """
)


def test_killed_write_leaves_old_content_and_store_reopens(tmp_path):
    path = tmp_path / "g.sqlite"
    with SQLiteStore(path) as s:
        s.write([HAINAN, SHANGHAI, COOP], [PARTNER])
        before = (list(s.iter_nodes()), list(s.iter_edges()))
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "midway"  # 20,000 nodes are in the open transaction
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with SQLiteStore(path) as s:
        assert (list(s.iter_nodes()), list(s.iter_edges())) == before
        assert s.write([HAINAN], []).unchanged == {"Region": 1}


def test_props_are_canonical_json(store):
    store.write([SHANGHAI], [])
    raw = store._conn.execute("SELECT props FROM nodes").fetchone()[0]
    assert raw == json.dumps(SHANGHAI.props, ensure_ascii=False, sort_keys=True)
