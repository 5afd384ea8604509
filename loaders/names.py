"""Names as planners type them: folding for matching, aliases, and keys made from names.

Two spellings of one name should find the same entity: ``海口 高新区`` and
``海口高新区``, ``ＩＴ`` and ``IT``, ``Haikou`` and ``HAIKOU``.  Matching
therefore compares *folded* names (:func:`folded_name`), while the name a
planner typed is kept for display; the folding itself is
:func:`graph.names.folded`, shared with every query and view.  An :class:`AliasTable` says which other
names mean the same thing (``琼`` = ``海南``); the built-in table is
``loaders/data/aliases.yaml`` and planners extend it with an ``aliases``
sheet.  When a row gives no key, :func:`slug_from_names` makes a stable one.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from importlib import resources

import yaml

from graph.errors import HainetError
from graph.names import folded

__all__ = [
    "AliasTable",
    "builtin_aliases",
    "folded_name",
    "slug_from_names",
]

_SLUG_RUNS = re.compile(r"[^a-z0-9]+")


#: Name folding for matching; the one rule lives in :func:`graph.names.folded`.
folded_name = folded


def slug_from_names(name_en: str, name_zh: str) -> str:
    """Return the slug of a key made from an entity's names.

    The slug is the English name in lower case with every run of other
    characters turned into one ``-``; when the English name has no ASCII
    letter or digit, it is ``h`` and the first 10 hex digits of the SHA-1
    of the folded Chinese name.  The same names always give the same slug.

    Examples
    --------
    >>> slug_from_names("Sanya Yazhou Bay Sci-Tech City", "三亚崖州湾科技城")
    'sanya-yazhou-bay-sci-tech-city'
    >>> slug_from_names("Ｈａｉｋｏｕ", "海口")
    'haikou'
    >>> slug_from_names("", "海口 高新区") == slug_from_names("—", "海口高新区")
    True
    >>> slug_from_names("", "海口高新区")
    'h3b0561bed3'
    """
    ascii_name = unicodedata.normalize("NFKC", name_en).casefold()
    slug = _SLUG_RUNS.sub("-", ascii_name).strip("-")
    if slug:
        return slug
    digest = hashlib.sha1(folded_name(name_zh).encode("utf-8")).hexdigest()
    return "h" + digest[:10]


class AliasTable:
    """Groups of names that mean the same entity, compared folded.

    Aliases are symmetric and transitive: saying ``琼`` = ``海南`` and
    ``海南`` = ``海南省`` puts all three in one group.

    Parameters
    ----------
    pairs
        ``(alias, canonical)`` pairs to start with.

    Examples
    --------
    >>> table = AliasTable([("琼", "海南"), ("海南省", "海南")])
    >>> sorted(table.equivalents("琼"))
    ['海南', '海南省', '琼']
    >>> sorted(table.equivalents("三亚"))
    ['三亚']
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._parent: dict[str, str] = {}
        self._members: dict[str, frozenset[str]] | None = None
        for alias, canonical in pairs:
            self.add(alias, canonical)

    def add(self, alias: str, canonical: str) -> None:
        """Say that ``alias`` names the same entity as ``canonical``."""
        a, b = self._root(folded_name(alias)), self._root(folded_name(canonical))
        if a != b:
            # The smaller root wins, so the groups do not depend on the order of the pairs.
            low, high = sorted((a, b))
            self._parent[high] = low
            self._members = None

    def copy(self) -> AliasTable:
        """Return a copy, to extend without changing this table."""
        table = AliasTable()
        table._parent = dict(self._parent)
        return table

    def equivalents(self, name: str) -> frozenset[str]:
        """Return the folded names that mean the same as ``name``, its own folded form included."""
        folded = folded_name(name)
        return self._groups().get(self._root(folded), frozenset({folded}))

    def groups(self) -> Iterator[frozenset[str]]:
        """Yield each group of two or more folded names, ordered by their smallest name."""
        for _, members in sorted(self._groups().items()):
            yield members

    def __len__(self) -> int:
        return len(self._parent)

    def _groups(self) -> dict[str, frozenset[str]]:
        if self._members is None:
            by_root: dict[str, set[str]] = {}
            for name in self._parent:
                root = self._root(name)
                by_root.setdefault(root, {root}).add(name)
            self._members = {root: frozenset(names) for root, names in by_root.items()}
        return self._members

    def _root(self, name: str) -> str:
        while name in self._parent:
            name = self._parent[name]
        return name


def builtin_aliases() -> AliasTable:
    """Return the alias table shipped with hainet (``loaders/data/aliases.yaml``).

    Examples
    --------
    >>> "海口国家高新技术产业开发区" in builtin_aliases().equivalents("海口高新区")
    True
    """
    return AliasTable(_builtin_alias_pairs())


@functools.cache
def _builtin_alias_pairs() -> tuple[tuple[str, str], ...]:
    text = resources.files("loaders").joinpath("data", "aliases.yaml").read_text(encoding="utf-8")
    try:
        entries = yaml.safe_load(text)
    except yaml.YAMLError as e:
        msg = f"the built-in alias table is not valid YAML: {e}"
        raise HainetError(msg) from e
    return tuple((str(alias), str(entry["name"])) for entry in entries or [] for alias in entry.get("aliases", []))
