"""Throughput of a batch of simulated networks: --jobs 1, --jobs 2, 2-worker Dask cluster.

Writes a batch of N simulated networks (default 48) to a temporary project,
runs the full study for all of them with one local process, with two, and on
a Dask ``LocalCluster`` with two worker processes, and prints seconds,
networks per minute and the speed-ups (targets: jobs 2 at least 1.8x jobs 1;
Dask within 20% of jobs 2).

Usage: ``.venv/bin/python benchmarks/bench_batch.py [N] [--modes jobs1,jobs2,dask]``
(``--modes`` runs a subset, e.g. to re-measure one mode on a quiet machine;
ratios are printed only for the modes run).

Before and after the batch it also measures the machine's own two-process
scaling: the throughput of two processes running the same pure-Python loop at
once against one alone. A virtual machine's two cores need not give twice the
work of one (shared caches, a busy host); that ratio is the ceiling the
``--jobs 2`` speed-up is read against.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _spin(loops: int = 20_000_000) -> float:
    """Seconds a pure-Python loop takes in this process."""
    began = time.perf_counter()
    total = 0
    for i in range(loops):
        total += i * i % 7
    return time.perf_counter() - began


def machine_scaling(repeats: int = 3) -> float:
    """Throughput of two processes at once against one alone (2.0: perfect).

    The mean over ``repeats`` pairs, each against the one-process time
    measured just before it.
    """
    from concurrent.futures import ProcessPoolExecutor

    ratios = []
    with ProcessPoolExecutor(2) as pool:
        for _ in range(repeats):
            alone = pool.submit(_spin).result()
            pair = [f.result() for f in [pool.submit(_spin), pool.submit(_spin)]]
            ratios.append(sum(alone / t for t in pair))
    return sum(ratios) / len(ratios)


def main() -> None:
    import argparse

    from distributed import LocalCluster

    from netwerkonderzoek.runner import run_networks
    from netwerkonderzoek.simulate.batch import write_batch

    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=48)
    parser.add_argument("--modes", default="jobs1,jobs2,dask")
    args = parser.parse_args()
    n, modes = args.n, set(args.modes.split(","))
    rows = []
    scaling = [machine_scaling()]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        ids = write_batch(n, base / "config", base / "data", seed=100)
        common = dict(
            config_dir=base / "config",
            data_dir=base / "data",
            notebook_dir=ROOT / "notebooks",
            force=True,
        )
        for label, kwargs in (("--jobs 1", {"jobs": 1}), ("--jobs 2", {"jobs": 2})):
            if label.replace("--", "").replace(" ", "") not in modes:
                continue
            began = time.perf_counter()
            results = run_networks(
                ids, output_dir=base / label.replace(" ", ""), **kwargs, **common
            )
            rows.append((label, time.perf_counter() - began, sum(r.ok for r in results)))
        if "dask" in modes:
            with LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster:
                began = time.perf_counter()
                results = run_networks(
                    ids, scheduler=cluster.scheduler_address, output_dir=base / "dask", **common
                )
                seconds = time.perf_counter() - began
                rows.append(("dask 2 workers", seconds, sum(r.ok for r in results)))
    scaling.append(machine_scaling())
    print(f"batch of {n} simulated networks")
    print(
        "machine: two processes do {:.2f} / {:.2f}x the work of one before / after "
        "the batch (pure Python)".format(*scaling)
    )
    print(f"{'mode':<16}{'seconds':>9}{'complete':>10}{'networks/min':>14}")
    for label, seconds, ok in rows:
        print(f"{label:<16}{seconds:>9.1f}{ok:>10}{n / seconds * 60:>14.2f}")
    seconds = {label: t for label, t, _ in rows}
    if {"--jobs 1", "--jobs 2"} <= set(seconds):
        speed_up = seconds["--jobs 1"] / seconds["--jobs 2"]
        print(f"speed-up jobs 2 / jobs 1: {speed_up:.2f}x (target >= 1.8)")
    if {"--jobs 2", "dask 2 workers"} <= set(seconds):
        ratio = seconds["dask 2 workers"] / seconds["--jobs 2"]
        print(f"dask vs jobs 2: {ratio:.2f} (target <= 1.20)")


if __name__ == "__main__":
    main()
