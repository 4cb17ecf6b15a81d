"""Beslutsstöd för socialnämnden – entry point: page setup, navigation and the shared filters."""

import streamlit as st

from beslutsstod import ui

st.set_page_config(page_title="Beslutsstöd för socialnämnden", page_icon=":material/balance:", layout="wide")

ui.database()  # builds the demo data on first start when data/ holds no extracts

sidor = [
    st.Page("sidor/oversikt.py", title="Översikt", icon=":material/dashboard:", url_path="oversikt", default=True),
    st.Page("sidor/kostnader.py", title="Kostnader över år", icon=":material/trending_up:", url_path="kostnader"),
    st.Page("sidor/utforare.py", title="Utförare", icon=":material/groups:", url_path="utforare"),
    st.Page("sidor/vistelsekommuner.py", title="Vistelsekommuner", icon=":material/map:", url_path="vistelsekommuner"),
    st.Page("sidor/manadsuppfoljning.py", title="Månadsuppföljning", icon=":material/event_note:", url_path="manadsuppfoljning"),
    st.Page("sidor/simulator.py", title="Vad händer om?", icon=":material/calculate:", url_path="simulator"),
    st.Page("sidor/fakturakontroll.py", title="Fakturakontroll", icon=":material/receipt_long:", url_path="fakturakontroll"),
    st.Page("sidor/kartlaggning.py", title="Kartläggning", icon=":material/travel_explore:", url_path="kartlaggning"),
]
navigation = st.navigation(sidor)
st.session_state["_filter"] = ui.sidebar_filters()
navigation.run()
