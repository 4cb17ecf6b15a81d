"""Kostnader över år: cost, hours and cost per hour per year, per insats or regi, in current or fixed prices.

The page asks in two steps: ``valbara`` (the years in the selection, for the base-year chooser
and the OPI it lacks), then ``kostnader`` with the page's choices → ``KostnaderVy``, everything
the page shows. Small-number protection: a year's total is the total of both its insats line and
its regi line (smatalsskydd.hide_in_lines; vyer/tabell.py describes the rules the three analysis
pages share).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from beslutsstod import begrepp
from beslutsstod import talformat as fmt
from beslutsstod.diagram import analys as diagram_analys
from beslutsstod.diagram import grund as diagram_grund
from beslutsstod.regler import fasta_priser, jamforelse, smatalsskydd
from beslutsstod.regler.intaktsantagande import EGNA_NIVAER
from beslutsstod.vyer.tabell import (
    NAN,
    Analystabell,
    Tabellvy,
    maskerad_tabell,
    metadata,
    objekt,
    tabellvy,
    tal,
)
from beslutsstod.vyer.urval import Filter, Sammanhang

PRISNIVAER = {"lopande": "Löpande priser", "fasta": "Fasta priser (omräknat med OPI)"}

DIMENSIONER = {"totalt": "Totalt", "insats": "Per insats", "regi": "Per regi"}
_ALLA = {"insats": "Alla insatser", "regi": "Alla regier"}


def _ar_etikett(ar: int, valt_ar: int, till_manad: int, utan_data: Iterable[tuple[int, int]] = ()) -> str:
    """'2026 (jan–okt)'; a year lacking a month: '2025 (ofullständigt: mars saknas)'."""
    till = till_manad if ar == valt_ar else 12
    delar = [f"jan–{fmt.manad_namn(till_manad)}"] if ar == valt_ar and till_manad < 12 else []
    if text := jamforelse.ofullstandig(ar, till, utan_data):
        delar.append(text)
    return f"{ar} ({'; '.join(delar)})" if delar else str(ar)


def _kostnad_dolda(rader: pd.DataFrame, smatal_grans: int, oppen_vy: bool) -> set[tuple]:
    """Hidden cells of one direction of queries/kostnader/per_ar: keys (ar, jmf, dimension, grupp)."""
    personer = {(int(r.ar), bool(r.is_jamforelse), r.dimension, None if r.dimension == "totalt" else r.grupp):
                r.antal_personer for r in rader.itertuples()}
    linjer = []
    for (ar, jmf) in {(k[0], k[1]) for k in personer}:
        for dim in ("insats", "regi"):
            detaljer = [k for k in personer if k[:3] == (ar, jmf, dim)]
            linjer.append(((ar, jmf, "totalt", None), detaljer))
    return smatalsskydd.hide_in_lines(personer, sorted(linjer, key=str), smatal_grans, oppen_vy=oppen_vy)


def kostnader_per_ar(rader: pd.DataFrame, *, riktning: str, dimension: str, ar: int, till_manad: int,
                     oppen_vy: bool, smatal_grans: int, etiketter: Mapping[str, str],
                     priser: fasta_priser.PrisOmrakning | None = None,
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
    nu_del["grupp"] = objekt(nu_del["grupp"].where(nu_del["dimension"] != "totalt"))
    rader["grupp"] = objekt(rader["grupp"].where(rader["dimension"] != "totalt"))

    def faktor(a: int) -> float:
        if priser is None:
            return 1.0
        f = priser.faktor.get(a)
        return NAN if f is None else f

    sidor = ("kostnad", "intakt") if riktning == begrepp.NETTO else (riktning,)
    data: dict[str, dict[tuple, dict]] = {}
    dolda: dict[str, set] = {}
    for sida in sidor:
        del_rader = rader.loc[rader["riktning"] == sida]
        dolda[sida] = _kostnad_dolda(del_rader, smatal_grans, oppen_vy)
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
        return tal(c["kostnad_kr"]) * faktor(nyckel[0]) if c else NAN

    def kronor_jmf(sida: str, nyckel: tuple) -> float:
        """The year's kronor for its change: on the months the year before has, when restricted."""
        a, _, dim, g = nyckel
        if a not in jmf_ar or not har_nu:
            return kronor(sida, nyckel)
        c = nu_data[sida].get((a, dim, g))
        return tal(c["kostnad_kr"]) * faktor(a) if c else NAN

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
        if riktning != begrepp.NETTO:
            namn, per_timme = begrepp.RIKTNING_NAMN[riktning], begrepp.KR_PER_DEBITERAD_TIMME
            c = cell(riktning, nu)
            if c is None and dim != "totalt":
                continue  # the group has no visits this year
            dolt_nu = nu in dolda[riktning]
            v, v_fore = kronor(riktning, nu), kronor(riktning, fore)
            v_jmf = kronor_jmf(riktning, nu)
            timmar = tal(c["debiterbara_timmar"]) if c else NAN
            rad.update({
                f"{namn} (kr)": v,
                "Förändring (kr)": v_jmf - v_fore,
                "Förändring (%)": _forandring_procent(v_jmf, v_fore),
                "Utförda timmar": tal(c["utford_timmar"]) if c else NAN,
                per_timme: v / timmar if timmar else NAN,
                "Personer": tal(c["antal_personer"]) if c else 0.0,
            })
            for k in (f"{namn} (kr)", "Utförda timmar", per_timme, "Personer"):
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
                "Personer (kostnader)": tal(cell("kostnad", nu)["antal_personer"]) if cell("kostnad", nu) else 0.0,
                "Personer (intäkter)": tal(cell("intakt", nu)["antal_personer"]) if cell("intakt", nu) else 0.0,
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
    tabell = maskerad_tabell(df.reset_index(drop=True), flaggor, smatal_grans)
    kolumnformat = {k: ("procent" if "(%)" in k else "timmar" if "timmar" in k else "tal" if k.startswith("Personer")
                        else "kr") for k in df.columns if k not in ("År", "Insats", "Regi")}
    # Chart frame: one row per year and series (the groups; the year total when not broken
    # down), from the protected cells, so a hidden cell is a gap in the chart too.
    namn_kr = begrepp.belopp_rubrik(riktning)
    namn_h = None if riktning == begrepp.NETTO else begrepp.KR_PER_DEBITERAD_TIMME
    visad = tabell.data
    serie = (visad[grupp_kolumn] if grupp_kolumn else
             pd.Series(begrepp.RIKTNING_NAMN[riktning], index=visad.index))
    diagram = pd.DataFrame({
        "ar": visad["År"] if len(visad) else [],
        "serie": serie if len(visad) else [],
        "varde": visad[namn_kr] if namn_kr in visad else NAN,
        "per_timme": visad[namn_h] if namn_h and namn_h in visad else NAN,
        "is_totalt": (serie == _ALLA[dimension]) if grupp_kolumn else True,
        "dolt": tabell.mask[namn_kr] if namn_kr in visad else False,
        "dolt_h": tabell.mask[namn_h] if namn_h and namn_h in visad else False,
    })
    antal_utan = int(rader.loc[(rader["dimension"] == "totalt") & (~rader["is_jamforelse"].astype(bool))
                               & (rader["riktning"].isin(sidor)), "antal_besok_utan_niva"].sum())
    prisniva = f" i {priser.basar} års priser" if priser else ""
    titel = (f"{begrepp.RIKTNING_NAMN[riktning]} per år"
             f"{'' if dimension == 'totalt' else ' och ' + dimension}{prisniva}")
    return Analystabell(titel, tabell, kolumnformat, diagram, antal_utan)


def _forandring_procent(nu: float, fore: float) -> float:
    if pd.isna(nu) or pd.isna(fore) or fore <= 0:
        return NAN
    return (nu - fore) / fore * 100


def opi_analystabell(priser: fasta_priser.PrisOmrakning) -> Analystabell:
    """The OPI table as an Analystabell (it describes no persons: nothing is hidden)."""
    data = fasta_priser.opi_tabell(priser)
    mask = pd.DataFrame(False, index=data.index, columns=data.columns)
    return Analystabell(f"OPI för fasta priser {priser.basar}", smatalsskydd.MaskedTable(data, mask, 1),
                        {"OPI (%)": "procent"})


# --- the page's model ------------------------------------------------------------------------


@dataclass(frozen=True)
class Valbara:
    """The selection's yearly rows and what the base-year chooser offers."""

    rader: pd.DataFrame  # queries/kostnader/per_ar, both directions
    utan_data: list[tuple[int, int]]  # (år, månad) without registrations
    jmf_ar: list[int]  # years whose change is computed on the months both years have
    ar_lista: list[int]  # the years in the selection, ascending (the base years offered)
    standard_basar: int

    @property
    def tomt(self) -> bool:
        return self.rader.empty


def valbara(s: Sammanhang, f: Filter) -> Valbara:
    utan_data = sorted(s.manader_utan_data())
    alla_ar = [int(a) for a in s.fraga("filter/datatackning", None).iloc[0]["ar_lista"]]
    jmf_ar = jamforelse.ar_som_jamfors(alla_ar, f.ar, f.till_manad, utan_data)
    rader = s.fraga("kostnader/per_ar", f.params("alla", till_manad=f.till_manad, jmf_ar=jmf_ar,
                                                 utan_data=jamforelse.utan_data_koder(utan_data)))
    ar_lista = sorted(int(a) for a in rader["ar"].unique()) if not rader.empty else [f.ar]
    return Valbara(rader, utan_data, jmf_ar, ar_lista, fasta_priser.standard_basar(ar_lista, f.ar))


def opi_saknas(v: Valbara, basar: int) -> list[int]:
    """The years whose OPI fixed prices in `basar` need but referensdata lacks (the page asks for an assumption)."""
    return fasta_priser.saknade_opi(v.ar_lista, basar)


def opi_varning(saknade: Iterable[int]) -> str:
    return (f"OPI saknas i referensdata för {', '.join(map(str, saknade))}. År som behöver dessa värden "
            "visas utan belopp (–) i fasta priser. Ange ett antaget värde för att räkna om dem; det visas "
            "som ett antagande.")


OPI_TEXT = ("OPI för ett år är prisförändringen från året före. Status: definitiv eller preliminär "
            "(publicerat av SKR), antagande (angivet här) eller saknas.")
UTAN_NIVA = ("{n} besök saknar en ersättningsnivå som gällde besöksdagen. Deras kostnad saknas i summorna "
             "(den räknas inte som noll).")


@dataclass(frozen=True)
class KostnaderVy:
    tabell: Tabellvy  # the yearly table
    per_ar: go.Figure
    per_timme: go.Figure | None  # None for netto: kronor per hour per direction only
    per_timme_text: str | None  # said instead of the per-hour chart
    opi: Tabellvy | None  # the OPI used (fixed prices)
    opi_rubrik: str | None  # the expander's label
    opi_oppen: bool  # the expander open: an OPI is missing or assumed
    bildtext: str  # the table's caption: filters, what the change compares
    antagande: str | None  # revenue priced by our own rates
    varning: str | None  # visits without a rate in force
    per_ar_text: diagram_grund.Diagramtext | None = None  # the charts' summaries and numbers
    per_timme_diagramtext: diagram_grund.Diagramtext | None = None


def kostnader(s: Sammanhang, f: Filter, v: Valbara, riktning: str, dimension: str, basar: int | None = None,
              antaganden: Mapping[int, float | None] | None = None) -> KostnaderVy:
    """Everything the page shows, in current prices (`basar` None) or in `basar`'s prices by OPI
    (published, else the user's `antaganden`)."""
    meta_extra = {"Visning": f"{begrepp.RIKTNINGAR_MED_NETTO[riktning]}; {DIMENSIONER[dimension].lower()}"}
    priser = opi = None
    if basar is not None:
        priser = fasta_priser.fasta_priser(v.ar_lista, basar, antaganden)
        meta_extra["Prisnivå"] = priser.beskrivning()
        opi = tabellvy(opi_analystabell(priser), metadata("", s.oppen_vy, None, False, kalla=fasta_priser.OPI_KALLA))
    else:
        meta_extra["Prisnivå"] = "Löpande priser"
    t = kostnader_per_ar(v.rader, riktning=riktning, dimension=dimension, ar=f.ar, till_manad=f.till_manad,
                         oppen_vy=s.oppen_vy, smatal_grans=s.smatal_grans,
                         etiketter={**begrepp.INSATS_NAMN, **begrepp.REGI_NAMN}, priser=priser, utan_data=v.utan_data)
    per_timme, per_timme_text, per_timme_diagramtext = None, None, None
    if riktning != begrepp.NETTO:
        prisord = f" ({priser.basar} års priser)" if priser else ""
        timtitel = f"{begrepp.KR_PER_DEBITERAD_TIMME}, {begrepp.RIKTNING_NAMN[riktning].lower()}{prisord}"
        per_timme = diagram_analys.per_timme(t.diagram, timtitel)
        per_timme_diagramtext = diagram_grund.beskriv(f"Linjediagram: {timtitel[0].lower()}{timtitel[1:]}",
                                                      diagram_analys.per_timme_punkter(t.diagram), enhet="kr",
                                                      kategori="År", saknas_text="saknas")
    else:
        per_timme_text = f"{begrepp.KR_PER_DEBITERAD_TIMME} visas per riktning: välj Kostnader eller Intäkter ovan."

    jamfor_texter = [f"{a}: {jt}" for a in v.jmf_ar if a <= f.ar and (jt := jamforelse.jamforbarhet(
        (a - 1, a), f.till_manad if a == f.ar else 12, v.utan_data).text())]
    bildtext = (f"{f.beskrivning()}. Förändringen gäller året före"
                + (f"; för {f.ar} jämförs jan–{fmt.manad_namn(f.till_manad)} med samma månader {f.ar - 1}"
                   if f.till_manad < 12 else "")
                + (". Förändringen är räknad på de månader båda åren har (" + "; ".join(jamfor_texter) + ")"
                   if jamfor_texter else "") + ". – = uppgift saknas.")
    if jamfor_texter:
        meta_extra["Jämförelse"] = "; ".join(jamfor_texter)
    antagande = s.intakt_antagande(f) if riktning in ("intakt", begrepp.NETTO) else None
    if antagande:
        meta_extra["Intäkter"] = EGNA_NIVAER
    meta = metadata(f.beskrivning(), s.oppen_vy, f.sista_datum, s.demodata, **meta_extra)
    return KostnaderVy(
        tabell=tabellvy(t, meta), per_ar=diagram_analys.per_ar(t.diagram, t.titel, "kr"), per_timme=per_timme,
        per_timme_text=per_timme_text, opi=opi,
        opi_rubrik=f"OPI som används för {basar} års prisnivå" if priser else None,
        opi_oppen=bool(priser and (priser.saknade or priser.antaganden)), bildtext=bildtext, antagande=antagande,
        varning=UTAN_NIVA.format(n=t.antal_utan_niva) if t.antal_utan_niva else None,
        per_ar_text=diagram_grund.beskriv(f"Stapeldiagram: {t.titel[0].lower()}{t.titel[1:]}",
                                          diagram_analys.per_ar_punkter(t.diagram), kategori="År",
                                          saknas_text="saknas", namnform="{serie} {kategori}"),
        per_timme_diagramtext=per_timme_diagramtext)
