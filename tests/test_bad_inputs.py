"""The bad-input corpus (tests/bad_inputs/): every file gets its expected outcome.

Each case in ``tests/bad_inputs/cases.yaml`` names a broken or hostile file
(or id, or notebook parameter) and the exact error, validation fault or
quarantine entry it must produce. Nothing may crash with a bare exception
from deep inside a library: any exception that is not one of ours fails the
test. A case marked ``xfail`` is a known defect, kept visible: its test is a
strict xfail, so it fails once the defect is fixed and the marker must go.
"""

from __future__ import annotations

import ast
import csv
import re
import shutil
from pathlib import Path

import pytest
import yaml

import netwerkonderzoek.exceptions as exceptions
from netwerkonderzoek.config import load_config
from netwerkonderzoek.tables import validate_network

from .conftest import ROOT, make_tiny_network

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))


def test_corpus_is_complete():
    files = {
        str(p.relative_to(CORPUS))
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name != "cases.yaml"
    }
    listed = {name for name, case in CASES.items() if case["kind"] not in ("id", "parameter")}
    assert files == listed, (
        "every corpus file needs an expected outcome in cases.yaml, and vice versa"
    )
    assert len(CASES) >= 40


def _error_class(name: str) -> type[Exception]:
    from netwerkonderzoek import harmonise, privacy

    for module in (exceptions, harmonise, privacy):
        if hasattr(module, name):
            return getattr(module, name)
    raise LookupError(f"no error class {name!r}")


def _params(kinds: tuple[str, ...], exclude: bool = False) -> list:
    """Case names of ``kinds`` (or of every other kind), known defects as strict xfails."""
    return [
        pytest.param(name, marks=pytest.mark.xfail(reason=case["xfail"], strict=True))
        if "xfail" in case
        else name
        for name, case in sorted(CASES.items())
        if (case["kind"] in kinds) != exclude
    ]


@pytest.mark.parametrize("name", _params(("raw", "parameter"), exclude=True))
def test_bad_input_gets_its_outcome(name, tmp_path):
    case = CASES[name]
    expect = case["expect"]
    config_dir, data_dir = make_tiny_network(tmp_path)
    network_id = "tiny"
    if case["kind"] == "config":
        shutil.copyfile(CORPUS / name, config_dir / "networks" / "tiny.yaml")
    elif case["kind"] == "table":
        shutil.copyfile(CORPUS / name, data_dir / "tiny" / f"{case['table']}.csv")
    elif case["kind"] == "id":
        network_id = case["id"]
    elif case["kind"] == "theory":
        import pandas as pd

        from netwerkonderzoek.cmo import load_theory

        units = pd.read_csv(data_dir / "tiny" / "units.csv")
        with pytest.raises(_error_class(expect["error"])) as info:
            load_theory(CORPUS / name, units)
        assert re.search(expect["match"], str(info.value), re.S), str(info.value)
        assert not list(tmp_path.rglob("PWNED")) and not Path("PWNED").exists()
        return
    try:
        config = load_config(network_id, config_dir)
        faults = validate_network(config, data_dir)
    except exceptions.NetwerkonderzoekError as exc:
        assert "error" in expect, f"unexpected {type(exc).__name__}: {exc}"
        assert isinstance(exc, _error_class(expect["error"])), type(exc)
        assert re.search(expect["match"], str(exc), re.S), str(exc)
        return
    assert "fault" in expect, f"expected {expect}, but the input loaded with faults {faults}"
    texts = [str(f) for f in faults]
    assert any(re.search(expect["fault"], t) for t in texts), texts


# The one source of the tiny network a raw partner export is installed as.
RAW_SOURCE = {
    "table": "contributions",
    "columns": {
        "partner_id": "Organisatie",
        "period": "Maand",
        "activity": "Activiteit",
        "hours": "Uren",
        "costs_eur": "Kosten",
    },
    "constants": {"value_type": "network"},
    "partner_names": {
        "Gemeente Klein": "gemeente",
        "Woonstichting Klein": "corporatie",
        "Welzijn Klein": "welzijn",
    },
}

# A cell a spreadsheet runs as a formula when it opens the CSV (OWASP "CSV injection").
FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _unsafe_outputs(files: list[Path]) -> list[str]:
    """Formula cells and NUL bytes in the CSV files harmonise wrote."""
    found = []
    for path in files:
        if path.suffix != ".csv":
            continue
        if b"\x00" in path.read_bytes():
            found.append(f"{path.name}: NUL byte")
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                found += [
                    f"{path.name}: formula cell {cell[:40]!r}"
                    for cell in row
                    if FORMULA_START.match(cell) and not _is_number(cell)
                ]
    return found


@pytest.mark.parametrize("name", _params(("raw",)))
def test_raw_export_gets_its_outcome(name, tmp_path):
    import pandas as pd

    from netwerkonderzoek.harmonise import format_report, harmonise_network

    case = CASES[name]
    expect = case["expect"]
    config_dir, data_dir = make_tiny_network(tmp_path)
    file = Path(name).name
    raw_dir = data_dir / "raw" / "tiny"
    raw_dir.mkdir(parents=True)
    shutil.copyfile(CORPUS / name, raw_dir / file)
    source = {"file": file, **RAW_SOURCE, **case.get("source", {})}
    path = config_dir / "networks" / "tiny.yaml"
    sources = yaml.safe_dump({"sources": [source]}, allow_unicode=True)
    path.write_text(path.read_text(encoding="utf-8") + sources, encoding="utf-8")
    config = load_config("tiny", config_dir)
    if "error" in expect:
        with pytest.raises(_error_class(expect["error"])) as info:
            harmonise_network(config, data_dir)
        assert re.search(expect["match"], str(info.value), re.S), str(info.value)
        return
    result = harmonise_network(config, data_dir)
    folder = data_dir / "tiny"

    def read(rel: str) -> pd.DataFrame:
        return pd.read_csv(folder / rel, dtype=str, keep_default_na=False)

    quarantine = read("harmonisation/quarantine.csv")
    for entry in expect.get("quarantine", []):
        rows = quarantine[
            (quarantine["source_row"] == str(entry["row"]))
            & (quarantine["status"] == entry["status"])
        ]
        assert any(re.search(entry["reason"], r) for r in rows["reason"]), (
            entry,
            quarantine[["source_row", "status", "reason"]].to_dict("records"),
        )
    for row, pattern in expect.get("raw", {}).items():
        (text,) = quarantine.loc[quarantine["source_row"] == str(row), "raw"]
        assert re.search(pattern, text), (row, text)
    if "summary" in expect:
        summary = format_report(result.report, "tiny")
        assert re.search(expect["summary"], summary), summary
    report = read("harmonisation/report.csv").iloc[0]
    counts = {k: int(report[k]) for k in expect.get("report", {})}
    assert counts == expect.get("report", {}), counts
    if "provenance_rows" in expect:
        rows = read("provenance/contributions.csv")["source_row"].astype(int)
        assert sorted(rows) == expect["provenance_rows"]
    assert _unsafe_outputs(result.files) == []
    assert [r[:60] for r in quarantine["reason"] if len(r) > 1000] == []


def _injected_cell(notebook: Path, parameters: dict) -> str:
    """The parameters cell papermill injects into ``notebook``."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(notebook)), parameters)
    (cell,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    return cell.source


def _assigned_literals(source: str) -> dict[str, object]:
    """``{name: value}`` of a cell that holds only ``name = <literal>`` lines; else fail."""
    values = {}
    for statement in ast.parse(source).body:
        assert isinstance(statement, ast.Assign), ast.dump(statement)
        (target,) = statement.targets
        assert isinstance(target, ast.Name), ast.dump(target)
        values[target.id] = ast.literal_eval(statement.value)
    return values


def _tiny_notebook(folder: Path) -> Path:
    """A study notebook with the study parameters cell and one cell using them."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell(
            'network_id: str = "wijk-noord"\nconfig_dir: str = "../config"\n'
            'data_dir: str = "../data"\noutput_dir: str = "."\nlanguage: str = "nl"\n'
            "seed: int = 2022",
            metadata={"tags": ["parameters"]},
        ),
        nbformat.v4.new_code_cell("print(repr(language))"),
    ]
    folder.mkdir()
    nbformat.write(nb, folder / "01_klein.ipynb")
    return folder


@pytest.mark.parametrize("name", _params(("parameter",)))
def test_notebook_parameter_gets_its_outcome(name, tmp_path, monkeypatch):
    import nbformat

    from netwerkonderzoek.cli import _parse_value
    from netwerkonderzoek.runner import run as run_module

    case = CASES[name]
    expect = case["expect"]
    config_dir, data_dir = make_tiny_network(tmp_path)
    value = case["value"] if case.get("api") else _parse_value(case["value"])
    execute = expect.get("execute", False)
    notebook_dir = _tiny_notebook(tmp_path / "nb") if execute else ROOT / "notebooks"
    started = []
    if not execute:  # no kernel: record what papermill would be given
        monkeypatch.setattr(
            run_module, "execute", lambda nb, target, params, **kw: started.append((nb, params))
        )
    run = dict(
        config_dir=config_dir,
        data_dir=data_dir,
        output_dir=tmp_path / "output",
        notebook_dir=notebook_dir,
        only=None if execute else ["01_netwerk"],
        parameters={case["name"]: value},
        report=False,
    )
    if "error" in expect:
        with pytest.raises(_error_class(expect["error"])) as info:
            run_module.run_network("tiny", **run)
        assert re.search(expect["match"], str(info.value), re.S), str(info.value)
        assert started == [] and not (tmp_path / "output").exists(), "refused after the run began"
        return
    result = run_module.run_network("tiny", **run)
    assert result.status == "complete", result.error
    if execute:
        executed = result.path / "notebooks" / "01_klein.ipynb"
        source = next(
            c.source
            for c in nbformat.read(executed, as_version=4).cells
            if "injected-parameters" in c.metadata.get("tags", [])
        )
    else:
        ((notebook, params),) = started
        source = _injected_cell(notebook, params)
    assigned = _assigned_literals(source)
    assert assigned[case["name"]] == value and isinstance(assigned[case["name"]], str)
    if execute:  # the kernel ran the injected cell: the value arrived as text, no code ran
        (printed,) = [
            c.outputs[0].text
            for c in nbformat.read(executed, as_version=4).cells
            if c.source == "print(repr(language))"
        ]
        assert printed == repr(value) + "\n"
        assert not list(tmp_path.rglob("PWNED")) and not Path("PWNED").exists()
