"""Exceptions and warnings raised by netwerkonderzoek.

Every error the library raises on bad input derives from
:class:`NetwerkonderzoekError`, so a caller can catch them all at once. The
messages say *where* (file, row, column or key path), *what was found* and
*what was expected*.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ConfigError",
    "Fault",
    "NetwerkonderzoekError",
    "NetwerkonderzoekWarning",
    "RunError",
    "TheoryError",
    "ValidationError",
]


class NetwerkonderzoekError(Exception):
    """Base class of every error raised by netwerkonderzoek."""


class ConfigError(NetwerkonderzoekError):
    """A configuration file is missing, unreadable or invalid.

    Parameters
    ----------
    message : str
        What is wrong and what was expected.
    path : str, optional
        The configuration file at fault.
    key : str, optional
        Dotted key path inside the file (``study.waves.0.date``).
    """

    def __init__(self, message: str, *, path: object = None, key: str | None = None):
        self.path = None if path is None else str(path)
        self.key = key
        self.reason = message
        where = []
        if self.path:
            where.append(self.path)
        if key:
            where.append(f"key '{key}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class TheoryError(NetwerkonderzoekError):
    """A programme theory is invalid (file, configuration id and field named)."""

    def __init__(
        self,
        message: str,
        *,
        path: object = None,
        cmo_id: str | None = None,
        field: str | None = None,
    ):
        self.path = None if path is None else str(path)
        self.cmo_id = cmo_id
        self.field = field
        self.reason = message
        where = []
        if self.path:
            where.append(self.path)
        if cmo_id:
            where.append(f"configuration '{cmo_id}'")
        if field:
            where.append(f"field '{field}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


@dataclass(frozen=True)
class Fault:
    """One validation fault: where it is and what is wrong.

    ``row`` is the line number in the source file (the header is line 1), or
    ``None`` when the fault concerns the whole table or a column.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return f"{', '.join(parts)}: {self.message}"


class ValidationError(NetwerkonderzoekError):
    """A table failed validation; ``faults`` lists every fault found.

    All faults are collected before raising, so a user fixes a file in one
    pass instead of one error at a time.
    """

    def __init__(self, faults: list[Fault], *, limit: int = 50):
        self.faults = list(faults)
        lines = [str(f) for f in self.faults[:limit]]
        more = len(self.faults) - limit
        if more > 0:
            lines.append(f"... and {more} more faults")
        n = len(self.faults)
        head = f"{n} validation fault{'s' if n != 1 else ''}:"
        super().__init__("\n".join([head, *("  " + line for line in lines)]))


class RunError(NetwerkonderzoekError):
    """A study run failed; the message names the network, notebook and cell."""


class NetwerkonderzoekWarning(UserWarning):
    """Warning category of netwerkonderzoek (filter it by this class)."""
