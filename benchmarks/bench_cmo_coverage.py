"""Honest statistics by simulation: coverage, power and false support of CMO tests.

Re-simulates the three example networks with ``--seeds`` different seeds
(default 200) using :func:`netwerkonderzoek.simulate.simulate_network`, tests
every configuration with :func:`netwerkonderzoek.stats.test_configuration`
(default settings: OLS or logistic AME, cluster-robust by area, alpha 0.05,
min_cell 10) and compares with the ground truth. Reported:

(a) coverage: share of 95% intervals of the inside-context effect that
    contain the true effect (``ground_truth[cmo]["effect"]``, the sample
    average effect in the stated context); goal 0.93-0.97. Also the same for
    the outside effect.
(b) power: share of configurations that hold in their context found
    ``supported``; goal >= 0.90. Also: share of "holds only outside"
    configurations found ``refined``.
(c) false support: share of configurations that do not hold in their
    context (outside + nowhere) found ``supported``; goal <= 0.05.

Run from the project root::

    .venv/bin/python benchmarks/bench_cmo_coverage.py [--seeds 200] [--jobs 2] [--method auto]

Prints one table per network and scale and the overall figures, and exits
with status 1 if a goal is missed.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor

NETWORKS = ("energie-regio", "wijk-noord", "ggz-netwerk")
GOALS = {"coverage": (0.93, 0.97), "power": 0.90, "false_support": 0.05}


def run_seed(args: tuple[int, str]) -> list[dict]:
    """Simulate every network with one seed; one row per configuration."""
    seed, method = args
    from netwerkonderzoek import stats
    from netwerkonderzoek.cmo import ProgrammeTheory
    from netwerkonderzoek.simulate import simulate_network

    rows = []
    for network_id in NETWORKS:
        sim = simulate_network(network_id, seed=seed)
        theory = ProgrammeTheory.from_dict(sim.theory)
        truth = sim.ground_truth.get("configurations", sim.ground_truth)
        units = sim.tables["units"]
        for config in theory:
            item = stats.test_configuration(units, theory, config.id, method=method)
            gt = truth[config.id]
            rows.append(
                {
                    "seed": seed,
                    "network_id": network_id,
                    "cmo_id": config.id,
                    "holds_in": gt["holds_in"],
                    "scale": gt["scale"],
                    "direction": item.direction,
                    "estimate": item.estimate,
                    "ci_low": item.ci_low,
                    "ci_high": item.ci_high,
                    "ci_low_out": item.ci_low_out,
                    "ci_high_out": item.ci_high_out,
                    "effect": gt["effect"],
                    "effect_outside": gt["effect_outside"],
                }
            )
    return rows


def _covered(low: float, high: float, value: float) -> float:
    if math.isnan(low) or math.isnan(high):
        return math.nan
    return float(low <= value <= high)


def summarise(rows: list[dict]):
    """Tidy summary per network × scale × truth and the overall figures."""
    import pandas as pd

    data = pd.DataFrame(rows)
    data["covered"] = [_covered(r.ci_low, r.ci_high, r.effect) for r in data.itertuples()]
    data["covered_out"] = [
        _covered(r.ci_low_out, r.ci_high_out, r.effect_outside) for r in data.itertuples()
    ]
    data["bias"] = data["estimate"] - data["effect"]
    for verdict in ("supports", "refines", "contradicts", "inconclusive", "insufficient_data"):
        data[verdict] = (data["direction"] == verdict).astype(float)
    per_config = (
        data.groupby(["network_id", "cmo_id", "holds_in", "scale"], sort=False)
        .agg(
            coverage=("covered", "mean"),
            coverage_out=("covered_out", "mean"),
            bias=("bias", "mean"),
            supported=("supports", "mean"),
            refined=("refines", "mean"),
            contradicted=("contradicts", "mean"),
            insufficient=("insufficient_data", "mean"),
        )
        .reset_index()
    )
    overall = {
        "coverage": float(data["covered"].mean()),
        "coverage_out": float(data["covered_out"].mean()),
        "power": float(data.loc[data["holds_in"] == "context", "supports"].mean()),
        "refined_when_outside": float(data.loc[data["holds_in"] == "outside", "refines"].mean()),
        "false_support": float(data.loc[data["holds_in"] != "context", "supports"].mean()),
        "false_refined_when_nowhere": float(
            data.loc[data["holds_in"] == "nowhere", "refines"].mean()
        ),
        "insufficient": float(data["insufficient_data"].mean()),
    }
    coverage_by_scale = data.groupby("scale")["covered"].mean().to_dict()
    return per_config, overall, coverage_by_scale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200, help="number of seeds (default 200)")
    parser.add_argument("--first-seed", type=int, default=1, help="first seed (default 1)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--method", default="auto", help="test_configuration method")
    args = parser.parse_args(argv)

    import pandas as pd

    started = time.perf_counter()
    tasks = [(seed, args.method) for seed in range(args.first_seed, args.first_seed + args.seeds)]
    rows: list[dict] = []
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            for part in pool.map(run_seed, tasks, chunksize=4):
                rows.extend(part)
    else:
        for task in tasks:
            rows.extend(run_seed(task))
    seconds = time.perf_counter() - started
    per_config, overall, by_scale = summarise(rows)
    with pd.option_context("display.width", 140, "display.max_rows", 100):
        print(per_config.round(3).to_string(index=False))
    print()
    print(f"seeds: {args.seeds}, configurations tested: {len(rows)}, {seconds:.0f} s")
    print(
        f"(a) coverage of 95% intervals (inside context): {overall['coverage']:.3f}  goal 0.93-0.97"
    )
    print("    by scale: " + ", ".join(f"{k} {v:.3f}" for k, v in by_scale.items()))
    print(f"    coverage outside the context:                {overall['coverage_out']:.3f}")
    print(f"(b) holding configurations found supported:     {overall['power']:.3f}  goal >= 0.90")
    print(
        f"    'holds only outside' found refined:          {overall['refined_when_outside']:.3f}"
    )
    print(
        f"(c) non-holding configurations found supported: {overall['false_support']:.3f}  goal <= 0.05"
    )
    print(
        f"    'holds nowhere' found refined:               {overall['false_refined_when_nowhere']:.3f}"
    )
    print(f"    insufficient_data:                           {overall['insufficient']:.3f}")
    low, high = GOALS["coverage"]
    ok = (
        low <= overall["coverage"] <= high
        and overall["power"] >= GOALS["power"]
        and overall["false_support"] <= GOALS["false_support"]
    )
    print("all goals met" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
