"""A verksamhetschef's path in Chromium: change the OPI, see the figures change, share the
scenario by its link, download the tjänsteskrivelse's .docx and open it."""

import io
import re
from pathlib import Path

from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import vanta_klar

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def kpi(page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def oppna_indata(page) -> None:
    """The inputs follow the answer in an expander (issue 15): open it, as a user does."""
    page.get_by_test_id("stExpander").filter(has_text="Ändra förutsättningar och scenarier").locator("summary").click()


def test_the_answer_is_at_the_top_and_the_inputs_open_below_it(server, page):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{server}/simulator")
    hemtjanst = kpi(page, "Hemtjänst 2027")
    expect(hemtjanst).to_have_text("466 kr/tim")
    vanta_klar(page)
    # the new level, the cost change and the text's lead are on the first screen, the inputs closed
    for del_ in (hemtjanst, kpi(page, "Kostnad 2027"), page.locator(".st-key-simulator_sammanfattning")):
        expect(del_).to_be_in_viewport()
    expect(page.locator(".st-key-simulator_sammanfattning")).to_contain_text("466 kronor per timme 2027")
    opi = page.get_by_label("OPI 2027, % (antagande)").first
    expect(opi).to_be_hidden()
    oppna_indata(page)
    expect(opi).to_be_visible()
    forsta_kort = hemtjanst.bounding_box()
    assert forsta_kort["y"] < opi.bounding_box()["y"]


def test_change_opi_see_figures_change_and_download_docx(server, page):
    page.goto(f"{server}/simulator")
    hemtjanst = kpi(page, "Hemtjänst 2027")
    # default: own rate 454 kr (2026) + assumed OPI 2,7 % → 466 kr
    expect(hemtjanst).to_have_text("466 kr/tim")  # the fixture's one timeout (conftest.TIMEOUT_MS) covers a slow first run
    kostnad = kpi(page, "Kostnad 2027").first
    vanta_klar(page)
    fore = kostnad.inner_text()
    oppna_indata(page)

    opi = page.get_by_label("OPI 2027, % (antagande)").first
    expect(opi).to_have_value("2,7")  # the widget holds its default: the app is ready for input
    opi.fill("4")
    opi.press("Enter")
    # a rerun recomputes three scenarios and writes the .docx and .xlsx: allow it time on a shared machine
    expect(hemtjanst).to_have_text("472 kr/tim")  # 454 × 1,04 = 472,16 → 472
    expect(kostnad).not_to_have_text(fore)
    expect(page.get_by_text("472 kronor per timme 2027 (454 kr + OPI 4,0 %)").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"simulator_s1=.*2027.*4"))

    page.set_viewport_size({"width": 1400, "height": 5200})  # Streamlit scrolls inside: show the whole page
    vanta_klar(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "simulator.png"))
    page.set_viewport_size({"width": 1400, "height": 1000})

    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner .docx").click()
    download = info.value
    assert download.suggested_filename == "ekonomiska_konsekvenser_2027_egen_niva_opi.docx"
    doc = Document(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs).replace("\xa0", " ")
    assert "Ekonomiska konsekvenser" in text
    assert "472 kronor per timme 2027 (454 kr + OPI 4,0 %)" in text
    assert "OPI 2027 (4,0 %) är ett antagande" in text
    cost = re.search(r"ökar kostnaden med ([\d ]+) kr \(4,0 %\)", text)
    assert cost, text
    # the document's tables hold the page's figures
    rate_table = doc.tables[0]
    assert [c.text for c in rate_table.rows[1].cells][:3] == ["Hemtjänst", "454", "472"]

    shared = page.context.new_page()  # the link opens the same scenario
    shared.goto(page.url)
    expect(kpi(shared, "Hemtjänst 2027")).to_have_text("472 kr/tim")
    shared.close()


def test_opi_typed_with_a_decimal_comma_is_three_and_a_half_per_cent(server, page):
    """Issue 11 point 3: typing `3,5` gave OPI 35 % in the KPIs and the tjänsteskrivelse."""
    page.goto(f"{server}/simulator")
    hemtjanst = kpi(page, "Hemtjänst 2027")
    expect(hemtjanst).to_have_text("466 kr/tim")
    vanta_klar(page)
    oppna_indata(page)
    opi = page.get_by_label("OPI 2027, % (antagande)").first
    expect(opi).to_have_value("2,7")
    opi.fill("3,5")
    opi.press("Enter")
    # 454 kr (2026, demo data) × 1,035 = 469,89 → 470 kr: +16 kr, 16 / 454 = 3,52 % → "+3,5 %"
    expect(hemtjanst).to_have_text("470 kr/tim")
    delta = page.get_by_test_id("stMetric").filter(has_text="Hemtjänst 2027").get_by_test_id("stMetricDelta")
    expect(delta).to_have_text(re.compile(r"\+16 kr \(\+3,5 %\)"))
    expect(opi).to_have_value("3,5")
    text = page.locator(".st-key-simulator_text")
    expect(text).to_contain_text("470 kronor per timme 2027 (454 kr + OPI 3,5 %)")
    expect(text).to_contain_text("OPI 2027 (3,5 %)")
    expect(text).not_to_contain_text("35,0 %")
