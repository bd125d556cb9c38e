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
from .unpivot import NAME_HEADER, Unpivoted, unpivot_source

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

    Examples
    --------
    >>> import tempfile
    >>> raw_dir = Path(tempfile.mkdtemp()) / "raw"
    >>> raw_dir.mkdir()
    >>> _ = (raw_dir / "uren.csv").write_text("Organisatie;Uren\\nGemeente;4\\n")
    >>> spec = SourceSpec(file="uren.csv", table="contributions")
    >>> read_source(spec, raw_dir, "sources.0", "c.yaml").frame.to_dict("list")
    {'Organisatie': ['Gemeente'], 'Uren': ['4']}
    >>> _ = (raw_dir.parent / "elders.csv").write_text("a\\n1\\n")
    >>> (raw_dir / "link.csv").symlink_to(raw_dir.parent / "elders.csv")
    >>> read_source(spec.model_copy(update={"file": "link.csv"}), raw_dir, "sources.0", "c.yaml")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.harmonise.errors.HarmoniseError: c.yaml, key 'sources.0.file', source ...link.csv: the raw file leads outside the network's raw folder (to ...elders.csv); expected a file in ...raw
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

    Examples
    --------
    >>> values = np.array(["a", "b", None], dtype=object)
    >>> text_column(np.array([0, 1, 0]), values).tolist()
    ['a', 'b', 'a']
    >>> text_column(np.array([2, 2]), values)
    array([None, None], dtype=object)
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
    """Refuse a source description that does not fit its table or its file."""

    def fail(message: str, subkey: str) -> None:
        raise HarmoniseError(message, path=config_path, key=f"{key}.{subkey}", source=source)

    _check_column_names(spec, schema, fail)
    _check_recodings(spec, schema, fail)
    _check_reserved(spec, schema, fail)
    _check_headers(spec, raw, fail)
    _check_partner_spec(spec, schema, partners, fail)
    _check_units(spec, fail)
    _check_constants(spec, schema, config_indicators, fail)
    _check_complete(spec, schema, fail)


def _check_column_names(spec: SourceSpec, schema: TableSchema, fail) -> None:
    """Every column named under columns, constants, values and units belongs to the table."""
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


def _check_recodings(spec: SourceSpec, schema: TableSchema, fail) -> None:
    """A ``values`` recoding fits its column: to numbers for a number column, else to text."""
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


def _check_reserved(spec: SourceSpec, schema: TableSchema, fail) -> None:
    """The age column is not a canonical column, and network_id is not mapped."""
    if spec.age is not None and spec.age.to in schema.column_names:
        fail(
            f"{spec.age.to!r} is a column of table {schema.name}; name the age column otherwise",
            "age.to",
        )
    for group in ("columns", "constants"):
        if "network_id" in getattr(spec, group):
            fail(
                "network_id is filled from the configuration; do not map it", f"{group}.network_id"
            )


def _check_headers(spec: SourceSpec, raw: RawTable, fail) -> None:
    """Every mapped raw column is in the file."""
    headers = list(raw.frame.columns)
    for column, header in spec.columns.items():
        if header not in headers:
            fail(
                f"column {header!r} is not in the file; its columns are "
                + ", ".join(repr(h) for h in headers),
                f"columns.{column}",
            )


def _check_partner_spec(spec: SourceSpec, schema: TableSchema, partners: set[str], fail) -> None:
    """A fixed partner_id and the partner_names map name partners of partners.csv."""
    if spec.partner_id is not None:
        if "partner_id" not in schema.column_names:
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


def _check_units(spec: SourceSpec, fail) -> None:
    """Every unit named under units is one its column can be converted from."""
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


def _check_constants(
    spec: SourceSpec, schema: TableSchema, config_indicators: list[str], fail
) -> None:
    """Every fixed value under constants is a valid value of its column."""
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


def _check_complete(spec: SourceSpec, schema: TableSchema, fail) -> None:
    """Every required canonical column is mapped, fixed or filled."""
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
    """The extra (numeric) columns a source maps onto a table that allows them.

    Examples
    --------
    >>> spec = SourceSpec(file="leden.csv", table="units", person_id="Nr",
    ...     columns={"wave": "Meting", "area": "Wijk", "uren_sport": "Sport"},
    ...     constants={"exposed": 1})
    >>> extra_columns(SCHEMAS["units"], spec)
    ['uren_sport', 'exposed']
    >>> extra_columns(SCHEMAS["contributions"], SourceSpec(file="u.csv", table="contributions"))
    []
    """
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

    Examples
    --------
    >>> import tempfile
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> raw_dir = Path(tempfile.mkdtemp())
    >>> _ = (raw_dir / "uren.csv").write_text(
    ...     "Organisatie;Maand;Uren\\nGemeente;jan 2024;12,5\\nGemeente;jan 2024;veel\\n"
    ...     "Totaal;;12,5\\n", encoding="utf-8")
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "sources": [{"file": "uren.csv", "table": "contributions",
    ...         "columns": {"partner_id": "Organisatie", "period": "Maand", "hours": "Uren"},
    ...         "constants": {"activity": "overleg", "value_type": "partner", "costs_eur": 0},
    ...         "partner_names": {"Gemeente": "gemeente"}}]})
    >>> converted = convert_source(config, 0, raw_dir, {"gemeente"})
    >>> converted.rows_read, converted.n_accepted
    (3, 1)
    >>> converted.accepted[["partner_id", "period", "hours"]].to_dict("records")
    [{'partner_id': 'gemeente', 'period': '2024-01', 'hours': 12.5}]
    >>> converted.rejected[["source_row", "status", "reason"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'source_row': 3, 'status': 'quarantined',
      'reason': "column 'Uren' (hours): got 'veel'; expected a number with decimal ','"},
     {'source_row': 4, 'status': 'total', 'reason': "total row ('Totaal' in column 'Organisatie')"}]
    """
    source = _read_protected(config, index, raw_dir, pseudonym_key)
    _unpivot(source)
    _check_source(source, partners)
    rows = _Rows(len(source.frame))
    provisional_note = _convert_periods(source, rows)
    rows.conversions = [describe_unit(c, u, source.settings) for c, u in source.spec.units.items()]
    rows.conversions += source.wide.notes if source.wide is not None else []
    rows.conversions += [provisional_note] if provisional_note else []
    for col in source.schema.columns:
        _convert_column(source, rows, col)
    if source.spec.age is not None:
        rows.out[source.spec.age.to] = derive_ages(
            source.spec, config, source.birth, rows.out, rows.reasons
        )
    _numeric_checks(source.schema, source.spec, rows.out, rows.reasons, rows.n, source.raw)
    total_columns = _total_columns(source)
    totals = _total_mask(
        source.frame, list(dict.fromkeys(total_columns)), source.spec.total_labels, source.columns
    )
    bad = rows.reasons.bad & ~totals
    return _assemble(source, rows, totals, bad, total_columns)


@dataclass
class _Source:
    """A source on its way to conversion: its description, raw cells and what reading found."""

    config: NetworkConfig
    index: int
    spec: SourceSpec
    schema: TableSchema
    raw: RawTable
    #: The raw columns, each factorized once (shared with the checks).
    columns: _Columns
    key: str
    path: Path
    #: Each row's birth date (``age``), read before its column is dropped.
    birth: tuple[np.ndarray, np.ndarray] | None
    #: Per column dropped (``drop``), the number of non-empty values dropped.
    dropped: dict[str, int]
    #: The unpivoted records of a wide source (``unpivot``), else None.
    wide: Unpivoted | None = None
    partners: set[str] = field(default_factory=set)

    @property
    def frame(self) -> pd.DataFrame:
        """The raw cells (records of a wide source)."""
        return self.raw.frame

    @property
    def settings(self) -> HarmonisationSettings:
        """The network's harmonisation settings."""
        return self.config.harmonisation

    @property
    def references(self) -> set[str]:
        """The table's columns that hold a partner id."""
        return {c for t, c in PARTNER_REFERENCES if t == self.schema.name}

    def fail(self, message: str, subkey: str) -> HarmoniseError:
        """The error for a fault in the source's ``subkey`` of the configuration."""
        return HarmoniseError(
            message, path=self.config.path, key=f"{self.key}.{subkey}", source=self.path
        )


@dataclass
class _Rows:
    """The rows of a source being converted: canonical values, codes, faults and notes."""

    n: int
    reasons: _Reasons = field(init=False)
    #: Per canonical column, the value of every row.
    out: dict[str, object] = field(default_factory=dict)
    #: Per column: (codes, values) with out[name] == values[codes], for the key columns.
    coded: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: Months each row's period spans (1, or 3 for a quarter).
    months: np.ndarray = field(init=False)
    #: Identifiers masked in free text, per kind.
    masked: dict[str, int] = field(default_factory=dict)
    #: Unit conversions and recodings applied, in words.
    conversions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reasons = _Reasons(self.n)
        self.months = np.ones(self.n, dtype=np.int64)


def _read_protected(
    config: NetworkConfig, index: int, raw_dir: str | Path, pseudonym_key: bytes | None
) -> _Source:
    """Read the raw file and remove its personal data (:func:`.personal.protect_source`)."""
    spec = config.sources[index]
    key = config.source_key(index)
    path = Path(raw_dir) / spec.file
    schema = SCHEMAS[spec.table]
    raw = read_source(spec, Path(raw_dir), key, config.path)
    # A birth date is read before protect_source drops its column (spec.age).
    birth = read_birth_dates(spec, raw)
    # Each raw column is factorized once, and a number column read once: shared with the checks.
    columns = _Columns(raw.frame, _number_columns(spec, schema, raw))
    dropped = protect_source(
        spec, raw, pseudonym_key, key=key, config_path=config.path, source=path, factorized=columns
    )
    columns.frame = raw.frame  # dropped and pseudonymised columns are not cached
    return _Source(config, index, spec, schema, raw, columns, key, path, birth, dropped)


def _unpivot(source: _Source) -> None:
    """Turn a wide table into records: one per row and value column (``unpivot``)."""
    if source.spec.unpivot is None:
        return
    source.wide = unpivot_source(
        source.spec,
        source.raw,
        source.config,
        key=source.key,
        config_path=source.config.path,
        source=source.path,
    )
    source.spec, source.raw = source.wide.spec, source.wide.raw
    source.columns = _Columns(
        source.frame, _number_columns(source.spec, source.schema, source.raw)
    )


def _check_source(source: _Source, partners: set[str]) -> None:
    """Check the description against the file and widen the schema by its extra columns."""
    spec, schema = source.spec, source.schema
    if spec.person_id is not None:  # the pseudonymised person ids are the unit ids
        spec = spec.model_copy(update={"columns": {**spec.columns, "unit_id": spec.person_id}})
    _check_spec(
        spec,
        schema,
        source.raw,
        partners,
        source.key,
        source.config.path,
        source.path,
        [s.id for s in source.config.indicators],
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
    source.spec, source.schema, source.partners = spec, schema, partners


def _convert_periods(source: _Source, rows: _Rows) -> str | None:
    """Read the period columns first (their length drives FTE and quarter handling); a note."""
    note = None
    for col in source.schema.columns:
        if col.kind == "period" and col.name in source.spec.columns:
            note = _convert_period(source, rows, col) or note
    return note


def _convert_period(source: _Source, rows: _Rows, col: Column) -> str | None:
    """One period column: its periods and months, rows without a period; provisional note."""
    spec = source.spec
    header = spec.columns[col.name]
    parsed = periods_from_codes(*source.columns[header], spec.period_format)
    _refuse_unclear_periods(source, header, parsed)
    fmt = "a period" if spec.period_format == "auto" else f"a period ({spec.period_format})"
    bad_idx = np.flatnonzero(parsed.bad)
    rows.reasons.add(
        parsed.bad,
        "not a period",
        [
            f"{_where(header, col.name)}: got {v}; expected {fmt}"
            for v in _describe(source.frame[header].to_numpy()[bad_idx])
        ],
    )
    rows.out[col.name] = parsed.period
    note = None
    if parsed.provisional is not None and parsed.provisional.any():
        starred = int(parsed.provisional.sum())
        note = (
            f"{_column_words(header)} ({col.name}): {starred} row{'s' if starred != 1 else ''} with "
            "a provisional period (*), read without the mark"
        )
    pcodes = parsed.codes
    rows.coded[col.name] = (
        np.where(pcodes < 0, len(parsed.period_values) - 1, pcodes),
        parsed.period_values,
    )
    rows.months = np.where(parsed.months > 0, parsed.months, 1)
    return note


def _refuse_unclear_periods(source: _Source, header: str, parsed) -> None:
    """Refuse an ambiguous period, and a quarter or year where the source gives no ``quarter``."""
    if parsed.ambiguous:
        value, readings = parsed.ambiguous[0]
        options = " or ".join(f"{p} ({f})" for f, p in readings.items())
        raise source.fail(
            f"period {value!r} in {_column_words(header)} is ambiguous: it reads as {options}; "
            f"set period_format to one of {', '.join(readings)}",
            "period_format",
        )
    quarters = parsed.months > 1
    if quarters.any() and source.spec.quarter is None:
        at = np.flatnonzero(quarters)[0]
        first = source.frame[header].to_numpy()[at]
        what, months_of = (
            ("a quarter", "three") if parsed.months[at] == 3 else ("a year", "twelve")
        )
        raise source.fail(
            f"period {first!r} in {_column_words(header)} is {what} but table "
            f"{source.schema.name} has monthly periods; set quarter to 'first' (book the "
            f"{what[2:]} on its first month) or 'split' (divide it evenly over its {months_of} "
            "months)",
            "quarter",
        )


def _convert_column(source: _Source, rows: _Rows, col: Column) -> None:
    """One canonical column: the network id, a fixed or missing value, numbers, or text."""
    name = col.name
    if name == "network_id":
        network_id = source.config.network_id
        rows.out[name] = _filled(rows.n, network_id)
        rows.coded[name] = (np.zeros(rows.n, dtype=np.intp), np.array([network_id], dtype=object))
    elif col.kind == "period" and name in rows.out:
        return  # read first, by _convert_periods
    elif name not in source.spec.columns:
        _fill_unmapped(source, rows, col)
    elif col.kind in ("int", "float", "bool"):
        _convert_numbers(source, rows, col)
    else:
        _convert_text(source, rows, col)


def _fill_unmapped(source: _Source, rows: _Rows, col: Column) -> None:
    """A column the file does not give: a constant, the fixed partner, or missing."""
    spec, n, name = source.spec, rows.n, col.name
    if name in spec.constants:
        constant = spec.constants[name]
        if col.kind in ("int", "float", "bool"):
            rows.out[name] = np.full(n, float(constant))
        elif col.kind == "date":  # checked by _check_spec: a date
            rows.out[name] = _filled(n, parse_date(str(constant).strip()))
        else:
            rows.out[name] = _filled(n, str(constant))
    elif name == "partner_id" and spec.partner_id is not None:
        rows.out[name] = _filled(n, spec.partner_id)
    else:  # a nullable column nobody reports
        nan = np.nan if col.kind in ("int", "float", "bool") else None
        rows.out[name] = _filled(n, None) if nan is None else np.full(n, nan)
    if rows.out[name].dtype == object:
        value = rows.out[name][0] if n else None
        rows.coded[name] = (np.zeros(n, dtype=np.intp), np.array([value], dtype=object))


def _convert_numbers(source: _Source, rows: _Rows, col: Column) -> None:
    """A number column: read, recoded, converted to its canonical unit, rounded, checked."""
    spec, raw, columns, name = source.spec, source.raw, source.columns, col.name
    header = spec.columns[name]
    cells = source.frame[header].to_numpy()
    where = _where(header, name)
    values, bad = numbers_from_codes(
        *columns[header],
        spec.decimal,
        spec.thousands,
        raw.text_only,
        columns.numbers(header) if header in columns.number_columns else None,
    )
    if spec.values.get(name) is not None or spec.markers:
        values, bad = _recode_numbers(source, rows, col, header, where)
    rows.reasons.add(
        bad,
        "not a number",
        [
            f"{where}: got {v}; expected a number"
            + (f" with decimal {spec.decimal!r}" if raw.text_only else "")
            for v in _describe(cells[np.flatnonzero(bad)])
        ],
    )
    if name in spec.units:
        values = values * unit_factor(name, spec.units[name], rows.months, source.settings)
    if name in source.settings.decimals:
        values = np.round(values, source.settings.decimals[name])
    values = values + 0.0  # no negative zero
    if col.kind in ("int", "bool"):
        fractional = ~bad & ~np.isnan(values) & (values != np.round(values))
        rows.reasons.add(
            fractional,
            "not a whole number",
            [
                f"{where}: got {v}; expected {col.expected()}"
                for v in _describe(cells[np.flatnonzero(fractional)])
            ],
        )
    rows.out[name] = values


def _recode_numbers(
    source: _Source, rows: _Rows, col: Column, header: str, where: str
) -> tuple[np.ndarray, np.ndarray]:
    """A number column read through its ``values`` recoding and the source's ``markers``."""
    spec, columns = source.spec, source.columns
    codes, uniques = columns[header]
    values, bad, note = recode_number_column(
        codes,
        uniques,
        columns.numbers(header)
        if header in columns.number_columns
        else read_distinct_numbers(uniques, spec.decimal, spec.thousands, source.raw.text_only),
        spec.values.get(col.name),
        spec.markers,
        where=where,
        name=col.name,
        nullable=col.nullable,
        quarantine=_distinct_quarantine(rows.reasons, codes, len(uniques)),
    )
    rows.conversions += [note] if note else []
    return values, bad


@dataclass
class _Text:
    """A text column as its distinct values: the rows' codes into them, the text, the blanks."""

    col: Column
    header: str
    where: str
    codes: np.ndarray
    text: np.ndarray
    blank: np.ndarray


def _convert_text(source: _Source, rows: _Rows, col: Column) -> None:
    """A text column: recoded, made safe, dates read; then checked per distinct value."""
    header = source.spec.columns[col.name]
    cells = _Text(col, header, _where(header, col.name), *_text_cells(*source.columns[header]))
    _recode_text(source, rows, cells)
    _unsafe_text(cells.text, cells.codes, cells.where, rows.reasons)
    if col.free_text:
        cells.text = _protect_free_text(
            cells.text,
            cells.codes,
            cells.where,
            rows.reasons,
            source.config.privacy.free_text,
            rows.masked,
        )
    if col.kind == "date":
        _read_dates(source, rows, cells)
    codes = cells.codes
    rows.coded[col.name] = (
        np.where(codes < 0, len(cells.text) - 1, codes),
        np.where(cells.blank, None, cells.text).astype(object),
    )
    values = rows.coded[col.name][1][codes]
    rows.out[col.name] = values
    # Checks run once per distinct value, then spread to the rows.
    _check_present(source, rows, cells)
    _check_allowed(source, rows, cells, values)
    if col.name in source.references:
        _check_partners(source, rows, cells, values)
    if col.name == "indicator_id" and source.config.indicators:
        _check_indicators(source, rows, cells)


def _recode_text(source: _Source, rows: _Rows, cells: _Text) -> None:
    """Map text by ``values`` (and partner names), and partner names onto the partner list."""
    spec, name = source.spec, cells.col.name
    references = source.references
    mapping = dict(spec.values.get(name, {}))
    if name in references:
        mapping = {**spec.partner_names, **mapping}
    if mapping:
        # A plain text column (no choices, no pattern, no id list) takes only the
        # map's values: an activity code outside the map is not kept as it is.
        strict = name in spec.values and cells.col.kind == "str" and not cells.col.pattern
        cells.text, outside = recode_texts(cells.text, mapping, strict)
        if outside.any():
            expected = expected_values(spec.values[name])
            _quarantine_distinct(
                rows.reasons,
                outside,
                cells.codes,
                "not in map",
                lambda c, w=cells.where, t=cells.text, e=expected, k=name: (
                    f"{w}: got {cell_repr(t[c])}; expected {e} (values.{k})"
                ),
            )
    partners = source.partners
    if name in references and isinstance(partners, PartnerList):
        # the partner list's names and aliases, forgiving case, accents, spacing
        cells.text = np.array(
            [
                t if b or t in partners else (partners.match(t) or t)
                for t, b in zip(cells.text, cells.blank, strict=True)
            ],
            dtype=object,
        )


def _read_dates(source: _Source, rows: _Rows, cells: _Text) -> None:
    """Read a date column's distinct texts as ISO dates; rows that hold no date are faults."""
    # explicit forms only: pandas' dayfirst parsing swaps day and month of
    # ISO text (an Excel date cell's isoformat) when the day is 12 or less
    iso = parse_dates(cells.text)
    bad_u = ~cells.blank & pd.isna(iso)
    rows.reasons.add(
        bad_u[cells.codes],
        "not a date",
        [
            f"{cells.where}: got {v}; expected a date ({', '.join(DATE_FORMS)})"
            for v in _describe(
                source.frame[cells.header].to_numpy()[np.flatnonzero(bad_u[cells.codes])]
            )
        ],
    )
    cells.text = np.where(bad_u, "", np.where(pd.isna(iso), "", iso))
    cells.blank = cells.blank | bad_u


def _check_present(source: _Source, rows: _Rows, cells: _Text) -> None:
    """A required text column's blank cells: missing values, or formulas without a value."""
    if cells.col.nullable:
        return
    missing = cells.blank[cells.codes]
    formula = source.raw.unsaved_formulas(cells.header) if missing.any() else None
    if formula is not None:
        rows.reasons.add(missing & formula, "unsaved formula", _unsaved(cells.where))
        missing = missing & ~formula
    rows.reasons.add(
        missing,
        "missing value",
        f"{cells.where}: value is missing; expected {cells.col.expected()}",
    )


def _check_allowed(source: _Source, rows: _Rows, cells: _Text, values: np.ndarray) -> None:
    """Text outside a category's choices, or not matching the column's pattern."""
    col, name, text, blank = cells.col, cells.col.name, cells.text, cells.blank
    listed = source.references | ({"indicator_id"} if source.config.indicators else set())
    wrong_u = np.zeros(len(text), dtype=bool)
    if col.kind == "category":
        wrong_u = ~blank & ~np.isin(text, list(col.choices))
    elif col.pattern and name not in listed:
        wrong_u = ~blank & np.array([re.match(col.pattern, t) is None for t in text])
    wrong = wrong_u[cells.codes]
    # A category mapped by values: the labels the map knows are what was expected too.
    labels = source.spec.values.get(name) if col.kind == "category" else None
    also = (
        f" (or a label under values.{name}: " + ", ".join(repr(k) for k in labels) + ")"
        if isinstance(labels, dict) and labels
        else ""
    )
    rows.reasons.add(
        wrong,
        "not allowed",
        [
            f"{cells.where}: got {cell_repr(v)}; expected {col.expected()}{also}"
            for v in values[np.flatnonzero(wrong)]
        ],
    )


def _check_partners(source: _Source, rows: _Rows, cells: _Text, values: np.ndarray) -> None:
    """Partner ids that are not in the partner list (with the closest name, if any)."""
    partners = source.partners
    unknown = (~cells.blank & ~np.isin(cells.text, list(partners)))[cells.codes]
    at = np.flatnonzero(unknown)
    rows.reasons.add(
        unknown,
        "unknown partner",
        [
            f"{cells.where}: unknown partner {v}: not a partner id in partners.csv "
            f"nor a name under {source.key}.partner_names" + _closest(partners, t)
            for v, t in zip(
                _describe(source.frame[cells.header].to_numpy()[at]), values[at], strict=True
            )
        ],
    )


def _check_indicators(source: _Source, rows: _Rows, cells: _Text) -> None:
    """Indicator ids that are not indicators of the configuration."""
    known = [s.id for s in source.config.indicators]
    unknown = (~cells.blank & ~np.isin(cells.text, known))[cells.codes]
    rows.reasons.add(
        unknown,
        "unknown indicator",
        [
            f"{cells.where}: unknown indicator {v}: not an indicator id of the "
            f"configuration nor a label under {source.key}.values.indicator_id"
            for v in _describe(source.frame[cells.header].to_numpy()[np.flatnonzero(unknown)])
        ],
    )


def _total_columns(source: _Source) -> list[str]:
    """The raw columns where a total label is looked for: the first and the mapped text ones."""
    frame, spec = source.frame, source.spec
    columns = [frame.columns[0]] if len(frame.columns) else []
    columns += [
        spec.columns[c.name]
        for c in source.schema.columns
        if c.name in spec.columns and c.kind in ("str", "category", "period")
    ]
    return columns


def _assemble(
    source: _Source, rows: _Rows, totals: np.ndarray, bad: np.ndarray, total_columns: list[str]
) -> ConvertedSource:
    """The converted source: accepted rows as codes and arrays, the rest quarantined."""
    raw, wide = source.raw, source.wide
    accepted = ~bad & ~totals
    # A record: a row, or a row's cell of a wide source (which gives several records).
    records = np.arange(rows.n, dtype=np.int64) if wide is not None else raw.rows
    codes, arrays = _accepted_columns(source, rows, accepted, records)
    return ConvertedSource(
        index=source.index,
        spec=source.spec,
        sha256=raw.sha256,
        sheet=raw.sheet,
        rows_read=rows.n + len(raw.broken),
        rejected=_rejected(source, rows, totals, bad, total_columns),
        conversions=rows.conversions,
        dropped=source.dropped,
        masked=rows.masked,
        raw=RawCells([source.columns[h] for h in source.frame.columns], records),
        codes=codes,
        arrays=arrays,
        column_order=[
            *source.schema.column_names,
            "months",
            "source",
            *PROVENANCE_COLUMNS,
            "source_record",
        ],
        n_accepted=int(accepted.sum()),
        record_headers=None if wide is None else wide.headers,
    )


def _accepted_columns(
    source: _Source, rows: _Rows, accepted: np.ndarray, records: np.ndarray
) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], dict[str, np.ndarray]]:
    """The accepted rows' columns, provenance included: text as codes, the rest as arrays."""
    everything = bool(accepted.all())
    kept = np.flatnonzero(accepted)

    def pick(values: np.ndarray) -> np.ndarray:
        return values if everything else values[kept]

    for name, value in (
        ("source_file", source.spec.file),
        ("source_sheet", source.raw.sheet),
        ("source_hash", source.raw.sha256),
    ):
        rows.coded[name] = (np.zeros(rows.n, dtype=np.intp), np.array([value], dtype=object))
    codes = {name: (pick(c), v) for name, (c, v) in rows.coded.items()}
    arrays = {
        c.name: pick(np.asarray(rows.out[c.name]))
        for c in source.schema.columns
        if c.name not in rows.coded
    }
    arrays["months"] = pick(rows.months)
    arrays["source"] = np.full(len(kept), source.index, dtype=np.int64)
    arrays["source_row"] = pick(source.raw.rows)
    arrays["source_record"] = pick(records)
    return codes, arrays


def _total_reasons(source: _Source, total_idx: np.ndarray, total_columns: list[str]) -> list[str]:
    """Per total row, the reason: the label found and the column it is in."""
    frame, labels = source.frame, source.spec.total_labels
    reasons = []
    for pos in total_idx:
        hit = next(
            (
                h
                for h in total_columns
                if isinstance(frame[h].iat[pos], str)
                and _total_mask(frame.iloc[[pos]], [h], labels)[0]
            ),
            total_columns[0] if total_columns else "",
        )
        reasons.append(f"total row ({cell_repr(frame[hit].iat[pos])} in column {hit!r})")
    return reasons


def _rejected(
    source: _Source, rows: _Rows, totals: np.ndarray, bad: np.ndarray, total_columns: list[str]
) -> pd.DataFrame:
    """The quarantine rows: total rows, faulty rows and unreadable lines, in file order."""
    spec, raw, frame, wide = source.spec, source.raw, source.frame, source.wide
    network_id, reasons = source.config.network_id, rows.reasons
    sep = spec.delimiter if spec.file_format == "csv" else ";"
    total_idx = np.flatnonzero(totals)
    bad_idx = np.flatnonzero(bad)
    total_reasons = _total_reasons(source, total_idx, total_columns)
    source_rows = np.concatenate(
        [raw.rows[total_idx], raw.rows[bad_idx], [b[0] for b in raw.broken]]
    ).astype(np.int64)
    found = len(source_rows)
    rejected = pd.DataFrame(
        {
            "network_id": _filled(found, network_id),
            "table": _filled(found, spec.table),
            "source": np.full(found, source.index, dtype=np.int64),
            "source_file": _filled(found, spec.file),
            "source_sheet": _filled(found, raw.sheet),
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
    return rejected.reset_index(drop=True)


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
