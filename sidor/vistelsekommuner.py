"""Vistelsekommuner: a map of Sweden, a ranking and the month × kommun season, for costs, revenues or netto."""

import streamlit as st

from beslutsstod import installningar, ui
from beslutsstod.data import db, referens
from beslutsstod.diagram import analys as diagram_analys
from beslutsstod.vyer import analys

RIKTNINGAR = {**ui.RIKTNINGAR, **analys.RIKTNING_NETTO}


f = ui.filters()
st.title("Vistelsekommuner")
ui.demo_banner()
riktning = st.radio("Visa", list(RIKTNINGAR), format_func=RIKTNINGAR.get, horizontal=True,
                    key="vistelse_riktning", bind="query-params")
matt_val = [m for m in analys.KOMMUN_MATT if not (riktning == analys.NETTO and m == "antal_personer")]
matt = st.radio("Färga efter", matt_val, format_func=lambda m: analys.KOMMUN_MATT[m][0], horizontal=True,
                key="vistelse_matt", bind="query-params",
                help="Personer finns inte som netto: våra invånare och andra kommuners invånare är olika personer.")

rader = ui.run("vistelsekommuner/per_manad_kommun", f.params("alla"))
if rader.loc[rader["riktning"].isin(["kostnad", "intakt"] if riktning == analys.NETTO else [riktning])].empty:
    st.info("Inga besök i urvalet.")
    st.stop()
oppen, grans = ui.oppen_vy(), ui.smatal_grans()
res = analys.kommun_tabeller(rader, riktning=riktning, matt=matt, oppen_vy=oppen, grans=grans,
                             kommuner=referens.kommuner(), ar=f.ar)
if riktning in ("intakt", analys.NETTO) and (antagande := ui.intakt_antagande(f, f.ar)):
    st.caption(antagande)
motpart = "bosättningskommun" if riktning == "intakt" else "vistelsekommun"
st.caption(f"{f.beskrivning()}. Varje kommun färgas efter {res.matt_rubrik.lower()} för hela året, som "
           f"{motpart}{' (kostnader) eller bosättningskommun (intäkter)' if riktning == analys.NETTO else ''}. "
           + analys.NEUTRAL_NOTE)
meta = analys.metadata(f.beskrivning(), oppen, f.sista_datum, db.demo_info(installningar.extracts_dir()) is not None,
                       Visning=f"{RIKTNINGAR[riktning]}; {res.matt_rubrik}")
# a year lacking a month is incomplete wherever its total is shown or exported (issue 11)
if ofullstandigt := ui.ofullstandigt_ar(f):
    st.caption(f"{f.ar}: {ofullstandigt}. Årets belopp är det registrerade.")
    meta["Ofullständigt år"] = f"{f.ar}: {ofullstandigt}"
karta, rangordning = st.columns([2, 3], gap="medium")
with karta:
    st.plotly_chart(diagram_analys.karta(res.karta, referens.kommuner(), referens.geojson_path(), res.matt_rubrik,
                                        res.divergerande), key="vistelse_karta", config={"scrollZoom": True})
    dolda = int(res.karta["dolt"].sum())
    st.caption((f"Mörkgrå: {dolda} kommuner vars uppgifter är dolda (..) i den öppna vyn. " if dolda else "")
               + "Ljusgrå: inga besök.")
with rangordning:
    st.subheader("Rangordning")
    ui.visa_tabell(res.rangordning, meta, "vistelse_rangordning")
if res.rangordning.antal_utan_niva:
    st.warning(f"{res.rangordning.antal_utan_niva} besök saknar en ersättningsnivå som gällde besöksdagen. Deras "
               "kostnad saknas i summorna (den räknas inte som noll).")

st.subheader(f"Säsong: {res.matt_rubrik.lower()} per månad och kommun, {f.ar}")
mk = res.manad_kommun
st.plotly_chart(diagram_analys.per_manad(res.sasong, "varde", f"Alla kommuner per månad, {f.ar}", res.matt_rubrik),
                key="vistelse_sasong_alla")
st.plotly_chart(diagram_analys.manad_kommun(mk.tabell.data, mk.tabell.mask, res.matt_rubrik, res.divergerande),
                key="vistelse_sasong")
st.caption("Tom ruta: inga besök. .. = dolt i den öppna vyn. Raden Totalt i tabellen nedan visar säsongen för "
           "alla kommuner tillsammans.")
with st.expander("Tabell: månad × kommun, med summor"):
    ui.visa_tabell(mk, meta, "vistelse_sasong_tabell")
