"""Kartläggning (S2024/01214): this municipality's answers to Socialstyrelsen's mapping, for one year."""

import streamlit as st

from beslutsstod import behorighet, installningar, ui
from beslutsstod import talformat as fmt
from beslutsstod.data import db, referens
from beslutsstod.diagram import kartlaggning as diagram_kartlaggning
from beslutsstod.dokument import tabellfil
from beslutsstod.regler import intaktsantagande, smatalsskydd
from beslutsstod.vyer import kartlaggning as kl

f = ui.filters()
oppen, grans = ui.oppen_vy(), ui.smatal_grans()
moms_procent = installningar.get("momskompensation_procent")
hemkommun = referens.kommunnamn(installningar.get("hemkommun"))
st.title("Kartläggning")
ui.demo_banner()
st.caption(f"Underlag till Socialstyrelsens kartläggning av hemtjänst som verkställs i vistelsekommuner "
           f"(regeringsuppdrag S2024/01214): {hemkommun}s svar för {f.ar}. {f.beskrivning()}.")
if f.insatser != ["hemtjanst"]:
    st.caption("Kartläggningen gäller hemtjänst. Välj Insats = Hemtjänst i urvalet för att svara exakt på frågorna.")


def metadata(kalla: str) -> dict[str, str]:
    return tabellfil.build_metadata(kalla, f.beskrivning(), oppen, f.sista_datum,
                                 db.demo_info(installningar.extracts_dir()) is not None)


# 1. Omfattning ---------------------------------------------------------------------------
st.header("Omfattning", divider="gray")
omfattning = ui.run("kartlaggning/omfattning", f.params("kostnad"))
intakt_egna = ui.intakt_antagande(f, f.ar)
tabeller = {r: kl.omfattning_tabell(omfattning, r, oppen, grans) for r in kl.RIKTNING_RUBRIK}
svar = kl.omfattning_svar(tabeller["kostnad"], tabeller["intakt"])
for rubrik, urval in [("Våra beslut som vistelsekommunen verkställt med egen personal", svar[0:3]),
                      ("Andra kommuners beslut som vi verkställt", svar[6:9])]:
    st.markdown(f"**{rubrik}**")
    for kolumn, etikett, s in zip(st.columns(3), ("Kommuner", "Personer", "Utförda timmar"), urval):
        kolumn.metric(etikett, s.text, border=True, help=f"{s.fraga}. {s.kommentar}".strip())
for riktning, tabell in tabeller.items():
    st.subheader(kl.RIKTNING_RUBRIK[riktning])
    st.dataframe(kl.visa_omfattning(tabell), hide_index=True, key=f"kartlaggning_omfattning_{riktning}")
    ui.nedladdning(
        "Ladda ned (.xlsx)", lambda t=tabell, r=riktning: tabellfil.to_xlsx(
            t, titel=f"{kl.RIKTNING_RUBRIK[r]} {f.ar}",
            metadata={**metadata("Besöksextrakt"),
                      **({"Intäkter": intaktsantagande.EGNA_NIVAER} if r == "intakt" and intakt_egna else {})},
            kolumnformat=kl.omfattning_format(r)),
        file_name=f"kartlaggning_omfattning_{riktning}_{f.ar}.xlsx", mime=tabellfil.XLSX_MIME,
        icon=":material/download:", key=f"kartlaggning_ladda_omfattning_{riktning}")
if any(t.any_masked for t in tabeller.values()):
    st.caption(smatalsskydd.footnote_sv(grans))
if intakt_egna:
    st.caption(f"{kl.RIKTNING_RUBRIK['intakt']}: belopp {intaktsantagande.EGNA_NIVAER}. {intakt_egna}")
st.caption("Personer och kommuner räknas en gång per rad; en person som fått insatser av två utförare räknas en "
           "gång i Totalt, så raderna summerar inte alltid till totalen.")

# 2. Vår ersättning -----------------------------------------------------------------------
st.header("Vår ersättning: utformning och nivå", divider="gray")
nivaer = ui.run("kartlaggning/ersattningsnivaer", {"ar": f.ar})
for rad in kl.ersattning_beskrivning(nivaer, f.ar, moms_procent):
    st.markdown(rad)
st.plotly_chart(diagram_kartlaggning.ersattningsniva_over_tid(nivaer, f.ar), key="kartlaggning_niva_diagram")
st.dataframe(kl.visa_nivatabell(nivaer), hide_index=True, key="kartlaggning_nivaer")
ui.nedladdning(
    "Ladda ned nivåerna (.xlsx)",
    lambda: tabellfil.to_xlsx(kl.nivatabell(nivaer), titel="Ersättningsnivåer", kolumnformat=kl.NIVA_FORMAT,
                           metadata=metadata("Ersättningsnivåer (extrakt) med källa och beslut")),
    file_name="kartlaggning_ersattningsnivaer.xlsx", mime=tabellfil.XLSX_MIME, icon=":material/download:",
    key="kartlaggning_ladda_nivaer")

# 3. Täckning -----------------------------------------------------------------------------
st.header("Täckning av vistelsekommunens egen nivå", divider="gray")
st.markdown(
    "Täckningsgrad = den nivå vi betalat ÷ vistelsekommunens egen nivå för samma insats och år. Vi betalar ingen "
    "momskompensation till en kommun, så en egen nivå som inkluderar momskompensation (t.ex. kommunens LOV-ersättning) "
    f"räknas om till exklusive ({fmt.fmt_procent(moms_procent, 0)}) före jämförelsen. Kommunernas egna nivåer finns "
    "inte i extrakten: fyll i dem nedan eller importera en CSV-fil. Tabellen sparas i datamappen "
    f"(`{kl.EGNA_FIL.as_posix()}`).")
sokvag = kl.egna_nivaer_sokvag(installningar.data_dir())
egna, lasfel = kl.las_egna_nivaer(sokvag)
for fel in lasfel:
    st.warning(f"Den sparade tabellen: {fel}")

far_redigera = behorighet.far_redigera_referens(ui.roll())  # förvaltare only; others see the table
with st.expander("Vistelsekommunernas egna nivåer (referenstabell)", expanded=egna.empty):
    if not far_redigera:
        st.caption("Tabellen ändras av förvaltaren av beslutsstödet.")
    redigerad = st.data_editor(
        kl.redigerbar(egna), num_rows="dynamic" if far_redigera else "fixed", hide_index=True, key="kartlaggning_egna",
        disabled=not far_redigera,
        column_config={
            "kommunkod": st.column_config.SelectboxColumn(
                "Kommun", options=[kl.kommun_etikett(k) for k in sorted(referens.kommuner())], required=True),
            "ar": st.column_config.NumberColumn("År", min_value=kl.MIN_AR, max_value=kl.MAX_AR, step=1,
                                                default=f.ar, format="%d", required=True),
            "insats": st.column_config.SelectboxColumn("Insats", options=list(kl.INSATS_NAMN.values()),
                                                       default=kl.INSATS_NAMN["hemtjanst"], required=True),
            "kr_per_timme": st.column_config.TextColumn("Egen nivå (kr/h)", required=True,
                                                        help="Med decimalkomma, t.ex. 512,50."),
            "momskompensation_ingar": st.column_config.CheckboxColumn("Momskompensation ingår", default=False),
            "kalla": st.column_config.TextColumn("Källa (beslut, webbsida)"),
        })
    if far_redigera and st.button("Spara tabellen", icon=":material/save:", key="kartlaggning_spara"):
        ny, fel = kl.validera(redigerad)
        if fel:
            st.error("Tabellen sparades inte:\n\n" + "\n".join(f"- {t}" for t in fel))
        else:
            kl.spara_egna_nivaer(ny, sokvag)
            ui.logga("kartlaggning_tabell", atgard="sparad", rader=len(ny))
            del st.session_state["kartlaggning_egna"]
            st.rerun()
    fil = st.file_uploader("Importera CSV (ersätter tabellen)", type=["csv"], key="kartlaggning_import",
                           help="Kolumner: " + ";".join(kl.EGNA_KOLUMNER) + ". Semikolon och decimalkomma (som Excel "
                                "sparar CSV på svenska) eller komma och decimalpunkt.") if far_redigera else None
    if fil is not None:
        importerad, fel = kl.tolka_csv(fil.getvalue())
        for t in fel:
            st.warning(t)
        st.caption(f"Filen har {len(importerad)} giltiga rader.")
        if far_redigera and len(importerad) and st.button("Ersätt tabellen med filens rader", key="kartlaggning_importera"):
            kl.spara_egna_nivaer(importerad, sokvag)
            ui.logga("kartlaggning_tabell", atgard="ersatt med fil", fil=fil.name, rader=len(importerad))
            st.session_state.pop("kartlaggning_egna", None)
            st.rerun()
    ui.nedladdning("Ladda ned tabellen (.csv)", kl.egna_nivaer_csv(egna), file_name="vistelsekommuners_nivaer.csv",
                       mime=tabellfil.CSV_MIME, icon=":material/download:", key="kartlaggning_ladda_egna")

per_kommun = ui.run("kartlaggning/per_vistelsekommun", f.params("kostnad"))
tackning = kl.tackning(per_kommun, egna, f.ar, moms_procent)
if tackning.empty:
    st.info("Ingen vistelsekommun har med egen personal verkställt våra beslut i urvalet.")
else:
    st.dataframe(kl.visa_tackning(tackning), hide_index=True, key="kartlaggning_tackning")
    kanda = int(tackning["Täckningsgrad (%)"].notna().sum())
    st.caption(f"Känd egen nivå för {kanda} av {len(tackning)} kommuner och insatser {f.ar}. Betald nivå = beräknad "
               "kostnad ÷ timmar enligt ersättningens grund för besöken som kommunen utfört.")
    ui.nedladdning(
        "Ladda ned täckningen (.xlsx)", lambda: tabellfil.to_xlsx(
            tackning, titel=f"Täckning av vistelsekommunens nivå {f.ar}",
            metadata=metadata("Besöksextrakt; vistelsekommunernas egna nivåer enligt referenstabellen"),
            kolumnformat=kl.TACKNING_FORMAT),
        file_name=f"kartlaggning_tackning_{f.ar}.xlsx", mime=tabellfil.XLSX_MIME, icon=":material/download:",
        key="kartlaggning_ladda_tackning")

# Export of the answers -------------------------------------------------------------------
st.header("Svaren samlade", divider="gray")
alla_svar = svar + kl.tackning_svar(tackning)
st.dataframe(kl.visa_svar(alla_svar), hide_index=True, key="kartlaggning_svar")
ui.nedladdning(
    "Ladda ned svaren (.xlsx)", lambda: tabellfil.to_xlsx(
        kl.svarstabell(alla_svar, grans), titel=f"Kartläggning S2024-01214 {hemkommun} {f.ar}",
        metadata=metadata("Besöksextrakt, ersättningsnivåer och referenstabellen över vistelsekommunernas nivåer")),
    file_name=f"kartlaggning_{f.ar}.xlsx", mime=tabellfil.XLSX_MIME, icon=":material/download:", type="primary",
    key="kartlaggning_ladda_svar")
