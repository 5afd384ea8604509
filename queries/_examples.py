"""A small graph in the shape of the 2020 mechanism, for the docstring examples.

It holds one of each situation the questions tell apart: a covered need,
a need whose field has partners that do not serve its unit, a need with no
partner in its field, a need whose cooperation stalled, an untapped region,
a key task with its department, and a park pairing with a missing side.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graph.schema import Edge, Node, NodeKind, RelType

__all__ = ["example_graph", "example_records", "graph_from_records"]

_K = NodeKind
_R = RelType


def _stated(section: str, quote: str, **props: object) -> dict[str, object]:
    return {"provenance": "stated", "section": section, "quote": quote, **props}


def _curated(basis: str, **props: object) -> dict[str, object]:
    return {"provenance": "curated", "basis": basis, **props}


def example_records() -> tuple[list[Node], list[Edge]]:
    """Return the nodes and edges of the example graph."""
    nodes = [
        Node("region:sichuan", _K.REGION, "四川省", "Sichuan", _stated("二(一)", "四川")),
        Node("region:shanghai", _K.REGION, "上海市", "Shanghai", _stated("二(一)", "上海")),
        Node(
            "park:tianfu",
            _K.PARK,
            "成都天府国际生物城",
            "Chengdu Tianfu International Bio-Town",
            _stated("二(四)", "四川成都天府国际生物城"),
        ),
        Node(
            "park:zhangjiang",
            _K.PARK,
            "上海张江国家高新区",
            "Shanghai Zhangjiang Hi-tech Zone",
            _stated("二(四)", "上海张江国家高新区"),
        ),
        Node(
            "dept:regional",
            _K.DEPARTMENT,
            "科技部成果与区域司",
            "MOST Department of Achievements and Regions",
            _stated("三(二)", "科技部成果与区域司"),
        ),
        Node("industry:tourism", _K.INDUSTRY, "旅游业", "Tourism", _stated("二(一)", "旅游业", is_leading=True)),
        Node(
            "industry:services",
            _K.INDUSTRY,
            "现代服务业",
            "Modern services",
            _stated("二(一)", "现代服务业", is_leading=True),
        ),
        Node(
            "industry:hightech",
            _K.INDUSTRY,
            "高新技术产业",
            "High-tech industry",
            _stated("二(一)", "高新技术产业", is_leading=True),
        ),
        Node("industry:biomedicine", _K.INDUSTRY, "生物医药", "Biomedicine", _stated("二(一)", "生物医药")),
        Node("industry:deep-sea", _K.INDUSTRY, "深远海", "Deep sea", _stated("二(一)", "深远海")),
        Node(
            "unit:boao",
            _K.DEMAND_UNIT,
            "博鳌乐城国际医疗旅游先行区",
            "Boao Lecheng Pilot Zone",
            _stated("二(四)", "博鳌乐城国际医疗旅游先行区", unit_type="park"),
        ),
        Node(
            "unit:haikou-hitech",
            _K.DEMAND_UNIT,
            "海口高新区",
            "Haikou Hi-tech Zone",
            _stated("二(四)", "海口高新区", unit_type="park"),
        ),
        Node(
            "unit:hainan",
            _K.DEMAND_UNIT,
            "海南省",
            "Hainan Province",
            _stated("三(一)", "海南省", unit_type="province"),
        ),
        Node(
            "need:boao:biomedicine",
            _K.NEED,
            "博鳌乐城生物医药需求",
            "Boao biomedicine need",
            _stated("二(四)", "博鳌乐城国际医疗旅游先行区开展合作"),
        ),
        Node(
            "need:haikou-hitech:biomedicine",
            _K.NEED,
            "海口高新区生物医药需求",
            "Haikou biomedicine need",
            _stated("二(四)", "开展生物医药技术"),
        ),
        Node(
            "need:boao:tourism",
            _K.NEED,
            "博鳌乐城医疗旅游需求",
            "Boao medical tourism need",
            _curated("the pilot zone is a medical tourism zone"),
        ),
        Node("need:hainan:deep-sea", _K.NEED, "海南深远海需求", "Hainan deep-sea need", _stated("二(一)", "深远海")),
        Node(
            "coop:tianfu-boao",
            _K.COOPERATION,
            "天府国际生物城—博鳌乐城合作",
            "Tianfu–Boao cooperation",
            _stated(
                "二(四)", "推动四川成都天府国际生物城与博鳌乐城国", mode="point-to-point", status="active", year=2020
            ),
        ),
        Node(
            "coop:zhangjiang-haikou",
            _K.COOPERATION,
            "张江—海口高新区合作",
            "Zhangjiang–Haikou cooperation",
            _stated(
                "二(四)",
                "推动上海张江国家高新区与海口高新区开展生物医药技术",
                mode="point-to-point",
                status="planned",
                year=2021,
            ),
        ),
        Node(
            "coop:shanghai-deep-sea",
            _K.COOPERATION,
            "沪琼深远海合作",
            "Shanghai–Hainan deep-sea cooperation",
            _stated("二(一)", "开展深远海", mode="one-to-one", status="stalled", year=2020),
        ),
        Node(
            "coop:five-year-plan",
            _K.COOPERATION,
            "“十四五”科技创新规划编制支持",
            "Support for the 14th five-year plan",
            _stated("二(五)", "重点对口指导支持", mode="direct-support", status="active", year=2021),
        ),
    ]
    edges = [
        Edge("industry:biomedicine", _R.PART_OF, "industry:hightech", _curated("biomedicine is a high-tech industry")),
        Edge("park:tianfu", _R.LOCATED_IN, "region:sichuan", _curated("Tianfu is in Chengdu, Sichuan")),
        Edge("park:zhangjiang", _R.LOCATED_IN, "region:shanghai", _curated("Zhangjiang is in Shanghai")),
        Edge("unit:boao", _R.HAS_NEED, "need:boao:biomedicine", _stated("二(四)", "博鳌乐城")),
        Edge("need:boao:biomedicine", _R.IN_FIELD, "industry:biomedicine", _stated("二(四)", "生物")),
        Edge("unit:haikou-hitech", _R.HAS_NEED, "need:haikou-hitech:biomedicine", _stated("二(四)", "海口高新区")),
        Edge("need:haikou-hitech:biomedicine", _R.IN_FIELD, "industry:biomedicine", _stated("二(四)", "生物医药")),
        Edge("unit:boao", _R.HAS_NEED, "need:boao:tourism", _curated("medical tourism")),
        Edge("need:boao:tourism", _R.IN_FIELD, "industry:tourism", _curated("medical tourism")),
        Edge("unit:hainan", _R.HAS_NEED, "need:hainan:deep-sea", _stated("二(一)", "深远海")),
        Edge("need:hainan:deep-sea", _R.IN_FIELD, "industry:deep-sea", _stated("二(一)", "深远海")),
        Edge("park:tianfu", _R.PARTNER_IN, "coop:tianfu-boao", _stated("二(四)", "成都天府国际生物城")),
        Edge("coop:tianfu-boao", _R.SERVES, "unit:boao", _stated("二(四)", "博鳌乐城")),
        Edge("coop:tianfu-boao", _R.IN_FIELD, "industry:biomedicine", _curated("Bio-Town is a biomedicine park")),
        Edge("park:zhangjiang", _R.PARTNER_IN, "coop:zhangjiang-haikou", _stated("二(四)", "上海张江国家高新区")),
        Edge("coop:zhangjiang-haikou", _R.IN_FIELD, "industry:biomedicine", _stated("二(四)", "生物医药")),
        Edge("region:shanghai", _R.PARTNER_IN, "coop:shanghai-deep-sea", _stated("二(一)", "上海")),
        Edge("coop:shanghai-deep-sea", _R.SERVES, "unit:hainan", _stated("二(一)", "海南")),
        Edge("coop:shanghai-deep-sea", _R.IN_FIELD, "industry:deep-sea", _stated("二(一)", "深远海")),
        Edge("dept:regional", _R.SUPPORTS, "coop:five-year-plan", _stated("二(五)", "科技部司局直接对口支持")),
        Edge("coop:five-year-plan", _R.SERVES, "unit:hainan", _stated("二(五)", "海南省")),
        Edge("region:shanghai", _R.SPECIALISES_IN, "industry:biomedicine", _curated("Shanghai's biomedicine cluster")),
        Edge("region:sichuan", _R.SPECIALISES_IN, "industry:biomedicine", _stated("二(一)", "四川与海南开展生物医药")),
        Edge("dept:regional", _R.HANDLES, "industry:hightech", _curated("the department handles high-tech zones")),
    ]
    return nodes, edges


def graph_from_records(nodes: Iterable[Node], edges: Iterable[Edge]) -> nx.MultiDiGraph:
    """Return the graph of ``nodes`` and ``edges``, shaped as :func:`graph.store.graph_from_store` shapes it.

    Examples
    --------
    >>> G = graph_from_records(*example_records())
    >>> G.nodes["region:sichuan"]["kind"], G.edges["park:tianfu", "coop:tianfu-boao", "PARTNER_IN"]["type"]
    ('Region', 'PARTNER_IN')
    """
    G = nx.MultiDiGraph()
    for node in sorted(nodes, key=lambda n: n.key):
        G.add_node(node.key, **node.properties())
    for edge in sorted(edges, key=lambda e: e.triple):
        G.add_edge(edge.source, edge.target, key=edge.type.value, type=edge.type.value, **edge.props)
    return G


def example_graph() -> nx.MultiDiGraph:
    """Return the example graph.

    Examples
    --------
    >>> G = example_graph()
    >>> G.number_of_nodes(), G.number_of_edges()
    (21, 24)
    """
    return graph_from_records(*example_records())
