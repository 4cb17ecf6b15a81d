"""Ny ersättningsmodell: a trial of pay per insats beside pay per hour on the same visits (issue 17)."""

import datetime as dt
from decimal import Decimal

import pandas as pd
import streamlit as st

from beslutsstod import installningar, saker_text, ui
from beslutsstod import talformat as fmt
from beslutsstod.dokument import tabellfil
from beslutsstod.dokument import tjansteskrivelse as tj
from beslutsstod.vyer import insatsmodell as im

st.title("Ny ersättningsmodell: ersättning per insats")
ui.demo_banner()
st.caption("Ett försök med ersättning per insats (KSI-baserade insatstyper) i stället för per timme, som i "
           "Österåkers beslut Dnr VON 2022/0007. Samma besök prissätts på båda sätten: nämndens kostnad mot "
           "budgeten, varje utförares ersättning och varje brukares månadsavgift. Valen sparas i adressen. "
           "Urvalet i sidopanelen gäller inte här: försöket omfattar all hemtjänst för kommunens invånare i perioden.")

databas = ui.database()
har_priser, har_regler = databas.har_tabell("stg_insatspriser"), databas.har_tabell("stg_avgiftsregler")
tackning = ui.run("filter/datatackning").iloc[0]
sista = pd.Timestamp(tackning["sista_datum"]).date()
forsta = dt.date(int(min(tackning["ar_lista"])), 1, 1)
manader = [dt.date(a, m, 1) for a in range(forsta.year, sista.year + 1) for m in range(1, 13)
           if forsta <= dt.date(a, m, 1) <= sista]
standard_fran, standard_till = im.FORSOK_STANDARD
if standard_fran not in manader or dt.date(2023, 7, 1) not in manader:
    standard_fran, standard_till = manader[max(0, len(manader) - 4)], sista

# --- the trial: period, payees, price list, threshold -----------------------------------------------------
k1, k2, k3 = st.columns([1, 1, 2])
fran = k1.selectbox("Försöket från", manader, index=manader.index(dt.date(standard_fran.year, standard_fran.month, 1)),
                    format_func=lambda d: f"{fmt.manad_namn(d.month, True)} {d.year}", key="insatsmodell_fran",
                    bind="query-params")
till_manad = k2.selectbox("till och med", [m for m in manader if m >= fran],
                          format_func=lambda d: f"{fmt.manad_namn(d.month, True)} {d.year}", key="insatsmodell_till",
                          index=min(3, len([m for m in manader if m >= fran]) - 1), bind="query-params")
till = min((pd.Timestamp(till_manad) + pd.offsets.MonthEnd(0)).date(), sista)
regier = k3.multiselect("Utförare i försöket (regi)", list(ui.REGIER), default=list(im.REGI_STANDARD),
                        format_func=ui.REGIER.get, key="insatsmodell_regi", bind="query-params",
                        help="Besök hos andra utförare ersätts per timme i båda modellerna.")

k4, k5, k6 = st.columns([1, 1, 2])
underlag = k4.radio("Prislista", ("import", "harledd"), format_func=lambda u: {
    "import": "Importerad (tabellen insatspriser)", "harledd": "Härledd: kostnadsneutral"}[u],
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

benamningar = dict(ui.run("insatsmodell/benamningar").itertuples(index=False)) if har_priser else {}
if underlag == "import" and not har_priser:
    st.warning("Tabellen insatspriser är inte importerad: välj den härledda prislistan eller importera priser "
               "på sidan Data.", icon=":material/warning:")
    st.stop()
regler = ui.run("insatsmodell/avgiftsregler") if har_regler else None
grund = im.avgift_grund(regler, fran.year) if har_regler and len(regler) else "beviljad"
if underlag == "import":
    prislista = im.prislista_ur_import(ui.run("insatsmodell/insatspriser", {"datum": fran}), regier)
    st.caption(f"Priserna som gällde {fran.isoformat()} för {im.regi_text(regier)} (en rad för en regi går före en "
               "för alla regier). Prislistan gäller alla utförare i försöket.")
else:
    bas_fran = dt.date(fran.year - 1, fran.month, 1)
    bas_till = fran - dt.timedelta(days=1)
    bas = ui.run("insatsmodell/per_insatstyp", dict(fran=bas_fran, till=bas_till, regier=regier, avgift_grund=grund))
    prislista = im.neutral_prislista(bas, benamningar)
    st.caption(f"Härledd ur basperioden {bas_fran.isoformat()}–{bas_till.isoformat()}: dagens kostnad per timme "
               "(exkl. momskompensation) för insatstypens besök delad med antalet besök, avrundad till hela kronor; "
               "normtiden är medeltiden som avgiften tas ut för. Ändra priserna i tabellen om du vill.")
    if utan_typ := im.besok_utan_insatstyp(bas):
        st.caption(f"{fmt.fmt_tal(utan_typ)} besök i basperioden "
                   "saknar insatstyp och ingår inte i härledningen.")

tabell = pd.DataFrame([dict(insatstyp=p.insatstyp, benamning=p.benamning,
                            kr_per_insats=float(p.kr_per_insats) if p.kr_per_insats is not None else None,
                            normtid_min=p.normtid_min) for p in prislista],
                      columns=["insatstyp", "benamning", "kr_per_insats", "normtid_min"])
redigerad = st.data_editor(tabell, hide_index=True, disabled=["insatstyp", "benamning"], key=f"insatsmodell_priser_{underlag}",
                           column_config={"insatstyp": "Insatstyp", "benamning": "Benämning",
                                          "kr_per_insats": st.column_config.NumberColumn("Pris, kr per insats", min_value=0.0, format="%.2f"),
                                          "normtid_min": st.column_config.NumberColumn("Normtid, min", min_value=0, step=1)})
prislista_ny = tuple(im.Pris(r.insatstyp, r.benamning, None if pd.isna(r.kr_per_insats) else Decimal(str(r.kr_per_insats)),
                            None if pd.isna(r.normtid_min) else int(r.normtid_min)) for r in redigerad.itertuples(index=False))
andrad = prislista_ny != tuple(prislista)

publicerade = im.las_maxtaxor(installningar.reference_dir())
prisbasbelopp = {}
for ar in range(fran.year, till.year + 1):
    if ar not in publicerade:
        varde = ui.tal_input(f"Prisbasbelopp {ar}, kr (maxtaxan {ar} saknas i referensdata)",
                             key=f"insatsmodell_pbb_{ar}", bind="query-params", tomt_ok=True, enhet="kr",
                             rimligt=(30_000, 100_000), placeholder="t.ex. 52 500",
                             help="Maxtaxan blir 1/12 av 0,5392 × prisbasbeloppet och märks som beräknad.")
        if varde:
            prisbasbelopp[ar] = varde

forsok = im.Forsok(fran=fran, till=till, regier=tuple(regier), prislista=prislista_ny, prislista_underlag=underlag,
                   prislista_andrad=andrad, troskel=im.Troskel(troskel_varde, enhet),
                   prisbasbelopp=prisbasbelopp)
utfall, saknas = im.berakna(ui.run, forsok, regler, publicerade)
if saknas:
    st.error("Försöket kan inte beräknas utan att gissa. Det här saknas:\n\n" +
             "\n".join(f"- {saker_text.markdown(s)}" for s in saknas), icon=":material/error:")
    st.stop()

# --- the outcome ------------------------------------------------------------------------------------------
oppen, grans = ui.oppen_vy(), ui.smatal_grans()
avsnitt = im.aterrapportering(utfall, oppen_vy=oppen, grans=grans)
for kolumn, k in zip(st.columns(4), im.kort(utfall, forsok.troskel, oppen_vy=oppen, grans=grans)):
    kolumn.metric(k.etikett, k.varde, k.andring, delta_color="inverse", help=k.hjalp)
st.caption("Avgiften är taxans belopp begränsat av maxtaxan, före en eventuell minskning för den enskildes "
           "avgiftsutrymme (inkomsterna finns inte i underlaget).")
for tb in avsnitt.tabeller:
    st.markdown(f"**{saker_text.markdown(tb.rubrik)}**")
    st.dataframe(tb.display_frame(), hide_index=True, key=f"insatsmodell_tabell_{tb.namn}")
    if tb.fotnot:
        st.caption(tb.fotnot)
if oppen:
    st.caption("Avgiften per brukare och månad visas bara i detaljvyn.")
else:
    with st.expander("Avgift per brukare och månad (detaljvy)"):
        st.dataframe(im.bruttotabell(utfall.avgift.rader), hide_index=True, key="insatsmodell_brukare")

st.subheader("Återrapportering")
filnamn = f"aterrapportering_ersattning_per_insats_{fran:%Y%m}_{till:%Y%m}"
d1, d2 = st.columns(2)
ui.nedladdning("Ladda ner .docx", lambda: tj.to_docx(avsnitt), f"{filnamn}.docx", plats=d1, icon=":material/description:",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   key="insatsmodell_docx", on_click="ignore")
ui.nedladdning("Ladda ner .xlsx", lambda: tj.to_xlsx(avsnitt), f"{filnamn}.xlsx", plats=d2, icon=":material/table:",
                   mime=tabellfil.XLSX_MIME, key="insatsmodell_xlsx", on_click="ignore")
with st.container(border=True):
    st.markdown(tj.markdown_text(avsnitt))
