"""The monitoring table: one row per cooperation per year, validated like every other table."""

import csv

import pytest

from graph.errors import ValidationError
from graph.schema import Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from loaders.spreadsheets import export_csv_folder, export_workbook, load_paths
from loaders.templates import template_named

COOP = Node(
    "coop:tianfu-lecheng",
    NodeKind.COOPERATION,
    "天府—乐城合作",
    "Tianfu–Lecheng cooperation",
    {"provenance": "curated", "basis": "test", "mode": "point-to-point", "status": "active", "year": 2020},
)
HEADER = [
    "cooperation",
    "year",
    "status",
    "projects",
    "funding_wan_yuan",
    "talents",
    "results_transferred",
    "platforms",
    "note",
    "provenance",
    "basis",
]
GOOD = ["天府—乐城合作", "2022", "active", "3", "120.5", "10", "1", "2", "进展顺利", "example", "fictional"]


def write(path, *rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(tmp_path / "g.sqlite") as s:
        s.write([COOP], [])
        yield s


def test_the_template_has_the_columns_of_the_issue():
    names = template_named("monitoring").headers
    assert names[:10] == [
        "key",
        "cooperation",
        "year",
        "status",
        "projects",
        "funding_wan_yuan",
        "talents",
        "results_transferred",
        "platforms",
        "note",
    ]
    assert {"provenance", "basis"} <= set(names)


def test_a_row_becomes_a_monitoring_node_reporting_on_its_cooperation(store, tmp_path):
    report = load_paths(store, [write(tmp_path / "monitoring.csv", GOOD)])
    assert dict(report.added) == {"Monitoring": 1, "REPORTS_ON": 1}
    [node] = store.iter_nodes(NodeKind.MONITORING)
    assert node.key == "monitoring:tianfu-lecheng:2022"
    assert node.name_zh == "天府—乐城合作·2022年度监测"
    assert node.props["funding_wan_yuan"] == 120.5 and node.props["projects"] == 3
    assert node.props["provenance"] == "example"
    assert [e.triple for e in store.iter_edges(RelType.REPORTS_ON)] == [
        ("monitoring:tianfu-lecheng:2022", "REPORTS_ON", "coop:tianfu-lecheng")
    ]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("funding_wan_yuan", "-120.5", "must be at least 0"),
        ("projects", "-1", "must be at least 0"),
        ("talents", "十", "must be a whole number"),
        ("funding_wan_yuan", "many", "must be a number"),
        ("year", "2019", "the year must be from 2020"),
        ("year", "2999", "the year must be from 2020"),
        ("cooperation", "不存在的合作", "unknown reference"),
        ("status", "finished", "must be one of planned, active"),
    ],
)
def test_a_wrong_cell_is_refused_with_its_place_and_nothing_is_written(store, tmp_path, column, value, reason):
    row = list(GOOD)
    row[HEADER.index("year")] = "2023"  # another year: one row per cooperation per year
    row[HEADER.index(column)] = value
    path = write(tmp_path / "monitoring.csv", GOOD, row)
    before = graph_from_store(store)
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (str(path), 3, column, value)
    assert reason in problem.reason
    assert repr(value) in str(caught.value)
    after = graph_from_store(store)
    assert list(after.nodes(data=True)) == list(before.nodes(data=True)) and after.number_of_edges() == 0


def test_one_row_per_cooperation_per_year(store, tmp_path):
    with pytest.raises(ValidationError, match="duplicate key"):
        load_paths(store, [write(tmp_path / "monitoring.csv", GOOD, GOOD)])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_monitoring_exports_and_loads_back(store, tmp_path, fmt):
    load_paths(store, [write(tmp_path / "monitoring.csv", GOOD)])
    out = tmp_path / ("out" if fmt == "csv" else "out.xlsx")
    paths = export_csv_folder(store, out) if fmt == "csv" else export_workbook(store, out)
    with SQLiteStore(tmp_path / "back.sqlite") as back:
        load_paths(back, paths if fmt == "xlsx" else [out])
        assert list(back.iter_nodes()) == list(store.iter_nodes())
        assert list(back.iter_edges()) == list(store.iter_edges())


def test_edges_of_monitoring_are_only_reports_on():
    Edge("monitoring:a:2022", RelType.REPORTS_ON, "coop:a")  # allowed by the schema
    from graph.schema import EDGE_ENDPOINTS

    sources, targets = EDGE_ENDPOINTS[RelType.REPORTS_ON]
    assert sources == {NodeKind.MONITORING} and targets == {NodeKind.COOPERATION}
