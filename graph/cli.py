"""The ``hainet`` command line: a thin layer over the library.

:mod:`graph` holds the commands about stores (``info``, ``export``, ``copy``).
``loaders`` and ``queries`` add theirs through the ``hainet.commands`` entry
point group, so that :mod:`graph` never imports them.  Every library error
becomes one ``Error: ...`` line and exit status 1, with no traceback.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TypeVar

import click
import networkx as nx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph.errors import HainetError
from graph.evidence import EVIDENCE_CHOICES, graph_at
from graph.export import (
    EXPORT_FORMATS,
    export_formats,
    exporter_named,
    graph_to_csv,
    graph_to_graphml,
    graph_to_node_link,
    graph_with_analysis,
)
from graph.labels import LANGUAGES, label
from graph.settings import is_neo4j_uri
from graph.store import Progress as ProgressCallback
from graph.store import Store, graph_from_store, open_store
from graph.timeline import as_of_date

__all__ = [
    "HainetGroup",
    "as_of_option",
    "cli",
    "emit",
    "graph_or_builtin",
    "main",
    "output_option",
    "pass_store",
    "progress_callback",
    "register_builtin_dataset",
    "stderr",
    "wrote",
]

F = TypeVar("F", bound=Callable[..., Any])

#: Console for progress and messages; stdout stays clean for data.  Paths and names in
#: messages are user text: nothing printed on it is read as rich markup.
stderr = Console(stderr=True, markup=False, highlight=False, emoji=False, soft_wrap=True)


class HainetGroup(click.Group):
    """A click group that turns every :class:`HainetError` into one clean line.

    Commands of other packages are added on first use from the
    ``hainet.commands`` entry points, each a function returning commands.
    """

    _plugins_loaded = False

    def _load_plugins(self) -> None:
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        for entry in entry_points(group="hainet.commands"):
            for command in entry.load()():
                self.add_command(command)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """List every command, the plugins' included."""
        self._load_plugins()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Find a command, the plugins' included."""
        self._load_plugins()
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, reporting library errors without a traceback."""
        try:
            return super().invoke(ctx)
        except HainetError as e:
            raise click.ClickException(str(e)) from e


@click.group(cls=HainetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    metavar="PATH|URI",
    help="Where the graph lives: a file (embedded store) or a neo4j:// or bolt:// URI. "
    "Default: $HAINET_STORE, else ~/.local/share/hainet/hainet.sqlite. "
    "An existing file is used only if it is a hainet store.",
)
@click.option(
    "--adopt-empty",
    is_flag=True,
    help="Make an existing empty file (or an SQLite database with no tables) given by --store a hainet store; "
    "without this flag such a file is refused and left as it is.",
)
@click.version_option(package_name="hainet")
@click.pass_context
def cli(ctx: click.Context, store: str | None, adopt_empty: bool) -> None:
    """Hainan's science and technology cooperation network, as a graph."""
    ctx.obj = {"store": store, "adopt_empty": adopt_empty}


def pass_store(command: F) -> F:
    """Open the store chosen by ``--store`` and pass it as the first argument.

    A command run with ``--dry-run`` gets the store opened read-only.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        options = click.get_current_context().find_root().obj
        read_only = bool(kwargs.get("dry_run"))
        with open_store(options["store"], read_only=read_only, adopt_empty=options["adopt_empty"]) as store:
            return command(store, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


_BUILTIN_DATASET: list[Callable[[Store], Any]] = []


def register_builtin_dataset(load: Callable[[Store], Any]) -> None:
    """Name the function that loads the built-in dataset into a store (the loaders register theirs).

    :func:`graph_or_builtin` calls it on an empty store.
    """
    _BUILTIN_DATASET[:] = [load]


def graph_or_builtin(store: Store) -> nx.MultiDiGraph:
    """Return the store's graph; an empty store first gets the built-in dataset, and one line says so.

    Raises
    ------
    HainetError
        When the store is empty and no built-in dataset is registered.
    """
    if not store.counts().total_nodes:
        if not _BUILTIN_DATASET:
            msg = "the store is empty: run `hainet load` first"
            raise HainetError(msg)
        _BUILTIN_DATASET[0](store)
        counts = store.counts()
        stderr.print(
            f"存储为空，已先载入内置数据集（2020 年合作机制及其后的公开报道，{counts.total_nodes} 个节点、"
            f"{counts.total_edges} 条关系）：{store.location}"
        )
    return graph_from_store(store)


def output_option(command: F) -> F:
    """Add ``-o/--output PATH`` (``-`` for stdout, the default)."""
    return click.option(
        "-o",
        "--output",
        default="-",
        show_default=True,
        metavar="PATH",
        help="Where to write; - means stdout.",
    )(command)


def _checked_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        as_of_date(value)
    except HainetError as e:
        raise click.BadParameter(str(e)) from e
    return value


def as_of_option(command: F) -> F:
    """Add ``--as-of DATE``: answer on the graph as it stood on that day (``YYYY-MM-DD`` or ``YYYY``)."""
    return click.option(
        "--as-of",
        "as_of",
        metavar="DATE",
        callback=_checked_date,
        help="Answer on the graph as it stood on this day: YYYY-MM-DD, or a year for its last day. Default: today.",
    )(command)


def emit(text: str, output: str) -> None:
    """Write ``text`` to the file ``output`` as UTF-8, or to stdout for ``-``; report the file written.

    A failed write is one error line (see :func:`main`).
    """
    if output == "-":
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as e:
            _stdout_failed(e)
        return
    path = Path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        msg = f"cannot write {output}: {e.strerror or e}"
        raise click.ClickException(msg) from e
    wrote(path)


def wrote(path: str | Path) -> None:
    """Say on stderr that ``path`` was written, exactly as it is named (never read as markup)."""
    stderr.print(f"wrote {path}")


@contextmanager
def progress_callback(label: str, total: int | None = None) -> Iterator[ProgressCallback]:
    """Show a progress bar on stderr; yield a callback ``(done, total)`` that moves it."""
    columns = (SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as bar:
        task = bar.add_task(label, total=total)

        def advance(done: int, of: int | None) -> None:
            bar.update(task, completed=done, total=of if of is not None else total)

        yield advance


@cli.command()
@click.option(
    "--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True, help="Language of the headings and names."
)
@pass_store
def info(store: Store, lang: str) -> None:
    """Show where the store is and how many nodes and relationships it holds."""
    counts = store.counts()
    zh = lang == "zh"
    click.echo(f"存储：{store.location}" if zh else f"store: {store.location}")
    version = getattr(store, "schema_version", None)
    if version is not None:
        read_only = getattr(store, "read_only", False)
        click.echo(
            f"数据结构版本：{version}" + ("（只读）" if read_only else "")
            if zh
            else f"schema version: {version}" + (" (read-only)" if read_only else "")
        )
    total = "合计" if zh else "total"
    for heading, rows, all_ in (
        ("节点类型" if zh else "node kind", counts.nodes, counts.total_nodes),
        ("关系类型" if zh else "relationship type", counts.edges, counts.total_edges),
    ):
        table = Table(show_edge=False, box=None, pad_edge=False)
        table.add_column(heading)
        table.add_column("数量" if zh else "count", justify="right")
        for code, n in sorted(rows.items()):
            table.add_row(label(code, lang), str(n))
        table.add_row(total, str(all_), style="bold")
        _print_table(table)
    if not counts.total_nodes:
        click.echo(
            "存储为空：运行 `hainet load` 载入内置数据集。"
            if zh
            else "The store is empty: run `hainet load` to load the built-in dataset."
        )


def _print_table(table: Table) -> None:
    buffer = io.StringIO()
    Console(file=buffer, width=120, no_color=True, highlight=False, markup=False).print(table)
    click.echo("")
    click.echo(buffer.getvalue().rstrip() + "\n", nl=False)


def _known_format(ctx: click.Context, param: click.Parameter, value: str) -> str:
    # Checked when the command runs, once the packages have registered their formats.
    formats = export_formats()
    if value not in formats:
        msg = f"{value!r} is not one of {', '.join(formats)}"
        raise click.BadParameter(msg)
    return value


@cli.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    default="node-link",
    show_default=True,
    callback=_known_format,
    metavar="FORMAT",
    help="node-link JSON, GraphML, edgelist-csv (a folder with nodes.csv and edges.csv), or a format "
    "a package registers: xlsx (one workbook of the planners' templates), csv (a folder of template CSV files).",
)
@click.option(
    "--evidence",
    type=click.Choice(EVIDENCE_CHOICES),
    default="all",
    show_default=True,
    help="Only facts at or above this evidence level: stated is the document alone; curated adds reported "
    "and curated facts; all adds the planners' own.",
)
@click.option(
    "--with-analysis",
    is_flag=True,
    help="Add analysis columns to the nodes (pagerank, community, coverage_status, n_partners, single_partner, "
    "unmatched_need, unmatched_reason), computed on the exported graph, to colour a map by gap.",
)
@as_of_option
@output_option
@pass_store
def export(store: Store, fmt: str, evidence: str, with_analysis: bool, as_of: str | None, output: str) -> None:
    """Write the whole graph out, sorted so that the same store gives the same bytes.

    Without --as-of the export keeps every fact with its validity and history;
    with it, only the facts of that day (node-link, graphml and edgelist-csv).
    """
    exporter = exporter_named(fmt)
    if exporter is not None:
        if as_of is not None:
            msg = f"{fmt} export keeps every fact with its dates; --as-of applies to node-link, graphml, edgelist-csv"
            raise click.UsageError(msg)
        if output == "-":
            msg = f"{fmt} export writes files: give -o PATH"
            raise click.UsageError(msg)
        if evidence != "all" or with_analysis:
            msg = f"--evidence and --with-analysis apply to {', '.join(EXPORT_FORMATS)}, not to {fmt}"
            raise click.UsageError(msg)
        for path in exporter(store, output):
            wrote(path)
        return
    G = graph_from_store(store)
    if evidence != "all" or as_of is not None:
        G = graph_at(G, evidence=evidence, as_of=as_of)
    if with_analysis:
        G = graph_with_analysis(G)
    if fmt == "node-link":
        emit(graph_to_node_link(G), output)
    elif fmt == "graphml":
        emit(graph_to_graphml(G), output)
    else:
        files = graph_to_csv(G)
        if output == "-":
            msg = "CSV export writes a folder (nodes.csv, edges.csv): give -o FOLDER"
            raise click.UsageError(msg)
        for name, text in files.items():
            emit(text, str(Path(output) / name))


@cli.command()
@click.option("--from", "source", required=True, metavar="PATH|URI", help="The store to copy from.")
@click.option("--to", "target", required=True, metavar="PATH|URI", help="The store to copy into.")
def copy(source: str, target: str) -> None:
    """Copy every node and relationship from one store into another (upsert)."""
    adopt_empty = click.get_current_context().find_root().obj["adopt_empty"]
    if not is_neo4j_uri(source) and not Path(source).exists():
        msg = f"there is no store at {source} to copy from"
        raise click.UsageError(msg)
    with open_store(source, read_only=True) as src, open_store(target, adopt_empty=adopt_empty) as dst:
        total = src.counts()
        with progress_callback("copying", total.total_nodes + total.total_edges) as advance:
            report = dst.write(src.iter_nodes(), src.iter_edges(), progress=advance)
    added, updated = sum(report.added.values()), sum(report.updated.values())
    click.echo(
        f"copied {total.total_nodes} nodes and {total.total_edges} relationships "
        f"from {src.location} to {dst.location} ({added} added, {updated} updated)"
    )


def main() -> None:
    """Run the ``hainet`` command line.

    A failed write to stdout (a full disk, a closed pipe) ends in one error
    line and exit status 1, not a traceback.
    """
    try:
        status: Any = cli.main(prog_name="hainet", standalone_mode=True)
    except SystemExit as e:
        status = e.code
    except OSError as e:
        # A write to a stream (no file name) that the system refused: stdout is full or gone.
        if e.filename is not None or e.errno not in _STREAM_ERRORS:
            raise
        _stdout_failed(e)
    try:
        sys.stdout.flush()
    except OSError as e:
        _stdout_failed(e)
    sys.exit(status)


_STREAM_ERRORS = frozenset({errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EFBIG, errno.EDQUOT})


def _stdout_failed(error: OSError) -> None:
    # Point stdout at /dev/null so that the interpreter's own flush at exit cannot fail again.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    click.echo(f"Error: cannot write to standard output: {error.strerror or error}", err=True)
    sys.exit(1)
