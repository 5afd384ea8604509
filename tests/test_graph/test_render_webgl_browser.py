"""The WebGL map in headless Chromium (SwiftShader): drawn whole, labels in Chinese, nothing remote."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from render_fixtures import cjk_graph, small_mechanism_graph

from graph.render import network_map
from loaders.builtin import builtin_records
from queries._examples import graph_from_records
from queries.report import annotated_network_map

pytestmark = pytest.mark.browser

#: Text that would be markup, a CDATA end, an entity or a broken attribute if it were not escaped.
HOSTILE_TEXT = "<svg onload=alert(1)>]]>&amp; \"q\" 'q'"

LABEL_INK = """() => {
  const canvas = window.hainetRenderer.getCanvases().labels;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 128) { ink += 1; } }
  return ink;
}"""


def test_every_node_is_drawn_with_thousands_of_distinct_characters(tmp_path, offline_page):
    G = cjk_graph(1200)
    distinct = {c for key in G for c in G.nodes[key]["name_zh"]}
    assert len(distinct) > 1000
    path = tmp_path / "webgl.html"
    path.write_text(network_map(G, renderer="webgl").html(), encoding="utf-8")
    opened = offline_page(path, width=1920, height=1080)
    opened.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
    body = opened.page.evaluate("[document.body.dataset.renderer, Number(document.body.dataset.nodesDrawn)]")
    assert body == ["webgl", 1200]
    # Every label drawn, zoomed in so none is culled: the labels canvas holds ink for each glyph page.
    opened.page.evaluate("""() => {
      window.hainetRenderer.setSetting("labelRenderedSizeThreshold", 0);
      window.hainetRenderer.setSetting("labelDensity", 100);
      window.hainetRenderer.refresh();
    }""")
    labels = opened.page.evaluate("window.hainetRenderer.getNodeDisplayedLabels().size")
    # Three glyphs of 14 px leave well over 40 inked pixels; a glyph lost from an atlas would leave none.
    assert labels >= 150
    assert opened.page.evaluate(LABEL_INK) >= 40 * labels
    opened.screenshot("webgl-1200-cjk")
    assert opened.errors == [] and opened.remote_requests == []


#: The nodes sigma draws now (not hidden by a filter or by 只看邻居).
VISIBLE = "hainetGraph.nodes().filter(id => !hainetRenderer.getNodeDisplayData(id).hidden).sort()"


@pytest.fixture(scope="module")
def builtin_webgl():
    return annotated_network_map(graph_from_records(*builtin_records()), renderer="webgl")


CAMERA = "JSON.stringify(window.hainetRenderer.getCamera().getState())"


def click_node(opened, key):
    """Click the node once the camera has stopped moving (全图 may animate), trying again if a frame raced it."""
    page = opened.page
    for _ in range(5):
        page.wait_for_function(
            f"() => {{ const a = {CAMERA}; return new Promise(done => setTimeout(() => done({CAMERA} === a), 250)); }}",
            timeout=30_000,
        )
        x, y = page.evaluate(
            """key => { const r = window.hainetRenderer;
                        const at = r.graphToViewport(window.hainetGraph.getNodeAttributes(key));
                        const box = document.getElementById('hn-network').getBoundingClientRect();
                        return [at.x + box.left, at.y + box.top]; }""",
            key,
        )
        page.mouse.click(x, y)
        try:
            page.wait_for_selector("#hn-panel:not([hidden])", timeout=5_000)
            return
        except PlaywrightTimeout:  # a click that missed: measure again and retry
            continue
    msg = f"clicking {key} never opened the panel"
    raise AssertionError(msg)


def test_search_lists_matches_and_click_opens_the_chinese_panel(tmp_path, offline_page, builtin_webgl):
    opened = offline_page(builtin_webgl.save(tmp_path / "map.html"), width=1920, height=1080)
    page = opened.page
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
    assert page.evaluate("document.body.dataset.renderer") == "webgl"
    page.fill("#hn-search", "三亚")
    page.press("#hn-search", "Enter")
    listed = page.evaluate("[...document.querySelectorAll('#hn-matches button')].map(b => b.textContent)")
    assert len(listed) >= 3 and all("三亚" in name for name in listed)
    # The matches alone are drawn again, highlighted and labelled; clearing the search takes it back.
    highlighted = "[...hainetRenderer.highlightedNodes]"
    ids = page.evaluate("[...document.querySelectorAll('#hn-matches button')].map(b => b.dataset.hnNode)")
    assert sorted(page.evaluate(highlighted)) == sorted(ids)
    page.fill("#hn-search", "")
    page.press("#hn-search", "Enter")
    assert page.evaluate(highlighted) == []
    page.fill("#hn-search", "三亚")
    page.press("#hn-search", "Enter")
    page.click("#hn-matches button >> nth=0")
    assert page.text_content("#hn-panel-title") == listed[0]
    page.keyboard.press("Escape")
    assert page.is_hidden("#hn-panel")
    # The same panel as the canvas map, from the same data: a unit's needs with coverage, partners, quote.
    page.click("#hn-fit")
    click_node(opened, "unit:hainan")
    page.wait_for_selector("#hn-panel:not([hidden])")
    panel = page.text_content("#hn-panel")
    assert page.text_content("#hn-panel-title") == "海南省"
    assert "需求单位" in panel and "未覆盖" in panel and "已覆盖" in panel and "合作伙伴" in panel
    assert "原文" in panel and "证据" in panel
    opened.screenshot("webgl-builtin-panel")
    near = set(page.evaluate("hainetGraph.neighbors('unit:hainan')")) | {"unit:hainan"}
    page.click("#hn-neighbours")
    assert set(page.evaluate(VISIBLE)) == near
    page.click("#hn-neighbours")
    assert len(page.evaluate(VISIBLE)) == builtin_webgl.node_count
    page.keyboard.press("Escape")
    assert page.is_hidden("#hn-panel")
    assert opened.errors == [] and opened.remote_requests == []


def test_filters_keep_flags_and_the_evidence_switch_hides_weaker_facts(tmp_path, offline_page, builtin_webgl):
    opened = offline_page(builtin_webgl.save(tmp_path / "map.html"), width=1280, height=800)
    page = opened.page
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
    page.select_option("#hn-industry", "industry:tourism")
    shown = page.evaluate(VISIBLE)
    assert "park:tianfu-bio-city" in shown  # its cooperation is in 医疗旅游, which rolls up into 旅游业
    assert int(page.evaluate("document.body.dataset.nodesDrawn")) == len(shown) < builtin_webgl.node_count
    page.select_option("#hn-industry", "")
    page.uncheck('input[data-hn-kind="Park"]')
    assert not any(k.startswith("park:") for k in page.evaluate(VISIBLE))
    page.check('input[data-hn-kind="Park"]')
    flagged = [n["id"] for n in builtin_webgl.data["nodes"] if n["flags"]]
    assert flagged and page.evaluate("ids => ids.every(id => hainetGraph.getNodeAttribute(id, 'flagColour'))", flagged)
    page.check("#hn-flagged-only")
    assert page.evaluate(VISIBLE) == sorted(flagged)
    page.uncheck("#hn-flagged-only")
    page.select_option("#hn-evidence", "stated")
    hidden_edges = page.evaluate(
        "hainetGraph.edges().filter(e => hainetRenderer.getEdgeDisplayData(e).hidden)"
        ".map(e => hainetGraph.getEdgeAttribute(e, 'evidence'))"
    )
    assert "curated" in hidden_edges and "stated" not in hidden_edges
    page.click("#hn-fit")
    assert opened.errors == []


def test_hostile_names_stay_text_in_search_and_panel(tmp_path, offline_page):
    G = small_mechanism_graph()
    G.nodes["need:haikou:tourism"]["name_zh"] = HOSTILE_TEXT
    coverage = {"need:haikou:tourism": {"covered": False, "status": "未覆盖", "reason": HOSTILE_TEXT}}
    m = network_map(
        G, highlight={"未覆盖需求": ["need:haikou:tourism"]}, coverage=coverage, title=HOSTILE_TEXT, renderer="webgl"
    )
    page_text = m.html()
    assert "<svg onload" not in page_text and "]]>" not in page_text.split('id="hn-data">')[1].split("</script>")[0]
    opened = offline_page(m.save(tmp_path / "map.html"))
    page = opened.page
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
    page.fill("#hn-search", "onload")
    page.press("#hn-search", "Enter")
    assert page.text_content("#hn-panel-title") == HOSTILE_TEXT
    assert HOSTILE_TEXT in page.text_content("#hn-panel-body")
    assert page.evaluate("document.querySelectorAll('svg[onload], #hn-map svg script').length") == 0
    assert opened.dialogs == [] and opened.errors == []
