"""Benchmark exact QCA minimisation on a structured crisp outcome.

Run as a script (not part of the test suite)::

    .venv/bin/python benchmarks/bench_qca.py

For 8, 10 and 12 conditions it draws 200 cases with uniformly random crisp
conditions (fixed seed), sets the outcome to ``C0*C1 + C2*~C3`` (no noise),
and times the truth table and each solution type. It prints one row per
number of conditions and checks that the parsimonious solution recovers the
data-generating expression.
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import pandas as pd

from netwerkonderzoek import qca
from netwerkonderzoek.exceptions import NetwerkonderzoekWarning

TRUE_SOLUTION = "C0*C1 + C2*~C3"


def make_data(k: int, n: int = 200, seed: int = 20240501) -> pd.DataFrame:
    """``n`` cases over ``k`` random crisp conditions; outcome ``C0*C1 + C2*~C3``."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, size=(n, k))
    y = (x[:, 0] & x[:, 1]) | (x[:, 2] & (1 - x[:, 3]))
    data = pd.DataFrame(x, columns=[f"C{j}" for j in range(k)])
    data["Y"] = y
    data.index = [f"case{i}" for i in range(n)]
    return data


def run(k: int) -> dict[str, object]:
    """Time the truth table and the three solution types for ``k`` conditions."""
    data = make_data(k)
    row: dict[str, object] = {"conditions": k, "cases": len(data)}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Limited diversity", NetwerkonderzoekWarning)
        start = time.perf_counter()
        tt = qca.truth_table(data, outcome="Y")
        row["truth_table_s"] = time.perf_counter() - start
    row["remainders"] = 2**k - int((tt.table["OUT"] != "?").sum())
    for solution in ("conservative", "parsimonious", "intermediate"):
        directional = dict.fromkeys(tt.conditions, 1) if solution == "intermediate" else None
        start = time.perf_counter()
        result = qca.minimize(tt, solution=solution, directional=directional)
        row[f"{solution}_s"] = time.perf_counter() - start
        if solution == "parsimonious":
            row["parsimonious"] = " | ".join(result.solutions)
            row["n_prime_implicants"] = len(result.prime_implicants)
            row["recovered"] = result.solutions == [TRUE_SOLUTION]
    return row


def main() -> int:
    """Run the benchmark and print the table; exit 1 when a solution is not recovered."""
    rows = [run(k) for k in (8, 10, 12)]
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0 if table["recovered"].all() else 1


if __name__ == "__main__":
    sys.exit(main())
