import networkx as nx
import pytest

from graph.errors import HainetError
from graph.names import clean_name, folded, key_for_name
from graph.schema import NodeKind
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from loaders.builtin import load_builtin


@pytest.fixture(scope="module")
def builtin_graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    store = SQLiteStore(tmp_path_factory.mktemp("names") / "hainet.sqlite")
    load_builtin(store)
    G = graph_from_store(store)
    store.close()
    return G


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("上海\u200b市", "上海市"),
        ("\ufeff上海市", "上海市"),
        ("Shanghai ", "shanghai"),
        ("\u00a0Shanghai\u00a0", "SHANGHAI"),
        ("海口　高新区", "海口高新区"),
        ("ＩＴ", "IT"),
        ("上海\u2060市\u200d", "上海市"),
    ],
)
def test_folding_ignores_invisible_characters_width_case_and_spaces(typed, plain):
    assert folded(typed) == folded(plain)


def test_folding_keeps_different_names_apart():
    assert folded("三亚") != folded("三亚市")
    assert folded("海口高新区") != folded("海口综合保税区")


def test_clean_name_drops_invisible_characters_and_end_spaces_only():
    assert clean_name("上海\u200b市") == "上海市"
    assert clean_name("\ufeffShanghai\u00a0") == "Shanghai"
    assert clean_name(" Sanya  Yazhou\u3000") == "Sanya  Yazhou"
    assert clean_name("海口\u00a0高新区") == "海口\u00a0高新区"


def test_partial_chinese_name_finds_biomedicine_in_the_builtin_graph(builtin_graph):
    assert key_for_name(builtin_graph, NodeKind.INDUSTRY, "生物") == "industry:biomedicine"


def test_store_and_graph_resolve_names_the_same_way(tmp_path):
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        load_builtin(store)
        G = graph_from_store(store)
        for text in ("生物", "Biomedicine", " 生物 医药", "industry:biomedicine"):
            assert key_for_name(store, NodeKind.INDUSTRY, text) == key_for_name(G, NodeKind.INDUSTRY, text)


def test_folded_key_and_english_name_match_exactly(builtin_graph):
    assert key_for_name(builtin_graph, NodeKind.INDUSTRY, "ＢＩＯＭＥＤＩＣＩＮＥ") == "industry:biomedicine"
    assert key_for_name(builtin_graph, NodeKind.REGION, "上海\u200b市") == "region:shanghai"


def test_unknown_and_ambiguous_names_raise_one_line(builtin_graph):
    with pytest.raises(HainetError, match=r"no Industry is named '不存在的产业'"):
        key_for_name(builtin_graph, NodeKind.INDUSTRY, "不存在的产业")
    with pytest.raises(HainetError, match=r"names \d+ Industry nodes: .*; give a key"):
        key_for_name(builtin_graph, NodeKind.INDUSTRY, "产业")


def test_lookup_refuses_other_sources():
    with pytest.raises(TypeError, match="MultiDiGraph or a hainet Store"):
        key_for_name({}, NodeKind.INDUSTRY, "x")  # type: ignore[arg-type]


def test_any_kind_when_no_kind_is_given(builtin_graph):
    assert key_for_name(builtin_graph, None, "上海\u200b市") == "region:shanghai"
    with pytest.raises(HainetError, match=r"^no node is named '火星'$"):
        key_for_name(builtin_graph, None, "火星")
