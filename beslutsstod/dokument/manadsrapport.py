"""The committee's follow-up table (Månadsuppföljning) as an .xlsx in the committee's layout.

A committee paper is a public document: what the page hides (small-number protection, `..`), the
file hides too, with the same footnote. Built on click (the page passes a zero-argument callable).
"""

from __future__ import annotations

import io

import pandas as pd

from beslutsstod import begrepp
from beslutsstod.regler import prognos, smatalsskydd

XLSX_NUMBER_FORMAT = "#,##0.0;-#,##0.0"  # tkr with one decimal; Swedish Excel shows 1 234,5
XLSX_BLAD = "Månadsuppföljning"


def foregaende_ar_rubrik(report: prognos.Report) -> str:
    """'Föregående år ack utfall (ofullständigt: mars 2025 saknas)' when a month is missing, else the name."""
    saknas = prognos.previous_incomplete(report, None)
    if not saknas:
        return prognos.PREVIOUS_COLUMN
    return f"{prognos.PREVIOUS_COLUMN} (ofullständigt: {prognos.month_list(saknas)} {report.year - 1} saknas)"


def manadsrapport_xlsx(report: prognos.Report, mask: pd.DataFrame | None = None, rubrik: str | None = None,
                       demo: bool = False, smatal_grans: int = smatalsskydd.STANDARD_SMATAL_GRANS) -> bytes:
    """The report table as an .xlsx, ready to paste into a paper.

    `rubrik` (e.g. "Härryda kommun – Socialnämnden") goes above the title; `demo` adds a line
    saying the figures are fictitious. `mask` (vyer.manadsuppfoljning.maskering: True = hidden)
    writes `..` in place of a figure and adds the small-number footnote under the notes.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    kolumner = prognos.REPORT_COLUMNS
    dolda = mask is not None and bool(mask.to_numpy().any())
    wb = Workbook()
    ws = wb.active
    ws.title = XLSX_BLAD
    row = 1
    if rubrik:
        ws.cell(row, 1, rubrik).font = Font(bold=True)
        row += 1
    ws.cell(row, 1, report.title).font = Font(bold=True, size=14)
    row += 1
    if demo:
        ws.cell(row, 1, "Demodata: alla uppgifter är fiktiva.").font = Font(bold=True, color="C00000")
        row += 1
    ws.cell(row, 1, "Belopp i tkr.")
    row += 1
    ws.cell(row, 1, prognos.SIGN_CONVENTION)
    ws.cell(row + 1, 1, prognos.CHANGE_CONVENTION)
    ws.cell(row + 2, 1, report.method_explanation)  # starts with the method's name
    row += 4

    header_row = row
    thin = Side(style="thin")
    for c, name in enumerate([prognos.LABEL_COLUMN, *kolumner], start=1):
        cell = ws.cell(row, c, foregaende_ar_rubrik(report) if name == prognos.PREVIOUS_COLUMN else name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="left" if c == 1 else "right")
        cell.border = Border(bottom=thin)
    ws.row_dimensions[row].height = 45
    row += 1
    for label, rec in zip(report.table.index, report.table.to_dict("records")):
        kind = rec["radtyp"]
        ws.cell(row, 1, rec[prognos.LABEL_COLUMN]).alignment = Alignment(indent=2 if kind == "regi" else 0)
        for c, name in enumerate(kolumner, start=2):
            if dolda and mask.at[label, name]:
                ws.cell(row, c, begrepp.MASK).alignment = Alignment(horizontal="right")
                continue
            value = rec[name]
            cell = ws.cell(row, c, None if begrepp.saknas(value) else float(value))
            cell.number_format = XLSX_NUMBER_FORMAT
        if kind != "regi":
            for c in range(1, len(kolumner) + 2):
                ws.cell(row, c).font = Font(bold=True)
        if kind == "total":
            for c in range(1, len(kolumner) + 2):
                ws.cell(row, c).border = Border(top=thin, bottom=Side(style="double"))
        row += 1

    row += 1
    ws.cell(row, 1, "Noter").font = Font(bold=True)
    row += 1
    for note in report.notes:
        ws.cell(row, 1, note)
        row += 1
    if dolda:
        ws.cell(row, 1, smatalsskydd.footnote_sv(smatal_grans))

    ws.column_dimensions["A"].width = 28
    for c in range(2, len(kolumner) + 2):
        ws.column_dimensions[get_column_letter(c)].width = 14
    ws.freeze_panes = ws.cell(header_row + 1, 2)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
