"""Throughput of a batch of simulated networks: --jobs 1, --jobs 2, 2-worker Dask cluster.

Writes a batch of N simulated networks (default 48) to a temporary project,
runs the full study for all of them with one local process, with two, and on
a Dask ``LocalCluster`` with two worker processes, and prints seconds,
networks per minute and the speed-ups (targets: jobs 2 at least 1.8x jobs 1;
Dask within 20% of jobs 2).

Usage: ``.venv/bin/python benchmarks/bench_batch.py [N]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from distributed import LocalCluster

    from netwerkonderzoek.runner import run_networks
    from netwerkonderzoek.simulate.batch import write_batch

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 48
    rows = []
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
            began = time.perf_counter()
            results = run_networks(
                ids, output_dir=base / label.replace(" ", ""), **kwargs, **common
            )
            rows.append((label, time.perf_counter() - began, sum(r.ok for r in results)))
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            began = time.perf_counter()
            results = run_networks(
                ids, scheduler=cluster.scheduler_address, output_dir=base / "dask", **common
            )
            rows.append(
                ("dask 2 workers", time.perf_counter() - began, sum(r.ok for r in results))
            )
    print(f"batch of {n} simulated networks")
    print(f"{'mode':<16}{'seconds':>9}{'complete':>10}{'networks/min':>14}")
    for label, seconds, ok in rows:
        print(f"{label:<16}{seconds:>9.1f}{ok:>10}{n / seconds * 60:>14.2f}")
    t1, t2, td = rows[0][1], rows[1][1], rows[2][1]
    print(f"speed-up jobs 2 / jobs 1: {t1 / t2:.2f}x (target >= 1.8)")
    print(f"dask vs jobs 2: {td / t2:.2f} (target <= 1.20)")


if __name__ == "__main__":
    main()
