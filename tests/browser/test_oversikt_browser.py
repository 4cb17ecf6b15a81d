"""A person's path in a real Chromium: open, filter, see the KPI change, share the link."""

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import vanta_klar

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def kpi(page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def test_filter_changes_kpi_and_url_reopens_same_view(server, page):
    page.goto(server)
    kostnad = kpi(page, "Kostnad").first
    expect(kostnad).to_have_text(re.compile(r"kr$"))
    expect(page.get_by_text("Demodata – fiktiva personer")).to_be_visible()
    vanta_klar(page)
    fore = kostnad.inner_text()

    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Insats").click()
    page.get_by_role("option", name="Kommunal primärvård").click()
    page.keyboard.press("Escape")
    expect(kostnad).not_to_have_text(fore)
    vanta_klar(page)
    efter = kostnad.inner_text()
    expect(page).to_have_url(re.compile(r"insats=Kommunal"))
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "oversikt.png"), full_page=True)

    shared = page.context.new_page()
    shared.goto(page.url)
    expect(kpi(shared, "Kostnad").first).to_have_text(efter)
    expect(shared.get_by_test_id("stSidebar").get_by_text("Kommunal primärvård")).to_be_visible()
    shared.close()
