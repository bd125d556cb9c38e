"""Date columns of harmonised sources: Excel date cells and date text (issue 15).

pandas' ``to_datetime(format="mixed", dayfirst=True)`` reads ISO text
(``2024-03-01``, which is also how an Excel date cell was turned into text)
day first: 2024-03-01 became 2024-01-03 whenever the day was 12 or less. The
reference dates below are the ones written into the workbooks and files.
"""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from netwerkonderzoek.config import NetworkConfig
from netwerkonderzoek.harmonise import HarmoniseError, harmonise_network

PARTNERS = """\
network_id,partner_id,name,kind,sector,joined,left
tiny,gemeente,Gemeente Klein,municipality,public,2020-01-01,
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

EVENT_COLUMNS = {"date": "Datum", "title": "Titel", "kind": "Soort", "partner_id": "Partner"}
OBSERVATION_COLUMNS = {
    "observation_id": "Nr",
    "date": "Datum",
    "source_role": "Rol",
    "partner_id": "Partner",
    "text": "Tekst",
    "codes": "Codes",
    "sentiment": "Toon",
}
NAMES = {"Gemeente Klein": "gemeente", "Welzijn Klein": "welzijn"}

# (cell written to the workbook, the date it is): days <= 12 and > 12, a date-time
# with a time of day, a date cell, a cell shown in Dutch day-month-year format
CELLS = [
    (dt.datetime(2024, 3, 1), "2024-03-01"),
    (dt.datetime(2024, 3, 13), "2024-03-13"),
    (dt.datetime(2024, 12, 11, 14, 30), "2024-12-11"),
    (dt.date(2024, 2, 5), "2024-02-05"),
    (dt.datetime(2024, 11, 10, 23, 59, 59), "2024-11-10"),
]


@pytest.fixture
def network(tmp_path):
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    return tmp_path, raw


def write_workbook(path, header, rows, number_format=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "Blad1"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if number_format:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=1, max_col=1):
            cell.number_format = number_format
    book.save(path)


def events_config(file: str) -> NetworkConfig:
    source = {
        "file": file,
        "table": "events",
        "columns": EVENT_COLUMNS,
        "partner_names": NAMES,
        "values": {"kind": {"mijlpaal": "milestone"}},
    }
    return NetworkConfig.model_validate({**BASE, "sources": [source]})


def event_dates(result) -> list[str]:
    events = result.tables["events"].sort_values("title")
    return [str(d)[:10] for d in events["date"]]


@pytest.mark.parametrize("number_format", [None, "dd-mm-yyyy", "d mmm yyyy h:mm"])
def test_xlsx_date_cells_are_the_dates_they_hold(network, number_format):
    data_dir, raw = network
    rows = [[cell, f"e{i}", "mijlpaal", "Gemeente Klein"] for i, (cell, _) in enumerate(CELLS)]
    write_workbook(
        raw / "tijdlijn.xlsx", ["Datum", "Titel", "Soort", "Partner"], rows, number_format
    )
    result = harmonise_network(events_config("tijdlijn.xlsx"), data_dir)
    assert result.quarantine.empty
    assert event_dates(result) == [iso for _, iso in CELLS]


def test_csv_and_xlsx_of_the_same_timeline_agree(network):
    data_dir, raw = network
    rows = [[cell, f"e{i}", "mijlpaal", "Welzijn Klein"] for i, (cell, _) in enumerate(CELLS)]
    write_workbook(raw / "tijdlijn.xlsx", ["Datum", "Titel", "Soort", "Partner"], rows)
    from_xlsx = event_dates(harmonise_network(events_config("tijdlijn.xlsx"), data_dir))
    # the same dates as a partner types them in CSV: ISO, Dutch day-month-year, month name
    texts = ["2024-03-01", "13-03-2024", "11/12/2024 14:30", "5 feb 2024", "2024-11-10T23:59:59"]
    lines = [f"{t};e{i};mijlpaal;Welzijn Klein" for i, t in enumerate(texts)]
    (raw / "tijdlijn.csv").write_text(
        "Datum;Titel;Soort;Partner\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    from_csv = event_dates(harmonise_network(events_config("tijdlijn.csv"), data_dir))
    assert from_csv == from_xlsx == [iso for _, iso in CELLS]


def test_observation_dates_from_xlsx(network):
    data_dir, raw = network
    header = ["Datum", "Nr", "Rol", "Partner", "Tekst", "Codes", "Toon"]
    rows = [
        [
            dt.datetime(2024, 4, 2, 9, 15),
            "o-1",
            "partner",
            "Gemeente Klein",
            "Goed overleg.",
            "c",
            0.5,
        ],
        [dt.datetime(2024, 4, 20), "o-2", "partner", "Welzijn Klein", "Traag.", "c", -0.2],
    ]
    write_workbook(raw / "observaties.xlsx", header, rows)
    source = {
        "file": "observaties.xlsx",
        "table": "observations",
        "columns": OBSERVATION_COLUMNS,
        "partner_names": NAMES,
    }
    config = NetworkConfig.model_validate({**BASE, "sources": [source]})
    result = harmonise_network(config, data_dir)
    assert result.quarantine.empty
    table = result.tables["observations"].sort_values("observation_id")
    assert [str(d)[:10] for d in table["date"]] == ["2024-04-02", "2024-04-20"]


def test_what_is_not_a_date_is_quarantined_not_guessed(network):
    data_dir, raw = network
    # a time of day alone became today's date; a two-digit year a guess at the century;
    # a timezone offset made pandas raise for the whole column
    texts = ["14:30", "01-03-24", "31-02-2024", "2024-03-01T10:00:00+01:00", "2024-03-02"]
    lines = [f"{t};e{i};mijlpaal;Welzijn Klein" for i, t in enumerate(texts)]
    (raw / "tijdlijn.csv").write_text(
        "Datum;Titel;Soort;Partner\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    result = harmonise_network(events_config("tijdlijn.csv"), data_dir)
    assert event_dates(result) == ["2024-03-02"]
    quarantine = result.quarantine.sort_values("source_row")
    assert quarantine["source_row"].tolist() == [2, 3, 4, 5]
    assert set(quarantine["kind"]) == {"not a date"}
    assert (
        quarantine["reason"]
        .iloc[0]
        .startswith(
            "column 'Datum' (date): got '14:30'; expected a date (an Excel date cell, "
            "YYYY-MM-DD, DD-MM-YYYY, D maand YYYY)"
        )
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2024, 3, 1), "2024-03-01"),
        (dt.datetime(2024, 1, 12, 8, 0), "2024-01-12"),
        (dt.date(2024, 12, 31), "2024-12-31"),
        ("2024-03-01", "2024-03-01"),  # was 2024-01-03
        ("2024-03-01 00:00:00", "2024-03-01"),
        ("2024/03/01", "2024-03-01"),
        ("01-03-2024", "2024-03-01"),
        ("1.3.2024", "2024-03-01"),
        ("13-03-2024", "2024-03-13"),
        ("1 mrt. 2024", "2024-03-01"),
        ("01-Mar-2024", "2024-03-01"),
        ("12 december 2024", "2024-12-12"),
        ("2024-02-30", None),
        ("03/13/2024", None),  # month-day-year: month 13 does not exist
        ("45352", None),
        (45352, None),
        (dt.time(14, 30), None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value, expected):
    from netwerkonderzoek.harmonise.parse import parse_date

    # reference: the calendar date each value names (hand reading)
    assert parse_date(value) == expected


def test_a_date_constant_is_read_as_a_date(network):
    # a timeline whose source has no date column: the date is a constant of the config
    data_dir, raw = network
    (raw / "tijdlijn.csv").write_text(
        "Titel;Soort;Partner\nStart;mijlpaal;Welzijn Klein\n", encoding="utf-8"
    )
    spec = {
        "file": "tijdlijn.csv",
        "table": "events",
        "columns": {k: v for k, v in EVENT_COLUMNS.items() if k != "date"},
        "constants": {"date": "01-03-2024"},
        "partner_names": NAMES,
        "values": {"kind": {"mijlpaal": "milestone"}},
    }
    config = NetworkConfig.model_validate({**BASE, "sources": [spec]})
    assert event_dates(harmonise_network(config, data_dir)) == ["2024-03-01"]
    bad = {**spec, "constants": {"date": "maart"}}
    with pytest.raises(HarmoniseError, match=r"got 'maart'; expected a date"):
        harmonise_network(NetworkConfig.model_validate({**BASE, "sources": [bad]}), data_dir)
