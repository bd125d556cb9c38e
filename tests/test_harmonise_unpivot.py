"""Wide tables in one source (issue 17, point 4): netwerkonderzoek.harmonise.unpivot.

Files are built inline in the shapes the tools export: a timesheet with a
column per month (semicolon CSV, title block, decimal comma, ``Totaal`` row
and column), a CBS StatLine-style monitor with a column per indicator
(``2024 januari*``, ``.`` and ``-``), and a workbook whose month headers are
real date cells. Expected rows are worked out by hand from the cells.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from netwerkonderzoek.harmonise import HarmoniseError, harmonise_network
from netwerkonderzoek.harmonise.parse import MONTHS, parse_period, parse_periods

from .test_harmonise import NAMES, PARTNERS, counts, make_config, rows


@pytest.fixture
def network(tmp_path):
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    return tmp_path, raw


HOURS = (
    "Uren per partner en activiteit per maand\n"
    "\n"
    "Organisatie;Activiteit;jan. 2024;feb 2024;2024 maart;2024M04;Totaal\n"
    "Gemeente Noordstad;Overleg;1,5;;2.000,25;4;2.005,75\n"
    "Welzijn Klein;Overleg;2;3,25;0;;5,25\n"
    "Totaal;;3,5;3,25;2.000,25;4;2.011\n"
)


def hours_source(**spec) -> dict:
    out = {
        "file": "uren.csv",
        "table": "contributions",
        "header_row": 3,
        "columns": {"partner_id": "Organisatie", "activity": "Activiteit"},
        "constants": {"costs_eur": 0, "value_type": "network"},
        "partner_names": dict(NAMES),
        "unpivot": {"name_to": "period", "value_to": "hours"},
    }
    out.update(spec)
    return out


def run(network, text: str, **spec):
    data_dir, raw = network
    source = hours_source(**spec)
    (raw / source["file"]).write_text(text, encoding="utf-8")
    return harmonise_network(make_config(source), data_dir)


def test_months_as_columns_in_one_source(network):
    result = run(network, HOURS)
    assert rows(result) == [
        ("gemeente-noordstad", "2024-01", "Overleg", 1.5, 0.0, "network"),
        ("gemeente-noordstad", "2024-03", "Overleg", 2000.25, 0.0, "network"),
        ("gemeente-noordstad", "2024-04", "Overleg", 4.0, 0.0, "network"),
        ("welzijn", "2024-01", "Overleg", 2.0, 0.0, "network"),
        ("welzijn", "2024-02", "Overleg", 3.25, 0.0, "network"),
        ("welzijn", "2024-03", "Overleg", 0.0, 0.0, "network"),
    ]
    # 3 rows x 4 month columns = 12 cells, 2 blank: 10 records, 4 of them the total row's.
    assert counts(result) == {
        "rows_read": 10,
        "accepted": 6,
        "quarantined": 0,
        "duplicates": 0,
        "totals": 4,
    }
    assert result.report.loc[0, "conversions"] == (
        "unpivot: 3 rows x 4 columns ('jan. 2024' ... '2024M04') to period and hours: "
        "10 records; 2 blank cells left out; total column 'Totaal' left out"
    )
    totals = result.quarantine
    assert totals["source_row"].tolist() == [6, 6, 6, 6]
    assert totals["raw"].tolist() == [
        "Totaal;;jan. 2024;3,5",
        "Totaal;;feb 2024;3,25",
        "Totaal;;2024 maart;2.000,25",
        "Totaal;;2024M04;4",
    ]
    # Provenance: the file row of every record.
    prov = result.provenance["contributions"]
    assert prov["source_row"].tolist() == [4, 4, 4, 5, 5, 5]


def test_a_bad_cell_quarantines_its_record_only_naming_row_and_column(network):
    text = HOURS.replace("Welzijn Klein;Overleg;2;3,25", "Welzijn Klein;Overleg;2;drie")
    result = run(network, text)
    assert [r[1] for r in rows(result) if r[0] == "welzijn"] == ["2024-01", "2024-03"]
    bad = result.quarantine[result.quarantine["status"] == "quarantined"]
    assert bad[["source_file", "source_row", "kind", "reason", "raw"]].values.tolist() == [
        [
            "uren.csv",
            5,
            "not a number",
            "column 'feb 2024' (hours): got 'drie'; expected a number with decimal ','",
            "Welzijn Klein;Overleg;feb 2024;drie",
        ]
    ]


def test_a_row_sent_twice_is_duplicates_naming_each_column(network):
    lines = HOURS.splitlines(keepends=True)
    text = "".join([*lines[:4], lines[3], *lines[4:]])  # Gemeente's row twice (rows 4 and 5)
    result = run(network, text)
    dups = result.quarantine[result.quarantine["status"] == "duplicate"]
    assert dups[["source_row", "reason"]].values.tolist() == [
        [5, "exact duplicate of uren.csv row 4, column 'jan. 2024'"],
        [5, "exact duplicate of uren.csv row 4, column '2024 maart'"],
        [5, "exact duplicate of uren.csv row 4, column '2024M04'"],
    ]
    assert counts(result)["duplicates"] == 3
    assert dups["raw"].tolist()[0] == "Gemeente Noordstad;Overleg;jan. 2024;1,5"


def test_conflicting_cells_name_their_rows_and_columns(network):
    text = HOURS.replace("Welzijn Klein;Overleg;2;", "Gemeente Noordstad;Overleg;9;")
    result = run(network, text)
    conflicts = result.quarantine[result.quarantine["kind"] == "key conflict"]
    # 2024-01 is given 1,5 and 9; 2024-03 is given 2.000,25 and 0; 2024-04 once.
    assert sorted(zip(conflicts["source_row"], conflicts["reason"], strict=True)) == sorted(
        (row, "key (network_id=tiny, partner_id=gemeente-noordstad, "
         f"period={period}, activity=Overleg) is given different values by uren.csv row 4, "
         f"column {column!r}, uren.csv row 5, column {column!r}")
        for row in (4, 5)
        for period, column in (("2024-01", "jan. 2024"), ("2024-03", "2024 maart"))
    )  # fmt: skip
    got = {(r[0], r[1]) for r in rows(result)}
    assert ("gemeente-noordstad", "2024-04") in got
    assert ("gemeente-noordstad", "2024-01") not in got


def test_explicit_columns_and_pattern(network):
    result = run(
        network,
        HOURS,
        unpivot={"columns": ["feb 2024"], "name_to": "period", "value_to": "hours"},
    )
    assert rows(result) == [("welzijn", "2024-02", "Overleg", 3.25, 0.0, "network")]
    assert counts(result)["totals"] == 1
    result = run(
        network,
        HOURS,
        unpivot={"pattern": "^2024", "name_to": "period", "value_to": "hours"},
    )
    assert sorted({r[1] for r in rows(result)}) == ["2024-03", "2024-04"]


@pytest.mark.parametrize(
    ("unpivot", "key", "message", "spec"),
    [
        (
            {"name_to": "period", "value_to": "hours", "exclude": []},
            "sources.0.unpivot.name_to",
            "column 'Opmerking' of the wide table is not a period: expected a month such as "
            "'jan 2024', 'januari 2024', '2024 januari', '2024M01', '2024-01' or a quarter such "
            "as '2024 1e kwartaal'; list the value columns under unpivot.columns or leave this "
            "one out with unpivot.exclude",
            {},
        ),
        (
            {"columns": ["jan 2024", "mei 2024"], "name_to": "period", "value_to": "hours"},
            "sources.0.unpivot.columns.0",
            "column 'jan 2024' is not in the file; its columns are 'Organisatie', 'Activiteit', "
            "'jan. 2024', 'feb 2024', '2024 maart', '2024M04', 'Opmerking', 'Totaal'",
            {},
        ),
        (
            {"name_to": "period", "value_to": "hours", "exclude": ["Notitie"]},
            "sources.0.unpivot.exclude.0",
            "column 'Notitie' under exclude is not in the file; its columns are 'Organisatie', "
            "'Activiteit', 'jan. 2024', 'feb 2024', '2024 maart', '2024M04', 'Opmerking', 'Totaal'",
            {},
        ),
        (
            {"pattern": "^Q[1-4]", "name_to": "period", "value_to": "hours"},
            "sources.0.unpivot.pattern",
            "no column header matches pattern '^Q[1-4]'; the file's columns are 'Organisatie', "
            "'Activiteit', 'jan. 2024', 'feb 2024', '2024 maart', '2024M04', 'Opmerking', 'Totaal'",
            {},
        ),
        (
            {"name_to": "hours", "value_to": "costs_eur"},
            "sources.0.unpivot.name_to",
            "'hours' cannot take the headers: expected a text or period column of table "
            "contributions (partner_id, period, activity, value_type)",
            {"constants": {"value_type": "network"}},
        ),
        (
            {"name_to": "period", "value_to": "activity"},
            "sources.0.unpivot.value_to",
            "'activity' cannot take the cells: expected a number column of table contributions "
            "(hours, costs_eur)",
            {"columns": {"partner_id": "Organisatie"}},
        ),
    ],
)
def test_bad_unpivot_is_an_error_naming_file_key_and_column(network, unpivot, key, message, spec):
    text = HOURS.replace(";Totaal\n", ";Opmerking;Totaal\n", 1)
    text = text.replace(";2.005,75\n", ";ok;2.005,75\n").replace(";5,25\n", ";;5,25\n")
    text = text.replace(";2.011\n", ";;2.011\n")
    with pytest.raises(HarmoniseError) as info:
        run(network, text, unpivot=unpivot, **spec)
    assert info.value.key == key
    assert info.value.reason == message
    assert str(info.value.source).endswith("uren.csv")
    # The excluded comment column reads fine:
    unpivot = {"name_to": "period", "value_to": "hours", "exclude": ["Opmerking"]}
    assert len(rows(run(network, text, unpivot=unpivot))) == 6


def test_name_to_or_value_to_also_mapped_is_a_config_error():
    with pytest.raises(ValueError, match="'period' is filled by the unpivot but also listed"):
        make_config(hours_source(columns={"partner_id": "Organisatie", "period": "Maand"}))


# --- a CBS StatLine-style monitor: indicators as columns -----------------------------

INDICATORS = [
    {
        "id": "overlast",
        "label_nl": "Meldingen van overlast",
        "label_en": "Nuisance reports",
        "unit": "meldingen",
        "perspective": "societal",
        "form": "direct",
        "direction": "decrease",
    },
    {
        "id": "woningen",
        "label_nl": "Woningvoorraad",
        "label_en": "Dwellings",
        "unit": "aantal",
        "perspective": "societal",
        "form": "direct",
        "direction": "increase",
    },
]

STATLINE = (
    '"Kerncijfers wijken en buurten; Noordstad"\n'
    '"Bron: CBS; gewijzigd op 12 maart 2025"\n'
    "\n"
    '"Wijken en buurten";"Perioden";"Meldingen van overlast (aantal)";"Woningvoorraad (aantal)"\n'
    '"Noord";"2024 januari";"12";"1.204"\n'
    '"Noord";"2024 februari*";".";"1.210"\n'
    '"Zuid";"2024 januari";"-";"980"\n'
    '"Zuid";"2024 februari*";"3";"x"\n'
)


def test_monitor_with_indicators_as_columns_cbs_markers_and_provisional_periods(network):
    data_dir, raw = network
    (raw / "kerncijfers.csv").write_text(STATLINE, encoding="utf-8")
    config = make_config(
        {
            "file": "kerncijfers.csv",
            "table": "indicators",
            "header_row": 4,
            "columns": {"area": "Wijken en buurten", "period": "Perioden"},
            "values": {
                "indicator_id": {
                    "Meldingen van overlast (aantal)": "overlast",
                    "Woningvoorraad (aantal)": "woningen",
                }
            },
            "missing_markers": "cbs",
            "unpivot": {"name_to": "indicator_id", "value_to": "value", "unit_from": "indicators"},
        },
        indicators=INDICATORS,
    )
    result = harmonise_network(config, data_dir)
    assert rows(result, "indicators") == [
        ("overlast", "2024-01", "Noord", 12.0, "meldingen"),
        ("overlast", "2024-01", "Zuid", 0.0, "meldingen"),  # '-' is nil: 0 (CBS)
        ("overlast", "2024-02", "Zuid", 3.0, "meldingen"),
        ("woningen", "2024-01", "Noord", 1204.0, "aantal"),
        ("woningen", "2024-01", "Zuid", 980.0, "aantal"),
        ("woningen", "2024-02", "Noord", 1210.0, "aantal"),
    ]
    assert counts(result) == {
        "rows_read": 6,
        "accepted": 6,
        "quarantined": 0,
        "duplicates": 0,
        "totals": 0,
    }
    assert result.report.loc[0, "conversions"] == (
        "unpivot: 4 rows x 2 columns ('Meldingen van overlast (aantal)' ... "
        "'Woningvoorraad (aantal)') to indicator_id and value: 6 records; "
        "column 'Meldingen van overlast (aantal)': 1 cell '.' read as missing, 1 cell '-' "
        "read as 0 (missing_markers); column 'Woningvoorraad (aantal)': 1 cell 'x' read as "
        "missing (missing_markers); column 'Perioden' (period): 2 rows with a provisional "
        "period (*), read without the mark"
    )


def test_monitor_header_that_is_no_indicator_is_an_error(network):
    data_dir, raw = network
    (raw / "kerncijfers.csv").write_text(STATLINE, encoding="utf-8")
    config = make_config(
        {
            "file": "kerncijfers.csv",
            "table": "indicators",
            "header_row": 4,
            "columns": {"area": "Wijken en buurten", "period": "Perioden"},
            "values": {"indicator_id": {"Meldingen van overlast (aantal)": "overlast"}},
            "unpivot": {"name_to": "indicator_id", "value_to": "value", "unit_from": "indicators"},
        },
        indicators=INDICATORS,
    )
    with pytest.raises(HarmoniseError) as info:
        harmonise_network(config, data_dir)
    assert info.value.key == "sources.0.unpivot.name_to"
    assert info.value.reason == (
        "column 'Woningvoorraad (aantal)' of the wide table is not an indicator: expected an "
        "indicator id of the configuration (overlast, woningen), an indicator's label_nl or "
        "label_en, or a label under values.indicator_id; leave other columns out with "
        "unpivot.exclude"
    )


def test_long_table_with_missing_markers(network):
    data_dir, raw = network
    (raw / "monitor.csv").write_text(
        "Periode;Gebied;Waarde\n2024-01;Noord;.\n2024-02;Noord;-\n2024-03;Noord;4\n",
        encoding="utf-8",
    )
    config = make_config(
        {
            "file": "monitor.csv",
            "table": "indicators",
            "columns": {"period": "Periode", "area": "Gebied", "value": "Waarde"},
            "constants": {"indicator_id": "overlast", "unit": "meldingen"},
            "missing_markers": {".": "missing", "-": "zero"},
        },
        indicators=INDICATORS,
    )
    result = harmonise_network(config, data_dir)
    assert rows(result, "indicators") == [
        ("overlast", "2024-02", "Noord", 0.0, "meldingen"),
        ("overlast", "2024-03", "Noord", 4.0, "meldingen"),
    ]
    assert result.quarantine[["source_row", "kind", "reason"]].values.tolist() == [
        [
            2,
            "missing value",
            "column 'Waarde' (value): '.' marks a missing value (missing_markers); expected a "
            "number",
        ]
    ]
    assert result.report.loc[0, "conversions"] == (
        "column 'Waarde' (value): 1 cell '.' read as missing, 1 cell '-' read as 0 "
        "(missing_markers)"
    )


# --- a workbook whose month headers are real date cells ------------------------------


def test_xlsx_with_date_cells_as_month_headers(network):
    data_dir, raw = network
    book = Workbook()
    sheet = book.active
    sheet.title = "Uren"
    sheet.append(["Urenoverzicht 2024"])
    sheet.append([])
    sheet.append(["Organisatie", "Activiteit", dt.datetime(2024, 1, 1), dt.datetime(2024, 2, 1)])
    sheet.append(["Gemeente Noordstad", "Overleg", 1.5, 2])
    sheet.append(["Welzijn Klein", "Uitvoering", None, 7.25])
    buffer = io.BytesIO()
    book.save(buffer)
    (raw / "uren.xlsx").write_bytes(buffer.getvalue())
    config = make_config(hours_source(file="uren.xlsx", sheet="Uren"))
    result = harmonise_network(config, data_dir)
    assert rows(result) == [
        ("gemeente-noordstad", "2024-01", "Overleg", 1.5, 0.0, "network"),
        ("gemeente-noordstad", "2024-02", "Overleg", 2.0, 0.0, "network"),
        ("welzijn", "2024-02", "Uitvoering", 7.25, 0.0, "network"),
    ]
    assert result.provenance["contributions"]["source_row"].tolist() == [4, 4, 5]


# --- the period parser ----------------------------------------------------------------

NAMES_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
            "september", "oktober", "november", "december"]  # fmt: skip


@given(
    year=st.integers(1900, 2200),
    month=st.integers(1, 12),
    form=st.sampled_from(
        [
            "{y} {name}",
            "{abbr}. {y}",
            "{y}M{m:02d}",
            "{y}MM{m:02d}",
            "{d} {name} {y}",
            "{name} {y}*",
            "{y} {name}**",
        ]
    ),
    day=st.integers(1, 28),
)
def test_every_month_form_reads_as_its_month(year, month, form, day):
    abbr = next(k for k, v in MONTHS.items() if v == month and len(k) == 3)
    text = form.format(y=year, m=month, d=day, name=NAMES_NL[month - 1], abbr=abbr)
    column = parse_periods(io_series([text]))
    assert column.period.tolist() == [f"{year:04d}-{month:02d}"]
    assert column.months.tolist() == [1]
    assert column.provisional.tolist() == ["*" in text]


@given(year=st.integers(1900, 2200), quarter=st.integers(1, 4))
def test_every_quarter_form_reads_as_its_first_month(year, quarter):
    first = f"{year:04d}-{3 * quarter - 2:02d}"
    for text in (f"{year} {quarter}e kwartaal", f"{quarter}e kwartaal {year}",
                 f"{year}KW0{quarter}", f"{year} kwartaal {quarter}*"):  # fmt: skip
        assert parse_period(text, "quarter") == (first, 3), text


def test_impossible_text_dates_are_not_periods_and_years_are_twelve_months():
    column = parse_periods(io_series(["31 februari 2024", "2024M13", "13e kwartaal 2024", "0999"]))
    assert column.bad.tolist() == [True, True, True, True]
    column = parse_periods(io_series(["2024", "2024*"]))
    assert (column.period.tolist(), column.months.tolist()) == (["2024-01"] * 2, [12, 12])
    assert column.provisional.tolist() == [False, True]


def io_series(values):
    import pandas as pd

    return pd.Series(values, dtype=object)


# --- yearly figures (CBS: 2023, 2024*) ------------------------------------------------

YEARLY = "Wijken;Overlast 2022;2023;2024*\nNoord;5;12;7\n"


def yearly(network, **spec):
    data_dir, raw = network
    (raw / "jaren.csv").write_text(YEARLY, encoding="utf-8")
    source = {
        "file": "jaren.csv",
        "table": "indicators",
        "columns": {"area": "Wijken"},
        "constants": {"indicator_id": "overlast", "unit": "meldingen"},
        "unpivot": {"pattern": r"^\d{4}\*?$", "name_to": "period", "value_to": "value"},
        **spec,
    }
    return harmonise_network(make_config(source, indicators=INDICATORS), data_dir)


def test_years_need_a_policy(network):
    with pytest.raises(HarmoniseError) as info:
        yearly(network)
    assert info.value.key == "sources.0.quarter"
    assert info.value.reason == (
        "period '2023' in the column headers of the wide table is a year but table indicators has monthly periods; "
        "set quarter to 'first' (book the year on its first month) or 'split' (divide it "
        "evenly over its twelve months)"
    )


def test_years_booked_on_january_and_split_over_twelve_months(network):
    result = yearly(network, quarter="first")
    assert rows(result, "indicators") == [
        ("overlast", "2023-01", "Noord", 12.0, "meldingen"),
        ("overlast", "2024-01", "Noord", 7.0, "meldingen"),
    ]
    assert "1 row with a provisional period (*)" in result.report.loc[0, "conversions"]
    split = rows(yearly(network, quarter="split"), "indicators")
    # value has no harmonisation.decimals: twelfths, the remainder on December.
    assert [r[1] for r in split] == [f"2023-{m:02d}" for m in range(1, 13)] + [
        f"2024-{m:02d}" for m in range(1, 13)
    ]
    assert sum(r[3] for r in split[:12]) == 12.0
    assert sum(r[3] for r in split[12:]) == pytest.approx(7.0, abs=1e-12)


@pytest.mark.parametrize(
    ("unpivot", "message"),
    [
        (
            {"columns": ["jan 2024"], "pattern": "^j", "name_to": "period", "value_to": "hours"},
            "give the value columns as columns or as pattern, not both",
        ),
        (
            {"pattern": "([", "name_to": "period", "value_to": "hours"},
            "pattern '([' is not a regular expression",
        ),
        ({"name_to": "hours", "value_to": "hours"}, "name_to and value_to are both 'hours'"),
        (
            {"columns": ["jan", "jan"], "name_to": "period", "value_to": "hours"},
            "a column is listed twice under columns",
        ),
    ],
)
def test_unpivot_config_faults(tmp_path, unpivot, message):
    import yaml

    from netwerkonderzoek.config import ConfigError, load_config

    from .test_harmonise import BASE

    (tmp_path / "networks").mkdir()
    data = {**BASE, "sources": [hours_source(unpivot=unpivot)]}
    (tmp_path / "networks" / "tiny.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config("tiny", tmp_path)
    assert info.value.key == "sources.0.unpivot"
    assert message in info.value.reason
