"""The meeting map in a real browser: label size at projector sizes, panel, search, filters, presentation."""

import pytest
from render_fixtures import launched_chromium, offline_opener, small_mechanism_graph

from graph.render import network_map
from loaders.builtin import builtin_records
from queries._examples import graph_from_records
from queries.report import annotated_network_map

pytestmark = pytest.mark.browser

#: Text that would be markup, a CDATA end, an entity or a broken attribute if it were not escaped.
HOSTILE = "<svg onload=alert(1)>]]>&amp; \"q\" 'q'"

#: Each labelled node's label height on screen, in CSS pixels, from the network's scale.
LABEL_PX = """() => { const s = hainetNetwork.getScale();
  return hainetNetwork.body.data.nodes.get({filter: n => n.labelled && !n.hidden})
    .map(n => s * (n.font && n.font.size ? n.font.size : 16)); }"""
BORDER = "id => hainetNetwork.body.data.nodes.get(id).color.border"
VISIBLE = "hainetNetwork.body.data.nodes.get({filter: n => !n.hidden && !n.header}).map(n => n.id).sort()"


@pytest.fixture(scope="module")
def chromium():
    yield from launched_chromium()


@pytest.fixture
def offline_page(chromium):
    yield from offline_opener(chromium)


@pytest.fixture(scope="module")
def builtin_map():
    return annotated_network_map(graph_from_records(*builtin_records()))


def click_node(opened, key):
    page = opened.page
    x, y = page.evaluate(
        """key => { const n = hainetNetwork; const d = n.canvasToDOM(n.getPositions([key])[key]);
                    const r = document.getElementById('hn-network').getBoundingClientRect();
                    return [d.x + r.left, d.y + r.top]; }""",
        key,
    )
    page.mouse.click(x, y)


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 800)])
def test_default_map_labels_are_14px_and_legend_in_view(tmp_path, offline_page, builtin_map, width, height):
    opened = offline_page(builtin_map.save(tmp_path / "map.html"), width=width, height=height)
    opened.wait_ready()
    page = opened.page
    sizes = page.evaluate(LABEL_PX)
    assert len(sizes) >= 40 and min(sizes) >= 14
    assert page.evaluate("window.hainetLabelPx") >= 14
    # Fills the window: the canvas reaches to within a few pixels of the bottom and the aside.
    box = page.evaluate(
        "(() => { const r = document.getElementById('hn-network').getBoundingClientRect();"
        " return [r.width, r.bottom]; })()"
    )
    assert box[0] >= width - 340 and box[1] >= height - 20
    legend = page.evaluate(
        "(() => { const r = document.querySelector('#hn-legend > :last-child')"
        ".getBoundingClientRect(); return [r.top, r.bottom]; })()"
    )
    assert legend[0] >= 0 and legend[1] <= height
    unlabelled = page.evaluate("hainetNetwork.body.data.nodes.get({filter: n => n.labelled === false}).length")
    assert unlabelled > 0  # the label budget leaves some names to zoom and hover
    opened.screenshot(f"meeting-map-{width}x{height}")
    assert opened.errors == [] and opened.remote_requests == [] and opened.dialogs == []


def test_zoom_shows_the_other_labels(tmp_path, offline_page, builtin_map):
    opened = offline_page(builtin_map.save(tmp_path / "map.html"), width=1280, height=800)
    opened.wait_ready()
    page = opened.page
    hidden = "hainetNetwork.body.data.nodes.get({filter: n => n.labelled === false && !n.label}).length"
    assert page.evaluate(hidden) > 0
    page.evaluate("hainetNetwork.moveTo({scale: hainetNetwork.getScale() * 3}); hainetNetwork.emit('zoom', {})")
    assert page.evaluate(hidden) == 0


def test_click_opens_chinese_panel_dims_and_shows_neighbours(tmp_path, offline_page, builtin_map):
    opened = offline_page(builtin_map.save(tmp_path / "map.html"), width=1920, height=1080)
    opened.wait_ready()
    page = opened.page
    click_node(opened, "unit:hainan")
    page.wait_for_selector("#hn-panel:not([hidden])")
    panel = page.text_content("#hn-panel")
    assert page.text_content("#hn-panel-title") == "海南省"
    assert "需求单位" in panel and "未覆盖" in panel and "已覆盖" in panel and "合作伙伴" in panel
    assert "原文" in panel and "证据" in panel
    near = set(page.evaluate("hainetNetwork.getConnectedNodes('unit:hainan')")) | {"unit:hainan"}
    dimmed = set(page.evaluate("hainetNetwork.body.data.nodes.get({filter: n => n.opacity < 1}).map(n => n.id)"))
    assert dimmed and not (dimmed & near)
    opened.screenshot("meeting-map-panel")
    page.click("#hn-neighbours")
    assert set(page.evaluate(VISIBLE)) == near
    page.click("#hn-neighbours")
    assert len(page.evaluate(VISIBLE)) == builtin_map.node_count
    page.keyboard.press("Escape")
    assert page.is_hidden("#hn-panel")
    assert opened.errors == []


def test_search_lists_its_matches(tmp_path, offline_page, builtin_map):
    opened = offline_page(builtin_map.save(tmp_path / "map.html"))
    opened.wait_ready()
    page = opened.page
    page.fill("#hn-search", "三亚")
    page.press("#hn-search", "Enter")
    listed = page.evaluate("[...document.querySelectorAll('#hn-matches button')].map(b => b.textContent)")
    assert len(listed) >= 3 and all("三亚" in name for name in listed)
    page.click("#hn-matches button >> nth=0")
    assert page.text_content("#hn-panel-title") == listed[0]
    assert opened.errors == []


def test_filters_keep_flags_and_refit(tmp_path, offline_page, builtin_map):
    opened = offline_page(builtin_map.save(tmp_path / "map.html"), width=1280, height=800)
    opened.wait_ready()
    page = opened.page
    need = next(n["id"] for n in builtin_map.data["nodes"] if n["flags"])
    red = page.evaluate(BORDER, need)
    before = page.evaluate("hainetNetwork.getScale()")
    page.select_option("#hn-industry", "industry:tourism")
    shown = page.evaluate(VISIBLE)
    assert "park:tianfu-bio-city" in shown  # its cooperation is in 医疗旅游, which rolls up into 旅游业
    assert page.evaluate("hainetNetwork.getScale()") != before
    page.select_option("#hn-industry", "")
    page.uncheck('input[data-hn-kind="Park"]')
    page.check('input[data-hn-kind="Park"]')
    assert page.evaluate(BORDER, need) == red == "#d62728"
    page.select_option("#hn-evidence", "stated")
    curated = [e["id"] for e in builtin_map.data["edges"] if e["evidence"] == "curated"]
    assert curated and page.evaluate("ids => ids.every(id => hainetNetwork.body.data.edges.get(id).hidden)", curated)
    assert opened.errors == []


def test_presentation_steps_through_unmatched_needs_by_keyboard(tmp_path, offline_page, builtin_map):
    opened = offline_page(builtin_map.save(tmp_path / "map.html"), width=1920, height=1080)
    opened.wait_ready()
    page = opened.page
    steps = builtin_map.data["tour"]
    assert len(steps) == builtin_map.flag_counts["未覆盖需求"]
    page.click("#hn-present")
    assert page.text_content("#hn-stage-count") == f"第 1 / {len(steps)} 项"
    page.keyboard.press("PageDown")
    page.keyboard.press("ArrowRight")
    assert page.text_content("#hn-stage-title") == steps[2]["title"]
    assert "原因" in page.text_content("#hn-stage-lines")
    assert page.evaluate("hainetNetwork.getSelectedNodes()") == [steps[2]["focus"][0]]
    page.keyboard.press("ArrowLeft")
    assert page.text_content("#hn-stage-title") == steps[1]["title"]
    opened.screenshot("meeting-map-present")
    page.keyboard.press("Escape")
    assert page.is_hidden("#hn-stage") and page.is_visible(".hn-tools")
    assert opened.errors == []


def test_hostile_names_stay_text_in_panel_search_and_presentation(tmp_path, offline_page):
    G = small_mechanism_graph()
    G.nodes["unit:haikou"]["name_zh"] = HOSTILE
    G.nodes["coop:sc-haikou"]["quote"] = HOSTILE
    coverage = {
        "need:haikou:tourism": {
            "covered": False,
            "status": "未覆盖",
            "reason": HOSTILE,
            "closest": HOSTILE,
            "partners": HOSTILE,
        }
    }
    m = network_map(G, highlight={"未覆盖需求": ["need:haikou:tourism"]}, coverage=coverage, title=HOSTILE)
    opened = offline_page(m.save(tmp_path / "hostile.html"))
    opened.wait_ready()
    page = opened.page
    assert page.text_content("h1") == HOSTILE
    click_node(opened, "unit:haikou")
    page.wait_for_selector("#hn-panel:not([hidden])")
    assert page.text_content("#hn-panel-title") == HOSTILE
    page.keyboard.press("Escape")
    page.keyboard.press("PageDown")
    assert HOSTILE in page.text_content("#hn-stage-lines")
    assert page.evaluate("document.querySelectorAll('svg[onload], img[src=x]').length") == 0
    assert page.evaluate("document.scripts.length") == 4
    assert opened.dialogs == [] and opened.errors == [] and opened.remote_requests == []
