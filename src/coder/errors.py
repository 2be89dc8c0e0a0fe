"""The one family of errors a user can cause; the CLI prints them without a traceback."""

from __future__ import annotations

from dataclasses import dataclass


class CoderError(Exception):
    """A problem the user can fix: the message says what and where."""

    exit_code: int = 1


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in an input file."""

    file: str
    """Path of the file, as given."""
    line: int | None
    """1-based line number, when known."""
    field: str
    """Dotted path of the offending field, e.g. ``codes[3].hotkey``."""
    message: str
    """What is wrong."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ValidationError(CoderError):
    """An input file has one or more problems; all of them are listed."""

    def __init__(self, problems: list[Problem], *, what: str = "file") -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in {what}:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class CodebookError(ValidationError):
    """The codebook YAML is invalid."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, what="codebook")


class ConfigError(ValidationError):
    """coder.toml is invalid."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, what="coder.toml")


class ProjectNotFoundError(CoderError):
    """No coder.toml in this folder or any folder above it."""


class ImportFailedError(CoderError):
    """A transcript, cases or codings file could not be imported."""


class StoreError(CoderError):
    """The project database cannot be used (locked, newer schema, corrupt)."""


class NotFoundError(CoderError):
    """An id (transcript, excerpt, code, case, memo) does not exist."""
