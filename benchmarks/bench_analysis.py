"""Time the whole analysis on a national-scale synthetic graph.

Builds the synthetic graph (:mod:`synthetic`) in an embedded store, reads
it into networkx twice (record by record, as the reader did before it read
columns, and with :func:`graph.store.graph_from_store`), then times each
question and the total, and prints the figures: wall-clock seconds, and
the CPU seconds of this process, which tell the cost of the work itself
when other programs share the machine.  The ratios compare the two readers
and the two totals (reading included), all measured in this run.

With ``--baseline-ref`` (the code before the questions shared their work, by
default), the packages of that git revision are taken out into a temporary
folder and the same reading and questions run on the same store in a
child process; the benchmark prints each question's time then and now, the
ratios, and whether every answer is the same.
Usage::

    python benchmarks/bench_analysis.py [N_NODES] [--store PATH] [--baseline-ref REF | --no-baseline]

With ``--store`` an existing file is reused when it already holds the
graph (building it takes a few minutes).

The questions are asked as the meeting report asks them, sharing one
reading of the graph (``queries._facts.facts_shared``); with
``--each-checked`` each one checks the graph for changes first, as a
notebook cell does (about a second more per question at 1M relationships).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import pickle
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import networkx as nx
import pandas as pd
from synthetic import synthetic_plan, synthetic_records

import graph.store
import queries.checks
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

#: The code before the questions shared their work: the default baseline.
BASELINE_REF = "7e5d9ac"

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

    for module in (queries.gaps, queries.hubs, queries.needs, queries.recommend, queries.checks):
        module.gc_paused = frozen if how == "frozen" else contextlib.nullcontext  # type: ignore[attr-defined]
    graph.store.collector_paused = frozen if how == "frozen" else contextlib.nullcontext  # type: ignore[assignment]


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


def one_reading(G: nx.MultiDiGraph, *, checked: bool) -> contextlib.AbstractContextManager[None]:
    """The questions asked as the report asks them: in one ``facts_shared`` block, the graph read once.

    With ``checked`` (or with code older than ``facts_shared``), each
    question checks the graph for changes first, as a notebook cell does.
    """
    try:
        from queries._facts import facts_shared
    except ImportError:
        return contextlib.nullcontext()
    return contextlib.nullcontext() if checked else facts_shared(G)


def run_analysis(path: Path, *, checked: bool = False) -> dict[str, Any]:
    """Read the store at ``path`` and ask every question; return the times and the answers."""
    times: dict[str, tuple[float, float]] = {}
    answers: dict[str, Any] = {}
    with SQLiteStore(path) as store:
        G, seconds, cpu = timed("graph_from_store", lambda: graph_from_store(store))
    times["graph_from_store"] = (seconds, cpu)
    print(f"graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} relationships", flush=True)
    with one_reading(G, checked=checked):
        for name, question in QUESTIONS:
            answers[name], seconds, cpu = timed(name, lambda q=question: q(G))
            times[name] = (seconds, cpu)
    return {"times": times, "answers": answers}


def baseline(ref: str, path: Path, tmp: Path, *, checked: bool) -> dict[str, Any] | None:
    """Run :func:`run_analysis` with the packages of git revision ``ref``, in a child process; ``None`` if it cannot."""
    root = Path(__file__).resolve().parent.parent
    if shutil.which("git") is None:
        print("baseline skipped: git is not available")
        return None
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", ref, "graph", "loaders", "queries"], capture_output=True, check=False
    )
    if archive.returncode != 0:
        print(f"baseline skipped: git archive {ref}: {archive.stderr.decode(errors='replace').strip()}")
        return None
    code = tmp / "baseline"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(code, filter="data")
    out = tmp / "baseline.pickle"
    env = {**os.environ, "PYTHONPATH": str(code)}
    print(f"baseline: the packages of {ref}, in a child process", flush=True)
    command = [sys.executable, __file__, "--store", str(path), "--worker", str(out)]
    if checked:
        command.append("--each-checked")
    if subprocess.run(command, env=env, check=False).returncode != 0:
        print("baseline skipped: the child process failed")
        return None
    with out.open("rb") as f:
        found: dict[str, Any] = pickle.load(f)
    return found


def same_answer(before: Any, now: Any) -> bool:
    try:
        pd.testing.assert_frame_equal(before, now, check_exact=True)
    except AssertionError:
        return False
    return True


def compare(before: dict[str, Any], now: dict[str, Any], ref: str) -> None:
    print(f"\n{'vs ' + ref:<28} {'before cpu':>12} {'now cpu':>10} {'ratio':>8} {'same answer':>12}")
    for name, (_, cpu) in now["times"].items():
        then = before["times"][name][1]
        same = "-" if name not in now["answers"] else str(same_answer(before["answers"][name], now["answers"][name]))
        print(f"{name:<28} {then:10.2f} s {cpu:8.2f} s {then / cpu:7.2f}x {same:>12}")
    walls = [sum(t[0] for t in run["times"].values()) for run in (before, now)]
    cpus = [sum(t[1] for t in run["times"].values()) for run in (before, now)]
    print(f"{'total, reading included':<28} {cpus[0]:10.2f} s {cpus[1]:8.2f} s {cpus[0] / cpus[1]:7.2f}x")
    print(f"{'total ratio (before/now)':<28} {walls[0] / walls[1]:8.2f} x wall {cpus[0] / cpus[1]:8.2f} x cpu")
    print(f"load average now: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_nodes", nargs="?", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--store", type=Path, help="embedded store file to build or reuse")
    parser.add_argument(
        "--collector",
        choices=["paused", "on", "frozen"],
        default="paused",
        help="during reading and each question: the cyclic collector paused (as shipped), left on, "
        "or left on with every object made before the question frozen (gc.freeze)",
    )
    parser.add_argument(
        "--baseline-ref",
        default=BASELINE_REF,
        help=f"git revision whose packages are timed on the same store for the ratios (default {BASELINE_REF})",
    )
    parser.add_argument("--no-baseline", action="store_true", help="time the code as it is only")
    parser.add_argument("--no-record-reader", action="store_true", help="skip the record-by-record reader")
    parser.add_argument(
        "--each-checked",
        action="store_true",
        help="ask each question on its own, the graph checked for changes every time, as notebook cells do "
        "(by default the questions share one reading of the graph, as the report asks them)",
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        with args.worker.open("wb") as f:
            pickle.dump(run_analysis(args.store, checked=args.each_checked), f)
        return
    if args.collector != "paused":
        use_collector(args.collector)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "synthetic.sqlite"
        build(path, args.n_nodes, args.seed)
        if not args.no_record_reader:
            with SQLiteStore(path) as store:
                before, old_read, old_cpu = timed("read record by record", lambda: graph_record_by_record(store))
                del before
                gc.collect()
        asked = "each on its own, the graph checked" if args.each_checked else "one reading, as the report asks them"
        print(f"questions: {asked}")
        now = run_analysis(path, checked=args.each_checked)
        read, read_cpu = now["times"]["graph_from_store"]
        total = sum(t[0] for t in now["times"].values()) - read
        total_cpu = sum(t[1] for t in now["times"].values()) - read_cpu
        print(f"{'questions':<28} {total:8.2f} s wall {total_cpu:8.2f} s cpu")
        print(f"{'total, reading included':<28} {total + read:8.2f} s wall {total_cpu + read_cpu:8.2f} s cpu")
        if not args.no_record_reader:
            print(f"{'reading ratio (before/now)':<28} {old_read / read:8.2f} x wall {old_cpu / read_cpu:8.2f} x cpu")
        if not args.no_baseline:
            found = baseline(args.baseline_ref, path, Path(tmp), checked=args.each_checked)
            if found is not None:
                compare(found, now, args.baseline_ref)


if __name__ == "__main__":
    main()
