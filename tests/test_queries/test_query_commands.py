import csv
import io
import json
import re

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from graph.cli import cli
from graph.schema import Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from graph.tables import BOM
from queries._examples import example_records
from queries.gaps import GAP_COLUMNS
from queries.needs import NEED_COLUMNS


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "x.sqlite"
    nodes, edges = example_records()
    # A name that a spreadsheet would run as a formula.
    nodes.append(Node("region:formula", NodeKind.REGION, "=HYPERLINK(1)", "-1+1", {"provenance": "user"}))
    edges.append(Edge("region:formula", RelType.SPECIALISES_IN, "industry:tourism", {"provenance": "user"}))
    with SQLiteStore(path) as store:
        store.write(nodes, edges)
    return str(path)


def run(store_path, *args, columns=160):
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(
        cli, ["--store", store_path, *args], catch_exceptions=False
    )
    return result


def test_commands_are_registered():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    for name in ("gaps", "needs", "hubs", "recommend", "checks"):
        assert name in result.output


def test_gaps_table_aligns_chinese_names(store_path):
    result = run(store_path, "gaps")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == "共 5 行"
    header, rows = lines[0], [line for line in lines[2:-1] if line.strip()]
    assert "产业" in header and "状态" in header
    # the status column starts at the same terminal column on every row
    status = re.compile(r" (未覆盖|已覆盖|仅通过子领域覆盖)")
    rows = [row for row in rows if status.search(row)]  # not the lines a wrapped list of partners continues on
    starts = {cell_len(row[: status.search(row).start()]) for row in rows}
    assert len(starts) == 1 and len(rows) == 5
    assert any("现代服务业" in row and "未覆盖" in row for row in rows)
    english = run(store_path, "gaps", "--lang", "en").output.splitlines()
    assert english[-1] == "5 rows" and "status" in english[0]
    assert any("Modern services" in row and "uncovered" in row for row in english)


def test_gaps_json_is_a_list_of_rows_in_readable_utf8(store_path):
    result = run(store_path, "gaps", "-f", "json")
    rows = json.loads(result.output)
    assert list(rows[0]) == GAP_COLUMNS
    assert "现代服务业" in result.output  # not escaped
    assert {row["status"] for row in rows} == {"uncovered", "covered", "covered-via-subfield"}
    assert {row["evidence"] for row in rows} == {"stated", "curated"}


def test_gaps_at_each_evidence_level(store_path):
    stated = run(store_path, "gaps", "--evidence", "stated", "-f", "json").output
    rows = {r["industry_key"]: r for r in json.loads(stated)}
    assert (rows["industry:hightech"]["status"], rows["industry:hightech"]["n_partners"]) == ("uncovered", 0)
    assert rows["industry:biomedicine"]["status"] == "single-partner"  # Tianfu's field is curated
    rows = {r["industry_key"]: r for r in json.loads(run(store_path, "gaps", "-f", "json").output)}
    assert rows["industry:hightech"]["status"] == "covered-via-subfield"
    assert rows["industry:hightech"]["via_zh"] == ["生物医药"]
    result = CliRunner().invoke(cli, ["--store", store_path, "gaps", "--evidence", "user"])
    assert result.exit_code == 2 and "'user' is not one of" in result.output
    for command in ("needs", "hubs", "recommend", "checks"):
        result = run(store_path, command, "--evidence", "stated", "-f", "json")
        assert result.exit_code == 0, result.output
        assert {row["evidence"] for row in json.loads(result.output)} <= {"stated"}


def test_needs_filters_by_industry_name_and_unit(store_path):
    rows = json.loads(run(store_path, "needs", "--industry", "生物医药", "-f", "json").output)
    assert [r["need_key"] for r in rows] == ["need:haikou-hitech:biomedicine"]
    rows = json.loads(run(store_path, "needs", "--unit", "Hainan Province", "-f", "json").output)
    assert [r["missing"] for r in rows] == ["cooperation-idle"]
    rows = json.loads(run(store_path, "needs", "--missing", "no-cooperation", "-f", "json").output)
    assert [r["need_key"] for r in rows] == ["need:boao:tourism"]  # the user's region is able in tourism


def test_csv_is_safe_for_spreadsheets(store_path):
    text = run(store_path, "gaps", "--view", "untapped", "-f", "csv").output
    assert text.startswith(BOM) and text.count(BOM) == 1  # Excel on a Chinese Windows reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    formula = next(r for r in rows if r["actor_key"] == "region:formula")
    assert formula["actor_zh"] == "'=HYPERLINK(1)"
    assert formula["actor_en"] == "'-1+1"


def test_needs_csv_has_every_column_and_joins_lists(store_path):
    text = run(store_path, "needs", "-f", "csv").output
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows[0] == NEED_COLUMNS
    stalled = next(r for r in rows[1:] if r[0] == "need:hainan:deep-sea")
    assert stalled[NEED_COLUMNS.index("closest_cooperation")] == "沪琼深远海合作"  # keys in text cells read as names


def test_output_file(store_path, tmp_path):
    out = tmp_path / "out" / "recommend.json"
    result = run(store_path, "recommend", "--top", "1", "-f", "json", "-o", str(out))
    assert result.exit_code == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["need_key"], r["candidate_key"]) for r in rows] == [
        ("need:boao:tourism", "region:formula"),
        ("need:haikou-hitech:biomedicine", "region:shanghai"),
        ("need:hainan:deep-sea", "region:shanghai"),
    ]


def test_hubs_top_kind_and_spof(store_path):
    rows = json.loads(run(store_path, "hubs", "--top", "2", "-f", "json").output)
    assert len(rows) == 2 and rows[0]["pagerank"] >= rows[1]["pagerank"]
    rows = json.loads(run(store_path, "hubs", "--kind", "Park", "-f", "json").output)
    assert {r["actor_kind"] for r in rows} == {"Park"}
    rows = json.loads(run(store_path, "hubs", "--spof", "-f", "json").output)
    assert [(r["actor_key"], r["need_key"]) for r in rows] == [("park:tianfu", "need:boao:biomedicine")]


def test_hubs_algorithms(store_path):
    rows = json.loads(run(store_path, "hubs", "--algorithms", "networkx", "-f", "json").output)
    assert rows == json.loads(run(store_path, "hubs", "-f", "json").output)
    # A SQLite store has no server to run Graph Data Science in: one clean error line.
    result = CliRunner().invoke(cli, ["--store", store_path, "hubs", "--algorithms", "gds"])
    assert result.exit_code != 0
    assert "algorithms='gds' needs a Neo4j store" in result.output
    assert "Traceback" not in result.output


def test_checks_failed_only(store_path):
    rows = json.loads(run(store_path, "checks", "--failed", "-f", "json").output)
    assert rows and not any(r["passed"] for r in rows)
    table = run(store_path, "checks").output
    assert "重点工作有科技部司局支持" in table and "是" in table
    assert "key-task-has-department" not in table
    english = CliRunner().invoke(cli, ["--store", store_path, "checks", "--lang", "en"], env={"COLUMNS": "200"}).output
    assert "a key task has a MOST department behind it" in english and "yes" in english


def test_partners_view_needs_an_industry_and_unknown_names_fail_cleanly(store_path):
    result = CliRunner().invoke(cli, ["--store", store_path, "gaps", "--view", "partners"])
    assert result.exit_code == 2 and "needs --industry" in result.output
    result = CliRunner().invoke(cli, ["--store", store_path, "needs", "--industry", "航天"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no Industry is named '航天'"
    rows = json.loads(run(store_path, "gaps", "--view", "partners", "--industry", "Biomedicine", "-f", "json").output)
    assert [r["partner_key"] for r in rows] == ["park:tianfu", "park:zhangjiang"]


def test_empty_results(store_path):
    assert run(store_path, "needs", "--unit", "unit:boao", "--industry", "深远海", "-f", "json").output == "[]\n"
    assert run(store_path, "needs", "--unit", "unit:boao", "--industry", "深远海").output.endswith("共 0 行\n")


@pytest.mark.parametrize("columns", [80, 100, 60])
def test_tables_fit_the_terminal_and_break_lists_only_between_items(store_path, columns):
    for command in (["gaps"], ["needs"], ["recommend"], ["hubs"], ["checks"], ["gaps", "--lang", "en"]):
        lines = run(store_path, *command, columns=columns).output.splitlines()
        assert lines and max(cell_len(line) for line in lines) <= columns, (command, columns)
    lines = run(store_path, "gaps", "--view", "coverage", columns=columns).output.splitlines()
    assert lines[0].split()[0] == "产业" and "伙伴" in lines[0]


def test_a_narrow_table_drops_the_lightest_columns_first(store_path):
    wide = run(store_path, "hubs", columns=200).output.splitlines()[0]
    narrow = run(store_path, "hubs", columns=60).output.splitlines()[0]
    assert "介数中心性" in wide and "介数中心性" not in narrow  # a detail
    assert "PageRank" in narrow and "主体" in narrow  # the essentials stay


def test_evidence_names_nodes_instead_of_keys(store_path):
    table = run(store_path, "checks", columns=200).output
    assert "region:" not in table and "park:" not in table
    assert "天府" in table or "上海" in table


def test_lists_wrap_between_items_never_inside_a_name(store_path):
    rows = json.loads(run(store_path, "gaps", "--view", "coverage", "-f", "json").output)
    names = {r["partner_zh"] for r in rows} | {
        n for r in json.loads(run(store_path, "gaps", "-f", "json").output) for n in r["partners_zh"]
    }
    table = run(store_path, "gaps", columns=60).output
    assert names and all(name in table for name in names if name != "=HYPERLINK(1)" or "=HYPERLINK(1)" in table)


def test_map_and_report_draw_only_the_facts_at_the_level(store_path, tmp_path):
    for command in ("map", "report"):
        everything = tmp_path / f"{command}-all.html"
        stated = tmp_path / f"{command}-stated.html"
        assert run(store_path, command, "-o", str(everything)).exit_code == 0
        assert run(store_path, command, "--evidence", "stated", "-o", str(stated)).exit_code == 0
        # The Boao medical tourism need is curated: drawn at all, not on the document alone.
        assert "need:boao:tourism" in everything.read_text(encoding="utf-8")
        assert "need:boao:tourism" not in stated.read_text(encoding="utf-8")
        assert "need:hainan:deep-sea" in stated.read_text(encoding="utf-8")
