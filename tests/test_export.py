"""Exports read back: xlsx with openpyxl, csv with the csv module."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook

from beslutsstod.dokument import tabellfil
from beslutsstod.regler import smatalsskydd

SKAPAD = dt.datetime(2025, 3, 4, 9, 30)


def _table() -> pd.DataFrame:
    # Hand-written: Öckerö has 3 persons (< 5) and is hidden; the next-smallest row with
    # persons, Tjörn (6), is hidden too so that Totalt − shown rows is not Öckerö alone.
    return pd.DataFrame({
        "Vistelsekommun": ["Härryda", "Öckerö", "Tjörn", "Strömstad", "Totalt"],
        "Antal personer": [12, 3, 6, 25, 46],
        "Utförda timmar": [1234.5, 20.25, 48.0, 2400.0, 3702.75],
        "Kostnad (kr)": [560463.0, 9193.5, 21792.0, 1089600.0, 1681048.5],
        "Andel av timmar (%)": [33.3, 0.5, 1.3, 64.8, 100.0],
    })


def _masked(oppen_vy: bool = True) -> smatalsskydd.MaskedTable:
    return smatalsskydd.mask_long(_table(), persons_col="Antal personer",
                             value_cols=["Utförda timmar", "Kostnad (kr)", "Andel av timmar (%)"],
                             smatal_grans=5, oppen_vy=oppen_vy,
                             label_col="Vistelsekommun", total_label="Totalt")


def _metadata(oppen_vy: bool = True, demodata: bool = True) -> dict[str, str]:
    return tabellfil.build_metadata("Besöksextrakt, beräknad kostnad", "År 2024, insats: alla",
                                 oppen_vy, dt.date(2025, 2, 28), demodata, skapad=SKAPAD)


FORMAT = {"Utförda timmar": "timmar", "Kostnad (kr)": "kr", "Andel av timmar (%)": "procent",
          "Antal personer": "tal"}


def _xlsx(table, **kwargs):
    data = tabellfil.to_xlsx(table, titel="Kostnad per vistelsekommun 2024",
                          metadata=kwargs.pop("metadata", _metadata()),
                          kolumnformat=kwargs.pop("kolumnformat", FORMAT), **kwargs)
    return load_workbook(io.BytesIO(data))


def test_build_metadata():
    meta = _metadata()
    assert list(meta) == ["Källa", "Filter", "Vy", "Datadatum", "Demodata", "Skapad"]
    assert meta["Datadatum"] == "2025-02-28"
    assert meta["Skapad"] == "2025-03-04 09:30"
    assert meta["Vy"].startswith("öppen")
    assert meta["Demodata"].startswith("ja")
    detalj = tabellfil.build_metadata("K", "", False, None, False, skapad=SKAPAD)
    assert detalj["Vy"].startswith("detalj")
    assert detalj["Demodata"] == "nej"
    assert detalj["Filter"] == "inga" and detalj["Datadatum"] == "okänt"


def test_xlsx_table_sheet():
    workbook = _xlsx(_masked())
    assert workbook.sheetnames == ["Kostnad per vistelsekommun 2024", "Om tabellen"]
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == ["Vistelsekommun", "Antal personer", "Utförda timmar", "Kostnad (kr)", "Andel av timmar (%)"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "B2"  # header row and label column stay in view

    # Härryda, row 2: numbers stored as numbers with Excel's format codes.
    assert sheet["A2"].value == "Härryda"
    assert sheet["B2"].value == 12 and sheet["B2"].number_format == "#,##0"
    assert sheet["C2"].value == 1234.5 and sheet["C2"].number_format == "#,##0.0"
    assert sheet["D2"].value == 560463 and sheet["D2"].number_format == "#,##0"
    # Percent units in the frame (33.3) become Excel's fraction (0.333) with a % format.
    assert sheet["E2"].value == pytest.approx(0.333) and sheet["E2"].number_format == "0.0%"
    for cell in sheet[2][1:]:
        assert isinstance(cell.value, (int, float))

    # Öckerö (row 3) and Tjörn (row 4) are hidden: the text "..", in every protected column.
    for row in (3, 4):
        assert [sheet.cell(row=row, column=k).value for k in range(2, 6)] == ["..", "..", "..", ".."]
    assert sheet["A3"].value == "Öckerö"
    assert sheet["B6"].value == 46  # the total row is shown

    # Columns are sized to their content, not Excel's default 8.43.
    assert sheet.column_dimensions["A"].width >= len("Vistelsekommun")
    assert sheet.column_dimensions["D"].width >= len("1,089,600")


def test_xlsx_about_sheet_with_demodata_and_footnote():
    about = _xlsx(_masked())["Om tabellen"]
    rows = {row[0]: row[1] for row in about.iter_rows(min_row=2, values_only=True)}
    assert rows["Titel"] == "Kostnad per vistelsekommun 2024"
    assert rows["Källa"] == "Besöksextrakt, beräknad kostnad"
    assert rows["Filter"] == "År 2024, insats: alla"
    assert rows["Vy"].startswith("öppen")
    assert rows["Datadatum"] == "2025-02-28"
    assert rows["Demodata"].startswith("ja")
    assert "fiktiva" in rows["Demodata"]
    assert rows["Skapad"] == "2025-03-04 09:30"
    assert rows["Förklaring"] == smatalsskydd.footnote_sv(5)
    assert [c.value for c in about[1]] == ["Uppgift", "Värde"]


def test_xlsx_detail_view_has_no_mask_and_no_footnote():
    workbook = _xlsx(_masked(oppen_vy=False), metadata=_metadata(oppen_vy=False, demodata=False))
    sheet, about = workbook.worksheets
    assert sheet["B3"].value == 3 and sheet["C3"].value == 20.25
    rows = {row[0]: row[1] for row in about.iter_rows(min_row=2, values_only=True)}
    assert "Förklaring" not in rows
    assert rows["Demodata"] == "nej" and rows["Vy"].startswith("detalj")


def test_xlsx_default_formats_text_dates_decimals_and_index():
    df = pd.DataFrame(
        {"Antal": [1, 2000], "Snitt": [1.5, 2.25], "Heltal som flyttal": [3.0, 4000.0],
         "Ersättningsnivå (kr/tim)": [Decimal("454.00"), Decimal("482.50")], "Kod": [1401, 1402],
         "Datum": [dt.date(2024, 1, 31), dt.date(2024, 2, 29)], "Saknas": [1.0, None]},
        index=pd.Index(["jan", "feb"], name="Månad"),
    )
    sheet = _xlsx(df, kolumnformat={"Ersättningsnivå (kr/tim)": "kr:2", "Kod": "text"}, index=True).worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["Månad", "Antal"]
    assert sheet["A2"].value == "jan"
    assert sheet["B3"].value == 2000 and sheet["B3"].number_format == "#,##0"
    assert sheet["C3"].value == 2.25 and sheet["C3"].number_format == "#,##0.0"
    assert sheet["D3"].number_format == "#,##0"  # integral floats get no decimals
    assert float(sheet["E3"].value) == 482.5 and sheet["E3"].number_format == "#,##0.00"
    assert sheet["F2"].value == "1401" and sheet["F2"].number_format == "@"
    assert sheet["G3"].value.date() == dt.date(2024, 2, 29) and sheet["G3"].number_format == "yyyy-mm-dd"
    assert sheet["H3"].value is None  # missing (not hidden) is an empty cell, not ".."


def test_xlsx_rejects_unknown_formats_and_columns():
    with pytest.raises(ValueError, match="unknown kolumnformat"):
        _xlsx(_table(), kolumnformat={"Kostnad (kr)": "kronor"})
    with pytest.raises(ValueError, match="not in the table"):
        _xlsx(_table(), kolumnformat={"Kostnad": "kr"})


def test_xlsx_sheet_name_is_sanitised():
    data = tabellfil.to_xlsx(_table(), titel="Jan/feb: [kostnad]? per kommun och insats 2024", metadata={})
    name = load_workbook(io.BytesIO(data)).sheetnames[0]
    assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_bom_separator_decimal_comma_and_mask():
    data = tabellfil.to_csv(_masked())
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads åäö correctly
    rows = _csv_rows(data)
    assert rows[0] == ["Vistelsekommun", "Antal personer", "Utförda timmar", "Kostnad (kr)", "Andel av timmar (%)"]
    assert rows[1] == ["Härryda", "12", "1234,5", "560463", "33,3"]
    assert rows[2] == ["Öckerö", "..", "..", "..", ".."]
    assert rows[3] == ["Tjörn", "..", "..", "..", ".."]
    assert rows[5] == ["Totalt", "46", "3702,75", "1681048,5", "100"]
    text = data.decode("utf-8-sig")
    assert text.splitlines()[1] == "Härryda;12;1234,5;560463;33,3"


def test_csv_round_trips_text_and_detail_view():
    df = pd.DataFrame({"Namn": ["Åsa; Öberg \"AB\"", "Ärlig"], "Värde": [0.1 + 0.2, -2.5],
                       "Klar": [True, False], "Datum": [dt.date(2024, 7, 1), None]})
    rows = _csv_rows(tabellfil.to_csv(df))
    assert rows[1] == ["Åsa; Öberg \"AB\"", "0,3", "ja", "2024-07-01"]  # float noise dropped
    assert rows[2] == ["Ärlig", "-2,5", "nej", ""]
    detail = _csv_rows(tabellfil.to_csv(_masked(oppen_vy=False)))
    assert detail[2] == ["Öckerö", "3", "20,25", "9193,5", "0,5"]


def test_csv_amounts_to_the_ore_and_counts_as_integers():
    # issue 11 point 7: 76 115,8699999999 kr (a float sum) → 76115,87; 1 250,5 → 1250,50; 22.0 persons → 22
    import pandas as pd

    from beslutsstod.dokument import tabellfil as ex
    df = pd.DataFrame({"Kostnad (kr)": [76115.8699999999, 1250.5], "Personer": [22.0, 3.0]})
    text = ex.to_csv(df, kolumnformat={"Kostnad (kr)": "kr", "Personer": "tal"}).decode("utf-8-sig")
    assert text.splitlines() == ["Kostnad (kr);Personer", "76115,87;22", "1250,50;3"]
    # without a format, a column of whole numbers is still written as integers
    assert ex.to_csv(pd.DataFrame({"Besök": [22.0, 7.0]})).decode("utf-8-sig").splitlines()[1:] == ["22", "7"]


def test_sheet_name_keeps_the_year_when_shortened():
    # issue 11 point 7: 41 characters → at most 31, the year kept and the cut at a word
    from beslutsstod.dokument import tabellfil as ex
    assert ex._sheet_name("Kostnad per vistelsekommun och månad 2026") == "Kostnad per vistelsekommun 2026"
    namn = ex._sheet_name("Kostnad per år och insats 2019–2026 i 2023 års priser")
    assert len(namn) <= 31 and "2019–2026" in namn and "2023" in namn
