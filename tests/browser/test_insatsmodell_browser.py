"""A förvaltning's path in Chromium for seed 002: run the trial of pay per insats (April–July 2023),
enter the missing prisbasbelopp, widen the payees, and open the report-back's .docx."""

import io
import re
from pathlib import Path

from docx import Document
from playwright.sync_api import expect

from beslutsstod.data import granskningslogg
from tests.browser.conftest import vanta_klar


def kpi(page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def test_run_a_trial_and_open_the_report_back_docx(server, demo_data_dir, page):
    page.goto(f"{server}/insatsmodell")
    # The seed's trial is the default; the maxtaxa 2023 is not in the reference data: nothing is guessed
    expect(page.get_by_text("Maxtaxa 2023 saknas i referensdata")).to_be_visible()
    pbb = page.get_by_label("Prisbasbelopp 2023, kr (maxtaxan 2023 saknas i referensdata)", exact=True)
    pbb.fill("52500")
    pbb.press("Enter")
    # egen regi served 3 brukare in April–July 2023. The page is for tjänstepersoner (läsare do not reach
    # it), so the detailed view shows the trial's cost per insats: 535 kr below per hour (670 925 − 670 390)
    expect(kpi(page, "Kostnad med ersättning per insats")).to_have_text(re.compile(r"670\s390 kr"))
    expect(kpi(page, "Kostnad med ersättning per timme")).to_have_text(re.compile(r"670\s925 kr"))

    page.get_by_test_id("stMultiSelect").filter(has_text="Utförare i försöket").get_by_role("combobox").click()
    page.get_by_role("option", name="Privat (LOV/avtal)").click()
    page.keyboard.press("Escape")
    # 24 brukare with egen regi and private payees: the demo price list costs 577 kr less than per hour
    expect(kpi(page, "Kostnad med ersättning per insats")).to_have_text(re.compile(r"670\s348 kr"))
    expect(page).to_have_url(re.compile(r"insatsmodell_pbb_2023=52500.*insatsmodell_regi=Privat"))  # a link reopens the trial
    vanta_klar(page)

    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner .docx").click()
    download = info.value
    assert download.suggested_filename == "aterrapportering_ersattning_per_insats_202304_202307.docx"
    # the export is in the audit log, by the local user (no sign-in on this server)
    assert {"sub": "lokal", "handelse": "export",
            "vad": {"fil": "aterrapportering_ersattning_per_insats_202304_202307.docx"}}.items() <= \
        granskningslogg.las(demo_data_dir)[-1].items()
    doc = Document(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs).replace("\xa0", " ")
    assert "Återrapportering: utfall av ny ersättningsmodell" in text
    assert "670 348 kr med ersättning per insats och 670 925 kr med ersättning per timme, alltså 577 kr (0,1 %) lägre" in text
    assert "Budgeten för månaderna är 510 698 kr" in text
    assert "Maxtaxa 2023: 2 359 kr per månad, beräknad som 1/12 av 0,5392 × prisbasbeloppet 52 500 kr" in text
    per_manad = doc.tables[0]
    assert [c.text.replace("\xa0", " ") for c in per_manad.rows[-1].cells] == [
        "Totalt", "510 698", "670 925", "670 348", "-577"]
