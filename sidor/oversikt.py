"""Översikt: the chosen year against the year before."""

import streamlit as st

from beslutsstod import ui
from beslutsstod.diagram import grund as diagram_grund
from beslutsstod.regler import jamforelse, smatalsskydd
from beslutsstod.vyer import oversikt

f = ui.filters()
st.title("Översikt")
ui.demo_banner()
riktning = st.radio("Visa", list(ui.RIKTNINGAR), format_func=ui.RIKTNINGAR.get, horizontal=True,
                    key="oversikt_riktning", bind="query-params")

saknas = {(int(r.ar), int(r.manad)) for r in ui.run("filter/manader_utan_data").itertuples()}
jmf = jamforelse.jamforbarhet((f.ar - 1, f.ar), f.till_manad, saknas)
rader = ui.run("oversikt/nyckeltal", f.params(riktning, till_manad=f.till_manad, jmf_manader=jmf.manader))
skydd = ui.oversikt_skydd(f, riktning, jmf.manader)  # the protected view's linked masking (None: detailed view)
antagande = ui.intakt_antagande(f, f.ar) if riktning == "intakt" else None
kort, maskerat = oversikt.nyckeltal(rader, f.ar, ui.oppen_vy(), ui.smatal_grans(), riktning, jmf.text(), skydd,
                                    antagande)

st.caption(f"{ui.period_text(f)}. {f.beskrivning()}.")
if int(rader["antal_besok"].sum()) == 0:
    st.info(f"Urvalet har inga besök {f.ar - 1} eller {f.ar}: det finns inga belopp att visa. "
            "Ändra urvalet i sidopanelen.")
    st.stop()
if ofullstandigt := jamforelse.ofullstandig(f.ar, f.till_manad, saknas):
    st.caption(f"{f.ar}: {ofullstandigt}.")
if jmf.text():
    st.caption(f"Beloppen är det registrerade; förändringarna är räknade {jmf.text()} (en månad utan "
               "registreringar räknas inte som noll).")
# the cost card gets more room: a full year's cost in kronor is the widest figure
for kolumn, k in zip(st.columns([1.6] + [1] * (len(kort) - 1)), kort):
    kolumn.metric(k.etikett, k.varde, k.andring, delta_color="off", help=k.hjalp, border=True)
if maskerat:
    st.caption(smatalsskydd.footnote_sv(ui.smatal_grans()))
if antagande:
    st.caption(antagande)
utan_niva = int(rader["antal_besok_utan_niva"].sum())
if utan_niva:
    st.warning(f"{utan_niva} besök saknar en ersättningsnivå som gällde besöksdagen. Deras kostnad saknas i "
               "summorna (den räknas inte som noll).")

manader = ui.run("oversikt/kostnad_per_manad", f.params(riktning))
dolda = set(skydd.dolda_manader) if skydd else oversikt.maskerade_manader(manader, ui.oppen_vy(), ui.smatal_grans())
if manader.empty:
    st.info(f"Urvalet har inga besök {f.ar - 1} eller {f.ar}, så det finns inget att visa per månad.")
else:
    st.plotly_chart(diagram_grund.kostnad_per_manad(manader, f.ar, dolda, saknas, oversikt.BELOPP_ETIKETT[riktning]),
                    key="oversikt_per_manad")
if dolda:
    st.caption(smatalsskydd.footnote_sv(ui.smatal_grans()))
if any(ar in (f.ar - 1, f.ar) for ar, _ in saknas):
    st.caption("saknas = månaden saknar tidsregistreringar helt (t.ex. ett avbrott i systemet). "
               "Den visas som saknad, inte som noll.")
