"""No identifier in free text (issue 16, point 5).

A BSN, an e-mail address, a phone number or a postcode with house number
inside an observation text once reached the quote tables and the report.
"""

from __future__ import annotations

import pandas as pd
import pytest

from netwerkonderzoek.harmonise import harmonise_network
from netwerkonderzoek.privacy import PrivacyError, detect_identifiers, mask_text_identifiers
from netwerkonderzoek.tables import validate_frame

from .test_harmonise import PARTNERS, make_config

TEXTS = [
    "Bel me op 06 1234 5678 als het weer misgaat.",
    "Mijn BSN: 690059292 staat op het formulier.",
    "Ze woont op 1234 AB 12, vlak bij de school.",
    "Mail jan.jansen@voorbeeld.nl of bel (010) 123 4567.",
    "De buurtcoach helpt ons echt.",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06 1234 5678", "[telefoonnummer]"),
        ("06-12345678", "[telefoonnummer]"),
        ("+31 6 12345678", "[telefoonnummer]"),
        ("(010) 123 4567", "[telefoonnummer]"),
        ("BSN: 690059292", "BSN: [BSN]"),  # 690059292 passes the eleven-test
        ("6900.59.292", "[BSN]"),
        ("1234 AB 12", "[adres]"),
        ("Kerkstraat 12, 1234 AB", "[adres]"),
        ("a.b@c.nl", "[e-mail]"),
        ("690059293", "690059293"),  # fails the eleven-test: not a BSN
        ("In 2024 kwamen 123 bewoners naar 12 bijeenkomsten.", None),
        ("Het budget is € 1.250.000 voor 2025-2026.", None),
    ],
)
def test_identifiers_in_text_are_found_and_nothing_else(text, expected):
    masked, _ = mask_text_identifiers(text)
    assert masked == (text if expected is None else expected)


@pytest.fixture
def network(tmp_path):
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    lines = ["Nr;Datum;Rol;Tekst;Codes;Sentiment"]
    lines += [f"o{i};2024-03-0{i + 1};resident;{t};cmo-01;0,5" for i, t in enumerate(TEXTS)]
    (raw / "interviews.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def _source() -> dict:
    return {
        "file": "interviews.csv",
        "table": "observations",
        "columns": {
            "observation_id": "Nr",
            "date": "Datum",
            "source_role": "Rol",
            "text": "Tekst",
            "codes": "Codes",
            "sentiment": "Sentiment",
        },
    }


def _everything_written(data_dir) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in (data_dir / "tiny").rglob("*.csv") if p.is_file()
    )


def test_harmonising_masks_identifiers_and_counts_them(network):
    result = harmonise_network(make_config(_source()), network)
    texts = result.tables["observations"]["text"].tolist()
    assert texts == [
        "Bel me op [telefoonnummer] als het weer misgaat.",
        "Mijn BSN: [BSN] staat op het formulier.",
        "Ze woont op [adres], vlak bij de school.",
        "Mail [e-mail] of bel [telefoonnummer].",
        "De buurtcoach helpt ons echt.",
    ]
    assert result.report.loc[0, "masked_identifiers"] == "address: 1; bsn: 1; email: 1; phone: 2"
    written = _everything_written(network)
    for secret in ("1234 5678", "690059292", "1234 AB", "jan.jansen", "123 4567"):
        assert secret not in written


def test_quarantine_mode_quarantines_the_rows_without_the_identifier(network):
    config = make_config(_source(), privacy={"free_text": "quarantine"})
    result = harmonise_network(config, network)
    assert result.tables["observations"]["observation_id"].tolist() == ["o4"]
    quarantine = result.quarantine
    assert set(quarantine["kind"]) == {"personal data in text"}
    assert quarantine.loc[0, "reason"] == (
        "column 'Tekst' (text): the text holds a phone number (personal data); "
        "privacy.free_text is 'quarantine'"
    )
    written = _everything_written(network)
    for secret in ("1234 5678", "690059292", "1234 AB", "jan.jansen", "123 4567"):
        assert secret not in written


def test_validation_flags_identifiers_in_canonical_texts_without_quoting_them():
    frame = pd.DataFrame(
        {
            "network_id": "tiny",
            "observation_id": ["o1", "o2"],
            "date": "2024-03-01",
            "source_role": "resident",
            "partner_id": "",
            "text": [TEXTS[0], TEXTS[4]],
            "codes": "cmo-01",
            "sentiment": "0.5",
        }
    )
    _, faults = validate_frame(frame, "observations", source="observations.csv")
    assert [str(f) for f in faults] == [
        "observations.csv, row 2, column 'text': the text holds personal data (a phone "
        "number); mask or remove it (harmonising masks it: privacy.free_text)"
    ]


@pytest.mark.parametrize(
    ("header", "cells", "kind"),
    [
        ("Roepnaam", ["Jan", "Piet", "Kees"], "name"),
        ("Voornaam", ["Jan", "Piet", "Kees"], "name"),
        ("Achternaam", ["Jansen", "de Vries", "Smit"], "name"),
        ("Geboortedatum", ["1961-04-03", "1958-11-20", "1970-01-01"], "birth_date"),
        ("Kenmerk", ["BSN: 690059292", "BSN: 123456782", "BSN: 111222333"], "bsn"),
        # found by a new user: a survey's contact person was not recognised
        ("Contactpersoon", ["Jan de Vries", "Piet Smit", "Kees Bos"], "name"),
        ("Ingevuld door", ["Jan de Vries", "Piet Smit", "Kees Bos"], "name"),
        ("RecipientLastName", ["Vries", "Smit", "Bos"], "name"),  # Qualtrics contact lists
    ],
)
def test_identifier_columns_are_recognised(header, cells, kind):
    found = detect_identifiers(pd.DataFrame({header: cells, "Uren": ["1", "2", "3"]}))
    assert found.to_dict("records")[0]["kind"] == kind
    assert found["column"].tolist() == [header]


def test_an_undropped_birth_date_column_stops_harmonising(network):
    raw = network / "raw" / "tiny" / "interviews.csv"
    lines = raw.read_text().splitlines()
    lines = [lines[0] + ";Geboortedatum"] + [line + ";1961-04-03" for line in lines[1:]]
    raw.write_text("\n".join(lines) + "\n")
    with pytest.raises(PrivacyError, match=r"column 'Geboortedatum'.*birth dates"):
        harmonise_network(make_config(_source()), network)
