"""hainet diff: what changed between two dates, or between two graphs."""

import json

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.schema import PROVENANCE_FIELDS
from graph.sqlite_store import SQLiteStore
from graph.timeline import graph_as_of
from queries.diff import (
    CHANGES,
    DIFF_COLUMNS,
    NETWORK_COLUMNS,
    changes_between,
    changes_table,
    diff_highlights,
    graph_changes,
    network_by_year,
)

#: A reported fact; the last provenance field names where it is recorded.
REPORTED = {
    "provenance": "reported",
    "basis": "agreement signed",
    PROVENANCE_FIELDS[-1]: "https://example.org/east-lake",
}
HISTORY = [
    {"status": "planned", "date": "2021-01-15"},
    {"status": "active", "date": "2022-05-01"},
    {"status": "ended", "date": "2024-06-30"},
]


def world(kit):
    """A need covered from 2022 to mid-2024, and a new partner from Hubei in November 2025."""
    return kit.records(
        kit.node("region:sichuan", "四川省", "Sichuan"),
        kit.node("region:hubei", "湖北省", "Hubei", valid_from="2025-11-20", **REPORTED),
        kit.node("industry:bio", "生物医药", "Biomedicine"),
        kit.node("industry:optics", "光电子", "Optoelectronics", valid_from="2025"),
        kit.node("unit:boao", "博鳌乐城", "Boao", unit_type="park"),
        kit.node("unit:haikou", "海口高新区", "Haikou zone", unit_type="park"),
        kit.need("unit:boao", "industry:bio"),
        kit.coop(
            "coop:sichuan-boao",
            partners=("region:sichuan",),
            serves=("unit:boao",),
            fields=("industry:bio",),
            status="ended",
            status_history=HISTORY,
        ),
        kit.coop(
            "coop:east-lake",
            partners=("region:hubei",),
            serves=("unit:haikou",),
            fields=("industry:optics",),
            status="planned",
            valid_from="2025-11-20",
            **REPORTED,
        ),
    )


@pytest.fixture
def G(kit):
    return kit.build(*world(kit))


def test_columns_and_order(G):
    frame = changes_between(G, "2020-12-31", "2025-12-31")
    assert list(frame.columns) == DIFF_COLUMNS
    ranks = [CHANGES.index(c) for c in frame["change"]]
    assert ranks == sorted(ranks)


def test_additions_carry_evidence_date_and_document(G):
    frame = changes_between(G, "2020-12-31", "2025-12-31")
    added = frame[frame["change"] == "added"].set_index("key")
    assert set(added.index) == {
        "coop:sichuan-boao",
        "coop:east-lake",
        "region:hubei",
        "industry:optics",
        "region:sichuan",
        "industry:bio",
    }
    east = added.loc["coop:east-lake"]
    assert (east["evidence"], east["date"], east["document"]) == (
        "reported",
        "2025-11-20",
        "https://example.org/east-lake",
    )
    assert added.loc["region:hubei", "detail"] == "new partner: east-lake中"


def test_regions_parks_and_departments_that_come_and_go(kit):
    before = kit.build(
        *kit.records(
            kit.node(
                "dept:rural",
                "农村科技司",
                "Rural",
                valid_to="2023-03-16",
                valid_to_document="https://example.org/reform",
            ),
            kit.node("dept:agri", "农业农村部", "MARA", valid_from="2023-03-16"),
        )
    )
    frame = changes_between(before, "2022", "2024")
    frame = frame[frame["change"].isin(["added", "ended"])].set_index("key")
    assert frame.loc["dept:rural", "change"] == "ended" and frame.loc["dept:rural", "date"] == "2023-03-16"
    assert frame.loc["dept:agri", "change"] == "added" and frame.loc["dept:agri", "detail"] == "new"
    assert frame.loc["dept:rural", "document"] == "https://example.org/reform"
    assert frame.loc["dept:rural", "evidence"] == "curated"  # a curated department with a reported end: the weaker


def test_status_changes_are_dated_within_the_span(G):
    frame = changes_between(G, "2022", "2024").set_index("key")
    assert (
        frame.loc["coop:sichuan-boao", "change"],
        frame.loc["coop:sichuan-boao", "detail"],
        frame.loc["coop:sichuan-boao", "date"],
    ) == ("ended", "active → ended", "2024-06-30")
    changed = changes_between(G, "2021", "2022").set_index("key")
    assert changed.loc["coop:sichuan-boao", "change"] == "changed"
    assert changed.loc["coop:sichuan-boao", "detail"] == "planned → active"


def test_needs_newly_covered_then_uncovered(G):
    covered = changes_between(G, "2020", "2021")
    assert covered[covered["change"] == "newly-covered"]["key"].tolist() == ["need:boao:bio"]
    uncovered = changes_between(G, "2023", "2024")
    row = uncovered[uncovered["change"] == "newly-uncovered"]
    assert row["key"].tolist() == ["need:boao:bio"]
    assert "active" in row["detail"].iloc[0]


def test_nothing_changed_is_an_empty_frame_with_the_columns(G):
    frame = changes_between(G, "2022-06-01", "2022-12-31")
    assert frame.empty and list(frame.columns) == DIFF_COLUMNS


def test_hubs_rising_and_falling(kit):
    a = kit.build(
        *kit.records(
            kit.node("region:a"),
            kit.node("region:b"),
            kit.node("region:c"),
            kit.node("unit:u", unit_type="park"),
            kit.coop("coop:1", partners=("region:a", "region:b"), serves=("unit:u",)),
        )
    )
    b = kit.build(
        *kit.records(
            kit.node("region:a"),
            kit.node("region:b"),
            kit.node("region:c"),
            kit.node("unit:u", unit_type="park"),
            kit.coop("coop:1", partners=("region:a", "region:b"), serves=("unit:u",)),
            kit.coop("coop:2", partners=("region:c", "region:b"), serves=("unit:u",)),
            kit.coop("coop:3", partners=("region:c",), serves=("unit:u",)),
        )
    )
    frame = graph_changes(a, b)
    moves = frame[frame["change"].isin(["rising", "falling"])].set_index("key")
    assert moves.loc["region:c", "change"] == "rising"
    assert moves.loc["region:a", "change"] == "falling"
    assert moves.loc["region:a", "detail"].startswith("rank 1 → ") or moves.loc["region:a", "detail"].startswith(
        "rank 2 → "
    )


def test_network_by_year(G):
    frame = network_by_year(G, 2020, 2025)
    assert list(frame.columns) == NETWORK_COLUMNS
    assert frame["year"].tolist() == list(range(2020, 2026))
    nodes = frame.set_index("year")["nodes"]
    assert nodes[2020] < nodes[2021] < nodes[2025]
    assert (frame["density"] >= 0).all() and (frame["density"] <= 1).all()


def _store(path, nodes, edges):
    with SQLiteStore(path) as store:
        store.write(nodes, edges)
    return str(path)


def test_cli_between_dates_as_json(kit, G, tmp_path):
    path = _store(tmp_path / "g.sqlite", *world(kit))
    result = CliRunner().invoke(
        cli, ["--store", path, "diff", "--from", "2020-12-31", "--to", "2025-12-31", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    east = next(r for r in rows if r["key"] == "coop:east-lake")
    assert east["change"] == "added" and east["evidence"] == "reported" and east["document"]


def test_cli_between_stores(kit, tmp_path):
    nodes, edges = world(kit)
    old = _store(
        tmp_path / "old.sqlite",
        [n for n in nodes if n.key != "coop:east-lake"],
        [e for e in edges if "coop:east-lake" not in (e.source, e.target)],
    )
    new = _store(tmp_path / "new.sqlite", nodes, edges)
    result = CliRunner().invoke(
        cli,
        [
            "--store",
            new,
            "diff",
            "--from-store",
            old,
            "--to-store",
            new,
            "--from",
            "2026",
            "--to",
            "2026",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.lstrip("\ufeff").splitlines()
    assert lines[0] == ",".join(DIFF_COLUMNS)
    assert any(line.startswith("added,Cooperation,coop:east-lake,") for line in lines)
    assert any(line.startswith("added,Region,region:hubei,") for line in lines)


def test_cli_refuses_missing_store_and_reversed_dates(kit, tmp_path):
    path = _store(tmp_path / "g.sqlite", *world(kit))
    missing = CliRunner().invoke(cli, ["--store", path, "diff", "--from-store", str(tmp_path / "nope.sqlite")])
    assert missing.exit_code == 1 and "no store at" in missing.output
    backwards = CliRunner().invoke(cli, ["--store", path, "diff", "--from", "2025", "--to", "2020"])
    assert backwards.exit_code == 2 and "later than" in backwards.output
    bad = CliRunner().invoke(cli, ["--store", path, "diff", "--from", "yesterday"])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_gaps_as_of_differ_where_the_world_changed(kit, tmp_path):
    path = _store(tmp_path / "g.sqlite", *world(kit))
    early = CliRunner().invoke(cli, ["--store", path, "needs", "--as-of", "2020-12-31", "--format", "json"])
    later = CliRunner().invoke(cli, ["--store", path, "needs", "--as-of", "2023-12-31", "--format", "json"])
    assert early.exit_code == later.exit_code == 0
    assert [r["need_key"] for r in json.loads(early.output)] == ["need:boao:bio"]
    assert json.loads(later.output) == []


def test_diff_highlights_and_the_report_table(G):
    changes = changes_between(G, "2020-12-31", "2025-12-31")
    sets = diff_highlights(changes, lang="en")
    assert list(sets) == ["added"]
    assert "coop:east-lake" in sets["added"]
    later = diff_highlights(changes_between(G, "2023", "2024"))
    assert later == {"终止": ["coop:sichuan-boao"]}
    table = changes_table(changes, lang="en")
    assert list(table.columns) == ["change", "name", "kind", "evidence", "date", "detail", "document"]
    assert set(table["change"]) >= {"added", "hub rising"}


def test_map_with_diff_colouring_and_report_as_of(kit, tmp_path):
    from graph.render import network_map

    G = kit.build(*world(kit))
    the_map = network_map(
        graph_as_of(G, "2025-12-31"),
        highlight=diff_highlights(changes_between(G, "2020-12-31", "2025-12-31"), lang="en"),
        lang="en",
    )
    assert the_map.flag_counts["added"] >= 3
    path = _store(tmp_path / "g.sqlite", *world(kit))
    out = tmp_path / "map.html"
    result = CliRunner().invoke(
        cli, ["--store", path, "map", "--diff-from", "2020-12-31", "--as-of", "2025-12-31", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "新增" in out.read_text(encoding="utf-8")
    report = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["--store", path, "report", "--as-of", "2020-12-31", "-o", str(report)])
    assert result.exit_code == 0, result.output
    assert "博鳌乐城" in report.read_text(encoding="utf-8")
