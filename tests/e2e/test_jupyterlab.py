"""End to end in the real client: JupyterLab in headless Chromium (Playwright).

Starts JupyterLab on a free localhost port in a temporary copy of the project
(so the repository's notebooks are never saved with outputs), opens
``notebooks/01_netwerk.ipynb``, runs all cells and checks that the network
figure appears and that no cell shows an error. Screenshots are saved under
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
            pytest.fail("chromium is not installed; .ci/run should have installed Debian's chromium package")
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
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "raw"))
    port, token = _free_port(), secrets.token_hex(16)
    settings = tmp_path / "lab-settings"
    # render every cell (no virtual scrolling) so all prompts and outputs can be checked
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}'
    )
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}'
    )
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
    }
    env.pop("MPLBACKEND", None)
    log = open(tmp_path / "lab.log", "w")  # noqa: SIM115 - closed in teardown
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={project}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=log, stderr=subprocess.STDOUT, env=env,
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
        pytest.fail(f"JupyterLab did not start; log:\n{(tmp_path / 'lab.log').read_text()[-3000:]}")
    yield base, token, project
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_network_notebook_runs_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright

    base, token, project = lab
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/notebooks/01_netwerk.ipynb?token={token}", timeout=60_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        # wait for the kernel, then Run > Run All Cells
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
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
        assert prompts and all(p.strip() not in ("[ ]:", "[*]:") for p in prompts), prompts
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
        assert errors.count() == 0, errors.all_inner_texts()
        assert page.locator(".jp-RenderedImage img").count() >= 1, "the network figure did not appear"
        browser.close()
    assert (project / "output").exists()  # the notebook wrote its outputs in the copy only
