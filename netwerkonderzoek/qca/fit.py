"""Parameters of fit: sufficiency (inclusion, PRI, coverage) and necessity.

Sufficiency of ``X`` for ``Y`` (Ragin 2006; PRI: Ragin 2008):

* inclusion ``= sum(min(X, Y)) / sum(X)``
* PRI ``= (sum(min(X, Y)) - sum(min(X, Y, 1 - Y))) / (sum(X) - sum(min(X, Y, 1 - Y)))``
* raw coverage ``= sum(min(X, Y)) / sum(Y)``
* unique coverage of a term ``= coverage(solution) - coverage(solution without the term)``

Necessity of ``X`` for ``Y``:

* inclusion ``= sum(min(X, Y)) / sum(Y)``
* relevance of necessity (RoN, Schneider & Wagemann 2012)
  ``= sum(1 - X) / sum(1 - min(X, Y))``
* coverage ``= sum(min(X, Y)) / sum(X)``

A disjunction's membership is the maximum of its terms' memberships, a
term's the minimum of its literals'.

References
----------
Ragin, C. C. (2006). Set relations in social research: evaluating their
consistency and coverage. *Political Analysis* 14(3), 291-310.
doi:10.1093/pan/mpj019

Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the
Social Sciences*. Cambridge University Press. doi:10.1017/CBO9781139004244

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.qca import fit_expression
>>> data = pd.DataFrame({"A": [0.2, 0.8, 0.6, 1.0], "Y": [0.3, 0.7, 0.9, 0.8]})
>>> fit_expression(data, "A", outcome="Y").round(3)
  term  inclusion    PRI  coverage  unique_coverage
0    A      0.885  0.833     0.852            0.852
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._common import (
    QCAError,
    check_columns,
    check_conditions,
    check_frame,
    membership_column,
    parse_expression,
    split_outcome,
    term_membership,
    term_string,
)

__all__ = ["fit_expression", "membership", "necessity"]


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den > 0 else float("nan")


def sufficiency(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Inclusion, PRI and coverage of membership ``x`` as sufficient for ``y``.

    Examples
    --------
    By hand: sum min(x, y) = 2.3, sum x = 2.6, sum y = 2.7 and
    sum min(x, y, 1 - y) = 0.8, so inclusion 2.3 / 2.6, PRI 1.5 / 1.8 and
    coverage 2.3 / 2.7.

    >>> x, y = np.array([0.2, 0.8, 0.6, 1.0]), np.array([0.3, 0.7, 0.9, 0.8])
    >>> [round(v, 3) for v in sufficiency(x, y)]
    [0.885, 0.833, 0.852]
    """
    both = np.minimum(x, y)
    overlap = np.minimum(both, 1.0 - y).sum()
    incl = _ratio(both.sum(), x.sum())
    pri = _ratio(both.sum() - overlap, x.sum() - overlap)
    cov = _ratio(both.sum(), y.sum())
    return incl, pri, cov


def fit_table(
    x: np.ndarray,
    y: np.ndarray,
    terms: Sequence[Sequence[int]],
    conditions: Sequence[str],
    cache: dict | None = None,
) -> pd.DataFrame:
    """Fit of each term and of the disjunction (last row, ``term`` = the solution).

    ``cache`` (a dict) keeps term memberships and names between calls.

    Examples
    --------
    The parsimonious solution ``DEV*~IND + URB*STB`` of the fuzzy Lipset data
    (18 countries, Rihoux & Ragin 2009; R QCA's dataset ``LF``), whose
    published fit is inclusion 0.850 and coverage 0.714:

    >>> conditions = ("DEV", "URB", "IND", "STB")
    >>> x = np.array([  # AU BE CZ EE FI FR DE GR HU | IE IT NL PL PT RO ES SE UK
    ...     [0.81, 0.99, 0.58, 0.16, 0.58, 0.98, 0.89, 0.04, 0.07,
    ...      0.72, 0.34, 0.98, 0.02, 0.01, 0.01, 0.03, 0.95, 0.98],  # DEV
    ...     [0.12, 0.89, 0.98, 0.07, 0.03, 0.03, 0.79, 0.09, 0.16,
    ...      0.05, 0.10, 1.00, 0.17, 0.02, 0.03, 0.30, 0.13, 0.99],  # URB
    ...     [0.73, 1.00, 0.90, 0.01, 0.08, 0.81, 0.96, 0.36, 0.07,
    ...      0.01, 0.47, 0.94, 0.00, 0.11, 0.00, 0.21, 0.67, 1.00],  # IND
    ...     [0.43, 0.98, 0.91, 0.91, 0.58, 0.95, 0.31, 0.43, 0.13,
    ...      0.95, 0.58, 0.99, 0.00, 0.01, 0.84, 0.20, 0.91, 0.98],  # STB
    ... ]).T
    >>> y = np.array([0.05, 0.95, 0.89, 0.12, 0.77, 0.95, 0.05, 0.06, 0.42,
    ...               0.92, 0.05, 0.95, 0.12, 0.05, 0.21, 0.06, 0.95, 0.95])  # SURV
    >>> fit_table(x, y, [(1, 2, 0, 2), (2, 1, 2, 1)], conditions).round(3)
                     term     level  inclusion    PRI  coverage  unique_coverage
    0            DEV*~IND      term      0.815  0.721     0.284            0.194
    1             URB*STB      term      0.874  0.845     0.520            0.430
    2  DEV*~IND + URB*STB  solution      0.850  0.819     0.714              NaN
    """
    cache = {} if cache is None else cache
    for t in terms:
        if t not in cache:
            cache[t] = (term_membership(x, t), term_string(t, conditions))
    members = np.array([cache[t][0] for t in terms])
    both = np.minimum(members, y[None, :])
    overlap = np.minimum(both, 1.0 - y[None, :]).sum(axis=1)
    sum_x, sum_xy, sum_y = members.sum(axis=1), both.sum(axis=1), y.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        incl = np.where(sum_x > 0, sum_xy / sum_x, np.nan)
        pri = np.where(sum_x - overlap > 0, (sum_xy - overlap) / (sum_x - overlap), np.nan)
        cov = np.where(sum_y > 0, sum_xy / sum_y, np.nan)
    # unique coverage: the solution without term i is the max over the others,
    # i.e. the second largest membership where term i is the largest
    top = members.argmax(axis=0)
    first = members.max(axis=0)
    if len(members) > 1:
        masked = members.copy()
        masked[top, np.arange(members.shape[1])] = -np.inf
        second = masked.max(axis=0)
    else:
        second = np.zeros_like(first)
    _, _, cov_all = sufficiency(first, y)
    unique = np.array(
        [cov_all - sufficiency(np.where(top == i, second, first), y)[2] for i in range(len(terms))]
    )
    rows = [(cache[t][1], "term", incl[i], pri[i], cov[i], unique[i]) for i, t in enumerate(terms)]
    s_incl, s_pri, s_cov = sufficiency(first, y)
    name = " + ".join(cache[t][1] for t in terms)
    rows.append((name, "solution", s_incl, s_pri, s_cov, np.nan))
    return pd.DataFrame(
        rows, columns=["term", "level", "inclusion", "PRI", "coverage", "unique_coverage"]
    )


def _data_xy(data: pd.DataFrame, outcome: str, conditions: Sequence[str] | None):
    data = check_frame(data)
    name, negated = split_outcome(outcome)
    check_columns(data, [name], "outcome")
    conditions = check_conditions(data, conditions, exclude=[name])
    x = np.column_stack([membership_column(data, c, "condition") for c in conditions])
    y = membership_column(data, name, "outcome")
    return conditions, x, (1.0 - y if negated else y)


def membership(data: pd.DataFrame, expression: str) -> pd.Series:
    """Membership of each case in a sum-of-products expression.

    Parameters
    ----------
    data : pandas.DataFrame
        Membership scores, one row per case.
    expression : str
        For example ``"DEV*~IND + URB*STB"``.

    Returns
    -------
    pandas.Series
        Named by the expression, indexed like ``data``.

    Raises
    ------
    QCAError
        On unknown conditions or scores outside [0, 1].

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [0.2, 0.9], "B": [0.6, 0.3]}, index=["x", "y"])
    >>> membership(df, "A*~B + B")
    x    0.6
    y    0.7
    Name: A*~B + B, dtype: float64
    """
    data = check_frame(data)
    names = [c for c in data.columns if isinstance(c, str)]
    terms = parse_expression(expression, names)
    used = [c for j, c in enumerate(names) if any(t[j] != 2 for t in terms)]
    x = np.column_stack([membership_column(data, c, "condition") for c in used])
    idx = [names.index(c) for c in used]
    values = np.max([term_membership(x, [t[j] for j in idx]) for t in terms], axis=0)
    return pd.Series(values, index=data.index, name=expression)


def fit_expression(
    data: pd.DataFrame, expression: str, outcome: str, conditions: Sequence[str] | None = None
) -> pd.DataFrame:
    """Parameters of fit of an expression as sufficient for an outcome.

    Parameters
    ----------
    data : pandas.DataFrame
        Membership scores, one row per case.
    expression : str
        Sum of products such as ``"DEV*~IND + URB*STB"``.
    outcome : str
        Outcome column, ``"~Y"`` for the negated outcome.
    conditions : sequence of str, optional
        Conditions (fixes the order of literals in the output); all columns
        but the outcome by default.

    Returns
    -------
    pandas.DataFrame
        One row per term (``inclusion``, ``PRI``, ``coverage``,
        ``unique_coverage``) and, for more than one term, a last row for the
        whole expression (``unique_coverage`` NaN).

    Raises
    ------
    QCAError
        On unknown columns or conditions, or invalid scores.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [0, 1, 1, 0], "Y": [1, 1, 1, 0]})
    >>> fit_expression(df, "A + B", outcome="Y")
        term  inclusion  PRI  coverage  unique_coverage
    0      A        1.0  1.0  0.666667         0.333333
    1      B        1.0  1.0  0.666667         0.333333
    2  A + B        1.0  1.0  1.000000              NaN
    """
    conditions, x, y = _data_xy(data, outcome, conditions)
    terms = parse_expression(expression, conditions)
    table = fit_table(x, y, terms, conditions)
    if len(terms) == 1:
        table = table.iloc[:1]
    return table.drop(columns="level")


def necessity(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    *,
    disjunctions: int = 1,
    incl_cut: float = 0.0,
) -> pd.DataFrame:
    """Necessity analysis: single conditions, negations and their disjunctions.

    Parameters
    ----------
    data : pandas.DataFrame
        Membership scores, one row per case.
    outcome : str
        Outcome column, ``"~Y"`` for the negated outcome.
    conditions : sequence of str, optional
        Conditions to test; all columns but the outcome by default.
    disjunctions : int, default 1
        Largest number of literals (of different conditions) in a
        disjunction: 1 tests ``X`` and ``~X``; 2 also ``X + Z``, ``X + ~Z``...
    incl_cut : float, default 0
        Keep only rows with necessity inclusion at least this.

    Returns
    -------
    pandas.DataFrame
        Columns ``term``, ``inclusion``, ``RoN``, ``coverage``; single
        literals first (in condition order, each followed by its negation),
        then disjunctions of 2, 3, ... literals.

    Raises
    ------
    QCAError
        On unknown columns, invalid scores, or ``disjunctions`` outside
        ``1 .. len(conditions)``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [0.2, 0.8, 0.6, 1.0], "Y": [0.3, 0.7, 0.9, 0.8]})
    >>> necessity(df, outcome="Y").round(3)
      term  inclusion    RoN  coverage
    0    A      0.852  0.824     0.885
    1   ~A      0.333  0.839     0.643
    """
    conditions, x, y = _data_xy(data, outcome, conditions)
    k = len(conditions)
    if (
        isinstance(disjunctions, bool)
        or not isinstance(disjunctions, int)
        or not (1 <= disjunctions <= k)
    ):
        raise QCAError(
            f"The 'disjunctions' parameter must be an integer from 1 to {k}. "
            f"Got {disjunctions!r} instead."
        )
    literals = [(j, v) for j in range(k) for v in (1, 0)]
    values = {(j, v): x[:, j] if v else 1.0 - x[:, j] for j, v in literals}
    rows = []
    for size in range(1, disjunctions + 1):
        for combo in itertools.combinations(literals, size):
            if len({j for j, _ in combo}) < size:
                continue
            member = np.max([values[lit] for lit in combo], axis=0)
            both = np.minimum(member, y)
            name = " + ".join(("" if v else "~") + conditions[j] for j, v in combo)
            rows.append(
                (
                    name,
                    _ratio(both.sum(), y.sum()),
                    _ratio((1.0 - member).sum(), (1.0 - both).sum()),
                    _ratio(both.sum(), member.sum()),
                )
            )
    table = pd.DataFrame(rows, columns=["term", "inclusion", "RoN", "coverage"])
    return table[table["inclusion"] >= incl_cut].reset_index(drop=True)
