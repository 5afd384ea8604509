"""The loaders' commands of the ``hainet`` command line."""

from __future__ import annotations

import click

from graph.cli import pass_store, progress_callback, register_builtin_dataset, wrote
from graph.errors import HainetError
from graph.export import register_exporter
from graph.store import Store, WriteReport
from loaders.builtin import builtin_records, load_builtin

__all__ = ["commands", "load", "template"]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=True))
@click.option("--dry-run", is_flag=True, help="Validate and report what would change, without writing.")
@click.option(
    "--override",
    is_flag=True,
    help="Where a row differs from a stated or reported fact, record its values beside the fact "
    "(user_overrides) instead of refusing it.",
)
@click.option(
    "--bulk",
    is_flag=True,
    help="Into an empty database of a local Neo4j server: use Neo4j's offline importer "
    "(the server's database system is shut down and started again).",
)
@pass_store
def load(store: Store, paths: tuple[str, ...], dry_run: bool, override: bool, bulk: bool) -> None:
    """Load the built-in dataset, or planners' CSV/XLSX files and folders, into the store.

    With no PATHS it loads the built-in dataset of the 2020 mechanism.
    Loading is an upsert: loading the same data twice changes nothing.  A
    row never replaces a stated or reported fact: one that repeats it
    changes nothing, one that differs is refused unless --override.
    """
    if bulk:
        _bulk_load(store, paths, dry_run, override)
        return
    notices: list[str] = []
    report: WriteReport
    with progress_callback("loading") as advance:
        if paths:
            from loaders.spreadsheets import load_paths

            loaded = load_paths(store, list(paths), progress=advance, dry_run=dry_run, override=override)
            report, notices = loaded, loaded.notices
        else:
            report = load_builtin(store, progress=advance, dry_run=dry_run)
    for notice in notices:
        click.echo(f"note: {notice}", err=True)
    _print_report(report, store.location, dry_run)


def _bulk_load(store: Store, paths: tuple[str, ...], dry_run: bool, override: bool) -> None:
    from graph.neo4j_bulk import bulk_load
    from graph.neo4j_store import Neo4jStore

    if dry_run or not isinstance(store, Neo4jStore):
        msg = "--bulk loads into a Neo4j store only, and not with --dry-run"
        raise HainetError(msg)
    if paths:
        from loaders.spreadsheets import records_from_paths

        nodes, edges = records_from_paths(list(paths), override=override)
    else:
        nodes, edges = builtin_records()
    with progress_callback("loading") as advance:
        report = bulk_load(store, nodes, edges, progress=advance)
    _print_report(report, store.location, dry_run)


def _print_report(report: WriteReport, location: str, dry_run: bool) -> None:
    verb = "would load" if dry_run else "loaded"
    click.echo(f"{verb} into {location}")
    rows = report.rows()
    # Node kinds are CamelCase, relationship types UPPER_CASE: nodes first.
    nodes, edges = [r for r in rows if not r[0].isupper()], [r for r in rows if r[0].isupper()]
    groups = [("node kind", nodes), ("relationship", edges)]
    width = max([len(r[0]) for r in rows] + [len("relationship")])
    for heading, group in groups:
        if not group:
            continue
        click.echo(f"{heading:<{width}}  {'added':>7}  {'updated':>7}  {'unchanged':>9}")
        for name, added, updated, unchanged in group:
            click.echo(f"{name:<{width}}  {added:>7}  {updated:>7}  {unchanged:>9}")
    if not report.changed:
        click.echo("nothing changed")


@click.command()
@click.option(
    "-o",
    "--output",
    "directory",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="The folder to write the templates into; created if needed.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv"]),
    default="xlsx",
    show_default=True,
    help="xlsx: one workbook with a README sheet; csv: one CSV file per table.",
)
def template(directory: str, fmt: str) -> None:
    """Write the planners' templates in one form, each table with an example row.

    The workbook's README sheet explains every column.  Fill it in (or the
    CSV files), then run `hainet load` on the folder.
    """
    from loaders.templates import write_template_files

    for path in write_template_files(directory, fmt=fmt):
        wrote(path)


def commands() -> list[click.Command]:
    """Return the commands this package adds to ``hainet``, and register its export formats.

    ``hainet export --format xlsx`` writes one workbook of the templates,
    ``--format csv`` a folder of template CSV files.
    """
    from loaders.spreadsheets import export_csv_folder, export_workbook

    register_builtin_dataset(load_builtin)
    register_exporter("xlsx", export_workbook)
    register_exporter("csv", export_csv_folder)
    return [load, template]
