"""Data: what is stored per table, the import log, and import of real extracts (.csv/.xlsx)."""

import streamlit as st

from beslutsstod import installningar, ui
from beslutsstod.data import datastatus, db, granskningslogg
from beslutsstod.dokument import tabellfil
from beslutsstod.inlasning import importflode
from beslutsstod.vyer import data as datavy

st.title("Data")
ui.demo_banner()
st.caption("Uppgifterna som beslutsstödet räknar på, och import av egna extrakt (.csv eller .xlsx).")


@st.cache_data(show_spinner=False, max_entries=8)
def sammanfatta(data_dir: str, version: str, antal_forsok: int) -> list[importflode.TabellStatus]:
    # computed once per data version and import attempt (a refused attempt changes no data but is
    # reported in the summary)
    return importflode.sammanfatta(data_dir)


data_dir = installningar.data_dir()
if datastatus.aterstall_om_avbruten(data_dir):  # an import that crashed mid-commit is finished first
    ui.logga("import_aterstalld")
version = db.data_version(installningar.extracts_dir())
nyckel = installningar.get("pseudonym_nyckel")
vy = datavy.data(data_dir, db.demo_info(installningar.extracts_dir()) is not None, nyckel,
                 lambda d, antal_forsok: sammanfatta(str(d), version, antal_forsok))

st.subheader("Lagrade tabeller")
HOGER = st.column_config.TextColumn(alignment="right")  # numbers as Swedish text, aligned like numbers
st.dataframe(vy.statustabell, hide_index=True, key="data_status", column_config={
    "Rader": HOGER,
    "Månader utan data": st.column_config.TextColumn(
        help="Månader mellan första och sista datum som saknar rader helt (t.ex. ett avbrott i "
             "källsystemet). De visas som saknade på sidorna, aldrig som noll.")})
ui.utskriftstabell(vy.statustabell, "data_status")  # print (README, Tillgänglighet)
st.markdown("**Senaste import per tabell**")
st.dataframe(vy.importtabell, hide_index=True, key="data_senaste_import", column_config={
    "Tillagda": HOGER, "Ersatta": HOGER,
    "Avvisade": st.column_config.TextColumn(alignment="right",
                                            help="Rader med fel i den importen (en genomförd import har inga)."),
    "Kontrollsumma": st.column_config.TextColumn(help="Början av filens SHA-256; hela summan står i importloggen.")})
ui.utskriftstabell(vy.importtabell, "data_senaste_import")
st.caption(vy.senaste_andring)
for text in vy.avvisade:
    st.warning(text, icon=":material/block:")

st.subheader("Importera")
if vy.demo:
    st.info(vy.demo, icon=":material/info:")
st.markdown(
    "Välj en fil under varje tabell som ska importeras. Filer som importeras samtidigt kontrolleras "
    "tillsammans: antingen importeras alla, eller ingen. Hela filen kontrolleras innan något skrivs, och alla "
    "fel visas på en gång. Ett besök med ett `besok_id` som redan finns ersätter det lagrade; samma fil två "
    "gånger ändrar ingenting. Ladda ned en mall för att se vilka kolumner som behövs.")

max_mb = installningar.get("upload_max_mb")
nr = st.session_state.setdefault("data_uppladdning_nr", 0)  # new uploaders after a successful import
valda = []
for flik, mall in zip(st.tabs([f.tabell for f in vy.flikar], key="data_flik"), vy.flikar):
    tabell = mall.tabell
    with flik:
        st.caption(mall.beskrivning)
        fil = st.file_uploader(
            f"Fil med {tabell} (.csv eller .xlsx, högst {max_mb} MB)", type=["csv", "xlsx"],
            key=f"data_fil_{tabell}_{nr}", max_upload_size=max_mb,
            help=f"Filer större än {max_mb} MB tas inte emot (webbläsaren svarar då på engelska "
                 f"”File must be {max_mb}.0MB or smaller”). Dela upp filen, t.ex. ett år per fil, "
                 "eller importera den från kommandoraden, där ingen storleksgräns gäller.")
        mallar = st.container(horizontal=True)
        # through ui.nedladdning like every download: a click neither reruns the page nor goes unlogged
        ui.nedladdning("Mall (.xlsx)", mall.mall_xlsx, file_name=f"mall_{tabell}.xlsx", plats=mallar,
                       mime=tabellfil.XLSX_MIME, icon=":material/download:", key=f"data_mall_xlsx_{tabell}")
        ui.nedladdning("Mall (.csv)", mall.mall_csv, file_name=f"mall_{tabell}.csv", plats=mallar,
                       mime="text/csv", icon=":material/download:", key=f"data_mall_csv_{tabell}")
        with st.expander("Filformat (valfritt: identifieras annars)"):
            kol = st.columns(4)
            sep = kol[0].selectbox("Avgränsare (CSV)", list(datavy.AVGRANSARE), format_func=datavy.AVGRANSARE.get,
                                   key=f"data_sep_{tabell}")
            decimal = kol[1].selectbox("Decimaltecken", list(datavy.DECIMALTECKEN),
                                       format_func=datavy.DECIMALTECKEN.get, key=f"data_decimal_{tabell}")
            kodning = kol[2].selectbox("Teckenkodning (CSV)", list(datavy.KODNINGAR), format_func=datavy.KODNINGAR.get,
                                       key=f"data_kodning_{tabell}")
            blad = kol[3].text_input("Blad (.xlsx)", key=f"data_blad_{tabell}", placeholder="Identifiera",
                                     help="Tomt: bladet som heter som tabellen, eller arbetsbokens enda blad.")
        if fil is not None:
            valda.append((tabell, fil, dict(sep=sep, decimal=decimal, kodning=kodning, blad=blad.strip() or None)))

pseudonymisera = st.checkbox(
    "Pseudonymisera personnummer i brukare_id", key="data_pseudonymisera", disabled=vy.nyckel_fel is not None,
    help="Ersätter värden i brukare_id som är personnummer eller samordningsnummer med en nyckelad hash "
         "(HMAC-SHA256). Gäller besok och vistelser." + (f" {vy.nyckel_fel}" if vy.nyckel_fel else ""))
with st.expander("Varför pseudonymer krävs"):
    st.markdown(datavy.PSEUDONYM_VARFOR)
    if vy.nyckel_fel:
        st.caption(vy.nyckel_fel)

att_importera, knapp = datavy.att_importera([(t, f.name) for t, f, _ in valda])
if att_importera:
    st.caption(att_importera)
if st.button(knapp, type="primary", disabled=not valda, key="data_importera", icon=":material/upload:"):
    stapel = st.progress(0.0, text="Startar importen …")
    resultat = importflode.importera_flera(
        # the uploaded file object itself: copied to the data folder in blocks, never duplicated in memory
        [importflode.ImportFil(tabell=t, strom=f, filnamn=f.name, **val) for t, f, val in valda],
        data_dir, pseudonymisera=pseudonymisera and vy.nyckel_fel is None, nyckel=nyckel if pseudonymisera else None,
        max_bytes=max_mb * importflode.BYTES_PER_MB,
        framsteg=lambda andel, text: stapel.progress(min(max(andel, 0.0), 1.0), text=text))
    st.session_state["data_resultat"] = resultat
    for r in resultat.filer:
        ui.logga("import", tabell=r.tabell, fil=r.fil, status=r.status, tillagda=r.tillagda, ersatta=r.ersatta,
                 avvisade=r.avvisade)
    if resultat.dataversion:
        # The query cache is keyed on the data version already; clearing it frees the old results
        # at once. The DuckDB views read the files at query time, so the connection stays valid.
        st.cache_data.clear()
        st.session_state["data_uppladdning_nr"] = nr + 1
    st.rerun()  # app.py decides again which pages exist (demo data removed, or all five tables in place)

if (resultat := st.session_state.get("data_resultat")) is not None:
    rv = datavy.importresultat(resultat)
    st.subheader("Senaste importen")
    getattr(st, rv.typ)(rv.text)
    for fv in rv.filer:
        getattr(st, fv.typ)(fv.text)
        for rad in fv.info:
            st.markdown(f"- {rad}")
        if fv.detaljer:
            st.caption(fv.detaljer)
        if fv.problem is not None:
            st.dataframe(fv.problem, hide_index=True, key=f"data_problem_{fv.tabell}",
                         column_config={"Varför": st.column_config.TextColumn(width="large")})
        if fv.utelamnade:
            st.caption(fv.utelamnade)
    # the report quotes values from the file: an export like any other, so it is in the audit log
    ui.nedladdning("Ladda ned rapporten (.txt)", rv.rapport, file_name="importrapport.txt", mime="text/plain",
                   icon=":material/download:", key="data_rapport")

st.subheader("Importlogg")
if vy.importlogg is not None:
    st.dataframe(vy.importlogg, hide_index=True, key="data_logg")
    ui.utskriftstabell(vy.importlogg, "data_logg")
else:
    st.caption("Loggen är tom.")

st.subheader("Vem gjorde vad")
st.caption("Importer, ändringar i Kartläggningens referenstabell och exporter, med användarens id (sub) och e-post "
           f"från inloggningen. Loggen fylls bara på: `{granskningslogg.FILNAMN}` i datamappen.")
if vy.granskningslogg is not None:
    st.dataframe(vy.granskningslogg, hide_index=True, key="data_granskningslogg")
    ui.utskriftstabell(vy.granskningslogg, "data_granskningslogg")
else:
    st.caption("Inga händelser ännu.")
