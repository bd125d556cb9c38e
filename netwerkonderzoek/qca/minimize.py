"""Exact Boolean minimisation of a truth table.

Prime implicants
    All ``3**k`` terms are scored at once with a ternary "zeta transform" over
    numpy boolean arrays: starting from the ``2**k`` rows marked *on* (rows to
    explain) and *off* (rows that must not be covered), each condition axis
    gets a third slot "condition absent" = OR of its 0 and 1 slots. A term is
    an implicant when it covers an on-row and no off-row; it is prime when
    dropping any one of its literals makes it cover an off-row. Cost
    ``O(k 3**k)`` vectorised operations (12 conditions: about 0.1 s), with no
    loop over pairs of rows; remainders need no enumeration, they are simply
    neither on nor off.
Prime implicant chart
    All covers with the minimal number of prime implicants are returned (R
    QCA's default: ``all.sol = FALSE``, ``row.dom = FALSE``). Essential prime
    implicants are taken first; the rest is an exact depth-first search over
    Python-int bitsets of the positive rows, with iterative deepening on the
    cover size. Each cover is generated once.
Solutions
    ``"conservative"``: on = positive rows, off = every other row;
    ``"parsimonious"``: off = negative and contradictory rows only, the
    remainders used are the *simplifying assumptions*; ``"intermediate"``: as
    R QCA (Ragin & Sonnett 2005; Dusa 2019), for each pair of a conservative
    and a parsimonious solution, each conservative term subsumed by a
    parsimonious term drops the literals that are not in the parsimonious
    term and contradict the directional expectation; the remainders covered by
    the resulting terms are the *easy counterfactuals*, which are added to
    the positive rows before a conservative minimisation. Solutions of all
    pairs are pooled and deduplicated.

References
----------
Ragin, C. C., & Sonnett, J. (2005). Between complexity and parsimony: limited
diversity, counterfactual cases, and comparative analysis. In *Vergleichen in
der Politikwissenschaft*, 180-197. doi:10.1007/978-3-322-80441-9_9

Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer.
doi:10.1007/978-3-319-75668-4

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.qca import truth_table, minimize
>>> data = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 1, 0]})
>>> minimize(truth_table(data, outcome="Y"), solution="conservative").solutions
['A + B']
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np

from ..exceptions import NetwerkonderzoekWarning
from ._common import QCAError, covers, solution_key
from .result import QCAResult, build_result
from .truthtable import TruthTable

__all__ = ["minimize", "prime_implicants"]

SOLUTION_TYPES = ("conservative", "parsimonious", "intermediate")


def prime_implicants(k: int, on_rows: np.ndarray, off_rows: np.ndarray | None) -> np.ndarray:
    """All prime implicants covering an on-row and no off-row.

    Parameters
    ----------
    k : int
        Number of conditions.
    on_rows : array of int
        Rows (integers, first condition = most significant bit) to explain.
    off_rows : array of int or None
        Rows no implicant may cover; ``None`` means every row not in
        ``on_rows`` (no remainders, the conservative case).

    Returns
    -------
    numpy.ndarray
        ``n x k`` ternary digits (1 present, 0 negated, 2 absent), sorted
        lexicographically by digits.

    Examples
    --------
    >>> prime_implicants(2, [1, 2, 3], None)  # A + B
    array([[1, 2],
           [2, 1]], dtype=int8)
    """
    on = np.zeros(2**k, dtype=bool)
    on[np.asarray(on_rows, dtype=np.int64)] = True
    if off_rows is None:
        off = ~on
    else:
        off = np.zeros(2**k, dtype=bool)
        off[np.asarray(off_rows, dtype=np.int64)] = True
    shape = (2,) * k
    on, off = on.reshape(shape), off.reshape(shape)
    for axis in range(k):
        on = np.concatenate([on, on.any(axis=axis, keepdims=True)], axis=axis)
        off = np.concatenate([off, off.any(axis=axis, keepdims=True)], axis=axis)
    implicant = on & ~off
    del on, off
    prime = implicant.copy()
    for axis in range(k):
        dropped = np.take(implicant, [2], axis=axis)
        index = [slice(None)] * k
        index[axis] = slice(0, 2)
        prime[tuple(index)] &= ~dropped
    return np.argwhere(prime).astype(np.int8)


def _to_bitsets(matrix: np.ndarray) -> list[int]:
    """Each row of a boolean matrix as a Python int (bit j = column j)."""
    if matrix.shape[1] == 0:
        return [0] * matrix.shape[0]
    packed = np.packbits(matrix, axis=1, bitorder="little")
    return [int.from_bytes(row.tobytes(), "little") for row in packed]


def minimal_covers(chart: np.ndarray, max_solutions: int | None = None) -> list[tuple[int, ...]]:
    """Every cover of the chart's columns with the minimal number of rows.

    Parameters
    ----------
    chart : numpy.ndarray of bool
        ``n_implicants x n_positive_rows``; ``chart[i, r]``: implicant ``i``
        covers row ``r``.
    max_solutions : int, optional
        Stop after this many covers.

    Returns
    -------
    list of tuple of int
        Implicant indices of each minimal cover (sorted within a cover).
        At most ``max_solutions`` covers when that is given (then the list may
        be incomplete; :func:`minimize` warns).

    Examples
    --------
    >>> import numpy as np
    >>> chart = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [0, 0, 1]], dtype=bool)
    >>> minimal_covers(chart)
    [(0, 1), (0, 2), (0, 3), (1, 2)]
    """
    n_pi, n_rows = chart.shape
    if n_rows == 0:
        return [()]
    if not chart.any(axis=0).all():
        raise QCAError("A positive row is covered by no prime implicant (internal error).")
    count = chart.sum(axis=0)
    essential = sorted(set(np.argmax(chart[:, count == 1], axis=0).tolist()))
    pi_sets = _to_bitsets(chart)
    row_pis = _to_bitsets(chart.T)
    covered = 0
    for p in essential:
        covered |= pi_sets[p]
    full = (1 << n_rows) - 1
    start = full & ~covered
    if start == 0:
        return [tuple(essential)]
    candidates = [p for p in range(n_pi) if p not in essential and pi_sets[p] & start]
    largest = max((pi_sets[p] & start).bit_count() for p in candidates)
    found: list[tuple[int, ...]] = []

    def search(uncovered: int, budget: int, excluded: int, chosen: list[int]) -> None:
        if uncovered == 0:
            found.append(tuple(sorted(essential + chosen)))
            return
        if max_solutions is not None and len(found) >= max_solutions:
            return
        if budget == 0 or uncovered.bit_count() > budget * largest:
            return
        best, best_n = 0, None
        rest = uncovered
        while rest:
            low = rest & -rest
            r = low.bit_length() - 1
            options = row_pis[r] & ~excluded
            n = options.bit_count()
            if best_n is None or n < best_n:
                best, best_n = options, n
                if n <= 1:
                    break
            rest ^= low
        if not best_n:
            return
        local = excluded
        while best:
            low = best & -best
            p = low.bit_length() - 1
            search(uncovered & ~pi_sets[p], budget - 1, local, [*chosen, p])
            local |= low
            best ^= low

    size = max(1, -(-start.bit_count() // largest))
    while not found:
        search(start, size, 0, [])
        size += 1
    return sorted(set(found))


def _directional(directional: object, conditions: tuple[str, ...]) -> tuple[int, ...]:
    """Directional expectations as digits: 1 present, 0 absent, 2 none."""
    if directional is None:
        raise QCAError(
            "solution='intermediate' needs directional expectations, for example "
            "directional={'DEV': 1, 'URB': 1} (1 present, 0 absent, '-' none)."
        )
    if not isinstance(directional, Mapping):
        raise QCAError(
            "The 'directional' parameter must map conditions to 1, 0 or '-'. "
            f"Got {type(directional).__name__} instead."
        )
    unknown = [c for c in directional if c not in conditions]
    if unknown:
        raise QCAError(
            f"Directional expectations for unknown condition(s) {unknown}; the truth "
            f"table has conditions {list(conditions)}."
        )
    digits = []
    for c in conditions:
        value = directional.get(c, "-")
        if isinstance(value, bool):
            value = int(value)
        if value in (1, "1"):
            digits.append(1)
        elif value in (0, "0"):
            digits.append(0)
        elif value in ("-", None):
            digits.append(2)
        else:
            raise QCAError(
                f"The directional expectation of '{c}' must be 1 (present), 0 (absent) "
                f"or '-' (none). Got {value!r} instead."
            )
    return tuple(digits)


def _solve(
    k: int, positive: np.ndarray, on: np.ndarray, off: np.ndarray | None, max_solutions: int
):
    """Prime implicants for (on, off) and all minimal covers of ``positive``."""
    pis = prime_implicants(k, on, off)
    chart = covers(pis, positive, k)
    useful = chart.any(axis=1)
    pis, chart = pis[useful], chart[useful]
    if len(pis) == 1 and (pis[0] == 2).all():
        raise QCAError(
            "Every configuration is explained: the solution is the tautology (all "
            "conditions minimised away). Check the truth table; there are no negative "
            "rows to contrast with."
        )
    found = minimal_covers(chart, max_solutions)
    if len(found) >= max_solutions:
        warnings.warn(
            f"Stopped after {max_solutions} tied minimal solutions; there may be more. "
            "Raise 'max_solutions' to list them all.",
            NetwerkonderzoekWarning,
            stacklevel=3,
        )
    solutions = [tuple(tuple(int(d) for d in pis[i]) for i in c) for c in found]
    return pis, solutions


def minimize(
    tt: TruthTable,
    solution: str = "parsimonious",
    directional: Mapping | None = None,
    *,
    max_solutions: int = 10_000,
) -> QCAResult:
    """Minimise a truth table into a conservative, parsimonious or intermediate solution.

    Parameters
    ----------
    tt : TruthTable
        From :func:`~netwerkonderzoek.qca.truth_table`.
    solution : {"parsimonious", "conservative", "intermediate"}
        ``"conservative"`` (complex) uses no remainders; ``"parsimonious"``
        uses every remainder that simplifies; ``"intermediate"`` only the
        easy counterfactuals given ``directional``.
    directional : mapping, optional
        Required for ``"intermediate"``: condition -> ``1`` (expected to
        contribute to the outcome when present), ``0`` (when absent) or
        ``"-"`` (no expectation; also for unlisted conditions).
    max_solutions : int, default 10000
        Safety limit on the number of tied minimal solutions listed (per
        conservative/parsimonious pair for the intermediate solution).

    Returns
    -------
    QCAResult
        ``solutions`` (strings in standard notation, all minimal covers),
        ``fit`` (inclusion, PRI, coverage, unique coverage per term and
        solution), ``simplifying_assumptions``, ``easy_counterfactuals``.

    Raises
    ------
    QCAError
        When no row is positive after the cut-offs, on a bad solution type or
        directional expectations, or when everything is explained (tautology).

    Warns
    -----
    NetwerkonderzoekWarning
        When ``max_solutions`` tied solutions were found and the search stopped.

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.qca import truth_table
    >>> data = pd.DataFrame({"A": [1, 1, 0, 0, 0], "B": [1, 1, 0, 1, 0],
    ...                      "C": [1, 0, 0, 1, 1], "Y": [1, 1, 0, 0, 0]})
    >>> tt = truth_table(data, outcome="Y")
    >>> minimize(tt, solution="conservative").solutions
    ['A*B']
    >>> result = minimize(tt, solution="parsimonious")
    >>> result.solutions
    ['A']
    >>> result.simplifying_assumptions
      solution  row  A  B  C
    0        A    5  1  0  0
    1        A    6  1  0  1
    >>> minimize(tt, "intermediate", directional={"A": 1, "B": 1, "C": 1}).solutions
    ['A*B']
    """
    if isinstance(max_solutions, bool) or not isinstance(max_solutions, int) or max_solutions < 1:
        raise QCAError(
            f"The 'max_solutions' parameter must be a positive integer. Got {max_solutions!r}."
        )
    if not isinstance(tt, TruthTable):
        raise QCAError(
            f"minimize needs a TruthTable (from qca.truth_table). Got {type(tt).__name__}."
        )
    if solution not in SOLUTION_TYPES:
        raise QCAError(
            f"The 'solution' parameter of minimize must be one of {SOLUTION_TYPES}. "
            f"Got {solution!r} instead."
        )
    if directional is not None and solution != "intermediate":
        raise QCAError(
            "Directional expectations are only used by solution='intermediate'; "
            f"got directional={dict(directional)!r} with solution={solution!r}."
        )
    k = tt.k
    positive = tt.positive_rows
    if positive.size == 0:
        best = tt.table["incl"].max() if len(tt.table) else float("nan")
        raise QCAError(
            f"No positive rows for outcome '{tt.outcome}' after the cut-offs "
            f"(incl_cut {tt.incl_cut[0]:g}, n_cut {tt.n_cut}, pri_cut {tt.pri_cut:g}; "
            f"highest row inclusion {best:.3f}): there is nothing to minimise."
        )
    negative = tt.negative_rows
    if solution == "conservative":
        pis, sols = _solve(k, positive, positive, None, max_solutions)
        return build_result(tt, solution, pis, sols)
    if solution == "parsimonious":
        pis, sols = _solve(k, positive, positive, negative, max_solutions)
        return build_result(tt, solution, pis, sols)

    expect = _directional(directional, tt.conditions)
    _, c_sols = _solve(k, positive, positive, None, max_solutions)
    _, p_sols = _solve(k, positive, positive, negative, max_solutions)
    remainder = tt.remainder_mask()
    all_rows = np.arange(2**k, dtype=np.int64)
    pooled: dict[tuple, None] = {}
    seen: set[bytes] = set()
    all_pis: list[np.ndarray] = []
    for c_sol in c_sols:
        for p_sol in p_sols:
            expanded = []
            for c_term in c_sol:
                for p_term in p_sol:
                    if any(p != 2 and p != c for p, c in zip(p_term, c_term, strict=True)):
                        continue
                    expanded.append(
                        tuple(
                            2 if (p == 2 and c != 2 and e != 2 and e != c) else c
                            for c, p, e in zip(c_term, p_term, expect, strict=True)
                        )
                    )
            if expanded:
                hit = covers(np.array(expanded), all_rows, k).any(axis=0) & remainder
                easy = np.flatnonzero(hit)
            else:
                easy = np.zeros(0, dtype=np.int64)
            key = easy.tobytes()
            if key in seen:  # same easy counterfactuals, same solutions
                continue
            seen.add(key)
            on = np.union1d(positive, easy)
            pis, sols = _solve(k, positive, on, None, max_solutions)
            all_pis.append(pis)
            for s in sols:
                pooled[tuple(sorted(s))] = None
    pis = np.unique(np.concatenate(all_pis), axis=0)
    ordered = sorted(pooled, key=solution_key)
    return build_result(tt, solution, pis, ordered, directional=expect)
