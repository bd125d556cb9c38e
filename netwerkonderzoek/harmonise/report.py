"""The harmonisation report: per source, what was read and what became of it.

One row per source with ``rows_read = accepted + quarantined + duplicates +
totals``, the canonical rows it gave (a quarter split in three gives three),
the unit conversions applied and the reasons counted by kind. The full
reasons per row are in the quarantine table.

Examples
--------
>>> import pandas as pd
>>> report = pd.DataFrame([{"source": 0, "source_file": "uren.csv", "source_sheet": "",
...     "table": "contributions", "rows_read": 5, "accepted": 3, "quarantined": 1,
...     "duplicates": 0, "totals": 1, "canonical_rows": 3, "conversions": "",
...     "reasons": "not a number: 1"}])
>>> print(format_report(report, "x"))  # doctest: +NORMALIZE_WHITESPACE
harmonised x: 1 source, 5 rows read
source    table          read accepted quarantined duplicates totals
uren.csv  contributions     5        3           1          0      1
  reasons: not a number: 1
total                       5        3           1          0      1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from ..config import NetworkConfig
    from .convert import ConvertedSource

__all__ = ["REPORT_COLUMNS", "build_report", "format_report", "quarantine_problems"]

REPORT_COLUMNS = [
    "source",
    "source_file",
    "source_sheet",
    "table",
    "format",
    "encoding",
    "source_hash",
    "rows_read",
    "accepted",
    "quarantined",
    "duplicates",
    "totals",
    "canonical_rows",
    "conversions",
    "reasons",
    "dropped_columns",
    "dropped_values",
    "masked_identifiers",
]

_COUNTS = ["rows_read", "accepted", "quarantined", "duplicates", "totals"]


def build_report(
    config: NetworkConfig,
    converted: list[ConvertedSource],
    quarantine: pd.DataFrame,
    accepted: dict[int, tuple[int, int]],
) -> pd.DataFrame:
    """One row per source: counts, conversions and reasons by kind.

    Parameters
    ----------
    config : NetworkConfig
    converted : list of ConvertedSource
        The sources as converted (rows read, hash, sheet, conversions).
    quarantine : DataFrame
        Every row not accepted, with ``source``, ``status`` and ``kind``.
    accepted : dict of int to (int, int)
        Per source index: raw rows accepted and canonical rows they gave.

    Examples
    --------
    >>> from netwerkonderzoek.config import SourceSpec
    >>> from netwerkonderzoek.harmonise.convert import ConvertedSource
    >>> spec = SourceSpec(file="uren.csv", table="contributions", drop=["Naam"])
    >>> converted = [ConvertedSource(0, spec, "ab12", "", 5, pd.DataFrame(),
    ...     conversions=["hours from days: 1 day = 8 hours"], dropped={"Naam": 5})]
    >>> quarantine = pd.DataFrame({"source": [0, 0], "status": ["quarantined", "duplicate"],
    ...                            "kind": ["not a number", "exact duplicate"]})
    >>> report = build_report(None, converted, quarantine, {0: (3, 3)})  # config is not read
    >>> report[["rows_read", "accepted", "quarantined", "duplicates", "totals"]].values.tolist()
    [[5, 3, 1, 1, 0]]
    >>> report[["format", "reasons", "dropped_columns", "dropped_values"]].values.tolist()
    [['csv', 'not a number: 1', 'Naam', 5]]
    """
    rows = []
    by_source = dict(iter(quarantine.groupby("source", sort=False))) if len(quarantine) else {}
    empty = quarantine.iloc[:0]
    for c in converted:
        mine = by_source.get(c.index, empty)
        status = mine["status"].value_counts()
        kinds = mine.loc[mine["status"] == "quarantined", "kind"].value_counts()
        kinds = kinds.sort_index().sort_values(ascending=False, kind="stable")
        raw_rows, canonical = accepted.get(c.index, (0, 0))
        spec = c.spec
        rows.append(
            {
                "source": c.index,
                "source_file": spec.file,
                "source_sheet": c.sheet,
                "table": spec.table,
                "format": _format(spec),
                "encoding": spec.encoding if _format(spec) == "csv" else "",
                "source_hash": c.sha256,
                "rows_read": c.rows_read,
                "accepted": raw_rows,
                "quarantined": int(status.get("quarantined", 0)),
                "duplicates": int(status.get("duplicate", 0)),
                "totals": int(status.get("total", 0)),
                "canonical_rows": canonical,
                "conversions": "; ".join(c.conversions),
                "reasons": "; ".join(f"{k}: {v}" for k, v in kinds.items()),
                "dropped_columns": "; ".join(c.dropped),
                "dropped_values": sum(c.dropped.values()),
                "masked_identifiers": "; ".join(f"{k}: {v}" for k, v in sorted(c.masked.items())),
            }
        )
    del config
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def _format(spec) -> str:
    """``csv``, ``xlsx`` or ``qdpx`` (a REFI-QDA project)."""
    coded = getattr(spec, "coded_segments", None)
    return "qdpx" if coded is not None and coded.tool == "qdpx" else spec.file_format


def format_report(report: pd.DataFrame, network_id: str) -> str:
    """The report as a readable summary for the terminal.

    Examples
    --------
    A source with unit conversions and a dropped column, and a sheet with no
    data rows:

    >>> report = pd.DataFrame([
    ...     {"source_file": "uren.csv", "source_sheet": "", "table": "contributions",
    ...      "rows_read": 5, "accepted": 3, "quarantined": 1, "duplicates": 1, "totals": 0,
    ...      "conversions": "hours from days: 1 day = 8 hours", "reasons": "not a number: 1",
    ...      "dropped_columns": "Naam", "dropped_values": 5},
    ...     {"source_file": "monitor.xlsx", "source_sheet": "Monitor", "table": "indicators",
    ...      "rows_read": 0, "accepted": 0, "quarantined": 0, "duplicates": 0, "totals": 0,
    ...      "conversions": "", "reasons": "", "dropped_columns": "", "dropped_values": 0}])
    >>> print(format_report(report, "tiny"))
    harmonised tiny: 2 sources, 5 rows read
    source                  table          read accepted quarantined duplicates totals
    uren.csv                contributions     5        3           1          1      0
      units: hours from days: 1 day = 8 hours
      reasons: not a number: 1
      dropped (personal data): Naam (5 values)
    monitor.xlsx [Monitor]  indicators        0        0           0          0      0
      warning: no data rows below the header; this source adds no rows to indicators.csv
    total                                     5        3           1          1      0
    """
    n = len(report)
    names = [
        f + (f" [{s}]" if s else "")
        for f, s in zip(report["source_file"], report["source_sheet"], strict=True)
    ]
    width = max([len("source"), len("total"), *map(len, names)])
    tw = max([len("table"), *map(len, report["table"])])
    head = ["read", "accepted", "quarantined", "duplicates", "totals"]

    def line(name: str, table: str, counts) -> str:
        cells = " ".join(f"{c:>{len(h)}}" for c, h in zip(counts, head, strict=True))
        return f"{name:<{width}}  {table:<{tw}}  {cells}"

    lines = [
        f"harmonised {network_id}: {n} source{'s' if n != 1 else ''}, "
        f"{int(report['rows_read'].sum())} rows read",
        line("source", "table", head),
    ]
    for name, row in zip(names, report.itertuples(index=False), strict=True):
        lines.append(line(name, row.table, [int(getattr(row, c)) for c in _COUNTS]))
        if int(row.rows_read) == 0:
            lines.append(
                "  warning: no data rows below the header; this source adds no rows "
                f"to {row.table}.csv"
            )
        if row.conversions:  # a survey source says what it read instead (.survey)
            label = "" if row.conversions.startswith("survey (") else "units: "
            lines.append(f"  {label}{row.conversions}")
        if row.reasons:
            lines.append(f"  reasons: {row.reasons}")
        if isinstance(getattr(row, "dropped_columns", None), str) and row.dropped_columns:
            lines.append(
                f"  dropped (personal data): {row.dropped_columns} "
                f"({int(row.dropped_values)} values)"
            )
    lines.append(line("total", "", [int(report[c].sum()) for c in _COUNTS]))
    return "\n".join(lines)


def quarantine_problems(report: pd.DataFrame, max_share: float) -> list[str]:
    """Sources that are entirely, or above ``max_share``, quarantined: one message each.

    The share is taken over a source's data rows, ``accepted + quarantined``
    (duplicates and total rows are set aside by design and do not count). A
    source with no data rows at all is flagged by :func:`format_report`, not
    here.

    Parameters
    ----------
    report : DataFrame
        The harmonisation report (:func:`build_report`).
    max_share : float
        ``harmonisation.max_quarantine_share`` (0 to 1).

    Examples
    --------
    >>> report = pd.DataFrame([
    ...     {"source": 0, "source_file": "uren.csv", "source_sheet": "", "table": "contributions",
    ...      "accepted": 1, "quarantined": 3, "reasons": "not a number: 3"},
    ...     {"source": 1, "source_file": "monitor.xlsx", "source_sheet": "Monitor",
    ...      "table": "indicators", "accepted": 0, "quarantined": 2, "reasons": "bad period: 2"},
    ...     {"source": 2, "source_file": "ok.csv", "source_sheet": "", "table": "events",
    ...      "accepted": 4, "quarantined": 1, "reasons": "bad date: 1"}])
    >>> for line in quarantine_problems(report, 0.5):
    ...     print(line)
    source uren.csv (sources.0, table contributions): 3 of 4 data rows quarantined (75%), more than harmonisation.max_quarantine_share 0.5 allows; reasons: not a number: 3
    source monitor.xlsx [Monitor] (sources.1, table indicators): every data row (2) quarantined; reasons: bad period: 2
    """
    problems = []
    for row in report.itertuples(index=False):
        accepted, quarantined = int(row.accepted), int(row.quarantined)
        rows = accepted + quarantined
        if quarantined == 0:
            continue
        sheet = (
            f" [{row.source_sheet}]"
            if isinstance(row.source_sheet, str) and row.source_sheet
            else ""
        )
        where = f"source {row.source_file}{sheet} (sources.{int(row.source)}, table {row.table})"
        reasons = f"; reasons: {row.reasons}" if row.reasons else ""
        if accepted == 0:
            problems.append(f"{where}: every data row ({rows}) quarantined{reasons}")
        elif quarantined / rows > max_share:
            problems.append(
                f"{where}: {quarantined} of {rows} data rows quarantined "
                f"({quarantined / rows:.0%}), more than harmonisation.max_quarantine_share "
                f"{max_share:g} allows{reasons}"
            )
    return problems
