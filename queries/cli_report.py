"""The report's commands: ``hainet map`` and ``hainet report``.

Both read the store once; on an empty store they load the built-in
dataset first and say so in one line (:func:`graph.cli.graph_or_builtin`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
import networkx as nx
import pandas as pd

from graph.cli import as_of_option, emit, graph_or_builtin, output_option, pass_store, stderr
from graph.errors import HainetError
from graph.evidence import graph_at
from graph.labels import LANGUAGES
from graph.render import MAX_MAP_NODES, SIZE_MEASURES, VIEWS, network_map
from graph.render_image import IMAGE_FORMATS, map_image, map_svg
from graph.render_webgl import RENDERERS, WEBGL_ABOVE
from graph.store import Store
from graph.timeline import graph_as_of
from queries.cli import evidence_option
from queries.diff import changes_between, diff_highlights
from queries.findings import data_as_of, report_analysis
from queries.report import _TEXT, DOCUMENT_DATE, _document, annotated_network_map, node_figures, report_html
from queries.whatif import parse_pairing, whatif_graph

__all__ = ["MAP_FORMATS", "MAP_QUERIES", "commands", "map_command", "report_command"]

#: Query results ``hainet map --query`` can draw as a subgraph.
MAP_QUERIES = ("unmatched-needs", "gaps", "hubs", "single-points-of-failure", "recommendations")

#: What ``hainet map --format`` writes.
MAP_FORMATS = ("html", *IMAGE_FORMATS)

#: How a title says which facts a map rests on, per ``--evidence`` level.
_EVIDENCE_SCOPE = {
    "zh": {"stated": "仅文件原文", "reported": "文件原文和公开报道", "curated": "文件原文、公开报道和整理"},
    "en": {"stated": "document only", "reported": "document and reports", "curated": "document, reports and curation"},
}

_TOP_HUBS = 15


def _lang_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True, help="Language of labels and text."
    )(command)


def _query_keys(G: nx.MultiDiGraph, query: str) -> pd.DataFrame:
    analysis = report_analysis(G)
    if query == "unmatched-needs":
        return analysis.needs
    if query == "gaps":
        gaps = analysis.gaps
        rows = [
            {"industry_key": k, "partner_key": p}
            for k, ps in zip(gaps["industry_key"], gaps["partners"], strict=True)
            for p in (list(ps) or [None])
        ]
        return pd.DataFrame(rows, columns=["industry_key", "partner_key"])
    if query == "hubs":
        return analysis.hubs.head(_TOP_HUBS)
    if query == "single-points-of-failure":
        return analysis.spof
    return analysis.recommendations


@click.command(name="map")
@click.option("--industry", metavar="KEY|NAME", help="Show one industry: its cooperations, needs, partners and units.")
@click.option("--focus", metavar="KEY|NAME", help="Show the ties of one node, e.g. a region or a park.")
@click.option("--radius", type=click.IntRange(1, 6), default=2, show_default=True, help="Steps around --focus.")
@click.option("--query", type=click.Choice(MAP_QUERIES), help="Show the subgraph of a query result.")
@click.option(
    "--keys",
    "keys_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Show the subgraph of the keys in a CSV file (columns key or *_key).",
)
@click.option(
    "--view",
    type=click.Choice(VIEWS),
    default="meeting",
    show_default=True,
    help="meeting: partners → cooperations → Hainan units, gaps beside; full: every node, force layout; "
    "geo: at the approximate place of each seat.",
)
@click.option(
    "--size-by",
    type=click.Choice(SIZE_MEASURES),
    default="pagerank",
    show_default=True,
    help="Centrality that sizes the nodes.",
)
@_lang_option
@click.option("--title", help="Heading of the map.")
@click.option(
    "--renderer",
    type=click.Choice(RENDERERS),
    default="auto",
    show_default=True,
    help=f"canvas (vis-network) or webgl (sigma.js, every node); auto: webgl above {WEBGL_ABOVE} nodes.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(1),
    help=f"Aggregate the map above this many nodes [canvas default: {MAX_MAP_NODES}; webgl: no limit].",
)
@click.option("--aggregate", is_flag=True, help=f"Aggregate above {MAX_MAP_NODES} nodes with WebGL too.")
@click.option("--no-highlight", is_flag=True, help="Leave out the analysis: no highlights, no figures.")
@click.option(
    "--diff-from",
    metavar="DATE",
    help="Colour what was added, ended or changed since this day instead "
    "of the analysis (YYYY-MM-DD, or a year for its last day).",
)
@click.option(
    "--whatif-remove",
    multiple=True,
    metavar="COOPERATION",
    help="Draw the network as it would be without this cooperation (key or name; repeat for more).",
)
@click.option(
    "--whatif-add",
    multiple=True,
    metavar="PARTY—UNIT:INDUSTRY",
    help="Draw the network with this cooperation added, e.g. 上海市—文昌国际航天城:航天 (repeat for more).",
)
@as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(MAP_FORMATS),
    help="html (interactive), or a 16:9 image for slides: png, svg, pdf. Default: from -o's suffix, else html.",
)
@evidence_option
@output_option
@pass_store
def map_command(
    store: Store,
    industry: str | None,
    focus: str | None,
    radius: int,
    query: str | None,
    keys_file: str | None,
    view: str,
    size_by: str,
    lang: str,
    title: str | None,
    renderer: str,
    max_nodes: int | None,
    aggregate: bool,
    no_highlight: bool,
    diff_from: str | None,
    whatif_remove: tuple[str, ...],
    whatif_add: tuple[str, ...],
    as_of: str | None,
    fmt: str | None,
    evidence: str,
    output: str,
) -> None:
    """Write a network map: one offline HTML file, or an image for slides (PNG, SVG, PDF).

    Unmatched needs and industry gaps are highlighted unless --no-highlight;
    --evidence draws only the facts at or above a level.
    """
    suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
    fmt = fmt or (suffix if suffix in MAP_FORMATS else "html")
    if fmt in ("png", "pdf") and output == "-":
        msg = f"a {fmt.upper()} map is binary: give a file with -o"
        raise HainetError(msg)
    if evidence != "all":
        title = f"{title or _TEXT[lang]['map_title']}（{_EVIDENCE_SCOPE[lang][evidence]}）"
    everything = graph_at(graph_or_builtin(store), evidence=evidence)
    G = graph_as_of(everything, as_of)
    if whatif_remove or whatif_add:
        G = whatif_graph(G, add=[parse_pairing(G, text) for text in whatif_add], remove=whatif_remove)
        title = f"{title or _TEXT[lang]['map_title']}（{'设想' if lang == 'zh' else 'what-if'}）"
    keys: pd.DataFrame | None = None
    if query is not None:
        keys = _query_keys(G, query)
    if keys_file is not None:
        try:
            keys = pd.read_csv(keys_file, dtype=str, encoding="utf-8-sig")
        except (OSError, ValueError) as e:
            msg = f"cannot read keys from {keys_file}: {e}"
            raise HainetError(msg) from e
    if aggregate and max_nodes is None:
        max_nodes = MAX_MAP_NODES
    # An image for slides is drawn from the canvas map's records.
    drawn_with = renderer if fmt == "html" else "canvas"
    if diff_from is not None:
        changes = changes_between(everything, diff_from, as_of)
        the_map = network_map(
            G,
            lang=lang,
            highlight=diff_highlights(changes, lang=lang),
            figures=node_figures(G, lang=lang),
            title=title,
            industry=industry,
            focus=focus,
            radius=radius,
            keys=keys,
            view=view,
            size_by=size_by,
            max_nodes=max_nodes,
            renderer=drawn_with,
        )
    else:
        the_map = annotated_network_map(
            G,
            lang=lang,
            highlight=not no_highlight,
            title=title,
            industry=industry,
            focus=focus,
            radius=radius,
            keys=keys,
            view=view,
            size_by=size_by,
            max_nodes=max_nodes,
            renderer=drawn_with,
        )
    if fmt == "html":
        emit(the_map.html(), output)
    else:
        number, issued, name = _document(G)
        source = (
            f"来源：{number}《{name or _TEXT['zh']['mechanism']}》；hainet"
            if lang == "zh"
            else f"Source: {number}, {_TEXT['en']['mechanism']}; hainet"
        )
        date = f"{_TEXT[lang]['as_of']} {data_as_of(G) or issued}"
        if output == "-":
            click.echo(map_svg(the_map, date=date, source=source), nl=False)
        else:
            map_image(the_map, output, fmt=fmt, date=date, source=source)
            stderr.print(f"wrote {output}", markup=False)
    if the_map.aggregated:
        stderr.print(
            f"{the_map.total_nodes} nodes aggregated into {the_map.node_count} (over {max_nodes or MAX_MAP_NODES})"
        )


@click.command(name="report")
@_lang_option
@click.option("--date", metavar="YYYY-MM-DD", help="Report date; default $SOURCE_DATE_EPOCH, else today.")
@click.option(
    "--top", type=click.IntRange(1, 10), default=3, show_default=True, help="Recommended partners per unmatched need."
)
@click.option("--industry", metavar="KEY|NAME", help="Only this industry and its sub-fields.")
@click.option("--unit", metavar="KEY|NAME", help="Only this demand unit.")
@click.option("--focus", metavar="KEY|NAME", help="Only the neighbourhood of this node, e.g. a region or a park.")
@click.option("--radius", type=click.IntRange(1, 6), default=1, show_default=True, help="Steps around --focus.")
@click.option(
    "--size-by",
    type=click.Choice(SIZE_MEASURES),
    default="pagerank",
    show_default=True,
    help="Centrality that sizes the map's nodes.",
)
@click.option(
    "--changes-since",
    metavar="DATE",
    default=DOCUMENT_DATE,
    show_default=True,
    help="The section 年度变化 lists what changed from this day to --as-of (YYYY-MM-DD or a year).",
)
@evidence_option
@as_of_option
@output_option
@pass_store
def report_command(
    store: Store,
    lang: str,
    date: str | None,
    top: int,
    industry: str | None,
    unit: str | None,
    focus: str | None,
    radius: int,
    size_by: str,
    evidence: str,
    changes_since: str,
    as_of: str | None,
    output: str,
) -> None:
    """Write the meeting report: findings first, then map, gaps, policy checks, needs, hubs; one HTML file for A4."""
    everything = graph_or_builtin(store)
    G = graph_as_of(everything, as_of)
    changes = changes_between(graph_at(everything, evidence=evidence), changes_since, as_of)
    emit(
        report_html(
            G,
            lang=lang,
            date=date,
            top=top,
            size_by=size_by,
            industry=industry,
            unit=unit,
            focus=focus,
            radius=radius,
            evidence=evidence,
            changes=changes,
            changes_since=changes_since,
        ),
        output,
    )


def commands() -> list[click.Command]:
    """Return the report's commands: map, report and slides."""
    from queries.slides import slides_command

    return [map_command, report_command, slides_command]
