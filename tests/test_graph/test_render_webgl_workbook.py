"""Done when: a planners' workbook of ~15,000 nodes loads, and ``hainet map`` draws every node with WebGL."""

import random

import pytest
from click.testing import CliRunner

from graph.cli import cli
from loaders.templates import write_workbook

pytestmark = pytest.mark.browser

_USER = {"provenance": "user"}


def planners_workbook(path, *, seed=13):
    """Write a seeded workbook of 15,100 nodes: regions, parks, industries, units, needs, cooperations."""
    rng = random.Random(seed)
    regions = [
        {"key": f"region:r{i:03d}", "name_zh": f"地区{i:03d}", "name_en": f"Region {i}", **_USER} for i in range(300)
    ]
    parks = [
        {
            "key": f"park:p{i:04d}",
            "name_zh": f"园区{i:04d}",
            "name_en": f"Park {i}",
            "region": rng.choice(regions)["key"],
            **_USER,
        }
        for i in range(1700)
    ]
    industries = [
        {
            "key": f"industry:f{i:03d}",
            "name_zh": f"产业领域{i:03d}",
            "name_en": f"Field {i}",
            "is_leading": i < 3,
            "parent_industry": None if i < 3 else f"industry:f{i % 3:03d}",
            **_USER,
        }
        for i in range(100)
    ]
    units = [
        {
            "key": f"unit:u{i:04d}",
            "name_zh": f"需求单位{i:04d}",
            "name_en": f"Unit {i}",
            "unit_type": "park",
            "region": regions[i % 20]["key"],
            **_USER,
        }
        for i in range(3000)
    ]
    pairs = sorted({(rng.randrange(3000), rng.randrange(100)) for _ in range(5600)})[:5000]
    needs = [
        {
            "key": f"need:u{u:04d}:f{f:03d}",
            "unit": units[u]["key"],
            "industry": industries[f]["key"],
            "name_zh": f"需求{u:04d}·{f:03d}",
            "name_en": f"Need {u}/{f}",
            **_USER,
        }
        for u, f in pairs
    ]
    coops, parties, fields = [], [], []
    partners = [r["key"] for r in regions] + [p["key"] for p in parks]
    for i in range(5000):
        key = f"coop:c{i:04d}"
        coops.append(
            {
                "key": key,
                "name_zh": f"合作{i:04d}",
                "name_en": f"Cooperation {i}",
                "mode": "one-to-one",
                "status": rng.choice(["active", "planned", "stalled"]),
                "year": 2021 + i % 4,
                **_USER,
            }
        )
        parties.append({"cooperation": key, "party": rng.choice(partners), "role": "partner", **_USER})
        parties.append({"cooperation": key, "party": rng.choice(units)["key"], "role": "served", **_USER})
        fields.append({"cooperation": key, "industry": rng.choice(industries)["key"], **_USER})
    tables = {
        "regions": regions,
        "parks": parks,
        "industries": industries,
        "demand_units": units,
        "needs": needs,
        "cooperations": coops,
        "cooperation_parties": parties,
        "cooperation_fields": fields,
    }
    return write_workbook(tables, path), sum(len(rows) for rows in tables.values() if rows and "name_zh" in rows[0])


def test_held_out_workbook_is_drawn_whole_with_webgl(tmp_path, offline_page, monkeypatch):
    workbook, n_nodes = planners_workbook(tmp_path / "planners.xlsx")
    assert n_nodes == 15_100
    monkeypatch.setenv("HAINET_STORE", str(tmp_path / "store.sqlite"))
    runner = CliRunner()
    loaded = runner.invoke(cli, ["load", str(workbook)], catch_exceptions=False)
    assert loaded.exit_code == 0, loaded.output
    drawn = runner.invoke(cli, ["map", "-o", str(tmp_path / "map.html")], catch_exceptions=False)
    assert drawn.exit_code == 0, drawn.output
    assert "aggregated" not in drawn.output
    opened = offline_page(tmp_path / "map.html", width=1600, height=1000)
    page = opened.page
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=90_000)
    renderer, count = page.evaluate("[document.body.dataset.renderer, Number(document.body.dataset.nodesDrawn)]")
    assert renderer == "webgl" and count >= 15_000
    opened.screenshot("webgl-workbook-15k")
    assert opened.errors == [] and opened.remote_requests == []
