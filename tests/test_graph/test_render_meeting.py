"""The meeting view in Python: columns, needs beside their unit, label budget, panel data, determinism."""

import json

import networkx as nx
import pytest
from render_fixtures import small_mechanism_graph

from graph.errors import HainetError
from graph.render import network_map
from graph.render_layout import COLUMN_PITCH, SEATS, geo_positions, meeting_subgraph
from graph.render_style import LABEL_BUDGET, MAX_LABEL_CHARS
from loaders.builtin import builtin_records
from queries._examples import graph_from_records
from queries.needs import unmatched_needs
from queries.report import annotated_network_map, map_coverage


@pytest.fixture(scope="module")
def builtin():
    return graph_from_records(*builtin_records())


@pytest.fixture(scope="module")
def builtin_map(builtin):
    return annotated_network_map(builtin)


def test_columns_hold_partners_cooperations_units_and_unmatched_needs(builtin, builtin_map):
    nodes = {n["id"]: n for n in builtin_map.data["nodes"]}
    x_of = {n["kind"]: set() for n in nodes.values()}
    for n in nodes.values():
        x_of[n["kind"]].add(n["x"])
    assert x_of["Cooperation"] == {COLUMN_PITCH} and x_of["DemandUnit"] == {2 * COLUMN_PITCH}
    assert x_of["Need"] == {3 * COLUMN_PITCH}
    assert {"Region", "Park", "Department"} >= {k for k, xs in x_of.items() if xs == {0.0}}
    assert "Industry" not in x_of and "Mechanism" not in x_of and "region:hainan" not in nodes
    unmatched = set(unmatched_needs(builtin)["need_key"])
    assert {k for k, n in nodes.items() if n["kind"] == "Need"} == unmatched
    # Each need sits on its unit's rows, right beside it.
    for need in unmatched:
        unit = next(u for u, _, r in builtin.in_edges(need, keys=True) if r == "HAS_NEED")
        assert abs(nodes[need]["y"] - nodes[unit]["y"]) <= 13 * builtin.out_degree(unit)


def test_label_budget_labels_flags_and_best_known_names(builtin_map):
    nodes = builtin_map.data["nodes"]
    labelled = [n for n in nodes if n["labelled"]]
    flagged = [n for n in nodes if n["flags"]]
    assert all(n["labelled"] for n in flagged)
    assert len(labelled) - len(flagged) <= LABEL_BUDGET + 3
    assert all(len(n["label"]) <= MAX_LABEL_CHARS for n in labelled)
    assert all("label" not in n and n["fullLabel"] for n in nodes if not n["labelled"])


def test_panel_carries_coverage_reasons_and_quotes(builtin, builtin_map):
    panel = next(n["panel"] for n in builtin_map.data["nodes"] if n["id"] == "unit:hainan")
    needs = panel["needs"]
    assert [n["covered"] for n in needs] == sorted(n["covered"] for n in needs)  # uncovered first
    uncovered = [n for n in needs if not n["covered"]]
    assert uncovered and all(n["reason"] for n in uncovered)
    assert panel["partners"] and panel["quote"] and panel["evidence"]
    coverage = map_coverage(builtin)
    assert list(coverage.columns) == [
        "key",
        "covered",
        "status",
        "reason",
        "evidence",
        "closest",
        "closest_key",
        "partners",
        "partner_keys",
    ]
    assert int((~coverage["covered"]).sum()) == len(builtin_map.data["tour"])


def test_default_map_is_deterministic_and_views_differ(builtin):
    first = annotated_network_map(builtin).html()
    assert first == annotated_network_map(nx.MultiDiGraph(builtin)).html()
    geo = annotated_network_map(builtin, view="geo").data
    full = annotated_network_map(builtin, view="full").data
    assert geo["view"] == "geo" and full["view"] == "full" and len(full["nodes"]) > len(geo["nodes"])
    with pytest.raises(HainetError, match="unknown view 'sankey'"):
        network_map(builtin, view="sankey")


def test_meeting_view_without_cooperations_falls_back_to_full():
    G = nx.MultiDiGraph()
    G.add_node("industry:x", kind="Industry", name_zh="产业", name_en="X")
    m = network_map(G)
    assert m.data["view"] == "full" and m.node_count == 1


def test_names_resolve_like_the_command_line(builtin):
    assert "生物医药" in network_map(builtin, industry="生物").banner
    with pytest.raises(HainetError, match="give a key"):
        network_map(builtin, focus="三亚")


def test_hostile_panel_text_travels_as_escaped_json():
    G = small_mechanism_graph(hostile=True)
    page = network_map(
        G,
        coverage={"need:haikou:tourism": {"covered": False, "reason": "</script><svg onload=x>"}},
        highlight={"未覆盖需求": ["need:haikou:tourism"]},
    ).html()
    data = page.split('id="hn-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and json.loads(data)["tour"][0]["lines"]


def test_geo_places_departments_in_beijing_and_hainan_south(builtin):
    H = meeting_subgraph(builtin, set(unmatched_needs(builtin)["need_key"]))
    pos = geo_positions(H)
    lon, lat = SEATS["region:beijing"]
    depts = [k for k in pos if k.startswith("dept:")]
    assert depts and all(abs(pos[d][0] - lon * 60) <= 48 and abs(pos[d][1] + lat * 60) <= 48 for d in depts)
    assert pos["unit:sanya"][1] > pos["unit:haikou"][1] > pos["region:shanghai"][1]


def test_map_counts_agree_with_the_questions(builtin, builtin_map):
    from queries.gaps import industry_gaps

    gaps = industry_gaps(builtin)
    counts = builtin_map.flag_counts
    assert counts["未覆盖需求"] == len(unmatched_needs(builtin))
    assert counts["单一伙伴产业"] == int((gaps["status"] == "single-partner").sum())
    assert counts["产业缺口（无伙伴）"] == int((gaps["status"] == "uncovered").sum())
