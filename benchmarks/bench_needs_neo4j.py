"""Unmatched needs on Neo4j: the facts restricted to the level on the server, against pulling the whole graph.

Starts a local Neo4j with ``scripts/neo4j-local`` (its own port, unless
``NEO4J_URI`` is set), loads the synthetic national-scale graph
(:mod:`synthetic`) once, then answers :func:`queries.needs.unmatched_needs`
both ways in one run and prints the times and their ratio.  Both answers
are checked to be equal.  Usage::

    python benchmarks/bench_needs_neo4j.py [N_NODES] [--port PORT]
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

from synthetic import synthetic_records

from graph.neo4j_store import Neo4jStore
from graph.store import graph_from_store
from queries.needs import unmatched_needs

ROOT = Path(__file__).resolve().parent.parent


def start_server(port: str) -> dict[str, str]:
    env = {**os.environ, "NEO4J_LOCAL_PORT": port}
    out = subprocess.run(
        ["bash", str(ROOT / "scripts" / "neo4j-local"), "start"], env=env, capture_output=True, text=True, check=True
    ).stdout
    return dict(word.split("=", 1) for word in shlex.split(out) if "=" in word)


def stop_server(port: str) -> None:
    env = {**os.environ, "NEO4J_LOCAL_PORT": port}
    subprocess.run(["bash", str(ROOT / "scripts" / "neo4j-local"), "stop"], env=env, capture_output=True, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_nodes", nargs="?", type=int, default=100_000)
    parser.add_argument("--port", default="7793")
    args = parser.parse_args()
    own_server = not os.environ.get("NEO4J_URI")
    if own_server:
        os.environ.update(start_server(args.port))
    try:
        with Neo4jStore(os.environ["NEO4J_URI"]) as store:
            store.clear()
            start = time.perf_counter()
            nodes, edges = synthetic_records(n_nodes=args.n_nodes)
            store.write(nodes, edges)
            counts = store.counts()
            print(
                f"loaded {counts.total_nodes:,} nodes and {counts.total_edges:,} relationships "
                f"in {time.perf_counter() - start:.1f} s"
            )

            start = time.perf_counter()
            on_server = unmatched_needs(store)
            cypher_seconds = time.perf_counter() - start

            start = time.perf_counter()
            pulled = graph_from_store(store)
            pull_seconds = time.perf_counter() - start
            start = time.perf_counter()
            in_python = unmatched_needs(pulled)
            python_seconds = time.perf_counter() - start

            same = on_server.reset_index(drop=True).equals(in_python.reset_index(drop=True))
            print(f"unmatched needs: {len(on_server):,} rows; answers equal: {same}")
            print(f"server-side Cypher                 {cypher_seconds:8.2f} s")
            print(
                f"pull into networkx + networkx      {pull_seconds + python_seconds:8.2f} s "
                f"(pull {pull_seconds:.2f} s, query {python_seconds:.2f} s)"
            )
            print(f"ratio (pull + networkx) / Cypher   {(pull_seconds + python_seconds) / cypher_seconds:8.1f}x")
            store.clear()
    finally:
        if own_server:
            stop_server(args.port)


if __name__ == "__main__":
    main()
