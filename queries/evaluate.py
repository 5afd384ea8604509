"""Monitoring and evaluation (三(三)): score each cooperation's delivery in a year, and flag it for 动态调整.

The scores rest on the ``Monitoring`` records a planner loads (the
``monitoring`` table, one row per cooperation per year).  The rules, each
written once:

* a cooperation is *evaluated* for year ``Y`` when it has a monitoring
  record for ``Y``, or when it existed and was ``active`` or ``planned`` on
  31 December of ``Y`` (:func:`graph.timeline.graph_as_of`), in which case
  it has no record and scores 0;
* each measure of :data:`~graph.schema.MONITORING_MEASURES` gives one
  *component*: its weight times the cooperation's value over the largest
  value of that measure among the cooperations evaluated in ``Y`` (0 when
  the largest is 0).  The components add up to ``score``, which runs from 0
  to the sum of the weights (100 with :data:`DEFAULT_WEIGHTS`);
* a record shows *no progress* when its status is ``stalled``, or every
  measure is 0; the flags are, in this order (:data:`FLAGS`):
  ``no-report`` (no record for the year), ``planned-never-started``
  (``planned`` in ``Y`` although it was to start in an earlier year, or was
  already ``planned`` in an earlier record), ``no-progress-two-years`` (no
  progress in ``Y`` and in ``Y - 1``), ``ended`` (``ended`` by the end of
  ``Y``);
* the *fund-allocation reference* is each cooperation's share of the sum of
  the scores.  It is a reference for the allocation of the central
  government's guidance funds, as 三(三) says, not an allocation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx
import pandas as pd

from graph.errors import HainetError
from graph.schema import MONITORING_MEASURES, NodeKind, Provenance, RelType
from graph.store import Store
from graph.timeline import graph_as_of
from queries._facts import LIVE_STATUSES, frame_from_rows, graph_of

__all__ = [
    "DEFAULT_WEIGHTS",
    "EVALUATION_COLUMNS",
    "FLAGS",
    "GROUP_COLUMNS",
    "Weights",
    "evaluate",
    "evaluate_frame_views",
    "evaluation_by",
    "fund_reference",
]


@dataclass(frozen=True)
class Weights:
    """The weight of each measure in a score: the most points the measure can give.

    Every weight is at least 0 and at least one is above 0.
    """

    projects: float = 25.0
    funding_wan_yuan: float = 25.0
    talents: float = 15.0
    results_transferred: float = 20.0
    platforms: float = 15.0

    def __post_init__(self) -> None:
        values = asdict(self)
        if any(not isinstance(v, int | float) or v < 0 for v in values.values()) or not sum(values.values()):
            msg = f"weights must be numbers at least 0, not all 0: {values}"
            raise HainetError(msg)

    @classmethod
    def from_mapping(cls, weights: Mapping[str, float]) -> Weights:
        """Return weights from a mapping of measure to weight; measures left out keep their default."""
        unknown = set(weights) - set(MONITORING_MEASURES)
        if unknown:
            measures = ", ".join(MONITORING_MEASURES)
            msg = f"no measure is called {', '.join(sorted(unknown))}; the measures are {measures}"
            raise HainetError(msg)
        return cls(**{k: float(v) for k, v in weights.items()})


#: The default weights: delivery counts most in projects, funding and results transferred.
DEFAULT_WEIGHTS = Weights()

#: The flags for 动态调整, in order, with their reasons in Chinese and English.
FLAGS: dict[str, tuple[str, str]] = {
    "no-report": ("本年度无监测记录", "no monitoring record for the year"),
    "planned-never-started": ("计划已到期仍未启动", "planned, and still not started"),
    "no-progress-two-years": ("连续两年无进展", "no progress two years running"),
    "ended": ("已终止，需调整或退出", "ended: renew it or take it off the list"),
}

_COMPONENTS = [f"c_{m}" for m in MONITORING_MEASURES]

EVALUATION_COLUMNS = [
    "cooperation_key",
    "cooperation_zh",
    "cooperation_en",
    "year",
    "status",
    "has_record",
    *MONITORING_MEASURES,
    *_COMPONENTS,
    "score",
    "rank",
    "fund_share",
    "flag",
    "flag_zh",
    "flag_en",
    "evidence",
    "partner_keys",
    "partners_zh",
    "partners_en",
    "department_keys",
    "departments_zh",
    "departments_en",
    "unit_keys",
    "units_zh",
    "units_en",
]

GROUP_COLUMNS = [
    "group",
    "key",
    "name_zh",
    "name_en",
    "n_cooperations",
    "n_records",
    "total_score",
    "mean_score",
    "n_flagged",
]

_ORDER = [p.value for p in Provenance]  # strongest first


def evaluate(
    source: nx.MultiDiGraph | Store, *, year: int, weights: Weights | Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Return the evaluation of every cooperation for ``year``, best first.

    Parameters
    ----------
    source
        The graph, or a store, with ``Monitoring`` records.
    year
        The year evaluated.
    weights
        :class:`Weights`, or a mapping of measure to weight; default :data:`DEFAULT_WEIGHTS`.

    Returns
    -------
    pandas.DataFrame
        One row per cooperation evaluated, by ``score`` (highest first) then
        key, with columns:

        ``cooperation_key``, ``cooperation_zh``, ``cooperation_en``
            The cooperation.
        ``year``
            The year evaluated.
        ``status``
            Its status in the record, else on 31 December of the year.
        ``has_record``
            Whether it has a monitoring record for the year.
        ``projects``, ``funding_wan_yuan``, ``talents``, ``results_transferred``, ``platforms``
            The measures of the record (0 without one).
        ``c_projects`` … ``c_platforms``
            The component of each measure in the score (see the module).
        ``score``
            The sum of the components.
        ``rank``
            1 for the highest score; equal scores share a rank.
        ``fund_share``
            Its share of the sum of all scores: the fund-allocation
            *reference* of 三(三), not an allocation (0 when no score is above 0).
        ``flag``
            The flags for 动态调整 (:data:`FLAGS`), joined with ``;``; empty when none.
        ``flag_zh``, ``flag_en``
            Their reasons, in Chinese and in English.
        ``evidence``
            The weakest evidence level of the record and the cooperation.
        ``partner_keys``, ``partners_zh``, ``partners_en``
            Its partner regions and parks (``PARTNER_IN``).
        ``department_keys``, ``departments_zh``, ``departments_en``
            The departments that partner or support it.
        ``unit_keys``, ``units_zh``, ``units_en``
            The Hainan units it serves.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> G = example_graph()
    >>> G.add_node("monitoring:tianfu-boao:2022", kind="Monitoring", year=2022, status="active", projects=2,
    ...            funding_wan_yuan=50, talents=4, results_transferred=1, platforms=1, provenance="example")
    >>> _ = G.add_edge("monitoring:tianfu-boao:2022", "coop:tianfu-boao", key="REPORTS_ON", type="REPORTS_ON")
    >>> frame = evaluate(G, year=2022)
    >>> for row in frame[["cooperation_key", "score", "flag"]].itertuples(index=False):
    ...     print(tuple(row))
    ('coop:tianfu-boao', 100.0, '')
    ('coop:five-year-plan', 0.0, 'no-report')
    ('coop:zhangjiang-haikou', 0.0, 'no-report;planned-never-started')
    """
    chosen = _weights(weights)
    G = graph_of(source)
    records = _records(G)
    then = graph_as_of(G, year)
    keys = {c for c, y in records if y == year}
    keys |= {
        k
        for k, a in then.nodes(data=True)
        if a.get("kind") == NodeKind.COOPERATION.value and a.get("status") in LIVE_STATUSES
    }
    rows = [_row(G, then, key, year, records) for key in sorted(keys)]
    _score(rows, chosen)
    frame = frame_from_rows(rows, EVALUATION_COLUMNS, sort_by=["score", "cooperation_key"], ascending=[False, True])
    if not frame.empty:
        frame["rank"] = frame["score"].rank(method="min", ascending=False).astype(int)
    return frame


def evaluation_by(evaluation: pd.DataFrame, by: str) -> pd.DataFrame:
    """Return the scores of an :func:`evaluate` frame added up per partner, department or Hainan unit.

    Parameters
    ----------
    evaluation
        The frame :func:`evaluate` returns.
    by
        ``partner`` (partner regions and parks), ``department`` or ``unit``.

    Returns
    -------
    pandas.DataFrame
        One row per group member, by ``total_score`` (highest first) then
        key, with columns:

        ``group``
            ``by``.
        ``key``, ``name_zh``, ``name_en``
            The partner, department or unit.
        ``n_cooperations``
            Cooperations evaluated that it takes part in.
        ``n_records``
            Of those, the ones with a monitoring record.
        ``total_score``, ``mean_score``
            The sum and the mean of their scores.
        ``n_flagged``
            Of those, the ones flagged for 动态调整.
    """
    columns = {
        "partner": ("partner", "partners"),
        "department": ("department", "departments"),
        "unit": ("unit", "units"),
    }
    if by not in columns:
        msg = f"evaluation_by groups by partner, department or unit, not {by!r}"
        raise HainetError(msg)
    one, many = columns[by]
    groups: dict[str, dict[str, Any]] = {}
    for row in evaluation.to_dict("records"):
        for key, zh, en in zip(row[f"{one}_keys"], row[f"{many}_zh"], row[f"{many}_en"], strict=True):
            group = groups.setdefault(
                key,
                {"group": by, "key": key, "name_zh": zh, "name_en": en, "scores": [], "n_records": 0, "n_flagged": 0},
            )
            group["scores"].append(float(row["score"]))
            group["n_records"] += bool(row["has_record"])
            group["n_flagged"] += bool(row["flag"])
    rows = []
    for group in groups.values():
        scores = group.pop("scores")
        rows.append(
            {
                **group,
                "n_cooperations": len(scores),
                "total_score": round(sum(scores), 4),
                "mean_score": round(sum(scores) / len(scores), 4),
            }
        )
    return frame_from_rows(rows, GROUP_COLUMNS, sort_by=["total_score", "key"], ascending=[False, True])


def fund_reference(evaluation: pd.DataFrame) -> pd.DataFrame:
    """Return the fund-allocation reference of an :func:`evaluate` frame: shares proportional to scores.

    Returns
    -------
    pandas.DataFrame
        The cooperations with a score above 0, best first, with columns
        ``cooperation_key``, ``cooperation_zh``, ``cooperation_en``,
        ``score``, ``fund_share`` (of 1) and ``label`` (参考, reference: the
        document makes the results a reference for the central guidance
        funds, not an allocation).
    """
    columns = ["cooperation_key", "cooperation_zh", "cooperation_en", "score", "fund_share", "label"]
    scored = evaluation[evaluation["score"] > 0] if not evaluation.empty else evaluation
    rows = [{**{c: row[c] for c in columns[:-1]}, "label": "参考 reference"} for row in scored.to_dict("records")]
    return frame_from_rows(rows, columns, sort_by=["score", "cooperation_key"], ascending=[False, True])


def _weights(weights: Weights | Mapping[str, float] | None) -> Weights:
    if weights is None:
        return DEFAULT_WEIGHTS
    if isinstance(weights, Weights):
        return weights
    return Weights.from_mapping(weights)


def _records(G: nx.MultiDiGraph) -> dict[tuple[str, int], Mapping[str, Any]]:
    """Return the monitoring records by (cooperation key, year)."""
    found: dict[tuple[str, int], Mapping[str, Any]] = {}
    for u, v, t in G.edges(data="type"):
        if t == RelType.REPORTS_ON.value and G.nodes[u].get("kind") == NodeKind.MONITORING.value:
            attrs = G.nodes[u]
            found[(v, int(attrs["year"]))] = attrs
    return found


def _parties(G: nx.MultiDiGraph, key: str) -> dict[str, list[str]]:
    parties: dict[str, list[str]] = defaultdict(list)
    if key not in G:
        return parties
    for u, _, t in G.in_edges(key, data="type"):
        kind = G.nodes[u].get("kind")
        if kind == NodeKind.DEPARTMENT.value and t in (RelType.PARTNER_IN.value, RelType.SUPPORTS.value):
            parties["department"].append(u)
        elif kind in (NodeKind.REGION.value, NodeKind.PARK.value) and t == RelType.PARTNER_IN.value:
            parties["partner"].append(u)
    parties["unit"] = [v for _, v, t in G.out_edges(key, data="type") if t == RelType.SERVES.value]
    return {k: sorted(set(v)) for k, v in parties.items()}


def _row(
    G: nx.MultiDiGraph, then: nx.MultiDiGraph, key: str, year: int, records: Mapping[tuple[str, int], Mapping[str, Any]]
) -> dict[str, Any]:
    coop = G.nodes[key]
    record = records.get((key, year))
    status = record.get("status") if record is not None else then.nodes[key].get("status")
    parties = _parties(then if key in then else G, key)
    row: dict[str, Any] = {
        "cooperation_key": key,
        "cooperation_zh": coop.get("name_zh", ""),
        "cooperation_en": coop.get("name_en", ""),
        "year": year,
        "status": status,
        "has_record": record is not None,
    }
    for measure in MONITORING_MEASURES:
        value = record.get(measure, 0) if record is not None else 0
        row[measure] = float(value) if measure == "funding_wan_yuan" else int(value)
    flags = _flags(coop, key, year, status, record, records)
    row["flag"] = ";".join(flags)
    row["flag_zh"] = "；".join(FLAGS[f][0] for f in flags)
    row["flag_en"] = "; ".join(FLAGS[f][1] for f in flags)
    levels = [coop.get("provenance")] + ([record.get("provenance")] if record is not None else [])
    row["evidence"] = max((str(p) for p in levels if p in _ORDER), key=_ORDER.index, default="")
    for group, many in (("partner", "partners"), ("department", "departments"), ("unit", "units")):
        members = parties.get(group, [])
        row[f"{group}_keys"] = members
        row[f"{many}_zh"] = [str(G.nodes[m].get("name_zh", m)) for m in members]
        row[f"{many}_en"] = [str(G.nodes[m].get("name_en", m)) for m in members]
    return row


def _no_progress(record: Mapping[str, Any] | None) -> bool:
    if record is None:
        return False
    return record.get("status") == "stalled" or not any(record.get(m) for m in MONITORING_MEASURES)


def _flags(
    coop: Mapping[str, Any],
    key: str,
    year: int,
    status: Any,
    record: Mapping[str, Any] | None,
    records: Mapping[tuple[str, int], Mapping[str, Any]],
) -> list[str]:
    flags = []
    if record is None:
        flags.append("no-report")
    earlier = [records[(key, y)] for y in range(year - 10, year) if (key, y) in records]
    start = coop.get("year")
    if status == "planned" and (
        (isinstance(start, int) and start < year) or any(r.get("status") == "planned" for r in earlier)
    ):
        flags.append("planned-never-started")
    if _no_progress(record) and _no_progress(records.get((key, year - 1))):
        flags.append("no-progress-two-years")
    if status == "ended":
        flags.append("ended")
    return flags


def _score(rows: list[dict[str, Any]], weights: Weights) -> None:
    """Fill in the components, the score and the fund share of every row (see the module)."""
    largest = {m: max((float(r[m]) for r in rows), default=0.0) for m in MONITORING_MEASURES}
    for row in rows:
        total = 0.0
        for measure in MONITORING_MEASURES:
            top = largest[measure]
            part = round(getattr(weights, measure) * float(row[measure]) / top, 4) if top > 0 else 0.0
            row[f"c_{measure}"] = part
            total += part
        row["score"] = round(total, 4)
        row["rank"] = 0
    scores = sum(r["score"] for r in rows)
    for row in rows:
        row["fund_share"] = round(row["score"] / scores, 6) if scores > 0 else 0.0


def evaluate_frame_views(
    source: nx.MultiDiGraph | Store,
    *,
    year: int,
    weights: Weights | Mapping[str, float] | None = None,
    view: str = "cooperations",
) -> pd.DataFrame:
    """Return one view of the evaluation of ``year``, computed once.

    ``view`` is ``cooperations`` (:func:`evaluate`), ``partners``,
    ``departments``, ``units`` (:func:`evaluation_by`) or ``funds``
    (:func:`fund_reference`).
    """
    frame = evaluate(source, year=year, weights=weights)
    if view == "cooperations":
        return frame
    if view == "funds":
        return fund_reference(frame)
    groups = {"partners": "partner", "departments": "department", "units": "unit"}
    if view not in groups:
        msg = f"no evaluation view is called {view!r}"
        raise HainetError(msg)
    return evaluation_by(frame, groups[view])
