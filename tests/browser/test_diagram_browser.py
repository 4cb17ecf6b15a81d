"""Charts in a real Chromium (issue 15): a Swedish mode bar with one button, the summary as the
chart's accessible name, the chart's numbers in a table, and hidden kommuner with their own legend."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import vanta_klar


def test_overview_chart_is_swedish_named_and_has_its_numbers(server, page):
    page.goto(server)
    diagram = page.get_by_role("figure", name=re.compile(r"^Stapeldiagram: kostnad per månad"))
    expect(diagram).to_be_visible()
    vanta_klar(page)
    knappar = page.locator(".js-plotly-plot .modebar-btn")
    expect(knappar).to_have_count(1)  # was 8 tab stops in English
    expect(knappar.first).to_have_attribute("aria-label", "Ladda ned diagrammet som PNG")
    svg = " ".join(page.locator(".js-plotly-plot svg text").all_text_contents())
    assert not re.search(r"Download|Zoom|Autoscale|Reset|Produced with Plotly", svg)
    assert "Högst:" in diagram.get_attribute("aria-label")
    siffror = page.get_by_test_id("stExpander").filter(has_text="Diagrammets siffror").first
    siffror.get_by_text("Diagrammets siffror").click()
    tabell = siffror.get_by_role("table")
    expect(tabell).to_be_visible()
    expect(tabell.get_by_role("columnheader", name="Månad")).to_be_attached()
    expect(tabell.get_by_role("rowheader", name="jan")).to_be_attached()


def test_protected_map_names_hidden_and_empty_kommuner(lasare_server, page):
    page.goto(f"{lasare_server}/vistelsekommuner")
    karta = page.get_by_role("figure", name=re.compile(r"^Karta över Sveriges kommuner"))
    expect(karta).to_be_visible()
    vanta_klar(page)
    forklaring = " ".join(page.locator(".js-plotly-plot .legendtext").all_text_contents())
    assert "dolt (..)" in forklaring and "inga besök (–)" in forklaring
    assert "värden är dolda (..)" in karta.get_attribute("aria-label")
