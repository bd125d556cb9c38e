"""Tests for netwerkonderzoek.harmonise.qda: coded interviews become observations.

Every file is built inline in the shape of its tool (no downloads): a MAXQDA
"Overzicht gecodeerde segmenten" workbook with Dutch headers and real date
cells, ATLAS.ti- and NVivo-like layouts, and REFI-QDA ``.qdpx`` projects
written with zipfile.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from netwerkonderzoek.config import NetworkConfig
from netwerkonderzoek.harmonise import harmonise_network
from netwerkonderzoek.tables import read_table

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
}

CODEBOOK = {
    "codes": {
        "CMO1\\Overzicht en rust": {"cmo": "cmo-01", "direction": "supports"},
        "CMO1\\Geen rust": {"cmo": "cmo-01", "direction": "contradicts"},
        "CMO2\\Werkt elders": {"cmo": "cmo-02", "direction": "refines"},
        "Waarde\\Maatschappelijk": {"code": "societal"},
    }
}

MAXQDA_HEADER = [
    "Kleur",
    "Documentgroep",
    "Documentnaam",
    "Code",
    "Begin",
    "Einde",
    "Segment",
    "Gewicht",
    "Gemaakt door",
    "Aangemaakt op",
]
RUST = "Door het plan heb ik overzicht en rust."
ELDERS = "Bij de buren werkte het beter."


def xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def maxqda_rows() -> list[list]:
    when = dt.datetime(2024, 5, 2, 10, 30)
    return [
        MAXQDA_HEADER,
        # one segment, three codes: three rows
        [
            "#ff0000",
            "Bewoners",
            "Interview 1",
            "CMO1\\Overzicht en rust",
            3,
            4,
            RUST,
            0,
            "JV",
            when,
        ],
        ["#ff0000", "Bewoners", "Interview 1", "CMO2\\Werkt elders", 3, 4, RUST, 0, "JV", when],
        [
            "#00ff00",
            "Bewoners",
            "Interview 1",
            "Waarde\\Maatschappelijk",
            3,
            4,
            RUST,
            0,
            "JV",
            when,
        ],
        ["#ff0000", "Partners", "Interview 2", "CMO1\\Geen rust", 7, 7, ELDERS, 0, "JV", when],
    ]


def documents_rows() -> list[list]:
    return [
        ["Document", "Datum", "Rol", "Organisatie"],
        ["Interview 1", dt.datetime(2024, 3, 14), "Bewoner", None],
        ["Interview 2", dt.datetime(2024, 4, 2), "partner", "Welzijn Klein"],
    ]


@pytest.fixture
def network(tmp_path):
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    return tmp_path, raw


def source(**extra) -> dict:
    spec = {
        "file": "segmenten.xlsx",
        "table": "observations",
        "values": {"source_role": {"Bewoner": "resident"}},
        "partner_names": {"Welzijn Klein": "welzijn"},
        "coded_segments": {
            "tool": "maxqda",
            "documents": {
                "file": "documenten.xlsx",
                "columns": {
                    "document": "Document",
                    "date": "Datum",
                    "source_role": "Rol",
                    "partner_id": "Organisatie",
                },
            },
        },
    }
    spec.update(extra)
    return spec


def plain(frame: pd.DataFrame) -> list[dict]:
    """Records with missing values as None."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def config(*sources, codebook=CODEBOOK) -> NetworkConfig:
    return NetworkConfig.model_validate({**BASE, "sources": list(sources), "codebook": codebook})


def test_maxqda_segment_with_three_codes_is_one_observation(network):
    data, raw = network
    (raw / "segmenten.xlsx").write_bytes(xlsx(maxqda_rows()))
    (raw / "documenten.xlsx").write_bytes(xlsx(documents_rows()))
    result = harmonise_network(config(source()), data)
    obs = result.tables["observations"]
    assert plain(obs.drop(columns="text")) == [
        {
            "network_id": "tiny",
            "observation_id": "interview-1-3-4",
            "date": "2024-03-14",
            "source_role": "resident",
            "partner_id": None,
            "codes": "cmo-01;cmo-02;societal",
            "sentiment": None,
            "stance": "cmo-01:supports;cmo-02:refines",
        },
        {
            "network_id": "tiny",
            "observation_id": "interview-2-7-7",
            "date": "2024-04-02",
            "source_role": "partner",
            "partner_id": "welzijn",
            "codes": "cmo-01",
            "sentiment": None,
            "stance": "cmo-01:contradicts",
        },
    ]
    assert obs["text"].tolist() == [RUST, ELDERS]
    report = result.report.iloc[0]
    assert (report["format"], report["rows_read"], report["accepted"]) == ("xlsx", 4, 4)
    assert report["canonical_rows"] == 2
    written = read_table("observations", data / "tiny" / "observations.csv")
    assert written["stance"].tolist() == ["cmo-01:supports;cmo-02:refines", "cmo-01:contradicts"]
    provenance = result.provenance["observations"]
    assert provenance["source_row"].tolist() == [2, 5]
