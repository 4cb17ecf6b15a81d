"""Utförare: persons, visits, hours, cost and kr per utförd timme per provider and regi; one provider's months."""

import streamlit as st

from beslutsstod import installningar, ui
from beslutsstod.data import db
from beslutsstod.diagram import analys as diagram_analys
from beslutsstod.vyer import analys

MATT_FORMAT = {"kr": ",.0f", "timmar": ",.0f", "procent": ",.1f", "tal": ",.0f"}


f = ui.filters()
st.title("Utförare")
ui.demo_banner()
riktning = st.radio("Visa", list(ui.RIKTNINGAR), format_func=ui.RIKTNINGAR.get, horizontal=True,
                    key="utforare_riktning", bind="query-params")
params = f.params(riktning)
rader = ui.run("utforare/per_utforare", params)
if rader.empty:
    st.info("Inga besök i urvalet.")
    st.stop()

if riktning == "intakt" and (antagande := ui.intakt_antagande(f, f.ar)):
    st.caption(antagande)
oppen, grans = ui.oppen_vy(), ui.smatal_grans()
namn = analys.utforare_tabeller(rader, oppen_vy=oppen, grans=grans, regi_namn=ui.REGIER).utforare
vald = st.selectbox("Välj en utförare för att se dess månader", list(namn), index=None, format_func=namn.get,
                    placeholder="Ingen utförare vald", key="utforare_val", bind="query-params")
manader = ui.run("utforare/per_manad", {**params, "utforare_id": vald}) if vald else None
res = analys.med_riktning(analys.utforare_tabeller(rader, oppen_vy=oppen, grans=grans, regi_namn=ui.REGIER,
                                                   vald=vald, manader=manader, ar=f.ar), riktning)
belopp = analys.belopp_rubrik(riktning)  # Kostnad (kr) or Intäkt (kr)

matt = st.radio("Rangordna efter", list(analys.UTFORARE_MATT), horizontal=True,
                format_func=lambda m: belopp if m == "kostnad_kr" else analys.UTFORARE_MATT[m][0],
                key="utforare_matt", bind="query-params")
rubrik, slag = analys.UTFORARE_MATT[matt]
rubrik = belopp if matt == "kostnad_kr" else rubrik
st.plotly_chart(diagram_analys.rangordning(res.per_utforare.diagram, "Utförare", rubrik,
                                          f"Utförare efter {rubrik[0].lower() + rubrik[1:]}, {f.ar}",
                                          MATT_FORMAT[slag], markerad=vald, id_kolumn="utforare_id"),
                key="utforare_rangordning")
dolda = len(res.dolda_utforare)
st.caption(analys.NEUTRAL_NOTE + " Ordningen följer det valda måttet." + (
    f" {dolda} utförare visas inte i diagrammet: deras uppgifter är dolda (..) i den öppna vyn." if dolda else ""))

meta = analys.metadata(f.beskrivning(), oppen, f.sista_datum, db.demo_info(installningar.extracts_dir()) is not None,
                       Visning=ui.RIKTNINGAR[riktning])
# a year lacking a month is incomplete wherever its total is shown or exported (issue 11)
if ofullstandigt := ui.ofullstandigt_ar(f):
    st.caption(f"{f.ar}: {ofullstandigt}. Årets belopp är det registrerade.")
    meta["Ofullständigt år"] = f"{f.ar}: {ofullstandigt}"
st.caption(f"{f.beskrivning()}. Utförd tid av beviljad = utförda timmar / beviljade timmar. Kr per utförd timme = "
           f"beräknad {'intäkt' if riktning == 'intakt' else 'kostnad'} / utförda timmar för besök med en "
           "ersättningsnivå. – = uppgift saknas.")
st.subheader("Per regi")
ui.visa_tabell(res.per_regi, meta, "utforare_regi_tabell")
st.subheader("Per utförare")
ui.visa_tabell(res.per_utforare, meta, "utforare_tabell")
if res.per_regi.antal_utan_niva:
    st.warning(f"{res.per_regi.antal_utan_niva} besök saknar en ersättningsnivå som gällde besöksdagen. Deras "
               "kostnad saknas i summorna (den räknas inte som noll).")

if res.per_manad is not None:
    st.subheader(res.per_manad.titel)
    st.plotly_chart(diagram_analys.per_manad(res.per_manad.diagram, belopp, f"{belopp.split(' (')[0]} per månad, {f.ar}"),
                    key="utforare_manader")
    ui.visa_tabell(res.per_manad, meta, "utforare_manad_tabell")
