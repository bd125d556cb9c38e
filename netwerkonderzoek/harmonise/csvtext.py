"""CSV text of a table, byte for byte what ``DataFrame.to_csv`` writes, faster.

``pandas.DataFrame.to_csv(index=False, lineterminator="\\n")`` hands every
row to Python's :mod:`csv` writer: a million-row canonical table and its
provenance take seconds. :func:`csv_text` builds the same text column by
column: each distinct value of a text column is formatted (and quoted) once,
numbers are formatted as pandas formats them (``numpy`` ``astype(str)``,
missing as empty), and the rows are joined in one pass. Frames it does not
cover (one column, other dtypes) go to ``to_csv``; tests compare both on
random frames.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

__all__ = ["csv_text"]


def _special_characters() -> tuple[str, ...]:
    """Characters that make the csv module quote a field, as pandas calls it.

    ``,``, ``"`` and the line terminator always; a bare carriage return only
    in some Python versions, so the csv module is asked.
    """
    import csv

    found = []
    for char in (",", '"', "\n", "\r"):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow([char, "x"])
        if buffer.getvalue().startswith('"'):
            found.append(char)
    return tuple(found)


#: Characters that make the csv module (QUOTE_MINIMAL, "," and '"', "\n") quote a field.
_SPECIAL = _special_characters()


def _quoted(text: str) -> str:
    if any(c in text for c in _SPECIAL):
        return '"' + text.replace('"', '""') + '"'
    return text


def _text_fields(values: np.ndarray) -> np.ndarray | None:
    """Fields of a text column (quoted where needed, missing as empty), or None.

    None when a value is not text (a number or date in an object column:
    pandas formats those itself).
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if not all(type(v) is str for v in uniques):
        return None
    shown = np.array([_quoted(v) for v in uniques] + [""], dtype=object)
    return shown[codes]


def _number_fields(series: pd.Series) -> np.ndarray | None:
    """Fields of a numeric column as pandas writes them, or None when not covered."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f" and dtype.itemsize == 8:
        values = series.to_numpy()
        if np.signbit(values[values == 0]).any():  # -0.0 and 0.0 are one value to factorize
            fields = values.astype(str).astype(object)
            fields[np.isnan(values)] = ""
            return fields
        return _formatted(values)
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return _formatted(series.to_numpy())
    if isinstance(dtype, pd.Int64Dtype):
        missing = series.isna().to_numpy()
        fields = _formatted(series.to_numpy(dtype="int64", na_value=0))
        fields[missing] = ""
        return fields
    return None


def _formatted(values: np.ndarray) -> np.ndarray:
    """``values.astype(str)`` (missing NaN as empty), formatting each distinct value once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.append(uniques.astype(str).astype(object), "")[codes]


def csv_text(frame: pd.DataFrame) -> str:
    """``frame.to_csv(index=False, lineterminator="\\n")``, built column-wise.

    A lone carriage return in a text cell makes every text field quoted
    (:func:`netwerkonderzoek.tables.csv_quoting`), so the cell stays in its row.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": ["x", "y,z", None], "b": [1.5, float("nan"), 1e-05]})
    >>> csv_text(frame) == frame.to_csv(index=False, lineterminator="\\n")
    True
    """
    import csv

    from ..tables import csv_quoting

    if csv_quoting(frame) != csv.QUOTE_MINIMAL:  # a lone carriage return in a text cell
        return _pandas(frame)
    columns = list(frame.columns)
    if len(columns) < 2 or not all(isinstance(c, str) for c in columns):
        return _pandas(frame)
    fields = []
    for position in range(len(columns)):
        series = frame.iloc[:, position]
        dtype = series.dtype
        if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype):
            column = _text_fields(series.to_numpy(dtype=object))
        else:
            column = _number_fields(series)
        if column is None:
            return _pandas(frame)
        fields.append(column)
    header = ",".join(_quoted(c) for c in columns)
    if not len(frame):
        return header + "\n"
    body = "\n".join(map(",".join, zip(*(f.tolist() for f in fields), strict=True)))
    return header + "\n" + body + "\n"


def _pandas(frame: pd.DataFrame) -> str:
    from ..tables import csv_quoting

    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", quoting=csv_quoting(frame))
    return buffer.getvalue()
