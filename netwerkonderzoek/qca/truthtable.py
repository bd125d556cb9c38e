"""Truth tables from calibrated (crisp or fuzzy) set membership data.

Each case belongs to the truth table row (configuration) in which its
membership is above 0.5; its membership in a row is the minimum over the
conditions of ``x`` (condition present) or ``1 - x`` (absent). Row inclusion
(consistency) and PRI use the membership of *all* cases in the row, as R QCA
does:

* inclusion ``= sum(min(X, Y)) / sum(X)``
* PRI ``= (sum(min(X, Y)) - sum(min(X, Y, 1 - Y))) / (sum(X) - sum(min(X, Y, 1 - Y)))``

with ``X`` the row membership and ``Y`` the outcome membership. A row with at
least ``n_cut`` cases gets ``OUT = "1"`` when its inclusion reaches the
inclusion cut-off and its PRI reaches ``pri_cut``; with two cut-offs
``[ic1, ic0]`` a row with ``ic0 <= inclusion < ic1`` is a contradiction
(``"C"``); the other rows get ``"0"``. Rows with fewer than ``n_cut`` cases
(``"?"``) and unobserved rows are *remainders*. Cut-offs are compared with a
tolerance of 1e-10 so that an inclusion of 0.8 computed as 0.7999999999
still reaches 0.8.

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.qca import truth_table
>>> data = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 1], "Y": [1, 1, 0, 1]},
...                     index=["p", "q", "r", "s"])
>>> tt = truth_table(data, outcome="Y", conditions=["A", "B"])
>>> tt.table.reset_index()[["row", "A", "B", "OUT", "n", "incl", "cases"]]
   row  A  B OUT  n  incl cases
0    2  0  1   0  2   0.5   r,s
1    3  1  0   1  1   1.0     q
2    4  1  1   1  1   1.0     p
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..exceptions import NetwerkonderzoekWarning
from ._common import (
    TOLERANCE,
    QCAError,
    check_columns,
    check_conditions,
    check_frame,
    membership_column,
    row_bits,
    split_outcome,
)

__all__ = ["TruthTable", "truth_table"]

MAX_CONDITIONS = 16


@dataclass(frozen=True, repr=False)
class TruthTable:
    """A truth table and everything needed to minimise it.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per observed configuration, indexed by ``row`` (R QCA row
        number: the configuration read as a binary number, plus one), with
        the condition values (0/1), ``OUT`` (``"1"``, ``"0"``, ``"C"``, or
        ``"?"`` below ``n_cut``), ``n``, ``incl``, ``PRI`` and ``cases``.
    conditions : tuple of str
        Condition names, in the given order.
    outcome : str
        Outcome name, ``"~SURV"`` for a negated outcome.
    incl_cut : tuple of float
        ``(ic1, ic0)``; equal when one cut-off was given.
    n_cut : int
        Frequency threshold.
    pri_cut : float
        PRI threshold for a positive row.
    data : pandas.DataFrame
        Membership scores of the conditions and the outcome (as given, not
        negated), one row per case.
    diversity : float
        Share of the ``2**k`` logically possible configurations observed in
        at least one case; a low share means limited diversity.
    """

    table: pd.DataFrame
    conditions: tuple[str, ...]
    outcome: str
    incl_cut: tuple[float, float]
    n_cut: int
    pri_cut: float
    data: pd.DataFrame
    diversity: float
    x: np.ndarray = field(repr=False)
    y: np.ndarray = field(repr=False)

    @property
    def k(self) -> int:
        """Number of conditions."""
        return len(self.conditions)

    def _rows(self, outs: Sequence[str]) -> np.ndarray:
        keep = self.table["OUT"].isin(outs).to_numpy()
        return self.table.index.to_numpy(dtype=np.int64)[keep] - 1

    @property
    def positive_rows(self) -> np.ndarray:
        """Row integers (row number - 1) with ``OUT == "1"``."""
        return self._rows(["1"])

    @property
    def negative_rows(self) -> np.ndarray:
        """Row integers with ``OUT`` ``"0"`` or ``"C"`` (never used as remainders)."""
        return self._rows(["0", "C"])

    def remainder_mask(self) -> np.ndarray:
        """Boolean over all ``2**k`` row integers: is the row a remainder?"""
        mask = np.ones(2**self.k, dtype=bool)
        mask[self.positive_rows] = False
        mask[self.negative_rows] = False
        return mask

    @property
    def remainders(self) -> pd.DataFrame:
        """The remainder configurations (unobserved, or fewer than ``n_cut`` cases)."""
        rows = np.flatnonzero(self.remainder_mask())
        frame = pd.DataFrame(row_bits(rows, self.k), columns=list(self.conditions))
        frame.index = pd.Index(rows + 1, name="row")
        return frame

    def __repr__(self) -> str:
        return (
            f"TruthTable(outcome={self.outcome!r}, conditions={list(self.conditions)}, "
            f"incl_cut={self.incl_cut}, n_cut={self.n_cut}, pri_cut={self.pri_cut}, "
            f"rows={len(self.table)}, diversity={self.diversity:.3f})\n"
            f"{self.table.to_string()}"
        )

    def _repr_html_(self) -> str:
        import html

        ic1, ic0 = self.incl_cut
        cut = f"{ic1:g}" if ic1 == ic0 else f"{ic1:g} / {ic0:g}"
        head = (
            f"<p><b>Truth table</b> for <code>{html.escape(str(self.outcome))}</code>: "
            f"{len(self.table)} observed of {2**self.k} possible configurations "
            f"(diversity {self.diversity:.1%}); incl_cut {cut}, n_cut {self.n_cut}, "
            f"pri_cut {self.pri_cut:g}.</p>"
        )
        return head + self.table.to_html(float_format=lambda v: f"{v:.3f}")


def _cut_offs(incl_cut: object) -> tuple[float, float]:
    values = np.atleast_1d(np.asarray(incl_cut, dtype=float))
    if values.ndim != 1 or values.size not in (1, 2) or not np.isfinite(values).all():
        raise QCAError(
            "The 'incl_cut' parameter must be one number or two numbers [ic1, ic0]. "
            f"Got {incl_cut!r} instead."
        )
    ic1 = float(values[0])
    ic0 = float(values[-1])
    if not (0 <= ic0 <= ic1 <= 1):
        raise QCAError(
            f"The 'incl_cut' values must lie in [0, 1] with ic0 <= ic1. Got {incl_cut!r} instead."
        )
    return ic1, ic0


def truth_table(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    incl_cut: float | Sequence[float] = 1.0,
    n_cut: int = 1,
    pri_cut: float = 0.0,
) -> TruthTable:
    """Build the truth table of an outcome over conditions.

    Parameters
    ----------
    data : pandas.DataFrame
        Membership scores in [0, 1], one row per case; the index names the
        cases.
    outcome : str
        Outcome column; prefix with ``~`` (``"~SURV"``) for the negated
        outcome (membership ``1 - Y``).
    conditions : sequence of str, optional
        Condition columns, in the order used in solutions; by default every
        column except the outcome.
    incl_cut : float or [float, float], default 1.0
        Inclusion cut-off; two values ``[ic1, ic0]`` mark rows with
        ``ic0 <= incl < ic1`` as contradictions ``"C"``.
    n_cut : int, default 1
        Minimum number of cases for a row to be used; rows below are
        remainders.
    pri_cut : float, default 0
        Minimum PRI for a positive row.

    Returns
    -------
    TruthTable

    Raises
    ------
    QCAError
        On unknown or non-numeric columns, missing values, scores outside
        [0, 1], a condition without variation, more than 16 conditions, or
        bad cut-offs.

    Warns
    -----
    NetwerkonderzoekWarning
        On limited diversity (fewer cases than half the ``2**k`` possible
        configurations; the share observed is in ``diversity``) and on cases
        with a score of exactly 0.5, which fall into no row.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"A": [0.9, 0.8, 0.2], "Y": [0.7, 0.9, 0.1]})
    >>> tt = truth_table(data, outcome="Y", incl_cut=0.8)
    >>> tt.table.reset_index()[["row", "A", "OUT", "n", "incl", "PRI"]].round(3)
       row  A OUT  n   incl    PRI
    0    1  0   0  1  0.364  0.125
    1    2  1   1  2  0.842  0.786
    """
    data = check_frame(data)
    out_name, negated = split_outcome(outcome)
    check_columns(data, [out_name], "outcome")
    conditions = check_conditions(data, conditions, exclude=[out_name])
    k = len(conditions)
    if k > MAX_CONDITIONS:
        raise QCAError(
            f"{k} conditions is more than the {MAX_CONDITIONS} this exact minimisation "
            "supports; with so many conditions nearly every configuration is a remainder."
        )
    ic1, ic0 = _cut_offs(incl_cut)
    if isinstance(n_cut, bool) or not isinstance(n_cut, int | np.integer) or n_cut < 1:
        raise QCAError(f"The 'n_cut' parameter must be an integer >= 1. Got {n_cut!r} instead.")
    if not 0 <= float(pri_cut) <= 1:
        raise QCAError(f"The 'pri_cut' parameter must lie in [0, 1]. Got {pri_cut!r} instead.")
    if len(data) == 0:
        raise QCAError("The data has no cases.")

    x = np.column_stack([membership_column(data, c, "condition") for c in conditions])
    y_raw = membership_column(data, out_name, "outcome")
    y = 1.0 - y_raw if negated else y_raw
    cases = np.array([str(c) for c in data.index], dtype=object)

    for j, c in enumerate(conditions):
        above = x[:, j] > 0.5
        if above.all() or (~above).all():
            side = "above" if above.all() else "at or below"
            raise QCAError(
                f"Condition '{c}' has no variation: all {len(x)} cases have membership "
                f"{side} 0.5, so it cannot distinguish configurations; drop it or "
                "recalibrate."
            )

    at_half = (x == 0.5).any(axis=1)
    if at_half.any():
        warnings.warn(
            f"Case(s) {list(cases[at_half])} have a condition membership of exactly 0.5 "
            "and belong to no truth table row.",
            NetwerkonderzoekWarning,
            stacklevel=2,
        )
    weights = np.int64(1) << np.arange(k - 1, -1, -1, dtype=np.int64)
    case_row = ((x > 0.5).astype(np.int64) * weights).sum(axis=1)
    case_row[at_half] = -1
    rows, counts = np.unique(case_row[case_row >= 0], return_counts=True)

    bits = row_bits(rows, k).astype(bool)
    member = np.where(bits[:, None, :], x[None, :, :], 1.0 - x[None, :, :]).min(axis=2)
    both = np.minimum(member, y[None, :])
    sum_x = member.sum(axis=1)
    sum_xy = both.sum(axis=1)
    sum_xyn = np.minimum(both, 1.0 - y[None, :]).sum(axis=1)
    incl = sum_xy / sum_x
    with np.errstate(invalid="ignore", divide="ignore"):
        pri = (sum_xy - sum_xyn) / (sum_x - sum_xyn)

    out = np.full(len(rows), "0", dtype=object)
    passes = incl >= ic1 - TOLERANCE
    out[passes & (pri >= float(pri_cut) - TOLERANCE)] = "1"
    out[(incl < ic1 - TOLERANCE) & (incl >= ic0 - TOLERANCE)] = "C"
    out[counts < n_cut] = "?"

    table = pd.DataFrame(bits.astype(int), columns=list(conditions))
    table["OUT"] = out
    table["n"] = counts
    table["incl"] = incl
    table["PRI"] = pri
    table["cases"] = [",".join(cases[case_row == r]) for r in rows]
    table.index = pd.Index(rows + 1, name="row")

    diversity = len(rows) / 2**k
    if 2**k > 2 * len(data):
        warnings.warn(
            f"Limited diversity: {len(data)} cases for {k} conditions "
            f"({2**k} possible configurations); only {len(rows)} configurations "
            f"({diversity:.1%}) are observed, so solutions with remainders rest on many "
            "counterfactual assumptions. Consider fewer conditions.",
            NetwerkonderzoekWarning,
            stacklevel=2,
        )
    frame = data[[*conditions, out_name]].copy()
    return TruthTable(
        table=table,
        conditions=conditions,
        outcome=("~" if negated else "") + out_name,
        incl_cut=(ic1, ic0),
        n_cut=int(n_cut),
        pri_cut=float(pri_cut),
        data=frame,
        diversity=diversity,
        x=x,
        y=y,
    )
