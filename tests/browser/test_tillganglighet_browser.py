"""Accessibility of every page in Chromium (README, Tillgänglighet): axe-core's WCAG 2.0/2.1 A and AA rules
at 1440 px and on a 390 px phone in every direction, lang and title, the menu, links, the data's date and print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from beslutsstod import begrepp
from scripts.axe_rapport import AXE_OPTIONS
from tests.browser.conftest import TIMEOUT_MS, vanta_klar

ROOT = Path(__file__).resolve().parents[2]
SIDOR = sorted(p.stem for p in (ROOT / "sidor").glob("*.py"))  # app.py: each page's address is its file's name
# The pages with a direction radio bound to the address: its key and the directions it offers.
RIKTNING = {"oversikt": ("oversikt_riktning", begrepp.RIKTNINGAR),
            "kostnader": ("kostnader_riktning", begrepp.RIKTNINGAR_MED_NETTO),
            "utforare": ("utforare_riktning", begrepp.RIKTNINGAR),
            "vistelsekommuner": ("vistelse_riktning", begrepp.RIKTNINGAR_MED_NETTO)}
BREDDER = (1440, 390)

# Serious or critical axe findings that come from Streamlit itself and that the app cannot change, by rule id,
# each with why and the README statement's work-around. Empty: every page has none today. An entry here
# must also be listed under "Kända brister" in README's Tillgänglighet section.
TILLATNA: dict[str, str] = {}


def besok(page, url: str) -> None:
    """Open an address and wait until the run has finished and every element has been drawn."""
    page.goto(url)
    vanta_klar(page)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)  # elements whose code is still loading
    vanta_klar(page)


def vyer():
    """(page, direction label or None) for every page, each direction where the page offers one."""
    for sida in SIDOR:
        if sida in RIKTNING:
            for etikett in RIKTNING[sida][1].values():
                yield sida, etikett
        else:
            yield sida, None


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("bredd", BREDDER)
def test_no_serious_axe_violation_on_any_page_in_any_direction(server, browser, axe, bredd):
    context = browser.new_context(viewport={"width": bredd, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    fel, titlar = [], {}
    try:
        for sida, etikett in vyer():
            fraga = f"?{RIKTNING[sida][0]}={etikett}" if etikett else ""
            besok(page, f"{server}/{sida}{fraga}")
            if etikett:  # the link's direction is the one shown (else this would test another view)
                expect(page.get_by_role("radio", name=etikett, exact=True)).to_be_checked()
            assert page.evaluate("document.documentElement.lang") == "sv"
            titlar[sida] = page.title()
            expect(page.get_by_text(re.compile(r"^Data till och med \d{1,2} [a-z]+ \d{4}\.$"))).to_be_visible()
            svar = axe.run(page, options=AXE_OPTIONS).response
            for regel in svar["violations"]:
                if regel["impact"] in ("serious", "critical") and regel["id"] not in TILLATNA:
                    fel += [f"{sida} {etikett or ''} {bredd} px: {regel['id']} {n['target']} {n['failureSummary']}"
                            for n in regel["nodes"]]
    finally:
        context.close()
    assert not fel, "\n".join(fel)
    # a title per page: the page's name, then the app's
    assert all(t.endswith(" – Beslutsstöd för socialnämnden") for t in titlar.values()), titlar
    assert len(set(titlar.values())) == len(SIDOR), titlar


def test_the_menu_has_every_page_under_its_heading_and_a_visible_focus(server, page):
    besok(page, server)
    meny = page.get_by_role("navigation", name="Sidor")
    expect(meny.get_by_role("heading", name="Uppföljning")).to_be_visible()
    expect(meny.get_by_role("link")).to_have_count(len(SIDOR))
    expect(meny.get_by_role("link", name="Översikt")).to_have_attribute("aria-current", "page")
    expect(meny.locator("[aria-current=page]")).to_have_count(1)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # Streamlit's own menu (axe list/listitem)
    # the keyboard reaches the menu's links, and the focused one has a 3 px ring in the primary colour
    lank = meny.get_by_role("link", name="Månadsuppföljning")
    lank.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(lank).to_be_focused()
    ring = lank.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth, "
                         "getComputedStyle(e).outlineColor]")
    assert ring == ["solid", "3px", "rgb(31, 95, 139)"], ring
    lank.click()
    expect(page.get_by_role("heading", name="Månadsuppföljning", exact=True)).to_be_visible()
    expect(meny.get_by_role("link", name="Månadsuppföljning")).to_have_attribute("aria-current", "page")
    expect(meny.locator("[aria-current=page]")).to_have_count(1)
    expect(page).to_have_title("Månadsuppföljning – Beslutsstöd för socialnämnden")


def test_oversikt_opens_at_its_own_address_and_at_the_start(server, page):
    for adress in ("/oversikt", "/"):
        besok(page, server + adress)
        expect(page.get_by_role("heading", name="Översikt", exact=True)).to_be_visible()
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.get_by_test_id("stMetric").first).to_be_visible()
        expect(page).to_have_title("Översikt – Beslutsstöd för socialnämnden")


def test_a_link_with_values_that_do_not_exist_says_in_swedish_what_was_reset(server, page):
    besok(page, f"{server}/oversikt?ar=1890&insats=xyz&oversikt_riktning=foo")
    notis = page.get_by_test_id("stAlert").filter(has_text="Länken innehöll värden")
    expect(notis).to_contain_text("År: ”1890” → ")
    expect(notis).to_contain_text("Insats: ”xyz” → inget val (alla)")
    expect(notis).to_contain_text(f"Visa: ”foo” → {begrepp.RIKTNINGAR['kostnad']}")
    # what is shown is what the notice says: the latest year, every insats, costs
    expect(page.get_by_role("radio", name=begrepp.RIKTNINGAR["kostnad"], exact=True)).to_be_checked()
    # a link whose values all exist (the year before the data's last, netto) gives no notice
    sista_ar = int(page.get_by_text(re.compile(r"^Data till och med ")).inner_text().rstrip(".").split()[-1])
    besok(page, f"{server}/kostnader?ar={sista_ar - 1}&kostnader_riktning={begrepp.RIKTNINGAR_MED_NETTO['netto']}")
    expect(page.get_by_role("radio", name=begrepp.RIKTNINGAR_MED_NETTO["netto"], exact=True)).to_be_checked()
    expect(page.get_by_text(f"År {sista_ar - 1}; insats: alla").first).to_be_visible()
    expect(page.get_by_text("Länken innehöll värden")).to_have_count(0)


@pytest.mark.parametrize("sida", ["utforare", "manadsuppfoljning"])
def test_printing_hides_the_sidebar_and_cuts_no_table(server, page, sida):
    besok(page, f"{server}/{sida}")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what the browser does before printing
    vanta_klar(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_test_id("stHeader")).to_be_hidden()
    expect(page.get_by_test_id("stDataFrame").filter(visible=True)).to_have_count(0)  # a canvas: its HTML version
    tabeller = page.locator("table").filter(visible=True)
    expect(tabeller.first).to_be_visible()
    bredd = page.get_by_test_id("stMainBlockContainer").evaluate("e => e.getBoundingClientRect().right")
    for tabell in tabeller.all():
        matt = tabell.evaluate("e => [e.getBoundingClientRect().right, e.scrollWidth, e.clientWidth,"
                               " getComputedStyle(e).display]")
        assert matt[0] <= bredd + 1 and matt[1] <= matt[2] + 1 and matt[3] == "table", matt
    for diagram in page.locator(".js-plotly-plot").all():
        assert diagram.evaluate("e => e.getBoundingClientRect().right") <= bredd + 1
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
