"""Markup in a network's texts never becomes markup in its report (issue 16, point 1).

A copy of the example network ``wijk-noord`` gets markup in its observation
texts (quotes, most-significant-change stories), event titles and
descriptions, partner names and the theory's context descriptions. Its full
study report, opened in headless Chromium, must hold no element or attribute
that the markup would add, must run no script, and must show the markup as
text.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml

from ..conftest import ROOT
from .test_jupyterlab import CHROMIUM, CHROMIUM_ARGS, _require_browser

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

PAYLOADS = (
    "<img src=x data-xss=1 onerror=\"document.title='pwned'\">",
    "<script data-xss=1>document.title='pwned'</script>",
    "<b data-xss=1 onmouseover=\"document.title='pwned'\">vet</b>",
    "<a data-xss=1 href=\"javascript:document.title='pwned'\">klik</a>",
)


def _poison(text: str, i: int) -> str:
    return f"{PAYLOADS[i % len(PAYLOADS)]} {text}"


def _hostile_project(tmp_path):
    project = tmp_path / "project"
    (project / "config" / "networks").mkdir(parents=True)
    (project / "config" / "theories").mkdir(parents=True)
    config = yaml.safe_load((ROOT / "config" / "networks" / "wijk-noord.yaml").read_text())
    config.pop("sources", None)  # the canonical tables are given; nothing to harmonise
    (project / "config" / "networks" / "wijk-noord.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    shutil.copy(ROOT / "config" / "demo.key", project / "config")
    shutil.copytree(ROOT / "data" / "wijk-noord", project / "data" / "wijk-noord")
    data = project / "data" / "wijk-noord"
    for name, columns in {
        "observations": ["text"],
        "events": ["title", "description"],
        "partners": ["name"],
    }.items():
        path = data / f"{name}.csv"
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in columns:
            table[column] = [_poison(v, i) for i, v in enumerate(table[column])]
        table.to_csv(path, index=False)
    theory = yaml.safe_load((ROOT / "config" / "theories" / "wijk-noord.yaml").read_text())
    for i, configuration in enumerate(theory["configurations"]):
        configuration["context"]["description"] = _poison(
            configuration["context"]["description"], i
        )
    theory["name"] = _poison(theory["name"], 0)
    (project / "config" / "theories" / "wijk-noord.yaml").write_text(
        yaml.safe_dump(theory, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    shutil.rmtree(data / "provenance", ignore_errors=True)
    shutil.rmtree(data / "harmonisation", ignore_errors=True)
    return project


_DOM = """() => ({
    injected: document.querySelectorAll('[data-xss]').length,
    scripts: document.querySelectorAll('script').length,
    handlers: Array.from(document.querySelectorAll('*')).filter(
        el => Array.from(el.attributes).some(a => a.name.startsWith('on'))).length,
    javascript: document.querySelectorAll('a[href^="javascript:"]').length,
    title: document.title,
    text: document.body.innerText,
})"""


def test_markup_in_texts_stays_text_in_the_report(tmp_path):
    from playwright.sync_api import sync_playwright

    from netwerkonderzoek.runner import run_network

    _require_browser()
    project = _hostile_project(tmp_path)
    result = run_network(
        "wijk-noord",
        config_dir=project / "config",
        data_dir=project / "data",
        output_dir=project / "output",
        notebook_dir=ROOT / "notebooks",
        force=True,
    )
    assert result.status == "complete", result
    report = result.path / "report.html"
    source = report.read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in source
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(report.as_uri(), wait_until="load", timeout=60_000)
        page.wait_for_timeout(200)
        found = page.evaluate(_DOM)
        layout = page.evaluate(
            "() => ({first: document.querySelector('h2').innerText,"
            " overflow: document.documentElement.scrollWidth - window.innerWidth})"
        )
        partner_pages = []
        for path in sorted((result.path / "partners").glob("*.html"))[:6]:
            page.goto(path.as_uri(), wait_until="load", timeout=60_000)
            partner_pages.append(page.evaluate(_DOM))
        browser.close()
    # the summary first; wide tables scroll inside their box, not the page
    assert layout["first"].startswith("Kernboodschappen") and layout["overflow"] <= 0
    for other in partner_pages:  # the partner reports escape the names too
        assert other["injected"] == other["scripts"] == other["handlers"] == 0
        assert (
            "<img src=x data-xss=1" in other["text"]
            or "<script data-xss=1>" in other["text"]
            or ("<b data-xss=1" in other["text"] or "<a data-xss=1" in other["text"])
        )
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(result.path / "report.pdf"))
    pdf_text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    pdf.close()
    assert "<img src=x data-xss=1" in pdf_text  # markup is text in the PDF as well
    assert found["injected"] == 0, "markup from the data became elements of the report"
    assert found["scripts"] == 0 and found["handlers"] == 0 and found["javascript"] == 0
    assert "pwned" not in found["title"]
    # the texts are there, shown as the text they are
    assert "<img src=x data-xss=1" in found["text"]
    assert "<b data-xss=1" in found["text"]
