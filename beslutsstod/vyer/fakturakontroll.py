"""Fakturakontroll's page model: invoiced against expected per payee, insats and month, with flags per visit.

`fakturakontroll(s, f, ...)` returns the key figures, the worklist and its .xlsx; `underlag(s, f, vy,
utforare_id, alla_besok)` the rows and visits of the provider chosen from `vy.utforare` (its
options come from the data). The figures come from queries/fakturakontroll/arbetslista.sql (one row
per payee, insats and month) and besok.sql (the visits of one payee); the flag rules are SQL,
documented there. This module decides which rows a controller must look at (the tolerance), words
the reasons and shapes the tables for the page and the .xlsx sent to the payee. No Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from beslutsstod import begrepp
from beslutsstod import talformat as fmt
from beslutsstod.dokument import tabellfil
from beslutsstod.vyer.urval import Filter, Kort, Sammanhang

TOLERANS_KR = 100.0  # kr per payee, insats and month; a smaller deviation is not worth a query
TOLERANS_PROCENT = 1.0  # percent of the expected amount (and of the rate or the granted hours)
AVRUNDNING_KR = 0.02  # kr per visit that two "equal" amounts may differ by: öre rounding of
# our amount and of the payee's (0,5 öre each, ×1,06 with momskompensation), with margin

STATUS_GRANSKA = "Att granska"
STATUS_OK = "Inom tolerans"
STATUS_EJ_FAKTURERAT = "Ej fakturerat"

GRUND_NAMN = {"utford": "utförd tid", "beviljad": "beviljad tid"}


@dataclass(frozen=True)
class Flagga:
    etikett: str  # short, for table cells and lists
    forklaring: str  # one sentence, for the page's explanation


# Order = how a visit's reasons are listed. The key is the suffix of the query columns
# (antal_<key> in arbetslista.sql, is_<key> in besok.sql).
FLAGGOR: dict[str, Flagga] = {
    "momskompensation_kommun": Flagga(
        "Momskompensation från kommun",
        "En kommun har fakturerat vårt belopp + momskompensation. Kommuner betalar ingen moms och ska "
        "inte ha momskompensation."),
    "annan_grund": Flagga(
        "Fel tidsgrund",
        "Beloppet är precis den andra tidens minuter × nivån, t.ex. beviljad tid fast ersättningen "
        "betalas per utförd tid."),
    "annat_timpris": Flagga(
        "Annan ersättningsnivå",
        "Fakturerat belopp delat med timmarna enligt ersättningens grund (utan momskompensation) ger "
        "en annan nivå i kr/tim än den beslutade ersättningsnivån, med mer än toleransen i procent."),
    "over_beviljad": Flagga(
        "Fler timmar än beviljat",
        "Personens fakturerade timmar hos utföraren under månaden är fler än de beviljade, med mer än "
        "toleransen i procent."),
    "utanfor_vistelse": Flagga(
        "Utanför vistelsen",
        "Besöksdagen ligger inte inom någon beslutad vistelse för personen i kommunen (vistelseextraktet)."),
    "mojlig_dubblett": Flagga(
        "Möjlig dubblett",
        "Samma person, dag, utförare, insats och minuter har fakturerats under ett annat besöks-id. "
        "Utan klockslag går två verkliga besök av samma längd samma dag inte att skilja från en dubblett: "
        "kontrollera med utföraren."),
    "utan_niva": Flagga(
        "Ingen beslutad nivå",
        "Besöket är fakturerat men ingen ersättningsnivå gällde besöksdagen, så inget förväntat belopp finns."),
}


def forklaring(momskompensation_procent: float) -> str:
    """How the expected amount and the invoiced hours are derived (Markdown, for the page)."""
    moms = fmt.fmt_procent(momskompensation_procent, 0)
    faktor = fmt.fmt_tal(1 + momskompensation_procent / 100, 2)
    return (
        f"**Förväntat belopp** = timmar enligt ersättningens grund (utförd eller beviljad tid) × den "
        f"ersättningsnivå som gällde besöksdagen × momsfaktorn. Momsfaktorn är {faktor} "
        f"(momskompensation {moms}) när mottagaren är en privat utförare och nivån är exklusive "
        f"momskompensation, annars 1. En kommun får aldrig momskompensation.\n\n"
        f"**Fakturerade timmar** räknas fram ur fakturan: fakturerat belopp ÷ (beslutad nivå × momsfaktor). "
        f"Ett exempel: 424 kr från en privat utförare med nivån 400 kr/tim ger 424 ÷ (400 × {faktor}) = 1 timme. "
        f"**Fakturerat (kr/tim)** är fakturerat belopp ÷ momsfaktor ÷ timmarna enligt grunden. Stämmer "
        f"fakturan blir fakturerade timmar = timmarna enligt grunden och fakturerat kr/tim = ersättningsnivån. "
        f"Är den fakturerade nivån fel blir också de härledda timmarna fel, så läs flaggorna tillsammans.\n\n"
        f"Besök som ännu inte är fakturerade visas som *ej fakturerat*, inte som avvikelse. Egen regi "
        f"faktureras inte och ingår inte.")


def arbetslista(rader: pd.DataFrame, tolerans_kr: float, tolerans_procent: float,
                flaggor: list[str] | None = None) -> pd.DataFrame:
    """The rows of arbetslista.sql with status, reasons and priority, most urgent first.

    A row is "Att granska" when its deviation exceeds both tolerances (kr and %: a few kronor
    on a small invoice and a large sum that is a tiny share are both let through), or when
    one of its visits carries a flag in `flaggor` (default: all). A row with no invoiced visit
    is "Ej fakturerat", never a deviation.
    """
    valda = list(FLAGGOR) if flaggor is None else [f for f in FLAGGOR if f in flaggor]
    lista = rader.copy()
    avvikelse = lista["avvikelse_kr"].astype(float)
    lista["avvikelse_procent"] = avvikelse / lista["forvantat_kr"].astype(float).where(lambda s: s != 0) * 100
    over = (avvikelse.abs() >= tolerans_kr) & (lista["avvikelse_procent"].abs() >= tolerans_procent)
    lista["is_over_tolerans"] = over.fillna(False).astype(bool)
    lista["antal_valda_flaggor"] = lista[[f"antal_{f}" for f in valda]].sum(axis=1) if valda else 0
    fakturerad = lista["antal_fakturerade"] > 0
    lista["status"] = STATUS_OK
    lista.loc[lista["is_over_tolerans"] | (lista["antal_valda_flaggor"] > 0), "status"] = STATUS_GRANSKA
    lista.loc[~fakturerad, "status"] = STATUS_EJ_FAKTURERAT
    lista["orsaker"] = [_orsaker(rad, valda) for rad in lista.itertuples(index=False)]
    # Most urgent first: deviations beyond tolerance by size, then flagged rows by their count.
    lista["_prio"] = (lista["status"] != STATUS_GRANSKA).astype(int)
    lista["_storlek"] = avvikelse.abs().where(lista["is_over_tolerans"], 0).fillna(0)
    lista = lista.sort_values(["_prio", "_storlek", "antal_valda_flaggor", "utforare_namn", "insats", "manad"],
                              ascending=[True, False, False, True, True, True], kind="stable")
    return lista.drop(columns=["_prio", "_storlek"]).reset_index(drop=True)


def _orsaker(rad, valda: list[str]) -> str:
    delar = []
    if rad.is_over_tolerans:
        procent = fmt.fmt_procent(rad.avvikelse_procent, tecken=True)
        delar.append(f"avvikelse {fmt.fmt_andring_kr(rad.avvikelse_kr)} ({procent})")
    for nyckel in valda:
        antal = int(getattr(rad, f"antal_{nyckel}"))
        if antal:
            delar.append(f"{FLAGGOR[nyckel].etikett.lower()}: {antal} besök")
    if rad.antal_ej_fakturerade:
        delar.append(f"{rad.antal_ej_fakturerade} besök ej fakturerade")
    text = "; ".join(delar)
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Sammanfattning:
    fakturerat_kr: float
    forvantat_kr: float
    avvikelse_kr: float
    avvikelse_procent: float | None
    rader_att_granska: int
    rader: int
    ej_fakturerade_besok: int
    ej_fakturerat_forvantat_kr: float


def sammanfattning(lista: pd.DataFrame) -> Sammanfattning:
    """Totals over the list (all of its rows), for the page's key figures."""
    forvantat = float(lista["forvantat_kr"].sum())
    avvikelse = float(lista["avvikelse_kr"].sum())
    return Sammanfattning(
        fakturerat_kr=float(lista["fakturerat_kr"].sum()),
        forvantat_kr=forvantat,
        avvikelse_kr=avvikelse,
        avvikelse_procent=avvikelse / forvantat * 100 if forvantat else None,
        rader_att_granska=int((lista["status"] == STATUS_GRANSKA).sum()),
        rader=len(lista),
        ej_fakturerade_besok=int(lista["antal_ej_fakturerade"].sum()),
        ej_fakturerat_forvantat_kr=float(lista["ej_fakturerat_forvantat_kr"].sum()),
    )


def radetikett(rad: pd.Series, ar: int) -> str:
    """`jul 2023 · Hemtjänst · Att granska – avvikelse +1 234 kr (+4,1 %)` for an expander."""
    insats = begrepp.INSATS_NAMN.get(rad["insats"], rad["insats"])
    text = f"{fmt.manad_namn(int(rad['manad']))} {ar} · {insats} · {rad['status']}"
    return f"{text} – {rad['orsaker']}" if rad["orsaker"] else text


# --- tables for the page and the export -----------------------------------------------------

# Order: what a controller reads first (who, when, status, how much, why), details after.
LISTA_KOLUMNER = {
    "utforare_namn": "Utförare",
    "manad": "Månad",
    "insats": "Insats",
    "status": "Status",
    "avvikelse_kr": "Avvikelse (kr)",
    "avvikelse_procent": "Avvikelse (%)",
    "orsaker": "Orsaker",
    "fakturerat_kr": "Fakturerat (kr)",
    "forvantat_kr": "Förväntat (kr)",
    "implicit_kr_per_timme": "Fakturerat (kr/tim)",
    "beslutad_kr_per_timme": "Ersättningsnivå (kr/tim)",
    "fakturerade_timmar": "Fakturerade timmar",
    "beviljade_timmar": "Beviljade timmar",
    "antal_fakturerade": "Fakturerade besök",
    "antal_ej_fakturerade": "Ej fakturerade besök",
    "ej_fakturerat_forvantat_kr": "Ej fakturerat, förväntat (kr)",
    "antal_flaggade": "Flaggade besök",
    "mojlig_dubblett_kr": "Möjliga dubbletter (kr)",
    "regi": "Regi",
}
LISTA_FORMAT = {
    "Fakturerat (kr)": "kr:2", "Förväntat (kr)": "kr:2", "Avvikelse (kr)": "kr:2", "Avvikelse (%)": "procent:1",
    "Fakturerat (kr/tim)": "kr:2", "Ersättningsnivå (kr/tim)": "kr:2", "Fakturerade timmar": "timmar:2",
    "Beviljade timmar": "timmar:2", "Fakturerade besök": "tal", "Ej fakturerade besök": "tal",
    "Ej fakturerat, förväntat (kr)": "kr:2", "Flaggade besök": "tal", "Möjliga dubbletter (kr)": "kr:2",
}


def listtabell(lista: pd.DataFrame) -> pd.DataFrame:
    """The list with Swedish headers and labels, numbers kept as numbers (for .xlsx)."""
    out = lista[list(LISTA_KOLUMNER)].rename(columns=LISTA_KOLUMNER)
    out["Regi"] = out["Regi"].map(lambda r: begrepp.REGI_NAMN.get(r, r))
    out["Insats"] = out["Insats"].map(lambda i: begrepp.INSATS_NAMN.get(i, i))
    out["Månad"] = out["Månad"].map(lambda m: fmt.manad_namn(int(m)))
    return out.reset_index(drop=True)


def visa_listtabell(lista: pd.DataFrame) -> pd.DataFrame:
    """The list as Swedish display strings (`1 234,50 kr`, `4,1 %`, `–` for missing)."""
    out = listtabell(lista)
    for kolumn, typ in LISTA_FORMAT.items():
        out[kolumn] = out[kolumn].map(_formatterare(typ))
    return out


# Order: the visit's id and date (what the payee looks up), why, how much, then the details.
BESOK_KOLUMNER = {
    "besok_id": "Besöks-id",
    "datum": "Datum",
    "orsak": "Orsak",
    "avvikelse_kr": "Avvikelse (kr)",
    "fakturerat_kr": "Fakturerat (kr)",
    "forvantat_kr": "Förväntat (kr)",
    "fakturerade_min": "Fakturerad tid (min)",
    "beviljad_min": "Beviljad tid (min)",
    "utford_min": "Utförd tid (min)",
    "implicit_kr_per_timme": "Fakturerat (kr/tim)",
    "kr_per_timme": "Ersättningsnivå (kr/tim)",
    "grund": "Grund",
    "insats": "Insats",
    "brukare_id": "Person (pseudonym)",
}
BESOK_FORMAT = {
    "Beviljad tid (min)": "tal", "Utförd tid (min)": "tal", "Ersättningsnivå (kr/tim)": "kr:2", "Fakturerat (kr)": "kr:2",
    "Förväntat (kr)": "kr:2", "Avvikelse (kr)": "kr:2", "Fakturerad tid (min)": "tal:1", "Fakturerat (kr/tim)": "kr:2",
}


def besoksorsak(rad) -> str:
    """The flags of one visit in words, or `ej fakturerat` / `` (no remark)."""
    delar = [FLAGGOR[nyckel].etikett for nyckel in FLAGGOR if bool(getattr(rad, f"is_{nyckel}"))]
    if not rad.is_fakturerat:
        delar.append("Ej fakturerat")
    return ", ".join(delar)


def besokstabell(besok: pd.DataFrame) -> pd.DataFrame:
    """The visits of besok.sql with Swedish headers and the reasons in words (for .xlsx)."""
    out = besok.copy()
    out["orsak"] = [besoksorsak(rad) for rad in out.itertuples(index=False)]
    out["datum"] = pd.to_datetime(out["datum"]).dt.date
    out["insats"] = out["insats"].map(lambda i: begrepp.INSATS_NAMN.get(i, i))
    out["grund"] = out["grund"].map(lambda g: GRUND_NAMN.get(g, g))
    return out[list(BESOK_KOLUMNER)].rename(columns=BESOK_KOLUMNER).reset_index(drop=True)


def visa_besokstabell(besok: pd.DataFrame) -> pd.DataFrame:
    out = besokstabell(besok)
    out["Datum"] = out["Datum"].map(lambda d: d.isoformat())
    for kolumn, typ in BESOK_FORMAT.items():
        out[kolumn] = out[kolumn].map(_formatterare(typ))
    return out


def _formatterare(typ: str):
    slag, _, decimaler = typ.partition(":")
    d = int(decimaler or 0)
    if slag == "kr":
        return lambda x: fmt.fmt_kr(x, d)
    if slag == "procent":
        return lambda x: fmt.fmt_procent(x, d, tecken=True)
    return lambda x: fmt.fmt_tal(x, d)


# --- the page ---------------------------------------------------------------------------------

VISA = {"granska": "Att granska", "alla": "Alla rader"}  # the radio "Visa"
KALLA = "Besöks- och fakturaextrakt; förväntat belopp enligt beslutade ersättningsnivåer"


def caption(f: Filter) -> str:
    """The line under the title (shown before the page's own choices)."""
    return f"Fakturor från vistelsekommuner och privata utförare för våra invånare, {f.ar}. {f.beskrivning()}."


@dataclass(frozen=True)
class FakturakontrollVy:
    """Everything above "Underlag per utförare", and that section's choices. With `tomt` the page shows only that."""

    tomt: str | None = None  # no visits at vistelsekommuner or private providers in the selection
    nyckeltal: tuple[Kort, ...] = ()  # two rows of three
    forklaring: str = ""  # Markdown: how it is computed
    flaggor: str = ""  # Markdown list: what the flags mean
    rubrik: str = ""  # "Arbetslista" or "Alla rader"
    inga_rader: str | None = None  # success message when no row is to be reviewed
    tabell: pd.DataFrame | None = None  # the rows shown, as Swedish display text
    xlsx: Callable[[], bytes] | None = None  # the rows shown as .xlsx, built on click
    xlsx_filnamn: str = ""
    utforare: tuple[str, ...] = ()  # the providers to choose from (the rows shown first, most urgent first)
    utforare_namn: dict[str, str] = field(default_factory=dict)
    # what `underlag` needs: the rows, the rows shown, the query parameters, the export's metadata
    lista: pd.DataFrame | None = None
    visade: pd.DataFrame | None = None
    params: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)


def fakturakontroll(s: Sammanhang, f: Filter, tolerans_kr: float, tolerans_procent: float, visa: str,
                    flaggor: list[str], momskompensation_procent: float) -> FakturakontrollVy:
    """The worklist for the sidebar's selection with the page's tolerances, view ("granska"/"alla") and flags."""
    params = f.params("kostnad", tolerans_procent=float(tolerans_procent), avrundning_kr=AVRUNDNING_KR)
    rader = s.fraga("fakturakontroll/arbetslista", params)
    if rader.empty:
        return FakturakontrollVy(tomt="Inga besök hos vistelsekommuner eller privata utförare i urvalet.")
    lista = arbetslista(rader, float(tolerans_kr), float(tolerans_procent), flaggor)
    summa = sammanfattning(lista)
    visade = lista if visa == "alla" else lista.loc[lista["status"] == STATUS_GRANSKA]
    metadata = tabellfil.build_metadata(
        KALLA, f"{f.beskrivning()}; tolerans {fmt.fmt_kr(tolerans_kr)} och {fmt.fmt_procent(tolerans_procent)}",
        s.oppen_vy, f.sista_datum, s.demodata)
    kalla = visade if not visade.empty else lista
    return FakturakontrollVy(
        nyckeltal=_nyckeltal(summa),
        forklaring=forklaring(momskompensation_procent),
        flaggor="\n".join(f"- **{flagga.etikett}**: {flagga.forklaring}" for flagga in FLAGGOR.values()),
        rubrik="Arbetslista" if visa == "granska" else "Alla rader",
        inga_rader="Inga rader att granska med de valda toleranserna och flaggorna." if visade.empty else None,
        tabell=None if visade.empty else visa_listtabell(visade),
        xlsx=None if visade.empty else lambda: tabellfil.to_xlsx(
            listtabell(visade), titel=f"Fakturakontroll {f.ar}", metadata=metadata, kolumnformat=LISTA_FORMAT),
        xlsx_filnamn=f"fakturakontroll_{f.ar}.xlsx",
        utforare=tuple(dict.fromkeys(kalla["utforare_id"])),
        utforare_namn=dict(zip(lista["utforare_id"], lista["utforare_namn"])),
        lista=lista, visade=visade, params=params, metadata=metadata,
    )


def _nyckeltal(s: Sammanfattning) -> tuple[Kort, ...]:
    return (
        Kort("Fakturerat", fmt.fmt_kr(s.fakturerat_kr), hjalp="Summa av fakturerade belopp."),
        Kort("Förväntat", fmt.fmt_kr(s.forvantat_kr),
             hjalp="Samma besök med beslutade nivåer (besök utan nivå ingår inte)."),
        Kort("Avvikelse", fmt.fmt_andring_kr(s.avvikelse_kr),
             hjalp="Fakturerat − förväntat; positivt = fakturerat mer än förväntat, "
                   f"{fmt.fmt_procent(s.avvikelse_procent, tecken=True)} av förväntat. Möjliga dubbletter ingår "
                   "inte: de har egna förväntade belopp."),
        Kort("Rader att granska", f"{fmt.fmt_tal(s.rader_att_granska)} av {fmt.fmt_tal(s.rader)}",
             hjalp="En rad = utförare, insats och månad."),
        Kort("Ej fakturerade besök", fmt.fmt_tal(s.ej_fakturerade_besok),
             hjalp="Besök som ännu inte fakturerats. Visas inte som avvikelse."),
        Kort("Ej fakturerat, förväntat", fmt.fmt_kr(s.ej_fakturerat_forvantat_kr),
             hjalp="Förväntat belopp för de ej fakturerade besöken."),
    )


SKYDDAD_VY_BESOK = ("Besöken bakom raderna visas bara i detaljvyn, som är för tjänstepersoner. Den skyddade vyn "
                    "visar inga uppgifter om enskilda besök.")


@dataclass(frozen=True)
class Underlag:
    """One provider's rows; in the detailed view also the visits behind each row and their .xlsx."""

    tabell: pd.DataFrame | None = None  # the open view: the provider's rows only
    skyddad: str | None = None  # the open view: why no visits are shown
    rader: tuple[tuple[str, pd.DataFrame], ...] = ()  # the detailed view: (expander label, visits as text)
    xlsx: Callable[[], bytes] | None = None  # the visits as .xlsx for the provider, built on click
    xlsx_etikett: str = ""
    xlsx_filnamn: str = ""


def underlag(s: Sammanhang, f: Filter, vy: FakturakontrollVy, utforare_id: str, alla_besok: bool = False) -> Underlag:
    """The section "Underlag per utförare" for the provider chosen among `vy.utforare`.

    `alla_besok`: also the visits without deviation or flag (the detailed view's toggle).
    """
    kalla = vy.visade if not vy.visade.empty else vy.lista
    egna = kalla.loc[kalla["utforare_id"] == utforare_id]
    if s.oppen_vy:
        return Underlag(tabell=visa_listtabell(egna), skyddad=SKYDDAD_VY_BESOK)
    besok = s.fraga("fakturakontroll/besok", dict(vy.params, utforare_id=utforare_id, endast_avvikande=not alla_besok))
    rader = []
    for _, rad in egna.sort_values(["manad", "insats"]).iterrows():
        bakom = besok.loc[(besok["manad"] == rad["manad"]) & (besok["insats"] == rad["insats"])]
        rader.append((f"{radetikett(rad, f.ar)} (visar {fmt.fmt_tal(len(bakom))} besök)", visa_besokstabell(bakom)))
    namn = vy.utforare_namn[utforare_id]
    return Underlag(
        rader=tuple(rader),
        xlsx=lambda: tabellfil.to_xlsx(besokstabell(besok), titel=f"Fakturakontroll {namn} {f.ar}",
                                       metadata=vy.metadata, kolumnformat=BESOK_FORMAT),
        xlsx_etikett=f"Underlag till {namn} (.xlsx)",
        xlsx_filnamn=f"fakturakontroll_{utforare_id}_{f.ar}.xlsx",
    )
