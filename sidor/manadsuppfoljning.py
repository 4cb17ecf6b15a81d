"""Månadsuppföljning: utfall mot budget, helårsprognos och avvikelser, som nämndens rapporter visar dem."""

import streamlit as st

from beslutsstod import talformat as fmt
from beslutsstod import ui
from beslutsstod.dokument import pdf, tabellfil
from beslutsstod.regler import prognos
from beslutsstod.vyer import manadsuppfoljning

f = ui.filters()
st.title("Månadsuppföljning")
ui.demo_banner()

val_manad, val_metod = st.columns([1, 2])
manader = manadsuppfoljning.manader_att_valja(f.ar, f.sista_datum)
till = val_manad.selectbox("Till och med", manader, index=len(manader) - 1, key="manad_manad",
                           format_func=lambda m: fmt.manad_namn(m, lang=True), bind="query-params")
metod = val_metod.segmented_control("Prognosmetod", [prognos.SEASONAL, prognos.STRAIGHT_LINE],
                                    format_func=prognos.METHOD_NAME.get, default=prognos.SEASONAL, required=True,
                                    key="manad_metod", bind="query-params")

vy = ui.modell(manadsuppfoljning.manadsuppfoljning, f, till, metod)  # shared by sessions
if vy.tomt:
    st.info(vy.tomt)
    st.stop()

st.caption(vy.metodforklaring)
if vy.saknade_manader:
    st.warning(vy.saknade_manader, icon=":material/event_busy:")
if vy.utan_budget:
    st.info(vy.utan_budget)
if vy.utan_belopp:
    st.warning(vy.utan_belopp)

st.subheader(vy.rubrik)
st.markdown(vy.las_sa_har)
st.table(vy.tabell)  # the product's own labels (insats, regi, månad) and numbers
if vy.fotnot:
    st.caption(vy.fotnot)
with st.expander("Noter till tabellen", expanded=True):
    st.markdown(vy.noter)

nedladdningar = st.container(horizontal=True)
ui.nedladdning("Ladda ned tabellen (.xlsx)", vy.xlsx, file_name=vy.filnamn, mime=tabellfil.XLSX_MIME,
               key="manad_export", icon=":material/download:", plats=nedladdningar)
ui.nedladdning("Ladda ned tabellen (.pdf)", vy.pdf, file_name=vy.pdf_namn, mime=pdf.PDF_MIME,
               key="manad_pdf", icon=":material/picture_as_pdf:", plats=nedladdningar)

ui.visa_diagram(vy.diagram, vy.diagramtext, key="manad_diagram")

st.subheader("Hur bra har prognoserna varit?")
st.markdown(vy.prognosfel_text)
if vy.prognosfel_tabell is not None:
    st.dataframe(vy.prognosfel_tabell, height="content",
                 column_config={a: st.column_config.TextColumn(alignment="right") for a in vy.prognosfel_ar})
    ui.utskriftstabell(vy.prognosfel_tabell, "manad_prognosfel", hide_index=False)  # print (README, Tillgänglighet)
