"""What-if: measures that change when a cooperation ends or starts, on a copy, never on the store."""

import hashlib
import json

import pytest

from graph.errors import HainetError
from graph.store import graph_from_store, open_store
from loaders.builtin import load_builtin
from queries._examples import example_graph
from queries.whatif import WHATIF_COLUMNS, WHATIF_MEASURES, Pairing, parse_pairing, what_if, whatif_graph


@pytest.fixture(scope="module")
def store_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("whatif") / "s.sqlite"
    with open_store(str(path)) as store:
        load_builtin(store)
    return path


def test_without_shanghai_its_fields_lose_their_only_partner(store_file):
    before = hashlib.sha256(store_file.read_bytes()).hexdigest()
    with open_store(str(store_file)) as store:
        rows = what_if(store, remove=["coop:shanghai-hainan"])
    assert list(rows.columns) == WHATIF_COLUMNS
    assert set(rows["measure"]) <= set(WHATIF_MEASURES)
    status = rows[rows["measure"] == "industry-status"].set_index("subject_key")
    assert status.loc["industry:aerospace", "after"] == "uncovered"
    count = rows[rows["measure"] == "unmatched-count"].iloc[0]
    assert count["after"] > count["before"] and count["change"] == "up"
    newly = set(rows[(rows["measure"] == "unmatched-need") & (rows["change"] == "added")]["subject_key"])
    assert "need:hainan:aerospace" in newly
    assert hashlib.sha256(store_file.read_bytes()).hexdigest() == before


def test_a_new_pairing_covers_its_need_and_lifts_the_unit(store_file):
    with open_store(str(store_file)) as store:
        G = graph_from_store(store)
    rows = what_if(G, add=["上海市—文昌国际航天城：航天"])
    need = rows[(rows["measure"] == "unmatched-need")].set_index("subject_key")
    assert need.loc["need:wenchang-space-city:aerospace", "change"] == "removed"
    assert rows[rows["measure"] == "unmatched-count"].iloc[0]["change"] == "down"
    assert "coop:whatif-1" not in G


def test_nothing_changes_nothing_is_listed():
    assert what_if(example_graph()).empty


def test_pairing_parts_are_found_by_name_or_key():
    G = example_graph()
    assert parse_pairing(G, "region:shanghai -> unit:boao : industry:tourism") == Pairing(
        "region:shanghai", "unit:boao", "industry:tourism"
    )
    H = whatif_graph(G, add=[Pairing("region:shanghai", "unit:boao", "industry:tourism")])
    assert H.nodes["coop:whatif-1"]["provenance"] == "user"
    assert H.has_edge("region:shanghai", "coop:whatif-1") and H.has_edge("coop:whatif-1", "unit:boao")


@pytest.mark.parametrize("text", ["上海市", "上海市—", "—文昌:航天", "上海市—博鳌"])
def test_a_malformed_pairing_is_one_clear_error(text):
    with pytest.raises(HainetError, match=r"pairing|PARTY"):
        parse_pairing(example_graph(), text)


def test_an_unknown_cooperation_is_refused():
    with pytest.raises(HainetError, match="no Cooperation"):
        what_if(example_graph(), remove=["coop:nowhere"])


def test_the_commands_read_the_store_and_never_write_it(store_file):
    from click.testing import CliRunner

    from graph.cli import cli

    before = hashlib.sha256(store_file.read_bytes()).hexdigest()
    result = CliRunner().invoke(
        cli,
        [
            "--store",
            str(store_file),
            "whatif",
            "--remove",
            "coop:shanghai-hainan",
            "--as-of",
            "2025-12-31",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {"measure", "subject", "before", "after", "change"} <= set(rows[0])
    assert any(r["measure"] == "industry-status" and r["subject_key"] == "industry:aerospace" for r in rows)
    assert hashlib.sha256(store_file.read_bytes()).hexdigest() == before
    result = CliRunner().invoke(cli, ["--store", str(store_file), "whatif"])
    assert result.exit_code == 2 and "--add" in result.output


def test_recommend_backtest_has_random_and_temporal_rows(store_file):
    from click.testing import CliRunner

    from graph.cli import cli

    result = CliRunner().invoke(
        cli, ["--store", str(store_file), "recommend", "--backtest", "--repeats", "2", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["split"] for r in rows} == {"random", "temporal"}
    auc = {(r["scorer"], r["split"]): r["auc"] for r in rows}
    assert auc["blended", "random"] >= auc["random", "random"] + 0.1
    assert {"scorer", "split", "auc", "precision_at_5", "n_test"} == set(rows[0])


def test_the_map_draws_a_what_if_beside_today(store_file, tmp_path):
    from click.testing import CliRunner

    from graph.cli import cli

    today, what_if_map = tmp_path / "today.html", tmp_path / "whatif.html"
    for out, extra in ((today, []), (what_if_map, ["--whatif-remove", "coop:shanghai-hainan"])):
        result = CliRunner().invoke(cli, ["--store", str(store_file), "map", "--view", "full", "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
    assert '"coop:shanghai-hainan"' in today.read_text(encoding="utf-8")
    page = what_if_map.read_text(encoding="utf-8")
    assert '"coop:shanghai-hainan"' not in page and "（设想）" in page
