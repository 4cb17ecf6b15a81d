"""Vistelsekommuner: a map of Sweden, a ranking and the month × kommun season, for costs, revenues or netto."""

import streamlit as st

from beslutsstod import begrepp, ui
from beslutsstod.vyer import vistelsekommuner

f = ui.filters()
st.title("Vistelsekommuner")
ui.demo_banner()
riktning = st.radio("Visa", list(begrepp.RIKTNINGAR_MED_NETTO), format_func=begrepp.RIKTNINGAR_MED_NETTO.get,
                    horizontal=True, key="vistelse_riktning", bind="query-params")
matt = st.radio("Färga efter", vistelsekommuner.matt_val(riktning),
                format_func=lambda m: vistelsekommuner.KOMMUN_MATT[m][0], horizontal=True, key="vistelse_matt",
                bind="query-params", help=vistelsekommuner.MATT_HJALP)

vy = ui.modell(vistelsekommuner.vistelsekommuner, f, riktning, matt)  # shared by sessions
if vy.tomt:
    st.info(vy.tomt)
    st.stop()
if vy.antagande:
    st.caption(vy.antagande)
st.caption(vy.bildtext)
if vy.ofullstandigt:
    st.caption(vy.ofullstandigt)
karta, rangordning = st.columns([2, 3], gap="medium")
with karta:
    ui.visa_diagram(vy.karta, vy.karta_diagramtext, key="vistelse_karta", config={"scrollZoom": True})
    st.caption(vy.karta_text)
with rangordning:
    st.subheader("Rangordning")
    ui.visa_tabell(vy.rangordning, "vistelse_rangordning")
if vy.varning:
    st.warning(vy.varning)

st.subheader(vy.sasong_rubrik)
ui.visa_diagram(vy.sasong_alla, vy.sasong_alla_text, key="vistelse_sasong_alla")
ui.visa_diagram(vy.sasong, vy.sasong_text, key="vistelse_sasong")
st.caption(vistelsekommuner.SASONG_TEXT)
with st.expander("Tabell: månad × kommun, med summor"):
    ui.visa_tabell(vy.manad_kommun, "vistelse_sasong_tabell")
