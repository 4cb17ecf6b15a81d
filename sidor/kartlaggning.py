"""Kartläggning (S2024/01214): this municipality's answers to Socialstyrelsen's mapping, for one year."""

import streamlit as st

from beslutsstod import begrepp, behorighet, ui
from beslutsstod.dokument import tabellfil
from beslutsstod.inlasning import egna_nivaer
from beslutsstod.vyer import kartlaggning as kl

f = ui.filters()
vy = kl.kartlaggning(ui.sammanhang(), f)
st.title("Kartläggning")
ui.demo_banner()
st.caption(vy.inledning)
if vy.insats_notis:
    st.caption(vy.insats_notis)


def nedladdning(etikett: str, n: kl.Nedladdning, key: str, mime: str = tabellfil.XLSX_MIME, **kwargs) -> None:
    ui.nedladdning(etikett, n.data, file_name=n.filnamn, mime=mime, icon=":material/download:", key=key, **kwargs)


# 1. Omfattning ---------------------------------------------------------------------------
st.header("Omfattning", divider="gray")
for rubrik, kort in vy.kort:
    st.markdown(f"**{rubrik}**")
    for kolumn, k in zip(st.columns(3), kort):
        kolumn.metric(k.etikett, k.varde, border=True, help=k.hjalp)
for t in vy.omfattning:
    st.subheader(t.rubrik)
    st.dataframe(t.tabell, hide_index=True, key=f"kartlaggning_omfattning_{t.riktning}")
    ui.utskriftstabell(t.tabell, f"kartlaggning_omfattning_{t.riktning}")  # print (README, Tillgänglighet)
    nedladdning("Ladda ned (.xlsx)", t.xlsx, f"kartlaggning_ladda_omfattning_{t.riktning}")
for fotnot in vy.omfattning_fotnoter:
    st.caption(fotnot)

# 2. Vår ersättning -----------------------------------------------------------------------
st.header("Vår ersättning: utformning och nivå", divider="gray")
for rad in vy.ersattning:
    st.markdown(rad)
ui.visa_diagram(vy.ersattning_diagram, vy.ersattning_diagramtext, key="kartlaggning_niva_diagram")
st.dataframe(vy.nivaer, hide_index=True, key="kartlaggning_nivaer")
ui.utskriftstabell(vy.nivaer, "kartlaggning_nivaer")
nedladdning("Ladda ned nivåerna (.xlsx)", vy.nivaer_xlsx, "kartlaggning_ladda_nivaer")

# 3. Täckning -----------------------------------------------------------------------------
st.header("Täckning av vistelsekommunens egen nivå", divider="gray")
st.markdown(vy.tackning_inledning)
for fel in vy.egna_lasfel:
    st.warning(fel)

far_redigera = behorighet.far_redigera_referens(ui.roll())  # förvaltare only; others see the table
with st.expander("Vistelsekommunernas egna nivåer (referenstabell)", expanded=vy.egna.empty):
    if not far_redigera:
        st.caption("Tabellen ändras av förvaltaren av beslutsstödet.")
    redigerad = st.data_editor(
        vy.egna_redigerbar, num_rows="dynamic" if far_redigera else "fixed", hide_index=True, key="kartlaggning_egna",
        disabled=not far_redigera,
        column_config={
            "kommunkod": st.column_config.SelectboxColumn("Kommun", options=vy.kommun_val, required=True),
            "ar": st.column_config.NumberColumn("År", min_value=egna_nivaer.MIN_AR, max_value=egna_nivaer.MAX_AR,
                                                step=1, default=f.ar, format="%d", required=True),
            "insats": st.column_config.SelectboxColumn("Insats", options=list(begrepp.INSATS_NAMN.values()),
                                                       default=begrepp.INSATS_NAMN["hemtjanst"], required=True),
            "kr_per_timme": st.column_config.TextColumn("Egen nivå (kr/tim)", required=True,
                                                        help="Med decimalkomma, t.ex. 512,50."),
            "momskompensation_ingar": st.column_config.CheckboxColumn("Momskompensation ingår", default=False),
            "kalla": st.column_config.TextColumn("Källa (beslut, webbsida)"),
        })
    if far_redigera and st.button("Spara tabellen", icon=":material/save:", key="kartlaggning_spara"):
        ny, fel = kl.validera_redigerad(redigerad)
        if fel:
            st.error("Tabellen sparades inte:\n\n" + "\n".join(f"- {t}" for t in fel))
        else:
            egna_nivaer.spara(ny, vy.egna_sokvag)
            ui.logga("kartlaggning_tabell", atgard="sparad", rader=len(ny))
            del st.session_state["kartlaggning_egna"]
            st.rerun()
    fil = st.file_uploader("Importera CSV (ersätter tabellen)", type=["csv"], key="kartlaggning_import",
                           help="Kolumner: " + ";".join(egna_nivaer.KOLUMNER) + ". Semikolon och decimalkomma (som "
                                "Excel sparar CSV på svenska) eller komma och decimalpunkt.") if far_redigera else None
    if fil is not None:
        importerad = kl.import_fil(fil.getvalue(), fil.name)
        for t in importerad.meddelanden:
            st.warning(t)
        st.caption(importerad.text)
        if len(importerad.rader) and st.button("Ersätt tabellen med filens rader", key="kartlaggning_importera"):
            egna_nivaer.spara(importerad.rader, vy.egna_sokvag)
            ui.logga("kartlaggning_tabell", atgard="ersatt med fil", fil=fil.name, rader=len(importerad.rader))
            st.session_state.pop("kartlaggning_egna", None)
            st.rerun()
    nedladdning("Ladda ned tabellen (.csv)", vy.egna_csv, "kartlaggning_ladda_egna", mime=tabellfil.CSV_MIME)

if vy.tackning is None:
    st.info(vy.tackning_text)
else:
    st.dataframe(vy.tackning, hide_index=True, key="kartlaggning_tackning")
    ui.utskriftstabell(vy.tackning, "kartlaggning_tackning")
    st.caption(vy.tackning_text)
    nedladdning("Ladda ned täckningen (.xlsx)", vy.tackning_xlsx, "kartlaggning_ladda_tackning")

# Export of the answers -------------------------------------------------------------------
st.header("Svaren samlade", divider="gray")
st.dataframe(vy.svar, hide_index=True, key="kartlaggning_svar")
ui.utskriftstabell(vy.svar, "kartlaggning_svar")
nedladdning("Ladda ned svaren (.xlsx)", vy.svar_xlsx, "kartlaggning_ladda_svar", type="primary")
