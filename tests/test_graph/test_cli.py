import json

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.schema import Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore

NODES = [
    Node(
        "region:hainan",
        NodeKind.REGION,
        "海南省",
        "Hainan",
        {"provenance": "stated", "section": "二(一)", "quote": "海南"},
    ),
    Node(
        "region:shanghai",
        NodeKind.REGION,
        "上海市",
        "Shanghai",
        {"provenance": "stated", "section": "二(一)", "quote": "上海"},
    ),
    Node(
        "industry:tourism",
        NodeKind.INDUSTRY,
        "旅游业",
        "Tourism",
        {"is_leading": True, "provenance": "curated", "basis": "b"},
    ),
]
EDGES = [
    Edge("region:shanghai", RelType.SPECIALISES_IN, "industry:tourism", {"provenance": "curated", "basis": "=1+1"}),
]


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "g.sqlite"
    with SQLiteStore(path) as s:
        s.write(NODES, EDGES)
    return str(path)


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_info_counts_kinds_and_types(store_path):
    result = run("--store", store_path, "info")
    assert result.exit_code == 0
    assert f"存储：{store_path}" in result.output
    assert "地区" in result.output and "擅长" in result.output
    lines = {line.split()[0]: line.split()[-1] for line in result.output.splitlines() if line.strip()}
    assert lines["地区"] == "2"
    assert lines["产业"] == "1"
    english = run("--store", store_path, "info", "--lang", "en").output
    assert f"store: {store_path}" in english and "specialises in" in english


def test_info_reads_the_store_from_the_environment(store_path):
    result = CliRunner(env={"HAINET_STORE": store_path}).invoke(cli, ["info", "--lang", "en"])
    assert f"store: {store_path}" in result.output


def test_node_link_export_has_networkx_shape_and_provenance(store_path):
    result = run("--store", store_path, "export", "--format", "node-link", "-o", "-")
    data = json.loads(result.output)
    assert [n["id"] for n in data["nodes"]] == ["industry:tourism", "region:hainan", "region:shanghai"]
    assert data["nodes"][1] == {
        "id": "region:hainan",
        "label": "海南省",
        "kind": "Region",
        "name_en": "Hainan",
        "name_zh": "海南省",
        "provenance": "stated",
        "quote": "海南",
        "section": "二(一)",
    }
    assert data["links"][0]["type"] == "SPECIALISES_IN"
    assert data["links"][0]["provenance"] == "curated"
    G = nx.node_link_graph(data, edges="links")
    assert G.number_of_nodes() == 3 and G.number_of_edges() == 1


def test_export_is_deterministic(store_path, tmp_path):
    first = run("--store", store_path, "export", "-o", "-").output
    copy = str(tmp_path / "copy.sqlite")
    assert run("copy", "--from", store_path, "--to", copy).exit_code == 0
    assert run("--store", copy, "export", "-o", "-").output == first
    for fmt in ("graphml", "node-link"):
        a = run("--store", store_path, "export", "--format", fmt, "-o", "-").output
        b = run("--store", copy, "export", "--format", fmt, "-o", "-").output
        assert a == b


def test_graphml_export_reads_back(store_path, tmp_path):
    out = tmp_path / "g.graphml"
    assert run("--store", store_path, "export", "--format", "graphml", "-o", str(out)).exit_code == 0
    G = nx.read_graphml(out)
    assert G.nodes["region:hainan"]["name_zh"] == "海南省"


def test_copy_reports_what_it_copied(store_path, tmp_path):
    result = run("copy", "--from", store_path, "--to", str(tmp_path / "b.sqlite"))
    assert "copied 3 nodes and 1 relationships" in result.output
    again = run("copy", "--from", store_path, "--to", str(tmp_path / "b.sqlite"))
    assert "(0 added, 0 updated)" in again.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["export", "--format", "pdf"], "Invalid value for '-f' / '--format'"),
        (["no-such-command"], "No such command"),
        (["info", "--bogus"], "No such option"),
    ],
)
def test_bad_arguments_are_one_clear_error(store_path, args, message):
    result = CliRunner().invoke(cli, ["--store", store_path, *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_store_error_is_one_line_without_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["--store", str(blocker / "x" / "g.sqlite"), "info"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot open the store")
    assert len(result.output.strip().splitlines()) == 1


def test_every_command_has_help():
    result = run("--help")
    assert result.exit_code == 0
    for name in ("info", "export", "copy"):
        assert run(name, "--help").exit_code == 0
