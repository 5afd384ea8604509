import re
import shutil
import subprocess

import pytest
from ci_policy import missing
from render_fixtures import ARGS, ARTIFACTS, CHROMIUM, HOSTILE

from loaders.builtin import builtin_records
from queries._examples import example_graph, graph_from_records
from queries.findings import report_analysis
from queries.needs import unmatched_needs
from queries.report import annotated_network_map, report_html
from queries.report_map import core_keys

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
    m = annotated_network_map(G, keys=core_keys(G, report_analysis(G)))
    assert page.evaluate("hainetNetwork.body.data.nodes.get({filter: n => !n.header}).length") == m.node_count
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
    assert page.evaluate("document.scripts.length") == 4
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


def test_report_prints_the_static_map_and_no_controls(report_file, offline_page):
    opened = offline_page(report_file)
    opened.wait_ready()
    page = opened.page
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => ['#hn-network', '.hn-tools', '#hn-map-print'].map(
               s => getComputedStyle(document.querySelector(s)).display)"""
    )
    assert shown == ["none", "none", "block"]
    page.emulate_media(media="screen")
    assert page.evaluate("getComputedStyle(document.querySelector('#hn-map-print')).display") == "none"


def test_printed_report_is_a4_with_page_numbers(tmp_path):
    if not CHROMIUM.exists() or not shutil.which("pdfinfo") or not shutil.which("pdftotext"):
        missing("needs /usr/bin/chromium and poppler-utils (pdfinfo, pdftotext)")
    page = tmp_path / "report.html"
    page.write_text(report_html(graph_from_records(*builtin_records()), date="2024-05-01"), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [str(CHROMIUM), "--headless", *ARGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=180,
    )
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert size and (round(float(size.group(1))), round(float(size.group(2)))) == (595, 842)  # A4
    assert pages >= 2
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    numbers = [int(m) for m in re.findall(rf"^\s*(\d+) ?/ ?{pages}\s*$", text, flags=re.MULTILINE)]
    assert numbers == list(range(1, pages + 1))
    assert "主要发现" in text and "建议下一步" in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "report-a4.pdf")
