"""The templates: files, README, example rows, and that they match the data model."""

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from graph.cli import cli
from graph.errors import HainetError
from graph.schema import PROVENANCE_FIELDS, NodeKind
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from loaders.builtin import builtin_records
from loaders.spreadsheets import load_paths
from loaders.templates import (
    README_SHEET,
    REFERENCE,
    TEMPLATES,
    WORKBOOK_NAME,
    cell_text,
    columns_markdown,
    template_named,
    write_template_files,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "spreadsheets.md"


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_one_csv_per_table_or_one_workbook(tmp_path):
    written = write_template_files(tmp_path / "csv", fmt="csv")
    assert [p.name for p in written] == [f"{t.name}.csv" for t in TEMPLATES]
    for template in TEMPLATES:
        header, example = csv_rows(tmp_path / "csv" / f"{template.name}.csv")
        assert header == template.headers
        assert any(example), f"{template.name} has no example"
    assert [p.name for p in write_template_files(tmp_path)] == [WORKBOOK_NAME]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["csv", WORKBOOK_NAME])
    with pytest.raises(HainetError, match="csv or xlsx"):
        write_template_files(tmp_path, fmt="ods")
    workbook = load_workbook(tmp_path / WORKBOOK_NAME)
    assert workbook.sheetnames == [README_SHEET] + [t.name for t in TEMPLATES]
    for template in TEMPLATES:
        rows = list(workbook[template.name].iter_rows(values_only=True))
        assert list(rows[0]) == template.headers and len([r for r in rows if any(r)]) == 2


def test_the_readme_sheet_explains_every_column(tmp_path):
    write_template_files(tmp_path)
    readme = load_workbook(tmp_path / WORKBOOK_NAME)[README_SHEET]
    explained = {(row[0], row[1]) for row in readme.iter_rows(values_only=True) if row and row[1] and row[5]}
    assert explained >= {(t.name, c.name) for t in TEMPLATES for c in t.columns}


def test_the_example_rows_load_by_themselves_and_agree(tmp_path):
    write_template_files(tmp_path, fmt="csv")
    write_template_files(tmp_path)
    graphs = []
    for name, paths in (("csv", sorted(tmp_path.glob("*.csv"))), ("xlsx", [tmp_path / WORKBOOK_NAME])):
        with SQLiteStore(tmp_path / f"{name}.sqlite") as store:
            report = load_paths(store, paths)
            graphs.append(graph_from_store(store))
    assert dict(report.added) == {
        "Region": 1,
        "Park": 1,
        "Department": 1,
        "Industry": 1,
        "DemandUnit": 1,
        "Need": 1,
        "Cooperation": 1,
        "Mechanism": 1,
        "Source": 1,
        "LOCATED_IN": 1,
        "HAS_NEED": 1,
        "IN_FIELD": 2,
        "PARTNER_IN": 1,
        "SPECIALISES_IN": 1,
        "MEMBER_OF": 1,
        "Monitoring": 1,
        "REPORTS_ON": 1,
    }
    csv_graph, xlsx_graph = graphs
    assert dict(csv_graph.nodes(data=True)).keys() == dict(xlsx_graph.nodes(data=True)).keys()
    for key, attrs in csv_graph.nodes(data=True):
        source = attrs.pop("document")
        assert source == "regions.csv" if key.startswith("region:") else source.endswith(".csv")
        assert xlsx_graph.nodes[key].pop("document") == WORKBOOK_NAME
        assert attrs == xlsx_graph.nodes[key]


def test_the_example_rows_stay_apart_from_the_builtin_dataset():
    nodes, _ = builtin_records()
    from loaders.names import folded_name

    builtin_names = {folded_name(n.name_zh) for n in nodes} | {folded_name(n.name_en) for n in nodes}
    for template in TEMPLATES:
        for column in ("name_zh", "name_en"):
            if column in template.example:
                assert folded_name(template.example[column]) not in builtin_names, template.name


def test_every_property_of_the_builtin_dataset_has_a_column():
    nodes, _ = builtin_records()
    assert len(nodes) > 100
    for node in nodes:
        template = next(t for t in TEMPLATES if t.kind == node.kind)
        assert set(node.props) <= set(template.headers), node.key


def test_reference_columns_say_what_they_refer_to():
    words = {
        NodeKind.REGION: "region",
        NodeKind.PARK: "park",
        NodeKind.DEPARTMENT: "department",
        NodeKind.INDUSTRY: "industry",
        NodeKind.DEMAND_UNIT: "unit",
        NodeKind.COOPERATION: "cooperation",
    }
    generic = {"party", "actor", "from", "to"}
    for template in TEMPLATES:
        for column in template.columns:
            if column.type != REFERENCE:
                continue
            if column.name in generic:
                assert len(column.refers_to) > 1
            else:
                [kind] = column.refers_to
                assert words[kind] in column.name, (template.name, column.name)


def test_every_table_has_the_provenance_columns_but_aliases():
    assert len(TEMPLATES) >= 10
    for template in TEMPLATES:
        has = [c for c in PROVENANCE_FIELDS if c in template.headers]
        assert has == ([] if template.name == "aliases" else list(PROVENANCE_FIELDS)), template.name


@pytest.mark.parametrize("given", ["Demand units", "demand-units", " DEMAND_UNITS "])
def test_tables_are_found_by_loose_names(given):
    assert template_named(given).name == "demand_units"


def test_unknown_table_lists_the_known_ones():
    with pytest.raises(Exception, match="the templates are regions, parks"):
        template_named("partners")


@pytest.mark.parametrize(
    "value, shown",
    [
        ("=1+1", "'=1+1"),
        ("+86 898", "'+86 898"),
        ("-", "'-"),
        ("@x", "'@x"),
        ("'a", "''a"),
        ("#REF!", "'#REF!"),
        ("海南", "海南"),
        ("a=b", "a=b"),
    ],
)
def test_cell_text_neutralises_formulas(value, shown):
    assert cell_text(value) == shown


def test_template_command_writes_one_form_that_loads_as_a_folder(tmp_path):
    result = CliRunner().invoke(cli, ["template", "-o", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "t").iterdir()] == [WORKBOOK_NAME]
    result = CliRunner().invoke(cli, ["template", "-o", str(tmp_path / "c"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == sorted(f"{t.name}.csv" for t in TEMPLATES)
    for folder in ("t", "c"):
        store = str(tmp_path / f"{folder}.sqlite")
        loaded = CliRunner().invoke(cli, ["--store", store, "load", str(tmp_path / folder)])
        assert loaded.exit_code == 0, loaded.output


def test_docs_show_the_columns_of_every_template():
    text = DOCS.read_text(encoding="utf-8")
    assert columns_markdown() in text
