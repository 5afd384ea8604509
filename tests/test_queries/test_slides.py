"""The meeting deck: it opens in LibreOffice, has its slides, and hostile names stay text."""

import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile

from ci_policy import missing
from click.testing import CliRunner
from pptx import Presentation

from graph.cli import cli
from graph.sqlite_store import SQLiteStore
from loaders.builtin import builtin_records
from queries._examples import example_graph, graph_from_records
from queries.gaps import industry_gaps
from queries.needs import unmatched_needs
from queries.slides import GAP_ROWS_PER_SLIDE, NEED_ROWS_PER_SLIDE, findings, slides_deck

HOSTILE = "<svg onload=alert(1)>]]>&amp; \"q\" 'q'"


def slide_texts(path):
    deck = Presentation(str(path))
    out = []
    for slide in deck.slides:
        texts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        out.append(texts)
    return out


def test_deck_has_title_map_findings_and_split_tables(tmp_path):
    G = graph_from_records(*builtin_records())
    path = slides_deck(G, tmp_path / "deck.pptx")
    deck = Presentation(str(path))
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    texts = slide_texts(path)
    assert texts[0][0] == "海南开放创新合作网络"
    assert any(shape.shape_type == 13 for shape in deck.slides[1].shapes)  # the map, as a picture
    found = findings(G)
    assert 3 <= len(found) <= 5
    for i, finding in enumerate(found, start=2):
        assert texts[i][0] == finding.headline
        assert any(t.startswith("建议下一步：") for t in texts[i]) and any(t.startswith("证据：") for t in texts[i])
    n_gap = -(-len(industry_gaps(G)) // GAP_ROWS_PER_SLIDE)
    n_need = -(-len(unmatched_needs(G)) // NEED_ROWS_PER_SLIDE)
    assert len(texts) == 2 + len(found) + n_gap + n_need
    tables = [t for t in texts if t and t[0].startswith("未覆盖需求及推荐伙伴")]
    assert len(tables) == n_need and tables[-1][0].endswith(f"（{n_need}/{n_need}）")


def test_deck_converts_with_libreoffice(tmp_path):
    if shutil.which("soffice") is None or shutil.which("pdfinfo") is None:
        missing("LibreOffice and poppler-utils are needed to open the deck")
    G = example_graph()
    G.nodes["unit:boao"]["name_zh"] = HOSTILE
    path = slides_deck(G, tmp_path / "deck.pptx")
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "deck.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == len(Presentation(str(path)).slides) >= 4
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "海南开放创新合作网络" in words and "<svg onload=alert(1)>" in words


def test_hostile_names_stay_text_in_pptx(tmp_path):
    G = example_graph()
    G.nodes["unit:boao"]["name_zh"] = HOSTILE
    path = slides_deck(G, tmp_path / "deck.pptx")
    assert any(HOSTILE in t for texts in slide_texts(path) for t in texts)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                body = archive.read(name)
                ET.fromstring(body)  # every part is well-formed XML
                assert b"<svg onload" not in body


def test_slides_command(tmp_path):
    store = tmp_path / "g.sqlite"
    with SQLiteStore(store) as s:
        s.write(*builtin_records())
    out = tmp_path / "deck.pptx"
    result = CliRunner().invoke(cli, ["--store", str(store), "slides", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(Presentation(str(out)).slides) >= 4
    result = CliRunner().invoke(cli, ["--store", str(store), "slides", "-o", str(tmp_path / "deck.pdf")])
    assert result.exit_code == 1 and "ending in .pptx" in result.output
