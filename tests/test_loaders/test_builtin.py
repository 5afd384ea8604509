"""Tests of the built-in dataset of the 2020 mechanism."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

import loaders.builtin as builtin
from graph.errors import ValidationError
from graph.schema import Edge, Node, NodeKind, RelType
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from loaders._validate import Where, check_records, normalise_quote
from loaders.builtin import (
    CURATED_SOURCE,
    DATA_FOLDER,
    DOCUMENT_NUMBER,
    builtin_records,
    document_text,
    load_builtin,
)

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


def test_every_fact_is_stated_or_curated_with_its_source(nodes: dict[str, Node], edges: list[Edge]) -> None:
    sources = {"stated": DOCUMENT_NUMBER, "curated": CURATED_SOURCE}
    wrong = [what for what, props in _facts(nodes, edges) if sources.get(str(props["provenance"])) != props["document"]]
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
    assert len(cooperations) >= 25
    assert [n.key for n in cooperations if n.props["provenance"] != "stated"] == []


def test_partners_and_served_units_of_cooperations_are_stated(edges: list[Edge]) -> None:
    linking = [e for e in edges if e.type in (RelType.PARTNER_IN, RelType.SERVES)]
    assert [e.triple for e in linking if e.props["provenance"] != "stated"] == []


def test_curated_support_is_only_for_the_key_tasks(nodes: dict[str, Node], edges: list[Edge]) -> None:
    curated = [e for e in edges if e.type is RelType.SUPPORTS and e.props["provenance"] == "curated"]
    assert curated
    assert [e.triple for e in curated if nodes[e.target].props["section"] != "二(五)"] == []


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


def test_every_park_city_and_lab_has_a_need(nodes: dict[str, Node], edges: list[Edge]) -> None:
    with_need = {e.source for e in edges if e.type is RelType.HAS_NEED}
    types = ("park", "city", "county", "lab")
    units = {k for k, n in nodes.items() if n.kind is NodeKind.DEMAND_UNIT and n.props["unit_type"] in types}
    assert len(units) >= 20
    assert units - with_need == set()


def test_the_province_needs_the_leading_industries_as_stated(edges: list[Edge]) -> None:
    stated = {
        e.target
        for e in edges
        if e.type is RelType.HAS_NEED and e.source == "unit:hainan" and e.props["provenance"] == "stated"
    }
    assert {f"need:hainan:{k.split(':')[1]}" for k in LEADING} <= stated


def test_every_cooperation_is_a_2020_measure_serving_hainan(nodes: dict[str, Node], edges: list[Edge]) -> None:
    served = {e.source for e in edges if e.type is RelType.SERVES}
    stated_in = Counter(e.source for e in edges if e.type is RelType.STATED_IN)
    assert sum(n.kind is NodeKind.COOPERATION for n in nodes.values()) == 30
    for key, node in nodes.items():
        if node.kind is NodeKind.COOPERATION:
            assert (node.props["status"], node.props["year"]) == ("active", 2020), key
            assert key in served, key
            assert stated_in[key] == 1, key


def test_every_key_task_has_most_and_a_specific_department(nodes: dict[str, Node], edges: list[Edge]) -> None:
    tasks = [k for k, n in nodes.items() if n.kind is NodeKind.COOPERATION and n.props["section"] == "二(五)"]
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
    assert _covering("need:haikou-hitech:biomedicine", edges, nodes) == {"coop:zhangjiang-haikou"}
    assert "coop:shanghai-hainan" in _covering("need:hainan:aerospace", edges, nodes)
    # Shanghai's aerospace cooperation serves the province, not Wenchang.
    assert _covering("need:wenchang-space-city:aerospace", edges, nodes) == set()
    assert _covering("need:hainan:tourism", edges, nodes) == set()


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
    assert (name, "nodes", 1, "a Cooperation must be stated, never curated") in reasons
    assert (name, "nodes", 2, "quote is not found verbatim in the document") in reasons
    assert (name, "edges", 1, "a PARTNER_IN of a cooperation must be stated, never curated") in reasons


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
    assert Counter(kind for _, kind in G.nodes(data="kind"))["Cooperation"] == 30


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
