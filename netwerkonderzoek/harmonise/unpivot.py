"""Wide tables in one source: months or indicators as columns, read as long rows.

A timesheet with a column per month (``Partner; Activiteit; jan 2024;
feb 2024; ...``) or a monitor with a column per indicator (``Gebied;
Periode; Indicator A; Indicator B``, as CBS StatLine downloads are) is one
source with an ``unpivot`` key::

    unpivot:
      columns: [jan 2024, feb 2024]   # or pattern: '^\\w+ 20\\d\\d$', or neither:
                                      # every column not mapped, dropped or excluded
      exclude: [Opmerking]            # further columns left out
      name_to: period                 # the header goes here (period, indicator_id, ...)
      value_to: hours                 # the cell goes here (hours, value, ...)
      unit_from: indicators           # indicators only: each indicator's unit

:func:`unpivot_source` turns the cells read (after direct identifiers are
refused and dropped) into one *record* per raw row and value column, and the
source into a long one that maps ``name_to`` and ``value_to`` onto two
columns of those records; everything else (values maps, periods, units,
checks, quarantine, duplicates) then works as for any source. A record is
what the report counts as a row read; its ``source_row`` is the raw row in
the file, and a quarantine reason names the record's column.

- **Headers are checked first.** With ``name_to: period`` every value
  column's header must be a period (:func:`~.parse.parse_period`,
  ``period_format``); with ``name_to: indicator_id`` an indicator id, a
  label under ``values.indicator_id``, or exactly an indicator's
  ``label_nl`` or ``label_en`` in the configuration (so a monitor whose
  columns carry the value definition's own labels needs no map). Any other header, a column under
  ``columns`` or ``exclude`` the file does not have, a ``pattern`` no header
  matches: a :class:`~.errors.HarmoniseError` naming the file, the column and
  what was expected.
- **Total columns** (a header such as ``Totaal``, ``total_labels``) are left
  out of an automatic or ``pattern`` selection, and the report says so.
- **Blank cells** are no records (a month without hours); ``missing_markers``
  cells marking a missing value neither, and ``zero`` markers are 0. The
  report's ``conversions`` counts both, per marker.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from netwerkonderzoek.config import SourceSpec
>>> from netwerkonderzoek.harmonise.sources import RawTable
>>> raw = RawTable(pd.DataFrame({"Partner": ["A", "B"], "jan 2024": ["1,5", None],
...                              "feb 2024": [".", "2"]}), np.array([3, 4]), "sha")
>>> spec = SourceSpec(file="u.csv", table="contributions", columns={"partner_id": "Partner"},
...     constants={"activity": "x", "costs_eur": 0, "value_type": "network"},
...     missing_markers="cbs", unpivot={"name_to": "period", "value_to": "hours"})
>>> wide = unpivot_source(spec, raw, key="sources.0", config_path="c.yaml", source="u.csv")
>>> wide.raw.frame.values.tolist(), wide.rows.tolist(), wide.headers.tolist()
([['A', 'jan 2024', '1,5'], ['B', 'feb 2024', '2']], [3, 4], ['jan 2024', 'feb 2024'])
>>> wide.notes
["unpivot: 2 rows x 2 columns ('jan 2024' ... 'feb 2024') to period and hours: 2 records; 1 blank cell left out; column 'feb 2024': 1 cell '.' read as missing (missing_markers)"]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..config import NetworkConfig, SourceSpec
from ..tables import SCHEMAS, cell_repr
from .errors import HarmoniseError
from .parse import PERIOD_FORMATS, periods_from_codes
from .recode import describe_markers, marker_values
from .sources import RawTable

__all__ = ["NAME_HEADER", "UNIT_HEADER", "VALUE_HEADER", "Unpivoted", "unpivot_source"]

#: Headers of the records' name, value and unit columns. A quarantine reason
#: names the record's own column in their place (:meth:`Unpivoted.name_cells`).
NAME_HEADER = "\x00name"
VALUE_HEADER = "\x00value"
UNIT_HEADER = "\x00unit"

_NUMERIC = ("int", "float", "bool")


@dataclass
class Unpivoted:
    """A wide source as records.

    Attributes
    ----------
    spec : SourceSpec
        The source as a long one: ``columns`` maps ``name_to``, ``value_to``
        (and ``unit`` with ``unit_from``) onto the records' columns.
    raw : RawTable
        The records: the raw row's other cells, the header, the cell; ``rows``
        gives each record's row in the file.
    headers : ndarray of str
        Each record's value column.
    notes : list of str
        What the report says about the unpivot.
    """

    spec: SourceSpec
    raw: RawTable
    headers: np.ndarray
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> np.ndarray:
        return self.raw.rows

    def name_cells(self, texts: list[str], positions: np.ndarray) -> list[str]:
        """Reasons of the records at ``positions`` with their own column named."""
        return [
            t.replace(f"'{VALUE_HEADER}'", repr(h))
            .replace(f"'{NAME_HEADER}'", repr(h))
            .replace(f"'{UNIT_HEADER}'", repr(h))
            if isinstance(t, str)
            else t
            for t, h in zip(texts, self.headers[positions], strict=True)
        ]


def _fail(message: str, key: str, subkey: str, config_path, source) -> HarmoniseError:
    return HarmoniseError(message, path=config_path, key=f"{key}.unpivot.{subkey}", source=source)


def _value_columns(spec: SourceSpec, headers: list[str], fail) -> tuple[list[str], list[str]]:
    """The value columns of a wide source, and the total columns left out."""
    up = spec.unpivot
    shown = ", ".join(repr(h) for h in headers)
    for i, column in enumerate(up.exclude):
        if column not in headers:
            raise fail(
                f"column {column!r} under exclude is not in the file; its columns are {shown}",
                f"exclude.{i}",
            )
    if up.columns is not None:
        for i, column in enumerate(up.columns):
            if column not in headers:
                raise fail(
                    f"column {column!r} is not in the file; its columns are {shown}",
                    f"columns.{i}",
                )
        return [c for c in up.columns if c not in up.exclude], []
    ids = {*spec.columns.values(), *spec.drop, spec.person_id, *up.exclude}
    candidates = [h for h in headers if h not in ids]
    if up.pattern is not None:
        candidates = [h for h in candidates if re.search(up.pattern, h)]
        if not candidates:
            raise fail(
                f"no column header matches pattern {up.pattern!r}; the file's columns are {shown}",
                "pattern",
            )
    totals_re = (
        re.compile(
            r"^\s*(?:" + "|".join(re.escape(x.lower()) for x in spec.total_labels) + r")\b", re.I
        )
        if spec.total_labels
        else None
    )
    totals = [h for h in candidates if totals_re is not None and totals_re.match(h)]
    values = [h for h in candidates if h not in totals]
    if not values:
        raise fail(
            "the wide table has no value columns: every column is mapped under columns, "
            f"dropped or excluded; its columns are {shown}",
            "columns",
        )
    return values, totals


def _indicator_labels(spec: SourceSpec, config, values: list[str]) -> dict[str, str]:
    """``values.indicator_id`` plus the indicators' own labels for headers it lacks.

    A header that is an indicator's ``label_nl`` or ``label_en`` in the
    configuration, exactly, stands for that indicator (the monitor names its
    columns as the value definition does).
    """
    labels = spec.values.get("indicator_id", {})
    labels = dict(labels) if isinstance(labels, dict) else {}
    if config is None:
        return labels
    known = {s.id for s in config.indicators}
    own = {}
    for s in config.indicators:
        own.setdefault(s.label_nl, s.id)
        own.setdefault(s.label_en, s.id)
    for header in values:
        if header not in labels and header not in known and header in own:
            labels[header] = own[header]
    return labels


def _check_headers(spec, config, values: list[str], fail) -> None:
    """Every value column's header must be a value of ``name_to``."""
    up = spec.unpivot
    if up.name_to == "period":
        codes = np.arange(len(values))
        parsed = periods_from_codes(codes, np.array(values, dtype=object), spec.period_format)
        bad = [h for h, b in zip(values, parsed.bad, strict=True) if b]
        if bad:
            fmt = "" if spec.period_format == "auto" else f" ({spec.period_format})"
            raise fail(
                f"column {bad[0]!r} of the wide table is not a period{fmt}: expected a month "
                "such as 'jan 2024', 'januari 2024', '2024 januari', '2024M01', '2024-01' or a "
                "quarter such as '2024 1e kwartaal'"
                + (
                    f" (also not periods: {', '.join(repr(b) for b in bad[1:4])})"
                    if len(bad) > 1
                    else ""
                )
                + "; list the value columns under unpivot.columns or leave this one out with "
                "unpivot.exclude",
                "name_to",
            )
    elif up.name_to == "indicator_id" and config is not None and config.indicators:
        labels = _indicator_labels(spec, config, values)
        known = {s.id for s in config.indicators}
        bad = [h for h in values if labels.get(h, h) not in known]
        if bad:
            raise fail(
                f"column {bad[0]!r} of the wide table is not an indicator: expected an indicator "
                "id of the configuration (" + ", ".join(sorted(known)) + "), an indicator's "
                "label_nl or label_en, or a label under values.indicator_id; leave other "
                "columns out with unpivot.exclude",
                "name_to",
            )


def _check_targets(spec: SourceSpec, fail) -> None:
    up = spec.unpivot
    schema = SCHEMAS[spec.table]
    names = {c.name: c for c in schema.columns}
    name_col = names.get(up.name_to)
    if name_col is None or name_col.kind in _NUMERIC or up.name_to == "network_id":
        texts = [
            c.name for c in schema.columns if c.kind not in _NUMERIC and c.name != "network_id"
        ]
        raise fail(
            f"{up.name_to!r} cannot take the headers: expected a text or period column of "
            f"table {spec.table} ({', '.join(texts)})",
            "name_to",
        )
    value_col = names.get(up.value_to)
    extra = spec.table == "units" and re.fullmatch(r"[a-z][a-z0-9_]*", up.value_to)
    if (value_col is None and not extra) or (
        value_col is not None and value_col.kind not in _NUMERIC
    ):
        numbers = [c.name for c in schema.columns if c.kind in _NUMERIC]
        raise fail(
            f"{up.value_to!r} cannot take the cells: expected a number column of table "
            f"{spec.table} ({', '.join(numbers)})",
            "value_to",
        )
    if up.unit_from is not None and spec.table != "indicators":
        raise fail("unit_from: indicators is for indicators sources only", "unit_from")
    if up.unit_from is not None and ("unit" in spec.columns or "unit" in spec.constants):
        raise fail(
            "the unit is both mapped and taken from the indicators; choose one", "unit_from"
        )


def unpivot_source(
    spec: SourceSpec,
    raw: RawTable,
    config: NetworkConfig | None = None,
    *,
    key: str,
    config_path: object,
    source: object,
) -> Unpivoted:
    """Turn a wide source's cells into records (see the module docstring).

    Parameters
    ----------
    spec : SourceSpec
        A source with ``unpivot``.
    raw : RawTable
        Its cells, after :func:`~.personal.protect_source`.
    config : NetworkConfig, optional
        For indicator ids and units (``name_to: indicator_id``, ``unit_from``).
    key, config_path, source
        The source's key path, the configuration file and the raw file, for errors.

    Raises
    ------
    HarmoniseError
        If a column under ``columns`` or ``exclude`` is not in the file, no
        header matches ``pattern``, a header is no value of ``name_to``, or
        ``name_to`` / ``value_to`` are not columns that can take headers and
        numbers.

    Examples
    --------
    Every column not mapped is a value column, but a total column:

    >>> import numpy as np, pandas as pd
    >>> from netwerkonderzoek.config import SourceSpec
    >>> from netwerkonderzoek.harmonise.sources import RawTable
    >>> frame = pd.DataFrame({"Partner": ["A"], "Activiteit": ["overleg"],
    ...                       "Q1 2024": ["3"], "Q2 2024": ["4"], "Totaal": ["7"]})
    >>> spec = SourceSpec(file="k.csv", table="contributions",
    ...     columns={"partner_id": "Partner", "activity": "Activiteit"},
    ...     constants={"costs_eur": 0, "value_type": "network"}, quarter="first",
    ...     unpivot={"name_to": "period", "value_to": "hours"})
    >>> wide = unpivot_source(spec, RawTable(frame, np.array([2]), "sha"),
    ...                       key="sources.0", config_path="c.yaml", source="k.csv")
    >>> wide.raw.frame.values.tolist(), wide.rows.tolist()
    ([['A', 'overleg', 'Q1 2024', '3'], ['A', 'overleg', 'Q2 2024', '4']], [2, 2])
    >>> wide.notes
    ["unpivot: 1 row x 2 columns ('Q1 2024' ... 'Q2 2024') to period and hours: 2 records; total column 'Totaal' left out"]

    A header that is not a period is refused:

    >>> frame = frame.rename(columns={"Totaal": "Opmerking"})
    >>> unpivot_source(spec, RawTable(frame, np.array([2]), "sha"),
    ...                key="sources.0", config_path="c.yaml", source="k.csv")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.harmonise.errors.HarmoniseError: c.yaml, key 'sources.0.unpivot.name_to', source k.csv: column 'Opmerking' of the wide table is not a period: ...
    """
    up = spec.unpivot

    def fail(message: str, subkey: str) -> HarmoniseError:
        return _fail(message, key, subkey, config_path, source)

    if spec.period_format not in PERIOD_FORMATS:  # pragma: no cover - the config checks it
        raise fail(f"unknown period format {spec.period_format!r}", "name_to")
    _check_targets(spec, fail)
    frame = raw.frame
    headers = [str(h) for h in frame.columns]
    values, totals = _value_columns(spec, headers, fail)
    _check_headers(spec, config, values, fail)
    others = [h for h in headers if h not in values and h not in totals]
    n, k = len(frame), len(values)
    cells = frame[values].to_numpy(dtype=object).reshape(n * k)
    names = np.tile(np.array(values, dtype=object), n)
    rows = np.repeat(raw.rows, k)
    # Each distinct cell is looked at once.
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    blank_u = np.array([isinstance(c, str) and not c.strip() for c in uniques] + [True])
    blank = blank_u[codes]
    markers = spec.markers
    marks = np.append(marker_values(uniques, markers), "")[codes]
    missing = np.isin(marks, [m for m, meaning in markers.items() if meaning == "missing"])
    zero = np.isin(marks, [m for m, meaning in markers.items() if meaning == "zero"])
    keep = ~blank & ~missing
    cells = np.where(zero, "0", cells)
    long = {h: np.repeat(frame[h].to_numpy(dtype=object), k)[keep] for h in others}
    long[NAME_HEADER] = names[keep]
    long[VALUE_HEADER] = cells[keep]
    columns = {**spec.columns, up.name_to: NAME_HEADER, up.value_to: VALUE_HEADER}
    update: dict = {}
    if up.name_to == "indicator_id":
        labels = _indicator_labels(spec, config, values)
        if labels:
            update["values"] = {**spec.values, "indicator_id": labels}
    if up.unit_from == "indicators" and config is not None:
        labels = _indicator_labels(spec, config, values)
        units = {s.id: s.unit for s in config.indicators}
        by_header = np.array([units.get(labels.get(h, h)) for h in values], dtype=object)
        long[UNIT_HEADER] = np.tile(by_header, n)[keep]
        columns["unit"] = UNIT_HEADER
    records = pd.DataFrame(long, columns=list(long), dtype=object)
    out = RawTable(
        records,
        rows[keep],
        raw.sha256,
        raw.sheet,
        raw.broken,
        raw.text_only,
    )
    first, last = values[0], values[-1]
    span = repr(first) if k == 1 else f"{first!r} ... {last!r}"
    note = (
        f"unpivot: {n} row{'s' if n != 1 else ''} x {k} column{'s' if k != 1 else ''} ({span}) "
        f"to {up.name_to} and {up.value_to}: {int(keep.sum())} records"
    )
    if blank.any():
        b = int(blank.sum())
        note += f"; {b} blank cell{'s' if b != 1 else ''} left out"
    if totals:
        note += (
            "; total column"
            + ("s " if len(totals) > 1 else " ")
            + ", ".join(cell_repr(t) for t in totals)
            + " left out"
        )
    for header in values:
        j = values.index(header)
        mine = marks[j::k] if k else marks
        counts = {m: int((mine == m).sum()) for m in markers if (mine == m).any()}
        if counts:
            note += "; " + describe_markers(f"column {header!r}", counts, markers)
    new_spec = spec.model_copy(update={"columns": columns, **update})
    return Unpivoted(new_spec, out, names[keep], [note])
