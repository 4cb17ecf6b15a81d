"""Table exports for every page's download buttons: xlsx (openpyxl) and csv.

Both take a plain DataFrame or a `privacy.MaskedTable`; hidden cells are written as the text
`..` (Kolada's code), never as a number. The header row is the frame's column labels as given
(Swedish, with the unit, e.g. "Kostnad (kr)").

xlsx: numbers stay numbers. Their format codes use Excel's file-format notation ('#,##0',
'0.0%'): the file always stores ',' for grouping and '.' for decimals, and Excel shows them
with the reader's locale, so Swedish Excel displays "1 234,5". Sheet 2 "Om tabellen" holds the
title, the metadata (source, filter, view, data date, demo data, created) and, when cells are
hidden, the footnote explaining "..".

csv: ';' separator, decimal comma, UTF-8 with BOM (utf-8-sig) so Excel opens åäö correctly;
no thousands grouping (a machine-readable file). Percent columns keep the unit of the frame
(12.5 means 12,5 %); in xlsx they become the fraction 0.125 with a percent format, as Excel
expects.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from beslutsstod.begrepp import MASK, saknas
from beslutsstod.regler.smatalsskydd import MaskedTable

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
ABOUT_SHEET = "Om tabellen"
DEFAULT_SHEET = "Tabell"
SHEET_NAME_MAX = 31  # characters; Excel's limit for a sheet name
COLUMN_WIDTH_MIN = 8  # characters
COLUMN_WIDTH_MAX = 60  # characters
CSV_DECIMALS_MAX = 10  # digits after the comma; drops binary noise (0.1 + 0.2), keeps öre and more
# A text cell starting with one of these is read as a formula by Excel/LibreOffice (OWASP, "CSV
# Injection"): "=HYPERLINK(...)", "+1+1", "-2+3", "@SUM(...)", and tab/CR, which some readers skip.
FORMEL_START = ("=", "+", "-", "@", "\t", "\r")

# Kind of column → (Excel format code without decimals, default decimals). A kind may carry its
# decimals after a colon: "kr:2" for a rate with öre, "procent:0".
COLUMN_KINDS: dict[str, tuple[str, int]] = {
    "kr": ("#,##0", 0),  # the unit belongs in the header, "Kostnad (kr)"
    "tal": ("#,##0", 0),
    "timmar": ("#,##0", 1),
    "procent": ("0", 1),  # value in percent units; written as fraction with a '%' format
    "text": ("@", 0),
}


def formelsaker(value: object, *, xlsx_cell=None) -> object:
    """A text value that no spreadsheet program will run as a formula; other values unchanged.

    Every cell of every export passes here. Numbers stay numbers (a negative number is not
    text). A text beginning with = + - @ tab or CR is neutralised as OWASP advises: in a .csv
    with a leading apostrophe ("'=1+1"); in an .xlsx (`xlsx_cell` given) the text is kept as
    written but stored as a string with Excel's quote prefix, so it is shown, never evaluated.
    """
    if not isinstance(value, str) or not value.startswith(FORMEL_START):
        return value
    if xlsx_cell is None:
        return "'" + value
    xlsx_cell.value = value
    xlsx_cell.data_type = "s"  # openpyxl would otherwise store a leading '=' as a formula
    xlsx_cell.quotePrefix = True
    return value


def _xlsx_cell(sheet, row: int, column: int, value: object):
    """sheet.cell(row, column) holding `value`, neutralised by formelsaker."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    formelsaker(value, xlsx_cell=cell)
    return cell


def build_metadata(
    kalla: str,
    filter_text: str,
    oppen_vy: bool,
    datadatum: dt.date | dt.datetime | str | None,
    demodata: bool,
    *,
    skapad: dt.datetime | None = None,
) -> dict[str, str]:
    """The standard "Om tabellen" rows: Källa, Filter, Vy, Datadatum, Demodata, Skapad."""
    if isinstance(datadatum, dt.datetime):
        datadatum_text = datadatum.strftime("%Y-%m-%d %H:%M")
    elif isinstance(datadatum, dt.date):
        datadatum_text = datadatum.isoformat()
    else:
        datadatum_text = datadatum or "okänt"
    return {
        "Källa": kalla,
        "Filter": filter_text or "inga",
        "Vy": ("öppen – uppgifter om få personer visas som .." if oppen_vy
               else "detalj – inga uppgifter dolda, för tjänstepersoner, inte för publicering"),
        "Datadatum": datadatum_text,
        "Demodata": "ja – fiktiva uppgifter, inga verkliga personer" if demodata else "nej",
        "Skapad": (skapad or dt.datetime.now()).strftime("%Y-%m-%d %H:%M"),
    }


def to_xlsx(
    table: pd.DataFrame | MaskedTable,
    *,
    titel: str,
    metadata: Mapping[str, str],
    kolumnformat: Mapping[Hashable, str] | None = None,
    index: bool = False,
) -> bytes:
    """An .xlsx file: sheet 1 the table, sheet 2 "Om tabellen" with title and metadata.

    `kolumnformat` maps a column label to "kr" | "tal" | "procent" | "timmar" | "text"
    (optionally ":<decimals>"); other numeric columns get '#,##0', or '#,##0.0' when they hold
    non-integral values. `index=True` writes the frame's index as the first column(s).
    """
    # openpyxl is imported when a file is made, not when a page starts (cold start, issue 16)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    df, mask, footnote = _frame_and_mask(table, index)
    formats = _column_formats(df, kolumnformat or {})

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_name(titel)
    workbook.properties.title = titel
    bold = Font(bold=True)
    rule = Border(bottom=Side(style="thin"))
    right = Alignment(horizontal="right")

    for k, column in enumerate(df.columns):
        letter = get_column_letter(k + 1)
        kind, number_format, decimals = formats[k]
        header = _xlsx_cell(sheet, 1, k + 1, _label(column))
        header.font, header.border = bold, rule
        if kind != "text" and kind is not None:
            header.alignment = Alignment(horizontal="right", wrap_text=True)
        width = len(_label(column))
        for r, (value, is_hidden) in enumerate(zip(df.iloc[:, k].tolist(), mask[:, k]), start=2):
            cell = sheet.cell(row=r, column=k + 1)
            if is_hidden:
                cell.value, cell.alignment = MASK, right
                continue
            value = _python_value(value)
            if value is None:
                continue
            if kind == "text":
                cell.value, cell.number_format = str(value), "@"
                formelsaker(cell.value, xlsx_cell=cell)
            elif kind is not None and _is_number(value):
                cell.value = value / 100 if kind == "procent" else value
                cell.number_format = number_format
            elif isinstance(value, dt.datetime):
                cell.value = value
                cell.number_format = "yyyy-mm-dd" if value.time() == dt.time() else "yyyy-mm-dd hh:mm"
            elif isinstance(value, dt.date):
                cell.value, cell.number_format = value, "yyyy-mm-dd"
            else:
                cell.value = value
                formelsaker(value, xlsx_cell=cell)
            width = max(width, _display_width(value, kind, decimals))
        sheet.column_dimensions[letter].width = min(max(width + 2, COLUMN_WIDTH_MIN), COLUMN_WIDTH_MAX)

    # Keep the header in view; in a table led by a label column, keep the labels in view too.
    label_first = len(df.columns) > 1 and formats[0][0] in (None, "text")
    sheet.freeze_panes = "B2" if label_first else "A2"
    if len(df.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{len(df) + 1}"

    about = workbook.create_sheet(ABOUT_SHEET)
    rows = [("Titel", titel), *((str(k), str(v)) for k, v in metadata.items())]
    if footnote:
        rows.append(("Förklaring", footnote))
    for r, (key, value) in enumerate([("Uppgift", "Värde"), *rows], start=1):
        _xlsx_cell(about, r, 1, key)
        _xlsx_cell(about, r, 2, value).alignment = Alignment(wrap_text=True, vertical="top")
        if r == 1:
            about.cell(row=1, column=1).font = about.cell(row=1, column=2).font = bold
    about.column_dimensions["A"].width = max(len(k) for k, _ in rows) + 2
    about.column_dimensions["B"].width = min(max(len(v) for _, v in rows) + 2, 100)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(table: pd.DataFrame | MaskedTable, *, index: bool = False,
           kolumnformat: Mapping[Hashable, str] | None = None) -> bytes:
    """A .csv file: ';' separated, decimal comma, UTF-8 with BOM, hidden cells as `..`.

    Amounts (kolumnformat "kr") are rounded half up to the öre (`76115,87`, never
    `76115,8699999999`); a column of whole numbers (counts) is written as integers (`22`, not
    `22,0`); other numbers keep up to CSV_DECIMALS_MAX decimals without binary noise.
    """
    df, mask, _ = _frame_and_mask(table, index)
    kinds = [None] * df.shape[1]
    if kolumnformat:
        kinds = [kind for kind, _, _ in _column_formats(df, {k: v for k, v in kolumnformat.items()
                                                               if k in df.columns})]
    heltal = [_numeric_column(df.iloc[:, k]) and not pd.api.types.is_bool_dtype(df.iloc[:, k].dtype)
              and _integral(df.iloc[:, k]) for k in range(df.shape[1])]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([formelsaker(_label(c)) for c in df.columns])
    columns = [df.iloc[:, k].tolist() for k in range(df.shape[1])]
    for r in range(len(df)):
        writer.writerow([_csv_text(columns[k][r], mask[r, k], kinds[k], heltal[k]) for k in range(df.shape[1])])
    return buffer.getvalue().encode("utf-8-sig")


# --- helpers -------------------------------------------------------------------------------


def _frame_and_mask(table: pd.DataFrame | MaskedTable, index: bool) -> tuple[pd.DataFrame, np.ndarray, str | None]:
    if isinstance(table, MaskedTable):
        df, mask, footnote = table.data, table.mask.to_numpy(dtype=bool), table.footnote
        if mask.shape != df.shape:
            raise ValueError("the mask does not have the shape of the table")
    elif isinstance(table, pd.DataFrame):
        df, mask, footnote = table, np.zeros(table.shape, dtype=bool), None
    else:
        raise TypeError(f"expected a DataFrame or MaskedTable, got {type(table).__name__}")
    if index:
        levels = df.index.nlevels
        names = [name if name is not None else "" for name in df.index.names]
        df = df.copy()
        df.index = df.index.set_names(names) if levels > 1 else df.index.rename(names[0])
        df = df.reset_index()
        mask = np.hstack([np.zeros((len(df), levels), dtype=bool), mask])
    return df, mask, footnote


def _column_formats(df: pd.DataFrame, kolumnformat: Mapping[Hashable, str]) -> list[tuple[str | None, str, int]]:
    """Per column: (kind or None for non-numbers, Excel format code, decimals)."""
    unknown = [c for c in kolumnformat if c not in df.columns]
    if unknown:
        raise ValueError(f"kolumnformat names columns not in the table: {unknown}")
    formats = []
    for k, column in enumerate(df.columns):
        series = df.iloc[:, k]
        if column in kolumnformat:
            kind, decimals = _parse_kind(kolumnformat[column])
        elif pd.api.types.is_bool_dtype(series.dtype) or not _numeric_column(series):
            formats.append((None, "General", 0))
            continue
        else:
            kind, decimals = "tal", 0 if _integral(series) else 1
        base = COLUMN_KINDS[kind][0]
        if kind == "text":
            code = "@"
        else:
            code = base + ("." + "0" * decimals if decimals else "") + ("%" if kind == "procent" else "")
        formats.append((kind, code, decimals))
    return formats


def _parse_kind(spec: str) -> tuple[str, int]:
    match = re.fullmatch(r"(kr|tal|procent|timmar|text)(?::(\d))?", str(spec))
    if not match:
        raise ValueError(f"unknown kolumnformat {spec!r}; use kr, tal, procent, timmar or text, "
                         f"optionally with ':<decimals>'")
    kind, decimals = match.group(1), match.group(2)
    return kind, COLUMN_KINDS[kind][1] if decimals is None else int(decimals)


def _numeric_column(series: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(series.dtype):
        return True
    values = [v for v in series.tolist() if not saknas(v)]  # object columns, e.g. Decimal
    return bool(values) and all(_is_number(v) for v in values)


def _integral(series: pd.Series) -> bool:
    values = [_python_value(v) for v in series.tolist()]
    return all(v is None or float(v).is_integer() for v in values)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _python_value(value: object) -> object:
    """A value openpyxl and csv understand: Python scalars, naive datetimes, None for missing."""
    if saknas(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.tz_localize(None) if value.tzinfo is not None else value
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _label(column: object) -> str:
    if isinstance(column, tuple):
        return " – ".join(str(part) for part in column if str(part))
    return str(column)


def _ore(value: object) -> Decimal:
    """An amount to whole öre, half up (the one rounding rule, formatting.avrunda)."""
    d = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_AR = re.compile(r"(?<!\d)(?:19|20)\d\d(?:[–-](?:19|20)?\d\d)?(?!\d)")


def _sheet_name(titel: str) -> str:
    """Excel forbids []:*?/\\ in sheet names and limits them to 31 characters.

    A title shortened to fit keeps its years: "Kostnad per vistelsekommun och månad 2026" becomes
    "Kostnad per vistelsekommun 2026", not "…och månad 2" (two sheets must not read as one year).
    """
    name = re.sub(r"\s+", " ", re.sub(r"[\[\]:*?/\\]", " ", titel)).strip().strip("'")
    if len(name) > SHEET_NAME_MAX:
        ar = list(dict.fromkeys(_AR.findall(name)))
        suffix = (" " + " ".join(ar)) if ar else ""
        bas = re.sub(r"\s+", " ", _AR.sub(" ", name)).strip(" ,–-")
        utrymme = SHEET_NAME_MAX - len(suffix)
        if utrymme < 8:  # too many years to keep: a plain cut
            name = name[:SHEET_NAME_MAX]
        else:
            kort = bas[:utrymme]
            if len(bas) > utrymme and bas[utrymme] != " " and " " in kort:  # cut at a word boundary
                kort = kort[:kort.rfind(" ")]
            name = kort.strip(" ,–-") + suffix
    name = name.strip()
    return name if name and name.lower() != ABOUT_SHEET.lower() else DEFAULT_SHEET


def _display_width(value: object, kind: str | None, decimals: int) -> int:
    """Characters the value takes on screen, to size the column."""
    if kind not in (None, "text") and _is_number(value):
        shown = float(value)
        text = f"{shown:,.{decimals}f}" + (" %" if kind == "procent" else "")
        return len(text)
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return len(str(value))


def _csv_text(value: object, is_hidden: bool, kind: str | None = None, heltal: bool = False) -> str:
    if is_hidden:
        return MASK
    value = _python_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if _is_number(value) and kind == "kr":
        return format(_ore(value), "f").replace(".", ",")
    if _is_number(value) and heltal:
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = np.format_float_positional(value, precision=CSV_DECIMALS_MAX, unique=True, trim="-")
        return text.replace(".", ",")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return formelsaker(str(value))  # text; numbers, dates and '..' returned above
