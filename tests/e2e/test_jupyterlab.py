"""End to end in the real client: JupyterLab in headless Chromium (Playwright).

Starts JupyterLab on a free localhost port in a temporary copy of the project
(so the repository's notebooks are never saved with outputs), opens
``notebooks/01_netwerk.ipynb``, runs all cells and checks that the network
figure appears and that no cell shows an error; opens the ``report.html`` of a
full study run and checks every section. Screenshots are saved under
``test-artifacts/`` (git-ignored). Chromium is Debian's ``chromium`` package,
which ``.ci/run`` installs when it is missing.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def _require_browser() -> None:
    pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail(
                "chromium is not installed; .ci/run should have installed Debian's chromium package"
            )
        pytest.skip("chromium is not installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    _require_browser()
    project = tmp_path / "project"
    for name in ("notebooks", "config", "data"):
        shutil.copytree(
            ROOT / name, project / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "raw")
        )
    port, token = _free_port(), secrets.token_hex(16)
    settings = tmp_path / "lab-settings"
    # render every cell (no virtual scrolling) so all prompts and outputs can be checked
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}'
    )
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (
        settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    ).write_text('{"fetchNews": "false", "checkForUpdates": false}')
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
    }
    env.pop("MPLBACKEND", None)
    log = open(tmp_path / "lab.log", "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={project}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            # window.jupyterapp: the test waits on the notebook's session, not on a CSS state
            "--LabApp.expose_app_in_browser=True",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.terminate()
        pytest.fail(
            f"JupyterLab did not start; log:\n{(tmp_path / 'lab.log').read_text()[-3000:]}"
        )
    yield base, token, project, tmp_path / "lab.log"
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


# JavaScript run in the page: the state of the open notebook's kernel session.
_SESSION_STATE = """() => {
    const app = window.jupyterapp;
    const panel = app && app.shell.currentWidget;
    const ctx = panel && panel.sessionContext;
    if (!ctx) { return "no-notebook"; }
    if (!ctx.isReady) { return "starting"; }
    const kernel = ctx.session && ctx.session.kernel;
    return kernel ? kernel.connectionStatus + "/" + kernel.status : "no-kernel";
}"""


def _diagnosis(page, lab_log: Path) -> str:
    """What a failing check shows: open dialogs, the kernel state and the server log."""
    dialogs = page.locator(".jp-Dialog").all_inner_texts()
    try:
        state = page.evaluate(_SESSION_STATE)
    except Exception as error:  # the page itself may be gone
        state = f"unknown ({error})"
    return f"dialogs: {dialogs}; kernel: {state}; lab.log:\n{lab_log.read_text()[-4000:]}"


def test_network_notebook_runs_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright

    base, token, project, lab_log = lab
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/notebooks/01_netwerk.ipynb?token={token}", timeout=60_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        # the kernel is connected and idle (not merely the indicator's initial state); a
        # dialog on the way (kernel choice) is accepted with its default, as a user would
        dialogs_seen: list[str] = []
        deadline = time.monotonic() + 120
        while page.evaluate(_SESSION_STATE) != "connected/idle":
            dialog = page.locator(".jp-Dialog")
            if dialog.count():
                dialogs_seen.append(dialog.first.inner_text())
                page.locator(".jp-Dialog .jp-mod-accept").first.click(timeout=5_000)
            if time.monotonic() > deadline:
                page.screenshot(path=str(ARTIFACTS / "jupyterlab-kernel.png"), full_page=True)
                pytest.fail(
                    f"the notebook's kernel did not become idle; dialogs accepted: "
                    f"{dialogs_seen}; {_diagnosis(page, lab_log)}"
                )
            time.sleep(0.5)
        # Run > Run All Cells, as a user does
        page.click(".lm-MenuBar-itemLabel:text-is('Run')", timeout=10_000)
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')", timeout=10_000)
        # every code cell gets an execution count; none stays pending ([*])
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
            if prompts and all(p.strip() not in ("[ ]:", "[*]:", "") for p in prompts):
                break
            time.sleep(1)
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-01_netwerk.png"), full_page=True)
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
        assert prompts and all(p.strip() not in ("[ ]:", "[*]:") for p in prompts), (
            f"cells not run: {prompts}; {_diagnosis(page, lab_log)}"
        )
        errors = page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"
        )
        assert errors.count() == 0, errors.all_inner_texts()
        assert page.locator(".jp-RenderedImage img").count() >= 1, (
            "the network figure did not appear"
        )
        browser.close()
    assert (project / "output").exists()  # the notebook wrote its outputs in the copy only


# JavaScript run in the report: per section heading, what follows it up to the next one.
_REPORT_SECTIONS = """() => {
    const headings = Array.from(document.querySelectorAll("h2.report-section"));
    return headings.map((h2) => {
        // nbconvert wraps each cell; walk the cells after the heading's cell
        let cell = h2.closest(".jp-Cell") || h2;
        const found = {key: h2.dataset.section, title: h2.textContent.trim(),
                       text: 0, images: 0, broken: 0, unlabelled: 0, tables: 0, errors: 0};
        for (cell = cell.nextElementSibling; cell; cell = cell.nextElementSibling) {
            if (cell.querySelector("h2.report-section")) { break; }
            found.text += cell.innerText.trim().length;
            for (const img of cell.querySelectorAll("img")) {
                found.images += 1;
                if (!img.complete || img.naturalWidth === 0) { found.broken += 1; }
                const alt = (img.getAttribute("alt") || "").trim();
                if (!alt || alt.startsWith("No description")) { found.unlabelled += 1; }
            }
            found.images += cell.querySelectorAll("svg").length;
            found.tables += cell.querySelectorAll("table").length;
            found.errors += cell.querySelectorAll(".jp-RenderedText[data-mime-type*='stderr'],"
                + " [data-mime-type='application/vnd.jupyter.error']").length;
        }
        return found;
    });
}"""


@pytest.mark.parametrize("network_id", ["wijk-noord", "ggz-netwerk", "energie-regio"])
def test_report_opens_with_every_section(example_runs, network_id):
    """The report of a full run, opened in Chromium: every listed section is there and filled."""
    from playwright.sync_api import sync_playwright

    from netwerkonderzoek.story.report import REPORT_SECTIONS

    _require_browser()
    ARTIFACTS.mkdir(exist_ok=True)
    report = example_runs[network_id] / "report.html"
    known = {key for key, _, _ in REPORT_SECTIONS}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        console_errors: list[str] = []
        page.on(
            "console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None
        )
        page.goto(report.as_uri(), wait_until="load", timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / f"report-{network_id}.png"), full_page=True)
        contents = page.locator("nav.report-contents a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        sections = page.evaluate(_REPORT_SECTIONS)
        title = page.locator("h1.report-title").inner_text()
        browser.close()
    keys = [s["key"] for s in sections]
    assert title.strip(), "the report has no title"
    # the table of contents and the headings agree, in the documented reading order
    assert contents == [f"#section-{key}" for key in keys]
    assert set(keys) <= known
    order = [k for k, _, _ in REPORT_SECTIONS]
    assert keys == sorted(keys, key=order.index)
    # the sections the study notebooks write are all there
    for key in (
        "network",
        "heartbeat",
        "cmo-verdicts",
        "value-matrix",
        "business-case",
        "timeline",
        "quotes",
        "msc",
        "rameses",
    ):
        assert key in keys, f"section {key!r} missing from {keys}"
    for section in sections:
        where = f"section {section['key']!r} ({section['title']})"
        assert section["text"] > 0 or section["images"] > 0, f"{where} is empty"
        assert section["broken"] == 0, f"{where} has {section['broken']} broken image(s)"
        assert section["unlabelled"] == 0, (
            f"{where} has {section['unlabelled']} image(s) without alt text"
        )
        assert section["errors"] == 0, f"{where} shows an error or warning output"
    figures = sum(s["images"] for s in sections)
    assert figures >= 4, f"only {figures} figures in the report"
    assert not console_errors, console_errors
