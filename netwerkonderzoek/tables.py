"""Canonical tables: schemas, loading, validation and writing.

The canonical tables of a network live in ``data/<network_id>/<table>.csv``
(UTF-8, comma-separated, one row per observation). Each has a schema: column
types, allowed values, ranges and a primary key. :func:`read_table` validates
every row and raises a :class:`~netwerkonderzoek.exceptions.ValidationError`
listing *all* faults (file, row, column, what was found, what was expected);
:func:`load_network` also checks references between tables (a tie to a
partner that is not in the partner list).

Row numbers in faults are line numbers of the CSV file: the header is line 1,
the first data row line 2.

Examples
--------
>>> import io
>>> from netwerkonderzoek.tables import read_table
>>> csv = io.StringIO("network_id,partner_id,name,kind,sector,joined,left\\n"
...                   "x,gemeente,Gemeente X,municipality,public,2022-01-01,\\n")
>>> read_table("partners", csv).loc[0, "kind"]
'municipality'
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .exceptions import Fault, ValidationError
from .vocabulary import (
    EVENT_KINDS,
    PARTNER_KINDS,
    PERSPECTIVES,
    RATINGS,
    SLUG_PATTERN,
    SOURCE_ROLES,
    STAKEHOLDER_GROUPS,
    TIE_TYPES,
)

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from .config import NetworkConfig

__all__ = [
    "DATE_RANGE",
    "FORMULA_PREFIXES",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "OPTIONAL_TABLES",
    "PARTNER_KINDS",
    "SCHEMAS",
    "TABLE_NAMES",
    "TIE_TYPES",
    "Column",
    "NetworkData",
    "TableSchema",
    "csv_quoting",
    "csv_text",
    "empty_table",
    "formula_cells",
    "input_limit_fault",
    "load_network",
    "load_table",
    "looks_like_formula",
    "neutralise_formulas",
    "read_table",
    "validate_frame",
    "validate_network",
    "write_table",
]

Kind = Literal["str", "int", "float", "date", "period", "category", "bool"]

VALUE_TYPES = PERSPECTIVES  # the column value_type holds a value perspective

MAX_CELL_LENGTH = 10_000  # characters; longer cells are refused, not truncated
#: Limits on every input file (canonical tables and raw partner exports), so
#: that a hostile or broken file is refused in seconds instead of taking minutes
#: and gigabytes: bytes on disk, columns, lines (rows), and for a workbook the
#: bytes its parts unpack to (a small XLSX can unpack to gigabytes).
MAX_FILE_BYTES = 512 * 1024**2
MAX_COLUMNS = 2_000
MAX_ROWS = 5_000_000
MAX_UNPACKED_BYTES = 2 * 1024**3
#: Dates outside this range are refused (an event dated 0001-01-01 is a typo).
DATE_RANGE = ("1900-01-01", "2100-12-31")
#: A text cell starting with one of these is read by a spreadsheet as a formula
#: (OWASP, "CSV Injection"): tables the project writes neutralise such cells with a
#: leading ``'``, and the loaders refuse them in canonical tables.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: A number a spreadsheet reads as a number (``-2.5``, ``-0,5``, ``+3``, ``1e5``,
#: ``-3%``), not as a formula.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?%?")


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    ``kind`` is the logical type: ``str``, ``int``, ``float``, ``date``
    (``YYYY-MM-DD``), ``period`` (a month, ``YYYY-MM``), ``category`` (one of
    ``choices``) or ``bool`` (0/1).

    Examples
    --------
    >>> rating = Column("rating", "int", min=1, max=10)
    >>> rating.nullable, rating.expected()
    (False, 'a whole number from 1 to 10')
    """

    name: str
    kind: Kind
    nullable: bool = False
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    description: str = ""
    #: Free text written by people (an observation's text, an event's title and
    #: description): scanned for direct identifiers when harmonised and validated.
    free_text: bool = False

    def expected(self) -> str:
        """Plain-language statement of what a value must be.

        Examples
        --------
        >>> Column("weight", "float", min=0).expected()
        'a number of at least 0'
        >>> Column("form", "category", choices=("direct", "indirect")).expected()
        'one of direct, indirect'
        >>> SCHEMAS["ties"].column("source").expected()
        'text (a slug: lowercase letters, digits, hyphens)'
        """
        if self.kind == "category":
            text = "one of " + ", ".join(self.choices)
        elif self.kind == "date":
            text = "a date YYYY-MM-DD"
        elif self.kind == "period":
            text = "a month YYYY-MM"
        elif self.kind == "bool":
            text = "0 or 1"
        elif self.kind == "int":
            text = "a whole number"
        elif self.kind == "float":
            text = "a number"
        else:
            text = "text"
        if self.min is not None and self.max is not None:
            text += f" from {self.min:g} to {self.max:g}"
        elif self.min is not None:
            text += f" of at least {self.min:g}"
        elif self.max is not None:
            text += f" of at most {self.max:g}"
        if self.pattern == SLUG_PATTERN:
            text += " (a slug: lowercase letters, digits, hyphens)"
        return text


@dataclass(frozen=True)
class TableSchema:
    """Schema of a canonical table: columns, primary key, extra columns allowed.

    Examples
    --------
    >>> schema = SCHEMAS["units"]
    >>> schema.key, schema.allow_extra
    (('network_id', 'unit_id', 'wave'), True)
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    allow_extra: bool = False
    description: str = ""

    @property
    def column_names(self) -> list[str]:
        """The names of the columns, in order.

        Examples
        --------
        >>> SCHEMAS["indicators"].column_names
        ['network_id', 'indicator_id', 'period', 'area', 'value', 'unit']
        """
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The column called ``name``.

        Raises
        ------
        KeyError
            If the schema has no such column.

        Examples
        --------
        >>> SCHEMAS["indicators"].column("period").kind
        'period'
        >>> SCHEMAS["indicators"].column("month")
        Traceback (most recent call last):
        ...
        KeyError: 'month'
        """
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _slug(name: str, description: str = "", nullable: bool = False) -> Column:
    return Column(name, "str", pattern=SLUG_PATTERN, nullable=nullable, description=description)


_NET = _slug("network_id", "network the row belongs to")

SCHEMAS: dict[str, TableSchema] = {
    "partners": TableSchema(
        "partners",
        (
            _NET,
            _slug("partner_id", "partner within the network"),
            Column("name", "str"),
            Column("kind", "category", choices=PARTNER_KINDS),
            Column("sector", "str"),
            Column("joined", "date"),
            Column("left", "date", nullable=True),
        ),
        key=("network_id", "partner_id"),
        allow_extra=True,
        description="The organisations taking part in the network.",
    ),
    "ties": TableSchema(
        "ties",
        (
            _NET,
            Column("wave", "int", min=1),
            _slug("source", "partner reporting the tie"),
            _slug("target", "partner the tie points to"),
            Column("tie_type", "category", choices=TIE_TYPES),
            Column("weight", "float", min=0),
            *(Column(r, "int", nullable=True, min=1, max=4) for r in RATINGS),
        ),
        key=("network_id", "wave", "source", "target", "tie_type"),
        description="Directed ties per survey wave, with PARTNER-tool ratings (1-4).",
    ),
    "contributions": TableSchema(
        "contributions",
        (
            _NET,
            _slug("partner_id"),
            Column("period", "period"),
            Column("activity", "str"),
            Column("hours", "float", min=0),
            Column("costs_eur", "float", min=0),
            Column("value_type", "category", choices=VALUE_TYPES),
        ),
        key=("network_id", "partner_id", "period", "activity"),
        description="What each partner puts in: hours and costs per month and activity.",
    ),
    "indicators": TableSchema(
        "indicators",
        (
            _NET,
            _slug("indicator_id"),
            Column("period", "period"),
            Column("area", "str"),
            Column("value", "float"),
            Column("unit", "str"),
        ),
        key=("network_id", "indicator_id", "period", "area"),
        description="Monthly indicator values per area.",
    ),
    "units": TableSchema(
        "units",
        (
            _NET,
            Column("unit_id", "str"),
            Column("wave", "int", min=1),
            Column("area", "str"),
        ),
        key=("network_id", "unit_id", "wave"),
        allow_extra=True,
        description=(
            "Residents, households or clients: context attributes, mechanism "
            "exposure and outcomes as further (numeric) columns."
        ),
    ),
    "observations": TableSchema(
        "observations",
        (
            _NET,
            Column("observation_id", "str"),
            Column("date", "date"),
            Column("source_role", "category", choices=SOURCE_ROLES),
            _slug("partner_id", nullable=True),
            Column("text", "str", free_text=True),
            Column("codes", "str", description="codes separated by ';'"),
            Column(
                "sentiment",
                "float",
                min=-1,
                max=1,
                nullable=True,
                description="-1 to 1; may be blank when the observation has a stance",
            ),
        ),
        key=("network_id", "observation_id"),
        allow_extra=True,
        description="Coded qualitative observations (interviews, meetings, stories).",
    ),
    "events": TableSchema(
        "events",
        (
            _NET,
            Column("date", "date"),
            Column("title", "str", free_text=True),
            Column("kind", "category", choices=EVENT_KINDS),
            Column("description", "str", nullable=True, free_text=True),
            _slug("partner_id", nullable=True),
        ),
        key=("network_id", "date", "title"),
        description="The network's timeline.",
    ),
}

TABLE_NAMES: tuple[str, ...] = tuple(SCHEMAS)


#: Tables a network may have (not every network runs an appreciation survey).
#: When the file exists it is read and validated with the others
#: (:func:`load_network`, :func:`validate_network`); when it does not, the
#: table is empty.
OPTIONAL_TABLES: tuple[str, ...] = ("appreciation",)

SCHEMAS["appreciation"] = TableSchema(
    "appreciation",
    (
        _NET,
        Column("period", "period", description="month of the survey"),
        Column("stakeholder_group", "category", choices=STAKEHOLDER_GROUPS),
        Column("respondent_id", "str", description="pseudonymised respondent"),
        _slug("partner_id", "the rating partner (stakeholder_group partners)", nullable=True),
        Column("perspective", "category", choices=VALUE_TYPES),
        Column("form", "category", choices=("direct", "indirect")),
        _slug("indicator_id", "indicator the rating concerns, if one", nullable=True),
        Column("rating", "int", min=1, max=10, description="report mark 1 (very poor) to 10"),
    ),
    key=("network_id", "period", "respondent_id", "perspective", "form"),
    description=(
        "Appreciation (waardering): how stakeholders rate the yield of the network per "
        "value cell (perspective x form), on the Dutch report-mark scale 1-10; one "
        "rating per respondent, period and cell."
    ),
)

# References between tables: (table, column) must be a partner_id of the network.
PARTNER_REFERENCES = (
    ("ties", "source"),
    ("ties", "target"),
    ("contributions", "partner_id"),
    ("observations", "partner_id"),
    ("events", "partner_id"),
    ("appreciation", "partner_id"),
)


def cell_repr(value: object, limit: int = 60) -> str:
    """repr of a cell value, shortened so a huge cell cannot flood a message.

    Examples
    --------
    >>> cell_repr("noord"), cell_repr(3.5)
    ("'noord'", '3.5')
    >>> cell_repr("x" * 100, limit=10)
    "'xxxxxxx...'"
    """
    text = str(value)
    return repr(value) if len(text) <= limit else repr(text[: limit - 3] + "...")


def _source_name(source: object) -> str:
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return getattr(source, "name", None) or "<buffer>"


def _rows(index: Iterable[int], offset: int = 2) -> list[int]:
    return [int(i) + offset for i in index]


def _per_value(text: pd.Series, function, **kwargs) -> pd.Series:
    """``function(text, **kwargs)``, computed once per distinct value.

    Columns repeat a few values (partner ids, waves, ratings) thousands of
    times: ``function`` (vectorised, element by element) runs on the
    distinct values, its results are spread back by position.
    """
    import pandas as pd

    codes, uniques = pd.factorize(text, use_na_sentinel=False)  # missing: a value too
    if len(uniques) * 2 > len(text):
        return function(text, **kwargs)
    result = function(pd.Series(uniques), **kwargs)
    return pd.Series(result.array.take(codes), index=text.index)


def _match(text: pd.Series, pattern: str) -> pd.Series:
    return text.str.match(pattern)


def _true(mask: pd.Series):
    """A boolean Series as a numpy array, missing (pandas' NA) as False."""
    return mask.to_numpy(dtype=bool, na_value=False)


def validate_frame(
    data: pd.DataFrame,
    schema: TableSchema | str,
    *,
    source: str = "<data>",
    row_offset: int = 2,
) -> tuple[pd.DataFrame | None, list[Fault]]:
    """Validate a raw (all-text) table against its schema and convert types.

    Parameters
    ----------
    data : DataFrame
        The table as read, every cell a string or missing.
    schema : TableSchema or str
        The schema, or the name of a canonical table.
    source : str
        File name used in faults.
    row_offset : int
        Added to the positional row index to give the row number in faults
        (2 for a CSV file with one header line).

    Returns
    -------
    (DataFrame or None, list of Fault)
        The table (typed when the list is empty; cells that failed are
        missing) and every fault found. The table is None when columns are
        missing or repeated.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"network_id": ["x", "x"], "indicator_id": ["overlast"] * 2,
    ...                     "period": ["2023-01", "2023-13"], "area": ["noord"] * 2,
    ...                     "value": ["14", "veel"], "unit": ["meldingen"] * 2})
    >>> table, faults = validate_frame(raw, "indicators", source="indicators.csv")
    >>> for fault in faults:
    ...     print(fault.row, fault.column, fault.message)
    3 period got '2023-13'; expected a month YYYY-MM
    3 value got 'veel'; expected a number
    >>> table, faults = validate_frame(raw.iloc[:1], "indicators")
    >>> faults, table["value"].tolist()
    ([], [14.0])
    >>> validate_frame(raw.drop(columns="unit"), "indicators")[1][0].message
    'required column is missing (expected text)'
    """
    import pandas as pd

    if isinstance(schema, str):
        schema = SCHEMAS[schema]
    data = data.reset_index(drop=True)
    faults, unusable = _header_faults(data, schema, source)
    if unusable:
        return None, faults
    # Masks are numpy booleans: pandas' nullable booleans (what comparisons of
    # "string" columns give) combine several times slower.
    columns: dict[str, pd.Series] = {}
    for col in schema.columns:
        columns[col.name], column_faults = _check_column(col, data[col.name], source, row_offset)
        faults.extend(column_faults)
    if schema.allow_extra:
        columns.update(_extra_values(data, schema))
    out = pd.DataFrame(columns, index=data.index)
    if schema.name == "observations":
        faults.extend(_direction_faults(out, source, row_offset))
    faults.extend(_duplicate_key_faults(out, schema.key, source, row_offset))
    if not faults:
        _apply_types(out, schema)
    return out, faults


def _extra_columns(data: pd.DataFrame, schema: TableSchema) -> list:
    """The columns of ``data`` that the schema does not name."""
    return [c for c in data.columns if c not in schema.column_names]


def _header_faults(
    data: pd.DataFrame, schema: TableSchema, source: str
) -> tuple[list[Fault], bool]:
    """Missing, unexpected and repeated columns; and whether the table is unusable."""
    faults: list[Fault] = []
    missing = [c for c in schema.column_names if c not in data.columns]
    for name in missing:
        faults.append(
            Fault(
                source,
                None,
                name,
                f"required column is missing (expected {schema.column(name).expected()})",
            )
        )
    extra = _extra_columns(data, schema)
    if extra and not schema.allow_extra:
        for name in extra:
            faults.append(
                Fault(
                    source,
                    None,
                    str(name),
                    f"unexpected column; table '{schema.name}' has columns {', '.join(schema.column_names)}",
                )
            )
    dupes = data.columns[data.columns.duplicated()].tolist()
    for name in dupes:
        faults.append(Fault(source, None, str(name), "column appears more than once"))
    return faults, bool(missing or dupes)


@dataclass
class _Cells:
    """One column's cells as read, and stripped of surrounding spaces."""

    raw: pd.Series
    cells: list  # each cell stripped, or None when missing
    text: pd.Series  # the stripped cells as a "string" Series
    filled: np.ndarray  # cells that are neither missing nor blank


def _cells(raw: pd.Series) -> _Cells:
    """The cells of a raw column, stripped, and which of them hold a value."""
    import numpy as np
    import pandas as pd

    cells = [
        None if cell is None else cell.strip()
        for cell in raw.astype("string").to_numpy(dtype=object, na_value=None)
    ]
    text = pd.Series(pd.array(cells, dtype="string"), index=raw.index)
    empty = np.fromiter((not cell for cell in cells), dtype=bool, count=len(cells))
    return _Cells(raw, cells, text, ~empty)


def _check_column(
    col: Column, raw: pd.Series, source: str, row_offset: int
) -> tuple[pd.Series, list[Fault]]:
    """One column checked and converted: its values (failed cells missing) and its faults."""
    cells = _cells(raw)
    faults = [] if col.nullable else _missing_faults(col, cells, source, row_offset)
    if col.kind in ("int", "float", "bool"):
        bad, converted = _numbers(col, cells)
    elif col.kind in ("date", "period"):
        bad, converted = _dates(col, cells)
    elif col.kind == "category":
        bad = cells.filled & ~_true(cells.text.isin(col.choices))
        converted = cells.text.where(cells.filled)
    else:
        bad, converted = _texts(col, cells)
        faults.extend(_text_faults(col, cells, bad, source, row_offset))
    too_long, long_faults = _long_cells(col, cells, source, row_offset)
    faults.extend(long_faults)
    bad &= ~too_long
    bad |= _out_of_range(col, converted)
    faults.extend(_bad_value_faults(col, raw, bad, source, row_offset))
    return converted, faults


def _missing_faults(col: Column, cells: _Cells, source: str, row_offset: int) -> list[Fault]:
    """A fault for each missing or blank cell of a column that needs a value."""
    import numpy as np

    return [
        Fault(source, row, col.name, f"value is missing; expected {col.expected()}")
        for row in _rows(np.flatnonzero(~cells.filled), row_offset)
    ]


def _numbers(col: Column, cells: _Cells) -> tuple[np.ndarray, pd.Series]:
    """Cells of an int, float or bool column as numbers, and which are not such a number."""
    import numpy as np
    import pandas as pd

    values = _per_value(cells.text.where(cells.filled), pd.to_numeric, errors="coerce")
    known = values.notna().to_numpy()
    bad = cells.filled & ~known
    if col.kind in ("int", "bool"):
        bad |= known & _true(values != values.round())
    if col.kind == "bool":
        bad |= known & ~_true(values.isin([0, 1]))
    # "inf" and "1e400" are numbers to pandas, never a measured value
    bad |= known & ~np.isfinite(values.to_numpy(dtype=float, na_value=0.0))
    return bad, values


def _dates(col: Column, cells: _Cells) -> tuple[np.ndarray, pd.Series]:
    """Cells of a date (or month) column parsed, and which are no date in :data:`DATE_RANGE`."""
    import pandas as pd

    fmt = "%Y-%m-%d" if col.kind == "date" else "%Y-%m"
    parsed = pd.to_datetime(cells.text.where(cells.filled), format=fmt, errors="coerce")
    bad = cells.filled & parsed.isna().to_numpy()
    low, high = (pd.Timestamp(d) for d in DATE_RANGE)
    bad |= _true((parsed < low) | (parsed > high))
    converted = cells.text.where(cells.filled) if col.kind == "period" else parsed
    return bad, converted


def _texts(col: Column, cells: _Cells) -> tuple[np.ndarray, pd.Series]:
    """Cells of a text column, and which do not match the column's pattern."""
    import numpy as np

    converted = cells.text.where(cells.filled)
    bad = np.zeros(len(cells.text), dtype=bool)
    if col.pattern:
        matches = _per_value(cells.text.fillna(""), _match, pattern=col.pattern)
        bad = cells.filled & ~_true(matches)
    return bad, converted


def _text_faults(
    col: Column, cells: _Cells, bad: np.ndarray, source: str, row_offset: int
) -> list[Fault]:
    """Faults of text cells: personal data in free text, and cells a spreadsheet runs."""
    import numpy as np

    faults = []
    if col.free_text:
        faults.extend(_identifier_faults(cells.cells, source, col.name, row_offset))
    formulas = formula_cells(cells.raw) & ~bad
    for pos in np.flatnonzero(formulas):
        faults.append(
            Fault(
                source,
                int(pos) + row_offset,
                col.name,
                f"got {cell_repr(cells.raw.iloc[pos])}, which a spreadsheet runs as a formula; "
                f"a text may not start with {', '.join(map(repr, FORMULA_PREFIXES))} "
                "(write it with a leading ' or without the character)",
            )
        )
    return faults


def _long_cells(
    col: Column, cells: _Cells, source: str, row_offset: int
) -> tuple[np.ndarray, list[Fault]]:
    """Cells longer than :data:`MAX_CELL_LENGTH`, and a fault for each."""
    import numpy as np

    if max(map(len, filter(None, cells.cells)), default=0) > MAX_CELL_LENGTH:
        lengths = cells.text.str.len().to_numpy(dtype=float, na_value=0)
    else:
        lengths = np.zeros(len(cells.cells))
    too_long = lengths > MAX_CELL_LENGTH
    faults = [
        Fault(
            source,
            int(pos) + row_offset,
            col.name,
            f"cell holds {int(lengths[pos]):,} characters; at most {MAX_CELL_LENGTH:,} are accepted",
        )
        for pos in np.flatnonzero(too_long)
    ]
    return too_long, faults


def _out_of_range(col: Column, converted: pd.Series) -> np.ndarray:
    """Numbers below the column's ``min`` or above its ``max`` (all False without a range)."""
    import numpy as np

    out_of_range = np.zeros(len(converted), dtype=bool)
    if col.kind in ("int", "float") and (col.min is not None or col.max is not None):
        if col.min is not None:
            out_of_range |= _true(converted < col.min)
        if col.max is not None:
            out_of_range |= _true(converted > col.max)
    return out_of_range


def _bad_value_faults(
    col: Column, raw: pd.Series, bad: np.ndarray, source: str, row_offset: int
) -> list[Fault]:
    """A fault for each cell that is not what the column expects, with the value found."""
    import numpy as np

    return [
        Fault(
            source,
            int(pos) + row_offset,
            col.name,
            f"got {cell_repr(raw.iloc[pos])}; expected {col.expected()}",
        )
        for pos in np.flatnonzero(bad)
    ]


def _extra_values(data: pd.DataFrame, schema: TableSchema) -> dict[str, pd.Series]:
    """The columns the schema does not name: numbers when every value is one, else text."""
    import pandas as pd

    columns = {}
    for name in _extra_columns(data, schema):  # none is repeated here
        series = data[name]
        numeric = pd.to_numeric(series, errors="coerce")
        columns[name] = numeric if numeric.notna().sum() == series.notna().sum() else series
    return columns


def _duplicate_key_faults(
    out: pd.DataFrame, key: Iterable[str], source: str, row_offset: int
) -> list[Fault]:
    """A fault for each primary-key value held by more than one row, naming the rows."""
    key = list(key)
    faults: list[Fault] = []
    duplicated = out.duplicated(key, keep=False) & out[key].notna().all(axis=1)
    if not duplicated.any():
        return faults
    groups = out[duplicated].groupby(key, dropna=False, sort=False).groups
    for values, index in groups.items():
        values = values if isinstance(values, tuple) else (values,)
        desc = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True))
        rows = ", ".join(str(r) for r in _rows(index, row_offset))
        faults.append(
            Fault(
                source,
                int(index[0]) + row_offset,
                None,
                f"duplicate key ({desc}) in rows {rows}",
            )
        )
    return faults


def _apply_types(out: pd.DataFrame, schema: TableSchema) -> None:
    """Give the numeric columns of a faultless table their types (nullable Int64, float)."""
    for col in schema.columns:
        if col.kind in ("int", "bool"):
            out[col.name] = out[col.name].round().astype("Int64")
        elif col.kind == "float":
            out[col.name] = out[col.name].astype(float)


def input_limit_fault(size: int, columns: int, lines: int, unpacked: int = 0) -> str | None:
    """Why a file breaks the input limits (:data:`MAX_FILE_BYTES` ...), or None.

    Examples
    --------
    >>> input_limit_fault(10, 3, 2) is None
    True
    >>> input_limit_fault(10, 1_000_000, 2)
    'the file has 1,000,000 columns; at most 2,000 are read'
    """
    if size > MAX_FILE_BYTES:
        return f"the file holds {size:,} bytes; at most {MAX_FILE_BYTES:,} are read"
    if columns > MAX_COLUMNS:
        return f"the file has {columns:,} columns; at most {MAX_COLUMNS:,} are read"
    if lines > MAX_ROWS:
        return f"the file has {lines:,} lines; at most {MAX_ROWS:,} rows are read"
    if unpacked > MAX_UNPACKED_BYTES:
        return (
            f"the workbook unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED_BYTES:,} are read"
        )
    return None


def _header_columns(line: bytes, delimiter: str = ",") -> int:
    """Fields of a CSV header line (quotes respected)."""
    import csv

    text = line.decode("utf-8", errors="replace")
    return len(next(csv.reader([text], delimiter=delimiter), []))


def _identifier_faults(cells: list, source: str, column: str, row_offset: int) -> list[Fault]:
    """Faults for free-text cells holding a direct identifier (never the identifier)."""
    from .privacy import TEXT_IDENTIFIER_WORDS, find_text_identifiers

    faults = []
    seen: dict[str, list[str]] = {}
    for pos, cell in enumerate(cells):
        if not cell:
            continue
        if cell not in seen:
            seen[cell] = list(dict.fromkeys(kind for kind, _, _ in find_text_identifiers(cell)))
        if seen[cell]:
            words = ", ".join(TEXT_IDENTIFIER_WORDS[k] for k in seen[cell])
            faults.append(
                Fault(
                    source,
                    pos + row_offset,
                    column,
                    f"the text holds personal data ({words}); mask or remove it "
                    "(harmonising masks it: privacy.free_text)",
                )
            )
    return faults


def _read_csv_text(source: object) -> pd.DataFrame:
    import pandas as pd

    if isinstance(source, (str, os.PathLike)) and Path(source).is_file():
        size = Path(source).stat().st_size
        with open(source, "rb") as handle:
            first = handle.readline(MAX_COLUMNS * 200)
        fault = input_limit_fault(size, _header_columns(first), 0)
        if fault is None and size > 1024**2:  # lines are counted only where they can matter
            with open(source, "rb") as handle:
                lines = sum(
                    block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")
                )
            fault = input_limit_fault(size, 0, lines)
        if fault is not None:
            raise ValidationError([Fault(_source_name(source), None, None, fault)])
    try:
        return pd.read_csv(
            source,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8",
            skip_blank_lines=True,
        )
    except FileNotFoundError:
        raise ValidationError(
            [Fault(_source_name(source), None, None, "file not found")]
        ) from None
    except pd.errors.EmptyDataError:
        raise ValidationError(
            [Fault(_source_name(source), None, None, "file is empty; expected a header row")]
        ) from None
    except UnicodeDecodeError as exc:
        raise ValidationError(
            [
                Fault(
                    _source_name(source),
                    None,
                    None,
                    f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                )
            ]
        ) from None
    except pd.errors.ParserError as exc:
        raise ValidationError(
            [Fault(_source_name(source), None, None, f"not a valid CSV file: {exc}")]
        ) from None


def read_table(name: str, source: object) -> pd.DataFrame:
    """Read and validate one canonical table from a CSV file.

    Parameters
    ----------
    name : str
        Table name, one of :data:`TABLE_NAMES`.
    source : path or file-like
        The CSV file.

    Returns
    -------
    DataFrame
        Typed table, one row per observation.

    Raises
    ------
    ValidationError
        Listing every fault (row, column, value found, value expected).
    KeyError
        If ``name`` is not a canonical table.

    Examples
    --------
    >>> read_table("units", "data/wijk-noord/units.csv").shape
    (2200, 23)
    >>> import io
    >>> csv = io.StringIO("network_id,indicator_id,period,area,value,unit\\n"
    ...                   "x,overlast,2023-01,noord,veel,meldingen\\n")
    >>> read_table("indicators", csv)
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.ValidationError: 1 validation fault:
      <buffer>, row 2, column 'value': got 'veel'; expected a number
    """
    if name not in SCHEMAS:
        raise KeyError(f"unknown table '{name}'; expected one of {', '.join(TABLE_NAMES)}")
    raw = _read_csv_text(source)
    table, faults = validate_frame(raw, SCHEMAS[name], source=_source_name(source))
    if faults:
        raise ValidationError(faults)
    return table


@dataclass
class NetworkData:
    """All canonical tables of one network, validated.

    Examples
    --------
    >>> from netwerkonderzoek import load_config
    >>> data = load_network(load_config("wijk-noord"))
    >>> data.network_id, data.partners.shape, sorted(data.files)[:2]
    ('wijk-noord', (24, 8), ['appreciation', 'contributions'])
    """

    network_id: str
    partners: pd.DataFrame
    ties: pd.DataFrame
    contributions: pd.DataFrame
    indicators: pd.DataFrame
    units: pd.DataFrame
    observations: pd.DataFrame
    events: pd.DataFrame
    files: dict[str, Path] = field(default_factory=dict)
    #: The optional appreciation survey (empty when the network has none).
    appreciation: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        for name in OPTIONAL_TABLES:
            if getattr(self, name) is None:
                setattr(self, name, empty_table(name))

    def summary(self) -> pd.DataFrame:
        """One row per table: rows, columns and the period or waves it covers.

        Examples
        --------
        >>> from netwerkonderzoek import load_config, load_network
        >>> data = load_network(load_config("wijk-noord"))
        >>> data.summary().loc["ties"].to_dict()
        {'rows': 1917, 'columns': 12, 'covers': 'waves 1-4'}
        """
        import pandas as pd

        rows = {}
        for name in (*TABLE_NAMES, *OPTIONAL_TABLES):
            table = getattr(self, name)
            covers = ""
            if name == "ties" and len(table):
                waves = table["wave"].dropna()
                covers = f"waves {int(waves.min())}-{int(waves.max())}" if len(waves) else ""
            else:
                for column in ("period", "date"):
                    if column in table.columns and table[column].notna().any():
                        values = table[column].dropna().astype(str)
                        covers = f"{values.min()[:10]} to {values.max()[:10]}"
                        break
            rows[name] = {"rows": len(table), "columns": table.shape[1], "covers": covers}
        return pd.DataFrame.from_dict(rows, orient="index")

    def __repr__(self) -> str:
        lines = [f"NetworkData({self.network_id!r})"]
        for name, row in self.summary().iterrows():
            covers = f", {row['covers']}" if row["covers"] else ""
            lines.append(f"  {name:<14} {row['rows']:>7,} rows{covers}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        title = f"<p><b>NetworkData</b> {html.escape(self.network_id)}</p>"
        return title + self.summary().to_html()

    def table(self, name: str) -> pd.DataFrame:
        """Return a table by name.

        Raises
        ------
        KeyError
            If ``name`` is not a canonical table.

        Examples
        --------
        >>> from netwerkonderzoek import load_config
        >>> data = load_network(load_config("wijk-noord"))
        >>> data.table("events") is data.events
        True
        >>> data.table("people")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        KeyError: "unknown table 'people'; expected one of partners, ties, ..."
        """
        if name not in SCHEMAS:
            raise KeyError(f"unknown table '{name}'; expected one of {', '.join(TABLE_NAMES)}")
        return getattr(self, name)


_STANCE_ENTRY = r"\s*[^:;\s][^:;]*:\s*(?:supports|contradicts|refines|neutral)\s*"
#: An observation's optional ``stance``: its direction per configuration.
STANCE_PATTERN = re.compile(rf"^{_STANCE_ENTRY}(?:;{_STANCE_ENTRY})*;?\s*$")


def _direction_faults(out: pd.DataFrame, source: object, row_offset: int) -> list[Fault]:
    """An observation needs a sentiment or a stance (its direction per configuration)."""
    import numpy as np

    blank = out["sentiment"].isna().to_numpy().copy()
    if "stance" in out.columns:
        stance = out["stance"].astype("string").str.strip().fillna("")
        blank &= (stance == "").to_numpy(dtype=bool)
    faults = [
        Fault(
            source,
            int(pos) + row_offset,
            "sentiment",
            "value is missing; expected a number from -1 to 1, or a stance "
            "(cmo-01:supports;cmo-02:refines)",
        )
        for pos in np.flatnonzero(blank)
    ]
    if "stance" in out.columns:
        for pos, value in enumerate(out["stance"]):
            if isinstance(value, str) and value.strip() and not STANCE_PATTERN.match(value):
                faults.append(
                    Fault(
                        source,
                        pos + row_offset,
                        "stance",
                        f"got {cell_repr(value)}; expected id:direction entries separated by ';' "
                        "with a direction of supports, contradicts, refines or neutral",
                    )
                )
    return faults


def _membership_faults(
    ties: pd.DataFrame, partners: pd.DataFrame, file: str, wave_dates: dict
) -> list[Fault]:
    """Ties in a wave dated outside the membership (joined, left) of a partner they name."""
    import numpy as np
    import pandas as pd

    faults: list[Fault] = []
    members = partners.dropna(subset=["partner_id"]).drop_duplicates("partner_id")
    joined = dict(zip(members["partner_id"], members["joined"], strict=True))
    left = dict(zip(members["partner_id"], members["left"], strict=True))
    dates = ties["wave"].map({w: pd.Timestamp(d) for w, d in wave_dates.items()})
    for column in ("source", "target"):
        start = pd.to_datetime(ties[column].map(joined))
        end = pd.to_datetime(ties[column].map(left))
        outside = dates.notna() & (
            (start.notna() & (dates < start)) | (end.notna() & (dates > end))
        )
        for pos in np.flatnonzero(outside.to_numpy()):
            partner = ties[column].iloc[pos]
            until = "now" if pd.isna(end.iloc[pos]) else f"{end.iloc[pos]:%Y-%m-%d}"
            faults.append(
                Fault(
                    file,
                    int(pos) + 2,
                    column,
                    f"partner {partner!r} is a member from {start.iloc[pos]:%Y-%m-%d} to "
                    f"{until} (partners.csv), but this tie is in wave {ties['wave'].iloc[pos]}, "
                    f"dated {dates.iloc[pos]:%Y-%m-%d}; expected a partner that is a member "
                    "on the wave's date",
                )
            )
    return sorted(faults, key=lambda f: (f.row, f.column))


def _cross_faults(
    network_id: str,
    tables: dict[str, pd.DataFrame],
    files: dict[str, Path],
    waves: set[int] | dict | None,
) -> list[Fault]:
    import numpy as np

    faults: list[Fault] = []
    for name, table in tables.items():
        wrong = table["network_id"].notna() & (table["network_id"] != network_id)
        for pos in np.flatnonzero(wrong.to_numpy()):
            faults.append(
                Fault(
                    str(files[name]),
                    int(pos) + 2,
                    "network_id",
                    f"got {table['network_id'].iloc[pos]!r}; expected {network_id!r}",
                )
            )
    if "partners" in tables:
        known = set(tables["partners"]["partner_id"])
        for name, column in PARTNER_REFERENCES:
            if name not in tables:
                continue
            values = tables[name][column]
            unknown = values.notna() & ~values.isin(known)
            for pos in np.flatnonzero(unknown.to_numpy()):
                faults.append(
                    Fault(
                        str(files[name]),
                        int(pos) + 2,
                        column,
                        f"partner {values.iloc[pos]!r} is not in partners.csv",
                    )
                )
    if "ties" in tables:
        ties = tables["ties"]
        selfies = ties["source"].notna() & (ties["source"] == ties["target"])
        for pos in np.flatnonzero(selfies.to_numpy()):
            faults.append(
                Fault(
                    str(files["ties"]),
                    int(pos) + 2,
                    "target",
                    f"self-tie: source and target are both {ties['source'].iloc[pos]!r}",
                )
            )
        if waves:
            unknown_wave = ties["wave"].notna() & ~ties["wave"].isin(sorted(waves))
            for pos in np.flatnonzero(unknown_wave.to_numpy()):
                faults.append(
                    Fault(
                        str(files["ties"]),
                        int(pos) + 2,
                        "wave",
                        f"wave {ties['wave'].iloc[pos]} is not a wave of the study (config: {sorted(waves)})",
                    )
                )
        if isinstance(waves, dict) and "partners" in tables:
            faults.extend(_membership_faults(ties, tables["partners"], str(files["ties"]), waves))
    return faults


def _network_files(network_id: str, data_dir: str | Path) -> dict[str, Path]:
    """The network's table files: every required one, and the optional ones that exist."""
    from .config import check_network_id

    check_network_id(network_id)
    folder = Path(data_dir) / network_id
    files = {name: folder / f"{name}.csv" for name in TABLE_NAMES}
    for name in OPTIONAL_TABLES:
        path = folder / f"{name}.csv"
        if path.exists() or path.is_symlink():
            files[name] = path
    return files


def empty_table(name: str) -> pd.DataFrame:
    """A table with the columns of schema ``name`` and no rows.

    Examples
    --------
    >>> list(empty_table("appreciation").columns)[:3]
    ['network_id', 'period', 'stakeholder_group']
    """
    import pandas as pd

    return pd.DataFrame(columns=SCHEMAS[name].column_names)


def load_table(config: NetworkConfig, name: str, data_dir: str | Path = "data") -> pd.DataFrame:
    """One table of a network, validated as :func:`load_network` validates it.

    The schema, the network id and the partners it names (against
    ``partners.csv``) are checked. An optional table (:data:`OPTIONAL_TABLES`)
    whose file does not exist is empty.

    Raises
    ------
    ValidationError
        Listing every fault of the table (and of ``partners.csv`` when it is
        needed for the references and cannot be read).

    Examples
    --------
    >>> from netwerkonderzoek import load_config
    >>> config = load_config("wijk-noord")
    >>> load_table(config, "events", "data").shape
    (13, 6)
    """
    if name not in SCHEMAS:
        raise KeyError(f"unknown table '{name}'; expected one of {', '.join(SCHEMAS)}")
    files = _network_files(config.network_id, data_dir)
    if name not in files:
        return empty_table(name)
    wanted = {name: files[name]}
    if name != "partners" and any(table == name for table, _ in PARTNER_REFERENCES):
        wanted["partners"] = files["partners"]
    tables, faults = _read_tables(wanted, Path(data_dir) / config.network_id)
    faults.extend(_cross_faults(config.network_id, tables, files, None))
    if faults:
        raise ValidationError(faults)
    return tables[name]


def validate_network(config: NetworkConfig, data_dir: str | Path = "data") -> list[Fault]:
    """Validate every canonical table of a network; return all faults.

    Checks each table against its schema, then the references between them:
    rows of another network, ties, contributions, observations and events
    naming a partner that is not in ``partners.csv``, self-ties, ties in a
    wave the study does not define, and ties in a wave dated outside the
    membership (``joined`` to ``left``) of a partner they name.
    :func:`netwerkonderzoek.checks.validate_study` adds the theory and the
    appreciation table.

    Examples
    --------
    >>> from netwerkonderzoek import load_config
    >>> validate_network(load_config("wijk-noord"), "data")
    []
    """
    return read_network_tables(config, data_dir)[1]


def read_network_tables(
    config: NetworkConfig, data_dir: str | Path
) -> tuple[dict[str, pd.DataFrame], list[Fault]]:
    """Every table of a network, validated once, and every fault found.

    Examples
    --------
    >>> from netwerkonderzoek import load_config
    >>> tables, faults = read_network_tables(load_config("wijk-noord"), "data")
    >>> faults
    []
    >>> sorted(tables)  # the optional appreciation table too: wijk-noord has one
    ['appreciation', 'contributions', 'events', 'indicators', 'observations', 'partners', 'ties', 'units']
    """
    files = _network_files(config.network_id, data_dir)
    tables, faults = _read_tables(files, Path(data_dir) / config.network_id)
    faults.extend(_cross_faults(config.network_id, tables, files, config.wave_dates))
    return tables, faults


def _read_tables(
    files: dict[str, Path], folder: Path
) -> tuple[dict[str, pd.DataFrame], list[Fault]]:
    """Each file read and validated against its schema (files outside ``folder`` refused)."""
    tables: dict[str, pd.DataFrame] = {}
    faults: list[Fault] = []
    folder = folder.resolve()
    for name, path in files.items():
        if path.exists() and not path.resolve().is_relative_to(folder):
            faults.append(
                Fault(
                    str(path),
                    None,
                    None,
                    f"the file leads outside the network's data folder (to {path.resolve()}); "
                    f"expected a file in {folder}",
                )
            )
            continue
        try:
            raw = _read_csv_text(path)
        except ValidationError as exc:
            faults.extend(exc.faults)
            continue
        table, table_faults = validate_frame(raw, SCHEMAS[name], source=str(path))
        faults.extend(table_faults)
        if table is not None:
            tables[name] = table
    return tables, faults


def load_network(config: NetworkConfig, data_dir: str | Path = "data") -> NetworkData:
    """Load all canonical tables of a network, validated.

    Each file is read and validated once: the tables are the ones
    :func:`validate_network` checks (as :func:`read_table` gives them).

    Raises
    ------
    ValidationError
        Listing every fault in every table of the network.

    Examples
    --------
    >>> from netwerkonderzoek import load_config
    >>> data = load_network(load_config("wijk-noord"), "data")
    >>> data.units.shape, str(data.units["wave"].dtype)
    ((2200, 23), 'Int64')
    """
    tables, faults = read_network_tables(config, data_dir)
    if faults:
        raise ValidationError(faults)
    files = _network_files(config.network_id, data_dir)
    return NetworkData(network_id=config.network_id, files=files, **tables)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula.

    It would when the text starts with one of :data:`FORMULA_PREFIXES` and is
    not a number (``-2.5`` and ``+3`` are numbers, ``-2+3`` is a formula).

    Examples
    --------
    >>> looks_like_formula("=HYPERLINK(1)"), looks_like_formula("-2+3"), looks_like_formula("-2.5")
    (True, True, False)
    """
    return text.startswith(FORMULA_PREFIXES) and _NUMBER.fullmatch(text) is None


def formula_cells(cells: pd.Series):
    """Mask of text cells a spreadsheet would read as a formula.

    A cell is formula-like when it is text starting with one of
    :data:`FORMULA_PREFIXES` and is not a number (:func:`looks_like_formula`).

    Examples
    --------
    >>> import pandas as pd
    >>> formula_cells(pd.Series(["=1+1", "-0,5", "@x", "tekst", None, 3.0])).tolist()
    [True, False, True, False, False, False]
    """
    import numpy as np
    import pandas as pd

    # Each distinct value once: text columns repeat a few values many times.
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    found = np.fromiter(
        (isinstance(v, str) and looks_like_formula(v) for v in np.asarray(uniques, dtype=object)),
        dtype=bool,
        count=len(uniques),
    )
    return np.append(found, False)[codes]


def neutralise_formulas(data: pd.DataFrame) -> pd.DataFrame:
    """``data`` with its formula-like text cells starting with ``'`` (a copy if any is).

    OWASP's advice against CSV injection: a spreadsheet shows ``'=1+1`` as
    the text ``=1+1`` instead of computing it. Numbers and other text are
    unchanged; applying it twice changes nothing more.

    Examples
    --------
    >>> import pandas as pd
    >>> neutralise_formulas(pd.DataFrame({"t": ["=HYPERLINK(1)", "ok"], "x": [-1, 2]})).to_dict("list")
    {'t': ["'=HYPERLINK(1)", 'ok'], 'x': [-1, 2]}
    """
    import pandas as pd

    out = data
    for name in data.columns:
        column = data[name]
        if column.dtype.kind in "biufcmM":
            continue
        # The distinct values first: in the common case none is formula-like.
        bad = [v for v in pd.unique(column) if isinstance(v, str) and looks_like_formula(v)]
        if not bad:
            continue
        if out is data:
            out = data.copy()
        mask = column.isin(bad).to_numpy()
        column = column.astype(object)
        column[mask] = ["'" + v for v in column[mask]]
        out[name] = column
    return out


def csv_quoting(data: pd.DataFrame) -> int:
    r"""The ``quoting`` of the csv module that keeps every text cell of ``data`` in its row.

    Python 3.11's csv module quotes a field that holds the line terminator
    (``\n``) but not a lone carriage return, which spreadsheets and pandas
    read as a line break: a table with one in a text cell has every text
    field quoted (``csv.QUOTE_NONNUMERIC``), others are quoted where needed
    (``csv.QUOTE_MINIMAL``).

    Examples
    --------
    >>> import csv, pandas as pd
    >>> csv_quoting(pd.DataFrame({"t": ["a\rb"]})) == csv.QUOTE_NONNUMERIC
    True
    """
    import pandas as pd

    for name in data.columns:
        column = data[name]
        if column.dtype.kind in "biufcmM":
            continue
        if any(isinstance(v, str) and "\r" in v for v in pd.unique(column)):
            return csv.QUOTE_NONNUMERIC
    return csv.QUOTE_MINIMAL


def csv_text(data: pd.DataFrame, *, float_format: str | None = None) -> str:
    r"""The CSV text of a table: pandas' ``to_csv``, safe for spreadsheets.

    No index, ``\n`` line endings, quoting from :func:`csv_quoting`, and text
    cells a spreadsheet would run as a formula written with a leading ``'``
    (:func:`neutralise_formulas`). ``float_format`` as in ``to_csv`` (None:
    the shortest text that reads back as the same float).

    Examples
    --------
    >>> import pandas as pd
    >>> print(csv_text(pd.DataFrame({"a": ["x", "=1+1"], "b": [1.5, None]})), end="")
    a,b
    x,1.5
    '=1+1,
    """
    buffer = io.StringIO()
    data = neutralise_formulas(data)
    data.to_csv(
        buffer,
        index=False,
        float_format=float_format,
        lineterminator="\n",
        quoting=csv_quoting(data),
    )
    return buffer.getvalue()


def write_table(
    data: pd.DataFrame, directory: str | Path, name: str, *, float_format: str = "%.6g"
) -> Path:
    """Write a result table as UTF-8 CSV with deterministic formatting.

    The same DataFrame always gives byte-identical files: :func:`csv_text`
    with floats formatted with ``float_format``.

    Returns
    -------
    Path
        The written file (``directory/name.csv``).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_table(pd.DataFrame({"x": [1 / 3, 2.0], "t": ["a", "=1+1"]}), folder, "demo")
    ...     print(path.name)
    ...     print(path.read_text(encoding="utf-8"), end="")
    demo.csv
    x,t
    0.333333,a
    2,'=1+1
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    text = csv_text(data, float_format=float_format)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:  # a full disk or a file-size limit: say which file
        raise OSError(exc.errno, f"could not write {path}: {exc.strerror}") from exc
    return path
