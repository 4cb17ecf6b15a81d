"""Vad händer om? The rate revision simulator and the "Ekonomiska konsekvenser" it writes."""

import datetime as dt

import streamlit as st

from beslutsstod import installningar, saker_text, ui
from beslutsstod.data import db, referens
from beslutsstod.diagram import simulator as charts
from beslutsstod.dokument import tjansteskrivelse as tj
from beslutsstod.regler import smatalsskydd
from beslutsstod.regler.simulator import BASIS_TEXT, basis_switch_effect
from beslutsstod.vyer import simulator as sd

f = ui.filters()
st.title("Vad händer om?")
ui.demo_banner()
urval = sd.urval_utan_ar(f.beskrivning())
st.caption("Vad kostar en ny ersättningsnivå? Välj volymunderlag och målår, bygg upp till tre scenarier och "
           "jämför dem med dagens nivå. Scenarierna sparas i adressen: kopiera länken för att dela dem. "
           f"Urval från sidopanelen: {urval} (året väljs här).")

# --- volume basis and target year ---------------------------------------------------------------
tackning = ui.run("filter/datatackning").iloc[0]
period = sd.period(tackning["sista_datum"], tackning["ar_lista"])
k1, k2, k3 = st.columns([2.2, 1, 1])
volymbas = k1.radio("Volymunderlag", period.volymbaser, format_func=period.text, horizontal=True,
                    key="simulator_volymbas", bind="query-params")
malar = k2.selectbox("Målår (året den nya nivån gäller)", period.malar, key="simulator_malar", bind="query-params")
antal = k3.segmented_control("Antal scenarier", [1, 2, 3], default=2, key="simulator_antal", bind="query-params") or 1

volymar, till_manad = period.volymar(volymbas), period.till_manad(volymbas)
utan_data = sd.ar_manader(ui.run("filter/manader_utan_data"))
prognos_manader = period.prognos_manader(volymbas, utan_data)
nivaer_nu = ui.run("simulator/ersattningsnivaer", {"datum": dt.date(volymar, 12, 31), "insatser": f.insatser})
nivaer_bas = ui.run("simulator/ersattningsnivaer", {"datum": dt.date(malar - 1, 12, 31), "insatser": f.insatser})
insatser = sd.insatser_med_niva(nivaer_nu, f.insatser)
if not insatser:
    st.warning(f"Ingen ersättningsnivå gällde i slutet av {volymar} för det valda urvalet; inget kan beräknas.")
    st.stop()
params = f.params("kostnad", till_manad=till_manad, prognos_manader=prognos_manader)
params.update(ar=volymar, insatser=insatser)
underlag = sd.bygg_underlag(
    ui.run("simulator/timunderlag", params), ui.run("simulator/personer", params), nivaer_nu, nivaer_bas,
    volymar=volymar, volymbas=volymbas, till_manad=till_manad, prognos_manader=prognos_manader,
    manadstimmar=ui.run("simulator/timmar_per_manad", params) if prognos_manader else None, utan_data=utan_data,
    urval_text=urval if (f.insatser or f.regier or f.kommuner) else None)
if underlag.tomt:
    st.info(f"Urvalet har inga besök {volymar} av kommunens invånare i andra kommuner.")
    st.stop()
for note in underlag.noter:
    st.caption(note)
prognos_plats = st.empty()  # the forecast's method, filled once small-number protection is known
k = sd.kontext(underlag, malar, installningar.get("momskompensation_procent"))

# --- the scenarios (each kept in the URL as compact JSON: ?simulator_s1={…}) ----------------------
standard = sd.standardscenarier(k)
opi_standard, opi_standard_text = sd.standard_opi(k)
scenarier, sparrar = [], []
flikar = st.tabs([saker_text.markdown(st.session_state.get(f"simulator_s{i}_namn") or standard[i - 1].namn)
                  for i in range(1, antal + 1)])
for i, flik in enumerate(flikar, start=1):
    p, n = f"simulator_s{i}", sd.Nycklar(f"simulator_s{i}")
    url, noter = st.query_params.get(p), []
    if url and url != st.session_state.get(f"_{p}_url"):  # a new link: its scenario replaces the inputs
        try:
            state, noter = sd.scenario_state(sd.fran_param(url), k, p)
            st.session_state.update(state)
        except ValueError as exc:
            noter = [str(exc)]
        st.session_state[f"_{p}_url"] = url
    for key, value in sd.scenario_state(standard[i - 1], k, p)[0].items():
        st.session_state.setdefault(key, value)
    with flik:
        for note in noter:
            st.warning(note)
        # every number is typed the Swedish way (ui.tal_input); None = unreadable or not yet confirmed
        inmatat: list[object] = []
        st.text_input("Namn på scenariot", key=n.namn, persist_state="session")
        c1, c2, c3 = st.columns(3)
        with c1:
            st.markdown("**Ersättningsmodell per insats**")
            for insats in k.insatser:
                modell = st.selectbox(sd.INSATS_RUBRIK[insats], sd.modellval(k, insats), key=n.modell(insats),
                                      format_func=lambda m, insats=insats: sd.modell_etikett(k, insats, m),
                                      persist_state="session")
                if modell == "egen_summa":
                    inmatat.append(ui.tal_input(f"Belopp {malar}, kr per timme exkl. momskompensation",
                                                n.belopp(insats), rimligt=(0, 100000), enhet="kr"))
        with c2:
            st.markdown("**Omsorgsprisindex (OPI)**",
                        help="OPI = 0,8 × summa lönekostnadsförändring + 0,2 × KPI, avrundat till en decimal "
                        "(SKR). Ett publicerat värde går före formeln. Antagna och härledda värden märks så i "
                        f"texten. Förvalt antagande: {opi_standard_text}.")
            for falt in sd.opi_falt(k, {i: st.session_state[n.modell(i)] for i in k.insatser}):
                if not falt.val:
                    st.caption(falt.text)
                    continue
                val = st.radio(falt.etikett, falt.val, format_func=sd.OPI_VAL_TEXT.get, horizontal=True,
                               key=n.opi_val(falt.ar), persist_state="session")
                if val == "publicerat":
                    st.caption(falt.text)
                elif val in ("antagande", "eget"):
                    inmatat.append(ui.tal_input(f"OPI {falt.ar}, % ({'antagande' if val == 'antagande' else 'eget värde'})",
                                                n.opi(falt.ar), rimligt=sd.RIMLIGT_OPI))
                else:
                    a, b = st.columns(2)
                    with a:
                        lon = ui.tal_input("Summa lönekostnadsförändring, %", n.opi_lon(falt.ar), rimligt=sd.RIMLIGT_OPI)
                    with b:
                        kpi = ui.tal_input("KPI, %", n.opi_kpi(falt.ar), rimligt=sd.RIMLIGT_OPI)
                    inmatat += [lon, kpi]
                    if lon is not None and kpi is not None:
                        st.caption(sd.komponent_text(lon, kpi) + " (härlett, inte publicerat)")
        with c3:
            st.markdown("**Grund, avrundning och volym**")
            st.radio("Ersättning per", ("utford", "beviljad"), format_func=lambda g: f"{BASIS_TEXT[g]} timme",
                     horizontal=True, key=n.grund, persist_state="session",
                     help=f"Dagens nivåer gäller per {BASIS_TEXT[k.grund]} timme.")
            st.selectbox("Avrundning av ny nivå", sd.ROUNDING_VAL, format_func=sd.ROUNDING_ETIKETT.get,
                         key=n.avrundning, persist_state="session")
            inmatat.append(ui.tal_input("Momskompensation till privata utförare, %", n.moms, rimligt=sd.RIMLIGT_MOMS,
                                        help="Betalas aldrig till en kommun."))
            inmatat.append(ui.tal_input(f"Volymförändring mot {volymar}, %", n.volym, rimligt=sd.RIMLIGT_VOLYM))
            valda = st.multiselect("Egen volymförändring för vistelsekommun", k.kommuner,
                                   format_func=referens.kommunnamn, key=n.volym_kommuner, persist_state="session",
                                   placeholder="Ingen (samma för alla)")
            for kod in valda:
                inmatat.append(ui.tal_input(f"{referens.kommunnamn(kod)}, %", n.volym_kommun(kod),
                                            rimligt=sd.RIMLIGT_VOLYM))
    scenario = sd.state_scenario(st.session_state, k, p)
    text = sd.till_param(scenario)
    if url != text:
        st.query_params[p] = text
        st.session_state[f"_{p}_url"] = text
    scenarier.append(scenario)
    sparrar.append("ett värde i scenariot kunde inte läsas eller är inte bekräftat; rätta eller bekräfta det "
                   "innan scenariot räknas." if any(v is None for v in inmatat) else None)
for i in range(antal + 1, sd.MAX_SCENARIER + 1):
    st.query_params.pop(f"simulator_s{i}", None)

# --- results -----------------------------------------------------------------------------------
berakning = sd.berakna(underlag, scenarier, k, sparrar)
for scenario, fel in zip(berakning.scenarier, berakning.fel):
    if fel:
        st.error(f"{saker_text.markdown(scenario.namn)}: {fel}")
if not berakning.giltiga:
    st.stop()
namn = {i: berakning.scenarier[i].namn for i in berakning.giltiga}
st.header("Resultat")
vald = berakning.giltiga[0]
if len(berakning.giltiga) > 1:
    vald = st.radio("Visa detaljer och tjänsteskrivelse för", berakning.giltiga, format_func=lambda i: saker_text.markdown(namn[i]),
                    horizontal=True, key="simulator_visa")
resultat = berakning.resultat[vald]
skydd = sd.skydd(resultat, underlag.personer, ui.oppen_vy(), ui.smatal_grans())
if prognos := sd.prognos_beskrivning(underlag, skydd):
    prognos_plats.caption(prognos)
kort = sd.nyckeltal(resultat, skydd, volymar)
for kolumn, kk in zip(st.columns(len(kort)), kort):
    kolumn.metric(kk.etikett, kk.varde, kk.andring, delta_color="off", help=kk.hjalp, border=True)

st.subheader(f"Så räknas nivån {malar}")
for calc in resultat.nivaer.values():
    forklaring = sd.rate_forklaring(calc)
    with st.expander(f"{sd.INSATS_RUBRIK[calc.insats]}: {calc.kort or calc.modell}", expanded=True):
        # the steps quote the imported rates' source and decision texts: data, never Markdown
        md = saker_text.markdown
        st.markdown("\n".join(f"{j}. {md(steg)}" for j, steg in enumerate(forklaring["steg"], start=1)))
        for antagande in forklaring["antaganden"]:
            st.markdown(f":orange-badge[Antagande] {md(antagande)}")
        st.caption("Källor: " + " · ".join(md(k) for k in forklaring["kallor"]))

if len(berakning.giltiga) > 1:
    st.subheader("Scenarierna sida vid sida")
    st.table(sd.hogerstalld(sd.jamforelse_tabell(berakning, skydd, volymar)))
    if not skydd.totalt:
        st.plotly_chart(charts.jamforelse(sd.jamforelse_diagram(berakning, skydd, volymar), malar),
                        key="simulator_jamforelse")

avsnitt = sd.ekonomiska_konsekvenser(berakning, vald, underlag, oppen_vy=ui.oppen_vy(), threshold=ui.smatal_grans(),
                                     demodata=db.demo_info(installningar.extracts_dir()) is not None)
st.subheader(f"Kostnad {malar} mot {volymar} års nivå")
tabeller = [tb for tb in avsnitt.tabeller if tb.namn != "Jämförelse"]  # the comparison is shown above
for flik, tb in zip(st.tabs([tb.namn for tb in tabeller]), tabeller):
    with flik:
        st.table(sd.visning(tb))
        if tb.namn == "Per månad":
            st.plotly_chart(charts.per_manad(sd.per_manad(resultat, skydd), volymar, malar), key="simulator_per_manad")
if skydd.nagot:
    st.caption(smatalsskydd.footnote_sv(ui.smatal_grans()))

st.subheader("Fördjupning")
t_kanslighet, t_break_even, t_grund, t_efter = st.tabs(
    ["Känslighet", f"Break-even för {BASIS_TEXT[resultat.scenario.grund]} tid", "Utförd eller beviljad tid",
     "Efterreglering av OPI"])
with t_kanslighet:
    kanslighet = sd.kanslighet(underlag, resultat, k)
    if skydd.totalt:
        st.caption(smatalsskydd.footnote_sv(ui.smatal_grans()))
    else:
        st.plotly_chart(charts.kanslighet(kanslighet.frame, kanslighet.rubrik, kanslighet.xtitel, kanslighet.vald,
                                          float(resultat.totalt().kostnad_nu_kr)), key="simulator_kanslighet")
with t_break_even:
    b1, b2 = st.columns([1, 2])
    be_insats = b1.selectbox("Insats", k.insatser, format_func=sd.INSATS_RUBRIK.get, key="simulator_be_insats",
                             bind="query-params")
    with b1:
        kostnad = ui.tal_input("Kostnad per arbetad timme, kr", "simulator_be_kostnad", rimligt=(0, 100000), enhet="kr",
                               placeholder="Ange er egen kostnad", tomt_ok=True, bind="query-params",
                               help="Utförarens kostnad per arbetad timme (lön, sociala avgifter, resor, overhead). "
                                    "Den finns inte i extrakten: ange den.")
    kurva, svar = sd.break_even(resultat, be_insats, kostnad)
    for be in svar:
        b1.markdown(be.forklaring)
    if not svar:
        per = BASIS_TEXT[resultat.scenario.grund]
        b1.caption(f"Bara {per} tid ersätts, så kringtiden (restid, dokumentation) ska täckas av den. Diagrammet "
                   f"visar andelen {per} tid som krävs vid olika kostnader; ange er kostnad för ett exakt svar.")
    b2.plotly_chart(charts.break_even(kurva, float(kostnad) if kostnad is not None else None),
                    key="simulator_break_even")
with t_grund:
    byte = basis_switch_effect(underlag.timmar, underlag.nuvarande_kr, resultat.scenario.momskompensation_procent,
                               underlag.nuvarande_ingar)
    if skydd.totalt:
        st.caption(smatalsskydd.footnote_sv(ui.smatal_grans()))
    else:
        st.markdown(byte.forklaring + f" Beräknat med {volymar} års nivåer och timmar.")
        st.table(sd.hogerstalld(sd.basbyte_tabell(byte, skydd)))
with t_efter:
    efter = sd.efterreglering(underlag, resultat)
    st.markdown(sd.efterreglering_intro(efter, malar))
    rader = sd.efterreglering_rader(efter, skydd)
    st.markdown("\n".join(f"- {rad}" for rad in rader) or smatalsskydd.footnote_sv(ui.smatal_grans()))

st.header("Tjänsteskrivelse: Ekonomiska konsekvenser")
st.caption("Texten följer det valda scenariot och kan klistras in som avsnittet ”Ekonomiska konsekvenser”. "
           "Word- och Excel-filerna innehåller samma text och tabellerna ovan under ”Kostnad”.")
d1, d2, _ = st.columns([1, 1, 3])
# built on click, not on every rerun: the docx takes seconds for a large table (bench/)
forfattare = f"{referens.kommunnamn(installningar.get('hemkommun'))} kommun, {installningar.get('namnd')}"
ui.nedladdning("Ladda ner .docx", lambda: tj.to_docx(avsnitt, forfattare), sd.filnamn(resultat, "docx"), icon=":material/description:",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   key="simulator_docx", on_click="ignore", plats=d1)
ui.nedladdning("Ladda ner .xlsx", lambda: tj.to_xlsx(avsnitt), sd.filnamn(resultat, "xlsx"), icon=":material/table:",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="simulator_xlsx", on_click="ignore", plats=d2)
with st.container(border=True, key="simulator_text"):
    st.markdown(tj.markdown_text(avsnitt))
