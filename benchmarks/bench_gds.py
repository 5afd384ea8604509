"""Hub measures in the server with Graph Data Science, against pulling the whole graph into networkx.

Starts a local Neo4j with Graph Data Science (``NEO4J_LOCAL_GDS=1
scripts/neo4j-local start``, its own port) unless ``NEO4J_URI`` is set,
loads the synthetic national-scale graph (:mod:`synthetic`) once, then in
one run:

* **in the server**: :func:`graph.gds_server.hub_measures_in_server`, which
  projects the actor network with one Cypher aggregation and runs PageRank,
  betweenness (sampled from ``--sample`` sources, as
  :func:`queries.hubs.hub_scores` samples above its ``EXACT_BELOW``),
  Louvain and weakly connected components in GDS;
* **in Python**: :func:`graph.store.graph_from_store` pulls the whole graph,
  :func:`queries.hubs.actor_projection` builds the same projection, and
  networkx answers the same four measures (PageRank as ``hub_scores`` asks
  for it, :func:`queries.hubs.betweenness_centrality` from the same number
  of sources, Louvain, connected components);

and prints both times, their ratio, and how far the answers agree.  Usage::

    python benchmarks/bench_gds.py [N_NODES] [--port PORT] [--sample K] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import networkx as nx
from synthetic import synthetic_records

from graph.gds_server import hub_measures_in_server, numbered_groups
from graph.neo4j_store import Neo4jStore
from graph.store import graph_from_store
from queries.hubs import BETWEENNESS_K, actor_projection, betweenness_centrality

ROOT = Path(__file__).resolve().parent.parent


def local_server(command: str, port: str) -> str:
    env = {**os.environ, "NEO4J_LOCAL_PORT": port, "NEO4J_LOCAL_GDS": "1"}
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "neo4j-local"), command],
        env=env,
        capture_output=True,
        text=True,
        check=command == "start",
    ).stdout


def networkx_measures(store: Neo4jStore, *, sample: int, seed: int) -> tuple[dict[str, float], float, float]:
    """Return networkx's PageRank, and the seconds to pull the graph and to answer the four measures."""
    start = time.perf_counter()
    G = graph_from_store(store)
    pull = time.perf_counter() - start
    start = time.perf_counter()
    P = actor_projection(G)
    pagerank = nx.pagerank(P, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
    betweenness_centrality(P, k=min(sample, len(P)), seed=seed)
    nx.community.louvain_communities(P, weight="weight", seed=seed)
    numbered_groups({key: number for number, c in enumerate(nx.connected_components(P)) for key in c})
    return pagerank, pull, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_nodes", nargs="?", type=int, default=100_000)
    parser.add_argument("--port", default="7708")
    parser.add_argument("--sample", type=int, default=BETWEENNESS_K, help="betweenness sources (both sides)")
    parser.add_argument("--keep", action="store_true", help="reuse the graph already loaded, leave it loaded")
    args = parser.parse_args()
    own_server = not os.environ.get("NEO4J_URI")
    if own_server:
        os.environ.update(dict(w.split("=", 1) for w in shlex.split(local_server("start", args.port)) if "=" in w))
    try:
        with Neo4jStore(os.environ["NEO4J_URI"]) as store:
            if not (args.keep and store.counts().total_nodes):
                store.clear()
                start = time.perf_counter()
                store.write(*synthetic_records(n_nodes=args.n_nodes))
                print(f"loaded in {time.perf_counter() - start:.1f} s")
            counts = store.counts()
            print(f"graph: {counts.total_nodes:,} nodes, {counts.total_edges:,} relationships")

            start = time.perf_counter()
            in_server = hub_measures_in_server(betweenness_sample=args.sample)
            gds_seconds = time.perf_counter() - start

            pagerank, pull_seconds, python_seconds = networkx_measures(store, sample=args.sample, seed=42)
            networkx_seconds = pull_seconds + python_seconds

            ours = in_server.set_index("actor_key")["pagerank"]
            gap = max(abs(ours[k] - pagerank[k]) for k in pagerank)
            same_actors = set(ours.index) == set(pagerank)
            print(f"actors: {len(in_server):,}; same actors: {same_actors}; largest PageRank difference: {gap:.1e}")
            print(f"GDS in the server                  {gds_seconds:8.2f} s")
            print(
                f"pull into networkx + networkx      {networkx_seconds:8.2f} s "
                f"(pull {pull_seconds:.2f} s, measures {python_seconds:.2f} s)"
            )
            print(f"ratio (pull + networkx) / GDS      {networkx_seconds / gds_seconds:8.1f}x")
            if not args.keep:
                store.clear()
    finally:
        if own_server:
            local_server("stop", args.port)


if __name__ == "__main__":
    main()
