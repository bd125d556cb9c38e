"""Personal data at harmonisation: pseudonymised units, dropped identifiers (issue 9).

Tests mirror :mod:`netwerkonderzoek.harmonise.personal`; tiny sources are built
inline, pseudonyms are recomputed by hand with :mod:`hmac`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from netwerkonderzoek.config import ConfigError, NetworkConfig, load_config
from netwerkonderzoek.harmonise import (
    HarmoniseError,
    format_report,
    harmonise_network,
    needs_harmonisation,
)
from netwerkonderzoek.harmonise.convert import read_source
from netwerkonderzoek.privacy import PrivacyError
from netwerkonderzoek.simulate import EXAMPLE_NETWORKS

ROOT = Path(__file__).resolve().parents[1]
KEY = b"0123456789abcdef-test-key"
OTHER_KEY = b"fedcba9876543210-other-key"

PARTNERS = """\
network_id,partner_id,name,kind,sector,joined,left
tiny,gemeente-noordstad,Gemeente Noordstad,municipality,public,2020-01-01,
"""

BASE = {
    "network_id": "tiny",
    "name": "Klein netwerk",
    "mission": "m",
    "task": "t",
    "study": {"start": "2024-01", "end": "2024-12", "waves": [{"wave": 1, "date": "2024-03-01"}]},
}

# Two waves of client K-1001, one of K-1002; names, e-mail and phone numbers to drop.
CLIENTS = """\
Klantnummer;Naam;E-mail;Telefoon;Meting;Wijk;Leeftijd;Welzijn
K-1001;Jan Jansen;jan.jansen@voorbeeld.nl;06-12345678;1;Noord-1;61;6,5
K-1001;Jan Jansen;jan.jansen@voorbeeld.nl;06-12345678;2;Noord-1;62;7
K-1002;Fatima el Amrani;;010 1234567;1;Zuid-2;45;5,25
"""

UNITS_SOURCE = {
    "file": "klanten.csv",
    "table": "units",
    "person_id": "Klantnummer",
    "drop": ["Naam", "E-mail", "Telefoon"],
    "columns": {"wave": "Meting", "area": "Wijk", "age": "Leeftijd", "wellbeing": "Welzijn"},
}


def pseudonym(value: str, key: bytes = KEY) -> str:
    # by hand: "p-" + first 16 hex digits of HMAC-SHA256(key, id)
    return "p-" + hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


@pytest.fixture
def network(tmp_path):
    """Data folder with a partner list and the raw client export; returns data_dir."""
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    (raw / "klanten.csv").write_text(CLIENTS, encoding="utf-8")
    return tmp_path


def make_config(path: Path | None = None, **source) -> NetworkConfig:
    data = {**BASE, "sources": [{**UNITS_SOURCE, **source}]}
    if path is not None:
        data["path"] = path
    return NetworkConfig.model_validate(data)


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_units_round_trip_with_pseudonyms_linking_waves(network):
    result = harmonise_network(make_config(), network, key=KEY)
    units = pd.read_csv(network / "tiny" / "units.csv", dtype=str, keep_default_na=False)
    expected = sorted(
        [
            [pseudonym("K-1001"), "1", "Noord-1", "61", "6.5"],
            [pseudonym("K-1001"), "2", "Noord-1", "62", "7.0"],
            [pseudonym("K-1002"), "1", "Zuid-2", "45", "5.25"],
        ]
    )
    assert units.columns.tolist() == [
        "network_id",
        "unit_id",
        "wave",
        "area",
        "age",
        "wellbeing",
    ]
    assert units.drop(columns="network_id").to_numpy().tolist() == expected
    # a person's two waves share one unit id
    assert units.groupby("unit_id")["wave"].apply(list).to_dict()[pseudonym("K-1001")] == [
        "1",
        "2",
    ]
    assert result.report.loc[0, ["rows_read", "accepted", "quarantined"]].tolist() == [3, 3, 0]
    prov = pd.read_csv(network / "tiny" / "provenance" / "units.csv", dtype=str)
    assert prov["unit_id"].tolist() == units["unit_id"].tolist()
    assert prov["wave"].tolist() == units["wave"].tolist()


def test_same_key_same_pseudonyms_other_key_other_pseudonyms(network):
    first = harmonise_network(make_config(), network, key=KEY, write=False)
    again = harmonise_network(make_config(), network, key=KEY, write=False)
    other = harmonise_network(make_config(), network, key=OTHER_KEY, write=False)
    ids = first.tables["units"]["unit_id"]
    assert ids.tolist() == again.tables["units"]["unit_id"].tolist()
    assert set(ids) == {pseudonym("K-1001"), pseudonym("K-1002")}
    assert set(other.tables["units"]["unit_id"]) == {
        pseudonym("K-1001", OTHER_KEY),
        pseudonym("K-1002", OTHER_KEY),
    }
    assert not set(ids) & set(other.tables["units"]["unit_id"])


def test_a_new_or_missing_key_needs_harmonisation(network, monkeypatch):
    monkeypatch.delenv("NETWERKONDERZOEK_KEY", raising=False)
    harmonise_network(make_config(), network, key=KEY)
    assert not needs_harmonisation(make_config(), network, key=KEY)
    assert needs_harmonisation(make_config(), network, key=OTHER_KEY)
    assert needs_harmonisation(make_config(), network)  # no key at hand
    state = (network / "tiny" / "harmonisation" / "state.json").read_text(encoding="utf-8")
    assert f'"key_check": "{pseudonym("netwerkonderzoek-key-check")}"' in state
    assert KEY.decode() not in state


def test_key_from_key_file_relative_to_config_dir(network, tmp_path):
    config_dir = tmp_path / "config"
    (config_dir / "networks").mkdir(parents=True)
    (config_dir / "sleutel.key").write_text("# test key\n" + KEY.decode() + "\n")
    data = {**BASE, "sources": [UNITS_SOURCE], "privacy": {"key_file": "sleutel.key"}}
    (config_dir / "networks" / "tiny.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    config = load_config("tiny", config_dir)
    result = harmonise_network(config, network)
    assert set(result.tables["units"]["unit_id"]) == {pseudonym("K-1001"), pseudonym("K-1002")}


def test_no_key_is_an_error_and_nothing_is_written(network, monkeypatch):
    monkeypatch.delenv("NETWERKONDERZOEK_KEY", raising=False)
    before = files_under(network)
    config = make_config(path=network / "config" / "networks" / "tiny.yaml")
    with pytest.raises(PrivacyError) as info:
        harmonise_network(config, network)
    assert str(info.value) == (
        f"{network / 'config' / 'networks' / 'tiny.yaml'}, source klanten.csv (sources.0, "
        "table units): no pseudonymisation key: unit-level data are only harmonised with a "
        "key. Set $NETWERKONDERZOEK_KEY or name a key file outside the repository in the "
        "network config (privacy.key_file)"
    )
    assert files_under(network) == before


def test_missing_key_file_is_an_error(network, monkeypatch, tmp_path):
    monkeypatch.delenv("NETWERKONDERZOEK_KEY", raising=False)
    config = NetworkConfig.model_validate(
        {**BASE, "sources": [UNITS_SOURCE], "privacy": {"key_file": str(tmp_path / "weg.key")}}
    )
    with pytest.raises(PrivacyError, match=r"pseudonymisation key file not found: .*weg\.key"):
        harmonise_network(config, network)


def test_identifier_column_not_dropped_is_an_error(network):
    before = files_under(network)
    with pytest.raises(PrivacyError) as info:
        harmonise_network(make_config(drop=["Naam", "Telefoon"]), network, key=KEY)
    assert str(info.value) == (
        f"key 'sources.0', source {network / 'raw' / 'tiny' / 'klanten.csv'}: direct "
        "identifiers in column 'E-mail' (2 values look like e-mail addresses); add the column "
        "to drop: in the source's configuration (sources.0.drop) to leave them out of every "
        "output"
    )
    assert files_under(network) == before


def test_identifiers_are_refused_in_any_table_and_unmapped_columns(network):
    # a contributions export with an unmapped contact column
    (network / "raw" / "tiny" / "uren.csv").write_text(
        "Organisatie;Maand;Activiteit;Uren;Kosten;Soort;Contactpersoon e-mail\n"
        "Gemeente Noordstad;jan 2024;overleg;1;2;network;a.b@noordstad.nl\n",
        encoding="utf-8",
    )
    source = {
        "file": "uren.csv",
        "table": "contributions",
        "partner_names": {"Gemeente Noordstad": "gemeente-noordstad"},
        "columns": {
            "partner_id": "Organisatie",
            "period": "Maand",
            "activity": "Activiteit",
            "hours": "Uren",
            "costs_eur": "Kosten",
            "value_type": "Soort",
        },
    }
    config = NetworkConfig.model_validate({**BASE, "sources": [source]})
    with pytest.raises(PrivacyError, match=r"column 'Contactpersoon e-mail' \(1 values look"):
        harmonise_network(config, network)
    config = NetworkConfig.model_validate(
        {**BASE, "sources": [{**source, "drop": ["Contactpersoon e-mail"]}]}
    )
    result = harmonise_network(config, network)
    assert result.report.loc[0, "dropped_columns"] == "Contactpersoon e-mail"
    assert result.report.loc[0, "dropped_values"] == 1


def test_dropped_columns_are_reported_with_their_counts(network):
    result = harmonise_network(make_config(), network, key=KEY)
    report = pd.read_csv(network / "tiny" / "harmonisation" / "report.csv")
    # by hand: 3 names, 2 e-mail addresses (one blank), 3 phone numbers
    assert report.loc[0, "dropped_columns"] == "Naam; E-mail; Telefoon"
    assert report.loc[0, "dropped_values"] == 8
    text = format_report(result.report, "tiny")
    assert "  dropped (personal data): Naam; E-mail; Telefoon (8 values)" in text.splitlines()


def test_drop_column_not_in_the_file_is_an_error(network):
    with pytest.raises(HarmoniseError) as info:
        harmonise_network(
            make_config(drop=["Naam", "E-mail", "Telefoon", "Adres"]), network, key=KEY
        )
    assert info.value.key == "sources.0.drop.3"
    assert str(info.value).endswith(
        "column 'Adres' listed under drop is not in the file; its columns are 'Klantnummer', "
        "'Naam', 'E-mail', 'Telefoon', 'Meting', 'Wijk', 'Leeftijd', 'Welzijn'"
    )


def test_person_id_column_not_in_the_file_is_an_error(network):
    with pytest.raises(HarmoniseError) as info:
        harmonise_network(make_config(person_id="Cliëntnummer"), network, key=KEY)
    assert info.value.key == "sources.0.person_id"
    assert "person id column 'Cliëntnummer' is not in the file" in str(info.value)


def test_quarantine_holds_pseudonyms_not_raw_ids_or_dropped_values(network):
    raw = network / "raw" / "tiny" / "klanten.csv"
    raw.write_text(
        CLIENTS
        + "K-1003;Kees Bakker;kees@voorbeeld.nl;06-87654321;1;Oost-1;veertig;6\n"
        + "K-1004;Anna Smit;anna@voorbeeld.nl;06-11112222;1;Oost-1;30;6;extra\n",
        encoding="utf-8",
    )
    result = harmonise_network(make_config(), network, key=KEY)
    quarantine = result.quarantine.set_index("source_row")
    assert quarantine.loc[5, "raw"] == f"{pseudonym('K-1003')};1;Oost-1;veertig;6"
    assert quarantine.loc[5, "reason"] == (
        "column 'Leeftijd' (age): got 'veertig'; expected a number with decimal ','"
    )
    # a line that cannot be split is quarantined without its text
    assert quarantine.loc[6, "raw"] == "(raw text withheld: the source holds personal data)"
    written = (network / "tiny" / "harmonisation" / "quarantine.csv").read_text(encoding="utf-8")
    for value in ("K-1003", "K-1004", "Kees", "kees@", "06-87654321", "Anna", "anna@"):
        assert value not in written


def test_units_attributes_need_plain_names_and_whole_numbers_stay_whole(network):
    with pytest.raises(HarmoniseError) as info:
        harmonise_network(
            make_config(columns={**UNITS_SOURCE["columns"], "Leeftijd": "Leeftijd"}),
            network,
            key=KEY,
        )
    assert info.value.key == "sources.0.columns.Leeftijd"
    assert str(info.value).endswith(
        "'Leeftijd' is not a column of table units; its columns are network_id, unit_id, wave, "
        "area; further columns need a name of lowercase letters, digits and underscores"
    )
    result = harmonise_network(make_config(), network, key=KEY, write=False)
    assert str(result.tables["units"]["age"].dtype) == "Int64"  # 61, 62, 45
    assert result.tables["units"]["wellbeing"].dtype == float  # 6.5, 7, 5.25


def test_unit_id_comes_from_person_id_only():
    with pytest.raises(Exception, match="unit_id is made from person_id"):
        make_config(columns={**UNITS_SOURCE["columns"], "unit_id": "Klantnummer"})


@pytest.mark.parametrize(
    ("source", "key", "message"),
    [
        (
            {"file": "k.csv", "table": "units", "columns": {"wave": "Meting"}},
            "sources.0.person_id",
            "a units source needs person_id",
        ),
        (
            {"file": "k.csv", "table": "events", "person_id": "Nr"},
            "sources.0.person_id",
            "person_id is only for units sources; table events has no person ids",
        ),
        (
            {"file": "k.csv", "table": "units", "person_id": "Nr", "drop": ["Nr"]},
            "sources.0.drop.0",
            "column 'Nr' is the person_id column: it is pseudonymised, not dropped",
        ),
        (
            {
                "file": "k.csv",
                "table": "units",
                "person_id": "Nr",
                "drop": ["Naam"],
                "columns": {"area": "Naam"},
            },
            "sources.0.drop.0",
            "column 'Naam' is dropped but mapped to area under columns",
        ),
    ],
)
def test_config_checks_person_id_and_drop_with_key_path(tmp_path, source, key, message):
    (tmp_path / "networks").mkdir()
    data = {**BASE, "sources": [source]}
    (tmp_path / "networks" / "tiny.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config("tiny", tmp_path)
    assert info.value.key == key
    assert str(info.value).startswith(f"{tmp_path / 'networks' / 'tiny.yaml'}, key '{key}': ")
    assert message in str(info.value)


# --- the example networks ---------------------------------------------------------------


def raw_personal_values(network_id: str) -> tuple[set[str], set[str]]:
    """Raw person ids and dropped identifier values of a network's raw units export."""
    config = load_config(network_id, ROOT / "config")
    ids: set[str] = set()
    dropped: set[str] = set()
    for i, spec in enumerate(config.sources):
        if spec.table != "units":
            continue
        frame = read_source(spec, ROOT / "data" / "raw" / network_id, f"sources.{i}", None).frame
        ids |= set(frame[spec.person_id].dropna().astype(str))
        for column in spec.drop:
            dropped |= {v for v in frame[column].dropna().astype(str) if v.strip()}
    return ids, dropped


def tokens(text: str) -> set[str]:
    """Words, and runs of word characters with ``.+-@`` (ids, e-mail addresses, phones)."""
    return set(re.findall(r"[\w.+\-@]+", text)) | set(re.findall(r"\w+", text))


@pytest.mark.parametrize("network_id", EXAMPLE_NETWORKS)
def test_raw_person_ids_and_identifiers_appear_nowhere_in_the_data(network_id):
    ids, dropped = raw_personal_values(network_id)
    assert len(ids) > 1000 and len(dropped) > 1000  # the raw export holds them
    folder = ROOT / "data" / network_id
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    names = {str(p.relative_to(folder)) for p in files}
    assert {"units.csv", "provenance/units.csv", "harmonisation/quarantine.csv"} <= names
    # whole values (e-mail addresses, phone numbers) and the words of names and streets
    # (an address up to its comma: the town's name is no identifier)
    forbidden = ids | {v for v in dropped if " " not in v}
    forbidden |= {w for v in dropped for w in re.findall(r"\w+", v.split(",")[0]) if len(w) > 5}
    hits = []
    for path in files:
        found = tokens(path.read_text(encoding="utf-8")) & forbidden
        hits += [f"{path.relative_to(folder)}: {v}" for v in sorted(found)]
    assert not hits, hits[:20]
    units = pd.read_csv(folder / "units.csv", dtype=str)
    assert units["unit_id"].str.fullmatch(r"p-[0-9a-f]{16}").all()


def test_a_bad_value_in_a_workbook_with_dropped_columns_is_quarantined(network):
    # found by a new user: in an XLSX units source with drop, every bad value
    # raised KeyError: 'Naam' (the dropped column was looked up for formulas)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Klantnummer", "Naam", "E-mail", "Telefoon", "Meting", "Wijk", "Leeftijd"])
    sheet.append(["K-1001", "Jan Jansen", "jan@voorbeeld.nl", "06-12345678", 1, "Noord-1", 61])
    sheet.append(["K-1002", "Fatima el Amrani", None, "010 1234567", 1, "Zuid-2", "n.v.t."])
    book.save(network / "raw" / "tiny" / "klanten.xlsx")
    config = make_config(
        file="klanten.xlsx",
        columns={"wave": "Meting", "area": "Wijk", "age": "Leeftijd"},
    )
    result = harmonise_network(config, network, key=KEY, write=False)
    assert len(result.tables["units"]) == 1
    (reason,) = result.quarantine["reason"]
    assert reason == "column 'Leeftijd' (age): got 'n.v.t.'; expected a number"
