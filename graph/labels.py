"""The one table of Chinese and English labels for headers and coded values.

Every view (command line, map, report, charts, slides, notebooks) names
columns and coded values through :func:`label`, so that a code has one
Chinese and one English label wherever it is shown.  DataFrames keep the
machine codes (``covered-via-subfield``, ``DemandUnit``, ``stated``);
:func:`localized_frame` turns a frame into its display form for one
language: Chinese or English headers, labelled values, and one name column
per entity.

Codes are unique across the table: column names are ``snake_case``, node
kinds ``CamelCase``, relationship types ``UPPER_CASE`` and coded values
``kebab-case`` or single lower-case words, so one lookup serves them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from graph.schema import NodeKind, RelType

__all__ = [
    "CODED_COLUMNS",
    "COLUMN_WEIGHTS",
    "LABELS",
    "LANGUAGES",
    "column_weight",
    "display_columns",
    "has_label",
    "label",
    "labels_for",
    "localized_frame",
]

#: Languages of labels.
LANGUAGES = ("zh", "en")

#: Code to (Chinese, English) label.
LABELS: dict[str, tuple[str, str]] = {
    # ---- node kinds
    NodeKind.REGION.value: ("地区", "Region"),
    NodeKind.PARK.value: ("园区", "Park"),
    NodeKind.DEPARTMENT.value: ("部门", "Department"),
    NodeKind.INDUSTRY.value: ("产业", "Industry"),
    NodeKind.DEMAND_UNIT.value: ("需求单位", "Demand unit"),
    NodeKind.NEED.value: ("需求", "Need"),
    NodeKind.COOPERATION.value: ("合作", "Cooperation"),
    NodeKind.MECHANISM.value: ("机制", "Mechanism"),
    NodeKind.SOURCE.value: ("文件", "Source document"),
    # ---- relationship types
    RelType.LOCATED_IN.value: ("位于", "located in"),
    RelType.PART_OF.value: ("隶属于", "part of"),
    RelType.SPECIALISES_IN.value: ("擅长", "specialises in"),
    RelType.HANDLES.value: ("主管", "handles"),
    RelType.HAS_NEED.value: ("提出需求", "has need"),
    RelType.IN_FIELD.value: ("属于产业", "in field"),
    RelType.PARTNER_IN.value: ("参与合作", "partner in"),
    RelType.SUPPORTS.value: ("支持", "supports"),
    RelType.SERVES.value: ("服务", "serves"),
    RelType.MEMBER_OF.value: ("成员", "member of"),
    RelType.STATED_IN.value: ("载于", "stated in"),
    RelType.SUCCEEDED_BY.value: ("职能转由", "succeeded by"),
    # ---- evidence levels, strongest first
    "stated": ("原文", "stated"),
    "reported": ("公开报道", "reported"),
    "curated": ("整理", "curated"),
    "user": ("用户数据", "user data"),
    "example": ("示例", "example"),
    # ---- coverage of an industry or a need
    "uncovered": ("未覆盖", "uncovered"),
    "single-partner": ("单一伙伴", "single partner"),
    "covered": ("已覆盖", "covered"),
    "covered-via-subfield": ("仅通过子领域覆盖", "covered via sub-fields only"),
    # ---- status of a cooperation
    "planned": ("计划中", "planned"),
    "active": ("进行中", "active"),
    "completed": ("已完成", "completed"),
    "stalled": ("停滞", "stalled"),
    "ended": ("已结束", "ended"),
    # ---- what an unmatched need lacks (queries.coverage.NEED_MISSING)
    "cooperation-idle": ("可满足的合作已停滞或终止", "its cooperation is stalled or ended"),
    "subfield-only": ("仅在子领域有合作", "served in a sub-field only"),
    "related-field-only": ("仅在上级或相邻领域有合作", "served in a parent or sibling field only"),
    "other-unit": ("同领域合作未服务该单位", "the field's cooperations serve other units"),
    "no-cooperation": ("有能力伙伴但尚无合作", "able partners but no cooperation"),
    "no-partner": ("无合作也无能力伙伴", "no cooperation and no able partner"),
    # ---- why a need is unmatched (earlier codes)
    "cooperation-stalled-or-ended": ("相关合作停滞或已结束", "the cooperation is stalled or ended"),
    "no-partner-in-field": ("该领域没有合作伙伴", "no partner works in the field"),
    "partners-not-linked-to-unit": (
        "领域内有伙伴，但未对接该单位",
        "partners work in the field but not with this unit",
    ),
    # ---- policy checks
    "leading-industry-has-region": ("主导产业有地区合作伙伴", "a leading industry has a partner region"),
    "leading-industry-has-park": ("主导产业有园区合作伙伴", "a leading industry has a partner park"),
    "key-task-has-department": ("重点工作有科技部司局支持", "a key task has a MOST department behind it"),
    "pairing-has-both-sides": ("园区对口帮扶双方齐全", "a park pairing has both sides"),
    # ---- column names
    "key": ("键", "key"),
    "kind": ("类型", "kind"),
    "name_zh": ("名称", "name (Chinese)"),
    "name_en": ("英文名称", "name"),
    "industry": ("产业", "industry"),
    "industry_key": ("产业键", "industry key"),
    "industry_zh": ("产业", "industry (Chinese)"),
    "industry_en": ("产业（英文）", "industry"),
    "is_leading": ("主导产业", "leading"),
    "n_needs": ("需求数", "needs"),
    "n_cooperations": ("合作数", "cooperations"),
    "n_partners": ("伙伴数", "partners"),
    "n_active": ("进行中", "active"),
    "n_planned": ("计划中", "planned"),
    "n_stranded": ("受影响需求数", "needs stranded"),
    "n_hainan_cooperations": ("在琼合作数", "Hainan cooperations"),
    "partners": ("伙伴键", "partner keys"),
    "partners_zh": ("伙伴", "partners (Chinese)"),
    "partners_en": ("伙伴（英文）", "partners"),
    "status": ("状态", "status"),
    "via": ("经由子领域键", "via sub-fields (keys)"),
    "via_zh": ("经由子领域", "via sub-fields (Chinese)"),
    "via_en": ("经由子领域（英文）", "via sub-fields"),
    "partner": ("伙伴", "partner"),
    "partner_key": ("伙伴键", "partner key"),
    "partner_kind": ("伙伴类型", "partner kind"),
    "partner_zh": ("伙伴", "partner (Chinese)"),
    "partner_en": ("伙伴（英文）", "partner"),
    "cooperations": ("合作键", "cooperation keys"),
    "cooperations_zh": ("合作", "cooperations (Chinese)"),
    "cooperations_en": ("合作（英文）", "cooperations"),
    "actor": ("主体", "actor"),
    "actor_key": ("主体键", "actor key"),
    "actor_kind": ("类型", "kind"),
    "actor_zh": ("主体", "actor (Chinese)"),
    "actor_en": ("主体（英文）", "actor"),
    "capability": ("能力依据", "capability"),
    "tied_to_hainan": ("已与海南合作", "tied to Hainan"),
    "provenance": ("证据等级", "evidence level"),
    "section": ("章节", "section"),
    "quote": ("原文", "quote"),
    "basis": ("依据", "basis"),
    "document": ("依据文件", "document"),
    "source": ("依据文件", "document"),
    "check": ("检查项", "check"),
    "subject": ("对象", "subject"),
    "subject_key": ("对象键", "subject key"),
    "subject_zh": ("对象", "subject (Chinese)"),
    "subject_en": ("对象（英文）", "subject"),
    "passed": ("通过", "passed"),
    "evidence": ("证据", "evidence"),
    "evidence_zh": ("证据", "evidence (Chinese)"),
    "evidence_en": ("证据（英文）", "evidence"),
    "chain_zh": ("事实链", "chain of facts (Chinese)"),
    "chain_en": ("事实链（英文）", "chain of facts"),
    "degree": ("联系数", "ties"),
    "weighted_degree": ("加权联系数", "weighted ties"),
    "betweenness": ("介数中心性", "betweenness"),
    "pagerank": ("PageRank", "PageRank"),
    "community": ("社区", "community"),
    "community_size": ("社区规模", "community size"),
    "brokerage": ("中介度", "brokerage"),
    "constraint": ("结构洞约束度", "constraint (Burt)"),
    "effective_size": ("结构洞有效规模", "effective size (Burt)"),
    "coreness": ("核数", "coreness (k-core)"),
    "core": ("核心（否为边缘）", "core (else periphery)"),
    "need": ("需求", "need"),
    "need_key": ("需求键", "need key"),
    "unit": ("需求单位", "demand unit"),
    "unit_key": ("需求单位键", "demand unit key"),
    "unit_zh": ("需求单位", "demand unit (Chinese)"),
    "unit_en": ("需求单位（英文）", "demand unit"),
    "reason": ("原因", "reason"),
    "reason_zh": ("原因", "reason (Chinese)"),
    "reason_en": ("原因（英文）", "reason"),
    "reason_text": ("原因", "reason"),
    "recommended_text": ("推荐伙伴（前三）", "recommended partners (top 3)"),
    "missing": ("缺什么", "missing"),
    "closest_cooperation": ("最接近的合作键", "closest cooperation key"),
    "closest_cooperation_zh": ("最接近的合作", "closest cooperation (Chinese)"),
    "closest_cooperation_en": ("最接近的合作（英文）", "closest cooperation"),
    "stalled_cooperations": ("停滞的合作", "stalled cooperations"),
    "rank": ("名次", "rank"),
    "candidate": ("推荐伙伴", "candidate"),
    "candidate_key": ("推荐伙伴键", "candidate key"),
    "candidate_kind": ("推荐伙伴类型", "candidate kind"),
    "candidate_zh": ("推荐伙伴", "candidate (Chinese)"),
    "candidate_en": ("推荐伙伴（英文）", "candidate"),
    "score": ("得分", "score"),
    "field_partner": ("领域内伙伴", "partner in the field"),
    "unit_tie": ("与单位有联系", "tie to the unit"),
    "parks_in_field": ("领域内园区", "parks in the field"),
    "departments_in_field": ("领域内司局", "departments in the field"),
    "revival": ("可恢复的合作", "revival"),
    "finding_zh": ("发现", "finding (Chinese)"),
    "finding_en": ("发现（英文）", "finding"),
    "works_in": ("所在领域键", "works in (keys)"),
    "works_in_zh": ("所在领域", "works in (Chinese)"),
    "supporters": ("支持司局键", "supporter keys"),
    "supporters_zh": ("支持司局", "supporters (Chinese)"),
    "points_capability": ("能力得分", "points: capability"),
    "points_field_partner": ("领域伙伴得分", "points: partner in the field"),
    "points_unit_tie": ("单位联系得分", "points: tie to the unit"),
    "points_hainan_ties": ("在琼合作得分", "points: Hainan ties"),
    "points_park_in_field": ("结对园区得分", "points: paired park"),
    "points_department_in_field": ("主管司局得分", "points: handling department"),
    "points_revival": ("恢复合作得分", "points: revival"),
    "explanation_zh": ("理由", "explanation (Chinese)"),
    "explanation_en": ("理由（英文）", "explanation"),
    "mode": ("合作模式", "mode"),
    "year": ("年份", "year"),
    "unit_type": ("单位类型", "unit type"),
    "valid_from": ("起始日期", "valid from"),
    "valid_to": ("终止日期", "valid to"),
    # ---- the annual cycle: diff, monitoring and evaluation
    NodeKind.MONITORING.value: ("监测记录", "Monitoring record"),
    RelType.REPORTS_ON.value: ("监测对象", "reports on"),
    "change": ("变化", "change"),
    "added": ("新增", "added"),
    "changed": ("状态变化", "status changed"),
    "newly-covered": ("新覆盖需求", "newly covered need"),
    "newly-uncovered": ("新出现未覆盖需求", "newly uncovered need"),
    "rising": ("枢纽地位上升", "hub rising"),
    "falling": ("枢纽地位下降", "hub falling"),
    # ---- what-if and the recommendations' backtest
    "measure": ("指标", "measure"),
    "before": ("现状", "now"),
    "after": ("设想后", "with the change"),
    "removed": ("消失", "removed"),
    "up": ("上升", "up"),
    "down": ("下降", "down"),
    "unmatched": ("未覆盖", "unmatched"),
    "industry-status": ("产业覆盖状态", "industry coverage status"),
    "unmatched-count": ("未覆盖需求数", "number of unmatched needs"),
    "unmatched-need": ("未覆盖需求", "unmatched need"),
    "single-point-of-failure": ("单点依赖（受影响需求数）", "single point of failure (needs stranded)"),
    "hub-rank": ("枢纽排名", "hub rank"),
    "subject_name_en": ("对象（英文）", "subject (English)"),
    "scorer": ("评分方法", "scorer"),
    "split": ("检验方式", "split"),
    "auc": ("AUC", "AUC"),
    "precision_at_5": ("前5名命中率", "precision at 5"),
    "n_test": ("检验链接数", "test links"),
    "common_neighbours": ("共同邻居", "common neighbours"),
    "jaccard": ("Jaccard 系数", "Jaccard"),
    "adamic_adar": ("Adamic–Adar 指数", "Adamic–Adar"),
    "resource_allocation": ("资源分配指数", "resource allocation"),
    "explained": ("可解释评分", "explained score"),
    "blended": ("综合评分", "blended"),
    "random": ("随机", "random"),
    "temporal": ("按时间（2020 年底前学习）", "temporal (learn to end of 2020)"),
    "name": ("名称", "name"),
    "date": ("日期", "date"),
    "detail": ("说明", "detail"),
    "nodes": ("节点数", "nodes"),
    "relationships": ("关系数", "relationships"),
    "density": ("密度", "density"),
    "mean_degree": ("平均度", "mean degree"),
    "clustering": ("聚类系数", "clustering"),
    "path_length": ("最大连通分量平均路径长度", "mean path length (largest component)"),
    "components": ("连通分量", "components"),
    "cooperation": ("合作事项", "cooperation"),
    "cooperation_zh": ("合作事项", "cooperation (Chinese)"),
    "cooperation_en": ("合作事项（英文）", "cooperation"),
    "flag_zh": ("动态调整提示", "flag (Chinese)"),
    "flag_en": ("动态调整提示（英文）", "flag"),
    "has_record": ("有监测记录", "has record"),
    "projects": ("合作项目数", "projects"),
    "funding_wan_yuan": ("投入经费（万元）", "funding (10k yuan)"),
    "talents": ("人才交流（人次）", "talents"),
    "results_transferred": ("成果转化数", "results transferred"),
    "platforms": ("共建平台数", "platforms"),
    "c_projects": ("项目得分", "projects points"),
    "c_funding_wan_yuan": ("经费得分", "funding points"),
    "c_talents": ("人才得分", "talents points"),
    "c_results_transferred": ("成果得分", "results points"),
    "c_platforms": ("平台得分", "platforms points"),
    "fund_share": ("资金分配参考份额", "fund share (reference)"),
    "flag": ("动态调整标记", "flag"),
    "group": ("分组", "group"),
    "n_records": ("有记录合作数", "with records"),
    "n_flagged": ("需调整合作数", "flagged"),
    "total_score": ("总分", "total score"),
    "mean_score": ("平均分", "mean score"),
    "label": ("说明", "label"),
}

#: Columns whose values are codes that :func:`label` names (besides ``*_kind`` columns and booleans).
CODED_COLUMNS = frozenset(
    {
        "kind",
        "status",
        "reason",
        "missing",
        "check",
        "capability",
        "provenance",
        "evidence",
        "passed",
        "change",
        "measure",
        "before",
        "after",
        "scorer",
        "split",
    }
)

#: How much a column is worth on a narrow screen: 3 essential, 2 useful, 1 detail, 0 never in a
#: terminal table (keys, lists of keys, long quotes).  Columns not listed weigh 2; a narrow table
#: drops the lightest first.
COLUMN_WEIGHTS: dict[str, int] = {
    "industry": 3,
    "unit": 3,
    "actor": 3,
    "partner": 3,
    "subject": 3,
    "candidate": 3,
    "check": 3,
    "name": 3,
    "status": 3,
    "reason": 3,
    "passed": 3,
    "score": 3,
    "rank": 3,
    "n_partners": 3,
    "n_stranded": 3,
    "pagerank": 3,
    "evidence": 3,
    "partners": 3,
    "n_needs": 2,
    "is_leading": 2,
    "via": 2,
    "missing": 2,
    "n_cooperations": 1,
    "closest_cooperation": 1,
    "kind": 2,
    "actor_kind": 2,
    "partner_kind": 2,
    "explanation": 2,
    "degree": 2,
    "n_active": 1,
    "n_planned": 1,
    "candidate_kind": 1,
    "capability": 1,
    "tied_to_hainan": 1,
    "provenance": 1,
    "subject_name_en": 1,
    "constraint": 1,
    "effective_size": 1,
    "coreness": 1,
    "core": 2,
    "betweenness": 1,
    "community": 1,
    "weighted_degree": 1,
    "brokerage": 1,
    "cooperations": 1,
    "chain": 1,
    "stalled_cooperations": 1,
    "field_partner": 1,
    "unit_tie": 1,
    "n_hainan_cooperations": 1,
    "section": 1,
    "community_size": 0,
    "parks_in_field": 0,
    "departments_in_field": 0,
    "revival": 0,
    "quote": 0,
    "basis": 0,
    "document": 0,
    "source": 0,
}

_BOOLEANS = {True: ("是", "yes"), False: ("否", "no")}


def _check_lang(lang: str) -> int:
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}"
        raise ValueError(msg)
    return LANGUAGES.index(lang)


def has_label(code: Any) -> bool:
    """Return whether ``code`` has a label in both languages.

    Examples
    --------
    >>> has_label("covered-via-subfield"), has_label("no-such-code")
    (True, False)
    """
    if isinstance(code, bool):
        return True
    pair = LABELS.get(str(code))
    return pair is not None and all(pair)


def label(code: Any, lang: str = "zh") -> str:
    """Return the label of a column name or a coded value; text without a label comes back as it is.

    Parameters
    ----------
    code
        A column name, node kind, relationship type, evidence level,
        status, reason, check name or boolean.
    lang
        ``zh`` (default) or ``en``.

    Returns
    -------
    str
        The label.

    Raises
    ------
    ValueError
        On an unknown language.

    Examples
    --------
    >>> label("covered-via-subfield"), label("DemandUnit", "en"), label(True), label("海口市")
    ('仅通过子领域覆盖', 'Demand unit', '是', '海口市')
    """
    index = _check_lang(lang)
    if isinstance(code, bool):
        return _BOOLEANS[code][index]
    pair = LABELS.get(str(code))
    return pair[index] if pair is not None else str(code)


def _stem(column: str) -> str:
    for suffix in ("_zh", "_en", "_key"):
        if column.endswith(suffix):
            return column[: -len(suffix)]
    return column


def column_weight(column: str) -> int:
    """Return how much ``column`` is worth on a narrow screen (see :data:`COLUMN_WEIGHTS`).

    Examples
    --------
    >>> column_weight("industry_zh"), column_weight("industry_key"), column_weight("betweenness")
    (3, 0, 1)
    """
    if column.endswith("_key") or column in ("key", "partners", "cooperations"):
        return 0
    return COLUMN_WEIGHTS.get(column, COLUMN_WEIGHTS.get(_stem(column), 2))


def _coded(column: str) -> bool:
    return column in CODED_COLUMNS or column.endswith("_kind")


def _value(value: Any, lang: str) -> Any:
    if isinstance(value, bool):
        return label(value, lang)
    if isinstance(value, str):
        return label(value, lang)
    if isinstance(value, list | tuple):
        return [_value(v, lang) for v in value]
    return value


def display_columns(frame: pd.DataFrame, lang: str = "zh", *, keep_keys: bool = False) -> list[str]:
    """Return the columns of ``frame`` that a display in ``lang`` shows, in order.

    Of each ``X_zh`` / ``X_en`` pair only the column of ``lang`` stays;
    ``*_key`` columns go unless ``keep_keys``.

    Examples
    --------
    >>> f = pd.DataFrame(columns=["unit_key", "unit_zh", "unit_en", "reason"])
    >>> display_columns(f), display_columns(f, "en", keep_keys=True)
    (['unit_zh', 'reason'], ['unit_key', 'unit_en', 'reason'])
    """
    _check_lang(lang)
    other = "en" if lang == "zh" else "zh"
    chosen = []
    for column in map(str, frame.columns):
        if column.endswith("_key") and not keep_keys:
            continue
        if column.endswith(f"_{other}") and f"{column[: -len(other)]}{lang}" in frame.columns:
            continue
        chosen.append(column)
    return chosen


def localized_frame(
    frame: pd.DataFrame, lang: str = "zh", *, columns: Iterable[str] | None = None, keep_keys: bool = False
) -> pd.DataFrame:
    """Return ``frame`` for display in one language.

    Of each ``X_zh`` / ``X_en`` pair only the column of ``lang`` stays,
    filled from the other language where empty; coded values (statuses,
    kinds, reasons, checks, evidence levels, booleans) are labelled;
    headers become labels.  Keys are dropped unless ``keep_keys``.  The
    machine frame is not changed.

    Parameters
    ----------
    frame
        A query result with machine codes.
    lang
        ``zh`` (default) or ``en``.
    columns
        The machine columns to show, in order; by default
        :func:`display_columns`.
    keep_keys
        Keep the ``*_key`` columns (when ``columns`` is not given).

    Returns
    -------
    pandas.DataFrame
        The display frame; its columns are the labels.

    Raises
    ------
    ValueError
        On an unknown language.

    Examples
    --------
    >>> f = pd.DataFrame({"industry_key": ["i:t"], "industry_zh": ["旅游业"], "industry_en": ["Tourism"],
    ...                   "status": ["covered-via-subfield"], "is_leading": [True]})
    >>> localized_frame(f).to_dict("records")
    [{'产业': '旅游业', '状态': '仅通过子领域覆盖', '主导产业': '是'}]
    >>> list(localized_frame(f, "en").columns)
    ['industry', 'status', 'leading']
    """
    _check_lang(lang)
    other = "en" if lang == "zh" else "zh"
    chosen = list(columns) if columns is not None else display_columns(frame, lang, keep_keys=keep_keys)
    result = pd.DataFrame(index=frame.index)
    for name in chosen:
        values = frame[name]
        if name.endswith(f"_{lang}"):
            twin = f"{name[: -len(lang)]}{other}"
            if twin in frame.columns:
                values = values.where(values.notna() & (values.astype(str) != ""), frame[twin])
        elif _coded(name) or pd.api.types.is_bool_dtype(values):
            values = values.map(lambda v: _value(v, lang))
        result[label(name, lang)] = values.to_numpy()
    return result


def labels_for(codes: Iterable[Any], lang: str = "zh") -> list[str]:
    """Return the labels of ``codes``, in order.

    Examples
    --------
    >>> labels_for(["stated", "curated"], "zh")
    ['原文', '整理']
    """
    return [label(c, lang) for c in codes]
