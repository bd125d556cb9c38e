"""Recode raw cells: value maps on any column, yes/no, measurement labels, markers, ages.

Used by :func:`~.convert.convert_source` for what the ``values``,
``missing_markers`` and ``age`` keys of a source ask for. Every recoding works
on the distinct values of a column (a million rows with two answers cost two
look-ups), and a value it does not know is never guessed: its row is
quarantined with the value and the values expected.

``values: {column: {raw: canonical, ...}}``
    A map, on any column. On a text column the raw text is replaced by its
    canonical text; on a number column (``wave``, ``hours``, a units
    attribute) each raw text must be a key of the map (or already one of its
    numbers), and is replaced by its number: ``{Ja: 1, Nee: 0}``,
    ``{T0 intake: 1, T1 na 12 maanden: 2}``. The reverse works too: raw
    number codes ``1``, ``2`` (text or number cells) mapped to labels of a
    text column. An empty canonical text (``'Weet niet': ''``) is a missing
    value. Keys match the cell's text exactly (spaces around it stripped).
``values: {column: yes_no}``
    The built-in yes/no map of a number column: :data:`YES` to 1,
    :data:`NO` to 0, case and surrounding spaces ignored (a workbook's
    TRUE/FALSE cells included). Anything else is quarantined.
``values: {column: t_number}``
    Measurement labels to waves: ``T<n>`` at the start of the cell
    (``T0 intake``, ``T1 na 12 maanden``, ``t2``) is wave ``n + 1``, since
    waves count from 1 and ``T0`` is the first measurement. Anything else is
    quarantined; use a map when the labels say something else.
``missing_markers: {".": missing, "-": zero}`` or ``missing_markers: cbs``
    Cells of a number column that are exactly a marker are missing (or 0),
    counted per marker in the report's ``conversions``. ``cbs`` is CBS
    StatLine's convention (:data:`~netwerkonderzoek.config.CBS_MARKERS`):
    ``.`` unknown and ``x`` secret are missing, ``-`` nil is 0. No marker is
    assumed without this key: elsewhere ``-`` is not a number.
``age: {birth_date: Geboortedatum, as_of: wave, to: age}``
    The age in whole years on the row's wave date (``study.waves``) or on a
    fixed date (``as_of: 2024-01-01``), computed before the birth date column is
    dropped (it must be listed under ``drop``). A year is completed on the
    birthday; someone born on 29 February completes it on 1 March in a year
    without that day. A birth date that is not a date, or after the
    reference date, quarantines the row without showing the date.

Examples
--------
>>> import numpy as np
>>> values, bad, expected = recode_numbers(np.array(["Ja", "nee", "Misschien"], dtype=object),
...     "yes_no")
>>> values.tolist(), bad.tolist()
([1.0, 0.0, nan], [False, False, True])
>>> recode_numbers(np.array(["T0 intake", "T1 na 12 maanden"], dtype=object), "t_number")[0]
array([1., 2.])
>>> ages_on(np.array(["2000-02-29", "2000-03-01", None], dtype=object),
...         np.array(["2023-02-28", "2023-03-01", "2023-03-01"], dtype=object)).tolist()
[22.0, 23.0, nan]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..tables import cell_repr

__all__ = [
    "NO",
    "YES",
    "ages_on",
    "describe_markers",
    "expected_values",
    "marker_values",
    "recode_number_column",
    "recode_numbers",
    "recode_texts",
]

#: Answers the built-in ``yes_no`` reads as 1 (lowercase).
YES = ("ja", "j", "yes", "y", "waar", "true", "wel", "1")
#: Answers the built-in ``yes_no`` reads as 0 (lowercase).
NO = ("nee", "n", "no", "onwaar", "false", "niet", "0")
_YES_NO = {**dict.fromkeys(YES, 1.0), **dict.fromkeys(NO, 0.0)}
_T_LABEL = re.compile(r"^\s*t\s*(\d{1,3})(?![0-9])", re.IGNORECASE)


def _text(value: object) -> str:
    """A distinct raw cell as text: stripped; a whole number cell without ``.0``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = value.isoformat() if hasattr(value, "isoformat") else str(value).strip()
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


def expected_values(recoding: dict[str, str] | str) -> str:
    """What a recoded column accepts, in words (for a quarantine reason).

    Examples
    --------
    >>> expected_values({"Ja": "1", "Nee": "0"})
    "one of 'Ja', 'Nee' (or 1, 0)"
    >>> expected_values("t_number")
    'a measurement label T<n> (T0 is wave 1, T1 wave 2, ...)'
    """
    if recoding == "yes_no":
        return "yes or no (" + ", ".join(YES[:6]) + " / " + ", ".join(NO[:6]) + ")"
    if recoding == "t_number":
        return "a measurement label T<n> (T0 is wave 1, T1 wave 2, ...)"
    keys = list(recoding)
    shown = ", ".join(repr(k) for k in keys[:12]) + (
        f" and {len(keys) - 12} more" if len(keys) > 12 else ""
    )
    targets = list(dict.fromkeys(v for v in recoding.values() if v != ""))
    tail = f" (or {', '.join(targets[:12])})" if targets else ""
    return f"one of {shown}{tail}"


def recode_numbers(
    uniques: np.ndarray,
    recoding: dict[str, str] | str,
    numbers: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Recode the distinct cells of a number column: values, bad mask, expectation.

    Parameters
    ----------
    uniques : ndarray of object
        Distinct raw cells (no missing).
    recoding : dict or str
        A map of raw text to a number (as text; ``""`` is missing), or
        ``"yes_no"`` or ``"t_number"``.
    numbers : ndarray of float, optional
        The cells read as numbers with the source's separators (NaN where not
        a number): with a map, a cell that is already one of the map's numbers
        is kept.

    Returns
    -------
    (ndarray of float, ndarray of bool, str)
        The value of each distinct cell (NaN when missing or bad), the cells
        outside the recoding, and :func:`expected_values`.

    Examples
    --------
    A map of measurement labels; ``"2"`` is already one of its numbers:

    >>> values, bad, expected = recode_numbers(
    ...     np.array(["T0 intake", "T1 na 12 maanden", "2", "later"], dtype=object),
    ...     {"T0 intake": "1", "T1 na 12 maanden": "2"},
    ...     numbers=np.array([np.nan, np.nan, 2.0, np.nan]))
    >>> values.tolist(), bad.tolist()
    ([1.0, 2.0, 2.0, nan], [False, False, False, True])
    >>> expected
    "one of 'T0 intake', 'T1 na 12 maanden' (or 1, 2)"
    """
    text = [_text(v) for v in uniques]
    values = np.full(len(text), np.nan)
    bad = np.zeros(len(text), dtype=bool)
    if recoding == "yes_no":
        for i, t in enumerate(text):
            found = _YES_NO.get(t.lower())
            values[i], bad[i] = (np.nan, bool(t)) if found is None else (found, False)
    elif recoding == "t_number":
        for i, t in enumerate(text):
            m = _T_LABEL.match(t)
            values[i], bad[i] = (np.nan, bool(t)) if m is None else (int(m.group(1)) + 1, False)
    else:
        mapping = {k.strip(): v for k, v in recoding.items()}
        targets = {float(v) for v in mapping.values() if v != ""}
        for i, t in enumerate(text):
            if t in mapping:
                values[i] = np.nan if mapping[t] == "" else float(mapping[t])
            elif numbers is not None and not np.isnan(numbers[i]) and numbers[i] in targets:
                values[i] = numbers[i]
            else:
                bad[i] = bool(t)
    return values, bad, expected_values(recoding)


def recode_texts(
    text: np.ndarray, mapping: dict[str, str], strict: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Map distinct texts of a text column; with ``strict``, flag those outside the map.

    A text that is already one of the map's canonical values is kept (a file
    mixing labels and codes). ``""`` (missing) is never flagged.

    Examples
    --------
    >>> import numpy as np
    >>> out, bad = recode_texts(np.array(["1", "2", "Overleg", "3", ""], dtype=object),
    ...                         {"1": "Overleg", "2": "Uitvoering"}, strict=True)
    >>> out.tolist(), bad.tolist()
    (['Overleg', 'Uitvoering', 'Overleg', '3', ''], [False, False, False, True, False])
    """
    targets = set(mapping.values())
    out = np.array([mapping.get(t, t) for t in text], dtype=object)
    if not strict:
        return out, np.zeros(len(text), dtype=bool)
    bad = np.array([t != "" and t not in mapping and t not in targets for t in text], dtype=bool)
    return out, bad


def marker_values(uniques: np.ndarray, markers: dict[str, str]) -> np.ndarray:
    """The marker each distinct cell is (``""`` when it is none).

    Examples
    --------
    >>> import numpy as np
    >>> marker_values(np.array([".", " - ", "12", "x"], dtype=object), {".": "missing", "-": "zero"}).tolist()
    ['.', '-', '', '']
    """
    if not markers:
        return np.full(len(uniques), "", dtype=object)
    return np.array(
        [t if t in markers else "" for t in (_text(v) for v in uniques)] + [""], dtype=object
    )[: len(uniques)]


def describe_markers(where: str, counts: dict[str, int], markers: dict[str, str]) -> str:
    """The report's words for the marker cells of one column.

    Examples
    --------
    >>> describe_markers("column 'Waarde'", {".": 3, "-": 1}, {".": "missing", "-": "zero"})
    "column 'Waarde': 3 cells '.' read as missing, 1 cell '-' read as 0 (missing_markers)"
    """
    parts = [
        f"{n} cell{'s' if n != 1 else ''} {m!r} read as "
        + ("0" if markers[m] == "zero" else "missing")
        for m, n in counts.items()
        if n
    ]
    return f"{where}: " + ", ".join(parts) + " (missing_markers)"


def ages_on(birth: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Age in whole years on each reference date (``YYYY-MM-DD`` text; None is missing).

    A year is completed on the birthday; born on 29 February, it is completed
    on 1 March in a year without 29 February. A birth after the reference
    date gives a negative age (the caller refuses it).

    Examples
    --------
    >>> ages_on(np.array(["1960-03-01", "2025-01-01"], dtype=object),
    ...         np.array(["2024-02-29", "2024-03-01"], dtype=object)).tolist()
    [63.0, -1.0]
    """
    b = pd.to_datetime(pd.Series(birth, dtype=object), format="%Y-%m-%d", errors="coerce")
    r = pd.to_datetime(pd.Series(reference, dtype=object), format="%Y-%m-%d", errors="coerce")
    years = (r.dt.year - b.dt.year).to_numpy(dtype=float)
    before = (r.dt.month.to_numpy(dtype=float) * 100 + r.dt.day.to_numpy(dtype=float)) < (
        b.dt.month.to_numpy(dtype=float) * 100 + b.dt.day.to_numpy(dtype=float)
    )
    return years - before.astype(float)


def recode_number_column(
    codes: np.ndarray,
    uniques: np.ndarray,
    distinct,
    recoding: dict[str, str] | str | None,
    markers: dict[str, str],
    *,
    where: str,
    name: str,
    nullable: bool,
    quarantine,
) -> tuple[np.ndarray, np.ndarray, str | None]:
    """A factorized number column through its ``values`` recoding and ``missing_markers``.

    ``distinct`` is the column's distinct cells read as numbers
    (:class:`~.parse.DistinctNumbers`). Cells outside the recoding are
    quarantined as ``not in map`` and missing markers of a column that needs a
    value as ``missing value``, through ``quarantine(flagged, kind,
    message)`` over the distinct values. Returns the row values, the rows
    still "not a number", and the report's words for the markers (or None).

    Examples
    --------
    A CBS column with ``.`` (unknown) and ``-`` (nil) in a column that needs
    a value; ``x`` stays "not a number":

    >>> import pandas as pd
    >>> from netwerkonderzoek.harmonise.parse import read_distinct_numbers
    >>> codes, uniques = pd.factorize(np.array(["12", ".", "7,5", "-", "12", "x"], dtype=object))
    >>> flagged = []
    >>> def quarantine(mask, kind, message):
    ...     flagged.extend((uniques[c], kind, message(c)) for c in np.flatnonzero(mask))
    >>> values, bad, note = recode_number_column(
    ...     codes, uniques, read_distinct_numbers(uniques, ",", ".", False), None,
    ...     {".": "missing", "-": "zero"}, where="column 'Waarde'", name="value",
    ...     nullable=False, quarantine=quarantine)
    >>> values.tolist(), bad.tolist()
    ([12.0, nan, 7.5, 0.0, 12.0, nan], [False, False, False, False, False, True])
    >>> note
    "column 'Waarde': 1 cell '.' read as missing, 1 cell '-' read as 0 (missing_markers)"
    >>> flagged
    [('.', 'missing value', "column 'Waarde': '.' marks a missing value (missing_markers); expected a number")]
    """
    values_u, bad_u = distinct.values.copy(), distinct.bad.copy()
    marks = marker_values(uniques, markers)
    is_mark = marks != ""
    note = None
    if recoding is not None:
        numbers = np.where(bad_u, np.nan, values_u)
        values_u, outside, expected = recode_numbers(uniques, recoding, numbers)
        bad_u = np.zeros(len(uniques), dtype=bool)
        quarantine(
            outside & ~is_mark,
            "not in map",
            lambda c: f"{where}: got {cell_repr(uniques[c])}; expected {expected} (values.{name})",
        )
    if is_mark.any():
        zero = np.array([markers.get(m) == "zero" for m in marks], dtype=bool)
        values_u = np.where(zero, 0.0, np.where(is_mark, np.nan, values_u))
        bad_u = bad_u & ~is_mark
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        found = {m: int(counts[marks == m].sum()) for m in dict.fromkeys(marks[is_mark])}
        note = describe_markers(where, found, markers)
        if not nullable:
            quarantine(
                is_mark & ~zero,
                "missing value",
                lambda c: (
                    f"{where}: {cell_repr(uniques[c])} marks a missing value (missing_markers); "
                    "expected a number"
                ),
            )
    return np.append(values_u, np.nan)[codes], np.append(bad_u, False)[codes], note
