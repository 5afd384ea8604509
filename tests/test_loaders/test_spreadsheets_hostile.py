"""Planners' files as they really come: stray cells far down a sheet, long cells, hidden sheets, big numbers."""

import csv
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from graph.cli import cli
from graph.errors import ValidationError
from graph.schema import NodeKind
from graph.sqlite_store import SQLiteStore
from loaders._xlsx import read_workbook
from loaders.spreadsheets import load_paths

LAST_ROW = 1048576


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(tmp_path / "g.sqlite") as s:
        yield s


def stray_cell_workbook(path: Path, rows: list[list[str]], far: str, *, value: str | None = None) -> Path:
    """A workbook whose ``regions`` sheet holds ``rows`` and one empty or blank cell far down at ``far``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "regions"
    for row in rows:
        sheet.append(row)
    sheet[far].number_format = "0.00"  # a formatted, empty cell: written to the file, with no value
    if value is not None:
        sheet[far].value = value
    workbook.save(path)
    return path


def declared_dimension(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    return xml.split('<dimension ref="', 1)[1].split('"', 1)[0]


def readme_only(title: str) -> bool:
    return title == "README"


def test_a_stray_cell_far_down_is_not_a_million_rows(store, tmp_path):
    path = stray_cell_workbook(
        tmp_path / "stray.xlsx", [["name_zh", "name_en"], ["三亚市", "Sanya"], ["儋州市", "Danzhou"]], f"Z{LAST_ROW}"
    )
    assert declared_dimension(path) == f"A1:Z{LAST_ROW}" and path.stat().st_size < 6000
    content = read_workbook(path, lambda title: title == "regions", skip=readme_only)
    assert content.rows_read == 4  # the three rows and the stray one, never the rows in between
    assert [number for number, _ in content.tables[0].rows] == [2, 3]
    started = time.perf_counter()
    load_paths(store, [path])
    assert time.perf_counter() - started < 5
    assert sorted(n.name_en for n in store.iter_nodes(NodeKind.REGION)) == ["Danzhou", "Sanya"]


def test_one_real_row_and_one_blank_cell_far_away(store, tmp_path):
    path = stray_cell_workbook(
        tmp_path / "far.xlsx", [["name_zh", "name_en"], ["三亚市", "Sanya"]], f"A{LAST_ROW}", value=" "
    )
    content = read_workbook(path, lambda title: title == "regions", skip=readme_only)
    assert content.rows_read == 3
    started = time.perf_counter()
    report = load_paths(store, [path])
    assert time.perf_counter() - started < 5
    assert dict(report.added) == {"Region": 1}


def test_a_value_far_down_is_read_as_its_row(store, tmp_path):
    path = stray_cell_workbook(
        tmp_path / "far.xlsx", [["name_zh", "name_en"], ["三亚市", "Sanya"]], f"C{LAST_ROW}", value="junk"
    )
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    problems = caught.value.problems
    assert {p.row for p in problems} == {LAST_ROW}
    assert [p.column for p in problems] == ["name_zh", "name_en", None]
    assert problems[-1].value == "junk" and "without a header" in problems[-1].reason


# --- CSV: physical rows, long cells, CR+LF ----------------------------------------------------------------------


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    return path


def test_an_unclosed_quote_on_row_50_is_reported_on_row_50(store, tmp_path):
    lines = (
        ["name_zh,name_en"]
        + [f"地{i},Place {i}" for i in range(2, 50)]
        + ['"某地,Somewhere']
        + [f"地{i},Place {i}" for i in range(51, 60)]
    )
    path = tmp_path / "regions.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    [problem] = caught.value.problems
    assert problem.row == 50 and "never closed" in problem.reason


def test_rows_after_a_multiline_cell_are_numbered_as_a_spreadsheet_shows_them(store, tmp_path):
    path = write_rows(
        tmp_path / "regions.csv",
        [
            ["name_zh", "name_en", "provenance", "basis"],
            ["三亚市", "Sanya", "curated", "line one\r\nline two\r\nline three"],
            ["儋州市", "", "", ""],
        ],
    )
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, "name_en")  # on line 5 of the file, on row 3 in a spreadsheet


def test_a_broken_row_after_multiline_cells_names_its_row_and_line(store, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text(
        'name_zh,name_en,provenance,basis\n三亚市,Sanya,curated,"one\ntwo"\n"儋州市,Danzhou\n', encoding="utf-8"
    )
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    [problem] = caught.value.problems
    assert problem.row == 3 and "never closed" in problem.reason and "starts on line 4 of the file" in problem.reason


def test_crlf_inside_a_quoted_cell_is_one_line_break(store, tmp_path):
    path = write_rows(
        tmp_path / "regions.csv",
        [
            ["name_zh", "name_en", "provenance", "basis"],
            ["三亚市", "Sanya", "curated", "line one\r\nline two"],
        ],
    )
    load_paths(store, [path])
    [node] = store.iter_nodes(NodeKind.REGION)
    assert node.props["basis"] == "line one\nline two"


def test_crlf_in_a_name_is_still_refused(store, tmp_path):
    path = write_rows(tmp_path / "regions.csv", [["name_zh", "name_en"], ["三亚\r\n市", "Sanya"]])
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "name_zh") and "line break" in problem.reason


def test_a_valid_5_mb_cell_on_row_2_loads(store, tmp_path):
    basis = "很长的依据" * (5 * 1024 * 1024 // 5)
    path = write_rows(
        tmp_path / "regions.csv", [["name_zh", "name_en", "provenance", "basis"], ["三亚市", "Sanya", "curated", basis]]
    )
    load_paths(store, [path])
    [node] = store.iter_nodes(NodeKind.REGION)
    assert len(node.props["basis"]) == len(basis)
    assert csv.field_size_limit() == 131072  # raised only while the file was read


def test_a_cell_beyond_the_limit_names_its_row(store, tmp_path, monkeypatch):
    from loaders import _csv

    monkeypatch.setattr(_csv, "FIELD_LIMIT", 1000)
    path = write_rows(
        tmp_path / "regions.csv",
        [
            ["name_zh", "name_en", "provenance", "basis"],
            ["三亚市", "Sanya", "curated", "ok"],
            ["儋州市", "Danzhou", "curated", "x" * 1001],
        ],
    )
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    [problem] = caught.value.problems
    assert problem.row == 3 and "longer than 1,000 characters" in problem.reason


# --- XLSX: numbers in text columns, hidden sheets ---------------------------------------------------------------


def workbook_with(path: Path, sheets: dict[str, list[list[object]]], states: dict[str, str] | None = None) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = (states or {}).get(name, "visible")
    workbook.save(path)
    return path


def test_a_big_number_in_a_text_column_is_refused_not_turned_into_digits(store, tmp_path):
    path = workbook_with(
        tmp_path / "plan.xlsx",
        {"regions": [["name_zh", "name_en"], ["某地", 1.2e19], ["另一地", 12345678901234567890.0]]},
    )
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    found = [(p.file, p.sheet, p.row, p.column, p.value) for p in caught.value.problems]
    assert found == [
        (str(path), "regions", 2, "name_en", "1.2e+19"),
        (str(path), "regions", 3, "name_en", "1.234567890123457e+19"),
    ]
    assert all("digit for digit" in p.reason for p in caught.value.problems)
    assert "12345678901234569216" not in str(caught.value)


def test_a_small_number_in_a_text_column_is_kept_as_the_cell_shows_it(store, tmp_path):
    path = workbook_with(tmp_path / "plan.xlsx", {"regions": [["name_zh", "name_en"], ["七九八", 798]]})
    load_paths(store, [path])
    assert [n.name_en for n in store.iter_nodes(NodeKind.REGION)] == ["798"]


def test_hidden_sheets_are_reported_and_very_hidden_ones_never_block(store, tmp_path):
    path = workbook_with(
        tmp_path / "plan.xlsx",
        {
            "regions": [["name_zh", "name_en"], ["三亚市", "Sanya"]],
            "parks": [["name_zh", "name_en"], ["某园", "A park"]],
            "lists": [["anything"], ["at all"]],
            "junk": [["not", "a", "table"]],
        },
        {"parks": "hidden", "lists": "hidden", "junk": "veryHidden"},
    )
    report = load_paths(store, [path])
    assert dict(report.added) == {"Region": 1, "Park": 1}
    assert report.notices == [
        f"{path}: loaded the hidden sheet 'parks'",
        f"{path}: skipped the hidden sheet 'lists', which is not a table",
        f"{path}: skipped the very hidden sheet 'junk'",
    ]
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "cli.sqlite"), "load", "--dry-run", str(path)])
    assert result.exit_code == 0, result.output
    assert "note: " in result.output and "loaded the hidden sheet 'parks'" in result.output


def test_a_visible_junk_sheet_still_blocks_the_load(store, tmp_path):
    path = workbook_with(
        tmp_path / "plan.xlsx", {"regions": [["name_zh", "name_en"], ["三亚市", "Sanya"]], "junk": [["x"]]}
    )
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    [problem] = caught.value.problems
    assert problem.sheet == "junk" and "is not a table" in problem.reason
