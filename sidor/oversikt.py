"""Översikt: the chosen year against the year before."""

import streamlit as st

from beslutsstod import begrepp, ui
from beslutsstod.vyer import oversikt

f = ui.filters()
st.title("Översikt")
ui.demo_banner()
riktning = st.radio("Visa", list(begrepp.RIKTNINGAR), format_func=begrepp.RIKTNINGAR.get, horizontal=True,
                    key="oversikt_riktning", bind="query-params")
vy = ui.modell(oversikt.oversikt, f, riktning)  # shared by sessions (ui.modell)

st.caption(vy.bildtext)
if vy.tomt:
    st.info(vy.tomt)
    st.stop()
if vy.ofullstandigt:
    st.caption(vy.ofullstandigt)
if vy.jamforelse:
    st.caption(vy.jamforelse)
# the cost card gets more room: a full year's cost in kronor is the widest figure
for kolumn, k in zip(st.columns([1.6] + [1] * (len(vy.kort) - 1)), vy.kort):
    kolumn.metric(k.etikett, k.varde, k.andring, delta_color="off", help=k.hjalp, border=True)
if vy.kort_fotnot:
    st.caption(vy.kort_fotnot)
if vy.antagande:
    st.caption(vy.antagande)
if vy.varning:
    st.warning(vy.varning)

if vy.per_manad is None:
    st.info(vy.per_manad_tomt)
else:
    ui.visa_diagram(vy.per_manad, vy.per_manad_text, key="oversikt_per_manad")
if vy.per_manad_fotnot:
    st.caption(vy.per_manad_fotnot)
if vy.saknas_text:
    st.caption(vy.saknas_text)
