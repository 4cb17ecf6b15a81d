"""Import templates: one .xlsx or .csv per table with the column names and one example row."""

from __future__ import annotations

import datetime as dt
import io

from beslutsstod.inlasning.schema import TABELLER, TABELLORDNING, Kolumn

CSV_AVGRANSARE = ";"  # Swedish Excel writes and reads ';' because ',' is the decimal mark
CSV_BOM = "\ufeff"  # lets Excel on Windows recognise UTF-8 (åäö) when the file is opened
XLSX_KOLUMNBREDD = 22  # characters


def _csv_text(varde: object) -> str:
    if varde is None:
        return ""
    if isinstance(varde, bool):
        return "true" if varde else "false"
    if isinstance(varde, float):
        return f"{varde:.2f}".replace(".", ",")
    if isinstance(varde, dt.date):
        return varde.isoformat()
    text = str(varde)
    if CSV_AVGRANSARE in text or '"' in text:
        text = '"' + text.replace('"', '""') + '"'
    return text


def _obligatorisk(kol: Kolumn) -> str:
    if kol.kan_utelamnas:
        return "nej (kolumnen kan utelämnas)"
    return "nej (får vara tom)" if kol.nullbar else "ja"


def mall(tabell: str, format: str = "xlsx") -> bytes:
    """Template file for `tabell` as .xlsx (sheet named like the table) or .csv (';', UTF-8)."""
    if tabell not in TABELLER:
        raise ValueError(f"okänd tabell '{tabell}'; välj en av {', '.join(TABELLORDNING)}")
    spec = TABELLER[tabell]
    if format == "csv":
        rader = [CSV_AVGRANSARE.join(spec.kolumnnamn),
                 CSV_AVGRANSARE.join(_csv_text(k.exempel) for k in spec.kolumner)]
        return (CSV_BOM + "\r\n".join(rader) + "\r\n").encode("utf-8")
    if format != "xlsx":
        raise ValueError("format måste vara 'xlsx' eller 'csv'")

    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = tabell
    ws.append(list(spec.kolumnnamn))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, kol in enumerate(spec.kolumner, start=1):
        cell = ws.cell(row=2, column=i, value=kol.exempel)
        if isinstance(kol.exempel, dt.date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(kol.exempel, str):
            cell.number_format = "@"  # text: keeps the leading zero of kommunkoder like 0584
        ws.column_dimensions[get_column_letter(i)].width = XLSX_KOLUMNBREDD
    ws.freeze_panes = "A2"

    hjalp = wb.create_sheet("anvisningar")
    hjalp.append(["kolumn", "obligatorisk", "beskrivning"])
    for cell in hjalp[1]:
        cell.font = Font(bold=True)
    for kol in spec.kolumner:
        hjalp.append([kol.namn, _obligatorisk(kol), kol.beskrivning])
    hjalp.append([])
    hjalp.append([spec.beskrivning])
    hjalp.append([f"Bladet '{tabell}' importeras; detta blad läses inte."])
    hjalp.column_dimensions["A"].width = XLSX_KOLUMNBREDD
    hjalp.column_dimensions["B"].width = 30
    hjalp.column_dimensions["C"].width = 90
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
