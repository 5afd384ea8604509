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


_KIND_NAMES = {
    "zh": {
        "Region": "地区",
        "Park": "园区",
        "Department": "部门",
        "Industry": "产业",
        "DemandUnit": "需求单位",
        "Need": "需求",
        "Cooperation": "合作",
        "Mechanism": "机制",
        "Source": "文件",
    },
    "en": {
        "Region": "Region",
        "Park": "Park",
        "Department": "Department",
        "Industry": "Industry",
        "DemandUnit": "Demand unit",
        "Need": "Need",
        "Cooperation": "Cooperation",
        "Mechanism": "Mechanism",
        "Source": "Source",
    },
}

_REL_NAMES = {
    "zh": {
        "LOCATED_IN": "位于",
        "PART_OF": "隶属于",
        "SPECIALISES_IN": "擅长",
        "HANDLES": "主管",
        "HAS_NEED": "提出需求",
        "IN_FIELD": "属于产业",
        "PARTNER_IN": "参与合作",
        "SUPPORTS": "支持",
        "SERVES": "服务",
        "MEMBER_OF": "成员",
        "STATED_IN": "载于",
    },
    "en": {t.value: t.value.replace("_", " ").lower() for t in RelType},
}

_PROP_NAMES = {
    "zh": {
        "status": "状态",
        "mode": "合作模式",
        "year": "年份",
        "unit_type": "单位类型",
        "is_leading": "主导产业",
        "provenance": "出处类型",
        "section": "章节",
        "quote": "原文",
        "basis": "依据",
        "document": "依据文件",
    },
    "en": {"unit_type": "unit type", "is_leading": "leading industry"},
}

_VALUE_NAMES: dict[str, dict[Any, str]] = {
    "zh": {
        "planned": "计划中",
        "active": "进行中",
        "stalled": "停滞",
        "ended": "已结束",
        "stated": "文件原文",
        "curated": "整理补充",
        "user": "用户数据",
        True: "是",
        False: "否",
    },
    "en": {True: "yes", False: "no"},
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
    },
}



def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}"
        raise HainetError(msg)


def _name(attrs: Mapping[str, Any], lang: str) -> str:
    first, second = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    return str(attrs.get(first) or attrs.get(second) or attrs.get("key") or "")
