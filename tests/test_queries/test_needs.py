import pandas as pd
import pytest

from graph.schema import PROVENANCE_FIELDS
from queries.coverage import NEED_MISSING
from queries.needs import NEED_COLUMNS, unmatched_needs


def missing(G, **kw):
    frame = unmatched_needs(G, **kw)
    return dict(zip(frame["need_key"], frame["missing"], strict=True))


def by_need(G, **kw):
    return unmatched_needs(G, **kw).set_index("need_key")


def test_columns_are_documented(reasons_graph, empty_graph):
    assert [
        "need_key",
        "unit_key",
        "unit_zh",
        "unit_en",
        "industry_key",
        "industry_zh",
        "industry_en",
        "is_leading",
        "status",
        "missing",
        "closest_cooperation",
        "closest_cooperation_zh",
        "closest_cooperation_en",
        "reason_zh",
        "reason_en",
        "evidence",
        "chain_zh",
        "chain_en",
        *PROVENANCE_FIELDS,
    ] == NEED_COLUMNS
    assert list(unmatched_needs(reasons_graph).columns) == NEED_COLUMNS
    assert list(unmatched_needs(empty_graph).columns) == NEED_COLUMNS
    assert unmatched_needs(empty_graph).empty


def test_what_each_need_lacks(reasons_graph):
    assert missing(reasons_graph) == {
        "need:zone:bio": "subfield-only",
        "need:zone:rice": "no-cooperation",
        "need:lab:sea": "cooperation-idle",
        "need:town:bio": "other-unit",
    }


def test_the_closest_cooperation_is_named_in_both_languages(reasons_graph):
    needs = by_need(reasons_graph)
    zone = needs.loc["need:zone:bio"]
    assert zone["status"] == "covered-via-subfield"
    assert zone["closest_cooperation"] == "coop:zone-genomics"
    assert zone["reason_zh"] == "「zone-genomics中」服务园区，但只在子领域基因组学，未覆盖生物医药本身。"
    assert zone["reason_en"] == (
        "Zone-Genomics serves Zone, but only in the sub-field Genomics, not in Biomedicine itself."
    )
    town = needs.loc["need:town:bio"]
    # The cooperation serving the town's parent unit is nearer than the one serving another unit.
    assert town["closest_cooperation"] == "coop:zone-genomics"
    assert town["reason_zh"] == "同领域最近的合作「zone-genomics中」服务园区，未服务镇。"
    sea = needs.loc["need:lab:sea"]
    assert sea["closest_cooperation"] == "coop:sea-ended"
    assert sea["reason_en"].startswith("The cooperation that would meet it, Sea-Ended, is ended")
    rice = needs.loc["need:zone:rice"]
    assert rice["closest_cooperation"] is None
    assert rice["reason_zh"] == "四川省具备杂交稻领域能力，但尚无合作。"
    assert rice["status"] == "uncovered"


def test_covered_needs_are_not_listed(reasons_graph):
    listed = set(unmatched_needs(reasons_graph)["need_key"])
    assert "need:lab:bio" not in listed  # active, right unit, right field
    assert "need:lab:ai" not in listed  # planned covers too, even with a SUPPORTS-only partner


def test_reviving_a_cooperation_covers_the_need(reasons_graph):
    reasons_graph.nodes["coop:sea-stalled"]["status"] = "active"
    assert "need:lab:sea" not in missing(reasons_graph)


def test_a_cooperation_without_partners_covers_nothing(make_graph, kit):
    G = make_graph(
        kit.node("unit:u"),
        kit.node("industry:f"),
        kit.need("unit:u", "industry:f"),
        kit.coop("coop:c", serves=("unit:u",), fields=("industry:f",)),
    )
    assert missing(G) == {"need:u:f": "no-partner"}


def test_a_parent_or_sibling_field_is_related_only(make_graph, kit):
    G = make_graph(
        kit.node("unit:u"),
        kit.node("industry:top"),
        kit.node("industry:f"),
        kit.node("industry:sib"),
        kit.node("region:r", "某省", "R"),
        kit.edge("industry:f", "PART_OF", "industry:top"),
        kit.edge("industry:sib", "PART_OF", "industry:top"),
        kit.need("unit:u", "industry:f"),
        kit.coop("coop:c", partners=("region:r",), serves=("unit:u",), fields=("industry:sib",)),
    )
    row = by_need(G).loc["need:u:f"]
    assert (row["missing"], row["closest_cooperation"]) == ("related-field-only", "coop:c")
    assert "sibling field Sib" in row["reason_en"]
    G.remove_edge("coop:c", "industry:sib", "IN_FIELD")
    G.add_edge("coop:c", "industry:top", key="IN_FIELD", type="IN_FIELD", provenance="curated", basis="t")
    assert "parent field Top" in by_need(G).loc["need:u:f", "reason_en"]


def test_a_partner_of_a_stalled_cooperation_elsewhere_is_no_cooperation(make_graph, kit):
    G = make_graph(
        kit.node("unit:u"),
        kit.node("unit:v"),
        kit.node("industry:f"),
        kit.node("region:r"),
        kit.need("unit:u", "industry:f"),
        kit.coop("coop:c", partners=("region:r",), serves=("unit:v",), fields=("industry:f",), status="stalled"),
    )
    assert missing(G) == {"need:u:f": "no-partner"}
    G.nodes["coop:c"]["status"] = "planned"
    assert missing(G) == {"need:u:f": "other-unit"}


def test_every_missing_code_is_reachable(reasons_graph, make_graph, kit):
    seen = set(missing(reasons_graph).values())
    G = make_graph(kit.node("unit:u"), kit.node("industry:f"), kit.need("unit:u", "industry:f"))
    seen |= set(missing(G).values())
    seen.add("related-field-only")  # see test_a_parent_or_sibling_field_is_related_only
    assert seen == set(NEED_MISSING)


def test_the_need_keeps_its_provenance(make_graph, kit):
    G = make_graph(
        kit.node("unit:u"),
        kit.node("industry:f"),
        kit.node("need:u:f", provenance="stated", section="二(四)", quote="需求", basis=None),
        kit.edge("unit:u", "HAS_NEED", "need:u:f"),
        kit.edge("need:u:f", "IN_FIELD", "industry:f"),
    )
    row = unmatched_needs(G).iloc[0]
    assert (row["provenance"], row["section"], row["quote"]) == ("stated", "二(四)", "需求")
    assert pd.isna(row["basis"]) and pd.isna(row[PROVENANCE_FIELDS[-1]])


def test_evidence_is_the_weakest_fact_and_levels_restrict(make_graph, kit):
    stated = {"provenance": "stated", "section": "二", "quote": "q", "basis": None}
    G = make_graph(
        kit.node("unit:u", **stated),
        kit.node("industry:f", **stated),
        kit.node("region:r", **stated),
        kit.node("unit:v", **stated),
        kit.node("need:u:f", **stated),
        kit.edge("unit:u", "HAS_NEED", "need:u:f", **stated),
        kit.edge("need:u:f", "IN_FIELD", "industry:f", **stated),
        kit.coop("coop:c", partners=("region:r",), serves=("unit:v",), fields=("industry:f",)),
    )
    row = by_need(G).loc["need:u:f"]
    assert (row["missing"], row["evidence"]) == ("other-unit", "curated")  # the cooperation is curated
    assert row["chain_zh"].startswith("u中·f中（原文：需求）← c中（整理：进行中，服务v中，领域f中）")
    row = by_need(G, evidence="stated").loc["need:u:f"]
    assert (row["missing"], row["evidence"]) == ("no-partner", "stated")


def test_leading_and_stated_needs_come_first_grouped_by_unit(make_graph, kit):
    stated = {"provenance": "stated", "section": "二", "quote": "q", "basis": None}
    G = make_graph(
        kit.node("unit:a", "甲"),
        kit.node("unit:b", "乙"),
        kit.node("industry:lead", "主导", is_leading=True),
        kit.node("industry:sub", "子"),
        kit.node("industry:x", "其他"),
        kit.edge("industry:sub", "PART_OF", "industry:lead"),
        kit.need("unit:b", "industry:x"),
        kit.need("unit:a", "industry:x"),
        kit.need("unit:b", "industry:sub"),
    )
    G.nodes["need:a:x"].update(stated)
    needs = unmatched_needs(G)
    assert list(needs["need_key"]) == ["need:b:sub", "need:a:x", "need:b:x"]
    assert list(needs["is_leading"]) == [True, False, False]


def test_sorted_the_same_twice_and_in_any_order(kit):
    nodes, edges = kit.reasons_records()
    first = unmatched_needs(kit.build(nodes, edges))
    pd.testing.assert_frame_equal(first, unmatched_needs(kit.build(nodes, edges, reverse=True)))


def test_an_unknown_level_is_refused(reasons_graph):
    from graph.errors import HainetError

    with pytest.raises(HainetError, match="unknown evidence"):
        unmatched_needs(reasons_graph, evidence="rumour")
