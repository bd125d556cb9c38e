"""Parse the values partners write: Dutch numbers, periods, dates and units.

Every parser is vectorised: it takes a column of raw cells (text from a CSV
file; text, numbers or dates from an XLSX sheet) and returns the parsed
values together with a boolean mask of the cells it could not read. Periods
are parsed once per distinct value, so a million rows with thirty months cost
thirty parses.

Examples
--------
>>> import pandas as pd
>>> values, bad = parse_numbers(pd.Series(["1.234,5", "12,25", "12.5", None]))
>>> values[:2].tolist(), bad.tolist()
([1234.5, 12.25], [False, False, True, False])
>>> parse_period("mrt 2024", "month_name")
('2024-03', 1)
>>> parse_period("Q2 2024", "quarter")
('2024-04', 3)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "DATE_FORMS",
    "MONTHS",
    "PERIOD_FORMATS",
    "UNITS",
    "PeriodColumn",
    "describe_unit",
    "parse_date",
    "parse_dates",
    "parse_numbers",
    "parse_period",
    "parse_periods",
    "unit_factor",
]

#: Month names and abbreviations (Dutch and English) to month numbers.
MONTHS: dict[str, int] = {
    **dict.fromkeys(("jan", "januari", "january"), 1),
    **dict.fromkeys(("feb", "februari", "february"), 2),
    **dict.fromkeys(("mrt", "maa", "mar", "maart", "march"), 3),
    **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("jun", "juni", "june"), 6),
    **dict.fromkeys(("jul", "juli", "july"), 7),
    **dict.fromkeys(("aug", "augustus", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9),
    **dict.fromkeys(("okt", "oct", "oktober", "october"), 10),
    **dict.fromkeys(("nov", "november"), 11),
    **dict.fromkeys(("dec", "december"), 12),
}

#: Period formats a source may declare (``auto`` tries every one).
PERIOD_FORMATS = ("auto", "iso", "month_name", "quarter", "year", "excel", "dmy", "mdy")

# A date-time header of a workbook reads as ``2024-01-01 00:00:00``: midnight only.
_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2})(?:[T ]00:00(?::00)?)?)?$")
#: CBS StatLine period codes: ``2024MM01`` (and ``2024M01``) a month, ``2024KW01`` a quarter.
_CBS_MONTH = re.compile(r"^(\d{4})\s*MM?(\d{2})$", re.IGNORECASE)
_CBS_QUARTER = re.compile(r"^(\d{4})\s*KW0?([1-4])$", re.IGNORECASE)
_MONTH_NAME = re.compile(r"^([a-z]+)\.?[\s-]+(\d{4})$", re.IGNORECASE)
_MONTH_NAME_YF = re.compile(r"^(\d{4})[\s-]+([a-z]+)\.?$", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{4})$", re.IGNORECASE)
_QUARTER = re.compile(r"^(?:q|k|kw)\s*([1-4])[\s-]+(\d{4})$", re.IGNORECASE)
_QUARTER_YF = re.compile(r"^(\d{4})[\s-]*(?:q|k|kw)\s*([1-4])$", re.IGNORECASE)
#: ``2024 1e kwartaal`` (CBS StatLine), ``1e kwartaal 2024``, ``2024 kwartaal 1``.
_QUARTER_NL_YF = re.compile(
    r"^(\d{4})\s+(?:([1-4])\s*e\s+kwartaal|kwartaal\s+([1-4]))$", re.IGNORECASE
)
_QUARTER_NL = re.compile(
    r"^(?:([1-4])\s*e\s+kwartaal|kwartaal\s+([1-4]))\s+(\d{4})$", re.IGNORECASE
)
#: The mark of a provisional figure (CBS: ``*`` provisional, ``**`` revised provisional).
_PROVISIONAL = re.compile(r"\s*\*{1,2}$")
_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)

#: Units a numeric canonical column may be reported in. The factor to the
#: canonical unit comes from :func:`unit_factor`.
UNITS: dict[str, tuple[str, ...]] = {
    "hours": ("hours", "minutes", "days", "fte"),
    "costs_eur": ("eur", "keur"),
}


def parse_numbers(
    cells: pd.Series, decimal: str = ",", thousands: str = ".", *, text_only: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Parse numbers written with a decimal comma and thousands dots.

    Parameters
    ----------
    cells : Series
        Raw cells: text (``"1.234,56"``, ``"€ 12,5"``), or numbers when read
        from an XLSX sheet.
    decimal, thousands : str
        Separators. A thousands separator must group exactly three digits
        (``"12.5"`` with ``thousands="."`` is rejected rather than read as
        125); a decimal point in a decimal-comma file is rejected too.
    text_only : bool
        True when every cell is text or missing (CSV); False allows number
        cells (XLSX), which are taken as they are.

    Returns
    -------
    (ndarray of float, ndarray of bool)
        Values (NaN where missing or unreadable) and the mask of cells that
        are present but not a number.

    Examples
    --------
    >>> v, bad = parse_numbers(pd.Series(["€ 2.500", "-0,5", "1,2,3"]))
    >>> v[:2].tolist(), bad.tolist()
    ([2500.0, -0.5], [False, False, True])
    """
    # Parse each distinct cell once: figures repeat (hours in tenths, rates).
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    return numbers_from_codes(
        codes, np.asarray(uniques, dtype=object), decimal, thousands, text_only
    )


def numbers_from_codes(
    codes: np.ndarray,
    uniques: np.ndarray,
    decimal: str,
    thousands: str,
    text_only: bool,
    distinct: DistinctNumbers | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_numbers` of a factorized column (``pandas.factorize`` codes, -1 missing).

    ``distinct`` is :func:`read_distinct_numbers` of ``uniques`` when the
    caller has it already.

    Examples
    --------
    >>> codes, uniques = pd.factorize(np.array(["1.234,5", None, "12.5", "1.234,5"], object))
    >>> values, bad = numbers_from_codes(codes, uniques, ",", ".", True)
    >>> values.tolist(), bad.tolist()
    ([1234.5, nan, nan, 1234.5], [False, False, True, False])
    """
    if distinct is None:
        distinct = read_distinct_numbers(uniques, decimal, thousands, text_only)
    values = np.append(distinct.values, np.nan)[codes]
    return values, np.append(distinct.bad, False)[codes]


@dataclass(frozen=True)
class DistinctNumbers:
    """Numbers read from distinct cells (:func:`read_distinct_numbers`).

    Attributes
    ----------
    values : ndarray of float
        The number of each cell (NaN when blank or bad).
    bad : ndarray of bool
        Cells that are not a number.
    digits : ndarray of int
        The ASCII digits of each text cell read as a number (0 otherwise):
        a number of at most 7 digits is never a direct identifier (a BSN has
        8-9 digits, a phone number at least 9), which the identifier check
        uses (:func:`netwerkonderzoek.privacy.detect_identifiers`).
    """

    values: np.ndarray
    bad: np.ndarray
    digits: np.ndarray

    @property
    def short(self) -> np.ndarray:
        """Text cells read as numbers of at most 7 digits."""
        return (self.digits > 0) & (self.digits <= 7) & ~self.bad


def read_distinct_numbers(
    uniques: np.ndarray, decimal: str, thousands: str, text_only: bool
) -> DistinctNumbers:
    """:func:`parse_numbers` of distinct cells (an object array, no missing).

    The one number parser of the package. Number cells (XLSX) are taken as
    they are; a text cell is a number when, after surrounding whitespace and
    a euro sign are stripped, it is an optional ``-`` or ``+``, ASCII digits
    with at most one ``decimal`` and at least one digit, and either no
    ``thousands`` separator or separators grouping exactly three digits left
    of the decimal (``1.234.567,8``; then a digit before and after the
    decimal). Anything else — ``12.5`` in a decimal-comma file, exponents,
    ``inf`` — is not a number. The text is checked on its code points with
    numpy and converted by numpy's string-to-float cast (correctly rounded),
    all cells at once; ``-0`` is zero.

    Examples
    --------
    >>> found = read_distinct_numbers(
    ...     np.array(["€ 1.234,50", "-0", "12.5", "1e3", 7, "12345678"], object), ",", ".", False)
    >>> found.values.tolist()
    [1234.5, 0.0, nan, nan, 7.0, 12345678.0]
    >>> found.bad.tolist(), found.digits.tolist()
    ([False, False, True, True, False, False], [6, 1, 0, 0, 0, 8])
    >>> found.short.tolist()  # at most 7 digits: never a direct identifier
    [True, True, False, False, False, False]
    """
    uniques = np.asarray(uniques, dtype=object)
    values = np.full(len(uniques), np.nan)
    bad = np.zeros(len(uniques), dtype=bool)
    digits = np.zeros(len(uniques), dtype=np.int64)
    if not len(uniques):
        return DistinctNumbers(values, bad, digits)
    cells = uniques.tolist()
    if text_only:  # the caller's promise: every cell is text (a CSV file)
        is_text = np.ones(len(cells), dtype=bool)
    else:
        is_text = np.fromiter((type(v) is str for v in cells), dtype=bool, count=len(cells))
    if not text_only:
        is_number = np.fromiter(
            (type(v) in _NUMBER_TYPES for v in cells), dtype=bool, count=len(cells)
        )
        numbers = np.flatnonzero(is_number)
        values[numbers] = np.asarray(uniques[numbers], dtype=float) + 0.0
        bad |= ~is_number & ~is_text & ~pd.isna(uniques)  # dates, booleans ...
        bad |= is_number & ~np.isfinite(np.where(is_number, values, 0.0))
        values[bad] = np.nan
    text = np.flatnonzero(is_text)
    if len(text):
        text_cells = cells if len(text) == len(cells) else [cells[i] for i in text]
        values[text], bad[text], digits[text] = _parse_text(text_cells, decimal, thousands)
    return DistinctNumbers(values, bad, digits)


#: Exact powers of ten as doubles (10**22 is the largest exact one).
_POWERS = np.array([10.0**k for k in range(23)])

#: Cell types of an XLSX sheet taken as numbers (booleans are not numbers).
_NUMBER_TYPES = frozenset([int, float, np.float64, np.int64])

#: Whitespace around a cell (no-break spaces too).
_WHITESPACE = " \t\n\r\xa0\u202f"
#: Stripped around a number: whitespace and the euro sign.
_AROUND = _WHITESPACE + "€"


def _parse_text(
    cells: list[str], decimal: str, thousands: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values, bad mask and digit counts of text cells (see :func:`read_distinct_numbers`)."""
    raw = np.array(cells, dtype=str)
    joined = "".join(cells)  # one look for the rare characters
    # A NUL character makes a cell no number (numpy's fixed-width text would
    # take a trailing one for padding, so the cells themselves are looked at).
    if "\x00" in joined:
        nul = np.fromiter(("\x00" in c for c in cells), dtype=bool, count=len(cells))
    else:
        nul = np.zeros(len(cells), dtype=bool)
    text = np.strings.strip(raw, _AROUND)
    lengths = np.strings.str_len(text)
    present = (lengths > 0) | nul
    if "€" in joined:  # a lone euro sign is present, and no number
        present |= np.strings.str_len(np.strings.strip(raw, _WHITESPACE)) > 0
    values = np.full(len(cells), np.nan)
    width = text.dtype.itemsize // 4
    digits = np.zeros(len(cells), dtype=np.int64)
    if width == 0 or not present.any():
        return values, present, digits
    codes = text.view(np.uint32).reshape(len(cells), width)
    col = np.arange(width)
    inside = col[None, :] < lengths[:, None]
    digit = (codes >= 48) & (codes <= 57) & inside
    is_dec = (codes == ord(decimal)) & inside
    is_sep = (codes == ord(thousands)) & inside if thousands else np.zeros_like(digit)
    sign = (codes[:, 0] == 45) | (codes[:, 0] == 43)
    at_sign = np.zeros_like(digit)
    at_sign[:, 0] = sign
    # Only digits, separators and a leading sign; at least one digit, one decimal at most.
    ok = present & ~nul & ((digit | is_dec | is_sep | at_sign) | ~inside).all(axis=1)
    n_dec = is_dec.sum(axis=1)
    ok &= (n_dec <= 1) & digit.any(axis=1)
    # Thousands separators exactly every three digits left of the decimal, the
    # first group 1-3 digits, and then digits on both sides of the decimal.
    grouped = np.flatnonzero(ok & is_sep.any(axis=1))
    if len(grouped):
        start = sign[grouped].astype(np.int64)[:, None]
        point = np.where(n_dec[grouped] == 1, is_dec[grouped].argmax(axis=1), lengths[grouped])
        point = point[:, None]
        expected = (col > start) & (col < point) & ((point - col) % 4 == 0)
        ok[grouped] &= (is_sep[grouped] == expected).all(axis=1)
        ok[grouped] &= (point[:, 0] - start[:, 0]) % 4 != 0
        ok[grouped] &= (n_dec[grouped] == 0) | (point[:, 0] < lengths[grouped] - 1)
    # The value: the correctly rounded double of the decimal number. Up to 15
    # digits the integer of the digits is exact in a double and one division
    # by an exact power of ten rounds correctly; longer numbers go through
    # numpy's string-to-float cast. Both give what float() of the text gives.
    n_digits = digit.sum(axis=1)
    exact = np.flatnonzero(ok & (n_digits <= 15))
    if len(exact):
        mantissa = np.zeros(len(exact), dtype=np.int64)
        d, c = digit[exact], codes[exact].astype(np.int64) - 48
        for j in range(width):
            mantissa = np.where(d[:, j], mantissa * 10 + c[:, j], mantissa)
        point = np.where(n_dec[exact] == 1, is_dec[exact].argmax(axis=1), lengths[exact])
        decimals = np.where(n_dec[exact] == 1, lengths[exact] - 1 - point, 0)
        number = mantissa.astype(np.float64) / _POWERS[decimals]
        values[exact] = np.where(codes[exact, 0] == 45, -number, number) + 0.0  # no -0
    long = np.flatnonzero(ok & (n_digits > 15))
    if len(long):
        plain = text[long]
        if thousands:
            plain = np.strings.replace(plain, thousands, "")
        if decimal != ".":
            plain = np.strings.replace(plain, decimal, ".")
        with np.errstate(over="ignore"):
            number = plain.astype(np.float64) + 0.0
        finite = np.isfinite(number)  # too many digits for a double
        ok[long[~finite]] = False
        values[long[finite]] = number[finite]
    digits[ok] = digit[ok].sum(axis=1)
    return values, present & ~ok, digits


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _month(year: int, month: int) -> str | None:
    if 1 <= month <= 12 and 1900 <= year <= 2200:
        return f"{year:04d}-{month:02d}"
    return None


def parse_period(value: object, fmt: str) -> tuple[str, int] | None:
    """Parse one period cell in format ``fmt``; ``(YYYY-MM, months)`` or None.

    ``months`` is 1 for a month and 3 for a quarter (whose first month is
    returned). Formats: ``iso`` (``2024-01``, ``2024-01-31``, a workbook's
    date-time header ``2024-01-01 00:00:00``, and CBS StatLine's ``2024MM01``
    or ``2024M01``), ``month_name`` (``jan 2024``, ``jan. 2024``,
    ``januari 2024``, ``Mar-2024``, year first as CBS writes it:
    ``2024 januari``, and a text date ``15 mei 2025``, whose month it is),
    ``quarter`` (``Q1 2024``, ``K1 2024``, ``2024-Q1``, ``2024KW01``, and the
    Dutch ``2024 1e kwartaal``, ``1e kwartaal 2024``, ``2024 kwartaal 1``),
    ``year`` (``2024``: twelve months from January), ``excel`` (a date cell
    or an Excel serial day number), ``dmy`` (``31-01-2024``) and ``mdy``
    (``01/31/2024``). A trailing ``*`` or ``**`` (CBS: a provisional figure)
    is stripped; :func:`periods_from_codes` counts such cells
    (``PeriodColumn.provisional``).

    Examples
    --------
    >>> parse_period("2024-01-31", "iso"), parse_period("15-02-2024", "dmy")
    (('2024-01', 1), ('2024-02', 1))
    >>> parse_period(45292, "excel")  # 2024-01-01
    ('2024-01', 1)
    >>> parse_period("13-02-2024", "mdy") is None
    True
    >>> parse_period("2024 januari*", "month_name"), parse_period("15 mei 2025", "month_name")
    (('2024-01', 1), ('2025-05', 1))
    >>> parse_period("2024MM03", "iso"), parse_period("2024 2e kwartaal", "quarter")
    (('2024-03', 1), ('2024-04', 3))
    >>> parse_period("2024*", "year")
    ('2024-01', 12)
    """
    if fmt == "excel":
        if isinstance(value, dt.datetime | dt.date):
            found = _month(value.year, value.month)
        elif isinstance(value, int | float | np.integer | np.floating) and not isinstance(
            value, bool
        ):
            if not np.isfinite(value) or not 1 <= value < 2958466:
                return None
            day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
            found = _month(day.year, day.month)
        elif isinstance(value, str) and re.fullmatch(r"\d{5}(?:[.,]0+)?", value.strip()):
            return parse_period(int(value.strip()[:5]), "excel")
        else:
            return None
        return None if found is None else (found, 1)
    if isinstance(value, dt.datetime | dt.date):
        return None
    text = _PROVISIONAL.sub("", str(value).strip())
    if fmt == "iso":
        m = _ISO.match(text) or _CBS_MONTH.match(text)
        if m is None:
            return None
        if m.re is _ISO and m.group(3) is not None:
            try:
                dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
        found = _month(int(m.group(1)), int(m.group(2)))
        return None if found is None else (found, 1)
    if fmt == "month_name":
        m = _MONTH_NAME.match(text)
        if m is not None:
            name, year = m.group(1), int(m.group(2))
        elif (m := _MONTH_NAME_YF.match(text)) is not None:
            year, name = int(m.group(1)), m.group(2)
        elif (m := _DAY_MONTH_YEAR.match(text)) is not None:  # a text date: 15 mei 2025
            name, year = m.group(2), int(m.group(3))
            if (
                name.lower() not in MONTHS
                or _iso_date(year, MONTHS[name.lower()], int(m.group(1))) is None
            ):
                return None
        else:
            return None
        if name.lower() not in MONTHS:
            return None
        found = _month(year, MONTHS[name.lower()])
        return None if found is None else (found, 1)
    if fmt == "quarter":
        if (m := _QUARTER.match(text)) is not None:
            q, year = int(m.group(1)), int(m.group(2))
        elif (m := _QUARTER_YF.match(text) or _CBS_QUARTER.match(text)) is not None:
            year, q = int(m.group(1)), int(m.group(2))
        elif (m := _QUARTER_NL_YF.match(text)) is not None:
            year, q = int(m.group(1)), int(m.group(2) or m.group(3))
        elif (m := _QUARTER_NL.match(text)) is not None:
            q, year = int(m.group(1) or m.group(2)), int(m.group(3))
        else:
            return None
        found = _month(year, 3 * q - 2)
        return None if found is None else (found, 3)
    if fmt == "year":  # a year alone, as CBS StatLine writes yearly figures (2024, 2024*)
        m = re.fullmatch(r"(\d{4})", text)
        found = None if m is None else _month(int(m.group(1)), 1)
        return None if found is None else (found, 12)
    if fmt in ("dmy", "mdy"):
        m = _DATE.match(text)
        if m is None:
            return None
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month = (a, b) if fmt == "dmy" else (b, a)
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
        return _month(year, month), 1
    raise ValueError(f"unknown period format {fmt!r}; expected one of {', '.join(PERIOD_FORMATS)}")


_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
_YEAR_FIRST = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME + "$")
_DAY_FIRST = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})" + _TIME + "$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{4})$", re.IGNORECASE)

#: The forms of a date cell :func:`parse_date` reads (the rest are not dates).
DATE_FORMS = (
    "an Excel date cell",
    "YYYY-MM-DD",
    "DD-MM-YYYY",
    "D maand YYYY",
)


def _iso_date(year: int, month: int, day: int) -> str | None:
    if not 1900 <= year <= 2200:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(value: object) -> str | None:
    """Parse one date cell; ``YYYY-MM-DD`` or None when it is not a date.

    A date or date-time cell of a workbook (openpyxl gives a
    :class:`datetime.datetime`) is the date it holds, whatever the cell's
    number format; a time of day is dropped. Text is read in these forms only,
    so that no cell's day and month trade places:

    - year first, ``2024-03-01``, ``2024/03/01``, ``2024.03.01``, optionally with
      a time (``2024-03-01T14:30:00``, ``2024-03-01 14:30``): year, month, day;
    - day first, ``01-03-2024``, ``1/3/2024``, ``01.03.2024`` (optionally with a
      time): day, month, year, as the Netherlands writes dates;
    - day, month name, year: ``1 maart 2024``, ``1 mrt. 2024``, ``01-Mar-2024``
      (Dutch or English, :data:`MONTHS`).

    Anything else (a number, a time of day without a date, a two-digit year,
    a day that does not exist) is not a date: None.

    Examples
    --------
    >>> import datetime as dt
    >>> parse_date(dt.datetime(2024, 3, 1, 14, 30)), parse_date("2024-03-01T00:00:00")
    ('2024-03-01', '2024-03-01')
    >>> parse_date("01-03-2024"), parse_date("1 maart 2024"), parse_date("13/02/2024")
    ('2024-03-01', '2024-03-01', '2024-02-13')
    >>> parse_date("31-02-2024") is None, parse_date("14:30:00") is None, parse_date(45352) is None
    (True, True, True)
    """
    if isinstance(value, dt.datetime | dt.date):  # pd.Timestamp is a datetime
        if pd.isna(value):
            return None
        return _iso_date(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _YEAR_FIRST.match(text)
    if m is not None:
        return _iso_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    m = _DAY_FIRST.match(text)
    if m is not None:
        return _iso_date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
    m = _DAY_MONTH_NAME.match(text)
    if m is not None and m.group(2).lower() in MONTHS:
        return _iso_date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    return None


def parse_dates(values) -> np.ndarray:
    """:func:`parse_date` of every value: an object array of ``YYYY-MM-DD`` or None.

    Examples
    --------
    >>> import datetime as dt
    >>> parse_dates([dt.date(2024, 3, 1), "2024-03-13", "03-01-2024", "", None]).tolist()
    ['2024-03-01', '2024-03-13', '2024-01-03', None, None]
    """
    return np.array([parse_date(v) for v in values] + [None], dtype=object)[:-1]


@dataclass
class PeriodColumn:
    """Parsed periods of a column.

    Attributes
    ----------
    period : ndarray of object
        ``YYYY-MM`` (the first month of a quarter) or None.
    months : ndarray of int
        1 for a month, 3 for a quarter, 12 for a year, 0 where unreadable or missing.
    bad : ndarray of bool
        Present but unreadable cells.
    ambiguous : list of (value, {format: period})
        Values that formats read differently (day-month vs month-day) with no
        evidence in the column to choose between them.
    """

    period: np.ndarray
    months: np.ndarray
    bad: np.ndarray
    ambiguous: list[tuple[object, dict[str, str]]]
    codes: np.ndarray | None = field(default=None, repr=False)
    period_values: np.ndarray | None = field(default=None, repr=False)
    #: Cells read as a period that carry CBS's provisional mark (``2024 januari*``).
    provisional: np.ndarray | None = field(default=None, repr=False)


def parse_periods(cells: pd.Series, fmt: str = "auto") -> PeriodColumn:
    """Parse a column of periods, once per distinct value.

    With ``fmt="auto"`` every format is tried on each distinct value. A value
    that ``dmy`` and ``mdy`` read differently (``01-02-2024``) is resolved by
    the column: if other values can only be day-month (``13-02-2024``) the
    column is day-month, and vice versa; otherwise it is reported in
    ``ambiguous``.

    Examples
    --------
    >>> col = parse_periods(pd.Series(["jan 2024", "2024-02", "Q2 2024", "x", None]))
    >>> col.period.tolist(), col.months.tolist(), col.bad.tolist()
    (['2024-01', '2024-02', '2024-04', None, None], [1, 1, 3, 0, 0], [False, False, False, True, False])
    >>> parse_periods(pd.Series(["01-02-2024", "13-02-2024"])).period.tolist()
    ['2024-02', '2024-02']
    >>> parse_periods(pd.Series(["01-02-2024"])).ambiguous
    [('01-02-2024', {'dmy': '2024-02', 'mdy': '2024-01'})]
    """
    if fmt not in PERIOD_FORMATS:
        raise ValueError(
            f"unknown period format {fmt!r}; expected one of {', '.join(PERIOD_FORMATS)}"
        )
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    return periods_from_codes(codes, uniques, fmt)


def periods_from_codes(codes: np.ndarray, uniques, fmt: str = "auto") -> PeriodColumn:
    """:func:`parse_periods` of a factorized column (``pandas.factorize`` codes, -1 missing).

    ``period_values`` and ``codes`` of the result give the period of each row
    as ``period_values[codes]`` (the last slot serves missing cells).

    Examples
    --------
    >>> codes, uniques = pd.factorize(pd.Series(["jan 2024", None, "2024 Q2*", "jan 2024"]))
    >>> col = periods_from_codes(codes, uniques)
    >>> col.period.tolist(), col.months.tolist(), col.provisional.tolist()
    (['2024-01', None, '2024-04', '2024-01'], [1, 0, 3, 1], [False, False, True, False])
    >>> col.period_values[col.codes].tolist() == col.period.tolist()
    True
    """
    if fmt not in PERIOD_FORMATS:
        raise ValueError(
            f"unknown period format {fmt!r}; expected one of {', '.join(PERIOD_FORMATS)}"
        )
    formats = PERIOD_FORMATS[1:] if fmt == "auto" else (fmt,)
    readings: list[dict[str, tuple[str, int]]] = []
    for value in uniques:
        found = {}
        if not _is_blank(value):
            for f in formats:
                parsed = parse_period(value, f)
                if parsed is not None:
                    found[f] = parsed
        readings.append(found)
    # Evidence for day-month or month-day: a value only one of them can read.
    only = {f for r in readings if ("dmy" in r) != ("mdy" in r) for f in r if f in ("dmy", "mdy")}
    resolved_order = ["dmy"] if only == {"dmy"} else ["mdy"] if only == {"mdy"} else []
    period = np.empty(len(uniques) + 1, dtype=object)
    months = np.zeros(len(uniques) + 1, dtype=np.int64)
    bad_u = np.zeros(len(uniques) + 1, dtype=bool)
    ambiguous = []
    for i, (value, found) in enumerate(zip(uniques, readings, strict=True)):
        distinct = _distinct(found)
        if len(distinct) > 1 and resolved_order:
            found = {f: p for f, p in found.items() if f not in ("dmy", "mdy")} | {
                resolved_order[0]: found[resolved_order[0]]
            }
            distinct = _distinct(found)
        if len(distinct) == 1:
            period[i], months[i] = next(iter(distinct))
        elif len(distinct) > 1:
            ambiguous.append((value, {f: p[0] for f, p in found.items()}))
        else:
            bad_u[i] = not _is_blank(value)
    starred = np.array(
        [isinstance(v, str) and _PROVISIONAL.search(v.strip()) is not None for v in uniques]
        + [False],
        dtype=bool,
    ) & (months > 0)
    # The extra slot (index -1) serves missing cells (factorize code -1).
    return PeriodColumn(
        period[codes],
        months[codes],
        bad_u[codes],
        ambiguous,
        codes=codes,
        period_values=period,
        provisional=starred[codes],
    )


def _distinct(found: dict[str, tuple[str, int]]) -> set[tuple[str, int]]:
    return set(found.values())


def unit_factor(column: str, unit: str, months: np.ndarray, settings) -> np.ndarray | None:
    """Factor from ``unit`` to the canonical unit of ``column``, per row.

    ``settings`` is the network's
    :class:`~netwerkonderzoek.config.HarmonisationSettings`. FTE is a share of
    a full-time year, so a row's factor depends on the length of its period:
    ``fte_hours_per_year * months / 12``. Returns None for an unknown unit.

    Examples
    --------
    >>> from netwerkonderzoek.config import HarmonisationSettings
    >>> s = HarmonisationSettings()
    >>> unit_factor("hours", "fte", np.array([1, 3]), s).tolist()
    [133.33333333333334, 400.0]
    >>> unit_factor("costs_eur", "keur", np.array([1]), s).tolist(), unit_factor("hours", "weeks", np.array([1]), s)
    ([1000.0], None)
    """
    ones = np.ones(len(months))
    if column == "hours":
        if unit == "hours":
            return ones
        if unit == "minutes":
            return ones / 60.0
        if unit == "days":
            return ones * settings.hours_per_day
        if unit == "fte":
            return settings.fte_hours_per_year * months.astype(float) / 12.0
        return None
    if column == "costs_eur":
        return {"eur": ones, "keur": ones * 1000.0}.get(unit)
    return None


def describe_unit(column: str, unit: str, settings) -> str:
    """Plain-language statement of a unit conversion, for the report.

    Examples
    --------
    >>> from netwerkonderzoek.config import HarmonisationSettings
    >>> describe_unit("hours", "days", HarmonisationSettings())
    'hours from days: 1 day = 8 hours'
    >>> describe_unit("hours", "fte", HarmonisationSettings())
    'hours from fte: 1 FTE = 1600 hours/year (133.333 per month, 400 per quarter)'
    """
    if column == "hours" and unit == "days":
        return f"hours from days: 1 day = {settings.hours_per_day:g} hours"
    if column == "hours" and unit == "fte":
        y = settings.fte_hours_per_year
        return f"hours from fte: 1 FTE = {y:g} hours/year ({y / 12:g} per month, {y / 4:g} per quarter)"
    if column == "hours" and unit == "minutes":
        return "hours from minutes: 60 minutes = 1 hour"
    if column == "costs_eur" and unit == "keur":
        return "costs_eur from k€: 1 k€ = 1000 euro"
    return f"{column} in {unit} (no conversion)"
