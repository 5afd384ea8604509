"""Names as people type them: the one folding for matching, and lookup of a node by name.

Two spellings of one name should find the same entity: ``海口 高新区`` and
``海口高新区``, ``ＩＴ`` and ``IT``, ``Haikou`` and ``HAIKOU``,
``上海市`` with a zero-width space and ``上海市`` without.  Every command,
loader and view compares names through :func:`folded`, and resolves a name a
user typed to a node key through :func:`key_for_name`, so they all agree.
:func:`clean_name` is what is *stored* for a name: the typed text without
invisible format characters and without spaces at its ends.
"""

from __future__ import annotations

import functools
import unicodedata

import networkx as nx

from graph.errors import HainetError
from graph.schema import NodeKind
from graph.store import Store

__all__ = [
    "clean_name",
    "folded",
    "key_for_name",
]


@functools.lru_cache(maxsize=1 << 16)
def folded(text: str) -> str:
    r"""Return ``text`` folded for matching: NFKC, case-folded, without whitespace or format characters.

    NFKC turns full-width letters, digits and punctuation into their usual
    forms (``ＡＢ１`` → ``AB1``, ``（`` → ``(``) and the ideographic space into
    a space; every whitespace, control (Cc) and invisible format (Cf)
    character, such as the zero-width space and the byte-order mark, is then
    dropped, and letters are case-folded.

    Examples
    --------
    >>> folded(" 海口　高新区 ")
    '海口高新区'
    >>> folded("Ｓａｎｙａ  Yazhou\u200bBay")
    'sanyayazhoubay'
    >>> folded("（琼）") == folded("(琼)")
    True
    """
    return unicodedata.normalize("NFKC", text).casefold().translate(_dropped())


@functools.cache
def _dropped() -> dict[int, None]:
    """Return the translation table that deletes whitespace, control and format characters."""
    points = [*range(0x10000), *range(0xE0000, 0xE0080)]
    return {p: None for p in points if chr(p).isspace() or unicodedata.category(chr(p)) in ("Cc", "Cf")}


@functools.cache
def _invisible() -> dict[int, None]:
    """Return the translation table that deletes the invisible format characters (Cf)."""
    points = [*range(0x10000), *range(0xE0000, 0xE0080)]
    return {p: None for p in points if unicodedata.category(chr(p)) == "Cf"}


def clean_name(text: str) -> str:
    r"""Return ``text`` as a name is stored: no invisible characters, no spaces at its ends.

    Zero-width spaces and joiners, word joiners, byte-order marks and the
    other invisible format characters (Unicode category Cf) are dropped
    wherever they are; whitespace of any kind (non-breaking and ideographic
    spaces included) is dropped at the ends.  Spaces inside the name are
    kept as typed.  Control characters are left for the caller to refuse.

    Examples
    --------
    >>> clean_name("上海\u200b市")
    '上海市'
    >>> clean_name("\ufeff Shanghai\u00a0")
    'Shanghai'
    >>> clean_name("Sanya Yazhou Bay")
    'Sanya Yazhou Bay'
    """
    return text.translate(_invisible()).strip()


def key_for_name(source: nx.MultiDiGraph | Store, kind: NodeKind | None, text: str) -> str:
    """Return the key of the one ``kind`` node (any node when ``kind`` is None) whose key or name is ``text``.

    A key matches exactly; a name matches when it folds (:func:`folded`)
    to the same text as the node's Chinese name, English name or key, else
    when it is contained in the one name that contains it.

    Parameters
    ----------
    source
        A graph (nodes carry ``kind``, ``name_zh`` and ``name_en``) or a store.
    kind
        The kind of node to look for; None for any kind.
    text
        A key or a name as a user typed it.

    Returns
    -------
    str
        The key of the node.

    Raises
    ------
    HainetError
        When nothing matches, or several nodes do.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("industry:biomedicine", kind="Industry", name_zh="生物医药", name_en="Biomedicine")
    >>> G.add_node("industry:tourism", kind="Industry", name_zh="旅游", name_en="Tourism")
    >>> key_for_name(G, NodeKind.INDUSTRY, "生物")
    'industry:biomedicine'
    >>> key_for_name(G, NodeKind.INDUSTRY, "ＢＩＯＭＥＤＩＣＩＮＥ ")
    'industry:biomedicine'
    >>> key_for_name(G, None, "旅游")
    'industry:tourism'
    """
    if isinstance(source, nx.MultiDiGraph):
        named = [
            (key, attrs.get("name_zh") or "", attrs.get("name_en") or "")
            for key, attrs in source.nodes(data=True)
            if kind is None or attrs.get("kind") == kind.value
        ]
    elif isinstance(source, Store):
        named = [(n.key, n.name_zh, n.name_en) for n in source.iter_nodes(kind)]
    else:
        msg = f"expected a networkx MultiDiGraph or a hainet Store, not {type(source).__name__}"
        raise TypeError(msg)
    named.sort()
    if any(key == text for key, _, _ in named):
        return text
    wanted = folded(text)
    exact = [key for key, zh, en in named if wanted in (folded(zh), folded(en), folded(key))]
    partial = [key for key, zh, en in named if wanted and (wanted in folded(zh) or wanted in folded(en))]
    found = exact or partial
    if len(found) == 1:
        return str(found[0])
    what = "node" if kind is None else kind.value
    if not found:
        msg = f"no {what} is named {text!r}"
    else:
        shown = ", ".join(found[:8]) + (", ..." if len(found) > 8 else "")
        msg = f"{text!r} names {len(found)} {what} nodes: {shown}; give a key"
    raise HainetError(msg)
