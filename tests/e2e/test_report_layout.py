"""Each example network's report in headless Chromium: summary first, captions, nothing wider than the page."""

from __future__ import annotations

import pytest

from .test_jupyterlab import CHROMIUM, CHROMIUM_ARGS, _require_browser

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

_LAYOUT = """() => ({
    first: document.querySelector('h2').innerText,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    tables: document.querySelectorAll('table.report-table').length,
    uncaptioned: Array.from(document.querySelectorAll('table.report-table')).filter(t => {
        const box = t.closest('.report-table-wrap');
        const before = box && box.previousElementSibling;
        return !(before && before.classList.contains('report-caption'));
    }).length,
    images: document.querySelectorAll('img').length,
    captions: Array.from(document.querySelectorAll('p.report-caption')).map(p => p.innerText),
})"""


@pytest.mark.parametrize("network_id", ["wijk-noord", "ggz-netwerk", "energie-regio"])
def test_report_in_chromium_opens_with_key_messages_and_captions_everything(
    example_runs, network_id, tmp_path
):
    from PIL import Image
    from playwright.sync_api import sync_playwright

    _require_browser()
    report = example_runs[network_id] / "report.html"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.goto(report.as_uri(), wait_until="load", timeout=60_000)
        found = page.evaluate(_LAYOUT)
        page.screenshot(path=str(tmp_path / "top.png"))
        browser.close()
    assert found["first"].startswith("Kernboodschappen")
    assert found["overflow"] <= 0  # wide tables scroll inside their box
    assert found["tables"] > 10 and found["uncaptioned"] == 0
    figures = [c for c in found["captions"] if c.startswith("Figuur ")]
    assert len(figures) == found["images"]
    numbers = [int(c.split()[1].rstrip(".")) for c in found["captions"] if c.startswith("Tabel ")]
    assert numbers == list(range(1, found["tables"] + 1))
    darkest, lightest = Image.open(tmp_path / "top.png").convert("L").getextrema()
    assert darkest < 80 < lightest  # text on a light page, not a blank or failed render
