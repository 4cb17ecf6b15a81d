"""More than one process and more than one box: two app processes behind nginx, data from object storage.

The set-up is the README's (scripts/start_flera.sh, PROSESSER=2) with the extracts in a bucket on a
local S3 server (moto): the processes have an empty data folder. What a person checks: Översikt shows
the same figures as the app over the same extracts on local disk, whichever process the browser is
kept on; and the proxy, not Python, sends the frontend bundle.
"""

from __future__ import annotations

import json
import re
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import streamlit
from playwright.sync_api import expect

from bench import loadtest
from tests.browser.conftest import vanta_klar

KAKA = "bsroute"


def hamta(url: str, kaka: str | None = None):
    req = urllib.request.Request(url, headers={"Cookie": f"{KAKA}={kaka}"} if kaka else {})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.headers, resp.read()


def process_for(url: str, kaka: str) -> str:
    """The app process (127.0.0.1:port) nginx sends this browser cookie to."""
    return hamta(f"{url}/_stcore/health", kaka)[0]["X-Bs-Process"]


def nyckeltal(page, url: str) -> list[str]:
    """Every KPI on Översikt, label and value, once the page has finished running."""
    page.goto(url)
    expect(page.get_by_test_id("stMetric").filter(has_text="Kostnad").first
           .get_by_test_id("stMetricValue")).to_have_text(re.compile(r"kr$"))
    # the last of Översikt's cards too: the cards arrive one by one, and a rerun may start after the first
    expect(page.get_by_test_id("stMetric").filter(has_text="Kr per debiterad timme").first
           .get_by_test_id("stMetricValue")).to_have_text(re.compile(r"(kr|\.\.)$"))
    vanta_klar(page)
    return page.get_by_test_id("stMetric").all_inner_texts()


def test_each_process_behind_nginx_shows_the_same_kpis_from_object_storage_as_from_disk(server, proxy_s3, browser):
    url, portar, tom, _kormapp = proxy_s3
    # One cookie per process (the sticky key nginx hashes; the same cookie always reaches the same process).
    kakor = {}
    for i in range(40):
        kakor.setdefault(process_for(url, f"webblasare-{i}"), f"webblasare-{i}")
    assert set(kakor) == {f"127.0.0.1:{p}" for p in portar}

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    fran_disk = nyckeltal(page, server)
    context.close()
    assert len(fran_disk) >= 3 and all(re.search(r"\d", t) for t in fran_disk), fran_disk

    for process, kaka in sorted(kakor.items()):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
        context.add_cookies([{"name": KAKA, "value": kaka, "url": url}])
        page = context.new_page()
        assert nyckeltal(page, url) == fran_disk, process
        context.close()
    # No extracts in the processes' local data folder: every figure came from the object store. What a
    # process keeps there is derived from it and rebuilt when missing: the rollups of the current version
    # (data/sammandrag.py) and the protected view's masks (bestandig_cache.py).
    assert {p.name for p in tom.iterdir()} <= {"sammandrag", "cache"}
    assert not list(tom.rglob("extracts")) and not list(tom.rglob("besok"))


def test_a_new_browser_gets_a_cookie_that_keeps_it_on_one_process(proxy_s3):
    url, *_ = proxy_s3
    huvuden, _ = hamta(url + "/")
    kaka = re.match(rf"{KAKA}=([0-9a-f]+);", huvuden["Set-Cookie"]).group(1)
    # every later request of that browser (page, websocket, uploads, downloads) goes to one process
    assert len({process_for(url, kaka) for _ in range(5)}) == 1


def test_nginx_sends_the_frontend_bundle_from_disk_with_long_cache(proxy_s3):
    url, *_ = proxy_s3
    _, index = hamta(url + "/")
    skript = re.search(rb'src="\./(static/js/[^"]+\.js)"', index).group(1).decode()
    huvuden, innehall = hamta(f"{url}/{skript}")
    assert huvuden["X-Bs-Statisk"] == "nginx"  # set only by the proxy's static location, never by Streamlit
    assert "X-Bs-Process" not in huvuden  # no app process was asked
    assert "immutable" in huvuden.get_all("Cache-Control")[-1]
    assert innehall == (Path(streamlit.__file__).parent / "static" / skript).read_bytes()


def test_the_load_test_drives_sessions_through_nginx_and_measures_both_processes(proxy_s3, tmp_path):
    url, portar, _tom, kormapp = proxy_s3
    pids = (kormapp / "streamlit.pids").read_text().split()
    assert len(pids) == len(portar) == 2
    argv = ["--port", url.rsplit(":", 1)[1], "--sessioner", "2", "--floden", "1", "--spridning", "0.5",
            "--ut", str(tmp_path), "--cpu-pid", *pids]
    # in a thread of its own: Playwright's sync API keeps an event loop running in this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        kod = pool.submit(loadtest.main, argv).result()
    res = json.loads(next(tmp_path.glob("lasttest-*.json")).read_text(encoding="utf-8"))
    assert kod == 0
    # 2 sessions × 1 flow over the proxy's websocket: each of the 4 interactions measured twice, none failed
    assert {namn: (r["n"], r["fel"]) for namn, r in res["interaktioner"].items()} == {
        namn: (2, 0) for namn, _, _ in loadtest.FLODE}
    assert res["processer"] == 2 and res["cpu_s"] > 0 and res["topp_rss_mb"] > 100
