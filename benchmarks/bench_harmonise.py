"""Benchmark: harmonise 1,000,000 contribution rows from 40 semicolon CSV files.

Generates 40 latin-1, semicolon-separated exports with decimal commas,
thousands dots and ``jan 2024`` months (25,000 rows each, 50 partners by
name), then in the same run measures, each in a fresh child process:

- ``read``: plain ``pandas.read_csv(path, sep=";")`` of the 40 files, default
  settings otherwise (the baseline of the target);
- ``read-nl``: the same with ``decimal=","``, ``thousands="."`` and
  ``encoding="latin-1"``, which parses the numbers (reported for comparison);
- ``harmonise``: :func:`netwerkonderzoek.harmonise.harmonise_network` with
  ``write=False`` (read, map, convert, validate, provenance, duplicates, key
  conflicts, report);
- ``harmonise+write``: the same, writing the canonical table, provenance,
  report, quarantine and state.

It prints seconds, rows per second, the ratio to the plain read (target: at
most 3 for ``harmonise``; writing is not part of the target and is reported
separately as ``harmonise+write``), the ratio to ``read-nl``, and each child's
peak memory (max RSS from
``resource.getrusage``; target under 2 GB). Not run by the tests::

    .venv/bin/python benchmarks/bench_harmonise.py [--rows 1000000] [--files 40]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

N_PARTNERS = 50
N_PERIODS = 20
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _dutch(values: np.ndarray) -> pd.Series:
    """Two-decimal numbers with a decimal comma and thousands dots (vectorised)."""
    cents = np.round(values * 100).astype(np.int64)
    whole = pd.Series(cents // 100).astype(str)
    frac = pd.Series(cents % 100).astype(str).str.zfill(2)
    grouped = whole.str[::-1].str.replace(r"(\d{3})(?=\d)", r"\1.", regex=True).str[::-1]
    return grouped + "," + frac


def generate(folder: Path, rows: int, files: int, seed: int = 0) -> dict:
    """Write the raw files, partners.csv and return the network configuration."""
    rng = np.random.default_rng(seed)
    raw = folder / "raw" / "bench"
    raw.mkdir(parents=True)
    (folder / "bench").mkdir()
    names = [f"Organisatie {i:02d} Noordstad" for i in range(N_PARTNERS)]
    ids = [f"partner-{i:02d}" for i in range(N_PARTNERS)]
    pd.DataFrame(
        {
            "network_id": "bench",
            "partner_id": ids,
            "name": names,
            "kind": "other",
            "sector": "x",
            "joined": "2020-01-01",
            "left": "",
        }
    ).to_csv(folder / "bench" / "partners.csv", index=False)
    # Unique keys: row r -> partner, period, activity.
    r = np.arange(rows)
    partner = r % N_PARTNERS
    period = (r // N_PARTNERS) % N_PERIODS
    activity = r // (N_PARTNERS * N_PERIODS)
    hours = np.round(rng.gamma(2.0, 6.0, rows), 1)
    costs = np.round(hours * 85 + rng.gamma(1.0, 300.0, rows) * (rng.random(rows) < 0.3), 2)
    month = pd.Series([f"{MONTHS[p % 12]} {2023 + p // 12}" for p in range(N_PERIODS)])
    frame = pd.DataFrame(
        {
            "Organisatie": np.asarray(names, dtype=object)[partner],
            "Maand": month.to_numpy()[period],
            "Activiteit": pd.Series(activity).map("activiteit-{:04d}".format),
            "Uren": _dutch(hours),
            "Kosten (EUR)": _dutch(costs),
            "Waardesoort": np.asarray(["maatschappelijk", "netwerk", "partner"], dtype=object)[
                activity % 3
            ],
        }
    )
    sources = []
    for k, part in enumerate(np.array_split(np.arange(rows), files)):
        name = f"uren-{k:02d}.csv"
        frame.iloc[part].to_csv(raw / name, sep=";", index=False, encoding="latin-1")
        sources.append(
            {
                "file": name,
                "table": "contributions",
                "encoding": "latin-1",
                "columns": {
                    "partner_id": "Organisatie",
                    "period": "Maand",
                    "activity": "Activiteit",
                    "hours": "Uren",
                    "costs_eur": "Kosten (EUR)",
                    "value_type": "Waardesoort",
                },
                "partner_names": dict(zip(names, ids, strict=True)),
                "values": {
                    "value_type": {
                        "maatschappelijk": "societal",
                        "netwerk": "network",
                        "partner": "partner",
                    }
                },
                "period_format": "month_name",
            }
        )
    config = {
        "network_id": "bench",
        "name": "Benchmark",
        "mission": "m",
        "task": "t",
        "study": {
            "start": "2023-01",
            "end": "2024-12",
            "waves": [{"wave": 1, "date": "2023-06-01"}],
        },
        "sources": sources,
    }
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return config


def child(task: str, folder: Path) -> dict:
    """Run one task in this process; return seconds, rows and peak memory."""
    config_data = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    files = [folder / "raw" / "bench" / s["file"] for s in config_data["sources"]]
    if task.startswith("harmonise"):
        # Imported before the clock starts, as pandas is for the reads: the
        # figure is the work, not the import (bench_import.py times that).
        from netwerkonderzoek.config import NetworkConfig
        from netwerkonderzoek.harmonise import harmonise_network
    start = time.perf_counter()
    if task == "read":
        rows = sum(len(pd.read_csv(f, sep=";")) for f in files)
    elif task == "read-nl":
        rows = sum(
            len(pd.read_csv(f, sep=";", decimal=",", thousands=".", encoding="latin-1"))
            for f in files
        )
    else:
        config = NetworkConfig.model_validate(config_data)
        result = harmonise_network(config, folder, write=task == "harmonise+write")
        rows = len(result.tables["contributions"])
        report = result.report
        assert (
            report["rows_read"]
            == report["accepted"] + report["quarantined"] + report["duplicates"] + report["totals"]
        ).all()
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"task": task, "seconds": seconds, "rows": rows, "peak_mb": peak_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3, help="runs per task (best is kept)")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task, folder = args.child[0], Path(args.child[1])
        if task == "generate":
            generate(folder, args.rows, args.files)
        else:
            print(json.dumps(child(task, folder)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        # In a child: Linux keeps a process's peak RSS across fork and exec, so
        # the parent stays small to leave the children's figures their own.
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "generate",
                tmp,
                "--rows",
                str(args.rows),
                "--files",
                str(args.files),
            ],
            check=True,
        )
        size = sum(p.stat().st_size for p in (folder / "raw" / "bench").iterdir())
        print(
            f"generated {args.rows:,} rows in {args.files} semicolon CSV files "
            f"({size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s"
        )
        results = {}
        for task in ("read", "read-nl", "harmonise", "harmonise+write"):
            runs = []
            for _ in range(args.repeat):
                out = subprocess.run(
                    [sys.executable, __file__, "--child", task, str(folder)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            results[task] = min(runs, key=lambda r: r["seconds"])
        base = results["read"]["seconds"]
        base_nl = results["read-nl"]["seconds"]
        print(
            f"{'task':<17} {'seconds':>8} {'rows/s':>12} {'x read':>7} {'x read-nl':>9} "
            f"{'peak MB':>8}"
        )
        for task, r in results.items():
            print(
                f"{task:<17} {r['seconds']:>8.2f} {r['rows'] / r['seconds']:>12,.0f} "
                f"{r['seconds'] / base:>7.2f} {r['seconds'] / base_nl:>9.2f} {r['peak_mb']:>8.0f}"
            )
        ratio = results["harmonise"]["seconds"] / base
        peak = max(r["peak_mb"] for r in results.values())
        print(
            f"target: harmonise <= 3x plain read: {'met' if ratio <= 3 else 'NOT met'} "
            f"({ratio:.2f}x); peak memory < 2 GB: {'met' if peak < 2048 else 'NOT met'} "
            f"({peak:.0f} MB)"
        )


if __name__ == "__main__":
    main()
