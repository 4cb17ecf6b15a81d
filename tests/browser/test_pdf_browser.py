"""The PDFs for the nämnd in Chromium: a controller downloads the monthly report from Månadsuppföljning and
a verksamhetschef the section "Ekonomiska konsekvenser" from Vad händer om?; each file is a PDF holding a
figure the page shows, and the download is in the audit log."""

from __future__ import annotations

import io
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from beslutsstod.data import granskningslogg
from tests.browser.conftest import vanta_klar


def pdf_text(data: bytes) -> str:
    """The PDF's text with its words separated by one space (no-break spaces and line breaks too)."""
    assert data.startswith(b"%PDF-")
    return " ".join(" ".join(s.extract_text() for s in PdfReader(io.BytesIO(data)).pages).replace("\xa0", " ").split())


def ord_(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def ladda_ned(page, knapp: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name=knapp).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_monthly_report_pdf_holds_the_tables_total(server, demo_data_dir, page):
    page.goto(f"{server}/manadsuppfoljning")
    tabell = page.get_by_test_id("stTable").first
    expect(tabell).to_contain_text("Totalt")
    vanta_klar(page)
    total = tabell.locator("tr").filter(has_text="Totalt").locator("td")
    ack = total.nth(2).inner_text().strip()  # Verksamhet, Föregående år ack utfall, Ack utfall
    prognos = total.nth(6).inner_text().strip()  # År prognos
    assert ack and prognos

    namn, data = ladda_ned(page, "Ladda ned tabellen (.pdf)")
    assert namn == "manadsuppfoljning_2026_10.pdf"
    text = pdf_text(data)
    assert "Månadsuppföljning per den 31 oktober 2026" in text and "Data till och med 31 oktober 2026." in text
    rad = text.split("Totalt ", 1)[1][:120]  # the total row, as the PDF writes it
    assert rad.find(ord_(ack)) < rad.find(ord_(prognos)) and ord_(ack) in rad
    assert {"sub": "lokal", "handelse": "export", "vad": {"fil": namn}}.items() <= \
        granskningslogg.las(demo_data_dir)[-1].items()


def test_ekonomiska_konsekvenser_pdf_holds_the_pages_cost(server, demo_data_dir, page):
    page.goto(f"{server}/simulator")
    kostnad = page.get_by_test_id("stMetric").filter(has_text="Kostnad 2027").first.get_by_test_id("stMetricValue")
    expect(page.get_by_test_id("stMetric").filter(has_text="Hemtjänst 2027").get_by_test_id("stMetricValue")) \
        .to_have_text("466 kr/tim")
    vanta_klar(page)
    visad = kostnad.inner_text().strip()  # e.g. "1 822 824 kr"
    assert visad.endswith(" kr")

    namn, data = ladda_ned(page, "Ladda ner .pdf")
    assert namn == "ekonomiska_konsekvenser_2027_egen_niva_opi.pdf"
    text = pdf_text(data)
    assert text.startswith("Härryda kommun, Socialnämnden Ekonomiska konsekvenser")
    assert "466 kronor per timme 2027 (454 kr + OPI 2,7 %)" in text
    assert f"till {ord_(visad)}." in text  # "… ökar kostnaden med … till 1 822 824 kr."
    assert {"sub": "lokal", "handelse": "export", "vad": {"fil": namn}}.items() <= \
        granskningslogg.las(demo_data_dir)[-1].items()
