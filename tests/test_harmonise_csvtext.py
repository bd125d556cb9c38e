"""csv_text writes what DataFrame.to_csv writes, byte for byte."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netwerkonderzoek.harmonise.csvtext import csv_text


def _pandas(frame: pd.DataFrame) -> str:
    from netwerkonderzoek.tables import csv_quoting

    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", quoting=csv_quoting(frame))
    return buffer.getvalue()


def test_a_lone_carriage_return_stays_in_its_cell():
    frame = pd.DataFrame({"a": ["x\ry", "z"], "b": [1, 2]})
    back = pd.read_csv(io.StringIO(csv_text(frame)))
    assert back["a"].tolist() == ["x\ry", "z"] and back["b"].tolist() == [1, 2]


TEXT = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.text(alphabet=st.sampled_from(list("ab ,;\"\n\r\t'=é€0.-")), max_size=6),
)
FLOATS = st.one_of(
    st.just(float("nan")),
    st.floats(allow_nan=False, allow_infinity=True, width=64),
    st.sampled_from([0.0, -0.0, 0.1, 1e-05, 1e16, 123456789.123, 2.5, -3.0]),
)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(0, 8),
    data=st.data(),
)
def test_csv_text_equals_to_csv(n, data):
    columns = {
        "text": data.draw(st.lists(TEXT, min_size=n, max_size=n)),
        "number": data.draw(st.lists(FLOATS, min_size=n, max_size=n)),
        "count": pd.array(
            data.draw(
                st.lists(
                    st.one_of(st.none(), st.integers(-(10**12), 10**12)), min_size=n, max_size=n
                )
            ),
            dtype="Int64",
        ),
        "row": np.arange(n, dtype=np.int64),
    }
    frame = pd.DataFrame(columns)
    frame["label"] = frame["text"].astype("str") if n and data.draw(st.booleans()) else "x"
    assert csv_text(frame) == _pandas(frame)


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"only": ["a", None, ""]}),  # one column: an empty field is quoted
        pd.DataFrame({"a": [pd.Timestamp("2024-01-01")], "b": ["x"]}),  # dates: pandas itself
        pd.DataFrame({"a": [True, False], "b": ["x", "y"]}),
        pd.DataFrame({"a,b": ["x"], 'say "hi"': ["y"]}),  # headers that need quotes
        pd.DataFrame({"a": [1, "x"], "b": ["x", "y"]}),  # mixed object column
        pd.DataFrame(columns=["a", "b"]),
    ],
)
def test_csv_text_edge_cases(frame):
    assert csv_text(frame) == _pandas(frame)
