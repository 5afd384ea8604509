"""Time loading a national-scale synthetic graph into Neo4j, four ways.

(a) hainet's :class:`graph.neo4j_store.Neo4jStore` on the whole synthetic
    graph (about 100 000 nodes and 1 million relationships), streamed from
    :func:`synthetic.synthetic_records`: batches of ``UNWIND ... MERGE`` sent
    by two threads, never two batches that may lock the same node at once;
(b) a naive loader sending one auto-commit ``MERGE`` query per record, on a
    1 % sample of the same shape;
(c) ``LOAD CSV`` of the same graph run inside the server, ``CALL { ... } IN
    TRANSACTIONS OF 10000 ROWS``, with the same ``MERGE`` semantics and the
    same uniqueness constraints: the in-server reference (its CSV files are
    written before the clock starts);
(d) ``hainet load --bulk`` (:func:`graph.neo4j_bulk.bulk_load`): Neo4j's
    offline importer into the empty database, run inside the server's own
    JVM while its DBMS is shut down and started again, constraints made
    after; all of it timed, and the parts printed: writing the CSV files
    (records read from the stream included), the DBMS stop, the import, the
    DBMS start, the constraints.  The import-only ratio leaves the CSV
    writing out, as (c) does.

(a) and (d) start from the records already generated, as (c) starts from
its files already written: generating the synthetic graph costs about 7.5 s
of CPU, work of the benchmark and not of the loader (a planner's records
come from a workbook already read).  With ``--records stream`` they read the
generator inside their time instead, and the peak memory of the streamed
load (a) is checked.

The benchmark starts its own local server with ``scripts/neo4j-local``
(port 7694 unless ``--port``; it reuses one already running there) and
stops it at the end unless ``--keep-server``.  Before the timed runs it
loads a graph of 30 % of the size each way it times (hainet, LOAD CSV,
--bulk), untimed, so that no way pays for warming the JVM's JIT up (with a
tenth, the first timed run still paid: hainet's server CPU was 117 s after a
10 % warm-up and 70 s after a 30 % one, for the same load); the
database is emptied between runs.  Each run also prints the CPU seconds of
the server and of this process, as wall time on a shared machine is
stretched by other work.  It prints relationships per second of each way,
the ratios hainet/per-row (target at least 50), hainet/LOAD CSV (target at
least 1.0), --bulk/LOAD CSV (target at least 5), and the peak resident
memory of this Python process during (a) with ``--records stream``
(target below 1 GiB: records are streamed, never all held).  Usage::

    python benchmarks/bench_neo4j_load.py [--nodes 100000] [--runs abcd] [--port 7694] [--keep-server]
        [--batch-size 10000] [--senders 2] [--records ready|stream]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

# This checkout's packages, whatever another install of hainet points to, and the generator beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_plan, synthetic_records

from graph.neo4j_bulk import bulk_load
from graph.neo4j_store import Neo4jStore, kind_of_key
from graph.schema import Edge, Node, NodeKind, RelType

ROOT = Path(__file__).resolve().parent.parent
NEO4J_LOCAL = ROOT / "scripts" / "neo4j-local"

#: Targets of issue 13, item 3.
TARGET_VS_PER_ROW = 50.0
TARGET_VS_LOAD_CSV = 1.0
TARGET_BULK_VS_LOAD_CSV = 5.0
TARGET_RSS_BYTES = 1 << 30

#: Columns of the node CSV files: the fixed fields, then every property the synthetic graph uses.
NODE_COLUMNS = (
    "key",
    "name_zh",
    "name_en",
    "provenance",
    "section",
    "quote",
    "basis",
    "source",
    "is_leading",
    "unit_type",
    "mode",
    "status",
    "year",
)
#: Columns of the relationship CSV files (``start_key``/``end_key``: ``source`` is a property).
EDGE_COLUMNS = ("start_key", "end_key", "provenance", "section", "quote", "basis", "source")

# Templates filled only with schema enum values.  Empty CSV fields read as null, and
# a null entry of the map leaves the property unset, as hainet's own writes do.
_LOAD_NODES = """
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {{
  MERGE (n:{label} {{key: row.key}})
  SET n = {{key: row.key, name_zh: row.name_zh, name_en: row.name_en, provenance: row.provenance,
           section: row.section, quote: row.quote, basis: row.basis, source: row.source,
           is_leading: toBoolean(row.is_leading), unit_type: row.unit_type, mode: row.mode,
           status: row.status, year: toInteger(row.year)}}
}} IN TRANSACTIONS OF 10000 ROWS
"""
_LOAD_EDGES = """
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {{
  MATCH (a:{source} {{key: row.start_key}})
  MATCH (b:{target} {{key: row.end_key}})
  MERGE (a)-[e:{type}]->(b)
  SET e = {{provenance: row.provenance, section: row.section, quote: row.quote, basis: row.basis,
           source: row.source}}
}} IN TRANSACTIONS OF 10000 ROWS
"""
_ROW_NODE = "MERGE (n:{label} {{key: $key}}) SET n = $props"
_ROW_EDGE = """
MATCH (a:{source} {{key: $source}})
MATCH (b:{target} {{key: $target}})
MERGE (a)-[e:{type}]->(b)
SET e = $props
"""


def peak_rss_bytes() -> int:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def local_server(command: str, port: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEO4J_LOCAL_PORT": str(port)}
    # Room for the whole graph in the page cache, the same for every way of loading.
    env.setdefault("NEO4J_LOCAL_PAGECACHE", "2g")
    env.setdefault("NEO4J_LOCAL_HEAP", "3g")
    return subprocess.run(
        ["bash", str(NEO4J_LOCAL), command], env=env, capture_output=True, text=True, timeout=900, check=False
    )


def start_server(port: int) -> tuple[dict[str, str], Path, int]:
    """Start (or reuse) the local server on ``port``; return its settings, LOAD CSV import folder and pid."""
    started = local_server("start", port)
    if started.returncode != 0:
        sys.exit(f"scripts/neo4j-local start failed:\n{started.stderr[-3000:]}")
    settings = dict(word.split("=", 1) for word in shlex.split(started.stdout) if "=" in word)
    status = local_server("status", port).stdout
    fields = dict(word.split("=", 1) for word in status.split() if "=" in word)
    return settings, Path(fields["import"]), int(fields["pid"])


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of process ``pid`` so far, all its threads included."""
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds used by the server and by this process during a run.

    The machine may be shared; CPU time shows the work each way costs even
    when wall time is stretched by other processes.
    """

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid

    def __enter__(self) -> CpuMeter:
        self.server = cpu_seconds(self.server_pid)
        self.client = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server = cpu_seconds(self.server_pid) - self.server
        self.client = time.process_time() - self.client
        print(
            f"    CPU: server {self.server:.1f} s, Python {self.client:.1f} s; load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )


def timed_write(store: Neo4jStore, nodes: Iterable[Node], edges: Iterable[Edge]) -> tuple[float, float]:
    """Write with hainet's loader; return (seconds for the nodes, seconds for the relationships)."""
    start = time.perf_counter()
    store.write(nodes, [])
    middle = time.perf_counter()
    store.write([], edges)
    return middle - start, time.perf_counter() - middle


def per_row_write(store: Neo4jStore, nodes: Iterable[Node], edges: Iterable[Edge]) -> tuple[float, float]:
    """Write one auto-commit query per record; return (node seconds, relationship seconds)."""
    driver = store._driver  # the benchmark reuses the store's connection settings
    with driver.session(database=store.settings.database) as session:
        start = time.perf_counter()
        for node in nodes:
            props = {**node.props, "key": node.key, "name_zh": node.name_zh, "name_en": node.name_en}
            session.run(_ROW_NODE.format(label=node.kind.value), key=node.key, props=props).consume()
        middle = time.perf_counter()
        for edge in edges:
            query = _ROW_EDGE.format(
                source=kind_of_key(edge.source).value, target=kind_of_key(edge.target).value, type=edge.type.value
            )
            session.run(query, source=edge.source, target=edge.target, props=edge.props).consume()
        return middle - start, time.perf_counter() - middle


def write_csv_files(folder: Path, nodes: Iterator[Node], edges: Iterator[Edge]) -> tuple[list[Path], list[Path]]:
    """Write one CSV file per node kind and one per (type, source kind, target kind), streamed."""
    node_files: dict[NodeKind, Any] = {}
    edge_files: dict[tuple[RelType, NodeKind, NodeKind], Any] = {}
    with ExitStack() as stack:

        def writer(files: dict[Any, Any], group: Any, name: str, header: tuple[str, ...]) -> Any:
            if group not in files:
                handle = stack.enter_context((folder / name).open("w", encoding="utf-8", newline=""))
                files[group] = csv.writer(handle, lineterminator="\n")
                files[group].writerow(header)
            return files[group]

        for node in nodes:
            row = {"key": node.key, "name_zh": node.name_zh, "name_en": node.name_en, **node.props}
            _check_columns(row, NODE_COLUMNS)
            out = writer(node_files, node.kind, f"nodes-{node.kind.value}.csv", NODE_COLUMNS)
            out.writerow([_cell(row.get(c)) for c in NODE_COLUMNS])
        for edge in edges:
            group = (edge.type, kind_of_key(edge.source), kind_of_key(edge.target))
            row = {"start_key": edge.source, "end_key": edge.target, **edge.props}
            _check_columns(row, EDGE_COLUMNS)
            out = writer(edge_files, group, "edges-{}-{}-{}.csv".format(*(g.value for g in group)), EDGE_COLUMNS)
            out.writerow([_cell(row.get(c)) for c in EDGE_COLUMNS])
    node_paths = [folder / f"nodes-{k.value}.csv" for k in node_files]
    edge_paths = [folder / "edges-{}-{}-{}.csv".format(*(g.value for g in group)) for group in edge_files]
    return node_paths, edge_paths


def _check_columns(row: dict[str, Any], columns: tuple[str, ...]) -> None:
    unknown = set(row) - set(columns)
    if unknown:
        sys.exit(f"the CSV reference has no column for {sorted(unknown)}")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def load_csv(
    store: Neo4jStore, import_dir: Path, node_paths: list[Path], edge_paths: list[Path]
) -> tuple[float, float]:
    """Run LOAD CSV inside the server on files under its ``import_dir``; return (node seconds, relationship seconds)."""
    with store._driver.session(database=store.settings.database) as session:
        start = time.perf_counter()
        for path in node_paths:
            label = NodeKind(path.stem.removeprefix("nodes-"))
            session.run(_LOAD_NODES.format(label=label.value), url=_url(import_dir, path)).consume()
        middle = time.perf_counter()
        for path in edge_paths:
            rel, source, target = path.stem.removeprefix("edges-").split("-")
            query = _LOAD_EDGES.format(
                type=RelType(rel).value, source=NodeKind(source).value, target=NodeKind(target).value
            )
            session.run(query, url=_url(import_dir, path)).consume()
        return middle - start, time.perf_counter() - middle


def _url(import_dir: Path, path: Path) -> str:
    return "file:///" + path.relative_to(import_dir).as_posix()


def warm_up(store: Neo4jStore, import_dir: Path, n_nodes: int, seed: int, runs: str) -> None:
    """Load a smaller graph each timed way, untimed, so that every timed run meets a warm JVM."""
    start = time.perf_counter()
    store.write(*synthetic_records(n_nodes=n_nodes, seed=seed))
    store.clear()
    with tempfile.TemporaryDirectory(dir=import_dir) as tmp:
        load_csv(store, import_dir, *write_csv_files(Path(tmp), *synthetic_records(n_nodes=n_nodes, seed=seed)))
    store.clear()
    if "d" in runs:
        bulk_load(store, *synthetic_records(n_nodes=n_nodes, seed=seed))
        store.clear()
    print(f"  (warmed the server up on {n_nodes:,} nodes in {time.perf_counter() - start:.1f} s)", flush=True)


def check_counts(store: Neo4jStore, nodes: int, edges: int, label: str) -> None:
    counts = store.counts()
    if (counts.total_nodes, counts.total_edges) != (nodes, edges):
        sys.exit(
            f"{label}: the store holds {counts.total_nodes:,} nodes and {counts.total_edges:,} "
            f"relationships, not {nodes:,} and {edges:,}"
        )


def emptied(store: Neo4jStore) -> None:
    start = time.perf_counter()
    store.clear()
    print(f"  (emptied the database in {time.perf_counter() - start:.1f} s)", flush=True)


def prepared(how: str, n_nodes: int, seed: int) -> tuple[Iterable[Node], Iterable[Edge]]:
    """The synthetic records for (a) or (d): generated before the clock (``ready``), or a stream to read inside it."""
    nodes, edges = synthetic_records(n_nodes=n_nodes, seed=seed)
    if how == "stream":
        return nodes, edges
    start = time.perf_counter()
    ready = list(nodes), list(edges)
    print(f"  (generated the records in {time.perf_counter() - start:.1f} s, before the clock)", flush=True)
    return ready


def line(label: str, n_nodes: int, n_edges: int, seconds: tuple[float, float]) -> float:
    node_s, edge_s = seconds
    rate = n_edges / edge_s
    print(
        f"{label:<34} {n_nodes:>9,} nodes {node_s:8.1f} s  {n_edges:>10,} rels {edge_s:8.1f} s  "
        f"{rate:>10,.0f} rels/s  ({(n_nodes + n_edges) / (node_s + edge_s):,.0f} records/s overall)",
        flush=True,
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000, help="nodes of the synthetic graph")
    parser.add_argument("--sample", type=float, default=0.01, help="share of the nodes for the per-row loader")
    parser.add_argument(
        "--warm-up",
        type=float,
        default=0.3,
        help="share of the nodes loaded each way, untimed, to warm the server's JIT up",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", default="abcd", help="which runs to do: any of a, b, c, d")
    parser.add_argument("--port", type=int, default=7694, help="Bolt port of the benchmark's own server")
    parser.add_argument("--batch-size", type=int, help="rows per transaction of hainet's loader")
    parser.add_argument("--senders", type=int, help="threads sending hainet's batches")
    parser.add_argument("--keep-server", action="store_true", help="leave the server running at the end")
    parser.add_argument(
        "--records",
        choices=["ready", "stream"],
        default="ready",
        help="(a) and (d) start from records already generated, as (c) starts from files already written "
        "(ready), or read them from the generator inside their time (stream: the peak memory is then checked)",
    )
    args = parser.parse_args()

    plan = synthetic_plan(n_nodes=args.nodes, seed=args.seed)
    n_nodes = plan.n_nodes
    n_edges = sum(1 for _ in synthetic_records(n_nodes=args.nodes, seed=args.seed)[1])
    sample_nodes = synthetic_plan(n_nodes=max(int(args.nodes * args.sample), 1_000), seed=args.seed).n_nodes
    sample_edges = sum(1 for _ in synthetic_records(n_nodes=sample_nodes, seed=args.seed)[1])
    print(
        f"synthetic graph: {n_nodes:,} nodes, {n_edges:,} relationships; "
        f"per-row sample: {sample_nodes:,} nodes, {sample_edges:,} relationships",
        flush=True,
    )

    settings, import_dir, server_pid = start_server(args.port)
    os.environ.update(settings)
    print(f"Neo4j at {settings['NEO4J_URI']}, LOAD CSV folder {import_dir}", flush=True)
    options = {"batch_size": args.batch_size} if args.batch_size else {}
    if args.senders:
        options["senders"] = args.senders
    store = Neo4jStore(settings["NEO4J_URI"], **options)
    rates: dict[str, float] = {}
    streamed_rss: int | None = None
    try:
        store.clear()
        store.ensure_constraints()
        warm_up(store, import_dir, max(int(args.nodes * args.warm_up), 1_000), args.seed, args.runs)
        if "a" in args.runs:
            nodes, edges = prepared(args.records, args.nodes, args.seed)
            with CpuMeter(server_pid):
                rates["a"] = line("(a) hainet Neo4jStore", n_nodes, n_edges, timed_write(store, nodes, edges))
            check_counts(store, n_nodes, n_edges, "hainet")
            streamed_rss = peak_rss_bytes() if args.records == "stream" else None
            print(f"    peak RSS of this Python process after (a): {peak_rss_bytes() / 2**20:,.0f} MiB", flush=True)
            del nodes, edges
            emptied(store)
        if "b" in args.runs:
            nodes, edges = synthetic_records(n_nodes=sample_nodes, seed=args.seed)
            with CpuMeter(server_pid):
                rates["b"] = line(
                    "(b) one query per record (sample)", sample_nodes, sample_edges, per_row_write(store, nodes, edges)
                )
            check_counts(store, sample_nodes, sample_edges, "per-row")
            emptied(store)
        if "c" in args.runs:
            with tempfile.TemporaryDirectory(dir=import_dir) as tmp:
                start = time.perf_counter()
                paths = write_csv_files(Path(tmp), *synthetic_records(n_nodes=args.nodes, seed=args.seed))
                print(f"  (wrote {sum(map(len, paths))} CSV files in {time.perf_counter() - start:.1f} s)", flush=True)
                with CpuMeter(server_pid):
                    rates["c"] = line(
                        "(c) LOAD CSV in the server", n_nodes, n_edges, load_csv(store, import_dir, *paths)
                    )
            check_counts(store, n_nodes, n_edges, "LOAD CSV")
            emptied(store)
        if "d" in args.runs:
            # The offline importer replaces the database: CSV writing, the import, the restart of the
            # DBMS and the uniqueness constraints are all inside the time.
            nodes, edges = prepared(args.records, args.nodes, args.seed)
            parts: dict[str, float] = {}
            with CpuMeter(server_pid):
                start = time.perf_counter()
                bulk_load(store, nodes, edges, timings=parts)
                seconds = time.perf_counter() - start
            rates["d"] = n_edges / seconds
            rates["d-import"] = n_edges / (seconds - parts["csv"])
            print(
                f"{'(d) hainet load --bulk':<34} {n_nodes:>9,} nodes and {n_edges:>10,} rels in {seconds:8.1f} s  "
                f"{rates['d']:>10,.0f} rels/s",
                flush=True,
            )
            other = seconds - sum(parts.values())
            print(
                "    parts: "
                + ", ".join(f"{name} {value:.1f} s" for name, value in parts.items())
                + f", the rest (checks, the script, reconnecting) {other:.1f} s",
                flush=True,
            )
            check_counts(store, n_nodes, n_edges, "--bulk")
            emptied(store)
    finally:
        store.close()
        if not args.keep_server:
            local_server("stop", args.port)

    print()
    if "a" in rates and "b" in rates:
        print(f"hainet / per-row:   {rates['a'] / rates['b']:8.1f}x  (target >= {TARGET_VS_PER_ROW:g}x)")
    if "a" in rates and "c" in rates:
        print(f"hainet / LOAD CSV:  {rates['a'] / rates['c']:8.2f}x  (target >= {TARGET_VS_LOAD_CSV:g}x)")
    if "d" in rates and "c" in rates:
        print(f"--bulk / LOAD CSV:  {rates['d'] / rates['c']:8.2f}x  (target >= {TARGET_BULK_VS_LOAD_CSV:g}x)")
        print(
            f"  import only:      {rates['d-import'] / rates['c']:8.2f}x  "
            "(--bulk without writing its CSV files, as LOAD CSV's files are written before its clock starts)"
        )
    if streamed_rss is None:
        print("peak RSS (Python):  not checked: the records were held in memory (--records stream checks it)")
    else:
        verdict = "met" if streamed_rss < TARGET_RSS_BYTES else "NOT met"
        print(
            f"peak RSS (Python):  {streamed_rss / 2**20:8.0f} MiB during (a) "
            f"(target < {TARGET_RSS_BYTES / 2**20:,.0f} MiB: {verdict})"
        )


if __name__ == "__main__":
    main()
