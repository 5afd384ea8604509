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
from itertools import repeat
from operator import neg
from typing import Any, NamedTuple

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import HainetError
from graph.evidence import EVIDENCE_NAMES_ZH, evidence_rank, weakest
from graph.schema import NodeKind, RelType
from graph.store import Store
from queries._facts import CapabilityTable, Facts, facts_at, frame_from_columns, gc_paused
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

#: The columns of the parts of a score, in the order of :data:`SCORE_PARTS`; the names :meth:`Weights.points` takes.
_PART_COLUMNS = (
    "capability",
    "field_partner",
    "unit_tie",
    "n_hainan_cooperations",
    "parks_in_field",
    "departments_in_field",
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
    *_PART_COLUMNS,
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
        keys = (needs[column].tolist() for column in ("need_key", "unit_key", "industry_key"))
        rows = _Candidates(coverage, weights).top_rows(zip(*keys, strict=True), top)
        frame = _candidate_frame(rows, top=top)
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
        return _candidate_frame(rows, top=None)


def _unknown_need(need: str) -> None:
    msg = f"no Need has the key {need!r}"
    raise HainetError(msg)


def _checked(top: int, weights: Weights | None) -> Weights:
    if top < 1:
        msg = f"top must be at least 1, not {top}"
        raise ValueError(msg)
    return weights if weights is not None else Weights()


_DEPARTMENT, _PARK = NodeKind.DEPARTMENT.value, NodeKind.PARK.value
_HANDLES = RelType.HANDLES.value

#: The parts of a score as :meth:`Weights.total` takes them, Hainan ties counted up to ``ties_saturate_at``.
_Parts = tuple[bool, bool, bool, int, bool, bool, bool]


class _Candidates:
    """The candidates of every field, ranked once per field and then per need."""

    def __init__(self, coverage: Coverage, weights: Weights) -> None:
        facts = coverage.facts
        self.coverage = coverage
        self.facts = facts
        self.weights = weights
        live = facts.live
        self.live_partner_coops = {actor: coops & live for actor, coops in facts.partner_coops.items()}
        self.n_ties = {actor: len(coops) for actor, coops in self.live_partner_coops.items()}
        #: Actor -> its live cooperations, counted up to where they stop adding to the score.
        self.ties = {actor: min(n, weights.ties_saturate_at) for actor, n in self.n_ties.items()}
        self.departments = {key for key, kind in facts.kinds.items() if kind == _DEPARTMENT}
        self.capable, self.handlers = _capable(facts.capability_table, self.departments)
        #: Actors able in some field, by their counted ties.
        self.by_ties: dict[int, set[str]] = defaultdict(set)
        for actor in facts.capability_table.actors:
            self.by_ties[self.ties.get(actor, 0)].add(actor)
        self.unit_partners: dict[str, set[str]] = {}
        self._fields: dict[str, _Field] = {}
        self._scores: dict[_Parts, float] = {}
        self._points: dict[_Parts, list[float]] = {}

    def score(self, parts: _Parts) -> float:
        """Return :meth:`Weights.total` of ``parts``, worked out once for each."""
        found = self._scores.get(parts)
        if found is None:
            found = self._scores[parts] = self.weights.total(*parts)
        return found

    def points(self, parts: _Parts) -> list[float]:
        """Return :meth:`Weights.points` of ``parts`` in the order of :data:`SCORE_PARTS`, worked out once for each."""
        found = self._points.get(parts)
        if found is None:
            named = dict(zip(_PART_COLUMNS, parts, strict=True))
            found = self._points[parts] = list(self.weights.points(named).values())
        return found

    def revivers(self, unit: str, industry: str) -> set[str]:
        """Return the regions and parks of the stalled or ended cooperations that would cover the need."""
        return self.facts.partners_of(self.facts.covering(unit, industry, live=False)) - self.departments

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

    def need_level(self, need: str, unit: str, industry: str) -> str:
        """Return the weakest level of the need, its unit's ``HAS_NEED`` and its ``IN_FIELD`` the industry."""
        return self.facts.path_level(
            [need], [(unit, RelType.HAS_NEED.value, need), (need, RelType.IN_FIELD.value, industry)]
        )

    def top_rows(self, needs: Iterable[tuple[str, str, str]], top: int) -> list[tuple[Any, ...]]:
        """Return rows for enough candidates of each need to hold its ``top`` best."""
        rows = []
        for need, unit, industry in needs:
            field = self.field(industry)
            revivers = self.revivers(unit, industry)
            tied = self.partners_serving(unit)
            # Only these can score above their place in field.best; everyone else keeps its order,
            # so the best `top` are among them and the first `top + len(raised)` of field.best.
            raised = (tied & field.candidates) | revivers
            scores = dict(field.best(top + len(raised)))
            # Able alone and tied to the unit: the score follows from the counted ties.
            plain = (tied & field.alone) - revivers
            for ties, actors in self.by_ties.items():
                found = plain & actors
                if found:
                    scores.update(dict.fromkeys(found, self.score((True, False, True, ties, False, False, False))))
            chosen = (tied & field.chosen) - revivers
            scores.update(zip(chosen, map(field.tied_score, chosen), strict=True))
            for a in revivers:
                scores[a] = self.score(field.parts(a, unit_tie=a in tied, revival=True))
            best = sorted(zip(map(neg, scores.values()), scores, strict=True))[:top]
            level = self.need_level(need, unit, industry)
            rows += [field.row(need, unit, a, level, unit_tie=a in tied, revival=a in revivers) for _, a in best]
        return rows

    def all_rows(self, need: str) -> list[tuple[Any, ...]]:
        """Return rows for every candidate of ``need``."""
        rows = []
        for n, unit, industry in self.facts.needs:
            if n == need:
                field = self.field(industry)
                revivers = self.revivers(unit, industry)
                tied = self.partners_serving(unit)
                level = self.need_level(need, unit, industry)
                rows += [
                    field.row(need, unit, a, level, unit_tie=a in tied, revival=a in revivers)
                    for a in sorted(field.candidates | revivers)
                ]
        return rows


def _capable(table: CapabilityTable, departments: set[str]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Return industry -> the actors able in it, and industry -> the departments that ``HANDLES`` it."""
    order = np.argsort(table.industry, kind="stable")
    bounds = np.searchsorted(table.industry[order], np.arange(len(table.industries) + 1)).tolist()
    able = np.array(table.actors, dtype=object)[table.actor[order]].tolist()
    capable = {industry: set(able[bounds[n] : bounds[n + 1]]) for n, industry in enumerate(table.industries)}
    handlers: dict[str, set[str]] = defaultdict(set)
    if _HANDLES in table.rels:
        rows = np.flatnonzero(table.rel == table.rels.index(_HANDLES))
        for actor, industry in zip(table.actor[rows].tolist(), table.industry[rows].tolist(), strict=True):
            if table.actors[actor] in departments:
                handlers[table.industries[industry]].add(table.actors[actor])
    return capable, handlers


class _Field:
    """The candidates of one industry and the parts of their score that do not depend on the unit."""

    def __init__(self, owner: _Candidates, industry: str) -> None:
        facts = owner.facts
        self.owner = owner
        self.industry = industry
        self.links: dict[str, list[Any]] = defaultdict(list)
        for link in owner.coverage.links(industry):
            self.links[link.partner].append(link)
        self.partners = set(self.links)
        self.capable = owner.capable.get(industry, set())
        self.candidates = (self.capable | self.partners) - owner.departments
        self.parks: dict[str, set[str]] = defaultdict(set)
        for park in self.partners:
            if facts.kinds[park] == _PARK:
                self.parks[park].add(park)
                for place in facts.located_in.get(park, ()):
                    self.parks[place].add(park)
        self.departments: dict[str, set[str]] = defaultdict(set)
        for dept in owner.handlers.get(industry, ()):
            self.departments[dept].add(dept)
            for coop in owner.live_partner_coops.get(dept, ()):
                for actor in facts.coop_partners.get(coop, ()):
                    self.departments[actor].add(dept)
        self.supporters = sorted(owner.handlers.get(industry, set()) | (self.partners & owner.departments))
        self.supporters_zh = [facts.name_zh(d) for d in self.supporters]
        #: The unit-free parts of the actors that are more than able in the field: capability, field partner,
        #: counted ties, park in field, department in field.  Every other candidate holds the capability alone.
        self.special = {
            a: (
                a in self.capable,
                a in self.partners,
                owner.ties.get(a, 0),
                bool(self.parks.get(a)),
                bool(self.departments.get(a)),
            )
            for a in self.partners | self.parks.keys() | self.departments.keys()
        }
        #: The candidates that hold the capability alone, and the others.
        self.alone = self.candidates - self.special.keys()
        self.chosen = self.candidates - self.alone
        self._tied: dict[str, float] = {}
        self._groups = self._by_score()
        self._ranked: list[tuple[str, float]] = []
        self._shown: dict[str, _Shown] = {}

    def parts(self, actor: str, *, unit_tie: bool, revival: bool) -> _Parts:
        """Return the parts of the score of ``actor``."""
        found = self.special.get(actor)
        if found is None:
            return (actor in self.capable, False, unit_tie, self.owner.ties.get(actor, 0), False, False, revival)
        capability, partner, ties, park, department = found
        return (capability, partner, unit_tie, ties, park, department, revival)

    def tied_score(self, actor: str) -> float:
        """Return the score of ``actor`` for a need of a unit it is tied to, and no revival; once each."""
        found = self._tied.get(actor)
        if found is None:
            found = self._tied[actor] = self.owner.score(self.parts(actor, unit_tie=True, revival=False))
        return found

    def _by_score(self) -> list[tuple[float, list[str]]]:
        """Return the candidates grouped by their score without the parts that depend on the unit, highest first."""
        groups: dict[float, list[str]] = defaultdict(list)
        score = self.owner.score
        for ties, actors in self.owner.by_ties.items():
            found = self.alone & actors
            if found:
                groups[score((True, False, False, ties, False, False, False))] += found
        for actor in self.chosen:
            groups[score(self.parts(actor, unit_tie=False, revival=False))].append(actor)
        return sorted(groups.items(), reverse=True)

    def best(self, n: int) -> list[tuple[str, float]]:
        """Return the first ``n`` candidates and their scores without the parts that depend on the unit, best first.

        Ties sort by key; each group of equal scores is sorted when first reached.
        """
        ranked = self._ranked
        while len(ranked) < n and self._groups:
            score, actors = self._groups.pop(0)
            ranked += zip(sorted(actors), repeat(score))
        return ranked[:n]

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

    def shown(self, actor: str) -> _Shown:
        """Return what a row shows of ``actor`` whatever the need; once each."""
        found = self._shown.get(actor)
        if found is None:
            facts = self.owner.facts
            fields = {link.field for link in self.links.get(actor, [])}
            works_in = sorted(fields | ({self.industry} if actor in self.capable else set()))
            parks, depts = sorted(self.parks.get(actor, ())), sorted(self.departments.get(actor, ()))
            found = self._shown[actor] = _Shown(
                works_in,
                [facts.name_zh(f) for f in works_in],
                self.tie(actor),
                parks,
                depts,
                _explained(
                    facts,
                    self.industry,
                    actor in self.capable,
                    actor in self.partners,
                    sorted((f, facts.name_zh(f), facts.name_en(f)) for f in fields),
                ),
                _explained_ties(facts, self.industry, self.owner.n_ties.get(actor, 0), parks, depts),
            )
        return found

    def row(
        self, need: str, unit: str, actor: str, need_level: str, *, unit_tie: bool, revival: bool
    ) -> tuple[Any, ...]:
        """Return the row of ``actor`` for ``need`` of ``unit``, in the order of :data:`CANDIDATE_COLUMNS`."""
        owner, facts, industry = self.owner, self.owner.facts, self.industry
        parts = self.parts(actor, unit_tie=unit_tie, revival=revival)
        shown = self.shown(actor)
        level, chain_zh, chain_en = shown.tie
        (head_en, head_zh), (tail_en, tail_zh) = shown.head, shown.tail
        if unit_tie:
            head_en = [*head_en, f"already works with {facts.name_en(unit)}"]
            head_zh = [*head_zh, f"已与{facts.name_zh(unit)}合作"]
        if revival:
            tail_en = [*tail_en, "partnered a stalled or ended cooperation that would cover this need"]
            tail_zh = [*tail_zh, "曾参与可满足该需求但已停滞或终止的合作"]
        return (
            need,
            unit,
            facts.name_zh(unit),
            facts.name_en(unit),
            industry,
            facts.name_zh(industry),
            facts.name_en(industry),
            0,  # the rank, given once the rows are sorted
            actor,
            facts.kinds[actor],
            facts.name_zh(actor),
            facts.name_en(actor),
            list(shown.works_in),
            list(shown.works_in_zh),
            owner.score(parts),
            *owner.points(parts),
            parts[0],
            parts[1],
            unit_tie,
            owner.n_ties.get(actor, 0),
            list(shown.parks),
            list(shown.depts),
            revival,
            self.supporters,
            list(self.supporters_zh),
            "；".join(head_zh + tail_zh),
            "; ".join(head_en + tail_en),
            weakest([need_level, level]),
            chain_zh,
            chain_en,
        )


class _Shown(NamedTuple):
    """What the rows of one candidate in one field show whatever the need."""

    works_in: list[str]
    works_in_zh: list[Any]
    #: The level and the chain, Chinese and English, of its strongest tie to the field.
    tie: tuple[str, str, str]
    parks: list[str]
    depts: list[str]
    #: The explanation's parts before the unit tie, and after it but the revival: (English, Chinese).
    head: tuple[list[str], list[str]]
    tail: tuple[list[str], list[str]]


def _candidate_frame(rows: list[tuple[Any, ...]], *, top: int | None) -> pd.DataFrame:
    frame = frame_from_columns(rows, CANDIDATE_COLUMNS)
    if frame.empty:
        return frame
    frame = frame.sort_values(
        ["need_key", "unit_key", "industry_key", "score", "candidate_key"],
        ascending=[True, True, True, False, True],
        kind="stable",
    ).reset_index(drop=True)
    frame["rank"] = frame.groupby(["need_key", "unit_key", "industry_key"], sort=False).cumcount() + 1
    if top is not None:
        frame = frame[frame["rank"] <= top].reset_index(drop=True)
    frame["rank"] = frame["rank"].astype(int)
    return frame


def _explained(
    facts: Facts, industry: str, capability: bool, field_partner: bool, fields: list[tuple[str, Any, Any]]
) -> tuple[list[str], list[str]]:
    """Return the explanation of the capability and the field partnership, in English and in Chinese."""
    industry_en, industry_zh = facts.name_en(industry), facts.name_zh(industry)
    en: list[str] = []
    zh: list[str] = []
    if capability:
        en.append(f"specialises in or handles {industry_en}")
        zh.append(f"具备{industry_zh}领域能力")
    if field_partner:
        if fields and all(f[0] != industry for f in fields):
            en.append(f"already partners Hainan in {industry_en}, but only in {', '.join(f[2] for f in fields)}")
            zh.append(f"已在{industry_zh}与海南合作，但只在{'、'.join(f[1] for f in fields)}")
        else:
            en.append(f"already partners Hainan in {industry_en}")
            zh.append(f"已在{industry_zh}领域与海南合作")
    return en, zh


def _explained_ties(
    facts: Facts, industry: str, n: int, parks: list[str], depts: list[str]
) -> tuple[list[str], list[str]]:
    """Return the explanation of the Hainan ties, the paired parks and the departments, in English and in Chinese."""
    industry_en, industry_zh = facts.name_en(industry), facts.name_zh(industry)
    en: list[str] = []
    zh: list[str] = []
    if n:
        en.append(f"partner in {n} active or planned cooperation{'s' if n != 1 else ''} with Hainan")
        zh.append(f"参与{n}项与海南的进行中或计划中合作")
    if parks:
        en.append(f"a paired park in the field: {', '.join(facts.name_en(p) or p for p in parks)}")
        zh.append(f"同领域已结对园区：{'、'.join(facts.name_zh(p) or p for p in parks)}")
    if depts:
        en.append(
            f"a ministry department that handles {industry_en}: {', '.join(facts.name_en(d) or d for d in depts)}"
        )
        zh.append(f"主管{industry_zh}领域的部司：{'、'.join(facts.name_zh(d) or d for d in depts)}")
    return en, zh
