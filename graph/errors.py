"""The errors hainet raises; the CLI turns each into one clean line."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "HainetError",
    "Problem",
    "StoreError",
    "StoreUnavailableError",
    "ValidationError",
]


class HainetError(Exception):
    """Base of every error hainet raises on purpose."""


class StoreError(HainetError):
    """A store cannot be opened, read or written."""


class StoreUnavailableError(StoreError):
    """A store's server cannot be reached or refuses the credentials."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what it holds, and why."""

    file: str
    reason: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        text = ", ".join(where) + f": {self.reason}"
        if self.value is not None:
            text += f" (value {self.value!r})"
        return text


class ValidationError(HainetError):
    """Input failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the input"
        lines = [head] + [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))
