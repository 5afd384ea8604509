"""The loaders' commands of the ``hainet`` command line."""

from __future__ import annotations

import click

from graph.cli import pass_store, progress_callback
from graph.store import Store, WriteReport
from loaders.builtin import load_builtin

__all__ = ["commands", "load"]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=True))
@click.option("--dry-run", is_flag=True, help="Validate and report what would change, without writing.")
@pass_store
def load(store: Store, paths: tuple[str, ...], dry_run: bool) -> None:
    """Load the built-in dataset, or planners' CSV/XLSX files and folders, into the store.

    With no PATHS it loads the built-in dataset of the 2020 mechanism.
    Loading is an upsert: loading the same data twice changes nothing.
    """
    with progress_callback("loading") as advance:
        if paths:
            from loaders.spreadsheets import load_paths

            report = load_paths(store, list(paths), progress=advance, dry_run=dry_run)
        else:
            report = load_builtin(store, progress=advance, dry_run=dry_run)
    _print_report(report, store.location, dry_run)


def _print_report(report: WriteReport, location: str, dry_run: bool) -> None:
    verb = "would load" if dry_run else "loaded"
    click.echo(f"{verb} into {location}")
    width = max([len(name) for name, *_ in report.rows()] + [len("kind / type")])
    click.echo(f"{'kind / type':<{width}}  {'added':>7}  {'updated':>7}  {'unchanged':>9}")
    for name, added, updated, unchanged in report.rows():
        click.echo(f"{name:<{width}}  {added:>7}  {updated:>7}  {unchanged:>9}")
    if not report.changed:
        click.echo("nothing changed")


def commands() -> list[click.Command]:
    """Return the commands this package adds to ``hainet``."""
    return [load]
