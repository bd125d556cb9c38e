"""The error raised when a source description does not fit its file."""

from __future__ import annotations

from ..exceptions import ConfigError

__all__ = ["HarmoniseError"]


class HarmoniseError(ConfigError):
    """A source in the network configuration does not fit its raw file.

    Raised for a mapping that names a column the file lacks, an unknown unit,
    an ambiguous period, a partner id that is not in the partner list, an
    unreadable file. It is a :class:`~netwerkonderzoek.exceptions.ConfigError`
    (the fix is in the configuration or the file, not in the code), and names
    the configuration file, the key path and the source file.

    Examples
    --------
    >>> err = HarmoniseError("column 'Uren' is not in the file", path="x.yaml",
    ...                      key="sources.0.columns.hours", source="data/raw/x/uren.csv")
    >>> str(err)
    "x.yaml, key 'sources.0.columns.hours', source data/raw/x/uren.csv: column 'Uren' is not in the file"
    """

    def __init__(
        self, message: str, *, path: object = None, key: str | None = None, source: object = None
    ):
        self.source = None if source is None else str(source)
        super().__init__(message, path=path, key=key)
        if self.source:
            prefix = ", ".join(
                part for part in (self.path, f"key '{key}'" if key else None) if part
            )
            where = f"{prefix}, source {self.source}" if prefix else f"source {self.source}"
            self.args = (f"{where}: {message}",)

    def __str__(self) -> str:
        return str(self.args[0])
