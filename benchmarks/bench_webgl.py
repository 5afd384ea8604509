"""Seconds to build a map and to its first frame in headless Chromium (SwiftShader): WebGL whole against canvas.

Run ``python benchmarks/bench_webgl.py [N_NODES ...]`` (default 2000 20000
100000; needs /usr/bin/chromium).  For each size it builds the synthetic
graph of :func:`synthetic.synthetic_records` (about ten relationships a
node), then times :func:`graph.render.network_map` with ``renderer="webgl"``
(every node drawn; wall and CPU seconds, CPU being steadier on a shared
machine) and with ``renderer="canvas"`` (today's map, which
aggregates above 2,500 nodes), opens each page from file:// and times from
navigation start until ``<body data-ready="1">``.  On the WebGL page it then
times what a planner does next, each until the new frame is on screen (a
screenshot waits for it): a search with many matches, a click on a node
(its neighbourhood), and closing the panel.  Ratios print last.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from render_fixtures import ARGS, CHROMIUM  # noqa: E402
from synthetic import synthetic_records  # noqa: E402

from graph.render import network_map  # noqa: E402


def synthetic_graph(n_nodes: int) -> nx.MultiDiGraph:
    """Return the synthetic graph of about ``n_nodes`` nodes as a MultiDiGraph."""
    G = nx.MultiDiGraph()
    nodes, edges = synthetic_records(n_nodes=n_nodes, seed=42)
    for node in nodes:
        G.add_node(
            node.key, key=node.key, kind=node.kind.value, name_zh=node.name_zh, name_en=node.name_en, **node.props
        )
    for edge in edges:
        G.add_edge(edge.source, edge.target, key=edge.type.value, type=edge.type.value, **edge.props)
    return G


def first_frame(browser: object, path: Path) -> float:
    """Return seconds from navigation start to ``data-ready`` on ``<body>``, or NaN if the page crashed or gave up."""
    from playwright.sync_api import Error

    page = browser.new_page(viewport={"width": 1600, "height": 1000})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("crash", lambda _: errors.append("the page crashed"))
    start = time.perf_counter()
    try:
        page.goto(path.as_uri(), timeout=600_000)
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=600_000)
        seconds = time.perf_counter() - start
        if "webgl" in path.name:
            print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in interactions(page).items()), flush=True)
    except Error as e:
        print(f"  {path.name}: not drawn: {(errors or [str(e)])[0].splitlines()[0]}", flush=True)
        seconds = float("nan")
    page.close()
    return seconds


def interactions(page: Any) -> dict[str, float]:
    """Return seconds to screen of a search, a click on a node and closing its panel, on a drawn WebGL page."""

    def to_screen(script: str, argument: object = None) -> float:
        start = time.perf_counter()
        page.evaluate(script, argument)
        page.screenshot()
        return time.perf_counter() - start

    to_screen("() => 0")
    node = page.evaluate("() => window.hainetGraph.nodes()[window.hainetGraph.order >> 1]")
    word = page.evaluate("(id) => window.hainetGraph.getNodeAttribute(id, 'label').slice(0, 2)", node)
    page.fill("#hn-search", word)
    return {
        "idle frame": to_screen("() => 0"),
        f"search {word!r}": to_screen("() => document.getElementById('hn-search-form').requestSubmit()"),
        "click": to_screen("(id) => window.hainetRenderer.emit('clickNode', {node: id})", node),
        "close": to_screen("() => window.hainetRenderer.emit('clickStage', {})"),
    }


def main() -> None:
    """Print one row per size and renderer, then the ratios."""
    from playwright.sync_api import sync_playwright

    sizes = [int(a) for a in sys.argv[1:]] or [2_000, 20_000, 100_000]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("nodes  relationships  renderer  drawn  build_s  build_cpu_s  first_frame_s  page_MB")
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for n in sizes:
            G = synthetic_graph(n)
            rows = {}
            for renderer in ("webgl", "canvas"):
                start, cpu = time.perf_counter(), time.process_time()
                the_map = network_map(G, view="full", renderer=renderer)
                path = Path(tmp) / f"{renderer}-{n}.html"
                the_map.save(path)
                build, build_cpu = time.perf_counter() - start, time.process_time() - cpu
                frame = first_frame(browser, path)
                rows[renderer] = (build, frame)
                print(
                    f"{n:>6} {G.number_of_edges():>14} {renderer:>9} {the_map.node_count:>6} {build:8.1f} "
                    f"{build_cpu:10.1f} {frame:14.1f} {path.stat().st_size / 1e6:8.1f}",
                    flush=True,
                )
            (wb, wf), (cb, cf) = rows["webgl"], rows["canvas"]
            print(f"{n:>6}  webgl/canvas: build {wb / cb:.2f}x, first frame {wf / cf:.2f}x", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
