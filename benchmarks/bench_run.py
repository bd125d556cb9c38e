"""Wall seconds of a full study run against the papermill floor.

Measures, in one go on this machine:

- ``floor``: a papermill run of a notebook that only imports the libraries the
  study notebooks import (the least a notebook run can cost);
- ``run --all``: ``netwerkonderzoek run --all`` on the shipped example networks
  (``--jobs 1`` and ``--jobs 2``), as a user runs it.

Run from the project root: ``.venv/bin/python benchmarks/bench_run.py``.
Outputs go to a temporary folder and are removed afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
FLOOR_IMPORTS = """\
import matplotlib.pyplot as plt
import networkx
import pandas
import statsmodels.api
import netwerkonderzoek
from netwerkonderzoek import figures, network, tables
"""


def floor_seconds(workdir: Path, repeats: int = 3) -> float:
    import papermill as pm

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('network_id = "x"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(FLOOR_IMPORTS),
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
        pm.execute_notebook(
            str(source),
            str(workdir / f"floor-out-{i}.ipynb"),
            parameters={"network_id": "y"},
            kernel_name="python3",
            progress_bar=False,
            cwd=str(workdir),
        )
        times.append(time.perf_counter() - began)
    return min(times)


def run_all_seconds(workdir: Path, jobs: int) -> float:
    cli = Path(sys.executable).with_name("netwerkonderzoek")
    began = time.perf_counter()
    subprocess.run(
        [
            str(cli),
            "run",
            "--all",
            "--jobs",
            str(jobs),
            "--output-dir",
            str(workdir / f"out-{jobs}"),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    return time.perf_counter() - began


def main() -> None:
    from netwerkonderzoek import list_networks
    from netwerkonderzoek.runner import study_notebooks

    networks = list_networks(ROOT / "config")
    notebooks = study_notebooks(ROOT / "notebooks")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        floor = floor_seconds(workdir)
        jobs1 = run_all_seconds(workdir, 1)
        jobs2 = run_all_seconds(workdir, 2)
    n_nb = len(networks) * len(notebooks)
    print(f"networks: {len(networks)} ({', '.join(networks)}); study notebooks: {len(notebooks)}")
    print(f"{'measure':<38}{'seconds':>9}")
    print(f"{'floor (papermill, imports only)':<38}{floor:>9.2f}")
    print(f"{'run --all --jobs 1':<38}{jobs1:>9.2f}")
    print(f"{'run --all --jobs 2':<38}{jobs2:>9.2f}")
    print(
        f"{'per notebook, --jobs 1':<38}{jobs1 / n_nb:>9.2f}  ({jobs1 / n_nb / floor:.2f} x floor)"
    )


if __name__ == "__main__":
    main()
