"""The built-in dataset: the 2020 Hainan Open Innovation Cooperation Mechanism as a graph.

The dataset has two layers, read in this order and written together.  The
2020 layer lives in ``loaders/data/mechanism_2020/``: ``document.txt`` is the
text of the mechanism (国科办区〔2020〕105号) as extracted from its PDF, and
the ``*.yaml`` files hold the records, each a mapping with ``nodes`` and
``edges`` lists.  The ``reported`` layer, ``loaders/data/reported_2021_2025/``,
holds public developments of the mechanism after the notice, each with its
source address, date and basis, and ``changes`` to 2020 facts (a new status,
an end); see :mod:`loaders._reported`.  A node record holds ``kind``, ``key``, ``name_zh``,
``name_en``, its provenance (``provenance``, ``section``, ``quote`` or
``basis``) and any other property; an edge record holds ``source``, ``type``,
``target``, its provenance and any other property.  See
``docs/data-model.md`` for the model and the rules the data follows.

The loader fills ``document`` (the document number for stated facts,
``hainet curated`` for curated ones), adds a ``STATED_IN`` relationship from
every stated Cooperation and Mechanism to the Source of its section, gives
every 2020 cooperation a ``status_history`` (the document states no status:
the entry is curated; the history is kept as JSON text, which every store
and export can hold), checks every record, and raises one
:class:`~graph.errors.ValidationError` listing every problem.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

import yaml

from graph.errors import Problem, ValidationError
from graph.schema import Edge, Node, NodeKind, Provenance, RelType
from graph.store import Progress, Store, WriteReport
from graph.timeline import with_history
from loaders._evidence import write_keeping_user_data
from loaders._reported import apply_changes, history_text, parse_changes, reported_problems
from loaders._validate import Where, check_records, normalise_quote

__all__ = [
    "CURATED_SOURCE",
    "DATA_FOLDER",
    "DOCUMENT_NUMBER",
    "NOTICE_DATE",
    "REPORTED_FOLDER",
    "builtin_records",
    "document_text",
    "load_builtin",
]

#: The ``document`` of every stated fact: the number of the mechanism document.
DOCUMENT_NUMBER = "国科办区〔2020〕105号"

#: The ``document`` of every curated fact.
CURATED_SOURCE = "hainet curated"

#: Folder of the 2020 layer, relative to the ``loaders`` package.
DATA_FOLDER = "data/mechanism_2020"

#: Folder of the ``reported`` layer, read after the 2020 layer.
REPORTED_FOLDER = "data/reported_2021_2025"

#: Date of the notice: the 2020 measures start on it.
NOTICE_DATE = "2020-12-02"

#: Why a 2020 cooperation's first status is curated.
STATUS_BASIS = (
    "the document states no status; a measure of the notice is taken as under way "
    "from the notice's date until a reported development says otherwise"
)

_DOCUMENT_FILE = "document.txt"
_NODE_FIELDS = ("kind", "key", "name_zh", "name_en")
_EDGE_FIELDS = ("source", "type", "target")
#: Sections of the document: the notice, the preamble, 一, 二, 二(一)..二(五), 三, 三(一)..三(三).
_SECTION = re.compile(r"^(通知|序言|一|二(\([一二三四五]\))?|三(\([一二三]\))?)$")
#: Sections whose support has no named subject: MOST as supporter is curated there.
_IMPLICIT_SUPPORT_SECTIONS = ("二(二)", "二(五)")

_R = TypeVar("_R", Node, Edge)


def _data_folder() -> Traversable:
    return resources.files("loaders").joinpath(DATA_FOLDER)


def _reported_folder() -> Traversable:
    return resources.files("loaders").joinpath(REPORTED_FOLDER)


@functools.cache
def document_text() -> str:
    """Return the normalised text of the mechanism: lines stripped and joined.

    Every stated quote of the dataset is a substring of this text.

    Examples
    --------
    >>> text = document_text()
    >>> "海南开放创新合作机制" in text and "国科办区〔2020〕105" in text
    True
    """
    raw = _data_folder().joinpath(_DOCUMENT_FILE).read_text(encoding="utf-8")
    return normalise_quote(raw)


def builtin_records() -> tuple[list[Node], list[Edge]]:
    """Return the nodes and edges of the built-in dataset, checked.

    The files are read and checked once per process; each call returns
    fresh lists of fresh records, which the caller may change.

    Returns
    -------
    tuple of (list of Node, list of Edge)
        Nodes in file order, then edges in file order followed by the
        derived ``STATED_IN`` relationships.

    Raises
    ------
    ValidationError
        If any record breaks the schema or the dataset's rules; the error
        lists every problem, each with its file, list (``nodes`` or
        ``edges``) and 1-based position.

    Examples
    --------
    >>> nodes, edges = builtin_records()
    >>> nodes[0].key
    'source:mechanism-2020'
    >>> sorted({n.props["provenance"] for n in nodes})
    ['curated', 'reported', 'stated']
    """
    nodes, edges = _checked_records()
    return copy.deepcopy(list(nodes)), copy.deepcopy(list(edges))


def load_builtin(store: Store, *, progress: Progress | None = None, dry_run: bool = False) -> WriteReport:
    """Write the built-in dataset into ``store``; loading it twice changes nothing.

    A planner's ``user_overrides`` recorded on a fact (``hainet load
    --override``) stay: see :func:`loaders._evidence.with_user_data`.

    Parameters
    ----------
    store
        Where to write.
    progress
        Called with the number of records written so far, as the store goes.
    dry_run
        Report what the write would do, and write nothing.

    Returns
    -------
    WriteReport
        What was added, updated and left unchanged, per kind and type.

    Raises
    ------
    ValidationError
        If the dataset does not pass its checks; nothing is written.

    Examples
    --------
    >>> import os, tempfile
    >>> from graph.sqlite_store import SQLiteStore
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with SQLiteStore(os.path.join(d, "g.sqlite")) as store:
    ...         first = load_builtin(store)
    ...         second = load_builtin(store)
    >>> first.added["Cooperation"] > 0, second.changed
    (True, False)
    """
    nodes, edges = builtin_records()
    nodes = with_history(store.iter_nodes(NodeKind.COOPERATION), nodes)  # a changed status keeps its past
    return write_keeping_user_data(store, nodes, edges, progress=progress, dry_run=dry_run)


_Layer = tuple[list[tuple[Where, Node]], list[tuple[Where, Edge]], list[tuple[Where, dict[str, Any]]], list[Problem]]


@functools.cache
def _checked_records() -> tuple[tuple[Node, ...], tuple[Edge, ...]]:
    nodes, edges, _, problems = _read_folder(DATA_FOLDER, _data_folder())
    problems += [p for where, n in nodes for p in _layer_rules(where, n.props, reported=False)]
    problems += [p for where, e in edges for p in _layer_rules(where, e.props, reported=False)]
    nodes = [(where, _with_first_status(n)) for where, n in nodes]
    stated_in, missing = _stated_in_edges(nodes)
    edges += stated_in
    problems += missing
    later_nodes, later_edges, changes, later_problems = _read_folder(REPORTED_FOLDER, _reported_folder())
    problems += later_problems
    problems += [p for where, n in later_nodes for p in _layer_rules(where, n.props, reported=True)]
    problems += [p for where, e in later_edges for p in _layer_rules(where, e.props, reported=True)]
    nodes, edges, unknown = apply_changes(nodes + later_nodes, edges + later_edges, changes)
    problems += unknown
    problems += check_records(nodes, edges, document=document_text())
    problems += _dataset_problems(nodes, edges)
    if problems:
        raise ValidationError(problems)
    return tuple(n for _, n in nodes), tuple(e for _, e in edges)


def _read_folder(name: str, folder: Traversable) -> _Layer:
    nodes: list[tuple[Where, Node]] = []
    edges: list[tuple[Where, Edge]] = []
    changes: list[tuple[Where, dict[str, Any]]] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return nodes, edges, changes, problems
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    for file in files:
        file_nodes, file_edges, file_changes, file_problems = _read_file(f"{name}/{file.name}", file.read_text("utf-8"))
        nodes += file_nodes
        edges += file_edges
        changes += file_changes
        problems += file_problems
    return nodes, edges, changes, problems


def _read_file(name: str, text: str) -> _Layer:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        return [], [], [], [Problem(name, f"not valid YAML: {e}")]
    lists = {"nodes", "edges", "changes"} if name.startswith(REPORTED_FOLDER) else {"nodes", "edges"}
    if not isinstance(data, dict) or set(data) - lists:
        names = ", ".join(f"'{n}'" for n in sorted(lists))
        return [], [], [], [Problem(name, f"a data file must be a mapping with only {names} lists")]
    nodes, problems = _parse_list(name, "nodes", data.get("nodes"), _node_from_record)
    edges, edge_problems = _parse_list(name, "edges", data.get("edges"), _edge_from_record)
    changes, change_problems = parse_changes(name, data.get("changes"))
    return nodes, edges, changes, problems + edge_problems + change_problems


def _parse_list(
    name: str, sheet: str, records: object, parse: Callable[[Where, Mapping[str, Any]], tuple[_R | None, list[Problem]]]
) -> tuple[list[tuple[Where, _R]], list[Problem]]:
    if records is None:
        return [], []
    if not isinstance(records, list):
        return [], [Problem(name, f"'{sheet}' must be a list", sheet=sheet)]
    parsed: list[tuple[Where, _R]] = []
    problems: list[Problem] = []
    for row, record in enumerate(records, start=1):
        where = Where(name, sheet, row)
        if not isinstance(record, dict):
            problems.append(where.problem("a record must be a mapping"))
            continue
        item, record_problems = parse(where, record)
        problems += record_problems
        if item is not None:
            parsed.append((where, item))
    return parsed, problems


def _node_from_record(where: Where, record: Mapping[str, Any]) -> tuple[Node | None, list[Problem]]:
    problems = _missing(where, record, _NODE_FIELDS)
    # A reported fact names its own document (the address of its source); the loader fills every other.
    filled = ("source",) if record.get("provenance") == Provenance.REPORTED.value else ("document", "source")
    for name in filled:
        if name in record:
            problems.append(where.problem(f"{name!r} is filled by the loader; leave it out", name, record[name]))
    try:
        kind = NodeKind(str(record.get("kind")))
    except ValueError:
        kinds = ", ".join(k.value for k in NodeKind)
        problems.append(where.problem(f"must be one of {kinds}", "kind", record.get("kind")))
    if problems:
        return None, problems
    props = _with_document({k: v for k, v in record.items() if k not in _NODE_FIELDS})
    node = Node(str(record["key"]), kind, str(record["name_zh"]), str(record["name_en"]), props)
    return node, []


def _edge_from_record(where: Where, record: Mapping[str, Any]) -> tuple[Edge | None, list[Problem]]:
    # An edge record's ``source`` is its start node; the loader fills the provenance ``document``.
    problems = _missing(where, record, _EDGE_FIELDS)
    if "document" in record and record.get("provenance") != Provenance.REPORTED.value:
        reason = "'document' is filled by the loader; leave it out"
        problems.append(where.problem(reason, "document", record["document"]))
    try:
        rel_type = RelType(str(record.get("type")))
    except ValueError:
        types = ", ".join(t.value for t in RelType)
        problems.append(where.problem(f"must be one of {types}", "type", record.get("type")))
    if problems:
        return None, problems
    props = _with_document({k: v for k, v in record.items() if k not in _EDGE_FIELDS})
    return Edge(str(record["source"]), rel_type, str(record["target"]), props), []


def _missing(where: Where, record: Mapping[str, Any], fields: Iterable[str]) -> list[Problem]:
    return [where.problem("required value is missing", f) for f in fields if not record.get(f)]


def _with_document(props: dict[str, Any]) -> dict[str, Any]:
    if props.get("provenance") == Provenance.REPORTED.value:
        return props  # a reported fact names its own document: the address of its source
    sources = {Provenance.STATED.value: DOCUMENT_NUMBER, Provenance.CURATED.value: CURATED_SOURCE}
    return {**props, "document": sources.get(props.get("provenance", ""))}


def _with_first_status(node: Node) -> Node:
    """Return a 2020 cooperation with its status history: the status from the notice's date, curated."""
    if node.kind is not NodeKind.COOPERATION or "status" not in node.props:
        return node
    history = node.props.get("status_history") or [
        {
            "status": node.props["status"],
            "date": NOTICE_DATE,
            "provenance": Provenance.CURATED.value,
            "basis": STATUS_BASIS,
        }
    ]
    history = [{**entry, "document": entry.get("document") or CURATED_SOURCE} for entry in history]
    props = {**node.props, "status_history": history_text(history)}
    return Node(node.key, node.kind, node.name_zh, node.name_en, props)


def _stated_in_edges(nodes: Sequence[tuple[Where, Node]]) -> tuple[list[tuple[Where, Edge]], list[Problem]]:
    by_section = {n.props.get("section"): n.key for _, n in nodes if n.kind is NodeKind.SOURCE}
    edges: list[tuple[Where, Edge]] = []
    problems: list[Problem] = []
    for where, node in nodes:
        if node.kind not in (NodeKind.COOPERATION, NodeKind.MECHANISM) or not _is_stated(node.props):
            continue
        section = node.props.get("section")
        target = by_section.get(section)
        if target is None:
            problems.append(where.problem("no Source node has this section", "section", section))
            continue
        props = {k: node.props.get(k) for k in ("provenance", "section", "quote", "document")}
        edges.append((where, Edge(node.key, RelType.STATED_IN, target, props)))
    return edges, problems


def _layer_rules(where: Where, props: Mapping[str, Any], *, reported: bool) -> list[Problem]:
    if reported:
        if props.get("provenance") != Provenance.REPORTED.value:
            reason = "the reported layer holds reported facts only"
            return [where.problem(reason, "provenance", props.get("provenance"))]
        return reported_problems(where, props, when="valid_from")
    if props.get("provenance") not in (Provenance.STATED.value, Provenance.CURATED.value):
        return [
            where.problem("the 2020 layer holds stated and curated facts only", "provenance", props.get("provenance"))
        ]
    return []


def _dataset_problems(nodes: Sequence[tuple[Where, Node]], edges: Sequence[tuple[Where, Edge]]) -> list[Problem]:
    problems = [p for where, n in nodes for p in _record_rules(where, n.props)]
    problems += [p for where, e in edges for p in _record_rules(where, e.props)]
    problems += [
        where.problem("a Cooperation must be stated or reported, never curated")
        for where, n in nodes
        if n.kind is NodeKind.COOPERATION and n.props.get("provenance") == Provenance.CURATED.value
    ]
    sections = {n.key: n.props.get("section") for _, n in nodes if n.kind is NodeKind.COOPERATION}
    return problems + [p for where, e in edges for p in _cooperation_edge_rules(where, e, sections)]


def _record_rules(where: Where, props: Mapping[str, Any]) -> list[Problem]:
    problems = []
    if props.get("provenance") in (Provenance.USER.value, Provenance.EXAMPLE.value):
        reason = "the built-in dataset holds stated, reported and curated facts only"
        problems.append(where.problem(reason, "provenance", props.get("provenance")))
    section = props.get("section")
    if section is not None and not _SECTION.match(str(section)):
        problems.append(where.problem("a section looks like 一, 二(四) or 三(二)", "section", section))
    return problems


def _cooperation_edge_rules(where: Where, edge: Edge, sections: Mapping[str, Any]) -> list[Problem]:
    curated = edge.props.get("provenance") == Provenance.CURATED.value
    if edge.type is RelType.PARTNER_IN and curated:
        return [where.problem("a PARTNER_IN of a cooperation must be stated or reported, never curated", "provenance")]
    if edge.type is RelType.SUPPORTS and curated and sections.get(edge.target) not in _IMPLICIT_SUPPORT_SECTIONS:
        allowed = " and ".join(_IMPLICIT_SUPPORT_SECTIONS)
        reason = f"a curated SUPPORTS is allowed only in {allowed}, where the text leaves the supporter implicit"
        return [where.problem(reason, "target", edge.target)]
    return []


def _is_stated(props: Mapping[str, Any]) -> bool:
    return props.get("provenance") == Provenance.STATED.value
