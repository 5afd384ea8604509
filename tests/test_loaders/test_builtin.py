"""Tests of the built-in dataset of the 2020 mechanism."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

import loaders.builtin as builtin
from graph.errors import ValidationError
from graph.evidence import graph_at
from graph.schema import COOPERATION_STATUSES, Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from loaders._validate import Where, check_records, normalise_quote
from loaders.builtin import (
    CURATED_SOURCE,
    DATA_FOLDER,
    DOCUMENT_NUMBER,
    REPORTED_FOLDER,
    builtin_records,
    document_text,
    load_builtin,
)
from loaders.names import builtin_aliases

LEADING = {"industry:tourism", "industry:modern-services", "industry:high-tech"}


@pytest.fixture(scope="module")
def records() -> tuple[list[Node], list[Edge]]:
    return builtin_records()


@pytest.fixture(scope="module")
def nodes(records: tuple[list[Node], list[Edge]]) -> dict[str, Node]:
    return {n.key: n for n in records[0]}


@pytest.fixture(scope="module")
def edges(records: tuple[list[Node], list[Edge]]) -> list[Edge]:
    return records[1]


def _facts(nodes: dict[str, Node], edges: list[Edge]) -> Iterator[tuple[str, dict[str, object]]]:
    yield from ((n.key, n.props) for n in nodes.values())
    yield from ((" ".join(e.triple), e.props) for e in edges)


def _covering(need: str, edges: list[Edge], nodes: dict[str, Node]) -> set[str]:
    """Return the cooperations that cover ``need`` under the coverage rule."""
    unit = next(e.source for e in edges if e.type is RelType.HAS_NEED and e.target == need)
    field = next(e.target for e in edges if e.type is RelType.IN_FIELD and e.source == need)
    serving = {e.source for e in edges if e.type is RelType.SERVES and e.target == unit}
    in_field = {e.source for e in edges if e.type is RelType.IN_FIELD and e.target == field}
    return {c for c in serving & in_field if nodes[c].props["status"] in ("active", "planned")}


# --- The document ------------------------------------------------------------------------


def test_document_copy_is_the_mechanism() -> None:
    raw = resources.files("loaders").joinpath(DATA_FOLDER, "document.txt").read_text(encoding="utf-8")
    assert "海南开放创新" in raw
    assert "国科办区〔2020〕105" in raw
    assert "三、运行机制" in normalise_quote(raw)
    assert document_text() == normalise_quote(raw)


def test_every_stated_quote_is_verbatim_in_the_document(nodes: dict[str, Node], edges: list[Edge]) -> None:
    raw = resources.files("loaders").joinpath(DATA_FOLDER, "document.txt").read_text(encoding="utf-8")
    text = normalise_quote(raw)
    missing = [
        (what, props["quote"])
        for what, props in _facts(nodes, edges)
        if props["provenance"] == "stated" and props["quote"] not in text
    ]
    assert missing == []


# --- Provenance ----------------------------------------------------------------------------


def test_every_2020_fact_is_stated_or_curated_with_its_source(nodes: dict[str, Node], edges: list[Edge]) -> None:
    sources = {"stated": DOCUMENT_NUMBER, "curated": CURATED_SOURCE}
    facts = [(what, props) for what, props in _facts(nodes, edges) if props["provenance"] != "reported"]
    wrong = [what for what, props in facts if sources.get(str(props["provenance"])) != props["document"]]
    assert wrong == []


def test_every_curated_fact_has_a_basis(nodes: dict[str, Node], edges: list[Edge]) -> None:
    curated = [(what, props) for what, props in _facts(nodes, edges) if props["provenance"] == "curated"]
    assert curated, "the dataset should hold curated facts"
    assert [what for what, props in curated if not str(props.get("basis", "")).strip()] == []


def test_every_stated_fact_has_a_well_formed_section(nodes: dict[str, Node], edges: list[Edge]) -> None:
    allowed = {"通知", "序言", "一", "二", "三"} | {f"二({n})" for n in "一二三四五"} | {f"三({n})" for n in "一二三"}
    wrong = [
        (what, props.get("section"))
        for what, props in _facts(nodes, edges)
        if props["provenance"] == "stated" and props.get("section") not in allowed
    ]
    assert wrong == []


def test_no_cooperation_is_curated(nodes: dict[str, Node]) -> None:
    cooperations = [n for n in nodes.values() if n.kind is NodeKind.COOPERATION]
    assert len([n for n in cooperations if n.props["provenance"] == "stated"]) == 30
    assert [n.key for n in cooperations if n.props["provenance"] not in ("stated", "reported")] == []


def test_partners_are_never_curated_and_served_units_only_where_the_text_points_nowhere(edges: list[Edge]) -> None:
    assert [e.triple for e in edges if e.type is RelType.PARTNER_IN and e.props["provenance"] == "curated"] == []
    curated = {e.triple for e in edges if e.type is RelType.SERVES and e.props["provenance"] == "curated"}
    assert curated == {
        ("coop:sci-ownership-pilot", "SERVES", "unit:tt-zone-hainan"),
        ("coop:new-drug-pilot", "SERVES", "unit:hainan"),
    }


def test_curated_support_is_only_where_the_supporter_is_implicit(nodes: dict[str, Node], edges: list[Edge]) -> None:
    curated = [e for e in edges if e.type is RelType.SUPPORTS and e.props["provenance"] == "curated"]
    assert curated
    assert [e.triple for e in curated if nodes[e.target].props["section"] not in ("二(二)", "二(五)")] == []


# --- Sections ----------------------------------------------------------------------------------

SECTIONS = {
    "一": ["mech:multi-level-model", "industry:offshore-innovation", "industry:tech-transfer"],
    "二(一)": [
        "coop:shanghai-hainan",
        "coop:beijing-hainan",
        "coop:guangdong-shenzhen-hainan",
        "coop:sichuan-hainan",
        "coop:hunan-hainan",
        "region:shanghai",
        "region:beijing",
        "region:guangdong",
        "region:shenzhen",
        "region:sichuan",
        "region:hunan",
        "region:greater-bay-area",
        "park:zhongguancun",
        "industry:tourism",
        "industry:modern-services",
        "industry:high-tech",
        "industry:deep-sea",
        "industry:tropical-agriculture",
        "industry:aerospace",
        "industry:clinical-medicine",
        "industry:information",
        "industry:advanced-manufacturing",
        "industry:marine-sci-tech-services",
        "industry:biomedicine",
        "industry:super-hybrid-rice",
        "industry:new-materials",
        "industry:marine-equipment",
        "unit:hainan",
    ],
    "二(二)": [
        "coop:offshore-policy-catalogue",
        "coop:offshore-zones",
        "unit:offshore-zone",
        "unit:haikou-hitech",
        "unit:yangpu",
        "unit:yazhou-bay",
        "unit:wenchang-space-city",
        "unit:eco-software-park",
        "unit:fuxing-city",
        "unit:offshore-pilot-zone",
        "unit:intl-cooperation-zone",
        "unit:foreign-talent-zone",
        "unit:offshore-finance-zone",
        "industry:sci-tech-finance",
        "industry:talent",
    ],
    "二(三)": [
        "coop:tt-zone-hainan",
        "coop:sci-ownership-pilot",
        "coop:cross-region-transfer",
        "coop:new-drug-pilot",
        "coop:hundred-cities-parks",
        "coop:tech-factor-flow-pilot",
        "coop:tt-centre-hainan",
        "park:sunan-tt-zone",
        "park:zhejiang-tt-zone",
        "park:minhang-tt-zone",
        "region:jiangsu",
        "region:zhejiang",
        "unit:tt-zone-hainan",
        "unit:tt-centre-hainan",
        "unit:intl-tt-zone",
    ],
    "二(四)": [
        "coop:zhangjiang-haikou",
        "coop:agri-parks",
        "coop:prd-shenzhen-yazhou",
        "coop:tianfu-lecheng",
        "park:zhangjiang",
        "park:guangdong-agri-parks",
        "park:guangxi-agri-parks",
        "park:prd-innovation-zone",
        "park:shenzhen-innovation-zone",
        "park:tianfu-bio-city",
        "region:guangxi",
        "region:pearl-river-delta",
        "region:chengdu",
        "unit:danzhou-agri-park",
        "unit:lingshui-agri-park",
        "unit:sanya-agri-park",
        "unit:boao-lecheng",
    ],
    "二(五)": [
        "mech:direct-support",
        "coop:plan-14th-fyp",
        "coop:state-key-labs",
        "coop:agri-hitech-zone",
        "coop:haikou-innovative-city",
        "coop:wuzhishan-innovative-county",
        "coop:nanfan-silicon-valley",
        "coop:deep-submersible-trial",
        "coop:saline-alkali-rice",
        "coop:foreign-work-permit-list",
        "coop:foreign-work-legislation",
        "coop:foreign-worker-credit",
        "coop:intl-forum",
        "unit:haikou",
        "unit:wuzhishan",
        "unit:nanfan",
        "unit:agri-hitech-zone",
        "unit:province-ministry-skl",
        "unit:saline-alkali-rice-centre",
        "industry:nanfan-breeding",
        "industry:saline-alkali-rice",
    ],
    "三(一)": ["mech:hainan-implementing-body", "dept:hainan-government"],
    "三(二)": [
        "mech:ministry-province-consultation",
        "mech:coordination",
        "mech:promotion-meeting",
        "mech:joint-office",
        "dept:most",
        "dept:most-regional",
        "dept:most-affiliated-institutions",
        "dept:hainan-dost",
    ],
    "三(三)": ["mech:monitoring-evaluation", "mech:central-guidance-fund", "mech:commendation"],
}


@pytest.mark.parametrize(("section", "keys"), SECTIONS.items(), ids=SECTIONS.keys())
def test_each_section_is_represented(section: str, keys: list[str], nodes: dict[str, Node], edges: list[Edge]) -> None:
    stated_here = {n.key for n in nodes.values() if n.props.get("section") == section}
    for e in edges:
        if e.props.get("section") == section and e.props["provenance"] == "stated":
            stated_here |= {e.source, e.target}
    assert [k for k in keys if k not in nodes] == []
    assert [k for k in keys if k not in stated_here] == []


def test_every_section_has_a_source_node(nodes: dict[str, Node]) -> None:
    sections = {n.props["section"] for n in nodes.values() if n.kind is NodeKind.SOURCE}
    assert set(SECTIONS) <= sections
    assert nodes["source:mechanism-2020"].props["doc_number"] == DOCUMENT_NUMBER


# --- The model's conventions ----------------------------------------------------------------------


def test_only_the_three_leading_industries_are_leading(nodes: dict[str, Node]) -> None:
    industries = [n for n in nodes.values() if n.kind is NodeKind.INDUSTRY]
    assert all(isinstance(n.props["is_leading"], bool) for n in industries)
    assert {n.key for n in industries if n.props["is_leading"]} == LEADING


def test_keys_have_the_prefix_of_their_kind(nodes: dict[str, Node]) -> None:
    assert [k for k, n in nodes.items() if not k.startswith(n.kind.prefix + ":") or not k.isascii()] == []


def test_every_need_has_one_unit_and_one_field_named_by_its_key(nodes: dict[str, Node], edges: list[Edge]) -> None:
    needs = [k for k, n in nodes.items() if n.kind is NodeKind.NEED]
    has_need = Counter((e.source, e.target) for e in edges if e.type is RelType.HAS_NEED)
    in_field = Counter((e.source, e.target) for e in edges if e.type is RelType.IN_FIELD and e.source in needs)
    assert len(needs) >= 50
    for need in needs:
        _, unit, industry = need.split(":")
        assert [t for t in has_need if t[1] == need] == [(f"unit:{unit}", need)]
        assert [t for t in in_field if t[0] == need] == [(need, f"industry:{industry}")]


def test_every_demand_unit_is_in_hainan(nodes: dict[str, Node], edges: list[Edge]) -> None:
    located = {e.source for e in edges if e.type is RelType.LOCATED_IN and e.target == "region:hainan"}
    units = {k for k, n in nodes.items() if n.kind is NodeKind.DEMAND_UNIT}
    assert units - located == set()


def test_every_park_city_and_lab_has_a_need_itself_or_through_its_parts(
    nodes: dict[str, Node], edges: list[Edge]
) -> None:
    with_need = {e.source for e in edges if e.type is RelType.HAS_NEED}
    parents = {e.target for e in edges if e.type is RelType.PART_OF and e.source in with_need}
    types = ("park", "city", "county", "lab")
    units = {k for k, n in nodes.items() if n.kind is NodeKind.DEMAND_UNIT and n.props["unit_type"] in types}
    assert len(units) >= 20
    assert units - with_need - parents == set()


def test_the_province_needs_the_leading_industries_as_stated(edges: list[Edge]) -> None:
    stated = {
        e.target
        for e in edges
        if e.type is RelType.HAS_NEED and e.source == "unit:hainan" and e.props["provenance"] == "stated"
    }
    assert {f"need:hainan:{k.split(':')[1]}" for k in LEADING} <= stated


def test_every_2020_cooperation_is_a_measure_of_the_notice_serving_hainan(
    nodes: dict[str, Node], edges: list[Edge]
) -> None:
    served = {e.source for e in edges if e.type is RelType.SERVES}
    stated_in = Counter(e.source for e in edges if e.type is RelType.STATED_IN)
    assert sum(n.kind is NodeKind.COOPERATION and n.props["provenance"] == "stated" for n in nodes.values()) == 30
    for key, node in nodes.items():
        if node.kind is NodeKind.COOPERATION and node.props["provenance"] == "stated":
            assert node.props["year"] == 2020, key
            assert node.props["status"] in ("active", "completed"), key
            assert key in served, key
            assert stated_in[key] == 1, key


def test_every_key_task_has_most_and_a_specific_department(nodes: dict[str, Node], edges: list[Edge]) -> None:
    tasks = [k for k, n in nodes.items() if n.kind is NodeKind.COOPERATION and n.props.get("section") == "二(五)"]
    assert len(tasks) == 12
    for task in tasks:
        supporters = {e.source: e.props["provenance"] for e in edges if e.type is RelType.SUPPORTS and e.target == task}
        assert supporters.pop("dept:most") == "stated", task
        assert list(supporters.values()) == ["curated"], task
        assert all(nodes[d].kind is NodeKind.DEPARTMENT for d in supporters)


def test_stated_in_points_at_the_source_of_the_section(nodes: dict[str, Node], edges: list[Edge]) -> None:
    assert sum(e.type is RelType.STATED_IN for e in edges) >= 30
    for e in edges:
        if e.type is RelType.STATED_IN:
            assert nodes[e.target].props["section"] == nodes[e.source].props["section"]


def test_the_annual_meeting_adjusts_the_cooperation(nodes: dict[str, Node], edges: list[Edge]) -> None:
    meeting = nodes["mech:promotion-meeting"].props
    assert (meeting["cadence"], meeting["dynamic_adjustment"]) == ("annual", True)
    office = {e.source for e in edges if e.type is RelType.MEMBER_OF and e.target == "mech:joint-office"}
    assert office == {"dept:most-regional", "dept:most-affiliated-institutions", "dept:hainan-dost"}
    assert nodes["mech:monitoring-evaluation"].props["feeds"] == "mech:central-guidance-fund"


def test_coverage_finds_real_gaps(nodes: dict[str, Node], edges: list[Edge]) -> None:
    both = {"coop:zhangjiang-haikou", "coop:east-lake-haikou"}  # the second since 2025 (reported)
    assert _covering("need:haikou-hitech:biomedicine", edges, nodes) == both
    assert "coop:shanghai-hainan" in _covering("need:hainan:aerospace", edges, nodes)
    # Shanghai's aerospace cooperation serves the province, not Wenchang.
    assert _covering("need:wenchang-space-city:aerospace", edges, nodes) == set()
    assert _covering("need:hainan:tourism", edges, nodes) == set()


# --- Corrections from the line-by-line audit ---------------------------------------------------------------


def _history(node: Node) -> list[dict[str, str]]:
    entries = json.loads(node.props["status_history"])
    assert entries == sorted(entries, key=lambda e: e["date"])
    return entries


def _edge(edges: list[Edge], source: str, rel: str, target: str) -> Edge:
    return next(e for e in edges if e.triple == (source, rel, target))


def test_most_as_supporter_of_the_offshore_zones_is_curated(edges: list[Edge]) -> None:
    # "支持依托…" has no subject, and Hainan co-issued the document.
    support = _edge(edges, "dept:most", "SUPPORTS", "coop:offshore-zones")
    assert support.props["provenance"] == "curated"
    assert "no subject" in support.props["basis"]


def test_shanghai_in_tropical_agriculture_is_curated_the_other_three_stated(edges: list[Edge]) -> None:
    levels = {
        e.target: e.props["provenance"]
        for e in edges
        if e.type is RelType.SPECIALISES_IN and e.source == "region:shanghai"
    }
    assert levels == {
        "industry:tropical-agriculture": "curated",
        "industry:deep-sea": "stated",
        "industry:aerospace": "stated",
        "industry:clinical-medicine": "stated",
    }


def test_the_greater_bay_area_is_a_goal_not_a_partner(nodes: dict[str, Node], edges: list[Edge]) -> None:
    coop = "coop:guangdong-shenzhen-hainan"
    partners = [e.source for e in edges if e.type is RelType.PARTNER_IN and e.target == coop]
    assert sorted(partners) == ["region:guangdong", "region:shenzhen"]
    assert [e.triple for e in edges if e.type is RelType.PARTNER_IN and e.source == "region:greater-bay-area"] == []
    assert "促进海南自由贸易港与粤港澳大湾区科技创新联动发展" in nodes[coop].props["description_zh"]


def test_the_ownership_pilot_serves_hainan_as_a_whole(edges: list[Edge]) -> None:
    stated = _edge(edges, "coop:sci-ownership-pilot", "SERVES", "unit:hainan")
    assert stated.props["provenance"] == "stated"
    assert "支持海南" in stated.props["quote"]
    assert _edge(edges, "coop:sci-ownership-pilot", "SERVES", "unit:tt-zone-hainan").props["provenance"] == "curated"


def test_no_served_unit_of_section_three_rests_on_a_heading_alone(nodes: dict[str, Node], edges: list[Edge]) -> None:
    headings = {n.props["quote"] for n in nodes.values() if n.kind is NodeKind.SOURCE}
    leaning = [
        e.triple
        for e in edges
        if e.type is RelType.SERVES
        and e.props["provenance"] == "stated"
        and e.props.get("quote") in headings
        and e.props["section"] == "二(三)"
    ]
    assert leaning == []
    assert _edge(edges, "coop:new-drug-pilot", "SERVES", "unit:hainan").props["provenance"] == "curated"


def test_every_2020_status_is_curated_with_a_basis(nodes: dict[str, Node]) -> None:
    for key, node in nodes.items():
        if node.kind is not NodeKind.COOPERATION or node.props["provenance"] != "stated":
            continue
        first = _history(node)[0]
        assert first["basis"].strip(), key
        assert first["date"] <= "2020-12-02", key
        # Only a reported development may stand in for the curated first status.
        assert first["provenance"] == ("reported" if key == "coop:deep-submersible-trial" else "curated"), key


def test_the_submersible_trial_was_completed_before_the_notice(nodes: dict[str, Node]) -> None:
    trial = nodes["coop:deep-submersible-trial"].props
    assert trial["status"] == "completed"
    (first,) = _history(nodes["coop:deep-submersible-trial"])
    assert (first["status"], first["date"]) == ("completed", "2020-11-28")
    assert first["provenance"] == "reported" and first["document"].startswith("http")
    assert "completed" in COOPERATION_STATUSES
    assert [k for k, n in nodes.items() if n.kind is NodeKind.COOPERATION and n.props["status"] == "completed"] == [
        "coop:deep-submersible-trial"
    ]


def test_official_names_keep_the_documents_short_forms_as_aliases(nodes: dict[str, Node]) -> None:
    official = {
        "dept:most-regional": ("科学技术部成果转化与区域创新司", "科技部成果与区域司"),
        "park:sunan-tt-zone": ("苏南国家科技成果转移转化示范区", "江苏苏南国家科技成果转移转化示范区"),
        "park:zhejiang-tt-zone": ("浙江省国家科技成果转移转化示范区", "浙江国家科技成果转移转化示范区"),
    }
    aliases = builtin_aliases()
    for key, (name, short) in official.items():
        assert nodes[key].name_zh == name
        assert short in aliases.equivalents(name)
    assert "科技部成果与区域司" in nodes["dept:most-regional"].props["quote"]


def test_most_departments_have_the_english_names_most_publishes(nodes: dict[str, Node]) -> None:
    published = {
        "dept:most-general-office": "MOST General Office",
        "dept:most-basic-research": "MOST Department of Basic Research",
        "dept:most-rural": "MOST Department of S&T for Rural Development",
        "dept:most-social-development": "MOST Department of S&T for Social Development",
        "dept:most-international": "MOST Department of International Cooperation",
    }
    assert {key: nodes[key].name_en for key in published} == published
    docs = " ".join((Path(__file__).parents[2] / "docs" / "data-model.md").read_text(encoding="utf-8").split())
    assert all(name in docs for name in published.values())


def test_no_need_is_held_twice_by_a_city_and_its_park(nodes: dict[str, Node], edges: list[Edge]) -> None:
    # Wenchang's aerospace and Sanya's deep sea are the parks' needs, held once, by the park.
    held = {(e.source, e.target.split(":")[2]) for e in edges if e.type is RelType.HAS_NEED}
    for park, city, field in (("wenchang-space-city", "wenchang", "aerospace"), ("yazhou-bay", "sanya", "deep-sea")):
        assert (f"unit:{park}", field) in held
        assert (f"unit:{city}", field) not in held
        assert _edge(edges, f"unit:{park}", "PART_OF", f"unit:{city}")
    assert not {"need:wenchang:aerospace", "need:sanya:deep-sea"} & set(nodes)


def test_every_demand_area_of_section_one_is_a_stated_need_of_hainan(nodes: dict[str, Node], edges: list[Edge]) -> None:
    areas = ("offshore-innovation", "tech-transfer", "park-cooperation")
    for area in areas:
        need = nodes[f"need:hainan:{area}"]
        assert (need.props["provenance"], need.props["section"]) == ("stated", "一")
        assert "科技园区合作" in need.props["quote"]
    pairings = {e.source for e in edges if e.type is RelType.IN_FIELD and e.target == "industry:park-cooperation"}
    assert pairings == {
        "coop:zhangjiang-haikou",
        "coop:agri-parks",
        "coop:prd-shenzhen-yazhou",
        "coop:tianfu-lecheng",
        "need:hainan:park-cooperation",
    }


def test_catas_is_seated_in_haikou_with_a_campus_in_danzhou(edges: list[Edge]) -> None:
    bases = [e.props["basis"] for e in edges if "Tropical Agricultural Sciences" in str(e.props.get("basis"))]
    assert len(bases) == 3
    assert all("campus" in b and "Haikou" in b for b in bases)


# --- The reported layer: developments after 2020 ------------------------------------------------------------

REPORTED_FIRST, REPORTED_LAST = "2021-01-01", "2025-12-31"


def _reported_facts(nodes: dict[str, Node], edges: list[Edge]) -> list[tuple[str, dict[str, object]]]:
    return [(what, props) for what, props in _facts(nodes, edges) if props["provenance"] == "reported"]


def _in_range(day: str) -> bool:
    return REPORTED_FIRST[: len(day)] <= day <= REPORTED_LAST[: len(day)]


def test_every_reported_fact_has_a_url_a_date_from_2021_to_2025_and_a_basis(
    nodes: dict[str, Node], edges: list[Edge]
) -> None:
    reported = _reported_facts(nodes, edges)
    assert len(reported) >= 40
    for what, props in reported:
        assert str(props["document"]).startswith(("http://", "https://")), what
        assert _in_range(str(props["valid_from"])), what
        assert str(props["basis"]).strip(), what
        assert "quote" not in props, what


def test_every_reported_status_and_end_has_a_url_a_date_and_a_basis(nodes: dict[str, Node], edges: list[Edge]) -> None:
    entries = [(k, e) for k, n in nodes.items() if n.kind is NodeKind.COOPERATION for e in _history(n)]
    reported = [(k, e) for k, e in entries if e["provenance"] == "reported"]
    assert len(reported) >= 7
    for key, entry in reported:
        assert entry["document"].startswith(("http://", "https://")), key
        assert entry["basis"].strip(), key
        # The submersible trial ended in November 2020, before the notice: the one reported date of 2020.
        assert _in_range(entry["date"]) or (key, entry["date"]) == ("coop:deep-submersible-trial", "2020-11-28")
    ended = [(w, p) for w, p in _facts(nodes, edges) if "valid_to" in p]
    assert len(ended) >= 11
    for what, props in ended:
        assert _in_range(str(props["valid_to"])), what
        assert str(props["valid_to_document"]).startswith("https://"), what
        assert str(props["valid_to_basis"]).strip(), what


def test_reported_layer_files_hold_no_quote_and_no_stated_fact() -> None:
    folder = resources.files("loaders").joinpath(REPORTED_FOLDER)
    texts = [f.read_text(encoding="utf-8") for f in folder.iterdir() if f.name.endswith(".yaml")]
    assert len(texts) >= 2
    assert not any("quote:" in text or "provenance: stated" in text or "provenance: curated" in text for text in texts)


def test_the_wuhan_east_lake_pairing_brings_hubei_as_a_new_partner_region(
    nodes: dict[str, Node], edges: list[Edge]
) -> None:
    coop = nodes["coop:east-lake-haikou"]
    assert (coop.props["provenance"], coop.props["valid_from"]) == ("reported", "2025-11-10")
    assert coop.props["status"] == "active"
    assert "stdaily.com" in str(coop.props["document"])
    assert _edge(edges, "park:east-lake", "PARTNER_IN", "coop:east-lake-haikou").props["provenance"] == "reported"
    assert _edge(edges, "coop:east-lake-haikou", "SERVES", "unit:haikou-hitech")
    assert _edge(edges, "park:east-lake", "LOCATED_IN", "region:hubei")
    hubei = nodes["region:hubei"]
    assert (hubei.name_zh, hubei.props["provenance"]) == ("湖北省", "reported")
    # Hubei is none of the six regions of 二(一): the document never names it.
    assert "湖北" not in document_text()
    stated_regions = {k for k, n in nodes.items() if n.kind is NodeKind.REGION and n.props["provenance"] == "stated"}
    assert "region:hubei" not in stated_regions


def test_the_hunan_dongfang_park_went_from_planned_to_active_and_hunan_joined_in_2024(
    nodes: dict[str, Node], edges: list[Edge]
) -> None:
    history = [(e["status"], e["date"]) for e in _history(nodes["coop:hunan-dongfang-park"])]
    assert history == [("planned", "2023-06-21"), ("active", "2023-08-20")]
    assert _edge(edges, "park:hunan-ftz-changsha", "PARTNER_IN", "coop:hunan-dongfang-park").props["valid_from"] == (
        "2023-06-21"
    )
    assert _edge(edges, "region:hunan", "PARTNER_IN", "coop:hunan-dongfang-park").props["valid_from"] == "2024-04-08"
    assert _covering("need:dongfang:advanced-manufacturing", edges, nodes) == {"coop:hunan-dongfang-park"}


def test_the_2023_reorganisation_moves_fields_to_the_successor_ministries(
    nodes: dict[str, Node], edges: list[Edge]
) -> None:
    successors = {(e.source, e.target) for e in edges if e.type is RelType.SUCCEEDED_BY}
    assert successors == {
        ("dept:most-rural", "dept:mara"),
        ("dept:most-social-development", "dept:ndrc"),
        ("dept:most-social-development", "dept:mee"),
        ("dept:most-social-development", "dept:nhc"),
        ("dept:most-hitech", "dept:miit"),
        ("dept:most-foreign-experts", "dept:mohrss"),
    }
    handles = [e for e in edges if e.type is RelType.HANDLES]
    ended = {e.triple for e in handles if e.props.get("valid_to") == "2023-03-10"}
    moved = {e.triple for e in handles if e.props.get("valid_from") == "2023-03-10"}
    # Every field a MOST department stops handling is handled by one of its successors from the same day.
    for source, _, field in ended:
        heirs = {t for s, t in successors if s == source}
        assert any((heir, "HANDLES", field) in moved for heir in heirs), (source, field)
    assert len(ended) == len(moved) == 11
    # The departments whose every field moved end as nodes; the high-tech department keeps its R&D programmes.
    assert {k for k, n in nodes.items() if n.props.get("valid_to")} == {
        "dept:most-rural",
        "dept:most-social-development",
        "dept:most-foreign-experts",
    }
    still = {e.target for e in handles if e.source == "dept:most-hitech" and "valid_to" not in e.props}
    assert {"industry:deep-sea", "industry:aerospace"} <= still


def test_a_department_that_ended_handles_nothing_after_it_ended(nodes: dict[str, Node], edges: list[Edge]) -> None:
    for key, node in nodes.items():
        end = node.props.get("valid_to")
        if node.kind is NodeKind.DEPARTMENT and end:
            live = [
                e.triple
                for e in edges
                if e.type is RelType.HANDLES and e.source == key and str(e.props.get("valid_to", "9999")) > str(end)
            ]
            assert live == [], key


def test_reported_records_are_checked(broken_folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    later = tmp_path / "reported"
    later.mkdir()
    (later / "01_bad.yaml").write_text(
        "nodes:\n"
        "  - {kind: Region, key: region:mars, name_zh: 火星, name_en: Mars, provenance: reported,"
        " valid_from: '2019-05-01', document: not-a-url}\n"
        "  - {kind: Region, key: region:venus, name_zh: 金星, name_en: Venus, provenance: reported,"
        " valid_from: '2024-05-01', document: 'https://example.org/v', basis: b, quote: copied words}\n"
        "edges:\n"
        "  - {source: region:venus, type: PART_OF, target: region:hainan, provenance: curated, basis: b}\n"
        "changes:\n"
        "  - {cooperation: coop:nowhere, status: ended, date: '2024-01-01', document: 'https://e.org/x',"
        " basis: b}\n"
        "  - {edge: [dept:most, HANDLES, industry:tourism], valid_to: '2026-01-01', document: 'https://e.org/y',"
        " basis: b}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(builtin, "_reported_folder", lambda: later)
    with pytest.raises(ValidationError) as caught:
        builtin_records()
    found = {(p.row, p.column, p.reason) for p in caught.value.problems if p.file.endswith("01_bad.yaml")}
    assert (1, "basis", "a reported fact needs this") in found
    assert (1, "document", "a reported fact's document is the http(s) address of its source") in found
    assert (1, "valid_from", "a reported date lies between 2020-01-01 and 2025-12-31") in found
    assert (2, "quote", "a reported fact gives a basis in our words, never a quote") in found
    assert (1, "provenance", "the reported layer holds reported facts only") in found
    assert (1, "node", "refers to an unknown node") in found
    assert (2, "valid_to", "a reported date lies between 2020-01-01 and 2025-12-31") in found


def test_the_graph_on_a_date_holds_what_was_true_then(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        load_builtin(store)
        G = graph_from_store(store)
    before, after = graph_at(G, as_of="2020-12-31"), graph_at(G, as_of="2025-12-31")
    added = {"coop:gdas-hainan-institute", "coop:hunan-dongfang-park", "coop:east-lake-haikou", "region:hubei"}
    assert not added & set(before) and added <= set(after)
    assert before.nodes["coop:deep-submersible-trial"]["status"] == "completed"
    # After the 2023 reorganisation, agricultural fields are handled by the agriculture ministry, not MOST.
    handlers = {u for u, _, rel in after.in_edges("industry:nanfan-breeding", data="type") if rel == "HANDLES"}
    assert handlers == {"dept:mara"}
    assert "dept:most-rural" in before and "dept:most-rural" not in after
    assert not {k for k, p in graph_at(G, evidence="stated").nodes(data="provenance") if p == "reported"}


# --- Validation and loading -----------------------------------------------------------------------------


def test_the_dataset_validates(records: tuple[list[Node], list[Edge]]) -> None:
    nodes, edges = records
    where = Where("builtin")
    problems = check_records([(where, n) for n in nodes], [(where, e) for e in edges], document=document_text())
    assert problems == []


def test_builtin_records_returns_fresh_records() -> None:
    nodes, edges = builtin_records()
    nodes.clear()
    edges[0].props["provenance"] = "changed"
    again_nodes, again_edges = builtin_records()
    assert again_nodes
    assert again_edges[0].props["provenance"] != "changed"


@pytest.fixture
def broken_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "mechanism_2020"
    shutil.copytree(str(resources.files("loaders").joinpath(DATA_FOLDER)), folder)
    monkeypatch.setattr(builtin, "_data_folder", lambda: folder)
    builtin._checked_records.cache_clear()
    builtin.document_text.cache_clear()
    yield folder
    builtin._checked_records.cache_clear()
    builtin.document_text.cache_clear()


def test_every_problem_is_reported_at_once_with_file_and_row(broken_folder: Path) -> None:
    (broken_folder / "99_broken.yaml").write_text(
        "nodes:\n"
        "  - {kind: Cooperation, key: coop:invented, name_zh: 虚构, name_en: Invented, mode: one-to-one,"
        " status: active, year: 2020, provenance: curated, basis: made up}\n"
        "  - {kind: Region, key: region:mars, name_zh: 火星, name_en: Mars, provenance: stated, section: 二(一),"
        " quote: 推动火星与海南开展合作}\n"
        "edges:\n"
        "  - {source: region:mars, type: PARTNER_IN, target: coop:shanghai-hainan, provenance: curated, basis: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        builtin_records()
    reasons = {(p.file, p.sheet, p.row, p.reason) for p in caught.value.problems}
    name = f"{DATA_FOLDER}/99_broken.yaml"
    assert (name, "nodes", 1, "a Cooperation must be stated or reported, never curated") in reasons
    assert (name, "nodes", 2, "quote is not found verbatim in the document") in reasons
    assert (name, "edges", 1, "a PARTNER_IN of a cooperation must be stated or reported, never curated") in reasons


def test_invalid_yaml_is_a_validation_error(broken_folder: Path) -> None:
    (broken_folder / "99_broken.yaml").write_text("nodes: [\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"99_broken\.yaml: not valid YAML"):
        builtin_records()


def test_loading_twice_changes_nothing(tmp_path: Path) -> None:
    nodes, edges = builtin_records()
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        first = load_builtin(store)
        second = load_builtin(store)
        G = graph_from_store(store)
    assert sum(first.added.values()) == len(nodes) + len(edges)
    assert not second.changed
    assert sum(second.unchanged.values()) == len(nodes) + len(edges)
    assert G.number_of_nodes() == len(nodes)
    assert G.number_of_edges() == len(edges)
    # Both layers land in one write: the 2020 document and what was reported after it.
    levels = Counter(p for _, p in G.nodes(data="provenance"))
    assert levels["stated"] > 0 and levels["reported"] > 0
    assert G.nodes["coop:east-lake-haikou"]["document"].startswith("https://")
    assert Counter(kind for _, kind in G.nodes(data="kind"))["Cooperation"] == len(
        [n for n in nodes if n.kind is NodeKind.COOPERATION]
    )


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        report = load_builtin(store, dry_run=True)
        assert report.added["Need"] > 0
        assert store.counts().total_nodes == 0


def test_progress_is_reported(tmp_path: Path) -> None:
    seen: list[int] = []
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        load_builtin(store, progress=lambda done, total: seen.append(done))
    nodes, edges = builtin_records()
    assert seen and seen[-1] == len(nodes) + len(edges)
