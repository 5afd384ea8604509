import pytest
from render_fixtures import ARTIFACTS, HOSTILE

from queries._examples import example_graph
from queries.needs import unmatched_needs
from queries.report import annotated_network_map, report_html

pytestmark = pytest.mark.browser



@pytest.fixture
def report_file(tmp_path):
    G = example_graph()
    G.nodes[unmatched_needs(G)["unit_key"].iloc[0]]["name_zh"] = HOSTILE
    G.nodes["region:shanghai"]["name_zh"] = HOSTILE
    path = tmp_path / "report.html"
    path.write_text(report_html(G, date="2024-05-01"), encoding="utf-8")
    return path


def test_report_loads_offline_and_draws_the_map(report_file, offline_page):
    opened = offline_page(report_file)
    opened.wait_ready()
    page = opened.page
    G = example_graph()
    m = annotated_network_map(G)
    assert page.evaluate("hainetNetwork.body.data.nodes.length") == m.node_count
    assert page.evaluate("document.querySelectorAll('#hn-gaps table.hn-table, #hn-checks table.hn-table').length") == 2
    assert page.evaluate("document.querySelectorAll('#hn-needs tbody tr').length") == len(unmatched_needs(G))
    opened.screenshot("report", full_page=True)
    assert opened.errors == [] and opened.remote_requests == [] and opened.dialogs == []


def test_report_shows_hostile_names_as_text(report_file, offline_page):
    opened = offline_page(report_file)
    opened.wait_ready()
    page = opened.page
    cells = page.evaluate("[...document.querySelectorAll('#hn-needs td')].map(td => td.textContent)")
    assert HOSTILE in cells
    assert page.evaluate("document.querySelectorAll('img[src=x], a[href], iframe').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    assert opened.dialogs == [] and opened.errors == []


def test_report_prints_with_repeated_headers_and_whole_rows(report_file, offline_page):
    opened = offline_page(report_file)
    opened.wait_ready()
    page = opened.page
    page.emulate_media(media="print")
    styles = page.evaluate(
        """() => { const head = document.querySelector('#hn-gaps thead');
                   const row = document.querySelector('#hn-gaps tbody tr');
                   return [getComputedStyle(head).display, getComputedStyle(row).breakInside,
                           getComputedStyle(document.querySelector('.hn-tools')).display]; }"""
    )
    assert styles == ["table-header-group", "avoid", "none"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "report.pdf"), format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    assert opened.errors == []
