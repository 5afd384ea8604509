"""How well each link-prediction scorer would have predicted the partnerships it was not shown.

Usage: ``python benchmarks/bench_backtest.py [REPEATS]``.  Loads the built-in
dataset into a temporary embedded store and prints the backtest table of
:func:`queries.linkpred.backtest` (random splits of the network at the end of
2025, and the temporal split: learn on 2020-12-31, test on the partnerships
formed since), then each split's blended AUC against the random baseline's,
measured in the same run.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from graph.store import graph_from_store, open_store
from graph.timeline import graph_as_of
from loaders.builtin import load_builtin
from queries.linkpred import TEMPORAL_CUTOFF, backtest


def main(repeats: int = 20) -> None:
    with tempfile.TemporaryDirectory() as folder, open_store(str(Path(folder) / "s.sqlite")) as store:
        load_builtin(store)
        everything = graph_from_store(store)
    G = graph_as_of(everything, "2025-12-31")
    started = time.perf_counter()
    table = backtest(G, repeats=repeats, temporal=(graph_as_of(everything, TEMPORAL_CUTOFF), G))
    seconds = time.perf_counter() - started
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    for split, rows in table.groupby("split", sort=False):
        auc = rows.set_index("scorer")["auc"]
        print(
            f"{split}: blended AUC {auc['blended']:.3f} against random {auc['random']:.3f} "
            f"({auc['blended'] - auc['random']:+.3f}); best plain scorer {auc.drop(['blended', 'random']).idxmax()} "
            f"{auc.drop(['blended', 'random']).max():.3f}"
        )
    print(f"{repeats} random splits and the temporal split in {seconds:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
