"""Ny ersättningsmodell: a trial of pay per insats beside pay per hour on the same visits (issue 17)."""

import streamlit as st

from beslutsstod import begrepp, ui
from beslutsstod.dokument import tabellfil
from beslutsstod.regler.insatsersattning import Troskel
from beslutsstod.vyer import insatsmodell as im

st.title("Ny ersättningsmodell: ersättning per insats")
ui.demo_banner()
st.caption("Ett försök med ersättning per insats (KSI-baserade insatstyper) i stället för per timme, som i "
           "Österåkers beslut Dnr VON 2022/0007. Samma besök prissätts på båda sätten: nämndens kostnad mot "
           "budgeten, varje utförares ersättning och varje brukares månadsavgift. Valen sparas i adressen. "
           "Urvalet i sidopanelen gäller inte här: försöket omfattar all hemtjänst för kommunens invånare i perioden.")

s = ui.sammanhang()
databas = ui.database()
har_priser, har_regler = databas.har_tabell("stg_insatspriser"), databas.har_tabell("stg_avgiftsregler")
perioder = im.perioder(s)

# --- the trial: period, payees, price list, threshold -----------------------------------------------------
k1, k2, k3 = st.columns([1, 1, 2])
fran = k1.selectbox("Försöket från", perioder.manader, index=perioder.manader.index(perioder.standard_fran),
                    format_func=im.manad_text, key="insatsmodell_fran", bind="query-params")
till_manad = k2.selectbox("till och med", perioder.till_val(fran), format_func=im.manad_text,
                          key="insatsmodell_till", index=perioder.standard_till(fran), bind="query-params")
regier = k3.multiselect("Utförare i försöket (regi)", list(begrepp.REGI_NAMN), default=list(im.REGI_STANDARD),
                        format_func=begrepp.REGI_NAMN.get, key="insatsmodell_regi", bind="query-params",
                        help="Besök hos andra utförare ersätts per timme i båda modellerna.")

k4, k5, k6 = st.columns([1, 1, 2])
underlag = k4.radio("Prislista", list(im.PRISLISTOR), format_func=im.PRISLISTOR.get,
                    index=0 if har_priser else 1, key="insatsmodell_prislista", bind="query-params")
enhet = k5.segmented_control("Väsentlig ändring av avgiften", ("kr", "procent"), default="kr",
                             format_func={"kr": "kr", "procent": "%"}.get, key="insatsmodell_enhet",
                             bind="query-params") or "kr"
with k6:
    troskel_varde = ui.tal_input(f"Tröskel, mer än ({'kr' if enhet == 'kr' else '%'}) per månad",
                                 key=f"insatsmodell_troskel_{enhet}", enhet="kr" if enhet == "kr" else "%",
                                 standard=100 if enhet == "kr" else 5,
                                 rimligt=(0, 2000) if enhet == "kr" else (0, 100))
if troskel_varde is None:
    st.stop()

pu = im.prisunderlag(s, fran, perioder.till(till_manad), regier, underlag, har_priser=har_priser,
                     har_regler=har_regler)
if pu.fel:
    st.warning(pu.fel, icon=":material/warning:")
    st.stop()
for text in pu.texter:
    st.caption(text)
redigerad = st.data_editor(pu.tabell, hide_index=True, disabled=["insatstyp", "benamning"],
                           key=f"insatsmodell_priser_{underlag}",
                           column_config={"insatstyp": "Insatstyp", "benamning": "Benämning",
                                          "kr_per_insats": st.column_config.NumberColumn("Pris, kr per insats",
                                                                                         min_value=0.0, format="%.2f"),
                                          "normtid_min": st.column_config.NumberColumn("Normtid, min", min_value=0,
                                                                                       step=1)})
prisbasbelopp = {}
for ar in pu.pbb_ar:
    varde = ui.tal_input(f"Prisbasbelopp {ar}, kr (maxtaxan {ar} saknas i referensdata)",
                         key=f"insatsmodell_pbb_{ar}", bind="query-params", tomt_ok=True, enhet="kr",
                         rimligt=(30_000, 100_000), placeholder="t.ex. 52 500",
                         help="Maxtaxan blir 1/12 av 0,5392 × prisbasbeloppet och märks som beräknad.")
    if varde:
        prisbasbelopp[ar] = varde

vy = im.insatsmodell(s, pu, im.prislista_ur_tabell(redigerad), Troskel(troskel_varde, enhet), prisbasbelopp)
if vy.saknas:
    st.error("Försöket kan inte beräknas utan att gissa. Det här saknas:\n\n" + "\n".join(f"- {t}" for t in vy.saknas),
             icon=":material/error:")
    st.stop()

# --- the outcome ------------------------------------------------------------------------------------------
for kolumn, k in zip(st.columns(4), vy.kort):
    kolumn.metric(k.etikett, k.varde, k.andring, delta_color="inverse", help=k.hjalp)
st.caption(vy.avgift_notis)
for tb in vy.tabeller:
    st.markdown(f"**{tb.rubrik}**")
    st.dataframe(tb.tabell, hide_index=True, key=f"insatsmodell_tabell_{tb.namn}")
    ui.utskriftstabell(tb.tabell, f"insatsmodell_tabell_{tb.namn}")  # print (README, Tillgänglighet)
    if tb.fotnot:
        st.caption(tb.fotnot)
if vy.brukare is None:
    st.caption(vy.brukare_notis)
else:
    with st.expander("Avgift per brukare och månad (detaljvy)"):
        st.dataframe(vy.brukare, hide_index=True, key="insatsmodell_brukare")

st.subheader("Återrapportering")
d1, d2 = st.columns(2)
ui.nedladdning("Ladda ner .docx", vy.docx, f"{vy.filnamn}.docx", plats=d1, icon=":material/description:",
               mime=im.DOCX_MIME, key="insatsmodell_docx")
ui.nedladdning("Ladda ner .xlsx", vy.xlsx, f"{vy.filnamn}.xlsx", plats=d2, icon=":material/table:",
               mime=tabellfil.XLSX_MIME, key="insatsmodell_xlsx")
with st.container(border=True):
    st.markdown(vy.text)
