"""A planner's row never silently replaces a stated or reported fact."""

import csv
import json

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
REPORTED_EDGE = Edge("region:shanghai", RelType.LOCATED_IN, "region:hainan",
                     {"provenance": "reported", "document": "https://example.org/news", "section": "2023-05-01"})


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


@pytest.mark.parametrize("name_zh, name_en", [
    ("上海\u200b市", "Shanghai"),
    ("上海市", "Shanghai "),
    ("\ufeff上海市\u00a0", "\u00a0Shanghai"),
    ("上海市", "SHANGHAI"),
])
def test_a_folded_repeat_of_a_stated_node_changes_nothing(store, tmp_path, name_zh, name_en):
    path = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en", "region_type"],
                                                [name_zh, name_en, "municipality"]])
    report = load_paths(store, [path])
    assert not report.changed and dict(report.unchanged) == {"Region": 1}
    assert stored(store, "region:shanghai") == SHANGHAI


def test_a_differing_field_is_a_conflict_naming_both_values(store, tmp_path):
    path = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en", "region_type"],
                                                ["上海\u200b市", "Shanghai City", "city"]])
    with pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    found = [(p.row, p.column, p.value) for p in caught.value.problems]
    assert found == [(2, "name_en", "Shanghai City"), (2, "region_type", "city")]
    reason = caught.value.problems[0].reason
    assert "stated fact in the store (section 二(一))" in reason and "'Shanghai'" in reason
    assert "'Shanghai City'" in reason and "--override" in reason
    assert stored(store, "region:shanghai") == SHANGHAI


def test_override_records_the_user_value_beside_the_stated_one(store, tmp_path):
    path = write_csv(tmp_path / "regions.csv", [["name_zh", "name_en", "code"],
                                                ["上海市", "Shanghai City", "310000"]])
    report = load_paths(store, [path], override=True)
    assert dict(report.updated) == {"Region": 1}
    node = stored(store, "region:shanghai")
    assert (node.name_zh, node.name_en) == ("上海市", "Shanghai")
    assert {k: node.props[k] for k in STATED} == STATED  # provenance, section, quote and values kept
    assert json.loads(node.props["user_overrides"]) == {"name_en": "Shanghai City", "code": "310000",
                                                        "loaded_from": "regions.csv"}
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
    path = write_csv(tmp_path / "links.csv", [["from", "type", "to", "provenance", "basis"],
                                              ["上海市", "LOCATED_IN", "海南省", "curated", "my guess"]])
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
