"""Beslutsstöd för socialnämnden – entry point: page setup, navigation and the shared filters."""

import streamlit as st

from beslutsstod import datastatus, settings, ui

st.set_page_config(page_title="Beslutsstöd för socialnämnden", page_icon=str(settings.REPO_ROOT / "assets" / "ikon.png"), layout="wide")

# An import killed mid-way is finished from its journal (or forgotten) and logged before any query.
datastatus.aterstall_om_avbruten(settings.data_dir())
# Builds the demo data on first start when data/ holds no extracts and nothing was ever imported.
data_klar = ui.data_ready()

avsnitt = {
    "Överblick": [
        st.Page("sidor/oversikt.py", title="Översikt", icon=":material/dashboard:", url_path="oversikt", default=True),
    ],
    "Analys": [
        st.Page("sidor/kostnader.py", title="Kostnader över år", icon=":material/trending_up:", url_path="kostnader"),
        st.Page("sidor/utforare.py", title="Utförare", icon=":material/groups:", url_path="utforare"),
        st.Page("sidor/vistelsekommuner.py", title="Vistelsekommuner", icon=":material/map:", url_path="vistelsekommuner"),
    ],
    "Uppföljning": [
        st.Page("sidor/manadsuppfoljning.py", title="Månadsuppföljning", icon=":material/event_note:",
                url_path="manadsuppfoljning"),
        st.Page("sidor/fakturakontroll.py", title="Fakturakontroll", icon=":material/receipt_long:",
                url_path="fakturakontroll"),
    ],
    "Beslutsunderlag": [
        st.Page("sidor/simulator.py", title="Vad händer om?", icon=":material/calculate:", url_path="simulator"),
        st.Page("sidor/kartlaggning.py", title="Kartläggning", icon=":material/travel_explore:", url_path="kartlaggning"),
        st.Page("sidor/insatsmodell.py", title="Ny ersättningsmodell", icon=":material/assignment:",
                url_path="insatsmodell"),
    ],
    "Data": [
        st.Page("sidor/data.py", title="Data", icon=":material/upload_file:", url_path="data"),
    ],
}
sidor = [sida for sidor_i_avsnitt in avsnitt.values() for sida in sidor_i_avsnitt]
if data_klar:
    navigation = st.navigation(avsnitt)
    st.session_state["_filter"] = ui.sidebar_filters()
else:
    # Imports have begun but not all five tables are in place: the other pages and the sidebar
    # filters need every table, so only the Data page is offered until the rest is imported.
    # Every page stays registered (hidden), so that /data keeps its address and the start page and
    # old links lead to it; a direct link to another page shows Streamlit's "Page not found" first.
    navigation = st.navigation(avsnitt, position="hidden")
    if navigation.url_path != "data":
        st.switch_page(next(s for s in sidor if s.url_path == "data"))
    saknas = datastatus.saknade_tabeller(settings.data_dir())
    st.warning(f"Extrakten är ofullständiga: {', '.join(saknas)} saknas. Importera "
               f"{'den' if len(saknas) == 1 else 'dem'} nedan; övriga sidor visas när alla fem tabellerna finns.",
               icon=":material/warning:")
navigation.run()
