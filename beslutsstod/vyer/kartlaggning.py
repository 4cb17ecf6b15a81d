"""Kartläggning (regeringsuppdrag S2024/01214): this municipality's answers for one year.

Socialstyrelsen maps how many municipalities carry out others' decisions on hemtjänst, for how
many persons and hours, how the compensation is designed and at what level, and whether it
differs from the vistelsekommun's own compensation (seed 004). The figures come from
queries/kartlaggning/*.sql; this module masks small numbers, words the compensation design and
computes the coverage ratio against the reference table of the vistelsekommuner's own rates that
the user keeps (read and saved by beslutsstod/inlasning/egna_nivaer.py).

The page model is ``kartlaggning(s, f)``: everything sidor/kartlaggning.py shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import plotly.graph_objects as go

from beslutsstod import begrepp, installningar, saker_text
from beslutsstod import talformat as fmt
from beslutsstod.data import referens
from beslutsstod.diagram import grund as diagram_grund
from beslutsstod.diagram import kartlaggning as diagram_kartlaggning
from beslutsstod.dokument import tabellfil
from beslutsstod.inlasning import egna_nivaer
from beslutsstod.regler import intaktsantagande, kostnadsregel, smatalsskydd
from beslutsstod.vyer.urval import Filter, Kort, Sammanhang

GRUND_NAMN = {"utford": "utförd tid", "beviljad": "beviljad tid"}

# --- omfattning (how many municipalities, persons, hours) ----------------------------------

RIKTNING_RUBRIK = {
    "kostnad": "Andra kommuner (och utförare där) har verkställt våra beslut",
    "intakt": "Vi har verkställt andra kommuners beslut",
}
KOMMUN_RUBRIK = {"kostnad": "Vistelsekommuner", "intakt": "Bosättningskommuner"}
BELOPP_RUBRIK = {"kostnad": "Kostnad, beräknad (kr)", "intakt": "Intäkt, beräknad (kr)"}


def omfattning_tabell(rader: pd.DataFrame, riktning: str, oppen_vy: bool, smatal_grans: int) -> smatalsskydd.MaskedTable:
    """One direction of kartlaggning/omfattning.sql as a protected table: one row per regi + Totalt.

    Every figure of a row describes that row's persons, so all of them are hidden together
    (smatalsskydd.mask_long) when the row describes 1..smatal_grans-1 persons.
    """
    del_rader = rader.loc[rader["riktning"] == riktning]
    detalj = del_rader.loc[~del_rader["is_totalt"]].sort_values("regi")
    total = del_rader.loc[del_rader["is_totalt"]]
    tabell = pd.concat([detalj, total])
    kommuner, belopp = KOMMUN_RUBRIK[riktning], BELOPP_RUBRIK[riktning]
    df = pd.DataFrame({
        "Regi": [begrepp.TOTALT if t else begrepp.REGI_NAMN.get(r, r or "Okänd regi")
                 for r, t in zip(tabell["regi"], tabell["is_totalt"])],
        kommuner: tabell["antal_kommuner"].astype(float).to_numpy(),
        "Personer": tabell["antal_personer"].astype(float).to_numpy(),
        "Besök": tabell["antal_besok"].astype(float).to_numpy(),
        "Utförda timmar": tabell["utford_timmar"].astype(float).to_numpy(),
        "Beviljade timmar": tabell["beviljad_timmar"].astype(float).to_numpy(),
        belopp: tabell["belopp_kr"].astype(float).to_numpy(),
    })
    if total.empty:  # nothing in this direction: an empty table, nothing to protect
        return smatalsskydd.MaskedTable(df, pd.DataFrame(False, index=df.index, columns=df.columns), smatal_grans)
    return smatalsskydd.mask_long(df, persons_col="Personer", value_cols=[kommuner, "Besök", "Utförda timmar",
                                                                     "Beviljade timmar", belopp],
                             smatal_grans=smatal_grans, oppen_vy=oppen_vy, label_col="Regi", total_label=begrepp.TOTALT)


def omfattning_format(riktning: str) -> dict[str, str]:
    """Column kinds for tabellfil.to_xlsx of `omfattning_tabell(…, riktning, …)`."""
    return {KOMMUN_RUBRIK[riktning]: "tal", "Personer": "tal", "Besök": "tal", "Utförda timmar": "timmar",
            "Beviljade timmar": "timmar", BELOPP_RUBRIK[riktning]: "kr"}


def visa_omfattning(tabell: smatalsskydd.MaskedTable) -> pd.DataFrame:
    """Display strings: hidden cells `..`, hours with one decimal, kronor whole."""
    formatterare = {}
    for kolumn in tabell.data.columns[1:]:
        if "timmar" in kolumn:
            formatterare[kolumn] = lambda x: fmt.fmt_tal(x, 1)
        elif "(kr)" in kolumn:
            formatterare[kolumn] = fmt.fmt_kr
        else:
            formatterare[kolumn] = fmt.fmt_tal
    return smatalsskydd.render_masked(tabell, formatterare, missing=begrepp.SAKNAS)


@dataclass(frozen=True)
class Svar:
    fraga: str
    varde: float | None  # None when hidden (..) or missing
    dolt: bool
    enhet: str
    kommentar: str = ""

    @property
    def text(self) -> str:
        if self.dolt:
            return begrepp.MASK
        decimaler = 1 if self.enhet == "timmar" else 0
        return fmt.fmt_tal(self.varde, decimaler)


def _cell(tabell: smatalsskydd.MaskedTable, regi_etikett: str, kolumn: str) -> tuple[float | None, bool]:
    rad = tabell.data.index[tabell.data["Regi"] == regi_etikett]
    if len(rad) == 0:
        return 0.0, False  # no such row: nobody, shown as 0
    i = rad[0]
    dolt = bool(tabell.mask.at[i, kolumn])
    varde = tabell.data.at[i, kolumn]
    return (None if dolt or pd.isna(varde) else float(varde)), dolt


def omfattning_svar(kostnad: smatalsskydd.MaskedTable, intakt: smatalsskydd.MaskedTable) -> list[Svar]:
    """The mapping's scope questions, answered from the protected tables' own cells."""
    vk = begrepp.REGI_NAMN["vistelsekommun"]
    svar = []
    for fraga, tabell, regi, kolumn, enhet, kommentar in [
        ("Kommuner som med egen personal verkställt våra beslut", kostnad, vk, "Vistelsekommuner", "kommuner",
         "Vistelsekommunens egen hemtjänst/primärvård utförde insatsen."),
        ("Personer vars beslut en annan kommun verkställt", kostnad, vk, "Personer", "personer", ""),
        ("Utförda timmar som en annan kommun verkställt", kostnad, vk, "Utförda timmar", "timmar", ""),
        ("Vistelsekommuner där våra invånare fått insatser, alla utförare", kostnad, begrepp.TOTALT, "Vistelsekommuner",
         "kommuner", "Även privata utförare och vår egen personal."),
        ("Personer med insatser i en annan kommun, alla utförare", kostnad, begrepp.TOTALT, "Personer", "personer", ""),
        ("Utförda timmar i en annan kommun, alla utförare", kostnad, begrepp.TOTALT, "Utförda timmar", "timmar", ""),
        ("Kommuner vars beslut vi verkställt", intakt, begrepp.TOTALT, "Bosättningskommuner", "kommuner", ""),
        ("Personer från andra kommuner som vi gett insatser", intakt, begrepp.TOTALT, "Personer", "personer", ""),
        ("Utförda timmar åt andra kommuner", intakt, begrepp.TOTALT, "Utförda timmar", "timmar", ""),
    ]:
        varde, dolt = _cell(tabell, regi, kolumn)
        svar.append(Svar(fraga, varde, dolt, enhet, kommentar))
    return svar


# --- our compensation: design and level ----------------------------------------------------

def _niva_text(rad: pd.Series) -> str:
    kr = fmt.fmt_kr(rad["kr_per_timme"], 2 if float(rad["kr_per_timme"]) % 1 else 0)
    return f"{kr}/tim"


def ersattning_beskrivning(nivaer: pd.DataFrame, ar: int, momskompensation_procent: float) -> list[str]:
    """One Markdown line per insats: basis, rate(s) and momskompensation in force in `ar`."""
    moms = fmt.fmt_procent(momskompensation_procent, 0)
    rader = []
    valda = nivaer.loc[nivaer["is_valt_ar"]]
    for insats in begrepp.INSATS_NAMN:
        perioder = valda.loc[valda["insats"] == insats]
        if perioder.empty:
            rader.append(f"**{begrepp.INSATS_NAMN[insats]}**: ingen beslutad nivå för {ar} i ersättningsnivåerna.")
            continue
        delar = []
        for _, p in perioder.iterrows():
            fran, till = pd.Timestamp(p["giltig_fran"]).date(), p["giltig_till"]
            period = (f"från {fran.isoformat()}" if pd.isna(till)
                      else f"{fran.isoformat()}–{pd.Timestamp(till).date().isoformat()}")
            regi = "alla utförare" if pd.isna(p["regi"]) else begrepp.REGI_TEXT.get(p["regi"], p["regi"])
            moms_text = ("inklusive momskompensation" if p["is_momskompensation_ingar"] else
                         f"exklusive momskompensation: privata utförare får {moms} extra, kommuner inte")
            prel = " Preliminär." if p["is_preliminar"] else ""
            delar.append(f"{_niva_text(p)} per {GRUND_NAMN.get(p['grund'], p['grund'])} ({regi}, {period}), "
                         f"{moms_text}. Källa: {saker_text.markdown(p['kalla'])}. "
                         f"Beslut: {saker_text.markdown(p['beslut'])}.{prel}")  # imported text, shown as Markdown
        rader.append(f"**{begrepp.INSATS_NAMN[insats]}**: " + " ".join(delar))
    return rader


NIVA_FORMAT = {"Ersättningsnivå (kr/tim)": "kr:2"}


def nivatabell(nivaer: pd.DataFrame) -> pd.DataFrame:
    """The decided rate periods with Swedish headers (numbers kept for .xlsx)."""
    return pd.DataFrame({
        "Insats": nivaer["insats"].map(lambda i: begrepp.INSATS_NAMN.get(i, i)),
        "Giltig från": pd.to_datetime(nivaer["giltig_fran"]).dt.date,
        "Giltig till": [None if pd.isna(t) else pd.Timestamp(t).date() for t in nivaer["giltig_till"]],
        "Utförare": [("Alla" if pd.isna(r) else begrepp.REGI_NAMN.get(r, r)) for r in nivaer["regi"]],
        "Ersättningsnivå (kr/tim)": nivaer["kr_per_timme"].astype(float),
        "Grund": nivaer["grund"].map(lambda g: GRUND_NAMN.get(g, g)),
        "Momskompensation": nivaer["is_momskompensation_ingar"].map({True: "ingår", False: "ingår inte"}),
        "Preliminär": nivaer["is_preliminar"].map({True: "ja", False: "nej"}),
        "Källa": nivaer["kalla"],
        "Beslut": nivaer["beslut"],
    }).reset_index(drop=True)


def visa_nivatabell(nivaer: pd.DataFrame) -> pd.DataFrame:
    out = nivatabell(nivaer)
    out["Giltig från"] = out["Giltig från"].map(lambda d: d.isoformat())
    out["Giltig till"] = out["Giltig till"].map(lambda d: "tills vidare" if d is None else d.isoformat())
    out["Ersättningsnivå (kr/tim)"] = out["Ersättningsnivå (kr/tim)"].map(lambda x: fmt.fmt_kr(x, 2))
    return out


# --- the vistelsekommuner's own rates (reference table kept by the user: inlasning/egna_nivaer.py) ---

def kommun_etikett(kod: str) -> str:
    """`1435 Tanum`: how the page's editor shows a kommun (validera reads the code back)."""
    return f"{kod} {referens.kommunnamn(kod)}"


def redigerbar(egna: pd.DataFrame) -> pd.DataFrame:
    """The reference table as the page's editor shows it (kommun as "kod namn", insats by name)."""
    out = egna.copy()
    out["kommunkod"] = out["kommunkod"].map(kommun_etikett)
    out["insats"] = out["insats"].map(lambda i: begrepp.INSATS_NAMN.get(i, i))
    # a text column: a browser's number cell drops a decimal comma (`3,5` → 35); validera parses it
    out["kr_per_timme"] = pd.Series([None if begrepp.saknas(v) else fmt.fmt_inmatning(v) for v in out["kr_per_timme"]],
                                    index=out.index, dtype="string")
    return out.reset_index(drop=True)


# --- coverage ---------------------------------------------------------------------------------

TACKNING_FORMAT = {"Betald nivå (kr/tim)": "kr:2", "Kommunens egen nivå (kr/tim)": "kr:2",
                   "Egen nivå exkl. momskompensation (kr/tim)": "kr:2", "Täckningsgrad (%)": "procent:1",
                   "Kommunkod": "text"}


def tackning(per_kommun: pd.DataFrame, egna: pd.DataFrame, ar: int, momskompensation_procent: float) -> pd.DataFrame:
    """Per vistelsekommun and insats: the rate we paid against the municipality's own rate.

    Täckningsgrad = betald nivå ÷ egen nivå exklusive momskompensation × 100. The municipality
    receives no momskompensation from us, so an own rate that includes it (e.g. its LOV rate to
    private providers) is divided by 1 + momskompensation before the comparison. No own rate
    known: the ratio is missing, never 0 or 100.
    """
    egna_ar = egna.loc[egna["ar"] == ar, ["kommunkod", "insats", "kr_per_timme", "momskompensation_ingar", "kalla"]]
    df = per_kommun.merge(egna_ar, on=["kommunkod", "insats"], how="left")
    egen = df["kr_per_timme"].astype(float)
    moms = df["momskompensation_ingar"].astype("boolean").fillna(False).astype(bool)
    # the cost rule (beslutsstod.regler.kostnadsregel): what a municipality is paid of an incl. rate
    exkl = pd.Series([math.nan if pd.isna(e) else float(kostnadsregel.exklusive(e, bool(m), momskompensation_procent))
                      for e, m in zip(egen, moms)], index=df.index, dtype=float)
    out = pd.DataFrame({
        "Vistelsekommun": df["kommunkod"].map(referens.kommunnamn),
        "Insats": df["insats"].map(lambda i: begrepp.INSATS_NAMN.get(i, i)),
        "Täckningsgrad (%)": df["betald_kr_per_timme"].astype(float) / exkl * 100,
        "Betald nivå (kr/tim)": df["betald_kr_per_timme"].astype(float),
        "Kommunens egen nivå (kr/tim)": egen,
        "Momskompensation i egen nivå": [None if pd.isna(e) else ("ingår" if m else "ingår inte")
                                         for e, m in zip(egen, moms)],
        "Egen nivå exkl. momskompensation (kr/tim)": exkl,
        "Källa": df["kalla"],
        "Kommunkod": df["kommunkod"],
    })
    # known ratios first (what the mapping asks for), then by name
    out["_okand"] = out["Täckningsgrad (%)"].isna()
    return out.sort_values(["_okand", "Vistelsekommun", "Insats"]).drop(columns="_okand").reset_index(drop=True)


def visa_tackning(tabell: pd.DataFrame) -> pd.DataFrame:
    out = tabell.copy()
    for kolumn in ("Betald nivå (kr/tim)", "Kommunens egen nivå (kr/tim)", "Egen nivå exkl. momskompensation (kr/tim)"):
        out[kolumn] = out[kolumn].map(lambda x: fmt.fmt_kr(x, 2))
    out["Täckningsgrad (%)"] = out["Täckningsgrad (%)"].map(lambda x: fmt.fmt_procent(x, 1))
    out["Momskompensation i egen nivå"] = out["Momskompensation i egen nivå"].fillna(begrepp.SAKNAS)
    out["Källa"] = out["Källa"].fillna("")
    return out


def tackning_svar(tabell: pd.DataFrame) -> list[Svar]:
    """Coverage in the answer sheet: how many ratios are known, and their range."""
    kanda = tabell["Täckningsgrad (%)"].dropna()
    svar = [Svar("Vistelsekommuner (och insatser) med känd egen nivå", float(len(kanda)), False, "st",
                 f"av {len(tabell)} som verkställt våra beslut")]
    if len(kanda):
        svar += [Svar("Lägsta täckningsgrad", float(kanda.min()), False, "%"),
                 Svar("Högsta täckningsgrad", float(kanda.max()), False, "%")]
    return svar


def visa_svar(svar: list[Svar]) -> pd.DataFrame:
    """The answers as display strings (hidden `..`, percent with one decimal)."""
    def text(s: Svar) -> str:
        return fmt.fmt_procent(s.varde, 1) if s.enhet == "%" and not s.dolt else s.text
    return pd.DataFrame({"Fråga": [s.fraga for s in svar], "Svar": [text(s) for s in svar],
                         "Enhet": [s.enhet for s in svar], "Kommentar": [s.kommentar for s in svar]})


def svarstabell(svar: list[Svar], smatal_grans: int) -> smatalsskydd.MaskedTable:
    """The answers as one table (Fråga, Svar, Enhet, Kommentar) for the .xlsx; hidden answers `..`."""
    df = pd.DataFrame({"Fråga": [s.fraga for s in svar], "Svar": [s.varde for s in svar],
                       "Enhet": [s.enhet for s in svar], "Kommentar": [s.kommentar for s in svar]})
    mask = pd.DataFrame(False, index=df.index, columns=df.columns)
    mask["Svar"] = [s.dolt for s in svar]
    return smatalsskydd.MaskedTable(df, mask, smatal_grans)


# --- the page model ----------------------------------------------------------------------------

KORT_ETIKETTER = ("Kommuner", "Personer", "Utförda timmar")


@dataclass(frozen=True)
class Nedladdning:
    """A download button: its file name and the bytes, built on click."""

    filnamn: str
    data: Callable[[], bytes]


@dataclass(frozen=True)
class Omfattningstabell:
    riktning: str
    rubrik: str
    tabell: pd.DataFrame  # display strings, hidden cells `..`
    xlsx: Nedladdning


@dataclass(frozen=True)
class Import:
    """An uploaded CSV of own rates, read: the valid rows and one message per problem."""

    rader: pd.DataFrame
    meddelanden: list[str]
    text: str  # "Filen har 3 giltiga rader."


@dataclass(frozen=True)
class KartlaggningVy:
    inledning: str
    insats_notis: str | None  # when the selection is not exactly hemtjänst
    kort: list[tuple[str, list[Kort]]]  # (heading, three cards) per direction
    omfattning: list[Omfattningstabell]
    omfattning_fotnoter: list[str]
    ersattning: list[str]  # Markdown, one line per insats
    ersattning_diagram: go.Figure
    nivaer: pd.DataFrame  # display strings
    nivaer_xlsx: Nedladdning
    tackning_inledning: str  # Markdown
    egna_sokvag: Path  # where the reference table is saved
    egna: pd.DataFrame  # the saved reference table (typed)
    egna_redigerbar: pd.DataFrame  # as the editor shows it
    egna_lasfel: list[str]  # problems of the saved file
    egna_csv: Nedladdning
    kommun_val: list[str]  # the editor's kommun options ("1435 Tanum")
    tackning: pd.DataFrame | None  # display strings; None when no vistelsekommun carried out our decisions
    tackning_text: str  # the notice when None, else the caption under the table
    tackning_xlsx: Nedladdning | None
    svar: pd.DataFrame  # display strings
    svar_xlsx: Nedladdning
    ersattning_diagramtext: diagram_grund.Diagramtext | None = None  # the chart's summary and numbers


def _meddelanden(problem_lista, prefix: str = "") -> list[str]:
    return [f"{prefix}{p.text}" for p in problem_lista]


def import_fil(data: bytes, filnamn: str) -> Import:
    """An uploaded CSV of the vistelsekommuner's own rates (replaces the table when the user confirms)."""
    rader, problem_lista = egna_nivaer.las(data, filnamn)
    return Import(rader, _meddelanden(problem_lista, f"{filnamn}: "), f"Filen har {len(rader)} giltiga rader.")


def validera_redigerad(redigerad: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The editor's rows checked like a file: the typed table and one message per problem."""
    ok, problem_lista = egna_nivaer.validera(redigerad)
    return ok, _meddelanden(problem_lista)


def kartlaggning(s: Sammanhang, f: Filter, *, data_dir: Path | None = None,
                 momskompensation_procent: float | None = None) -> KartlaggningVy:
    """Everything sidor/kartlaggning.py shows for the sidebar's selection `f`."""
    moms = installningar.get("momskompensation_procent") if momskompensation_procent is None \
        else momskompensation_procent
    data_dir = installningar.data_dir() if data_dir is None else Path(data_dir)
    hemkommun = referens.kommunnamn(s.hemkommun)
    smatal_grans, oppen = s.smatal_grans, s.oppen_vy
    demodata = s.demodata

    def metadata(kalla: str) -> dict[str, str]:
        return tabellfil.build_metadata(kalla, f.beskrivning(), oppen, f.sista_datum, demodata)

    # 1. scope
    omfattning = s.fraga("kartlaggning/omfattning", f.params("kostnad"))
    intakt_egna = s.intakt_antagande(f, f.ar)
    tabeller = {r: omfattning_tabell(omfattning, r, oppen, smatal_grans) for r in RIKTNING_RUBRIK}
    svar = omfattning_svar(tabeller["kostnad"], tabeller["intakt"])
    kort = [(rubrik, [Kort(e, sv.text, hjalp=f"{sv.fraga}. {sv.kommentar}".strip()) for e, sv in zip(KORT_ETIKETTER, urval)])
            for rubrik, urval in [("Våra beslut som vistelsekommunen verkställt med egen personal", svar[0:3]),
                                  ("Andra kommuners beslut som vi verkställt", svar[6:9])]]

    def omfattning_xlsx(t: smatalsskydd.MaskedTable, r: str) -> Callable[[], bytes]:
        meta = {**metadata("Besöksextrakt"), **({"Intäkter": intaktsantagande.EGNA_NIVAER} if r == "intakt" and intakt_egna else {})}
        return lambda: tabellfil.to_xlsx(t, titel=f"{RIKTNING_RUBRIK[r]} {f.ar}", metadata=meta,
                                         kolumnformat=omfattning_format(r))

    omfattningar = [Omfattningstabell(r, RIKTNING_RUBRIK[r], visa_omfattning(t),
                                      Nedladdning(f"kartlaggning_omfattning_{r}_{f.ar}.xlsx", omfattning_xlsx(t, r)))
                    for r, t in tabeller.items()]
    fotnoter = []
    if any(t.any_masked for t in tabeller.values()):
        fotnoter.append(smatalsskydd.footnote_sv(smatal_grans))
    if intakt_egna:
        fotnoter.append(f"{RIKTNING_RUBRIK['intakt']}: belopp {intaktsantagande.EGNA_NIVAER}. {intakt_egna}")
    fotnoter.append("Personer och kommuner räknas en gång per rad; en person som fått insatser av två utförare räknas "
                    "en gång i Totalt, så raderna summerar inte alltid till totalen.")

    # 2. our compensation
    nivaer = s.fraga("kartlaggning/ersattningsnivaer", {"ar": f.ar})

    # 3. coverage of the vistelsekommun's own rate
    sokvag = egna_nivaer.sokvag(data_dir)
    egna, lasfel = egna_nivaer.las_sparad(sokvag)
    per_kommun = s.fraga("kartlaggning/per_vistelsekommun", f.params("kostnad"))
    tack = tackning(per_kommun, egna, f.ar, moms)
    if tack.empty:
        tackning_visad, tackning_fil = None, None
        tackning_text = "Ingen vistelsekommun har med egen personal verkställt våra beslut i urvalet."
    else:
        tackning_visad = visa_tackning(tack)
        kanda = int(tack["Täckningsgrad (%)"].notna().sum())
        tackning_text = (f"Känd egen nivå för {kanda} av {len(tack)} kommuner och insatser {f.ar}. Betald nivå = "
                         "beräknad kostnad ÷ timmar enligt ersättningens grund för besöken som kommunen utfört.")
        tackning_meta = metadata("Besöksextrakt; vistelsekommunernas egna nivåer enligt referenstabellen")
        tackning_fil = Nedladdning(f"kartlaggning_tackning_{f.ar}.xlsx", lambda: tabellfil.to_xlsx(
            tack, titel=f"Täckning av vistelsekommunens nivå {f.ar}", metadata=tackning_meta,
            kolumnformat=TACKNING_FORMAT))

    alla_svar = svar + tackning_svar(tack)
    nivaer_meta = metadata("Ersättningsnivåer (extrakt) med källa och beslut")
    svar_meta = metadata("Besöksextrakt, ersättningsnivåer och referenstabellen över vistelsekommunernas nivåer")
    egna_csv = egna_nivaer.till_csv(egna)
    return KartlaggningVy(
        inledning=(f"Underlag till Socialstyrelsens kartläggning av hemtjänst som verkställs i vistelsekommuner "
                   f"(regeringsuppdrag S2024/01214): {hemkommun}s svar för {f.ar}. {f.beskrivning()}."),
        insats_notis=None if f.insatser == ["hemtjanst"] else
        "Kartläggningen gäller hemtjänst. Välj Insats = Hemtjänst i urvalet för att svara exakt på frågorna.",
        kort=kort, omfattning=omfattningar, omfattning_fotnoter=fotnoter,
        ersattning=ersattning_beskrivning(nivaer, f.ar, moms),
        ersattning_diagram=diagram_kartlaggning.ersattningsniva_over_tid(nivaer, f.ar),
        ersattning_diagramtext=diagram_grund.beskriv(
            "Linjediagram: vår ersättningsnivå per timme över tid (alla utförare), en trappa per insats",
            diagram_kartlaggning.ersattningsniva_punkter(nivaer), enhet=begrepp.KR_TIM, kategori="Gäller",
            decimaler=2),
        nivaer=visa_nivatabell(nivaer),
        nivaer_xlsx=Nedladdning("kartlaggning_ersattningsnivaer.xlsx", lambda: tabellfil.to_xlsx(
            nivatabell(nivaer), titel="Ersättningsnivåer", kolumnformat=NIVA_FORMAT, metadata=nivaer_meta)),
        tackning_inledning=(
            "Täckningsgrad = den nivå vi betalat ÷ vistelsekommunens egen nivå för samma insats och år. Vi betalar "
            "ingen momskompensation till en kommun, så en egen nivå som inkluderar momskompensation (t.ex. kommunens "
            f"LOV-ersättning) räknas om till exklusive ({fmt.fmt_procent(moms, 0)}) före jämförelsen. Kommunernas egna "
            "nivåer finns inte i extrakten: fyll i dem nedan eller importera en CSV-fil. Tabellen sparas i datamappen "
            f"(`{egna_nivaer.FIL.as_posix()}`)."),
        egna_sokvag=sokvag, egna=egna, egna_redigerbar=redigerbar(egna),
        egna_lasfel=_meddelanden(lasfel, "Den sparade tabellen: "),
        egna_csv=Nedladdning("vistelsekommuners_nivaer.csv", lambda: egna_csv),
        kommun_val=[kommun_etikett(k) for k in sorted(referens.kommuner())],
        tackning=tackning_visad, tackning_text=tackning_text, tackning_xlsx=tackning_fil,
        svar=visa_svar(alla_svar),
        svar_xlsx=Nedladdning(f"kartlaggning_{f.ar}.xlsx", lambda: tabellfil.to_xlsx(
            svarstabell(alla_svar, smatal_grans), titel=f"Kartläggning S2024-01214 {hemkommun} {f.ar}", metadata=svar_meta)),
    )
