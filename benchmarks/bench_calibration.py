"""Monte Carlo size, coverage and power of every inferential method of the library.

Prints one table: per method, tested term and design the rejection rate at
the 5% level under no effect (goal 0.03-0.07), the coverage of the 95%
intervals (goal 0.93-0.97), the power where a design states an effect, and
how often the method refused (``insufficient_data``). The designs and the
simulation code are in :mod:`netwerkonderzoek.calibration`.

Usage: ``python benchmarks/bench_calibration.py [REPS] [--only timeseries|units]``
(default 1000 replications per design).
"""

from __future__ import annotations

import argparse
import importlib
import time

import pandas as pd

MODULES = ("timeseries", "units")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reps", nargs="?", type=int, default=1000)
    parser.add_argument("--only", choices=MODULES)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    tables = []
    for name in MODULES if args.only is None else (args.only,):
        module = importlib.import_module(f"netwerkonderzoek.calibration.{name}")
        start = time.perf_counter()
        tables.append(module.run(reps=args.reps, seed=args.seed))
        print(f"{name}: {time.perf_counter() - start:.1f} s")
    table = pd.concat(tables, ignore_index=True)
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    accepted = table[table["accepted"]]
    bad_size = accepted[(accepted["size"] < 0.03) | (accepted["size"] > 0.07)]
    bad_cover = accepted[(accepted["coverage"] < 0.93) | (accepted["coverage"] > 0.97)]
    print(
        f"\naccepted designs: {len(accepted)}; size outside 0.03-0.07: {len(bad_size)}; "
        f"coverage outside 0.93-0.97: {len(bad_cover)}"
    )


if __name__ == "__main__":
    main()
