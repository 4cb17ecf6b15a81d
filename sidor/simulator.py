"""Vad händer om? The rate revision simulator and the "Ekonomiska konsekvenser" it writes.

The page reads its widgets and renders; the figures come from its model (beslutsstod/vyer/simulator.py)
and the scenario inputs' keys, state and URL from beslutsstod/vyer/simulator_val.py.

The answer leads (issue 15): the new levels, the cost change and the text's lead sit at the top, in a
container filled once the inputs are read; the inputs follow in an expander the user opens; then how
the figures are computed, and last the whole tjänsteskrivelse section with its downloads.
"""

import streamlit as st

from beslutsstod import begrepp, saker_text, ui
from beslutsstod.data import referens
from beslutsstod.dokument.pdf import PDF_MIME
from beslutsstod.regler.simulator import BASIS_TEXT
from beslutsstod.vyer import simulator as sd
from beslutsstod.vyer import simulator_val as val
from beslutsstod.vyer.simulator import Scenarioval, Visningstabell

md = saker_text.markdown  # scenario names, imported sources and decisions are data, never Markdown


def tabell(t: Visningstabell) -> None:
    """st.table with numbers right-aligned (every column but the first and the text columns), text escaped."""
    ratt = [i for i, c in enumerate(t.frame.columns) if i > 0 and c not in t.text_kolumner]
    frame = saker_text.tabell(t.frame)  # cells and headers (a scenario's name) literal
    tal = [frame.columns[i] for i in ratt]
    # !important: st.table writes text-align inline on every cell
    st.table(frame.style.hide(axis="index").set_properties(subset=tal, **{"text-align": "right !important"})
             .map_index(lambda c: "text-align: right !important" if c in tal else "", axis="columns"))


s, f = ui.sammanhang(), ui.filters()
st.title("Vad händer om?")
ui.demo_banner()
inledning = st.empty()
svar = st.container(key="simulator_svar")  # the answer: filled below, once the inputs are read
indata = st.expander("Ändra förutsättningar och scenarier: volymunderlag, målår, nivåer, OPI och volym",
                     icon=":material/tune:", key="simulator_indata")
with indata:  # every input, down to the results, is drawn inside the expander
    # --- volume basis and target year ---------------------------------------------------------------
    period = sd.valbara_perioder(s)
    k1, k2, k3 = st.columns([2.2, 1, 1])
    volymbas = k1.radio("Volymunderlag", period.volymbaser, format_func=period.text, horizontal=True,
                        key=val.VOLYMBAS, bind="query-params", help=begrepp.lank("volymunderlag", "Vad är volymunderlag?"))
    malar = k2.selectbox("Målår (året den nya nivån gäller)", period.malar, key=val.MALAR, bind="query-params",
                         help=begrepp.lank("malar", "Vad är målår?"))
    antal = k3.segmented_control("Antal scenarier", [1, 2, 3], default=2, key=val.ANTAL, bind="query-params") or 1

    fu = sd.forutsattningar(s, f, volymbas, malar)
    inledning.caption(fu.inledning)
    if fu.stopp:
        (svar.warning if fu.stopp_ar_varning else svar.info)(fu.stopp)
        st.stop()
    for note in fu.noter:
        st.caption(note)
    prognos_plats = st.empty()  # the forecast's method, filled once small-number protection is known
    k = fu.k

    # --- the scenarios (each kept in the URL as compact JSON: ?simulator_s1={…}) ----------------------
    scenarier, sparrar = [], []
    flikar = st.tabs([md(st.session_state.get(val.Nycklar(val.scenarioprefix(i)).namn) or fu.standard[i - 1].namn)
                      for i in range(1, antal + 1)])
    for i, flik in enumerate(flikar, start=1):
        p = val.scenarioprefix(i)
        n = val.Nycklar(p)
        url, noter = st.query_params.get(p), []
        if url and url != st.session_state.get(n.url):  # a new link: its scenario replaces the inputs
            state, noter = val.fran_lank(url, k, p)
            st.session_state.update(state)
            st.session_state[n.url] = url
        for key, value in val.scenario_state(fu.standard[i - 1], k, p)[0].items():
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
                    modell = st.selectbox(begrepp.INSATS_NAMN[insats], val.modellval(k, insats), key=n.modell(insats),
                                          format_func=lambda m, insats=insats: val.modell_etikett(k, insats, m),
                                          persist_state="session")
                    if modell == "egen_summa":
                        inmatat.append(ui.tal_input(f"Belopp {malar}, {begrepp.KR_TIM} exkl. momskompensation",
                                                    n.belopp(insats), rimligt=val.RIMLIGT_KR, enhet="kr"))
            with c2:
                st.markdown("**Omsorgsprisindex (OPI)**", help=fu.opi_hjalp)
                for falt in val.opi_falt(k, {i: st.session_state[n.modell(i)] for i in k.insatser}):
                    if not falt.val:
                        st.caption(falt.text)
                        continue
                    opi_val = st.radio(falt.etikett, falt.val, format_func=val.OPI_VAL_TEXT.get, horizontal=True,
                                       key=n.opi_val(falt.ar), persist_state="session")
                    if opi_val == "publicerat":
                        st.caption(falt.text)
                    elif opi_val in ("antagande", "eget"):
                        inmatat.append(ui.tal_input(
                            f"OPI {falt.ar}, % ({'antagande' if opi_val == 'antagande' else 'eget värde'})",
                            n.opi(falt.ar), rimligt=val.RIMLIGT_OPI))
                    else:
                        a, b = st.columns(2)
                        with a:
                            lon = ui.tal_input("Summa lönekostnadsförändring, %", n.opi_lon(falt.ar),
                                               rimligt=val.RIMLIGT_OPI)
                        with b:
                            kpi = ui.tal_input("KPI, %", n.opi_kpi(falt.ar), rimligt=val.RIMLIGT_OPI)
                        inmatat += [lon, kpi]
                        if lon is not None and kpi is not None:
                            st.caption(val.komponent_text(lon, kpi) + " (härlett, inte publicerat)")
            with c3:
                st.markdown("**Grund, avrundning och volym**")
                st.radio("Ersättning per", ("utford", "beviljad"), format_func=lambda g: f"{BASIS_TEXT[g]} timme",
                         horizontal=True, key=n.grund, persist_state="session",
                         help=f"Dagens nivåer gäller per {BASIS_TEXT[k.grund]} timme. Se "
                              f"{begrepp.lank('utford-tid', 'utförd tid')} och {begrepp.lank('beviljad-tid', 'beviljad tid')}.")
                st.selectbox("Avrundning av ny nivå", val.AVRUNDNINGAR, format_func=val.AVRUNDNING_TEXT.get,
                             key=n.avrundning, persist_state="session")
                inmatat.append(ui.tal_input("Momskompensation till privata utförare, %", n.moms,
                                            rimligt=val.RIMLIGT_MOMS, help=f"Betalas aldrig till en kommun. {begrepp.lank('momskompensation', 'Om momskompensation')}."))
                inmatat.append(ui.tal_input(f"Volymförändring mot {fu.volymar}, %", n.volym, rimligt=val.RIMLIGT_VOLYM))
                valda = st.multiselect("Egen volymförändring för vistelsekommun", k.kommuner,
                                       format_func=referens.kommunnamn, key=n.volym_kommuner, persist_state="session",
                                       placeholder="Ingen (samma för alla)")
                for kod in valda:
                    inmatat.append(ui.tal_input(f"{referens.kommunnamn(kod)}, %", n.volym_kommun(kod),
                                                rimligt=val.RIMLIGT_VOLYM))
        scenario = val.state_scenario(st.session_state, k, p)
        text = val.till_param(scenario)
        if url != text:
            st.query_params[p] = text
            st.session_state[n.url] = text
        scenarier.append(scenario)
        sparrar.append(val.sparr(inmatat))
    for i in range(antal + 1, val.MAX_SCENARIER + 1):
        st.query_params.pop(val.scenarioprefix(i), None)

# --- the answer, at the top ----------------------------------------------------------------------
vy = sd.simulator(s, fu, Scenarioval(tuple(scenarier), tuple(sparrar), st.session_state.get(val.VISA)))
with svar:
    for namn, fel in zip(vy.namn, vy.fel):
        if fel:
            st.error(f"{md(namn)}: {fel} Ändra scenariot under ”Ändra förutsättningar och scenarier” nedan.")
    if vy.vald is None:
        st.stop()
    st.header("Resultat")
    if len(vy.giltiga) > 1:
        st.radio("Visa detaljer och tjänsteskrivelse för", vy.giltiga, format_func=lambda i: md(vy.namn[i]),
                 horizontal=True, key=val.VISA)
    for kolumn, kk in zip(st.columns(len(vy.kort)), vy.kort):
        kolumn.metric(kk.etikett, kk.varde, kk.andring, delta_color="off", help=kk.hjalp, border=True)
    with st.container(border=True, key="simulator_sammanfattning"):
        st.markdown(vy.sammanfattning)
        st.caption("Hela avsnittet ”Ekonomiska konsekvenser”, med antaganden, källor och filer att ladda ner, "
                   "står sist på sidan.")
if vy.prognos:
    prognos_plats.caption(vy.prognos)

# --- how the figures are computed ----------------------------------------------------------------
st.subheader(vy.nivarubrik)
for forklaring in vy.nivaforklaringar:
    with st.expander(forklaring.rubrik, expanded=True):
        st.markdown("\n".join(f"{j}. {md(steg)}" for j, steg in enumerate(forklaring.steg, start=1)))
        for antagande in forklaring.antaganden:
            st.markdown(f":orange-badge[Antagande] {md(antagande)}")
        st.caption("Källor: " + " · ".join(md(kalla) for kalla in forklaring.kallor))

if vy.jamforelse is not None:
    st.subheader("Scenarierna sida vid sida")
    tabell(vy.jamforelse)
    if vy.jamforelse_figur is not None:
        ui.visa_diagram(vy.jamforelse_figur, vy.jamforelse_diagramtext, key="simulator_jamforelse")

st.subheader(vy.kostnadsrubrik)
for flik, tb in zip(st.tabs([tb.namn for tb in vy.kostnadstabeller]), vy.kostnadstabeller):
    with flik:
        tabell(tb)
        if tb.namn == "Per månad":
            ui.visa_diagram(vy.per_manad_figur, vy.per_manad_diagramtext, key="simulator_per_manad")
if vy.fotnot:
    st.caption(vy.fotnot)

st.subheader("Fördjupning")
t_kanslighet, t_break_even, t_grund, t_efter = st.tabs(list(vy.fordjupning))
with t_kanslighet:
    if vy.kanslighet_figur is None:
        st.caption(vy.skyddstext)
    else:
        ui.visa_diagram(vy.kanslighet_figur, vy.kanslighet_diagramtext, key="simulator_kanslighet")
with t_break_even:
    b1, b2 = st.columns([1, 2])
    be_insats = b1.selectbox("Insats", vy.be_insatser, format_func=begrepp.INSATS_NAMN.get, key=val.BE_INSATS,
                             bind="query-params")
    with b1:
        kostnad = ui.tal_input("Kostnad per arbetad timme, kr", val.BE_KOSTNAD, rimligt=val.RIMLIGT_KR, enhet="kr",
                               placeholder="Ange er egen kostnad", tomt_ok=True, bind="query-params",
                               help="Utförarens kostnad per arbetad timme (lön, sociala avgifter, resor, overhead). "
                                    "Den finns inte i extrakten: ange den.")
    be = vy.break_even(be_insats, kostnad)
    for svar in be.svar:
        b1.markdown(svar)
    if be.upplysning:
        b1.caption(be.upplysning)
    with b2:
        ui.visa_diagram(be.figur, be.diagramtext, key="simulator_break_even")
with t_grund:
    if vy.basbyte is None:
        st.caption(vy.skyddstext)
    else:
        st.markdown(vy.basbyte_text)
        tabell(vy.basbyte)
with t_efter:
    st.markdown(vy.efterreglering_intro)
    st.markdown("\n".join(f"- {rad}" for rad in vy.efterreglering_rader) or vy.skyddstext)

st.header("Tjänsteskrivelse: Ekonomiska konsekvenser")
st.caption("Texten följer det valda scenariot och kan klistras in som avsnittet ”Ekonomiska konsekvenser”. "
           "Word-, Excel- och PDF-filerna innehåller samma text och tabellerna under ”Kostnad” ovan.")
d1, d2, d3, _ = st.columns([1, 1, 1, 2])
ui.nedladdning("Ladda ner .docx", vy.docx, vy.docx_namn, icon=":material/description:", mime=sd.DOCX_MIME,
               key="simulator_docx", plats=d1)
ui.nedladdning("Ladda ner .xlsx", vy.xlsx, vy.xlsx_namn, icon=":material/table:", mime=sd.XLSX_MIME,
               key="simulator_xlsx", plats=d2)
ui.nedladdning("Ladda ner .pdf", vy.pdf, vy.pdf_namn, icon=":material/picture_as_pdf:", mime=PDF_MIME,
               key="simulator_pdf", plats=d3)
with st.container(border=True, key="simulator_text"):
    st.markdown(vy.text)
