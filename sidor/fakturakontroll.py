"""Fakturakontroll: invoiced against expected per payee, insats and month; a worklist with the visits behind it."""

import streamlit as st

from beslutsstod import installningar, ui
from beslutsstod import talformat as fmt
from beslutsstod.data import db
from beslutsstod.dokument import tabellfil
from beslutsstod.vyer import fakturakontroll as fk

f = ui.filters()
st.title("Fakturakontroll")
ui.demo_banner()
st.caption(f"Fakturor från vistelsekommuner och privata utförare för våra invånare, {f.ar}. {f.beskrivning()}.")

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
             "flaggorna Annat timpris (per besök) och Fler timmar än beviljat (per person och månad).")
if tolerans_kr is None or tolerans_procent is None:
    st.stop()  # an unreadable or unconfirmed tolerance is never used (the reason is shown above)
visa = kolumner[2].radio("Visa", ["granska", "alla"], format_func={"granska": "Att granska", "alla": "Alla rader"}.get,
                         key="fakturakontroll_visa", bind="query-params", horizontal=True)
flaggor = st.multiselect(
    "Flaggor som sätter en rad på listan", list(fk.FLAGGOR), default=list(fk.FLAGGOR),
    format_func=lambda k: fk.FLAGGOR[k].etikett, key="fakturakontroll_flaggor", bind="query-params")

params = f.params("kostnad", tolerans_procent=float(tolerans_procent), avrundning_kr=fk.AVRUNDNING_KR)
rader = ui.run("fakturakontroll/arbetslista", params)
if rader.empty:
    st.info("Inga besök hos vistelsekommuner eller privata utförare i urvalet.")
    st.stop()
lista = fk.arbetslista(rader, float(tolerans_kr), float(tolerans_procent), flaggor)
s = fk.sammanfattning(lista)

for kolumn, (etikett, varde, hjalp) in zip(st.columns(3) + st.columns(3), [
    ("Fakturerat", fmt.fmt_kr(s.fakturerat_kr), "Summa av fakturerade belopp."),
    ("Förväntat", fmt.fmt_kr(s.forvantat_kr), "Samma besök med beslutade nivåer (besök utan nivå ingår inte)."),
    ("Avvikelse", fmt.fmt_andring_kr(s.avvikelse_kr), "Fakturerat − förväntat; positivt = fakturerat mer än förväntat, "
     f"{fmt.fmt_procent(s.avvikelse_procent, tecken=True)} av förväntat. Möjliga dubbletter ingår inte: de har egna "
     "förväntade belopp."),
    ("Rader att granska", f"{fmt.fmt_tal(s.rader_att_granska)} av {fmt.fmt_tal(s.rader)}",
     "En rad = utförare, insats och månad."),
    ("Ej fakturerade besök", fmt.fmt_tal(s.ej_fakturerade_besok),
     "Besök som ännu inte fakturerats. Visas inte som avvikelse."),
    ("Ej fakturerat, förväntat", fmt.fmt_kr(s.ej_fakturerat_forvantat_kr),
     "Förväntat belopp för de ej fakturerade besöken."),
]):
    kolumn.metric(etikett, varde, help=hjalp, border=True)

with st.expander("Så räknas det och vad flaggorna betyder"):
    st.markdown(fk.forklaring(installningar.get("momskompensation_procent")))
    st.markdown("\n".join(f"- **{flagga.etikett}**: {flagga.forklaring}" for flagga in fk.FLAGGOR.values()))

# the payee stays in view while scrolling sideways; the reasons get room
KOLUMNINSTALLNING = {"Utförare": st.column_config.TextColumn(pinned=True),
                     "Orsaker": st.column_config.TextColumn(width="large")}
visade = lista if visa == "alla" else lista.loc[lista["status"] == fk.STATUS_GRANSKA]
st.subheader("Arbetslista" if visa == "granska" else "Alla rader")
metadata = tabellfil.build_metadata(
    "Besöks- och fakturaextrakt; förväntat belopp enligt beslutade ersättningsnivåer",
    f"{f.beskrivning()}; tolerans {fmt.fmt_kr(tolerans_kr)} och {fmt.fmt_procent(tolerans_procent)}",
    ui.oppen_vy(), f.sista_datum, db.demo_info(installningar.extracts_dir()) is not None)
if visade.empty:
    st.success("Inga rader att granska med de valda toleranserna och flaggorna.")
else:
    st.dataframe(fk.visa_listtabell(visade), hide_index=True, key="fakturakontroll_lista",
                 column_config=KOLUMNINSTALLNING)
    ui.nedladdning(
        "Ladda ned listan (.xlsx)", lambda: tabellfil.to_xlsx(fk.listtabell(visade), titel=f"Fakturakontroll {f.ar}",
                                                         metadata=metadata, kolumnformat=fk.LISTA_FORMAT),
        file_name=f"fakturakontroll_{f.ar}.xlsx", mime=tabellfil.XLSX_MIME, icon=":material/download:",
        key="fakturakontroll_ladda_lista")

st.subheader("Underlag per utförare")
utforare = list(dict.fromkeys(visade["utforare_id"] if not visade.empty else lista["utforare_id"]))
namn = dict(zip(lista["utforare_id"], lista["utforare_namn"]))
vald = st.selectbox("Utförare", utforare, format_func=namn.get, key="fakturakontroll_utforare")
egna = visade.loc[visade["utforare_id"] == vald] if not visade.empty else lista.loc[lista["utforare_id"] == vald]
if ui.oppen_vy():
    st.dataframe(fk.visa_listtabell(egna), hide_index=True, key="fakturakontroll_utforare_rader",
                 column_config=KOLUMNINSTALLNING)
    st.info("Besöken bakom raderna visas bara i detaljvyn, som är för tjänstepersoner. Den skyddade vyn visar "
            "inga uppgifter om enskilda besök.", icon=":material/lock:")
else:
    alla_besok = st.toggle("Visa även besök utan avvikelse", key="fakturakontroll_alla_besok")
    besok = ui.run("fakturakontroll/besok", dict(params, utforare_id=vald, endast_avvikande=not alla_besok))
    for _, rad in egna.sort_values(["manad", "insats"]).iterrows():
        bakom = besok.loc[(besok["manad"] == rad["manad"]) & (besok["insats"] == rad["insats"])]
        with st.expander(f"{fk.radetikett(rad, f.ar)} (visar {fmt.fmt_tal(len(bakom))} besök)"):
            st.dataframe(fk.visa_besokstabell(bakom), hide_index=True,
                         column_config={"Orsak": st.column_config.TextColumn(width="medium")})
    ui.nedladdning(
        f"Underlag till {namn[vald]} (.xlsx)",
        lambda: tabellfil.to_xlsx(fk.besokstabell(besok), titel=f"Fakturakontroll {namn[vald]} {f.ar}",
                               metadata=metadata, kolumnformat=fk.BESOK_FORMAT),
        file_name=f"fakturakontroll_{vald}_{f.ar}.xlsx", mime=tabellfil.XLSX_MIME, icon=":material/download:",
        key="fakturakontroll_ladda_underlag",
        help="Besöken med avvikelse eller flagga (alla besök om du valt det ovan), med besöks-id och orsak, "
             "att skicka till utföraren. Personer anges bara med pseudonym.")
