"""CSV encodings: UTF-8 (with or without BOM), GBK and GB18030 load alike; anything else is refused, never garbled."""

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import ValidationError
from graph.sqlite_store import SQLiteStore
from graph.store import graph_from_store
from loaders.spreadsheets import load_paths, records_from_paths

TEXT = (
    "key,name_zh,name_en,region_type,provenance,basis\r\n"
    "region:hainan,海南省（琼）,Hainan,province,curated,“海南自由贸易港”——国科办区〔2020〕105号\r\n"
    "region:sanya,三亚市·崖州湾,Sanya,city,curated,热带特色农业、南繁育种；深远海\r\n"
    ",儋州市,Danzhou,city,,\r\n"
)


def encoded(text, encoding):
    if encoding == "utf-8-bom":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    return text.encode(encoding)


def loaded_graph(tmp_path, data, name="regions.csv"):
    folder = tmp_path / f"in-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (folder / name).write_bytes(data)
    with SQLiteStore(folder / "g.sqlite") as store:
        load_paths(store, [folder / name])
        return graph_from_store(store)


def graph_data(G):
    return sorted(G.nodes(data=True)), sorted(G.edges(keys=True, data=True))


def test_the_four_encodings_give_identical_graphs(tmp_path):
    graphs = [loaded_graph(tmp_path, encoded(TEXT, e)) for e in ("utf-8", "utf-8-bom", "gbk", "gb18030")]
    first = graph_data(graphs[0])
    assert graphs[0].nodes["region:hainan"]["name_zh"] == "海南省（琼）"
    assert graphs[0].nodes["region:sanya"]["basis"] == "热带特色农业、南繁育种；深远海"
    assert len(first[0]) == 3
    for G in graphs[1:]:
        assert graph_data(G) == first


def test_a_two_line_gbk_file_is_read_as_gbk(tmp_path):
    G = loaded_graph(tmp_path, "name_zh,name_en\n三亚,Sanya\n".encode("gbk"))
    assert [attrs["name_zh"] for _, attrs in G.nodes(data=True)] == ["三亚"]


@pytest.mark.parametrize("name", ["一", "一路", "模", "南"])
def test_gbk_bytes_that_are_also_valid_utf8_are_read_as_gbk(tmp_path, name):
    data = f"name_zh,name_en\n{name},Somewhere\n".encode("gbk")
    if name != "南":
        data.decode("utf-8")  # the bytes read as UTF-8 too, into stray characters
    G = loaded_graph(tmp_path, data)
    assert [attrs["name_zh"] for _, attrs in G.nodes(data=True)] == [name]


@pytest.mark.parametrize("name", ["Zürich", "约翰·史密斯", "25°C", "Ça", "São Paulo"])
def test_utf8_with_latin_letters_stays_utf8(tmp_path, name):
    G = loaded_graph(tmp_path, f"name_zh,name_en\n{name},Somewhere\n".encode())
    assert [attrs["name_zh"] for _, attrs in G.nodes(data=True)] == [name]


def test_gb18030_beyond_gbk(tmp_path):
    text = "name_zh,name_en,provenance,basis\n三亚市,Sanya,curated,价格以€计，海南自由贸易港建设总体方案\n"
    G = loaded_graph(tmp_path, text.encode("gb18030"))
    assert G.nodes["region:sanya"]["basis"] == "价格以€计，海南自由贸易港建设总体方案"


@pytest.mark.parametrize(
    "data, says",
    [
        ("name_zh,name_en\n三亚市,Sanya\n".encode("utf-16-le"), "NUL bytes"),
        ("name_zh,name_en\n三亚市,Sanya\n".encode("utf-16"), "UTF-16"),
        ("name_zh,name_en\n三亚市,Sanya\n".encode("utf-32"), "UTF-32"),
        ("name_zh,name_en\n東京都港区,テスト株式会社\n".encode("shift_jis"), "neither UTF-8 nor GBK"),
        ("name_zh,name_en\n臺灣新竹科學園區,Hsinchu\n".encode("big5"), "neither UTF-8 nor GBK"),
        ("name_zh,name_en\nCafé Zürich,Ça va\n".encode("latin-1"), "neither UTF-8 nor GBK"),
        (bytes(range(256)) * 4, "neither UTF-8 nor GBK"),
    ],
    ids=["utf-16-no-bom", "utf-16-bom", "utf-32", "shift-jis", "big5", "latin-1", "binary"],
)
def test_other_encodings_are_refused_naming_the_file(tmp_path, data, says):
    path = tmp_path / "regions.csv"
    path.write_bytes(data)
    with SQLiteStore(tmp_path / "g.sqlite") as store, pytest.raises(ValidationError) as caught:
        load_paths(store, [path])
    [problem] = caught.value.problems
    assert problem.file == str(path)
    assert says in problem.reason and "save it as CSV UTF-8" in problem.reason
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        assert store.counts().total_nodes == 0


GB2312_HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(lambda c: _encodable(c, "gb2312"))


def _encodable(char, encoding):
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(names=st.lists(st.text(GB2312_HANZI, min_size=1, max_size=6), min_size=1, max_size=3, unique=True))
def test_any_short_gbk_file_reads_exactly_as_utf8_does(tmp_path_factory, names):
    rows = "".join(f"region:r{i},{name},Region {i}\n" for i, name in enumerate(names))
    text = "key,name_zh,name_en\n" + rows
    tmp = tmp_path_factory.mktemp("gbk")
    read = []
    for encoding in ("gbk", "utf-8"):
        path = tmp / encoding / "regions.csv"
        path.parent.mkdir()
        path.write_bytes(text.encode(encoding))
        nodes, _ = records_from_paths([path])
        read.append([(n.key, n.name_zh, n.props) for n in nodes])
    assert read[0] == read[1]
    assert [name for _, name, _ in read[0]] == names
