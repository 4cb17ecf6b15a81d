"""Utförare: persons, visits, hours, cost and kr per utförd timme per provider and regi; one provider's months."""

import streamlit as st

from beslutsstod import begrepp, ui
from beslutsstod.vyer import utforare

f = ui.filters()
s = ui.sammanhang()
st.title("Utförare")
ui.demo_banner()
riktning = st.radio("Visa", list(begrepp.RIKTNINGAR), format_func=begrepp.RIKTNINGAR.get, horizontal=True,
                    key="utforare_riktning", bind="query-params")
val = utforare.valbara(s, f, riktning)
if val.tomt:
    st.info("Inga besök i urvalet.")
    st.stop()

if val.antagande:
    st.caption(val.antagande)
namn = val.utforare
vald = st.selectbox("Välj en utförare för att se dess månader", list(namn), index=None, format_func=namn.get,
                    placeholder="Ingen utförare vald", key="utforare_val", bind="query-params")
matt = st.radio("Rangordna efter", list(utforare.UTFORARE_MATT), horizontal=True,
                format_func=lambda m: utforare.matt_etikett(riktning, m), key="utforare_matt", bind="query-params")
vy = utforare.utforare(s, f, val, riktning, vald, matt)

ui.visa_diagram(vy.rangordning, vy.rangordning_diagramtext, key="utforare_rangordning")
st.caption(vy.rangordning_text)
if vy.ofullstandigt:
    st.caption(vy.ofullstandigt)
st.caption(vy.bildtext)
st.subheader("Per regi")
ui.visa_tabell(vy.per_regi, "utforare_regi_tabell")
st.subheader("Per utförare")
ui.visa_tabell(vy.per_utforare, "utforare_tabell")
if vy.varning:
    st.warning(vy.varning)

if vy.per_manad is not None:
    st.subheader(vy.per_manad.titel)
    ui.visa_diagram(vy.per_manad_diagram, vy.per_manad_diagramtext, key="utforare_manader")
    ui.visa_tabell(vy.per_manad, "utforare_manad_tabell")
