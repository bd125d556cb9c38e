"""Property tests: random corruptions of a raw CSV never lose a row silently.

Every data line of the file with any value in it must come out either as an
accepted canonical row (its line in the provenance) or in the quarantine
table (as quarantined, a duplicate or a total), and the report's counts
reconcile: read = accepted + quarantined + duplicates + totals.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netwerkonderzoek.config import NetworkConfig
from netwerkonderzoek.harmonise import HarmoniseError, harmonise_network

PARTNERS = """\
network_id,partner_id,name,kind,sector,joined,left
tiny,gemeente,Gemeente Noordstad,municipality,public,2020-01-01,
tiny,welzijn,Welzijn Klein,welfare,welfare,2020-01-01,
"""
HEADER = "Organisatie;Maand;Activiteit;Uren;Kosten;Waardesoort"
GOOD = [
    f"{org};{month} 2024;{act};{hours};{costs};{vt}"
    for org, month, act, hours, costs, vt in [
        ("Gemeente Noordstad", "jan", "overleg", "1,5", "1.250,00", "netwerk"),
        ("Gemeente Noordstad", "feb", "overleg", "2", "95", "netwerk"),
        ("Welzijn Klein", "jan", "uitvoering", "12,25", "857,5", "maatschappelijk"),
        ("Welzijn Klein", "mrt", "uitvoering", "0,5", "35", "maatschappelijk"),
        ("Welzijn Klein", "apr", "overleg", "3", "1.210", "partner"),
        ("Gemeente Noordstad", "mei", "eigen-organisatie", "4,75", "451,25", "partner"),
    ]
]
CONFIG = {
    "network_id": "tiny",
    "name": "Klein",
    "mission": "m",
    "task": "t",
    "study": {"start": "2024-01", "end": "2024-12", "waves": [{"wave": 1, "date": "2024-03-01"}]},
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
                "value_type": "Waardesoort",
            },
            "partner_names": {"Gemeente Noordstad": "gemeente", "Welzijn Klein": "welzijn"},
            "values": {
                "value_type": {
                    "maatschappelijk": "societal",
                    "netwerk": "network",
                    "partner": "partner",
                }
            },
            "period_format": "month_name",
        }
    ],
}

# No quotes or line breaks: a CSV line stays one line (row numbers are lines).
TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(list("abcXYZ019 ,.-;€éë%+")), max_size=12),
    st.sampled_from(["Totaal", "nan", "jan 2024", "Q1 2024", "-1", "1.2,5", "Welzijn Klein"]),
)


@st.composite
def corrupted(draw) -> list[str]:
    lines = list(GOOD)
    for _ in range(draw(st.integers(0, 6))):
        action = draw(
            st.sampled_from(["cell", "drop", "extra", "insert", "dup", "total", "blank", "swap"])
        )
        i = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if not lines and action not in ("insert", "total", "blank"):
            continue
        if action == "cell":
            cells = lines[i].split(";")
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = draw(TEXT)
            lines[i] = ";".join(cells)
        elif action == "drop":
            cells = lines[i].split(";")
            del cells[draw(st.integers(0, len(cells) - 1))]
            lines[i] = ";".join(cells)
        elif action == "extra":
            lines[i] = lines[i] + ";" + draw(TEXT)
        elif action == "insert":
            lines.insert(i, draw(TEXT))
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "total":
            lines.append(f"Totaal;;;{draw(TEXT)};;")
        elif action == "blank":
            lines.insert(i, "")
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return lines


def _setup(root: Path) -> NetworkConfig:
    (root / "tiny").mkdir(parents=True, exist_ok=True)
    (root / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    (root / "raw" / "tiny").mkdir(parents=True, exist_ok=True)
    return NetworkConfig.model_validate(CONFIG)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=corrupted())
def test_no_row_is_lost_without_a_quarantine_entry(tmp_path, lines):
    config = _setup(tmp_path)
    text = "\n".join([HEADER, *lines]) + "\n"
    (tmp_path / "raw" / "tiny" / "uren.csv").write_text(text, encoding="utf-8")
    try:
        result = harmonise_network(config, tmp_path, write=False)
    except HarmoniseError as exc:
        # Only an ambiguous period may stop the run (a corrupted cell reading
        # as a quarter, which the source does not declare); it names the key.
        assert exc.key in ("sources.0.quarter", "sources.0.period_format"), str(exc)
        return
    # Lines with any value in them (line 1 is the header).
    expected = {
        n for n, line in enumerate(text.splitlines(), 1) if n > 1 and line.replace(";", "")
    }
    accepted = set(result.provenance["contributions"]["source_row"])
    q = result.quarantine
    not_accepted = set(q["source_row"])
    assert accepted | not_accepted == expected
    assert not accepted & not_accepted
    assert len(q) == len(not_accepted)  # one entry per row
    assert set(q["status"]) <= {"quarantined", "duplicate", "total"}
    assert q["reason"].str.len().gt(0).all()
    r = result.report.iloc[0]
    assert r["rows_read"] == len(expected)
    assert r["rows_read"] == r["accepted"] + r["quarantined"] + r["duplicates"] + r["totals"]
    assert r["accepted"] == len(accepted)
    assert len(result.tables["contributions"]) == len(accepted)


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8-sig"])
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=60))
def test_random_bytes_after_the_header_are_read_or_an_error(tmp_path, encoding, data):
    config = _setup(tmp_path)
    spec = {**CONFIG["sources"][0], "encoding": encoding}
    config = NetworkConfig.model_validate({**CONFIG, "sources": [spec]})
    (tmp_path / "raw" / "tiny" / "uren.csv").write_bytes((HEADER + "\n").encode() + data)
    try:
        result = harmonise_network(config, tmp_path, write=False)
    except HarmoniseError as exc:
        assert exc.key and exc.key.startswith("sources.0"), str(exc)
        return
    r = result.report.iloc[0]
    assert r["rows_read"] == r["accepted"] + r["quarantined"] + r["duplicates"] + r["totals"]
