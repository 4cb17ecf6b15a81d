"""The three analysis pages: costs over years (current or fixed prices), utförare, vistelsekommuner.

Pure functions over the small frames of queries/kostnader/, queries/utforare/ and
queries/vistelsekommuner/: they apply fixed prices by OPI, compute changes, protect small
numbers and return tables ready to show and export (``smatalsskydd.MaskedTable`` with Swedish
column headers). No Streamlit here; the pages in sidor/ only render what these return.

Small-number protection. A page shows the same cells in more than one table: a year's total
is the total of both its insats lines and its regi lines; an utförare's row is a detail of its
regi's subtotal and the total of its month table; a kommun's year figure is the total of its
month column. ``smatalsskydd.mask_long`` protects one line with one total; ``smatalsskydd.hide_in_lines``
applies the same rules (primary: 1..grans-1 persons; secondary: a line never holds exactly one
hidden cell) to a set of lines that share cells, iterating until nothing changes. When the lines
form a tree (each pair of lines shares at most one cell and there are no cycles of lines), as on
these pages, a line never holding exactly one hidden cell is enough for no hidden value to be
computable exactly from the shown cells (tests/test_analys.py checks this by linear algebra).
The month × kommun table is a real crosstab (rows and columns form cycles) and uses
``smatalsskydd.crosstab_mask`` (through ``smatalsskydd.crosstab_mask_shown_total``, which keeps the grand total shown since
other pages publish it); the kommun ranking, the map and the season chart show that crosstab's
margins, so they hide exactly the cells it hides.

Not covered: the sidebar filters let a reader difference two selections (all kommuner minus
"all but one" gives the one); protection here is per page view, as in smatalsskydd.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from beslutsstod import saker_text
from beslutsstod import talformat as fmt
from beslutsstod.dokument import tabellfil
from beslutsstod.regler import jamforelse, smatalsskydd
from beslutsstod.regler import opi as opi_mod

NAN = float("nan")
TOTALT = smatalsskydd.TOTAL_LABEL  # "Totalt"
NETTO = "netto"
RIKTNING_NETTO = {NETTO: "Netto (intäkter minus kostnader)"}
KALLA = ("Besöksextrakt (tid- och fakturasystem). Kostnad beräknad som timmar enligt ersättningens grund × "
         "ersättningsnivån som gällde besöksdagen, plus momskompensation till privata utförare när nivån "
         "är exklusive.")
NEUTRAL_NOTE = "Färgen visar bara storleken, inte om ett värde är bra eller dåligt."


def _masked_table(data: pd.DataFrame, dolda_kolumner: Mapping[str, Sequence[bool]], grans: int) -> smatalsskydd.MaskedTable:
    """A MaskedTable of `data` hiding, per column named in `dolda_kolumner`, the rows flagged True."""
    mask = pd.DataFrame(False, index=data.index, columns=data.columns)
    for kolumn, flaggor in dolda_kolumner.items():
        mask[kolumn] = np.asarray(flaggor, dtype=bool)
    return smatalsskydd.MaskedTable(smatalsskydd.apply_mask(data, mask), mask, grans)


# --- exports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exportfil:
    """One table's download files: the same cells, with `..` where the view hides them."""

    filnamn: str  # without extension, ASCII
    xlsx: bytes
    csv: bytes


def metadata(filtertext: str, oppen_vy: bool, datadatum: dt.date | None, demodata: bool,
             kalla: str = KALLA, **extra: str) -> dict[str, str]:
    """The export's "Om tabellen" rows (tabellfil.build_metadata) plus page-specific rows (e.g. Prisnivå)."""
    meta = tabellfil.build_metadata(kalla, filtertext, oppen_vy, datadatum, demodata)
    meta.update({k.replace("_", " "): v for k, v in extra.items()})
    return meta


def filnamn(titel: str) -> str:
    """An ASCII file name from a Swedish title: 'Kostnad per år 2024' → 'kostnad_per_ar_2024'."""
    ascii_text = titel.lower().translate(str.maketrans("åäöéü", "aaoeu"))
    return re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_") or "tabell"


def exportfil(tabell: smatalsskydd.MaskedTable, titel: str, meta: Mapping[str, str],
              kolumnformat: Mapping[str, str]) -> Exportfil:
    """The .xlsx and .csv of a protected table, named after its title."""
    format_i_tabellen = {k: v for k, v in kolumnformat.items() if k in tabell.data.columns}
    return Exportfil(filnamn(titel),
                     tabellfil.to_xlsx(tabell, titel=titel, metadata=meta, kolumnformat=format_i_tabellen),
                     tabellfil.to_csv(tabell, kolumnformat=format_i_tabellen))


def visningstabell(tabell: smatalsskydd.MaskedTable, kolumnformat: Mapping[str, str]) -> pd.DataFrame:
    """Display strings: Swedish number formats, `..` in hidden cells, `–` where a value is missing."""
    formatters = {}
    for kolumn in tabell.data.columns:
        slag, _, dec = kolumnformat.get(kolumn, "text").partition(":")
        decimaler = int(dec) if dec else tabellfil.COLUMN_KINDS.get(slag, ("", 0))[1]
        tecken = str(kolumn).startswith("Förändring")  # a change reads best with its sign: +12 345
        if slag == "kr":
            formatters[kolumn] = lambda x, d=decimaler, t=tecken: (
                ("+" if t and fmt.avrunda(x, d) > 0 else "") + fmt.fmt_tal(x, d))
        elif slag == "procent":
            formatters[kolumn] = lambda x, d=decimaler, t=tecken: fmt.fmt_procent(x, d, tecken=t)
        elif slag in ("tal", "timmar"):
            formatters[kolumn] = lambda x, d=decimaler: fmt.fmt_tal(x, d)
    return smatalsskydd.render_masked(tabell, formatters, missing=fmt.SAKNAS)


def _forandring_procent(nu: float, fore: float) -> float:
    if pd.isna(nu) or pd.isna(fore) or fore <= 0:
        return NAN
    return (nu - fore) / fore * 100


def _objekt(serie: pd.Series) -> pd.Series:
    """The column as Python objects with None for missing (grouping-set keys: NaN != NaN)."""
    return pd.Series([None if v is None or pd.isna(v) else v for v in serie], index=serie.index, dtype=object)


def _tal(x: object) -> float:
    return NAN if x is None or pd.isna(x) else float(x)


@dataclass(frozen=True)
class Analystabell:
    """A protected table with its export formats, and the long frame its charts are drawn from."""

    titel: str
    tabell: smatalsskydd.MaskedTable
    kolumnformat: dict[str, str]
    diagram: pd.DataFrame = field(default_factory=pd.DataFrame)
    antal_utan_niva: int = 0  # visits in the table with no rate in force (cost missing)

    @property
    def fotnot(self) -> str | None:
        return self.tabell.footnote


# --- revenue priced by our own rates (issue 11 point 9) ----------------------------------------

EGNA_NIVAER = "beräknad med egna nivåer (antagande)"


def intakt_antagande(rader: pd.DataFrame, ar: int | None = None) -> str | None:
    """'Intäkten är beräknad med egna nivåer (antagande) för 120 av 130 besök …' from
    queries/filter/intakt_nivaer (year `ar`, or every year in the frame); None when every
    revenue visit is priced by the paying kommun's rate (2 a kap. 7 § SoL)."""
    if ar is not None:
        rader = rader.loc[rader["ar"] == ar]
    egna, alla = int(rader["antal_egna_nivaer"].sum()), int(rader["antal_besok"].sum())
    if not egna:
        return None
    andel = "alla" if egna == alla else f"{fmt.fmt_tal(egna)} av {fmt.fmt_tal(alla)}"
    return (f"Intäkten är {EGNA_NIVAER} för {andel} besök: bosättningskommunen betalar enligt sin egen "
            "ersättningsnivå (2 a kap. 7 § SoL), men ingen sådan nivå finns i ersättningsnivåtabellen "
            "(kolumnen betalande_kommun), så beloppet räknas med kommunens egna nivåer.")


# --- fixed prices by OPI ---------------------------------------------------------------------


@dataclass(frozen=True)
class PrisOmrakning:
    """Factors that restate each year's kronor in the prices of `basar`, and the OPI behind them.

    OPI for year t is the price change of care services from t−1 to t (per cent). A year y
    before the base year is inflated by every OPI from y+1 to the base year; a year after it is
    deflated by every OPI from the base year + 1 to y. A factor is None when an OPI it needs is
    missing: that year is then shown without a value, never with a guessed one.
    """

    basar: int
    opi: dict[int, opi_mod.OpiValue]  # every year whose OPI some factor needs
    faktor: dict[int, float | None]

    @property
    def saknade(self) -> list[int]:
        """Years whose OPI is needed but neither published nor assumed."""
        return [ar for ar, v in sorted(self.opi.items()) if v.is_missing]

    @property
    def antaganden(self) -> list[int]:
        return [ar for ar, v in sorted(self.opi.items()) if v.is_assumption]

    def beskrivning(self) -> str:
        """One line for export metadata: the base year and every OPI used, with its status."""
        delar = [f"{ar}: {opi_mod.fmt_procent_sv(v.value_procent)} ({v.status})" if not v.is_missing
                 else f"{ar}: saknas" for ar, v in sorted(self.opi.items())]
        return (f"Fasta priser, {self.basar} års prisnivå, omräknat med omsorgsprisindex (OPI) "
                + ("; ".join(delar) if delar else "(inget OPI behövs)") + ".")


def opi_ar_som_behovs(ar_lista: Iterable[int], basar: int) -> list[int]:
    """The years whose OPI the conversion of `ar_lista` to `basar` prices needs."""
    ar_lista = list(ar_lista)
    if not ar_lista:
        return []
    return list(range(min(min(ar_lista), basar) + 1, max(max(ar_lista), basar) + 1))


def fasta_priser(ar_lista: Iterable[int], basar: int, antaganden: Mapping[int, float | None] | None = None,
                 publicerade: Mapping[int, opi_mod.PublishedOpi] | None = None) -> PrisOmrakning:
    """Factors to `basar` prices for each year in `ar_lista`, from published OPI or the user's assumptions.

    A published OPI always wins over an assumption for the same year. Factors are computed
    in Decimal (OPI has one decimal) and returned as floats for the kronor columns.
    """
    ar_lista = sorted(set(int(a) for a in ar_lista))
    tabell = publicerade if publicerade is not None else opi_mod.load_opi()
    antaganden = {int(k): v for k, v in (antaganden or {}).items() if v is not None}
    behov = {ar: opi_mod.opi_for_year(ar, tabell, assumed_procent=antaganden.get(ar))
             for ar in opi_ar_som_behovs(ar_lista, basar)}

    def kedja(fran: int, till: int) -> Decimal | None:
        """Π (1 + OPI_t/100) for t in fran+1..till."""
        produkt = Decimal(1)
        for t in range(fran + 1, till + 1):
            if behov[t].is_missing:
                return None
            produkt *= 1 + behov[t].value_procent / 100
        return produkt

    faktor: dict[int, float | None] = {}
    for ar in ar_lista:
        if ar <= basar:
            k = kedja(ar, basar)
            faktor[ar] = None if k is None else float(k)
        else:
            k = kedja(basar, ar)
            faktor[ar] = None if k is None else float(1 / k)
    return PrisOmrakning(basar, behov, faktor)


def opi_tabell(priser: PrisOmrakning) -> pd.DataFrame:
    """The OPI values a fixed-price view uses, for display and export: år, OPI (%), status, källa."""
    rader = [{"År": ar, "OPI (%)": float(v.value_procent) if not v.is_missing else NAN,
              "Status": v.status, "Källa": v.kalla} for ar, v in sorted(priser.opi.items())]
    return pd.DataFrame(rader, columns=["År", "OPI (%)", "Status", "Källa"])


OPI_KALLA = "data/reference/opi.csv (SKR:s omsorgsprisindex; källan för varje år står i tabellen)"


def opi_analystabell(priser: PrisOmrakning) -> Analystabell:
    """The OPI table as an Analystabell (it describes no persons: nothing is hidden)."""
    data = opi_tabell(priser)
    mask = pd.DataFrame(False, index=data.index, columns=data.columns)
    return Analystabell(f"OPI för fasta priser {priser.basar}", smatalsskydd.MaskedTable(data, mask, 1),
                        {"OPI (%)": "procent"})


def standard_basar(ar_lista: Iterable[int], valt_ar: int,
                   publicerade: Mapping[int, opi_mod.PublishedOpi] | None = None) -> int:
    """The default base year: the latest year up to `valt_ar` whose OPI is published, else `valt_ar`.

    With base year = the last published OPI year, every earlier year converts on published
    values alone; only later years need an assumption.
    """
    tabell = publicerade if publicerade is not None else opi_mod.load_opi()
    kandidater = [a for a in ar_lista if a <= valt_ar and a in tabell]
    return max(kandidater) if kandidater else valt_ar


# --- Kostnader över år -----------------------------------------------------------------------

DIMENSIONER = {"totalt": "Totalt", "insats": "Per insats", "regi": "Per regi"}
_ALLA = {"insats": "Alla insatser", "regi": "Alla regier"}
_RIKTNING_ORD = {"kostnad": ("Kostnad", "Kostnad per timme"), "intakt": ("Intäkt", "Intäkt per timme")}


def _ar_etikett(ar: int, valt_ar: int, till_manad: int, utan_data: Iterable[tuple[int, int]] = ()) -> str:
    """'2026 (jan–okt)'; a year lacking a month: '2025 (ofullständigt: mars saknas)'."""
    till = till_manad if ar == valt_ar else 12
    delar = [f"jan–{fmt.manad_namn(till_manad)}"] if ar == valt_ar and till_manad < 12 else []
    if text := jamforelse.ofullstandig(ar, till, utan_data):
        delar.append(text)
    return f"{ar} ({'; '.join(delar)})" if delar else str(ar)


def _kostnad_dolda(rader: pd.DataFrame, grans: int, oppen_vy: bool) -> set[tuple]:
    """Hidden cells of one direction of queries/kostnader/per_ar: keys (ar, jmf, dimension, grupp)."""
    personer = {(int(r.ar), bool(r.is_jamforelse), r.dimension, None if r.dimension == "totalt" else r.grupp):
                r.antal_personer for r in rader.itertuples()}
    linjer = []
    for (ar, jmf) in {(k[0], k[1]) for k in personer}:
        for dim in ("insats", "regi"):
            detaljer = [k for k in personer if k[:3] == (ar, jmf, dim)]
            linjer.append(((ar, jmf, "totalt", None), detaljer))
    return smatalsskydd.hide_in_lines(personer, sorted(linjer, key=str), grans, oppen_vy=oppen_vy)


def kostnader_per_ar(rader: pd.DataFrame, *, riktning: str, dimension: str, ar: int, till_manad: int,
                     oppen_vy: bool, grans: int, etiketter: Mapping[str, str],
                     priser: PrisOmrakning | None = None,
                     utan_data: Iterable[tuple[int, int]] = ()) -> Analystabell:
    """The yearly table of queries/kostnader/per_ar for one direction (or netto) and breakdown.

    Kronor are multiplied by `priser.faktor[year]` in fixed prices (None → missing). The change
    is against the year before, like with like: for a running year (`till_manad` < 12), or when
    either year lacks a month (``utan_data``), on the months both have (the query's
    is_jamforelse / is_jamforelse_nu rows). A year lacking a month is labelled incomplete
    ("2025 (ofullständigt: mars saknas)"). A change is hidden when either year's cell is hidden
    (it would give the hidden value away). Netto = intäkter − kostnader; hidden when either side is.
    """
    if dimension not in DIMENSIONER:
        raise ValueError(f"okänd uppdelning {dimension!r}")
    rader = rader.copy()
    utan_data = {(int(a), int(m)) for a, m in utan_data}
    har_nu = "is_jamforelse_nu" in rader.columns  # frames without it: the year as registered
    if har_nu:
        nu_del = rader.loc[rader["is_jamforelse_nu"].astype(bool)].copy()
        rader = rader.loc[~rader["is_jamforelse_nu"].astype(bool)].copy()
    else:
        nu_del = rader.iloc[0:0].copy()
    nu_del["grupp"] = _objekt(nu_del["grupp"].where(nu_del["dimension"] != "totalt"))
    rader["grupp"] = _objekt(rader["grupp"].where(rader["dimension"] != "totalt"))

    def faktor(a: int) -> float:
        if priser is None:
            return 1.0
        f = priser.faktor.get(a)
        return NAN if f is None else f

    sidor = ("kostnad", "intakt") if riktning == NETTO else (riktning,)
    data: dict[str, dict[tuple, dict]] = {}
    dolda: dict[str, set] = {}
    for sida in sidor:
        del_rader = rader.loc[rader["riktning"] == sida]
        dolda[sida] = _kostnad_dolda(del_rader, grans, oppen_vy)
        data[sida] = {(int(r.ar), bool(r.is_jamforelse), r.dimension, r.grupp): r._asdict()
                      for r in del_rader.itertuples()}

    # a year on the months the year before also has (the change's numerator), per side
    nu_data = {sida: {(int(r.ar), r.dimension, r.grupp): r._asdict()
                      for r in nu_del.loc[nu_del["riktning"] == sida].itertuples()} for sida in sidor}
    jmf_ar = {k[0] + 1 for sida in sidor for k in data[sida] if k[1]}

    def cell(sida: str, nyckel: tuple) -> dict | None:
        return data[sida].get(nyckel)

    def kronor(sida: str, nyckel: tuple) -> float:
        c = cell(sida, nyckel)
        return _tal(c["kostnad_kr"]) * faktor(nyckel[0]) if c else NAN

    def kronor_jmf(sida: str, nyckel: tuple) -> float:
        """The year's kronor for its change: on the months the year before has, when restricted."""
        a, _, dim, g = nyckel
        if a not in jmf_ar or not har_nu:
            return kronor(sida, nyckel)
        c = nu_data[sida].get((a, dim, g))
        return _tal(c["kostnad_kr"]) * faktor(a) if c else NAN

    ar_lista = sorted({k[0] for sida in sidor for k in data[sida] if not k[1]})
    grupper = sorted({k[3] for sida in sidor for k in data[sida] if k[2] == dimension},
                     key=lambda g: (list(etiketter).index(g) if g in etiketter else len(etiketter), str(g)))
    radnycklar = []  # (ar, dimension, grupp) in display order
    for a in ar_lista:
        if dimension != "totalt":
            radnycklar += [(a, dimension, g) for g in grupper]
        radnycklar.append((a, "totalt", None))

    def fore_nyckel(a: int, dim: str, g) -> tuple:
        return (a - 1, a in jmf_ar, dim, g)

    grupp_kolumn = {"insats": "Insats", "regi": "Regi"}.get(dimension)
    rows, flaggor = [], {}

    def flagga(kolumn: str, varde: bool) -> None:
        flaggor.setdefault(kolumn, []).append(varde)

    for a, dim, g in radnycklar:
        nu, fore = (a, False, dim, g), fore_nyckel(a, dim, g)
        rad = {"År": _ar_etikett(a, ar, till_manad, utan_data)}
        if grupp_kolumn:
            rad[grupp_kolumn] = _ALLA[dimension] if dim == "totalt" else etiketter.get(g, str(g))
        if riktning != NETTO:
            namn, per_timme = _RIKTNING_ORD[riktning]
            c = cell(riktning, nu)
            if c is None and dim != "totalt":
                continue  # the group has no visits this year
            dolt_nu = nu in dolda[riktning]
            v, v_fore = kronor(riktning, nu), kronor(riktning, fore)
            v_jmf = kronor_jmf(riktning, nu)
            timmar = _tal(c["debiterbara_timmar"]) if c else NAN
            rad.update({
                f"{namn} (kr)": v,
                "Förändring (kr)": v_jmf - v_fore,
                "Förändring (%)": _forandring_procent(v_jmf, v_fore),
                "Utförda timmar": _tal(c["utford_timmar"]) if c else NAN,
                f"{per_timme} (kr)": v / timmar if timmar else NAN,
                "Personer": _tal(c["antal_personer"]) if c else 0.0,
            })
            for k in (f"{namn} (kr)", "Utförda timmar", f"{per_timme} (kr)", "Personer"):
                flagga(k, dolt_nu)
            for k in ("Förändring (kr)", "Förändring (%)"):
                flagga(k, dolt_nu or (fore in dolda[riktning]))
        else:
            if all(cell(s, nu) is None for s in sidor) and dim != "totalt":
                continue
            dolt = {s: nu in dolda[s] for s in sidor}
            netto = kronor("intakt", nu) if cell("intakt", nu) else 0.0
            netto -= kronor("kostnad", nu) if cell("kostnad", nu) else 0.0
            netto_fore = (kronor("intakt", fore) if cell("intakt", fore) else 0.0) - (
                kronor("kostnad", fore) if cell("kostnad", fore) else 0.0)
            if a in jmf_ar:  # the change on the months both years have
                netto_jmf = sum((1 if s == "intakt" else -1) * (0.0 if math.isnan(x := kronor_jmf(s, nu)) else x)
                                for s in sidor)
            else:
                netto_jmf = netto
            har_fore = any(cell(s, fore) is not None for s in sidor)
            rad.update({
                "Kostnader (kr)": kronor("kostnad", nu) if cell("kostnad", nu) else 0.0,
                "Intäkter (kr)": kronor("intakt", nu) if cell("intakt", nu) else 0.0,
                "Netto (kr)": netto,
                "Förändring netto (kr)": netto_jmf - netto_fore if har_fore else NAN,
                "Personer (kostnader)": _tal(cell("kostnad", nu)["antal_personer"]) if cell("kostnad", nu) else 0.0,
                "Personer (intäkter)": _tal(cell("intakt", nu)["antal_personer"]) if cell("intakt", nu) else 0.0,
            })
            dolt_fore = any(fore in dolda[s] for s in sidor)
            flagga("Kostnader (kr)", dolt["kostnad"])
            flagga("Personer (kostnader)", dolt["kostnad"])
            flagga("Intäkter (kr)", dolt["intakt"])
            flagga("Personer (intäkter)", dolt["intakt"])
            flagga("Netto (kr)", any(dolt.values()))
            flagga("Förändring netto (kr)", any(dolt.values()) or dolt_fore)
        rows.append(rad)

    df = pd.DataFrame(rows)
    if df.empty:
        df = pd.DataFrame(columns=["År"])
    tabell = _masked_table(df.reset_index(drop=True), flaggor, grans)
    kolumnformat = {k: ("procent" if "(%)" in k else "timmar" if "timmar" in k else "tal" if k.startswith("Personer")
                        else "kr") for k in df.columns if k not in ("År", "Insats", "Regi")}
    # Chart frame: one row per year and series (the groups; the year total when not broken
    # down), from the protected cells, so a hidden cell is a gap in the chart too.
    namn_kr = "Netto (kr)" if riktning == NETTO else f"{_RIKTNING_ORD[riktning][0]} (kr)"
    namn_h = None if riktning == NETTO else f"{_RIKTNING_ORD[riktning][1]} (kr)"
    visad = tabell.data
    serie = (visad[grupp_kolumn] if grupp_kolumn else
             pd.Series({"kostnad": "Kostnad", "intakt": "Intäkt", NETTO: "Netto"}[riktning], index=visad.index))
    diagram = pd.DataFrame({
        "ar": visad["År"] if len(visad) else [],
        "serie": serie if len(visad) else [],
        "varde": visad[namn_kr] if namn_kr in visad else NAN,
        "per_timme": visad[namn_h] if namn_h and namn_h in visad else NAN,
        "is_totalt": (serie == _ALLA[dimension]) if grupp_kolumn else True,
    })
    antal_utan = int(rader.loc[(rader["dimension"] == "totalt") & (~rader["is_jamforelse"].astype(bool))
                               & (rader["riktning"].isin(sidor)), "antal_besok_utan_niva"].sum())
    prisniva = f" i {priser.basar} års priser" if priser else ""
    titel = (f"{'Netto' if riktning == NETTO else _RIKTNING_ORD[riktning][0]} per år"
             f"{'' if dimension == 'totalt' else ' och ' + dimension}{prisniva}")
    return Analystabell(titel, tabell, kolumnformat, diagram, antal_utan)


# --- Utförare --------------------------------------------------------------------------------

UTFORARE_MATT = {
    "kostnad_kr": ("Kostnad (kr)", "kr"),
    "utford_timmar": ("Utförda timmar", "timmar"),
    "kr_per_utford_timme": ("Kr per utförd timme", "kr"),
    "utford_andel_procent": ("Utförd tid av beviljad (%)", "procent"),
    "antal_personer": ("Personer", "tal"),
}
_UTFORARE_KOLUMNER = {
    "antal_personer": ("Personer", "tal"),
    "antal_besok": ("Besök", "tal"),
    "beviljad_timmar": ("Beviljade timmar", "timmar"),
    "utford_timmar": ("Utförda timmar", "timmar"),
    "utford_andel_procent": ("Utförd tid av beviljad (%)", "procent"),
    "kostnad_kr": ("Kostnad (kr)", "kr"),
    "kr_per_utford_timme": ("Kr per utförd timme", "kr"),
}


@dataclass(frozen=True)
class UtforareResultat:
    per_regi: Analystabell
    per_utforare: Analystabell
    per_manad: Analystabell | None  # the chosen utförare's months, when one is chosen
    utforare: dict[str, str]  # utforare_id → "namn (regi)" for the chooser, in table order
    dolda_utforare: set[str]


def _utforare_kolumner(rader: pd.DataFrame, etikett_kolumner: dict[str, list], dolt: Sequence[bool],
                       grans: int) -> tuple[smatalsskydd.MaskedTable, dict[str, str]]:
    data = pd.DataFrame(etikett_kolumner)
    for kolumn, (rubrik, _) in _UTFORARE_KOLUMNER.items():
        data[rubrik] = [_tal(x) for x in rader[kolumn]]
    flaggor = {rubrik: dolt for rubrik, _ in _UTFORARE_KOLUMNER.values()}
    return _masked_table(data, flaggor, grans), {r: k for r, k in _UTFORARE_KOLUMNER.values()}


def _utforare_nyckel(niva: str, regi: str | None, utforare_id: str | None) -> tuple:
    """The cell key of a row of queries/utforare/per_utforare in the protection lines."""
    return {"utforare": ("u", utforare_id), "regi": ("r", regi), "totalt": ("t", None)}[niva]


def utforare_tabeller(rader: pd.DataFrame, *, oppen_vy: bool, grans: int, regi_namn: Mapping[str, str],
                      vald: str | None = None, manader: pd.DataFrame | None = None,
                      ar: int | None = None) -> UtforareResultat:
    """Per regi, per utförare and (for `vald`) per month, from queries/utforare/*.sql, protected jointly.

    Lines: the total = Σ regi subtotals; each regi subtotal = Σ its utförare; the chosen
    utförare's year = Σ its months. Colour or order never says good or bad: the page ranks
    by the measure the user picks.
    """
    rader = rader.copy()
    rader["regi"] = _objekt(rader["regi"])
    rader["utforare_id"] = _objekt(rader["utforare_id"])
    rader["nyckel"] = [_utforare_nyckel(n, r, u) for n, r, u in zip(rader["niva"], rader["regi"], rader["utforare_id"])]
    personer: dict[tuple, float] = dict(zip(rader["nyckel"], rader["antal_personer"]))
    detalj = rader.loc[rader["niva"] == "utforare"].copy()
    linjer: list[smatalsskydd.Line] = [(("t", None), [k for k in personer if k[0] == "r"])]
    linjer += [(("r", r), list(detalj.loc[detalj["regi"] == r, "nyckel"]))
               for r in rader.loc[rader["niva"] == "regi", "regi"]]
    man = None
    if manader is not None and vald is not None:
        man = manader.sort_values("manad", na_position="last").reset_index(drop=True)
        man["nyckel"] = [("u", vald) if pd.isna(m) else ("m", int(m)) for m in man["manad"]]
        personer.update(zip(man["nyckel"], man["antal_personer"]))
        linjer.append((("u", vald), [k for k in man["nyckel"] if k[0] == "m"]))
    dolda = smatalsskydd.hide_in_lines(personer, linjer, grans, oppen_vy=oppen_vy)

    def dolt(tabell_rader: pd.DataFrame) -> list[bool]:
        return [k in dolda for k in tabell_rader["nyckel"]]

    regi_rader = rader.loc[rader["niva"].isin(["regi", "totalt"])]
    regi_etiketter = [TOTALT if n == "totalt" else regi_namn.get(r, str(r))
                      for n, r in zip(regi_rader["niva"], regi_rader["regi"])]
    regi_tabell, kf = _utforare_kolumner(regi_rader, {"Regi": regi_etiketter}, dolt(regi_rader), grans)

    # Within each regi: shown utförare by cost (the query's order), hidden ones after them by
    # name, so a hidden row's place in the order does not bound its value.
    regi_ordning = {r: i for i, r in enumerate(dict.fromkeys(detalj["regi"]))}
    detalj["_sortering"] = [(regi_ordning[r], k in dolda, str(n) if k in dolda else "", i) for i, (r, k, n) in
                            enumerate(zip(detalj["regi"], detalj["nyckel"], detalj["utforare_namn"]))]
    detalj = detalj.sort_values("_sortering").drop(columns="_sortering")
    u_rader = pd.concat([detalj, rader.loc[rader["niva"] == "totalt"]])
    u_tabell, _ = _utforare_kolumner(
        u_rader, {"Utförare": [str(n) for n in detalj["utforare_namn"]] + [TOTALT] * (len(u_rader) - len(detalj)),
                  "Regi": [regi_namn.get(r, str(r)) for r in detalj["regi"]] + [""] * (len(u_rader) - len(detalj))},
        dolt(u_rader), grans)
    # The chooser shows the name (its label is what the URL keeps); a name two utförare share gets the id.
    delade = set(detalj["utforare_namn"][detalj["utforare_namn"].duplicated()])
    namn = {u: f"{n} ({u})" if n in delade else str(n) for u, n in zip(detalj["utforare_id"], detalj["utforare_namn"])}
    diagram = u_tabell.data.iloc[: len(detalj)].copy()
    diagram["utforare_id"] = detalj["utforare_id"].to_numpy()
    arstext = f" {ar}" if ar else ""
    per_regi = Analystabell(f"Per regi{arstext}", regi_tabell, kf,
                            antal_utan_niva=int(rader.loc[rader["niva"] == "totalt", "antal_besok_utan_niva"].sum()))
    per_utforare = Analystabell(f"Per utförare{arstext}", u_tabell, kf, diagram)
    per_manad = None
    if man is not None:
        etiketter = ["Helår" if pd.isna(m) else fmt.manad_namn(int(m), lang=True) for m in man["manad"]]
        m_tabell, _ = _utforare_kolumner(man, {"Månad": etiketter}, dolt(man), grans)
        ar_manad = man["manad"].notna().to_numpy()
        m_diagram = m_tabell.data.loc[ar_manad].copy()
        m_diagram["manad"] = man.loc[ar_manad, "manad"].astype(int).to_numpy()
        m_diagram["dolt"] = m_tabell.mask.loc[ar_manad, "Kostnad (kr)"].to_numpy()
        vald_namn = detalj.loc[detalj["utforare_id"] == vald, "utforare_namn"]
        titel = f"{vald_namn.iloc[0] if len(vald_namn) else vald} per månad{arstext}"
        per_manad = Analystabell(titel, m_tabell, kf, m_diagram)
    return UtforareResultat(per_regi, per_utforare, per_manad, namn, {k[1] for k in dolda if k[0] == "u"})


def belopp_rubrik(riktning: str) -> str:
    """'Kostnad (kr)', 'Intäkt (kr)' or 'Netto (kr)': the amount's header follows the direction (issue 11)."""
    return {"kostnad": "Kostnad (kr)", "intakt": "Intäkt (kr)", NETTO: "Netto (kr)"}.get(riktning, "Kostnad (kr)")


def med_riktning(res: UtforareResultat, riktning: str) -> UtforareResultat:
    """The Utförare tables with the amount column named after the direction (Intäkt (kr) for revenue)."""
    ny = belopp_rubrik(riktning)
    if ny == "Kostnad (kr)":
        return res

    def om(t: Analystabell | None) -> Analystabell | None:
        if t is None:
            return None
        namn = {"Kostnad (kr)": ny}
        tabell = smatalsskydd.MaskedTable(t.tabell.data.rename(columns=namn), t.tabell.mask.rename(columns=namn),
                                     t.tabell.threshold)
        return Analystabell(t.titel, tabell, {namn.get(k, k): v for k, v in t.kolumnformat.items()},
                            t.diagram.rename(columns=namn), t.antal_utan_niva)

    return UtforareResultat(om(res.per_regi), om(res.per_utforare), om(res.per_manad), res.utforare,
                            res.dolda_utforare)


# --- Vistelsekommuner ------------------------------------------------------------------------

KOMMUN_MATT = {
    "kostnad_kr": ("Kronor", "kr"),
    "utford_timmar": ("Utförda timmar", "timmar"),
    "antal_personer": ("Personer", "tal"),
}


@dataclass(frozen=True)
class KommunResultat:
    rangordning: Analystabell
    manad_kommun: Analystabell  # month columns × kommun rows, with totals
    karta: pd.DataFrame  # kommunkod, namn, lan, varde (NaN when hidden), dolt, hover
    sasong: pd.DataFrame  # manad, varde, dolt: all kommuner per month (the crosstab's total column), NaN when hidden
    matt_rubrik: str
    divergerande: bool  # netto: values on both sides of 0


def _crosstab_dolda(rader: pd.DataFrame, grans: int, oppen_vy: bool) -> set[tuple]:
    """Hidden cells (manad|None, kommunkod|None) of one direction's month × kommun crosstab.

    The crosstab is the protected public view's one table per year and direction
    (beslutsstod/regler/lasarvy.py): besides the per-table rules, no hidden cell may be bounded by the
    shown kronor to a band narrower than its own value (smatalsskydd.crosstab_mask_protected)."""
    if rader.empty or not oppen_vy:
        return set()
    celler = tuple(zip((None if m is None or pd.isna(m) else int(m) for m in rader["manad"]),
                       (None if k is None or pd.isna(k) else k for k in rader["kommunkod"]),
                       (0.0 if pd.isna(p) else float(p) for p in rader["antal_personer"]),
                       (0.0 if pd.isna(v) else float(v) for v in rader["kostnad_kr"])))
    return set(_crosstab_dolda_celler(celler, grans))


@functools.lru_cache(maxsize=256)
def _crosstab_dolda_celler(celler: tuple[tuple, ...], grans: int) -> frozenset[tuple]:
    # Cached on the cells themselves: the linear programs take ~0,5 s for a year of demo data,
    # and Översikt, Vistelsekommuner and every rerun ask for the same crosstabs.
    tabell = pd.DataFrame({"rad": pd.Series([TOTALT if c[0] is None else c[0] for c in celler], dtype=object),
                           "kol": pd.Series([TOTALT if c[1] is None else c[1] for c in celler], dtype=object),
                           "antal_personer": [c[2] for c in celler], "kostnad_kr": [c[3] for c in celler]})
    persons = tabell.pivot(index="rad", columns="kol", values="antal_personer").fillna(0)
    kronor = tabell.pivot(index="rad", columns="kol", values="kostnad_kr").loc[persons.index, persons.columns]
    mask = smatalsskydd.crosstab_mask_protected(persons, kronor, grans, True)
    return frozenset((None if r == TOTALT else r, None if k == TOTALT else k)
                     for r in mask.index for k in mask.columns if mask.loc[r, k])


def kommun_tabeller(rader: pd.DataFrame, *, riktning: str, matt: str, oppen_vy: bool, grans: int,
                    kommuner: Mapping[str, tuple[str, str]], ar: int | None = None) -> KommunResultat:
    """Ranking, month × kommun table and map frame from queries/vistelsekommuner/per_manad_kommun.

    `matt` is kostnad_kr, utford_timmar or antal_personer (persons not for netto: persons of two
    directions do not subtract). Every table shows cells of one protected crosstab per
    direction; netto hides a cell when either direction hides it.
    """
    if riktning == NETTO and matt == "antal_personer":
        raise ValueError("netto finns inte för personer")
    sidor = ("kostnad", "intakt") if riktning == NETTO else (riktning,)
    rader = rader.copy()
    rader["manad"] = pd.Series([None if m is None else int(m) for m in _objekt(rader["manad"])],
                               index=rader.index, dtype=object)
    rader["kommunkod"] = _objekt(rader["kommunkod"])
    dolda = {s: _crosstab_dolda(rader.loc[rader["riktning"] == s], grans, oppen_vy) for s in sidor}
    varden = {s: {(r.manad, r.kommunkod): r._asdict() for r in rader.loc[rader["riktning"] == s].itertuples()}
              for s in sidor}

    def varde(s: str, nyckel: tuple, kolumn: str) -> float:
        c = varden[s].get(nyckel)
        return _tal(c[kolumn]) if c else 0.0

    def netto(nyckel: tuple, kolumn: str) -> float:
        if riktning != NETTO:
            return varde(riktning, nyckel, kolumn)
        return varde("intakt", nyckel, kolumn) - varde("kostnad", nyckel, kolumn)

    def dolt(nyckel: tuple) -> bool:
        return any(nyckel in dolda[s] for s in sidor)

    koder = sorted({k for s in sidor for (_, k) in varden[s] if k is not None})
    matt_rubrik = KOMMUN_MATT[matt][0] if riktning != NETTO else f"Netto, {KOMMUN_MATT[matt][0].lower()}"
    if matt == "kostnad_kr":
        matt_rubrik = {"kostnad": "Kostnad (kr)", "intakt": "Intäkt (kr)", NETTO: "Netto (kr)"}[riktning]
    # Ranking: shown kommuner by the measure, largest first; hidden ones last by name, so their
    # place in the order does not bound their value.
    def rang_nyckel(k: str) -> tuple:
        v = netto((None, k), matt)
        return (dolt((None, k)), 0.0 if dolt((None, k)) else (-v if not np.isnan(v) else np.inf),
                kommuner.get(k, (k, ""))[0])

    ordning = sorted(koder, key=rang_nyckel)

    def namn(k: str) -> tuple[str, str]:
        return kommuner.get(k, (f"Okänd kommun ({k})", ""))

    rows, flaggor = [], {}
    kolumnformat: dict[str, str] = {}
    for k in [*ordning, None]:
        nyckel = (None, k)
        rad = {"Kommun": TOTALT if k is None else namn(k)[0], "Län": "" if k is None else namn(k)[1]}
        if riktning != NETTO:
            ord_ = "Kostnad" if riktning == "kostnad" else "Intäkt"
            kol = {f"{ord_} (kr)": ("kostnad_kr", "kr"), "Utförda timmar": ("utford_timmar", "timmar"),
                   "Personer": ("antal_personer", "tal"), "Besök": ("antal_besok", "tal")}
            for rubrik, (kolumn, slag) in kol.items():
                rad[rubrik] = varde(riktning, nyckel, kolumn)
                flaggor.setdefault(rubrik, []).append(nyckel in dolda[riktning])
                kolumnformat[rubrik] = slag
        else:
            kol = {"Kostnader (kr)": ("kostnad", "kostnad_kr", "kr"), "Intäkter (kr)": ("intakt", "kostnad_kr", "kr"),
                   "Timmar (kostnader)": ("kostnad", "utford_timmar", "timmar"),
                   "Timmar (intäkter)": ("intakt", "utford_timmar", "timmar"),
                   "Personer (kostnader)": ("kostnad", "antal_personer", "tal"),
                   "Personer (intäkter)": ("intakt", "antal_personer", "tal")}
            for rubrik, (s, kolumn, slag) in kol.items():
                rad[rubrik] = varde(s, nyckel, kolumn)
                flaggor.setdefault(rubrik, []).append(nyckel in dolda[s])
                kolumnformat[rubrik] = slag
            for rubrik, kolumn, slag in (("Netto (kr)", "kostnad_kr", "kr"),
                                         ("Netto (timmar)", "utford_timmar", "timmar")):
                rad[rubrik] = netto(nyckel, kolumn)
                flaggor.setdefault(rubrik, []).append(dolt(nyckel))
                kolumnformat[rubrik] = slag
        rows.append(rad)
    arstext = f" {ar}" if ar else ""
    rang = _masked_table(pd.DataFrame(rows), flaggor, grans)
    rubrik_riktning = {"kostnad": "Kostnad", "intakt": "Intäkt", NETTO: "Netto"}[riktning]
    rangordning = Analystabell(f"{rubrik_riktning} per kommun{arstext}", rang, kolumnformat,
                               antal_utan_niva=int(sum(varde(s, (None, None), "antal_besok_utan_niva") for s in sidor)))

    # Month × kommun: the chosen measure, kommuner in ranking order, months as columns.
    manader = list(range(1, 13))
    m_rows, m_flaggor = [], {}
    for k in [*ordning, None]:
        rad = {"Kommun": TOTALT if k is None else namn(k)[0]}
        for m in [*manader, None]:
            rubrik = TOTALT if m is None else fmt.manad_namn(m)
            finns = any((m, k) in varden[s] for s in sidor)
            rad[rubrik] = netto((m, k), matt) if finns else NAN
            m_flaggor.setdefault(rubrik, []).append(dolt((m, k)))
        m_rows.append(rad)
    mk = _masked_table(pd.DataFrame(m_rows), m_flaggor, grans)
    mk_format = {c: KOMMUN_MATT[matt][1] for c in mk.data.columns if c != "Kommun"}
    manad_kommun = Analystabell(f"{matt_rubrik.split(' (')[0]} per månad och kommun{arstext}", mk, mk_format)

    # Map: the ranking's cells (the crosstab's total row), with hover texts formatted here.
    formaterare = {"kr": fmt.fmt_kr, "timmar": fmt.fmt_timmar, "tal": fmt.fmt_tal}
    k_rows = []
    for i, k in enumerate(ordning):
        data_rad = rang.data.iloc[i]
        mask_rad = rang.mask.iloc[i]
        delar = [f"<b>{saker_text.plotly(namn(k)[0])}</b>", saker_text.plotly(namn(k)[1])]  # hover is Plotly markup
        for rubrik in rang.data.columns[2:]:
            text = fmt.MASK if mask_rad[rubrik] else formaterare[kolumnformat[rubrik]](data_rad[rubrik])
            delar.append(f"{rubrik.replace(' (kr)', '')}: {text}")
        k_rows.append({"kommunkod": k, "namn": namn(k)[0], "lan": namn(k)[1],
                       "varde": NAN if dolt((None, k)) else netto((None, k), matt),
                       "dolt": dolt((None, k)), "hover": "<br>".join(delar)})
    karta = pd.DataFrame(k_rows, columns=["kommunkod", "namn", "lan", "varde", "dolt", "hover"])
    sasong = pd.DataFrame({"manad": manader,
                           "varde": [NAN if dolt((m, None)) else (netto((m, None), matt) if any(
                               (m, None) in varden[s] for s in sidor) else NAN) for m in manader],
                           "dolt": [dolt((m, None)) for m in manader]})
    return KommunResultat(rangordning, manad_kommun, karta, sasong, matt_rubrik, riktning == NETTO)
