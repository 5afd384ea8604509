"""Layouts of the meeting map: partners → cooperations → Hainan units, and places.

The meeting view answers "who works with Hainan in what, and where are the
gaps".  It keeps the partners (regions other than Hainan, parks, ministry
departments), the cooperations, the Hainan demand units and the flagged
needs, with only the relationships that tie them in that order, and lays
them out in four columns; each column is ordered by the barycentre of its
neighbours so that lines cross little.  The geo view puts regions, parks
and units at the approximate longitude and latitude of their seat; no
border is drawn.  Both are deterministic.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Collection, Mapping

import networkx as nx

from graph.schema import NodeKind, RelType

__all__ = [
    "COLUMN_PITCH",
    "MEETING_COLUMNS",
    "ROW_PITCH",
    "SEATS",
    "colour_industries",
    "geo_positions",
    "layered_positions",
    "meeting_subgraph",
]

#: The columns of the meeting view, left to right: partners, cooperations, Hainan units, flagged needs.
MEETING_COLUMNS = ("partner", "cooperation", "unit", "need")

#: Vertical distance between two rows of a column, in layout units (label font is 16 units).
ROW_PITCH = 26.0

#: Horizontal distance between two columns, in layout units.
COLUMN_PITCH = 300.0

#: The region that is "Hainan": its units are the demand side, not partners.
_HAINAN = "region:hainan"

_PARTNER_KINDS = frozenset({NodeKind.REGION.value, NodeKind.PARK.value, NodeKind.DEPARTMENT.value})
_PARTNER_RELS = frozenset({RelType.PARTNER_IN.value, RelType.SUPPORTS.value})

#: Approximate longitude and latitude of the seat of the built-in regions and units.
SEATS: dict[str, tuple[float, float]] = {
    "region:beijing": (116.40, 39.90),
    "region:shanghai": (121.47, 31.23),
    "region:guangdong": (113.26, 23.13),
    "region:shenzhen": (114.06, 22.54),
    "region:guangxi": (108.37, 22.82),
    "region:hunan": (112.94, 28.23),
    "region:jiangsu": (118.80, 32.06),
    "region:zhejiang": (120.15, 30.27),
    "region:sichuan": (104.07, 30.67),
    "region:chengdu": (104.07, 30.67),
    "region:greater-bay-area": (113.50, 22.80),
    "region:pearl-river-delta": (113.30, 22.90),
    "region:hainan": (110.33, 20.03),
    "unit:hainan": (110.33, 20.03),
    "unit:haikou": (110.33, 20.03),
    "unit:haikou-hitech": (110.25, 19.98),
    "unit:fuxing-city": (110.35, 20.02),
    "unit:sanya": (109.51, 18.25),
    "unit:yazhou-bay": (109.17, 18.35),
    "unit:sanya-agri-park": (109.55, 18.30),
    "unit:nanfan": (109.30, 18.40),
    "unit:danzhou": (109.58, 19.52),
    "unit:danzhou-agri-park": (109.50, 19.55),
    "unit:wenchang": (110.80, 19.54),
    "unit:wenchang-space-city": (110.95, 19.60),
    "unit:lingshui": (110.04, 18.51),
    "unit:lingshui-agri-park": (110.00, 18.55),
    "unit:wuzhishan": (109.52, 18.78),
    "unit:boao-lecheng": (110.47, 19.15),
    "unit:eco-software-park": (110.00, 19.74),
    "unit:yangpu": (109.20, 19.73),
}

#: Hainan's units crowd one degree; the geo view shows them this many times larger around Haikou.
HAINAN_MAGNIFY = 6.0
_HAINAN_BOX = (108.5, 111.2, 18.0, 20.2)


def _kind(G: nx.MultiDiGraph, key: str) -> str:
    return str(G.nodes[key].get("kind", ""))


def _column(G: nx.MultiDiGraph, key: str, flagged: Collection[str]) -> str | None:
    kind = _kind(G, key)
    if kind in _PARTNER_KINDS and key != _HAINAN:
        return "partner"
    if kind == NodeKind.COOPERATION.value:
        return "cooperation"
    if kind == NodeKind.DEMAND_UNIT.value:
        return "unit"
    if kind == NodeKind.NEED.value and key in flagged:
        return "need"
    return None


def meeting_subgraph(G: nx.MultiDiGraph, flagged: Collection[str] = ()) -> nx.MultiDiGraph:
    """Return the part of ``G`` the meeting view draws, each node tagged with its ``column``.

    Partners in a cooperation (``PARTNER_IN``, ``SUPPORTS``), the
    cooperations, the units they ``SERVE`` and the needs in ``flagged``
    with the units that have them.  Nodes tied to nothing in that chain
    are left out.

    Parameters
    ----------
    G
        The graph.
    flagged
        Keys of the needs to show beside their unit (e.g. unmatched needs).

    Returns
    -------
    nx.MultiDiGraph
        A new graph; node attributes are copied and ``column`` (one of
        :data:`MEETING_COLUMNS`) added.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for k, kind in [("region:s", "Region"), ("coop:a", "Cooperation"), ("unit:u", "DemandUnit"),
    ...                 ("need:n", "Need"), ("need:m", "Need"), ("industry:i", "Industry")]:
    ...     G.add_node(k, kind=kind)
    >>> for u, t, v in [("region:s", "PARTNER_IN", "coop:a"), ("coop:a", "SERVES", "unit:u"),
    ...                 ("unit:u", "HAS_NEED", "need:n"), ("unit:u", "HAS_NEED", "need:m"),
    ...                 ("coop:a", "IN_FIELD", "industry:i")]:
    ...     _ = G.add_edge(u, v, key=t, type=t)
    >>> H = meeting_subgraph(G, {"need:n"})
    >>> sorted(H.nodes(data="column"))
    [('coop:a', 'cooperation'), ('need:n', 'need'), ('region:s', 'partner'), ('unit:u', 'unit')]
    """
    flagged = set(flagged)
    H = nx.MultiDiGraph()
    wanted = {
        ("partner", "cooperation"): _PARTNER_RELS,
        ("cooperation", "unit"): {RelType.SERVES.value},
        ("unit", "need"): {RelType.HAS_NEED.value},
    }
    for u, v, rel, attrs in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        cu, cv = _column(G, u, flagged), _column(G, v, flagged)
        if cu is None or cv is None or rel not in wanted.get((cu, cv), ()):
            continue
        for key, column in ((u, cu), (v, cv)):
            if key not in H:
                H.add_node(key, **G.nodes[key], column=column)
        H.add_edge(u, v, key=rel, **attrs)
    return H


def _ordered(keys: list[str], weight: Mapping[str, float]) -> list[str]:
    return sorted(keys, key=lambda k: (weight.get(k, math.inf), k))


def layered_positions(
    H: nx.MultiDiGraph,
    *,
    first: Mapping[str, str] | None = None,
    labelled: Collection[str] | None = None,
    sweeps: int = 6,
) -> dict[str, tuple[float, float]]:
    """Return the four-column layout of a :func:`meeting_subgraph`.

    Cooperations start ordered by ``first`` (e.g. their industry's name),
    then each column is reordered by the mean row of its neighbours in the
    other columns, ``sweeps`` times.  A unit takes as many rows as it has
    flagged needs, which sit in the next column on the unit's rows.  A
    labelled node takes :data:`ROW_PITCH` of height, an unlabelled one half
    of it; every column is centred on the same middle line.

    Parameters
    ----------
    H
        A graph whose nodes carry ``column``.
    first
        A sort key per cooperation for the starting order; default the key.
    labelled
        The nodes that carry a label; default all.
    sweeps
        Reordering passes.

    Returns
    -------
    dict[str, tuple[float, float]]
        Node to ``(x, y)`` in layout units, y growing downwards.

    Examples
    --------
    >>> H = nx.MultiDiGraph()
    >>> for k, c in [("p", "partner"), ("c", "cooperation"), ("u", "unit"), ("n1", "need"), ("n2", "need")]:
    ...     H.add_node(k, column=c)
    >>> H.add_edges_from([("p", "c"), ("c", "u"), ("u", "n1"), ("u", "n2")])
    [0, 0, 0, 0]
    >>> pos = layered_positions(H)
    >>> pos["u"], pos["n1"], pos["n2"]
    ((600.0, 0.0), (900.0, -13.0), (900.0, 13.0))
    """
    columns: dict[str, list[str]] = {c: [] for c in MEETING_COLUMNS}
    for key, column in sorted(H.nodes(data="column")):
        columns[str(column)].append(str(key))
    order = first or {}
    columns["cooperation"].sort(key=lambda k: (order.get(k, ""), k))
    neighbours: dict[str, set[str]] = defaultdict(set)
    for u, v in H.edges():
        neighbours[u].add(v)
        neighbours[v].add(u)
    needs_of = {u: sorted(v for v in neighbours[u] if H.nodes[v].get("column") == "need") for u in columns["unit"]}
    shown = set(H) if labelled is None else set(labelled)

    def height(key: str) -> float:
        return ROW_PITCH if key in shown else ROW_PITCH / 2

    def rows() -> dict[str, float]:
        """Return each node's centre, in layout units, every column centred on 0."""
        at: dict[str, float] = {}
        for column in ("partner", "cooperation"):
            y = -sum(height(k) for k in columns[column]) / 2
            for key in columns[column]:
                at[key] = y + height(key) / 2
                y += height(key)
        spans = {u: [height(n) for n in needs_of[u]] or [height(u)] for u in columns["unit"]}
        y = -sum(sum(s) for s in spans.values()) / 2
        for unit in columns["unit"]:
            at[unit] = y + sum(spans[unit]) / 2
            for need in needs_of[unit]:
                at[need] = y + height(need) / 2
                y += height(need)
            if not needs_of[unit]:
                y += spans[unit][0]
        return at

    def barycentre(key: str, at: Mapping[str, float], among: Collection[str]) -> float:
        values = [at[n] for n in neighbours[key] if H.nodes[n].get("column") in among]
        return sum(values) / len(values) if values else at.get(key, math.inf)

    for sweep in range(sweeps):
        at = rows()
        if sweep % 2 == 0:
            weight = {k: barycentre(k, at, ("cooperation",)) for k in columns["unit"] + columns["partner"]}
            columns["unit"] = _ordered(columns["unit"], weight)
            columns["partner"] = _ordered(columns["partner"], weight)
        else:
            weight = {k: barycentre(k, at, ("partner", "unit")) for k in columns["cooperation"]}
            columns["cooperation"] = _ordered(columns["cooperation"], weight)
    at = rows()
    x = {column: i * COLUMN_PITCH for i, column in enumerate(MEETING_COLUMNS)}
    return {key: (round(x[str(H.nodes[key]["column"])], 1), round(at[key], 1) + 0.0) for key in sorted(H, key=str)}


def colour_industries(G: nx.MultiDiGraph) -> dict[str, str]:
    """Return, for each industry, the industry whose colour it takes on a map.

    That is the industry's ancestor one step below its top (``PART_OF``
    followed up), or the top itself: 生物医药 keeps its own colour under
    高新技术产业, 医疗新技术 takes 生物医药's.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for a, b in [("industry:med", "industry:bio"), ("industry:bio", "industry:hi")]:
    ...     _ = G.add_edge(a, b, key="PART_OF", type="PART_OF")
    >>> for k in G:
    ...     G.nodes[k]["kind"] = "Industry"
    >>> colour_industries(G)
    {'industry:bio': 'industry:bio', 'industry:hi': 'industry:hi', 'industry:med': 'industry:bio'}
    """
    industry = NodeKind.INDUSTRY.value
    parent: dict[str, str] = {}
    for u, v, rel in sorted(G.edges(keys=True)):
        if rel == RelType.PART_OF.value and _kind(G, u) == industry and _kind(G, v) == industry:
            parent.setdefault(str(u), str(v))
    out: dict[str, str] = {}
    for key in sorted(k for k, a in G.nodes(data=True) if a.get("kind") == industry):
        chain = [str(key)]
        while chain[-1] in parent and parent[chain[-1]] not in chain:
            chain.append(parent[chain[-1]])
        out[str(key)] = chain[-2] if len(chain) >= 2 else chain[-1]
    return out


def _jitter(key: str, radius: float) -> tuple[float, float]:
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    angle = digest[0] / 255 * 2 * math.pi
    r = radius * (0.4 + 0.6 * digest[1] / 255)
    return r * math.cos(angle), r * math.sin(angle)


def _lonlat(G: nx.MultiDiGraph, key: str) -> tuple[float, float] | None:
    attrs = G.nodes[key]
    if isinstance(attrs.get("lon"), int | float) and isinstance(attrs.get("lat"), int | float):
        return float(attrs["lon"]), float(attrs["lat"])
    if key in SEATS:
        return SEATS[key]
    for _, target, rel in sorted(G.out_edges(key, keys=True)):
        if rel == RelType.LOCATED_IN.value and target in SEATS:
            dx, dy = _jitter(key, 0.12 if str(target) == _HAINAN else 0.6)
            lon, lat = SEATS[str(target)]
            return lon + dx, lat + dy
    if attrs.get("kind") == NodeKind.DEMAND_UNIT.value:
        # A province-wide programme has no seat of its own: Haikou, the capital.
        dx, dy = _jitter(key, 0.25)
        return SEATS[_HAINAN][0] + dx, SEATS[_HAINAN][1] + dy
    return None


def geo_positions(G: nx.MultiDiGraph, *, scale: float = 60.0) -> dict[str, tuple[float, float]]:
    """Return approximate places: regions, parks and units at their seat, the rest between their ties.

    A node's place is its ``lon``/``lat`` properties if it has both, else
    :data:`SEATS`, else its region's seat (``LOCATED_IN``) nudged by a
    hash of its key.  Hainan's units are drawn :data:`HAINAN_MAGNIFY` times
    larger around Haikou so that they do not sit on one spot.  Other nodes
    (cooperations, departments) go to the mean place of their placed
    neighbours, nudged; nodes with no placed neighbour go in a row below.

    Parameters
    ----------
    G
        The graph.
    scale
        Layout units per degree.

    Returns
    -------
    dict[str, tuple[float, float]]
        Node to ``(x, y)``, north up (y grows southwards).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("region:beijing", kind="Region")
    >>> G.add_node("region:shanghai", kind="Region")
    >>> pos = geo_positions(G)
    >>> pos["region:shanghai"][0] > pos["region:beijing"][0], pos["region:shanghai"][1] > pos["region:beijing"][1]
    (True, True)
    """
    hx, hy = SEATS[_HAINAN]
    placed: dict[str, tuple[float, float]] = {}
    for key in sorted(G, key=str):
        found = _lonlat(G, str(key))
        if found is None:
            continue
        lon, lat = found
        west, east, south, north = _HAINAN_BOX
        if west <= lon <= east and south <= lat <= north and str(key) != _HAINAN:
            lon, lat = hx + (lon - hx) * HAINAN_MAGNIFY, hy + (lat - hy) * HAINAN_MAGNIFY
        placed[str(key)] = (lon, lat)
    out = {k: (lon * scale, -lat * scale) for k, (lon, lat) in placed.items()}
    for key in sorted(G, key=str):
        if str(key) not in out and G.nodes[key].get("kind") == NodeKind.DEPARTMENT.value:
            # Ministry departments sit in Beijing, with the ministry.
            dx, dy = _jitter(str(key), 0.8)
            lon, lat = SEATS["region:beijing"]
            out[str(key)] = ((lon + dx) * scale, -(lat + dy) * scale)
    undirected = nx.Graph(G)
    lonely: list[str] = []
    for _ in range(2):
        lonely = []
        for key in [str(k) for k in sorted(G, key=str) if str(k) not in out]:
            near = [out[n] for n in sorted(undirected[key], key=str) if n in out]
            if near:
                dx, dy = _jitter(key, (0.15 if G.nodes[key].get("kind") == NodeKind.NEED.value else 0.5) * scale)
                out[key] = (sum(p[0] for p in near) / len(near) + dx, sum(p[1] for p in near) / len(near) + dy)
            else:
                lonely.append(key)
    if out:
        left = min(p[0] for p in out.values())
        bottom = max(p[1] for p in out.values()) + 2 * scale
    else:
        left, bottom = 0.0, 0.0
    for i, key in enumerate(lonely):
        out[key] = (left + (i % 20) * scale, bottom + (i // 20) * scale * 0.6)
    return {k: (round(x, 1), round(y, 1)) for k, (x, y) in sorted(out.items())}
