"""Hub scores and single points of failure on Neo4j: the narrow sub-graph (and GDS), against pulling the whole graph.

Starts a local Neo4j with Graph Data Science (``NEO4J_LOCAL_GDS=1
scripts/neo4j-local start``, its own port) unless ``NEO4J_URI`` is set,
loads the synthetic national-scale graph (:mod:`synthetic`) once, then in
one run, each way once:

* **on the store, networkx**: :func:`queries.hubs.hub_scores` with
  ``algorithms="networkx"`` and :func:`queries.hubs.single_points_of_failure`
  fetch only the sub-graph they read (``hub_facts.cypher``,
  ``stranding_facts.cypher``) and answer on it in Python;
* **on the store, GDS**: ``hub_scores`` with ``algorithms="gds"``: PageRank,
  betweenness and Louvain in the server, the other columns from the
  fetched sub-graph;
* **pull**: :func:`graph.store.graph_from_store` reads the whole graph and
  the same two questions answer on it in networkx.

The store-side runs go first, on a colder page cache.  It prints each time,
the ratios (pull + question) / question on the store, and how far the
answers agree (single points of failure and the networkx hub scores must be
equal; GDS PageRank within 1e-6), then times the fetches and the GDS
measures once more, apart, to show where the time goes.  Usage::

    python benchmarks/bench_hubs_neo4j.py [N_NODES] [--port PORT] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gds import local_server
from synthetic import synthetic_records

from graph.gds_server import hub_measures_in_server
from graph.neo4j_store import Neo4jStore
from graph.store import graph_from_store
from queries._facts import graph_at_level
from queries.hubs import BETWEENNESS_K, hub_scores, single_points_of_failure


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_nodes", nargs="?", type=int, default=100_000)
    parser.add_argument("--port", default="7734")
    parser.add_argument("--keep", action="store_true", help="reuse the graph already loaded, leave it loaded")
    args = parser.parse_args()
    own_server = not os.environ.get("NEO4J_URI")
    if own_server:
        os.environ.update(dict(w.split("=", 1) for w in shlex.split(local_server("start", args.port)) if "=" in w))
    try:
        with Neo4jStore(os.environ["NEO4J_URI"]) as store:
            if not (args.keep and store.counts().total_nodes):
                store.clear()
                _, seconds = timed(lambda: store.write(*synthetic_records(n_nodes=args.n_nodes)))
                print(f"loaded in {seconds:.1f} s")
            counts = store.counts()
            print(f"graph: {counts.total_nodes:,} nodes, {counts.total_edges:,} relationships")

            hubs_nx, hubs_nx_s = timed(lambda: hub_scores(store, algorithms="networkx"))
            hubs_gds, hubs_gds_s = timed(lambda: hub_scores(store, algorithms="gds"))
            spof, spof_s = timed(lambda: single_points_of_failure(store))
            G, pull_s = timed(lambda: graph_from_store(store))
            hubs_pulled, hubs_pulled_s = timed(lambda: hub_scores(G))
            spof_pulled, spof_pulled_s = timed(lambda: single_points_of_failure(G))

            gds_rank = hubs_gds.set_index("actor_key")["pagerank"]
            gap = (gds_rank - hubs_pulled.set_index("actor_key")["pagerank"].reindex(gds_rank.index)).abs().max()
            print(
                f"actors: {len(hubs_pulled):,}; hub scores on the sub-graph equal: {hubs_nx.equals(hubs_pulled)}; "
                f"GDS PageRank largest difference: {gap:.1e}"
            )
            print(f"single points of failure: {len(spof):,} rows; equal: {spof.equals(spof_pulled)}")
            print(f"pull the whole graph                       {pull_s:8.2f} s")
            print(f"hub_scores, pulled graph + networkx        {pull_s + hubs_pulled_s:8.2f} s")
            print(f"hub_scores, store sub-graph + networkx     {hubs_nx_s:8.2f} s")
            print(f"hub_scores, store sub-graph + GDS          {hubs_gds_s:8.2f} s")
            print(f"spof, pulled graph                         {pull_s + spof_pulled_s:8.2f} s")
            print(f"spof, store sub-graph                      {spof_s:8.2f} s")
            print(f"ratio hub_scores pull / sub-graph + networkx  {(pull_s + hubs_pulled_s) / hubs_nx_s:6.1f}x")
            print(f"ratio hub_scores pull / sub-graph + GDS       {(pull_s + hubs_pulled_s) / hubs_gds_s:6.1f}x")
            print(f"ratio spof pull / sub-graph                   {(pull_s + spof_pulled_s) / spof_s:6.1f}x")
            # Where the time goes, each part once more (the page cache now warm).
            _, hub_fetch_s = timed(lambda: graph_at_level(store, "all", query="hub_facts.cypher"))
            _, spof_fetch_s = timed(lambda: graph_at_level(store, "all", query="stranding_facts.cypher"))
            _, gds_s = timed(lambda: hub_measures_in_server(store.settings, betweenness_sample=BETWEENNESS_K))
            print(
                f"parts, again: fetch hub_facts.cypher {hub_fetch_s:.2f} s, stranding_facts.cypher {spof_fetch_s:.2f} s"
            )
            print(f"  GDS projection + PageRank, betweenness ({BETWEENNESS_K} sources), Louvain, WCC {gds_s:.2f} s")
            if not args.keep:
                store.clear()
    finally:
        if own_server:
            local_server("stop", args.port)


if __name__ == "__main__":
    main()
