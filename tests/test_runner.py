import json
from pathlib import Path

import nbformat
import pytest

from netwerkonderzoek.exceptions import ConfigError, RunError, ValidationError
from netwerkonderzoek.runner import run_network, run_networks, study_notebooks


def failing_notebook(folder):
    """Add a study notebook whose third cell raises."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'network_id = "x"\nconfig_dir = ""\ndata_dir = ""\noutput_dir = ""\nlanguage = "nl"\nseed = 0',
        metadata={"tags": ["parameters"]},
    )
    nb.cells = [params, nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / "02_breekt.ipynb")


@pytest.mark.slow
def test_run_writes_complete_run_folder(tiny, notebook_dir, tmp_path):
    config_dir, data_dir = tiny
    out = tmp_path / "output"
    result = run_network(
        "tiny",
        config_dir=config_dir,
        data_dir=data_dir,
        output_dir=out,
        notebook_dir=notebook_dir,
        only=["01_netwerk"],
    )
    assert result.ok, result.error
    run = out / "tiny" / result.run_id
    assert result.path == run
    # a run with only= is kept beside the network's complete study, never as latest
    assert not (out / "tiny" / "latest").exists()
    for rel in (
        "notebooks/01_netwerk.ipynb",
        "figures/network_map.svg",
        "figures/network_map.png",
        "tables/network_measures.csv",
        "report.html",
    ):
        assert (run / rel).is_file(), rel
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["parameters"]["network_id"] == "tiny"
    assert manifest["parameters"]["seed"] == 7
    assert manifest["notebooks"][0]["status"] == "complete"
    assert manifest["notebooks"][0]["seconds"] > 0
    assert any(k.endswith("tiny/ties.csv") for k in manifest["inputs"])
    assert all(v.startswith("sha256:") for v in manifest["inputs"].values())
    assert manifest["packages"]["pandas"]
    measures = (run / "tables" / "network_measures.csv").read_text().splitlines()
    assert measures[0].startswith("wave,layer,partners,ties,density")
    # wave 1: the residents' council (joined 2023-06-01) is not yet a partner:
    # 3 partners, 3 ties, density 3 / (3 * 2) = 0.5
    assert measures[1].startswith("1,all,3,3,0.5,0.666667,")
    # wave 2: 4 partners, ties g->c, b->w, w->b; density 3 / 12
    assert measures[6].startswith("2,all,4,3,0.25,0.666667,")
    assert not list((out / "tiny").glob(".*partial"))


@pytest.mark.slow
def test_failing_notebook_fails_run_and_keeps_partial_output(tiny, notebook_dir, tmp_path):
    config_dir, data_dir = tiny
    failing_notebook(notebook_dir)
    out = tmp_path / "output"
    result = run_network(
        "tiny",
        config_dir=config_dir,
        data_dir=data_dir,
        output_dir=out,
        notebook_dir=notebook_dir,
        only=["01_netwerk", "02_breekt"],
        report=False,
    )
    assert result.status == "failed"
    assert (
        "notebook 02_breekt failed in cell 3: ZeroDivisionError: division by zero" in result.error
    )
    assert result.path.name.endswith(".failed")
    assert (result.path / "notebooks" / "01_netwerk.ipynb").is_file()
    assert (result.path / "notebooks" / "02_breekt.ipynb").is_file()  # partial, for inspection
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert [n["status"] for n in manifest["notebooks"]] == ["complete", "failed"]
    assert manifest["notebooks"][1]["cell"] == 3
    # nothing that looks complete, and no latest pointer to a failed run
    assert [p.name for p in (out / "tiny").iterdir()] == [result.path.name]


def test_run_refuses_invalid_input(tiny, notebook_dir, tmp_path):
    config_dir, data_dir = tiny
    ties = data_dir / "tiny" / "ties.csv"
    ties.write_text(ties.read_text().replace("bewoners,welzijn", "onbekend,welzijn"))
    with pytest.raises(ValidationError, match=r"'onbekend' is not in partners\.csv"):
        run_network(
            "tiny",
            config_dir=config_dir,
            data_dir=data_dir,
            output_dir=tmp_path / "o",
            notebook_dir=notebook_dir,
        )
    assert not (tmp_path / "o").exists()


def test_run_refuses_bad_ids(tiny, tmp_path):
    config_dir, data_dir = tiny
    with pytest.raises(ConfigError, match="not a slug"):
        run_network("../x", config_dir=config_dir, data_dir=data_dir, output_dir=tmp_path)
    results = run_networks(
        ["tiny", "nergens"],
        config_dir=config_dir,
        data_dir=data_dir,
        output_dir=tmp_path,
        notebook_dir=tmp_path / "none",
    )
    assert [r.status for r in results] == ["failed", "failed"]
    assert "no study notebooks" in results[0].error
    assert "file not found" in results[1].error


def test_study_notebooks_only(notebook_dir):
    assert [p.stem for p in study_notebooks(notebook_dir, ["01_netwerk.ipynb"])] == ["01_netwerk"]
    with pytest.raises(RunError, match="unknown notebook"):
        study_notebooks(notebook_dir, ["99_niets"])


@pytest.mark.slow
def test_second_run_reuses_and_force_reexecutes(tiny, notebook_dir, tmp_path):
    config_dir, data_dir = tiny
    common = dict(
        config_dir=config_dir,
        data_dir=data_dir,
        output_dir=tmp_path / "o",
        notebook_dir=notebook_dir,
        only=["01_netwerk"],
    )
    first = run_network("tiny", **common)
    second = run_network("tiny", **common)
    assert first.ok and second.ok
    assert [nb.status for nb in second.notebooks] == ["reused"]
    assert second.notebooks[0].reused_from == first.run_id
    for rel in first.notebooks[0].files:
        assert (second.path / rel).read_bytes() == (first.path / rel).read_bytes()
    # a changed input changes the key: the notebook runs again
    events = data_dir / "tiny" / "events.csv"
    events.write_text(events.read_text() + "tiny,2023-10-01,Evaluatie,milestone,,\n")
    third = run_network("tiny", **common)
    assert [nb.status for nb in third.notebooks] == ["complete"]
    forced = run_network("tiny", force=True, **common)
    assert [nb.status for nb in forced.notebooks] == ["complete"]
    # reproducible: identical tables and SVG figures from a fresh execution
    for rel in ("tables/network_measures.csv", "figures/network_map.svg"):
        assert (forced.path / rel).read_bytes() == (third.path / rel).read_bytes()


def test_killed_run_is_retired_not_complete(tiny, notebook_dir, tmp_path):
    config_dir, data_dir = tiny
    network_dir = tmp_path / "o" / "tiny"
    stale = network_dir / ".20240101T000000Z.partial"
    (stale / "notebooks").mkdir(parents=True)
    (stale / "manifest.json").write_text('{"status": "running", "notebooks": []}')
    failing_notebook(notebook_dir)
    result = run_network(
        "tiny",
        config_dir=config_dir,
        data_dir=data_dir,
        output_dir=tmp_path / "o",
        notebook_dir=notebook_dir,
        only=["02_breekt"],
        report=False,
    )
    assert not stale.exists()
    retired = network_dir / "20240101T000000Z.failed"
    assert json.loads((retired / "manifest.json").read_text())["status"] == "interrupted"
    assert result.status == "failed"
    assert sorted(p.name for p in network_dir.iterdir()) == sorted(
        [retired.name, result.path.name]
    )


@pytest.mark.slow
def test_verify_detects_identical_and_changed(tiny, notebook_dir, tmp_path):
    from netwerkonderzoek.runner import verify_run

    config_dir, data_dir = tiny
    result = run_network(
        "tiny",
        config_dir=config_dir,
        data_dir=data_dir,
        output_dir=tmp_path / "o",
        notebook_dir=notebook_dir,
        only=["01_netwerk"],
    )
    check = verify_run(result.path)
    assert check.ok, check
    assert check.compared >= 3
    assert check.changed_inputs == []
    # tamper with a table in the run and change an input: both are reported
    table = result.path / "tables" / "network_measures.csv"
    table.write_text(table.read_text().replace("0.25", "0.26"))
    ties = data_dir / "tiny" / "ties.csv"
    ties.write_text(
        ties.read_text().replace(
            "tiny,2,gemeente,corporatie,information,2", "tiny,2,gemeente,corporatie,information,3"
        )
    )
    check = verify_run(result.path)
    assert not check.ok
    assert "tables/network_measures.csv" in check.different  # tampered, and the weight changed
    assert [name.rsplit("/", 1)[-1] for name in check.changed_inputs] == ["ties.csv"]


@pytest.mark.slow
def test_parallel_processes_and_dask_give_identical_outputs(tmp_path):
    from distributed import LocalCluster

    from .conftest import ROOT, make_tiny_network

    config_dir, data_dir = make_tiny_network(tmp_path)
    # three networks: two copies of tiny and one that fails validation
    for name in ("tiny-b", "kapot"):
        (config_dir / "networks" / f"{name}.yaml").write_text(
            (config_dir / "networks" / "tiny.yaml")
            .read_text()
            .replace("network_id: tiny", f"network_id: {name}")
        )
        (data_dir / name).mkdir()
        for csv in (data_dir / "tiny").iterdir():
            (data_dir / name / csv.name).write_text(csv.read_text().replace("tiny,", f"{name},"))
    (data_dir / "kapot" / "events.csv").unlink()
    ids = ["tiny", "tiny-b", "kapot"]
    common = dict(
        config_dir=config_dir,
        data_dir=data_dir,
        notebook_dir=ROOT / "notebooks",
        only=["01_netwerk"],
    )
    events = []
    local = run_networks(
        ids, jobs=2, output_dir=tmp_path / "local", on_event=events.append, **common
    )
    assert [r.status for r in local] == ["complete", "complete", "failed"]
    assert "events.csv: file not found" in local[2].error
    assert ("tiny", "running", "01_netwerk") in events and ("tiny-b", "done", None) in events
    assert ("kapot", "failed", None) in events
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = run_networks(
            ids, scheduler=cluster.scheduler_address, output_dir=tmp_path / "dask", **common
        )
    assert [r.status for r in remote] == ["complete", "complete", "failed"]
    for a, b in zip(local[:2], remote[:2], strict=True):
        for rel in ("tables/network_measures.csv", "figures/network_map.svg"):
            assert (a.path / rel).read_bytes() == (b.path / rel).read_bytes(), rel


def test_parameter_values_cannot_inject_code(tiny, notebook_dir, tmp_path):
    import ast

    from papermill.translators import PythonTranslator

    config_dir, data_dir = tiny
    hostile = 'nl"\nimport os; os.system("touch PWNED")\n#'
    # papermill writes a text parameter as a Python literal: it stays a string
    injected = ast.parse(PythonTranslator.codify({"language": hostile})).body
    assert [type(node) for node in injected] == [ast.Assign]
    assert injected[0].value.value == hostile
    # and the run refuses a language that is not nl or en before any kernel starts
    with pytest.raises(RunError, match="The 'language' parameter of 01_netwerk must be 'nl'"):
        run_network(
            "tiny",
            config_dir=config_dir,
            data_dir=data_dir,
            output_dir=tmp_path / "o",
            notebook_dir=notebook_dir,
            only=["01_netwerk"],
            parameters={"language": hostile},
            report=False,
        )
    assert not (tmp_path / "o").exists()
    assert not list(tmp_path.rglob("PWNED"))


@pytest.mark.parametrize("value", [('nl"; import os; "',), Path('nl"; import os; "')])
def test_parameter_values_papermill_writes_unescaped_are_refused(value):
    import ast

    from papermill.translators import PythonTranslator

    from netwerkonderzoek.runner import check_parameters

    from .conftest import ROOT

    # papermill writes a tuple or a Path as its str between quotes, unescaped:
    # the quote in it ends the string and the rest is code
    injected = ast.parse(PythonTranslator.codify({"language": value})).body
    assert any(isinstance(node, ast.Import) for node in injected)
    with pytest.raises(RunError, match="The 'language' parameter must be text, a number"):
        check_parameters({"language": value}, [ROOT / "notebooks" / "01_netwerk.ipynb"])


@pytest.mark.slow
def test_ctrl_c_leaves_no_folder_that_looks_complete(tiny, notebook_dir, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    config_dir, data_dir = tiny
    slow = nbformat.v4.new_notebook()
    slow.cells = [
        nbformat.v4.new_code_cell(
            'network_id = "x"\noutput_dir = ""', metadata={"tags": ["parameters"]}
        ),
        nbformat.v4.new_code_cell("import time\ntime.sleep(60)"),
    ]
    slow.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(slow, notebook_dir / "00_traag.ipynb")
    out = tmp_path / "o"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "netwerkonderzoek.cli",
            "run",
            "tiny",
            "--jobs",
            "1",
            "--config-dir",
            str(config_dir),
            "--data-dir",
            str(data_dir),
            "--output-dir",
            str(out),
            "--notebook-dir",
            str(notebook_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(
        (out / "tiny").glob(".*.partial/notebooks/00_traag.ipynb")
    ):
        time.sleep(0.2)
    time.sleep(2)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    assert process.returncode == 130, process.stdout.read().decode()
    folders = [p.name for p in (out / "tiny").iterdir()]
    assert len(folders) == 1 and folders[0].endswith(".failed"), folders
    manifest = json.loads((out / "tiny" / folders[0] / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert not (out / "tiny" / "latest").exists()


def test_a_partial_folder_another_process_holds_is_left_alone(tmp_path):
    """The lock is filelock's, so it works alike on Linux, macOS and Windows."""
    import multiprocessing

    from netwerkonderzoek.runner.folders import retire_stale_partials

    network_dir = tmp_path / "tiny"
    busy, stale = (
        network_dir / ".20240101T000000Z.partial",
        network_dir / ".20230101T000000Z.partial",
    )
    for folder in (busy, stale):
        folder.mkdir(parents=True)
        (folder / "manifest.json").write_text('{"status": "running", "notebooks": []}')
    context = multiprocessing.get_context("spawn")
    held, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(busy / ".lock", held, release))
    holder.start()
    try:
        assert held.wait(60)
        retire_stale_partials(network_dir)
        assert busy.is_dir()  # another run is working in it
        assert not stale.exists()
        assert (
            json.loads((network_dir / "20230101T000000Z.failed" / "manifest.json").read_text())[
                "status"
            ]
            == "interrupted"
        )
    finally:
        release.set()
        holder.join(60)
    retire_stale_partials(network_dir)  # released: now it is stale too
    assert not busy.exists() and (network_dir / "20240101T000000Z.failed").is_dir()


def _hold_lock(path, held, release):
    from filelock import FileLock

    with FileLock(path):
        held.set()
        release.wait(60)


def test_every_runner_settles_a_dead_worker_the_same_way():
    from concurrent.futures.process import BrokenProcessPool

    from netwerkonderzoek.runner.batch import _settle
    from netwerkonderzoek.runner.run import RunResult

    events = []

    def dead_worker():
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    result = _settle("wijk-noord", dead_worker, events.append)
    assert (result.status, result.path, result.run_id) == ("failed", None, "")
    assert result.error == (
        "worker failed: BrokenProcessPool: A process in the process pool was terminated abruptly"
    )
    assert events == [("wijk-noord", "failed", None)]
    # a job that ended with its own result is passed on as it is, failures announced
    ok = RunResult("wijk-zuid", "r1", "complete", Path("output/wijk-zuid/r1"))
    assert _settle("wijk-zuid", lambda: ok, events.append) is ok
    assert events == [("wijk-noord", "failed", None)]
