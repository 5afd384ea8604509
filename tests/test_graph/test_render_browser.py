import time

import pytest
from render_fixtures import HOSTILE, many_needs_graph, small_mechanism_graph

from graph.render import network_map

pytestmark = pytest.mark.browser

# Column headings of the meeting view are text-only nodes, not graph nodes.
NODE_COUNT = (
    "[hainetNetwork.body.data.nodes.get({filter: n => !n.header}).length, hainetNetwork.body.data.edges.length]"
)
SELECTED = "hainetNetwork.getSelectedNodes()"
HIDDEN = "hainetNetwork.body.data.nodes.get({filter: n => n.hidden === true}).map(n => n.id).sort()"


@pytest.fixture
def small_graph():
    return small_mechanism_graph()


def hover(opened, key):
    page = opened.page
    x, y = page.evaluate(
        """key => { const n = hainetNetwork; const d = n.canvasToDOM(n.getPositions([key])[key]);
                    const r = document.getElementById('hn-network').getBoundingClientRect();
                    return [d.x + r.left, d.y + r.top]; }""",
        key,
    )
    page.mouse.move(x, y)
    page.wait_for_function(
        "() => { const t = document.querySelector('div.vis-tooltip');"
        " return t && t.style.visibility !== 'hidden' && t.textContent.length > 0; }",
        timeout=5000,
    )
    # innerText turns newlines into <br>; any other element would be markup from data.
    return page.evaluate(
        "() => { const t = document.querySelector('div.vis-tooltip'); return [t.textContent,"
        " [...t.querySelectorAll('*')].filter(e => e.tagName !== 'BR').length]; }"
    )


def search(opened, text):
    opened.page.fill("#hn-search", text)
    opened.page.press("#hn-search", "Enter")
    return sorted(opened.page.evaluate(SELECTED))


def test_map_draws_offline_with_every_node_and_edge(tmp_path, offline_page, small_graph):
    m = network_map(small_graph, highlight={"未覆盖需求": {"need:haikou:tourism"}})
    opened = offline_page(m.save(tmp_path / "map.html"))
    ready = opened.wait_ready()
    assert ready < 10
    assert opened.page.evaluate(NODE_COUNT) == [m.node_count, m.edge_count]
    assert opened.page.text_content("#hn-flags") == "未覆盖需求：1"
    opened.screenshot("map-small")
    assert opened.errors == [] and opened.remote_requests == [] and opened.dialogs == []


def test_search_selects_by_chinese_and_english_name(tmp_path, offline_page, small_graph):
    opened = offline_page(network_map(small_graph, view="full").save(tmp_path / "map.html"))
    opened.wait_ready()
    assert search(opened, "上海市") == ["region:shanghai"]
    assert search(opened, "boao lecheng pilot zone") == ["unit:boao"]
    assert search(opened, "海口") == ["need:haikou:tourism", "unit:haikou"]
    assert "2" in opened.page.text_content("#hn-status")
    assert search(opened, "不存在的名称") == []
    assert opened.errors == []


def test_filters_by_kind_industry_and_flags(tmp_path, offline_page, small_graph):
    m = network_map(small_graph, highlight={"gap": ["industry:tourism"]}, view="full")
    opened = offline_page(m.save(tmp_path / "map.html"))
    opened.wait_ready()
    page = opened.page
    page.uncheck('input[data-hn-kind="Need"]')
    assert page.evaluate(HIDDEN) == ["need:boao:biomedicine", "need:haikou:tourism"]
    page.check('input[data-hn-kind="Need"]')
    page.select_option("#hn-industry", "industry:tourism")
    shown = page.evaluate("hainetNetwork.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id).sort()")
    assert shown == ["coop:sc-haikou", "industry:tourism", "need:haikou:tourism", "region:sichuan", "unit:haikou"]
    page.select_option("#hn-industry", "")
    page.check("#hn-flagged-only")
    assert page.evaluate("hainetNetwork.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)") == [
        "industry:tourism"
    ]
    assert opened.errors == []


def test_tooltips_show_provenance_as_text(tmp_path, offline_page, small_graph):
    opened = offline_page(network_map(small_graph, view="full").save(tmp_path / "map.html"))
    opened.wait_ready()
    text, children = hover(opened, "coop:sh-boao")
    assert "章节: 二(一)" in text and "开展深远海" in text
    assert children == 0
    opened.screenshot("map-tooltip")


def test_hostile_text_never_runs_and_shows_as_text(tmp_path, offline_page):
    hostile_text = HOSTILE
    figures = {"region:sichuan": {"note": hostile_text}}
    m = network_map(small_mechanism_graph(hostile=True), title=hostile_text, figures=figures, view="full")
    opened = offline_page(m.save(tmp_path / "hostile.html"))
    opened.wait_ready()
    page = opened.page
    assert page.text_content("h1") == hostile_text
    assert page.title() == hostile_text
    text, children = hover(opened, "region:sichuan")
    assert hostile_text in text and children == 0
    text, children = hover(opened, "coop:sc-haikou")
    assert hostile_text in text and children == 0
    assert search(opened, "javascript:alert(3)") == ["region:sichuan"]
    time.sleep(0.3)
    assert page.evaluate("document.querySelectorAll('img[src=x], a[href], iframe, object').length") == 0
    assert page.evaluate("document.scripts.length") == 4
    assert page.evaluate(
        "name => [...document.querySelectorAll('#hn-names option')].some(o => o.value === name)", hostile_text
    )
    opened.screenshot("map-hostile")
    assert opened.dialogs == [] and opened.remote_requests == [] and opened.errors == []


def test_aggregated_map_says_so(tmp_path, offline_page):
    m = network_map(many_needs_graph(units=10, needs_per_unit=5), max_nodes=10)
    opened = offline_page(m.save(tmp_path / "agg.html"))
    opened.wait_ready()
    assert opened.page.evaluate(NODE_COUNT)[0] == m.node_count == 5
    assert "63" in opened.page.text_content("#hn-aggregated")
    assert opened.errors == []


def test_notebook_iframe_draws_without_a_server(tmp_path, offline_page, small_graph):
    m = network_map(small_graph)
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><meta charset='utf-8'><body>{m._repr_html_()}</body>", encoding="utf-8")
    opened = offline_page(host)
    frame = opened.page.frames[1]
    frame.wait_for_function("() => window.hainetReady === true", timeout=30000)
    assert frame.evaluate(NODE_COUNT) == [m.node_count, m.edge_count]
    assert opened.errors == [] and opened.remote_requests == []


def test_two_thousand_nodes_are_interactive_quickly(tmp_path, offline_page):
    G = many_needs_graph(units=200, needs_per_unit=9)  # 2,003 nodes
    m = network_map(G, renderer="canvas")
    assert m.node_count == 2003 and not m.aggregated
    opened = offline_page(m.save(tmp_path / "big.html"), width=1400, height=1000)
    ready = opened.wait_ready(60)
    assert opened.page.evaluate(NODE_COUNT) == [2003, m.edge_count]
    assert ready < 5  # the benchmark holds the 2 s target; CI machines vary
    opened.screenshot("map-2000")
    assert opened.errors == []


def test_the_map_embedded_in_a_notebook_frame_is_centred(tmp_path, chromium):
    # A notebook shows the map in an <iframe srcdoc>: the drawing must sit in the middle of the frame.
    m = network_map(small_mechanism_graph(), view="full")
    page_path = tmp_path / "notebook.html"
    page_path.write_text(
        f'<html><body><div style="width:900px;margin:0 auto">{m._repr_html_()}</div></body></html>', encoding="utf-8"
    )
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(page_path.as_uri())
        frame = page.frames[1]
        frame.wait_for_function("() => window.hainetReady === true", timeout=30_000)
        page.wait_for_timeout(300)
        where = frame.evaluate("""() => {
          const net = window.hainetNetwork, ids = net.body.data.nodes.getIds(), pos = net.getPositions(ids);
          const xs = [], ys = [];
          for (const id of ids) { const d = net.canvasToDOM(pos[id]); xs.push(d.x); ys.push(d.y); }
          const box = net.canvas.frame.canvas.getBoundingClientRect();
          return {dx: (Math.min(...xs) + Math.max(...xs)) / 2 - box.width / 2,
                  dy: (Math.min(...ys) + Math.max(...ys)) / 2 - box.height / 2, width: box.width};
        }""")
    finally:
        page.close()
    assert where["width"] > 400
    assert abs(where["dx"]) < 0.05 * where["width"] and abs(where["dy"]) < 0.05 * where["width"]
