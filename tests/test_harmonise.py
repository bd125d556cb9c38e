"""Tests for netwerkonderzoek.harmonise: raw partner exports to canonical tables."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek.config import NetworkConfig, load_config
from netwerkonderzoek.harmonise import (
    HarmoniseError,
    harmonise_network,
    needs_harmonisation,
)
from netwerkonderzoek.privacy import load_key
from netwerkonderzoek.simulate import DEFAULT_SEED, EXAMPLE_NETWORKS, simulate_network
from netwerkonderzoek.simulate.files import xlsx_bytes
from netwerkonderzoek.simulate.persons import DEMO_KEY, DEMO_KEY_FILE, DEMO_KEY_TEXT
from netwerkonderzoek.simulate.qda_raw import CODED_NETWORKS
from netwerkonderzoek.simulate.raw import raw_exports
from netwerkonderzoek.simulate.survey_raw import SURVEY_NETWORKS
from netwerkonderzoek.tables import read_table

ROOT = Path(__file__).resolve().parents[1]

PARTNERS = """\
network_id,partner_id,name,kind,sector,joined,left
tiny,gemeente-noordstad,Gemeente Noordstad,municipality,public,2020-01-01,
tiny,corporatie,Woonstichting Klein,housing,housing,2020-01-01,
tiny,welzijn,Welzijn Klein,welfare,welfare,2020-01-01,
"""

BASE = {
    "network_id": "tiny",
    "name": "Klein netwerk",
    "mission": "m",
    "task": "t",
    "study": {"start": "2024-01", "end": "2024-12", "waves": [{"wave": 1, "date": "2024-03-01"}]},
    "indicators": [
        {
            "id": "overlast",
            "label_nl": "Meldingen van overlast",
            "label_en": "Nuisance reports",
            "unit": "meldingen",
            "perspective": "societal",
            "form": "direct",
            "direction": "decrease",
        }
    ],
}

HEADER = "Organisatie;Maand;Activiteit;Uren;Kosten (€);Waardesoort\n"
COLUMNS = {
    "partner_id": "Organisatie",
    "period": "Maand",
    "activity": "Activiteit",
    "hours": "Uren",
    "costs_eur": "Kosten (€)",
    "value_type": "Waardesoort",
}
NAMES = {"Gemeente Noordstad": "gemeente-noordstad", "Welzijn Klein": "welzijn"}


@pytest.fixture
def network(tmp_path):
    """A data folder with a partner list; returns (data_dir, raw_dir)."""
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    return tmp_path, raw


def make_config(*sources: dict, path: Path | None = None, **extra) -> NetworkConfig:
    data = {**BASE, "sources": list(sources), **extra}
    if path is not None:
        data["path"] = path
    return NetworkConfig.model_validate(data)


def source(**spec) -> dict:
    out = {
        "file": "uren.csv",
        "table": "contributions",
        "columns": dict(COLUMNS),
        "partner_names": dict(NAMES),
        "values": {"value_type": {"maatschappelijk": "societal", "netwerk": "network"}},
    }
    out.update(spec)
    return out


def harmonise_csv(network, text: str, file_encoding: str = "utf-8", **spec):
    data_dir, raw = network
    (raw / spec.get("file", "uren.csv")).write_bytes(text.encode(file_encoding))
    return harmonise_network(make_config(source(**spec)), data_dir)


def rows(result, table="contributions") -> list[tuple]:
    return [
        tuple(r) for r in result.tables[table].drop(columns="network_id").itertuples(index=False)
    ]


def counts(result, i=0) -> dict:
    r = result.report.iloc[i]
    return {k: int(r[k]) for k in ("rows_read", "accepted", "quarantined", "duplicates", "totals")}


# --- equality with the simulator's canonical tables -------------------------------------


@pytest.fixture(scope="module")
def harmonised(tmp_path_factory):
    """Each example network's raw exports harmonised into a fresh folder."""
    out = {}
    for network_id in EXAMPLE_NETWORKS:
        sim = simulate_network(network_id, DEFAULT_SEED)
        exports = raw_exports(sim)
        root = tmp_path_factory.mktemp(network_id)
        exports.write(root / "raw" / network_id)
        (root / network_id).mkdir()
        sim.tables["partners"].to_csv(root / network_id / "partners.csv", index=False)
        config = NetworkConfig.model_validate({**sim.config, **exports.config})
        out[network_id] = (sim, root, config, harmonise_network(config, root, key=DEMO_KEY))
    return out


@pytest.mark.parametrize("network_id", EXAMPLE_NETWORKS)
@pytest.mark.parametrize("table", ["contributions", "indicators", "units"])
def test_harmonised_tables_equal_the_simulators(harmonised, network_id, table):
    sim, root, _, _ = harmonised[network_id]
    expected = sim.tables[table]
    got = read_table(table, root / network_id / f"{table}.csv")  # valid canonical table
    key = list(got.columns[:4])
    pd.testing.assert_frame_equal(
        got.sort_values(key, ignore_index=True),
        read_table(table, io.StringIO(expected.to_csv(index=False))).sort_values(
            key, ignore_index=True
        ),
    )
    # Exact, not approximate: the written file is byte-identical to the simulator's.
    buffer = io.StringIO()
    expected.to_csv(buffer, index=False, lineterminator="\n")
    assert (root / network_id / f"{table}.csv").read_text(encoding="utf-8") == buffer.getvalue()


@pytest.mark.parametrize("network_id", SURVEY_NETWORKS)
def test_harmonised_survey_waves_equal_the_simulators_ties(harmonised, network_id):
    # the survey waves ship as LimeSurvey exports (simulate.survey_raw): byte-identical ties
    sim, root, _, result = harmonised[network_id]
    buffer = io.StringIO()
    sim.tables["ties"].to_csv(buffer, index=False, lineterminator="\n")
    assert (root / network_id / "ties.csv").read_text(encoding="utf-8") == buffer.getvalue()
    response = result.survey["survey_response"]
    assert response["responded"].all() and response["member"].all()
    # the municipality answers twice a wave: combined into one set of ties
    assert set(response.loc[response["responses"] == 2, "partner_id"]) == {"gemeente-zuiderhaven"}
    assert set(result.survey["survey_respondents"]["question"]) == {"overall_trust"}


@pytest.mark.parametrize("network_id", CODED_NETWORKS)
def test_harmonised_coded_interviews_and_logbook_equal_the_simulators_observations(
    harmonised, network_id
):
    # interviews ship as a MAXQDA segment export, stories as a logbook (simulate.qda_raw)
    sim, root, _, result = harmonised[network_id]
    buffer = io.StringIO()
    sim.tables["observations"].to_csv(buffer, index=False, lineterminator="\n")
    assert (root / network_id / "observations.csv").read_text(encoding="utf-8") == (
        buffer.getvalue()
    )
    by_file = result.report.set_index("source_file")
    segments = by_file.loc["interviews-gecodeerde-segmenten.xlsx"]
    obs = result.tables["observations"]
    interviews = obs[obs["observation_id"].str.startswith("interview-")]
    # one row per segment and code: a configuration code and a value-type code each
    assert segments["rows_read"] == segments["accepted"] == 2 * len(interviews) == 202
    assert segments["canonical_rows"] == len(interviews) == 101
    assert (segments["dropped_columns"], segments["dropped_values"]) == ("Gemaakt door", 202)
    assert interviews["sentiment"].isna().all() and interviews["stance"].notna().all()
    logbook = obs[obs["observation_id"].str.startswith("L-")]
    assert by_file.loc["logboek-verhalen.csv", "canonical_rows"] == len(logbook) == 180
    assert logbook["sentiment"].notna().all() and logbook["stance"].isna().all()
    # the three most positive stories of each domain are selected
    assert logbook.groupby("msc_domain")["msc_selected"].sum().tolist() == [3, 3, 3]


def test_coded_interviews_keep_the_qualitative_counts_of_their_sentiments(monkeypatch):
    from netwerkonderzoek.simulate import core
    from netwerkonderzoek.stats import observation_counts

    coded = simulate_network("energie-regio", DEFAULT_SEED).tables["observations"]
    monkeypatch.setattr(core, "CODED_NETWORKS", ())
    plain = simulate_network("energie-regio", DEFAULT_SEED).tables["observations"]
    assert "stance" not in plain.columns and len(plain) == len(coded)
    columns = ["cmo_id", "source_role", "n_supporting", "n_contradicting", "n_neutral"]
    pd.testing.assert_frame_equal(
        observation_counts(coded)[columns], observation_counts(plain)[columns]
    )


@pytest.mark.parametrize("network_id", EXAMPLE_NETWORKS)
def test_example_report_reconciles_and_recognises_duplicates_and_totals(harmonised, network_id):
    _, _, _, result = harmonised[network_id]
    report = result.report
    assert (
        report["rows_read"]
        == report["accepted"] + report["quarantined"] + report["duplicates"] + report["totals"]
    ).all()
    assert report["quarantined"].sum() == 0
    by_file = report.set_index("source_file")
    # Simulator: one total row in the timesheet CSV and in the workbook; one partner's
    # last month exported twice in the CSV.
    assert by_file.loc["urenregistratie.csv", "totals"] == 1
    assert by_file.loc["inzet-partners.xlsx", "totals"] == 1
    assert by_file.loc["urenregistratie.csv", "duplicates"] >= 1
    assert "1 day = 8 hours" in by_file.loc["inzet-partners.xlsx", "conversions"]
    assert "1 k€ = 1000 euro" in by_file.loc["inzet-partners.xlsx", "conversions"]
    assert set(result.quarantine["status"]) == {"duplicate", "total"}


def test_shipped_raw_files_and_sources_match_the_simulator(tmp_path):
    for network_id in EXAMPLE_NETWORKS:
        sim = simulate_network(network_id, DEFAULT_SEED)
        exports = raw_exports(sim)
        for name, data in exports.files.items():
            shipped = ROOT / "data" / "raw" / network_id / name
            assert shipped.read_bytes() == data, f"{shipped} differs from the simulator"
        config = load_config(network_id, ROOT / "config")
        assert config.privacy.key_file == DEMO_KEY_FILE
        assert [s.model_dump(exclude_defaults=True) for s in config.sources] == [
            NetworkConfig.model_validate({**sim.config, **exports.config})
            .sources[i]
            .model_dump(exclude_defaults=True)
            for i in range(len(config.sources))
        ]


@pytest.mark.parametrize("network_id", EXAMPLE_NETWORKS)
def test_shipped_network_is_harmonised(network_id):
    config = load_config(network_id, ROOT / "config")
    assert not needs_harmonisation(config, ROOT / "data")


def test_shipped_demo_key_is_the_simulators():
    # the examples' pseudonyms are made with the public demo key shipped in config/
    assert (ROOT / "config" / DEMO_KEY_FILE).read_text(encoding="utf-8") == DEMO_KEY_TEXT
    assert load_key(ROOT / "config" / DEMO_KEY_FILE, environ={}) == DEMO_KEY


def test_harmonising_twice_is_byte_identical(harmonised, tmp_path):
    _, root, config, first = harmonised["wijk-noord"]
    before = {p: p.read_bytes() for p in first.files}
    second = harmonise_network(config, root, key=DEMO_KEY)
    assert second.files == first.files
    assert {p: p.read_bytes() for p in second.files} == before
    assert not needs_harmonisation(config, root, key=DEMO_KEY)
    assert needs_harmonisation(config, root, key=b"another-key-0123456789")


def test_provenance_names_file_sheet_row_and_hash(harmonised):
    _, root, _, result = harmonised["wijk-noord"]
    prov = pd.read_csv(root / "wijk-noord" / "provenance" / "contributions.csv", dtype=str)
    table = pd.read_csv(root / "wijk-noord" / "contributions.csv", dtype=str)
    assert len(prov) == len(table)
    assert (
        (prov[["partner_id", "period", "activity"]] == table[["partner_id", "period", "activity"]])
        .all()
        .all()
    )
    assert prov["source_row"].notna().all()
    report = result.report.set_index("source_file")
    xlsx = prov[prov["source_file"] == "inzet-partners.xlsx"]
    assert set(xlsx["source_sheet"]) == {"Inzet"}
    assert set(xlsx["source_hash"]) == {report.loc["inzet-partners.xlsx", "source_hash"]}
    # Row numbers are the file's: the first data row of the sheet is row 5 (header in 4).
    assert xlsx["source_row"].astype(int).min() == 5
    csv = prov[prov["source_file"] == "urenregistratie.csv"]
    assert csv["source_row"].astype(int).min() == 3  # title line, header line, data


# --- messy shapes, each inline ---------------------------------------------------------


def test_semicolon_decimal_comma_thousands_dot_and_total_row(network):
    text = (
        HEADER
        + "Gemeente Noordstad;jan 2024;overleg;1.234,5;12.345,67;netwerk\n"
        + "Welzijn Klein;feb 2024;overleg;2,25;€ 1.000;maatschappelijk\n"
        + "\n"
        + "Totaal;;;1.236,75;13.345,67;\n"
    )
    # Windows-1252 (latin-1 with the euro sign), as Dutch spreadsheet exports are.
    result = harmonise_csv(network, text, "cp1252", encoding="cp1252")
    assert rows(result) == [
        ("gemeente-noordstad", "2024-01", "overleg", 1234.5, 12345.67, "network"),
        ("welzijn", "2024-02", "overleg", 2.25, 1000.0, "societal"),
    ]
    assert counts(result) == {
        "rows_read": 3,
        "accepted": 2,
        "quarantined": 0,
        "duplicates": 0,
        "totals": 1,
    }
    total = result.quarantine.iloc[0]
    assert (total["status"], total["source_row"], total["reason"]) == (
        "total",
        5,
        "total row ('Totaal' in column 'Organisatie')",
    )


def test_latin1_names_and_utf8_bom(network):
    data_dir, raw = network
    text = "Organisatie;Maand;Activiteit;Uren;Kosten (€);Waardesoort\nCoöperatie Noord;2024-03;overleg;1;2;netwerk\n"
    names = {**NAMES, "Coöperatie Noord": "corporatie"}
    (raw / "latin.csv").write_bytes(text.replace("€", "EUR").encode("latin-1"))
    (raw / "bom.csv").write_bytes("\ufeff".encode() + text.replace("2024-03", "2024-04").encode())
    config = make_config(
        source(
            file="latin.csv",
            encoding="latin-1",
            partner_names=names,
            columns={**COLUMNS, "costs_eur": "Kosten (EUR)"},
        ),
        source(file="bom.csv", partner_names=names),
    )
    result = harmonise_network(config, data_dir)
    assert rows(result) == [
        ("corporatie", "2024-03", "overleg", 1.0, 2.0, "network"),
        ("corporatie", "2024-04", "overleg", 1.0, 2.0, "network"),
    ]


def test_utf8_file_read_as_the_wrong_encoding_is_an_error(network):
    text = "Organisatie;Maand\nCoöperatie Noord;jan 2024\n"
    with pytest.raises(HarmoniseError) as info:
        harmonise_csv(network, text, "latin-1")
    assert info.value.key == "sources.0.encoding"
    assert "uren.csv" in str(info.value)
    assert "cannot decode the file as utf-8-sig" in str(info.value)


@pytest.mark.parametrize(
    ("cell", "fmt", "expected"),
    [
        ("jan 2024", "month_name", "2024-01"),
        ("januari 2024", "month_name", "2024-01"),
        ("mrt 2024", "auto", "2024-03"),
        ("2024-01", "iso", "2024-01"),
        ("2024-05-31", "auto", "2024-05"),
        ("45292", "excel", "2024-01"),  # Excel serial day 45292 = 2024-01-01
        ("31-01-2024", "auto", "2024-01"),
    ],
)
def test_period_formats(network, cell, fmt, expected):
    text = HEADER + f"Gemeente Noordstad;{cell};overleg;1;2;netwerk\n"
    result = harmonise_csv(network, text, period_format=fmt)
    assert result.tables["contributions"]["period"].tolist() == [expected]


def test_quarter_first_books_the_quarter_on_its_first_month(network):
    text = HEADER + "Gemeente Noordstad;Q2 2024;overleg;30;300;netwerk\n"
    result = harmonise_csv(network, text, quarter="first")
    assert rows(result) == [("gemeente-noordstad", "2024-04", "overleg", 30.0, 300.0, "network")]


def test_quarter_split_divides_evenly_and_keeps_the_total(network):
    # 10 hours / 3 = 3.33 + 3.33 + 3.34 (remainder on the third month); 100.00 euro likewise.
    text = HEADER + "Gemeente Noordstad;Q1 2024;overleg;10;100;netwerk\n"
    result = harmonise_csv(network, text, quarter="split")
    assert rows(result) == [
        ("gemeente-noordstad", "2024-01", "overleg", 3.33, 33.33, "network"),
        ("gemeente-noordstad", "2024-02", "overleg", 3.33, 33.33, "network"),
        ("gemeente-noordstad", "2024-03", "overleg", 3.34, 33.34, "network"),
    ]
    assert counts(result)["accepted"] == 1
    assert int(result.report.loc[0, "canonical_rows"]) == 3
    prov = result.provenance["contributions"]
    assert prov["source_row"].tolist() == [2, 2, 2]


def test_quarter_without_a_policy_is_an_ambiguous_period(network):
    with pytest.raises(HarmoniseError) as info:
        harmonise_csv(network, HEADER + "Gemeente Noordstad;Q1 2024;overleg;1;2;netwerk\n")
    assert info.value.key == "sources.0.quarter"
    assert "'Q1 2024'" in str(info.value) and "uren.csv" in str(info.value)


def test_day_month_order_that_cannot_be_told_is_an_error(network):
    with pytest.raises(HarmoniseError) as info:
        harmonise_csv(network, HEADER + "Gemeente Noordstad;01-02-2024;overleg;1;2;netwerk\n")
    assert info.value.key == "sources.0.period_format"
    assert "'01-02-2024' in column 'Maand' is ambiguous" in str(info.value)
    assert "2024-02 (dmy) or 2024-01 (mdy)" in str(info.value)
    # With the format stated it is not ambiguous.
    result = harmonise_csv(
        network,
        HEADER + "Gemeente Noordstad;01-02-2024;overleg;1;2;netwerk\n",
        period_format="mdy",
    )
    assert result.tables["contributions"]["period"].tolist() == ["2024-01"]


def test_hours_as_days_and_fte_costs_in_keur(network):
    # 1,5 days * 8 = 12 h; 0,09 FTE * 1600 / 12 = 12 h; 1,23456 k€ = 1234.56 euro.
    text = (
        "Organisatie;Maand;Activiteit;Uren;Kosten (€);Waardesoort\n"
        "Gemeente Noordstad;2024-01;overleg;1,5;1,23456;netwerk\n"
    )
    result = harmonise_csv(network, text, units={"hours": "days", "costs_eur": "keur"})
    assert rows(result) == [("gemeente-noordstad", "2024-01", "overleg", 12.0, 1234.56, "network")]
    result = harmonise_csv(
        network, text.replace("1,5;", "0,09;"), units={"hours": "fte", "costs_eur": "keur"}
    )
    assert rows(result)[0][3] == 12.0
    # A configurable day: 7.2 hours.
    data_dir, _ = network
    config = make_config(source(units={"hours": "days"}), harmonisation={"hours_per_day": 7.2})
    (network[1] / "uren.csv").write_text(text.replace("1,23456", "5"), encoding="utf-8")
    result = harmonise_network(config, data_dir)
    assert rows(result)[0][3] == 10.8
    assert "1 day = 7.2 hours" in result.report.loc[0, "conversions"]


def test_fixed_partner_id(network):
    text = "Maand;Activiteit;Uren;Kosten;Waardesoort\n2024-01;overleg;1;2;netwerk\n"
    columns = {k: v for k, v in COLUMNS.items() if k != "partner_id"} | {"costs_eur": "Kosten"}
    result = harmonise_csv(network, text, columns=columns, partner_id="welzijn", partner_names={})
    assert rows(result)[0][0] == "welzijn"


def test_xlsx_with_title_block_excel_dates_and_dutch_headers(network):
    data_dir, raw = network
    sheet = [
        ["Inzet partners 2024"],
        ["Uren in dagen"],
        [],
        ["Organisatie", "Maand", "Activiteit", "Dagen", "Kosten (k€)", "Waardesoort"],
        ["Gemeente Noordstad", dt.datetime(2024, 1, 1), "overleg", 1.5, 1.25, "netwerk"],
        ["Welzijn Klein", dt.datetime(2024, 2, 15), "overleg", 0.5, 0.1, "maatschappelijk"],
        ["Totaal", None, None, 2.0, 1.35, None],
    ]
    (raw / "inzet.xlsx").write_bytes(xlsx_bytes({"Blad1": [["leeg"]], "Inzet": sheet}))
    config = make_config(
        source(
            file="inzet.xlsx",
            sheet="Inzet",
            header_row=4,
            columns={**COLUMNS, "hours": "Dagen", "costs_eur": "Kosten (k€)"},
            units={"hours": "days", "costs_eur": "keur"},
            period_format="excel",
        )
    )
    result = harmonise_network(config, data_dir)
    assert rows(result) == [
        ("gemeente-noordstad", "2024-01", "overleg", 12.0, 1250.0, "network"),
        ("welzijn", "2024-02", "overleg", 4.0, 100.0, "societal"),
    ]
    assert counts(result) == {
        "rows_read": 3,
        "accepted": 2,
        "quarantined": 0,
        "duplicates": 0,
        "totals": 1,
    }
    assert result.provenance["contributions"]["source_row"].tolist() == [5, 6]
    assert set(result.provenance["contributions"]["source_sheet"]) == {"Inzet"}


def test_missing_sheet_is_an_error(network):
    data_dir, raw = network
    (raw / "inzet.xlsx").write_bytes(xlsx_bytes({"Blad1": [["a"]]}))
    config = make_config(source(file="inzet.xlsx", sheet="Inzet"))
    with pytest.raises(HarmoniseError) as info:
        harmonise_network(config, data_dir)
    assert info.value.key == "sources.0.sheet"
    assert "sheet 'Inzet' is not in the workbook; its sheets are 'Blad1'" in str(info.value)


def test_duplicated_export_of_the_same_month(network):
    data_dir, raw = network
    month = HEADER + "Gemeente Noordstad;jan 2024;overleg;1,5;10;netwerk\n"
    (raw / "jan.csv").write_text(month, encoding="utf-8")
    (raw / "jan (1).csv").write_text(month, encoding="utf-8")
    config = make_config(source(file="jan.csv"), source(file="jan (1).csv"))
    result = harmonise_network(config, data_dir)
    assert len(result.tables["contributions"]) == 1
    dup = result.quarantine.iloc[0]
    assert (dup["source_file"], dup["status"], dup["reason"]) == (
        "jan (1).csv",
        "duplicate",
        "exact duplicate of jan.csv row 2",
    )
    assert dup["raw"] == "Gemeente Noordstad;jan 2024;overleg;1,5;10;netwerk"
    assert counts(result, 1) == {
        "rows_read": 1,
        "accepted": 0,
        "quarantined": 0,
        "duplicates": 1,
        "totals": 0,
    }


def test_conflicting_figures_for_one_key_are_all_quarantined(network):
    text = (
        HEADER
        + "Gemeente Noordstad;jan 2024;overleg;1;10;netwerk\n"
        + "Gemeente Noordstad;jan 2024;overleg;2;10;netwerk\n"
        + "Welzijn Klein;jan 2024;overleg;2;10;netwerk\n"
    )
    result = harmonise_csv(network, text)
    assert rows(result) == [("welzijn", "2024-01", "overleg", 2.0, 10.0, "network")]
    q = result.quarantine
    assert q["kind"].tolist() == ["key conflict", "key conflict"]
    assert q["reason"].iloc[0] == (
        "key (network_id=tiny, partner_id=gemeente-noordstad, period=2024-01, activity=overleg) "
        "is given different values by uren.csv row 2, uren.csv row 3"
    )
    assert counts(result)["quarantined"] == 2


# --- bad inputs: the exact reason in quarantine or in the error -----------------------


def test_broken_rows_are_quarantined_with_their_reason(network):
    text = (
        HEADER
        + "Gemeente Noordstad;jan 2024;overleg;12,x;10;netwerk\n"  # row 2: not a number
        + "Gemeente Noordstad;jan 2024;overleg;1;2;netwerk;extra\n"  # row 3: too many fields
        + "Gemeente Zuidstad;feb 2024;overleg;1;2;netwerk\n"  # row 4: unknown partner
        + "Welzijn Klein;dertien 2024;overleg;1;2;netwerk\n"  # row 5: not a period
        + "Welzijn Klein;mrt 2024;overleg;-1;2;netwerk\n"  # row 6: negative hours
        + "Welzijn Klein;apr 2024;overleg;1;2;onbekend\n"  # row 7: value type
        + "Welzijn Klein;mei 2024;;1;2;netwerk\n"  # row 8: missing activity
        + "Welzijn Klein;jun 2024;overleg;12.5;2;netwerk\n"  # row 9: decimal point
        + "Welzijn Klein;jul 2024;overleg;1;2\n"  # row 10: too few fields
        + "Welzijn Klein;aug 2024;overleg;1;2;netwerk\n"  # row 11: fine
    )
    result = harmonise_csv(network, text)
    assert rows(result) == [("welzijn", "2024-08", "overleg", 1.0, 2.0, "network")]
    q = result.quarantine.set_index("source_row")
    assert (
        q.loc[2, "reason"]
        == "column 'Uren' (hours): got '12,x'; expected a number with decimal ','"
    )
    assert q.loc[3, "reason"] == (
        "line cannot be split into the header's fields: expected 6 fields, saw 7"
    )
    assert q.loc[3, "raw"] == "Gemeente Noordstad;jan 2024;overleg;1;2;netwerk;extra"
    assert q.loc[4, "reason"] == (
        "column 'Organisatie' (partner_id): unknown partner 'Gemeente Zuidstad': not a partner "
        "id in partners.csv nor a name under sources.0.partner_names "
        "(closest: 'Gemeente Noordstad', gemeente-noordstad)"
    )
    assert q.loc[5, "reason"] == "column 'Maand' (period): got 'dertien 2024'; expected a period"
    assert q.loc[6, "reason"] == "column 'Uren' (hours): got -1; expected a number of at least 0"
    assert q.loc[7, "reason"] == (
        "column 'Waardesoort' (value_type): got 'onbekend'; expected one of societal, network, partner"
        " (or a label under values.value_type: 'maatschappelijk', 'netwerk')"
    )
    assert q.loc[8, "reason"] == "column 'Activiteit' (activity): value is missing; expected text"
    assert (
        q.loc[9, "reason"]
        == "column 'Uren' (hours): got '12.5'; expected a number with decimal ','"
    )
    assert q.loc[10, "reason"] == (
        "column 'Waardesoort' (value_type): value is missing; expected one of societal, network, partner"
    )
    assert q["status"].eq("quarantined").all()
    assert counts(result) == {
        "rows_read": 10,
        "accepted": 1,
        "quarantined": 9,
        "duplicates": 0,
        "totals": 0,
    }
    assert result.report.loc[0, "reasons"] == (
        "missing value: 2; not a number: 2; not a period: 1; not allowed: 1; out of range: 1; "
        "unknown partner: 1; unreadable line: 1"
    )


def test_unsafe_text_cells_are_quarantined_and_negative_numbers_kept(network):
    long_text = "x" * 10_001
    text = (
        HEADER
        + "Welzijn Klein;jan 2024;=1+1;2,5;1;netwerk\n"  # row 2: formula in a text column
        + "Welzijn Klein;feb 2024;-2+3+cmd;1;1;netwerk\n"  # row 3: a sum is no number
        + "Welzijn Klein;mrt 2024;over\x01leg;1;1;netwerk\n"  # row 4: control character
        + f"Welzijn Klein;apr 2024;{long_text};1;1;netwerk\n"  # row 5: over the 10,000 limit
        + "Welzijn Klein;mei 2024;-12;-1,5;-3;netwerk\n"  # row 6: out of range, not a formula
        + "Welzijn Klein;jun 2024;+1;1;2,5;netwerk\n"  # row 7: '+1' is a number: accepted
    )
    result = harmonise_csv(network, text)
    assert rows(result) == [("welzijn", "2024-06", "+1", 1.0, 2.5, "network")]
    q = result.quarantine.set_index("source_row")
    assert q.loc[2, "reason"] == (
        "column 'Activiteit' (activity): got '=1+1'; looks like a spreadsheet formula "
        "(starts with '='), which a spreadsheet would run"
    )
    assert q.loc[2, "raw"] == "Welzijn Klein;jan 2024;=1+1;2,5;1;netwerk"
    assert q.loc[3, "kind"] == "formula"
    assert q.loc[4, "reason"] == (
        "column 'Activiteit' (activity): got 'over\\x01leg'; holds a control character "
        "('\\x01'), which no canonical table accepts"
    )
    assert q.loc[4, "raw"] == "Welzijn Klein;mrt 2024;over\\x01leg;1;1;netwerk"
    assert q.loc[5, "reason"] == (
        "column 'Activiteit' (activity): cell holds 10,001 characters; at most 10,000 are accepted"
    )
    # 500 characters kept (the limit), the rest counted: 23 + 10,001 + 12 = 10,036 in all.
    assert q.loc[5, "raw"].endswith("x[... 9,536 characters cut]")
    # Row 6: '-12' is a number, so no formula; '-1,5' is read as a number and only then
    # refused, for being below 0 (the schema's minimum for hours and costs).
    assert q.loc[6, "reason"] == (
        "column 'Uren' (hours): got -1.5; expected a number of at least 0; "
        "column 'Kosten (€)' (costs_eur): got -3; expected a number of at least 0"
    )


def test_quarantined_raw_text_is_neutralised_for_spreadsheets():
    from netwerkonderzoek.harmonise.convert import safe_cell
    from netwerkonderzoek.tables import looks_like_formula

    assert [looks_like_formula(t) for t in ["-2.5", "+3", "-2+3", "@SUM(1)", "\t=1", "a=1"]] == [
        False,
        False,
        True,
        True,
        True,
        False,
    ]
    assert safe_cell("@SUM(1)") == "'@SUM(1)"
    assert safe_cell("a\x00b\x1fc\td") == "a\\x00b\\x1fc\td"
    assert safe_cell("ab" * 400) == "ab" * 250 + "[... 300 characters cut]"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_header_naming_a_column_twice_is_an_error(network, file_format):
    data_dir, raw = network
    header = HEADER.rstrip("\n").split(";")
    header[4] = "Uren"  # Kosten (€) becomes a second Uren
    if file_format == "csv":
        (raw / "uren.csv").write_text(";".join(header) + "\n", encoding="utf-8")
        where = "line 1"
    else:
        (raw / "uren.xlsx").write_bytes(xlsx_bytes({"Blad1": [header]}))
        where = "row 1 of sheet 'Blad1'"
    config = make_config(source(file=f"uren.{file_format}", format=file_format))
    with pytest.raises(HarmoniseError, match=f"the header in {where} names 'Uren' more than once"):
        harmonise_network(config, data_dir)


def test_row_numbers_count_the_lines_of_a_quoted_multiline_field(network):
    text = (
        HEADER
        + 'Welzijn Klein;jan 2024;"overleg\nmet\nbuurt";1;1;netwerk\n'  # lines 2-4
        + "Welzijn Klein;feb 2024;overleg;1;1;netwerk\n"  # line 5
        + "Welzijn Klein;mrt 2024;overleg;x;1;netwerk\n"  # line 6: not a number
    )
    result = harmonise_csv(network, text)
    assert result.provenance["contributions"]["source_row"].tolist() == [2, 5]
    assert result.quarantine["source_row"].tolist() == [6]


def test_missing_column_is_an_error_naming_key_and_file(network, tmp_path):
    data_dir, raw = network
    (raw / "uren.csv").write_text(HEADER, encoding="utf-8")
    config = make_config(
        source(columns={**COLUMNS, "hours": "Uren besteed"}), path=tmp_path / "tiny.yaml"
    )
    with pytest.raises(HarmoniseError) as info:
        harmonise_network(config, data_dir)
    assert info.value.key == "sources.0.columns.hours"
    assert str(info.value) == (
        f"{tmp_path / 'tiny.yaml'}, key 'sources.0.columns.hours', source {raw / 'uren.csv'}: "
        "column 'Uren besteed' is not in the file; its columns are 'Organisatie', 'Maand', "
        "'Activiteit', 'Uren', 'Kosten (€)', 'Waardesoort'"
    )


def test_unknown_unit_is_an_error(network):
    with pytest.raises(HarmoniseError) as info:
        harmonise_csv(network, HEADER, units={"hours": "weken"})
    assert info.value.key == "sources.0.units.hours"
    assert "unknown unit 'weken' for hours; expected one of hours, minutes, days, fte" in str(
        info.value
    )
    assert "uren.csv" in str(info.value)


@pytest.mark.parametrize(
    ("spec", "key", "message"),
    [
        (
            {"partner_names": {"Gemeente Zuidstad": "gemeente-zuidstad"}},
            "sources.0.partner_names.Gemeente Zuidstad",
            "partner id 'gemeente-zuidstad' (for 'Gemeente Zuidstad') is not in partners.csv",
        ),
        (
            {
                "partner_id": "onbekend",
                "columns": {k: v for k, v in COLUMNS.items() if k != "partner_id"},
            },
            "sources.0.partner_id",
            "partner id 'onbekend' is not in partners.csv",
        ),
        (
            {"columns": {k: v for k, v in COLUMNS.items() if k != "activity"}},
            "sources.0.columns",
            "no mapping for canonical column 'activity'",
        ),
        (
            {"constants": {"uren": 1}},
            "sources.0.constants.uren",
            "'uren' is not a column of table contributions",
        ),
    ],
)
def test_unknown_partner_and_incomplete_mapping_are_errors(network, spec, key, message):
    with pytest.raises(HarmoniseError) as info:
        harmonise_csv(network, HEADER, **spec)
    assert info.value.key == key
    assert message in str(info.value)
    assert "uren.csv" in str(info.value)


def test_missing_raw_file_is_an_error(network):
    data_dir, _ = network
    with pytest.raises(HarmoniseError) as info:
        harmonise_network(make_config(source(file="weg.csv")), data_dir)
    assert info.value.key == "sources.0.file"
    assert "raw file not found" in str(info.value)


def test_indicators_with_labels_and_unknown_indicator(network):
    data_dir, raw = network
    (raw / "monitor.csv").write_text(
        "Indicator;Periode;Gebied;Waarde\n"
        "Meldingen van overlast;2024-01;Noord;12,5\n"
        "Iets anders;2024-01;Noord;3\n",
        encoding="utf-8",
    )
    config = make_config(
        {
            "file": "monitor.csv",
            "table": "indicators",
            "columns": {
                "indicator_id": "Indicator",
                "period": "Periode",
                "area": "Gebied",
                "value": "Waarde",
            },
            "constants": {"unit": "meldingen"},
            "values": {"indicator_id": {"Meldingen van overlast": "overlast"}},
        }
    )
    result = harmonise_network(config, data_dir)
    assert rows(result, "indicators") == [("overlast", "2024-01", "Noord", 12.5, "meldingen")]
    assert result.quarantine["reason"].tolist() == [
        "column 'Indicator' (indicator_id): unknown indicator 'Iets anders': not an indicator "
        "id of the configuration nor a label under sources.0.values.indicator_id"
    ]


def test_config_rejects_unknown_source_keys_with_key_path(tmp_path):
    import yaml

    from netwerkonderzoek.config import ConfigError

    (tmp_path / "networks").mkdir()
    data = {**BASE, "sources": [{**source(), "kolommen": {}}]}
    (tmp_path / "networks" / "tiny.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config("tiny", tmp_path)
    assert info.value.key == "sources.0.kolommen"
    assert "unknown key" in str(info.value)


# --- needs_harmonisation and the runner hook ------------------------------------------


def test_needs_harmonisation_follows_raw_files_config_and_outputs(network):
    data_dir, raw = network
    text = HEADER + "Gemeente Noordstad;jan 2024;overleg;1;2;netwerk\n"
    (raw / "uren.csv").write_text(text, encoding="utf-8")
    config = make_config(source())
    assert needs_harmonisation(config, data_dir)  # never harmonised
    harmonise_network(config, data_dir)
    assert not needs_harmonisation(config, data_dir)
    (raw / "uren.csv").write_text(text + "Welzijn Klein;jan 2024;overleg;1;2;netwerk\n")
    assert needs_harmonisation(config, data_dir)  # raw file changed
    harmonise_network(config, data_dir)
    assert not needs_harmonisation(config, data_dir)
    assert needs_harmonisation(make_config(source(units={"hours": "days"})), data_dir)
    (data_dir / "tiny" / "contributions.csv").unlink()
    assert needs_harmonisation(config, data_dir)  # output gone
    assert not needs_harmonisation(make_config(), data_dir)  # no sources


def test_cli_harmonise_prints_summary(network, tmp_path, capsys):
    import yaml

    from netwerkonderzoek.cli import main

    data_dir, raw = network
    (raw / "uren.csv").write_text(
        HEADER + "Gemeente Noordstad;jan 2024;overleg;1;2;netwerk\nTotaal;;;1;2;\n",
        encoding="utf-8",
    )
    config_dir = tmp_path / "config"
    (config_dir / "networks").mkdir(parents=True)
    (config_dir / "networks" / "tiny.yaml").write_text(
        yaml.safe_dump({**BASE, "sources": [source()]}, allow_unicode=True), encoding="utf-8"
    )
    code = main(
        ["harmonise", "tiny", "--config-dir", str(config_dir), "--data-dir", str(data_dir)]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "harmonised tiny: 1 source, 2 rows read" in out
    assert out.splitlines()[2].split() == ["uren.csv", "contributions", "2", "1", "0", "0", "1"]
    report = pd.read_csv(data_dir / "tiny" / "harmonisation" / "report.csv")
    assert report.loc[0, ["rows_read", "accepted", "totals"]].tolist() == [2, 1, 1]


# --- deterministic XLSX ----------------------------------------------------------------


def test_xlsx_bytes_are_deterministic_including_zip_timestamps():
    import time
    import zipfile

    sheet = {"Inzet": [["Maand", "Uren"], [dt.datetime(2024, 1, 1), 1.5]]}
    first = xlsx_bytes(sheet)
    time.sleep(1.1)  # a second later: zip and document timestamps must not change
    assert xlsx_bytes(sheet) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2022-05-22T12:00:00Z" in core
    assert np.array_equal(
        pd.read_excel(io.BytesIO(first), sheet_name="Inzet")["Uren"].to_numpy(), [1.5]
    )


def test_example_workbooks_are_byte_identical_across_writes(tmp_path):
    sim = simulate_network("ggz-netwerk", DEFAULT_SEED)
    a, b = raw_exports(sim), raw_exports(simulate_network("ggz-netwerk", DEFAULT_SEED))
    assert a.files["inzet-partners.xlsx"] == b.files["inzet-partners.xlsx"]
    assert a.files["monitor.xlsx"] == b.files["monitor.xlsx"]
    shutil.rmtree(tmp_path)


# --- repeated exports (issue 16, point 3) -------------------------------------------------


def test_a_row_repeated_130_times_is_one_row_and_129_duplicates(network):
    """127 or more rows sharing a key once raised OverflowError (int8 codes)."""
    line = "Gemeente Noordstad;jan 2024;overleg;2,5;10;netwerk\n"
    result = harmonise_csv(network, HEADER + line * 130)
    assert counts(result) == {
        "rows_read": 130,
        "accepted": 1,
        "quarantined": 0,
        "duplicates": 129,
        "totals": 0,
    }
    assert set(result.quarantine["reason"]) == {"exact duplicate of uren.csv row 2"}


def test_one_export_sent_three_times_is_duplicates_not_key_conflicts(network):
    """Three copies of a 40-row export once gave 26 'key conflicts' (int8 wrap-around)."""
    data_dir, raw = network
    body = "".join(f"Gemeente Noordstad;jan 2024;overleg {i};2,5;10;netwerk\n" for i in range(40))
    files = ("a.csv", "b.csv", "c.csv")
    for name in files:
        (raw / name).write_text(HEADER + body, encoding="utf-8")
    result = harmonise_network(make_config(*[source(file=f) for f in files]), data_dir)
    assert [counts(result, i)["duplicates"] for i in range(3)] == [0, 40, 40]
    assert [counts(result, i)["accepted"] for i in range(3)] == [40, 0, 0]
    assert result.quarantine["kind"].eq("exact duplicate").all()
    assert len(result.tables["contributions"]) == 40
