"""Tests for netwerkonderzoek.story (timeline, report assembly, RAMESES II)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest

matplotlib.use("Agg")

from netwerkonderzoek import load_config, load_network, story
from netwerkonderzoek.exceptions import RunError
from netwerkonderzoek.simulate import EXAMPLE_NETWORKS

ROOT = Path(__file__).resolve().parents[1]
v4 = nbformat.v4


class ReportParser(HTMLParser):
    """Section headings, stderr outputs and error outputs of a report."""

    def __init__(self):
        super().__init__()
        self.sections: list[str] = []
        self.stderr = 0
        self.errors = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "h2" and "report-section" in classes:
            self.sections.append(attrs["data-section"])
        if attrs.get("data-mime-type") in (
            "application/vnd.jupyter.stderr",
            "application/vnd.jupyter.error",
        ):
            self.stderr += 1
        if "jp-OutputArea-error" in classes or "output_error" in classes:
            self.errors += 1


def _parse(path: Path) -> tuple[ReportParser, str]:
    text = path.read_text(encoding="utf-8")
    parser = ReportParser()
    parser.feed(text)
    return parser, text


def _tagged(cell, key):
    cell.metadata["tags"] = [f"{story.TAG_PREFIX}{key}"]
    return cell


def _notebooks(tmp_path) -> list[Path]:
    params = v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    shown = v4.new_code_cell("print('zichtbaar')")
    shown.outputs = [
        v4.new_output("stream", name="stdout", text="zichtbaar\n"),
        v4.new_output("stream", name="stderr", text="UserWarning: ruis\n"),
    ]
    a = v4.new_notebook(
        cells=[
            _tagged(v4.new_markdown_cell("Verhaal over de tijd"), "timeline"),
            params,
            shown,
            _tagged(v4.new_markdown_cell("Hoe het begon"), "mission"),
            _tagged(v4.new_markdown_cell("checklist-tekst"), "rameses"),
        ]
    )
    b = v4.new_notebook(cells=[v4.new_markdown_cell("Hartslagtekst")])
    paths = [tmp_path / "06_verhaal.ipynb", tmp_path / "03_hartslag.ipynb"]
    nbformat.write(a, paths[0])
    nbformat.write(b, paths[1])
    return paths


def test_rameses_items_are_the_20_of_wong_2016():
    assert [item for item, *_ in story.RAMESES_ITEMS] == list(range(1, 21))
    assert story.RAMESES_DOI == "10.1186/s12916-016-0643-1"
    titles = {item: en for item, _, en, _ in story.RAMESES_ITEMS}
    assert titles[4] == "Programme theory" and titles[20] == "Funding and conflict of interest"
    keys = {k for k, _, _ in story.REPORT_SECTIONS} | {
        "title",
        "summary",
        "ethics",
        "limitations",
        "discussion",
        "conclusions",
        "funding",
    }
    for item, _, _, sections in story.RAMESES_ITEMS:
        assert set(sections) <= keys, item


def test_rameses_checklist_states_coverage():
    table = story.rameses_checklist(["programme-theory", "methods"], language="en")
    row = table.set_index("item")
    assert row.loc[1, "status"] == "covered"  # the report title
    assert row.loc[4, "sections"] == "Programme theory"
    assert row.loc[6, "status"] == "missing" and row.loc[6, "sections"] == ""
    nl = story.rameses_checklist([], language="nl").set_index("item")
    assert nl.loc[3, "status"] == "ontbreekt"


def test_section_convention(tmp_path):
    nb = nbformat.read(_notebooks(tmp_path)[0], as_version=4)
    sections = story.notebook_sections(nb, "06_verhaal")
    assert [k for k, _ in sections] == ["timeline", "mission", "rameses"]
    timeline = sections[0][1]
    assert len(timeline) == 2  # parameters cell left out
    assert [o["name"] for o in timeline[1]["outputs"]] == ["stdout"]  # stderr left out
    untagged = v4.new_notebook(cells=[v4.new_markdown_cell("x")])
    assert story.notebook_sections(untagged, "99_iets")[0][0] == "other"
    bad = v4.new_notebook(cells=[_tagged(v4.new_markdown_cell("x"), "nope")])
    with pytest.raises(KeyError, match="unknown report section 'nope'"):
        story.notebook_sections(bad, "x")


def test_build_report_orders_sections_and_adds_checklist(tmp_path):
    paths = _notebooks(tmp_path)
    out = story.build_report(paths, tmp_path / "report.html", "Netwerk X")
    parser, text = _parse(out)
    assert parser.sections == ["mission", "timeline", "heartbeat", "rameses"]
    assert parser.stderr == 0 and "Traceback" not in text and "ruis" not in text
    assert "zichtbaar" in text and "Hartslagtekst" in text and "checklist-tekst" in text
    assert "Hartslag van het netwerk" in text and "Onderdeel (RAMESES II)" in text
    assert '<html lang="nl">' in text
    assert "ontbreekt" in text and "Netwerk X" in text
    # self-contained: opening the report fetches nothing (no CDN scripts or styles)
    raw = out.read_text(encoding="utf-8")
    assert "<script" not in raw
    assert not re.search(r"""(src|href)=["']https?://""", raw)
    again = story.build_report(paths, tmp_path / "again.html", "Netwerk X")
    assert again.read_bytes() == out.read_bytes()
    english = story.build_report(paths, tmp_path / "en.html", "Network X", language="en")
    _, text = _parse(english)
    assert "Heartbeat of the network" in text and "missing" in text


def test_build_report_refuses_error_outputs(tmp_path):
    cell = v4.new_code_cell("1/0")
    cell.outputs = [v4.new_output("error", ename="ZeroDivisionError", evalue="x", traceback=[])]
    path = tmp_path / "01_netwerk.ipynb"
    nbformat.write(v4.new_notebook(cells=[cell]), path)
    with pytest.raises(RunError, match="01_netwerk, cell 0: ZeroDivisionError"):
        story.build_report([path], tmp_path / "r.html", "x")


def test_timeline_and_outcomes():
    config = load_config("wijk-noord", ROOT / "config")
    data = load_network(config, ROOT / "data")
    table = story.timeline_table(data.events)
    assert table["date"].is_monotonic_increasing and list(table["number"]) == list(
        range(1, len(data.events) + 1)
    )
    outcomes = story.outcome_series(data.indicators, config)
    # the first baseline month of every indicator is at most 3 months from its baseline
    assert set(outcomes["indicator_id"]) == {s.id for s in config.indicators}
    fig = story.plot_timeline(data.events, outcomes=outcomes, language="en")
    assert fig.axes[0].get_title() == "Timeline of the network"
    with pytest.raises(ValueError, match="wave_dates"):
        story.plot_timeline(data.events, heartbeat=pd.DataFrame(columns=["period"]))
    overview = story.data_overview(data, config, language="en")
    assert overview.loc[0, "size"] == f"{len(data.partners)} organisations"


def test_theory_changes_proposals():
    from netwerkonderzoek.cmo import ProgrammeTheory

    theory = ProgrammeTheory("x", "T", 1, "initial", "2024-01-01", ())
    verdicts = pd.DataFrame(
        {
            "cmo_id": ["a", "b"],
            "verdict": ["refined", "supported"],
            "refined_context": ["age >= 65", ""],
        }
    )
    table = story.theory_changes(verdicts, theory, language="nl")
    assert table["new"].tolist() == ["context aanscherpen tot: age >= 65", "behouden"]


@pytest.mark.slow
@pytest.mark.parametrize("network_id", EXAMPLE_NETWORKS)
def test_report_of_every_example_network(example_runs, network_id):
    run = example_runs[network_id]  # full study runs, shared with the e2e report test
    parser, text = _parse(run / "report.html")
    # a first evaluation: no section on what changed since the previous one
    expected = [k for k, _, _ in story.REPORT_SECTIONS if k not in ("other", "changes")]
    assert [s for s in parser.sections if s != "other"] == expected
    assert parser.stderr == 0 and parser.errors == 0
    assert "Traceback" not in text and "jp-RenderedText" in text
    matrix = pd.read_csv(run / "tables" / "value_matrix.csv")
    assert {
        "period",
        "perspective",
        "form",
        "indicator_id",
        "change",
        "appreciation",
        "stakeholder_group",
    } <= set(matrix.columns)
    assert set(matrix["perspective"]) == {"societal", "network", "partner"}
    case = pd.read_csv(run / "tables" / "partner_business_case.csv")
    assert {
        "partner_id",
        "period",
        "hours",
        "costs_eur",
        "partner_value",
        "appreciation",
        "flag",
    } <= set(case.columns)


def test_text_table_plain_text_does_not_vary_between_runs():
    # found by a new user: `verify` saw 04_waarde differ by the Styler's memory
    # address in the notebook's plain-text output
    import pandas as pd

    from netwerkonderzoek.story import text_table

    a = text_table(pd.DataFrame({"text": ["een", "twee"]}))
    b = text_table(pd.DataFrame({"text": ["een", "twee"]}))
    assert repr(a) == repr(b) == "text\n een\ntwee"
    assert " at 0x" not in repr(a) and a._repr_html_() == b.to_html()
