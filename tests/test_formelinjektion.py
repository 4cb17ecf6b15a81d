"""Issue 13, out: no exported text cell is ever a formula (OWASP CSV injection); numbers stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from beslutsstod.dokument import tabellfil, tjansteskrivelse

# Every way a text cell can start a formula in Excel/LibreOffice (OWASP): = + - @ tab CR.
FIENTLIGA = ['=1+1', '=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1:A2)",
             "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


def _tabell() -> pd.DataFrame:
    return pd.DataFrame({"Utförare": FIENTLIGA + ["Omsorg AB"],
                         "Kostnad (kr)": [-5.0, 12.5, 0.0, -1.0, 3.0, 4.0, 5.0, 6.0, 7.0]})


def _metadata() -> dict[str, str]:
    return tabellfil.build_metadata("Källa", "kommun: =1+1", True, dt.date(2025, 1, 31), False,
                                 skapad=dt.datetime(2025, 2, 1, 8, 0))


def test_xlsx_har_inga_formler_och_visar_texten_som_skriven():
    data = tabellfil.to_xlsx(_tabell(), titel="=Titel", metadata=_metadata())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for namn in zf.namelist():
            if namn.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(namn) and b"<f " not in zf.read(namn), namn
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    # Column A rows 2..9 hold the hostile names exactly as written, typed as text ('s').
    for rad, namn in enumerate(FIENTLIGA, start=2):
        cell = ws.cell(row=rad, column=1)
        assert cell.value == namn and cell.data_type == "s" and cell.quotePrefix
    # Numbers stay numbers: -5.0 is a number cell, not neutralised text.
    assert ws.cell(row=2, column=2).value == -5.0 and ws.cell(row=2, column=2).data_type == "n"
    om = wb["Om tabellen"]
    filter_cell = next(c for c in om["B"] if c.value == "kommun: =1+1")
    assert filter_cell.data_type == "s"
    assert om["B2"].value == "=Titel" and om["B2"].data_type == "s"


def test_csv_neutraliserar_text_men_inte_tal():
    text = tabellfil.to_csv(_tabell()).decode("utf-8-sig")
    rader = list(csv.reader(io.StringIO(text), delimiter=";"))
    # Each hostile name gets one leading apostrophe; the numbers are written as numbers:
    # -5.0 -> "-5", 12.5 -> "12,5" (decimal comma), not "'-5".
    assert [r[0] for r in rader[1:9]] == ["'" + v for v in FIENTLIGA]
    assert [r[1] for r in rader[1:4]] == ["-5", "12,5", "0"]
    assert rader[9] == ["Omsorg AB", "7"]


def test_csv_rubrik_neutraliseras():
    # A pivot table's column labels can be utförare names.
    text = tabellfil.to_csv(pd.DataFrame({"=1+1": [1]})).decode("utf-8-sig")
    assert text.splitlines()[0] == "'=1+1"


@pytest.mark.parametrize("namn", FIENTLIGA)
def test_formelsaker_per_tecken(namn):
    assert tabellfil.formelsaker(namn) == "'" + namn
    assert tabellfil.formelsaker(-3) == -3 and tabellfil.formelsaker("Omsorg-AB") == "Omsorg-AB"


def test_tjansteskrivelsens_xlsx_har_inga_formler():
    avsnitt = tjansteskrivelse.Avsnitt(
        rubrik="=Ekonomiska konsekvenser", stycken=("+1+1 kronor",), antaganden=(), kallor=(),
        beslut=(), tabeller=(tjansteskrivelse.Tabell(
            namn="Scenarier", rubrik="-rubrik", kolumner=("Scenario", "Kostnad"),
            format=("text", "kr"), rader=(('=HYPERLINK("http://x","y")', 1000),)),))
    data = tjansteskrivelse.to_xlsx(avsnitt)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for namn in zf.namelist():
            if namn.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(namn), namn
    wb = load_workbook(io.BytesIO(data))
    assert wb["Text"]["A1"].value == "=Ekonomiska konsekvenser"
    assert wb["Scenarier"]["A4"].value.startswith("=HYPERLINK")
    assert wb["Scenarier"]["A4"].data_type == "s" and wb["Scenarier"]["B4"].value == 1000
