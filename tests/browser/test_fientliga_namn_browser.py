"""Issue 13, out: hostile names on every page of a real Chromium. No element is injected (no link,
image, bold or styled span made from data) and the browser makes no request outside the app.

The server runs on a copy of the demo data (without the demo marker) where utförare names, the
rates' source and decision texts, the import log's file names and a scenario name in the link are
hostile Markdown and HTML, all pointing at outside addresses that must never be fetched or linked.
"""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse

import duckdb
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import streamlit_server, vanta_klar

UTE = ("tracker.example", "evil.example")  # outside hosts named by the hostile strings
NAMN = ['<a href="https://evil.example/a">Klicka</a>', '<img src="https://tracker.example/i.png">',
        "![s](https://tracker.example/md.png) [Klicka](https://evil.example/md)",
        '<span style="font-size:80px">stor</span> <b>fet</b>', "=HYPERLINK(\"https://evil.example\",\"x\")"]
FILNAMN = "![s](https://tracker.example/f.png) [Klicka](https://evil.example/f).csv"
SCENARIO = json.dumps({"namn": '<img src="https://tracker.example/s.png">![x](https://tracker.example/s2.png)',
                       "malar": 2027})
SIDOR = ["oversikt", "kostnader", "utforare", "vistelsekommuner", "manadsuppfoljning", "fakturakontroll",
         "kartlaggning", "data", "simulator?simulator_s1=" + urllib.parse.quote(SCENARIO)]


@pytest.fixture(scope="module")
def fientlig_server(demo_data_dir, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fientlig") / "data"
    shutil.copytree(demo_data_dir, data_dir)
    ext = data_dir / "extracts"
    (ext / "_demo.json").unlink()
    con = duckdb.connect()
    # The utförare with the most visits get the hostile names, so they show in every ranking.
    ids = [r[0] for r in con.execute(
        f"select utforare_id, count(*) n from read_parquet('{ext}/besok/*/*.parquet') "
        f"group by all order by n desc limit {len(NAMN)}").fetchall()]
    con.execute(f"create table u as select * from read_parquet('{ext}/utforare.parquet')")
    for uid, namn in zip(ids, NAMN):
        con.execute("update u set namn = $n where utforare_id = $i", {"n": namn, "i": uid})
    con.execute(f"copy u to '{ext}/utforare.parquet' (format parquet)")
    con.execute(f"create table e as select * from read_parquet('{ext}/ersattningsnivaer.parquet')")
    con.execute("update e set kalla = $k, beslut = $b", {"k": NAMN[2], "b": NAMN[0]})
    con.execute(f"copy e to '{ext}/ersattningsnivaer.parquet' (format parquet)")
    logg = [{"tid": "2026-11-20T09:05:41+01:00", "tabell": "besok", "fil": FILNAMN, "status": "genomford",
             "tillagda": 1, "ersatta": 0, "borttagna": 0, "rader_i_fil": 1, "sha256": "ab" * 32},
            {"tid": "2026-11-21T09:05:41+01:00", "tabell": "utforare", "fil": FILNAMN, "status": "avvisad",
             "antal_fel": 1, "rader_i_fil": 1, "sha256": "cd" * 32}]
    (ext / "_importlogg.jsonl").write_text("".join(json.dumps(p) + "\n" for p in logg), encoding="utf-8")
    with streamlit_server(data_dir, data_dir.parent / "streamlit.log") as url:
        yield url


@pytest.mark.parametrize("sida", SIDOR, ids=[s.split("?")[0] for s in SIDOR])
def test_fientliga_namn_injicerar_inget_och_hamtar_inget_utifran(fientlig_server, page, sida):
    begaran: list[str] = []
    page.on("request", lambda r: begaran.append(r.url))
    page.goto(f"{fientlig_server}/{sida}")
    vanta_klar(page)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    if sida.startswith("simulator"):
        # the side-by-side table (st.table renders Markdown in its cells) holds the scenario name
        expect(page.get_by_test_id("stTable").filter(has_text="tracker.example/s2.png").first).to_be_visible()
        vanta_klar(page)
    if sida.startswith("data"):
        # the file name from the log is shown as written, not as an image and a link
        expect(page.get_by_test_id("stMarkdownContainer").filter(
            has_text=re.compile(r"!\[s\]\(https:\u2060?//tracker\.example/f\.png\)")).first).to_be_visible()
    for lokator in ('a[href*="evil.example"]', 'img[src*="tracker.example"]', 'img[src*="evil.example"]',
                    'a[href*="tracker.example"]'):
        assert page.locator(lokator).count() == 0, lokator
    # Plotly renders <b>/<span style> from text as SVG tspans with a font-weight/style attribute.
    assert page.locator('svg tspan[style*="80px"]').count() == 0
    assert page.locator('svg a').count() == 0
    utanfor = [u for u in begaran if not u.startswith((fientlig_server, "data:", "blob:"))]
    assert utanfor == [], utanfor
