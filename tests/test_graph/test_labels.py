"""The one label table: both languages for every code, one label per code."""

from __future__ import annotations

import pandas as pd
import pytest

from graph.labels import LABELS, column_weight, display_columns, has_label, label, localized_frame
from graph.schema import NodeKind, Provenance, RelType


def test_every_label_has_both_languages() -> None:
    missing = [code for code, (zh, en) in LABELS.items() if not zh or not en]
    assert missing == []


def test_schema_codes_have_labels() -> None:
    codes = [*NodeKind, *RelType, *Provenance, "reported", "example"]
    assert [str(c) for c in codes if not has_label(str(c))] == []


def test_evidence_levels_read_as_agreed() -> None:
    assert [label(level) for level in ("stated", "reported", "curated", "user", "example")] == [
        "原文",
        "公开报道",
        "整理",
        "用户数据",
        "示例",
    ]
    assert label("covered-via-subfield") == "仅通过子领域覆盖"


def test_a_single_partner_has_one_chinese_name() -> None:
    # 单一伙伴 and 仅一个伙伴 once named the same status in two views.
    chinese = [zh for zh, _ in LABELS.values()]
    assert "仅一个伙伴" not in chinese
    assert label("single-partner") == "单一伙伴"


def test_coded_values_are_not_labelled_twice() -> None:
    value_codes = [c for c in LABELS if "-" in c or c[:1].isupper()]
    zh = [LABELS[c][0] for c in value_codes]
    assert len(zh) == len(set(zh)), sorted({z for z in zh if zh.count(z) > 1})


def test_unknown_text_comes_back_unchanged_and_bad_language_is_refused() -> None:
    assert label("<b>海口</b>", "en") == "<b>海口</b>"
    with pytest.raises(ValueError, match="unknown language"):
        label("covered", "fr")


def test_localized_frame_keeps_one_name_column_and_fills_from_the_other_language() -> None:
    frame = pd.DataFrame(
        {
            "unit_key": ["u:a", "u:b"],
            "unit_zh": ["海口市", ""],
            "unit_en": ["Haikou", "Sanya"],
            "actor_kind": ["DemandUnit", "Region"],
            "passed": [True, False],
            "n_needs": [1, 2],
        }
    )
    zh = localized_frame(frame)
    assert list(zh.columns) == ["需求单位", "类型", "通过", "需求数"]
    assert zh.iloc[1].tolist() == ["Sanya", "地区", "否", 2]
    en = localized_frame(frame, "en")
    assert list(en.columns) == ["demand unit", "kind", "passed", "needs"]
    assert en.iloc[0].tolist() == ["Haikou", "Demand unit", "yes", 1]
    assert list(frame.columns) == ["unit_key", "unit_zh", "unit_en", "actor_kind", "passed", "n_needs"]


def test_display_columns_and_weights() -> None:
    frame = pd.DataFrame(columns=["need_key", "unit_zh", "unit_en", "quote", "betweenness"])
    assert display_columns(frame, "en") == ["unit_en", "quote", "betweenness"]
    assert [column_weight(c) for c in ("need_key", "unit_zh", "quote", "betweenness", "new_column")] == [0, 3, 0, 1, 2]
