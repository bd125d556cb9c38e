"""Recode any column (issue 17, point 3): netwerkonderzoek.harmonise.recode and .ages.

Value maps on number and text columns, the built-in yes/no and ``T<n>``
recodings, and an age derived from a birth date that never reaches an
output. Files are built inline; ages are worked out by hand (comments).
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
import yaml
from openpyxl import Workbook

from netwerkonderzoek.config import ConfigError, NetworkConfig, load_config
from netwerkonderzoek.harmonise import harmonise_network
from netwerkonderzoek.harmonise.recode import ages_on

from .test_harmonise import BASE, NAMES, PARTNERS, make_config, rows

KEY = b"0123456789abcdef-test-key"
STUDY = {
    "start": "2023-01",
    "end": "2025-12",
    "waves": [{"wave": 1, "date": "2024-02-28"}, {"wave": 2, "date": "2025-03-01"}],
}

# Client 1 born on a leap day, client 2 the day after, client 3 on the wave's date.
CLIENTS = (
    "Cliëntmonitor Noordstad\n"
    "Cliëntnummer;Geboortedatum;Meting;Wijk;Vrouw;Alleenwonend;Welzijn\n"
    "K-1;29-02-2000;T0 intake;Noord;Ja;nee;6,5\n"
    "K-1;29-02-2000;T1 na 12 maanden;Noord;Ja;Nee;7\n"
    "K-2;1 maart 2000;T0 intake;Zuid;Nee;ja;5\n"
    "K-3;2001-02-28;T0 intake;Zuid;nee;JA;8\n"
)

UNITS = {
    "file": "clienten.csv",
    "table": "units",
    "header_row": 2,
    "person_id": "Cliëntnummer",
    "drop": ["Geboortedatum"],
    "columns": {
        "wave": "Meting",
        "area": "Wijk",
        "female": "Vrouw",
        "lives_alone": "Alleenwonend",
        "wellbeing": "Welzijn",
    },
    "values": {"wave": "t_number", "female": "yes_no", "lives_alone": "yes_no"},
    "age": {"birth_date": "Geboortedatum", "as_of": "wave"},
}


@pytest.fixture
def network(tmp_path):
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    return tmp_path, raw


def units(network, text=CLIENTS, **spec):
    data_dir, raw = network
    (raw / "clienten.csv").write_text(text, encoding="utf-8")
    config = make_config({**UNITS, **spec}, study=STUDY)
    return harmonise_network(config, data_dir, key=KEY)


def test_yes_no_waves_from_labels_and_age_on_the_wave_date(network):
    result = units(network)
    table = result.tables["units"].sort_values(["wave", "area", "age"], ignore_index=True)
    got = table[["wave", "area", "female", "lives_alone", "wellbeing", "age"]]
    assert got.values.tolist() == [
        # wave 1 on 2024-02-28: born 29-02-2000 -> 23 (the birthday is 29 Feb, not yet);
        # born 1 March 2000 -> 23; born 28-02-2001 -> 23 exactly on the day.
        [1, "Noord", 1, 0, 6.5, 23],
        [1, "Zuid", 0, 1, 5.0, 23],
        [1, "Zuid", 0, 1, 8.0, 23],
        # wave 2 on 2025-03-01: born 29-02-2000 -> 25 (2025 has no 29 Feb: 1 March counts).
        [2, "Noord", 1, 0, 7.0, 25],
    ]
    assert result.report.loc[0, "dropped_columns"] == "Geboortedatum"
    assert int(result.report.loc[0, "dropped_values"]) == 4
    # The birth dates reach no output.
    provenance = result.provenance["units"].drop(columns="source_hash")
    for frame in (result.tables["units"], result.quarantine, provenance):
        assert not frame.astype(str).apply(lambda c: c.str.contains("2000|2001")).any().any()


def test_values_outside_a_recoding_are_quarantined_with_the_values_expected(network):
    text = CLIENTS.replace("T1 na 12 maanden;Noord;Ja", "Nameting;Noord;Misschien")
    result = units(network, text)
    bad = result.quarantine[["source_file", "source_row", "kind", "reason"]].values.tolist()
    assert bad == [
        [
            "clienten.csv",
            4,
            "not in map",
            "column 'Meting' (wave): got 'Nameting'; expected a measurement label T<n> "
            "(T0 is wave 1, T1 wave 2, ...) (values.wave); column 'Vrouw' (female): got "
            "'Misschien'; expected yes or no (ja, j, yes, y, waar, true / nee, n, no, onwaar, "
            "false, niet) (values.female)",
        ]
    ]
    assert len(result.tables["units"]) == 3


def test_explicit_map_on_a_number_column_and_numbers_already_recoded(network):
    text = CLIENTS.replace("T0 intake;Zuid;Nee", "1;Zuid;Nee")
    result = units(
        network,
        text,
        values={
            "wave": {"T0 intake": 1, "T1 na 12 maanden": 2},
            "female": {"Ja": 1, "Nee": 0, "nee": 0},
            "lives_alone": "yes_no",
        },
    )
    assert sorted(result.tables["units"]["wave"].tolist()) == [1, 1, 1, 2]
    assert result.quarantine.empty


def test_map_outside_value_on_a_number_column(network):
    result = units(network, values={"wave": "t_number", "female": {"Ja": 1, "Nee": 0}})
    assert result.quarantine["reason"].tolist() == [
        "column 'Alleenwonend' (lives_alone): got 'nee'; expected a number with decimal ','",
        "column 'Alleenwonend' (lives_alone): got 'Nee'; expected a number with decimal ','",
        "column 'Alleenwonend' (lives_alone): got 'ja'; expected a number with decimal ','",
        "column 'Vrouw' (female): got 'nee'; expected one of 'Ja', 'Nee' (or 1, 0) "
        "(values.female); column 'Alleenwonend' (lives_alone): got 'JA'; expected a number "
        "with decimal ','",
    ]


def test_age_on_a_fixed_date_and_bad_birth_dates_are_not_shown(network):
    text = CLIENTS.replace("K-2;1 maart 2000", "K-2;31-02-2000").replace(
        "K-3;2001-02-28", "K-3;2030-01-01"
    )
    result = units(network, text, age={"birth_date": "Geboortedatum", "as_of": "2024-03-01"})
    # 1 March 2024: born 29-02-2000 -> 24 (birthday 29 Feb 2024 passed).
    assert result.tables["units"]["age"].tolist() == [24, 24]
    assert result.quarantine[["source_row", "kind", "reason"]].values.tolist() == [
        [
            5,
            "not a date",
            "column 'Geboortedatum' (age): the birth date is not a date; expected an Excel date "
            "cell, YYYY-MM-DD, DD-MM-YYYY, D maand YYYY (the value is not shown: personal data)",
        ],
        [
            6,
            "born after the reference date",
            "column 'Geboortedatum' (age): the birth date lies after the reference date "
            "2024-03-01 (the value is not shown: personal data)",
        ],
    ]
    assert not result.quarantine["raw"].str.contains("2000|2030").any()


def test_age_from_workbook_date_cells(network):
    data_dir, raw = network
    book = Workbook()
    sheet = book.active
    sheet.append(["Cliëntnummer", "Geboortedatum", "Meting", "Wijk", "Vrouw", "Alleenwonend"])
    sheet.append(["K-1", dt.datetime(1960, 3, 1), "T0", "Noord", True, False])
    sheet.append(["K-2", dt.datetime(1960, 2, 28), "T1", "Noord", "ja", 0])
    buffer = io.BytesIO()
    book.save(buffer)
    (raw / "clienten.xlsx").write_bytes(buffer.getvalue())
    spec = {**UNITS, "file": "clienten.xlsx", "header_row": 1}
    spec["columns"] = {k: v for k, v in UNITS["columns"].items() if k != "wellbeing"}
    result = harmonise_network(make_config(spec, study=STUDY), data_dir, key=KEY)
    table = result.tables["units"].sort_values("wave")
    # wave 1 on 2024-02-28: born 1960-03-01 -> 63; wave 2 on 2025-03-01: born 1960-02-28 -> 65.
    assert table[["wave", "female", "lives_alone", "age"]].values.tolist() == [
        [1, 1, 0, 63],
        [2, 1, 0, 65],
    ]


def test_unknown_wave_for_an_age_is_quarantined(network):
    text = CLIENTS.replace("T1 na 12 maanden", "T4 na 48 maanden")
    result = units(network, text)
    assert result.quarantine["reason"].tolist() == [
        "column 'Meting' (wave): wave 5 has no date under study.waves (waves 1, 2); the age "
        "is taken on the wave's date (age.as_of)"
    ]


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (
            {"drop": []},
            "sources.0.age.birth_date",
            "column 'Geboortedatum' is a birth date, a direct identifier: list it under drop as "
            "well (the age is derived before it is dropped)",
        ),
        (
            {"values": {"wave": {"yes": 1}}},
            "sources.0.values.wave",
            None,
        ),
        (
            {"values": {"female": {True: 1}}},
            "sources.0.values.female",
            "YAML read an unquoted word (yes, no, on, off, true, false) as the boolean True; "
            "quote it, such as 'Ja': 1 or 'yes': 1",
        ),
    ],
)
def test_config_faults_name_the_key(tmp_path, change, key, message):
    (tmp_path / "networks").mkdir()
    data = {**BASE, "study": STUDY, "sources": [{**UNITS, **change}]}
    (tmp_path / "networks" / "tiny.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    if message is None:  # a quoted 'yes' is text: accepted
        assert load_config("tiny", tmp_path).sources[0].values["wave"] == {"yes": "1"}
        return
    with pytest.raises(ConfigError) as info:
        load_config("tiny", tmp_path)
    assert info.value.key == key
    assert info.value.reason == message


def test_unquoted_yes_in_yaml_is_refused(tmp_path):
    (tmp_path / "networks").mkdir()
    text = yaml.safe_dump({**BASE, "study": STUDY, "sources": [UNITS]}, allow_unicode=True)
    text = text.replace("  values:\n", "  values:\n    female:\n      yes: 1\n      no: 0\n")
    text = text.replace("    female: yes_no\n", "", 1)
    (tmp_path / "networks" / "tiny.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"key 'sources\.0\.values\.female': YAML read an unquoted"
    ):
        load_config("tiny", tmp_path)


def test_a_builtin_recoding_on_a_text_column_is_an_error(network):
    from netwerkonderzoek.harmonise import HarmoniseError

    data_dir, raw = network
    (raw / "clienten.csv").write_text(CLIENTS, encoding="utf-8")
    spec = {**UNITS, "values": {**UNITS["values"], "area": "yes_no"}}
    with pytest.raises(HarmoniseError) as info:
        harmonise_network(make_config(spec, study=STUDY), data_dir, key=KEY)
    assert info.value.key == "sources.0.values.area"
    assert info.value.reason == (
        "yes_no recodes to numbers, but area is a str column; give a map of raw text to "
        "canonical text"
    )


# --- number codes to labels on a text column ----------------------------------------


def test_number_codes_mapped_to_labels_of_a_text_column(network):
    data_dir, raw = network
    book = Workbook()
    sheet = book.active
    sheet.append(["Organisatie", "Maand", "Activiteit", "Uren", "Kosten (€)", "Waardesoort"])
    sheet.append(["Gemeente Noordstad", "jan 2024", 1, 2.5, 0, 2])
    sheet.append(["Welzijn Klein", "jan 2024", 2.0, 1, 0, "netwerk"])
    sheet.append(["Welzijn Klein", "feb 2024", 3, 1, 0, 1])
    buffer = io.BytesIO()
    book.save(buffer)
    (raw / "uren.xlsx").write_bytes(buffer.getvalue())
    source = {
        "file": "uren.xlsx",
        "table": "contributions",
        "columns": {
            "partner_id": "Organisatie",
            "period": "Maand",
            "activity": "Activiteit",
            "hours": "Uren",
            "costs_eur": "Kosten (€)",
            "value_type": "Waardesoort",
        },
        "partner_names": dict(NAMES),
        "values": {
            "activity": {1: "Overleg", 2: "Uitvoering"},
            "value_type": {1: "societal", 2: "network", "netwerk": "network"},
        },
    }
    result = harmonise_network(make_config(source), data_dir)
    assert rows(result) == [
        ("gemeente-noordstad", "2024-01", "Overleg", 2.5, 0.0, "network"),
        ("welzijn", "2024-01", "Uitvoering", 1.0, 0.0, "network"),
    ]
    assert result.quarantine[["source_row", "kind", "reason"]].values.tolist() == [
        [
            4,
            "not in map",
            "column 'Activiteit' (activity): got '3'; expected one of '1', '2' (or Overleg, "
            "Uitvoering) (values.activity)",
        ]
    ]
    assert isinstance(make_config(source), NetworkConfig)


def test_ages_around_birthdays_and_leap_days():
    birth = np.array(["2000-02-29", "2000-02-29", "2000-02-29", "1990-12-31", None], object)
    on = np.array(["2001-02-28", "2001-03-01", "2004-02-29", "2024-12-30", "2024-01-01"], object)
    # by hand: not yet 1 on 28 Feb 2001; 1 on 1 March 2001; 4 on 29 Feb 2004; 33 a day early.
    assert ages_on(birth, on).tolist()[:4] == [0.0, 1.0, 4.0, 33.0]
    assert np.isnan(ages_on(birth, on)[4])


def test_an_empty_canonical_value_is_missing(network):
    text = CLIENTS.replace(
        "K-2;1 maart 2000;T0 intake;Zuid;Nee", "K-2;1 maart 2000;T0 intake;Zuid;Weet niet"
    )
    result = units(
        network,
        text,
        values={**UNITS["values"], "female": {"Ja": 1, "Nee": 0, "nee": 0, "Weet niet": ""}},
    )
    table = result.tables["units"]
    assert table["female"].isna().sum() == 1
    assert result.quarantine.empty


def test_age_is_for_units_sources_with_a_wave():
    with pytest.raises(ValueError, match="an age is derived for units sources only"):
        make_config({**UNITS, "table": "contributions", "person_id": None})
    spec = {**UNITS, "columns": {"area": "Wijk"}}
    with pytest.raises(ValueError, match=r"age as of the wave's date needs a wave column"):
        make_config(spec, study=STUDY)
