"""What the rendering tests share: small hand-made graphs and a headless Chromium.

The graphs are plain functions.  The browser comes as generator functions
that ``tests/conftest.py`` wraps in the ``chromium`` and ``offline_page``
fixtures.

Without /usr/bin/chromium the browser tests skip, except with ``CI=true``,
where they fail: a missing browser never passes silently in CI.  Pages open
from file:// with every other request aborted and recorded, and the host
resolver pointed nowhere.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from ci_policy import missing

#: Text that would run script if it ever reached the page as markup.
HOSTILE = '<img src=x onerror=alert(1)></script><script>alert(2)</script><a href="javascript:alert(3)">x</a>'


def _node(G: nx.MultiDiGraph, key: str, kind: str, zh: str, en: str, **props: object) -> None:
    G.add_node(key, key=key, kind=kind, name_zh=zh, name_en=en, **props)


def _edge(G: nx.MultiDiGraph, u: str, rel: str, v: str, **props: object) -> None:
    G.add_edge(u, v, key=rel, type=rel, **props)


def small_mechanism_graph(*, hostile: bool = False) -> nx.MultiDiGraph:
    """Return 16 nodes in the shape of the 2020 mechanism; ``hostile`` plants script-like text."""
    G = nx.MultiDiGraph()
    stated = {"provenance": "stated", "section": "二(一)", "document": "国科办区〔2020〕105号"}
    curated = {"provenance": "curated", "basis": "a curated basis"}
    _node(G, "source:doc", "Source", "海南开放创新合作机制", "Mechanism document", **stated, quote="全文")
    _node(G, "mech:coord", "Mechanism", "协调机制", "Coordination mechanism", **stated, quote="建立协调机制")
    _node(G, "region:shanghai", "Region", "上海市", "Shanghai", **stated, quote="推动上海市优势单位")
    _node(G, "region:sichuan", "Region", "四川省", "Sichuan", **stated, quote="推动四川与海南开展生物医药")
    _node(G, "park:zhangjiang", "Park", "上海张江国家高新区", "Shanghai Zhangjiang Hi-tech Zone", **curated)
    _node(G, "dept:regional", "Department", "科技部成果与区域司", "MOST Department of Regions", **curated)
    _node(
        G,
        "industry:hightech",
        "Industry",
        "高新技术产业",
        "High-tech industry",
        is_leading=True,
        **stated,
        quote="三大主导产业",
    )
    _node(G, "industry:biomedicine", "Industry", "生物医药", "Biomedicine", **stated, quote="生物医药领域")
    _node(G, "industry:tourism", "Industry", "旅游业", "Tourism", is_leading=True, **stated, quote="旅游业")
    _node(
        G,
        "unit:boao",
        "DemandUnit",
        "博鳌乐城国际医疗旅游先行区",
        "Boao Lecheng Pilot Zone",
        unit_type="park",
        **curated,
    )
    _node(G, "unit:haikou", "DemandUnit", "海口高新区", "Haikou Hi-tech Zone", unit_type="park", **curated)
    _node(G, "need:boao:biomedicine", "Need", "博鳌乐城·生物医药", "Boao: biomedicine", **curated)
    _node(G, "need:haikou:tourism", "Need", "海口高新区·旅游业", "Haikou: tourism", **curated)
    _node(
        G,
        "coop:sh-boao",
        "Cooperation",
        "沪琼生物医药合作",
        "Shanghai-Hainan biomedicine",
        status="active",
        mode="one-to-one",
        year=2021,
        **stated,
        quote="开展深远海、热带特色农业、航天、临床医学等合作",
    )
    _node(
        G, "coop:sc-haikou", "Cooperation", "川琼合作", "Sichuan-Hainan", status="stalled", mode="one-to-one", **curated
    )
    _node(G, "region:hainan", "Region", "海南省", "Hainan", **stated, quote="海南省")
    for u, rel, v in [
        ("region:shanghai", "MEMBER_OF", "mech:coord"),
        ("region:sichuan", "MEMBER_OF", "mech:coord"),
        ("dept:regional", "MEMBER_OF", "mech:coord"),
        ("park:zhangjiang", "LOCATED_IN", "region:shanghai"),
        ("unit:boao", "LOCATED_IN", "region:hainan"),
        ("unit:haikou", "LOCATED_IN", "region:hainan"),
        ("industry:biomedicine", "PART_OF", "industry:hightech"),
        ("region:shanghai", "PARTNER_IN", "coop:sh-boao"),
        ("dept:regional", "SUPPORTS", "coop:sh-boao"),
        ("coop:sh-boao", "SERVES", "unit:boao"),
        ("coop:sh-boao", "IN_FIELD", "industry:biomedicine"),
        ("region:sichuan", "PARTNER_IN", "coop:sc-haikou"),
        ("coop:sc-haikou", "SERVES", "unit:haikou"),
        ("coop:sc-haikou", "IN_FIELD", "industry:tourism"),
        ("unit:boao", "HAS_NEED", "need:boao:biomedicine"),
        ("need:boao:biomedicine", "IN_FIELD", "industry:biomedicine"),
        ("unit:haikou", "HAS_NEED", "need:haikou:tourism"),
        ("need:haikou:tourism", "IN_FIELD", "industry:tourism"),
        ("region:sichuan", "SPECIALISES_IN", "industry:biomedicine"),
        ("region:shanghai", "STATED_IN", "source:doc"),
    ]:
        _edge(G, u, rel, v, **(stated | {"quote": f"{u} {rel} {v}"}))
    G.edges["region:sichuan", "industry:biomedicine", "SPECIALISES_IN"].update(
        {"provenance": "curated", "basis": "Sichuan's biomedicine cluster", "section": None, "quote": None}
    )
    if hostile:
        G.nodes["region:sichuan"]["name_zh"] = HOSTILE
        G.nodes["region:sichuan"]["name_en"] = "javascript:alert(3)"
        G.nodes["coop:sc-haikou"]["quote"] = HOSTILE
        G.nodes["coop:sc-haikou"]["provenance"] = "stated"
        G.edges["region:sichuan", "coop:sc-haikou", "PARTNER_IN"]["quote"] = HOSTILE
    for _, _, attrs in G.edges(data=True):
        for k in [k for k, v in attrs.items() if v is None]:
            del attrs[k]
    return G


def many_needs_graph(units: int, needs_per_unit: int) -> nx.MultiDiGraph:
    """Return regions, units located in them, and many needs: a graph that must aggregate."""
    G = nx.MultiDiGraph()
    curated = {"provenance": "curated", "basis": "test"}
    _node(G, "industry:x", "Industry", "产业", "Industry X", **curated)
    for r in range(2):
        _node(G, f"region:r{r}", "Region", f"地区{r}", f"Region {r}", **curated)
    for u in range(units):
        _node(G, f"unit:u{u}", "DemandUnit", f"单位{u}", f"Unit {u}", **curated)
        _edge(G, f"unit:u{u}", "LOCATED_IN", f"region:r{u % 2}", **curated)
        for n in range(needs_per_unit):
            key = f"need:u{u}:{n}"
            _node(G, key, "Need", f"需求{u}-{n}", f"Need {u}-{n}", **curated)
            _edge(G, f"unit:u{u}", "HAS_NEED", key, **curated)
            _edge(G, key, "IN_FIELD", "industry:x", **curated)
    return G


def cjk_graph(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """``n`` actors with three-character Chinese names drawn from 3,000 characters, tied at random."""
    rng = random.Random(seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    kinds = [("Region", "region"), ("Park", "park"), ("DemandUnit", "unit"), ("Industry", "industry")]
    G = nx.MultiDiGraph()
    for i in range(n):
        kind, prefix = kinds[i % 4]
        G.add_node(
            f"{prefix}:n{i}",
            key=f"{prefix}:n{i}",
            kind=kind,
            name_zh="".join(rng.sample(chars, 3)),
            name_en=f"N{i}",
            provenance="curated",
            basis="test",
        )
    for _ in range(2 * n):
        u, v = rng.randrange(n), rng.randrange(n)
        G.add_edge(
            f"{kinds[u % 4][1]}:n{u}",
            f"{kinds[v % 4][1]}:n{v}",
            key="LOCATED_IN",
            type="LOCATED_IN",
            provenance="curated",
            basis="test",
        )
    return G


CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    # WebGL (the large-graph map) in software, with no GPU.
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
]
#: Screenshots and PDFs the browser tests leave behind (gitignored).
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


#: The one browser: each test module's fixture shares it, since two sync
#: Playwrights in one thread refuse to start.
_SHARED: dict[str, Any] = {}


def launched_chromium() -> Iterator[Any]:
    """Yield a launched headless Chromium (playwright Browser); use it as a fixture's body."""
    if not CHROMIUM.exists():
        missing(f"no Chromium at {CHROMIUM}: apt-get install -y chromium fonts-noto-cjk")
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        _SHARED["playwright"] = sync_playwright().start()
        _SHARED["browser"] = _SHARED["playwright"].chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    try:
        yield _SHARED["browser"]
    finally:
        if "browser" in _SHARED:
            _SHARED.pop("browser").close()
            _SHARED.pop("playwright").stop()


@dataclass
class OfflinePage:
    """A page opened from a file, with what happened while it ran."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)

    def wait_ready(self, timeout_s: float = 30) -> float:
        """Wait for the map's ``hainetReady`` flag; return its time from navigation start, in seconds."""
        self.page.wait_for_function("() => window.hainetReady === true", timeout=timeout_s * 1000)
        return float(self.page.evaluate("window.hainetReadyAt")) / 1000

    def screenshot(self, name: str, **options: Any) -> Path:
        """Save a screenshot under artifacts/screenshots and return its path."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), **options)
        return path


def offline_opener(chromium: Any) -> Iterator[Callable[..., OfflinePage]]:
    """Yield ``open(path) -> OfflinePage``: the file loaded with the network off; use it as a fixture's body."""
    pages: list[Any] = []

    def open_file(path: Path, *, width: int = 1280, height: int = 900) -> OfflinePage:
        page = chromium.new_page(viewport={"width": width, "height": height})
        pages.append(page)
        opened = OfflinePage(page)

        def route(r: Any) -> None:
            if r.request.url.startswith(("file:", "about:", "data:")):
                r.continue_()
            else:
                opened.remote_requests.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))

        def dialog(d: Any) -> None:
            opened.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(Path(path).resolve().as_uri())
        return opened

    yield open_file
    for page in pages:
        page.close()
