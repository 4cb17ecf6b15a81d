"""The analysis pages in a real Chromium: the map draws offline, a download works, screenshots.

Every request that does not go to the local Streamlit server is aborted, as on a municipal
intranet without internet: the map must still draw its polygons (choropleth_map on white-bg
needs no tiles). Whether polygons were drawn is read from the map's own pixels (MapLibre draws
into a WebGL canvas, so there are no SVG paths to count): the grey of kommuner without visits
and the blues of kommuner with a value must both cover a good part of the map.
"""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path

from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect

from beslutsstod.data import granskningslogg
from tests.browser.conftest import TIMEOUT_MS, nasta_bildruta, vanta_klar

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
GREY_NO_VISITS = (0xF2, 0xF2, 0xF2)  # charts_analys.GRA_UTAN_DATA
MIN_GREY_PX = 20_000  # Sweden's kommuner without visits: about 60 000 px at this size
MIN_BLUE_PX = 500  # the coloured coast and Gotland: a few thousand px


def offline(page) -> list[str]:
    """Abort every request that leaves the local server; return the list of aborted URLs."""
    aborted: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:")):
            return r.continue_()
        aborted.append(url)
        return r.abort()

    page.context.route("**/*", route)
    return aborted


def map_pixels(png: bytes) -> tuple[int, int]:
    """(grey px, blue px) in a screenshot of the map."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    grey = blue = 0
    for (r, g, b), n in ((c, n) for n, c in image.getcolors(maxcolors=1 << 20)):
        if max(abs(r - GREY_NO_VISITS[0]), abs(g - GREY_NO_VISITS[1]), abs(b - GREY_NO_VISITS[2])) <= 3:
            grey += n
        elif b > r + 40 and b > g + 10:  # the one-hue blue scale (#c6dbef … #08306b)
            blue += n
    return grey, blue


def wait_for_app(page, titel: str) -> None:
    expect(page.get_by_role("heading", name=titel, level=1)).to_be_visible()
    vanta_klar(page)  # the run has finished


def wait_rendered(page, knappar: int) -> None:
    """Every download button drawn (one pair under each table) and every table past its skeleton."""
    expect(page.get_by_test_id("stDownloadButton")).to_have_count(knappar)
    for knapp in page.get_by_test_id("stDownloadButton").all():
        expect(knapp).to_be_visible()
    for tabell in page.get_by_test_id("stDataFrame").all():
        expect(tabell.locator("canvas").first).to_be_attached()
    vanta_klar(page)


def test_map_draws_offline_and_downloads_work(lasare_server, demo_data_dir, page):
    # the protected view (läsare): its exports carry the same ".." as the page
    aborted = offline(page)
    page.set_viewport_size({"width": 1400, "height": 2400})  # Streamlit scrolls inside; show it all
    page.goto(f"{lasare_server}/vistelsekommuner?ar=2025")
    wait_for_app(page, "Vistelsekommuner")
    kartan = page.get_by_test_id("stPlotlyChart").first
    expect(kartan.locator("canvas").first).to_be_attached()
    grey = blue = 0
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:  # the map draws some frames after the chart appears
        grey, blue = map_pixels(kartan.screenshot())
        if grey >= MIN_GREY_PX and blue >= MIN_BLUE_PX:
            break
        nasta_bildruta(page)
    assert grey >= MIN_GREY_PX and blue >= MIN_BLUE_PX, (grey, blue)
    assert not [u for u in aborted if "tile" in u or "style" in u], aborted
    page.get_by_text("Tabell: månad × kommun, med summor").click()  # open the expander: its table too
    wait_rendered(page, 4)  # .xlsx and .csv under the ranking and under the month × kommun table
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "vistelsekommuner.png"), full_page=True)

    knappar = page.get_by_test_id("stDownloadButton")
    with page.expect_download() as info:
        knappar.filter(has_text=".csv").first.click()
    data = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename == "kostnad_per_kommun_2025.csv"
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens åäö right
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Kommun", "Län", "Kostnad (kr)", "Utförda timmar", "Personer", "Besök"]
    assert rows[-1][0] == "Totalt" and re.fullmatch(r"\d+(,\d+)?", rows[-1][2])  # decimal comma, no grouping
    personer = [int(r[4]) for r in rows[1:] if r[4] != ".."]
    assert all(p >= 5 for p in personer) and any(r[4] == ".." for r in rows[1:])
    # the export is in the audit log, by the local user (no sign-in on this server)
    assert {"sub": "lokal", "handelse": "export", "vad": {"fil": "kostnad_per_kommun_2025.csv"}}.items() <= \
        granskningslogg.las(demo_data_dir)[-1].items()

    with page.expect_download() as info:
        knappar.filter(has_text=".xlsx").first.click()
    assert info.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert workbook.sheetnames[1] == "Om tabellen"
    om = {r[0].value: r[1].value for r in workbook["Om tabellen"].iter_rows()}
    assert om["Demodata"].startswith("ja") and om["Vy"].startswith("öppen")
    assert isinstance(workbook.worksheets[0]["C2"].value, (int, float))  # numbers stay numbers


def test_screenshots_of_costs_and_providers_from_shared_links(server, page):
    """The other two pages opened from links that carry page choices (as a shared link would)."""
    offline(page)
    page.set_viewport_size({"width": 1400, "height": 2600})
    SHOTS.mkdir(exist_ok=True)
    # fixed prices with an assumed OPI 2024 of 3,0 % taken from the link
    page.goto(f"{server}/kostnader?kostnader_dela=Per+insats&kostnader_pris=Fasta+priser+%28omr%C3%A4knat+med+OPI%29"
              "&kostnader_opi_2024=3.0")
    wait_for_app(page, "Kostnader över år")
    expect(page.get_by_text("OPI saknas i referensdata för 2024, 2025, 2026")).to_be_visible()
    expect(page.get_by_label("Antaget OPI 2024 (%)")).to_have_value("3.0")
    expect(page.get_by_text("antagande").first).to_be_visible()
    wait_rendered(page, 4)  # the OPI table and the yearly table
    page.screenshot(path=str(SHOTS / "kostnader.png"), full_page=True)

    page.goto(f"{server}/utforare?ar=2025&utforare_val=Kustomsorg+Bohusl%C3%A4n+AB+%28fiktiv%29")
    wait_for_app(page, "Utförare")
    expect(page.get_by_text("Kustomsorg Bohuslän AB (fiktiv) per månad 2025")).to_be_visible()
    wait_rendered(page, 6)  # per regi, per utförare, per month
    page.screenshot(path=str(SHOTS / "utforare.png"), full_page=True)
