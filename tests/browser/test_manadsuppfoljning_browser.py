"""A controller's path in Chromium: open Månadsuppföljning, read the table and the chart, change
the month, download the .xlsx for the committee paper."""

import io
import re
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import vanta_klar

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
SWEDISH_TKR = re.compile(r"^-?\d{1,3}(\u00a0\d{3})*,\d$")  # 1 234,5 with a no-break space


def test_table_chart_month_and_export(server, page, tmp_path):
    page.set_viewport_size({"width": 1400, "height": 2600})  # the page scrolls inside its container
    page.goto(f"{server}/manadsuppfoljning")
    tabell = page.get_by_test_id("stTable").first
    expect(tabell).to_contain_text("Totalt")
    expect(page.get_by_text("per den 31 oktober 2026")).to_be_visible()
    vanta_klar(page)  # the run has finished: the table read below is this run's, not a stale one

    total = tabell.locator("tr").filter(has_text="Totalt")
    cells = total.locator("td")
    ack = cells.nth(2).inner_text().strip()  # Verksamhet, Föregående år ack utfall, Ack utfall
    assert SWEDISH_TKR.match(ack), ack
    # numbers are right-aligned, as in the committee's papers
    assert cells.nth(2).evaluate("e => getComputedStyle(e).textAlign") in ("right", "end")

    diagram = page.get_by_test_id("stPlotlyChart").first
    expect(diagram).to_be_visible()
    expect(diagram.locator(".legendtext").filter(has_text="Utfall 2026")).to_be_visible()
    expect(diagram.locator(".legendtext").filter(has_text="Budget")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "manadsuppfoljning.png"), full_page=True)

    page.get_by_test_id("stSelectbox").filter(has_text="Till och med").click()
    page.get_by_role("option", name="juni", exact=True).click()
    expect(page.get_by_text("per den 30 juni 2026")).to_be_visible()
    expect(total.locator("td").nth(2)).not_to_have_text(ack)
    expect(page).to_have_url(re.compile(r"manad_manad=juni"))
    vanta_klar(page)  # the download button below is the June run's, not the October one still on screen

    with page.expect_download() as nedladdning:
        page.get_by_role("button", name="Ladda ned tabellen (.xlsx)").click()
    fil = tmp_path / nedladdning.value.suggested_filename
    nedladdning.value.save_as(fil)
    assert fil.name == "manadsuppfoljning_2026_06.xlsx"
    ws = load_workbook(io.BytesIO(fil.read_bytes())).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Månadsuppföljning per den 30 juni 2026, prognos för helåret 2026 (säsongsprognos)" in values
    assert "Demodata: alla uppgifter är fiktiva." in values and "Totalt" in values
