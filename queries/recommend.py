"""Who could meet each unmatched need: ranked candidate partners, their supporters, and why.

A *candidate* for a need is a region or park that ``SPECIALISES_IN`` the
need's industry, that already partners an active or planned cooperation in
its field (the industry or a sub-field: ``works_in`` names which), or that
partnered the stalled or ended cooperation that would cover the need.  The
ministry's departments are not partners to pair with: those that handle
the industry or take part in its cooperations are listed apart, as the
need's ``supporters``.  Its score, on a scale of 0 to 100, adds up
weighted parts (:class:`Weights`), each given as a ``points_*`` column:

``capability``
    It ``SPECIALISES_IN`` or ``HANDLES`` the industry itself.
``field_partner``
    It already partners a live cooperation in the field.
``unit_tie``
    It already partners a live cooperation serving the need's unit.
``hainan_ties``
    Its live cooperations with Hainan in any field, counted up to
    ``ties_saturate_at`` (three by default) and scaled to 0..1.
``park_in_field``
    A park partnering a live cooperation in the field is the candidate
    itself or lies in it (``LOCATED_IN``): a paired park to build on.
``department_in_field``
    A ministry department that ``HANDLES`` the industry is the candidate
    itself or partners a live cooperation together with it.
``revival``
    It partnered a stalled or ended cooperation that would cover the need
    were it live (such partners are candidates even without capability).

Each part is 0 or 1 (``hainan_ties`` a fraction); the score is the sum of
the parts times their weights, as a share of the sum of all weights, times
100: a candidate that holds every part scores 100.  Ties sort by candidate
key.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

import networkx as nx
import pandas as pd

from graph.errors import HainetError
from graph.evidence import EVIDENCE_NAMES_ZH, evidence_rank, weakest
from graph.schema import NodeKind, RelType
from graph.store import Store
from queries._facts import facts_at, frame_from_rows, gc_paused
from queries.coverage import Coverage, coverage_at
from queries.needs import needs_frame

__all__ = [
    "CANDIDATE_COLUMNS",
    "RECOMMENDATION_COLUMNS",
    "Weights",
    "partner_candidates",
    "recommend_partners",
]

#: The parts of a score, in the order of their ``points_*`` columns.
SCORE_PARTS = (
    "capability",
    "field_partner",
    "unit_tie",
    "hainan_ties",
    "park_in_field",
    "department_in_field",
    "revival",
)

CANDIDATE_COLUMNS = [
    "need_key",
    "unit_key",
    "unit_zh",
    "unit_en",
    "industry_key",
    "industry_zh",
    "industry_en",
    "rank",
    "candidate_key",
    "candidate_kind",
    "candidate_zh",
    "candidate_en",
    "works_in",
    "works_in_zh",
    "score",
    *(f"points_{part}" for part in SCORE_PARTS),
    "capability",
    "field_partner",
    "unit_tie",
    "n_hainan_cooperations",
    "parks_in_field",
    "departments_in_field",
    "revival",
    "supporters",
    "supporters_zh",
    "explanation_zh",
    "explanation_en",
    "evidence",
    "chain_zh",
    "chain_en",
]

RECOMMENDATION_COLUMNS = [*CANDIDATE_COLUMNS[:7], "missing", "reason_zh", *CANDIDATE_COLUMNS[7:]]


@dataclass(frozen=True)
class Weights:
    """How much each part of a candidate's score counts; see :mod:`queries.recommend`.

    Every weight must be a finite number of at least 0.

    Examples
    --------
    >>> Weights().capability, Weights(unit_tie=5.0).unit_tie
    (3.0, 5.0)
    """

    capability: float = 3.0
    field_partner: float = 2.0
    unit_tie: float = 2.0
    hainan_ties: float = 1.0
    park_in_field: float = 1.0
    department_in_field: float = 1.0
    revival: float = 2.0
    #: Live cooperations with Hainan that earn the whole ``hainan_ties`` weight.
    ties_saturate_at: int = 3

    def __post_init__(self) -> None:
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "ties_saturate_at"}
        bad = [f"{name}={value!r}" for name, value in values.items() if not (math.isfinite(value) and value >= 0)]
        if not isinstance(self.ties_saturate_at, int) or self.ties_saturate_at < 1:
            bad.append(f"ties_saturate_at={self.ties_saturate_at!r}")
        if bad:
            msg = "weights must be finite and at least 0, ties_saturate_at a whole number of at least 1: " + ", ".join(
                bad
            )
            raise ValueError(msg)

    def points(self, parts: Mapping[str, Any]) -> dict[str, float]:
        """Return the points of each part of a score (:data:`SCORE_PARTS`) on the 0-100 scale, rounded to 2 decimals.

        Examples
        --------
        >>> parts = {"capability": True, "field_partner": False, "unit_tie": True, "n_hainan_cooperations": 3,
        ...          "parks_in_field": [], "departments_in_field": ["dept:x"], "revival": False}
        >>> points = Weights().points(parts)
        >>> points["capability"], points["hainan_ties"], sum(points.values())
        (25.0, 8.33, 58.33)
        """
        ties = min(int(parts["n_hainan_cooperations"]), self.ties_saturate_at) / self.ties_saturate_at
        held = {
            "capability": float(bool(parts["capability"])),
            "field_partner": float(bool(parts["field_partner"])),
            "unit_tie": float(bool(parts["unit_tie"])),
            "hainan_ties": ties,
            "park_in_field": float(bool(parts["parks_in_field"])),
            "department_in_field": float(bool(parts["departments_in_field"])),
            "revival": float(bool(parts["revival"])),
        }
        full = sum(getattr(self, part) for part in SCORE_PARTS)
        if full == 0:
            return dict.fromkeys(SCORE_PARTS, 0.0)
        return {part: round(100 * getattr(self, part) * held[part] / full, 2) for part in SCORE_PARTS}

    def score(self, parts: Mapping[str, Any]) -> float:
        """Return the score of a candidate from its parts, 0 to 100, rounded to 2 decimals.

        Examples
        --------
        >>> parts = {"capability": True, "field_partner": True, "unit_tie": True, "n_hainan_cooperations": 5,
        ...          "parks_in_field": ["park:x"], "departments_in_field": ["dept:x"], "revival": True}
        >>> Weights().score(parts)
        100.0
        """
        return self.total(
            bool(parts["capability"]),
            bool(parts["field_partner"]),
            bool(parts["unit_tie"]),
            int(parts["n_hainan_cooperations"]),
            bool(parts["parks_in_field"]),
            bool(parts["departments_in_field"]),
            bool(parts["revival"]),
        )

    def total(
        self,
        capability: bool,
        field_partner: bool,
        unit_tie: bool,
        n_hainan_cooperations: int,
        park_in_field: bool,
        department_in_field: bool,
        revival: bool,
    ) -> float:
        """Return the score of a candidate from its parts as plain values, 0 to 100, rounded to 2 decimals."""
        ties = min(n_hainan_cooperations, self.ties_saturate_at) / self.ties_saturate_at
        total = (
            self.capability * capability
            + self.field_partner * field_partner
            + self.unit_tie * unit_tie
            + self.hainan_ties * ties
            + self.park_in_field * park_in_field
            + self.department_in_field * department_in_field
            + self.revival * revival
        )
        full = self.full
        return round(100 * total / full, 2) if full else 0.0

    @cached_property
    def full(self) -> float:
        """Return the sum of the weights of every part: the score of a candidate that holds them all, before scaling."""
        full: float = sum(getattr(self, part) for part in SCORE_PARTS)
        return full


def recommend_partners(
    source: nx.MultiDiGraph | Store,
    *,
    top: int = 3,
    weights: Weights | None = None,
    evidence: str = "all",
) -> pd.DataFrame:
    """Return, for each unmatched need, the best candidate partners, their supporters and why.

    Parameters
    ----------
    source
        The graph, or a store.
    top
        Candidates kept per need.
    weights
        How the parts of the score count; :class:`Weights` by default.
    evidence
        Answer on the facts at or above this level
        (:data:`graph.evidence.EVIDENCE_CHOICES`).

    Returns
    -------
    pandas.DataFrame
        Up to ``top`` rows per unmatched need (see
        :func:`queries.needs.unmatched_needs`; a need with no candidate has
        no row), by need key, unit key, industry key and rank, with columns:

        ``need_key``, ``unit_key``, ``unit_zh``, ``unit_en``, ``industry_key``, ``industry_zh``, ``industry_en``
            The need, its unit and its industry.
        ``missing``, ``reason_zh``
            What the need lacks, as in :func:`queries.needs.unmatched_needs`.
        ``rank``
            1 for the best candidate; by score, highest first, then key.
        ``candidate_key``, ``candidate_kind``, ``candidate_zh``, ``candidate_en``
            The region or park.
        ``works_in``, ``works_in_zh``
            The fields it works in that count here: the need's industry when
            it is able in it, and the fields of its live cooperations there
            (a sub-field when it only works in one).
        ``score``
            0 to 100: the sum of the ``points_*`` columns.
        ``points_capability``, ``points_field_partner``, ``points_unit_tie``, ``points_hainan_ties``, \
``points_park_in_field``, ``points_department_in_field``, ``points_revival``
            The points of each part of the score (:data:`SCORE_PARTS`).
        ``capability``, ``field_partner``, ``unit_tie``
            Whether each of those parts holds (bool).
        ``n_hainan_cooperations``
            Live cooperations it partners, any field.
        ``parks_in_field``, ``departments_in_field``
            Keys of the paired parks and of the ministry departments behind
            those parts, sorted (empty when the part does not hold).
        ``revival``
            Whether it partnered a stalled or ended cooperation that would
            cover the need (bool).
        ``supporters``, ``supporters_zh``
            The ministry departments behind the need's field (they handle it
            or take part in its live cooperations): support, not partners.
        ``explanation_zh``, ``explanation_en``
            The parts that hold, in Chinese and in plain English.
        ``evidence``
            The weakest level of the facts the candidate's parts rest on.
        ``chain_zh``, ``chain_en``
            Its strongest tie to the field, by name.

    Raises
    ------
    ValueError
        When ``top`` is below 1.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> best = recommend_partners(example_graph(), top=1)
    >>> print(best[["need_key", "missing", "candidate_key", "score", "evidence"]].to_string(index=False))
                          need_key          missing   candidate_key  score evidence
    need:haikou-hitech:biomedicine       other-unit region:shanghai  33.33  curated
              need:hainan:deep-sea cooperation-idle region:shanghai  16.67   stated
    >>> print(best.loc[0, "explanation_en"])
    specialises in or handles Biomedicine; a paired park in the field: Shanghai Zhangjiang Hi-tech Zone
    >>> print(best.loc[0, "explanation_zh"])
    具备生物医药领域能力；同领域已结对园区：上海张江国家高新区
    """
    with gc_paused():
        weights = _checked(top, weights)
        coverage = coverage_at(source, evidence)
        needs = needs_frame(coverage)
        rows = _Candidates(coverage, weights).top_rows(
            zip(needs["need_key"], needs["unit_key"], needs["industry_key"], strict=True), top
        )
        frame = _candidate_frame(rows, weights, top=top)
        reasons = needs[["need_key", "unit_key", "industry_key", "missing", "reason_zh"]]
        merged = frame.merge(reasons, on=["need_key", "unit_key", "industry_key"], how="left", validate="many_to_one")
        return merged[RECOMMENDATION_COLUMNS]


def partner_candidates(
    source: nx.MultiDiGraph | Store,
    need: str,
    *,
    weights: Weights | None = None,
    evidence: str = "all",
) -> pd.DataFrame:
    """Return every candidate partner for one need, ranked, covered or not.

    Parameters
    ----------
    source
        The graph, or a store.
    need
        A need key.
    weights
        How the parts of the score count; :class:`Weights` by default.
    evidence
        Answer on the facts at or above this level
        (:data:`graph.evidence.EVIDENCE_CHOICES`).

    Returns
    -------
    pandas.DataFrame
        One row per candidate (per unit and field of the need, should it
        have several), by unit key, industry key and rank, with the columns
        of :func:`recommend_partners` but ``missing`` and ``reason_zh``.

    Raises
    ------
    HainetError
        When ``need`` is not a need of the graph.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> cands = partner_candidates(example_graph(), "need:haikou-hitech:biomedicine")
    >>> print(cands[["rank", "candidate_key", "score", "capability", "field_partner"]].to_string(index=False))
     rank   candidate_key  score  capability  field_partner
        1 region:shanghai  33.33        True          False
        2  region:sichuan  33.33        True          False
        3     park:tianfu  27.78       False           True
        4 park:zhangjiang  27.78       False           True
    """
    with gc_paused():
        weights = _checked(1, weights)
        coverage = coverage_at(source, evidence)
        if coverage.facts.kinds.get(need) != NodeKind.NEED.value:
            every = coverage.facts if evidence == "all" else facts_at(source, "all")
            if every.kinds.get(need) != NodeKind.NEED.value:
                _unknown_need(need)
        rows = _Candidates(coverage, weights).all_rows(need)
        return _candidate_frame(rows, weights, top=None)


def _unknown_need(need: str) -> None:
    msg = f"no Need has the key {need!r}"
    raise HainetError(msg)


def _checked(top: int, weights: Weights | None) -> Weights:
    if top < 1:
        msg = f"top must be at least 1, not {top}"
        raise ValueError(msg)
    return weights if weights is not None else Weights()


_DEPARTMENT = NodeKind.DEPARTMENT.value
_HANDLES = RelType.HANDLES.value


class _Candidates:
    """The candidates of every field, scored once per field and then per need."""

    def __init__(self, coverage: Coverage, weights: Weights) -> None:
        facts = coverage.facts
        self.coverage = coverage
        self.facts = facts
        self.weights = weights
        self.by_field = coverage.by_field
        live = facts.live
        self.live_partner_coops = {actor: coops & live for actor, coops in facts.partner_coops.items()}
        self._n_ties = {actor: len(coops) for actor, coops in self.live_partner_coops.items()}
        self.capable: dict[str, set[str]] = defaultdict(set)
        self.handlers: dict[str, set[str]] = defaultdict(set)
        for actor, rel, industry in facts.capabilities:
            self.capable[industry].add(actor)
            if rel == _HANDLES and facts.kinds[actor] == _DEPARTMENT:
                self.handlers[industry].add(actor)
        self.unit_partners: dict[str, set[str]] = {}
        self._fields: dict[str, _Field] = {}

    def n_ties(self, actor: str) -> int:
        """Return how many live cooperations ``actor`` partners."""
        return self._n_ties.get(actor, 0)

    def revivers(self, unit: str, industry: str) -> set[str]:
        """Return the regions and parks of the stalled or ended cooperations that would cover the need."""
        found = self.facts.partners_of(self.facts.covering(unit, industry, live=False))
        return {a for a in found if self.facts.kinds[a] != _DEPARTMENT}

    def field(self, industry: str) -> _Field:
        """Return the candidates of ``industry`` with their unit-free parts, best first."""
        if industry not in self._fields:
            self._fields[industry] = _Field(self, industry)
        return self._fields[industry]

    def partners_serving(self, unit: str) -> set[str]:
        """Return the partners of the live cooperations serving ``unit``."""
        if unit not in self.unit_partners:
            live = [c for c in self.facts.unit_coops.get(unit, ()) if self.facts.is_live(c)]
            self.unit_partners[unit] = self.facts.partners_of(live)
        return self.unit_partners[unit]

    def top_rows(self, needs: Iterable[tuple[str, str, str]], top: int) -> list[dict[str, Any]]:
        """Return raw rows for enough candidates of each need to hold its ``top`` best."""
        rows = []
        for need, unit, industry in needs:
            field = self.field(industry)
            revivers = self.revivers(unit, industry)
            tied = self.partners_serving(unit)
            # Only these can score above their place in field.ranked; everyone else keeps its order,
            # so the best `top` are among them and the first `top + len(raised)` of field.ranked.
            raised = (tied & field.candidates) | revivers
            scores = {a: field.base[a] for a in field.ranked[: top + len(raised)]}
            for a in raised:
                scores[a] = field.score(a, unit_tie=a in tied, revival=a in revivers)
            best = sorted(scores, key=lambda a: (-scores[a], a))[:top]
            rows += [field.row(self, need, unit, a, revivers) for a in best]
        return rows

    def all_rows(self, need: str) -> list[dict[str, Any]]:
        """Return raw rows for every candidate of ``need``."""
        rows = []
        for n, unit, industry in self.facts.needs:
            if n == need:
                field = self.field(industry)
                revivers = self.revivers(unit, industry)
                rows += [field.row(self, need, unit, a, revivers) for a in sorted(field.candidates | revivers)]
        return rows


class _Field:
    """The candidates of one industry and the parts of their score that do not depend on the unit."""

    def __init__(self, owner: _Candidates, industry: str) -> None:
        facts = owner.facts
        self.industry = industry
        self.links: dict[str, list[Any]] = defaultdict(list)
        for link in owner.coverage.links(industry):
            self.links[link.partner].append(link)
        self.partners = set(self.links)
        self.capable = owner.capable.get(industry, set())
        self.candidates = {a for a in self.capable | self.partners if facts.kinds[a] != _DEPARTMENT}
        self.parks: dict[str, set[str]] = defaultdict(set)
        for park in self.partners:
            if facts.kinds[park] == NodeKind.PARK.value:
                self.parks[park].add(park)
                for place in facts.located_in.get(park, ()):
                    self.parks[place].add(park)
        self.departments: dict[str, set[str]] = defaultdict(set)
        for dept in owner.handlers.get(industry, ()):
            self.departments[dept].add(dept)
            for coop in owner.live_partner_coops.get(dept, ()):
                for actor in facts.coop_partners.get(coop, ()):
                    self.departments[actor].add(dept)
        self.supporters = sorted(
            owner.handlers.get(industry, set()) | {a for a in self.partners if facts.kinds[a] == _DEPARTMENT}
        )
        self.owner = owner
        #: Scores without the parts that depend on the unit, and the candidates ranked by them.
        total, n_ties, capable, partners = owner.weights.total, owner.n_ties, self.capable, self.partners
        parks, departments = self.parks, self.departments
        self.base = {
            a: total(a in capable, a in partners, False, n_ties(a), bool(parks.get(a)), bool(departments.get(a)), False)
            for a in self.candidates
        }
        self.ranked = sorted(self.candidates, key=lambda a: (-self.base[a], a))
        self._shown: dict[str, tuple[Any, ...]] = {}

    def score(self, actor: str, *, unit_tie: bool, revival: bool) -> float:
        """Return the score of ``actor``, as :meth:`Weights.score` of its :meth:`parts`."""
        return self.owner.weights.total(
            actor in self.capable,
            actor in self.partners,
            unit_tie,
            self.owner.n_ties(actor),
            bool(self.parks.get(actor)),
            bool(self.departments.get(actor)),
            revival,
        )

    def parts(self, actor: str, *, unit_tie: bool, revival: bool) -> dict[str, Any]:
        """Return the parts of the score of ``actor``."""
        return {
            "capability": actor in self.capable,
            "field_partner": actor in self.partners,
            "unit_tie": unit_tie,
            "n_hainan_cooperations": self.owner.n_ties(actor),
            "parks_in_field": self.parks.get(actor, ()),
            "departments_in_field": self.departments.get(actor, ()),
            "revival": revival,
        }

    def tie(self, actor: str) -> tuple[str, str, str]:
        """Return the level and the chain of ``actor``'s strongest tie to the field."""
        facts = self.owner.facts
        industry = self.industry
        ties: list[tuple[int, str, str, str]] = []
        if actor in self.capable:
            for rel in (RelType.SPECIALISES_IN.value, RelType.HANDLES.value):
                if facts.has_capability(actor, rel, industry):
                    level = facts.path_level([actor], [(actor, rel, industry)])
                    said = "具备能力" if rel == RelType.SPECIALISES_IN.value else "主管"
                    ties.append(
                        (
                            evidence_rank(level),
                            level,
                            f"{facts.name_zh(industry)} ← {facts.name_zh(actor)}（{EVIDENCE_NAMES_ZH[level]}：{said}）",
                            f"{facts.name_en(industry)} <- {facts.name_en(actor)} ({level}: able in the field)",
                        )
                    )
        for link in self.links.get(actor, [])[:1]:
            ties.append((evidence_rank(link.level), link.level, link.chain(facts, "zh"), link.chain(facts, "en")))
        if not ties:
            level = facts.level(actor)
            return level, f"{facts.name_zh(actor)}（{EVIDENCE_NAMES_ZH[level]}）", f"{facts.name_en(actor)} ({level})"
        _, level, zh, en = min(ties)
        return level, zh, en

    def shown(self, actor: str) -> tuple[Any, ...]:
        """Return what a row shows of ``actor`` whatever the need: fields it works in, named, and its tie; once each."""
        found = self._shown.get(actor)
        if found is None:
            facts = self.owner.facts
            fields = {link.field for link in self.links.get(actor, [])}
            works_in = sorted(fields | ({self.industry} if actor in self.capable else set()))
            found = self._shown[actor] = (
                works_in,
                [facts.name_zh(f) for f in works_in],
                sorted((f, facts.name_zh(f), facts.name_en(f)) for f in fields),
                self.tie(actor),
            )
        return found

    def row(self, owner: _Candidates, need: str, unit: str, actor: str, revivers: set[str]) -> dict[str, Any]:
        """Return the raw row of ``actor`` for ``need`` of ``unit``."""
        facts = owner.facts
        parts = self.parts(actor, unit_tie=actor in owner.partners_serving(unit), revival=actor in revivers)
        named = {
            k: [[x, facts.name_zh(x), facts.name_en(x)] for x in sorted(parts[k])]
            for k in ("parks_in_field", "departments_in_field")
        }
        works_in, works_in_zh, link_fields, (level, chain_zh, chain_en) = self.shown(actor)
        need_level = facts.path_level(
            [need], [(unit, RelType.HAS_NEED.value, need), (need, RelType.IN_FIELD.value, self.industry)]
        )
        return {
            "need_key": need,
            "unit_key": unit,
            "unit_zh": facts.name_zh(unit),
            "unit_en": facts.name_en(unit),
            "industry_key": self.industry,
            "industry_zh": facts.name_zh(self.industry),
            "industry_en": facts.name_en(self.industry),
            "candidate_key": actor,
            "candidate_kind": facts.kinds[actor],
            "candidate_zh": facts.name_zh(actor),
            "candidate_en": facts.name_en(actor),
            "works_in": list(works_in),
            "works_in_zh": list(works_in_zh),
            "link_fields": link_fields,
            "supporters": self.supporters,
            "supporters_zh": [facts.name_zh(d) for d in self.supporters],
            "evidence": weakest([need_level, level]),
            "chain_zh": chain_zh,
            "chain_en": chain_en,
            **parts,
            **named,
        }


def _candidate_frame(rows: Iterable[Mapping[str, Any]], weights: Weights, *, top: int | None) -> pd.DataFrame:
    finished = []
    for row in rows:
        parks = sorted((p[0], p[1], p[2]) for p in row["parks_in_field"])
        depts = sorted((d[0], d[1], d[2]) for d in row["departments_in_field"])
        parts = {
            "capability": bool(row["capability"]),
            "field_partner": bool(row["field_partner"]),
            "unit_tie": bool(row["unit_tie"]),
            "n_hainan_cooperations": int(row["n_hainan_cooperations"]),
            "parks_in_field": [p[0] for p in parks],
            "departments_in_field": [d[0] for d in depts],
            "revival": bool(row["revival"]),
        }
        en, zh = _explanations(row, parts, parks, depts)
        points = weights.points(parts)
        finished.append(
            {
                **{k: row[k] for k in CANDIDATE_COLUMNS if k in row and k not in parts},
                **parts,
                **{f"points_{part}": value for part, value in points.items()},
                "score": weights.score(parts),
                "explanation_en": en,
                "explanation_zh": zh,
            }
        )
    frame = frame_from_rows(
        finished,
        [*CANDIDATE_COLUMNS],
        ["need_key", "unit_key", "industry_key", "score", "candidate_key"],
        ascending=[True, True, True, False, True],
    )
    if frame.empty:
        return frame
    frame["rank"] = frame.groupby(["need_key", "unit_key", "industry_key"], sort=False).cumcount() + 1
    if top is not None:
        frame = frame[frame["rank"] <= top].reset_index(drop=True)
    frame["rank"] = frame["rank"].astype(int)
    return frame


def _explanations(
    row: Mapping[str, Any],
    parts: Mapping[str, Any],
    parks: list[tuple[str, str, str]],
    depts: list[tuple[str, str, str]],
) -> tuple[str, str]:
    industry_en, industry_zh = row["industry_en"], row["industry_zh"]
    en: list[str] = []
    zh: list[str] = []
    if parts["capability"]:
        en.append(f"specialises in or handles {industry_en}")
        zh.append(f"具备{industry_zh}领域能力")
    if parts["field_partner"]:
        fields = row.get("link_fields") or []
        if fields and all(f[0] != row["industry_key"] for f in fields):
            en.append(f"already partners Hainan in {industry_en}, but only in {', '.join(f[2] for f in fields)}")
            zh.append(f"已在{industry_zh}与海南合作，但只在{'、'.join(f[1] for f in fields)}")
        else:
            en.append(f"already partners Hainan in {industry_en}")
            zh.append(f"已在{industry_zh}领域与海南合作")
    if parts["unit_tie"]:
        en.append(f"already works with {row['unit_en']}")
        zh.append(f"已与{row['unit_zh']}合作")
    n = parts["n_hainan_cooperations"]
    if n:
        en.append(f"partner in {n} active or planned cooperation{'s' if n != 1 else ''} with Hainan")
        zh.append(f"参与{n}项与海南的进行中或计划中合作")
    if parks:
        en.append(f"a paired park in the field: {', '.join(p[2] or p[0] for p in parks)}")
        zh.append(f"同领域已结对园区：{'、'.join(p[1] or p[0] for p in parks)}")
    if depts:
        en.append(f"a ministry department that handles {industry_en}: {', '.join(d[2] or d[0] for d in depts)}")
        zh.append(f"主管{industry_zh}领域的部司：{'、'.join(d[1] or d[0] for d in depts)}")
    if parts["revival"]:
        en.append("partnered a stalled or ended cooperation that would cover this need")
        zh.append("曾参与可满足该需求但已停滞或终止的合作")
    return "; ".join(en), "；".join(zh)
