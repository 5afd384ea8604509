"""Checked rows into records: keys from names, references resolved, relationships made, evidence guarded.

References name entities of the files or of the store, by key or by name
(folded, through the alias table).  Rows that name a ``stated`` or
``reported`` fact of the store go through :mod:`loaders._evidence`.  Every
problem is added to the :class:`~loaders._rows.Collected` of the load.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.schema import EDGE_ENDPOINTS, Edge, Node, NodeKind, Provenance, node_key
from graph.store import Store
from loaders._evidence import STRONG_EVIDENCE, guarded_edge, guarded_node
from loaders._rows import Collected, Row
from loaders._validate import HIERARCHY_TYPES, Where, check_records, hierarchy_problems
from loaders.names import AliasTable, folded_name, slug_from_names
from loaders.templates import FACT_FIELDS, REFERENCE, Column

__all__ = ["Resolver"]


@dataclass
class _Entity:
    key: str
    kind: NodeKind
    name_zh: str
    name_en: str


class Resolver:
    """Turns checked rows into records: keys, references, relationships; reports what does not resolve."""

    def __init__(
        self, collected: Collected, store: Store | None, aliases: AliasTable, *, override: bool = False
    ) -> None:
        self.collected = collected
        self.aliases = aliases.copy()
        self.store, self.override = store, override
        self.stored: dict[str, _Entity] = {}
        self.stored_nodes: dict[str, Node] = {}
        if store is not None:
            for node in store.iter_nodes():
                self.stored[node.key] = _Entity(node.key, node.kind, node.name_zh, node.name_en)
                if node.props.get("provenance") in STRONG_EVIDENCE:
                    self.stored_nodes[node.key] = node
        self.entities: dict[str, _Entity] = dict(self.stored)
        self.index: dict[str, set[str]] = defaultdict(set)
        self.hierarchy = [] if store is None else [e for t in HIERARCHY_TYPES for e in store.iter_edges(t)]
        self.edge_columns: dict[tuple[Where, tuple[str, str, str]], str] = {}

    # -- keys and names

    def records(self) -> tuple[list[Node], list[Edge]]:
        """Return the nodes and relationships of the collected rows; add every problem to the collection."""
        rows = self.collected.rows
        for row in rows:
            if row.template.name == "aliases" and "alias" in row.values and "canonical" in row.values:
                self.aliases.add(row.values["alias"], row.values["canonical"])
        entity_rows = [r for r in rows if r.template.kind not in (None, NodeKind.NEED, NodeKind.MONITORING)]
        self._index_entities(self.stored.values())
        keyed = [(row, self._entity_key(row)) for row in entity_rows]
        self._check_unkeyed_names(keyed)
        self._index_entities([self._entity(row, key) for row, key in keyed if key is not None])
        need_rows = [r for r in rows if r.template.kind is NodeKind.NEED]
        needs = [(row, self._need_key(row)) for row in need_rows]
        needs += [(row, self._monitoring_key(row)) for row in rows if row.template.kind is NodeKind.MONITORING]
        self._index_entities([self._entity(row, key) for row, key in needs if key is not None])

        nodes: list[tuple[Where, Node]] = []
        implied: dict[tuple[str, str, str], tuple[Where, Edge]] = {}
        explicit: list[tuple[Where, Edge]] = []
        for row, key in [*keyed, *needs]:
            if key is None:
                for column in row.template.columns:
                    if column.type == REFERENCE:
                        self._reference(row, column)  # to report every problem of the row
                continue
            nodes.append((row.where, self._guarded_node(row, self._node(row, key))))
            for edge in self._implied_edges(row, key):
                implied.setdefault(edge.triple, (row.where, edge))
        for row in rows:
            if row.template.rules:
                made = self._explicit_edge(row)
                if made is not None:
                    explicit.append((row.where, made))
        given = {edge.triple for _, edge in explicit}
        edges = self._guarded_edges([pair for triple, pair in implied.items() if triple not in given] + explicit)
        existing = {key: e.kind for key, e in self.stored.items()}
        names = {key: e.name_zh for key, e in self.entities.items()}
        found = check_records(nodes, edges, existing=existing)
        found += hierarchy_problems(
            edges,
            existing=self.hierarchy,
            names=names,
            column_of=lambda where, edge: self.edge_columns.get((where, edge.triple)),
        )
        for problem in found:
            if (problem.file, problem.sheet, problem.row, problem.column) not in self.collected.reported:
                self.collected.problems.append(problem)
        return [n for _, n in nodes], [e for _, e in edges]

    def _guarded_node(self, row: Row, node: Node) -> Node:
        """Return ``node``, or the stated or reported node of its key, unchanged or with the row's overrides."""
        stored = self.stored_nodes.get(node.key)
        if stored is None:
            return node
        kept, problems = guarded_node(
            row.where, node, stored, row.values, override=self.override, document=row.source_name
        )
        for problem in problems:
            self.collected.add(problem)
        return kept

    def _guarded_edges(self, edges: list[tuple[Where, Edge]]) -> list[tuple[Where, Edge]]:
        """Return ``edges`` with those that repeat a stated or reported relationship of the store guarded."""
        if self.store is None or not edges:
            return edges
        wanted = {edge.triple for _, edge in edges}
        types = sorted({edge.type for _, edge in edges})
        stored = {
            edge.triple: edge
            for rel_type in types
            for edge in self.store.iter_edges(rel_type)
            if edge.triple in wanted and edge.props.get("provenance") in STRONG_EVIDENCE
        }
        guarded = []
        for where, edge in edges:
            if edge.triple in stored:
                column = self.edge_columns.get((where, edge.triple))
                document = Path(where.file).name
                edge, problems = guarded_edge(
                    where, edge, stored[edge.triple], override=self.override, document=document, column=column
                )
                for problem in problems:
                    self.collected.add(problem)
            guarded.append((where, edge))
        return guarded

    def _index_entities(self, entities: Iterable[_Entity]) -> None:
        """Add ``entities`` to the name index; a file's entity replaces the store's of the same key."""
        for entity in entities:
            replaced = self.entities.get(entity.key)
            if replaced is not None and replaced is not entity:
                for name in (replaced.name_zh, replaced.name_en):
                    self.index[folded_name(name)].discard(entity.key)
            self.entities[entity.key] = entity
            for name in (entity.name_zh, entity.name_en, entity.key):
                if name.strip():
                    self.index[folded_name(name)].add(entity.key)

    def _candidates(self, name: str, kinds: Iterable[NodeKind]) -> list[str]:
        allowed = set(kinds)
        keys: set[str] = set()
        for folded in self.aliases.equivalents(name):
            keys |= self.index.get(folded, set())
        return sorted(k for k in keys if self.entities[k].kind in allowed)

    def _entity_key(self, row: Row) -> str | None:
        kind = row.template.kind
        assert kind is not None
        key = row.values.get("key")
        if key:
            return str(key)
        name_zh, name_en = row.values.get("name_zh", ""), row.values.get("name_en", "")
        if not name_zh and not name_en:
            return None  # reported as missing names
        known: set[str] = set()
        for name in (name_zh, name_en):
            if name:
                known |= set(self._candidates(name, [kind]))
        if len(known) == 1:
            return known.pop()
        if len(known) > 1:
            reason = f"the name matches several {kind.value} entities ({', '.join(sorted(known))}); give the key"
            self.collected.add(row.where.problem(reason, "key", name_zh or name_en))
            return None
        if not name_en:
            return None
        key = node_key(kind, slug_from_names(name_en, name_zh))
        taken = self.stored.get(key)
        if taken is not None:
            reason = f"the key {key} made from name_en already belongs to {taken.name_zh}; give another key"
            self.collected.add(row.where.problem(reason, "key", key))
            return None
        return key

    def _check_unkeyed_names(self, keyed: Sequence[tuple[Row, str | None]]) -> None:
        seen: dict[tuple[NodeKind | None, str], Row] = {}
        for row, _key in keyed:
            name = row.values.get("name_zh")
            if not name:
                continue
            mark = (row.template.kind, folded_name(name))
            first = seen.setdefault(mark, row)
            if first is not row and "key" not in row.values:
                where = first.where
                place = f"{where.file}" + (f", sheet {where.sheet}" if where.sheet else "") + f", row {where.row}"
                reason = f"another row has the same name ({place}); give each row its key, or remove one"
                self.collected.add(row.where.problem(reason, "name_zh", name))

    def _entity(self, row: Row, key: str) -> _Entity:
        kind = row.template.kind
        assert kind is not None
        return _Entity(key, kind, row.values.get("name_zh", ""), row.values.get("name_en", ""))

    def _need_key(self, row: Row) -> str | None:
        unit = self._reference(row, row.template.column("unit"))
        industry = self._reference(row, row.template.column("industry"))
        if unit is None or industry is None:
            return None
        key = node_key(NodeKind.NEED, f"{_slug_of(unit)}:{_slug_of(industry)}")
        given = row.values.get("key")
        if given and given != key:
            reason = f"a need's key is need:<unit slug>:<industry slug>, here {key}"
            self.collected.add(row.where.problem(reason, "key", given))
            return None
        return key

    def _monitoring_key(self, row: Row) -> str | None:
        """Key a monitoring row by its cooperation and year, and name it after them."""
        cooperation = self._reference(row, row.template.column("cooperation"))
        year = row.values.get("year")
        if cooperation is None or year is None:
            return None
        key = node_key(NodeKind.MONITORING, f"{_slug_of(cooperation)}:{year}")
        given = row.values.get("key")
        if given and given != key:
            reason = f"a monitoring record's key is monitoring:<cooperation slug>:<year>, here {key}"
            self.collected.add(row.where.problem(reason, "key", given))
            return None
        entity = self.entities[cooperation]
        row.values["name_zh"] = f"{entity.name_zh}·{year}年度监测"
        row.values["name_en"] = f"{entity.name_en}: monitoring {year}"
        return key

    def _reference(self, row: Row, column: Column, kinds: Iterable[NodeKind] | None = None) -> str | None:
        value = row.values.get(column.name)
        if not value:
            return None
        allowed = [k for k in column.refers_to if kinds is None or k in set(kinds)]
        names = " | ".join(k.value for k in allowed)
        direct = self.entities.get(str(value).strip())
        if direct is not None:
            if direct.kind in allowed:
                return direct.key
            reason = f"{direct.key} is a {direct.kind.value}; {column.name} must be a {names}"
            self.collected.add(row.where.problem(reason, column.name, value))
            return None
        found = self._candidates(value, allowed)
        if len(found) == 1:
            return found[0]
        if found:
            reason = f"ambiguous: the name matches {', '.join(found)}; write the key instead"
            self.collected.add(row.where.problem(reason, column.name, value))
            return None
        others = self._candidates(value, NodeKind)
        if others:
            kinds_found = ", ".join(sorted({self.entities[k].kind.value for k in others}))
            reason = f"names a {kinds_found}; {column.name} must be a {names}"
        else:
            reason = f"unknown reference: no {names} has this key or name in the files or the store"
        self.collected.add(row.where.problem(reason, column.name, value))
        return None

    # -- records

    def _provenance(self, row: Row) -> dict[str, Any]:
        props = {name: row.values[name] for name in FACT_FIELDS if name in row.values}
        props.setdefault("provenance", Provenance.USER.value)
        if props["provenance"] == Provenance.USER.value:
            props.setdefault("document", row.source_name)
        for name in FACT_FIELDS:
            if name not in row.values and name in row.wrong:
                props[name] = row.wrong[name]  # a wrong value, already reported: keeps later checks quiet
        return props

    def _node(self, row: Row, key: str) -> Node:
        template, kind = row.template, row.template.kind
        assert kind is not None
        props = self._provenance(row)
        for column in template.columns:
            if column.name in ("key", "name_zh", "name_en") or column.name in FACT_FIELDS:
                continue
            if column.type == REFERENCE:
                continue
            if column.name in row.values:
                props[column.name] = row.values[column.name]
            elif column.name in row.wrong:
                props[column.name] = row.wrong[column.name]
        name_zh = row.values.get("name_zh", row.wrong.get("name_zh", ""))
        name_en = row.values.get("name_en", row.wrong.get("name_en", ""))
        return Node(key, kind, name_zh, name_en, props)

    def _implied_edges(self, row: Row, key: str) -> Iterator[Edge]:
        for column in row.template.columns:
            if column.type != REFERENCE or column.relationship is None:
                continue
            other = self._reference(row, column)
            if other is None:
                continue
            source, target = (other, key) if column.incoming else (key, other)
            edge = Edge(source, column.relationship, target, self._provenance(row))
            self.edge_columns[(row.where, edge.triple)] = column.name
            yield edge

    def _explicit_edge(self, row: Row) -> Edge | None:
        template = row.template
        selector = row.values.get(template.selector) if template.selector else ""
        if selector is None:
            return None
        rule = template.rule_for(selector)
        if rule is None:
            return None
        sources, targets = EDGE_ENDPOINTS[rule.type]
        source = self._reference(row, template.column(rule.source), sources)
        target = self._reference(row, template.column(rule.target), targets)
        if source is None or target is None:
            return None
        edge = Edge(source, rule.type, target, self._provenance(row))
        self.edge_columns[(row.where, edge.triple)] = rule.target
        return edge


def _slug_of(key: str) -> str:
    return key.split(":", 1)[1]
