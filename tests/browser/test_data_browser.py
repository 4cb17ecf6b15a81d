"""The Data page in a real Chromium: a controller uploads rates saved by Swedish Excel (Windows-1252,
åäö, decimal comma) through the file input, reads the report and sees the table status change; and
downloads a template.

The server here runs on a private copy of the demo data (without the demo marker, as if the
municipality's own extracts were stored), because the import writes to it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest
from playwright.sync_api import expect

from beslutsstod.data import granskningslogg
from beslutsstod.inlasning.schema import TABELLER
from tests.browser.conftest import ROOT, streamlit_server, vanta_klar

SHOTS = ROOT / "screenshots"


@pytest.fixture(scope="module")
def data_server(demo_data_dir, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data_browser") / "data"
    shutil.copytree(demo_data_dir, data_dir)
    (data_dir / "extracts" / "_demo.json").unlink()
    with streamlit_server(data_dir, data_dir.parent / "streamlit.log", BESLUTSSTOD_PSEUDONYM_NYCKEL=None) as url:
        yield url, data_dir


def nivaer_csv(data_dir: Path) -> bytes:
    """The stored rates as Swedish Excel saves them, with the 2026 hemtjänst rate revised to 471,50 kr.

    ';'-separated (values holding ';' quoted), decimal comma, Windows-1252; the revised row's source
    has å, ä and ö.
    """
    rader = duckdb.connect().execute(
        "select * from read_parquet($p) order by insats, giltig_fran",
        {"p": str(data_dir / "extracts" / "ersattningsnivaer.parquet")}).fetchall()
    text = io.StringIO()
    skriv = csv.writer(text, delimiter=";", lineterminator="\r\n")
    skriv.writerow(TABELLER["ersattningsnivaer"].kolumnnamn)
    for fran, till, insats, regi, kr, grund, moms, kalla, beslut, prel, betalare in rader:
        if insats == "hemtjanst" and fran.year == 2026:
            kr, kalla, prel = "471,50", "Socialnämnden Härryda (förslag, OPI-uppräknad)", False
            beslut = "SN 2025-12-10 § 98"
        else:
            kr = f"{kr:.2f}".replace(".", ",")
        skriv.writerow(["" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
                        for v in (fran, till, insats, regi, kr, grund, moms, kalla, beslut, prel, betalare)])
    return text.getvalue().encode("cp1252")


def test_upload_windows_1252_rates_and_see_report_and_status(data_server, page, tmp_path):
    url, data_dir = data_server
    fil = tmp_path / "nivåer_2026.csv"
    fil.write_bytes(nivaer_csv(data_dir))
    assert "ä".encode("cp1252") in fil.read_bytes()  # really Windows-1252, not UTF-8

    page.set_viewport_size({"width": 1400, "height": 2400})  # status, upload, report and log in one screenshot
    page.goto(f"{url}/data")
    expect(page.get_by_test_id("stMain").get_by_role("heading", name="Data", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Lagrade tabeller")).to_be_visible()
    expect(page.get_by_text("Ingen import har gjorts ännu")).to_be_visible()

    page.get_by_role("tab", name="ersattningsnivaer").click()
    panel = page.get_by_role("tabpanel", name="ersattningsnivaer")
    panel.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(fil))
    expect(page.get_by_text("Att importera: ersattningsnivaer (nivåer_2026.csv)")).to_be_visible()
    page.get_by_role("button", name="Importera 1 fil").click()

    expect(page.get_by_text("Importen är klar. Sidorna visar nu de nya uppgifterna.")).to_be_visible()
    expect(page.get_by_text("ersattningsnivaer från nivåer_2026.csv: importerad. Tillagda 0, ersatta 1, "
                            "oförändrade 15, borttagna 0.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"16 datarader lästa \(teckenkodning Windows-1252, avgränsare "
                                       r"semikolon, decimalkomma\)"))).to_be_visible()
    expect(page.get_by_text(re.compile(
        r"Senaste ändring av data: \d{4}-\d\d-\d\d \d\d:\d\d, ersattningsnivaer "
        r"från nivåer_2026.csv \(tillagda 0, ersatta 1, borttagna 0\)"))).to_be_visible()
    # The tables' own toolbar offers no CSV download or copy (client.disableDataExport): every export goes
    # through the app's buttons, which are logged and formula-safe. (The status table's figures, checksum
    # included, are read in tests/test_app_data.py.)
    status = page.get_by_test_id("stDataFrame").nth(1)
    status.hover()
    expect(page.get_by_test_id("stElementToolbar").get_by_role("button").first).to_be_visible()  # the toolbar is up
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
    kr = duckdb.connect().execute(
        "select kr_per_timme, kalla from read_parquet($p) where insats = 'hemtjanst' and year(giltig_fran) = 2026",
        {"p": str(data_dir / "extracts" / "ersattningsnivaer.parquet")}).fetchall()
    assert [(float(k), kalla) for k, kalla in kr] == [(471.5, "Socialnämnden Härryda (förslag, OPI-uppräknad)")]
    vanta_klar(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "data.png"), full_page=True)


def test_download_a_template(data_server, page):
    url, _ = data_server
    page.goto(f"{url}/data")
    page.get_by_role("tab", name="besok").click()
    panel = page.get_by_role("tabpanel", name="besok")
    with page.expect_download() as nedladdning:
        panel.get_by_role("button", name="Mall (.xlsx)").click()
    assert nedladdning.value.suggested_filename == "mall_besok.xlsx"
    bok = openpyxl.load_workbook(io.BytesIO(Path(nedladdning.value.path()).read_bytes()))
    assert bok.sheetnames == ["besok", "anvisningar"]
    rubriker = [c.value for c in bok["besok"][1]]
    assert rubriker == list(TABELLER["besok"].kolumnnamn)


def test_a_refused_file_lists_its_problems_and_changes_nothing(data_server, page, tmp_path):
    url, data_dir = data_server
    budget = data_dir / "extracts" / "budget.parquet"
    fore = hashlib.sha256(budget.read_bytes()).hexdigest()
    fil = tmp_path / "budget 2027.csv"
    # month 13, and a kronor amount typed as text; 'hemtjänst' with ä is accepted as hemtjanst
    fil.write_bytes("ar;manad;insats;budget_kr\r\n2027;13;hemtjanst;100000\r\n"
                    "2027;1;hemtjänst;ca 90 000\r\n".encode("cp1252"))
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(f"{url}/data")
    page.get_by_role("tab", name="budget").click()
    page.get_by_role("tabpanel", name="budget").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(fil))
    page.get_by_role("button", name="Importera 1 fil").click()
    expect(page.get_by_text("Importen avvisades. Ingenting har ändrats")).to_be_visible()
    expect(page.get_by_text("budget från budget 2027.csv: avvisad – ingenting har ändrats. 2 fel och 0 varningar "
                            "på 2 rader.")).to_be_visible()
    # status, last import, problems, import log, and the audit log (the refused attempt, by the local user)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(5)
    assert hashlib.sha256(budget.read_bytes()).hexdigest() == fore
    vanta_klar(page)
    page.screenshot(path=str(SHOTS / "data_avvisad.png"), full_page=True)
    # the report names the file, row and column; taking it away is an export in the audit log
    with page.expect_download() as nedladdning:
        page.get_by_role("button", name="Ladda ned rapporten (.txt)").click()
    rapport = Path(nedladdning.value.path()).read_text(encoding="utf-8")
    assert "budget 2027.csv" in rapport and "manad" in rapport
    sista = granskningslogg.las(data_dir)[-1]
    assert (sista["sub"], sista["handelse"], sista["vad"]) == ("lokal", "export", {"fil": "importrapport.txt"})
