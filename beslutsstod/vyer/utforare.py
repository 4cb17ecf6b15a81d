"""Utförare: persons, visits, hours, cost and kr per utförd timme per provider and regi; one provider's months.

The page asks in two steps: ``valbara`` (the selection's providers, for the chooser, in the
order of the protected table), then ``utforare`` with the chosen provider and measure →
``UtforareVy``. Small-number protection over linked lines: the total = Σ regi subtotals; each
regi subtotal = Σ its utförare; the chosen utförare's year = Σ its months
(smatalsskydd.hide_in_lines). Colour or order never says good or bad: the page ranks by the
measure the user picks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from beslutsstod import begrepp
from beslutsstod import talformat as fmt
from beslutsstod.diagram import analys as diagram_analys
from beslutsstod.diagram import grund as diagram_grund
from beslutsstod.regler import smatalsskydd
from beslutsstod.vyer.tabell import (
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

UTFORARE_MATT = {
    "kostnad_kr": ("Kostnad (kr)", "kr"),
    "utford_timmar": ("Utförda timmar", "timmar"),
    "kr_per_utford_timme": (begrepp.KR_PER_UTFORD_TIMME, "kr"),
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
    "kr_per_utford_timme": (begrepp.KR_PER_UTFORD_TIMME, "kr"),
}


@dataclass(frozen=True)
class UtforareResultat:
    per_regi: Analystabell
    per_utforare: Analystabell
    per_manad: Analystabell | None  # the chosen utförare's months, when one is chosen
    utforare: dict[str, str]  # utforare_id → "namn (regi)" for the chooser, in table order
    dolda_utforare: set[str]


def _utforare_kolumner(rader: pd.DataFrame, etikett_kolumner: dict[str, list], dolt: Sequence[bool],
                       smatal_grans: int) -> tuple[smatalsskydd.MaskedTable, dict[str, str]]:
    data = pd.DataFrame(etikett_kolumner)
    for kolumn, (rubrik, _) in _UTFORARE_KOLUMNER.items():
        data[rubrik] = [tal(x) for x in rader[kolumn]]
    flaggor = {rubrik: dolt for rubrik, _ in _UTFORARE_KOLUMNER.values()}
    return maskerad_tabell(data, flaggor, smatal_grans), {r: k for r, k in _UTFORARE_KOLUMNER.values()}


def _utforare_nyckel(niva: str, regi: str | None, utforare_id: str | None) -> tuple:
    """The cell key of a row of queries/utforare/per_utforare in the protection lines."""
    return {"utforare": ("u", utforare_id), "regi": ("r", regi), "totalt": ("t", None)}[niva]


def utforare_tabeller(rader: pd.DataFrame, *, oppen_vy: bool, smatal_grans: int, regi_namn: Mapping[str, str],
                      vald: str | None = None, manader: pd.DataFrame | None = None,
                      ar: int | None = None) -> UtforareResultat:
    """Per regi, per utförare and (for `vald`) per month, from queries/utforare/*.sql, protected jointly.

    Lines: the total = Σ regi subtotals; each regi subtotal = Σ its utförare; the chosen
    utförare's year = Σ its months. Colour or order never says good or bad: the page ranks
    by the measure the user picks.
    """
    rader = rader.copy()
    rader["regi"] = objekt(rader["regi"])
    rader["utforare_id"] = objekt(rader["utforare_id"])
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
    dolda = smatalsskydd.hide_in_lines(personer, linjer, smatal_grans, oppen_vy=oppen_vy)

    def dolt(tabell_rader: pd.DataFrame) -> list[bool]:
        return [k in dolda for k in tabell_rader["nyckel"]]

    regi_rader = rader.loc[rader["niva"].isin(["regi", "totalt"])]
    regi_etiketter = [begrepp.TOTALT if n == "totalt" else regi_namn.get(r, str(r))
                      for n, r in zip(regi_rader["niva"], regi_rader["regi"])]
    regi_tabell, kf = _utforare_kolumner(regi_rader, {"Regi": regi_etiketter}, dolt(regi_rader), smatal_grans)

    # Within each regi: shown utförare by cost (the query's order), hidden ones after them by
    # name, so a hidden row's place in the order does not bound its value.
    regi_ordning = {r: i for i, r in enumerate(dict.fromkeys(detalj["regi"]))}
    detalj["_sortering"] = [(regi_ordning[r], k in dolda, str(n) if k in dolda else "", i) for i, (r, k, n) in
                            enumerate(zip(detalj["regi"], detalj["nyckel"], detalj["utforare_namn"]))]
    detalj = detalj.sort_values("_sortering").drop(columns="_sortering")
    u_rader = pd.concat([detalj, rader.loc[rader["niva"] == "totalt"]])
    u_tabell, _ = _utforare_kolumner(
        u_rader, {"Utförare": [str(n) for n in detalj["utforare_namn"]] + [begrepp.TOTALT] * (len(u_rader) - len(detalj)),
                  "Regi": [regi_namn.get(r, str(r)) for r in detalj["regi"]] + [""] * (len(u_rader) - len(detalj))},
        dolt(u_rader), smatal_grans)
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
        m_tabell, _ = _utforare_kolumner(man, {"Månad": etiketter}, dolt(man), smatal_grans)
        ar_manad = man["manad"].notna().to_numpy()
        m_diagram = m_tabell.data.loc[ar_manad].copy()
        m_diagram["manad"] = man.loc[ar_manad, "manad"].astype(int).to_numpy()
        m_diagram["dolt"] = m_tabell.mask.loc[ar_manad, "Kostnad (kr)"].to_numpy()
        vald_namn = detalj.loc[detalj["utforare_id"] == vald, "utforare_namn"]
        titel = f"{vald_namn.iloc[0] if len(vald_namn) else vald} per månad{arstext}"
        per_manad = Analystabell(titel, m_tabell, kf, m_diagram)
    return UtforareResultat(per_regi, per_utforare, per_manad, namn, {k[1] for k in dolda if k[0] == "u"})


def med_riktning(res: UtforareResultat, riktning: str) -> UtforareResultat:
    """The Utförare tables with the amount column named after the direction (Intäkt (kr) for revenue)."""
    ny = begrepp.belopp_rubrik(riktning)
    if ny == "Kostnad (kr)":
        return res

    def om(t: Analystabell | None) -> Analystabell | None:
        if t is None:
            return None
        namn = {"Kostnad (kr)": ny}
        tabell = smatalsskydd.MaskedTable(t.tabell.data.rename(columns=namn), t.tabell.mask.rename(columns=namn),
                                     t.tabell.smatal_grans)
        return Analystabell(t.titel, tabell, {namn.get(k, k): v for k, v in t.kolumnformat.items()},
                            t.diagram.rename(columns=namn), t.antal_utan_niva)

    return UtforareResultat(om(res.per_regi), om(res.per_utforare), om(res.per_manad), res.utforare,
                            res.dolda_utforare)


# --- the page's model ------------------------------------------------------------------------

MATT_FORMAT = {"kr": ",.0f", "timmar": ",.0f", "procent": ",.1f", "tal": ",.0f"}  # the ranking's axis


def matt_etikett(riktning: str, matt: str) -> str:
    """The measure's label: the amount follows the direction (Intäkt (kr) for revenue)."""
    return begrepp.belopp_rubrik(riktning) if matt == "kostnad_kr" else UTFORARE_MATT[matt][0]


@dataclass(frozen=True)
class Valbara:
    """The selection's providers: the chooser's options, and the tables without a chosen provider."""

    rader: pd.DataFrame  # queries/utforare/per_utforare
    tabeller: UtforareResultat | None  # None when the selection has no visits
    antagande: str | None  # revenue priced by our own rates

    @property
    def tomt(self) -> bool:
        return self.tabeller is None

    @property
    def utforare(self) -> dict[str, str]:
        """utforare_id → name, in the protected table's order (hidden ones after the shown of their regi)."""
        return self.tabeller.utforare if self.tabeller else {}


def valbara(s: Sammanhang, f: Filter, riktning: str) -> Valbara:
    rader = s.fraga("utforare/per_utforare", f.params(riktning))
    if rader.empty:
        return Valbara(rader, None, None)
    tabeller = utforare_tabeller(rader, oppen_vy=s.oppen_vy, smatal_grans=s.smatal_grans,
                                 regi_namn=begrepp.REGI_NAMN, ar=f.ar)
    return Valbara(rader, tabeller, s.intakt_antagande(f, f.ar) if riktning == "intakt" else None)


@dataclass(frozen=True)
class UtforareVy:
    rangordning: go.Figure  # providers by the chosen measure
    rangordning_text: str
    ofullstandigt: str | None  # the year lacks a month
    bildtext: str
    per_regi: Tabellvy
    per_utforare: Tabellvy
    varning: str | None  # visits without a rate in force
    per_manad_diagram: go.Figure | None  # the chosen provider's months
    per_manad: Tabellvy | None
    rangordning_diagramtext: diagram_grund.Diagramtext | None = None  # the charts' summaries and numbers
    per_manad_diagramtext: diagram_grund.Diagramtext | None = None


def utforare(s: Sammanhang, f: Filter, v: Valbara, riktning: str, vald: str | None, matt: str) -> UtforareVy:
    """Everything the page shows below the chooser; `vald` the chosen utforare_id (or None)."""
    if vald is None:
        res = v.tabeller
    else:  # the chosen provider's month line joins the protected lines
        manader = s.fraga("utforare/per_manad", {**f.params(riktning), "utforare_id": vald})
        res = utforare_tabeller(v.rader, oppen_vy=s.oppen_vy, smatal_grans=s.smatal_grans,
                                regi_namn=begrepp.REGI_NAMN, vald=vald, manader=manader, ar=f.ar)
    res = med_riktning(res, riktning)
    belopp = begrepp.belopp_rubrik(riktning)
    rubrik, slag = matt_etikett(riktning, matt), UTFORARE_MATT[matt][1]
    u_diagram = res.per_utforare.diagram
    u_dolda = res.per_utforare.tabell.mask[rubrik].iloc[: len(u_diagram)].set_axis(u_diagram.index)
    rang_titel = f"Utförare efter {rubrik[0].lower() + rubrik[1:]}, {f.ar}"
    rangordning = diagram_analys.rangordning(u_diagram, "Utförare", rubrik, rang_titel,
                                             MATT_FORMAT[slag], markerad=vald, id_kolumn="utforare_id", dolda=u_dolda)
    decimaler = 1 if slag == "procent" else 0
    rangordning_diagramtext = diagram_grund.beskriv(
        f"Liggande stapeldiagram: {rang_titel[0].lower()}{rang_titel[1:]}",
        diagram_analys.rangordning_punkter(u_diagram, "Utförare", rubrik, u_dolda), kategori="Utförare",
        format_=lambda v: fmt.fmt_tal(v, decimaler) + {"kr": " kr", "procent": " %", "timmar": " h"}.get(slag, ""))
    dolda = len(res.dolda_utforare)
    rangordning_text = NEUTRAL_NOTE + " Ordningen följer det valda måttet." + (
        f" {dolda} utförare har dolda uppgifter (..) i den öppna vyn: de visas som randiga staplar." if dolda else "")

    meta = metadata(f.beskrivning(), s.oppen_vy, f.sista_datum, s.demodata, Visning=begrepp.RIKTNINGAR[riktning])
    # a year lacking a month is incomplete wherever its total is shown or exported (issue 11)
    ofullstandigt = None
    if text := s.ofullstandigt_ar(f):
        ofullstandigt = f"{f.ar}: {text}. Årets belopp är det registrerade."
        meta["Ofullständigt år"] = f"{f.ar}: {text}"
    bildtext = (f"{f.beskrivning()}. Utförd tid av beviljad = utförda timmar / beviljade timmar. "
                f"{begrepp.KR_PER_UTFORD_TIMME} = beräknad {'intäkt' if riktning == 'intakt' else 'kostnad'} / "
                "utförda timmar för besök med en ersättningsnivå. – = uppgift saknas.")
    utan = res.per_regi.antal_utan_niva
    varning = (f"{utan} besök saknar en ersättningsnivå som gällde besöksdagen. Deras kostnad saknas i summorna "
               "(den räknas inte som noll).") if utan else None
    per_manad_diagram = per_manad = per_manad_diagramtext = None
    if res.per_manad is not None:
        m_titel = f"{belopp.split(' (')[0]} per månad, {f.ar}"
        per_manad_diagram = diagram_analys.per_manad(res.per_manad.diagram, belopp, m_titel)
        per_manad_diagramtext = diagram_grund.beskriv(
            f"Stapeldiagram: den valda utförarens {belopp.split(' (')[0].lower()} per månad, {f.ar}",
            diagram_analys.per_manad_punkter(res.per_manad.diagram, belopp), saknas_text="inga besök")
        per_manad = tabellvy(res.per_manad, meta)
    return UtforareVy(rangordning, rangordning_text, ofullstandigt, bildtext, tabellvy(res.per_regi, meta),
                      tabellvy(res.per_utforare, meta), varning, per_manad_diagram, per_manad,
                      rangordning_diagramtext, per_manad_diagramtext)
