"""Static images of the map: SVG as safe XML with Chinese text, PNG wide enough, PDF with the CJK font."""

import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from ci_policy import missing
from click.testing import CliRunner
from render_fixtures import small_mechanism_graph

from graph.cli import cli
from graph.errors import HainetError
from graph.render import network_map
from graph.render_image import map_image, map_svg
from graph.sqlite_store import SQLiteStore
from loaders.builtin import builtin_records
from queries._examples import graph_from_records
from queries.report import annotated_network_map

#: Markup, a CDATA end, an entity and both quotes: each must stay text in XML.
HOSTILE = "<svg onload=alert(1)>]]>&amp; \"q\" 'q'"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def builtin_map():
    return annotated_network_map(graph_from_records(*builtin_records()))


def texts(svg: str) -> list[str]:
    return ["".join(e.itertext()) for e in ET.fromstring(svg.encode("utf-8")).iter(f"{SVG}text")]


def test_svg_is_well_formed_16_9_with_chinese_title_date_source(builtin_map):
    svg = map_svg(builtin_map, date="数据截至 2020-12-02", source="来源：国科办区〔2020〕105号")
    root = ET.fromstring(svg.encode("utf-8"))
    assert (root.get("width"), root.get("height")) == ("1600", "900")
    shown = texts(svg)
    assert shown[0] == "海南开放创新合作网络"
    assert any("数据截至 2020-12-02" in s for s in shown) and "来源：国科办区〔2020〕105号" in shown
    # The same label budget as the page: every labelled node's label, and no other node's.
    labels = {n["label"] for n in builtin_map.data["nodes"] if n["labelled"]}
    assert labels <= set(shown)
    assert not {n["fullLabel"] for n in builtin_map.data["nodes"] if not n["labelled"]} & set(shown)
    assert "海南省·旅游业" in shown
    assert not list(root.iter(f"{SVG}script")) and "onload" not in svg and "href" not in svg


def test_hostile_names_stay_text_in_svg():
    G = small_mechanism_graph()
    G.nodes["unit:haikou"]["name_zh"] = HOSTILE
    m = network_map(G, highlight={"未覆盖需求": ["need:haikou:tourism"]}, label_budget=20, title=HOSTILE)
    svg = map_svg(m, source=HOSTILE, date=HOSTILE)
    root = ET.fromstring(svg.encode("utf-8"))
    assert [e.tag for e in root.iter() if e.tag.endswith("svg")] == [f"{SVG}svg"]
    shown = texts(svg)
    assert shown.count(HOSTILE) >= 2 and any(HOSTILE[:12] in s for s in shown if s != HOSTILE)
    assert "<svg onload" not in svg and "]]>" not in svg


def test_png_is_at_least_1600_wide_and_pdf_keeps_chinese(tmp_path, builtin_map):
    png = map_image(builtin_map, tmp_path / "map.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png.read_bytes()[16:20], "big")
    height = int.from_bytes(png.read_bytes()[20:24], "big")
    assert width >= 1600 and abs(width / height - 16 / 9) < 0.01
    pdf = map_image(builtin_map, tmp_path / "map.pdf", source="来源：国科办区〔2020〕105号")
    if shutil.which("pdffonts") is None:
        missing("poppler-utils is not installed")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts and all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "海南开放创新合作网络" in words and "国科办区" in words


def test_unknown_format_is_one_clear_error(tmp_path, builtin_map):
    with pytest.raises(HainetError, match="unknown image format 'gif'"):
        map_image(builtin_map, tmp_path / "map.gif")


def test_map_command_writes_each_format(tmp_path):
    store = tmp_path / "g.sqlite"
    with SQLiteStore(store) as s:
        s.write(*builtin_records())
    for fmt in ("svg", "png", "pdf", "html"):
        out = tmp_path / f"map.{fmt}"
        result = CliRunner().invoke(cli, ["--store", str(store), "map", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 10_000
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    # The date is the last day the data speaks of (the reported layer runs to 2025), not the document's.
    assert "国科办区〔2020〕105号" in svg and "数据截至 2025-" in svg
    result = CliRunner().invoke(cli, ["--store", str(store), "map", "--format", "png"])
    assert result.exit_code == 1 and "binary" in result.output


def test_map_command_evidence_switch_draws_the_document_alone(tmp_path):
    store = tmp_path / "g.sqlite"
    with SQLiteStore(store) as s:
        s.write(*builtin_records())
    out = tmp_path / "stated.svg"
    result = CliRunner().invoke(cli, ["--store", str(store), "map", "--evidence", "stated", "-o", str(out)])
    assert result.exit_code == 0, result.output
    shown = texts(out.read_text(encoding="utf-8"))
    assert shown[0] == "海南开放创新合作网络（仅文件原文）"
    assert "海南省·旅游业" in shown and "海南省·现代服务业" in shown
    everything = tmp_path / "all.svg"
    CliRunner().invoke(cli, ["--store", str(store), "map", "-o", str(everything)])
    assert len(texts(everything.read_text(encoding="utf-8"))) > len(shown)
