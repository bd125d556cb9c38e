"""verify checks a run and does not execute what it checks; runs say what happened.

Issue 16, points 2 (verify), 11 (runs say what happened) and 12 (no path of
the user's machine in the outputs).
"""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from netwerkonderzoek.exceptions import RunError
from netwerkonderzoek.runner import run_network, verify_run
from netwerkonderzoek.runner.run import newest_complete_run
from netwerkonderzoek.runner.verify import normalised_notebook

from .conftest import ROOT


def _run(tiny, tmp_path, notebook_dir, **kwargs):
    config_dir, data_dir = tiny
    result = run_network(
        "tiny",
        config_dir=config_dir,
        data_dir=data_dir,
        output_dir=tmp_path / "o",
        notebook_dir=notebook_dir,
        only=["01_netwerk"],
        **kwargs,
    )
    assert result.ok, result.error
    return result


@pytest.mark.slow
def test_verify_compares_the_report_and_the_executed_notebooks(tiny, notebook_dir, tmp_path):
    result = _run(tiny, tmp_path, notebook_dir)
    check = verify_run(result.path)
    assert check.ok, check
    assert "report.html" not in check.different
    compared = {"report.html", "notebooks/01_netwerk.ipynb"}
    assert check.compared >= 5
    # an edit of the report is found
    report = result.path / "report.html"
    report.write_text(report.read_text().replace("</main>", "<p>toegevoegd</p></main>"))
    # and so is an edited output of an executed notebook
    executed = result.path / "notebooks" / "01_netwerk.ipynb"
    nb = nbformat.read(executed, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.get("outputs"))
    cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text="vervalst\n"))
    nbformat.write(nb, executed)
    check = verify_run(result.path)
    assert compared <= set(check.different), check.different


@pytest.mark.slow
def test_verify_refuses_notebooks_the_manifest_points_elsewhere(tiny, notebook_dir, tmp_path):
    """A manifest whose notebook_dir names another folder once made verify run that
    folder's notebooks and say 'identical'."""
    other = tmp_path / "other-notebooks"
    shutil.copytree(notebook_dir, other)
    nb = nbformat.read(other / "01_netwerk.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print('iets anders')"))
    nbformat.write(nb, other / "01_netwerk.ipynb")
    result = _run(tiny, tmp_path, other)
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["notebook_dir"] == str(other.resolve())
    with pytest.raises(RunError, match=r"01_netwerk.ipynb differs from the one the run used"):
        verify_run(result.path)  # the project's notebook is not the one the run used
    with pytest.raises(RunError, match="not a study notebook of this project"):
        verify_run(result.path, notebook_dir=tmp_path / "empty")


@pytest.mark.slow
def test_verify_never_harmonises(tiny, notebook_dir, tmp_path, monkeypatch):
    """With another key in the environment, verify once re-pseudonymised data/."""
    import netwerkonderzoek.harmonise as harmonise

    result = _run(tiny, tmp_path, notebook_dir)
    _, data_dir = tiny
    before = {p: p.read_bytes() for p in (data_dir / "tiny").rglob("*") if p.is_file()}
    monkeypatch.setattr(
        harmonise, "harmonisation_reason", lambda config, data_dir: "raw files changed"
    )

    def refuse(*args, **kwargs):
        raise AssertionError("verify harmonised")

    monkeypatch.setattr(harmonise, "harmonise_network", refuse)
    with pytest.raises(
        RunError, match=r"need harmonising \(raw files changed\); this run may not harmonise"
    ):
        verify_run(result.path)
    after = {p: p.read_bytes() for p in (data_dir / "tiny").rglob("*") if p.is_file()}
    assert after == before


def test_normalised_notebook_drops_only_what_varies(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"start_time": "t0", "output_path": "/home/x/run"}
    injected = nbformat.v4.new_code_cell(
        'output_dir = "/home/x/run"', metadata={"tags": ["injected-parameters"]}
    )
    cell = nbformat.v4.new_code_cell(
        "1 + 1", metadata={"papermill": {"duration": 0.1}, "execution": {"a": "t"}}
    )
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"})]
    nb.cells = [injected, cell]
    a, b = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    nbformat.write(nb, a)
    nb.metadata["papermill"]["start_time"] = "t1"
    nb.cells[0].source = 'output_dir = "/tmp/other"'
    nb.cells[0].id = "ffff0000"
    nb.cells[1].metadata["execution"] = {"a": "u"}
    nbformat.write(nb, b)
    assert normalised_notebook(a) == normalised_notebook(b)
    nb.cells[1].outputs[0]["data"]["text/plain"] = "3"
    nbformat.write(nb, b)
    assert normalised_notebook(a) != normalised_notebook(b)


def _complete(folder, run_id, started, scope="full", status="complete"):
    (folder / run_id).mkdir(parents=True)
    manifest = {"run_id": run_id, "status": status, "started": started, "scope": scope}
    (folder / run_id / "manifest.json").write_text(json.dumps(manifest))


def test_latest_is_the_newest_complete_full_run_by_start_time(tmp_path):
    # B started later but finished first: it is still the newer study
    _complete(tmp_path, "20240101T100500Z", "2024-01-01T10:05:00+00:00")
    _complete(tmp_path, "20240101T100000Z-2", "2024-01-01T10:06:00+00:00")
    _complete(tmp_path, "20240101T110000Z", "2024-01-01T11:00:00+00:00", scope="partial")
    _complete(tmp_path, "20240101T120000Z", "2024-01-01T12:00:00+00:00", status="failed")
    assert newest_complete_run(tmp_path) == "20240101T100000Z-2"
    assert newest_complete_run(tmp_path / "nothing") is None


def test_a_killed_run_records_why_it_is_not_complete(tiny, notebook_dir, tmp_path):
    """A killed run's manifest once kept 'error': null."""
    network_dir = tmp_path / "o" / "tiny"
    stale = network_dir / ".20240101T000000Z.partial"
    (stale / "notebooks").mkdir(parents=True)
    (stale / "manifest.json").write_text('{"status": "running", "error": null, "notebooks": []}')
    config_dir, data_dir = tiny
    result = run_network(  # the next run of the network retires the stale folder
        "tiny",
        config_dir=config_dir,
        data_dir=data_dir,
        output_dir=tmp_path / "o",
        notebook_dir=notebook_dir,
        only=["01_netwerk"],
        report=False,
    )
    assert result.ok
    manifest = json.loads((network_dir / "20240101T000000Z.failed" / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert manifest["error"] == "the run was killed before it finished"


@pytest.mark.slow
def test_an_entry_without_its_files_is_never_reused(tiny, notebook_dir, tmp_path):
    first = _run(tiny, tmp_path, notebook_dir, report=False)
    manifest_path = first.path / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["notebooks"][0]["files"]
    manifest_path.write_text(json.dumps(manifest))
    second = _run(tiny, tmp_path, notebook_dir, report=False)
    assert second.notebooks[0].status == "complete"  # executed, not reused


@pytest.mark.slow
def test_the_manifest_records_folders_relative_to_the_project(tmp_path):
    result = run_network(
        "wijk-noord",
        config_dir=ROOT / "config",
        data_dir=ROOT / "data",
        output_dir=tmp_path / "o",
        notebook_dir=ROOT / "notebooks",
        only=["01_netwerk"],
        report=False,
    )
    assert result.ok, result.error
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["parameters"]["config_dir"] == "config"
    assert manifest["parameters"]["data_dir"] == "data"
    assert manifest["notebook_dir"] == "notebooks"
    assert all(not name.startswith("/") for name in manifest["inputs"])
    assert str(ROOT) not in json.dumps(manifest)
