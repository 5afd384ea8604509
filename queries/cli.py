"""The questions as ``hainet`` commands: gaps, needs, hubs, recommend, checks.

The report's ``map`` and ``report`` live in :mod:`queries.cli_report` and
are registered with these.

Each command prints a table for people (``--format table``, the default),
or writes CSV safe to open in a spreadsheet, or JSON (a list of row
objects, UTF-8 kept readable).  A Neo4j store answers on the server; any
other store is read into memory once per command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
import networkx as nx
import pandas as pd

from graph.cli import as_of_option, emit, output_option, pass_store
from graph.evidence import EVIDENCE_CHOICES, graph_at
from graph.export import register_node_columns
from graph.labels import LANGUAGES
from graph.schema import NodeKind
from graph.store import Store, graph_from_store
from graph.tables import frame_to_csv, frame_to_json, frame_to_table, keys_named, terminal_width
from graph.timeline import graph_as_of
from queries._facts import key_for_name, runner_of, store_has_time
from queries.gaps import coverage_pairs, industry_gaps, industry_partners, policy_checks, untapped_partners
from queries.hubs import ALGORITHMS, hub_scores, single_points_of_failure
from queries.linkpred import TEMPORAL_CUTOFF
from queries.linkpred import backtest as link_backtest
from queries.needs import NEED_MISSING, unmatched_needs
from queries.node_columns import analysis_node_columns
from queries.recommend import recommend_partners

__all__ = [
    "checks",
    "commands",
    "frame_to_csv",
    "frame_to_json",
    "frame_to_table",
    "gaps",
    "hubs",
    "needs",
    "recommend",
]

FORMATS = ("table", "csv", "json")

#: Width of a table written to a file with ``-o``.
_FILE_WIDTH = 160


def _format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default="zh",
        show_default=True,
        help="Language of the table's headers and values (CSV and JSON keep the codes and both names).",
    )(command)
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table for reading; csv for spreadsheets (UTF-8 with a byte-order mark); json (a list of row objects).",
    )(command)


def _industry_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--industry", metavar="KEY|NAME", help="Only this industry (key, Chinese or English name).")(
        command
    )


def evidence_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--evidence``: answer on the facts at or above a level (:data:`graph.evidence.EVIDENCE_CHOICES`)."""
    return click.option(
        "--evidence",
        type=click.Choice(EVIDENCE_CHOICES),
        default="all",
        show_default=True,
        help="Answer on the facts at or above this level: stated is the document alone, curated adds "
        "reported developments and hainet's curation, all adds planners' own data.",
    )(command)


def _unit_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--unit", metavar="KEY|NAME", help="Only this demand unit (key, Chinese or English name).")(
        command
    )


def _source(store: Store, as_of: str | None = None) -> nx.MultiDiGraph | Store:
    """Return the store itself when it answers Cypher and holds no dated facts, else its graph on ``as_of``."""
    if runner_of(store) is not None and not store_has_time(store):
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
@evidence_option
@as_of_option
@_format_option
@output_option
@pass_store
def gaps(
    store: Store, view: str, industry: str | None, evidence: str, as_of: str | None, fmt: str, lang: str, output: str
) -> None:
    """Show which industries Hainan needs lack partners, and who could fill them."""
    source = _source(store, as_of)
    key = _key(source, NodeKind.INDUSTRY, industry)
    if view == "partners":
        if key is None:
            msg = "--view partners needs --industry"
            raise click.UsageError(msg)
        frame = industry_partners(source, key, evidence=evidence)
    elif view == "coverage":
        frame = _only(coverage_pairs(source, evidence=evidence), "industry_key", key)
    elif view == "untapped":
        frame = _only(untapped_partners(source, evidence=evidence), "industry_key", key)
    else:
        frame = _only(industry_gaps(source, evidence=evidence), "industry_key", key)
    emit(_render(frame, fmt, output, lang, source), output)


@click.command()
@_industry_option
@_unit_option
@click.option("--missing", type=click.Choice(NEED_MISSING), help="Only needs that lack this.")
@evidence_option
@as_of_option
@_format_option
@output_option
@pass_store
def needs(
    store: Store,
    industry: str | None,
    unit: str | None,
    missing: str | None,
    evidence: str,
    as_of: str | None,
    fmt: str,
    lang: str,
    output: str,
) -> None:
    """List the needs no active or planned cooperation covers, and what each lacks."""
    source = _source(store, as_of)
    frame = unmatched_needs(source, evidence=evidence)
    frame = _only(frame, "industry_key", _key(source, NodeKind.INDUSTRY, industry))
    frame = _only(frame, "unit_key", _key(source, NodeKind.DEMAND_UNIT, unit))
    frame = _only(frame, "missing", missing)
    emit(_render(frame, fmt, output, lang, source), output)


@click.command()
@click.option("--top", type=click.IntRange(min=1), help="Only the N highest by PageRank.")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in (NodeKind.REGION, NodeKind.PARK, NodeKind.DEPARTMENT, NodeKind.DEMAND_UNIT)]),
    help="Only actors of this kind.",
)
@click.option(
    "--spof",
    is_flag=True,
    help="List single points of failure instead: partners whose withdrawal would strand covered needs.",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of communities and sampling.")
@click.option(
    "--algorithms",
    type=click.Choice(ALGORITHMS),
    default="networkx",
    show_default=True,
    help="Where PageRank, betweenness and communities run: gds inside a Neo4j server with Graph Data Science, "
    "networkx in Python, auto gds where the server has it.",
)
@evidence_option
@as_of_option
@_format_option
@output_option
@pass_store
def hubs(
    store: Store,
    top: int | None,
    kind: str | None,
    spof: bool,
    seed: int,
    algorithms: str,
    evidence: str,
    as_of: str | None,
    fmt: str,
    lang: str,
    output: str,
) -> None:
    """Rank the actors by how central they are to the cooperation network."""
    source = _source(store, as_of)
    if spof:
        frame = _only(single_points_of_failure(source, evidence=evidence), "actor_kind", kind)
        if top is not None:
            keep = list(dict.fromkeys(frame["actor_key"]))[:top]
            frame = frame[frame["actor_key"].isin(keep)].reset_index(drop=True)
        emit(_render(frame, fmt, output, lang, source), output)
        return
    frame = _only(hub_scores(source, seed=seed, evidence=evidence, algorithms=algorithms), "actor_kind", kind)
    if top is not None:
        frame = frame.head(top)
    emit(_render(frame, fmt, output, lang, source), output)


@click.command()
@_industry_option
@_unit_option
@click.option("--top", type=click.IntRange(min=1), default=3, show_default=True, help="Candidates per need.")
@click.option(
    "--backtest",
    is_flag=True,
    help="Instead of recommending, score the scorers: how well each would "
    "have predicted partnerships it was not shown (random and temporal splits; AUC and precision at 5).",
)
@click.option(
    "--repeats",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="With --backtest: random splits to average over.",
)
@evidence_option
@as_of_option
@_format_option
@output_option
@pass_store
def recommend(
    store: Store,
    industry: str | None,
    unit: str | None,
    top: int,
    backtest: bool,
    repeats: int,
    evidence: str,
    as_of: str | None,
    fmt: str,
    lang: str,
    output: str,
) -> None:
    """Recommend partners for each unmatched need, best first, with the reasons."""
    if backtest:
        whole = graph_at(graph_from_store(store), evidence=evidence)
        before, after = graph_as_of(whole, TEMPORAL_CUTOFF), graph_as_of(whole, as_of)
        frame = link_backtest(after, repeats=repeats, temporal=(before, after))
        emit(_render(frame, fmt, output, lang, after), output)
        return
    source = _source(store, as_of)
    frame = recommend_partners(source, top=top, evidence=evidence)
    frame = _only(frame, "industry_key", _key(source, NodeKind.INDUSTRY, industry))
    frame = _only(frame, "unit_key", _key(source, NodeKind.DEMAND_UNIT, unit))
    emit(_render(frame, fmt, output, lang, source), output)


@click.command()
@click.option("--failed", is_flag=True, help="Only the checks that fail.")
@evidence_option
@as_of_option
@_format_option
@output_option
@pass_store
def checks(store: Store, failed: bool, evidence: str, as_of: str | None, fmt: str, lang: str, output: str) -> None:
    """Check the graph against what the 2020 mechanism asks for."""
    source = _source(store, as_of)
    frame = policy_checks(source, evidence=evidence)
    if failed:
        frame = frame[~frame["passed"]].reset_index(drop=True)
    emit(_render(frame, fmt, output, lang, source), output)


# `hainet export --with-analysis` adds these columns; graph never imports queries.
register_node_columns("analysis", analysis_node_columns)


def commands() -> list[click.Command]:
    """Return the commands this package adds to ``hainet``: the questions, the annual cycle, the map and the report."""
    from queries.annual_cli import diff, evaluate
    from queries.cli_report import commands as report_commands
    from queries.cli_whatif import whatif

    return [gaps, needs, hubs, recommend, checks, whatif, diff, evaluate, *report_commands()]


def _render(frame: pd.DataFrame, fmt: str, output: str, lang: str, source: nx.MultiDiGraph | Store) -> str:
    """Return ``frame`` as text: a table in ``lang``, CSV or JSON; node keys in text cells read as names."""
    frame = keys_named(frame, _names(source, lang))
    if fmt == "csv":
        return frame_to_csv(frame)
    if fmt == "json":
        return frame_to_json(frame)
    return frame_to_table(frame, lang=lang, width=terminal_width() if output == "-" else _FILE_WIDTH)


def _names(source: nx.MultiDiGraph | Store, lang: str) -> dict[str, str]:
    first, second = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    if isinstance(source, nx.MultiDiGraph):
        return {str(k): str(a.get(first) or a.get(second) or k) for k, a in source.nodes(data=True)}
    return {n.key: str(getattr(n, first, None) or getattr(n, second, None) or n.key) for n in source.iter_nodes()}
