"""Shared pieces of the QCA subpackage: the error class, data checks, terms.

A *term* (a conjunction of literals) is stored as a tuple of ternary digits,
one per condition, in the order of the ``conditions`` argument:

* ``1`` - the condition is present in the term (``DEV``),
* ``0`` - the condition is negated in the term (``~DEV``),
* ``2`` - the condition does not appear in the term (minimised away).

A truth table row (a configuration) is an integer whose bits are the
condition values, the *first* condition being the most significant bit, as
in R QCA; its row number (``row`` in the tables) is that integer plus one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..exceptions import NetwerkonderzoekError

__all__ = ["QCAError"]

TOLERANCE = 1e-10


class QCAError(NetwerkonderzoekError):
    """Invalid input to, or an impossible request of, a QCA function."""


# --------------------------------------------------------------------------
# data checks
# --------------------------------------------------------------------------
def split_outcome(outcome: str) -> tuple[str, bool]:
    """Return ``(column, negated)`` for an outcome such as ``"~SURV"``."""
    if not isinstance(outcome, str) or not outcome.strip():
        raise QCAError(f"The 'outcome' must be a column name such as 'SURV'. Got {outcome!r}.")
    name = outcome.strip()
    negated = name.startswith("~")
    name = name.lstrip("~").strip()
    if not name:
        raise QCAError(f"The 'outcome' {outcome!r} names no column.")
    return name, negated


def check_frame(data: object, what: str = "data") -> pd.DataFrame:
    """Return ``data`` as a DataFrame or raise a :class:`QCAError`."""
    if isinstance(data, pd.DataFrame):
        return data
    raise QCAError(f"The '{what}' must be a pandas DataFrame. Got {type(data).__name__} instead.")


def check_columns(data: pd.DataFrame, columns: Sequence[str], role: str) -> None:
    """Raise a :class:`QCAError` naming every column of ``columns`` not in ``data``."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise QCAError(
            f"Unknown {role} column(s) {missing}; the data has columns {list(data.columns)}."
        )


def membership_column(data: pd.DataFrame, column: str, role: str) -> np.ndarray:
    """Return a column as float membership scores in [0, 1], or raise naming it."""
    series = data[column]
    if series.dtype == bool:
        series = series.astype(float)
    if not pd.api.types.is_numeric_dtype(series):
        bad = [v for v in series if not isinstance(v, int | float | np.number)][:3]
        raise QCAError(
            f"{role.capitalize()} column '{column}' is not numeric (dtype {series.dtype}, "
            f"values such as {bad}); calibrate it into membership scores first."
        )
    values = series.to_numpy(dtype=float)
    missing = np.isnan(values)
    if missing.any():
        cases = [str(c) for c in data.index[missing][:5]]
        raise QCAError(
            f"{role.capitalize()} column '{column}' has {int(missing.sum())} missing "
            f"value(s) (cases {cases}); QCA needs a membership score for every case."
        )
    outside = (values < 0) | (values > 1)
    if outside.any():
        where = [
            f"{c}={v:g}" for c, v in zip(data.index[outside][:5], values[outside][:5], strict=True)
        ]
        raise QCAError(
            f"{role.capitalize()} column '{column}' has membership scores outside [0, 1] "
            f"({', '.join(where)}); calibrate the raw values first (multi-value QCA is "
            "not supported: recode a multi-value condition into binary conditions)."
        )
    return values


def check_conditions(
    data: pd.DataFrame, conditions: Iterable[str] | None, exclude: Sequence[str]
) -> tuple[str, ...]:
    """Resolve ``conditions`` (``None`` = every column not in ``exclude``)."""
    if conditions is None:
        result = tuple(str(c) for c in data.columns if c not in exclude)
    elif isinstance(conditions, str):
        result = tuple(c.strip() for c in conditions.split(",") if c.strip())
    else:
        result = tuple(conditions)
    if not result:
        raise QCAError("No conditions given: name at least one condition column.")
    duplicated = sorted({c for c in result if result.count(c) > 1})
    if duplicated:
        raise QCAError(f"Condition(s) {duplicated} are given more than once.")
    clash = [c for c in result if c in exclude]
    if clash:
        raise QCAError(f"The outcome {clash} cannot also be a condition.")
    for c in result:
        if not isinstance(c, str) or not c or any(ch in c for ch in "*+~() "):
            raise QCAError(
                f"Condition name {c!r} cannot be used: names must be non-empty strings "
                "without '*', '+', '~', brackets or spaces."
            )
    check_columns(data, result, "condition")
    return result


# --------------------------------------------------------------------------
# terms
# --------------------------------------------------------------------------
def term_string(term: Sequence[int], conditions: Sequence[str]) -> str:
    """Write a term in the standard notation (``DEV*~URB``)."""
    parts = [
        name if digit == 1 else f"~{name}"
        for digit, name in zip(term, conditions, strict=True)
        if digit != 2
    ]
    return "*".join(parts) if parts else "1"


def term_key(term: Sequence[int]) -> tuple:
    """Sort key of a term: fewer literals first, then by condition order.

    Two terms with the same number of literals are compared at the first
    condition where they differ: the term that contains that condition comes
    first, a present condition before a negated one. This reproduces the
    order in which R QCA prints the Lipset solutions.
    """
    rank = {1: 0, 0: 1, 2: 2}
    return (sum(d != 2 for d in term), tuple(rank[int(d)] for d in term))


def solution_key(terms: Sequence[Sequence[int]]) -> tuple:
    """Sort key of a solution: fewer terms, fewer literals, then its terms."""
    return (
        len(terms),
        sum(sum(d != 2 for d in t) for t in terms),
        tuple(term_key(t) for t in terms),
    )


def masks(terms: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Bit masks of terms (``n_terms x k`` digits): which bits count, their values."""
    terms = np.asarray(terms, dtype=np.int64).reshape(-1, k)
    weights = np.int64(1) << np.arange(k - 1, -1, -1, dtype=np.int64)
    mask = ((terms != 2) * weights).sum(axis=1)
    value = ((terms == 1) * weights).sum(axis=1)
    return mask, value


def covers(terms: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """Boolean matrix ``terms x rows``: does each term cover each row (an integer)?"""
    mask, value = masks(terms, k)
    rows = np.asarray(rows, dtype=np.int64)
    return (rows[None, :] & mask[:, None]) == value[:, None]


def row_bits(rows: np.ndarray, k: int) -> np.ndarray:
    """The condition values (``len(rows) x k``, 0/1) of row integers."""
    rows = np.asarray(rows, dtype=np.int64)
    shifts = np.arange(k - 1, -1, -1, dtype=np.int64)
    return ((rows[:, None] >> shifts[None, :]) & 1).astype(np.int8)


def term_membership(x: np.ndarray, term: Sequence[int]) -> np.ndarray:
    """Fuzzy membership of cases (rows of ``x``, cases x conditions) in a term."""
    out = np.ones(x.shape[0])
    for j, digit in enumerate(term):
        if digit == 1:
            out = np.minimum(out, x[:, j])
        elif digit == 0:
            out = np.minimum(out, 1.0 - x[:, j])
    return out


def parse_term(text: str, conditions: Sequence[str]) -> tuple[int, ...]:
    """Parse ``"DEV*~URB"`` into digits over ``conditions``."""
    digits = [2] * len(conditions)
    for literal in text.split("*"):
        literal = literal.strip()
        negated = literal.startswith("~")
        name = literal.lstrip("~").strip()
        if name not in conditions:
            raise QCAError(
                f"Unknown condition '{name}' in the term '{text.strip()}'; "
                f"known conditions are {list(conditions)}."
            )
        j = list(conditions).index(name)
        value = 0 if negated else 1
        if digits[j] != 2 and digits[j] != value:
            raise QCAError(f"The term '{text.strip()}' contains both '{name}' and '~{name}'.")
        digits[j] = value
    return tuple(digits)


def parse_expression(text: str, conditions: Sequence[str]) -> list[tuple[int, ...]]:
    """Parse ``"DEV*~IND + URB*STB"`` into a list of terms."""
    if not isinstance(text, str) or not text.strip():
        raise QCAError(f"An expression such as 'DEV*~IND + URB*STB' is needed. Got {text!r}.")
    return [parse_term(part, conditions) for part in text.split("+")]
