"""Output is text, never markup; a failed write is one clean line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.sqlite_store import SQLiteStore
from queries._examples import example_records

HAINET = [sys.executable, "-c", "from graph.cli import main; main()"]


@pytest.fixture
def store_env(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "store.sqlite"
    with SQLiteStore(path) as store:
        store.write(*example_records())
    root = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "HAINET_STORE": str(path), "PYTHONPATH": root, "COLUMNS": "100"}


def hainet(
    env: dict[str, str],
    *args: str,
    cwd: Path,
    stdout: int | None = subprocess.PIPE,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HAINET, *args], env=env, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("name", ["[/x].csv", "[bold]y.csv", "[red]z[/red].csv"])
def test_output_paths_are_written_and_reported_exactly(store_env, tmp_path, name):
    result = hainet(store_env, "needs", "-f", "csv", "-o", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / name).read_text(encoding="utf-8").startswith("\ufeffneed_key,")
    assert result.stderr.strip() == f"wrote {name}"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["needs", "-f", "csv"], ["gaps"], ["info"], ["hubs", "-f", "json"]])
def test_a_full_stdout_is_one_clean_line(store_env, tmp_path, args):
    with open("/dev/full", "w") as full:
        result = hainet(store_env, *args, cwd=tmp_path, stdout=full.fileno())
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["Error: cannot write to standard output: No space left on device"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["xlsx", "graphml", "node-link"])
def test_a_full_output_file_is_one_clean_line(store_env, tmp_path, fmt):
    result = hainet(store_env, "export", "--format", fmt, "-o", "/dev/full", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["Error: cannot write /dev/full: No space left on device"]
    assert "__del__" not in result.stderr and "Traceback" not in result.stderr
