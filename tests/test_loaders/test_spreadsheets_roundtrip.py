"""Export and load back: the same graph, in SQLite and in Neo4j; random text either round-trips or is reported."""

import csv
import string
import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from graph.cli import cli
from graph.errors import HainetError, ValidationError
from graph.names import clean_name
from graph.schema import Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from loaders.builtin import load_builtin
from loaders.spreadsheets import export_csv_folder, export_workbook, load_paths, tables_from_store
from loaders.templates import TEMPLATES, WORKBOOK_NAME, write_csv_folder


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def empty_store(request, tmp_path):
    if request.param == "neo4j":
        yield request.getfixturevalue("neo4j_store")
        return
    with SQLiteStore(tmp_path / "target.sqlite") as s:
        yield s


@pytest.fixture(scope="module")
def builtin_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("builtin") / "builtin.sqlite"
    with SQLiteStore(path) as s:
        load_builtin(s)
    return path


def graph_data(G):
    return sorted(G.nodes(data=True)), sorted(G.edges(keys=True, data=True))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_builtin_dataset_round_trips(builtin_path, empty_store, tmp_path, fmt):
    with SQLiteStore(builtin_path) as source:
        original = graph_from_store(source)
        if fmt == "xlsx":
            [out] = export_workbook(source, tmp_path / "export.xlsx")
        else:
            export_csv_folder(source, tmp_path / "export")
            out = tmp_path / "export"
    report = load_paths(empty_store, [out])
    assert sum(report.added.values()) == original.number_of_nodes() + original.number_of_edges()
    assert graph_data(graph_from_store(empty_store)) == graph_data(original)
    again = load_paths(empty_store, [out])
    assert not again.changed


def test_stated_facts_stay_stated(builtin_path, tmp_path):
    with SQLiteStore(builtin_path) as source:
        tables = tables_from_store(source)
    zhangjiang = next(r for r in tables["parks"] if r["key"] == "park:zhangjiang")
    assert zhangjiang["provenance"] == "stated" and zhangjiang["quote"] and zhangjiang["region"] == "region:shanghai"
    partners = [r for r in tables["cooperation_parties"] if r["role"] == "partner"]
    # Partners are never curated: the document states them, or a later public report does.
    assert partners and all(r["provenance"] in ("stated", "reported") for r in partners)
    assert any(r["provenance"] == "reported" and r["document"].startswith("https://") for r in partners)


def test_relationships_with_their_own_provenance_go_to_links(builtin_path):
    with SQLiteStore(builtin_path) as source:
        tables = tables_from_store(source)
        nodes = {n.key: n for n in source.iter_nodes()}
        located = {e.source: e for e in source.iter_edges(RelType.LOCATED_IN)}
    zhongguancun = located["park:zhongguancun"]
    assert zhongguancun.props["provenance"] == "curated" != nodes["park:zhongguancun"].props["provenance"]
    rows = [r for r in tables["links"] if r["from"] == "park:zhongguancun" and r["type"] == "LOCATED_IN"]
    assert rows == [{"from": "park:zhongguancun", "type": "LOCATED_IN", "to": "region:beijing", **zhongguancun.props}]


def test_an_edited_export_loads_as_an_update(builtin_path, tmp_path):
    target = tmp_path / "copy.sqlite"
    with SQLiteStore(builtin_path) as source, SQLiteStore(target) as copy:
        copy.write(source.iter_nodes(), source.iter_edges())
        export_csv_folder(copy, tmp_path / "export")
        path = tmp_path / "export" / "cooperations.csv"
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        status = rows[0].index("status")
        rows[1][status] = "stalled"
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(rows)
        # The cooperation is stated: the edit is a conflict, recorded beside the stated status only on request.
        with pytest.raises(ValidationError, match="holds 'active', this row 'stalled'"):
            load_paths(copy, [tmp_path / "export"])
        report = load_paths(copy, [tmp_path / "export"], override=True)
        assert dict(report.updated) == {"Cooperation": 1}
        props = next(copy.iter_nodes(NodeKind.COOPERATION)).props
        assert props["status"] == "active" and '"status": "stalled"' in props["user_overrides"]


def test_csv_export_is_deterministic(builtin_path, tmp_path):
    with SQLiteStore(builtin_path) as source:
        first = [p.read_bytes() for p in export_csv_folder(source, tmp_path / "a")]
        second = [p.read_bytes() for p in export_csv_folder(source, tmp_path / "b")]
    assert first == second and len(first) == len(TEMPLATES)
    assert first[0].startswith(b"\xef\xbb\xbfkey,name_zh,name_en")


HOSTILE = [
    Node(
        "region:x",
        NodeKind.REGION,
        '=HYPERLINK("http://example.com","海南")',
        "+Region",
        {"provenance": "curated", "basis": "@SUM(A1:A2)"},
    ),
    Node(
        "region:y", NodeKind.REGION, "'已有撇号", "#N/A", {"provenance": "curated", "basis": "-1+2", "code": "010100"}
    ),
]


def test_exported_cells_are_safe_and_load_back_unchanged(tmp_path):
    with SQLiteStore(tmp_path / "a.sqlite") as source:
        source.write(HOSTILE, [Edge("region:x", RelType.PART_OF, "region:y", {"provenance": "user", "document": "=1"})])
        original = graph_from_store(source)
        [workbook_path] = export_workbook(source, tmp_path / "out.xlsx")
        export_csv_folder(source, tmp_path / "csv")
    text = (tmp_path / "csv" / "regions.csv").read_text(encoding="utf-8-sig")
    for cell in ("'=HYPERLINK", "'+Region", "'@SUM", "''已有撇号", "'#N/A", "'-1+2"):
        assert cell in text
    sheet = load_workbook(workbook_path)["regions"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
    assert all(c.data_type == "s" for c in cells)
    # A text cell never runs as a formula: the workbook holds the text exactly, with no guard apostrophe.
    values = {c.value for c in cells}
    assert {n.name_zh for n in HOSTILE} | {n.name_en for n in HOSTILE} <= values
    assert "'-1+2" not in values and "-1+2" in values
    with zipfile.ZipFile(workbook_path) as z:
        assert not any(b"<f>" in z.read(name) for name in z.namelist() if name.startswith("xl/worksheets/"))
    for out in (workbook_path, tmp_path / "csv"):
        with SQLiteStore(tmp_path / f"{out.name}.sqlite") as target:
            load_paths(target, [out])
            assert graph_data(graph_from_store(target)) == graph_data(original)


def test_export_command_writes_registered_formats(builtin_path, tmp_path):
    runner = CliRunner()
    store = ["--store", str(builtin_path)]
    result = runner.invoke(cli, [*store, "export", "--format", "xlsx", "-o", str(tmp_path / "g.xlsx")])
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "g.xlsx").sheetnames[1:] == [t.name for t in TEMPLATES]
    result = runner.invoke(cli, [*store, "export", "--format", "csv", "-o", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(f"{t.name}.csv" for t in TEMPLATES)
    result = runner.invoke(cli, [*store, "export", "--format", "edgelist-csv", "-o", str(tmp_path / "edges")])
    assert result.exit_code == 0 and (tmp_path / "edges" / "nodes.csv").exists()


def test_export_command_refuses_unknown_formats_and_stdout_for_files(builtin_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(builtin_path), "export", "--format", "pdf"])
    assert result.exit_code == 2
    assert "'pdf' is not one of node-link, graphml, edgelist-csv, csv, xlsx" in result.output
    result = runner.invoke(cli, ["--store", str(builtin_path), "export", "--format", "xlsx"])
    assert result.exit_code == 2 and "give -o PATH" in result.output


def test_export_refuses_what_the_templates_cannot_hold(tmp_path):
    with SQLiteStore(tmp_path / "a.sqlite") as source:
        source.write(
            [Node("region:x", NodeKind.REGION, "某地", "Somewhere", {"provenance": "user", "colour": "red"})], []
        )
        with pytest.raises(HainetError, match="no column for colour"):
            tables_from_store(source)
    with SQLiteStore(tmp_path / "b.sqlite") as source:
        source.write(
            [
                Node(
                    "mech:x",
                    NodeKind.MECHANISM,
                    "某机制",
                    "Some mechanism",
                    {"provenance": "user", "modes": ["a;b", "c"]},
                )
            ],
            [],
        )
        with pytest.raises(HainetError, match="holds ';'"):
            tables_from_store(source)


# --- random text: round trip exactly, or a problem with its row and column --------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
CONTROL = st.sampled_from([chr(c) for c in [*range(0x00, 0x20), 0x7F, 0x85, 0x9F]])
OTHER = st.sampled_from(list(string.ascii_letters + string.digits + " 　'=+-@#（）、，。!?;:\"/\\"))
TEXT = st.text(st.one_of(CJK, CONTROL, OTHER), min_size=0, max_size=12)
ROWS = st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=5)


def _expected_problems(rows):
    """(row, column) of every cell the loader must refuse: empty names and basis, control characters."""
    expected = set()
    for number, values in enumerate(rows, start=2):
        for column, value in zip(("name_zh", "name_en", "basis"), values, strict=True):
            allowed = "\r\n\t" if column == "basis" else ""
            if not value.strip() or any((ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) and c not in allowed for c in value):
                expected.add((number, column))
    return expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS, fmt=st.sampled_from(["csv", "xlsx"]))
def test_random_text_round_trips_or_is_reported(tmp_path_factory, rows, fmt):
    folder = tmp_path_factory.mktemp("random")
    table = [
        {"key": f"region:r{i}", "name_zh": zh, "name_en": en, "provenance": "curated", "basis": basis}
        for i, (zh, en, basis) in enumerate(rows)
    ]
    expected = _expected_problems(rows)
    if fmt == "csv":
        write_csv_folder({"regions": table}, folder)
        paths = [folder / "regions.csv"]
    else:
        from openpyxl.utils.exceptions import IllegalCharacterError

        from loaders.templates import write_workbook

        try:
            write_workbook({"regions": table}, folder / WORKBOOK_NAME)
        except HainetError as e:  # openpyxl cannot write most control characters at all
            assert isinstance(e.__cause__, IllegalCharacterError) and expected
            return
        paths = [folder / WORKBOOK_NAME]
    with SQLiteStore(folder / "g.sqlite") as store:
        try:
            load_paths(store, paths)
        except ValidationError as e:
            found = {(p.row, p.column) for p in e.problems}
            assert all(p.row is not None and p.column is not None for p in e.problems), e
            assert found == expected, e
            assert store.counts().total_nodes == 0
            return
        assert not expected
        loaded = {n.key: n for n in store.iter_nodes()}
    for row in table:
        node = loaded[row["key"]]
        # Names are stored without spaces at their ends; a CR or CR+LF in free text is one line break.
        basis = row["basis"].replace("\r\n", "\n").replace("\r", "\n")
        assert (node.name_zh, node.name_en, node.props["basis"]) == (
            clean_name(row["name_zh"]),
            clean_name(row["name_en"]),
            basis,
        )
