"""Kostnader över år: cost, hours and cost per hour per year, per insats or regi, in current or fixed prices."""

import streamlit as st

from beslutsstod import installningar, ui
from beslutsstod import talformat as fmt
from beslutsstod.data import db
from beslutsstod.diagram import analys as diagram_analys
from beslutsstod.regler import jamforelse
from beslutsstod.regler.opi import RIMLIGT_OPI
from beslutsstod.vyer import analys

RIKTNINGAR = {**ui.RIKTNINGAR, **analys.RIKTNING_NETTO}
PRISNIVAER = {"lopande": "Löpande priser", "fasta": "Fasta priser (omräknat med OPI)"}


f = ui.filters()
st.title("Kostnader över år")
ui.demo_banner()
riktning = st.radio("Visa", list(RIKTNINGAR), format_func=RIKTNINGAR.get, horizontal=True,
                    key="kostnader_riktning", bind="query-params")
vanster, hoger = st.columns(2)
dimension = vanster.radio("Dela upp", list(analys.DIMENSIONER), format_func=analys.DIMENSIONER.get,
                          horizontal=True, key="kostnader_dela", bind="query-params")
prisniva = hoger.radio("Prisnivå", list(PRISNIVAER), format_func=PRISNIVAER.get, horizontal=True,
                       key="kostnader_pris", bind="query-params",
                       help="Fasta priser räknar om varje års kronor till basårets prisnivå med omsorgsprisindex "
                            "(OPI, SKR), så att förändringen visar volym och inte prisökning.")

utan_data = [(int(r.ar), int(r.manad)) for r in ui.run("filter/manader_utan_data").itertuples()]
alla_ar = [int(a) for a in ui.run("filter/datatackning").iloc[0]["ar_lista"]]
jmf_ar = jamforelse.ar_som_jamfors(alla_ar, f.ar, f.till_manad, utan_data)
rader = ui.run("kostnader/per_ar", f.params("alla", till_manad=f.till_manad, jmf_ar=jmf_ar,
                                            utan_data=jamforelse.utan_data_koder(utan_data)))
if rader.empty:
    st.info("Inga besök i urvalet.")
    st.stop()

meta_extra = {"Visning": f"{RIKTNINGAR[riktning]}; {analys.DIMENSIONER[dimension].lower()}"}
priser = None
if prisniva == "fasta":
    ar_lista = sorted(int(a) for a in rader["ar"].unique())
    basar = st.selectbox("Basår (prisnivå)", ar_lista[::-1], key="kostnader_basar", bind="query-params",
                         index=ar_lista[::-1].index(analys.standard_basar(ar_lista, f.ar)),
                         help="Förvalt är det senaste år vars OPI är publicerat: då räknas tidigare år om med "
                              "publicerade värden.")
    saknade = analys.fasta_priser(ar_lista, basar).saknade
    antaganden = {}
    if saknade:
        st.warning(f"OPI saknas i referensdata för {', '.join(map(str, saknade))}. År som behöver dessa värden "
                   "visas utan belopp (–) i fasta priser. Ange ett antaget värde för att räkna om dem; det visas "
                   "som ett antagande.", icon=":material/help:")
        kolumner = st.columns(4)
        for i, ar in enumerate(saknade):
            with kolumner[i % 4]:
                varde = ui.tal_input(f"Antaget OPI {ar} (%)", f"kostnader_opi_{ar}", rimligt=RIMLIGT_OPI,
                                     placeholder="saknas", tomt_ok=True, bind="query-params")
            antaganden[ar] = float(varde) if varde is not None else None
    priser = analys.fasta_priser(ar_lista, basar, antaganden)
    meta_extra["Prisnivå"] = priser.beskrivning()
    with st.expander(f"OPI som används för {basar} års prisnivå", expanded=bool(priser.saknade or priser.antaganden)):
        st.caption("OPI för ett år är prisförändringen från året före. Status: definitiv eller preliminär "
                   "(publicerat av SKR), antagande (angivet här) eller saknas.")
        ui.visa_tabell(analys.opi_analystabell(priser),
                    analys.metadata("", ui.oppen_vy(), None, False, kalla=analys.OPI_KALLA), "kostnader_opi")
else:
    meta_extra["Prisnivå"] = "Löpande priser"

t = analys.kostnader_per_ar(rader, riktning=riktning, dimension=dimension, ar=f.ar, till_manad=f.till_manad,
                            oppen_vy=ui.oppen_vy(), grans=ui.smatal_grans(), etiketter={**ui.INSATSER, **ui.REGIER},
                            priser=priser, utan_data=utan_data)
prisord = f" ({priser.basar} års priser)" if priser else ""
st.plotly_chart(diagram_analys.per_ar(t.diagram, t.titel, "kr"), key="kostnader_per_ar")
if riktning != analys.NETTO:
    st.plotly_chart(diagram_analys.per_timme(t.diagram, f"{'Kostnad' if riktning == 'kostnad' else 'Intäkt'} "
                                                       f"per debiterad timme{prisord}"), key="kostnader_per_timme")
else:
    st.caption("Kronor per timme visas per riktning: välj Kostnader eller Intäkter ovan.")

st.subheader("Tabell")
jamfor_texter = [f"{a}: {jt}" for a in jmf_ar if a <= f.ar and (jt := jamforelse.jamforbarhet(
    (a - 1, a), f.till_manad if a == f.ar else 12, utan_data).text())]
st.caption(f"{f.beskrivning()}. Förändringen gäller året före"
           + (f"; för {f.ar} jämförs jan–{fmt.manad_namn(f.till_manad)} med samma månader {f.ar - 1}"
              if f.till_manad < 12 else "")
           + (". Förändringen är räknad på de månader båda åren har (" + "; ".join(jamfor_texter) + ")"
              if jamfor_texter else "") + ". – = uppgift saknas.")
if jamfor_texter:
    meta_extra["Jämförelse"] = "; ".join(jamfor_texter)
antagande = ui.intakt_antagande(f) if riktning in ("intakt", analys.NETTO) else None
if antagande:
    st.caption(antagande)
    meta_extra["Intäkter"] = analys.EGNA_NIVAER
meta = analys.metadata(f.beskrivning(), ui.oppen_vy(), f.sista_datum,
                       db.demo_info(installningar.extracts_dir()) is not None, **meta_extra)
ui.visa_tabell(t, meta, "kostnader_tabell")
if t.antal_utan_niva:
    st.warning(f"{t.antal_utan_niva} besök saknar en ersättningsnivå som gällde besöksdagen. Deras kostnad "
               "saknas i summorna (den räknas inte som noll).")
