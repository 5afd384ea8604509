"""The planners' spreadsheet templates: one table per kind of entity or relationship.

Each :class:`Template` is one CSV file or one workbook sheet.  Its
:class:`Column` list says what every column holds, and is the only place
that does: the loader, the exporter, the template files, the README sheet
and ``docs/spreadsheets.md`` are all made from it.

Entity tables (``regions``, ``parks`` ... ``cooperations``) hold one entity
per row; a column that names another entity (``region``, ``unit``,
``industry`` ...) makes a relationship that shares the row's provenance.
Relationship tables (``cooperation_parties``, ``cooperation_fields``,
``specialisations``, ``links``) hold one relationship per row with its own
provenance, and ``aliases`` says which other names mean the same entity.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import HainetError
from graph.export import safe_cell
from graph.schema import (
    COOPERATION_MODES,
    COOPERATION_STATUSES,
    DEMAND_UNIT_TYPES,
    FIRST_MONITORING_YEAR,
    NodeKind,
    Provenance,
    RelType,
)

__all__ = [
    "EXCEL_ERRORS",
    "FACT_FIELDS",
    "README_SHEET",
    "TEMPLATES",
    "USER_OVERRIDES",
    "WORKBOOK_NAME",
    "Column",
    "EdgeRule",
    "Template",
    "cell_text",
    "columns_markdown",
    "template_named",
    "write_csv_folder",
    "write_template_files",
    "write_workbook",
]

#: Property of a stated or reported fact that holds the values a planner gave with ``--override`` (JSON text).
USER_OVERRIDES = "user_overrides"

#: File name of the workbook that ``hainet template`` writes.
WORKBOOK_NAME = "hainet-template.xlsx"

#: Name of the workbook sheet that explains every column; loaders skip it.
README_SHEET = "README"

#: What a spreadsheet shows instead of a value when a formula fails.
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)

TEXT = "text"
KEY = "key"
CODE = "code"
INTEGER = "integer"
BOOLEAN = "boolean"
CHOICE = "choice"
REFERENCE = "reference"
LIST = "list"
DATE = "date"
NUMBER = "number"
YEAR = "year"


@dataclass(frozen=True)
class Column:
    """One column of a template.

    Attributes
    ----------
    name
        The header, also the property name for plain values.
    type
        ``text`` (kept as typed), ``key`` (``<prefix>:<slug>``, no spaces),
        ``code`` (text that must stay text, such as a region code
        with leading zeros), ``integer``, ``number`` (decimals allowed),
        ``year`` (a whole year from the mechanism's, 2020, to this one),
        ``boolean``, ``date`` (kept as
        ``YYYY-MM-DD`` text), ``list`` (values separated by ``;``), ``choice``
        (one of ``choices``) or ``reference`` (the key or a name of an entity
        of a kind in ``refers_to``).
    doc, label_zh
        What the column holds, in English, and its Chinese label.
    required
        Whether every row needs a value.
    pattern
        For codes, the regular expression a code matches in full.
    multiline
        Whether the text may hold line breaks and tabs.
    minimum
        For numbers, the smallest value allowed.
    relationship, incoming
        For a reference in an entity table, the relationship it makes:
        from the row's entity to the named one, or the other way round when
        ``incoming``.
    aliases
        Other headers accepted for this column, such as an older name.
    """

    name: str
    type: str
    doc: str
    label_zh: str
    required: bool = False
    choices: tuple[str, ...] = ()
    refers_to: tuple[NodeKind, ...] = ()
    pattern: str | None = None
    multiline: bool = False
    minimum: float | None = None
    relationship: RelType | None = None
    incoming: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def type_text(self) -> str:
        """Return the type as the README shows it, e.g. ``reference to Park``."""
        if self.type == CHOICE:
            return "one of " + ", ".join(self.choices)
        if self.type == REFERENCE:
            return "reference to " + " | ".join(k.value for k in self.refers_to)
        if self.type == CODE and self.pattern:
            return f"code (text, {self.pattern})"
        if self.type == LIST:
            return "list (separated by ;)"
        if self.type == DATE:
            return "date (YYYY-MM-DD)"
        if self.type == YEAR:
            return f"year ({FIRST_MONITORING_YEAR} to this year)"
        if self.minimum is not None:
            return f"{self.type} (at least {self.minimum:g})"
        return self.type


@dataclass(frozen=True)
class EdgeRule:
    """How a row of a relationship table becomes a relationship: ``source -[type]-> target`` columns."""

    type: RelType
    source: str
    target: str


@dataclass(frozen=True)
class Template:
    """One table: its name (the CSV file stem and sheet name), columns and one example row.

    An entity table has ``kind``; a relationship table has ``rules``, picked
    by the value of the ``selector`` column (or the one rule under ``""``
    when there is no selector); the ``aliases`` table has neither.
    """

    name: str
    doc: str
    columns: tuple[Column, ...]
    example: Mapping[str, Any]
    kind: NodeKind | None = None
    selector: str | None = None
    rules: Mapping[str, EdgeRule] = field(default_factory=dict)

    @property
    def headers(self) -> list[str]:
        """Return the column names, in order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """Return the column called ``name``, or that accepts ``name`` as an alias."""
        for c in self.columns:
            if c.name == name or name in c.aliases:
                return c
        msg = f"the {self.name} template has no column {name!r}"
        raise KeyError(msg)

    def rule_for(self, value: str | None) -> EdgeRule | None:
        """Return the rule for a row whose selector column holds ``value``."""
        return self.rules.get(value or "")


# When a fact held: a date (YYYY-MM-DD) or a year; an end names its own source and basis.
_TIME: tuple[Column, ...] = (
    Column(
        "valid_from", TEXT, "The date (YYYY-MM-DD) or year from which the fact holds; empty means always.", "起始日期"
    ),
    Column("valid_to", TEXT, "The date (YYYY-MM-DD) or year up to which the fact held; empty means still.", "终止日期"),
    Column("valid_to_document", TEXT, "Where the end of the fact was reported: the address of its source.", "终止出处"),
    Column("valid_to_basis", TEXT, "One line saying why the fact ended.", "终止依据", multiline=True),
)


def _provenance_columns() -> tuple[Column, ...]:
    return (
        Column(
            "provenance",
            CHOICE,
            "Where the fact comes from: stated (quoted from the 2020 mechanism), reported (public development "
            "after 2020), curated (added by hainet with a basis), user (your own) or example (fictional demo "
            "data); empty means user.",
            "来源类型",
            choices=tuple(p.value for p in Provenance),
        ),
        Column("section", TEXT, "For stated facts: the section of the mechanism, e.g. 二(四).", "条款"),
        Column("quote", TEXT, "For stated facts: the words of the mechanism, verbatim.", "原文", multiline=True),
        Column("basis", TEXT, "For curated facts: one line saying why the fact holds.", "依据", multiline=True),
        Column(
            "document",
            TEXT,
            "Where the fact was recorded; empty means the name of this file. The header source is accepted too.",
            "出处",
            aliases=("source",),
        ),
        Column(
            USER_OVERRIDES,
            TEXT,
            "Written by hainet: the values a planner loaded with --override over a "
            "stated or reported fact, as JSON, kept beside the fact's own; leave it as it is.",
            "用户覆盖值",
        ),
        *_TIME,
    )


def _key(kind: NodeKind) -> Column:
    return Column(
        "key",
        KEY,
        f"Stable identifier, {kind.prefix}:<slug>. Leave empty for a new entity: an entity already known by "
        f"this name keeps its key, otherwise one is made from name_en.",
        "标识",
    )


_NAMES = (
    Column("name_zh", TEXT, "Chinese name, as it should be shown.", "中文名称", required=True),
    Column("name_en", TEXT, "English name, as it should be shown.", "英文名称", required=True),
)

_ACTOR_KINDS = (NodeKind.REGION, NodeKind.PARK, NodeKind.DEPARTMENT, NodeKind.DEMAND_UNIT)
_PROVENANCE = _provenance_columns()

#: Properties every fact may carry in any table: its provenance, the planner's overrides, and when it held.
FACT_FIELDS = tuple(c.name for c in _PROVENANCE)
_USER = {"provenance": "user"}

# The example rows make a small world of their own, apart from the built-in
# dataset: loading the untouched templates neither needs nor changes its entities.
_REGION = "重庆市"
_PARK = "重庆高新技术产业开发区"
_DEPARTMENT = "重庆市科学技术局"
_INDUSTRY = "数字经济"
_UNIT = "三沙市"
_COOPERATION = "渝琼数字经济科技合作"
_MECHANISM = "渝琼科技合作联席会议"


def _ref(name: str, kinds: Sequence[NodeKind], doc: str, label_zh: str, **kw: Any) -> Column:
    return Column(name, REFERENCE, doc, label_zh, refers_to=tuple(kinds), **kw)


def _usual(doc: str, values: Sequence[str]) -> str:
    return f"{doc} Usually one of: {', '.join(values)}."


TEMPLATES: tuple[Template, ...] = (
    Template(
        "regions",
        "Provinces, municipalities, cities and clusters of regions: Hainan's partners, and Hainan itself.",
        (
            _key(NodeKind.REGION),
            *_NAMES,
            Column(
                "region_type",
                TEXT,
                _usual("What kind of region it is.", ("province", "municipality", "city", "cluster")),
                "地区类型",
            ),
            Column(
                "code",
                CODE,
                "Administrative division code (GB/T 2260): six digits, kept as text.",
                "行政区划代码",
                pattern=r"[0-9]{6}",
            ),
            _ref(
                "parent_region",
                (NodeKind.REGION,),
                "The region this one is part of (PART_OF), e.g. 广东省 for 深圳市.",
                "所属地区",
                relationship=RelType.PART_OF,
            ),
            *_PROVENANCE,
        ),
        {"name_zh": _REGION, "name_en": "Chongqing", "region_type": "municipality", "code": "500000", **_USER},
        kind=NodeKind.REGION,
    ),
    Template(
        "parks",
        "Partner-side parks and zones outside Hainan (Hainan's own parks are demand units).",
        (
            _key(NodeKind.PARK),
            *_NAMES,
            Column(
                "park_type",
                TEXT,
                _usual(
                    "What kind of park it is.",
                    (
                        "high-tech-zone",
                        "independent-innovation-demonstration-zone",
                        "tech-transfer-demonstration-zone",
                        "agricultural-park",
                        "bio-city",
                    ),
                ),
                "园区类型",
            ),
            _ref(
                "region",
                (NodeKind.REGION,),
                "The region the park lies in (LOCATED_IN).",
                "所在地区",
                relationship=RelType.LOCATED_IN,
            ),
            *_PROVENANCE,
        ),
        {
            "name_zh": _PARK,
            "name_en": "Chongqing High-tech Industrial Development Zone",
            "park_type": "high-tech-zone",
            "region": _REGION,
            **_USER,
        },
        kind=NodeKind.PARK,
    ),
    Template(
        "departments",
        "Government bodies: MOST, its departments and institutions, provincial governments and their departments.",
        (
            _key(NodeKind.DEPARTMENT),
            *_NAMES,
            Column("level", TEXT, _usual("The level of government.", ("national", "provincial")), "层级"),
            Column(
                "dept_type",
                TEXT,
                _usual(
                    "What kind of body it is.",
                    (
                        "ministry",
                        "ministry-department",
                        "general-office",
                        "affiliated-institutions",
                        "provincial-government",
                        "provincial-department",
                    ),
                ),
                "部门类型",
            ),
            _ref(
                "parent_department",
                (NodeKind.DEPARTMENT,),
                "The body this one is part of (PART_OF).",
                "上级部门",
                relationship=RelType.PART_OF,
            ),
            *_PROVENANCE,
        ),
        {
            "name_zh": _DEPARTMENT,
            "name_en": "Chongqing Municipal Science and Technology Bureau",
            "level": "provincial",
            "dept_type": "provincial-department",
            **_USER,
        },
        kind=NodeKind.DEPARTMENT,
    ),
    Template(
        "industries",
        "Industries and fields that needs, cooperations and strengths are about.",
        (
            _key(NodeKind.INDUSTRY),
            *_NAMES,
            Column(
                "is_leading",
                BOOLEAN,
                "TRUE for Hainan's three leading industries (旅游业, 现代服务业, "
                "高新技术产业), FALSE or empty otherwise.",
                "主导产业",
            ),
            Column(
                "field_type",
                TEXT,
                _usual(
                    "Whether it is an industry or a field that cuts across industries.", ("industry", "cross-cutting")
                ),
                "领域类型",
            ),
            _ref(
                "parent_industry",
                (NodeKind.INDUSTRY,),
                "The broader industry this one is part of (PART_OF).",
                "上级产业",
                relationship=RelType.PART_OF,
            ),
            *_PROVENANCE,
        ),
        {"name_zh": _INDUSTRY, "name_en": "Digital economy", "is_leading": False, "field_type": "industry", **_USER},
        kind=NodeKind.INDUSTRY,
    ),
    Template(
        "demand_units",
        "Hainan's units that have needs: the province, its cities and counties, parks, labs and programmes.",
        (
            _key(NodeKind.DEMAND_UNIT),
            *_NAMES,
            Column(
                "unit_type", CHOICE, "What kind of unit it is.", "单位类型", required=True, choices=DEMAND_UNIT_TYPES
            ),
            Column("locality", TEXT, "Its county or city, when that is not an entity of its own.", "所在市县"),
            _ref(
                "region",
                (NodeKind.REGION,),
                "The region the unit lies in (LOCATED_IN); for Hainan's units, 海南省.",
                "所在地区",
                relationship=RelType.LOCATED_IN,
            ),
            _ref(
                "parent_unit",
                (NodeKind.DEMAND_UNIT,),
                "The unit this one is part of (PART_OF), e.g. its city.",
                "上级单位",
                relationship=RelType.PART_OF,
            ),
            *_PROVENANCE,
        ),
        {"name_zh": _UNIT, "name_en": "Sansha", "unit_type": "city", **_USER},
        kind=NodeKind.DEMAND_UNIT,
    ),
    Template(
        "needs",
        "What a demand unit needs in an industry: at most one need per unit and industry.",
        (
            Column(
                "key", KEY, "need:<unit slug>:<industry slug>. Leave empty: it is made from unit and industry.", "标识"
            ),
            _ref(
                "unit",
                (NodeKind.DEMAND_UNIT,),
                "The unit that has the need (HAS_NEED).",
                "需求单位",
                required=True,
                relationship=RelType.HAS_NEED,
                incoming=True,
            ),
            _ref(
                "industry",
                (NodeKind.INDUSTRY,),
                "The industry the need is in (IN_FIELD).",
                "需求领域",
                required=True,
                relationship=RelType.IN_FIELD,
            ),
            *_NAMES,
            *_PROVENANCE,
        ),
        {
            "unit": _UNIT,
            "industry": _INDUSTRY,
            "name_zh": "三沙市数字经济需求",
            "name_en": "Sansha: digital economy",
            **_USER,
        },
        kind=NodeKind.NEED,
    ),
    Template(
        "cooperations",
        "Cooperation measures between Hainan and its partners; their parties and fields are in the next two tables.",
        (
            _key(NodeKind.COOPERATION),
            *_NAMES,
            Column(
                "mode",
                CHOICE,
                "How the parties are linked (section 一 of the mechanism).",
                "合作模式",
                required=True,
                choices=COOPERATION_MODES,
            ),
            Column(
                "status",
                CHOICE,
                "Where the cooperation stands; only active and planned ones cover needs.",
                "状态",
                required=True,
                choices=COOPERATION_STATUSES,
            ),
            Column("year", INTEGER, "The year the cooperation started, or is planned to start.", "年份", required=True),
            Column("description_zh", TEXT, "What the cooperation does, in Chinese.", "合作内容", multiline=True),
            Column("dynamic_adjustment", BOOLEAN, "TRUE when its content is adjusted year by year.", "动态调整"),
            Column(
                "status_history",
                TEXT,
                "The statuses it went through, as a JSON list of {status, date, "
                "provenance, basis, source}, oldest first; empty means only its status.",
                "状态沿革",
                multiline=True,
            ),
            *_PROVENANCE,
        ),
        {
            "name_zh": _COOPERATION,
            "name_en": "Chongqing–Hainan digital economy cooperation",
            "mode": "one-to-one",
            "status": "planned",
            "year": 2025,
            "description_zh": "共建数字经济联合实验室",
            **_USER,
        },
        kind=NodeKind.COOPERATION,
    ),
    Template(
        "cooperation_parties",
        "Who takes part in a cooperation: its partners (regions, parks, departments), the departments that "
        "support it, and the Hainan demand units it serves.",
        (
            _ref("cooperation", (NodeKind.COOPERATION,), "The cooperation.", "合作事项", required=True),
            _ref(
                "party",
                (NodeKind.REGION, NodeKind.PARK, NodeKind.DEPARTMENT, NodeKind.DEMAND_UNIT),
                "The party: a region, park or department for partner, a department for supporter, "
                "a demand unit for served.",
                "参与方",
                required=True,
            ),
            Column(
                "role",
                CHOICE,
                "partner (PARTNER_IN), supporter (SUPPORTS) or served (SERVES).",
                "角色",
                required=True,
                choices=("partner", "supporter", "served"),
            ),
            *_PROVENANCE,
        ),
        {"cooperation": _COOPERATION, "party": _REGION, "role": "partner", **_USER},
        selector="role",
        rules={
            "partner": EdgeRule(RelType.PARTNER_IN, "party", "cooperation"),
            "supporter": EdgeRule(RelType.SUPPORTS, "party", "cooperation"),
            "served": EdgeRule(RelType.SERVES, "cooperation", "party"),
        },
    ),
    Template(
        "cooperation_fields",
        "The industries a cooperation is in.",
        (
            _ref("cooperation", (NodeKind.COOPERATION,), "The cooperation.", "合作事项", required=True),
            _ref("industry", (NodeKind.INDUSTRY,), "An industry it is in (IN_FIELD).", "合作领域", required=True),
            *_PROVENANCE,
        ),
        {"cooperation": _COOPERATION, "industry": _INDUSTRY, **_USER},
        rules={"": EdgeRule(RelType.IN_FIELD, "cooperation", "industry")},
    ),
    Template(
        "specialisations",
        "What a region, park, department or demand unit is strong in: capabilities that could serve a need.",
        (
            _ref("actor", _ACTOR_KINDS, "The region, park, department or demand unit.", "主体", required=True),
            _ref(
                "industry",
                (NodeKind.INDUSTRY,),
                "The industry it is strong in (SPECIALISES_IN).",
                "优势领域",
                required=True,
            ),
            *_PROVENANCE,
        ),
        {"actor": _PARK, "industry": _INDUSTRY, **_USER},
        rules={"": EdgeRule(RelType.SPECIALISES_IN, "actor", "industry")},
    ),
    Template(
        "mechanisms",
        "Standing arrangements of cooperation, such as meetings and offices, that actors are members of.",
        (
            _key(NodeKind.MECHANISM),
            *_NAMES,
            Column("cadence", TEXT, "How often it meets, e.g. annual.", "频次"),
            Column(
                "dynamic_adjustment", BOOLEAN, "TRUE when it adjusts the cooperation's content as it goes.", "动态调整"
            ),
            Column("modes", LIST, "The cooperation modes it organises, separated by ; or ；.", "合作模式"),
            Column("feeds", TEXT, "The key of the mechanism it feeds into, e.g. mech:central-guidance-fund.", "输出至"),
            Column("description_zh", TEXT, "What it does, in Chinese.", "说明", multiline=True),
            Column("role_zh", TEXT, "Its role in the mechanism, in Chinese.", "作用", multiline=True),
            *_PROVENANCE,
        ),
        {
            "name_zh": _MECHANISM,
            "name_en": "Chongqing–Hainan S&T cooperation joint meeting",
            "cadence": "annual",
            **_USER,
        },
        kind=NodeKind.MECHANISM,
    ),
    Template(
        "sources",
        "Documents, and sections of documents, that facts are stated in.",
        (
            _key(NodeKind.SOURCE),
            *_NAMES,
            Column("doc_number", TEXT, "The document number, e.g. 国科办区〔2020〕105号.", "文号"),
            Column("issued", DATE, "The date it was issued, as YYYY-MM-DD.", "印发日期"),
            Column("issuers_zh", TEXT, "Who issued it, in Chinese.", "印发单位"),
            *_PROVENANCE,
        ),
        {
            "name_zh": "渝琼科技合作座谈会纪要",
            "name_en": "Minutes of the Chongqing–Hainan S&T cooperation meeting",
            "issued": "2025-03-18",
            **_USER,
        },
        kind=NodeKind.SOURCE,
    ),
    Template(
        "links",
        "Any other relationship, such as MEMBER_OF, HANDLES or STATED_IN. A row here also gives a relationship "
        "that an entity table makes (a park's region, say) its own provenance: the row here wins.",
        (
            _ref("from", tuple(NodeKind), "The entity the relationship starts at.", "起点", required=True),
            Column(
                "type",
                CHOICE,
                "The relationship type.",
                "关系类型",
                required=True,
                choices=tuple(t.value for t in RelType),
            ),
            _ref("to", tuple(NodeKind), "The entity the relationship ends at.", "终点", required=True),
            *_PROVENANCE,
        ),
        {"from": _DEPARTMENT, "type": RelType.MEMBER_OF.value, "to": _MECHANISM, **_USER},
        selector="type",
        rules={t.value: EdgeRule(t, "from", "to") for t in RelType},
    ),
    Template(
        "monitoring",
        "Monitoring and evaluation (三(三)): what one cooperation delivered in one year, one row per cooperation "
        "per year. hainet evaluate scores it.",
        (
            Column(
                "key",
                KEY,
                "monitoring:<cooperation slug>:<year>. Leave empty: it is made from cooperation and year.",
                "标识",
            ),
            _ref(
                "cooperation",
                (NodeKind.COOPERATION,),
                "The cooperation reported on (REPORTS_ON).",
                "合作事项",
                required=True,
                relationship=RelType.REPORTS_ON,
            ),
            Column("year", YEAR, "The year reported on.", "年度", required=True),
            Column(
                "status",
                CHOICE,
                "Where the cooperation stood at the end of the year.",
                "年末状态",
                required=True,
                choices=COOPERATION_STATUSES,
            ),
            Column("projects", INTEGER, "Joint projects under way in the year.", "合作项目数", minimum=0),
            Column(
                "funding_wan_yuan",
                NUMBER,
                "Funding put in during the year, in 万元 (10,000 yuan).",
                "投入经费（万元）",
                minimum=0,
            ),
            Column(
                "talents",
                INTEGER,
                "People exchanged, trained or brought in during the year.",
                "人才交流（人次）",
                minimum=0,
            ),
            Column(
                "results_transferred",
                INTEGER,
                "Research results transferred or put to use in Hainan.",
                "成果转化数",
                minimum=0,
            ),
            Column(
                "platforms",
                INTEGER,
                "Joint platforms (labs, centres, bases) working in the year.",
                "共建平台数",
                minimum=0,
            ),
            Column("note", TEXT, "Anything the numbers do not say, in Chinese.", "备注", multiline=True),
            *_PROVENANCE,
        ),
        {
            "cooperation": _COOPERATION,
            "year": 2025,
            "status": "planned",
            "projects": 0,
            "funding_wan_yuan": 0,
            "talents": 0,
            "results_transferred": 0,
            "platforms": 0,
            "note": "签署合作协议，项目尚未启动",
            **_USER,
        },
        kind=NodeKind.MONITORING,
    ),
    Template(
        "aliases",
        "Other names of entities, used to match references on top of the built-in aliases; they are not stored.",
        (
            Column("alias", TEXT, "Another name, such as an abbreviation.", "别名", required=True),
            Column("canonical", TEXT, "A name or key the entity is known by.", "标准名称", required=True),
        ),
        {"alias": "渝", "canonical": _REGION},
    ),
)

_BY_NAME = {t.name: t for t in TEMPLATES}


def template_named(name: str) -> Template:
    """Return the template called ``name`` (a CSV file stem or sheet name, any case, spaces for underscores).

    Examples
    --------
    >>> template_named("Demand units").kind
    <NodeKind.DEMAND_UNIT: 'DemandUnit'>
    """
    folded = name.strip().casefold().replace(" ", "_").replace("-", "_")
    try:
        return _BY_NAME[folded]
    except KeyError as e:
        msg = f"no template is called {name!r}; the templates are {', '.join(_BY_NAME)}"
        raise HainetError(msg) from e


def cell_text(value: str) -> str:
    """Return text made safe for a spreadsheet cell, reversibly.

    Text that a spreadsheet would run as a formula gets a leading apostrophe
    (:func:`graph.export.safe_cell`); so does text that already starts with
    one or that reads as an error value (``#N/A``), so that loading takes
    exactly one apostrophe off.

    Examples
    --------
    >>> cell_text("=HYPERLINK()"), cell_text("'quoted"), cell_text("#N/A"), cell_text("海南")
    ("'=HYPERLINK()", "''quoted", "'#N/A", '海南')
    """
    if value.startswith("'") or value.strip() in EXCEL_ERRORS:
        return "'" + value
    return str(safe_cell(value))


def _joined(value: Any) -> Any:
    """Return a value as a cell holds it: lists joined with ``;``."""
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return value


def _written(value: Any) -> Any:
    """Return a value as a CSV cell holds it: lists joined with ``;``, text made safe."""
    value = _joined(value)
    if isinstance(value, str):
        return cell_text(value)
    return value


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(_written(value))


def _csv_text(template: Template, rows: Sequence[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(template.headers)
    for row in rows:
        writer.writerow([_csv_value(row.get(name)) for name in template.headers])
    return buffer.getvalue()


def write_csv_folder(tables: Mapping[str, Sequence[Mapping[str, Any]]], directory: str | Path) -> list[Path]:
    """Write one CSV file per template into ``directory``, filled with ``tables`` rows.

    Files are UTF-8 with a byte-order mark, so that Excel opens the Chinese
    text correctly, and every template gets a file, empty ones included.

    Parameters
    ----------
    tables
        Rows by template name; each row maps column names to values.
    directory
        The folder, created if needed.

    Returns
    -------
    list of Path
        The files written, in template order.
    """
    folder = Path(directory)
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for template in TEMPLATES:
            path = folder / f"{template.name}.csv"
            path.write_bytes(_csv_text(template, tables.get(template.name, ())).encode("utf-8-sig"))
            written.append(path)
    except OSError as e:
        msg = f"cannot write the CSV files into {folder}: {e.strerror or e}"
        raise HainetError(msg) from e
    return written


def write_workbook(tables: Mapping[str, Sequence[Mapping[str, Any]]], path: str | Path) -> Path:
    """Write one workbook with a README sheet and one sheet per template, filled with ``tables`` rows.

    Text is written as text cells, exactly as it is: a cell typed as text
    never runs as a formula, so no apostrophe is put before ``=...`` (CSV
    files, which have no cell types, get one; see :func:`cell_text`).  Text
    and code columns are formatted as Text, so that codes typed later keep
    their leading zeros.

    Returns
    -------
    Path
        The workbook written.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import IllegalCharacterError

    workbook = Workbook()
    readme = workbook.active
    assert readme is not None  # a new workbook always has one sheet
    readme.title = README_SHEET
    for line in _readme_rows():
        readme.append(line)
    for template in TEMPLATES:
        sheet = workbook.create_sheet(template.name)
        sheet.append(template.headers)
        for row_number, row in enumerate(tables.get(template.name, ()), start=2):
            for column_number, column in enumerate(template.columns, start=1):
                value = row.get(column.name)
                if value is None:
                    continue
                cell = sheet.cell(row_number, column_number)
                try:
                    cell.value = _joined(value)
                except IllegalCharacterError as e:
                    msg = f"cannot write {template.name} row {row_number}, column {column.name}: control character"
                    raise HainetError(msg) from e
                if isinstance(cell.value, str):
                    # openpyxl reads "=..." and "#N/A" as a formula or an error; this cell is text.
                    cell.data_type = "s"
        for column_number, column in enumerate(template.columns, start=1):
            dimension = sheet.column_dimensions[get_column_letter(column_number)]
            dimension.width = max(12, len(column.name) + 4)
            if column.type in (TEXT, KEY, CODE, REFERENCE, CHOICE, LIST, DATE):
                dimension.number_format = "@"
        sheet.freeze_panes = "A2"
    target = Path(path)
    # Saved in memory first: a failed write to the file then leaves no half-closed zip behind to
    # complain at exit.
    content = io.BytesIO()
    workbook.save(content)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.getvalue())
    except OSError as e:
        msg = f"cannot write {target}: {e.strerror or e}"
        raise HainetError(msg) from e
    return target


def _readme_rows() -> list[list[str]]:
    rows = [
        ["hainet spreadsheet template"],
        ["One sheet per table; row 1 holds the headers, each later row one record. Load with: hainet load FILE"],
        [
            "A reference column takes a key (region:shanghai) or a name; names are matched ignoring spaces, "
            "full-width forms and case, and through aliases."
        ],
        [],
        ["table", "column", "中文", "type", "required", "meaning"],
    ]
    for template in TEMPLATES:
        rows.append([template.name, "", "", "", "", template.doc])
        for column in template.columns:
            rows.append(
                [
                    template.name,
                    column.name,
                    column.label_zh,
                    column.type_text,
                    "yes" if column.required else "",
                    column.doc,
                ]
            )
    return rows


def write_template_files(directory: str | Path, *, fmt: str = "xlsx") -> list[Path]:
    """Write the empty templates in one form, each table with its example row.

    The example rows refer only to each other, so the files load as they
    are.  One form only: a folder with the CSV files and a workbook with
    the same rows would load every example twice.

    Parameters
    ----------
    directory
        The folder to write into; created if needed.
    fmt
        ``xlsx`` (default): one workbook (:data:`WORKBOOK_NAME`) with a
        README sheet; ``csv``: one CSV file per table.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    HainetError
        On an unknown ``fmt``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in write_template_files(d, fmt="csv")][:2], len(write_template_files(d))
    (['regions.csv', 'parks.csv'], 1)
    """
    tables = {t.name: [dict(t.example)] for t in TEMPLATES}
    if fmt == "csv":
        return write_csv_folder(tables, directory)
    if fmt == "xlsx":
        return [write_workbook(tables, Path(directory) / WORKBOOK_NAME)]
    msg = f"unknown template format {fmt!r}: choose csv or xlsx"
    raise HainetError(msg)


def columns_markdown() -> str:
    """Return the columns of every template as Markdown tables, as ``docs/spreadsheets.md`` shows them."""
    parts = []
    for template in TEMPLATES:
        parts.append(f"### `{template.name}`\n\n{template.doc}\n")
        parts.append("| column | 中文 | type | required | meaning |\n|---|---|---|---|---|")
        for c in template.columns:
            doc, kind = (_markdown_cell(text) for text in (c.doc, c.type_text))
            parts.append(f"| `{c.name}` | {c.label_zh} | {kind} | {'yes' if c.required else ''} | {doc} |")
        parts.append("")
    return "\n".join(parts)


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
