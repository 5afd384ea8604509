"""Diff, as-of and evaluate on a real Neo4j server give the answers of the embedded store."""

import json

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.schema import MONITORING_MEASURES, PROVENANCE_FIELDS
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from graph.timeline import history_text
from queries._facts import store_has_time
from queries.diff import changes_between, network_by_year
from queries.evaluate import evaluate

pytestmark = pytest.mark.neo4j

HISTORY = history_text(
    [
        {"status": "planned", "date": "2021-01-15"},
        {"status": "active", "date": "2022-05-01"},
        {"status": "ended", "date": "2024-06-30"},
    ]
)
REPORTED = {"provenance": "reported", "basis": "agreement signed", PROVENANCE_FIELDS[-1]: "https://example.org/a"}


def world(kit):
    monitoring = []
    for year, projects in ((2022, 3), (2023, 0)):
        key = f"monitoring:sichuan-boao:{year}"
        props = {
            "year": year,
            "status": "active",
            **dict.fromkeys(MONITORING_MEASURES, 0),
            "projects": projects,
            "funding_wan_yuan": 12.5 * projects,
            "provenance": "example",
            "basis": "fictional",
        }
        monitoring.append(
            kit.records(
                kit.node(key, f"{year}监测", f"monitoring {year}", **props),
                kit.edge(key, "REPORTS_ON", "coop:sichuan-boao"),
            )
        )
    return kit.records(
        kit.node("region:sichuan", "四川省", "Sichuan"),
        kit.node("region:hubei", "湖北省", "Hubei", valid_from="2025-11-20", **REPORTED),
        kit.node("dept:rural", "农村科技司", "Rural department", valid_to="2023-03-16"),
        kit.node("industry:bio", "生物医药", "Biomedicine"),
        kit.node("unit:boao", "博鳌乐城", "Boao", unit_type="park"),
        kit.node("unit:haikou", "海口高新区", "Haikou zone", unit_type="park"),
        kit.need("unit:boao", "industry:bio"),
        kit.coop(
            "coop:sichuan-boao",
            partners=("region:sichuan",),
            supporters=("dept:rural",),
            serves=("unit:boao",),
            fields=("industry:bio",),
            status="ended",
            status_history=HISTORY,
        ),
        kit.coop(
            "coop:east-lake",
            partners=("region:hubei",),
            serves=("unit:haikou",),
            fields=("industry:bio",),
            status="planned",
            valid_from="2025-11-20",
            **REPORTED,
        ),
        *monitoring,
    )


@pytest.fixture
def stores(kit, neo4j_store, tmp_path):
    nodes, edges = world(kit)
    neo4j_store.write(nodes, edges)
    with SQLiteStore(tmp_path / "g.sqlite") as embedded:
        embedded.write(nodes, edges)
        yield embedded, neo4j_store


def test_status_history_is_kept_as_json_text(stores, kit):
    _, server = stores
    assert graph_from_store(server).nodes["coop:sichuan-boao"]["status_history"] == HISTORY
    listed = kit.node("coop:listed", status="active", status_history=json.loads(HISTORY))
    server.write([listed], [])
    [stored] = [n for n in server.iter_nodes() if n.key == "coop:listed"]
    assert stored.props["status_history"] == HISTORY


def test_stores_agree_record_for_record(stores):
    embedded, server = stores
    assert list(server.iter_nodes()) == list(embedded.iter_nodes())
    assert list(server.iter_edges()) == list(embedded.iter_edges())
    again = server.write(list(embedded.iter_nodes()), list(embedded.iter_edges()))
    assert not again.changed


def test_the_server_tells_when_it_holds_dated_facts(stores, neo4j_store):
    _, server = stores
    assert store_has_time(server)
    server.clear()
    assert not store_has_time(server)


def test_diff_evaluate_and_network_agree(stores):
    embedded, server = stores
    for since, until in (("2020", "2021"), ("2021", "2022"), ("2023", "2024"), ("2020-12-31", "2025-12-31")):
        assert changes_between(server, since, until).equals(changes_between(embedded, since, until))
    assert network_by_year(server, 2020, 2026).equals(network_by_year(embedded, 2020, 2026))
    for year in (2022, 2023):
        assert evaluate(server, year=year).equals(evaluate(embedded, year=year))
    assert evaluate(embedded, year=2023).set_index("cooperation_key").loc["coop:sichuan-boao", "flag"] == ""


@pytest.mark.parametrize("command", [["needs"], ["gaps"], ["hubs"], ["checks"], ["recommend"]])
@pytest.mark.parametrize("as_of", ["2020-12-31", "2022-12-31", "2025-12-31"])
def test_questions_as_of_a_date_agree(stores, neo4j_server, command, as_of):
    embedded, server = stores
    runner = CliRunner()
    answers = []
    for location in (str(embedded.path), server.settings.uri):
        result = runner.invoke(cli, ["--store", location, *command, "--as-of", as_of, "--format", "json"])
        assert result.exit_code == 0, result.output
        answers.append(json.loads(result.output))
    assert answers[0] == answers[1]


def test_needs_differ_across_dates_on_the_server(stores):
    _, server = stores
    runner = CliRunner()
    early = runner.invoke(cli, ["--store", server.settings.uri, "needs", "--as-of", "2020-12-31", "--format", "json"])
    later = runner.invoke(cli, ["--store", server.settings.uri, "needs", "--as-of", "2022-12-31", "--format", "json"])
    assert [r["need_key"] for r in json.loads(early.output)] == ["need:boao:bio"]
    assert json.loads(later.output) == []
    assert graph_from_store(server).nodes["coop:sichuan-boao"]["status_history"] == HISTORY
