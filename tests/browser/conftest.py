"""A real Streamlit server on the demo data, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.lokalt import ledig_port, vanta_pa_svar

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


@contextlib.contextmanager
def streamlit_server(data_dir: Path, log_path: Path, *args: str, **extra_env: str | None):
    """A `streamlit run app.py` on a free port over data_dir; yields its URL. `args` go to streamlit
    run (e.g. --secrets.files); None in extra_env unsets."""
    port = ledig_port()
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
        if not vanta_pa_svar(f"{url}/_stcore/health", sekunder=60, process=proc):
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


@contextlib.contextmanager
def flera_processer(kormapp: Path, processer: int = 2, **extra_env: str):
    """scripts/start_flera.sh: `processer` app processes behind nginx on free loopback ports.

    Yields (the proxy's URL, the processes' ports). Ready when the proxy and every process answer.
    """
    port, appportar = ledig_port(), [ledig_port() for _ in range(processer)]
    env = dict(os.environ, PORT=str(port), APPORTAR=" ".join(map(str, appportar)), PROSESSER=str(processer),
               KORMAPP=str(kormapp), PYTHON=sys.executable, **extra_env)
    with (kormapp / "start_flera.log").open("w") as log:
        proc = subprocess.Popen(["bash", "scripts/start_flera.sh"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        vantar = [f"{url}/_stcore/health"] + [f"http://127.0.0.1:{p}/_stcore/health" for p in appportar]
        redo = vanta_pa_svar(vantar, sekunder=90, process=proc)
        if not redo:
            os.killpg(proc.pid, 9)
            pytest.fail(f"nginx och {processer} processer startade inte inom 90 s; se {kormapp}")
        try:
            yield url, appportar
        finally:
            proc.terminate()  # the script's trap stops its app processes and nginx
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)


@pytest.fixture(scope="session")
def proxy_s3(demo_data_dir, s3_server, tmp_path_factory):
    """The demo extracts in a bucket on the local S3 server, read by two app processes behind nginx.

    The processes' data_dir is an empty folder: every figure they show comes from the object store.
    Yields (proxy URL, the processes' ports, their empty data folder, the script's run folder).
    """
    from beslutsstod.data import objektlager
    from tests.conftest import ny_hink

    env = ny_hink(s3_server)
    objektlager.Objektlager(
        env["BESLUTSSTOD_OBJEKTLAGER_URL"], endpoint=s3_server, region=env["BESLUTSSTOD_OBJEKTLAGER_REGION"],
        nyckel_id=env["BESLUTSSTOD_OBJEKTLAGER_NYCKEL_ID"], hemlig_nyckel=env["BESLUTSSTOD_OBJEKTLAGER_HEMLIG_NYCKEL"],
    ).publicera(demo_data_dir / "extracts")
    tom, kormapp = tmp_path_factory.mktemp("tom-data"), tmp_path_factory.mktemp("nginx")
    with flera_processer(kormapp, BESLUTSSTOD_DATA_DIR=str(tom), **env) as (url, portar):
        yield url, portar, tom, kormapp


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
