"""Beslutsstöd för socialnämnden – entry point: page setup, navigation and the shared filters."""

import streamlit as st

from beslutsstod import behorighet, installningar, ui
from beslutsstod.data import datastatus

st.set_page_config(page_title=ui.TITEL, page_icon=str(installningar.REPO_ROOT / "assets" / "ikon.png"), layout="wide")
ui.utseende()  # stylesheet and lang="sv" on every screen, the sign-in screen too (README, Tillgänglighet)

# Access first, before any data is read (README, Säkerhet).
if not ui.auth_konfigurerad() and not ui.lyssnar_lokalt():
    st.title("Beslutsstöd för socialnämnden")
    st.error(behorighet.OSAKER_ADRESS_TEXT.format(adress=st.get_option("server.address") or "alla nätverkskort"),
             icon=":material/lock:")
    st.stop()
anvandare = ui.anvandare()
if anvandare is None:
    st.title("Beslutsstöd för socialnämnden")
    st.markdown("Uppgifterna gäller enskilda personer och visas bara för inloggade. Logga in med ditt konto i "
                "kommunen.")
    st.button("Logga in", on_click=st.login, type="primary", icon=":material/login:", key="logga_in")
    st.stop()
meny_plats = st.sidebar.container()  # the menu (ui.meny) comes first in the sidebar, drawn once the pages are known
with st.sidebar:
    st.text(anvandare.namn)  # from the ID token: shown as text, never as Markdown
    st.caption(f"Roll: {behorighet.ROLL_NAMN.get(anvandare.roll, 'ingen')}")
    if not anvandare.lokal:
        st.button("Logga ut", on_click=st.logout, icon=":material/logout:", key="logga_ut")
if anvandare.roll is None:
    st.title("Du saknar behörighet")
    st.error("Du är inloggad men saknar behörighet till beslutsstödet: ditt konto tillhör ingen av de grupper som "
             "ger en roll (läsare, tjänsteperson eller förvaltare). Kontakta den som förvaltar beslutsstödet.",
             icon=":material/block:")
    st.stop()
# An import killed mid-way is finished from its journal (or forgotten) and logged before any query.
datastatus.aterstall_om_avbruten(installningar.data_dir())


def ingen_behorighet() -> None:
    """A page the role may not use: reached by a direct link, it shows no data."""
    st.title("Du saknar behörighet")
    st.error(f"Du saknar behörighet till den här sidan med rollen {behorighet.ROLL_NAMN[anvandare.roll].lower()}. "
             "Välj en sida i menyn.", icon=":material/block:")
# Builds the demo data on first start when data/ holds no extracts and nothing was ever imported.
data_klar = ui.data_ready()

avsnitt = {
    "Överblick": [
        # The start page "/" (a default page's address is always ""; its url_path only names it) …
        st.Page("sidor/oversikt.py", title="Översikt", icon=":material/dashboard:", url_path="start", default=True),
        # … and the same page at its own address /oversikt (hidden: the menu links to "/").
        st.Page("sidor/oversikt.py", title="Översikt", url_path="oversikt", visibility="hidden"),
        st.Page("sidor/begrepp.py", title="Begrepp", icon=":material/menu_book:", url_path="begrepp"),
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
# A page the role may not use is absent from the menu; its address stays registered (hidden) and
# shows "Du saknar behörighet", so a direct link neither 404s nor shows data.
def sidans_adress(sida: st.Page) -> str:
    return sida.url_path or "oversikt"  # the default page's url_path reads "" (it is also the start page)


avsnitt = {namn: [sida if behorighet.far_se_sida(anvandare.roll, sidans_adress(sida)) else
                  st.Page(ingen_behorighet, title="Du saknar behörighet", url_path=sidans_adress(sida),
                          visibility="hidden")
                  for sida in sidor_i_avsnitt] for namn, sidor_i_avsnitt in avsnitt.items()}
sidor = [sida for sidor_i_avsnitt in avsnitt.values() for sida in sidor_i_avsnitt]
if not data_klar and anvandare.roll != behorighet.FORVALTARE:
    st.title("Beslutsstöd för socialnämnden")
    st.info("Uppgifterna håller på att läsas in och visas när alla tabeller finns. Kontakta förvaltaren av "
            "beslutsstödet.", icon=":material/hourglass_top:")
    st.stop()
# Streamlit's own menu is hidden (its section headings sit inside its list: axe `list`/`listitem`);
# ui.meny draws the same pages as links under the same headings.
navigation = st.navigation(avsnitt, position="hidden")
ui.sidtitel(navigation.title)
fore = ui.adressens_varden()  # the link's values before the widgets accept or reset them
if data_klar:
    ui.meny({namn: [s for s in sidor_i_avsnitt if s.visibility == "visible"] for namn, sidor_i_avsnitt in avsnitt.items()},
            meny_plats)
    if behorighet.far_se_sida(anvandare.roll, navigation.url_path or "oversikt"):
        st.session_state["_filter"] = ui.sidebar_filters()
else:
    # Imports have begun but not all five tables are in place: the other pages and the sidebar
    # filters need every table, so only the Data page is offered (no menu) until the rest is imported.
    # Every page stays registered (hidden), so that /data keeps its address and the start page and
    # old links lead to it.
    if navigation.url_path != "data":
        st.switch_page(next(s for s in sidor if s.url_path == "data"))
    saknas = datastatus.saknade_tabeller(installningar.data_dir())
    st.warning(f"Extrakten är ofullständiga: {', '.join(saknas)} saknas. Importera "
               f"{'den' if len(saknas) == 1 else 'dem'} nedan; övriga sidor visas när alla fem tabellerna finns.",
               icon=":material/warning:")
try:
    navigation.run()
finally:
    # A value the link asked for that a widget did not accept is reset by Streamlit without a word:
    # say so under the page's title (ui.demo_banner leaves the place), until another page is opened.
    ui.lanknotis(fore, navigation.url_path or "oversikt")
