"""A national-scale synthetic cooperation network in hainet's schema, deterministic and streamed.

``synthetic_records(n_nodes=100_000)`` yields 100 000 nodes and about 1.1 million
relationships: regions in a province/city/county hierarchy, parks located
in them, ministry departments, an industry tree under the three leading
industries, Hainan's demand units with their needs, and cooperations
(active, planned, stalled, ended) between partners and units, plus
capabilities (SPECIALISES_IN, HANDLES), membership of the mechanism and
sources.  About three cooperations in five are aimed at an existing need,
so that some needs are covered, some stranded by one partner, some
stalled; the rest land at random.  Partners are drawn with a skewed
(Zipf-like) preference, so the network has hubs.

The same ``n_nodes`` and ``seed`` always give the same records, in the
same order.  Nodes and edges are generators: the edges are derived from
the same plan as the nodes, so either can be streamed without holding the
other.

Run ``python benchmarks/synthetic.py OUT_DIR [N_NODES]`` to write
``nodes.csv`` and ``edges.csv`` (the columns of :func:`graph.export.graph_to_csv`
for nodes: ``key, kind, name_zh, name_en, props``; for edges:
``source, type, target, props``, ``props`` as JSON).
"""

from __future__ import annotations

import bisect
import csv
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from graph.schema import COOPERATION_MODES, DEMAND_UNIT_TYPES, Edge, Node, NodeKind, RelType

__all__ = ["SyntheticPlan", "sample_records", "synthetic_plan", "synthetic_records", "write_csv"]

_K = NodeKind
_R = RelType

#: Share of the nodes of each kind (the rest are cooperations).
_SHARES = {
    _K.REGION: 0.030,
    _K.PARK: 0.020,
    _K.DEPARTMENT: 0.002,
    _K.INDUSTRY: 0.003,
    _K.DEMAND_UNIT: 0.020,
    _K.NEED: 0.300,
    _K.SOURCE: 0.0001,
}
_STATUSES = ("active", "planned", "stalled", "ended")
_STATUS_WEIGHTS = (0.5, 0.2, 0.15, 0.15)
_LEADING = (
    ("tourism", "旅游业", "Tourism"),
    ("services", "现代服务业", "Modern services"),
    ("hightech", "高新技术产业", "High-tech industry"),
)
#: Draws of the industries each region, park or department SPECIALISES_IN (half skewed, half uniform).
_SPECIALISMS = 130
_BASIS = {"provenance": "curated", "basis": "synthetic benchmark record"}


@dataclass(frozen=True)
class SyntheticPlan:
    """How many nodes of each kind a synthetic graph has; keys follow from the counts."""

    seed: int
    regions: int
    parks: int
    departments: int
    industries: int
    units: int
    needs: int
    sources: int
    cooperations: int

    @property
    def n_nodes(self) -> int:
        """Return the number of nodes, the mechanism included."""
        return (
            self.regions
            + self.parks
            + self.departments
            + self.industries
            + self.units
            + self.needs
            + self.sources
            + self.cooperations
            + 1
        )

    def region(self, i: int) -> str:
        """Return the key of region ``i``; region 0 is Hainan."""
        return f"region:r{i:05d}" if i else "region:hainan"

    def park(self, i: int) -> str:
        """Return the key of park ``i``."""
        return f"park:p{i:05d}"

    def department(self, i: int) -> str:
        """Return the key of department ``i``."""
        return f"dept:d{i:04d}"

    def industry(self, i: int) -> str:
        """Return the key of industry ``i``; 0, 1 and 2 are the leading ones."""
        return f"industry:{_LEADING[i][0]}" if i < len(_LEADING) else f"industry:i{i:04d}"

    def unit(self, i: int) -> str:
        """Return the key of demand unit ``i``."""
        return f"unit:u{i:05d}"

    def cooperation(self, i: int) -> str:
        """Return the key of cooperation ``i``."""
        return f"coop:c{i:06d}"

    def source(self, i: int) -> str:
        """Return the key of source ``i``."""
        return f"source:s{i:03d}"

    def need_pairs(self) -> list[tuple[int, int]]:
        """Return the (unit, industry) of every need, in key order, distinct."""
        rng = random.Random(self.seed * 7 + 1)
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < self.needs:
            pairs.add((rng.randrange(self.units), _skewed(rng, self.industries)))
        return sorted(pairs)

    def need(self, unit: int, industry: int) -> str:
        """Return the key of the need of ``unit`` in ``industry``."""
        return f"need:u{unit:05d}:{self.industry(industry).removeprefix('industry:')}"


def synthetic_plan(*, n_nodes: int = 100_000, seed: int = 42) -> SyntheticPlan:
    """Return the plan of a synthetic graph of about ``n_nodes`` nodes."""
    if n_nodes < 1_000:
        msg = f"n_nodes must be at least 1000, not {n_nodes}"
        raise ValueError(msg)
    counts = {kind: max(int(n_nodes * share), 1) for kind, share in _SHARES.items()}
    counts[_K.INDUSTRY] = max(counts[_K.INDUSTRY], 30)
    counts[_K.REGION] = max(counts[_K.REGION], 40)
    rest = n_nodes - sum(counts.values()) - 1
    units, industries = counts[_K.DEMAND_UNIT], counts[_K.INDUSTRY]
    needs = min(counts[_K.NEED], units * industries // 2)
    return SyntheticPlan(
        seed=seed,
        regions=counts[_K.REGION],
        parks=counts[_K.PARK],
        departments=counts[_K.DEPARTMENT],
        industries=industries,
        units=units,
        needs=needs,
        sources=counts[_K.SOURCE],
        cooperations=rest + counts[_K.NEED] - needs,
    )


def _skewed(rng: random.Random, n: int) -> int:
    """Return an index below ``n``, small ones more likely (about Zipf 1)."""
    return min(int(n ** rng.random()) - 1, n - 1)


def synthetic_records(*, n_nodes: int = 100_000, seed: int = 42) -> tuple[Iterator[Node], Iterator[Edge]]:
    """Return generators of the nodes and the relationships of a synthetic graph.

    Parameters
    ----------
    n_nodes
        About how many nodes; relationships are about ten times as many.
    seed
        Seed of every random choice.

    Examples
    --------
    >>> nodes, edges = synthetic_records(n_nodes=2_000, seed=1)
    >>> nodes = list(nodes); edges = list(edges)
    >>> len(nodes), len(edges) > 5 * len(nodes)
    (2000, True)
    >>> len({e.triple for e in edges}) == len(edges)
    True
    """
    plan = synthetic_plan(n_nodes=n_nodes, seed=seed)
    return _nodes(plan), _edges(plan)


def sample_records(*, scale: float = 0.01, seed: int = 42) -> tuple[Iterator[Node], Iterator[Edge]]:
    """Return a smaller synthetic graph of the same shape: ``scale`` × 100 000 nodes (at least 1000)."""
    return synthetic_records(n_nodes=max(int(100_000 * scale), 1_000), seed=seed)


def _node(key: str, kind: NodeKind, zh: str, en: str, **props: object) -> Node:
    return Node(key, kind, zh, en, {**_BASIS, **props})


def _nodes(plan: SyntheticPlan) -> Iterator[Node]:
    rng = random.Random(plan.seed * 7 + 2)
    yield _node(
        "mech:open-innovation", _K.MECHANISM, "海南开放创新合作机制", "Hainan Open Innovation Cooperation Mechanism"
    )
    for i in range(plan.sources):
        yield _node(plan.source(i), _K.SOURCE, f"来源{i}", f"Source {i}")
    yield _node(plan.region(0), _K.REGION, "海南省", "Hainan")
    for i in range(1, plan.regions):
        yield _node(plan.region(i), _K.REGION, f"地区{i}", f"Region {i}")
    for i in range(plan.parks):
        yield _node(plan.park(i), _K.PARK, f"园区{i}", f"Park {i}")
    for i in range(plan.departments):
        yield _node(plan.department(i), _K.DEPARTMENT, f"司局{i}", f"Department {i}")
    for i in range(plan.industries):
        if i < len(_LEADING):
            yield _node(plan.industry(i), _K.INDUSTRY, _LEADING[i][1], _LEADING[i][2], is_leading=True)
        else:
            yield _node(plan.industry(i), _K.INDUSTRY, f"产业{i}", f"Industry {i}", is_leading=False)
    for i in range(plan.units):
        yield _node(
            plan.unit(i),
            _K.DEMAND_UNIT,
            f"需求单位{i}",
            f"Demand unit {i}",
            unit_type=DEMAND_UNIT_TYPES[i % len(DEMAND_UNIT_TYPES)],
        )
    for unit, industry in plan.need_pairs():
        yield _node(plan.need(unit, industry), _K.NEED, f"需求{unit}-{industry}", f"Need {unit}/{industry}")
    for i in range(plan.cooperations):
        status = rng.choices(_STATUSES, _STATUS_WEIGHTS)[0]
        yield _node(
            plan.cooperation(i),
            _K.COOPERATION,
            f"合作{i}",
            f"Cooperation {i}",
            mode=COOPERATION_MODES[i % len(COOPERATION_MODES)],
            status=status,
            year=2020 + i % 6,
            section=("二(四)", "二(五)", "二(一)")[i % 3],
        )


def _edge(source: str, rel: RelType, target: str) -> Edge:
    return Edge(source, rel, target, _BASIS)


def _edges(plan: SyntheticPlan) -> Iterator[Edge]:
    rng = random.Random(plan.seed * 7 + 3)
    mech = "mech:open-innovation"
    partners = (
        [plan.region(i) for i in range(1, plan.regions)]
        + [plan.park(i) for i in range(plan.parks)]
        + [plan.department(i) for i in range(plan.departments)]
    )
    rng.shuffle(partners)
    # Zipf-like preference: the partner at position r is drawn with weight 1/(r+1).
    cumulative = list(accumulate(1 / (r + 1) for r in range(len(partners))))

    def partner() -> str:
        return partners[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]

    provinces = max(plan.regions // 90, 3)
    cities = max(plan.regions // 9, provinces + 1)
    for i in range(1, plan.regions):
        key = plan.region(i)
        if i >= provinces:
            parent = rng.randrange(1, provinces) if i < cities else rng.randrange(provinces, cities)
            yield _edge(key, _R.PART_OF, plan.region(parent))
        yield _edge(key, _R.MEMBER_OF, mech)
    for i in range(plan.parks):
        yield _edge(plan.park(i), _R.LOCATED_IN, plan.region(rng.randrange(1, plan.regions)))
        yield _edge(plan.park(i), _R.MEMBER_OF, mech)
    for i in range(plan.departments):
        yield _edge(plan.department(i), _R.MEMBER_OF, mech)
        for industry in sorted(rng.sample(range(plan.industries), min(5, plan.industries))):
            yield _edge(plan.department(i), _R.HANDLES, plan.industry(industry))
    for i in range(len(_LEADING), plan.industries):
        if rng.random() < 0.7:
            parent = rng.randrange(len(_LEADING)) if i < len(_LEADING) * 10 else rng.randrange(i)
            yield _edge(plan.industry(i), _R.PART_OF, plan.industry(parent))
    for p in partners:
        draws = [_skewed(rng, plan.industries) for _ in range(_SPECIALISMS // 2)]
        draws += [rng.randrange(plan.industries) for _ in range(_SPECIALISMS // 2)]
        for industry in sorted(set(draws)):
            yield _edge(p, _R.SPECIALISES_IN, plan.industry(industry))
    for i in range(plan.units):
        yield _edge(plan.unit(i), _R.LOCATED_IN, plan.region(0))
        yield _edge(plan.unit(i), _R.MEMBER_OF, mech)
    pairs = plan.need_pairs()
    for unit, industry in pairs:
        need = plan.need(unit, industry)
        yield _edge(plan.unit(unit), _R.HAS_NEED, need)
        yield _edge(need, _R.IN_FIELD, plan.industry(industry))
        yield _edge(need, _R.STATED_IN, plan.source(rng.randrange(plan.sources)))
    for i in range(plan.cooperations):
        coop = plan.cooperation(i)
        if rng.random() < 0.6:
            unit, industry = pairs[rng.randrange(len(pairs))]
            units, fields = {unit}, {industry}
        else:
            units, fields = {rng.randrange(plan.units)}, {_skewed(rng, plan.industries)}
        if rng.random() < 0.5:
            units.add(rng.randrange(plan.units))
        if rng.random() < 0.5:
            fields.add(_skewed(rng, plan.industries))
        chosen = {partner() for _ in range(rng.choice((1, 2, 2, 3, 3)))}
        for p in sorted(chosen):
            yield _edge(p, _R.SUPPORTS if p.startswith("dept:") and rng.random() < 0.5 else _R.PARTNER_IN, coop)
        for unit in sorted(units):
            yield _edge(coop, _R.SERVES, plan.unit(unit))
        for industry in sorted(fields):
            yield _edge(coop, _R.IN_FIELD, plan.industry(industry))
        for source in sorted({rng.randrange(plan.sources) for _ in range(2)}):
            yield _edge(coop, _R.STATED_IN, plan.source(source))


def write_csv(folder: str | Path, *, n_nodes: int = 100_000, seed: int = 42) -> dict[str, Path]:
    """Write the synthetic graph as ``nodes.csv`` and ``edges.csv`` in ``folder``; return their paths.

    Node rows are ``key, kind, name_zh, name_en, props``, edge rows
    ``source, type, target, props``; ``props`` is canonical JSON.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    nodes, edges = synthetic_records(n_nodes=n_nodes, seed=seed)
    paths = {"nodes.csv": folder / "nodes.csv", "edges.csv": folder / "edges.csv"}
    with paths["nodes.csv"].open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["key", "kind", "name_zh", "name_en", "props"])
        for node in nodes:
            writer.writerow([node.key, node.kind.value, node.name_zh, node.name_en, node.props_json()])
    with paths["edges.csv"].open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["source", "type", "target", "props"])
        for edge in edges:
            writer.writerow([edge.source, edge.type.value, edge.target, edge.props_json()])
    return paths


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "synthetic"
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    written = write_csv(out, n_nodes=size)
    print(json.dumps({name: str(path) for name, path in written.items()}, ensure_ascii=False))
