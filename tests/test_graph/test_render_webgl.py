"""The WebGL map: chosen by size, one offline file under the same policy, hostile text inert."""

import re

import pytest
from render_fixtures import small_mechanism_graph

from graph.render import network_map
from graph.render_webgl import WEBGL_ABOVE, chosen_renderer, webgl_html


def test_auto_draws_with_webgl_above_the_threshold():
    assert chosen_renderer("auto", WEBGL_ABOVE) == "canvas"
    assert chosen_renderer("auto", WEBGL_ABOVE + 1) == "webgl"
    assert chosen_renderer("webgl", 3) == "webgl"
    with pytest.raises(ValueError, match="renderer"):
        chosen_renderer("svg", 3)


def test_one_offline_file_under_the_csp():
    page = webgl_html(network_map(small_mechanism_graph()))
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    assert not re.search(r'<script[^>]+src=|<link[^>]+href=|https?://(?!www\.w3\.org)', page)
    assert "HainetWebGL" in page and 'id="hn-panel"' in page


def test_hostile_names_stay_inside_the_data_block():
    page = webgl_html(network_map(small_mechanism_graph(hostile=True)))
    assert "<img src=x" not in page and "<script>alert" not in page
    assert page.count("<script") == page.count("</script>")
