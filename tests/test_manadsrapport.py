"""Tests of beslutsstod.dokument.manadsrapport: the committee's table as .xlsx, with the open view's mask."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from beslutsstod.dokument import manadsrapport
from beslutsstod.regler import prognos, smatalsskydd
from beslutsstod.vyer import manadsuppfoljning as vy
from tests.test_prognos import make_budget, make_utfall
from tests.test_vyer_manadsuppfoljning import _utfall, persons, report_2024_03


def test_xlsx_export_opens_with_numbers_and_notes():
    rep = prognos.report_table(make_utfall(), make_budget(), 2024, 4, prognos.SEASONAL)
    data = manadsrapport.manadsrapport_xlsx(rep, rubrik="Härryda kommun – Socialnämnden", demo=True)
    ws = load_workbook(io.BytesIO(data))[manadsrapport.XLSX_BLAD]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    texts = [row[0] for row in cells if isinstance(row[0], str)]
    assert cells[0][0] == "Härryda kommun – Socialnämnden"
    assert "30 april 2024" in cells[1][0] and "säsongsprognos" in cells[1][0]
    assert any("fiktiva" in t for t in texts)
    assert prognos.SIGN_CONVENTION in texts and prognos.CHANGE_CONVENTION in texts
    header = next(i for i, row in enumerate(cells) if row[0] == prognos.LABEL_COLUMN)
    assert cells[header][1:9] == list(prognos.REPORT_COLUMNS)
    body = cells[header + 1: header + 7]
    assert [r[0] for r in body] == ["Hemtjänst", "Egen regi", "Privat (LOV/avtal)", "Kommunal primärvård",
                                    "Vistelsekommunen", "Totalt"]
    assert body[0][1:9] == [450, 540, 585, 45, 2925, 2700, 225, -80]
    assert body[1][3] is None  # no budget per regi: an empty cell, not 0
    assert body[5][1:9] == [530, 660, 685, 25, 3225, 3060, 165, -80]
    # Numbers, not text (openpyxl reads 450.0 back as the int 450): the paper's sums work in Excel.
    assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in body[0][1:9])
    assert body[3][2] == 120 and isinstance(body[3][2], (int, float))
    assert ws.cell(header + 2, 2).number_format == manadsrapport.XLSX_NUMBER_FORMAT
    assert any("Data saknas för hemtjänst i mars 2024" in t for t in texts)
    assert any("45,5 %" in t for t in texts)
    assert any("efter 2023 års utfall per månad" in t for t in texts)


def test_masked_xlsx_shows_mask_code_and_footnote_numbers_elsewhere():
    rep = report_2024_03()
    mask = vy.maskering(rep, persons({("regi", "hemtjanst", "egen_regi"): 2}), True, 5)
    ws = load_workbook(io.BytesIO(manadsrapport.manadsrapport_xlsx(rep, mask, "Härryda kommun", demo=True, smatal_grans=5)))[manadsrapport.XLSX_BLAD]
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    header = next(r for (r, col), v in cells.items() if v == prognos.LABEL_COLUMN and col == 1)
    ack = 1 + 1 + prognos.REPORT_COLUMNS.index("Ack utfall")  # column A is the label
    assert cells[(header + 1, ack)] == pytest.approx(3300.0)  # Hemtjänst
    assert cells[(header + 2, ack)] == ".."  # Egen regi
    assert cells[(header + 2, ack - 1)] == pytest.approx(300.0)  # its previous year is shown
    assert smatalsskydd.footnote_sv(5) in cells.values()
    # without a mask the export is the plain report
    plain = load_workbook(io.BytesIO(manadsrapport.manadsrapport_xlsx(rep, None, "Härryda kommun", demo=True)))[manadsrapport.XLSX_BLAD]
    assert plain.cell(header + 2, ack).value == pytest.approx(300.0)  # egen regi 3 × 100 tkr
    assert smatalsskydd.footnote_sv(5) not in [c.value for row in plain.iter_rows() for c in row]


def test_previous_year_ack_lacking_a_month_is_marked_in_the_header():
    # issue 11 point 2: 2023 lacks February, so Föregående år ack utfall is incomplete (see
    # tests/test_vyer_manadsuppfoljning.py for the page's cells)
    rows = _utfall([(a, m, "hemtjanst", "egen_regi", 100) for a in (2023, 2024) for m in range(1, 4)])
    rows.loc[(rows["ar"] == 2023) & (rows["manad"] == 2), ["utfall_kr", "saknar_data"]] = [None, True]
    rep = prognos.report_table(rows, pd.DataFrame(columns=["ar", "manad", "insats", "budget_kr"]), 2024, 3)
    ws = load_workbook(io.BytesIO(manadsrapport.manadsrapport_xlsx(rep))).active
    rubriker = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Föregående år ack utfall (ofullständigt: februari 2023 saknas)" in rubriker
