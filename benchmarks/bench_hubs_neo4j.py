"""Hub scores on Neo4j: the actor sub-graph in one query against pulling the whole graph into networkx.

Starts a local Neo4j with ``scripts/neo4j-local`` (its own port, unless
``NEO4J_URI`` is set), loads the synthetic graph (:mod:`synthetic`) with
``--bulk`` (Neo4j's offline importer), then answers
:func:`queries.hubs.hub_scores` both ways in one run: from the store
(one Cypher query brings the live cooperations' members, the measures run
in networkx on that projection) and from the whole graph pulled with
:func:`graph.store.graph_from_store`.  Both answers are checked to be equal;
it prints the times and their ratio.  Usage::

    python benchmarks/bench_hubs_neo4j.py [N_NODES] [--port PORT]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_needs_neo4j import start_server, stop_server
from synthetic import synthetic_records

from graph.neo4j_bulk import bulk_load
from graph.neo4j_store import Neo4jStore
from graph.store import graph_from_store
from queries.hubs import hub_scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_nodes", nargs="?", type=int, default=100_000)
    parser.add_argument("--port", default="7794")
    args = parser.parse_args()
    own_server = not os.environ.get("NEO4J_URI")
    if own_server:
        os.environ.update(start_server(args.port))
    try:
        with Neo4jStore(os.environ["NEO4J_URI"]) as store:
            store.clear()
            start = time.perf_counter()
            bulk_load(store, *synthetic_records(n_nodes=args.n_nodes))
            counts = store.counts()
            print(f"loaded {counts.total_nodes:,} nodes and {counts.total_edges:,} relationships "
                  f"with --bulk in {time.perf_counter() - start:.1f} s", flush=True)

            start = time.perf_counter()
            on_server = hub_scores(store)
            projection_seconds = time.perf_counter() - start

            start = time.perf_counter()
            pulled = graph_from_store(store)
            pull_seconds = time.perf_counter() - start
            start = time.perf_counter()
            in_python = hub_scores(pulled)
            python_seconds = time.perf_counter() - start

            same = on_server.equals(in_python)
            print(f"hub scores: {len(on_server):,} actors; answers equal: {same}")
            print(f"actor sub-graph in one query       {projection_seconds:8.2f} s")
            print(f"pull the graph + networkx          {pull_seconds + python_seconds:8.2f} s "
                  f"(pull {pull_seconds:.2f} s, hub scores {python_seconds:.2f} s)")
            print(f"ratio (pull + networkx) / sub-graph {(pull_seconds + python_seconds) / projection_seconds:7.1f}x")
            store.clear()
    finally:
        if own_server:
            stop_server(args.port)


if __name__ == "__main__":
    main()
