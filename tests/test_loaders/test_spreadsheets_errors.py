"""Bad input: every problem of every file is reported at once, where it is, and nothing is written."""

import csv
import re

import pytest
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError  # noqa: F401 - openpyxl must refuse control characters

from graph.errors import ValidationError
from graph.schema import Node, NodeKind
from graph.sqlite_store import SQLiteStore
from loaders.spreadsheets import load_paths

HAINAN = Node(
    "region:hainan", NodeKind.REGION, "海南省", "Hainan", {"provenance": "stated", "section": "二(一)", "quote": "海南"}
)


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path, sheets):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(tmp_path / "g.sqlite") as s:
        s.write([HAINAN], [])
        yield s


def problems_of(store, paths):
    with pytest.raises(ValidationError) as caught:
        load_paths(store, paths)
    return caught.value.problems


def only(problems):
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_unknown_reference_names_row_column_and_value(store, tmp_path):
    path = write_csv(tmp_path / "parks.csv", [["name_zh", "name_en", "region"], ["某园", "A park", "火星"]])
    p = only(problems_of(store, [path]))
    assert (p.file, p.sheet, p.row, p.column, p.value) == (str(path), None, 2, "region", "火星")
    assert p.reason.startswith("unknown reference")


def test_duplicate_keys_across_files(store, tmp_path):
    a = write_csv(tmp_path / "regions.csv", [["key", "name_zh", "name_en"], ["region:sanya", "三亚市", "Sanya"]])
    b = write_xlsx(
        tmp_path / "more.xlsx", {"regions": [["key", "name_zh", "name_en"], ["region:sanya", "三亚", "Sanya City"]]}
    )
    p = only(problems_of(store, [a, b]))
    assert (p.file, p.sheet, p.row, p.column) == (str(b), "regions", 2, "key")
    assert p.reason == "duplicate key"


def test_two_rows_of_one_entity_without_keys(store, tmp_path):
    path = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en"], ["三亚市", "Sanya"], ["三亚 市", "Sanya City"]])
    p = only(problems_of(store, [path]))
    assert (p.row, p.column) == (3, "name_zh") and "same name" in p.reason and "row 2" in p.reason


def test_duplicate_relationship(store, tmp_path):
    path = write_csv(
        tmp_path / "links.csv",
        [["from", "type", "to"], ["海南", "PART_OF", "海南省"], ["region:hainan", "PART_OF", "琼"]],
    )
    problems = problems_of(store, [path])
    assert (3, "duplicate relationship") in [(p.row, p.reason) for p in problems]
    # Both rows also make 海南省 part of itself.
    assert {p.row for p in problems if p.reason == "PART_OF from a node to itself: 海南省 (region:hainan)"} == {2, 3}


def test_missing_required_values_and_columns(store, tmp_path):
    a = write_csv(
        tmp_path / "cooperations.csv",
        [["name_zh", "name_en", "mode", "status"], ["某合作", "", "one-to-one", "active"]],
    )
    problems = problems_of(store, [a])
    assert [(p.row, p.column, p.reason) for p in problems] == [
        (1, "year", "required column is missing"),
        (2, "name_en", "required value is missing"),
    ]


def test_values_outside_an_enum_and_bad_numbers(store, tmp_path):
    path = write_csv(
        tmp_path / "cooperations.csv",
        [
            ["name_zh", "name_en", "mode", "status", "year", "provenance"],
            ["某合作", "Some cooperation", "one-to-many", "ACTIVE", "2021年", "official"],
        ],
    )
    problems = problems_of(store, [path])
    assert [(p.column, p.value) for p in problems] == [
        ("mode", "one-to-many"),
        ("year", "2021年"),
        ("provenance", "official"),
    ]
    assert problems[0].reason == "must be one of one-to-one, point-to-point, many-to-one, direct-support"


def test_a_choice_is_matched_ignoring_case_and_width(store, tmp_path):
    path = write_csv(
        tmp_path / "cooperations.csv",
        [
            ["key", "name_zh", "name_en", "mode", "status", "year"],
            ["coop:x", "某合作", "Some cooperation", "ＰＯＩＮＴ-TO-POINT", " Active ", "２０２１"],
        ],
    )
    load_paths(store, [path])
    node = next(store.iter_nodes(NodeKind.COOPERATION))
    assert (node.props["mode"], node.props["status"], node.props["year"]) == ("point-to-point", "active", 2021)


def test_unknown_headers_are_errors_and_never_properties(store, tmp_path):
    path = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en", "population"], ["三亚市", "Sanya", "1000000"]])
    p = only(problems_of(store, [path]))
    assert (p.row, p.column) == (1, "population") and p.reason.startswith("unknown column")
    assert "name_zh" in p.reason  # lists the columns the table has


def test_unknown_tables_and_file_types(store, tmp_path):
    a = write_csv(tmp_path / "partners.csv", [["name_zh"], ["x"]])
    b = tmp_path / "old.xls"
    b.write_bytes(b"\xd0\xcf\x11\xe0")
    c = write_xlsx(tmp_path / "plan.xlsx", {"Sheet1": [["a"]], "README": [["anything"]]})
    problems = problems_of(store, [a, b, c])
    assert [(p.file, p.sheet) for p in problems] == [(str(a), None), (str(b), None), (str(c), "Sheet1")]
    assert "the tables are regions, parks" in problems[0].reason
    assert ".xlsx" in problems[1].reason


def test_excel_error_cells_in_xlsx_and_csv(store, tmp_path):
    x = write_xlsx(
        tmp_path / "plan.xlsx",
        {"parks": [["name_zh", "name_en", "region"], ["某园", "A park", "#REF!"], ["#N/A", "Another park", "海南"]]},
    )
    c = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en"], ["三亚市", "#DIV/0!"], ["五指山市", " #NAME? "]])
    problems = problems_of(store, [x, c])
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("parks", 2, "region", "#REF!"),
        ("parks", 3, "name_zh", "#N/A"),
        (None, 2, "name_en", "#DIV/0!"),
        (None, 3, "name_en", " #NAME? "),
    ]
    assert all("error" in p.reason for p in problems)


def test_uncalculated_formula(store, tmp_path):
    path = write_xlsx(tmp_path / "plan.xlsx", {"regions": [["name_zh", "name_en"], ["三亚市", '=PROPER("sanya")']]})
    p = only(problems_of(store, [path]))
    assert (p.sheet, p.row, p.column, p.value) == ("regions", 2, "name_en", '=PROPER("sanya")')
    assert "no calculated value" in p.reason


def test_a_calculated_formula_gives_its_value(store, tmp_path):
    path = write_xlsx(tmp_path / "plan.xlsx", {"regions": [["name_zh", "name_en"], ["三亚市", '=PROPER("sanya")']]})
    # A spreadsheet program stores the value it calculated next to the formula.
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    # openpyxl writes the empty value as <v />, <v/> or <v></v>, with or without lxml installed.
    parts[sheet] = re.sub(
        rb'<c r="B2"><f>PROPER\("sanya"\)</f>(<v ?/>|<v></v>)',
        b'<c r="B2" t="str"><f>PROPER("sanya")</f><v>Sanya</v>',
        parts[sheet],
    )
    assert b"<v>Sanya</v>" in parts[sheet]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    load_paths(store, [path])
    assert any(n.name_en == "Sanya" for n in store.iter_nodes(NodeKind.REGION))


def test_merged_cells(store, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "regions"
    for row in [["name_zh", "name_en", "region_type"], ["三亚市", "Sanya", "city"], ["儋州市", "Danzhou", None]]:
        sheet.append(row)
    sheet.merge_cells("C2:C3")
    workbook.save(tmp_path / "plan.xlsx")
    p = only(problems_of(store, [tmp_path / "plan.xlsx"]))
    assert (p.sheet, p.row, p.column) == ("regions", 2, "region_type")
    assert "merged cells C2:C3" in p.reason


def test_leading_zero_codes_arriving_as_numbers(store, tmp_path):
    regions = [["name_zh", "name_en", "code"], ["某区", "Some district", 10105], ["三亚市", "Sanya", 460200.0]]
    x = write_xlsx(tmp_path / "plan.xlsx", {"regions": regions})
    c = write_csv(
        tmp_path / "regions.csv",
        [["name_zh", "name_en", "code"], ["儋州市", "Danzhou", "4.604E+05"], ["某县", "Some county", "10105"]],
    )
    problems = problems_of(store, [x, c])
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        (str(x), 2, "code", "10105"),
        (str(x), 3, "code", "460200"),
        (str(c), 2, "code", "4.604E+05"),
        (str(c), 3, "code", "10105"),
    ]
    assert "leading zeros" in problems[0].reason and "scientific notation" in problems[2].reason


def test_codes_as_text_load(store, tmp_path):
    path = write_xlsx(tmp_path / "plan.xlsx", {"regions": [["name_zh", "name_en", "code"], ["某区", "Some", "010105"]]})
    load_paths(store, [path])
    assert [n.props.get("code") for n in store.iter_nodes(NodeKind.REGION) if n.name_zh == "某区"] == ["010105"]


def test_control_characters_and_line_breaks_in_names(store, tmp_path):
    path = write_csv(
        tmp_path / "regions.csv",
        [
            ["name_zh", "name_en", "basis", "provenance"],
            ["三亚\x07市", "Sanya", "", ""],
            ["儋州\n市", "Danzhou", "", ""],
            ["万宁市", "Wanning", "line one\nline two", "curated"],
        ],
    )
    problems = problems_of(store, [path])
    assert [(p.row, p.column) for p in problems] == [(2, "name_zh"), (3, "name_zh")]
    assert "U+0007" in problems[0].reason and "line break" in problems[1].reason


def test_every_problem_of_every_file_at_once(store, tmp_path):
    a = write_csv(tmp_path / "parks.csv", [["name_zh", "name_en", "region", "colour"], ["某园", "", "火星", "red"]])
    b = write_xlsx(
        tmp_path / "plan.xlsx",
        {
            "cooperations": [
                ["name_zh", "name_en", "mode", "status", "year"],
                ["某合作", "Some", "bad", "active", "#VALUE!"],
            ]
        },
    )
    problems = problems_of(store, [a, b])
    assert [(p.file, p.row, p.column) for p in problems] == [
        (str(a), 1, "colour"),
        (str(a), 2, "name_en"),
        (str(a), 2, "region"),
        (str(b), 2, "mode"),
        (str(b), 2, "year"),
    ]


def test_a_failed_load_writes_nothing(store, tmp_path):
    good = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en"], ["三亚市", "Sanya"]])
    bad = write_csv(tmp_path / "parks.csv", [["name_zh", "name_en", "region"], ["某园", "A park", "火星"]])
    before = store.counts()
    problems_of(store, [good, bad])
    assert store.counts() == before


def test_a_new_entity_whose_made_key_is_taken(store, tmp_path):
    store.write([Node("region:sanya", NodeKind.REGION, "三亚市", "Sanya City", {"provenance": "user"})], [])
    path = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en"], ["三亚崖州", "Sanya"]])
    p = only(problems_of(store, [path]))
    assert p.column == "key" and "region:sanya" in p.reason and "三亚市" in p.reason


def test_a_new_entity_matching_two_known_ones(store, tmp_path):
    store.write([Node("region:sanya", NodeKind.REGION, "三亚市", "Sanya", {"provenance": "user"})], [])
    path = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en"], ["海南省", "Sanya"]])
    p = only(problems_of(store, [path]))
    assert p.column == "key" and "region:hainan, region:sanya" in p.reason


def test_folder_without_spreadsheets_and_missing_paths(store, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("x")
    problems = problems_of(store, [tmp_path / "empty", tmp_path / "nowhere.csv"])
    assert [p.reason for p in problems] == ["the folder holds no .csv or .xlsx file", "no such file or folder"]


def test_semicolon_separated_csv(store, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("name_zh;name_en\n三亚市;Sanya\n", encoding="utf-8")
    p = only(problems_of(store, [path]))
    assert "not separated by commas" in p.reason and p.row == 1


def test_malformed_csv_and_values_without_header(store, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text('name_zh,name_en\n三亚市,Sanya,extra\n"儋州市,Danzhou\n', encoding="utf-8")
    p = only(problems_of(store, [path]))
    assert p.row == 3 and "never closed" in p.reason
    other = tmp_path / "other" / "regions.csv"
    other.parent.mkdir()
    other.write_text("name_zh,name_en\n三亚市,Sanya,extra\n", encoding="utf-8")
    p = only(problems_of(store, [other]))
    assert (p.row, p.column, p.value) == (2, None, "extra") and "without a header" in p.reason


def test_a_wrong_need_key_and_a_date_cell(store, tmp_path):
    import datetime

    write_csv(tmp_path / "industries.csv", [["key", "name_zh", "name_en"], ["industry:tourism", "旅游业", "Tourism"]])
    write_csv(
        tmp_path / "demand_units.csv",
        [["key", "name_zh", "name_en", "unit_type"], ["unit:sanya", "三亚市", "Sanya", "city"]],
    )
    write_csv(
        tmp_path / "needs.csv",
        [
            ["key", "unit", "industry", "name_zh", "name_en"],
            ["need:x", "unit:sanya", "旅游业", "旅游需求", "Tourism need"],
        ],
    )
    mechanisms = [["name_zh", "name_en"], ["机制", datetime.datetime(2021, 3, 1)]]
    write_xlsx(tmp_path / "plan.xlsx", {"mechanisms": mechanisms})
    problems = problems_of(store, [tmp_path])
    assert [(p.column, p.value) for p in problems] == [("key", "need:x"), ("name_en", "2021-03-01T00:00:00")]
    assert "need:sanya:tourism" in problems[0].reason
