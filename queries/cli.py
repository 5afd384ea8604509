"""The questions as ``hainet`` commands: gaps, needs, hubs, recommend, checks.

Each command prints a table for people (``--format table``, the default),
or writes CSV safe to open in a spreadsheet, or JSON (a list of row
objects, UTF-8 kept readable).  A Neo4j store answers on the server; any
other store is read into memory once per command.
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
from collections.abc import Callable, Sequence
from typing import Any

import click
import networkx as nx
import numpy as np
import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from graph.cli import as_of_option, emit, output_option, pass_store
from graph.export import safe_cell
from graph.schema import NodeKind
from graph.store import Store, graph_from_store
from graph.timeline import graph_as_of
from queries._facts import key_for_name, store_has_time
from queries.gaps import coverage_pairs, industry_gaps, industry_partners, policy_checks, untapped_partners
from queries.hubs import hub_scores, single_points_of_failure
from queries.needs import UNMATCHED_REASONS, unmatched_needs
from queries.recommend import recommend_partners

__all__ = [
    "checks", "commands", "frame_to_csv", "frame_to_json", "frame_to_table", "gaps", "hubs", "needs", "recommend",
]

FORMATS = ("table", "csv", "json")

#: Columns shown in terminal tables (CSV and JSON carry every column), with their headings.
_TABLE_COLUMNS: dict[str, dict[str, str]] = {
    "gaps": {"industry_zh": "产业", "industry_en": "industry", "is_leading": "leading", "n_needs": "needs",
             "n_cooperations": "coops", "n_partners": "partners", "status": "status", "partners_zh": "合作方"},
    "coverage": {"industry_zh": "产业", "partner_zh": "合作方", "partner_kind": "kind",
                 "n_cooperations": "coops", "n_active": "active", "n_planned": "planned"},
    "untapped": {"industry_zh": "产业", "actor_zh": "潜在合作方", "actor_en": "actor", "actor_kind": "kind",
                 "capability": "capability", "tied_to_hainan": "tied", "provenance": "provenance"},
    "partners": {"partner_zh": "合作方", "partner_en": "partner", "partner_kind": "kind",
                 "n_cooperations": "coops", "n_active": "active", "n_planned": "planned"},
    "needs": {"unit_zh": "需求单位", "industry_zh": "产业", "reason": "reason",
              "stalled_cooperations": "stalled", "provenance": "provenance", "need_key": "need"},
    "hubs": {"actor_zh": "主体", "actor_kind": "kind", "degree": "degree", "weighted_degree": "w.degree",
             "betweenness": "betweenness", "pagerank": "pagerank", "community": "comm.", "brokerage": "brokerage"},
    "spof": {"actor_zh": "主体", "actor_kind": "kind", "n_stranded": "stranded", "unit_zh": "需求单位",
             "industry_zh": "产业", "cooperations": "cooperations"},
    "recommend": {"unit_zh": "需求单位", "industry_zh": "产业", "rank": "#", "candidate_zh": "推荐合作方",
                  "score": "score", "explanation_zh": "理由"},
    "checks": {"check": "check", "subject_zh": "对象", "passed": "passed", "evidence": "evidence"},
}


def _format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table for reading, csv for spreadsheets, json (a list of row objects).",
    )(command)


def _industry_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--industry", metavar="KEY|NAME", help="Only this industry (key, Chinese or English name).")(
        command
    )


def _unit_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--unit", metavar="KEY|NAME", help="Only this demand unit (key, Chinese or English name).")(
        command
    )


def _source(store: Store, as_of: str | None = None) -> nx.MultiDiGraph | Store:
    """Return the store itself when it answers Cypher and holds no dated facts, else its graph on ``as_of``."""
    if hasattr(store, "run") and not store_has_time(store):
        return store
    return graph_as_of(graph_from_store(store), as_of)


def _only(frame: pd.DataFrame, column: str, key: str | None) -> pd.DataFrame:
    if key is None:
        return frame
    return frame[frame[column] == key].reset_index(drop=True)


def _key(source: nx.MultiDiGraph | Store, kind: NodeKind, text: str | None) -> str | None:
    return None if text is None else key_for_name(source, kind, text)


@click.command()
@click.option(
    "--view",
    type=click.Choice(["industries", "coverage", "untapped", "partners"]),
    default="industries",
    show_default=True,
    help="industries: one row per needed industry; coverage: industry × partner pairs; "
    "untapped: able partners not yet working in a needed field; partners: the partners of --industry.",
)
@_industry_option
@as_of_option
@_format_option
@output_option
@pass_store
def gaps(store: Store, view: str, industry: str | None, as_of: str | None, fmt: str, output: str) -> None:
    """Show which industries Hainan needs lack partners, and who could fill them."""
    source = _source(store, as_of)
    key = _key(source, NodeKind.INDUSTRY, industry)
    if view == "partners":
        if key is None:
            msg = "--view partners needs --industry"
            raise click.UsageError(msg)
        frame = industry_partners(source, key)
    elif view == "coverage":
        frame = _only(coverage_pairs(source), "industry_key", key)
    elif view == "untapped":
        frame = _only(untapped_partners(source), "industry_key", key)
    else:
        frame = _only(industry_gaps(source), "industry_key", key)
    emit(_render(frame, fmt, "gaps" if view == "industries" else view, output), output)


@click.command()
@_industry_option
@_unit_option
@click.option("--reason", type=click.Choice(UNMATCHED_REASONS), help="Only needs unmatched for this reason.")
@as_of_option
@_format_option
@output_option
@pass_store
def needs(
    store: Store, industry: str | None, unit: str | None, reason: str | None, as_of: str | None, fmt: str, output: str
) -> None:
    """List the needs no active or planned cooperation covers, and why."""
    source = _source(store, as_of)
    frame = unmatched_needs(source)
    frame = _only(frame, "industry_key", _key(source, NodeKind.INDUSTRY, industry))
    frame = _only(frame, "unit_key", _key(source, NodeKind.DEMAND_UNIT, unit))
    frame = _only(frame, "reason", reason)
    emit(_render(frame, fmt, "needs", output), output)


@click.command()
@click.option("--top", type=click.IntRange(min=1), help="Only the N highest by PageRank.")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in (NodeKind.REGION, NodeKind.PARK, NodeKind.DEPARTMENT, NodeKind.DEMAND_UNIT)]),
    help="Only actors of this kind.",
)
@click.option("--spof", is_flag=True, help="List single points of failure instead: partners whose withdrawal "
              "would strand covered needs.")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of communities and sampling.")
@as_of_option
@_format_option
@output_option
@pass_store
def hubs(
    store: Store, top: int | None, kind: str | None, spof: bool, seed: int, as_of: str | None, fmt: str, output: str
) -> None:
    """Rank the actors by how central they are to the cooperation network."""
    source = _source(store, as_of)
    if spof:
        frame = _only(single_points_of_failure(source), "actor_kind", kind)
        if top is not None:
            keep = list(dict.fromkeys(frame["actor_key"]))[:top]
            frame = frame[frame["actor_key"].isin(keep)].reset_index(drop=True)
        emit(_render(frame, fmt, "spof", output), output)
        return
    frame = _only(hub_scores(source, seed=seed), "actor_kind", kind)
    if top is not None:
        frame = frame.head(top)
    emit(_render(frame, fmt, "hubs", output), output)


@click.command()
@_industry_option
@_unit_option
@click.option("--top", type=click.IntRange(min=1), default=3, show_default=True, help="Candidates per need.")
@as_of_option
@_format_option
@output_option
@pass_store
def recommend(
    store: Store, industry: str | None, unit: str | None, top: int, as_of: str | None, fmt: str, output: str
) -> None:
    """Recommend partners for each unmatched need, best first, with the reasons."""
    source = _source(store, as_of)
    frame = recommend_partners(source, top=top)
    frame = _only(frame, "industry_key", _key(source, NodeKind.INDUSTRY, industry))
    frame = _only(frame, "unit_key", _key(source, NodeKind.DEMAND_UNIT, unit))
    emit(_render(frame, fmt, "recommend", output), output)


@click.command()
@click.option("--failed", is_flag=True, help="Only the checks that fail.")
@as_of_option
@_format_option
@output_option
@pass_store
def checks(store: Store, failed: bool, as_of: str | None, fmt: str, output: str) -> None:
    """Check the graph against what the 2020 mechanism asks for."""
    frame = policy_checks(_source(store, as_of))
    if failed:
        frame = frame[~frame["passed"]].reset_index(drop=True)
    emit(_render(frame, fmt, "checks", output), output)


def commands() -> list[click.Command]:
    """Return the commands this package adds to ``hainet``."""
    from queries.annual_cli import diff, evaluate

    return [gaps, needs, hubs, recommend, checks, diff, evaluate]


def _render(frame: pd.DataFrame, fmt: str, view: str, output: str) -> str:
    if fmt == "csv":
        return frame_to_csv(frame)
    if fmt == "json":
        return frame_to_json(frame)
    width = 200 if output != "-" else max(shutil.get_terminal_size((160, 24)).columns, 100)
    return frame_to_table(frame, columns=_TABLE_COLUMNS[view], width=width)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    return value


def frame_to_json(frame: pd.DataFrame) -> str:
    """Return ``frame`` as a JSON list of row objects, UTF-8 kept readable.

    Examples
    --------
    >>> print(frame_to_json(pd.DataFrame({"name": ["海南"], "n": [1], "keys": [["a", "b"]]})), end="")
    [
     {"name": "海南", "n": 1, "keys": ["a", "b"]}
    ]
    """
    rows = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
    if not rows:
        return "[]\n"
    lines = ",\n".join(" " + json.dumps(row, ensure_ascii=False) for row in rows)
    return "[\n" + lines + "\n]\n"


def _cell_text(value: Any, sep: str = "; ") -> Any:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return sep.join(str(v) for v in value)
    return value


def frame_to_csv(frame: pd.DataFrame) -> str:
    """Return ``frame`` as CSV: lists joined with ``; ``, cells that would start a formula neutralised.

    Examples
    --------
    >>> print(frame_to_csv(pd.DataFrame({"quote": ["=1+1"], "keys": [["a", "b"]]})), end="")
    quote,keys
    '=1+1,a; b
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([safe_cell(_cell_text(v)) for v in row])
    return buffer.getvalue()


def frame_to_table(frame: pd.DataFrame, *, columns: dict[str, str] | Sequence[str] | None = None,
                   width: int = 160) -> str:
    """Return ``frame`` as a plain-text table whose columns line up with Chinese names in them.

    Parameters
    ----------
    frame
        The rows.
    columns
        The columns to show, or a mapping of column to heading; all by default.
    width
        Width of the table in terminal cells; long cells wrap.
    """
    if columns is None:
        columns = list(frame.columns)
    headings = dict(columns) if isinstance(columns, dict) else {c: c for c in columns}
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column, heading in headings.items():
        numeric = column in frame.columns and pd.api.types.is_numeric_dtype(frame[column]) \
            and not pd.api.types.is_bool_dtype(frame[column])
        table.add_column(heading, justify="right" if numeric else "left", overflow="fold")
    for row in frame[list(headings)].itertuples(index=False):
        table.add_row(*(_table_cell(v) for v in row))
    console = Console(width=width, no_color=True, highlight=False, emoji=False, markup=False)
    with console.capture() as captured:
        console.print(table)
    text = "\n".join(line.rstrip() for line in captured.get().splitlines()).strip("\n") + "\n"
    rows = len(frame)
    return text + f"{rows} row{'s' if rows != 1 else ''}\n"


def _table_cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
