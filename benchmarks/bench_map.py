"""How fast a map is drawn and interactive in Chromium, against pyvis's default map.

Run ``python benchmarks/bench_map.py`` (needs /usr/bin/chromium).  For each
size it writes a schema-shaped graph as a hainet map and as a plain pyvis
map (``Network().from_nx(...)``, physics on, vis-network inlined so that no
CDN is needed), opens each from file:// with the network off, and times
from navigation start until the map is drawn and interactive: for hainet
the page's ``hainetReady`` flag (first ``afterDrawing``, physics off), for
pyvis the first drawing after its stabilisation iterations are done.
Waiting is capped; a capped time prints as ``>``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from graph.render import network_map

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def schema_graph(n: int, *, seed: int = 7) -> nx.MultiDiGraph:
    """Return a deterministic graph of about ``n`` nodes shaped like hainet's schema."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()

    def add(key: str, kind: str, zh: str, en: str, **props: object) -> str:
        G.add_node(key, key=key, kind=kind, name_zh=zh, name_en=en, provenance="curated", basis="benchmark", **props)
        return key

    def link(u: str, rel: str, v: str) -> None:
        G.add_edge(u, v, key=rel, type=rel, provenance=rng.choice(["stated", "curated"]))

    industries = [
        add(f"industry:i{i}", "Industry", f"产业{i}", f"Industry {i}", is_leading=i < 3)
        for i in range(max(5, n // 200))
    ]
    regions = [add(f"region:r{i}", "Region", f"地区{i}", f"Region {i}") for i in range(max(4, n // 60))]
    mech = add("mech:m", "Mechanism", "海南开放创新合作机制", "Mechanism")
    depts = [add(f"dept:d{i}", "Department", f"司局{i}", f"Department {i}") for i in range(max(3, n // 150))]
    parks = []
    for i in range(max(3, n // 40)):
        parks.append(add(f"park:p{i}", "Park", f"园区{i}", f"Park {i}"))
        link(parks[-1], "LOCATED_IN", rng.choice(regions))
    for actor in regions + parks + depts:
        link(actor, "MEMBER_OF", mech)
        for industry in rng.sample(industries, 2):
            link(actor, "SPECIALISES_IN", industry)
    units = []
    for i in range(max(4, n // 8)):
        units.append(add(f"unit:u{i}", "DemandUnit", f"需求单位{i}", f"Unit {i}", unit_type="park"))
        link(units[-1], "LOCATED_IN", rng.choice(regions[:4]))
    partners = regions + parks + depts
    remaining = n - G.number_of_nodes()
    for i in range(remaining // 2):
        unit = rng.choice(units)
        industry = rng.choice(industries)
        need = f"need:{unit.split(':')[1]}:{industry.split(':')[1]}:{i}"
        add(need, "Need", f"需求{i}", f"Need {i}")
        link(unit, "HAS_NEED", need)
        link(need, "IN_FIELD", industry)
    for i in range(n - G.number_of_nodes()):
        coop = add(
            f"coop:c{i}",
            "Cooperation",
            f"合作{i}",
            f"Cooperation {i}",
            status=rng.choice(["planned", "active", "stalled", "ended"]),
            mode="one-to-one",
            year=2021,
        )
        link(rng.choice(partners), "PARTNER_IN", coop)
        link(coop, "SERVES", rng.choice(units))
        link(coop, "IN_FIELD", rng.choice(industries))
    return G


def pyvis_page(G: nx.MultiDiGraph, path: Path) -> None:
    """Write pyvis's default map of ``G``, with vis-network inlined rather than from a CDN."""
    from pyvis.network import Network

    simple = nx.DiGraph()
    simple.add_nodes_from((k, {"label": a["name_zh"], "title": a["name_en"]}) for k, a in G.nodes(data=True))
    simple.add_edges_from((u, v) for u, v in G.edges())
    net = Network(cdn_resources="in_line")
    net.from_nx(simple)
    path.write_text(net.generate_html(), encoding="utf-8")


HAINET_READY = "() => window.hainetReady === true"
HAINET_TIME = "() => window.hainetReadyAt"

# pyvis's page assigns a global ``network``; trap the assignment and note the first
# drawing after vis-network's stabilisation iterations are done (physics.ready).
PYVIS_HOOK = """(() => {
  let held;
  Object.defineProperty(window, 'network', {
    configurable: true,
    get() { return held; },
    set(value) {
      held = value;
      const drawn = () => value.once('afterDrawing', () => { window.pyvisReadyAt = performance.now(); });
      const check = () => { if (value.physics.ready) { drawn(); value.redraw(); } };
      value.once('stabilizationIterationsDone', drawn);
      setTimeout(check, 0);
    },
  });
})();"""
PYVIS_READY = "() => window.pyvisReadyAt !== undefined"
PYVIS_TIME = "() => window.pyvisReadyAt"


def time_page(browser: object, path: Path, *, kind: str, cap: float) -> float | None:
    """Return seconds from navigation start to interactive, or None when over ``cap``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    ready, when = (HAINET_READY, HAINET_TIME) if kind == "hainet" else (PYVIS_READY, PYVIS_TIME)
    if kind == "pyvis":
        page.add_init_script(PYVIS_HOOK)
    try:
        page.goto(path.as_uri(), wait_until="commit")
        page.wait_for_function(ready, timeout=cap * 1000, polling=20)
        return float(page.evaluate(when)) / 1000
    except PlaywrightTimeout:
        return None
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,5000")
    parser.add_argument("--cap", type=float, default=120.0, help="seconds to wait at most per page")
    parser.add_argument("--skip-pyvis", action="store_true")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print(f"no Chromium at {CHROMIUM}", file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in sizes:
            G = schema_graph(n)
            started = time.perf_counter()
            m = network_map(G)
            built = time.perf_counter() - started
            ours = Path(tmp) / f"hainet-{n}.html"
            m.save(ours)
            theirs = Path(tmp) / f"pyvis-{n}.html"
            pyvis_page(G, theirs)
            t_ours = time_page(browser, ours, kind="hainet", cap=args.cap)
            t_theirs = None if args.skip_pyvis else time_page(browser, theirs, kind="pyvis", cap=args.cap)
            rows.append((n, m.node_count, built, t_ours, t_theirs))
            print(f"... {n} done", file=sys.stderr, flush=True)
        browser.close()
    print(f"{'nodes':>6} {'drawn':>6} {'build s':>8} {'hainet s':>9} {'pyvis s':>9} {'ratio':>8}")
    for n, drawn, built, ours_s, theirs_s in rows:
        o = f"{ours_s:.2f}" if ours_s is not None else f">{args.cap:.0f}"
        if args.skip_pyvis:
            t, r = "-", "-"
        elif theirs_s is None:
            t = f">{args.cap:.0f}"
            r = f">{args.cap / ours_s:.0f}x" if ours_s else "-"
        else:
            t = f"{theirs_s:.2f}"
            r = f"{theirs_s / ours_s:.0f}x" if ours_s else "-"
        print(f"{n:>6} {drawn:>6} {built:>8.2f} {o:>9} {t:>9} {r:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
