"""The WebGL map in headless Chromium (SwiftShader): drawn whole, labels in Chinese, nothing remote."""

import pytest
from render_fixtures import HOSTILE, cjk_graph, small_mechanism_graph

from graph.render import network_map
from graph.render_webgl import webgl_html

pytestmark = pytest.mark.browser

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
    path.write_text(webgl_html(network_map(G, max_nodes=10**6)), encoding="utf-8")
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


def test_search_lists_matches_and_click_opens_the_panel(tmp_path, offline_page):
    path = tmp_path / "webgl.html"
    path.write_text(webgl_html(network_map(small_mechanism_graph(hostile=True))), encoding="utf-8")
    opened = offline_page(path)
    opened.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
    opened.page.fill("#hn-search", "上海")
    opened.page.click("#hn-search-form button[type=submit]")
    assert opened.page.locator("#hn-results button").count() >= 1
    opened.page.locator("#hn-results button").first.click()
    assert opened.page.locator("#hn-panel").is_visible()
    assert "上海" in opened.page.locator("#hn-panel h2").inner_text()
    # The hostile name is text: searched for, it is listed literally and runs nothing.
    opened.page.fill("#hn-search", "onerror")
    opened.page.click("#hn-search-form button[type=submit]")
    assert HOSTILE in opened.page.locator("#hn-results").inner_text() or HOSTILE in opened.page.locator(
        "#hn-panel").inner_text()
    assert opened.dialogs == [] and opened.errors == []
