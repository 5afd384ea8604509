"""The WebGL map: chosen by size, one offline file under the same policy, hostile text inert."""

import re

import pytest
from render_fixtures import many_needs_graph, small_mechanism_graph

from graph.errors import HainetError
from graph.render import network_map
from graph.render_webgl import WEBGL_ABOVE, chosen_renderer, webgl_html


def test_auto_draws_with_webgl_above_the_threshold():
    assert chosen_renderer("auto", WEBGL_ABOVE) == "canvas"
    assert chosen_renderer("auto", WEBGL_ABOVE + 1) == "webgl"
    assert chosen_renderer("webgl", 3) == "webgl"
    with pytest.raises(ValueError, match="renderer"):
        chosen_renderer("svg", 3)


def test_one_offline_file_under_the_csp():
    page = network_map(small_mechanism_graph(), renderer="webgl").html()
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|https?://(?!www\.w3\.org)", page)
    assert "HainetWebGL" in page and 'id="hn-panel"' in page


def test_hostile_names_stay_inside_the_data_block():
    page = network_map(small_mechanism_graph(hostile=True), renderer="webgl").html()
    assert "<img src=x" not in page and "<script>alert" not in page
    assert page.count("<script") == page.count("</script>")


def test_auto_map_switches_to_webgl_and_draws_every_node_unless_asked_to_aggregate():
    G = many_needs_graph(units=200, needs_per_unit=9)  # 2,003 nodes
    whole = network_map(G, view="full")
    assert whole.renderer == "webgl" and whole.node_count == 2003 and not whole.aggregated
    assert network_map(G, view="full", renderer="canvas").renderer == "canvas"
    grouped = network_map(G, view="full", max_nodes=500)
    assert grouped.renderer == "webgl" and grouped.aggregated and grouped.node_count <= 500
    # Relationships travel as numbers: node positions and an evidence level, no tooltip text.
    assert all(isinstance(e, list) and len(e) >= 3 for e in whole.data["edges"])
    assert all("title" not in n for n in whole.data["nodes"])
    with pytest.raises(HainetError, match="renderer"):
        network_map(G, renderer="svg")
    with pytest.raises(HainetError, match="webgl"):
        webgl_html(network_map(small_mechanism_graph(), renderer="canvas"))
