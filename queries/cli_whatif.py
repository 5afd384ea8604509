"""``hainet whatif``: the measures that would change if cooperations ended or started."""

from __future__ import annotations

import click

from graph.cli import as_of_option, emit, output_option, pass_store
from graph.evidence import graph_at
from graph.store import Store, graph_from_store
from graph.timeline import graph_as_of
from queries.cli import _format_option, _render, evidence_option
from queries.whatif import what_if

__all__ = ["whatif"]


@click.command()
@click.option(
    "--add",
    "added",
    multiple=True,
    metavar="PARTY—UNIT:INDUSTRY",
    help="A cooperation to start, e.g. 湖北省—海口高新区:生物医药 (names or keys; repeat for more).",
)
@click.option(
    "--remove",
    "removed",
    multiple=True,
    metavar="COOPERATION",
    help="A cooperation to end, by key or name (repeat for more).",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the hub scores' communities.")
@evidence_option
@as_of_option
@_format_option
@output_option
@pass_store
def whatif(
    store: Store,
    added: tuple[str, ...],
    removed: tuple[str, ...],
    seed: int,
    evidence: str,
    as_of: str | None,
    fmt: str,
    lang: str,
    output: str,
) -> None:
    """Show what would change if these cooperations ended or started; the store is only read."""
    if not added and not removed:
        msg = "give at least one --add PARTY—UNIT:INDUSTRY or --remove COOPERATION"
        raise click.UsageError(msg)
    G = graph_as_of(graph_at(graph_from_store(store), evidence=evidence), as_of)
    frame = what_if(G, add=list(added), remove=list(removed), seed=seed)
    if lang == "en" and fmt == "table":
        frame = frame.assign(subject=frame["subject_name_en"]).drop(columns="subject_name_en")
    emit(_render(frame, fmt, output, lang, G), output)
