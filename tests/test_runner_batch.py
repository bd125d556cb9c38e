"""A batch of simulated networks on two workers: no kernel or port clashes."""

from __future__ import annotations

import json

import pytest

from netwerkonderzoek.runner import run_networks, study_notebooks
from netwerkonderzoek.simulate.batch import write_batch

from .conftest import ROOT


@pytest.mark.slow
def test_two_workers_run_fifty_notebooks(tmp_path):
    notebooks = study_notebooks(ROOT / "notebooks")
    n_networks = -(-50 // len(notebooks))  # at least 50 notebook executions
    ids = write_batch(n_networks, tmp_path / "config", tmp_path / "data", seed=11)
    results = run_networks(
        ids,
        jobs=2,
        config_dir=tmp_path / "config",
        data_dir=tmp_path / "data",
        output_dir=tmp_path / "output",
        notebook_dir=ROOT / "notebooks",
        report=False,
    )
    failures = {r.network_id: r.error for r in results if not r.ok}
    assert not failures, failures
    executed = sum(len(r.notebooks) for r in results)
    assert executed >= 50
    for r in results:
        manifest = json.loads((r.path / "manifest.json").read_text())
        assert [n["status"] for n in manifest["notebooks"]] == ["complete"] * len(notebooks)
