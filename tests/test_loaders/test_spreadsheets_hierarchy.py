"""PART_OF and LOCATED_IN make hierarchies: self-loops and cycles are refused, named by name and key."""

import csv

import pytest

from graph.errors import ValidationError
from graph.schema import Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from loaders.spreadsheets import load_paths

CURATED = {"provenance": "curated", "basis": "a test hierarchy"}


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(tmp_path / "g.sqlite") as s:
        s.write(
            [
                Node("industry:biomedicine", NodeKind.INDUSTRY, "生物医药", "Biomedicine", CURATED),
                Node("industry:medtech", NodeKind.INDUSTRY, "医疗器械", "Medical technology", CURATED),
                Node("region:guangdong", NodeKind.REGION, "广东省", "Guangdong", CURATED),
            ],
            [Edge("industry:medtech", RelType.PART_OF, "industry:biomedicine", CURATED)],
        )
        yield s


def refused(store, paths):
    before = (sorted(e.triple for e in store.iter_edges()), store.counts())
    with pytest.raises(ValidationError) as caught:
        load_paths(store, paths)
    assert (sorted(e.triple for e in store.iter_edges()), store.counts()) == before
    return caught.value.problems


def test_a_region_part_of_itself_is_refused(store, tmp_path):
    path = write_csv(
        tmp_path / "regions.csv",
        [["key", "name_zh", "name_en", "parent_region"], ["region:shenzhen", "深圳市", "Shenzhen", "region:shenzhen"]],
    )
    [problem] = refused(store, [path])
    assert (problem.row, problem.column, problem.value) == (2, "parent_region", "region:shenzhen")
    assert problem.reason == "PART_OF from a node to itself: 深圳市 (region:shenzhen)"


def test_a_cycle_within_the_files_is_named_at_the_row_that_closes_it(store, tmp_path):
    path = write_csv(
        tmp_path / "regions.csv",
        [
            ["key", "name_zh", "name_en", "parent_region"],
            ["region:a", "甲市", "A", "region:b"],
            ["region:b", "乙市", "B", "region:c"],
            ["region:c", "丙市", "C", "region:a"],
        ],
    )
    [problem] = refused(store, [path])
    assert (problem.row, problem.column, problem.value) == (4, "parent_region", "region:a")
    assert problem.reason == (
        "PART_OF makes a cycle: 丙市 (region:c) → 甲市 (region:a) → 乙市 (region:b) → 丙市 (region:c)"
    )


def test_a_cycle_closed_against_the_store_is_refused(store, tmp_path):
    path = write_csv(
        tmp_path / "links.csv",
        [
            ["from", "type", "to", "provenance", "basis"],
            ["生物医药", "PART_OF", "医疗器械", "curated", "wrong way round"],
        ],
    )
    [problem] = refused(store, [path])
    assert problem.row == 2 and problem.column == "to"
    assert problem.reason == (
        "PART_OF makes a cycle: 生物医药 (industry:biomedicine) → 医疗器械 (industry:medtech) "
        "→ 生物医药 (industry:biomedicine)"
    )


def test_located_in_cycles_are_refused_too(store, tmp_path):
    path = write_csv(
        tmp_path / "links.csv",
        [
            ["from", "type", "to", "provenance", "basis"],
            ["region:guangdong", "LOCATED_IN", "region:guangdong", "curated", "x"],
        ],
    )
    [problem] = refused(store, [path])
    assert problem.reason == "LOCATED_IN from a node to itself: 广东省 (region:guangdong)"


def test_a_hierarchy_without_cycles_loads(store, tmp_path):
    path = write_csv(
        tmp_path / "industries.csv",
        [
            ["key", "name_zh", "name_en", "parent_industry"],
            ["industry:imaging", "医学影像", "Medical imaging", "医疗器械"],
        ],
    )
    load_paths(store, [path])
    assert ("industry:imaging", "PART_OF", "industry:medtech") in {e.triple for e in store.iter_edges()}
