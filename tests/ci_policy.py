"""What a test does when a server, browser or font it needs is missing."""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    """Tell whether the tests run in CI (``CI=true``)."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(what: str) -> None:
    """Fail in CI, skip elsewhere: a missing part never passes silently in CI."""
    if in_ci():
        pytest.fail(f"{what} (CI=true: tests that need it must run)", pytrace=False)
    pytest.skip(what)
