"""Månadsuppföljning's page model: outcome against budget, the full-year forecast and deviations as
the committee's papers show them, the masked table, the chart, forecast accuracy, the .xlsx and the .pdf.

`manadsuppfoljning(s, f, till, metod)` returns everything sidor/manadsuppfoljning.py shows. The
figures come from the forecast rule (beslutsstod.regler.prognos); this module decides what the open
view may show of them and how they read. No Streamlit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
from pandas.io.formats.style import Styler

from beslutsstod import begrepp
from beslutsstod import talformat as fmt
from beslutsstod.data import referens
from beslutsstod.diagram import grund as diagram_grund
from beslutsstod.diagram import manadsuppfoljning as diagram_manadsuppfoljning
from beslutsstod.dokument import manadsrapport
from beslutsstod.dokument import pdf as pdfdokument
from beslutsstod.regler import prognos, smatalsskydd
from beslutsstod.vyer.urval import Filter, Sammanhang

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


def ack_manader(report: prognos.Report) -> list[int]:
    """The months the year-to-date columns cover: 1..month without any insats's missing month.

    The persons query counts over these months (a missing month has no visits to count).
    """
    saknas = {m for manader in report.missing_months.values() for m in manader}
    return [m for m in range(1, report.month + 1) if m not in saknas]


def utan_foregaende_ar(report: prognos.Report, utfall: pd.DataFrame) -> prognos.Report:
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


def saknade_manader_text(report: prognos.Report) -> str | None:
    """The months up to the report's month without data, in words, or None when there are none."""
    saknas = {i: m for i, m in report.missing_months.items() if m}
    if not saknas:
        return None
    if len(saknas) == len(report.missing_months) and len(set(saknas.values())) == 1:
        vilka = f"Data saknas för {prognos.month_list(next(iter(saknas.values())))} {report.year}."
    else:
        vilka = f"Data saknas {report.year} för " + "; ".join(
            f"{begrepp.INSATS_TEXT.get(i, i)} i {prognos.month_list(m)}" for i, m in saknas.items()) + "."
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
            regi = begrepp.REGI_OKAND if pd.isna(rad["regi"]) else str(rad["regi"])
        if niva != "manad":
            out[(niva, insats, regi)] = float(rad["antal_personer"])
    return out


def _dolda_rader(table: pd.DataFrame, personer: dict, smatal_grans: int) -> set:
    """Row labels of `table` to hide for one year's persons.

    A subtotal in the table is the exact sum of its rows, so hiding single rows would not
    protect them (the privacy module does not handle hierarchies). Instead a whole level is
    hidden: the regi rows of an insats when any of them describes 1..smatal_grans−1 persons; every
    insats and regi row when any insats does; everything when the total does. A hidden group
    then always has two or more rows (a single regi row has the persons of its insats, a
    single insats those of the total), so no hidden figure is a difference of shown ones.
    """
    def liten(key) -> bool:
        return smatalsskydd.is_masked(personer.get(key, 0), smatal_grans)

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


def maskering(report: prognos.Report, personer: pd.DataFrame, oppen_vy: bool, smatal_grans: int) -> pd.DataFrame:
    """Boolean frame (index of report.table, columns REPORT_COLUMNS): True = show `..`.

    `personer` is the result of queries/manadsuppfoljning/personer.sql for the report's year and
    its `ack_manader`. This year's persons decide the columns of this year's outcome and
    forecast, last year's persons the column Föregående år ack utfall. The detail view
    (oppen_vy False) hides nothing.
    """
    mask = pd.DataFrame(False, index=report.table.index, columns=list(prognos.REPORT_COLUMNS))
    if not oppen_vy:
        return mask
    for ar, kolumner in ((report.year, KOLUMNER_I_AR), (report.year - 1, KOLUMNER_FOREG_AR)):
        rader = sorted(_dolda_rader(report.table, _personer(personer, ar), smatal_grans))
        if rader:
            mask.loc[rader, list(kolumner)] = True
    # a cell without a figure (a regi row's budget columns, no earlier forecast) hides nothing
    return mask & report.table[list(prognos.REPORT_COLUMNS)].notna()


def prognos_visas(report: prognos.Report, mask: pd.DataFrame) -> bool:
    """Whether the chart may show the forecast: not when the table hides the total's."""
    total = report.table.index[report.table["radtyp"] == "total"]
    return not bool(mask.loc[total, "År prognos"].any())


def dolda_manader(personer: pd.DataFrame, ar: int, oppen_vy: bool, smatal_grans: int) -> set[int]:
    """Months of `ar` whose outcome the monthly chart must not show in the open view.

    The months are one line whose sum (Ack utfall, Totalt) is in the table, so smatalsskydd.mask_long
    hides a second month when only one describes too few persons.
    """
    rader = personer.loc[(personer["niva"] == "manad") & (personer["ar"] == ar)].reset_index(drop=True)
    if rader.empty:
        return set()
    rader = rader.assign(utfall=0.0)  # the value itself does not matter to which cells are hidden
    tabell = smatalsskydd.mask_long(rader, persons_col="antal_personer", value_cols=["utfall"],
                               smatal_grans=smatal_grans, oppen_vy=oppen_vy)
    return {int(m) for m in rader.loc[tabell.mask["utfall"], "manad"]}


# ---------------------------------------------------------------------------------------------
# Display
# ---------------------------------------------------------------------------------------------

def _cell(value: float, radtyp: str, kolumn: str, dold: bool) -> str:
    if dold:
        return begrepp.MASK
    if pd.isna(value):
        return TOM if radtyp == "regi" and kolumn in prognos.BUDGET_COLUMNS else begrepp.SAKNAS
    return fmt.fmt_tal(value, DECIMALER)


def visningstabell(report: prognos.Report, mask: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table as the committee reads it: Swedish number strings in tkr, regi rows indented,
    `..` for hidden cells, `–` for a figure that does not exist, blank regi budget cells.

    Columns: Verksamhet, then REPORT_COLUMNS; one row per row of report.table, in its order.
    """
    if mask is None:
        mask = pd.DataFrame(False, index=report.table.index, columns=list(prognos.REPORT_COLUMNS))
    rows = []
    for label, r in report.table.iterrows():
        row = {prognos.LABEL_COLUMN: (INDRAG if r["radtyp"] == "regi" else "") + str(r[prognos.LABEL_COLUMN])}
        row.update({k: _cell(r[k], r["radtyp"], k, bool(mask.at[label, k])) for k in prognos.REPORT_COLUMNS})
        # a previous year's sum that lacks a month is marked, with the month, never a plain sum
        saknas = prognos.previous_incomplete(report, None if r["radtyp"] == "total" else r["insats"])
        if saknas and row[prognos.PREVIOUS_COLUMN] not in (begrepp.MASK, begrepp.SAKNAS, TOM):
            row[prognos.PREVIOUS_COLUMN] += f" (utan {prognos.month_list(saknas)})"
        rows.append(row)
    return pd.DataFrame(rows, columns=[prognos.LABEL_COLUMN, *prognos.REPORT_COLUMNS])


def stil(report: prognos.Report, mask: pd.DataFrame | None = None) -> Styler:
    """The table for st.table: numbers stay numbers (right-aligned, as in the committee's papers)
    and show the Swedish text of `visningstabell`; subtotal and total rows bold.

    A hidden cell's number is removed from the data itself, not only from its display: what the
    browser receives must not contain it.
    """
    if mask is None:
        mask = pd.DataFrame(False, index=report.table.index, columns=list(prognos.REPORT_COLUMNS))
    text = visningstabell(report, mask)
    data = report.table[list(prognos.REPORT_COLUMNS)].mask(mask.to_numpy()).reset_index(drop=True)
    data.insert(0, prognos.LABEL_COLUMN, text[prognos.LABEL_COLUMN].to_numpy())
    # one style per row (subtotal and total bold, the total with a rule above), made once: Streamlit
    # applies the function again on every rerun
    radstil = ["" if typ == "regi" else "font-weight: bold;" + (" border-top: 2px solid #1b2631;" if typ == "total" else "")
               for typ in report.table["radtyp"]]
    stilar = pd.DataFrame({k: radstil for k in data.columns})

    def css(frame: pd.DataFrame) -> pd.DataFrame:
        return stilar.set_axis(frame.index, axis=0)

    styler = data.style.apply(css, axis=None).hide(axis="index")
    for pos in range(len(data)):
        for kolumn in prognos.REPORT_COLUMNS:
            styler = styler.format(lambda _x, s=text.at[pos, kolumn]: s, subset=pd.IndexSlice[[pos], [kolumn]])
    return styler


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
    acc = prognos.forecast_accuracy(utfall, years=tidigare) if tidigare else pd.DataFrame(
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
                for m in prognos.METHOD_NAME if (acc["metod"] == m).any()}
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
        delar = [f"{prognos.METHOD_NAME[m].lower()} {fmt.fmt_procent(v)}" for m, v in medelfel.items()]
        text = (f"Genomsnittligt absolut prognosfel {_ar_lista(med)}, prognoser gjorda per januari–november: "
                + " och ".join(delar) + ".")
    if utan:
        text += (f" {_ar_lista(utan)} saknar data för någon månad och har därför inget slutligt utfall "
                 "att jämföra med.")
    if reserv:
        text += (f" För {_ar_lista(reserv)} finns inget utfall året före att jämföra med; där är "
                 "säsongsprognosen en rak prognos.")
    return text


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------

TOMT_URVAL = "Urvalet i sidopanelen (insats, regi, vistelsekommun) har inga kostnader något år i extrakten."
UTAN_BUDGET = ("Budgeten är beslutad per insats för alla våra kostnader. Med ett urval på regi eller "
               "vistelsekommun finns ingen budget att jämföra med; budgetkolumnerna visas som –.")


@dataclass(frozen=True)
class ManadsuppfoljningVy:
    """Everything the page shows, top to bottom. With `tomt` set the page shows only that."""

    tomt: str | None = None  # the selection has no costs in any year
    metodforklaring: str = ""  # caption: the forecast method in one sentence
    saknade_manader: str | None = None  # warning: months without data
    utan_budget: str | None = None  # info: a regi or kommun selection has no budget
    utan_belopp: str | None = None  # warning: visits with neither invoice nor rate
    rubrik: str = ""  # the report's title (subheader)
    las_sa_har: str = ""  # Markdown under the title: unit, selection, sign convention
    tabell: Styler | None = None  # the committee's table (masked)
    fotnot: str | None = None  # the small-number footnote, when anything is hidden
    noter: str = ""  # Markdown list of the table's notes
    xlsx: Callable[[], bytes] | None = None  # the table as the committee's .xlsx, built on click
    filnamn: str = ""
    pdf: Callable[[], bytes] | None = None  # the table as the committee's A4 PDF, built on click
    pdf_namn: str = ""
    diagram: go.Figure | None = None  # outcome, forecast and budget per month
    diagramtext: diagram_grund.Diagramtext | None = None  # the chart's summary and numbers
    prognosfel_text: str = ""  # Markdown: how good past forecasts were, and the sign convention
    prognosfel_tabell: pd.DataFrame | None = None  # None when there is no earlier complete year
    prognosfel_ar: tuple[str, ...] = ()  # the table's year columns (right-aligned)


def manadsuppfoljning(s: Sammanhang, f: Filter, till: int, metod: str) -> ManadsuppfoljningVy:
    """The follow-up of the sidebar's year through month `till` with forecast method `metod`.

    One year governs the heading, the table, the chart and the export: the sidebar's (issue 11).
    `s.demodata` marks the exports as fictitious data.
    """
    urval = dict(insatser=f.insatser, regier=f.regier, kommuner=f.kommuner)
    utfall = s.fraga("manadsuppfoljning/utfall_per_manad", urval)
    if utfall.empty:
        return ManadsuppfoljningVy(tomt=TOMT_URVAL)
    budget = s.fraga("manadsuppfoljning/budget", urval)
    rapport = utan_foregaende_ar(prognos.report_table(utfall, budget, f.ar, till, metod), utfall)
    personer = s.fraga("manadsuppfoljning/personer", dict(urval, ar=f.ar, manader=ack_manader(rapport)))
    mask = maskering(rapport, personer, s.oppen_vy, s.smatal_grans)
    dolda = dolda_manader(personer, f.ar, s.oppen_vy, s.smatal_grans)
    urvalstext = f.beskrivning()

    utan = besok_utan_belopp(utfall, f.ar, till)
    namnd = f"{referens.kommunnamn(s.hemkommun)} kommun – Socialnämnden"
    rubrik = namnd + (f". Urval: {urvalstext}" if f.insatser or f.regier or f.kommuner else "")
    serie = prognos.monthly_series(utfall, budget, f.ar, till, metod)
    fel = prognosfel(utfall, f.ar, metod)
    fotnot = smatalsskydd.footnote_sv(s.smatal_grans) if mask.to_numpy().any() or dolda else None
    return ManadsuppfoljningVy(
        metodforklaring=rapport.method_explanation,
        saknade_manader=saknade_manader_text(rapport),
        utan_budget=UTAN_BUDGET if f.regier or f.kommuner else None,
        utan_belopp=(f"{fmt.fmt_tal(utan)} besök saknar både faktura och en ersättningsnivå som gällde "
                     "besöksdagen. De saknas i utfallet (de räknas inte som noll).") if utan else None,
        rubrik=rapport.title,
        las_sa_har=f"Belopp i tkr. {urvalstext}.  \n**Läs så här:** {rapport.sign_convention}",
        tabell=stil(rapport, mask),
        fotnot=fotnot,
        noter="\n".join(f"- {not_}" for not_ in rapport.notes),
        xlsx=lambda: manadsrapport.manadsrapport_xlsx(rapport, mask, rubrik, s.demodata, s.smatal_grans),
        filnamn=f"manadsuppfoljning_{f.ar}_{till:02d}.xlsx",
        pdf=lambda: pdfdokument.manadsrapport_pdf(
            visningstabell(rapport, mask), list(rapport.table["radtyp"]), rubrik=namnd, titel=rapport.title,
            inledning=(f"Belopp i tkr. {urvalstext}.", rapport.method_explanation,
                       f"Läs så här: {rapport.sign_convention}"),
            fotnot=fotnot, noter=rapport.notes, datadatum=f.sista_datum, demo=s.demodata),
        pdf_namn=f"manadsuppfoljning_{f.ar}_{till:02d}.pdf",
        diagram=diagram_manadsuppfoljning.utfall_budget_prognos(serie, f.ar, till, metod, dolda,
                                                                 prognos_visas(rapport, mask)),
        diagramtext=diagram_grund.beskriv(
            f"Stapeldiagram: utfall, prognos och budget per månad {f.ar}, tkr",
            diagram_manadsuppfoljning.utfall_budget_prognos_punkter(serie, f.ar, till, metod, dolda,
                                                                    prognos_visas(rapport, mask)),
            format_=lambda v: fmt.fmt_tkr(v) + " tkr", namnform="{serie}, {kategori}",
            saknas_text="månader utan tidsregistreringar"),
        prognosfel_text=f"{fel.text}  \n{prognos.ACCURACY_CONVENTION}",
        prognosfel_tabell=fel.tabell if fel.ar else None,
        prognosfel_ar=tuple(str(a) for a in fel.ar),
    )
