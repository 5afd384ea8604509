"""The ``hainet`` command line against a real Neo4j server: load, info, copy, export and errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from graph.cli import cli
from graph.labels import label
from graph.schema import SCHEMA_VERSION, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from loaders.builtin import builtin_records, load_builtin

SECRET = "not-the-password-7f3a9c"


def run(*args: str, **env: str) -> Result:
    return CliRunner(env=env or None).invoke(cli, list(args))


def info_counts(output: str) -> dict[str, int]:
    """Return {kind or type: count} from the tables of ``hainet info``, totals left out."""
    codes = {label(code): code for code in (*NodeKind, *RelType)}
    counts = {}
    for line in output.splitlines():
        words = line.split()
        if len(words) == 2 and words[1].isdigit() and words[0] in codes:
            counts[str(codes[words[0]])] = int(words[1])
    return counts


def assert_one_clean_error_line(result: Result, *secrets: str) -> None:
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    for secret in secrets:
        assert secret not in result.output


def expected_counts() -> dict[str, int]:
    nodes, edges = builtin_records()
    counts: dict[str, int] = {}
    for name in [n.kind.value for n in nodes] + [e.type.value for e in edges]:
        counts[name] = counts.get(name, 0) + 1
    return counts


# --- Errors -------------------------------------------------------------------------------


def test_an_unreachable_server_is_one_clean_error_line():
    result = run("--store", "bolt://127.0.0.1:1", "info", NEO4J_PASSWORD=SECRET)
    assert_one_clean_error_line(result, SECRET)
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in result.output


@pytest.mark.neo4j
def test_a_wrong_password_is_one_clean_error_line_without_the_password(neo4j_server):
    uri = neo4j_server["NEO4J_URI"]
    result = run("--store", uri, "info", NEO4J_PASSWORD=SECRET)
    assert_one_clean_error_line(result, SECRET, neo4j_server["NEO4J_PASSWORD"])
    assert "refused the credentials" in result.output
    assert uri in result.output


# --- Commands against Neo4j ----------------------------------------------------------------


@pytest.mark.neo4j
def test_load_then_info_show_the_builtin_counts(neo4j_store):
    uri = neo4j_store.settings.uri
    loaded = run("--store", uri, "load")
    assert loaded.exit_code == 0, loaded.output
    assert f"loaded into {uri}" in loaded.output

    shown = run("--store", uri, "info")
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith(f"存储：{uri}\n数据结构版本：{SCHEMA_VERSION}\n")
    assert info_counts(shown.output) == expected_counts()

    again = run("--store", uri, "load")
    assert "nothing changed" in again.output
    assert info_counts(run("--store", uri, "info").output) == expected_counts()


@pytest.mark.neo4j
def test_load_dry_run_writes_nothing(neo4j_store):
    uri = neo4j_store.settings.uri
    result = run("--store", uri, "load", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"would load into {uri}" in result.output
    assert neo4j_store.counts().total_nodes == 0


@pytest.mark.neo4j
def test_copy_to_neo4j_and_back_keeps_counts_and_exports_the_same_bytes(neo4j_store, tmp_path):
    uri = neo4j_store.settings.uri
    source, back = tmp_path / "source.sqlite", tmp_path / "back.sqlite"
    with SQLiteStore(source) as store:
        load_builtin(store)

    there = run("copy", "--from", str(source), "--to", uri)
    assert there.exit_code == 0, there.output
    nodes, edges = builtin_records()
    assert f"copied {len(nodes)} nodes and {len(edges)} relationships" in there.output
    returned = run("copy", "--from", uri, "--to", str(back))
    assert returned.exit_code == 0, returned.output

    counts = [info_counts(run("--store", where, "info").output) for where in (str(source), uri, str(back))]
    assert counts[0] == counts[1] == counts[2] == expected_counts()
    stores = (str(source), uri, str(back))
    for fmt in ("node-link", "graphml"):
        exported = [run("--store", where, "export", "--format", fmt, "-o", "-") for where in stores]
        assert all(r.exit_code == 0 for r in exported)
        texts = [r.stdout_bytes for r in exported]
        assert len(texts[0]) > 10_000
        assert texts[0] == texts[1] == texts[2], fmt


@pytest.mark.neo4j
def test_export_from_both_stores_writes_identical_files(neo4j_store, tmp_path):
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        load_builtin(store)
    load_builtin(neo4j_store)
    for fmt, name in (("node-link", "g.json"), ("graphml", "g.graphml")):
        for where, folder in ((str(tmp_path / "g.sqlite"), "embedded"), (neo4j_store.settings.uri, "neo4j")):
            result = run("--store", where, "export", "--format", fmt, "-o", str(tmp_path / folder / name))
            assert result.exit_code == 0, result.output
        assert (tmp_path / "embedded" / name).read_bytes() == (tmp_path / "neo4j" / name).read_bytes()
