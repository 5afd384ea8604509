"""Names, page texts and styles of the maps, in Chinese and English.

The tables here name node kinds, relationship types, properties and coded
values for people, and hold every sentence a map page shows.  The shapes
and colours of node kinds and highlight categories are here too, so that
the interactive map, the static images and the charts draw alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.errors import HainetError
from graph.labels import has_label, label
from graph.schema import NodeKind, RelType

__all__ = ["HIGHLIGHT_COLOURS", "KIND_STYLES", "LANGUAGES"]

#: Languages of labels and page text.
LANGUAGES = ("zh", "en")

#: Shape and colour of each node kind, as vis-network shape names and CSS colours.
KIND_STYLES: dict[str, tuple[str, str]] = {
    NodeKind.REGION.value: ("dot", "#1f77b4"),
    NodeKind.PARK.value: ("square", "#17becf"),
    NodeKind.DEPARTMENT.value: ("triangle", "#9467bd"),
    NodeKind.INDUSTRY.value: ("star", "#ff7f0e"),
    NodeKind.DEMAND_UNIT.value: ("diamond", "#2ca02c"),
    NodeKind.NEED.value: ("triangleDown", "#8c564b"),
    NodeKind.COOPERATION.value: ("hexagon", "#e377c2"),
    NodeKind.MECHANISM.value: ("star", "#393b79"),
    NodeKind.SOURCE.value: ("square", "#7f7f7f"),
}

#: Colours of highlight categories, in the order the categories are given.
HIGHLIGHT_COLOURS = ("#d62728", "#ff00aa", "#6a3d9a", "#b15928")


# Kinds, relationships, properties and coded values are named by the one label table
# (graph.labels), so the map says what the command line, the report and the slides say.
_KIND_NAMES = {lang: {k.value: label(k.value, lang) for k in NodeKind} for lang in LANGUAGES}
_REL_NAMES = {lang: {t.value: label(t.value, lang) for t in RelType} for lang in LANGUAGES}
_PROPS = (
    "status",
    "mode",
    "year",
    "unit_type",
    "is_leading",
    "provenance",
    "section",
    "quote",
    "basis",
    "document",
    "valid_from",
    "valid_to",
)
_PROP_NAMES = {lang: {p: label(p, lang) for p in _PROPS if has_label(p)} for lang in LANGUAGES}
_CODES = (
    "planned",
    "active",
    "completed",
    "stalled",
    "ended",
    "stated",
    "reported",
    "curated",
    "user",
    "example",
    "covered",
    "uncovered",
    "single-partner",
    "covered-via-subfield",
)
_VALUE_NAMES: dict[str, dict[Any, str]] = {
    lang: {**{c: label(c, lang) for c in _CODES if has_label(c)}, True: label(True, lang), False: label(False, lang)}
    for lang in LANGUAGES
}

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "html_lang": "zh-CN",
        "title": "海南开放创新合作网络",
        "nodes": "个节点",
        "edges": "条关系",
        "search": "按名称查找（中文或英文）",
        "find": "查找",
        "fit": "全图",
        "industry": "产业",
        "all_industries": "全部产业",
        "flagged_only": "只看标记的节点",
        "shown": "显示 {shown} / {total} 个节点",
        "found": "找到 {n} 个",
        "none": "未找到",
        "kinds": "类型",
        "size_by": "节点大小",
        "edges_stated": "文件所载的关系",
        "edges_curated": "整理或用户补充的关系",
        "aggregate_member": "聚合节点（虚线边框）",
        "provenance": "出处",
        "analysis": "分析",
        "flags": "标记",
        "members": "包含",
        "more": "等共 {n} 个",
        "view_industry": "产业视图：{name}",
        "view_focus": "焦点：{name}（{radius} 步之内）",
        "view_keys": "查询结果的子图",
        "aggregated": "图中共有 {total} 个节点，超过 {limit} 的上限，已聚合为 {shown} 个节点：{steps}。",
        "step_need": "需求并入其需求单位",
        "step_unit": "需求单位并入所在地区",
        "step_cooperation": "合作按产业和状态合并",
        "step_park": "园区并入所在地区",
        "group_units": "{place}的需求单位",
        "group_units_other": "其他需求单位",
        "group_cooperations": "{industry}合作（{status}）",
        "group_parks": "{place}的园区",
        "group_other": "其他",
        "highlighted": "突出显示",
        "count": "{label}：{n}",
        "relationships": "{n} 条关系",
        "measure_degree": "度",
        "measure_pagerank": "PageRank",
        "measure_betweenness": "介数中心性",
        "colour_by_industry": "颜色 = 产业",
        "relationships_heading": "关系",
        "hint": "点击节点看详情；方向键或 PageDown 逐条查看未覆盖需求；Esc 返回。",
        "col_partner": "合作伙伴（地区、园区、科技部司局）",
        "col_cooperation": "合作",
        "col_unit": "海南需求单位",
        "col_need": "未覆盖需求",
        "view_meeting_note": "未覆盖需求画在其单位旁；已覆盖的需求和产业节点不画，产业以颜色表示",
        "view_geo_note": "按所在地的大致经纬度摆放（海南单位放大 {m:g} 倍）；未画行政边界",
        "evidence_switch": "证据",
        "evidence_stated": "仅文件原文",
        "evidence_curated": "原文和整理",
        "evidence_all": "全部",
        "neighbours_only": "只看邻居",
        "show_all": "显示全部",
        "present": "演示",
        "close": "关闭",
        "panel_evidence": "证据",
        "panel_section": "章节",
        "panel_quote": "原文",
        "panel_basis": "整理依据",
        "panel_needs": "需求",
        "panel_partners": "合作伙伴",
        "panel_cooperations": "合作",
        "panel_units": "海南单位",
        "panel_fields": "领域",
        "panel_status": "状态",
        "panel_reason": "原因",
        "panel_closest": "最接近的合作",
        "panel_recommended": "推荐伙伴",
        "panel_conclusion": "结论所依据的证据",
        "covered": "已覆盖",
        "not_covered": "未覆盖",
        "step_of": "第 {i} / {n} 项",
        "no_unmatched": "没有未覆盖的需求",
        "matches": "匹配 {n} 个：",
        "other_industries": "其他产业",
        "no_industry": "无产业",
    },
    "en": {
        "html_lang": "en",
        "title": "Hainan open innovation cooperation network",
        "nodes": "nodes",
        "edges": "relationships",
        "search": "Find by name (Chinese or English)",
        "find": "Find",
        "fit": "Fit",
        "industry": "Industry",
        "all_industries": "All industries",
        "flagged_only": "Flagged nodes only",
        "shown": "showing {shown} of {total} nodes",
        "found": "{n} found",
        "none": "nothing found",
        "kinds": "Kinds",
        "size_by": "Node size",
        "edges_stated": "relationship stated in the document",
        "edges_curated": "curated or user relationship",
        "aggregate_member": "aggregate node (dashed border)",
        "provenance": "Provenance",
        "analysis": "Analysis",
        "flags": "Flags",
        "members": "Holds",
        "more": "{n} in all",
        "view_industry": "Industry view: {name}",
        "view_focus": "Focus: {name} (within {radius} steps)",
        "view_keys": "Subgraph of a query result",
        "aggregated": "The graph has {total} nodes, over the limit of {limit}; "
        "it is aggregated into {shown} nodes: {steps}.",
        "step_need": "needs merged into their demand units",
        "step_unit": "demand units merged into their regions",
        "step_cooperation": "cooperations merged by industry and status",
        "step_park": "parks merged into their regions",
        "group_units": "Demand units in {place}",
        "group_units_other": "Other demand units",
        "group_cooperations": "{industry} cooperations ({status})",
        "group_parks": "Parks in {place}",
        "group_other": "other",
        "highlighted": "highlighted",
        "count": "{label}: {n}",
        "relationships": "{n} relationships",
        "measure_degree": "degree",
        "measure_pagerank": "PageRank",
        "measure_betweenness": "betweenness",
        "colour_by_industry": "Colour = industry",
        "relationships_heading": "Relationships",
        "hint": "Click a node for details; arrow keys or PageDown step through unmatched needs; Esc goes back.",
        "col_partner": "Partners (regions, parks, MOST departments)",
        "col_cooperation": "Cooperations",
        "col_unit": "Hainan demand units",
        "col_need": "Unmatched needs",
        "view_meeting_note": "unmatched needs beside their unit; covered needs and industry nodes not drawn, "
        "industries shown as colour",
        "view_geo_note": "placed at the approximate longitude and latitude of their seat (Hainan magnified "
        "{m:g} times); no borders drawn",
        "evidence_switch": "Evidence",
        "evidence_stated": "document only",
        "evidence_curated": "document and curated",
        "evidence_all": "all",
        "neighbours_only": "Neighbours only",
        "show_all": "Show all",
        "present": "Present",
        "close": "Close",
        "panel_evidence": "Evidence",
        "panel_section": "Section",
        "panel_quote": "Quote",
        "panel_basis": "Curated basis",
        "panel_needs": "Needs",
        "panel_partners": "Partners",
        "panel_cooperations": "Cooperations",
        "panel_units": "Hainan units",
        "panel_fields": "Fields",
        "panel_status": "Status",
        "panel_reason": "Reason",
        "panel_closest": "Closest cooperation",
        "panel_recommended": "Recommended partners",
        "panel_conclusion": "Evidence of the conclusion",
        "covered": "covered",
        "not_covered": "not covered",
        "step_of": "{i} of {n}",
        "no_unmatched": "no unmatched needs",
        "matches": "{n} matches:",
        "other_industries": "other industries",
        "no_industry": "no industry",
    },
}


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}"
        raise HainetError(msg)


def _name(attrs: Mapping[str, Any], lang: str) -> str:
    first, second = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    return str(attrs.get(first) or attrs.get(second) or attrs.get("key") or "")
