import io

import pandas as pd
import pytest

from netwerkonderzoek.config import load_config
from netwerkonderzoek.exceptions import ValidationError
from netwerkonderzoek.tables import (
    SCHEMAS,
    load_network,
    read_table,
    validate_network,
    write_table,
)

from .conftest import ROOT, TINY_TABLES


def corrupt(data_dir, table, old, new):
    path = data_dir / "tiny" / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text  # guard on the fixture itself
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_load_network_types(tiny):
    config_dir, data_dir = tiny
    data = load_network(load_config("tiny", config_dir), data_dir)
    assert len(data.partners) == 4
    assert str(data.ties["wave"].dtype) == "Int64"
    assert data.ties["weight"].tolist() == [2.0, 1.0, 1.5, 2.0, 1.0, 1.0]
    # an empty rating stays missing, never zero
    assert data.ties["reliability"].isna().tolist() == [False] * 5 + [True]
    assert data.partners.loc[3, "joined"] == pd.Timestamp("2023-06-01")
    assert pd.isna(data.partners.loc[0, "left"])
    assert data.units["wellbeing"].tolist() == [6.5, 5.0]


def test_every_fault_is_reported_with_file_row_and_column(tiny):
    config_dir, data_dir = tiny
    # the four corruptions of the issue: text in a number column, a tie to an
    # unknown partner, a duplicate key and a missing column
    corrupt(
        data_dir,
        "ties",
        "tiny,1,gemeente,corporatie,information,2,",
        "tiny,1,gemeente,corporatie,information,twee,",
    )
    corrupt(data_dir, "ties", "tiny,2,bewoners,welzijn", "tiny,2,buren,welzijn")
    corrupt(
        data_dir,
        "contributions",
        "tiny,corporatie,2023-01,huisbezoeken",
        "tiny,gemeente,2023-01,overleg",
    )
    corrupt(
        data_dir,
        "events",
        "network_id,date,title,kind,description,partner_id",
        "network_id,date,title,description,partner_id",
    )
    faults = validate_network(load_config("tiny", config_dir), data_dir)
    found = {(f.file.rsplit("/", 1)[-1], f.row, f.column) for f in faults}
    assert ("ties.csv", 2, "weight") in found
    assert ("contributions.csv", 2, None) in found
    assert ("events.csv", None, "kind") in found
    messages = "\n".join(str(f) for f in faults)
    assert "row 2, column 'weight': got 'twee'; expected a number of at least 0" in messages
    assert (
        "duplicate key (network_id=tiny, partner_id=gemeente, period=2023-01, activity=overleg) in rows 2, 3"
        in messages
    )
    assert "column 'kind': required column is missing" in messages
    assert any(
        f.row == 6 and f.column == "source" and "'buren' is not in partners.csv" in f.message
        for f in faults
    )


def test_all_faults_in_one_table_at_once():
    csv = io.StringIO(
        "network_id,partner_id,name,kind,sector,joined,left\n"
        "x,a,A,gemeente,public,2022-01-01,\n"
        "x,B C,B,care,care,2022-13-01,\n"
        "x,c,,care,care,2022-01-01,2023-01-01\n"
    )
    with pytest.raises(ValidationError) as info:
        read_table("partners", csv)
    faults = {(f.row, f.column) for f in info.value.faults}
    assert faults == {(2, "kind"), (3, "partner_id"), (3, "joined"), (4, "name")}
    assert "4 validation faults" in str(info.value)
    assert "row 2, column 'kind': got 'gemeente'; expected one of municipality" in str(info.value)


def test_ratings_out_of_range_and_fractional():
    header = TINY_TABLES["ties"].splitlines()[0]
    csv = io.StringIO(
        header + "\nx,1,a,b,information,1,5,3,3,3,3,3\nx,1,b,a,information,1,2.5,3,3,3,3,3\n"
    )
    with pytest.raises(ValidationError) as info:
        read_table("ties", csv)
    assert [(f.row, f.column) for f in info.value.faults] == [
        (2, "power_influence"),
        (3, "power_influence"),
    ]
    assert "expected a whole number from 1 to 4" in info.value.faults[0].message


def test_faults_in_repeated_values_are_found_on_every_row():
    # the 12 ties among a, B, c and d: slugs and ratings repeat, so each
    # distinct value is checked once and the verdict spread back to its rows.
    # The bad slug "B" (source in rows 5-7, target in rows 2, 9 and 12),
    # rating 7 (rows 4 and 10) and the blank weight (row 13) must be reported
    # on every row they occur in.
    import itertools

    header = TINY_TABLES["ties"].splitlines()[0]
    rows = [
        f"x,1,{source},{target},information,{'' if i == 11 else 1},{7 if i in (2, 8) else 3},"
        "3,3,3,3,3"
        for i, (source, target) in enumerate(itertools.permutations(["a", "B", "c", "d"], 2))
    ]
    with pytest.raises(ValidationError) as info:
        read_table("ties", io.StringIO(header + "\n" + "\n".join(rows) + "\n"))
    assert sorted((f.row, f.column) for f in info.value.faults) == [
        (2, "target"),
        (4, "power_influence"),
        (5, "source"),
        (6, "source"),
        (7, "source"),
        (9, "target"),
        (10, "power_influence"),
        (12, "target"),
        (13, "weight"),
    ]


def test_self_tie_and_unknown_wave(tiny):
    config_dir, data_dir = tiny
    corrupt(
        data_dir,
        "ties",
        "tiny,1,gemeente,corporatie,information",
        "tiny,3,gemeente,gemeente,information",
    )
    faults = validate_network(load_config("tiny", config_dir), data_dir)
    text = [str(f) for f in faults]
    assert any("row 2, column 'target': self-tie" in t for t in text)
    assert any("row 2, column 'wave': wave 3 is not a wave of the study" in t for t in text)


def test_missing_and_empty_files(tiny):
    config_dir, data_dir = tiny
    (data_dir / "tiny" / "events.csv").unlink()
    (data_dir / "tiny" / "units.csv").write_text("", encoding="utf-8")
    faults = validate_network(load_config("tiny", config_dir), data_dir)
    text = [str(f) for f in faults]
    assert any(t.endswith("events.csv: file not found") for t in text)
    assert any(t.endswith("units.csv: file is empty; expected a header row") for t in text)


def test_unexpected_column_in_strict_table():
    csv = io.StringIO(
        "network_id,indicator_id,period,area,value,unit,extra\nx,a,2023-01,n,1,u,9\n"
    )
    with pytest.raises(ValidationError, match="column 'extra': unexpected column"):
        read_table("indicators", csv)


def test_write_table_is_deterministic(tmp_path):
    df = pd.DataFrame({"wave": [1, 2], "density": [1 / 3, 0.25]})
    first = write_table(df, tmp_path / "a", "m").read_bytes()
    second = write_table(df, tmp_path / "b", "m").read_bytes()
    assert first == second == b"wave,density\n1,0.333333\n2,0.25\n"


def test_schemas_have_keys_among_columns():
    for schema in SCHEMAS.values():
        assert set(schema.key) <= set(schema.column_names), schema.name


def test_written_tables_hold_no_formula(tmp_path):
    # issue 16, point 7: observation, event title and partner name as a
    # spreadsheet would run them (OWASP CSV injection), numbers untouched
    from netwerkonderzoek.tables import write_table

    table = pd.DataFrame(
        {
            "text": ['=HYPERLINK("http://x","klik")', "+31 6 1234", "-2+3", "@SUM(A1)", "gewoon"],
            "title": ["\t=1", "\r=1", "a=1", "", "x"],
            "value": [-1.5, 2.0, -3.0, 0.0, 1.0],
        }
    )
    path = write_table(table, tmp_path, "quotes")
    back = pd.read_csv(path, keep_default_na=False)
    assert back["text"].tolist() == [
        '\'=HYPERLINK("http://x","klik")',
        "'+31 6 1234",
        "'-2+3",
        "'@SUM(A1)",
        "gewoon",
    ]
    assert back["title"].tolist()[:3] == ["'\t=1", "'\r=1", "a=1"]
    assert back["value"].tolist() == [-1.5, 2.0, -3.0, 0.0, 1.0]


def test_network_data_shows_a_summary_not_its_tables():
    from netwerkonderzoek import load_config, load_network

    data = load_network(load_config("wijk-noord", ROOT / "config"), ROOT / "data")
    text = repr(data)
    assert text.splitlines()[0] == "NetworkData('wijk-noord')"
    assert "ties             1,917 rows, waves 1-4" in text and len(text) < 600
    assert "<table" in data._repr_html_() and "appreciation" in data._repr_html_()
