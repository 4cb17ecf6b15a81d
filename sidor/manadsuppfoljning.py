"""Månadsuppföljning: utfall mot budget, helårsprognos och avvikelser, som nämndens rapporter visar dem."""

import dataclasses

import streamlit as st

from beslutsstod import installningar, ui
from beslutsstod import talformat as fmt
from beslutsstod.data import db, referens
from beslutsstod.diagram import manadsuppfoljning as diagram_manadsuppfoljning
from beslutsstod.regler import prognos as fc
from beslutsstod.regler import smatalsskydd
from beslutsstod.vyer import manadsuppfoljning

f = ui.filters()
st.title("Månadsuppföljning")
ui.demo_banner()

# One year governs the heading, the table, the chart and the export: the sidebar's (issue 11).
ar = f.ar
val_manad, val_metod = st.columns([1, 2])
manader = manadsuppfoljning.manader_att_valja(ar, f.sista_datum)
till = val_manad.selectbox("Till och med", manader, index=len(manader) - 1, key="manad_manad",
                           format_func=lambda m: fmt.manad_namn(m, lang=True), bind="query-params")
metod = val_metod.segmented_control("Prognosmetod", [fc.SEASONAL, fc.STRAIGHT_LINE], format_func=fc.METHOD_NAME.get,
                                    default=fc.SEASONAL, required=True, key="manad_metod", bind="query-params")

urval = dict(insatser=f.insatser, regier=f.regier, kommuner=f.kommuner)
utfall = ui.run("manadsuppfoljning/utfall_per_manad", urval)
if utfall.empty:
    st.info("Urvalet i sidopanelen (insats, regi, vistelsekommun) har inga kostnader något år i extrakten.")
    st.stop()
budget = ui.run("manadsuppfoljning/budget", urval)
rapport = manadsuppfoljning.utan_foregaende_ar(fc.report_table(utfall, budget, ar, till, metod), utfall)
personer = ui.run("manadsuppfoljning/personer", dict(urval, ar=ar, manader=manadsuppfoljning.ack_manader(rapport)))
mask = manadsuppfoljning.maskering(rapport, personer, ui.oppen_vy(), ui.smatal_grans())
dolda = manadsuppfoljning.dolda_manader(personer, ar, ui.oppen_vy(), ui.smatal_grans())
urvalstext = dataclasses.replace(f, ar=ar).beskrivning()

st.caption(rapport.method_explanation)
if text := manadsuppfoljning.saknade_manader_text(rapport):
    st.warning(text, icon=":material/event_busy:")
if f.regier or f.kommuner:
    st.info("Budgeten är beslutad per insats för alla våra kostnader. Med ett urval på regi eller "
            "vistelsekommun finns ingen budget att jämföra med; budgetkolumnerna visas som –.")
if utan := manadsuppfoljning.besok_utan_belopp(utfall, ar, till):
    st.warning(f"{fmt.fmt_tal(utan)} besök saknar både faktura och en ersättningsnivå som gällde besöksdagen. "
               "De saknas i utfallet (de räknas inte som noll).")

st.subheader(rapport.title)
st.markdown(f"Belopp i tkr. {urvalstext}.  \n**Läs så här:** {rapport.sign_convention}")
st.table(manadsuppfoljning.stil(rapport, mask))
if mask.to_numpy().any() or dolda:
    st.caption(smatalsskydd.footnote_sv(ui.smatal_grans()))
with st.expander("Noter till tabellen", expanded=True):
    st.markdown("\n".join(f"- {not_}" for not_ in rapport.notes))

rubrik = f"{referens.kommunnamn(installningar.get('hemkommun'))} kommun – Socialnämnden"
if f.insatser or f.regier or f.kommuner:
    rubrik += f". Urval: {urvalstext}"
ui.nedladdning("Ladda ned tabellen (.xlsx)", key="manad_export", icon=":material/download:",
                   data=manadsuppfoljning.rapport_xlsx(rapport, mask, rubrik, bool(db.demo_info(installningar.extracts_dir())),
                                           ui.smatal_grans()),
                   file_name=f"manadsuppfoljning_{ar}_{till:02d}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

serie = fc.monthly_series(utfall, budget, ar, till, metod)
st.plotly_chart(diagram_manadsuppfoljning.utfall_budget_prognos(serie, ar, till, metod, dolda, manadsuppfoljning.prognos_visas(rapport, mask)),
                key="manad_diagram")

st.subheader("Hur bra har prognoserna varit?")
fel = manadsuppfoljning.prognosfel(utfall, ar, metod)
st.markdown(f"{fel.text}  \n{fc.ACCURACY_CONVENTION}")
if fel.ar:
    hogerstallda = {str(a): st.column_config.TextColumn(alignment="right") for a in fel.ar}
    st.dataframe(fel.tabell, height="content", column_config=hogerstallda)
