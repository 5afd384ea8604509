import io
import warnings

import matplotlib as mpl
import networkx as nx
import pandas as pd
import pytest
from ci_policy import missing
from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import graph.charts as charts
from graph.charts import (
    CJK_FONT_FAMILIES,
    CJKFontWarning,
    centrality_chart,
    cjk_font_name,
    community_chart,
    coverage_heatmap,
    gap_chart,
    use_cjk_font,
)
from graph.errors import HainetError
from graph.render import KIND_STYLES
from queries._examples import example_graph
from queries.gaps import coverage_matrix, industry_gaps
from queries.hubs import actor_projection, hub_scores

CHINESE = "海南开放创新合作机制：旅游业、现代服务业、高新技术产业"


@pytest.fixture(autouse=True)
def own_rc_params():
    """Every test starts from matplotlib's defaults and leaves them as they were."""
    with mpl.rc_context(rc=mpl.rcParamsDefault):
        yield


@pytest.fixture
def cjk_font():
    name = cjk_font_name()
    if name is None:
        missing("no CJK font installed (Debian: apt-get install fonts-noto-cjk)")
    return name


def saved_with_warnings(fig: Figure, fmt: str = "png") -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format=fmt)
    return [str(w.message) for w in caught]


def glyph_warnings(messages: list[str]) -> list[str]:
    return [m for m in messages if "missing from font" in m or "Glyph" in m]


def family_drawing(text) -> str:
    """The family name of the font file matplotlib picks for a text artist."""
    path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
    return font_manager.get_font(path).family_name


def chinese_figure() -> Figure:
    fig = Figure(figsize=(6, 2))
    ax = fig.add_subplot()
    ax.set_title(CHINESE)
    ax.set_yticks([0, 1], ["上海市", "科学技术部"])
    return fig


# ----------------------------------------------------------------- fonts


def test_default_font_lacks_chinese_glyphs_so_the_check_can_fail():
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["font.sans-serif"] = ["DejaVu Sans"]
    assert glyph_warnings(saved_with_warnings(chinese_figure()))


def test_use_cjk_font_renders_chinese_without_missing_glyphs(cjk_font):
    assert use_cjk_font() == cjk_font
    assert cjk_font in CJK_FONT_FAMILIES
    fig = chinese_figure()
    assert glyph_warnings(saved_with_warnings(fig)) == []
    ax = fig.axes[0]
    for text in [ax.title, *ax.get_yticklabels()]:
        assert "CJK" in family_drawing(text) or family_drawing(text) in CJK_FONT_FAMILIES


def test_svg_names_the_cjk_font(cjk_font):
    use_cjk_font()
    fig = chinese_figure()
    out = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none"}):
        fig.savefig(out, format="svg")
    svg = out.getvalue()
    assert CHINESE in svg
    assert cjk_font in svg


def test_use_cjk_font_is_idempotent_and_keeps_latin_fallbacks(cjk_font):
    use_cjk_font()
    use_cjk_font()
    sans = list(mpl.rcParams["font.sans-serif"])
    assert sans[0] == cjk_font and sans.count(cjk_font) == 1
    assert "DejaVu Sans" in sans
    assert mpl.rcParams["font.family"] == ["sans-serif"]
    assert mpl.rcParams["axes.unicode_minus"] is False


def test_finds_a_cjk_font_installed_after_the_font_cache_was_built(cjk_font, monkeypatch):
    manager = font_manager.fontManager
    cjk_files = {entry.fname for entry in manager.ttflist if entry.name in CJK_FONT_FAMILIES}
    # As matplotlib's cache looks when the font was installed after it was built: no entry of those files.
    monkeypatch.setattr(manager, "ttflist", [entry for entry in manager.ttflist if entry.fname not in cjk_files])
    assert not {entry.name for entry in manager.ttflist} & set(CJK_FONT_FAMILIES)
    assert cjk_font_name() == cjk_font
    assert any(entry.name == cjk_font for entry in manager.ttflist)


def test_no_cjk_font_warns_clearly_and_changes_nothing(monkeypatch):
    monkeypatch.setattr(charts, "CJK_FONT_FAMILIES", ("No Such Font For Hainet",))
    before = list(mpl.rcParams["font.sans-serif"])
    with pytest.warns(CJKFontWarning, match="fonts-noto-cjk"):
        assert use_cjk_font() is None
    assert list(mpl.rcParams["font.sans-serif"]) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_of_the_example_graph_renders_chinese(cjk_font, lang):
    G = example_graph()
    hubs = hub_scores(G)
    figures = [
        coverage_heatmap(coverage_matrix(G, label="zh"), lang=lang),
        centrality_chart(hubs, lang=lang),
        gap_chart(industry_gaps(G), lang=lang),
        community_chart(actor_projection(G), hubs, lang=lang),
    ]
    for fig in figures:
        assert glyph_warnings(saved_with_warnings(fig)) == []
    assert plt.get_fignums() == []  # nothing left open in pyplot


def test_charts_show_in_jupyter_as_one_png_whatever_the_backend(hubs):
    from IPython.core.formatters import DisplayFormatter

    fig = centrality_chart(hubs)
    data, _ = DisplayFormatter().format(fig)
    assert data["image/png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert "Figure" in data["text/plain"]


# ----------------------------------------------------------------- coverage heatmap


def test_heatmap_labels_cells_and_marks_uncovered_industries():
    matrix = pd.DataFrame(
        [[2, 0, 1], [0, 0, 0], [0, 3, 0]],
        index=pd.Index(["旅游业", "深远海", "生物医药"], name="industry"),
        columns=pd.Index(["上海市", "四川省", "科学技术部"], name="partner"),
    )
    fig = coverage_heatmap(matrix)
    ax = fig.axes[0]
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["旅游业", "深远海", "生物医药"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["上海市", "四川省", "科学技术部"]
    cells = sorted((t.get_position(), t.get_text()) for t in ax.texts if t.get_text().isdigit())
    assert cells == [((0, 0), "2"), ((1, 2), "3"), ((2, 0), "1")]
    colours = [to_hex(t.get_color()) for t in ax.get_yticklabels()]
    assert colours[1] == "#d62728" and colours[0] != "#d62728" and colours[2] != "#d62728"
    assert len(fig.axes) == 2  # the heatmap and its colour bar


def test_heatmap_in_english_uses_english_axis_names():
    matrix = pd.DataFrame([[1]], index=["Tourism"], columns=["Shanghai"])
    ax = coverage_heatmap(matrix, lang="en").axes[0]
    assert ax.get_xlabel() == "Partner" and ax.get_ylabel() == "Industry"


def test_heatmap_without_partners_says_so():
    matrix = pd.DataFrame(index=pd.Index(["旅游业"], name="industry"), columns=pd.Index([], name="partner"))
    fig = coverage_heatmap(matrix)
    assert [t.get_text() for t in fig.axes[0].texts] == ["还没有伙伴在所需产业开展进行中或计划中的合作"]


@pytest.mark.parametrize("bad", [[[1, 2]], pd.DataFrame([["x"]], index=["a"], columns=["b"])])
def test_heatmap_refuses_what_is_not_a_matrix_of_counts(bad):
    with pytest.raises(HainetError):
        coverage_heatmap(bad)


def test_heatmap_refuses_unknown_language():
    with pytest.raises(HainetError, match="language"):
        coverage_heatmap(pd.DataFrame([[1]]), lang="fr")


# ----------------------------------------------------------------- centrality chart


@pytest.fixture
def hubs():
    return pd.DataFrame(
        {
            "actor_key": ["dept:most", "region:shanghai", "park:tianfu", "unit:hainan", "region:hunan"],
            "actor_kind": ["Department", "Region", "Park", "DemandUnit", "Region"],
            "actor_zh": ["科学技术部", "上海市", "天府国际生物城", "海南省", "湖南省"],
            "actor_en": ["MOST", "Shanghai", "Tianfu Bio-Town", "Hainan", "Hunan"],
            "pagerank": [0.4, 0.1, 0.2, 0.2, 0.1],
            "betweenness": [0.9, 0.0, 0.0, 0.5, 0.1],
            "community": [0, 1, 1, 0, 2],
            "community_size": [2, 2, 2, 2, 1],
        }
    )


def test_centrality_chart_shows_the_top_actors_highest_on_top(hubs):
    ax = centrality_chart(hubs, top=3).axes[0]
    # Bars run bottom to top; ties (0.2) are broken by key, park before unit.
    assert [t.get_text() for t in ax.get_yticklabels()] == ["海南省", "天府国际生物城", "科学技术部"]
    assert [round(p.get_width(), 3) for p in ax.patches] == [0.2, 0.2, 0.4]
    assert [to_hex(p.get_facecolor()) for p in ax.patches] == [
        KIND_STYLES["DemandUnit"][1],
        KIND_STYLES["Park"][1],
        KIND_STYLES["Department"][1],
    ]
    assert ax.get_xlabel() == "PageRank"


def test_centrality_chart_other_measure_and_english(hubs):
    ax = centrality_chart(hubs, measure="betweenness", top=2, lang="en").axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Hainan", "MOST"]
    assert ax.get_title() == "Centrality in the cooperation network: top 2 (betweenness)"
    assert ax.get_xlabel() == "betweenness"
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["Demand unit", "Department"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"measure": "closeness"}, "measure"),
        ({"top": 0}, "top"),
        ({"lang": "fr"}, "language"),
    ],
)
def test_centrality_chart_refuses_bad_options(hubs, kwargs, match):
    with pytest.raises(HainetError, match=match):
        centrality_chart(hubs, **kwargs)


def test_centrality_chart_names_missing_columns(hubs):
    with pytest.raises(HainetError, match="pagerank"):
        centrality_chart(hubs.drop(columns=["pagerank"]))


def test_centrality_chart_leaves_out_actors_scoring_zero(hubs):
    ax = centrality_chart(hubs, measure="betweenness", top=10).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["湖南省", "海南省", "科学技术部"]
    assert ax.get_title() == "合作网络中心性：前 3 位（介数中心性）"


def test_centrality_chart_of_no_actors_says_so(hubs):
    fig = centrality_chart(hubs.iloc[0:0])
    assert [t.get_text() for t in fig.axes[0].texts] == ["没有可显示的数据"]


# ----------------------------------------------------------------- gap chart


def test_gap_chart_colours_bars_by_status_and_stars_leading_industries():
    gaps = pd.DataFrame(
        {
            "industry_key": ["industry:tourism", "industry:aerospace", "industry:biomedicine"],
            "industry_zh": ["旅游业", "航天", "生物医药"],
            "industry_en": ["Tourism", "Aerospace", "Biomedicine"],
            "is_leading": [True, False, False],
            "n_partners": [0, 1, 4],
            "status": ["uncovered", "single-partner", "covered"],
        }
    )
    ax = gap_chart(gaps).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["生物医药", "航天", "★ 旅游业"]
    assert [to_hex(p.get_facecolor()) for p in ax.patches[:3]] == ["#2ca02c", "#ff7f0e", "#d62728"]
    assert [p.get_width() for p in ax.patches[:3]] == [4, 1, 0]


# ----------------------------------------------------------------- community chart


def test_community_chart_colours_each_community_and_hides_isolated_actors(hubs):
    P = nx.Graph()
    P.add_nodes_from(hubs["actor_key"])
    P.add_edge("dept:most", "unit:hainan", weight=3)
    P.add_edge("region:shanghai", "park:tianfu", weight=1)
    fig = community_chart(P, hubs)
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["上海市", "天府国际生物城", "海南省", "科学技术部"]
    (points,) = ax.collections
    colours = [to_hex(c) for c in points.get_facecolors()]
    # Drawn in key order: dept:most, park:tianfu, region:shanghai, unit:hainan.
    assert colours[0] == colours[3] and colours[1] == colours[2] and colours[0] != colours[1]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["社区 0（2 个主体）", "社区 1（2 个主体）"]
    shown = community_chart(P, hubs, hide_isolated=False).axes[0]
    assert "湖南省" in {t.get_text() for t in shown.texts}


def test_community_chart_is_deterministic(hubs):
    P = nx.Graph([("dept:most", "unit:hainan"), ("region:shanghai", "park:tianfu"), ("dept:most", "park:tianfu")])
    first = community_chart(P, hubs).axes[0].collections[0].get_offsets().tolist()
    again = community_chart(P, hubs).axes[0].collections[0].get_offsets().tolist()
    assert first == again


def test_community_chart_refuses_too_many_colours(hubs):
    with pytest.raises(HainetError, match="communities"):
        community_chart(nx.Graph(), hubs, communities=10)
