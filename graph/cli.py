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
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph.errors import HainetError
from graph.export import export_formats, exporter_named, graph_to_csv, graph_to_graphml, graph_to_node_link
from graph.labels import LANGUAGES, label
from graph.store import Progress as ProgressCallback
from graph.store import Store, graph_from_store, open_store

__all__ = [
    "HainetGroup",
    "cli",
    "emit",
    "main",
    "output_option",
    "pass_store",
    "progress_callback",
    "stderr",
    "wrote",
]

F = TypeVar("F", bound=Callable[..., Any])

#: Console for progress and messages; stdout stays clean for data.  Paths and names in
#: messages are user text: nothing printed on it is read as rich markup.
stderr = Console(stderr=True, markup=False, highlight=False, emoji=False)


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
    "Default: $HAINET_STORE, else ~/.local/share/hainet/hainet.sqlite.",
)
@click.version_option(package_name="hainet")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """Hainan's science and technology cooperation network, as a graph."""
    ctx.obj = {"store": store}


def pass_store(command: F) -> F:
    """Open the store chosen by ``--store`` and pass it as the first argument."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        with open_store(ctx.find_root().obj["store"]) as store:
            return command(store, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


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
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True,
              help="Language of the headings and names.")
@pass_store
def info(store: Store, lang: str) -> None:
    """Show where the store is and how many nodes and relationships it holds."""
    counts = store.counts()
    zh = lang == "zh"
    click.echo(f"存储：{store.location}" if zh else f"store: {store.location}")
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
        click.echo("存储为空：运行 `hainet load` 载入内置数据集。" if zh
                   else "The store is empty: run `hainet load` to load the built-in dataset.")


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
@output_option
@pass_store
def export(store: Store, fmt: str, output: str) -> None:
    """Write the whole graph out, sorted so that the same store gives the same bytes."""
    exporter = exporter_named(fmt)
    if exporter is not None:
        if output == "-":
            msg = f"{fmt} export writes files: give -o PATH"
            raise click.UsageError(msg)
        for path in exporter(store, output):
            wrote(path)
        return
    G = graph_from_store(store)
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
    with open_store(source) as src, open_store(target) as dst:
        total = src.counts()
        with progress_callback("copying", total.total_nodes + total.total_edges) as advance:
            report = dst.write(src.iter_nodes(), src.iter_edges(), progress=advance)
    added, updated = sum(report.added.values()), sum(report.updated.values())
    click.echo(f"copied {total.total_nodes} nodes and {total.total_edges} relationships "
               f"from {src.location} to {dst.location} ({added} added, {updated} updated)")


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
