"""The fast paths of netwerkonderzoek.harmonise give what the general paths give.

The performance work added shortcuts (numbers read without Python per cell,
plain-ASCII files handed to the parser without decoding, text columns kept
as codes until the end); each is checked here against the general path it
replaces.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netwerkonderzoek.harmonise.parse import (
    _parse_distinct,
    _plain_numbers,
    parse_distinct_numbers,
    parse_numbers,
)
from netwerkonderzoek.harmonise.sources import (
    _fields_per_line,
    read_csv_source,
)

SEPARATORS = [(",", "."), (".", ","), (",", ""), (".", ""), (",", " ")]


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(
        ((a == b) | (np.isnan(a) & np.isnan(b))).all() and (np.signbit(a) == np.signbit(b)).all()
    )


@pytest.mark.parametrize(("decimal", "thousands"), SEPARATORS)
@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="0123456789.,-+ €e\x00٣", min_size=1, max_size=14), max_size=40))
def test_fast_numbers_equal_the_general_path(decimal, thousands, cells):
    cells = np.array(list(dict.fromkeys(cells)), dtype=object)
    slow_values, slow_bad = _parse_distinct(
        pd.Series(cells, dtype=object), decimal, thousands, True
    )
    values, bad = parse_distinct_numbers(cells, decimal, thousands, True)
    assert (bad == slow_bad).all()
    assert _same(values, slow_values)


@pytest.mark.parametrize(("decimal", "thousands"), SEPARATORS)
def test_fast_numbers_cover_realistic_figures(decimal, thousands):
    rng = np.random.default_rng(1)
    figures = rng.gamma(2.0, 800.0, 5000).round(2)
    text = [f"{x:,.2f}".replace(",", "T").replace(".", "D") for x in figures]
    text = [t.replace("T", thousands).replace("D", decimal) for t in text]
    text += ["-0" + decimal + "5", "+12", "0" + decimal + "10", "123456789012345", "12.5", ",5"]
    cells = np.array(list(dict.fromkeys(text)), dtype=object)
    plain, _, _ = _plain_numbers(cells, decimal, thousands, True)
    assert plain[:100].all()  # realistic figures take the fast path
    slow_values, slow_bad = _parse_distinct(
        pd.Series(cells, dtype=object), decimal, thousands, True
    )
    values, bad = parse_distinct_numbers(cells, decimal, thousands, True)
    assert (bad == slow_bad).all() and _same(values, slow_values)


def test_fast_numbers_leave_xlsx_cells_to_the_general_path():
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
def test_ascii_files_read_as_decoded_files(tmp_path, encoding):
    """The ASCII shortcut gives the frame, rows and broken lines of the decoding path."""
    body = "Export\n\nOrganisatie;Uren\nGemeente;1.234,5\n\nx;1;2\n;\nWelzijn;\n"
    ascii_file = tmp_path / "a.csv"
    ascii_file.write_bytes(body.encode("ascii"))
    crlf_file = tmp_path / "b.csv"  # \r\n takes the decoding path
    crlf_file.write_bytes(body.replace("\n", "\r\n").encode(encoding))
    fast = read_csv_source(ascii_file, header_row=3, encoding=encoding)
    slow = read_csv_source(crlf_file, header_row=3, encoding=encoding)
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.rows.tolist() == slow.rows.tolist() == [4, 8]
    assert fast.broken == slow.broken == [(6, "x;1;2", "expected 2 fields, saw 3")]


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


def test_number_columns_are_read_once_and_spare_the_identifier_check():
    from netwerkonderzoek.harmonise.convert import _Columns
    from netwerkonderzoek.privacy import detect_identifiers

    frame = pd.DataFrame(
        {"Uren": ["1.234,5", "12", "-3,25", "123456789"], "Tel": ["0612345678"] * 4}
    )
    columns = _Columns(frame, {"Uren": (",", ".", True)})
    harmless = columns.harmless["Uren"]
    assert harmless.tolist() == [True, True, True, False]  # 9 digits: looked at again
    assert columns.numbers("Uren") is columns.numbers("Uren")
    found = detect_identifiers(frame, factorized=columns, harmless=columns.harmless)
    assert found.to_dict("records") == [{"column": "Tel", "kind": "phone", "values": 4}]
    # The same verdict as without the shared numbers.
    pd.testing.assert_frame_equal(found, detect_identifiers(frame))
    # Unusual separators are not trusted to be harmless.
    assert _Columns(frame, {"Uren": ("x", "", True)}).harmless == {}


@pytest.mark.parametrize(("decimal", "thousands"), SEPARATORS)
def test_signed_zero_is_zero_on_both_paths(decimal, thousands):
    """``-0`` once came out as -0.0 on the fast path and 0.0 on the general one."""
    cells = np.array(["-0", "+0", "-0" + decimal + "0", "0", "-00"], dtype=object)
    slow_values, slow_bad = _parse_distinct(
        pd.Series(cells, dtype=object), decimal, thousands, True
    )
    values, bad = parse_distinct_numbers(cells, decimal, thousands, True)
    for found in (values, slow_values):
        assert found.tolist() == [0.0] * 5
        assert not np.signbit(found).any()
    assert not bad.any() and not slow_bad.any()
