"""Tests for netwerkonderzoek.harmonise.partners: one partner list, forgiving matches."""

from __future__ import annotations

import pandas as pd
import pytest

from netwerkonderzoek.config import NetworkConfig
from netwerkonderzoek.harmonise import HarmoniseError, harmonise_network
from netwerkonderzoek.harmonise.partners import PartnerList, normalise_name

PARTNERS = """\
network_id,partner_id,name,kind,sector,joined,left,aliases
tiny,gemeente,Gemeente Noordstad,municipality,public,2020-01-01,,Gem. Noordstad; Noordstad
tiny,corporatie,Woonstichting Klein,housing,housing,2020-01-01,,
tiny,welzijn,Stichting Wélzijn & Zorg,welfare,welfare,2020-01-01,,
"""


def partner_list(text: str = PARTNERS) -> PartnerList:
    import io

    return PartnerList.from_frame(pd.read_csv(io.StringIO(text), dtype=str))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Gemeente Noordstad", "gemeente"),
        ("  gemeente   NOORDSTAD ", "gemeente"),  # case, spacing
        ("Gem Noordstad", "gemeente"),  # an alias, punctuation forgiven
        ("noordstad", "gemeente"),
        ("stichting welzijn en zorg", "welzijn"),  # accents and & forgiven
        ("corporatie", "corporatie"),  # the id itself
        ("Woonstichting Groot", None),
    ],
)
def test_match_forgives_case_spacing_accents(name, expected):
    assert partner_list().match(name) == expected


def test_closest_and_message():
    partners = partner_list()
    assert partners.closest("Woonstichting Kleinn") == "Woonstichting Klein"
    assert partners.unknown_message("Welzijn en Zorg Stichting") == (
        "'Welzijn en Zorg Stichting' matches no partner id, name or alias in partners.csv "
        "(closest: 'Stichting Wélzijn & Zorg', welzijn); add it as an alias"
    )


def test_alias_of_two_partners_is_refused():
    text = PARTNERS + "tiny,welzijn2,Welzijn Twee,welfare,welfare,2020-01-01,,Noordstad\n"
    with pytest.raises(ValueError, match=r"partners.csv row 5: the name 'Noordstad' of welzijn2 "
                       r"is also a name of gemeente"):  # fmt: skip
        partner_list(text)


def test_normalise_name():
    assert normalise_name("Zorggroep  Één-Noord.") == "zorggroep een noord"


def test_contributions_source_matches_names_through_the_partner_list(tmp_path):
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    (raw / "uren.csv").write_text(
        "Organisatie;Maand;Activiteit;Uren;Kosten\n"
        "GEM. NOORDSTAD;2024-01;overleg;10;0\n"
        "Woonstichting  Klein;2024-01;overleg;5;0\n"
        "Woonstichting Kleinn;2024-02;overleg;5;0\n"
        "WK;2024-02;overleg;3;0\n",
        encoding="utf-8",
    )
    config = NetworkConfig.model_validate(
        {
            "network_id": "tiny",
            "name": "n",
            "mission": "m",
            "task": "t",
            "study": {
                "start": "2024-01",
                "end": "2024-12",
                "waves": [{"wave": 1, "date": "2024-03-01"}],
            },
            "sources": [
                {
                    "file": "uren.csv",
                    "table": "contributions",
                    "columns": {
                        "partner_id": "Organisatie",
                        "period": "Maand",
                        "activity": "Activiteit",
                        "hours": "Uren",
                        "costs_eur": "Kosten",
                    },
                    "constants": {"value_type": "network"},
                    "partner_names": {"WK": "corporatie"},  # an explicit override still works
                }
            ],
        }
    )
    result = harmonise_network(config, tmp_path)
    got = result.tables["contributions"][["partner_id", "period", "hours"]].values.tolist()
    assert got == [
        ["corporatie", "2024-01", 5.0],
        ["corporatie", "2024-02", 3.0],
        ["gemeente", "2024-01", 10.0],
    ]
    (reason,) = result.quarantine["reason"]
    assert reason == (
        "column 'Organisatie' (partner_id): unknown partner 'Woonstichting Kleinn': not a partner "
        "id in partners.csv nor a name under sources.0.partner_names "
        "(closest: 'Woonstichting Klein', corporatie)"
    )
    with pytest.raises(HarmoniseError, match=r"partners\.csv row"):
        (tmp_path / "tiny" / "partners.csv").write_text(
            PARTNERS + "tiny,x,Noordstad,other,other,2020-01-01,,\n", encoding="utf-8"
        )
        harmonise_network(config, tmp_path)
