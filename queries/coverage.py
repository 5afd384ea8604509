"""The one coverage rule: whether a need or an industry is covered, how, and on what evidence.

Every question (gaps, needs, checks, recommend, hubs), the map's filters and
the report decide coverage here, on the facts of :mod:`queries._facts`.

An industry is reached by a partner through a *link*: the partner is
``PARTNER_IN`` (or ``SUPPORTS``) a live cooperation that is ``IN_FIELD``
the industry itself or one of its sub-fields (:mod:`graph.fields`).  Its
status (:data:`INDUSTRY_STATUSES`):

``uncovered``
    no partner reaches it;
``covered-via-subfield`` (仅通过子领域覆盖)
    partners reach it, but only through sub-fields, named in ``via``;
``single-partner``
    one partner reaches it, at least once in the field itself;
``covered``
    two or more partners reach it, at least one in the field itself.

A need is ``covered`` when a live cooperation with a partner ``SERVES`` its
unit and is ``IN_FIELD`` its industry itself; ``covered-via-subfield`` when
such a cooperation serves the unit only in a sub-field; else ``uncovered``.
An unmatched need (not ``covered``) says what is missing
(:data:`NEED_MISSING`) and names its closest cooperation.

Evidence: a conclusion is as strong as the weakest fact it rests on
(:func:`graph.evidence.weakest`).  That a field is needed rests on the
industry (and, when it is not a leading industry, its strongest need); that
it is covered rests on the strongest link of each partner counted: one for
``single-partner`` and ``covered-via-subfield``, the two strongest partners
for ``covered``.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from typing import NamedTuple

import networkx as nx

from graph.evidence import EVIDENCE_LEVELS, EVIDENCE_NAMES_ZH, evidence_rank, fact_rank, weakest
from graph.schema import NodeKind, RelType
from graph.store import Store
from queries._facts import Facts, facts_at

__all__ = [
    "INDUSTRY_STATUSES",
    "NEED_MISSING",
    "NEED_STATUSES",
    "STATUS_ZH",
    "Coverage",
    "IndustryCoverage",
    "Link",
    "NeedCoverage",
    "coverage_at",
    "coverage_of",
    "tidy_zh",
]

#: Statuses of a needed industry, worst first.
INDUSTRY_STATUSES = ("uncovered", "covered-via-subfield", "single-partner", "covered")

#: Statuses of a need, worst first.
NEED_STATUSES = ("uncovered", "covered-via-subfield", "covered")

#: Chinese for every status.
STATUS_ZH = {
    "uncovered": "未覆盖",
    "covered-via-subfield": "仅通过子领域覆盖",
    "single-partner": "仅一个合作方",
    "covered": "已覆盖",
}

#: What an unmatched need lacks, closest first: the first that applies is its ``missing``.
NEED_MISSING = (
    "cooperation-idle",
    "subfield-only",
    "related-field-only",
    "other-unit",
    "no-cooperation",
    "no-partner",
)

_PARTNER_IN, _SUPPORTS = RelType.PARTNER_IN.value, RelType.SUPPORTS.value
_IN_FIELD, _PART_OF, _SERVES = RelType.IN_FIELD.value, RelType.PART_OF.value, RelType.SERVES.value
_HAS_NEED = RelType.HAS_NEED.value
_STATUS_ZH = {"active": "进行中", "planned": "计划中", "stalled": "已停滞", "ended": "已终止"}
_STEP_ZH = {_PARTNER_IN: "合作方", _SUPPORTS: "支持部门", _IN_FIELD: "合作领域"}
_STEP_EN = {_PARTNER_IN: "partner", _SUPPORTS: "supporting department", _IN_FIELD: "field of the cooperation"}
#: The sort key of (rank, path length, link) triples: strongest and shortest first.
_STRENGTH = itemgetter(0, 1)


def _zh(facts: Facts, key: str) -> str:
    return str(facts.name_zh(key) or key)


def _en(facts: Facts, key: str) -> str:
    return str(facts.name_en(key) or key)


class Link(NamedTuple):
    """One way a partner reaches an industry: partner -> cooperation -> field -> ... -> industry.

    ``path`` runs from the field the cooperation is ``IN_FIELD`` up to the
    industry (one element when they are the same).  A named tuple, not a
    dataclass: a national graph makes hundreds of thousands of them, and a
    frozen dataclass takes ten times as long to make.
    """

    partner: str
    rel: str
    coop: str
    path: tuple[str, ...]
    level: str

    @property
    def field(self) -> str:
        """Return the field the cooperation itself is in."""
        return self.path[0]

    @property
    def direct(self) -> bool:
        """Tell whether the cooperation is in the industry itself."""
        return len(self.path) == 1

    def order(self) -> tuple[int, int, str, str, str]:
        """Return the sort key of links, strongest and shortest first."""
        return (evidence_rank(self.level), len(self.path), self.coop, self.field, self.partner)

    def chain(self, facts: Facts, lang: str) -> str:
        """Return the chain of facts, industry first, named in ``lang`` (``zh`` or ``en``)."""
        zh, en = self.chains(facts)
        return zh if lang == "zh" else en

    def chains(self, facts: Facts) -> tuple[str, str]:
        """Return the chain of facts, industry first, named in Chinese and in English (:meth:`chain`)."""
        # Links share their steps (a path, a cooperation in a field, a partner of a cooperation):
        # each is put in words once per facts, in both languages at once.
        steps = facts.derived.get("chain_steps")
        if steps is None:
            steps = facts.derived["chain_steps"] = _ChainSteps({}, {}, {})
        heads, coops, partners = steps
        head = heads.get(self.path)
        if head is None:
            head = heads[self.path] = (
                " ← ".join(_chain_head(facts, self.path, "zh")),
                " <- ".join(_chain_head(facts, self.path, "en")),
            )
        coop = coops.get((self.coop, self.field))
        if coop is None:
            coop = coops[self.coop, self.field] = _chain_step(facts, self.coop, _IN_FIELD, self.field)
        partner = partners.get((self.partner, self.rel, self.coop))
        if partner is None:
            partner = partners[self.partner, self.rel, self.coop] = _chain_step(
                facts, self.partner, self.rel, self.coop
            )
        return tidy_zh(f"{head[0]} ← {coop[0]} ← {partner[0]}"), f"{head[1]} <- {coop[1]} <- {partner[1]}"


class _ChainSteps(NamedTuple):
    """The steps of chains put in words, Chinese and English, kept with the facts."""

    heads: dict[tuple[str, ...], tuple[str, str]]
    coops: dict[tuple[str, str], tuple[str, str]]
    partners: dict[tuple[str, str, str], tuple[str, str]]


def _chain_step(facts: Facts, node: str, rel: str, other: str) -> tuple[str, str]:
    """Return the step of a chain for ``node`` in Chinese and English, as strong as it and ``node -[rel]-> other``."""
    level = EVIDENCE_LEVELS[max(facts.rank(node), facts.edge_rank(node, rel, other))]
    return (
        f"{_zh(facts, node)}{_paren('zh', _level_name('zh', level), _step('zh', rel))}",
        f"{_en(facts, node)}{_paren('en', _level_name('en', level), _step('en', rel))}",
    )


def _level_name(lang: str, level: str) -> str:
    return EVIDENCE_NAMES_ZH[level] if lang == "zh" else level


def _chain_head(facts: Facts, path: tuple[str, ...], lang: str) -> list[str]:
    """Return the steps of a chain from the industry (``path[-1]``) down to the field of the cooperation."""
    name = _zh if lang == "zh" else _en
    parts = [name(facts, path[-1])]
    for child, parent in zip(path[-2::-1], path[:0:-1], strict=True):
        level = facts.path_level([child], [(child, _PART_OF, parent)])
        said = (
            f"{name(facts, child)}属于{name(facts, parent)}"
            if lang == "zh"
            else f"{name(facts, child)} is part of {name(facts, parent)}"
        )
        parts.append(f"{name(facts, child)}{_paren(lang, _level_name(lang, level), said)}")
    return parts


def tidy_zh(chain: str) -> str:
    """Return a Chinese chain with no space between a full-width bracket and the arrow after it.

    Examples
    --------
    >>> tidy_zh("旅游业 ← 医疗旅游（整理） ← 合作")
    '旅游业 ← 医疗旅游（整理）← 合作'
    """
    return chain.replace("） ← ", "）← ")


def _step(lang: str, rel: str) -> str:
    return _STEP_ZH[rel] if lang == "zh" else _STEP_EN[rel]


def _paren(lang: str, level: str, text: str) -> str:
    return f"（{level}：{text}）" if lang == "zh" else f" ({level}: {text})"


@dataclass
class IndustryCoverage:
    """How one needed industry is covered; see :mod:`queries.coverage`."""

    industry: str
    status: str
    cooperations: set[str]
    partners: list[str]
    via: list[str]
    evidence: str
    chain_zh: str
    chain_en: str


@dataclass
class NeedCoverage:
    """How one need (of one unit, in one field) is covered, and what it lacks."""

    need: str
    unit: str
    industry: str
    status: str
    missing: str | None
    closest: str | None
    closest_unit: str | None
    closest_field: str | None
    able: list[str]
    evidence: str
    chain_zh: str
    chain_en: str
    reason_zh: str
    reason_en: str


class _Decision(NamedTuple):
    """How a need is covered and what it lacks: the fields of :class:`NeedCoverage` before the words."""

    need: str
    unit: str
    industry: str
    status: str
    missing: str | None
    coop: str | None
    served: str | None
    field: str | None
    able: list[str]
    level: str


@dataclass
class Coverage:
    """The coverage of every needed industry and every need of one set of facts, decided once."""

    facts: Facts
    _links: dict[str, list[Link]] = field(default_factory=dict)
    _paths: dict[tuple[str, str], tuple[tuple[str, ...], int]] = field(default_factory=dict)
    _coops: dict[str, tuple[list[tuple[str, str, int]], list[tuple[str, int]]]] = field(default_factory=dict)
    _served: dict[str, list[str]] = field(default_factory=dict)
    _in_field: dict[str, list[str]] = field(default_factory=dict)
    _families: dict[str, set[str]] = field(default_factory=dict)
    _needed: dict[str, str] = field(default_factory=dict)

    @cached_property
    def by_field(self) -> dict[str, set[str]]:
        """Return industry -> live cooperations in its field (sub-fields included)."""
        return self.facts.live_coops_by_field()

    @cached_property
    def n_needs(self) -> dict[str, int]:
        """Return industry -> needs ``IN_FIELD`` it itself."""
        counts: dict[str, int] = {}
        for fields in self.facts.need_fields.values():
            for f in fields:
                counts[f] = counts.get(f, 0) + 1
        return counts

    @cached_property
    def able(self) -> dict[str, list[str]]:
        """Return industry -> actors that specialise in or handle it, by key."""
        found: dict[str, set[str]] = {}
        for actor, _, industry in self.facts.capabilities:
            found.setdefault(industry, set()).add(actor)
        return {i: sorted(a) for i, a in found.items()}

    def path_up(self, start: str, industry: str) -> tuple[str, ...]:
        """Return the shortest ``PART_OF`` path from ``start`` up to ``industry``, both included."""
        if start == industry:
            return (start,)
        back: dict[str, str] = {start: start}
        queue = deque([start])
        while queue:
            here = queue.popleft()
            for nxt in sorted(self.facts.parents.get(here, ())):
                if nxt not in back:
                    back[nxt] = here
                    if nxt == industry:
                        path = [nxt]
                        while path[-1] != start:
                            path.append(back[path[-1]])
                        return tuple(reversed(path))
                    queue.append(nxt)
        return (start, industry)

    def links(self, industry: str) -> list[Link]:
        """Return every link of a partner to ``industry``, strongest first."""
        if industry not in self._links:
            superfields, path_to, levels = self.facts.superfields, self._path_to, EVIDENCE_LEVELS
            coops, coop_ranks = self._coops, self._coop_ranks
            # Made in the order of the cooperation, field and partner keys, then sorted stably on
            # strength and length: the order of Link.order, without a key made per link.
            found = []
            paths: dict[str, tuple[tuple[str, ...], int]] = {}  # field -> its path up to the industry
            for coop in self._partnered_in(industry):
                partners, fields = coops.get(coop) or coop_ranks(coop)
                for f, field_rank in fields:
                    if industry not in superfields.get(f, (f,)):
                        continue
                    known = paths.get(f)
                    if known is None:
                        known = paths[f] = path_to(f, industry)
                    path, path_rank = known
                    base, length = max(field_rank, path_rank), len(path)
                    for partner, rel, partner_rank in partners:
                        rank = max(base, partner_rank)
                        found.append((rank, length, Link(partner, rel, coop, path, levels[rank])))
            found.sort(key=_STRENGTH)
            self._links[industry] = [link for _, _, link in found]
        return self._links[industry]

    def _coop_ranks(self, coop: str) -> tuple[list[tuple[str, str, int]], list[tuple[str, int]]]:
        """Return a cooperation's (partner, relationship, rank) and (field, rank), each sorted by key; once.

        A partner's rank is the weaker of itself and its relationship to the
        cooperation; a field's, the weaker of the cooperation and its
        ``IN_FIELD``.  Every industry above a field reuses them.
        """
        found = self._coops.get(coop)
        if found is None:
            facts = self.facts
            ranks, edges = facts.node_ranks, facts.edge_attrs
            partners = []
            for partner in sorted(facts.coop_partners.get(coop, ())):
                # One look-up per relationship: on a national graph each costs more than the rest.
                attrs = edges.get((partner, _PARTNER_IN, coop))
                rel = _PARTNER_IN
                if attrs is None:
                    rel, attrs = _SUPPORTS, edges[partner, _SUPPORTS, coop]
                partners.append((partner, rel, max(ranks[partner], fact_rank(attrs))))
            coop_rank, fields = ranks[coop], []
            for f in sorted(facts.coop_fields.get(coop, ())):
                fields.append((f, max(coop_rank, fact_rank(edges[coop, _IN_FIELD, f]))))
            found = self._coops[coop] = (partners, fields)
        return found

    def _path_to(self, start: str, industry: str) -> tuple[tuple[str, ...], int]:
        """Return :meth:`path_up` and the rank of its weakest fact below the industry, once per pair."""
        found = self._paths.get((start, industry))
        if found is None:
            path = self.path_up(start, industry)
            rank = self.facts.path_rank(path[:-1], [(a, _PART_OF, b) for a, b in itertools.pairwise(path)])
            found = self._paths[start, industry] = (path, rank)
        return found

    def needed_level(self, industry: str) -> str:
        """Return the evidence that ``industry`` is needed: itself, and its strongest need unless it leads."""
        found = self._needed.get(industry)
        if found is None:
            found = self._needed[industry] = self._needed_level(industry)
        return found

    def _needed_level(self, industry: str) -> str:
        facts = self.facts
        rank = facts.rank(industry)
        if industry not in facts.leading:
            needs = [
                facts.path_rank([need], [(need, _IN_FIELD, industry)]) for need in self._needs_in.get(industry, ())
            ]
            rank = max(rank, min(needs, default=0))
        return EVIDENCE_LEVELS[rank]

    @cached_property
    def _needs_in(self) -> dict[str, list[str]]:
        """Return industry -> the needs ``IN_FIELD`` it itself."""
        found: dict[str, list[str]] = {}
        for need, fields in self.facts.need_fields.items():
            for f in fields:
                found.setdefault(f, []).append(need)
        return found

    def industry(self, industry: str) -> IndustryCoverage:
        """Return how ``industry`` is covered."""
        facts = self.facts
        links = self.links(industry)
        best: dict[str, Link] = {}
        for link in links:
            best.setdefault(link.partner, link)
        counted = list(best.values())  # in the order of the links: Link.order
        direct = any(link.direct for link in links)
        if not counted:
            status, used = "uncovered", []
        elif not direct:
            status, used = "covered-via-subfield", counted[:1]
        elif len(counted) == 1:
            status, used = "single-partner", counted[:1]
        else:
            # The strongest direct link, and the strongest link of another partner.
            first = next(link for link in counted if link.direct)
            second = next(link for link in counted if link.partner != first.partner)
            status, used = "covered", sorted([first, second], key=Link.order)
        level = weakest([self.needed_level(industry), *(link.level for link in used)])
        if used:
            more = len(counted) - len(used)
            chains = [link.chains(facts) for link in used]
            zh = "；".join(zh for zh, _ in chains) + (f"；另有{more}个合作方" if more else "")
            en = "; ".join(en for _, en in chains) + (f"; and {more} more partners" if more else "")
        else:
            said = "主导产业" if industry in facts.leading else "需求领域"
            zh = f"{_zh(facts, industry)}（{EVIDENCE_NAMES_ZH[facts.level(industry)]}：{said}）：没有合作方"
            said_en = "leading industry" if industry in facts.leading else "needed field"
            en = f"{_en(facts, industry)} ({facts.level(industry)}: {said_en}): no partner"
        via = sorted({link.field for link in links if not link.direct})
        return IndustryCoverage(
            industry=industry,
            status=status,
            cooperations=set(self.by_field.get(industry, ())),  # the links' cooperations among them
            partners=sorted(best),
            via=via,
            evidence=level,
            chain_zh=zh,
            chain_en=en,
        )

    @cached_property
    def industries(self) -> dict[str, IndustryCoverage]:
        """Return the coverage of every needed industry, by key."""
        return {i: self.industry(i) for i in self.facts.needed}

    # --- needs --------------------------------------------------------------------
    def _unit_family(self, unit: str) -> set[str]:
        """Return the units above ``unit`` (``PART_OF`` or ``LOCATED_IN``) and the units directly below it."""
        found = self._families.get(unit)
        if found is None:
            found = self._families[unit] = self._family_of(unit)
        return found

    def _family_of(self, unit: str) -> set[str]:
        facts = self.facts
        family: set[str] = set()
        stack = [unit]
        while stack:
            for up in facts.unit_parents.get(stack.pop(), ()):
                if up not in family:
                    family.add(up)
                    stack.append(up)
        family |= {u for u, ups in facts.unit_parents.items() if unit in ups}
        family.discard(unit)
        return family

    def need(self, need: str, unit: str, industry: str) -> NeedCoverage:
        """Return how the need ``need`` of ``unit`` in ``industry`` is covered, and what it lacks."""
        return self._need(*self._decided(need, unit, industry))

    def _decided(self, need: str, unit: str, industry: str) -> _Decision:
        """Return how a need is covered and what it lacks, before it is put in words (:meth:`need`)."""
        facts = self.facts
        base_nodes = [need, unit, industry]
        base_edges = [(unit, _HAS_NEED, need), (need, _IN_FIELD, industry)]
        base = facts.path_level(base_nodes, base_edges)
        covering = facts.covering(unit, industry)
        if covering:
            coop = covering[0]
            level = weakest([base, facts.path_level([coop], [(coop, _SERVES, unit), (coop, _IN_FIELD, industry)])])
            return _Decision(need, unit, industry, "covered", None, coop, unit, industry, [], level)
        idle = facts.covering(unit, industry, live=False)
        if idle:
            return self._closest(need, unit, industry, "uncovered", "cooperation-idle", idle[0], unit, industry, base)
        serving = self._serving(unit)
        superfields, coop_fields = facts.superfields, facts.coop_fields
        for coop in serving:
            subs = [f for f in coop_fields.get(coop, ()) if f != industry and industry in superfields.get(f, (f,))]
            if subs:
                return self._closest(
                    need, unit, industry, "covered-via-subfield", "subfield-only", coop, unit, min(subs), base
                )
        up, parents = superfields.get(industry, {industry}), facts.parents
        for coop in serving:
            related = [
                f for f in coop_fields.get(coop, ()) if f in up or parents.get(f, set()) & parents.get(industry, set())
            ]
            if related:
                return self._closest(
                    need, unit, industry, "uncovered", "related-field-only", coop, unit, min(related), base
                )
        if self._partnered_in(industry):
            family = self._unit_family(unit)
            coop = self._nearest(industry, family)
            units = sorted(facts.coop_units.get(coop, set()), key=lambda u: (u not in family, u))
            fields = sorted(
                (f for f in coop_fields.get(coop, ()) if industry in superfields.get(f, (f,))),
                key=lambda f: (f != industry, f),
            )
            return self._closest(
                need, unit, industry, "uncovered", "other-unit", coop, units[0] if units else None, fields[0], base
            )
        able = self.able.get(industry, [])
        if able:
            shown = sorted(able, key=lambda a: (evidence_rank(self._capability_level(a, industry)), a))[:3]
            level = weakest([base, *(self._capability_level(a, industry) for a in shown[:1])])
            return _Decision(need, unit, industry, "uncovered", "no-cooperation", None, None, None, shown, level)
        return _Decision(need, unit, industry, "uncovered", "no-partner", None, None, None, [], base)

    def _nearest(self, industry: str, family: set[str]) -> str:
        """Return the live cooperation with a partner in the field of ``industry`` nearest a unit of ``family``.

        The first by key of those that serve a unit of the family, else of
        those that serve any unit, else of them all.
        """
        in_field, facts = self._partnered_in(industry), self.facts
        if family:
            near = {coop for unit in family for coop in facts.unit_coops.get(unit, ())}
            for coop in in_field:
                if coop in near:
                    return coop
        coop_units = facts.coop_units
        return next((coop for coop in in_field if coop_units.get(coop)), in_field[0])

    def _serving(self, unit: str) -> list[str]:
        """Return the live cooperations with a partner that serve ``unit``, sorted; once per unit."""
        found = self._served.get(unit)
        if found is None:
            facts = self.facts
            live, partners = facts.live, facts.coop_partners
            found = sorted(c for c in facts.unit_coops.get(unit, ()) if c in live and partners.get(c))
            self._served[unit] = found
        return found

    def _partnered_in(self, industry: str) -> list[str]:
        """Return the live cooperations with a partner in the field of ``industry``, sorted; once per industry."""
        found = self._in_field.get(industry)
        if found is None:
            partners = self.facts.coop_partners
            found = self._in_field[industry] = sorted(c for c in self.by_field.get(industry, ()) if partners.get(c))
        return found

    def _capability_level(self, actor: str, industry: str) -> str:
        facts = self.facts
        levels = [
            facts.path_level([actor], [(actor, rel, industry)])
            for rel in (RelType.SPECIALISES_IN.value, RelType.HANDLES.value)
            if facts.has_capability(actor, rel, industry)
        ]
        return min(levels, key=evidence_rank, default="user")

    def _closest(
        self,
        need: str,
        unit: str,
        industry: str,
        status: str,
        missing: str,
        coop: str,
        served: str | None,
        field_: str,
        base: str,
    ) -> _Decision:
        facts = self.facts
        edges = [(coop, _IN_FIELD, field_)]
        if served is not None:
            edges.append((coop, _SERVES, served))
        path = self.path_up(field_, industry) if industry in facts.superfields.get(field_, {field_}) else (field_,)
        edges += [(a, _PART_OF, b) for a, b in itertools.pairwise(path)]
        level = weakest([base, facts.path_level([coop, field_], edges)])
        return _Decision(need, unit, industry, status, missing, coop, served, field_, [], level)

    def _need(
        self,
        need: str,
        unit: str,
        industry: str,
        status: str,
        missing: str | None,
        coop: str | None,
        served: str | None,
        field_: str | None,
        able: list[str],
        level: str,
    ) -> NeedCoverage:
        facts = self.facts
        zh, en = _need_reason(facts, unit, industry, missing, coop, served, field_, able)
        head_level = facts.path_level([need], [(unit, _HAS_NEED, need), (need, _IN_FIELD, industry)])
        chain_zh = f"{_zh(facts, unit)}·{_zh(facts, industry)}（{EVIDENCE_NAMES_ZH[head_level]}：需求）"
        chain_en = f"{_en(facts, unit)} · {_en(facts, industry)} ({head_level}: need)"
        if coop is not None:
            coop_level = facts.path_level([coop], [(coop, _IN_FIELD, field_)] if field_ else [])
            status_zh = _STATUS_ZH.get(str(facts.status.get(coop)), str(facts.status.get(coop)))
            served_zh = f"服务{_zh(facts, served)}，" if served else ""
            served_en = f"serves {_en(facts, served)}, " if served else ""
            chain_zh += (
                f" ← {_zh(facts, coop)}（{EVIDENCE_NAMES_ZH[coop_level]}：{status_zh}，{served_zh}"
                f"领域{_zh(facts, field_ or industry)}）"
            )
            chain_en += (
                f" <- {_en(facts, coop)} ({coop_level}: {facts.status.get(coop)}, {served_en}"
                f"field {_en(facts, field_ or industry)})"
            )
        for actor in able:
            lvl = self._capability_level(actor, industry)
            chain_zh += f" ← {_zh(facts, actor)}（{EVIDENCE_NAMES_ZH[lvl]}：具备能力）"
            chain_en += f" <- {_en(facts, actor)} ({lvl}: able in the field)"
        return NeedCoverage(
            need,
            unit,
            industry,
            status,
            missing,
            coop,
            served,
            field_,
            able,
            level,
            tidy_zh(chain_zh),
            chain_en,
            zh,
            en,
        )

    @cached_property
    def needs(self) -> list[NeedCoverage]:
        """Return the coverage of every need, per unit and field, sorted by need, unit and industry."""
        return [self.need(n, u, i) for n, u, i in self.facts.needs]

    @cached_property
    def unmatched(self) -> list[NeedCoverage]:
        """Return the coverage of every need not ``covered``, in the order of :attr:`needs`.

        Only these are put in words when :attr:`needs` has not been asked for.
        """
        if "needs" in self.__dict__:
            return [found for found in self.needs if found.status != "covered"]
        # A need is covered when a cooperation covers it (Facts.covering); only the others are decided.
        covering = self.facts.covering
        decided = (self._decided(n, u, i) for n, u, i in self.facts.needs if not covering(u, i))
        return [self._need(*found) for found in decided]


def coverage_of(facts: Facts) -> Coverage:
    """Return the :class:`Coverage` of ``facts``, decided once and kept with them."""
    found = facts.derived.get("coverage")
    if found is None:
        found = facts.derived["coverage"] = Coverage(facts)
    assert isinstance(found, Coverage)
    return found


def coverage_at(source: nx.MultiDiGraph | Store, evidence: str) -> Coverage:
    """Return the :class:`Coverage` of ``source`` at or above ``evidence``, shared by every question asked of it."""
    return coverage_of(facts_at(source, evidence))


def _need_reason(
    facts: Facts,
    unit: str,
    industry: str,
    missing: str | None,
    coop: str | None,
    served: str | None,
    field_: str | None,
    able: Iterable[str],
) -> tuple[str, str]:
    """Return the one-sentence reason, Chinese and English, of a need's coverage."""
    u_zh, u_en, i_zh, i_en = _zh(facts, unit), _en(facts, unit), _zh(facts, industry), _en(facts, industry)
    c_zh, c_en = (_zh(facts, coop), _en(facts, coop)) if coop else ("", "")
    f_zh, f_en = (_zh(facts, field_), _en(facts, field_)) if field_ else ("", "")
    if missing is None:
        return f"「{c_zh}」服务{u_zh}，覆盖{i_zh}。", f"{c_en} serves {u_en} in {i_en}."
    if missing == "cooperation-idle":
        status = str(facts.status.get(coop or ""))
        return (
            f"可满足该需求的合作「{c_zh}」{_STATUS_ZH.get(status, status)}，需重启或另建合作。",
            f"The cooperation that would meet it, {c_en}, is {status}: revive it or start another.",
        )
    if missing == "subfield-only":
        return (
            f"「{c_zh}」服务{u_zh}，但只在子领域{f_zh}，未覆盖{i_zh}本身。",
            f"{c_en} serves {u_en}, but only in the sub-field {f_en}, not in {i_en} itself.",
        )
    if missing == "related-field-only":
        parent = field_ in facts.superfields.get(industry, set())
        kind_zh, kind_en = ("上级领域", "parent field") if parent else ("相邻领域", "sibling field")
        return (
            f"「{c_zh}」服务{u_zh}，但只在{kind_zh}{f_zh}，未具体到{i_zh}。",
            f"{c_en} serves {u_en}, but only in the {kind_en} {f_en}, not in {i_en}.",
        )
    if missing == "other-unit":
        if served:
            return (
                f"同领域最近的合作「{c_zh}」服务{_zh(facts, served)}，未服务{u_zh}。",
                f"The nearest cooperation in the field, {c_en}, serves {_en(facts, served)} but not {u_en}.",
            )
        return (f"同领域已有合作「{c_zh}」，但未服务{u_zh}。", f"{c_en} works in the field but does not serve {u_en}.")
    names = list(able)
    if missing == "no-cooperation":
        return (
            f"{'、'.join(_zh(facts, a) for a in names)}具备{i_zh}领域能力，但尚无合作。",
            f"{', '.join(_en(facts, a) for a in names)} can work in {i_en}, but there is no cooperation.",
        )
    return (f"没有合作方在{i_zh}领域合作或具备能力。", f"No partner works in or is able in {i_en}.")


def is_department(facts: Facts, key: str) -> bool:
    """Tell whether ``key`` is a ministry department."""
    return facts.kinds.get(key) == NodeKind.DEPARTMENT.value
