"""Time and peak memory of loading a workbook against the same rows as CSV, and of a stray-cell workbook.

(a) 100 000 ``regions`` rows written by hainet's own export as one
    workbook, loaded with ``load_paths`` into an empty embedded store;
(b) the same rows as the template CSV file, loaded the same way;
(c) a 5 KB workbook of two rows whose sheet declares ``A1:Z1048576``
    because of one formatted, empty cell in its last row.

Each load runs in a fresh Python process, so that its peak resident
memory is its own (Linux's ``VmHWM``).  It prints wall and CPU seconds and
peak memory of each (CPU seconds are steadier on a shared machine), the ratios
workbook/CSV (target at most 3 for both) and the stray-cell time (target
below 5 s).  Usage::

    python benchmarks/bench_workbook.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This checkout's packages, whatever another install of hainet points to.
sys.path.insert(0, str(ROOT))

#: Targets of issue 15.
TARGET_RATIO = 3.0
TARGET_STRAY_SECONDS = 5.0

#: Run in a child process: load the paths given, print seconds and peak resident memory as JSON.
_CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from graph.sqlite_store import SQLiteStore
from loaders.spreadsheets import load_paths
started, cpu = time.perf_counter(), time.process_time()
with SQLiteStore({store!r}) as store:
    report = load_paths(store, [{path!r}])
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
# VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
status = open("/proc/self/status").read()
peak = int(status.split("VmHWM:", 1)[1].split()[0]) * 1024
print(json.dumps({{"seconds": seconds, "cpu": cpu, "peak": peak, "added": sum(report.added.values())}}))
"""


def region_rows(n: int) -> list[dict[str, object]]:
    """Return ``n`` region rows with user provenance, as the export writes them."""
    return [
        {
            "key": f"region:r{i}",
            "name_zh": f"地区{i}",
            "name_en": f"Region {i}",
            "region_type": "city",
            "code": f"{i % 900000 + 100000:06d}",
            "provenance": "user",
            "document": "bench.xlsx",
        }
        for i in range(n)
    ]


def stray_cell_workbook(path: Path) -> Path:
    """Write a two-row ``regions`` workbook with one formatted empty cell at Z1048576."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "regions"
    for row in (["name_zh", "name_en"], ["三亚市", "Sanya"], ["儋州市", "Danzhou"]):
        sheet.append(row)
    sheet["Z1048576"].number_format = "0.00"
    workbook.save(path)
    return path


def measured(path: Path, store: Path) -> dict[str, float]:
    """Return seconds, peak bytes and records added of loading ``path`` in a fresh process."""
    code = _CHILD.format(root=str(ROOT), store=str(store), path=str(path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Write the files, load each in its own process, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    from loaders.templates import write_csv_folder, write_workbook

    rows = region_rows(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workbook = write_workbook({"regions": rows}, folder / "plan.xlsx")
        [csv_file] = [p for p in write_csv_folder({"regions": rows}, folder / "csv") if p.stem == "regions"]
        stray = stray_cell_workbook(folder / "stray.xlsx")
        figures = {
            "workbook": measured(workbook, folder / "a.sqlite"),
            "csv": measured(csv_file, folder / "b.sqlite"),
            "stray-cell workbook": measured(stray, folder / "c.sqlite"),
        }
        sizes = {
            "workbook": workbook.stat().st_size,
            "csv": csv_file.stat().st_size,
            "stray-cell workbook": stray.stat().st_size,
        }
    for name, figure in figures.items():
        print(
            f"{name:<20} {sizes[name] / 1024:>9.1f} KiB  {figure['seconds']:>7.2f} s  {figure['cpu']:>7.2f} s CPU  "
            f"{figure['peak'] / 2**20:>7.1f} MiB peak  {int(figure['added']):>7} records added"
        )
    time_ratio = figures["workbook"]["seconds"] / figures["csv"]["seconds"]
    cpu_ratio = figures["workbook"]["cpu"] / figures["csv"]["cpu"]
    memory_ratio = figures["workbook"]["peak"] / figures["csv"]["peak"]
    print(f"workbook/CSV time   {time_ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (target at most {TARGET_RATIO:.0f}x)")
    print(f"workbook/CSV memory {memory_ratio:.2f}x (target at most {TARGET_RATIO:.0f}x)")
    stray_seconds = figures["stray-cell workbook"]["seconds"]
    print(f"stray-cell workbook {stray_seconds:.2f} s (target below {TARGET_STRAY_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
