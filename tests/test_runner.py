import json

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
    assert (out / "tiny" / "latest").resolve() == run.resolve()
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
    assert measures[1] == "1,all,3,3,0.5,0.666667"
    # wave 2: 4 partners, ties g->c, b->w, w->b; density 3 / 12
    assert measures[6] == "2,all,4,3,0.25,0.666667"
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
