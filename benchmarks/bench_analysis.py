"""Time the whole analysis on a national-scale synthetic graph.

Builds the synthetic graph (:mod:`synthetic`) in an embedded store, reads
it into networkx twice (record by record, as the reader did before it read
columns, and with :func:`graph.store.graph_from_store`), then times each
question and the total, and prints the figures: wall-clock seconds, and
the CPU seconds of this process, which tell the cost of the work itself
when other programs share the machine.  The ratios compare the two readers
and the two totals (reading included), all measured in this run.
Usage::

    python benchmarks/bench_analysis.py [N_NODES] [--store PATH]

With ``--store`` an existing file is reused when it already holds the
graph (building it takes a few minutes).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import networkx as nx
from synthetic import synthetic_plan, synthetic_records

import queries.gaps
import queries.hubs
import queries.needs
import queries.recommend
from graph.sqlite_store import SQLiteStore
from graph.store import Store, graph_from_store
from queries.gaps import coverage_pairs, industry_gaps, policy_checks, untapped_partners
from queries.hubs import hub_scores, single_points_of_failure
from queries.needs import unmatched_needs
from queries.recommend import recommend_partners

#: The analysis, in the order a planner's notebook runs it.
QUESTIONS: list[tuple[str, Callable[[Any], Any]]] = [
    ("industry_gaps", industry_gaps),
    ("coverage_pairs", coverage_pairs),
    ("untapped_partners", untapped_partners),
    ("policy_checks", policy_checks),
    ("unmatched_needs", unmatched_needs),
    ("hub_scores", hub_scores),
    ("single_points_of_failure", single_points_of_failure),
    ("recommend_partners", recommend_partners),
]


def graph_record_by_record(store: Store) -> nx.MultiDiGraph:
    """The reader as it was: one record at a time, each turned into a Node or Edge, then added."""
    G = nx.MultiDiGraph()
    for node in store.iter_nodes():
        G.add_node(node.key, **node.properties())
    for edge in store.iter_edges():
        G.add_edge(edge.source, edge.target, key=edge.type.value, type=edge.type.value, **edge.props)
    return G


def use_collector(how: str) -> None:
    """Make the questions run with the collector on (``on``), or on with older objects frozen (``frozen``)."""

    @contextlib.contextmanager
    def frozen() -> Iterator[None]:
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()

    for module in (queries.gaps, queries.hubs, queries.needs, queries.recommend):
        module.gc_paused = frozen if how == "frozen" else contextlib.nullcontext  # type: ignore[attr-defined]


def timed(label: str, work: Callable[[], Any]) -> tuple[Any, float, float]:
    start, start_cpu = time.perf_counter(), time.process_time()
    result = work()
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    print(f"{label:<28} {seconds:8.2f} s wall {cpu:8.2f} s cpu {len(result):>10,} rows", flush=True)
    return result, seconds, cpu


def build(path: Path, n_nodes: int, seed: int) -> None:
    with SQLiteStore(path) as store:
        counts = store.counts()
        plan = synthetic_plan(n_nodes=n_nodes, seed=seed)
        if counts.total_nodes == plan.n_nodes:
            print(f"reusing {path}: {counts.total_nodes:,} nodes, {counts.total_edges:,} relationships")
            return
        store.clear()
        nodes, edges = synthetic_records(n_nodes=n_nodes, seed=seed)
        start = time.perf_counter()
        store.write(nodes, edges)
        counts = store.counts()
        print(
            f"built {path}: {counts.total_nodes:,} nodes, {counts.total_edges:,} relationships "
            f"in {time.perf_counter() - start:.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_nodes", nargs="?", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--store", type=Path, help="embedded store file to build or reuse")
    parser.add_argument(
        "--collector",
        choices=["paused", "on", "frozen"],
        default="paused",
        help="during each question: the cyclic collector paused (as shipped), left on, "
        "or left on with every object made before the question frozen (gc.freeze)",
    )
    args = parser.parse_args()
    if args.collector != "paused":
        use_collector(args.collector)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "synthetic.sqlite"
        build(path, args.n_nodes, args.seed)
        with SQLiteStore(path) as store:
            before, old_read, old_cpu = timed("read record by record", lambda: graph_record_by_record(store))
            shape = (before.number_of_nodes(), before.number_of_edges())
            del before
            gc.collect()
            G, read, read_cpu = timed("graph_from_store", lambda: graph_from_store(store))
        assert (G.number_of_nodes(), G.number_of_edges()) == shape
        print(f"graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} relationships")
        print(f"{'reading ratio (before/now)':<28} {old_read / read:8.2f} x wall {old_cpu / read_cpu:8.2f} x cpu")
        total = total_cpu = 0.0
        for name, question in QUESTIONS:
            _, seconds, cpu = timed(name, lambda q=question: q(G))
            total += seconds
            total_cpu += cpu
        print(f"{'questions':<28} {total:8.2f} s wall {total_cpu:8.2f} s cpu")
        print(f"{'total, reading included':<28} {total + read:8.2f} s wall {total_cpu + read_cpu:8.2f} s cpu")
        print(f"{'total with the old reader':<28} {total + old_read:8.2f} s wall {total_cpu + old_cpu:8.2f} s cpu")
        print(
            f"{'total ratio (before/now)':<28} {(total + old_read) / (total + read):8.2f} x wall "
            f"{(total_cpu + old_cpu) / (total_cpu + read_cpu):8.2f} x cpu"
        )


if __name__ == "__main__":
    main()
