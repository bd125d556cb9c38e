"""Tests for netwerkonderzoek.harmonise.survey: survey-tool exports to ties.

Each test writes a file in the shape its tool exports (see
``/work/shared/reference/export-shapes.md``) and asserts the exact ties,
response table and messages; the expected values are worked out by hand
from the answers written.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError as PydanticValidationError

from netwerkonderzoek.config import NetworkConfig
from netwerkonderzoek.harmonise import HarmoniseError, harmonise_network
from netwerkonderzoek.privacy import PrivacyError

PARTNERS = """\
network_id,partner_id,name,kind,sector,joined,left,aliases
tiny,gemeente-noordstad,Gemeente Noordstad,municipality,public,2020-01-01,,Gem. Noordstad
tiny,corporatie,Woonstichting Klein,housing,housing,2020-01-01,,WSK; Woonstichting Klein BV
tiny,welzijn,Welzijn Klein,welfare,welfare,2020-01-01,,
tiny,zorg,Zorggroep Één,care,care,2024-06-01,,
"""

BASE = {
    "network_id": "tiny",
    "name": "Klein netwerk",
    "mission": "m",
    "task": "t",
    "study": {
        "start": "2024-01",
        "end": "2024-12",
        "waves": [{"wave": 1, "date": "2024-03-01"}, {"wave": 2, "date": "2024-09-01"}],
    },
}

INFO = "Met welke organisaties wisselt u informatie uit?"
TRUST = "Hoe betrouwbaar is deze organisatie?"


@pytest.fixture
def network(tmp_path):
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    return tmp_path, raw


def config(*sources: dict) -> NetworkConfig:
    return NetworkConfig.model_validate({**BASE, "sources": list(sources)})


def survey_source(file: str, wave: int = 1, **survey) -> dict:
    extra = {k: survey.pop(k) for k in ("drop", "delimiter", "sheet") if k in survey}
    questions = survey.pop(
        "questions",
        [
            {"question": INFO, "tie_type": "information"},
            {"question": TRUST, "measures": "reliability"},
        ],
    )
    return {
        "file": file,
        "table": "ties",
        **extra,
        "survey": {
            "tool": "limesurvey",
            "wave": wave,
            "respondent": "Organisatie",
            "questions": questions,
            **survey,
        },
    }


def ties(result) -> list[tuple]:
    frame = result.tables["ties"]
    return [
        (r.wave, r.source, r.target, r.tie_type, r.weight, None if pd.isna(r.reliability) else int(r.reliability))
        for r in frame.itertuples()
    ]  # fmt: skip


def lime_csv(rows: list[list[str]], partners: list[str]) -> str:
    header = ["Antwoord ID", "Datum verstuurd", "Laatste pagina", "Organisatie"]
    header += [f"{INFO} [{p}]" for p in partners] + [f"{TRUST} [{p}]" for p in partners]
    out = io.StringIO()
    pd.DataFrame(rows, columns=header).to_csv(out, index=False)
    return out.getvalue()


WAVE1 = lime_csv(
    [
        ["1", "2024-03-02 10:00:00", "3", "Gemeente Noordstad", "Ja", "Nee", "Eens", "Weet niet"],
        ["2", "2024-03-03 11:00:00", "3", "wsk", "Ja", "Ja", "Helemaal eens", "Oneens"],
        ["3", "", "1", "Welzijn Klein", "Ja", "", "", ""],
    ],
    ["Woonstichting Klein", "Welzijn Klein"],
)
# wave 2: the care group joined in June and appears only now; two respondents of the municipality
WAVE2 = lime_csv(
    [
        ["7", "2024-09-02", "3", "GEMEENTE  noordstad", "Ja", "Nee", "Ja", "Eens", "", "n.v.t."],
        ["8", "2024-09-02", "3", "Gem. Noordstad", "Ja", "Ja", "Nee", "Helemaal eens", "Eens", ""],
        ["9", "2024-09-03", "3", "Zorggroep Een", "Nee", "Ja", "Nee", "", "Oneens", ""],
    ],
    ["Woonstichting Klein", "Welzijn Klein", "Zorggroep Één"],
)


def test_limesurvey_waves_to_ties_with_nonresponse_and_combined_respondents(network):
    data, raw = network
    (raw / "w1.csv").write_text(WAVE1, encoding="utf-8")
    (raw / "w2.csv").write_text(WAVE2, encoding="utf-8")
    result = harmonise_network(config(survey_source("w1.csv"), survey_source("w2.csv", 2)), data)
    assert ties(result) == [
        # wave 1: the municipality knows the corporation (Eens = 3); "Nee" is no tie
        (1, "corporatie", "welzijn", "information", 1.0, 2),
        (1, "gemeente-noordstad", "corporatie", "information", 1.0, 3),
        # wave 2: two respondents, any reported tie counts; ratings averaged (3, 4 -> 3.5 -> 4)
        (2, "gemeente-noordstad", "corporatie", "information", 1.0, 4),
        (2, "gemeente-noordstad", "welzijn", "information", 1.0, 3),
        (2, "gemeente-noordstad", "zorg", "information", 1.0, None),
        (2, "zorg", "welzijn", "information", 1.0, 2),
    ]
    response = result.survey["survey_response"]
    got = response[["wave", "partner_id", "member", "responses", "partial", "used", "responded"]]
    assert got.values.tolist() == [
        [1, "corporatie", True, 1, 0, 1, True],
        [1, "gemeente-noordstad", True, 1, 0, 1, True],
        [1, "welzijn", True, 1, 1, 0, False],  # partial: dropped, counted
        [2, "corporatie", True, 0, 0, 0, False],  # non-response: unknown outgoing ties
        [2, "gemeente-noordstad", True, 2, 0, 2, True],
        [2, "welzijn", True, 0, 0, 0, False],
        [2, "zorg", True, 1, 0, 1, True],
    ]
    q = result.quarantine
    assert q[["source_row", "kind"]].values.tolist() == [[4, "partial response"]]
    assert q["reason"].iloc[0] == (
        "row 4, column 'Datum verstuurd': partial response of welzijn (survey.partial: drop); "
        "set partial: use to keep it"
    )
    report = result.report.set_index("source")
    assert report.loc[0, ["rows_read", "accepted", "quarantined", "canonical_rows"]].tolist() == [
        3,
        2,
        1,
        2,
    ]
    assert (data / "tiny" / "survey_response.csv").is_file()


def test_partial_responses_can_be_used_and_ties_reconstructed(network):
    data, raw = network
    (raw / "w1.csv").write_text(WAVE1, encoding="utf-8")
    (raw / "w2.csv").write_text(WAVE2, encoding="utf-8")
    first = survey_source("w1.csv", partial="use")
    second = survey_source("w2.csv", 2, reconstruct="reciprocate", combine="all")
    result = harmonise_network(config(first, second), data)
    assert ties(result) == [
        (1, "corporatie", "welzijn", "information", 1.0, 2),
        (1, "gemeente-noordstad", "corporatie", "information", 1.0, 3),
        (1, "welzijn", "corporatie", "information", 1.0, None),  # the partial response, used
        # wave 2, combine all: the municipality's two respondents agree only on the corporation
        (2, "corporatie", "gemeente-noordstad", "information", 1.0, None),  # reconstructed
        (2, "gemeente-noordstad", "corporatie", "information", 1.0, 4),
        (2, "welzijn", "zorg", "information", 1.0, None),  # reconstructed
        (2, "zorg", "welzijn", "information", 1.0, 2),
    ]
    response = result.survey["survey_response"]
    assert response.loc[response["wave"] == 2].set_index("partner_id")[
        "reconstructed_ties"
    ].to_dict() == {"corporatie": 1, "gemeente-noordstad": 0, "welzijn": 1, "zorg": 0}
    assert len(result.quarantine) == 0


def test_unknown_partner_in_a_column_names_the_closest_match(network):
    data, raw = network
    text = lime_csv(
        [["1", "2024-03-02", "3", "Welzijn Klein", "Ja", "Ja"]], ["Woonstichting Kleinn"]
    )
    (raw / "w1.csv").write_text(
        text.replace(f",{TRUST} [Woonstichting Kleinn]", ",Opmerking"), encoding="utf-8"
    )
    with pytest.raises(HarmoniseError) as err:
        harmonise_network(config(survey_source("w1.csv")), data)
    assert str(err.value) == (
        f"key 'sources.0.survey.questions.0', source {raw / 'w1.csv'}: column "
        f"'{INFO} [Woonstichting Kleinn]' (row 1) names no known partner: "
        "'Woonstichting Kleinn' matches no partner id, name or alias in partners.csv "
        "(closest: 'Woonstichting Klein', corporatie); add it as an alias; "
        "or map the sub-question under survey.subquestions"
    )


def test_likert_label_outside_the_map_is_missing_and_the_response_is_kept(network):
    data, raw = network
    text = lime_csv(
        [
            ["1", "2024-03-02", "3", "Welzijn Klein", "Ja", "Soms wel"],
            ["2", "2024-03-02", "3", "Onbekende Club", "Ja", "Eens"],
        ],
        ["Woonstichting Klein"],
    )
    (raw / "w1.csv").write_text(text, encoding="utf-8")
    result = harmonise_network(config(survey_source("w1.csv")), data)
    # the tie is reported; only its reliability rating is not understood: missing
    assert ties(result) == [(1, "welzijn", "corporatie", "information", 1.0, None)]
    assert result.quarantine[["source_row", "status", "kind", "reason"]].values.tolist() == [
        [
            2,
            "missing",
            "label not in map",
            f"row 2, column '{TRUST} [Woonstichting Klein]' (question '{TRUST}', about "
            "corporatie): got 'Soms wel'; expected 1-4 or a label of the scale (e.g. "
            "Helemaal oneens .. Helemaal eens), a label under survey.labels, or a missing "
            "label (Weet niet, n.v.t.); read as missing",
        ],
        [
            3,
            "quarantined",
            "unknown partner",
            "row 3, column 'Organisatie': 'Onbekende Club' matches no partner id, name or "
            "alias in partners.csv (no close match); add it as an alias",
        ],
    ]
    report = result.report.iloc[0]
    assert (report["rows_read"], report["accepted"], report["quarantined"]) == (2, 1, 1)
    assert "1 rating(s) not understood read as missing" in report["conversions"]


def qualtrics_csv() -> str:
    ids = [
        "StartDate",
        "EndDate",
        "Progress",
        "Finished",
        "ResponseId",
        "Q1",
        "Q2_1",
        "Q2_2",
        "Q3_1",
        "Q3_2",
        "Q4",
    ]
    texts = ["Start Date", "End Date", "Progress", "Finished", "Response ID",
             "Voor welke organisatie vult u dit in?",
             "Hoe intensief werkt u samen met... - Woonstichting Klein",
             "Hoe intensief werkt u samen met... - Welzijn Klein",
             "Hoeveel uur per maand? - Woonstichting Klein",
             "Hoeveel uur per maand? - Welzijn Klein",
             "Hoe succesvol is het netwerk?"]  # fmt: skip
    imports = ['{"ImportId":"startDate","timeZone":"Europe/Amsterdam"}', '{"ImportId":"endDate"}',
               '{"ImportId":"progress"}', '{"ImportId":"finished"}', '{"ImportId":"_recordId"}',
               '{"ImportId":"QID1_TEXT"}', '{"ImportId":"QID2_1"}', '{"ImportId":"QID2_2"}',
               '{"ImportId":"QID3_1"}', '{"ImportId":"QID3_2"}', '{"ImportId":"QID4"}']  # fmt: skip
    rows = [
        ["2024-03-01 09:00:00", "2024-03-01 09:10:00", "100", "1", "R_1abc", "Gemeente Noordstad",
         "Coordination", "Awareness", "12,5", "", "Eens"],
        ["2024-03-01 09:00:00", "2024-03-01 09:03:00", "40", "0", "R_2def", "Welzijn Klein",
         "Integration", "", "", "", ""],
        ["2024-03-02 09:00:00", "2024-03-02 09:10:00", "100", "1", "R_3ghi", "Woonstichting Klein",
         "", "Cooperation", "", "4", "Helemaal eens"],
    ]  # fmt: skip
    out = io.StringIO()
    pd.DataFrame([texts, imports, *rows], columns=ids).to_csv(out, index=False)
    return out.getvalue()


QUALTRICS_QUESTIONS = [
    {"question": "Hoe intensief werkt u samen met...", "tie_type": "joint_delivery", "measures": "intensity"},
    {"question": "Q3", "tie_type": "shared_resources", "measures": "weight"},
]  # fmt: skip


def test_qualtrics_csv_with_three_header_rows_intensity_weight_and_network_question(network):
    data, raw = network
    (raw / "qualtrics.csv").write_text(qualtrics_csv(), encoding="utf-8")
    spec = survey_source(
        "qualtrics.csv",
        tool="qualtrics",
        respondent="Voor welke organisatie vult u dit in?",
        questions=QUALTRICS_QUESTIONS,
        network_questions={"Q4": "perceived_success"},
    )
    result = harmonise_network(config(spec), data)
    # intensity is written as weight (1 awareness .. 4 integration); Q3_1 / Q3_2 by their ids
    assert ties(result) == [
        (1, "corporatie", "welzijn", "joint_delivery", 2.0, None),
        (1, "corporatie", "welzijn", "shared_resources", 4.0, None),
        (1, "gemeente-noordstad", "corporatie", "joint_delivery", 3.0, None),
        (1, "gemeente-noordstad", "corporatie", "shared_resources", 12.5, None),
        (1, "gemeente-noordstad", "welzijn", "joint_delivery", 1.0, None),
    ]
    # the question-text and ImportId rows are no responses; file rows 4-6 are
    assert result.quarantine[["source_row", "kind"]].values.tolist() == [[5, "partial response"]]
    assert result.report.loc[0, "rows_read"] == 3
    respondents = result.survey["survey_respondents"]
    got = respondents[["respondent", "partner_id", "status", "question", "value"]].astype(object)
    assert got.where(got.notna(), None).values.tolist() == [
        ["R_1abc", "gemeente-noordstad", "used", "perceived_success", 3.0],
        ["R_2def", "welzijn", "partial", "perceived_success", None],
        ["R_3ghi", "corporatie", "used", "perceived_success", 4.0],
    ]  # fmt: skip
    written = pd.read_csv(data / "tiny" / "survey_respondents.csv")
    assert list(written.columns) == [
        "network_id", "wave", "respondent", "partner_id", "status", "question", "value",
        "source_file", "source_row",
    ]  # fmt: skip


def test_limesurvey_xlsx_with_code_headings_answer_codes_and_real_dates(network):
    from netwerkonderzoek.simulate.files import xlsx_bytes

    data, raw = network
    header = [
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "org",
        "Q1[SQ001]",
        "Q1[SQ002]",
        "Q2[SQ001]",
        "Q2[SQ002]",
    ]
    rows = [
        [1, dt.datetime(2024, 3, 2, 10, 0), 2, "nl", "Welzijn Klein", "Y", "", "A3", "A1"],
        [2, dt.datetime(2024, 3, 4, 12, 30), 2, "nl", "Woonstichting Klein", "", "Y", "", "A4"],
        [3, None, 1, "nl", "Gemeente Noordstad", "Y", "", "A9", ""],
    ]  # fmt: skip
    (raw / "lime.xlsx").write_bytes(xlsx_bytes({"Antwoorden": [header, *rows]}))
    spec = survey_source(
        "lime.xlsx",
        respondent="org",
        questions=[
            {"question": "Q1", "tie_type": "shared_clients"},
            {"question": "Q2", "measures": "open_discussion"},
        ],
        subquestions={"SQ001": "corporatie", "SQ002": "Gemeente Noordstad"},
        labels={"A1": 1, "A2": 2, "A3": 3, "A4": 4},
    )
    result = harmonise_network(config(spec), data)
    row = result.tables["ties"].iloc[0]
    assert [(r.source, r.target, r.tie_type, r.open_discussion) for r in result.tables["ties"].itertuples()] == [
        ("corporatie", "gemeente-noordstad", "shared_clients", 4),
        ("welzijn", "corporatie", "shared_clients", 3),
    ]  # fmt: skip
    assert row["weight"] == 1.0
    # the partial response (no submit date) is dropped before its bad code is looked at
    assert result.quarantine["kind"].tolist() == ["partial response"]
    assert result.provenance["ties"]["source_sheet"].tolist() == ["Antwoorden", "Antwoorden"]


def forms_xlsx(email: bool = True) -> bytes:
    from netwerkonderzoek.simulate.files import xlsx_bytes

    header = ["ID", "Start time", "Completion time", "Email", "Name", "Organisatie",
              "Samenwerking.Woonstichting Klein", "Samenwerking.Welzijn Klein"]  # fmt: skip
    rows = [
        [1, dt.datetime(2024, 3, 1, 9, 0), dt.datetime(2024, 3, 1, 9, 5), "an@noordstad.nl",
         "An de Vries", "Gemeente Noordstad", "Yes", "No"],
        [2, dt.datetime(2024, 3, 1, 10, 0), dt.datetime(2024, 3, 1, 10, 4), "bo@welzijn.nl",
         "Bo Jansen", "Welzijn Klein", "Don't know", "Yes"],
    ]  # fmt: skip
    if not email:
        header, rows = header[:3] + header[5:], [r[:3] + r[5:] for r in rows]
    return xlsx_bytes({"Form1": [header, *rows]})


def test_forms_xlsx_personal_data_refused_unless_dropped(network):
    data, raw = network
    (raw / "forms.xlsx").write_bytes(forms_xlsx())
    questions = [{"question": "Samenwerking", "tie_type": "joint_delivery"}]
    with pytest.raises(PrivacyError, match="Email"):
        harmonise_network(
            config(survey_source("forms.xlsx", tool="forms", questions=questions)), data
        )
    assert not (data / "tiny" / "ties.csv").exists()
    spec = survey_source("forms.xlsx", tool="forms", questions=questions, drop=["Email", "Name"])
    result = harmonise_network(config(spec), data)
    assert ties(result) == [(1, "gemeente-noordstad", "corporatie", "joint_delivery", 1.0, None)]
    assert result.report.loc[0, "dropped_columns"] == "Email; Name"
    assert result.report.loc[0, "dropped_values"] == 4
    assert (
        "an@noordstad.nl" not in (data / "tiny" / "harmonisation" / "quarantine.csv").read_text()
    )


def test_spss_sav_with_value_labels(network):
    pyreadstat = pytest.importorskip("pyreadstat")
    data, raw = network
    frame = pd.DataFrame(
        {
            "org": [1.0, 2.0, 3.0],
            "info_1": [1.0, 1.0, 0.0],
            "info_2": [0.0, 1.0, 9.0],
            "vertr_1": [3.0, 2.0, np.nan],
        }
    )
    pyreadstat.write_sav(
        frame,
        str(raw / "enquete.sav"),
        column_labels=[
            "Organisatie",
            "Informatie - Woonstichting Klein",
            "Informatie - Welzijn Klein",
            "Vertrouwen - Woonstichting Klein",
        ],
        variable_value_labels={
            "org": {1.0: "Gemeente Noordstad", 2.0: "Zorggroep Één", 3.0: "Welzijn Klein"},
            "info_1": {0.0: "Nee", 1.0: "Ja"},
            "info_2": {0.0: "Nee", 1.0: "Ja", 9.0: "Weet niet"},
            "vertr_1": {1.0: "Helemaal oneens", 2.0: "Oneens", 3.0: "Eens", 4.0: "Helemaal eens"},
        },
    )
    spec = survey_source(
        "enquete.sav",
        2,
        tool="spss",
        questions=[
            {"question": "Informatie", "tie_type": "information"},
            {"question": "Vertrouwen", "measures": "mission_support"},
        ],
    )
    result = harmonise_network(config(spec), data)
    got = [(r.source, r.target, r.mission_support) for r in result.tables["ties"].itertuples()]
    assert got == [
        ("gemeente-noordstad", "corporatie", 3),
        ("zorg", "corporatie", 2),
        ("zorg", "welzijn", pd.NA),
    ]
    assert result.report.loc[0, "format"] == "sav"
    assert result.quarantine.empty


def test_missing_weight_of_a_reported_tie_and_own_organisation_answers(network):
    data, raw = network
    weight = "Uren per maand"
    header = ["Antwoord ID", "Datum verstuurd", "Organisatie", f"{INFO} [Welzijn Klein]",
              f"{INFO} [Gemeente Noordstad]", f"{weight} [Welzijn Klein]",
              f"{weight} [Gemeente Noordstad]"]  # fmt: skip
    rows = [
        ["1", "2024-03-02", "Gemeente Noordstad", "Ja", "Ja", "Weet niet", "9"],
        ["2", "2024-03-02", "Welzijn Klein", "Nee", "Ja", "", "2,5"],
    ]
    out = io.StringIO()
    pd.DataFrame(rows, columns=header).to_csv(out, index=False)
    (raw / "w1.csv").write_text(out.getvalue(), encoding="utf-8")
    questions = [
        {"question": INFO, "tie_type": "information"},
        {"question": weight, "tie_type": "information", "measures": "weight"},
    ]
    result = harmonise_network(config(survey_source("w1.csv", questions=questions)), data)
    assert ties(result) == [(1, "welzijn", "gemeente-noordstad", "information", 2.5, None)]
    assert result.quarantine[["source_row", "kind", "reason"]].values.tolist() == [
        [
            2,
            "missing value",
            f"row 2, column '{weight} [Welzijn Klein]': the information tie to welzijn is "
            "reported but its weight is missing; expected a number (or no tie)",
        ]
    ]
    # answers about the respondent's own organisation (Ja, 9; Nee) are no ties, and are counted
    assert (
        "3 answers about the respondent's own organisation ignored"
        in (result.report.loc[0, "conversions"])
    )


@pytest.mark.parametrize(
    ("text", "measures", "expected"),
    [
        ("-99", "reliability", "missing"),  # a negative recode for "not applicable"
        ("99", "weight", 99.0),  # not the missing code -99
        ("-1", "present", None),  # not "1": not understood, quarantined
        ("Don’t know", "open_discussion", "missing"),
        ("N.v.t.", "weight", "missing"),
        ("Y", "present", 1.0),  # LimeSurvey multiple choice
        ("Welzijn  klein", "present", 1.0),  # a Qualtrics roster cell naming the partner
        ("Integrated", "intensity", 4.0),
        ("Geïntegreerd", "intensity", 4.0),
        ("5", "reliability", 5.0),  # read, then refused by valid_answer (1-4)
    ],
)
def test_answer_values(text, measures, expected):
    from netwerkonderzoek.config import SurveySpec
    from netwerkonderzoek.harmonise.survey_read import answer_value, valid_answer

    spec = SurveySpec(
        wave=1, respondent="O", questions=[{"question": "Q", "tie_type": "information"}]
    )
    got = answer_value(text, measures, spec, {"welzijn klein"})
    if expected == "missing":
        assert np.isnan(got)
    else:
        assert got == expected
    if text == "5":
        assert not valid_answer(got, measures)


def test_qualtrics_xlsx_with_two_header_rows(network):
    from netwerkonderzoek.simulate.files import xlsx_bytes

    data, raw = network
    frame = pd.read_csv(io.StringIO(qualtrics_csv()), dtype=str, keep_default_na=False)
    header, body = list(frame.columns), frame.values.tolist()
    # an XLSX export: ids, question texts, responses (no ImportId row); Finished as True/False
    rows = [body[0], *[[*r[:3], "True" if r[3] == "1" else "False", *r[4:]] for r in body[2:]]]
    (raw / "qualtrics.xlsx").write_bytes(xlsx_bytes({"Sheet0": [header, *rows]}))
    spec = survey_source(
        "qualtrics.xlsx",
        tool="qualtrics",
        respondent="Voor welke organisatie vult u dit in?",
        questions=QUALTRICS_QUESTIONS,
    )
    result = harmonise_network(config(spec), data)
    assert len(result.tables["ties"]) == 5  # as from the CSV export
    assert result.quarantine[["source_row", "kind"]].values.tolist() == [[4, "partial response"]]


def test_forms_likert_columns_headed_by_the_statement_alone(network):
    from netwerkonderzoek.simulate.files import xlsx_bytes

    data, raw = network
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Organisatie",
        "Woonstichting Klein",
        "Welzijn Klein",
    ]
    rows = [
        [1, dt.datetime(2024, 3, 1, 9), dt.datetime(2024, 3, 1, 9, 5), "Gemeente Noordstad", "Agree", "Strongly disagree"],
    ]  # fmt: skip
    (raw / "forms.xlsx").write_bytes(xlsx_bytes({"Form1": [header, *rows]}))
    questions = [
        {"question": "Samenwerking", "tie_type": "joint_delivery", "columns": []},
        {"question": "Openheid", "measures": "open_discussion", "columns": ["Woonstichting Klein", "Welzijn Klein"]},
    ]  # fmt: skip
    # a presence question owning no column is an error naming the question and the columns
    with pytest.raises(HarmoniseError, match=r"no column belongs to question 'Samenwerking'"):
        harmonise_network(
            config(survey_source("forms.xlsx", tool="forms", questions=questions)), data
        )


def test_forms_multiple_choice_roster_in_one_column(network):
    from netwerkonderzoek.simulate.files import xlsx_bytes

    data, raw = network
    roster = "Met welke organisaties werkt u samen?"
    header = ["ID", "Start time", "Completion time", "Organisatie", roster, "Woonstichting Klein"]
    rows = [
        [1, dt.datetime(2024, 3, 1, 9), dt.datetime(2024, 3, 1, 9, 5), "Gemeente Noordstad",
         "Woonstichting Klein;welzijn klein;", "Eens"],
        [2, dt.datetime(2024, 3, 1, 9), dt.datetime(2024, 3, 1, 9, 7), "Welzijn Klein",
         "Woonstichting Klijn;", "Oneens"],
        [3, dt.datetime(2024, 3, 1, 9), dt.datetime(2024, 3, 1, 9, 9), "Woonstichting Klein", "", ""],
    ]  # fmt: skip
    (raw / "forms.xlsx").write_bytes(xlsx_bytes({"Form1": [header, *rows]}))
    questions = [
        {"question": roster, "tie_type": "joint_delivery", "separator": ";"},
        {
            "question": "Openheid",
            "measures": "open_discussion",
            "columns": ["Woonstichting Klein"],
        },
    ]
    result = harmonise_network(
        config(survey_source("forms.xlsx", tool="forms", questions=questions)), data
    )
    got = [
        (r.source, r.target, r.tie_type, r.open_discussion)
        for r in result.tables["ties"].itertuples()
    ]
    assert got == [
        ("gemeente-noordstad", "corporatie", "joint_delivery", 3),
        ("gemeente-noordstad", "welzijn", "joint_delivery", pd.NA),
    ]
    assert result.quarantine[["source_row", "kind", "reason"]].values.tolist() == [
        [
            3,
            "unknown partner",
            f"row 3, column '{roster}': 'Woonstichting Klijn' matches no partner id, name or alias "
            "in partners.csv (closest: 'Woonstichting Klein', corporatie); add it as an alias",
        ]
    ]
    # the corporation answered and chose nobody: a respondent without ties, not a non-respondent
    response = result.survey["survey_response"].set_index("partner_id")
    assert response.loc["corporatie", "responded"]


def test_one_source_for_every_wave_gives_the_same_ties(network):
    # survey.waves with {wave} in the file name stands for one source per wave:
    # the questions are written once (the example config shrank by 126 lines)
    data, raw = network
    (raw / "meting-1.csv").write_text(WAVE1, encoding="utf-8")
    (raw / "meting-2.csv").write_text(WAVE2, encoding="utf-8")
    both = survey_source("meting-{wave}.csv")
    both["survey"].pop("wave")
    both["survey"]["waves"] = [1, 2]
    one = harmonise_network(config(both), data)
    apart = harmonise_network(
        config(survey_source("meting-1.csv"), survey_source("meting-2.csv", 2)), data
    )
    assert ties(one) == ties(apart) and len(ties(one)) == 6
    cfg = config(both)
    assert [s.file for s in cfg.sources] == ["meting-1.csv", "meting-2.csv"]
    assert [cfg.source_key(i) for i in range(2)] == ["sources.0 (wave 1)", "sources.0 (wave 2)"]


@pytest.mark.parametrize(
    ("file", "survey", "message"),
    [
        (
            "meting.csv",
            {"waves": [1, 2]},
            "a survey source with waves names its files with {wave}",
        ),
        (
            "meting-{wave}.csv",
            {"wave": 1},
            "a survey source with waves names its files with {wave}",
        ),
        (
            "m-{wave}.csv",
            {"wave": 1, "waves": [1]},
            r"give the survey's wave \(one export\) or waves",
        ),
        ("m-{wave}.csv", {"waves": [1, 1]}, r"a wave is listed twice under waves: \[1, 1\]"),
    ],
)
def test_survey_waves_are_checked(file, survey, message):
    source = survey_source(file)
    source["survey"].pop("wave")
    source["survey"].update(survey)
    with pytest.raises(PydanticValidationError, match=message):
        config(source)


def test_partner_names_must_name_partners_of_the_list(network):
    data, raw = network
    (raw / "w1.csv").write_text(WAVE1, encoding="utf-8")
    source = {**survey_source("w1.csv"), "partner_names": {"WSK": "onbekend"}}
    with pytest.raises(HarmoniseError) as err:
        harmonise_network(config(source), data, write=False)
    assert str(err.value) == (
        f"key 'sources.0.partner_names.WSK', source {raw / 'w1.csv'}: partner id 'onbekend' "
        "(for 'WSK') is not in partners.csv"
    )


def test_a_presence_answer_outside_the_labels_quarantines_the_response(network):
    data, raw = network
    (raw / "w1.csv").write_text(WAVE1.replace("wsk,Ja,Ja", "wsk,Ja,Misschien"), encoding="utf-8")
    result = harmonise_network(config(survey_source("w1.csv")), data, write=False)
    assert ties(result) == [(1, "gemeente-noordstad", "corporatie", "information", 1.0, 3)]
    q = result.quarantine
    assert q[["source_row", "kind"]].values.tolist() == [
        [3, "label not in map"],
        [4, "partial response"],
    ]
    assert q["reason"].iloc[0] == (
        f"row 3, column '{INFO} [Welzijn Klein]' (question '{INFO}', about welzijn): got "
        "'Misschien'; expected yes or no (Ja, Nee, Yes, No, 1, 0, or empty for not selected)"
    )
