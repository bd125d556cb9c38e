"""The report a steering group is handed: summary first, Dutch, PDF and Word, per partner, no leaks.

Checked on full runs of the three example networks (``example_runs``): the
HTML as text, the PDF through pypdfium2 (text and page images), the Word file
through python-docx. Unit tests of the presentation layer and the key
messages use hand-built tables with hand-computed wording.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from netwerkonderzoek import story
from netwerkonderzoek.story import document
from netwerkonderzoek.story.present import format_value, present

ROOT = Path(__file__).resolve().parents[1]


class _Text(HTMLParser):
    """Visible text, table cells and headings of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.text: list[str] = []
        self.cells: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._cell: list[str] | None = None
        self._heading: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.skip += 1
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h1", "h2", "h3", "h4"):
            self._heading = (tag, [])

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None
        elif tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            level, parts = self._heading
            self.headings.append((level, "".join(parts).strip().rstrip("¶").strip()))
            self._heading = None

    def handle_data(self, data):
        if self.skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading[1].append(data)


def _html(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pdf_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def _docx(path: Path):
    import docx

    return docx.Document(str(path))


# --- presentation layer -------------------------------------------------------------------


def test_present_formats_as_a_dutch_text_does():
    frame = pd.DataFrame(
        {
            "cmo_id": ["cmo-01", "cmo-02"],
            "verdict": ["insufficient_data", "supported"],
            "estimate": [-6.825528e-16, 3.052381],
            "p_value": [0.402778, 2e-9],
            "n": [12345, None],
            "response_rate": [0.5, 1.0],
            "costs_eur": [45035.4, 0.0],
            "core": [True, False],
        }
    )
    shown = present(frame).frame
    assert list(shown.columns) == [
        "Configuratie", "Oordeel", "Schatting", "p-waarde", "Aantal", "Respons", "Kosten (€)",
        "Kern",
    ]  # fmt: skip
    # hand-computed: decimal comma, thousands dot, no -0, no scientific notation, p < 0,001
    assert shown.values.tolist() == [
        ["cmo-01", "Te weinig gegevens", "0,000", "0,403", "12.345", "50,0%", "€ 45.035", "ja"],
        ["cmo-02", "Bevestigd", "3,052", "< 0,001", "geen gegevens", "100,0%", "€ 0", "nee"],
    ]
    english = present(frame, language="en").frame
    assert english.iloc[0].tolist()[:5] == [
        "cmo-01",
        "Insufficient data",
        "0.000",
        "0.403",
        "12,345",
    ]
    assert english.iloc[1, 4] == "no data"


def test_present_refuses_a_column_it_cannot_label_and_escapes_cells():
    with pytest.raises(KeyError, match=r"no presentation label for column\(s\) mystery"):
        present(pd.DataFrame({"mystery": [1]}))
    html = present(pd.DataFrame({"text": ["<script>alert(1)</script> & co"]})).to_html()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_an_empty_table_is_a_sentence():
    shown = present(pd.DataFrame({"wave": []}), empty="Geen enquête: geen respons per meting.")
    assert shown.to_html() == '<p class="report-empty">Geen enquête: geen respons per meting.</p>'
    assert shown.to_json() == {"empty": "Geen enquête: geen respons per meting."}


def test_format_value_dates_and_kinds():
    assert format_value("2022-07-05", "date") == "5 jul 2022"
    assert format_value("2024-03", "date") == "2024-03"  # a period is not a day
    assert format_value(float("nan"), "d2", "en") == "no data"


# --- key messages ---------------------------------------------------------------------------


def _tables(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        {
            "cmo_id": ["cmo-01", "cmo-02"],
            "verdict": ["supported", "insufficient_data"],
            "estimate": [0.195093, None],
            "ci_low": [0.135546, None],
            "ci_high": [0.25464, None],
            "refined_context": [None, None],
            "n_items": [2, 1],
            "n_supports": [2, 0],
            "n_contradicts": [0, 0],
            "n_refines": [0, 0],
            "suppressed": ["", "n"],
        }
    ).to_csv(folder / "cmo_verdicts.csv", index=False)
    pd.DataFrame(
        {
            "period": ["2024-06"] * 4,
            "perspective": ["societal", "societal", "societal", "network"],
            "form": ["direct", "direct", "direct", "direct"],
            "row_type": ["indicator", "indicator", "appreciation", "appreciation"],
            "indicator_id": ["a", "b", None, None],
            "indicator_label": ["Indicator A", "Indicator B", None, None],
            "change": [0.5, -0.25, None, None],
            "stakeholder_group": [None, None, "residents", "funders"],
            "appreciation": [None, None, 6.27, 7.0],
            "n_ratings": [None, None, 30, 4],
            "appreciation_status": [None, None, "rated", "rated"],
        }
    ).to_csv(folder / "value_matrix.csv", index=False)
    pd.DataFrame(
        {
            "partner_id": ["p1", "p2"],
            "name": ["Stichting Een", "Stichting Twee"],
            "flag": [True, False],
            "reason": ["inzet groeit terwijl de ervaren waarde daalt", None],
        }
    ).to_csv(folder / "partner_business_case_summary.csv", index=False)
    pd.DataFrame(
        {
            "wave": [1, 2],
            "members": [10, 10],
            "responded": [10, 8],
            "response_rate": [1.0, 0.8],
            "non_respondents": [None, "p3;p4"],
            "outside_members": [0, 0],
        }
    ).to_csv(folder / "survey_response_rates.csv", index=False)
    return folder


def test_key_messages_say_what_the_tables_say_in_words(tmp_path):
    messages = story.key_messages(_tables(tmp_path / "tables"), min_cell=10)
    groups = dict(messages.groups)
    assert groups["Wat levert het netwerk op?"] == [
        "Maatschappelijke waarde, direct: 1 van 2 indicatoren bewogen sinds de basisperiode in "
        "de gewenste richting (Indicator A +0,50; Indicator B -0,25).",
        "Netwerkwaarde, direct: de waardedefinitie heeft hier geen indicator.",
        # 4 funders is below min_cell 10: not shown
        "Waardering (2024-06): Bewoners 6,3 (n = 30); Financiers: te weinig beoordelaars om te "
        "tonen.",
    ]
    assert groups["Wat werkt, voor wie en waardoor: de programmatheorie"] == [
        "CMO-01 (cmo-01): bevestigd. De kwantitatieve toets geeft een effect van 0,20 "
        "(95%-interval 0,14 tot 0,25). 2 van 2 bewijsstukken ondersteunen, 0 weerspreken.",
        "CMO-02 (cmo-02): te weinig gegevens. 0 van 1 bewijsstukken ondersteunen, 0 weerspreken.",
    ]
    assert groups["Partners van wie de businesscase onder druk staat"] == [
        "Stichting Een: inzet groeit terwijl de ervaren waarde daalt."
    ]
    assert groups["Wat veranderde sinds de vorige evaluatie"] == [
        "Dit is de eerste complete evaluatie van dit netwerk: er is niets om mee te vergelijken."
    ]
    limits = groups["Grenzen van het bewijs"]
    assert limits[0] == (
        "Meting 2: 8 van 10 partners vulden de netwerkenquête in; van p3, p4 zijn de eigen "
        "relaties onbekend, dus maten die daarop steunen zijn ondergrenzen."
    )
    assert "Te weinig bewijs voor een oordeel over CMO-02." in limits
    assert "1 cellen met aantallen personen onder de 10 zijn afgeschermd." in limits
    # the heartbeat tables were not made: said, not hidden
    assert "Niet in deze run: hartslag per meting (tables/heartbeat.csv)." in limits


def _run(network: Path, run_id: str) -> Path:
    """A complete run folder holding the tables of :func:`_tables`."""
    import json

    run = network / run_id
    _tables(run / "tables")
    manifest = {
        "run_id": run_id,
        "network_id": "wijk-noord",
        "status": "complete",
        "started": f"{run_id[:4]}-{run_id[4:6]}-{run_id[6:8]}T09:00:00+00:00",
    }
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return run


def test_key_messages_say_what_changed_since_the_previous_run(tmp_path):
    from netwerkonderzoek.runner import compare_runs

    before, now = _run(tmp_path, "20240101T090000Z"), _run(tmp_path, "20240701T090000Z")
    verdicts = pd.read_csv(before / "tables" / "cmo_verdicts.csv")
    verdicts.loc[0, "verdict"] = "inconclusive"
    verdicts.to_csv(before / "tables" / "cmo_verdicts.csv", index=False)
    cases = pd.read_csv(before / "tables" / "partner_business_case_summary.csv")
    cases["flag"] = [False, True]
    cases.to_csv(before / "tables" / "partner_business_case_summary.csv", index=False)
    changes = compare_runs(before, now)
    groups = dict(story.key_messages(now / "tables", changes=changes).groups)
    # the comparison's sentences, verdicts first (tests/test_compare.py checks them)
    assert groups["Wat veranderde sinds de vorige evaluatie"] == [
        "CMO-01: van onbeslist naar bevestigd (zelfde gegevens en bewijs: de code veranderde).",
        "Businesscase van Stichting Een staat nu onder druk: inzet groeit terwijl de ervaren "
        "waarde daalt.",
        "Businesscase van Stichting Twee staat niet meer onder druk.",
    ]
    english = compare_runs(before, now, language="en")
    groups = dict(story.key_messages(now / "tables", changes=english, language="en").groups)
    assert groups["What changed since the previous evaluation"][0] == (
        "CMO-01: from inconclusive to supported (same data and evidence: the code changed)."
    )
    same = compare_runs(_run(tmp_path, "20240201T090000Z"), now)
    groups = dict(story.key_messages(now / "tables", changes=same).groups)
    assert groups["Wat veranderde sinds de vorige evaluatie"] == [
        "Sinds de vorige evaluatie (1 februari 2024) veranderde niets."
    ]
    first = dict(story.key_messages(now / "tables").groups)
    assert first["Wat veranderde sinds de vorige evaluatie"] == [
        "Dit is de eerste complete evaluatie van dit netwerk: er is niets om mee te vergelijken."
    ]


def test_discussion_is_included_verbatim_and_escaped(tmp_path):
    from netwerkonderzoek.config import load_config

    config_dir = tmp_path / "config"
    (config_dir / "networks").mkdir(parents=True)
    (config_dir / "theories").mkdir()
    for name in ("networks/wijk-noord.yaml", "theories/wijk-noord.yaml"):
        (config_dir / name).write_text((ROOT / "config" / name).read_text(encoding="utf-8"))
    config = load_config("wijk-noord", config_dir)
    missing = story.discussion(config)
    assert not missing.present
    assert "config/networks/wijk-noord.discussie.txt" in missing.paragraphs[0]
    story.discussion_path(config).write_text(
        "Het netwerk <b>werkt</b>.\nVooral in Noord.\n\nAanbeveling: ga door.\n", encoding="utf-8"
    )
    text = story.discussion(config)
    assert text.present
    assert text.paragraphs == [
        "Het netwerk <b>werkt</b>. Vooral in Noord.",
        "Aanbeveling: ga door.",
    ]
    assert text._repr_html_() == (
        "<p>Het netwerk &lt;b&gt;werkt&lt;/b&gt;. Vooral in Noord.</p><p>Aanbeveling: ga door.</p>"
    )


# --- the reports of the example networks -----------------------------------------------------

CODE_WORDS = re.compile(
    r"\b(NaN|nan|None|True|False|insufficient_data|supports|contradicts|inconclusive|supported|"
    r"contradicted|refined|societal|quantitative|qualitative|cross_section|indicator_id|cmo_id|"
    r"source_role|partner_id|n_supports|n_contradicts|p_value)\b"
)


@pytest.mark.slow
@pytest.mark.parametrize("network_id", ["wijk-noord", "ggz-netwerk", "energie-regio"])
def test_dutch_html_report_opens_with_key_messages_and_reads_as_dutch(example_runs, network_id):
    page = _html(example_runs[network_id] / "report.html")
    sections = [t for level, t in page.headings if level == "h2"]
    assert sections[0] == "Kernboodschappen"
    assert len(sections) == len(set(sections))  # each section once
    subheadings = [t for level, t in page.headings if level != "h2"]
    assert not set(subheadings) & set(sections)  # no heading twice
    text = " ".join(page.text)
    found = sorted({c for c in page.cells if CODE_WORDS.search(c)})
    assert found == [], f"code words in the tables of the Dutch report: {found}"
    assert re.search(r"\b(NaN|nan|True|False)\b", text) is None
    assert re.search(r"\d\.?\d*e[-+]\d+", text) is None  # no scientific notation
    for cell in page.cells:  # a decimal point in a Dutch table (1.234 is a thousands dot)
        if re.fullmatch(r"[-+<€ ]*\d+\.\d+%?", cell):
            assert len(cell.rstrip("%").split(".")[-1]) == 3, f"decimal point in {cell!r}"


@pytest.mark.slow
@pytest.mark.parametrize("network_id", ["wijk-noord", "energie-regio"])
def test_pdf_and_word_have_the_reports_sections_tables_and_captions(example_runs, network_id):
    run = example_runs[network_id]
    page = _html(run / "report.html")
    sections = [t for level, t in page.headings if level == "h2"]
    pages = _pdf_pages(run / "report.pdf")
    assert 10 <= len(pages) <= 80
    # a page's text starts with its footer (title, page number), then the page
    assert pages[1].splitlines()[1] == "Inhoud"
    assert pages[2].splitlines()[1] == "Kernboodschappen"  # after the title page and contents
    assert all(re.search(rf"Pagina \d+ van {len(pages)}", p) for p in pages[1:])
    joined = "\n".join(pages)
    for title in sections:
        assert title in joined
    tables = re.findall(r"Tabel (\d+)\. (\S[^\n]*)", joined)
    figures = re.findall(r"Figuur (\d+)\. (\S[^\n]*)", joined)
    assert tables and figures
    assert [int(n) for n, _ in tables] == list(range(1, len(tables) + 1))
    document = _docx(run / "report.docx")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == sections
    assert len(document.tables) == len(tables)
    assert len(document.inline_shapes) == len(figures)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == len(tables) + len(figures)
    assert all(re.match(r"(Tabel|Figuur) \d+\. \S", c) for c in captions)


@pytest.mark.slow
def test_pdf_pages_render_and_the_documents_are_byte_identical_for_the_same_run(
    example_runs, tmp_path
):
    import shutil

    import pypdfium2 as pdfium

    run = example_runs["wijk-noord"]
    pdf = pdfium.PdfDocument(str(run / "report.pdf"))
    image = pdf[2].render(scale=0.5).to_pil().convert("L")
    assert image.getextrema()[0] < 100  # text on the key messages page, not a blank page
    pdf.close()
    notebooks = sorted((run / "notebooks").glob("*.ipynb"))
    for name in ("a", "b"):
        shutil.copytree(run / "figures", tmp_path / name / "figures")
        story.build_report(
            notebooks, tmp_path / name / "report.html", "Wijknetwerk Leefbaar Noord"
        )
    for name in ("report.html", "report.pdf", "report.docx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def _names(network_id: str) -> set[str]:
    partners = pd.read_csv(ROOT / "data" / network_id / "partners.csv")
    return set(partners["name"])


@pytest.mark.slow
@pytest.mark.parametrize("network_id", ["wijk-noord", "ggz-netwerk", "energie-regio"])
def test_no_other_networks_partners_in_any_report_of_a_network(example_runs, network_id):
    run = example_runs[network_id]
    own = _names(network_id)
    others = set().union(*(_names(n) for n in example_runs if n != network_id)) - own
    texts = {"report.html": " ".join(_html(run / "report.html").text)}
    texts["report.pdf"] = "\n".join(_pdf_pages(run / "report.pdf"))
    texts["report.docx"] = "\n".join(p.text for p in _docx(run / "report.docx").paragraphs) + (
        "\n".join(
            c.text for t in _docx(run / "report.docx").tables for r in t.rows for c in r.cells
        )
    )
    for path in sorted((run / "partners").glob("*")):
        texts[f"partners/{path.name}"] = (
            " ".join(_html(path).text) if path.suffix == ".html" else "\n".join(_pdf_pages(path))
        )
    leaks = {f: sorted(n for n in others if n in t) for f, t in texts.items()}
    assert {f: n for f, n in leaks.items() if n} == {}


@pytest.mark.slow
def test_each_partner_gets_its_own_report_that_names_no_other_partner(example_runs):
    run = example_runs["wijk-noord"]
    partners = pd.read_csv(ROOT / "data" / "wijk-noord" / "partners.csv")
    case = pd.read_csv(run / "tables" / "partner_business_case.csv")
    ids = sorted(case["partner_id"].unique())
    assert sorted(p.stem for p in (run / "partners").glob("*.pdf")) == ids
    assert sorted(p.stem for p in (run / "partners").glob("*.html")) == ids
    names = dict(zip(partners["partner_id"], partners["name"], strict=True))
    for partner_id in ids:
        page = _html(run / "partners" / f"{partner_id}.html")
        text = " ".join(page.text)
        assert names[partner_id] in page.headings[0][1]
        others = [
            n for p, n in names.items() if p != partner_id and n not in names[partner_id]
        ] + [p for p in names if p != partner_id and p not in partner_id]
        assert [n for n in others if re.search(rf"\b{re.escape(n)}\b", text)] == [], partner_id
        pdf = "\n".join(_pdf_pages(run / "partners" / f"{partner_id}.pdf"))
        assert "Wat levert het netwerk ons op?" in pdf and "Onze plek in het netwerk" in pdf


def test_partner_report_suppresses_own_appreciation_from_too_few_raters():
    case = pd.DataFrame(
        {
            "partner_id": ["p1", "p1", "p2"],
            "name": ["Stichting Een", "Stichting Een", "Stichting Twee"],
            "kind": ["welfare"] * 3,
            "wave": [1, 2, 1],
            "period": ["2024-01", "2024-07", "2024-01"],
            "hours": [10.0, 20.0, 5.0],
            "costs_eur": [1000.0, 2000.0, 500.0],
            "hours_per_month": [5.0, 3.3333, 2.5],
            "partner_value": [3.0, 2.5, 2.0],
            "raters": [4, 5, 3],
            "appreciation": [7.25, 6.0, 8.0],
            "n_ratings": [12, 3, 20],
            "flag": [False, False, False],
        }
    )
    blocks = story.partner_blocks("p1", case, None, network="Netwerk", min_cell=10)
    tables = [b for b in blocks if isinstance(b, document.Table)]
    own = next(t for t in tables if t.caption == "Onze eigen waardering")
    assert own.rows == [
        ["1", "7,2", "12"],
        ["2", "afgeschermd (minder dan 10 beoordelaars)", "< 10"],
    ]
    attributed = next(t for t in tables if t.caption == "Wat de andere partners ons toekennen")
    # the network median over all partners per wave (p1 3,0 and p2 2,0 in wave 1): 2,50
    assert attributed.rows == [["1", "3,00", "4", "2,50"], ["2", "2,50", "5", "2,50"]]
    text = " ".join(b.text for b in blocks if isinstance(b, document.Paragraph))
    assert "Stichting Twee" not in text and "p2" not in str([t.rows for t in tables])


def test_word_report_takes_the_styles_of_the_networks_template_and_validate_checks_it(tmp_path):
    import docx
    from docx.shared import Pt, RGBColor

    from netwerkonderzoek.checks import report_faults
    from netwerkonderzoek.config import NetworkConfig
    from netwerkonderzoek.story.word import write_docx

    template = docx.Document()
    template.add_paragraph("Tekst van het sjabloon die niet in het rapport hoort")
    heading = template.styles["Heading 1"]
    heading.font.size, heading.font.color.rgb = Pt(21), RGBColor(0x12, 0x34, 0x56)
    template.save(tmp_path / "huisstijl.docx")
    blocks = [
        document.Heading(1, "Kernboodschappen"),
        document.Paragraph([("Het netwerk ", ""), ("werkt", "b"), (".", "")]),
        document.Table(["Meting", "Respons"], [["1", "100,0%"]], ["int", "pct"], "Respons", 1),
    ]
    out = write_docx(
        blocks, tmp_path / "report.docx", "Netwerk", template=tmp_path / "huisstijl.docx"
    )
    written = docx.Document(str(out))
    texts = [p.text for p in written.paragraphs]
    assert "Tekst van het sjabloon die niet in het rapport hoort" not in texts
    assert written.styles["Heading 1"].font.color.rgb == RGBColor(0x12, 0x34, 0x56)
    assert [p.text for p in written.paragraphs if p.style.name == "Heading 1"] == [
        "Kernboodschappen"
    ]
    assert [[c.text for c in r.cells] for r in written.tables[0].rows] == [
        ["Meting", "Respons"],
        ["1", "100,0%"],
    ]
    assert "Tabel 1. Respons" in texts
    base = {
        "network_id": "x", "name": "X", "mission": "m", "task": "t",
        "study": {"start": "2024-01", "end": "2024-12", "waves": [{"wave": 1, "date": "2024-03-01"}]},
    }  # fmt: skip
    (tmp_path / "networks").mkdir()
    config = NetworkConfig.model_validate(
        {**base, "report": {"docx_template": "huisstijl.docx"}}
    ).model_copy(update={"path": tmp_path / "networks" / "x.yaml"})
    assert report_faults(config) == []
    missing = NetworkConfig.model_validate(
        {**base, "report": {"docx_template": "weg.docx"}}
    ).model_copy(update={"path": tmp_path / "networks" / "x.yaml"})
    (fault,) = report_faults(missing)
    assert str(fault).endswith(
        f"key 'report.docx_template': {tmp_path / 'weg.docx'} does not exist; expected a Word "
        "document (.docx)"
    )


def test_every_registered_notebook_exists_and_reports_to_a_known_section():
    from netwerkonderzoek.registry import (
        register_notebook,
        registered_notebook,
        registered_notebooks,
    )
    from netwerkonderzoek.story.sections import REPORT_SECTIONS

    keys = {key for key, _, _ in REPORT_SECTIONS}
    notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    registered = registered_notebooks()
    assert {nb.name for nb in registered} == {p.stem for p in notebooks.glob("[0-9][0-9]_*.ipynb")}
    assert all(nb.section is None or nb.section in keys for nb in registered)
    assert [nb.name for nb in registered_notebooks("cross-network")] == ["05_synthese"]
    with pytest.raises(ValueError, match="unknown report section 'verdicts'; known: summary"):
        register_notebook("08_eigen", section="verdicts")
    assert registered_notebook("08_eigen").section is None  # not registered: tagged cells only
