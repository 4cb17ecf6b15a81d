"""Fakturakontroll and Kartläggning in a real Chromium (open view): the worklist, the link that keeps
the page's choices, and the mapping answers with a coverage ratio from the reference table."""

import re
from pathlib import Path

import duckdb
from playwright.sync_api import expect

from beslutsstod.inlasning import egna_nivaer
from tests.browser.conftest import vanta_klar

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def kpi(page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def test_fakturakontroll_worklist(server, page):
    page.set_viewport_size({"width": 1400, "height": 2200})  # the whole worklist section in the screenshot
    page.goto(f"{server}/fakturakontroll?ar=2022")
    expect(page.get_by_role("heading", name="Fakturakontroll")).to_be_visible()
    expect(kpi(page, "Avvikelse").first).to_have_text(re.compile(r"^\+.* kr$"))
    granska = kpi(page, "Rader att granska").first
    expect(granska).to_have_text(re.compile(r"^\d+ av \d+$"))
    expect(page.get_by_role("heading", name="Arbetslista")).to_be_visible()
    expect(page.get_by_text("Visa även besök utan avvikelse")).to_be_visible()  # officials see the visits
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "fakturakontroll.png"), full_page=True)

    page.get_by_test_id("stRadio").filter(has_text="Alla rader").get_by_text("Alla rader").click()
    expect(page.get_by_role("heading", name="Alla rader")).to_be_visible()
    expect(page).to_have_url(re.compile(r"fakturakontroll_visa=Alla"))  # the label, as bound widgets write it
    shared = page.context.new_page()
    shared.goto(page.url)
    expect(shared.get_by_role("heading", name="Alla rader")).to_be_visible()
    shared.close()


def test_kartlaggning_answers_and_imported_own_rates(server, page, demo_data_dir, tmp_path):
    sokvag = egna_nivaer.sokvag(demo_data_dir)
    assert not sokvag.exists()
    fil = tmp_path / "egna.csv"
    # as Swedish Excel saves CSV: ';' and decimal comma, Windows-1252
    # two vistelsekommuner whose own staff carried out our hemtjänst in 2024 (demo ids 'V<kod>')
    forsta, andra = [r[0] for r in duckdb.connect().execute(
        "select distinct vistelsekommun from read_parquet($p) where year(datum) = 2024 and insats = 'hemtjanst' "
        "and bosattningskommun = '1401' and utforare_id like 'V%' order by 1 limit 2",
        {"p": str(demo_data_dir / "extracts" / "besok" / "*" / "*.parquet")}).fetchall()]
    fil.write_bytes("kommunkod;ar;insats;kr_per_timme;momskompensation_ingar;kalla\n"
                    f"{forsta};2024;Hemtjänst;500,00;nej;Exempel\n{andra};2024;hemtjanst;530;ja;Exempel\n"
                    f"{andra};2024;städning;530;ja;\n".encode("cp1252"))
    try:
        page.set_viewport_size({"width": 1400, "height": 3800})  # all three sections in the screenshot
        page.goto(f"{server}/kartlaggning?ar=2024&insats=Hemtj%C3%A4nst")
        expect(page.get_by_role("heading", name="Kartläggning", exact=True)).to_be_visible()
        expect(page.get_by_text("S2024/01214").first).to_be_visible()
        expect(kpi(page, "Kommuner").first).to_have_text(re.compile(r"^\d+$"))
        expect(page.get_by_text("454 kr/tim per utförd tid").first).to_be_visible()
        expect(page.get_by_text("Känd egen nivå för 0 av")).to_be_visible()

        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(fil))
        expect(page.get_by_text("egna.csv: Rad 4, kolumn insats: värdet 'städning'")).to_be_visible()
        expect(page.get_by_text("Filen har 2 giltiga rader.")).to_be_visible()
        page.get_by_role("button", name="Ersätt tabellen med filens rader").click()
        expect(page.get_by_text("Känd egen nivå för 2 av")).to_be_visible()
        assert f"{forsta};2024;hemtjanst;500;nej;Exempel" in sokvag.read_text(encoding="utf-8-sig")
        expect(page.get_by_role("button", name="Ladda ned svaren (.xlsx)")).to_be_visible()
        vanta_klar(page)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "kartlaggning.png"), full_page=True)
    finally:
        sokvag.unlink(missing_ok=True)
