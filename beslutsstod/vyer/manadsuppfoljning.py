"""Månadsuppföljning for the page: small-number protection of the committee table, its Swedish
display, the masked .xlsx, and forecast accuracy in words. Pure: no Streamlit.

The figures themselves come from `beslutsstod.regler.prognos`; this module decides what the open
view may show of them and how they read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
from pandas.io.formats.style import Styler

from beslutsstod import talformat as fmt
from beslutsstod.regler import prognos as fc
from beslutsstod.regler import smatalsskydd

# Columns whose figures come from this year's visits, and from last year's (small-number
# protection looks at the persons behind each). Budget columns describe no person.
KOLUMNER_I_AR = ("Ack utfall", "Avvikelse", "År prognos", "Avvikelse prognos mot budget", "Förändring prognos")
KOLUMNER_FOREG_AR = ("Föregående år ack utfall",)
INDRAG = "\u2003\u2003"  # two em spaces: regi rows under their insats, as in the committee's papers
TOM = ""  # a regi row's budget cell: there is no budget per regi (not a missing one)
DECIMALER = 1  # the table is in tkr with one decimal (0,1 tkr = 100 kr)


def manader_att_valja(ar: int, sista_datum: dt.date) -> list[int]:
    """Months a follow-up can be made for: up to the last month with data in the running year."""
    if ar > sista_datum.year:
        return []
    return list(range(1, (sista_datum.month if ar == sista_datum.year else 12) + 1))


def ack_manader(report: fc.Report) -> list[int]:
    """The months the year-to-date columns cover: 1..month without any insats's missing month.

    The persons query counts over these months (a missing month has no visits to count).
    """
    saknas = {m for manader in report.missing_months.values() for m in manader}
    return [m for m in range(1, report.month + 1) if m not in saknas]


def utan_foregaende_ar(report: fc.Report, utfall: pd.DataFrame) -> fc.Report:
    """The report with Föregående år ack utfall missing (not 0) when the extracts hold no month
    of the year before among the months compared: a year before the data starts."""
    manader = ack_manader(report)
    foreg = utfall.loc[(utfall["ar"] == report.year - 1) & utfall["manad"].isin(manader) & ~utfall["saknar_data"]]
    if not foreg.empty or not manader:
        return report
    table = report.table.copy()
    table["Föregående år ack utfall"] = float("nan")
    return dataclasses.replace(report, table=table)


def besok_utan_belopp(utfall: pd.DataFrame, ar: int, manad: int) -> int:
    """Visits of `ar` up to `manad` with neither an invoice nor a rate in force (not in the outcome)."""
    rader = utfall.loc[(utfall["ar"] == ar) & (utfall["manad"] <= manad)]
    return int(rader["antal_besok_utan_belopp"].sum())


def _manadslista(manader) -> str:
    namn = [fmt.manad_namn(m, lang=True) for m in sorted(manader)]
    return namn[0] if len(namn) == 1 else ", ".join(namn[:-1]) + " och " + namn[-1]


def saknade_manader_text(report: fc.Report) -> str | None:
    """The months up to the report's month without data, in words, or None when there are none."""
    saknas = {i: m for i, m in report.missing_months.items() if m}
    if not saknas:
        return None
    if len(saknas) == len(report.missing_months) and len(set(saknas.values())) == 1:
        vilka = f"Data saknas för {_manadslista(next(iter(saknas.values())))} {report.year}."
    else:
        vilka = f"Data saknas {report.year} för " + "; ".join(
            f"{fc.INSATS_NAME.get(i, i).lower()} i {_manadslista(m)}" for i, m in saknas.items()) + "."
    en = len({m for manader in saknas.values() for m in manader}) == 1
    return (vilka + (" Månaden visas inte som noll: den" if en else " Månaderna visas inte som noll: de")
            + " ingår inte i ackumulerat utfall eller budget, och prognosen uppskattar "
            + ("den som en kommande månad." if en else "dem som kommande månader."))


# ---------------------------------------------------------------------------------------------
# Small-number protection of the report table
# ---------------------------------------------------------------------------------------------

def _personer(personer: pd.DataFrame, ar: int) -> dict[tuple[str, str | None, str | None], float]:
    """(niva, insats, regi) → persons in `ar`; a regi without match in utforare is "okand"."""
    out = {}
    for rad in personer.loc[personer["ar"] == ar].to_dict("records"):
        niva = rad["niva"]
        insats = None if niva in ("total", "manad") or pd.isna(rad["insats"]) else str(rad["insats"])
        regi = None
        if niva == "regi":
            regi = fc.UNKNOWN_REGI if pd.isna(rad["regi"]) else str(rad["regi"])
        if niva != "manad":
            out[(niva, insats, regi)] = float(rad["antal_personer"])
    return out


def _dolda_rader(table: pd.DataFrame, personer: dict, grans: int) -> set:
    """Row labels of `table` to hide for one year's persons.

    A subtotal in the table is the exact sum of its rows, so hiding single rows would not
    protect them (the privacy module does not handle hierarchies). Instead a whole level is
    hidden: the regi rows of an insats when any of them describes 1..grans−1 persons; every
    insats and regi row when any insats does; everything when the total does. A hidden group
    then always has two or more rows (a single regi row has the persons of its insats, a
    single insats those of the total), so no hidden figure is a difference of shown ones.
    """
    def liten(key) -> bool:
        return smatalsskydd.is_masked(personer.get(key, 0), grans)

    rader = table.to_dict("index")
    insatser = [r["insats"] for r in rader.values() if r["radtyp"] == "insats"]
    allt = any(liten(("total", None, None)) for r in rader.values() if r["radtyp"] == "total")
    insatsniva = allt or any(liten(("insats", i, None)) for i in insatser)
    reginiva = {i: insatsniva or any(liten(("regi", i, r["regi"])) for r in rader.values()
                                     if r["radtyp"] == "regi" and r["insats"] == i) for i in insatser}
    dolda = set()
    for label, r in rader.items():
        if (r["radtyp"] == "total" and allt) or (r["radtyp"] == "insats" and insatsniva) or \
           (r["radtyp"] == "regi" and reginiva.get(r["insats"], False)):
            dolda.add(label)
    return dolda


def maskering(report: fc.Report, personer: pd.DataFrame, oppen_vy: bool, grans: int) -> pd.DataFrame:
    """Boolean frame (index of report.table, columns REPORT_COLUMNS): True = show `..`.

    `personer` is the result of queries/manadsuppfoljning/personer.sql for the report's year and
    its `ack_manader`. This year's persons decide the columns of this year's outcome and
    forecast, last year's persons the column Föregående år ack utfall. The detail view
    (oppen_vy False) hides nothing.
    """
    mask = pd.DataFrame(False, index=report.table.index, columns=list(fc.REPORT_COLUMNS))
    if not oppen_vy:
        return mask
    for ar, kolumner in ((report.year, KOLUMNER_I_AR), (report.year - 1, KOLUMNER_FOREG_AR)):
        rader = sorted(_dolda_rader(report.table, _personer(personer, ar), grans))
        if rader:
            mask.loc[rader, list(kolumner)] = True
    # a cell without a figure (a regi row's budget columns, no earlier forecast) hides nothing
    return mask & report.table[list(fc.REPORT_COLUMNS)].notna()


def prognos_visas(report: fc.Report, mask: pd.DataFrame) -> bool:
    """Whether the chart may show the forecast: not when the table hides the total's."""
    total = report.table.index[report.table["radtyp"] == "total"]
    return not bool(mask.loc[total, "År prognos"].any())


def dolda_manader(personer: pd.DataFrame, ar: int, oppen_vy: bool, grans: int) -> set[int]:
    """Months of `ar` whose outcome the monthly chart must not show in the open view.

    The months are one line whose sum (Ack utfall, Totalt) is in the table, so smatalsskydd.mask_long
    hides a second month when only one describes too few persons.
    """
    rader = personer.loc[(personer["niva"] == "manad") & (personer["ar"] == ar)].reset_index(drop=True)
    if rader.empty:
        return set()
    rader = rader.assign(utfall=0.0)  # the value itself does not matter to which cells are hidden
    tabell = smatalsskydd.mask_long(rader, persons_col="antal_personer", value_cols=["utfall"],
                               threshold=grans, oppen_vy=oppen_vy)
    return {int(m) for m in rader.loc[tabell.mask["utfall"], "manad"]}


# ---------------------------------------------------------------------------------------------
# Display
# ---------------------------------------------------------------------------------------------

def _cell(value: float, radtyp: str, kolumn: str, dold: bool) -> str:
    if dold:
        return fmt.MASK
    if pd.isna(value):
        return TOM if radtyp == "regi" and kolumn in fc.BUDGET_COLUMNS else fmt.SAKNAS
    return fmt.fmt_tal(value, DECIMALER)


def visningstabell(report: fc.Report, mask: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table as the committee reads it: Swedish number strings in tkr, regi rows indented,
    `..` for hidden cells, `–` for a figure that does not exist, blank regi budget cells.

    Columns: Verksamhet, then REPORT_COLUMNS; one row per row of report.table, in its order.
    """
    if mask is None:
        mask = pd.DataFrame(False, index=report.table.index, columns=list(fc.REPORT_COLUMNS))
    rows = []
    for label, r in report.table.iterrows():
        row = {fc.LABEL_COLUMN: (INDRAG if r["radtyp"] == "regi" else "") + str(r[fc.LABEL_COLUMN])}
        row.update({k: _cell(r[k], r["radtyp"], k, bool(mask.at[label, k])) for k in fc.REPORT_COLUMNS})
        # a previous year's sum that lacks a month is marked, with the month, never a plain sum
        saknas = fc.previous_incomplete(report, None if r["radtyp"] == "total" else r["insats"])
        if saknas and row[fc.PREVIOUS_COLUMN] not in (fmt.MASK, fmt.SAKNAS, TOM):
            row[fc.PREVIOUS_COLUMN] += f" (utan {_manadslista(saknas)})"
        rows.append(row)
    return pd.DataFrame(rows, columns=[fc.LABEL_COLUMN, *fc.REPORT_COLUMNS])


def stil(report: fc.Report, mask: pd.DataFrame | None = None) -> Styler:
    """The table for st.table: numbers stay numbers (right-aligned, as in the committee's papers)
    and show the Swedish text of `visningstabell`; subtotal and total rows bold.

    A hidden cell's number is removed from the data itself, not only from its display: what the
    browser receives must not contain it.
    """
    if mask is None:
        mask = pd.DataFrame(False, index=report.table.index, columns=list(fc.REPORT_COLUMNS))
    text = visningstabell(report, mask)
    data = report.table[list(fc.REPORT_COLUMNS)].mask(mask.to_numpy()).reset_index(drop=True)
    data.insert(0, fc.LABEL_COLUMN, text[fc.LABEL_COLUMN].to_numpy())
    typer = list(report.table["radtyp"])

    def css(frame: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame("", index=frame.index, columns=frame.columns)
        for pos, typ in enumerate(typer):
            if typ != "regi":
                out.iloc[pos] = "font-weight: bold;" + (" border-top: 2px solid #1b2631;" if typ == "total" else "")
        return out

    styler = data.style.apply(css, axis=None).hide(axis="index")
    for pos in range(len(data)):
        for kolumn in fc.REPORT_COLUMNS:
            styler = styler.format(lambda _x, s=text.at[pos, kolumn]: s, subset=pd.IndexSlice[[pos], [kolumn]])
    return styler


def rapport_xlsx(report: fc.Report, mask: pd.DataFrame | None = None, heading: str | None = None,
                 demo: bool = False, grans: int = smatalsskydd.DEFAULT_THRESHOLD_PERSONS) -> bytes:
    """forecast.report_xlsx with the open view's hidden cells as `..` and the footnote.

    A committee paper is a public document: what the page hides, the export hides too.
    """
    data = fc.report_xlsx(report, heading=heading, demo=demo)
    if mask is None or not mask.to_numpy().any():
        return data
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment

    wb = load_workbook(io.BytesIO(data))
    ws = wb[fc.XLSX_SHEET]
    header = next(c.row for c in ws["A"] if c.value == fc.LABEL_COLUMN)
    for offset, label in enumerate(report.table.index, start=1):
        for col, name in enumerate(fc.REPORT_COLUMNS, start=2):
            if mask.at[label, name]:
                cell = ws.cell(header + offset, col, fmt.MASK)
                cell.alignment = Alignment(horizontal="right")
    ws.cell(ws.max_row + 1, 1, smatalsskydd.footnote_sv(grans))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Forecast accuracy
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Prognosfel:
    """How far past forecasts ended from the final outcome, for the chosen method."""
    tabell: pd.DataFrame  # index: "Prognos per" month name (jan–nov); columns: years; fel % as text
    medelfel: dict[str, float]  # method → mean absolute error in percent over all years and months
    ar: tuple[int, ...]  # the years in the table
    utan_slutligt_utfall: tuple[int, ...]  # past years left out: a month without data
    reservmetod: tuple[int, ...]  # years without a year before: the seasonal method is straight-line there
    text: str  # the summary, in Swedish


def prognosfel(utfall: pd.DataFrame, ar: int, metod: str) -> Prognosfel:
    """Forecast error of every complete year before `ar` (the total of the selection), in percent."""
    tidigare = sorted({int(a) for a in utfall["ar"] if int(a) < ar})
    acc = fc.forecast_accuracy(utfall, years=tidigare) if tidigare else pd.DataFrame(
        columns=["ar", "prognosmanad", "insats", "metod", "metod_anvand", "fel_procent"])
    acc = acc.loc[acc["insats"] == "totalt"]
    med = sorted({int(a) for a in acc["ar"]})
    utan = tuple(a for a in tidigare if a not in med)
    vald = acc.loc[acc["metod"] == metod]
    tabell = pd.DataFrame(index=pd.Index([fmt.manad_namn(m) for m in range(1, 12)], name="Prognos per"))
    for a in med:
        fel = vald.loc[vald["ar"] == a].set_index("prognosmanad")["fel_procent"]
        tabell[str(a)] = [fmt.fmt_procent(fel.get(m), 1, tecken=True) for m in range(1, 12)]
    medelfel = {m: float(acc.loc[acc["metod"] == m, "fel_procent"].abs().mean())
                for m in fc.METHOD_NAME if (acc["metod"] == m).any()}
    # years with no outcome at all the year before: the seasonal method has no pattern there
    alla_ar = {int(a) for a in utfall["ar"]}
    reserv = tuple(a for a in med if a - 1 not in alla_ar)
    return Prognosfel(tabell, medelfel, tuple(med), utan, reserv, _prognosfel_text(med, medelfel, utan, reserv))


def _ar_lista(ar) -> str:
    ar = [str(a) for a in ar]
    return ar[0] if len(ar) == 1 else ", ".join(ar[:-1]) + " och " + ar[-1]


def _prognosfel_text(med, medelfel, utan, reserv) -> str:
    if not med:
        text = "Det finns inget tidigare helt år med data att pröva prognoserna mot."
    else:
        delar = [f"{fc.METHOD_NAME[m].lower()} {fmt.fmt_procent(v)}" for m, v in medelfel.items()]
        text = (f"Genomsnittligt absolut prognosfel {_ar_lista(med)}, prognoser gjorda per januari–november: "
                + " och ".join(delar) + ".")
    if utan:
        text += (f" {_ar_lista(utan)} saknar data för någon månad och har därför inget slutligt utfall "
                 "att jämföra med.")
    if reserv:
        text += (f" För {_ar_lista(reserv)} finns inget utfall året före att jämföra med; där är "
                 "säsongsprognosen en rak prognos.")
    return text
