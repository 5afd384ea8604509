"""Loading planners' files: merging, references, names, provenance, reports, dry runs."""

import csv

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import HainetError, ValidationError
from graph.schema import Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from loaders.names import AliasTable
from loaders.spreadsheets import load_csv_folder, load_paths, load_workbook, records_from_paths

STATED = {"provenance": "stated", "section": "二(四)", "quote": "海口高新区"}
CURATED = {"provenance": "curated", "basis": "a leading industry of Hainan"}

#: A small store as the built-in dataset would leave it.
BASE_NODES = [
    Node("region:hainan", NodeKind.REGION, "海南省", "Hainan", STATED),
    Node("region:shanghai", NodeKind.REGION, "上海市", "Shanghai", STATED),
    Node("park:haikou-hitech", NodeKind.PARK, "海口国家高新技术产业开发区", "Haikou National High-tech Zone", STATED),
    Node("industry:biomedicine", NodeKind.INDUSTRY, "生物医药", "Biomedicine", CURATED),
    Node(
        "unit:haikou-hitech",
        NodeKind.DEMAND_UNIT,
        "海口高新区管委会",
        "Haikou Hi-tech Zone Administration",
        {**CURATED, "unit_type": "park"},
    ),
]
BASE_EDGES = [Edge("park:haikou-hitech", RelType.LOCATED_IN, "region:hainan", CURATED)]


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def sqlite_store(tmp_path, name="g.sqlite"):
    return SQLiteStore(tmp_path / name)


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path):
    if request.param == "neo4j":
        s = request.getfixturevalue("neo4j_store")
        s.write(BASE_NODES, BASE_EDGES)
        yield s
        return
    with sqlite_store(tmp_path) as s:
        s.write(BASE_NODES, BASE_EDGES)
        yield s


def cooperation_files(folder):
    folder.mkdir(exist_ok=True)
    write_csv(
        folder / "cooperations.csv",
        [
            ["key", "name_zh", "name_en", "mode", "status", "year"],
            ["", "张江—海口生物医药合作", "Zhangjiang-Haikou biomedicine", "point-to-point", "active", "2021"],
        ],
    )
    write_csv(
        folder / "cooperation_parties.csv",
        [
            ["cooperation", "party", "role"],
            ["张江—海口生物医药合作", "上海市", "partner"],
            ["Zhangjiang-Haikou biomedicine", "海口高新区管委会", "served"],
        ],
    )
    write_csv(
        folder / "cooperation_fields.csv",
        [
            ["cooperation", "industry"],
            ["coop:zhangjiang-haikou-biomedicine", "生物 医药"],
        ],
    )
    return folder


def test_files_merge_into_the_store_and_refer_to_its_entities(store, tmp_path):
    report = load_paths(store, [cooperation_files(tmp_path / "in")])
    assert dict(report.added) == {"Cooperation": 1, "PARTNER_IN": 1, "SERVES": 1, "IN_FIELD": 1}
    G = graph_from_store(store)
    assert G.number_of_nodes() == len(BASE_NODES) + 1
    coop = "coop:zhangjiang-haikou-biomedicine"
    assert G.has_edge("region:shanghai", coop, "PARTNER_IN")
    assert G.has_edge(coop, "unit:haikou-hitech", "SERVES")
    assert G.has_edge(coop, "industry:biomedicine", "IN_FIELD")
    assert G.nodes["region:hainan"]["provenance"] == "stated"  # untouched


def test_loading_the_same_files_again_changes_nothing(store, tmp_path):
    folder = cooperation_files(tmp_path / "in")
    load_paths(store, [folder])
    again = load_paths(store, [folder])
    assert not again.changed
    assert sum(again.unchanged.values()) == 4


def test_user_rows_get_user_provenance_and_their_file_as_source(store, tmp_path):
    load_paths(store, [cooperation_files(tmp_path / "in")])
    G = graph_from_store(store)
    coop = G.nodes["coop:zhangjiang-haikou-biomedicine"]
    assert coop["provenance"] == "user" and coop["document"] == "cooperations.csv"
    assert coop["year"] == 2021 and coop["status"] == "active"
    edge = G.edges["region:shanghai", "coop:zhangjiang-haikou-biomedicine", "PARTNER_IN"]
    assert edge["provenance"] == "user" and edge["document"] == "cooperation_parties.csv"


def test_a_row_may_keep_its_own_provenance(store, tmp_path):
    write_csv(
        tmp_path / "industries.csv",
        [
            ["name_zh", "name_en", "is_leading", "provenance", "basis"],
            ["旅游业", "Tourism", "TRUE", "curated", "one of the three leading industries"],
        ],
    )
    load_paths(store, [tmp_path / "industries.csv"])
    node = graph_from_store(store).nodes["industry:tourism"]
    assert node["provenance"] == "curated" and node["basis"] == "one of the three leading industries"
    assert node["is_leading"] is True
    assert "document" not in node


def test_a_row_without_key_updates_the_entity_of_the_same_name(store, tmp_path):
    # A curated entity: a stated or reported one is never replaced (see test_spreadsheets_evidence.py).
    write_csv(tmp_path / "industries.csv", [["name_zh", "name_en"], ["生物 医药", "Biomedicine industry"]])
    report = load_paths(store, [tmp_path / "industries.csv"])
    assert dict(report.updated) == {"Industry": 1} and not +report.added
    node = graph_from_store(store).nodes["industry:biomedicine"]
    assert node["name_zh"] == "生物 医药"  # the display name is kept as typed
    assert node["name_en"] == "Biomedicine industry"


def test_a_row_without_key_repeating_a_stated_entity_changes_nothing(store, tmp_path):
    write_csv(tmp_path / "regions.csv", [["name_zh", "name_en"], ["上海 市", "Shanghai\u200b"]])
    report = load_paths(store, [tmp_path / "regions.csv"])
    assert not report.changed
    node = graph_from_store(store).nodes["region:shanghai"]
    assert (node["name_zh"], node["name_en"], node["provenance"]) == ("上海市", "Shanghai", "stated")


def test_a_new_entity_without_key_gets_a_key_from_its_english_name(store, tmp_path):
    write_csv(
        tmp_path / "parks.csv",
        [
            ["name_zh", "name_en", "region"],
            ["三亚崖州湾科技城", "Sanya Yazhou Bay Sci-Tech City", "琼"],
        ],
    )
    load_paths(store, [tmp_path / "parks.csv"])
    G = graph_from_store(store)
    assert G.has_edge("park:sanya-yazhou-bay-sci-tech-city", "region:hainan", "LOCATED_IN")


def test_names_match_through_builtin_and_user_aliases(store, tmp_path):
    write_csv(tmp_path / "aliases.csv", [["alias", "canonical"], ["生物医药产业", "生物医药"]])
    write_csv(
        tmp_path / "specialisations.csv",
        [
            ["actor", "industry"],
            ["海口高新区", "生物医药产业"],  # built-in alias, then the user's own
        ],
    )
    load_paths(store, [tmp_path / "aliases.csv", tmp_path / "specialisations.csv"])
    assert graph_from_store(store).has_edge("park:haikou-hitech", "industry:biomedicine", "SPECIALISES_IN")


def test_aliases_are_not_stored(store, tmp_path):
    write_csv(tmp_path / "aliases.csv", [["alias", "canonical"], ["沪", "上海市"]])
    report = load_paths(store, [tmp_path / "aliases.csv"])
    assert not report.changed
    assert store.counts().total_nodes == len(BASE_NODES)


def test_an_ambiguous_name_is_a_problem_not_a_guess(store, tmp_path):
    write_csv(
        tmp_path / "parks.csv",
        [
            ["key", "name_zh", "name_en"],
            ["park:haikou-bonded", "海口综合保税区", "Haikou Comprehensive Bonded Zone"],
        ],
    )
    write_csv(
        tmp_path / "aliases.csv",
        [["alias", "canonical"], ["海口园区", "海口综合保税区"], ["海口园区", "海口国家高新技术产业开发区"]],
    )
    write_csv(tmp_path / "specialisations.csv", [["actor", "industry"], ["海口园区", "生物医药"]])
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [tmp_path])
    [problem] = caught.value.problems
    assert problem.file.endswith("specialisations.csv") and problem.row == 2 and problem.column == "actor"
    assert "ambiguous" in problem.reason
    assert "park:haikou-bonded" in problem.reason and "park:haikou-hitech" in problem.reason


def test_a_reference_of_the_wrong_kind_says_what_it_names(store, tmp_path):
    write_csv(
        tmp_path / "cooperation_parties.csv",
        [
            ["cooperation", "party", "role"],
            ["coop:x", "海口高新区管委会", "partner"],
        ],
    )
    write_csv(
        tmp_path / "cooperations.csv",
        [
            ["key", "name_zh", "name_en", "mode", "status", "year"],
            ["coop:x", "某合作", "Some cooperation", "one-to-one", "planned", "2022"],
        ],
    )
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [tmp_path])
    [problem] = caught.value.problems
    assert problem.column == "party" and "names a DemandUnit" in problem.reason


def test_a_row_of_links_gives_an_implied_relationship_its_own_provenance(store, tmp_path):
    write_csv(
        tmp_path / "parks.csv",
        [
            ["key", "name_zh", "name_en", "region"],
            ["park:zhangjiang", "上海张江国家高新区", "Shanghai Zhangjiang", "上海市"],
        ],
    )
    write_csv(
        tmp_path / "links.csv",
        [
            ["from", "type", "to", "provenance", "basis"],
            ["park:zhangjiang", "LOCATED_IN", "region:shanghai", "curated", "Zhangjiang is in Pudong, Shanghai"],
        ],
    )
    load_paths(store, [tmp_path])
    G = graph_from_store(store)
    assert G.nodes["park:zhangjiang"]["provenance"] == "user"
    assert G.edges["park:zhangjiang", "region:shanghai", "LOCATED_IN"]["provenance"] == "curated"


def test_needs_get_their_key_from_unit_and_industry(store, tmp_path):
    write_csv(
        tmp_path / "needs.csv",
        [
            ["unit", "industry", "name_zh", "name_en"],
            ["海口高新区管委会", "生物医药", "生物医药合作需求", "Biomedicine cooperation"],
        ],
    )
    load_paths(store, [tmp_path / "needs.csv"])
    G = graph_from_store(store)
    key = "need:haikou-hitech:biomedicine"
    assert G.has_edge("unit:haikou-hitech", key, "HAS_NEED")
    assert G.has_edge(key, "industry:biomedicine", "IN_FIELD")


def test_dry_run_reports_without_writing(store, tmp_path):
    before = graph_from_store(store)
    report = load_paths(store, [cooperation_files(tmp_path / "in")], dry_run=True)
    assert report.added["Cooperation"] == 1 and report.added["PARTNER_IN"] == 1
    after = graph_from_store(store)
    assert sorted(after.nodes) == sorted(before.nodes) and after.number_of_edges() == before.number_of_edges()


def test_records_from_paths_checks_without_a_store(tmp_path):
    write_csv(tmp_path / "regions.csv", [["name_zh", "name_en"], ["深圳市", "Shenzhen"]])
    nodes, edges = records_from_paths([tmp_path / "regions.csv"])
    assert [n.key for n in nodes] == ["region:shenzhen"] and edges == []


def test_workbook_and_csv_folder_loaders_check_what_they_get(tmp_path):
    write_csv(tmp_path / "regions.csv", [["name_zh", "name_en"], ["深圳市", "Shenzhen"]])
    with sqlite_store(tmp_path) as s:
        assert load_csv_folder(s, tmp_path).added["Region"] == 1
        with pytest.raises(HainetError, match=r"not an \.xlsx workbook"):
            load_workbook(s, tmp_path / "regions.csv")


def test_more_files_than_one_table_each_are_all_read(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "regions"
    sheet.append(["name_zh", "name_en"])
    sheet.append(["深圳市", "Shenzhen"])
    parks = workbook.create_sheet("parks")
    parks.append(["name_zh", "name_en", "region"])
    parks.append(["深圳湾科技生态园", "Shenzhen Bay Eco-Tech Park", "深圳市"])
    workbook.save(tmp_path / "plan.xlsx")
    write_csv(tmp_path / "industries.csv", [["name_zh", "name_en"], ["信息产业", "Information industry"]])
    with sqlite_store(tmp_path) as s:
        report = load_paths(s, [tmp_path / "plan.xlsx", tmp_path / "industries.csv"])
        assert dict(report.added) == {"Region": 1, "Park": 1, "Industry": 1, "LOCATED_IN": 1}
        node = next(s.iter_nodes(NodeKind.PARK))
        assert node.props["document"] == "plan.xlsx"


def test_cli_load_reports_per_kind_and_dry_run_writes_nothing(tmp_path):
    folder = cooperation_files(tmp_path / "in")
    path = str(tmp_path / "g.sqlite")
    with SQLiteStore(path) as s:
        s.write(BASE_NODES, BASE_EDGES)
    runner = CliRunner()
    dry = runner.invoke(cli, ["--store", path, "load", str(folder), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would load" in dry.output
    assert [line.split() for line in dry.output.splitlines() if line.startswith("Cooperation")] == [
        ["Cooperation", "1", "0", "0"]
    ]
    with SQLiteStore(path) as s:
        assert s.counts().nodes.get("Cooperation") is None
    done = runner.invoke(cli, ["--store", path, "load", str(folder)])
    assert done.exit_code == 0 and "loaded into" in done.output
    with SQLiteStore(path) as s:
        assert s.counts().nodes["Cooperation"] == 1


def test_cli_load_lists_every_problem_on_clean_lines(tmp_path):
    write_csv(tmp_path / "regions.csv", [["name_zh", "name_en", "colour"], ["深圳市", "", "red"]])
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "g.sqlite"), "load", str(tmp_path / "regions.csv")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "Error: 2 problems in the input"
    assert any("row 1, column colour: unknown column" in line for line in lines)
    assert any("row 2, column name_en: required value is missing" in line for line in lines)


def test_user_alias_table_can_be_given_in_code(tmp_path):
    write_csv(tmp_path / "parks.csv", [["name_zh", "name_en", "region"], ["某园区", "Some park", "申城"]])
    with sqlite_store(tmp_path) as s:
        s.write(BASE_NODES, BASE_EDGES)
        load_paths(s, [tmp_path / "parks.csv"], aliases=AliasTable([("申城", "上海市")]))
        assert graph_from_store(s).has_edge("park:some-park", "region:shanghai", "LOCATED_IN")


def test_dates_lists_and_booleans_read_from_a_workbook(tmp_path):
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "sources"
    sheet.append(["name_zh", "name_en", "issued"])
    sheet.append(["某纪要", "Some minutes", datetime.datetime(2025, 3, 18)])
    mechanisms = workbook.create_sheet("mechanisms")
    mechanisms.append(["name_zh", "name_en", "modes", "dynamic_adjustment"])
    mechanisms.append(["某机制", "Some mechanism", "one-to-one；point-to-point; ", "是"])
    workbook.save(tmp_path / "plan.xlsx")
    nodes, _ = records_from_paths([tmp_path / "plan.xlsx"])
    by_kind = {n.kind: n for n in nodes}
    assert by_kind[NodeKind.SOURCE].props["issued"] == "2025-03-18"
    assert by_kind[NodeKind.MECHANISM].props["modes"] == ["one-to-one", "point-to-point"]
    assert by_kind[NodeKind.MECHANISM].props["dynamic_adjustment"] is True


def test_the_older_header_source_is_read_as_document(store, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("name_zh,name_en,provenance,source\n深圳市,Shenzhen,user,old-plan.xlsx\n", encoding="utf-8")
    load_paths(store, [path])
    node = graph_from_store(store).nodes["region:shenzhen"]
    assert node["document"] == "old-plan.xlsx" and "source" not in node


def test_document_and_its_alias_source_together_are_one_column_twice(store, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("name_zh,name_en,document,source\n深圳市,Shenzhen,a.xlsx,b.xlsx\n", encoding="utf-8")
    before = store.counts()
    with pytest.raises(ValidationError, match="column document: the column appears twice"):
        load_paths(store, [path])
    assert store.counts() == before
