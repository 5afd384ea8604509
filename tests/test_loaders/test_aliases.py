import pytest

from loaders.names import AliasTable, builtin_aliases, folded_name, slug_from_names


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("海口 高新区", "海口高新区"),
        ("海口　高新区", "海口高新区"),  # ideographic space
        ("\u200b海口高新区\ufeff", "海口高新区"),  # zero-width space, stray byte-order mark
        ("（海口）高新区", "(海口)高新区"),  # full-width parentheses
        ("ＨＡＩＫＯＵ", "haikou"),
        ("Haikou\tHi-tech\nZone", "haikouhi-techzone"),
    ],
)
def test_folded_names_match_the_plain_spelling(typed, stored):
    assert folded_name(typed) == folded_name(stored)


def test_folding_keeps_different_names_apart():
    assert folded_name("海口高新区") != folded_name("海口综合保税区")
    assert folded_name("三亚") != folded_name("三亚市")


def test_slug_comes_from_the_english_name():
    assert slug_from_names("Shanghai Zhangjiang National High-tech Zone", "上海张江") == (
        "shanghai-zhangjiang-national-high-tech-zone"
    )
    assert slug_from_names("  S&T  parks ", "") == "s-t-parks"


def test_slug_without_ascii_is_a_stable_hash_of_the_folded_chinese_name():
    first = slug_from_names("", "海口 高新区")
    assert first == slug_from_names("——", "海口高新区")
    assert first.startswith("h") and len(first) == 11
    assert first != slug_from_names("", "三亚崖州湾科技城")


def test_aliases_are_symmetric_and_transitive_whatever_the_order():
    pairs = [("琼", "海南"), ("海南", "海南省"), ("Hainan", "海南省")]
    for order in (pairs, pairs[::-1]):
        table = AliasTable(order)
        assert table.equivalents("琼") == table.equivalents("HAINAN") == {"琼", "海南", "海南省", "hainan"}
    assert AliasTable(pairs).equivalents("三亚") == {"三亚"}


def test_alias_groups_are_listed_once_each():
    table = AliasTable([("a", "b"), ("c", "d"), ("b", "e")])
    assert sorted(sorted(g) for g in table.groups()) == [["a", "b", "e"], ["c", "d"]]


def test_copy_does_not_change_the_original():
    base = AliasTable([("琼", "海南")])
    extended = base.copy()
    extended.add("海南岛", "海南")
    assert "海南岛" in extended.equivalents("琼")
    assert "海南岛" not in base.equivalents("琼")


def test_builtin_aliases_know_the_usual_short_names():
    table = builtin_aliases()
    assert "海南省" in table.equivalents("琼")
    assert "海口国家高新技术产业开发区" in table.equivalents("海口高新区")
