"""The result of a minimisation: solutions, fit and the remainders they use.

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.qca import truth_table, minimize
>>> data = pd.DataFrame({"A": [1, 0, 0], "B": [1, 1, 0], "Y": [1, 0, 0]})
>>> result = minimize(truth_table(data, outcome="Y"), solution="parsimonious")
>>> result.solutions
['A']
>>> result.fit[["solution", "term", "inclusion", "coverage"]]
  solution term  inclusion  coverage
0        A    A        1.0       1.0
1        A    A        1.0       1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._common import covers, row_bits, term_key, term_membership, term_string
from .fit import fit_table
from .truthtable import TruthTable

__all__ = ["QCAResult"]


@dataclass(frozen=True, repr=False)
class QCAResult:
    """Solutions of a minimised truth table, with their parameters of fit.

    Attributes
    ----------
    solution_type : str
        ``"conservative"``, ``"parsimonious"`` or ``"intermediate"``.
    solutions : list of str
        Every solution with the minimal number of prime implicants, in
        standard notation (``DEV*~IND + URB*STB``).
    terms : list of list of str
        The terms of each solution.
    prime_implicants : list of str
        All prime implicants that cover a positive row.
    essential : list of str
        Prime implicants found in every solution.
    fit : pandas.DataFrame
        Per solution, one row per term (``level == "term"``) and one for the
        whole solution (``level == "solution"``, ``term`` = the solution):
        ``inclusion``, ``PRI``, ``coverage`` (raw) and ``unique_coverage``.
    simplifying_assumptions : pandas.DataFrame
        Remainder rows covered by each solution (``solution``, ``row``, the
        condition values); empty for the conservative solution.
    easy_counterfactuals : pandas.DataFrame
        For the intermediate solution, the remainders it uses (all easy
        counterfactuals by construction); empty otherwise.
    truth_table : TruthTable
        The minimised truth table.
    directional : dict
        Directional expectations used (intermediate), condition -> 1, 0 or "-".
    """

    solution_type: str
    solutions: list[str]
    terms: list[list[str]]
    prime_implicants: list[str]
    essential: list[str]
    fit: pd.DataFrame
    simplifying_assumptions: pd.DataFrame
    easy_counterfactuals: pd.DataFrame
    truth_table: TruthTable
    directional: dict = field(default_factory=dict)
    _digits: list = field(default_factory=list)

    def membership(self, solution: int | str = 0) -> pd.Series:
        """Membership of every case in a solution (the maximum over its terms).

        Parameters
        ----------
        solution : int or str, default 0
            Position in :attr:`solutions`, or the solution string.

        Returns
        -------
        pandas.Series
            Indexed by case, named by the solution.
        """
        if isinstance(solution, str):
            if solution not in self.solutions:
                from ._common import QCAError

                raise QCAError(
                    f"Unknown solution {solution!r}; the solutions are {self.solutions}."
                )
            solution = self.solutions.index(solution)
        x = self.truth_table.x
        values = np.max([term_membership(x, t) for t in self._digits[solution]], axis=0)
        return pd.Series(values, index=self.truth_table.data.index, name=self.solutions[solution])

    def outcome_membership(self) -> pd.Series:
        """Membership of every case in the outcome (negated for ``~Y``)."""
        tt = self.truth_table
        return pd.Series(tt.y, index=tt.data.index, name=tt.outcome)

    def __repr__(self) -> str:
        lines = [f"QCAResult({self.solution_type}, outcome={self.truth_table.outcome!r})"]
        for i, s in enumerate(self.solutions, 1):
            lines.append(f"  M{i}: {s} -> {self.truth_table.outcome}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from html import escape

        outcome = escape(str(self.truth_table.outcome))
        items = "".join(
            f"<li><code>{escape(str(s))} &rarr; {outcome}</code></li>" for s in self.solutions
        )
        html = (
            f"<p><b>{self.solution_type.capitalize()} solution</b> "
            f"({len(self.solutions)} model{'s' if len(self.solutions) != 1 else ''}):</p>"
            f"<ol>{items}</ol>" + self.fit.to_html(float_format=lambda v: f"{v:.3f}", index=False)
        )
        label = (
            "Easy counterfactuals"
            if self.solution_type == "intermediate"
            else "Simplifying assumptions"
        )
        frame = self.simplifying_assumptions
        if len(frame):
            html += f"<p><b>{label}</b> ({len(frame)} rows)</p>"
            html += frame.head(50).to_html(index=False)
        return html


def _remainders_used(
    tt: TruthTable, labels: list[str], solutions: Sequence[Sequence[tuple]]
) -> pd.DataFrame:
    k = tt.k
    all_rows = np.arange(2**k, dtype=np.int64)
    remainder = tt.remainder_mask()
    parts = []
    for label, terms in zip(labels, solutions, strict=True):
        rows = np.flatnonzero(covers(np.array(terms), all_rows, k).any(axis=0) & remainder)
        part = pd.DataFrame(row_bits(rows, k), columns=list(tt.conditions))
        part.insert(0, "row", rows + 1)
        part.insert(0, "solution", label)
        parts.append(part)
    columns = ["solution", "row", *tt.conditions]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def build_result(
    tt: TruthTable,
    solution_type: str,
    pis: np.ndarray,
    solutions: Sequence[Sequence[tuple]],
    directional: Sequence[int] | None = None,
) -> QCAResult:
    """Assemble a :class:`QCAResult` from prime implicants and covers (digits).

    Solutions are ordered as R QCA prints them (``solution_key``) and
    each gets its fit table; for a parsimonious or intermediate solution the
    remainders it covers are listed.

    Examples
    --------
    >>> from netwerkonderzoek.qca import minimal_covers, prime_implicants, truth_table
    >>> from netwerkonderzoek.qca._common import covers
    >>> data = pd.DataFrame({"A": [1, 1, 0, 0, 0], "B": [1, 1, 0, 1, 0],
    ...                      "C": [1, 0, 0, 1, 1], "Y": [1, 1, 0, 0, 0]})
    >>> tt = truth_table(data, outcome="Y")
    >>> pis = prime_implicants(3, tt.positive_rows, tt.negative_rows)
    >>> chart = covers(pis, tt.positive_rows, 3)
    >>> solutions = [[tuple(int(d) for d in pis[i]) for i in cover] for cover in minimal_covers(chart)]
    >>> result = build_result(tt, "parsimonious", pis, solutions)
    >>> result
    QCAResult(parsimonious, outcome='Y')
      M1: A -> Y
    >>> result.prime_implicants, result.simplifying_assumptions["row"].tolist()
    (['A', 'B*~C'], [5, 6])
    """
    conditions = tt.conditions
    keys: dict[tuple, tuple] = {}
    for s in solutions:
        for t in s:
            if t not in keys:
                keys[t] = term_key(t)
    ordered = sorted(
        (sorted(s, key=keys.__getitem__) for s in solutions),
        key=lambda s: (len(s), sum(keys[t][0] for t in s), [keys[t] for t in s]),
    )
    cache: dict = {}
    frames = []
    for terms in ordered:
        frames.append(fit_table(tt.x, tt.y, terms, conditions, cache=cache))
    labels = [frame["term"].iloc[-1] for frame in frames]
    for label, frame in zip(labels, frames, strict=True):
        frame.insert(0, "solution", label)
    fit = pd.concat(frames, ignore_index=True)
    common = set.intersection(*(set(s) for s in ordered)) if ordered else set()
    if solution_type == "conservative":
        used = _remainders_used(tt, [], [])
    else:
        used = _remainders_used(tt, labels, ordered)
    empty = used.iloc[0:0]
    pi_list = sorted((tuple(int(d) for d in p) for p in pis), key=term_key)
    names = {1: 1, 0: 0, 2: "-"}
    return QCAResult(
        solution_type=solution_type,
        solutions=labels,
        terms=[[term_string(t, conditions) for t in s] for s in ordered],
        prime_implicants=[term_string(p, conditions) for p in pi_list],
        essential=[term_string(p, conditions) for p in sorted(common, key=term_key)],
        fit=fit,
        simplifying_assumptions=used,
        easy_counterfactuals=used if solution_type == "intermediate" else empty,
        truth_table=tt,
        directional=(
            {}
            if directional is None
            else dict(zip(conditions, (names[d] for d in directional), strict=True))
        ),
        _digits=ordered,
    )
