"""Study time per notebook against the papermill floor, and where the time goes.

Measures, in one go on this machine:

- ``floor``: a papermill run of a notebook that only imports the libraries the
  study notebooks import — numpy, pandas, scipy, statsmodels, networkx,
  matplotlib and the ``netwerkonderzoek`` modules their import statements
  name (kernel start + imports: the least a notebook costs);
- ``run --all`` on the shipped example networks, ``--jobs 1`` (sequential,
  for per-notebook times; ``--repeat`` runs, 3 by default) and ``--jobs 2``,
  as a user runs it (``--force``, so nothing is reused);
- per study notebook: its fastest time over the repeats (the floor is the
  fastest of six: three before the study runs, three after), the mean over
  the networks and the ratio to the floor (target: at most 1.5);
- the profile: the slowest cells, from papermill's per-cell durations.

Run from the project root: ``.venv/bin/python benchmarks/bench_run.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
FLOOR_IMPORTS = """\
import matplotlib.pyplot as plt
import networkx
import numpy
import pandas
import scipy
import statsmodels.api
import netwerkonderzoek
"""


def project_imports(notebooks: list[Path]) -> list[str]:
    """The ``netwerkonderzoek`` modules the study notebooks import, as import lines.

    Read from the notebooks' own import statements, so the floor imports what
    the notebooks import and nothing the notebooks do not.
    """
    import ast

    modules: set[str] = set()
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "netwerkonderzoek"
                ):
                    for alias in node.names:
                        candidate = f"{node.module}.{alias.name}"
                        try:
                            __import__(candidate)
                        except ImportError:  # a function or class, not a module
                            continue
                        modules.add(candidate)
                elif isinstance(node, ast.Import):
                    modules |= {
                        a.name for a in node.names if a.name.startswith("netwerkonderzoek")
                    }
    return [f"import {m}" for m in sorted(modules)]


def floor_seconds(workdir: Path, repeats: int = 3) -> float:
    from netwerkonderzoek.runner import study_notebooks
    from netwerkonderzoek.runner.kernel import execute

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('network_id = "x"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            FLOOR_IMPORTS + "\n".join(project_imports(study_notebooks(ROOT / "notebooks")))
        ),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    source = workdir / "floor.ipynb"
    nbformat.write(nb, source)
    times = []
    for i in range(repeats):
        began = time.perf_counter()
        execute(source, workdir / f"floor-out-{i}.ipynb", {"network_id": "y"}, cwd=workdir)
        times.append(time.perf_counter() - began)
    return min(times)


def run_all(workdir: Path, jobs: int, tag: str = "") -> tuple[float, Path]:
    cli = Path(sys.executable).with_name("netwerkonderzoek")
    out = workdir / f"out-{jobs}{tag}"
    began = time.perf_counter()
    subprocess.run(
        [str(cli), "run", "--all", "--force", "--jobs", str(jobs), "--output-dir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    return time.perf_counter() - began, out


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of --jobs 1; a notebook's time is its fastest, as the floor's (default 3)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        # The floor before and after the study runs, so a slow spell of the
        # machine at one moment does not set the yardstick.
        floor_before = floor_seconds(workdir)
        runs = [run_all(workdir, 1, tag=str(i)) for i in range(args.repeat)]
        jobs1, out1 = min(runs)
        jobs2, _ = run_all(workdir, 2)
        floor_after = floor_seconds(workdir)
        floor = min(floor_before, floor_after)
        per_notebook: dict[str, list[float]] = defaultdict(list)
        cells: list[tuple[float, str, str]] = []
        networks = sorted(p.name for p in out1.iterdir())
        for network in networks:
            fastest: dict[str, float] = {}
            for _, out in runs:
                manifest = json.loads((out / network / "latest" / "manifest.json").read_text())
                for entry in manifest["notebooks"]:
                    name = entry["notebook"]
                    fastest[name] = min(fastest.get(name, float("inf")), entry["seconds"])
            for name, seconds in fastest.items():
                per_notebook[name].append(seconds)
            for path in sorted((out1 / network / "latest" / "notebooks").glob("*.ipynb")):
                nb = nbformat.read(path, as_version=4)
                for index, cell in enumerate(nb.cells):
                    duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
                    if duration:
                        first = "".join(cell.source).splitlines()[0][:60] if cell.source else ""
                        cells.append((duration, f"{network}/{path.stem}#{index}", first))
    print(f"networks: {', '.join(networks)}")
    print(f"{'measure':<40}{'seconds':>9}")
    print(f"{'floor (papermill, imports only)':<40}{floor:>9.2f}")
    print(f"{'  fastest before / after the runs':<40}{floor_before:>9.2f} / {floor_after:.2f}")
    print(f"{f'run --all --jobs 1 (fastest of {len(runs)})':<40}{jobs1:>9.2f}")
    print(f"{'run --all --jobs 2':<40}{jobs2:>9.2f}")
    print(f"\n{'notebook':<22}{'mean s':>8}{'x floor':>9}   per network (s, x floor)")
    for name, values in sorted(per_notebook.items()):
        mean = sum(values) / len(values)
        each = ", ".join(
            f"{n} {v:.2f} ({v / floor:.2f})" for n, v in zip(networks, values, strict=True)
        )
        print(f"{name:<22}{mean:>8.2f}{mean / floor:>9.2f}   {each}")
    print("\nslowest cells (papermill per-cell durations, kernel side):")
    for duration, where, first in sorted(cells, reverse=True)[:12]:
        print(f"{duration:>7.2f} s  {where:<38} {first}")


if __name__ == "__main__":
    main()
