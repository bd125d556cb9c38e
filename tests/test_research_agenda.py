"""The network's research agenda (issue 20, part 3): config, agenda, overlaps, report."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest
from pydantic import ValidationError as PydanticValidationError

from netwerkonderzoek import story, value, write_table
from netwerkonderzoek.checks import study_faults, validate_study
from netwerkonderzoek.cmo import ProgrammeTheory
from netwerkonderzoek.config import (
    NetworkConfig,
    StudySpec,
    config_error_from_pydantic,
    load_config,
)

ROOT = Path(__file__).resolve().parent.parent

BASE = {
    "network_id": "x",
    "name": "Netwerk X",
    "mission": "m",
    "task": "t",
    "study": {"start": "2024-01", "end": "2024-12", "waves": [{"wave": 1, "date": "2024-03-01"}]},
    "indicators": [
        {
            "id": indicator,
            "label_nl": indicator,
            "label_en": indicator,
            "unit": "n",
            "perspective": perspective,
            "form": form,
            "direction": "increase",
        }
        for indicator, perspective, form in (
            ("overlast", "societal", "direct"),
            ("leefbaarheid", "societal", "direct"),
            ("tevredenheid", "partner", "indirect"),
        )
    ],
}


def _study(id, kind, question, cells, start, end, status, configurations=(), collects=()):
    return {
        "id": id,
        "kind": kind,
        "question": question,
        "cells": [{"perspective": p, "form": f} for p, f in cells],
        "configurations": list(configurations),
        "collects": list(collects),
        "period": {"start": start, "end": end},
        "status": status,
    }


STUDIES = [
    _study(
        "monitor",
        "monitoring",
        "Hoe ontwikkelt de overlast zich?",
        [("societal", "direct")],
        "2024-01",
        "2024-12",
        "running",
        collects=[{"table": "indicators", "partners": ["gemeente"]}],
    ),
    _study(
        "actie",
        "action_research",
        "Hoe signaleren we huurachterstanden eerder?",
        [("partner", "direct"), ("partner", "indirect")],
        "2024-03",
        "2024-08",
        "finished",
        configurations=["cmo-02"],
        collects=[{"table": "observations", "partners": ["corporatie", "welzijn"]}],
    ),
    _study(
        "evaluatie",
        "realist_evaluation",
        "Wat levert het netwerk op?",
        [("societal", "direct"), ("network", "indirect")],
        "2024-06",
        "2025-05",
        "running",
        configurations=["cmo-01", "cmo-02"],
        collects=[
            {"table": "observations", "partners": ["welzijn", "gemeente"], "groups": ["residents"]}
        ],
    ),
    _study(
        "panel",
        "other",
        "  wat levert het  netwerk OP ",
        [("network", "indirect")],
        "2025-01",
        "2025-03",
        "planned",
        collects=[{"table": "appreciation", "groups": ["residents", "partners"]}],
    ),
]


@pytest.fixture
def config():
    return NetworkConfig.model_validate(BASE | {"studies": STUDIES})


def _ratings():
    return pd.DataFrame(
        {
            "perspective": ["societal", "network", "partner"],
            "form": ["direct", "indirect", "direct"],
            "rating": [7, 6, None],  # the partner cell has no rating: not rated
        }
    )


def test_the_agenda_has_a_row_per_cell_and_study_with_the_evidence_of_today(config):
    verdicts = pd.DataFrame({"cmo_id": ["cmo-01", "cmo-02"], "verdict": ["supported", "refined"]})
    agenda = value.research_agenda(_ratings(), config, verdicts=verdicts)
    assert list(agenda.columns) == list(value.RESEARCH_AGENDA_COLUMNS)
    got = agenda[
        ["perspective", "form", "n_indicators", "rated", "study_id", "verdicts", "unaddressed"]
    ].values.tolist()
    assert got == [
        ["societal", "direct", 2, True, "monitor", "", False],
        ["societal", "direct", 2, True, "evaluatie", "cmo-01=supported;cmo-02=refined", False],
        ["societal", "indirect", 0, False, "", "", True],
        ["network", "direct", 0, False, "", "", True],
        ["network", "indirect", 0, True, "evaluatie", "cmo-01=supported;cmo-02=refined", False],
        ["network", "indirect", 0, True, "panel", "", False],
        ["partner", "direct", 0, False, "actie", "cmo-02=refined", False],
        ["partner", "indirect", 1, False, "actie", "cmo-02=refined", False],
    ]
    row = agenda.iloc[6]
    assert (row["kind"], row["status"], row["start"], row["end"]) == (
        "action_research",
        "finished",
        "2024-03",
        "2024-08",
    )
    assert row["configurations"] == "cmo-02" and row["cell"] == "Partnerwaarde, direct"
    # English cell labels; verdicts as a mapping; a configuration without a verdict left out
    english = value.research_agenda(None, config, verdicts={"cmo-01": "supported"}, language="en")
    assert english["cell"].iloc[0] == "Societal value, direct"
    assert english["verdicts"].tolist()[1] == "cmo-01=supported"
    assert not english["rated"].any()  # no appreciation survey: nothing rated


def test_the_overlaps_name_the_partners_groups_and_months(config):
    overlaps = value.research_overlaps(config)
    assert list(overlaps.columns) == list(value.RESEARCH_OVERLAP_COLUMNS)
    assert overlaps.values.tolist() == [
        ["actie", "evaluatie", "same_configurations", "cmo-02", "", "", "2024-06", "2024-08", 3],
        ["actie", "evaluatie", "same_respondents", "", "welzijn", "", "2024-06", "2024-08", 3],
        # the questions are equal but for case, spaces and the question mark
        ["evaluatie", "panel", "same_question", "", "", "", "2025-01", "2025-03", 3],
        # the panel asks every partner: it shares the partners the evaluation names
        [
            "evaluatie",
            "panel",
            "same_respondents",
            "",
            "gemeente;welzijn",
            "residents",
            "2025-01",
            "2025-03",
            3,
        ],
    ]


def test_registrations_and_periods_that_do_not_meet_are_no_respondent_burden():
    studies = [
        _study(
            "a",
            "monitoring",
            "A?",
            [("societal", "direct")],
            "2024-01",
            "2024-06",
            "running",
            collects=[{"table": "indicators", "partners": ["gemeente"]}],
        ),
        _study(
            "b",
            "other",
            "B?",
            [("societal", "direct")],
            "2024-01",
            "2024-06",
            "running",
            collects=[{"table": "observations", "partners": ["gemeente"]}],
        ),
        _study(
            "c",
            "other",
            "C?",
            [("societal", "direct")],
            "2024-07",
            "2024-09",
            "planned",
            collects=[{"table": "ties", "partners": ["gemeente"]}],
        ),
    ]
    config = NetworkConfig.model_validate(BASE | {"studies": studies})
    assert value.research_overlaps(config).empty


def test_a_network_without_studies_has_every_cell_unaddressed_and_says_so():
    config = NetworkConfig.model_validate(BASE)
    agenda = value.research_agenda(_ratings(), config)
    assert len(agenda) == 6 and agenda["unaddressed"].all()
    assert (agenda["study_id"] == "").all()
    assert agenda["n_indicators"].tolist() == [2, 0, 0, 0, 0, 1]
    overlaps = value.research_overlaps(config)
    assert overlaps.empty and list(overlaps.columns) == list(value.RESEARCH_OVERLAP_COLUMNS)
    texts = value.agenda_summary(agenda, overlaps, config)
    assert len(texts) == 1 and texts[0].startswith("Er staan nog geen onderzoeken op de agenda")
    english = value.agenda_summary(agenda, overlaps, config, language="en")
    assert english[0].startswith("The network has no studies on its agenda yet")
    matrix = value.agenda_matrix(agenda)
    assert list(matrix.columns) == [
        "Cel van de waardematrix",
        "Indicatoren",
        "Waardering",
        "Zonder onderzoek",
        "Oordelen",
    ]
    assert (matrix["Zonder onderzoek"] == "ja").all()
    assert story.present(value.research_studies(config), empty="Geen.").to_html() == (
        '<p class="report-empty">Geen.</p>'
    )


def test_the_summary_tells_the_steering_group_what_overlaps(config):
    agenda = value.research_agenda(_ratings(), config)
    texts = value.agenda_summary(agenda, value.research_overlaps(config), config)
    assert texts[0].startswith(
        "Op de onderzoeksagenda van het netwerk staan 4 onderzoeken "
        "(2 lopend, 1 afgerond en 1 gepland)."
    )
    assert texts[1].startswith(
        "Geen enkel onderzoek kijkt naar: Maatschappelijke waarde, indirect en "
        "Netwerkwaarde, direct."
    )
    assert texts[2].startswith("‘actie’ en ‘evaluatie’ toetsen allebei configuratie cmo-02.")
    assert texts[3].startswith(
        "‘actie’ en ‘evaluatie’ vragen dezelfde partners (welzijn) in dezelfde maanden "
        "(juni 2024 t/m augustus 2024, 3 maanden)."
    )
    assert texts[4].startswith(
        "‘evaluatie’ en ‘panel’ stellen dezelfde vraag: “Wat levert het netwerk op?”"
    )
    assert texts[5].startswith(
        "‘evaluatie’ en ‘panel’ vragen dezelfde partners (gemeente, welzijn) en dezelfde "
        "groepen (bewoners) in dezelfde maanden (januari 2025 t/m maart 2025, 3 maanden)."
    )
    matrix = value.agenda_matrix(agenda, language="en")
    assert list(matrix.columns)[4:] == ["monitor", "evaluatie", "panel", "actie", "Verdicts"]
    assert matrix["actie"].tolist() == ["", "", "", "", "finished", "finished"]


def _error(data: dict) -> str:
    with pytest.raises(PydanticValidationError) as info:
        NetworkConfig.model_validate(data)
    return str(config_error_from_pydantic(info.value, Path("x.yaml")))


def test_bad_studies_are_refused_with_the_key_and_what_is_wrong():
    first = STUDIES[0]
    assert _error(BASE | {"studies": [first, first]}) == (
        "x.yaml, key 'studies.1.id': study id 'monitor' is defined twice"
    )
    assert _error(BASE | {"studies": [first | {"kind": "survey"}]}) == (
        "x.yaml, key 'studies.0.kind': Input should be 'action_research', "
        "'developmental_evaluation', 'realist_evaluation', 'monitoring' or 'other'; got 'survey'"
    )
    late = first | {"period": {"start": "2024-07", "end": "2024-06"}}
    assert _error(BASE | {"studies": [late]}) == (
        "x.yaml, key 'studies.0.period.start': start 2024-07 is after end 2024-06"
    )
    unknown_cell = first | {"cells": [{"perspective": "financial", "form": "direct"}]}
    assert _error(BASE | {"studies": [unknown_cell]}) == (
        "x.yaml, key 'studies.0.cells.0.perspective': Input should be 'societal', 'network' "
        "or 'partner'; got 'financial'"
    )
    bad_form = first | {"cells": [{"perspective": "societal", "form": "both"}]}
    assert _error(BASE | {"studies": [bad_form]}) == (
        "x.yaml, key 'studies.0.cells.0.form': Input should be 'direct' or 'indirect'; got 'both'"
    )
    twice = first | {"cells": [{"perspective": "societal", "form": "direct"}] * 2}
    assert _error(BASE | {"studies": [twice]}) == (
        "x.yaml, key 'studies.0.cells.1': cell societal/direct is listed twice"
    )
    assert _error(BASE | {"studies": [first | {"cells": []}]}).startswith(
        "x.yaml, key 'studies.0.cells': List should have at least 1 item"
    )
    bad_group = first | {"collects": [{"table": "ties", "groups": ["buren"]}]}
    assert _error(BASE | {"studies": [bad_group]}) == (
        "x.yaml, key 'studies.0.collects.0.groups.0': Input should be 'residents', 'partners' "
        "or 'funders'; got 'buren'"
    )


def _theory():
    def cmo(cmo_id):
        return {
            "id": cmo_id,
            "statement": "s",
            "perspective": "societal",
            "form": "direct",
            "context": {"description": "d", "expression": "age >= 65"},
            "mechanism": {"resource": "r", "reasoning": "r", "exposure": "coach"},
            "outcome": {
                "description": "o",
                "measure": "wellbeing",
                "direction": "increase",
                "scale": "continuous",
            },
        }

    return ProgrammeTheory.from_dict(
        {
            "network_id": "x",
            "name": "T",
            "version": 1,
            "label": "initial",
            "date": "2024-01-01",
            "configurations": [cmo("cmo-01"), cmo("cmo-02")],
        }
    )


def test_unknown_configurations_and_partners_are_faults_naming_the_key(config):
    partners = pd.DataFrame({"partner_id": ["corporatie", "gemeente", "welzijn"]})
    assert study_faults(config, partners, theory=_theory()) == []
    studies = [
        STUDIES[0],
        STUDIES[1] | {"configurations": ["cmo-02", "cmo-09"]},
        STUDIES[2] | {"collects": [{"table": "observations", "partners": ["welzijn", "bakker"]}]},
    ]
    bad = NetworkConfig.model_validate(BASE | {"studies": studies})
    assert [f.message for f in study_faults(bad, partners, theory=_theory())] == [
        "key 'studies.1.configurations.1': configuration 'cmo-09' is not in the programme "
        "theory (configurations: cmo-01, cmo-02)",
        "key 'studies.2.collects.0.partners.1': partner 'bakker' is not in partners.csv "
        "(partners: corporatie, gemeente, welzijn)",
    ]
    # without a theory or a partners table, nothing to check against
    assert study_faults(bad) == []


def test_validate_checks_the_studies_against_the_theory_and_partners_of_the_network():
    config = load_config("wijk-noord", ROOT / "config")
    assert [s.id for s in config.studies] == [
        "realistische-evaluatie",
        "wijkmonitor",
        "actieonderzoek-huurachterstanden",
        "evaluatie-wijkbudget",
    ]
    study = config.studies[2].model_dump()
    study["configurations"] = ["cmo-99"]
    study["collects"][0]["partners"] = ["bakkerij-noord"]
    bad = config.model_copy(update={"studies": [StudySpec.model_validate(study)]})
    messages = [f.message for f in validate_study(bad, ROOT / "data")]
    assert any(
        m.startswith(
            "key 'studies.0.configurations.0': configuration 'cmo-99' is not in the "
            "programme theory (configurations: cmo-01,"
        )
        for m in messages
    )
    assert any(
        m.startswith(
            "key 'studies.0.collects.0.partners.0': partner 'bakkerij-noord' is not "
            "in partners.csv"
        )
        for m in messages
    )


def test_the_shipped_example_shows_an_overlap_and_a_cell_without_study():
    config = load_config("wijk-noord", ROOT / "config")
    overlaps = value.research_overlaps(config)
    assert overlaps[
        ["study_a", "study_b", "overlap", "shared_partners", "months"]
    ].values.tolist() == [
        [
            "actieonderzoek-huurachterstanden",
            "evaluatie-wijkbudget",
            "same_respondents",
            "welzijn-noord;woonstichting-de-haven",
            3,
        ]
    ]
    agenda = value.research_agenda(None, config)
    assert agenda.loc[agenda["unaddressed"], ["perspective", "form"]].values.tolist() == [
        ["network", "direct"]
    ]


def test_free_text_is_escaped_in_the_report_and_defused_in_the_table(tmp_path):
    study = STUDIES[0] | {"question": '=HYPERLINK("http://x")<script>alert(1)</script>'}
    other = STUDIES[2] | {"question": study["question"]}
    config = NetworkConfig.model_validate(BASE | {"studies": [study, other]})
    agenda = value.research_agenda(None, config)
    overlaps = value.research_overlaps(config)
    html = story.paragraphs(*value.agenda_summary(agenda, overlaps, config))._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    shown = story.present(value.research_studies(config)).to_html()
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    path = write_table(agenda, tmp_path, "research_agenda")
    text = path.read_text(encoding="utf-8")
    assert ",=HYPERLINK" not in text and "'=HYPERLINK" in text


def test_the_report_has_the_research_agenda_section(tmp_path):
    config = NetworkConfig.model_validate(BASE)  # no studies: the section says so
    agenda = value.research_agenda(None, config)
    texts = story.paragraphs(
        *value.agenda_summary(agenda, value.research_overlaps(config), config)
    )
    table = story.present(value.agenda_matrix(agenda), labelled=True)
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell(
            "## Onderzoeksagenda van het netwerk\n\nTekst",
            metadata={"tags": ["report-section:research-agenda"]},
        )
    ]
    for shown in (texts, table):
        cell = v4.new_code_cell("")
        cell.outputs = [v4.new_output("display_data", data=shown._repr_mimebundle_())]
        cells.append(cell)
    nbformat.write(v4.new_notebook(cells=cells), tmp_path / "04_waarde.ipynb")
    page = story.build_report(
        [tmp_path / "04_waarde.ipynb"], tmp_path / "report.html", "X", formats=()
    ).read_text(encoding="utf-8")
    assert 'id="section-research-agenda"' in page
    assert ">Onderzoeksagenda van het netwerk</h2>" in page
    assert "Er staan nog geen onderzoeken op de agenda van het netwerk" in page
    assert story.section_title("research-agenda", "en") == "The network's research agenda"
