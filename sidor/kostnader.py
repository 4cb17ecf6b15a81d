"""Kostnader över år: cost, hours and cost per hour per year, per insats or regi, in current or fixed prices."""

import streamlit as st

from beslutsstod import begrepp, ui
from beslutsstod.regler.opi import RIMLIGT_OPI
from beslutsstod.vyer import kostnader

f = ui.filters()
s = ui.sammanhang()
st.title("Kostnader över år")
ui.demo_banner()
riktning = st.radio("Visa", list(begrepp.RIKTNINGAR_MED_NETTO), format_func=begrepp.RIKTNINGAR_MED_NETTO.get, horizontal=True,
                    key="kostnader_riktning", bind="query-params")
vanster, hoger = st.columns(2)
dimension = vanster.radio("Dela upp", list(kostnader.DIMENSIONER), format_func=kostnader.DIMENSIONER.get,
                          horizontal=True, key="kostnader_dela", bind="query-params")
prisniva = hoger.radio("Prisnivå", list(kostnader.PRISNIVAER), format_func=kostnader.PRISNIVAER.get,
                       horizontal=True, key="kostnader_pris", bind="query-params",
                       help="Fasta priser räknar om varje års kronor till basårets prisnivå med omsorgsprisindex "
                            "(OPI, SKR), så att förändringen visar volym och inte prisökning. "
                            f"{begrepp.lank('fasta-priser', 'Om fasta priser')}.")

val = kostnader.valbara(s, f)
if val.tomt:
    st.info("Inga besök i urvalet.")
    st.stop()

basar, antaganden = None, {}
if prisniva == "fasta":
    basar = st.selectbox("Basår (prisnivå)", val.ar_lista[::-1], key="kostnader_basar", bind="query-params",
                         index=val.ar_lista[::-1].index(val.standard_basar),
                         help="Förvalt är det senaste år vars OPI är publicerat: då räknas tidigare år om med "
                              "publicerade värden.")
    if saknade := kostnader.opi_saknas(val, basar):
        st.warning(kostnader.opi_varning(saknade), icon=":material/help:")
        kolumner = st.columns(4)
        for i, ar in enumerate(saknade):
            with kolumner[i % 4]:
                varde = ui.tal_input(f"Antaget OPI {ar} (%)", f"kostnader_opi_{ar}", rimligt=RIMLIGT_OPI,
                                     placeholder="saknas", tomt_ok=True, bind="query-params")
            antaganden[ar] = float(varde) if varde is not None else None

vy = kostnader.kostnader(s, f, val, riktning, dimension, basar, antaganden)
if vy.opi is not None:
    with st.expander(vy.opi_rubrik, expanded=vy.opi_oppen):
        st.caption(kostnader.OPI_TEXT)
        ui.visa_tabell(vy.opi, "kostnader_opi")
ui.visa_diagram(vy.per_ar, vy.per_ar_text, key="kostnader_per_ar")
if vy.per_timme is not None:
    ui.visa_diagram(vy.per_timme, vy.per_timme_diagramtext, key="kostnader_per_timme")
else:
    st.caption(vy.per_timme_text)

st.subheader("Tabell")
st.caption(vy.bildtext)
if vy.antagande:
    st.caption(vy.antagande)
ui.visa_tabell(vy.tabell, "kostnader_tabell")
if vy.varning:
    st.warning(vy.varning)
