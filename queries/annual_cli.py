"""The annual cycle as ``hainet`` commands: ``diff`` (what changed) and ``evaluate`` (monitoring scores)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd

from graph.cli import emit, output_option, pass_store
from graph.errors import HainetError
from graph.settings import is_neo4j_uri
from graph.store import Store, graph_from_store, open_store
from graph.tables import frame_to_csv, frame_to_json, frame_to_table, terminal_width
from graph.timeline import as_of_date, graph_as_of
from queries.cli import _format_option
from queries.diff import graph_changes, network_by_year
from queries.evaluate import FLAGS, evaluate_frame_views

__all__ = ["diff", "evaluate"]

#: The machine columns a terminal table shows, per view.
_DIFF_COLUMNS = ["change", "kind", "name_zh", "name_en", "evidence", "date", "detail"]
_NETWORK_COLUMNS = ["year", "nodes", "relationships", "density", "mean_degree", "clustering", "components"]
_FILE_WIDTH = 160


def _rendered(frame: pd.DataFrame, fmt: str, columns: list[str], output: str, lang: str) -> str:
    if fmt == "csv":
        return frame_to_csv(frame)
    if fmt == "json":
        return frame_to_json(frame)
    width = terminal_width() if output == "-" else _FILE_WIDTH
    other = "_en" if lang == "zh" else "_zh"
    shown = [c for c in columns if c in frame.columns and not c.endswith(other)]
    return frame_to_table(frame, lang=lang, width=width, columns=shown)


def _checked(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            as_of_date(value)
        except HainetError as e:
            raise click.BadParameter(str(e)) from e
    return value


@click.command()
@click.option(
    "--from",
    "since",
    metavar="DATE",
    callback=_checked,
    help="The earlier day: YYYY-MM-DD, or a year for its last day. Default: today.",
)
@click.option(
    "--to",
    "until",
    metavar="DATE",
    callback=_checked,
    help="The later day: YYYY-MM-DD, or a year for its last day. Default: today.",
)
@click.option("--from-store", metavar="PATH|URI", help="Take the earlier graph from this store (a file or a URI).")
@click.option("--to-store", metavar="PATH|URI", help="Take the later graph from this store; default: --store.")
@click.option(
    "--view",
    type=click.Choice(["changes", "network"]),
    default="changes",
    show_default=True,
    help="changes: one row per change; network: whole-network measures at the end of each year.",
)
@click.option(
    "--hubs-top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Compare hub ranks among the top N on either side.",
)
@_format_option
@output_option
@pass_store
def diff(
    store: Store,
    since: str | None,
    until: str | None,
    from_store: str | None,
    to_store: str | None,
    view: str,
    hubs_top: int,
    fmt: str,
    lang: str,
    output: str,
) -> None:
    """Show what changed between two dates, or between two stores.

    Cooperations added, ended or changed in status; partners and fields
    added; needs newly covered or uncovered; hubs rising and falling.
    """
    if from_store is None and to_store is None and since is None and view == "changes":
        msg = "give --from DATE, or --from-store and --to-store"
        raise click.UsageError(msg)
    after = _graph(store, to_store)
    if view == "network":
        first = as_of_date(since, end=True).year
        last = as_of_date(until, end=True).year
        if first > last:
            msg = "--from is later than --to"
            raise click.UsageError(msg)
        emit(_rendered(network_by_year(after, first, last), fmt, _NETWORK_COLUMNS, output, lang), output)
        return
    before = after if from_store is None else _graph(store, from_store)
    start, stop = as_of_date(since, end=True), as_of_date(until, end=True)
    if start > stop:
        msg = "--from is later than --to"
        raise click.UsageError(msg)
    frame = graph_changes(
        graph_as_of(before, start), graph_as_of(after, stop), since=start, until=stop, hubs_top=hubs_top
    )
    emit(_rendered(frame, fmt, _DIFF_COLUMNS, output, lang), output)


def _graph(store: Store, location: str | None) -> Any:
    if location is None:
        return graph_from_store(store)
    if not is_neo4j_uri(location) and not Path(location).is_file():
        msg = f"no store at {location}"
        raise HainetError(msg)
    with open_store(location) as other:
        return graph_from_store(other)


_EVALUATION_COLUMNS = [
    "rank",
    "cooperation_zh",
    "cooperation_en",
    "status",
    "c_projects",
    "c_funding_wan_yuan",
    "c_talents",
    "c_results_transferred",
    "c_platforms",
    "score",
    "fund_share",
    "flag_zh",
    "flag_en",
]
_GROUP_COLUMNS = ["name_zh", "name_en", "n_cooperations", "n_records", "total_score", "mean_score", "n_flagged"]
_FUND_COLUMNS = ["cooperation_zh", "cooperation_en", "score", "fund_share", "label"]


def _weight_pairs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, float]:
    weights = {}
    for value in values:
        name, sep, number = value.partition("=")
        try:
            weights[name.strip()] = float(number)
        except ValueError as e:
            msg = f"{value!r} is not MEASURE=NUMBER"
            raise click.BadParameter(msg) from e
        if not sep:
            msg = f"{value!r} is not MEASURE=NUMBER"
            raise click.BadParameter(msg)
    return weights


@click.command()
@click.option("--year", type=int, required=True, help="The year evaluated.")
@click.option(
    "--view",
    type=click.Choice(["cooperations", "partners", "departments", "units", "funds"]),
    default="cooperations",
    show_default=True,
    help="cooperations: one row each, with components and flags; partners, departments, units: scores "
    "added up per partner region or park, department, Hainan unit; funds: the fund-allocation reference.",
)
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="MEASURE=NUMBER",
    callback=_weight_pairs,
    help="Change the weight of a measure, e.g. --weight funding_wan_yuan=40. Defaults: projects 25, "
    "funding_wan_yuan 25, talents 15, results_transferred 20, platforms 15.",
)
@_format_option
@output_option
@pass_store
def evaluate(store: Store, year: int, view: str, weights: dict[str, float], fmt: str, lang: str, output: str) -> None:
    """Score each cooperation's delivery in a year from the monitoring records, and flag it for 动态调整.

    The fund shares are a reference for allocating the central government's
    guidance funds (三(三)), not an allocation.
    """
    frame = evaluate_frame_views(graph_from_store(store), year=year, weights=weights or None, view=view)
    columns = {"cooperations": _EVALUATION_COLUMNS, "funds": _FUND_COLUMNS}.get(view, _GROUP_COLUMNS)
    text = _rendered(frame, fmt, columns, output, lang)
    if fmt == "table" and view == "funds":
        label = "参考：按得分比例的中央引导地方科技发展资金分配参考，不是分配决定 (a reference, not an allocation)"
        text = label + "\n" + text
    if fmt == "table" and view == "cooperations":
        text += "flags: " + ", ".join(f"{k} {v[0]}" for k, v in FLAGS.items()) + "\n"
    emit(text, output)
