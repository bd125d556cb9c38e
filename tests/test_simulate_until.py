"""Tests for ``simulate_network(until=...)`` / ``netwerkonderzoek simulate --until``.

A network cut off at a month is the full simulation (same seed, same random
streams) with everything dated after that month left out: the expected tables
below are the full simulation's rows, filtered here by their own dates.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pandas as pd
import pytest
import yaml

from netwerkonderzoek.cli import main
from netwerkonderzoek.config import NetworkConfig, load_config
from netwerkonderzoek.harmonise import harmonise_network
from netwerkonderzoek.simulate import (
    DEFAULT_SEED,
    EXAMPLE_NETWORKS,
    check_until,
    simulate_network,
    write_examples,
    write_network,
)
from netwerkonderzoek.simulate.persons import DEMO_KEY
from netwerkonderzoek.simulate.raw import raw_exports
from netwerkonderzoek.tables import TABLE_NAMES, validate_network

#: A cut-off month per network, chosen to hit the edges: wijk-noord keeps two of four
#: waves and one of three unit waves, before its trust drop; energie-regio keeps a
#: partner who joins in the cut-off month (2023-06-01) and none of its broker's waves;
#: ggz-netwerk keeps a partner who leaves in the cut-off month (2023-06-30).
CUTS = {"wijk-noord": "2023-09", "energie-regio": "2023-06", "ggz-netwerk": "2023-06"}
WHERE = "The 'until' parameter of simulate_network"


def csv_text(table: pd.DataFrame) -> str:
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def pairs():
    """Per network the full simulation and the one cut at ``CUTS[network]``."""
    return {
        n: (simulate_network(n, DEFAULT_SEED), simulate_network(n, DEFAULT_SEED, until=u))
        for n, u in CUTS.items()
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory, pairs):
    """The full and the cut networks written: {network: (full root, cut root)}."""
    out = {}
    for network_id, (full, cut) in pairs.items():
        roots = []
        for name, sim in (("full", full), ("cut", cut)):
            root = tmp_path_factory.mktemp(f"{network_id}-{name}")
            write_network(sim, root / "config", root / "data")
            roots.append(root)
        out[network_id] = tuple(roots)
    return out


def expected_tables(full, until: str) -> dict[str, pd.DataFrame]:
    """The full simulation's tables, each filtered by its own dates (the prefix property)."""
    t = full.tables
    waves = [w["wave"] for w in full.config["study"]["waves"] if str(w["date"])[:7] <= until]
    unit_waves = [int(w) for w, p in full.ground_truth["units"]["waves"].items() if p <= until]
    partners = t["partners"][t["partners"]["joined"].str[:7] <= until].copy()
    later = partners["left"].notna() & (partners["left"].astype(str).str[:7] > until)
    partners["left"] = partners["left"].astype(object).where(~later, None)
    keep = {
        "partners": partners,
        "ties": t["ties"][t["ties"]["wave"].isin(waves)],
        "contributions": t["contributions"][t["contributions"]["period"] <= until],
        "indicators": t["indicators"][t["indicators"]["period"] <= until],
        "units": t["units"][t["units"]["wave"].isin(unit_waves)],
        "observations": t["observations"][t["observations"]["date"].str[:7] <= until],
        "events": t["events"][t["events"]["date"].str[:7] <= until],
    }
    return {name: table.reset_index(drop=True) for name, table in keep.items()}


# --- the prefix property ----------------------------------------------------------------


@pytest.mark.parametrize("network_id", list(CUTS))
@pytest.mark.parametrize("table", TABLE_NAMES)
def test_cut_table_is_the_full_tables_rows_up_to_the_month(pairs, network_id, table):
    full, cut = pairs[network_id]
    expected = expected_tables(full, CUTS[network_id])[table]
    pd.testing.assert_frame_equal(cut.tables[table], expected)
    assert csv_text(cut.tables[table]) == csv_text(expected)  # byte for byte as written
    assert 0 < len(expected) <= len(full.tables[table])


@pytest.mark.parametrize("network_id", list(CUTS))
def test_cut_leaves_something_out_of_every_dated_table(pairs, network_id):
    full, cut = pairs[network_id]
    for table in ("ties", "contributions", "indicators", "units", "observations", "events"):
        assert len(cut.tables[table]) < len(full.tables[table]), table


@pytest.mark.parametrize("network_id", list(CUTS))
def test_units_keep_their_person_numbers(pairs, network_id):
    full, cut = pairs[network_id]
    number = dict(zip(full.tables["units"]["unit_id"], full.person_ids, strict=True))
    assert cut.person_ids == [number[u] for u in cut.tables["units"]["unit_id"]]


def test_partners_who_join_or_leave_around_the_month(pairs):
    # wijk-noord at 2023-09: sportvereniging-noord joined 2023-06-01 (in), winkelcentrum-noord
    # leaves 2024-02-29 (still a member, no left date); the spec (simulate/wijk_noord.py)
    partners = pairs["wijk-noord"][1].tables["partners"].set_index("partner_id")
    assert partners.loc["sportvereniging-noord", "joined"] == "2023-06-01"
    assert partners["left"].isna().all()
    # energie-regio at 2023-06: huurdersvereniging-lindehof joins on 2023-06-01, the month
    # itself; wooncorporatie-het-veenhuis left 2023-01-31 and keeps its date
    partners = pairs["energie-regio"][1].tables["partners"].set_index("partner_id")
    assert "huurdersvereniging-lindehof" in partners.index
    assert partners["left"].dropna().to_dict() == {"wooncorporatie-het-veenhuis": "2023-01-31"}
    # ggz-netwerk at 2023-06: zorgverzekeraar-zuidland leaves 2023-06-30, in the month
    partners = pairs["ggz-netwerk"][1].tables["partners"].set_index("partner_id")
    assert partners["left"].dropna().to_dict() == {"zorgverzekeraar-zuidland": "2023-06-30"}
    events = pairs["ggz-netwerk"][1].tables["events"]
    assert "verslavingszorg-zuid" not in set(events["partner_id"].dropna())  # leaves 2024-06


@pytest.mark.parametrize("network_id", list(CUTS))
def test_appreciation_is_the_full_surveys_up_to_the_month(written, network_id):
    full_root, cut_root = written[network_id]
    until = CUTS[network_id]
    full = (full_root / "data" / network_id / "appreciation.csv").read_text("utf-8")
    cut = (cut_root / "data" / network_id / "appreciation.csv").read_text("utf-8")
    header, *rows = full.splitlines(keepends=True)
    period = header.split(",").index("period")
    kept = [r for r in rows if r.split(",")[period] <= until]
    assert cut == header + "".join(kept)
    assert 0 < len(kept) < len(rows)


@pytest.mark.parametrize("network_id", list(CUTS))
def test_raw_exports_of_a_cut_harmonise_to_the_cut_tables(tmp_path, pairs, network_id):
    # as tests/test_harmonise.py checks the full examples: write the raw exports and the
    # partner list, harmonise with the demo key, compare the tables byte for byte
    _, cut = pairs[network_id]
    exports = raw_exports(cut)
    exports.write(tmp_path / "raw" / network_id)
    (tmp_path / network_id).mkdir()
    cut.tables["partners"].to_csv(tmp_path / network_id / "partners.csv", index=False)
    config = NetworkConfig.model_validate({**cut.config, **exports.config})
    result = harmonise_network(config, tmp_path, key=DEMO_KEY)
    assert not result.problems
    harmonised = sorted({s["table"] for s in exports.config["sources"]})
    assert {"contributions", "indicators", "units"} <= set(harmonised)
    for table in harmonised:
        got = (tmp_path / network_id / f"{table}.csv").read_text(encoding="utf-8")
        assert got == csv_text(cut.tables[table]), table


def test_interviews_of_a_cut_are_coded_by_its_end(pairs):
    from openpyxl import load_workbook

    cut = pairs["energie-regio"][1]
    book = load_workbook(
        io.BytesIO(raw_exports(cut).files["interviews-gecodeerde-segmenten.xlsx"])
    )
    coded = {row[9] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert coded == {dt.datetime(2023, 6, 30, 14, 5)}  # CODED_AT's time, the month's last day


# --- nothing after the cut-off, anywhere -----------------------------------------------

DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def dated_values(value, key: str = ""):
    """(key path, YYYY-MM[-DD] text) of every date in plain data (YAML dates included)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from dated_values(v, f"{key}.{k}" if key else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from dated_values(v, f"{key}.{i}")
    elif isinstance(value, dt.date):
        yield key, value.isoformat()
    elif isinstance(value, str) and DATE.match(value):
        yield key, value


@pytest.mark.parametrize("network_id", list(CUTS))
def test_no_date_after_the_cut_off_in_the_files(written, network_id):
    _, root = written[network_id]
    until = CUTS[network_id]
    config = yaml.safe_load((root / "config" / "networks" / f"{network_id}.yaml").read_text())
    assert config["study"]["end"] == until
    dates = dict(dated_values(config))
    # the research agenda's study periods are plans, the only dates allowed after the month
    late = {k: v for k, v in dates.items() if v[:7] > until and ".period." not in k}
    assert late == {}
    assert any(k.startswith("study.waves") for k in dates)
    folder = root / "data" / network_id
    for name in [*TABLE_NAMES, "appreciation"]:
        table = pd.read_csv(folder / f"{name}.csv", dtype=str)
        for column in ("date", "period", "joined", "left"):
            if column in table.columns:
                assert (table[column].dropna().str[:7] <= until).all(), (name, column)
    truth = json.loads((folder / "ground_truth.json").read_text("utf-8"))
    assert truth["until"] == until
    assert all(d[:7] <= until for d in truth["network"]["wave_dates"])
    assert all(p <= until for p in truth["units"]["waves"].values())
    assert all(p <= until for p in truth["appreciation"]["periods"])


def test_research_agenda_at_the_cut_off(pairs):
    # wijk-noord at 2023-09 (studies in simulate/wijk_noord.py): the budget evaluation
    # starts 2024-04 (planned), the action research 2023-09 to 2024-06 is still running
    full, cut = pairs["wijk-noord"]
    status = {s["id"]: s["status"] for s in cut.config["studies"]}
    assert status == {
        "realistische-evaluatie": "running",
        "wijkmonitor": "running",
        "actieonderzoek-huurachterstanden": "running",
        "evaluatie-wijkbudget": "planned",
    }
    assert [s["period"] for s in cut.config["studies"]] == [
        s["period"] for s in full.config["studies"]
    ]


@pytest.mark.parametrize("network_id", list(CUTS))
def test_cut_network_validates(written, network_id):
    _, root = written[network_id]
    config = load_config(network_id, root / "config")
    assert validate_network(config, root / "data") == []
    assert config.study.end == CUTS[network_id]
    assert len(config.study.waves) >= 2


# --- the ground truth of a cut ---------------------------------------------------------


def test_ground_truth_says_what_is_observed_by_the_month(pairs):
    full, cut = pairs["wijk-noord"]
    truth, whole = cut.ground_truth, full.ground_truth
    assert "until" not in whole and truth["until"] == "2023-09"
    # the trust drop (wave 3, 2023-12) is planted but not observed yet; the broker (wave 2)
    # and the indicator change (from 2023-03) are
    drop = truth["network"]["trust_drop"]
    assert (drop["observed"], drop["observed_drop"], drop["wave"]) == (False, None, 3)
    assert truth["network"]["broker"]["observed"] and truth["indicators"]["observed"]
    assert truth["network"]["wave_dates"] == whole["network"]["wave_dates"][:2]
    # observed means are the full simulation's for the waves kept
    ratings = truth["value"]["observed_mean_value_rating"]
    assert ratings == {w: whole["value"]["observed_mean_value_rating"][w] for w in ("1", "2")}
    assert truth["units"]["n"] == len(cut.tables["units"]) == 734
    # the CMO effects are over the units kept: share in context = mean of the context
    units = cut.tables["units"]
    for cmo_id in ("cmo-01", "cmo-04", "cmo-06"):
        share = round(float(units.eval(truth[cmo_id]["context"]).mean()), 4)
        assert truth[cmo_id]["share_in_context"] == share
        assert truth[cmo_id]["holds_in"] == whole[cmo_id]["holds_in"]
        assert truth[cmo_id]["coefficient"] == whole[cmo_id]["coefficient"]


def test_trust_drop_observed_once_its_wave_is_in():
    # at 2023-12 the trust wave is kept: the observed drop is the full simulation's
    full = simulate_network("wijk-noord", DEFAULT_SEED).ground_truth["network"]["trust_drop"]
    cut = simulate_network("wijk-noord", DEFAULT_SEED, "2023-12").ground_truth["network"]
    assert cut["trust_drop"]["observed"] is True
    assert cut["trust_drop"]["observed_drop"] == full["observed_drop"] > 0.3


def test_broker_not_observed_before_its_wave(pairs):
    # energie-regio's broker bridges from wave 4 (2023-11): not yet at 2023-06
    truth = pairs["energie-regio"][1].ground_truth
    assert truth["network"]["broker"]["wave"] == 4
    assert truth["network"]["broker"]["observed"] is False


def test_appreciation_truth_of_a_cut(written):
    _, root = written["wijk-noord"]
    truth = json.loads((root / "data" / "wijk-noord" / "ground_truth.json").read_text("utf-8"))
    # two of four waves: a third of the planted 3-point decline (simulate/appreciation.py)
    assert truth["appreciation"]["periods"] == ["2022-08", "2023-04"]
    assert truth["appreciation"]["declining_partner"]["decline_first_to_last"] == 1.0


# --- a cut at the study end is no cut --------------------------------------------------


def test_until_the_study_end_writes_byte_identical_files(tmp_path):
    write_examples(tmp_path / "a" / "config", tmp_path / "a" / "data", networks=["wijk-noord"])
    write_examples(
        tmp_path / "b" / "config",
        tmp_path / "b" / "data",
        networks=["wijk-noord"],
        until="2024-12",  # the study end of wijk-noord
    )
    a = {p.relative_to(tmp_path / "a"): p for p in (tmp_path / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert sorted(a) == sorted(b) and len(a) == 22  # 10 listed, demo key, appreciation, 10 raw
    for rel, path in a.items():
        assert path.read_bytes() == b[rel].read_bytes(), rel


def test_until_the_study_end_is_the_full_network():
    sim = simulate_network("ggz-netwerk", 3, until="2025-03")
    assert sim.until is None and "until" not in sim.ground_truth
    assert check_until("ggz-netwerk", "2025-03") is None


# --- bad input -------------------------------------------------------------------------

BAD = [
    ("2024-13", f"{WHERE} must be a month YYYY-MM, such as '2024-06'. Got '2024-13' instead."),
    ("2024-6", f"{WHERE} must be a month YYYY-MM, such as '2024-06'. Got '2024-6' instead."),
    ("juni", f"{WHERE} must be a month YYYY-MM, such as '2024-06'. Got 'juni' instead."),
    (
        "2022-05",
        f"{WHERE} must not be before the study start of wijk-noord (2022-07); the earliest "
        "allowed month is 2023-04 (its second survey wave). Got '2022-05' instead.",
    ),
    (
        "2023-03",
        f"{WHERE} must leave at least 2 survey waves of wijk-noord (waves on 2022-08-15, "
        "2023-04-15, 2023-12-15, 2024-08-15): the earliest allowed month is 2023-04. "
        "Got '2023-03' instead.",
    ),
    (
        "2025-01",
        f"{WHERE} must not be after the study end of wijk-noord (2024-12). Got '2025-01' instead.",
    ),
]


@pytest.mark.parametrize(("until", "message"), BAD)
def test_bad_until_is_refused_with_its_reason(until, message):
    with pytest.raises(ValueError) as info:
        simulate_network("wijk-noord", 1, until=until)
    assert str(info.value) == message


def test_until_must_be_text():
    with pytest.raises(ValueError, match=re.escape("Got 202406 instead.")):
        simulate_network("wijk-noord", 1, until=202406)


def test_write_examples_checks_every_network_before_writing(tmp_path):
    # 2023-01 suits energie-regio (earliest 2022-09), not wijk-noord (earliest 2023-04)
    with pytest.raises(ValueError, match="earliest allowed month is 2023-04"):
        write_examples(tmp_path / "config", tmp_path / "data", until="2023-01")
    assert not tmp_path.joinpath("config").exists() and not tmp_path.joinpath("data").exists()


@pytest.mark.parametrize(
    ("until", "message"),
    [
        ("2024-13", f"{WHERE} must be a month YYYY-MM, such as '2024-06'. Got '2024-13' instead."),
        (
            "2023-01",
            f"{WHERE} must leave at least 2 survey waves of wijk-noord (waves on 2022-08-15, "
            "2023-04-15, 2023-12-15, 2024-08-15): the earliest allowed month is 2023-04. "
            "Got '2023-01' instead.",
        ),
        (
            "2025-02",
            f"{WHERE} must not be after the study end of energie-regio (2024-12). "
            "Got '2025-02' instead.",
        ),
    ],
)
def test_cli_refuses_a_bad_until_with_exit_2(tmp_path, capsys, until, message):
    code = main(
        [
            "simulate",
            "--until",
            until,
            "--config-dir",
            str(tmp_path / "config"),
            "--data-dir",
            str(tmp_path / "data"),
        ]
    )
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == f"error: --until: {message}\n"
    assert captured.out == ""
    assert not any(tmp_path.iterdir())  # nothing written


def test_cli_help_names_the_option(capsys):
    with pytest.raises(SystemExit):
        main(["simulate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--until YYYY-MM" in text
    assert "The cross-network set is always written whole" in text


# --- the command writes the cut data ---------------------------------------------------


def test_cli_writes_every_network_as_known_at_the_month(tmp_path, capsys):
    from netwerkonderzoek.simulate.crossnet import write_crossnet

    config_dir, data_dir = tmp_path / "config", tmp_path / "data"
    code = main(
        ["simulate", "--until", "2024-06", "--config-dir", str(config_dir), "--data-dir",
         str(data_dir)]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "as known at the end of 2024-06" in out
    for network_id in EXAMPLE_NETWORKS:
        config = load_config(network_id, config_dir)
        assert config.study.end == "2024-06"
        expected = simulate_network(network_id, DEFAULT_SEED, until="2024-06")
        for table in TABLE_NAMES:
            text = (data_dir / network_id / f"{table}.csv").read_text(encoding="utf-8")
            assert text == csv_text(expected.tables[table]), (network_id, table)
    # the cross-network set is written whole, as without --until
    whole = write_crossnet(tmp_path / "whole", DEFAULT_SEED)
    for path in whole:
        rel = path.relative_to(tmp_path / "whole")
        assert (data_dir / rel).read_bytes() == path.read_bytes(), rel
