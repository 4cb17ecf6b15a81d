"""Vistelsekommuner: a map of Sweden, a ranking and the month × kommun season, for costs, revenues or netto.

Every figure on the page is a cell of one protected crosstab per direction, month × kommun with
its margins (queries/vistelsekommuner/per_manad_kommun, lasarvy.korstabell_dolda): the ranking and
the map show its total row, the season chart its total column; netto hides a cell when either
direction hides it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from beslutsstod import begrepp, saker_text
from beslutsstod import talformat as fmt
from beslutsstod.data import referens
from beslutsstod.diagram import analys as diagram_analys
from beslutsstod.diagram import grund as diagram_grund
from beslutsstod.regler import lasarvy
from beslutsstod.vyer.tabell import (
    NAN,
    NEUTRAL_NOTE,
    Analystabell,
    Tabellvy,
    maskerad_tabell,
    metadata,
    objekt,
    tabellvy,
    tal,
)
from beslutsstod.vyer.urval import Filter, Sammanhang

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


def kommun_tabeller(rader: pd.DataFrame, *, riktning: str, matt: str, oppen_vy: bool, smatal_grans: int,
                    kommuner: Mapping[str, tuple[str, str]], ar: int | None = None) -> KommunResultat:
    """Ranking, month × kommun table and map frame from queries/vistelsekommuner/per_manad_kommun.

    `matt` is kostnad_kr, utford_timmar or antal_personer (persons not for netto: persons of two
    directions do not subtract). Every table shows cells of one protected crosstab per
    direction; netto hides a cell when either direction hides it.
    """
    if riktning == begrepp.NETTO and matt == "antal_personer":
        raise ValueError("netto finns inte för personer")
    sidor = ("kostnad", "intakt") if riktning == begrepp.NETTO else (riktning,)
    rader = rader.copy()
    rader["manad"] = pd.Series([None if m is None else int(m) for m in objekt(rader["manad"])],
                               index=rader.index, dtype=object)
    rader["kommunkod"] = objekt(rader["kommunkod"])
    dolda = {s: lasarvy.korstabell_dolda(rader.loc[rader["riktning"] == s], smatal_grans, oppen_vy) for s in sidor}
    varden = {s: {(r.manad, r.kommunkod): r._asdict() for r in rader.loc[rader["riktning"] == s].itertuples()}
              for s in sidor}

    def varde(s: str, nyckel: tuple, kolumn: str) -> float:
        c = varden[s].get(nyckel)
        return tal(c[kolumn]) if c else 0.0

    def netto(nyckel: tuple, kolumn: str) -> float:
        if riktning != begrepp.NETTO:
            return varde(riktning, nyckel, kolumn)
        return varde("intakt", nyckel, kolumn) - varde("kostnad", nyckel, kolumn)

    def dolt(nyckel: tuple) -> bool:
        return any(nyckel in dolda[s] for s in sidor)

    koder = sorted({k for s in sidor for (_, k) in varden[s] if k is not None})
    matt_rubrik = KOMMUN_MATT[matt][0] if riktning != begrepp.NETTO else f"Netto, {KOMMUN_MATT[matt][0].lower()}"
    if matt == "kostnad_kr":
        matt_rubrik = {"kostnad": "Kostnad (kr)", "intakt": "Intäkt (kr)", begrepp.NETTO: "Netto (kr)"}[riktning]
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
        rad = {"Kommun": begrepp.TOTALT if k is None else namn(k)[0], "Län": "" if k is None else namn(k)[1]}
        if riktning != begrepp.NETTO:
            kol = {begrepp.belopp_rubrik(riktning): ("kostnad_kr", "kr"), "Utförda timmar": ("utford_timmar", "timmar"),
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
    rang = maskerad_tabell(pd.DataFrame(rows), flaggor, smatal_grans)
    rangordning = Analystabell(f"{begrepp.RIKTNING_NAMN[riktning]} per kommun{arstext}", rang, kolumnformat,
                               antal_utan_niva=int(sum(varde(s, (None, None), "antal_besok_utan_niva") for s in sidor)))

    # Month × kommun: the chosen measure, kommuner in ranking order, months as columns.
    manader = list(range(1, 13))
    m_rows, m_flaggor = [], {}
    for k in [*ordning, None]:
        rad = {"Kommun": begrepp.TOTALT if k is None else namn(k)[0]}
        for m in [*manader, None]:
            rubrik = begrepp.TOTALT if m is None else fmt.manad_namn(m)
            finns = any((m, k) in varden[s] for s in sidor)
            rad[rubrik] = netto((m, k), matt) if finns else NAN
            m_flaggor.setdefault(rubrik, []).append(dolt((m, k)))
        m_rows.append(rad)
    mk = maskerad_tabell(pd.DataFrame(m_rows), m_flaggor, smatal_grans)
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
            text = begrepp.MASK if mask_rad[rubrik] else formaterare[kolumnformat[rubrik]](data_rad[rubrik])
            delar.append(f"{rubrik.replace(' (kr)', '')}: {text}")
        k_rows.append({"kommunkod": k, "namn": namn(k)[0], "lan": namn(k)[1],
                       "varde": NAN if dolt((None, k)) else netto((None, k), matt),
                       "dolt": dolt((None, k)), "hover": "<br>".join(delar)})
    karta = pd.DataFrame(k_rows, columns=["kommunkod", "namn", "lan", "varde", "dolt", "hover"])
    sasong = pd.DataFrame({"manad": manader,
                           "varde": [NAN if dolt((m, None)) else (netto((m, None), matt) if any(
                               (m, None) in varden[s] for s in sidor) else NAN) for m in manader],
                           "dolt": [dolt((m, None)) for m in manader]})
    return KommunResultat(rangordning, manad_kommun, karta, sasong, matt_rubrik, riktning == begrepp.NETTO)


# --- the page's model ------------------------------------------------------------------------


def matt_val(riktning: str) -> list[str]:
    """The measures the map can be coloured by: persons not for netto (persons of two directions do not subtract)."""
    return [m for m in KOMMUN_MATT if not (riktning == begrepp.NETTO and m == "antal_personer")]


MATT_HJALP = "Personer finns inte som netto: våra invånare och andra kommuners invånare är olika personer."
SASONG_TEXT = ("Tom ruta: inga besök. .. = dolt i den öppna vyn. Raden Totalt i tabellen nedan visar säsongen för "
               "alla kommuner tillsammans.")


@dataclass(frozen=True)
class VistelsekommunerVy:
    tomt: str | None  # the selection has no visits in the direction: the page says so and stops
    antagande: str | None = None  # revenue priced by our own rates
    bildtext: str = ""
    ofullstandigt: str | None = None  # the year lacks a month
    karta: go.Figure | None = None
    karta_text: str = ""
    rangordning: Tabellvy | None = None
    varning: str | None = None  # visits without a rate in force
    sasong_rubrik: str = ""
    sasong_alla: go.Figure | None = None  # all kommuner per month
    sasong: go.Figure | None = None  # month × kommun heatmap
    karta_diagramtext: diagram_grund.Diagramtext | None = None  # the charts' summaries and numbers
    sasong_alla_text: diagram_grund.Diagramtext | None = None
    sasong_text: diagram_grund.Diagramtext | None = None
    manad_kommun: Tabellvy | None = None


def vistelsekommuner(s: Sammanhang, f: Filter, riktning: str, matt: str) -> VistelsekommunerVy:
    rader = s.fraga("vistelsekommuner/per_manad_kommun", f.params("alla"))
    if rader.loc[rader["riktning"].isin(["kostnad", "intakt"] if riktning == begrepp.NETTO else [riktning])].empty:
        return VistelsekommunerVy(tomt="Inga besök i urvalet.")
    kommuner = referens.kommuner()
    res = kommun_tabeller(rader, riktning=riktning, matt=matt, oppen_vy=s.oppen_vy, smatal_grans=s.smatal_grans,
                          kommuner=kommuner, ar=f.ar)
    antagande = s.intakt_antagande(f, f.ar) if riktning in ("intakt", begrepp.NETTO) else None
    motpart = "bosättningskommun" if riktning == "intakt" else "vistelsekommun"
    bildtext = (f"{f.beskrivning()}. Varje kommun färgas efter {res.matt_rubrik.lower()} för hela året, som "
                f"{motpart}{' (kostnader) eller bosättningskommun (intäkter)' if riktning == begrepp.NETTO else ''}. "
                + NEUTRAL_NOTE)
    meta = metadata(f.beskrivning(), s.oppen_vy, f.sista_datum, s.demodata,
                    Visning=f"{begrepp.RIKTNINGAR_MED_NETTO[riktning]}; {res.matt_rubrik}")
    # a year lacking a month is incomplete wherever its total is shown or exported (issue 11)
    ofullstandigt = None
    if text := s.ofullstandigt_ar(f):
        ofullstandigt = f"{f.ar}: {text}. Årets belopp är det registrerade."
        meta["Ofullständigt år"] = f"{f.ar}: {text}"
    dolda = int(res.karta["dolt"].sum())
    karta_text = ((f"Mörkgrå: {dolda} kommuner vars uppgifter är dolda (..) i den öppna vyn. " if dolda else "")
                  + "Ljusgrå: inga besök.")
    enhet = "" if "(kr)" not in res.matt_rubrik else "kr"
    matt_ord = res.matt_rubrik.replace(" (kr)", "").lower()
    utan = res.rangordning.antal_utan_niva
    varning = (f"{utan} besök saknar en ersättningsnivå som gällde besöksdagen. Deras kostnad saknas i summorna "
               "(den räknas inte som noll).") if utan else None
    mk = res.manad_kommun
    return VistelsekommunerVy(
        tomt=None, antagande=antagande, bildtext=bildtext, ofullstandigt=ofullstandigt,
        karta=diagram_analys.karta(res.karta, kommuner, referens.geojson_path(), res.matt_rubrik, res.divergerande),
        karta_text=karta_text, rangordning=tabellvy(res.rangordning, meta), varning=varning,
        sasong_rubrik=f"Säsong: {res.matt_rubrik.lower()} per månad och kommun, {f.ar}",
        sasong_alla=diagram_analys.per_manad(res.sasong, "varde", f"Alla kommuner per månad, {f.ar}", res.matt_rubrik,
                                             f.till_manad),
        sasong=diagram_analys.manad_kommun(mk.tabell.data, mk.tabell.mask, res.matt_rubrik, res.divergerande),
        manad_kommun=tabellvy(mk, meta),
        karta_diagramtext=diagram_grund.beskriv(
            f"Karta över Sveriges kommuner färgade efter {matt_ord}, {f.ar}",
            diagram_analys.karta_punkter(res.karta), enhet=enhet, kategori="Kommun",
            extra=f"Övriga {len(kommuner) - len(res.karta)} kommuner har inga besök."),
        sasong_alla_text=diagram_grund.beskriv(
            f"Stapeldiagram: alla kommuner, {matt_ord} per månad, {f.ar}",
            diagram_analys.per_manad_punkter(res.sasong, "varde", f.till_manad), enhet=enhet, saknas_text="inga besök"),
        sasong_text=diagram_grund.beskriv(
            f"Värmekarta: {matt_ord} per månad och kommun, {f.ar}",
            diagram_analys.manad_kommun_punkter(mk.tabell.data, mk.tabell.mask), enhet=enhet, kategori="Kommun",
            saknas_text="inga besök", namnform="{kategori} {serie}"))
