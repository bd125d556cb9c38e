"""The one number parser of netwerkonderzoek.harmonise, and the CSV reader's line bookkeeping.

The parser once had a hand-vectorised fast path beside the general one, and
the two disagreed (``-0`` was -0.0 on one and 0.0 on the other). There is one
path now; these tests check it against numbers formatted from known values
and against hand-written cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netwerkonderzoek.harmonise.parse import parse_numbers, read_distinct_numbers
from netwerkonderzoek.harmonise.sources import _fields_per_line, read_csv_source

SEPARATORS = [(",", "."), (".", ","), (",", ""), (".", ""), (",", " ")]


def _written(value: float, decimal: str, thousands: str, places: int) -> str:
    """``value`` as a partner's spreadsheet writes it with these separators."""
    text = f"{value:,.{places}f}"
    return text.replace(",", "T").replace(".", "D").replace("T", thousands).replace("D", decimal)


@pytest.mark.parametrize(("decimal", "thousands"), SEPARATORS)
@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-(10**12), 10**12), st.integers(0, 3)), min_size=1, max_size=40)
)
def test_formatted_numbers_read_back_as_their_value(decimal, thousands, numbers):
    values = [m / 10**places for m, places in numbers]
    cells = [
        _written(v, decimal, thousands, places)
        for v, (_, places) in zip(values, numbers, strict=True)
    ]
    parsed = read_distinct_numbers(np.array(cells, dtype=object), decimal, thousands, True)
    assert not parsed.bad.any()
    expected = np.array(
        [float(f"{v:.{places}f}") for v, (_, places) in zip(values, numbers, strict=True)]
    )
    assert (parsed.values == expected).all()
    assert not np.signbit(parsed.values[parsed.values == 0]).any()


@pytest.mark.parametrize(("decimal", "thousands"), SEPARATORS)
@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="0123456789.,-+ €e\x00٣", min_size=1, max_size=14), max_size=40))
def test_any_cell_is_a_number_or_bad_never_both(decimal, thousands, cells):
    cells = np.array(list(dict.fromkeys(cells)), dtype=object)
    parsed = read_distinct_numbers(cells, decimal, thousands, True)
    blank = np.array([not c.strip() for c in cells], dtype=bool)
    assert (np.isnan(parsed.values) == (parsed.bad | blank)).all()
    assert np.isfinite(parsed.values[~np.isnan(parsed.values)]).all()
    assert not np.signbit(parsed.values[parsed.values == 0]).any()


def test_xlsx_number_cells_are_taken_as_they_are():
    cells = pd.Series(["1.234,5", 12.5, 3, None, "x"], dtype=object)
    values, bad = parse_numbers(cells, text_only=False)
    assert values[:3].tolist() == [1234.5, 12.5, 3.0]
    assert np.isnan(values[3]) and bad.tolist() == [False, False, False, False, True]


def test_fields_per_line_counts_delimiters_and_line_ends():
    fields, ends = _fields_per_line(b"a;b;c\n1;2\n\n1;2;3;4", ";")
    assert fields.tolist() == [3, 2, 1, 4]
    assert ends.tolist() == [5, 9, 10, 18]
    fields, ends = _fields_per_line(b"a;b\n", ";")
    assert fields.tolist() == [2] and ends.tolist() == [3]


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8-sig", "cp1252"])
def test_line_endings_do_not_change_rows_or_broken_lines(tmp_path, encoding):
    body = "Export\n\nOrganisatie;Uren\nGemeente;1.234,5\n\nx;1;2\n;\nWelzijn;\n"
    unix = tmp_path / "a.csv"
    unix.write_bytes(body.encode(encoding))
    windows = tmp_path / "b.csv"
    windows.write_bytes(body.replace("\n", "\r\n").encode(encoding))
    a = read_csv_source(unix, header_row=3, encoding=encoding)
    b = read_csv_source(windows, header_row=3, encoding=encoding)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.rows.tolist() == b.rows.tolist() == [4, 8]
    assert a.broken == b.broken == [(6, "x;1;2", "expected 2 fields, saw 3")]


def test_non_ascii_header_still_found(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes("Organisatie;Kosten (€)\nGemeente;12,5\n".encode("cp1252"))
    raw = read_csv_source(path, encoding="cp1252")
    assert list(raw.frame.columns) == ["Organisatie", "Kosten (€)"]
    assert raw.frame.to_dict("list") == {"Organisatie": ["Gemeente"], "Kosten (€)": ["12,5"]}


@pytest.mark.parametrize(
    ("body", "rows", "broken"),
    [
        # The first data line is the long one: pandas would drop its last field.
        ("a;b\n1;2;3\n4;5\n", [3], [(2, "1;2;3", "expected 2 fields, saw 3")]),
        ("a;b\n4;5\n1;2;3;4\n", [2], [(3, "1;2;3;4", "expected 2 fields, saw 4")]),
        # A trailing delimiter is an empty last field, not a broken line.
        ("a;b\n1;2;\n4;5\n", [2, 3], []),
    ],
)
def test_lines_longer_than_the_header_are_broken_wherever_they_are(tmp_path, body, rows, broken):
    path = tmp_path / "x.csv"
    path.write_bytes(body.encode("ascii"))
    raw = read_csv_source(path)
    assert raw.rows.tolist() == rows
    assert raw.broken == broken
    assert list(raw.frame.columns) == ["a", "b"]


def test_number_columns_are_read_once():
    from netwerkonderzoek.harmonise.convert import _Columns

    frame = pd.DataFrame({"Uren": ["1.234,5", "12", "-3,25", "123456789"]})
    columns = _Columns(frame, {"Uren": (",", ".", True)})
    assert columns.numbers("Uren") is columns.numbers("Uren")
    assert columns.numbers("Uren").values.tolist() == [1234.5, 12.0, -3.25, 123456789.0]


@pytest.mark.parametrize(("decimal", "thousands"), SEPARATORS)
def test_signed_zero_is_zero(decimal, thousands):
    """``-0`` once came out as -0.0 on a fast path and 0.0 on the general one."""
    cells = np.array(["-0", "+0", "-0" + decimal + "0", "0", "-00"], dtype=object)
    parsed = read_distinct_numbers(cells, decimal, thousands, True)
    assert parsed.values.tolist() == [0.0] * 5
    assert not np.signbit(parsed.values).any() and not parsed.bad.any()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "-", "+"]),
            st.text(alphabet="0123456789", min_size=1, max_size=20),
            st.text(alphabet="0123456789", max_size=8),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_every_number_is_the_correctly_rounded_double_of_its_text(parts):
    """Short and long numbers alike: what Python's float() makes of the text."""
    cells = [sign + whole + ("," + frac if frac else "") for sign, whole, frac in parts]
    parsed = read_distinct_numbers(np.array(cells, dtype=object), ",", "", True)
    assert not parsed.bad.any()
    expected = [float(c.replace(",", ".")) + 0.0 for c in cells]
    assert parsed.values.tolist() == expected
    assert parsed.digits.tolist() == [len(w) + len(f) for _, w, f in parts]
