"""The Cypher files speak the schema: labels and types from the enums, values as $parameters."""

import re
from importlib import resources

import pytest

from graph.schema import COOPERATION_STATUSES, NodeKind, RelType

FILES = sorted(p.name for p in resources.files("queries").iterdir() if p.name.endswith(".cypher"))

# A label or type follows a colon inside (...) or [...]; alternatives are joined by |.
NAMES = re.compile(r"[(\[][A-Za-z_]*\s*:\s*([A-Za-z_|]+)")


def test_the_questions_read_their_facts_at_a_level():
    # One file restricts the facts to an evidence level on the server; the questions then apply the one
    # coverage rule of queries/coverage.py, as they do on an in-memory graph.  Two fetch, at a level, only
    # the sub-graph the hub measures and the single points of failure read.  The last tells whether the
    # server holds dated facts, which the questions then read as of a date.
    assert FILES == ["facts_at_level.cypher", "hub_facts.cypher", "stranding_facts.cypher", "time_facts.cypher"]
    for name in FILES[:3]:
        text = resources.files("queries").joinpath(name).read_text(encoding="utf-8")
        assert "$levels" in text and "$known" in text, name


@pytest.mark.parametrize("name", FILES)
def test_labels_and_types_come_from_the_schema(name):
    text = resources.files("queries").joinpath(name).read_text(encoding="utf-8")
    code = "\n".join(line.split("//")[0] for line in text.splitlines())
    found = {part for match in NAMES.findall(code) for part in match.split("|")}
    assert found, name
    labels = {k.value for k in NodeKind}
    types = {t.value for t in RelType}
    assert found <= labels | types, found - labels - types


@pytest.mark.parametrize("name", FILES)
def test_statuses_travel_as_parameters(name):
    text = resources.files("queries").joinpath(name).read_text(encoding="utf-8")
    code = "\n".join(line.split("//")[0] for line in text.splitlines())
    for status in COOPERATION_STATUSES:
        assert f"'{status}'" not in code and f'"{status}"' not in code
    assert "$" in code
