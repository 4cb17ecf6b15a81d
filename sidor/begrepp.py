"""Begrepp: the glossary, for every role. The terms and their explanations are data in
beslutsstod/begrepp.py (ORDLISTA); help texts link to a term as begrepp#<ankare>."""

import streamlit as st

from beslutsstod import begrepp, ui

st.title("Begrepp")
ui.demo_banner()
st.caption(begrepp.ORDLISTA_INLEDNING)
termer = begrepp.ordlista()
# an index of in-page links; the product's own words, so Markdown is safe here
st.markdown(" · ".join(f"[{b.term}](#{b.ankare})" for b in termer))
for b in termer:
    st.subheader(b.term, anchor=b.ankare)
    st.markdown(b.forklaring)
