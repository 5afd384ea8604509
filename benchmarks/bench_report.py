"""Time the meeting report against the report as it was before it asked each question once.

Usage::

    python benchmarks/bench_report.py [N_NODES] [--baseline REV] [--repeat K]

Both reports run in the same session on the same synthetic graph
(:mod:`synthetic`, ``N_NODES`` nodes, 10,000 by default): the baseline
from the git revision ``REV`` (by default the last commit with the old
report), unpacked with ``git archive`` into a temporary folder, and the
current code of this checkout.  Each runs in its own Python process, so
that neither imports the other's modules; the graph is built before the
clock starts.  The figures are wall-clock seconds of ``report_html`` (the
best of ``K`` runs) and the ratio current / baseline; the target is at
most 0.25.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

#: The last revision with the report that asked its questions several times.
BASELINE = "bd95533"

ROOT = Path(__file__).resolve().parent.parent

_TIMER = """
import json, sys, time
from synthetic import synthetic_records
from queries._examples import graph_from_records
from queries.report import report_html
G = graph_from_records(*synthetic_records(n_nodes={n}))
best = None
for _ in range({repeat}):
    start = time.perf_counter()
    page = report_html(G, date="2024-05-01")
    took = time.perf_counter() - start
    best = took if best is None else min(best, took)
print(json.dumps({{"seconds": best, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                  "bytes": len(page.encode("utf-8"))}}))
"""


def _timed(tree: Path, n: int, repeat: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tree), str(tree / "benchmarks")])}
    result = subprocess.run(
        [sys.executable, "-c", _TIMER.format(n=n, repeat=repeat)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"the report at {tree} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _unpacked(revision: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=10_000, help="nodes in the synthetic graph")
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the old report")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each report; the best counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hainet-bench-report-") as folder:
        old = _timed(_unpacked(args.baseline, Path(folder)), args.n, args.repeat)
        new = _timed(ROOT, args.n, args.repeat)
    print(f"graph: {int(new['nodes']):,} nodes, {int(new['edges']):,} relationships")
    print(f"report at {args.baseline} (each question asked per section): {old['seconds']:.1f} s")
    print(f"report now (one analysis for every section):       {new['seconds']:.1f} s")
    print(f"ratio now / before: {new['seconds'] / old['seconds']:.2f} (target <= 0.25)")


if __name__ == "__main__":
    main()
