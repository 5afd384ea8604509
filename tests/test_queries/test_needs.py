import pandas as pd

from queries.needs import NEED_COLUMNS, UNMATCHED_REASONS, unmatched_needs


def reasons(G):
    return dict(zip(unmatched_needs(G)["need_key"], unmatched_needs(G)["reason"], strict=True))


def test_columns_are_documented(reasons_graph, empty_graph):
    assert list(unmatched_needs(reasons_graph).columns) == NEED_COLUMNS
    assert list(unmatched_needs(empty_graph).columns) == NEED_COLUMNS
    assert unmatched_needs(empty_graph).empty


def test_every_reason_is_told_apart(reasons_graph):
    assert reasons(reasons_graph) == {
        "need:zone:bio": "partners-not-linked-to-unit",
        "need:zone:rice": "no-partner-in-field",
        "need:lab:sea": "cooperation-stalled-or-ended",
        "need:town:bio": "partners-not-linked-to-unit",
    }
    assert set(reasons(reasons_graph).values()) == set(UNMATCHED_REASONS)


def test_covered_needs_are_not_listed(reasons_graph):
    listed = set(unmatched_needs(reasons_graph)["need_key"])
    assert "need:lab:bio" not in listed  # active, right unit, right field
    assert "need:lab:ai" not in listed  # planned covers too, even with a SUPPORTS-only partner


def test_serving_the_parent_unit_or_a_sub_field_does_not_cover(reasons_graph):
    # coop:zone-genomics serves unit:zone (town's parent) in genomics (bio's child).
    assert reasons(reasons_graph)["need:town:bio"] == "partners-not-linked-to-unit"
    assert reasons(reasons_graph)["need:zone:bio"] == "partners-not-linked-to-unit"


def test_stalled_and_ended_cooperations_are_listed(reasons_graph):
    row = unmatched_needs(reasons_graph).set_index("need_key").loc["need:lab:sea"]
    assert row["stalled_cooperations"] == ["coop:sea-ended", "coop:sea-stalled"]
    assert row["unit_zh"] == "实验室" and row["industry_en"] == "Deep sea"


def test_reviving_a_cooperation_covers_the_need(reasons_graph):
    reasons_graph.nodes["coop:sea-stalled"]["status"] = "active"
    assert "need:lab:sea" not in reasons(reasons_graph)


def test_stalled_wins_over_no_partner(make_graph, kit):
    G = make_graph(
        kit.node("unit:u"), kit.node("industry:f"), kit.need("unit:u", "industry:f"),
        kit.coop("coop:c", serves=("unit:u",), fields=("industry:f",), status="ended"),
    )
    assert reasons(G) == {"need:u:f": "cooperation-stalled-or-ended"}
    G.nodes["coop:c"]["status"] = "unknown"  # neither live nor idle
    assert reasons(G) == {"need:u:f": "no-partner-in-field"}
    del G.nodes["coop:c"]["status"]
    assert reasons(G) == {"need:u:f": "no-partner-in-field"}


def test_a_partner_of_a_stalled_cooperation_is_no_partner_in_the_field(make_graph, kit):
    G = make_graph(
        kit.node("unit:u"), kit.node("unit:v"), kit.node("industry:f"), kit.node("region:r"),
        kit.need("unit:u", "industry:f"),
        kit.coop("coop:c", partners=("region:r",), serves=("unit:v",), fields=("industry:f",), status="stalled"),
    )
    assert reasons(G) == {"need:u:f": "no-partner-in-field"}
    G.nodes["coop:c"]["status"] = "planned"
    assert reasons(G) == {"need:u:f": "partners-not-linked-to-unit"}


def test_the_need_keeps_its_provenance(make_graph, kit):
    G = make_graph(
        kit.node("unit:u"), kit.node("industry:f"),
        kit.node("need:u:f", provenance="stated", section="二(四)", quote="需求", basis=None),
        kit.edge("unit:u", "HAS_NEED", "need:u:f"), kit.edge("need:u:f", "IN_FIELD", "industry:f"),
    )
    row = unmatched_needs(G).iloc[0]
    assert (row["provenance"], row["section"], row["quote"]) == ("stated", "二(四)", "需求")
    assert pd.isna(row["basis"]) and pd.isna(row["document"])


def test_sorted_by_need_key_and_the_same_twice(kit):
    nodes, edges = kit.reasons_records()
    first = unmatched_needs(kit.build(nodes, edges))
    assert list(first["need_key"]) == sorted(first["need_key"])
    pd.testing.assert_frame_equal(first, unmatched_needs(kit.build(nodes, edges, reverse=True)))
