"""A source entirely or too much quarantined fails harmonise, and a run that harmonises first."""

from __future__ import annotations

import json

import nbformat
import pytest
import yaml

from netwerkonderzoek.cli import main
from netwerkonderzoek.exceptions import RunError
from netwerkonderzoek.harmonise import (
    harmonisation_reason,
    harmonise_network,
    needs_harmonisation,
)
from netwerkonderzoek.runner import run_network

from .conftest import TINY_CONFIG, make_tiny_network
from .test_harmonise import BASE, HEADER, PARTNERS, make_config, source


@pytest.fixture
def network(tmp_path):
    """A data folder with a partner list; returns (data_dir, raw_dir)."""
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    return tmp_path, raw


GOOD = "Gemeente Noordstad;jan 2024;overleg;1;2;netwerk\n"
BAD = "Gemeente Noordstad;feb 2024;overleg;veel;2;netwerk\n"


def write(network, text, **settings):
    data_dir, raw = network
    (raw / "uren.csv").write_text(HEADER + text, encoding="utf-8")
    extra = {"harmonisation": settings} if settings else {}
    return make_config(source(), **extra), data_dir


def test_a_source_above_the_share_fails_and_stays_unharmonised(network):
    config, data_dir = write(network, GOOD + BAD + BAD.replace("feb", "mrt"))
    result = harmonise_network(config, data_dir)
    assert not result.ok
    assert result.problems == [
        "source uren.csv (sources.0, table contributions): 2 of 3 data rows quarantined "
        "(67%), more than harmonisation.max_quarantine_share 0.5 allows; reasons: "
        "not a number: 2"
    ]
    # written for inspection, but recorded as failed: a run harmonises again
    state = json.loads((data_dir / "tiny" / "harmonisation" / "state.json").read_text())
    assert state["quarantine_problems"] == result.problems
    assert (data_dir / "tiny" / "contributions.csv").is_file()
    assert harmonisation_reason(config, data_dir) == (
        "the last harmonisation failed: " + result.problems[0]
    )
    # a share of 2/3 is allowed at 0.7; the same files then pass and stay harmonised
    config, data_dir = write(
        network, GOOD + BAD + BAD.replace("feb", "mrt"), max_quarantine_share=0.7
    )
    result = harmonise_network(config, data_dir)
    assert result.ok and result.problems == []
    assert not needs_harmonisation(config, data_dir)


def test_a_source_entirely_quarantined_fails_even_at_share_one(network):
    config, data_dir = write(network, BAD, max_quarantine_share=1.0)
    result = harmonise_network(config, data_dir)
    assert result.problems == [
        "source uren.csv (sources.0, table contributions): every data row (1) quarantined; "
        "reasons: not a number: 1"
    ]


def test_totals_and_duplicates_do_not_count_as_quarantined(network):
    config, data_dir = write(network, GOOD + GOOD + "Totaal;;;1;2;\n")
    result = harmonise_network(config, data_dir)
    assert result.ok


def test_cli_harmonise_exits_1_and_says_why(network, tmp_path, capsys):
    data_dir, raw = network
    (raw / "uren.csv").write_text(HEADER + BAD, encoding="utf-8")
    config_dir = tmp_path / "config"
    (config_dir / "networks").mkdir(parents=True)
    (config_dir / "networks" / "tiny.yaml").write_text(
        yaml.safe_dump({**BASE, "sources": [source()]}, allow_unicode=True), encoding="utf-8"
    )
    args = ["harmonise", "tiny", "--config-dir", str(config_dir), "--data-dir", str(data_dir)]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert "harmonised tiny: 1 source, 1 rows read" in captured.out
    assert (
        "error: source uren.csv (sources.0, table contributions): every data row (1) "
        "quarantined; reasons: not a number: 1\n"
    ) in captured.err
    assert (
        "tiny: harmonisation FAILED: 1 source entirely or too much quarantined "
        "(harmonisation.max_quarantine_share 0.5); see "
    ) in captured.err
    (raw / "uren.csv").write_text(HEADER + GOOD, encoding="utf-8")
    assert main(args) == 0


# --- run: harmonising first, and saying so ------------------------------------------


def trivial_notebooks(folder):
    folder.mkdir()
    for name in ("01_een", "02_twee"):
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_code_cell(
                'network_id = "x"\nconfig_dir = ""\ndata_dir = ""\noutput_dir = ""\n'
                'language = "nl"\nseed = 0',
                metadata={"tags": ["parameters"]},
            ),
            nbformat.v4.new_code_cell("x = 1"),
        ]
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def tiny_with_source(tmp_path, hours="1"):
    config_dir, data_dir = make_tiny_network(tmp_path)
    (data_dir / "raw" / "tiny").mkdir(parents=True)
    (data_dir / "raw" / "tiny" / "uren.csv").write_text(
        "Organisatie;Maand;Activiteit;Uren;Kosten;Waardesoort\n"
        f"Gemeente Klein;jan 2023;overleg;{hours};0;netwerk\n",
        encoding="utf-8",
    )
    spec = {
        "file": "uren.csv",
        "table": "contributions",
        "columns": {
            "partner_id": "Organisatie",
            "period": "Maand",
            "activity": "Activiteit",
            "hours": "Uren",
            "costs_eur": "Kosten",
            "value_type": "Waardesoort",
        },
        "partner_names": {"Gemeente Klein": "gemeente"},
        "values": {"value_type": {"netwerk": "network"}},
    }
    data = yaml.safe_load(TINY_CONFIG)
    data["sources"] = [spec]
    (config_dir / "networks" / "tiny.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    return config_dir, data_dir


def test_a_run_refuses_when_harmonising_first_quarantines_a_source(tmp_path):
    config_dir, data_dir = tiny_with_source(tmp_path, hours="veel")
    with pytest.raises(RunError) as info:
        run_network(
            "tiny",
            config_dir=config_dir,
            data_dir=data_dir,
            output_dir=tmp_path / "out",
            notebook_dir=trivial_notebooks(tmp_path / "nb"),
        )
    assert str(info.value).startswith(
        "tiny: harmonising first (it has not been harmonised yet (no "
        "harmonisation/state.json)) failed: source uren.csv (sources.0, table "
        "contributions): every data row (1) quarantined; reasons: not a number: 1; see "
    )
    assert not (tmp_path / "out" / "tiny").exists()


class Events(list):
    def put(self, item):
        self.append(item)


@pytest.mark.slow
def test_run_says_why_it_harmonises_first_and_only_never_replaces_latest(tmp_path, capsys):
    config_dir, data_dir = tiny_with_source(tmp_path)
    notebooks = trivial_notebooks(tmp_path / "nb")
    out = tmp_path / "out"
    kw = dict(config_dir=config_dir, data_dir=data_dir, output_dir=out, notebook_dir=notebooks)
    events = Events()
    full = run_network("tiny", progress=events, report=False, **kw)
    assert full.ok, full.error
    reason = "it has not been harmonised yet (no harmonisation/state.json)"
    assert full.harmonised == reason
    assert ("tiny", "harmonising", reason) in events
    assert (out / "tiny" / "latest").resolve().name == full.run_id
    # a raw file changes: the next run harmonises first and names the file
    raw = data_dir / "raw" / "tiny" / "uren.csv"
    raw.write_text(raw.read_text().replace(";1;0;", ";2;0;"), encoding="utf-8")
    args = [
        "run",
        "tiny",
        "--only",
        "01_een",
        "--config-dir",
        str(config_dir),
        "--data-dir",
        str(data_dir),
        "--output-dir",
        str(out),
        "--notebook-dir",
        str(notebooks),
    ]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert (
        "harmonised tiny first: raw files changed since the last harmonisation: uren.csv"
        in captured.out
    )
    assert (
        "tiny: harmonising first: raw files changed since the last harmonisation: uren.csv"
        in captured.err
    )
    # the --only run is kept beside the complete study, which stays latest
    runs = sorted(p.name for p in (out / "tiny").iterdir() if p.name[0].isdigit())
    assert len(runs) == 2
    assert (out / "tiny" / "latest").resolve().name == full.run_id
    # nothing changed since: no harmonising, and no word about it
    again = run_network("tiny", report=False, only=["01_een"], **kw)
    assert again.ok and again.harmonised is None
    assert (out / "tiny" / "latest").resolve().name == full.run_id
