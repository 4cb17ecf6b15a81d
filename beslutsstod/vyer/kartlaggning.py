"""Kartläggning (regeringsuppdrag S2024/01214): this municipality's answers for one year.

Socialstyrelsen maps how many municipalities carry out others' decisions on hemtjänst, for how
many persons and hours, how the compensation is designed and at what level, and whether it
differs from the vistelsekommun's own compensation (seed 004). The figures come from
queries/kartlaggning/*.sql; this module masks small numbers, words the compensation design and
computes the coverage ratio against a reference table of the vistelsekommuner's own rates
that the user keeps (``egna_nivaer_sokvag``).

The reference table is a CSV under the data folder, outside extracts/ so that rebuilding the
demo data or re-importing extracts never deletes it: ``<data_dir>/kartlaggning/
vistelsekommuners_nivaer.csv``. Format: ';' separated, decimal comma, UTF-8 with BOM (as
``tabellfil.to_csv`` writes it, so Excel opens it); columns kommunkod, ar, insats, kr_per_timme,
momskompensation_ingar (ja/nej), kalla. Reading also accepts ',' separated files with a decimal
point, Windows-1252, and true/false/1/0 for the yes/no column.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from beslutsstod import saker_text
from beslutsstod import talformat as fmt
from beslutsstod.data import referens
from beslutsstod.dokument import tabellfil
from beslutsstod.regler import kostnadsregel, smatalsskydd

INSATS_NAMN = {"hemtjanst": "Hemtjänst", "kommunal_primarvard": "Kommunal primärvård"}
REGI_NAMN = {"egen_regi": "Egen regi", "privat": "Privat (LOV/avtal)", "vistelsekommun": "Vistelsekommunen"}
GRUND_NAMN = {"utford": "utförd tid", "beviljad": "beviljad tid"}
TOTALT = smatalsskydd.TOTAL_LABEL

# --- omfattning (how many municipalities, persons, hours) ----------------------------------

RIKTNING_RUBRIK = {
    "kostnad": "Andra kommuner (och utförare där) har verkställt våra beslut",
    "intakt": "Vi har verkställt andra kommuners beslut",
}
KOMMUN_RUBRIK = {"kostnad": "Vistelsekommuner", "intakt": "Bosättningskommuner"}
BELOPP_RUBRIK = {"kostnad": "Kostnad, beräknad (kr)", "intakt": "Intäkt, beräknad (kr)"}


def omfattning_tabell(rader: pd.DataFrame, riktning: str, oppen_vy: bool, grans: int) -> smatalsskydd.MaskedTable:
    """One direction of kartlaggning/omfattning.sql as a protected table: one row per regi + Totalt.

    Every figure of a row describes that row's persons, so all of them are hidden together
    (smatalsskydd.mask_long) when the row describes 1..grans-1 persons.
    """
    del_rader = rader.loc[rader["riktning"] == riktning]
    detalj = del_rader.loc[~del_rader["is_totalt"]].sort_values("regi")
    total = del_rader.loc[del_rader["is_totalt"]]
    tabell = pd.concat([detalj, total])
    kommuner, belopp = KOMMUN_RUBRIK[riktning], BELOPP_RUBRIK[riktning]
    df = pd.DataFrame({
        "Regi": [TOTALT if t else REGI_NAMN.get(r, r or "Okänd regi")
                 for r, t in zip(tabell["regi"], tabell["is_totalt"])],
        kommuner: tabell["antal_kommuner"].astype(float).to_numpy(),
        "Personer": tabell["antal_personer"].astype(float).to_numpy(),
        "Besök": tabell["antal_besok"].astype(float).to_numpy(),
        "Utförda timmar": tabell["utford_timmar"].astype(float).to_numpy(),
        "Beviljade timmar": tabell["beviljad_timmar"].astype(float).to_numpy(),
        belopp: tabell["belopp_kr"].astype(float).to_numpy(),
    })
    if total.empty:  # nothing in this direction: an empty table, nothing to protect
        return smatalsskydd.MaskedTable(df, pd.DataFrame(False, index=df.index, columns=df.columns), grans)
    return smatalsskydd.mask_long(df, persons_col="Personer", value_cols=[kommuner, "Besök", "Utförda timmar",
                                                                     "Beviljade timmar", belopp],
                             threshold=grans, oppen_vy=oppen_vy, label_col="Regi", total_label=TOTALT)


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
    return smatalsskydd.render_masked(tabell, formatterare, missing=fmt.SAKNAS)


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
            return fmt.MASK
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
    vk = REGI_NAMN["vistelsekommun"]
    svar = []
    for fraga, tabell, regi, kolumn, enhet, kommentar in [
        ("Kommuner som med egen personal verkställt våra beslut", kostnad, vk, "Vistelsekommuner", "kommuner",
         "Vistelsekommunens egen hemtjänst/primärvård utförde insatsen."),
        ("Personer vars beslut en annan kommun verkställt", kostnad, vk, "Personer", "personer", ""),
        ("Utförda timmar som en annan kommun verkställt", kostnad, vk, "Utförda timmar", "timmar", ""),
        ("Vistelsekommuner där våra invånare fått insatser, alla utförare", kostnad, TOTALT, "Vistelsekommuner",
         "kommuner", "Även privata utförare och vår egen personal."),
        ("Personer med insatser i en annan kommun, alla utförare", kostnad, TOTALT, "Personer", "personer", ""),
        ("Utförda timmar i en annan kommun, alla utförare", kostnad, TOTALT, "Utförda timmar", "timmar", ""),
        ("Kommuner vars beslut vi verkställt", intakt, TOTALT, "Bosättningskommuner", "kommuner", ""),
        ("Personer från andra kommuner som vi gett insatser", intakt, TOTALT, "Personer", "personer", ""),
        ("Utförda timmar åt andra kommuner", intakt, TOTALT, "Utförda timmar", "timmar", ""),
    ]:
        varde, dolt = _cell(tabell, regi, kolumn)
        svar.append(Svar(fraga, varde, dolt, enhet, kommentar))
    return svar


# --- our compensation: design and level ----------------------------------------------------

def _niva_text(rad: pd.Series) -> str:
    kr = fmt.fmt_kr(rad["kr_per_timme"], 2 if float(rad["kr_per_timme"]) % 1 else 0)
    return f"{kr}/h"


def ersattning_beskrivning(nivaer: pd.DataFrame, ar: int, momskompensation_procent: float) -> list[str]:
    """One Markdown line per insats: basis, rate(s) and momskompensation in force in `ar`."""
    moms = fmt.fmt_procent(momskompensation_procent, 0)
    rader = []
    valda = nivaer.loc[nivaer["is_valt_ar"]]
    for insats in INSATS_NAMN:
        perioder = valda.loc[valda["insats"] == insats]
        if perioder.empty:
            rader.append(f"**{INSATS_NAMN[insats]}**: ingen beslutad nivå för {ar} i ersättningsnivåerna.")
            continue
        delar = []
        for _, p in perioder.iterrows():
            fran, till = pd.Timestamp(p["giltig_fran"]).date(), p["giltig_till"]
            period = (f"från {fran.isoformat()}" if pd.isna(till)
                      else f"{fran.isoformat()}–{pd.Timestamp(till).date().isoformat()}")
            regi = "alla utförare" if pd.isna(p["regi"]) else REGI_NAMN.get(p["regi"], p["regi"]).lower()
            moms_text = ("inklusive momskompensation" if p["is_momskompensation_ingar"] else
                         f"exklusive momskompensation: privata utförare får {moms} extra, kommuner inte")
            prel = " Preliminär." if p["is_preliminar"] else ""
            delar.append(f"{_niva_text(p)} per {GRUND_NAMN.get(p['grund'], p['grund'])} ({regi}, {period}), "
                         f"{moms_text}. Källa: {saker_text.markdown(p['kalla'])}. "
                         f"Beslut: {saker_text.markdown(p['beslut'])}.{prel}")  # imported text, shown as Markdown
        rader.append(f"**{INSATS_NAMN[insats]}**: " + " ".join(delar))
    return rader


NIVA_FORMAT = {"Nivå (kr/h)": "kr:2"}


def nivatabell(nivaer: pd.DataFrame) -> pd.DataFrame:
    """The decided rate periods with Swedish headers (numbers kept for .xlsx)."""
    return pd.DataFrame({
        "Insats": nivaer["insats"].map(lambda i: INSATS_NAMN.get(i, i)),
        "Giltig från": pd.to_datetime(nivaer["giltig_fran"]).dt.date,
        "Giltig till": [None if pd.isna(t) else pd.Timestamp(t).date() for t in nivaer["giltig_till"]],
        "Utförare": [("Alla" if pd.isna(r) else REGI_NAMN.get(r, r)) for r in nivaer["regi"]],
        "Nivå (kr/h)": nivaer["kr_per_timme"].astype(float),
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
    out["Nivå (kr/h)"] = out["Nivå (kr/h)"].map(lambda x: fmt.fmt_kr(x, 2))
    return out


# --- the vistelsekommuner's own rates (reference table kept by the user) -------------------

EGNA_KOLUMNER = ("kommunkod", "ar", "insats", "kr_per_timme", "momskompensation_ingar", "kalla")
OBLIGATORISKA = ("kommunkod", "ar", "insats", "kr_per_timme")  # the other two may be left out of a file
EGNA_FIL = Path("kartlaggning") / "vistelsekommuners_nivaer.csv"
MIN_AR, MAX_AR = 2000, 2100  # years outside are typing errors
_JA = {"ja", "j", "true", "sant", "1", "yes", "x"}
_NEJ = {"nej", "n", "false", "falskt", "0", "no", ""}
_INSATS_ALIAS = {"hemtjanst": "hemtjanst", "hemtjänst": "hemtjanst", "kommunal_primarvard": "kommunal_primarvard",
                 "kommunal primärvård": "kommunal_primarvard", "kommunal primarvard": "kommunal_primarvard",
                 "primärvård": "kommunal_primarvard", "hemsjukvård": "kommunal_primarvard"}


def egna_nivaer_sokvag(data_dir: Path) -> Path:
    """Where the reference table of the vistelsekommuner's own rates is kept."""
    return Path(data_dir) / EGNA_FIL


def tom_egna_nivaer() -> pd.DataFrame:
    return pd.DataFrame({
        "kommunkod": pd.Series(dtype=object), "ar": pd.Series(dtype="Int64"), "insats": pd.Series(dtype=object),
        "kr_per_timme": pd.Series(dtype=float), "momskompensation_ingar": pd.Series(dtype=bool),
        "kalla": pd.Series(dtype=object)})


def las_egna_nivaer(sokvag: Path) -> tuple[pd.DataFrame, list[str]]:
    """The saved reference table and its problems (an empty table when the file does not exist)."""
    if not Path(sokvag).exists():
        return tom_egna_nivaer(), []
    return tolka_csv(Path(sokvag).read_bytes())


def _utan_formelskydd(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2].startswith(tabellfil.FORMEL_START) else text


def tolka_csv(data: bytes) -> tuple[pd.DataFrame, list[str]]:
    """Parse an uploaded or saved CSV into the reference table; rows with errors are left out.

    Returns the valid rows and one Swedish message per problem (row numbers as in the file:
    the header is row 1).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    if not text.strip():
        return tom_egna_nivaer(), ["Filen är tom."]
    forsta = text.splitlines()[0]
    sep = ";" if forsta.count(";") >= forsta.count(",") else ","
    rader = list(csv.reader(io.StringIO(text), delimiter=sep))
    rubrik = [re.sub(r"\s+", "_", h.strip().lower()) for h in rader[0]]
    saknas = [k for k in OBLIGATORISKA if k not in rubrik]
    if saknas:
        return tom_egna_nivaer(), [f"Kolumnerna {', '.join(saknas)} saknas i rubrikraden (väntade: "
                                   f"{sep.join(EGNA_KOLUMNER)})."]
    poster = []
    for nummer, rad in enumerate(rader[1:], start=2):
        if not any(cell.strip() for cell in rad):
            continue
        celler = dict(zip(rubrik, rad))  # a short row leaves its last columns empty
        # tabellfil.to_csv wrote "'-…" for a text starting with a formula character; undo that
        poster.append({"_rad": nummer, **{k: _utan_formelskydd(celler.get(k, "")) for k in EGNA_KOLUMNER}})
    return validera(pd.DataFrame(poster, columns=["_rad", *EGNA_KOLUMNER]) if poster else None, decimalkomma=sep == ";")


def validera(df: pd.DataFrame | None, decimalkomma: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """Check and type the reference table (from a file or the page's editor).

    Accepted: kommunkod as the four-digit SCB code (or "1435 Tanum", as the editor shows it),
    ar 2000..2100, insats as code or Swedish name, kr_per_timme > 0 (decimal comma or point),
    momskompensation_ingar ja/nej. The same kommun, year and insats twice is an error.
    """
    if df is None or df.empty:
        return tom_egna_nivaer(), []
    kommuner = referens.kommuner()
    fel: list[str] = []
    ok = []
    sedda: set[tuple[str, int, str]] = set()
    for i, rad in enumerate(df.to_dict("records")):
        var = f"Rad {rad['_rad']}" if "_rad" in rad else f"Rad {i + 1}"
        if all(_tom(rad.get(k)) for k in OBLIGATORISKA):
            continue  # an empty row (e.g. added in the editor and left blank)
        kod = str(rad.get("kommunkod") or "").strip()[:4]
        kod = kod.zfill(4) if kod.isdigit() else kod
        if kod not in kommuner:
            fel.append(f"{var}: kommunkoden '{rad.get('kommunkod')}' är inte en av de 290 kommunerna.")
            continue
        ar_tal = _tal(rad.get("ar"), decimalkomma)
        ar = int(ar_tal) if ar_tal is not None and float(ar_tal).is_integer() else None
        if ar is None or not MIN_AR <= ar <= MAX_AR:
            fel.append(f"{var}: året '{rad.get('ar')}' är inte ett år mellan {MIN_AR} och {MAX_AR}.")
            continue
        insats = _INSATS_ALIAS.get(str(rad.get("insats") or "").strip().lower())
        if insats is None:
            fel.append(f"{var}: insatsen '{rad.get('insats')}' är varken hemtjanst eller kommunal_primarvard.")
            continue
        kr = _tal(rad.get("kr_per_timme"), decimalkomma)
        if kr is None or kr <= 0:
            fel.append(f"{var}: nivån '{rad.get('kr_per_timme')}' är inget belopp i kr per timme större än 0.")
            continue
        moms_varde = rad.get("momskompensation_ingar")
        moms_text = "" if _tom(moms_varde) else str(moms_varde).strip().lower()
        if isinstance(moms_varde, bool):
            moms = moms_varde
        elif moms_text in _JA or moms_text in _NEJ:
            moms = moms_text in _JA  # empty = no: most own rates are stated without it
        else:
            fel.append(f"{var}: momskompensation_ingar '{rad.get('momskompensation_ingar')}' ska vara ja eller nej.")
            continue
        nyckel = (kod, ar, insats)
        if nyckel in sedda:
            fel.append(f"{var}: {referens.kommunnamn(kod)} {ar} {INSATS_NAMN[insats].lower()} finns redan "
                       "på en tidigare rad.")
            continue
        sedda.add(nyckel)
        kalla = "" if _tom(rad.get("kalla")) else str(rad["kalla"]).strip()
        ok.append(dict(kommunkod=kod, ar=ar, insats=insats, kr_per_timme=kr, momskompensation_ingar=bool(moms),
                       kalla=kalla))
    if not ok:
        return tom_egna_nivaer(), fel
    out = pd.DataFrame(ok).sort_values(["kommunkod", "ar", "insats"]).reset_index(drop=True)
    out["ar"] = out["ar"].astype("Int64")
    return out, fel


def _tom(varde: object) -> bool:
    if varde is None or varde is pd.NA:
        return True
    if isinstance(varde, float) and pd.isna(varde):
        return True
    return isinstance(varde, str) and not varde.strip()


def _tal(varde: object, decimalkomma: bool) -> float | None:
    if _tom(varde):
        return None
    if isinstance(varde, (int, float)) and not isinstance(varde, bool):
        return float(varde)
    if decimalkomma:  # the editor and ';' files: typed the Swedish way, `3,5`, `3.5` or `1 234,5`
        try:
            return float(fmt.parse_tal(varde))
        except fmt.TalFel:
            return None
    text = str(varde or "").strip().replace("\xa0", "").replace(" ", "")
    try:
        return float(text)
    except ValueError:
        return None


def egna_nivaer_csv(egna: pd.DataFrame) -> bytes:
    """The reference table as CSV (';', decimal comma, UTF-8 with BOM), as it is saved."""
    return tabellfil.to_csv(egna[list(EGNA_KOLUMNER)].reset_index(drop=True))


def spara_egna_nivaer(egna: pd.DataFrame, sokvag: Path) -> None:
    """Write the table atomically: a failed write leaves the previous file as it was."""
    sokvag = Path(sokvag)
    sokvag.parent.mkdir(parents=True, exist_ok=True)
    tmp = sokvag.with_suffix(".csv.tmp")
    tmp.write_bytes(egna_nivaer_csv(egna))
    os.replace(tmp, sokvag)


def kommun_etikett(kod: str) -> str:
    """`1435 Tanum`: how the page's editor shows a kommun (validera reads the code back)."""
    return f"{kod} {referens.kommunnamn(kod)}"


def redigerbar(egna: pd.DataFrame) -> pd.DataFrame:
    """The reference table as the page's editor shows it (kommun as "kod namn", insats by name)."""
    out = egna.copy()
    out["kommunkod"] = out["kommunkod"].map(kommun_etikett)
    out["insats"] = out["insats"].map(lambda i: INSATS_NAMN.get(i, i))
    # a text column: a browser's number cell drops a decimal comma (`3,5` → 35); validera parses it
    out["kr_per_timme"] = pd.Series([None if _tom(v) else fmt.fmt_inmatning(v) for v in out["kr_per_timme"]],
                                    index=out.index, dtype="string")
    return out.reset_index(drop=True)


# --- coverage ---------------------------------------------------------------------------------

TACKNING_FORMAT = {"Betald nivå (kr/h)": "kr:2", "Kommunens egen nivå (kr/h)": "kr:2",
                   "Egen nivå exkl. momskompensation (kr/h)": "kr:2", "Täckningsgrad (%)": "procent:1",
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
        "Insats": df["insats"].map(lambda i: INSATS_NAMN.get(i, i)),
        "Täckningsgrad (%)": df["betald_kr_per_timme"].astype(float) / exkl * 100,
        "Betald nivå (kr/h)": df["betald_kr_per_timme"].astype(float),
        "Kommunens egen nivå (kr/h)": egen,
        "Momskompensation i egen nivå": [None if pd.isna(e) else ("ingår" if m else "ingår inte")
                                         for e, m in zip(egen, moms)],
        "Egen nivå exkl. momskompensation (kr/h)": exkl,
        "Källa": df["kalla"],
        "Kommunkod": df["kommunkod"],
    })
    # known ratios first (what the mapping asks for), then by name
    out["_okand"] = out["Täckningsgrad (%)"].isna()
    return out.sort_values(["_okand", "Vistelsekommun", "Insats"]).drop(columns="_okand").reset_index(drop=True)


def visa_tackning(tabell: pd.DataFrame) -> pd.DataFrame:
    out = tabell.copy()
    for kolumn in ("Betald nivå (kr/h)", "Kommunens egen nivå (kr/h)", "Egen nivå exkl. momskompensation (kr/h)"):
        out[kolumn] = out[kolumn].map(lambda x: fmt.fmt_kr(x, 2))
    out["Täckningsgrad (%)"] = out["Täckningsgrad (%)"].map(lambda x: fmt.fmt_procent(x, 1))
    out["Momskompensation i egen nivå"] = out["Momskompensation i egen nivå"].fillna(fmt.SAKNAS)
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


def svarstabell(svar: list[Svar], grans: int) -> smatalsskydd.MaskedTable:
    """The answers as one table (Fråga, Svar, Enhet, Kommentar) for the .xlsx; hidden answers `..`."""
    df = pd.DataFrame({"Fråga": [s.fraga for s in svar], "Svar": [s.varde for s in svar],
                       "Enhet": [s.enhet for s in svar], "Kommentar": [s.kommentar for s in svar]})
    mask = pd.DataFrame(False, index=df.index, columns=df.columns)
    mask["Svar"] = [s.dolt for s in svar]
    return smatalsskydd.MaskedTable(df, mask, grans)
