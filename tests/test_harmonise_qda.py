"""Tests for netwerkonderzoek.harmonise.qda: coded interviews become observations.

Every file is built inline in the shape of its tool (no downloads): a MAXQDA
"Overzicht gecodeerde segmenten" workbook with Dutch headers and real date
cells, ATLAS.ti- and NVivo-like layouts, and REFI-QDA ``.qdpx`` projects
written with zipfile.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest

from netwerkonderzoek.config import NetworkConfig
from netwerkonderzoek.harmonise import HarmoniseError, harmonise_network
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


def write_maxqda(raw, rows=None, docs=None):
    (raw / "segmenten.xlsx").write_bytes(xlsx(rows or maxqda_rows()))
    (raw / "documenten.xlsx").write_bytes(xlsx(docs or documents_rows()))


def test_refines_counts_as_refining_not_as_support(network):
    from netwerkonderzoek.stats import observation_counts

    data, raw = network
    write_maxqda(raw)
    obs = harmonise_network(config(source()), data).tables["observations"]
    counts = observation_counts(obs, by=None).set_index("cmo_id")
    # cmo-01: one supports (interview 1), one contradicts (interview 2); cmo-02: one refines
    assert counts.loc["cmo-01", ["n_supporting", "n_contradicting", "n_refining"]].tolist() == [
        1,
        1,
        0,
    ]
    assert counts.loc["cmo-02", ["n_supporting", "n_contradicting", "n_refining"]].tolist() == [
        0,
        0,
        1,
    ]


def test_unmapped_code_is_quarantined_and_counted(network):
    data, raw = network
    rows = maxqda_rows()
    rows.append(["", "Bewoners", "Interview 1", "Overig\\Weer", 3, 4, RUST, 0, "JV", None])
    write_maxqda(raw, rows)
    result = harmonise_network(config(source()), data)
    assert result.tables["observations"]["codes"].tolist() == ["cmo-01;cmo-02;societal", "cmo-01"]
    q = result.quarantine
    assert q[["source_row", "status", "kind"]].values.tolist() == [
        [6, "quarantined", "unmapped code"]
    ]
    assert q["reason"].iloc[0] == (
        "document 'Interview 1': code 'Overig\\\\Weer' is not in the code book "
        "(codebook.codes); known codes: 'CMO1\\\\Geen rust', 'CMO1\\\\Overzicht en rust', "
        "'CMO2\\\\Werkt elders', 'Waarde\\\\Maatschappelijk'"
    )
    report = result.report.iloc[0]
    assert (report["rows_read"], report["accepted"], report["quarantined"]) == (5, 4, 1)
    assert report["reasons"] == "unmapped code: 1"


def test_unmapped_code_kept_or_refused_by_the_code_book(network):
    data, raw = network
    rows = maxqda_rows()
    rows.append(["", "Bewoners", "Interview 1", "Overig\\Weer", 3, 4, RUST, 0, "JV", None])
    write_maxqda(raw, rows)
    keep = {**CODEBOOK, "unmapped": "keep"}
    result = harmonise_network(config(source(), codebook=keep), data)
    assert result.tables["observations"]["codes"].iloc[0] == "cmo-01;cmo-02;societal;Overig\\Weer"
    assert result.report["conversions"].iloc[0] == "unmapped codes kept as plain codes: 1"
    refuse = {**CODEBOOK, "unmapped": "error"}
    with pytest.raises(HarmoniseError) as err:
        harmonise_network(config(source(), codebook=refuse), data, write=False)
    assert str(err.value).endswith(
        "segmenten.xlsx: row 6, document 'Interview 1': code 'Overig\\\\Weer' is not in the "
        "code book (codebook.codes); known codes: 'CMO1\\\\Geen rust', "
        "'CMO1\\\\Overzicht en rust', 'CMO2\\\\Werkt elders', 'Waarde\\\\Maatschappelijk'"
    )
    assert err.value.key == "codebook.codes"


def test_sub_code_takes_its_parents_entry_and_conflicts_are_quarantined(network):
    data, raw = network
    rows = [
        *maxqda_rows()[:2],
        ["", "Bewoners", "Interview 1", "CMO1\\Geen rust\\Te druk", 3, 4, RUST, 0, "JV", None],
        [
            "",
            "Bewoners",
            "Interview 1",
            "CMO1\\Overzicht en rust\\Thuis",
            9,
            9,
            "Thuis rust.",
            0,
            "JV",
            None,
        ],
    ]
    write_maxqda(raw, rows)
    result = harmonise_network(config(source()), data, write=False)
    obs = result.tables["observations"]
    assert obs[["observation_id", "stance"]].values.tolist() == [
        ["interview-1-9-9", "cmo-01:supports"]
    ]
    q = result.quarantine
    assert q["source_row"].tolist() == [2, 3]
    assert set(q["kind"]) == {"conflicting directions"}
    assert q["reason"].iloc[0] == (
        "document 'Interview 1': the segment gives cmo-01 contradicts (code "
        "'CMO1\\\\Geen rust\\\\Te druk') and supports (code 'CMO1\\\\Overzicht en rust'); "
        "code one direction per configuration"
    )


def test_document_without_date_or_role_quarantines_its_segments(network):
    data, raw = network
    docs = [*documents_rows()[:2], ["Interview 2", None, None, None]]
    write_maxqda(raw, docs=docs)
    result = harmonise_network(config(source()), data, write=False)
    assert result.tables["observations"]["observation_id"].tolist() == ["interview-1-3-4"]
    q = result.quarantine
    assert q[["source_row", "kind"]].values.tolist() == [[5, "document attributes"]]
    assert q["reason"].iloc[0] == (
        "document 'Interview 2' has no date and no source_role: expected date and "
        "source_role in the document table documenten.xlsx (or under sources.0.constants)"
    )


def test_segment_text_is_masked_and_formula_text_quarantined(network):
    data, raw = network
    rows = [
        *maxqda_rows()[:2],
        [
            "",
            "Bewoners",
            "Interview 1",
            "CMO1\\Geen rust",
            8,
            8,
            "Bel me op 06-12345678 als het weer misgaat.",
            0,
            "JV",
            None,
        ],
        ["", "Bewoners", "Interview 1", "CMO1\\Geen rust", 9, 9, "@HYPERLINK(1)", 0, "JV", None],
    ]
    write_maxqda(raw, rows)
    result = harmonise_network(config(source()), data, write=False)
    texts = result.tables["observations"]["text"].tolist()
    assert texts == [RUST, "Bel me op [telefoonnummer] als het weer misgaat."]
    assert result.report["masked_identifiers"].iloc[0] == "phone: 1"
    q = result.quarantine
    assert q[["source_row", "kind"]].values.tolist() == [[4, "formula"]]
    assert q["raw"].iloc[0].startswith(";Bewoners;Interview 1;CMO1\\Geen rust;9;9;@HYPERLINK")


def test_missing_preset_column_names_the_candidates(network):
    data, raw = network
    rows = [[h if h != "Segment" else "Tekstje" for h in MAXQDA_HEADER], *maxqda_rows()[1:]]
    write_maxqda(raw, rows)
    with pytest.raises(HarmoniseError) as err:
        harmonise_network(config(source()), data, write=False)
    assert "no text column: the maxqda preset looks for 'Segment', 'Gecodeerd segment', " in str(
        err.value
    )
    spec = source()
    spec["coded_segments"] = {**spec["coded_segments"], "columns": {"text": "Tekstje"}}
    result = harmonise_network(config(spec), data, write=False)
    assert len(result.tables["observations"]) == 2


ATLAS = [
    ["ID", "Citaat", "Document", "Codes", "Referentie"],
    ["1:1", RUST, "Interview 1", "CMO1\\Overzicht en rust\nWaarde\\Maatschappelijk", "¶ 3 – 4"],
    ["2:1", ELDERS, "Interview 2", "CMO1\\Geen rust", "¶ 7"],
]
NVIVO = [
    ["Knooppunt", "Bestand", "Referentie", "Gecodeerde tekst"],
    ["Codes\\CMO1\\Overzicht en rust", "Interview 1", "Referentie 1", RUST],
    ["Codes\\Waarde\\Maatschappelijk", "Interview 1", "Referentie 1", RUST],
    ["Codes\\CMO1\\Geen rust", "Interview 2", "Referentie 1", ELDERS],
]


@pytest.mark.parametrize(
    ("tool", "rows", "ids"),
    [
        ("atlasti", ATLAS, ["interview-1-3-4", "interview-2-7"]),
        ("nvivo", NVIVO, ["interview-1-referentie-1", "interview-2-referentie-1"]),
    ],
)
def test_atlasti_and_nvivo_layouts_by_preset(network, tool, rows, ids):
    data, raw = network
    write_maxqda(raw, rows)
    spec = source()
    spec["coded_segments"] = {**spec["coded_segments"], "tool": tool}
    book = (
        CODEBOOK
        if tool == "atlasti"
        else {"codes": {f"Codes\\{k}": v for k, v in CODEBOOK["codes"].items()}}
    )
    obs = harmonise_network(config(spec, codebook=book), data, write=False).tables["observations"]
    assert obs[["observation_id", "codes", "stance"]].values.tolist() == [
        [ids[0], "cmo-01;societal", "cmo-01:supports"],
        [ids[1], "cmo-01", "cmo-01:contradicts"],
    ]


DOC1 = "Vraag: hoe gaat het?\nHet plan geeft me overzicht en rust, écht."
DOC2 = "Bij de buren werkte het beter dan hier."
NS = "urn:QDA-XML:project:1.0"


def qde(namespace=NS, code_ref="c-rust", end=None) -> str:
    start1 = DOC1.index("Het plan")
    end1 = len(DOC1) if end is None else end
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{namespace}" name="Interviews" origin="test">
  <Users><User guid="u1" name="JV"/></Users>
  <CodeBook><Codes>
    <Code guid="c-cmo1" name="CMO1" isCodable="false">
      <Code guid="c-rust" name="Overzicht en rust" isCodable="true"/>
      <Code guid="c-geen" name="Geen rust" isCodable="true"/>
    </Code>
    <Code guid="c-cmo2" name="CMO2" isCodable="false">
      <Code guid="c-elders" name="Werkt elders" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="v-datum" name="Datum" typeOfVariable="Date"/>
    <Variable guid="v-rol" name="Rol" typeOfVariable="Text"/>
    <Variable guid="v-org" name="Organisatie" typeOfVariable="Text"/>
  </Variables>
  <Cases>
    <Case guid="k1" name="Bewoner A">
      <VariableValue><VariableRef targetGUID="v-rol"/><TextValue>Bewoner</TextValue></VariableValue>
      <SourceRef targetGUID="s1"/>
    </Case>
    <Case guid="k2" name="Welzijn">
      <VariableValue><VariableRef targetGUID="v-rol"/><TextValue>partner</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="v-org"/><TextValue>Welzijn Klein</TextValue></VariableValue>
      <SourceRef targetGUID="s2"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="s1" name="Interview 1" plainTextPath="internal://s1.txt">
      <PlainTextSelection guid="p1" startPosition="{start1}" endPosition="{end1}">
        <Coding guid="k-1"><CodeRef targetGUID="{code_ref}"/></Coding>
        <Coding guid="k-2"><CodeRef targetGUID="c-elders"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="p-uncoded" startPosition="0" endPosition="5"/>
      <VariableValue><VariableRef targetGUID="v-datum"/><DateValue>2024-03-14</DateValue></VariableValue>
    </TextSource>
    <TextSource guid="s2" name="Interview 2" plainTextPath="internal://s2.txt">
      <PlainTextSelection guid="p2" startPosition="0" endPosition="{len(DOC2)}">
        <Coding guid="k-3"><CodeRef targetGUID="c-geen"/></Coding>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="v-datum"/><DateValue>2024-04-02T00:00:00</DateValue></VariableValue>
    </TextSource>
  </Sources>
</Project>
"""


def write_qdpx(path, project: str | None, sources=True) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        if project is not None:
            archive.writestr("project.qde", project)
        if sources:
            archive.writestr("Sources/s1.txt", DOC1)
            archive.writestr("Sources/s2.txt", DOC2)


def qdpx_source() -> dict:
    return {
        "file": "interviews.qdpx",
        "table": "observations",
        "values": {"source_role": {"Bewoner": "resident"}},
        "partner_names": {"Welzijn Klein": "welzijn"},
        "coded_segments": {
            "tool": "qdpx",
            "id_prefix": "qda-",
            "variables": {"date": "Datum", "source_role": "Rol", "partner_id": "Organisatie"},
        },
    }


def test_qdpx_project_gives_observations_with_case_variables(network):
    data, raw = network
    write_qdpx(raw / "interviews.qdpx", qde())
    result = harmonise_network(config(qdpx_source()), data)
    obs = result.tables["observations"]
    start = DOC1.index("Het plan")
    assert plain(obs) == [
        {
            "network_id": "tiny",
            "observation_id": f"qda-interview-1-{start}-{len(DOC1)}",
            "date": "2024-03-14",
            "source_role": "resident",
            "partner_id": None,
            "text": "Het plan geeft me overzicht en rust, écht.",
            "codes": "cmo-01;cmo-02",
            "sentiment": None,
            "stance": "cmo-01:supports;cmo-02:refines",
        },
        {
            "network_id": "tiny",
            "observation_id": f"qda-interview-2-0-{len(DOC2)}",
            "date": "2024-04-02",
            "source_role": "partner",
            "partner_id": "welzijn",
            "text": DOC2,
            "codes": "cmo-01",
            "sentiment": None,
            "stance": "cmo-01:contradicts",
        },
    ]
    report = result.report.iloc[0]
    assert (report["format"], report["source_sheet"], report["rows_read"], report["accepted"]) == (
        "qdpx",
        "project.qde",
        3,
        3,
    )
    assert result.provenance["observations"]["source_row"].tolist() == [1, 3]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda p: write_qdpx(p, None),
            "no project.qde in the zip (REFI-QDA keeps the project there); it holds "
            "'Sources/s1.txt', 'Sources/s2.txt'",
        ),
        (
            lambda p: write_qdpx(p, qde(namespace="urn:other")),
            "project.qde's root element is '{urn:other}Project'; expected Project in namespace "
            "urn:QDA-XML:project:1.0",
        ),
        (
            lambda p: write_qdpx(p, qde(code_ref="c-nope")),
            "TextSource 'Interview 1', PlainTextSelection 'p1', Coding 'k-1': refers to code "
            "'c-nope', which the CodeBook does not define",
        ),
        (
            lambda p: write_qdpx(p, qde(end=len(DOC1) + 5)),
            f"TextSource 'Interview 1', PlainTextSelection 'p1': positions "
            f"{DOC1.index('Het plan')}-{len(DOC1) + 5} lie outside the document's {len(DOC1)} "
            f"characters; expected 0 <= start <= end <= {len(DOC1)}",
        ),
        (
            lambda p: write_qdpx(p, qde(), sources=False),
            "TextSource 'Interview 1': its text 'internal://s1.txt' is not in the project; "
            "expected PlainTextContent or plainTextPath internal://<file> with the file in "
            "Sources/",
        ),
        (
            lambda p: write_qdpx(p, qde()[:-20]),
            "project.qde is not well-formed XML (unclosed token: line 44, column 2)",
        ),
        (
            lambda p: write_qdpx(
                p, qde().replace('"v-rol"/><TextValue>Bewoner', '"v-x"/><TextValue>Bewoner')
            ),
            "a VariableValue of 'Bewoner A' refers to variable 'v-x', which Variables does "
            "not define",
        ),
        (
            lambda p: write_qdpx(p, qde().replace('endPosition="5"', 'endPosition="vijf"')),
            "TextSource 'Interview 1', PlainTextSelection 'p-uncoded': startPosition and "
            "endPosition must be whole numbers",
        ),
        (
            lambda p: p.write_bytes(b"not a zip"),
            "not a zip file: a .qdpx project is a zip holding project.qde",
        ),
        (
            lambda p: write_qdpx(
                p, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Project/>'
            ),
            "project.qde declares a DOCTYPE or entities, which a project never needs",
        ),
    ],
)
def test_qdpx_not_following_the_schema_is_refused(network, build, message):
    data, raw = network
    build(raw / "interviews.qdpx")
    with pytest.raises(HarmoniseError) as err:
        harmonise_network(config(qdpx_source()), data, write=False)
    assert str(err.value) == (f"key 'sources.0.file', source {raw / 'interviews.qdpx'}: {message}")


def test_qdpx_document_text_may_be_inside_the_project(network):
    data, raw = network
    inline = f"><PlainTextContent>{DOC2}</PlainTextContent>"
    with zipfile.ZipFile(raw / "interviews.qdpx", "w") as archive:
        archive.writestr(
            "project.qde", qde().replace(' plainTextPath="internal://s2.txt">', inline)
        )
        archive.writestr("Sources/s1.txt", DOC1)
    obs = harmonise_network(config(qdpx_source()), data, write=False).tables["observations"]
    assert obs[["observation_id", "text"]].values.tolist() == [
        [f"qda-interview-1-{DOC1.index('Het plan')}-{len(DOC1)}", DOC1[DOC1.index("Het plan") :]],
        [f"qda-interview-2-0-{len(DOC2)}", DOC2],
    ]


def test_a_repeated_code_is_a_duplicate_and_another_text_at_the_same_positions_is_numbered(
    network,
):
    from netwerkonderzoek.harmonise.qda import convert_coded_source

    _, raw = network
    rows = maxqda_rows()
    rows.append(
        ["", "Bewoners", "Interview 1", "CMO1\\Overzicht en rust", 3, 4, RUST, 0, "JV", None]
    )
    rows.append(
        ["", "Bewoners", "Interview 1", "CMO2\\Werkt elders", 3, 4, "Iets anders.", 0, "JV", None]
    )
    write_maxqda(raw, rows)
    coded = convert_coded_source(config(source()), 0, raw, {"gemeente", "welzijn"})
    inverse, uniques = coded.codes["observation_id"]  # factorized
    assert [uniques[i] for i in inverse] == [
        "interview-1-3-4",
        "interview-2-7-7",
        "interview-1-3-4-2",
    ]
    assert (coded.rows_read, coded.n_accepted, coded.raw_rows) == (6, 3, 5)
    assert coded.rejected[["source_row", "status", "kind", "reason"]].values.tolist() == [
        [
            6,
            "duplicate",
            "exact duplicate",
            "repeats row 2: same segment and code 'CMO1\\\\Overzicht en rust'",
        ]
    ]


def test_documents_whose_names_give_one_id_prefix_are_refused(network):
    data, raw = network
    rows = maxqda_rows()
    rows.append(["", "Bewoners", "interview-1", "CMO2\\Werkt elders", 8, 9, ELDERS, 0, "JV", None])
    docs = [*documents_rows(), ["interview-1", dt.datetime(2024, 3, 15), "Bewoner", None]]
    write_maxqda(raw, rows, docs)
    with pytest.raises(HarmoniseError) as err:
        harmonise_network(config(source()), data, write=False)
    assert str(err.value) == (
        f"key 'sources.0.file', source {raw / 'segmenten.xlsx'}: documents 'Interview 1' and "
        "'interview-1' give the same observation id prefix 'interview-1'; rename one in the tool"
    )


def test_observations_need_a_sentiment_or_a_stance(tmp_path):
    from netwerkonderzoek.tables import validate_frame

    frame = pd.DataFrame(
        {
            "network_id": "tiny",
            "observation_id": ["a", "b", "c"],
            "date": "2024-01-01",
            "source_role": "resident",
            "partner_id": None,
            "text": "t",
            "codes": "cmo-01",
            "sentiment": [None, 0.5, None],
            "stance": ["cmo-01:supports", None, "cmo-01:fine"],
        }
    )
    _, faults = validate_frame(frame, "observations", source="obs.csv")
    assert [(f.row, f.column, f.message) for f in faults] == [
        (
            4,
            "stance",
            "got 'cmo-01:fine'; expected id:direction entries separated by ';' with a "
            "direction of supports, contradicts, refines or neutral",
        )
    ]
    _, faults = validate_frame(frame.drop(columns="stance"), "observations", source="obs.csv")
    assert [(f.row, f.column) for f in faults] == [(2, "sentiment"), (4, "sentiment")]
    assert faults[0].message == (
        "value is missing; expected a number from -1 to 1, or a stance "
        "(cmo-01:supports;cmo-02:refines)"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"codebook": {"codes": {"CMO1": {"direction": "supports"}}}},
            "a code book entry needs cmo (a configuration id) or code (or both)",
        ),
        (
            {"codebook": {"codes": {"CMO1": {"code": "societal", "direction": "refines"}}}},
            "direction 'refines' needs cmo: the configuration it is about",
        ),
        (
            {"sources": [{**source(), "table": "events"}]},
            "coded_segments feed table observations, not events",
        ),
        (
            {"sources": [{**source(), "columns": {"text": "Segment"}}]},
            "'text' is made from the coded segments; map segment fields under "
            "coded_segments.columns",
        ),
        (
            {
                "sources": [
                    {**qdpx_source(), "coded_segments": {"tool": "qdpx", "columns": {"text": "x"}}}
                ]
            },
            "columns are for tabular exports; a qdpx project has no columns",
        ),
    ],
)
def test_coded_segment_settings_are_checked(tmp_path, data, message):
    import yaml

    from netwerkonderzoek.config import load_config
    from netwerkonderzoek.exceptions import ConfigError

    (tmp_path / "networks").mkdir()
    (tmp_path / "networks" / "tiny.yaml").write_text(
        yaml.safe_dump({**BASE, **data}, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(ConfigError) as err:
        load_config("tiny", tmp_path)
    assert message in str(err.value)


def test_a_changed_document_table_needs_harmonising(network):
    from netwerkonderzoek.harmonise import needs_harmonisation

    data, raw = network
    write_maxqda(raw)
    settings = config(source())
    harmonise_network(settings, data)
    assert not needs_harmonisation(settings, data)
    docs = documents_rows()
    docs[1][1] = dt.datetime(2024, 3, 15)
    (raw / "documenten.xlsx").write_bytes(xlsx(docs))
    assert needs_harmonisation(settings, data)
    other = config(source(), codebook={**CODEBOOK, "unmapped": "keep"})
    harmonise_network(settings, data)
    assert needs_harmonisation(other, data)  # the code book is part of the settings


def test_parent_code_without_direction_yields_and_atlas_cells_count_per_code(network):
    data, raw = network
    rows = [
        ["ID", "Citaat", "Document", "Codes", "Referentie"],
        ["1:1", RUST, "Interview 1", "CMO1\nCMO1\\Overzicht en rust\nOverig", "¶ 3"],
        ["1:2", ELDERS, "Interview 1", " \n ", "¶ 5"],
    ]
    write_maxqda(raw, rows)
    spec = source()
    spec["coded_segments"] = {**spec["coded_segments"], "tool": "atlasti"}
    book = {"codes": {**CODEBOOK["codes"], "CMO1": {"cmo": "cmo-01"}}}
    result = harmonise_network(config(spec, codebook=book), data, write=False)
    obs = result.tables["observations"]
    assert obs[["observation_id", "codes", "stance"]].values.tolist() == [
        ["interview-1-3", "cmo-01", "cmo-01:supports"]
    ]
    q = result.quarantine
    assert q[["source_row", "kind"]].values.tolist() == [
        [2, "unmapped code"],
        [3, "missing value"],
    ]
    assert q["reason"].iloc[1] == "column 'Codes' (code) is empty"
    report = result.report.iloc[0]
    # segment x code: row 2 lists three codes, row 3 none
    assert (report["rows_read"], report["accepted"], report["quarantined"]) == (4, 2, 2)


def test_coded_and_plain_observation_sources_combine(network):
    data, raw = network
    write_maxqda(raw)
    (raw / "verslagen.csv").write_text(
        "Nr;Datum;Rol;Tekst;Codes;Sentiment\nv1;01-02-2024;partner;Goed overleg.;cmo-01;0,6\n",
        encoding="utf-8",
    )
    plain_source = {
        "file": "verslagen.csv",
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
    result = harmonise_network(config(plain_source, source()), data)
    obs = read_table("observations", data / "tiny" / "observations.csv")
    assert plain(obs[["observation_id", "sentiment", "stance"]]) == [
        {
            "observation_id": "interview-1-3-4",
            "sentiment": None,
            "stance": "cmo-01:supports;cmo-02:refines",
        },
        {"observation_id": "interview-2-7-7", "sentiment": None, "stance": "cmo-01:contradicts"},
        {"observation_id": "v1", "sentiment": 0.6, "stance": None},
    ]
    assert result.report["accepted"].tolist() == [1, 4]


def test_code_book_entry_for_a_configuration_the_theory_lacks_is_refused(network, tmp_path):
    import yaml

    data, raw = network
    write_maxqda(raw)
    folder = tmp_path / "config"
    (folder / "theories").mkdir(parents=True)
    (folder / "networks").mkdir()
    (folder / "theories" / "tiny.yaml").write_text(
        yaml.safe_dump({"configurations": [{"id": "cmo-01"}, {"id": "cmo-03"}]}), encoding="utf-8"
    )
    settings = NetworkConfig.model_validate(
        {
            **BASE,
            "sources": [source()],
            "codebook": CODEBOOK,
            "path": folder / "networks" / "tiny.yaml",
        }
    )
    with pytest.raises(HarmoniseError) as err:
        harmonise_network(settings, data, write=False)
    assert str(err.value) == (
        f"{folder / 'networks' / 'tiny.yaml'}, key 'codebook.codes.CMO2\\Werkt elders.cmo': "
        "code 'CMO2\\\\Werkt elders' maps to configuration 'cmo-02', which the theory "
        "theories/tiny.yaml does not define; its configurations are cmo-01, cmo-03"
    )


def test_document_partners_match_the_partner_list_without_a_name_map(network):
    # found by a new user: a document table naming a partner exactly as partners.csv
    # does (or by an alias, in other case) was quarantined unless partner_names said so
    data, raw = network
    (raw / "segmenten.xlsx").write_bytes(xlsx(maxqda_rows()))
    rows = documents_rows()
    rows[2][3] = "welzijn  KLEIN"  # the partner list's name, other case and spacing
    (raw / "documenten.xlsx").write_bytes(xlsx(rows))
    spec = source()
    spec.pop("partner_names")
    result = harmonise_network(config(spec), data)
    assert result.quarantine.empty
    assert result.tables["observations"]["partner_id"].tolist()[-1] == "welzijn"
    rows[2][3] = "Welzijn Groot"
    (raw / "documenten.xlsx").write_bytes(xlsx(rows))
    result = harmonise_network(config(spec), data, write=False)
    assert (
        result.quarantine["reason"]
        .iloc[0]
        .startswith(
            "document 'Interview 2': unknown partner: 'Welzijn Groot' matches no partner id, name "
            "or alias in partners.csv (closest: 'welzijn', welzijn); add it as an alias, or map it "
            "under sources.0.partner_names"
        )
    )


LOGBOOK = (
    "\ufeffNr;Datum;Rol;Organisatie;Tekst;Codes;Sentiment;MSC-domein;Geselecteerd\r\n"
    "L-001;15 mei 2024;Bewoner;;Door het plan heb ik rust.;cmo-01;0,6;bewoners;ja\r\n"
    "L-002;2 juni 2024;Partner;WELZIJN  klein;Het overleg loopt.;cmo-01;-0,1;organisatie;nee\r\n"
    "L-003;3 juni 2024;Partner;Welzijn Klein;Nog te vroeg.;cmo-01;0,0;organisatie;misschien\r\n"
)


def logbook_source(**extra) -> dict:
    spec = {
        "file": "logboek.csv",
        "table": "observations",
        "columns": {
            "observation_id": "Nr",
            "date": "Datum",
            "source_role": "Rol",
            "partner_id": "Organisatie",
            "text": "Tekst",
            "codes": "Codes",
            "sentiment": "Sentiment",
            "msc_domain": "MSC-domein",
            "msc_selected": "Geselecteerd",
        },
        "values": {
            "source_role": {"Bewoner": "resident", "Partner": "partner"},
            "msc_selected": "yes_no",
        },
    }
    spec.update(extra)
    return spec


def test_a_logbook_of_stories_maps_the_msc_columns_and_quarantines_a_bad_selection(network):
    data, raw = network
    (raw / "logboek.csv").write_text(LOGBOOK, encoding="utf-8", newline="")
    result = harmonise_network(config(logbook_source()), data)
    obs = result.tables["observations"]
    assert plain(obs[["observation_id", "date", "partner_id", "sentiment", "msc_domain"]]) == [
        {
            "observation_id": "L-001",
            "date": "2024-05-15",
            "partner_id": None,
            "sentiment": 0.6,
            "msc_domain": "bewoners",
        },
        {
            "observation_id": "L-002",
            "date": "2024-06-02",
            "partner_id": "welzijn",  # the partner list forgives case and spacing
            "sentiment": -0.1,
            "msc_domain": "organisatie",
        },
    ]
    assert obs["msc_selected"].tolist() == [1, 0]
    q = result.quarantine
    assert q[["source_row", "kind"]].values.tolist() == [[4, "not in map"]]
    assert "column 'Geselecteerd' (msc_selected): got 'misschien'" in q["reason"].iloc[0]


def test_an_observations_source_maps_only_the_known_optional_columns(network):
    data, raw = network
    (raw / "logboek.csv").write_text(LOGBOOK, encoding="utf-8", newline="")
    spec = logbook_source()
    spec["columns"] = {**spec["columns"], "mood": "Sentiment"}
    with pytest.raises(HarmoniseError) as err:
        harmonise_network(config(spec), data, write=False)
    assert str(err.value).endswith(
        "'mood' is not a column of table observations; its columns are network_id, "
        "observation_id, date, source_role, partner_id, text, codes, sentiment; "
        "optional columns: stance, msc_domain, msc_selected"
    )
    assert err.value.key == "sources.0.columns.mood"
