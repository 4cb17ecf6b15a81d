"""Fakturakontroll: invoiced against expected per payee, insats and month; a worklist with the visits behind it."""

import streamlit as st

from beslutsstod import installningar, ui
from beslutsstod.dokument import tabellfil
from beslutsstod.vyer import fakturakontroll as fk

f = ui.filters()
st.title("Fakturakontroll")
ui.demo_banner()
st.caption(fk.caption(f))

kolumner = st.columns([1, 1, 1.2])
with kolumner[0]:
    tolerans_kr = ui.tal_input(
        "Tolerans (kr)", "fakturakontroll_tolerans_kr", rimligt=(0, 1_000_000), enhet="kr", standard=fk.TOLERANS_KR,
        bind="query-params", help="En avvikelse per utförare, insats och månad som är mindre än detta belopp tas inte upp.")
with kolumner[1]:
    tolerans_procent = ui.tal_input(
        "Tolerans (%)", "fakturakontroll_tolerans_procent", rimligt=(0, 100), standard=fk.TOLERANS_PROCENT,
        bind="query-params",
        help="En avvikelse som är en mindre andel av det förväntade beloppet tas inte upp. Samma andel gäller för "
             "flaggorna Annan ersättningsnivå (per besök) och Fler timmar än beviljat (per person och månad).")
if tolerans_kr is None or tolerans_procent is None:
    st.stop()  # an unreadable or unconfirmed tolerance is never used (the reason is shown above)
visa = kolumner[2].radio("Visa", list(fk.VISA), format_func=fk.VISA.get, key="fakturakontroll_visa",
                         bind="query-params", horizontal=True)
flaggor = st.multiselect(
    "Flaggor som sätter en rad på listan", list(fk.FLAGGOR), default=list(fk.FLAGGOR),
    format_func=lambda k: fk.FLAGGOR[k].etikett, key="fakturakontroll_flaggor", bind="query-params")

s = ui.sammanhang()
vy = fk.fakturakontroll(s, f, float(tolerans_kr), float(tolerans_procent), visa, flaggor,
                        installningar.get("momskompensation_procent"))
if vy.tomt:
    st.info(vy.tomt)
    st.stop()

for kolumn, kort in zip(st.columns(3) + st.columns(3), vy.nyckeltal):
    kolumn.metric(kort.etikett, kort.varde, help=kort.hjalp, border=True)

with st.expander("Så räknas det och vad flaggorna betyder"):
    st.markdown(vy.forklaring)
    st.markdown(vy.flaggor)

# the payee stays in view while scrolling sideways; the reasons get room
KOLUMNINSTALLNING = {"Utförare": st.column_config.TextColumn(pinned=True),
                     "Orsaker": st.column_config.TextColumn(width="large")}
st.subheader(vy.rubrik)
if vy.inga_rader:
    st.success(vy.inga_rader)
else:
    st.dataframe(vy.tabell, hide_index=True, key="fakturakontroll_lista", column_config=KOLUMNINSTALLNING)
    ui.utskriftstabell(vy.tabell, "fakturakontroll_lista")  # print (README, Tillgänglighet)
    ui.nedladdning("Ladda ned listan (.xlsx)", vy.xlsx, file_name=vy.xlsx_filnamn, mime=tabellfil.XLSX_MIME,
                   icon=":material/download:", key="fakturakontroll_ladda_lista")

st.subheader("Underlag per utförare")
vald = st.selectbox("Utförare", vy.utforare, format_func=vy.utforare_namn.get, key="fakturakontroll_utforare")
alla_besok = False if s.oppen_vy else st.toggle("Visa även besök utan avvikelse", key="fakturakontroll_alla_besok")
u = fk.underlag(s, f, vy, vald, alla_besok)
if u.tabell is not None:
    st.dataframe(u.tabell, hide_index=True, key="fakturakontroll_utforare_rader", column_config=KOLUMNINSTALLNING)
    ui.utskriftstabell(u.tabell, "fakturakontroll_utforare_rader")
if u.skyddad:
    st.info(u.skyddad, icon=":material/lock:")
for etikett, besok in u.rader:
    with st.expander(etikett):
        st.dataframe(besok, hide_index=True, column_config={"Orsak": st.column_config.TextColumn(width="medium")})
if u.xlsx:
    ui.nedladdning(
        u.xlsx_etikett, u.xlsx, file_name=u.xlsx_filnamn, mime=tabellfil.XLSX_MIME, icon=":material/download:",
        key="fakturakontroll_ladda_underlag",
        help="Besöken med avvikelse eller flagga (alla besök om du valt det ovan), med besöks-id och orsak, "
             "att skicka till utföraren. Personer anges bara med pseudonym.")
