"""A real Streamlit server on the demo data, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


# The one timeout of the browser tests, generous because CI and developers' 2-core machines are often busy.
# Every wait goes through it: Playwright's page actions (set_default_timeout in the page fixture) and every
# expect() assertion (set here, for the whole session), so no test carries a number of its own.
TIMEOUT_MS = 90_000
expect.set_options(timeout=TIMEOUT_MS)


def vanta_klar(page) -> None:
    """Wait until Streamlit's script run has finished (the app's own run state), then for two painted frames.

    Use after an action whose result has no text of its own to wait for (e.g. before a screenshot); where
    the result has text, expect() that text instead.
    """
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    nasta_bildruta(page)
    nasta_bildruta(page)


def nasta_bildruta(page) -> None:
    """Wait for the browser to paint one more frame (no fixed sleep)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(true)))")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(data_dir: Path, log_path: Path, *args: str, **extra_env: str | None):
    """A `streamlit run app.py` on a free port over data_dir; yields its URL. `args` go to streamlit
    run (e.g. --secrets.files); None in extra_env unsets."""
    port = _free_port()
    env = dict(os.environ, BESLUTSSTOD_DATA_DIR=str(data_dir))
    for key, value in extra_env.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false", *args],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            proc.kill()
            pytest.fail("Streamlit-servern startade inte inom 60 s")
        try:
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(scope="session")
def server(demo_data_dir, tmp_path_factory):
    with streamlit_server(demo_data_dir, tmp_path_factory.mktemp("server") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def lasare_server(demo_data_dir, tmp_path_factory):
    """The demo data in the protected public view: no sign-in, the local user previews the läsare role."""
    with streamlit_server(demo_data_dir, tmp_path_factory.mktemp("lasare") / "streamlit.log",
                          BESLUTSSTOD_LOKAL_ROLL="lasare") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Chromium saknas: installera Debians paket med 'sudo apt-get install chromium'.")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()
