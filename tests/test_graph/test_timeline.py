"""Time on facts: ranges, status histories, the graph on a date, and loads that keep the past."""

import csv
import datetime as dt

import networkx as nx
import pytest

from graph.errors import HainetError
from graph.schema import PROVENANCE_FIELDS, Node, NodeKind
from graph.sqlite_store import SQLiteStore
from graph.timeline import as_of_date, exists_on, graph_as_of, history_of, status_on, with_history
from loaders.spreadsheets import load_paths


def test_dates_and_years():
    assert as_of_date("2024") == dt.date(2024, 1, 1)
    assert as_of_date("2024", end=True) == dt.date(2024, 12, 31)
    assert as_of_date(None) == dt.date.today()
    for bad in ("2024-13-01", "24", "last year", "2024/01/01"):
        with pytest.raises(HainetError, match="not a date"):
            as_of_date(bad)


def test_range_is_inclusive_at_both_ends():
    fact = {"valid_from": "2021-03-01", "valid_to": "2023"}
    assert not exists_on(fact, dt.date(2021, 2, 28))
    assert exists_on(fact, dt.date(2021, 3, 1))
    assert exists_on(fact, dt.date(2023, 12, 31))
    assert not exists_on(fact, dt.date(2024, 1, 1))
    assert exists_on({}, dt.date(1900, 1, 1))


def test_history_as_json_text_reads_like_a_list():
    listed = {"status_history": [{"status": "active", "date": "2022"}, {"status": "planned", "date": "2021"}]}
    text = {"status_history": '[{"status": "planned", "date": "2021"}, {"status": "active", "date": "2022"}]'}
    assert history_of(listed) == history_of(text)
    assert [e["status"] for e in history_of(listed)] == ["planned", "active"]
    with pytest.raises(HainetError, match="status and a date"):
        history_of({"status_history": [{"status": "active"}]})


def test_status_without_history_is_the_status():
    assert status_on({"status": "stalled"}, dt.date(2000, 1, 1)) == "stalled"


def _graph():
    G = nx.MultiDiGraph()
    G.add_node("region:hubei", kind="Region", valid_from="2025-11-20")
    G.add_node("unit:haikou", kind="DemandUnit")
    G.add_node(
        "coop:east-lake",
        kind="Cooperation",
        status="active",
        status_history=[{"status": "planned", "date": "2025-11-20"}, {"status": "active", "date": "2026-03-01"}],
    )
    G.add_node("dept:rural", kind="Department", valid_to="2023-03-16")
    G.add_edge("region:hubei", "coop:east-lake", key="PARTNER_IN", type="PARTNER_IN")
    G.add_edge("coop:east-lake", "unit:haikou", key="SERVES", type="SERVES", valid_from="2026")
    return G


def test_graph_as_of_drops_what_did_not_exist_and_dates_statuses():
    G = _graph()
    assert set(graph_as_of(G, "2020-12-31")) == {"unit:haikou", "dept:rural"}
    late = graph_as_of(G, "2025-12-31")
    assert set(late) == {"region:hubei", "unit:haikou", "coop:east-lake"}
    assert late.nodes["coop:east-lake"]["status"] == "planned"
    assert list(late.edges(keys=True)) == [("region:hubei", "coop:east-lake", "PARTNER_IN")]
    later = graph_as_of(G, "2026-06-30")
    assert later.nodes["coop:east-lake"]["status"] == "active"
    assert later.number_of_edges() == 2
    assert G.nodes["coop:east-lake"]["status"] == "active"  # the input is left alone


def _coop(status, **props):
    return Node(
        "coop:a",
        NodeKind.COOPERATION,
        "甲合作",
        "A",
        {"mode": "one-to-one", "status": status, "year": 2021, "provenance": "user", **props},
    )


def test_a_changed_status_is_appended_not_overwritten():
    day = dt.date(2025, 6, 1)
    [merged] = with_history([_coop("active")], [_coop("stalled")], today=day)
    assert merged.props["status"] == "stalled"
    assert isinstance(merged.props["status_history"], str)  # JSON text, as every store keeps it
    assert [(e["status"], e["date"]) for e in history_of(merged.props)] == [
        ("active", "2021"),
        ("stalled", "2025-06-01"),
    ]
    [again] = with_history([merged], [_coop("ended")], today=dt.date(2026, 1, 2))
    assert [e["status"] for e in history_of(again.props)] == ["active", "stalled", "ended"]
    assert status_on(again.props, dt.date(2025, 12, 31)) == "stalled"


def test_an_unchanged_status_and_a_stored_end_stay():
    old = _coop("ended", valid_to="2024-06-30")
    [same] = with_history([old], [_coop("ended")], today=dt.date(2025, 1, 1))
    assert "status_history" not in same.props
    assert same.props["valid_to"] == "2024-06-30"
    other = Node("region:x", NodeKind.REGION, "某地", "X", {"provenance": "user"})
    assert with_history([old], [other]) == [other]


def _cooperation_csv(folder, status):
    folder.mkdir(exist_ok=True)
    with open(folder / "cooperations.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(
            [
                ["key", "name_zh", "name_en", "mode", "status", "year"],
                ["coop:a", "甲合作", "A", "one-to-one", status, "2021"],
            ]
        )
    return folder


def test_a_later_load_records_the_change(tmp_path):
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        load_paths(store, [_cooperation_csv(tmp_path / "first", "active")])
        load_paths(store, [_cooperation_csv(tmp_path / "second", "ended")])
        [node] = store.iter_nodes(NodeKind.COOPERATION)
    history = history_of(node.props)
    assert [e["status"] for e in history] == ["active", "ended"]
    assert history[-1]["date"] == dt.date.today().isoformat()
    assert history[-1][PROVENANCE_FIELDS[-1]] == "cooperations.csv"
    assert status_on(node.props, dt.date(2022, 12, 31)) == "active"


def test_graph_at_applies_the_status_history_on_its_date():
    from graph.evidence import graph_at

    G = _graph()
    for node in G:
        G.nodes[node]["provenance"] = "reported"
    assert graph_at(G, evidence="all", as_of="2025-12-31").nodes["coop:east-lake"]["status"] == "planned"
    assert graph_at(G, evidence="all", as_of="2026-06-30").nodes["coop:east-lake"]["status"] == "active"
    assert "coop:east-lake" not in graph_at(G, evidence="all", as_of="2024")
    assert graph_at(G, evidence="stated", as_of="2026-06-30").number_of_nodes() == 0
    assert graph_at(G).nodes["coop:east-lake"]["status"] == "active"  # no date: no restriction in time
