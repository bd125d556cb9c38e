"""Map and convert one raw source onto its canonical table, row by row status.

:func:`convert_source` reads one source described in the network
configuration, checks the description against the file (a mapped column the
file lacks, an unknown unit, an ambiguous period or a partner id that is not
in the partner list is a :class:`~.errors.HarmoniseError`), and gives every
row read exactly one status:

``accepted``
    converted to canonical values that pass the table's schema;
``total``
    a total row (a cell starting with ``Totaal``, ``Subtotaal``, ...);
``quarantined``
    a row that cannot be read or mapped, with the reason.

Before any of this, :func:`.personal.protect_source` refuses direct
identifiers, removes the ``drop`` columns and pseudonymises the person ids of
a units source. A units source maps ``wave``, ``area`` and any further
columns (attributes, exposures, outcomes; numbers) under ``columns``;
``unit_id`` comes from ``person_id``.

Exact duplicates and key conflicts between rows are found afterwards, across
all sources of a table, by :mod:`.pipeline`. Everything is vectorised: each raw
column is factorized once; text is converted once per distinct value and kept
as codes for the pipeline; plain numbers are read over their characters with numpy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import HarmonisationSettings, NetworkConfig, SourceSpec
from ..privacy import TEXT_IDENTIFIER_WORDS, mask_text_identifiers
from ..tables import (
    MAX_CELL_LENGTH,
    PARTNER_REFERENCES,
    SCHEMAS,
    Column,
    TableSchema,
    cell_repr,
    looks_like_formula,
)
from .ages import derive_ages, read_birth_dates
from .errors import HarmoniseError
from .parse import (
    DATE_FORMS,
    UNITS,
    DistinctNumbers,
    describe_unit,
    numbers_from_codes,
    parse_date,
    parse_dates,
    periods_from_codes,
    read_distinct_numbers,
    unit_factor,
)
from .partners import PartnerList
from .personal import protect_source
from .recode import expected_values, recode_number_column, recode_texts
from .sources import RawTable, read_file
from .unpivot import NAME_HEADER, unpivot_source

__all__ = [
    "QUARANTINE_COLUMNS",
    "RAW_TEXT_LIMIT",
    "ConvertedSource",
    "convert_source",
    "read_source",
    "safe_cell",
]

#: Columns of the quarantine table (one row per row not accepted).
QUARANTINE_COLUMNS = [
    "network_id",
    "table",
    "source",
    "source_file",
    "source_sheet",
    "source_row",
    "status",
    "kind",
    "reason",
    "raw",
]

#: Provenance columns kept with every accepted row.
PROVENANCE_COLUMNS = ["source_file", "source_sheet", "source_row", "source_hash"]


@dataclass
class ConvertedSource:
    """One source converted: accepted rows, rows not accepted, counts.

    Attributes
    ----------
    index : int
        Position of the source in the configuration (``sources.<index>``).
    spec : SourceSpec
    sha256 : str
        Hash of the raw file.
    sheet : str
        Sheet read (empty for CSV).
    rows_read : int
        Rows in the file below the header (blank rows not counted), including
        lines that could not be split into fields.
    accepted : DataFrame
        Canonical columns, ``months`` (1, or 3 for a quarter), provenance
        columns and ``source``; one row per accepted raw row.
    rejected : DataFrame
        :data:`QUARANTINE_COLUMNS`; one row per total or quarantined row.
    conversions : list of str
        Unit conversions applied, in words.
    dropped : dict of str to int
        Per column dropped (``drop``), the number of non-empty values dropped.
    masked : dict of str to int
        Per kind of direct identifier (:data:`netwerkonderzoek.privacy.TEXT_IDENTIFIER_MARKS`),
        how many were masked in free-text cells of accepted rows.
    """

    index: int
    spec: SourceSpec
    sha256: str
    sheet: str
    rows_read: int
    rejected: pd.DataFrame
    conversions: list[str] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    masked: dict[str, int] = field(default_factory=dict)
    #: The raw cells, kept compactly for the quarantine's raw text (:meth:`raw_text`).
    raw: RawCells | None = field(default=None, repr=False)
    #: Per text column of ``accepted`` (canonical and provenance): (codes of
    #: the accepted rows, distinct values); the column is ``values[codes]``.
    #: Lets the pipeline group, sort and gather rows without hashing or
    #: copying a million strings again.
    codes: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)
    #: The other columns of ``accepted`` (numbers, ``months``, ``source``, ``source_row``).
    arrays: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    column_order: list[str] = field(default_factory=list, repr=False)
    n_accepted: int = 0
    #: A wide source (``unpivot``): each record's value column, by record number
    #: (``source_record``); None for a long source, whose records are its rows.
    record_headers: np.ndarray | None = field(default=None, repr=False)

    def cell(self, record: int) -> str:
        """``, column 'feb 2024'`` for a record of a wide source, else ``""``."""
        if self.record_headers is None:
            return ""
        return f", column {self.record_headers[int(record)]!r}"

    @property
    def accepted(self) -> pd.DataFrame:
        """The accepted rows as a frame (built on first use from ``codes`` and ``arrays``)."""
        frame = self.__dict__.get("_accepted")
        if frame is None:
            frame = pd.DataFrame(
                {
                    c: pd.Series(
                        text_column(*self.codes[c]) if c in self.codes else self.arrays[c],
                        copy=False,
                    )
                    for c in self.column_order
                },
                copy=False,
            )
            self.__dict__["_accepted"] = frame
        return frame

    def raw_text(self, rows: np.ndarray) -> list[str]:
        """The raw cells of the given records (file rows of a long source), joined."""
        if self.raw is None or not len(rows):
            return [""] * len(rows)
        positions = np.searchsorted(self.raw.rows, rows)
        sep = self.spec.delimiter if self.spec.file_format == "csv" else ";"
        return self.raw.text(positions, sep)


@dataclass
class RawCells:
    """The cells of a source after conversion, compactly: codes into distinct values.

    A million rows of text cells are a million Python strings per column; as
    codes they are an integer array, and the strings are freed once the
    source is converted. ``text`` gives a row's cells as the quarantine shows
    them (:func:`_raw_text` of the frame they came from).
    """

    columns: list[tuple[np.ndarray, np.ndarray]]
    rows: np.ndarray

    def text(self, positions: np.ndarray, sep: str) -> list[str]:
        if not len(positions):
            return []
        cells = [
            np.array([_cell_text(v) for v in uniques] + [""], dtype=object)[codes[positions]]
            for codes, uniques in self.columns
        ]
        return [safe_cell(sep.join(row)) for row in zip(*cells, strict=True)]


def read_source(spec: SourceSpec, raw_dir: Path, key: str, config_path: object) -> RawTable:
    """Read the raw file of ``spec`` (CSV or XLSX) from ``raw_dir``.

    The file must lie in ``raw_dir`` once resolved: a symlink or a ``..`` that
    leads out of the network's raw folder is refused, never followed.
    """
    path = raw_dir / spec.file
    if path.exists() and not path.resolve().is_relative_to(Path(raw_dir).resolve()):
        raise HarmoniseError(
            f"the raw file leads outside the network's raw folder (to {path.resolve()}); "
            f"expected a file in {Path(raw_dir).resolve()}",
            path=config_path,
            key=f"{key}.file",
            source=path,
        )
    return read_file(spec, path, key, config_path)


def _filled(n: int, value: object) -> np.ndarray:
    """An object array of ``n`` times ``value`` (``numpy.full`` is slow for objects)."""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def text_column(codes: np.ndarray, values: np.ndarray):
    """``values[codes]`` (codes >= 0) with the dtype pandas infers for it.

    The dtype is inferred from the distinct values used (``str`` for text,
    ``object`` when all missing), and the column is gathered from them, so a
    million rows cost an integer take rather than a scan of a million objects.
    """
    used = np.bincount(codes, minlength=len(values)) > 0 if len(codes) else np.zeros(0, bool)
    if not len(codes):
        return values[codes]
    small = values[used]
    dtype = pd.Series(small).dtype
    if isinstance(dtype, np.dtype):  # object: nothing to type
        return values[codes]
    remap = np.cumsum(used) - 1
    return pd.array(small, dtype=dtype).take(remap[codes])


class _Reasons:
    """Collects, per row, the kind and text of every fault found (vectorised)."""

    def __init__(self, n: int):
        self.kind = _filled(n, None)
        self.text = _filled(n, None)
        self._bad = np.zeros(n, dtype=bool)

    def add(self, mask: np.ndarray, kind: str, texts) -> None:
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        texts = (
            _filled(len(idx), texts) if isinstance(texts, str) else np.asarray(texts, dtype=object)
        )
        first = ~self._bad[idx]
        self._bad[idx] = True
        self.kind[idx[first]] = kind
        self.text[idx[first]] = texts[first]
        later = idx[~first]
        self.text[later] = self.text[later] + "; " + texts[~first]

    @property
    def bad(self) -> np.ndarray:
        return self._bad.copy()


def _where(raw_name: str, column: str) -> str:
    return f"column '{raw_name}' ({column})" if raw_name != column else f"column '{column}'"


def _describe(values: np.ndarray) -> list[str]:
    return [cell_repr(v.isoformat() if hasattr(v, "isoformat") else v) for v in values]


#: Control characters no canonical text cell may hold: C0 (but tab, line feed and
#: carriage return, which a quoted CSV field holds safely) and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Characters of a raw line kept in the quarantine; the rest is cut, with a marker.
RAW_TEXT_LIMIT = 500
#: What a cell needs for a closer look: a control character, or a formula's first character.
_SUSPECT = re.compile(r"^[=+\-@\t\r]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_cell(text: str, limit: int | None = RAW_TEXT_LIMIT) -> str:
    r"""Quarantine text made safe to open in a spreadsheet.

    Control characters are written as ``\xNN``; text longer than ``limit``
    is cut, with a marker saying how many characters were cut; text a
    spreadsheet would run as a formula gets a leading ``'`` (as OWASP
    recommends), which makes a spreadsheet show it as text.

    Examples
    --------
    >>> print(safe_cell("=1+1;over\x00leg"))
    '=1+1;over\x00leg
    >>> print(safe_cell("a" * 30, limit=10))
    aaaaaaaaaa[... 20 characters cut]
    """
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if limit is not None and len(text) > limit:
        text = f"{text[:limit]}[... {len(text) - limit:,} characters cut]"
    if looks_like_formula(text):
        text = "'" + text
    return text


def _text_cells(codes: np.ndarray, uniques) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes, stripped text of each distinct value (and "" for missing), blank mask."""
    text = np.array(
        [v.isoformat() if hasattr(v, "isoformat") else str(v).strip() for v in uniques] + [""],
        dtype=object,
    )
    text = np.array([_plain_number(v) for v in text], dtype=object)
    return codes, text, text == ""


def _plain_number(text: str) -> str:
    # An XLSX number cell in a text column (an activity code 12 read as 12.0).
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


class _Columns:
    """The raw columns of a source, each factorized once (codes -1 for missing).

    ``numbers(name)`` reads a column's distinct values as numbers once, with
    the separators of ``number_columns[name]``; :attr:`short_numbers` gives
    the identifier check the distinct values it need not look at again.
    """

    def __init__(self, frame: pd.DataFrame, number_columns: dict | None = None):
        self.frame = frame
        #: Raw header -> (decimal, thousands, text_only) of the columns read as numbers.
        self.number_columns = number_columns or {}
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._numbers: dict[str, DistinctNumbers] = {}

    def __getitem__(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self._cache:
            codes, uniques = pd.factorize(self.frame[name].to_numpy(), use_na_sentinel=True)
            self._cache[name] = (codes, np.asarray(uniques, dtype=object))
        return self._cache[name]

    @property
    def short_numbers(self) -> dict[str, np.ndarray]:
        """Per column read as numbers, its distinct values that are numbers of at most 7 digits."""
        return {name: self.numbers(name).short for name in self.number_columns}

    def numbers(self, name: str) -> DistinctNumbers:
        if name not in self._numbers:
            decimal, thousands, text_only = self.number_columns[name]
            self._numbers[name] = read_distinct_numbers(
                self[name][1], decimal, thousands, text_only
            )
        return self._numbers[name]


def _total_mask(
    frame: pd.DataFrame, columns: list[str], labels: list[str], factorized=None
) -> np.ndarray:
    mask = np.zeros(len(frame), dtype=bool)
    if not labels or not len(frame):
        return mask
    pattern = re.compile(
        r"^\s*(?:" + "|".join(re.escape(x.lower()) for x in labels) + r")\b", re.IGNORECASE
    )
    factorized = factorized if factorized is not None else _Columns(frame)
    for name in columns:
        codes, uniques = factorized[name]
        hits = np.array(
            [isinstance(v, str) and pattern.match(v) is not None for v in uniques] + [False]
        )
        mask |= hits[codes]
    return mask


def _raw_text(frame: pd.DataFrame, positions: np.ndarray, sep: str) -> list[str]:
    if not len(positions):
        return []
    part = frame.iloc[positions]
    return [
        safe_cell(sep.join(_cell_text(v) for v in row))
        for row in part.itertuples(index=False, name=None)
    ]


def _cell_text(value: object) -> str:
    """A raw cell as the quarantine shows it ("" for missing, dates in ISO)."""
    if _missing(value):
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _spec_column(schema: TableSchema, column: str) -> Column:
    """The column a source's key names: canonical, an observation extra, else a number."""
    if column in schema.column_names:
        return schema.column(column)
    if schema.name == "observations":
        return OBSERVATION_EXTRAS.get(column, Column(column, "float"))
    return Column(column, "float")


def _check_spec(
    spec: SourceSpec,
    schema: TableSchema,
    raw: RawTable,
    partners: set[str],
    key: str,
    config_path: object,
    source: Path,
    config_indicators: list[str],
) -> None:
    def fail(message: str, subkey: str) -> None:
        raise HarmoniseError(message, path=config_path, key=f"{key}.{subkey}", source=source)

    names = schema.column_names
    for group in ("columns", "constants", "values", "units"):
        for column in getattr(spec, group):
            if column not in names and not (
                (schema.name in EXTRA_TABLES and group != "units" and _extra_name(column))
                or (schema.name == "observations" and column in OBSERVATION_EXTRAS)
            ):
                extra = (
                    "; further columns need a name of lowercase letters, digits and underscores"
                    if schema.name in EXTRA_TABLES
                    else "; optional columns: " + ", ".join(OBSERVATION_EXTRAS)
                    if schema.name == "observations"
                    else ""
                )
                fail(
                    f"{column!r} is not a column of table {schema.name}; its columns are "
                    + ", ".join(names)
                    + extra,
                    f"{group}.{column}",
                )
    for column, recoding in spec.values.items():
        col = _spec_column(schema, column)
        numeric = col.kind in ("int", "float", "bool")
        if isinstance(recoding, str) and not numeric:
            fail(
                f"{recoding} recodes to numbers, but {column} is a {col.kind} column; "
                "give a map of raw text to canonical text",
                f"values.{column}",
            )
        if isinstance(recoding, dict) and numeric:
            for label, target in recoding.items():
                try:
                    ok = target == "" or np.isfinite(float(target))
                except ValueError:
                    ok = False
                if not ok:
                    fail(
                        f"{column} is a number column: expected a number (or '' for missing) "
                        f"for {label!r}, got {target!r}",
                        f"values.{column}.{label}",
                    )
    if spec.age is not None and spec.age.to in names:
        fail(
            f"{spec.age.to!r} is a column of table {schema.name}; name the age column otherwise",
            "age.to",
        )
    for group in ("columns", "constants"):
        if "network_id" in getattr(spec, group):
            fail(
                "network_id is filled from the configuration; do not map it", f"{group}.network_id"
            )
    headers = list(raw.frame.columns)
    for column, header in spec.columns.items():
        if header not in headers:
            fail(
                f"column {header!r} is not in the file; its columns are "
                + ", ".join(repr(h) for h in headers),
                f"columns.{column}",
            )
    if spec.partner_id is not None:
        if "partner_id" not in names:
            fail(f"table {schema.name} has no partner_id column", "partner_id")
        if "partner_id" in spec.columns or "partner_id" in spec.constants:
            fail("partner_id is both fixed and mapped; choose one", "partner_id")
        if spec.partner_id not in partners:
            fail(f"partner id {spec.partner_id!r} is not in partners.csv", "partner_id")
    for name, partner in spec.partner_names.items():
        if partner not in partners:
            fail(
                f"partner id {partner!r} (for {name!r}) is not in partners.csv",
                f"partner_names.{name}",
            )
    for column, unit in spec.units.items():
        known = UNITS.get(column)
        if known is None:
            fail(
                f"column {column} has no unit conversions (only {', '.join(UNITS)})",
                f"units.{column}",
            )
        if unit not in known:
            fail(
                f"unknown unit {unit!r} for {column}; expected one of {', '.join(known)}",
                f"units.{column}",
            )
    for column, value in spec.constants.items():
        col = _spec_column(schema, column)
        text = str(value).strip()
        if col.kind in ("int", "float", "bool"):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif col.kind == "category":
            ok = text in col.choices
        elif col.kind == "date":
            ok = parse_date(text) is not None
        elif col.pattern:
            ok = re.match(col.pattern, text) is not None
        else:
            ok = bool(text)
        if column == "indicator_id" and ok and config_indicators:
            ok = text in config_indicators
        if not ok:
            fail(f"got {value!r}; expected {col.expected()}", f"constants.{column}")
    provided = {"network_id", *spec.columns, *spec.constants}
    if spec.partner_id is not None:
        provided.add("partner_id")
    for col in schema.columns:
        if col.name not in provided and not col.nullable:
            fail(
                f"no mapping for canonical column {col.name!r} of table {schema.name}: "
                "name its raw column under columns, or a fixed value under constants",
                "columns",
            )


#: Names the pipeline uses next to the canonical columns: not allowed as extra columns.
RESERVED = frozenset(["months", "source", "split", "_order", *PROVENANCE_COLUMNS])
#: Tables whose sources may map further (numeric) columns: the units' attributes.
EXTRA_TABLES = frozenset(["units"])
#: The optional columns an observations source may map, as they are read: the
#: direction per configuration (as coded interviews give it) and the most
#: significant change story's domain and selection (0/1).
OBSERVATION_EXTRAS = {
    "stance": Column("stance", "str", nullable=True),
    "msc_domain": Column("msc_domain", "str", nullable=True),
    "msc_selected": Column("msc_selected", "int", nullable=True, min=0, max=1),
}
#: The optional columns of text (the rest are numbers).
TEXT_EXTRAS = frozenset(n for n, c in OBSERVATION_EXTRAS.items() if c.kind == "str")


def _extra_name(name: str) -> bool:
    """Whether ``name`` may be an extra column of a table that allows them."""
    return re.fullmatch(r"[a-z][a-z0-9_]*", name) is not None and name not in RESERVED


def extra_columns(schema: TableSchema, spec: SourceSpec) -> list[str]:
    """The extra (numeric) columns a source maps onto a table that allows them."""
    if spec.coded_segments is not None:  # coded interviews: the direction per configuration
        return ["stance"]
    if schema.name == "observations":
        return [c for c in OBSERVATION_EXTRAS if c in spec.columns or c in spec.constants]
    if schema.name not in EXTRA_TABLES:
        return []
    names = schema.column_names
    derived = [spec.age.to] if spec.age is not None else []
    return [c for c in dict.fromkeys([*spec.columns, *spec.constants, *derived]) if c not in names]


def convert_source(
    config: NetworkConfig,
    index: int,
    raw_dir: str | Path,
    partners: set[str],
    *,
    pseudonym_key: bytes | None = None,
) -> ConvertedSource:
    """Read and convert source ``index`` of ``config``.

    Parameters
    ----------
    config : NetworkConfig
        The network configuration; ``config.sources[index]`` is converted with
        ``config.harmonisation``.
    index : int
        Position of the source.
    raw_dir : path
        Folder of the raw files (``data/raw/<network_id>``).
    partners : set of str
        Partner ids of the network (``partners.csv``).
    pseudonym_key : bytes, optional
        Pseudonymisation key; needed for a source with ``person_id`` (units).

    Returns
    -------
    ConvertedSource

    Raises
    ------
    HarmoniseError
        If the source description does not fit the file: see :func:`_check_spec`.
    PrivacyError
        If a column not listed under ``drop`` holds direct identifiers
        (:func:`.personal.protect_source`).
    """
    spec = config.sources[index]
    settings: HarmonisationSettings = config.harmonisation
    key = config.source_key(index)
    config_path = config.path
    source_path = Path(raw_dir) / spec.file
    schema = SCHEMAS[spec.table]
    raw = read_source(spec, Path(raw_dir), key, config_path)
    # A birth date is read before protect_source drops its column (spec.age).
    birth = read_birth_dates(spec, raw)
    # Each raw column is factorized once, and a number column read once: shared with the checks.
    columns = _Columns(raw.frame, _number_columns(spec, schema, raw))
    dropped = protect_source(
        spec,
        raw,
        pseudonym_key,
        key=key,
        config_path=config_path,
        source=source_path,
        factorized=columns,
    )
    columns.frame = raw.frame  # dropped and pseudonymised columns are not cached
    wide = None
    if spec.unpivot is not None:  # a wide table: one record per row and value column
        wide = unpivot_source(
            spec, raw, config, key=key, config_path=config_path, source=source_path
        )
        spec, raw = wide.spec, wide.raw
        columns = _Columns(raw.frame, _number_columns(spec, schema, raw))
    if spec.person_id is not None:  # the pseudonymised person ids are the unit ids
        spec = spec.model_copy(update={"columns": {**spec.columns, "unit_id": spec.person_id}})
    _check_spec(
        spec,
        schema,
        raw,
        partners,
        key,
        config_path,
        source_path,
        [s.id for s in config.indicators],
    )
    extras = extra_columns(schema, spec)
    if extras:  # context attributes, exposures and outcomes of units: numbers
        schema = TableSchema(
            schema.name,
            (
                *schema.columns,
                *(OBSERVATION_EXTRAS.get(c) or Column(c, "float", nullable=True) for c in extras),
            ),
            schema.key,
            schema.allow_extra,
        )
    frame = raw.frame
    n = len(frame)
    reasons = _Reasons(n)
    masked: dict[str, int] = {}  # identifiers masked in free text, per kind
    out: dict[str, object] = {}
    # Per column: (codes, values) with out[name] == values[codes], for the key columns.
    coded: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    months = np.ones(n, dtype=np.int64)
    references = {c for t, c in PARTNER_REFERENCES if t == schema.name}
    provisional_note = None
    markers = spec.markers

    # Periods first: their length drives FTE conversion and quarter handling.
    for col in schema.columns:
        if col.kind != "period" or col.name not in spec.columns:
            continue
        header = spec.columns[col.name]
        parsed = periods_from_codes(*columns[header], spec.period_format)
        if parsed.ambiguous:
            value, readings = parsed.ambiguous[0]
            options = " or ".join(f"{p} ({f})" for f, p in readings.items())
            raise HarmoniseError(
                f"period {value!r} in {_column_words(header)} is ambiguous: it reads as {options}; "
                f"set period_format to one of {', '.join(readings)}",
                path=config_path,
                key=f"{key}.period_format",
                source=source_path,
            )
        quarters = parsed.months > 1
        if quarters.any() and spec.quarter is None:
            at = np.flatnonzero(quarters)[0]
            first = frame[header].to_numpy()[at]
            what, months_of = (
                ("a quarter", "three") if parsed.months[at] == 3 else ("a year", "twelve")
            )
            raise HarmoniseError(
                f"period {first!r} in {_column_words(header)} is {what} but table {schema.name} "
                f"has monthly periods; set quarter to 'first' (book the {what[2:]} on its first "
                f"month) or 'split' (divide it evenly over its {months_of} months)",
                path=config_path,
                key=f"{key}.quarter",
                source=source_path,
            )
        fmt = "a period" if spec.period_format == "auto" else f"a period ({spec.period_format})"
        bad_idx = np.flatnonzero(parsed.bad)
        reasons.add(
            parsed.bad,
            "not a period",
            [
                f"{_where(header, col.name)}: got {v}; expected {fmt}"
                for v in _describe(frame[header].to_numpy()[bad_idx])
            ],
        )
        out[col.name] = parsed.period
        if parsed.provisional is not None and parsed.provisional.any():
            starred = int(parsed.provisional.sum())
            provisional_note = (
                f"{_column_words(header)} ({col.name}): {starred} row{'s' if starred != 1 else ''} with "
                "a provisional period (*), read without the mark"
            )
        pcodes = parsed.codes
        coded[col.name] = (
            np.where(pcodes < 0, len(parsed.period_values) - 1, pcodes),
            parsed.period_values,
        )
        months = np.where(parsed.months > 0, parsed.months, 1)

    conversions = [describe_unit(c, u, settings) for c, u in spec.units.items()]
    conversions += wide.notes if wide is not None else []
    conversions += [provisional_note] if provisional_note else []
    listed = references | ({"indicator_id"} if config.indicators else set())
    for col in schema.columns:
        name = col.name
        if name == "network_id":
            out[name] = _filled(n, config.network_id)
            coded[name] = (np.zeros(n, dtype=np.intp), np.array([config.network_id], dtype=object))
            continue
        if col.kind == "period" and name in out:
            continue
        if name not in spec.columns:
            if name in spec.constants:
                constant = spec.constants[name]
                if col.kind in ("int", "float", "bool"):
                    out[name] = np.full(n, float(constant))
                elif col.kind == "date":  # checked by _check_spec: a date
                    out[name] = _filled(n, parse_date(str(constant).strip()))
                else:
                    out[name] = _filled(n, str(constant))
            elif name == "partner_id" and spec.partner_id is not None:
                out[name] = _filled(n, spec.partner_id)
            else:  # a nullable column nobody reports
                nan = np.nan if col.kind in ("int", "float", "bool") else None
                out[name] = _filled(n, None) if nan is None else np.full(n, nan)
            if out[name].dtype == object:
                value = out[name][0] if n else None
                coded[name] = (np.zeros(n, dtype=np.intp), np.array([value], dtype=object))
            continue
        header = spec.columns[name]
        cells = frame[header]
        where = _where(header, name)
        if col.kind in ("int", "float", "bool"):
            values, bad = numbers_from_codes(
                *columns[header],
                spec.decimal,
                spec.thousands,
                raw.text_only,
                columns.numbers(header) if header in columns.number_columns else None,
            )
            recoding = spec.values.get(name)
            if recoding is not None or markers:
                codes_h, uniques_h = columns[header]
                values, bad, note = recode_number_column(
                    codes_h,
                    uniques_h,
                    columns.numbers(header)
                    if header in columns.number_columns
                    else read_distinct_numbers(
                        uniques_h, spec.decimal, spec.thousands, raw.text_only
                    ),
                    recoding,
                    markers,
                    where=where,
                    name=name,
                    nullable=col.nullable,
                    quarantine=_distinct_quarantine(reasons, codes_h, len(uniques_h)),
                )
                conversions += [note] if note else []
            reasons.add(
                bad,
                "not a number",
                [
                    f"{where}: got {v}; expected a number"
                    + (f" with decimal {spec.decimal!r}" if raw.text_only else "")
                    for v in _describe(cells.to_numpy()[np.flatnonzero(bad)])
                ],
            )
            if name in spec.units:
                values = values * unit_factor(name, spec.units[name], months, settings)
            if name in settings.decimals:
                values = np.round(values, settings.decimals[name])
            values = values + 0.0  # no negative zero
            if col.kind in ("int", "bool"):
                fractional = ~bad & ~np.isnan(values) & (values != np.round(values))
                reasons.add(
                    fractional,
                    "not a whole number",
                    [
                        f"{where}: got {v}; expected {col.expected()}"
                        for v in _describe(cells.to_numpy()[np.flatnonzero(fractional)])
                    ],
                )
            out[name] = values
            continue
        codes, text, blank = _text_cells(*columns[header])
        mapping = dict(spec.values.get(name, {}))
        if name in references:
            mapping = {**spec.partner_names, **mapping}
        if mapping:
            # A plain text column (no choices, no pattern, no id list) takes only the
            # map's values: an activity code outside the map is not kept as it is.
            strict = name in spec.values and col.kind == "str" and not col.pattern
            text, outside = recode_texts(text, mapping, strict)
            if outside.any():
                expected = expected_values(spec.values[name])
                _quarantine_distinct(
                    reasons,
                    outside,
                    codes,
                    "not in map",
                    lambda c, w=where, t=text, e=expected, k=name: (
                        f"{w}: got {cell_repr(t[c])}; expected {e} (values.{k})"
                    ),
                )
        if name in references and isinstance(partners, PartnerList):
            # the partner list's names and aliases, forgiving case, accents, spacing
            text = np.array(
                [
                    t if b or t in partners else (partners.match(t) or t)
                    for t, b in zip(text, blank, strict=True)
                ],
                dtype=object,
            )
        _unsafe_text(text, codes, where, reasons)
        if col.free_text:
            text = _protect_free_text(
                text, codes, where, reasons, config.privacy.free_text, masked
            )
        if col.kind == "date":
            # explicit forms only: pandas' dayfirst parsing swaps day and month of
            # ISO text (an Excel date cell's isoformat) when the day is 12 or less
            iso = parse_dates(text)
            bad_u = ~blank & pd.isna(iso)
            reasons.add(
                bad_u[codes],
                "not a date",
                [
                    f"{where}: got {v}; expected a date ({', '.join(DATE_FORMS)})"
                    for v in _describe(cells.to_numpy()[np.flatnonzero(bad_u[codes])])
                ],
            )
            text = np.where(bad_u, "", np.where(pd.isna(iso), "", iso))
            blank = blank | bad_u
        coded[name] = (
            np.where(codes < 0, len(text) - 1, codes),
            np.where(blank, None, text).astype(object),
        )
        values = coded[name][1][codes]
        out[name] = values
        # Checks run once per distinct value, then spread to the rows.
        if not col.nullable:
            missing = blank[codes]
            formula = raw.unsaved_formulas(header) if missing.any() else None
            if formula is not None:
                reasons.add(missing & formula, "unsaved formula", _unsaved(where))
                missing = missing & ~formula
            reasons.add(
                missing, "missing value", f"{where}: value is missing; expected {col.expected()}"
            )
        wrong_u = np.zeros(len(text), dtype=bool)
        if col.kind == "category":
            wrong_u = ~blank & ~np.isin(text, list(col.choices))
        elif col.pattern and name not in listed:
            wrong_u = ~blank & np.array([re.match(col.pattern, t) is None for t in text])
        wrong = wrong_u[codes]
        # A category mapped by values: the labels the map knows are what was expected too.
        labels = spec.values.get(name) if col.kind == "category" else None
        also = (
            f" (or a label under values.{name}: " + ", ".join(repr(k) for k in labels) + ")"
            if isinstance(labels, dict) and labels
            else ""
        )
        reasons.add(
            wrong,
            "not allowed",
            [
                f"{where}: got {cell_repr(v)}; expected {col.expected()}{also}"
                for v in values[np.flatnonzero(wrong)]
            ],
        )
        if name in references:
            unknown_u = ~blank & ~np.isin(text, list(partners))
            unknown = unknown_u[codes]
            reasons.add(
                unknown,
                "unknown partner",
                [
                    f"{where}: unknown partner {v}: not a partner id in partners.csv "
                    f"nor a name under {key}.partner_names" + _closest(partners, t)
                    for v, t in zip(
                        _describe(cells.to_numpy()[np.flatnonzero(unknown)]),
                        values[np.flatnonzero(unknown)],
                        strict=True,
                    )
                ],
            )
        if name == "indicator_id" and config.indicators:
            known = [s.id for s in config.indicators]
            unknown = (~blank & ~np.isin(text, known))[codes]
            reasons.add(
                unknown,
                "unknown indicator",
                [
                    f"{where}: unknown indicator {v}: not an indicator id of the "
                    f"configuration nor a label under {key}.values.indicator_id"
                    for v in _describe(cells.to_numpy()[np.flatnonzero(unknown)])
                ],
            )
    if spec.age is not None:
        out[spec.age.to] = derive_ages(spec, config, birth, out, reasons)
    _numeric_checks(schema, spec, out, reasons, n, raw)

    total_cols = [frame.columns[0]] if len(frame.columns) else []
    total_cols += [
        spec.columns[c.name]
        for c in schema.columns
        if c.name in spec.columns and c.kind in ("str", "category", "period")
    ]
    totals = _total_mask(frame, list(dict.fromkeys(total_cols)), spec.total_labels, columns)
    bad = reasons.bad & ~totals
    accepted_mask = ~bad & ~totals

    sheet = raw.sheet
    everything = bool(accepted_mask.all())
    kept = np.flatnonzero(accepted_mask)
    m = len(kept)

    def pick(values: np.ndarray) -> np.ndarray:
        return values if everything else values[kept]

    for name, value in (
        ("source_file", spec.file),
        ("source_sheet", sheet),
        ("source_hash", raw.sha256),
    ):
        coded[name] = (np.zeros(n, dtype=np.intp), np.array([value], dtype=object))
    kept_codes = {name: (pick(c), v) for name, (c, v) in coded.items()}
    arrays = {c.name: pick(np.asarray(out[c.name])) for c in schema.columns if c.name not in coded}
    arrays["months"] = pick(months)
    arrays["source"] = np.full(m, index, dtype=np.int64)
    arrays["source_row"] = pick(raw.rows)
    # A record: a row, or a row's cell of a wide source (which gives several records).
    records = np.arange(n, dtype=np.int64) if wide is not None else raw.rows
    arrays["source_record"] = pick(records)
    order = [*schema.column_names, "months", "source", *PROVENANCE_COLUMNS, "source_record"]

    sep = spec.delimiter if spec.file_format == "csv" else ";"
    total_idx = np.flatnonzero(totals)
    bad_idx = np.flatnonzero(bad)
    label_col = total_cols
    total_reasons = []
    for pos in total_idx:
        hit = next(
            (
                h
                for h in label_col
                if isinstance(frame[h].iat[pos], str)
                and _total_mask(frame.iloc[[pos]], [h], spec.total_labels)[0]
            ),
            label_col[0] if label_col else "",
        )
        total_reasons.append(f"total row ({cell_repr(frame[hit].iat[pos])} in column {hit!r})")
    source_rows = np.concatenate(
        [raw.rows[total_idx], raw.rows[bad_idx], [b[0] for b in raw.broken]]
    ).astype(np.int64)
    found = len(source_rows)
    rejected = pd.DataFrame(
        {
            "network_id": _filled(found, config.network_id),
            "table": _filled(found, spec.table),
            "source": np.full(found, index, dtype=np.int64),
            "source_file": _filled(found, spec.file),
            "source_sheet": _filled(found, sheet),
            "source_row": source_rows,
            "status": ["total"] * len(total_idx)
            + ["quarantined"] * (len(bad_idx) + len(raw.broken)),
            "kind": ["total row"] * len(total_idx)
            + list(reasons.kind[bad_idx])
            + ["unreadable line"] * len(raw.broken),
            # No direct identifier from a free text reaches quarantine.csv: the
            # raw line and the reason (which may quote a cell) are masked.
            "reason": _masked(
                _cells_named(wide, total_reasons, total_idx)
                + _cells_named(wide, list(reasons.text[bad_idx]), bad_idx)
                + [f"line cannot be split into the header's fields: {b[2]}" for b in raw.broken]
            ),
            "raw": _masked(
                _raw_text(frame, total_idx, sep)
                + _raw_text(frame, bad_idx, sep)
                + [safe_cell(b[1]) for b in raw.broken]
            ),
        },
        columns=QUARANTINE_COLUMNS,
    )
    if found > 1 and (np.diff(source_rows) < 0).any():
        rejected = rejected.sort_values("source_row", kind="stable")
    return ConvertedSource(
        index=index,
        spec=spec,
        sha256=raw.sha256,
        sheet=sheet,
        rows_read=n + len(raw.broken),
        rejected=rejected.reset_index(drop=True),
        conversions=conversions,
        dropped=dropped,
        masked=masked,
        raw=RawCells([columns[h] for h in frame.columns], records),
        codes=kept_codes,
        arrays=arrays,
        column_order=order,
        n_accepted=m,
        record_headers=None if wide is None else wide.headers,
    )


def _column_words(header: str) -> str:
    """``column 'Maand'``, or the headers of a wide table's value columns (``unpivot``)."""
    return (
        "the column headers of the wide table" if header == NAME_HEADER else f"column {header!r}"
    )


def _cells_named(wide, texts: list[str], positions: np.ndarray) -> list[str]:
    """Reasons of a wide source's records with each record's own column named."""
    return texts if wide is None or not len(texts) else wide.name_cells(texts, positions)


def _number_columns(spec: SourceSpec, schema: TableSchema, raw: RawTable) -> dict:
    """Raw header -> separators of the columns a source reads as numbers."""
    numeric = {
        col.name
        for col in schema.columns
        if col.kind in ("int", "float", "bool") and col.name in spec.columns
    }
    numeric |= (set(extra_columns(schema, spec)) - TEXT_EXTRAS) & set(spec.columns)
    headers = set(raw.frame.columns)
    return {
        spec.columns[name]: (spec.decimal, spec.thousands, raw.text_only)
        for name in numeric
        if spec.columns[name] in headers and spec.columns[name] not in (*spec.drop, spec.person_id)
    }


def _distinct_quarantine(reasons: _Reasons, codes: np.ndarray, n_distinct: int):
    """``quarantine(flagged, kind, message)`` over distinct values, for :mod:`.recode`."""
    slots = np.where(codes < 0, n_distinct, codes)

    def quarantine(flagged: np.ndarray, kind: str, message) -> None:
        _quarantine_distinct(reasons, np.append(flagged, False), slots, kind, message)

    return quarantine


def _closest(partners, name: object) -> str:
    """`` (closest: 'Name', id)`` from a :class:`.partners.PartnerList`, else nothing."""
    near = partners.closest(name) if isinstance(partners, PartnerList) else None
    return f" (closest: {near!r}, {partners.spellings[near]})" if near else ""


def _masked(texts: list[str]) -> list[str]:
    """Each text with its direct identifiers masked (:func:`mask_text_identifiers`)."""
    return [mask_text_identifiers(t)[0] if t else t for t in texts]


def _protect_free_text(
    text: np.ndarray,
    codes: np.ndarray,
    where: str,
    reasons: _Reasons,
    mode: str,
    masked: dict[str, int],
) -> np.ndarray:
    """Mask the direct identifiers in distinct free texts, or quarantine their rows.

    ``mode`` is the config's ``privacy.free_text``. Masks are counted per kind
    and row in ``masked``; a quarantined row's reason names the kinds only.
    """
    found = [mask_text_identifiers(t) if t else (t, {}) for t in text]
    hits = np.array([bool(counts) for _, counts in found], dtype=bool)
    if not hits.any():
        return text
    rows_per_value = np.bincount(codes[codes >= 0], minlength=len(text))
    if mode == "quarantine":
        _quarantine_distinct(
            reasons,
            hits,
            codes,
            "personal data in text",
            lambda c: (
                f"{where}: the text holds "
                + ", ".join(TEXT_IDENTIFIER_WORDS[k] for k in found[c][1])
                + " (personal data); privacy.free_text is 'quarantine'"
            ),
        )
        return text
    for (_, counts), rows in zip(found, rows_per_value, strict=True):
        for kind, number in counts.items():
            masked[kind] = masked.get(kind, 0) + number * int(rows)
    return np.array([t for t, _ in found], dtype=object)


def _unsaved(where: str) -> str:
    return (
        f"{where}: the cell holds a formula without a saved value; open and save the file "
        "in Excel (which saves the values), or export the values"
    )


def _quarantine_distinct(reasons: _Reasons, flagged, codes, kind: str, message) -> None:
    """Quarantine the rows whose distinct value (``codes`` into it) is ``flagged``.

    ``message(c)`` is the reason for distinct value ``c``; built only for the
    rows that are flagged.
    """
    if flagged.any():
        rows = flagged[codes]
        reasons.add(rows, kind, [message(c) for c in codes[np.flatnonzero(rows)]])


def _unsafe_text(text: np.ndarray, codes: np.ndarray, where: str, reasons: _Reasons) -> None:
    """Quarantine text cells a canonical table must not hold (checked per distinct value).

    Longer than :data:`netwerkonderzoek.tables.MAX_CELL_LENGTH` (the validator
    refuses them), holding a control character, or looking like a spreadsheet
    formula (:func:`looks_like_formula`).
    """
    lengths = np.fromiter(map(len, text), dtype=np.int64, count=len(text))
    _quarantine_distinct(
        reasons,
        lengths > MAX_CELL_LENGTH,
        codes,
        "too long",
        lambda c: (
            f"{where}: cell holds {lengths[c]:,} characters; at most "
            f"{MAX_CELL_LENGTH:,} are accepted"
        ),
    )
    suspect = [i for i, t in enumerate(text) if _SUSPECT.search(t) is not None]
    control_u = np.zeros(len(text), dtype=bool)
    formula_u = np.zeros(len(text), dtype=bool)
    for i in suspect:
        control_u[i] = _CONTROL.search(text[i]) is not None
        formula_u[i] = looks_like_formula(text[i])
    _quarantine_distinct(
        reasons,
        control_u,
        codes,
        "control character",
        lambda c: (
            f"{where}: got {cell_repr(text[c])}; holds a control character "
            f"({_CONTROL.search(text[c]).group()!r}), which no canonical table accepts"
        ),
    )
    _quarantine_distinct(
        reasons,
        formula_u,
        codes,
        "formula",
        lambda c: (
            f"{where}: got {cell_repr(text[c])}; looks like a spreadsheet formula "
            f"(starts with {text[c][0]!r}), which a spreadsheet would run"
        ),
    )


def _numeric_checks(
    schema: TableSchema,
    spec: SourceSpec,
    out: dict[str, object],
    reasons: _Reasons,
    n: int,
    raw: RawTable | None = None,
) -> None:
    """Missing values and ranges of the numeric columns, as the schema states them."""
    for col in schema.columns:
        if col.kind not in ("int", "float", "bool"):
            continue
        values = out[col.name]
        where = _where(spec.columns.get(col.name, col.name), col.name)
        missing = np.isnan(values)
        formula = None
        if raw is not None and col.name in spec.columns and missing.any():
            formula = raw.unsaved_formulas(spec.columns[col.name])
        if formula is not None:
            reasons.add(missing & formula, "unsaved formula", _unsaved(where))
        if not col.nullable:
            reasons.add(
                missing & ~reasons.bad & ~(formula if formula is not None else False),
                "missing value",
                f"{where}: value is missing; expected {col.expected()}",
            )
        if col.min is not None or col.max is not None:
            low = (values < col.min) if col.min is not None else np.zeros(n, dtype=bool)
            high = (values > col.max) if col.max is not None else np.zeros(n, dtype=bool)
            wrong = (low | high) & ~missing
            reasons.add(
                wrong,
                "out of range",
                [
                    f"{where}: got {v:g}; expected {col.expected()}"
                    for v in values[np.flatnonzero(wrong)]
                ],
            )
