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
    """Return ``(column, negated)`` for an outcome such as ``"~SURV"``.

    Examples
    --------
    >>> split_outcome("~SURV"), split_outcome(" SURV ")
    (('SURV', True), ('SURV', False))
    >>> split_outcome("~")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.qca._common.QCAError: The 'outcome' '~' names no column.
    """
    if not isinstance(outcome, str) or not outcome.strip():
        raise QCAError(f"The 'outcome' must be a column name such as 'SURV'. Got {outcome!r}.")
    name = outcome.strip()
    negated = name.startswith("~")
    name = name.lstrip("~").strip()
    if not name:
        raise QCAError(f"The 'outcome' {outcome!r} names no column.")
    return name, negated


def check_frame(data: object, what: str = "data") -> pd.DataFrame:
    """Return ``data`` as a DataFrame or raise a :class:`QCAError`.

    Examples
    --------
    >>> frame = pd.DataFrame({"DEV": [1, 0]})
    >>> check_frame(frame) is frame
    True
    >>> check_frame([[1], [0]])
    Traceback (most recent call last):
    ...
    netwerkonderzoek.qca._common.QCAError: The 'data' must be a pandas DataFrame. Got list instead.
    """
    if isinstance(data, pd.DataFrame):
        return data
    raise QCAError(f"The '{what}' must be a pandas DataFrame. Got {type(data).__name__} instead.")


def check_columns(data: pd.DataFrame, columns: Sequence[str], role: str) -> None:
    """Raise a :class:`QCAError` naming every column of ``columns`` not in ``data``.

    Examples
    --------
    >>> data = pd.DataFrame({"DEV": [1, 0], "STB": [1, 1], "SURV": [1, 0]})
    >>> check_columns(data, ["DEV", "STB"], "condition")
    >>> check_columns(data, ["DEV", "URB"], "condition")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.qca._common.QCAError: Unknown condition column(s) ['URB']; the data has columns ['DEV', 'STB', 'SURV'].
    """
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise QCAError(
            f"Unknown {role} column(s) {missing}; the data has columns {list(data.columns)}."
        )


def membership_column(data: pd.DataFrame, column: str, role: str) -> np.ndarray:
    """Return a column as float membership scores in [0, 1], or raise naming it.

    Booleans become 0/1; a non-numeric column, a missing value or a score
    outside [0, 1] raises, naming the cases.

    Examples
    --------
    >>> data = pd.DataFrame({"DEV": [0.81, 0.99], "STB": [0.43, 1.2], "SURV": [False, True]},
    ...                     index=["AU", "BE"])
    >>> membership_column(data, "DEV", "condition"), membership_column(data, "SURV", "outcome")
    (array([0.81, 0.99]), array([0., 1.]))
    >>> membership_column(data, "STB", "condition")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.qca._common.QCAError: Condition column 'STB' has membership scores outside [0, 1] (BE=1.2); calibrate the raw values first (multi-value QCA is not supported: recode a multi-value condition into binary conditions).
    """
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
    """Resolve ``conditions`` (``None`` = every column not in ``exclude``).

    A string is split at commas. Names must be unique, not the outcome, free
    of ``*+~()`` and spaces, and columns of ``data``.

    Examples
    --------
    >>> data = pd.DataFrame({"DEV": [1, 0], "STB": [1, 1], "SURV": [1, 0]})
    >>> check_conditions(data, None, ("SURV",)), check_conditions(data, "DEV, STB", ("SURV",))
    (('DEV', 'STB'), ('DEV', 'STB'))
    >>> check_conditions(data, ["DEV", "SURV"], ("SURV",))
    Traceback (most recent call last):
    ...
    netwerkonderzoek.qca._common.QCAError: The outcome ['SURV'] cannot also be a condition.
    """
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
    """Write a term in the standard notation (``DEV*~URB``).

    Examples
    --------
    A term of the parsimonious solution of the fuzzy Lipset data (Rihoux &
    Ragin 2009; R QCA), and the empty term:

    >>> conditions = ("DEV", "URB", "LIT", "IND", "STB")
    >>> term_string((1, 2, 2, 0, 2), conditions), term_string((2, 2, 2, 2, 2), conditions)
    ('DEV*~IND', '1')
    """
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

    Examples
    --------
    Over DEV, URB, LIT, IND, STB: the two-literal terms first, DEV before
    URB, DEV*~IND (IND at position 4) before DEV*STB (STB at 5):

    >>> terms = [(1, 0, 1, 2, 1), (2, 1, 2, 2, 1), (1, 2, 2, 2, 1), (1, 2, 2, 0, 2)]
    >>> sorted(terms, key=term_key)
    [(1, 2, 2, 0, 2), (1, 2, 2, 2, 1), (2, 1, 2, 2, 1), (1, 0, 1, 2, 1)]
    """
    rank = {1: 0, 0: 1, 2: 2}
    return (sum(d != 2 for d in term), tuple(rank[int(d)] for d in term))


def solution_key(terms: Sequence[Sequence[int]]) -> tuple:
    """Sort key of a solution: fewer terms, fewer literals, then its terms.

    Examples
    --------
    >>> dev_stb = [(1, 2, 2, 2, 1)]  # DEV*STB
    >>> dev_ind_urb_stb = [(1, 2, 2, 0, 2), (2, 1, 2, 2, 1)]  # DEV*~IND + URB*STB
    >>> sorted([dev_ind_urb_stb, dev_stb], key=solution_key)[0] == dev_stb
    True
    >>> solution_key(dev_ind_urb_stb)[:2]  # terms, literals
    (2, 4)
    """
    return (
        len(terms),
        sum(sum(d != 2 for d in t) for t in terms),
        tuple(term_key(t) for t in terms),
    )


def masks(terms: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Bit masks of terms (``n_terms x k`` digits): which bits count, their values.

    Examples
    --------
    DEV*STB over five conditions: bits 16 (DEV) and 1 (STB) count, both set.

    >>> masks(np.array([[1, 2, 2, 2, 1]]), 5)
    (array([17]), array([17]))
    >>> masks(np.array([[1, 2, 2, 0, 2]]), 5)  # DEV*~IND: bit 2 counts, unset
    (array([18]), array([16]))
    """
    terms = np.asarray(terms, dtype=np.int64).reshape(-1, k)
    weights = np.int64(1) << np.arange(k - 1, -1, -1, dtype=np.int64)
    mask = ((terms != 2) * weights).sum(axis=1)
    value = ((terms == 1) * weights).sum(axis=1)
    return mask, value


def covers(terms: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """Boolean matrix ``terms x rows``: does each term cover each row (an integer)?

    Examples
    --------
    DEV*STB covers the configurations with the first and last bit set
    (17 = 10001, 31 = 11111, 21 = 10101), not 30 = 11110:

    >>> covers(np.array([[1, 2, 2, 2, 1]]), np.array([17, 31, 30, 21]), 5)
    array([[ True,  True, False,  True]])
    """
    mask, value = masks(terms, k)
    rows = np.asarray(rows, dtype=np.int64)
    return (rows[None, :] & mask[:, None]) == value[:, None]


def row_bits(rows: np.ndarray, k: int) -> np.ndarray:
    """The condition values (``len(rows) x k``, 0/1) of row integers.

    Examples
    --------
    >>> row_bits(np.array([0, 17, 31]), 5)  # R QCA rows 1, 18 and 32
    array([[0, 0, 0, 0, 0],
           [1, 0, 0, 0, 1],
           [1, 1, 1, 1, 1]], dtype=int8)
    """
    rows = np.asarray(rows, dtype=np.int64)
    shifts = np.arange(k - 1, -1, -1, dtype=np.int64)
    return ((rows[:, None] >> shifts[None, :]) & 1).astype(np.int8)


def term_membership(x: np.ndarray, term: Sequence[int]) -> np.ndarray:
    """Fuzzy membership of cases (rows of ``x``, cases x conditions) in a term.

    The minimum over the term's literals, ``1 - x`` for a negated one.

    Examples
    --------
    DEV*~IND for Austria (DEV 0.81, IND 0.73) and Ireland (0.72, 0.01) in the
    fuzzy Lipset data: min(0.81, 0.27) and min(0.72, 0.99).

    >>> term_membership(np.array([[0.81, 0.73], [0.72, 0.01]]), (1, 0))
    array([0.27, 0.72])
    """
    out = np.ones(x.shape[0])
    for j, digit in enumerate(term):
        if digit == 1:
            out = np.minimum(out, x[:, j])
        elif digit == 0:
            out = np.minimum(out, 1.0 - x[:, j])
    return out


def parse_term(text: str, conditions: Sequence[str]) -> tuple[int, ...]:
    """Parse ``"DEV*~URB"`` into digits over ``conditions``.

    Examples
    --------
    >>> parse_term("DEV*~IND", ("DEV", "URB", "LIT", "IND", "STB"))
    (1, 2, 2, 0, 2)
    >>> parse_term("DEV*~DEV", ("DEV", "URB"))
    Traceback (most recent call last):
    ...
    netwerkonderzoek.qca._common.QCAError: The term 'DEV*~DEV' contains both 'DEV' and '~DEV'.
    """
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
    """Parse ``"DEV*~IND + URB*STB"`` into a list of terms.

    Examples
    --------
    The parsimonious solution of the fuzzy Lipset data (Rihoux & Ragin 2009;
    R QCA):

    >>> parse_expression("DEV*~IND + URB*STB", ("DEV", "URB", "LIT", "IND", "STB"))
    [(1, 2, 2, 0, 2), (2, 1, 2, 2, 1)]
    """
    if not isinstance(text, str) or not text.strip():
        raise QCAError(f"An expression such as 'DEV*~IND + URB*STB' is needed. Got {text!r}.")
    return [parse_term(part, conditions) for part in text.split("+")]
