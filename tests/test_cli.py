import pytest

from netwerkonderzoek.cli import main


def test_list(tiny, capsys):
    config_dir, _ = tiny
    assert main(["list", "--config-dir", str(config_dir)]) == 0
    assert "tiny" in capsys.readouterr().out


def test_validate_ok_and_faults(tiny, capsys):
    config_dir, data_dir = tiny
    args = ["validate", "tiny", "--config-dir", str(config_dir), "--data-dir", str(data_dir)]
    assert main(args) == 0
    assert "tiny: valid" in capsys.readouterr().out
    ties = data_dir / "tiny" / "ties.csv"
    ties.write_text(ties.read_text().replace(",2,3,3,2,3,4,3", ",veel,3,3,2,3,4,3", 1))
    partners = data_dir / "tiny" / "partners.csv"
    partners.write_text(
        partners.read_text().replace("Welzijn Klein,welfare", "Welzijn Klein,welzijn")
    )
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "ties.csv, row 2, column 'weight': got 'veel'; expected a number of at least 0" in out
    assert "partners.csv, row 4, column 'kind': got 'welzijn'; expected one of" in out
    assert "tiny: INVALID (2 faults)" in out


def test_bad_id_is_refused(tiny, capsys):
    config_dir, _ = tiny
    assert main(["validate", "../x", "--config-dir", str(config_dir)]) == 2
    assert "not a slug" in capsys.readouterr().err
    assert main(["run", "../x", "--config-dir", str(config_dir)]) == 2


def test_run_refuses_invalid_input(tiny, capsys, tmp_path):
    config_dir, data_dir = tiny
    (data_dir / "tiny" / "events.csv").unlink()
    code = main(
        [
            "run",
            "tiny",
            "--config-dir",
            str(config_dir),
            "--data-dir",
            str(data_dir),
            "--output-dir",
            str(tmp_path / "out"),
        ]
    )
    assert code == 1
    assert "events.csv: file not found" in capsys.readouterr().err
    assert not (tmp_path / "out" / "tiny").exists() or not any(
        (tmp_path / "out" / "tiny").iterdir()
    )


def test_usage_error_exits_2():
    with pytest.raises(SystemExit) as info:
        main(["run"])
    assert info.value.code == 2


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "__import__('os').system('touch PWNED') or x",
            "1",
            "is not a valid Python variable name; the notebooks' parameters are network_id, "
            "config_dir, data_dir, output_dir, language, seed",
        ),
        ("langauge", "en", "unknown parameter 'langauge'"),
        ("seed", "zeven", "The 'seed' parameter of 01_netwerk must be a whole number"),
        ("network_id", "../../etc", "The 'network_id' parameter is set by the run"),
    ],
)
def test_run_refuses_bad_parameters_before_any_kernel(
    tiny, capsys, tmp_path, name, value, message
):
    from .conftest import ROOT

    config_dir, data_dir = tiny
    out = tmp_path / "out"
    common = ["--config-dir", str(config_dir), "--data-dir", str(data_dir)]
    notebooks = ["--notebook-dir", str(ROOT / "notebooks"), "--output-dir", str(out)]
    code = main(["run", "tiny", *common, *notebooks, "-p", name, value])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: -p: ") and message in err, err
    assert "Traceback" not in err and not out.exists()


def test_synthesis_refuses_unknown_parameter(tiny, capsys, tmp_path):
    from .conftest import ROOT

    config_dir, data_dir = tiny
    args = ["run", "--synthesis", "--config-dir", str(config_dir), "--data-dir", str(data_dir)]
    args += ["--notebook-dir", str(ROOT / "notebooks"), "--output-dir", str(tmp_path / "o")]
    assert main([*args, "-p", "network_id", "tiny"]) == 2
    assert "unknown parameter 'network_id'" in capsys.readouterr().err
    assert main([*args, "-p", "runs_dir", "/etc"]) == 2
    assert "The 'runs_dir' parameter is set by the run" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_run_then_verify(tiny, capsys, tmp_path):
    from .conftest import ROOT

    config_dir, data_dir = tiny
    out = tmp_path / "out"
    common = ["--config-dir", str(config_dir), "--data-dir", str(data_dir)]
    code = main(
        [
            "run",
            "tiny",
            *common,
            "--output-dir",
            str(out),
            "--notebook-dir",
            str(ROOT / "notebooks"),
            "--only",
            "01_netwerk",
            "--jobs",
            "1",
        ]
    )
    assert code == 0, capsys.readouterr()
    printed = capsys.readouterr().out
    assert "report:" in printed and "figures:" in printed
    # a run with --only is kept, but it is not the network's complete study
    assert not (out / "tiny" / "latest").exists()
    (run,) = [p for p in (out / "tiny").iterdir() if p.is_dir() and p.name[0].isdigit()]
    assert main(["verify", str(run)]) == 0
    assert "identical (" in capsys.readouterr().out
    table = run / "tables" / "network_measures.csv"
    table.write_text(table.read_text() + "\n")
    assert main(["verify", str(run)]) == 1
    assert "DIFFERENT  tables/network_measures.csv" in capsys.readouterr().out


def test_verify_refuses_folders_that_are_not_runs(tmp_path, capsys):
    assert main(["verify", str(tmp_path)]) == 2
    assert "no readable manifest.json" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (
            lambda p: p.write_text(p.read_text().replace("  seed: 7\n", "  seed: 7\n  seed: 8\n")),
            "found duplicate key 'seed'",
        ),
        (
            lambda p: p.write_text(p.read_text().replace("2023-09-01", "2023-04-31")),
            "'2023-04-31' is not a date that exists",
        ),
    ],
)
def test_named_faults_exit_2_without_a_traceback(tiny, capsys, write, message):
    """Issue 16, point 8: a repeated key once silently won; an impossible date was a traceback."""
    config_dir, data_dir = tiny
    write(config_dir / "networks" / "tiny.yaml")
    code = main(["validate", "tiny", "--config-dir", str(config_dir), "--data-dir", str(data_dir)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err and "tiny.yaml" in err and "Traceback" not in err


def test_an_unreachable_scheduler_is_named(tiny, capsys, monkeypatch):
    import netwerkonderzoek.runner.batch as batch

    monkeypatch.setattr(batch, "SCHEDULER_TIMEOUT", 1)
    config_dir, data_dir = tiny
    code = main(
        [
            "run",
            "tiny",
            "--config-dir",
            str(config_dir),
            "--data-dir",
            str(data_dir),
            "--scheduler",
            "tcp://127.0.0.1:9",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'" in err


def test_validate_says_when_the_tables_are_behind_the_raw_exports(tmp_path, capsys):
    # found by a new user: validate said "valid" while a raw export had changed
    import shutil

    from netwerkonderzoek.cli import main

    from .conftest import ROOT

    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "data" / "wijk-noord", tmp_path / "data" / "wijk-noord")
    shutil.copytree(ROOT / "data" / "raw" / "wijk-noord", tmp_path / "data" / "raw" / "wijk-noord")
    args = ["validate", "wijk-noord", "--config-dir", str(tmp_path / "config")]
    args += ["--data-dir", str(tmp_path / "data")]
    assert main(args) == 0
    assert "note:" not in capsys.readouterr().out
    raw = tmp_path / "data" / "raw" / "wijk-noord" / "urenregistratie.csv"
    raw.write_bytes(raw.read_bytes() + b"\n")
    assert main(args) == 0
    out = capsys.readouterr().out
    assert (
        "are not harmonised from the current raw exports (raw files changed since the last " in out
    )
    assert "urenregistratie.csv); run netwerkonderzoek harmonise wijk-noord first" in out
