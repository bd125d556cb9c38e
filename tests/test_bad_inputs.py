"""The bad-input corpus (tests/bad_inputs/): every file gets its expected outcome.

Each case in ``tests/bad_inputs/cases.yaml`` names a broken or hostile file
(or id) and the exact error or validation fault it must produce. Nothing may
crash with a bare exception from deep inside a library: any exception that
is not one of ours fails the test.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

import netwerkonderzoek.exceptions as exceptions
from netwerkonderzoek.config import load_config
from netwerkonderzoek.tables import validate_network

from .conftest import make_tiny_network

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))


def test_corpus_is_complete():
    files = {
        str(p.relative_to(CORPUS))
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name != "cases.yaml"
    }
    listed = {name for name, case in CASES.items() if case["kind"] != "id"}
    assert files == listed, (
        "every corpus file needs an expected outcome in cases.yaml, and vice versa"
    )
    assert len(CASES) >= 40


def _error_class(name: str) -> type[Exception]:
    from netwerkonderzoek import privacy

    return getattr(exceptions, name, None) or getattr(privacy, name)


@pytest.mark.parametrize("name", sorted(CASES))
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
