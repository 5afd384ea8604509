"""A planner's row never silently replaces a stated or reported fact."""

import csv
import json
from contextlib import nullcontext

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import ValidationError
from graph.schema import Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from loaders.spreadsheets import export_csv_folder, load_paths

QUOTE = "推动上海、北京、广东、深圳、四川、湖南等地区与海南建立合作机制"
STATED = {"provenance": "stated", "section": "二(一)", "quote": QUOTE, "region_type": "municipality"}
SHANGHAI = Node("region:shanghai", NodeKind.REGION, "上海市", "Shanghai", STATED)
HAINAN = Node("region:hainan", NodeKind.REGION, "海南省", "Hainan", {**STATED, "region_type": "province"})
REPORTED_EDGE = Edge(
    "region:shanghai",
    RelType.LOCATED_IN,
    "region:hainan",
    {"provenance": "reported", "document": "https://example.org/news", "section": "2023-05-01"},
)


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(tmp_path / "g.sqlite") as s:
        s.write([SHANGHAI, HAINAN], [])
        yield s


def stored(store, key):
    return next(n for n in store.iter_nodes() if n.key == key)


@pytest.mark.parametrize(
    "name_zh, name_en",
    [
        ("上海\u200b市", "Shanghai"),
        ("上海市", "Shanghai "),
        ("\ufeff上海市\u00a0", "\u00a0Shanghai"),
        ("上海市", "SHANGHAI"),
    ],
)
def test_a_folded_repeat_of_a_stated_node_changes_nothing(store, tmp_path, name_zh, name_en):
    path = write_csv(
        tmp_path / "regions.csv", [["name_zh", "name_en", "region_type"], [name_zh, name_en, "municipality"]]
    )
    report = load_paths(store, [path])
    assert not report.changed and dict(report.unchanged) == {"Region": 1}
    assert stored(store, "region:shanghai") == SHANGHAI


def test_a_differing_field_is_a_conflict_naming_both_values(store, tmp_path):
    path = write_csv(
        tmp_path / "regions.csv", [["name_zh", "name_en", "region_type"], ["上海\u200b市", "Shanghai City", "city"]]
    )
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    found = [(p.row, p.column, p.value) for p in caught.value.problems]
    assert found == [(2, "name_en", "Shanghai City"), (2, "region_type", "city")]
    reason = caught.value.problems[0].reason
    assert "stated fact in the store (section 二(一))" in reason and "'Shanghai'" in reason
    assert "'Shanghai City'" in reason and "--override" in reason
    assert stored(store, "region:shanghai") == SHANGHAI


def test_override_records_the_user_value_beside_the_stated_one(store, tmp_path):
    path = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en", "code"], ["上海市", "Shanghai City", "310000"]])
    report = load_paths(store, [path], override=True)
    assert dict(report.updated) == {"Region": 1}
    node = stored(store, "region:shanghai")
    assert (node.name_zh, node.name_en) == ("上海市", "Shanghai")
    assert {k: node.props[k] for k in STATED} == STATED  # provenance, section, quote and values kept
    assert json.loads(node.props["user_overrides"]) == {
        "name_en": "Shanghai City",
        "code": "310000",
        "loaded_from": "regions.csv",
    }
    # The override goes out with an export and comes back unchanged.
    export_csv_folder(store, tmp_path / "out")
    assert not load_paths(store, [tmp_path / "out"]).changed


def test_a_repeated_reported_relationship_keeps_its_provenance(store, tmp_path):
    store.write([], [REPORTED_EDGE])
    path = write_csv(tmp_path / "links.csv", [["from", "type", "to"], ["上海市 ", "LOCATED_IN", "海南省"]])
    report = load_paths(store, [path])
    assert not report.changed
    [edge] = store.iter_edges(RelType.LOCATED_IN)
    assert edge == REPORTED_EDGE


def test_a_relationship_row_claiming_other_evidence_is_a_conflict(store, tmp_path):
    store.write([], [REPORTED_EDGE])
    path = write_csv(
        tmp_path / "links.csv",
        [["from", "type", "to", "provenance", "basis"], ["上海市", "LOCATED_IN", "海南省", "curated", "my guess"]],
    )
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    assert {(p.row, p.column) for p in caught.value.problems} == {(2, "to")}
    assert all("reported fact" in p.reason for p in caught.value.problems)


def test_user_facts_are_still_updated_by_rows(tmp_path):
    with SQLiteStore(tmp_path / "u.sqlite") as store:
        store.write([Node("region:sanya", NodeKind.REGION, "三亚市", "Sanya", {"provenance": "user"})], [])
        path = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en", "code"], ["三亚市", "Sanya", "460200"]])
        assert dict(load_paths(store, [path]).updated) == {"Region": 1}


def test_the_command_refuses_then_overrides(store, tmp_path):
    store.close()
    path = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en"], ["上海市", "Shanghai City"]])
    args = ["--store", str(tmp_path / "g.sqlite"), "load", str(path)]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1 and "--override" in refused.output
    done = CliRunner().invoke(cli, [*args[:3], "--override", str(path)])
    assert done.exit_code == 0, done.output


def test_reloading_the_builtin_dataset_keeps_overrides(tmp_path):
    from loaders.builtin import builtin_records

    nodes, edges = builtin_records()
    builtin_node = next(n for n in nodes if n.key == "region:shanghai")
    triple = ("region:shanghai", "PARTNER_IN", "coop:shanghai-hainan")
    builtin_edge = next(e for e in edges if e.triple == triple)
    regions = write_csv(
        tmp_path / "regions.csv", [["name_zh", "name_en", "code"], ["上海市", "Shanghai City", "310000"]]
    )
    links = write_csv(
        tmp_path / "links.csv",
        [
            ["from", "type", "to", "provenance", "section", "quote"],
            ["上海市", "PARTNER_IN", "coop:shanghai-hainan", "stated", "二(二)", builtin_edge.props["quote"]],
        ],
    )
    load = ["--store", str(tmp_path / "b.sqlite"), "load"]
    for args in (load, [*load, "--override", str(regions), str(links)]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output

    reloaded = CliRunner().invoke(cli, load)
    assert reloaded.exit_code == 0, reloaded.output
    assert "nothing changed" in reloaded.output
    with SQLiteStore(tmp_path / "b.sqlite") as store:
        node = stored(store, "region:shanghai")
        [edge] = [e for e in store.iter_edges(RelType.PARTNER_IN) if e.triple == triple]
    assert (node.name_zh, node.name_en) == ("上海市", "Shanghai")
    assert {k: v for k, v in node.props.items() if k != "user_overrides"} == builtin_node.props
    assert json.loads(node.props["user_overrides"]) == {
        "name_en": "Shanghai City",
        "code": "310000",
        "loaded_from": "regions.csv",
    }
    assert {k: v for k, v in edge.props.items() if k != "user_overrides"} == builtin_edge.props
    assert json.loads(edge.props["user_overrides"]) == {"section": "二(二)", "loaded_from": "links.csv"}


@pytest.mark.parametrize("name_zh, name_en", [("上海\u200b市", "Shanghai "), ("\ufeff上海市\u00a0", "SHANGHAI")])
def test_a_folded_duplicate_of_the_builtin_shanghai_changes_nothing(tmp_path, name_zh, name_en):
    from loaders.builtin import builtin_records, load_builtin

    builtin_node = next(n for n in builtin_records()[0] if n.key == "region:shanghai")
    path = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en"], [name_zh, name_en]])
    with SQLiteStore(tmp_path / "b.sqlite") as store:
        load_builtin(store)
        report = load_paths(store, [path])
        assert not report.changed and dict(report.unchanged) == {"Region": 1}
        assert stored(store, "region:shanghai") == builtin_node


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_both_stores_keep_overrides_through_a_builtin_reload(request, tmp_path, backend):
    from loaders.builtin import load_builtin

    path = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en", "code"], ["上海市", "Shanghai City", "310000"]])
    # The neo4j_store fixture clears and closes its store itself.
    opened = (
        nullcontext(request.getfixturevalue("neo4j_store"))
        if backend == "neo4j"
        else SQLiteStore(tmp_path / "b.sqlite")
    )
    with opened as target:
        load_builtin(target)
        load_paths(target, [path], override=True)
        overridden = stored(target, "region:shanghai")
        assert "user_overrides" in overridden.props
        assert not load_builtin(target).changed
        assert stored(target, "region:shanghai") == overridden
