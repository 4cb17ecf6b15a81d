"""Data: what is stored per table, the import log, and import of real extracts (.csv/.xlsx)."""

import streamlit as st

from beslutsstod import installningar, saker_text, ui
from beslutsstod.data import datastatus as ds
from beslutsstod.data import db, granskningslogg
from beslutsstod.dokument import tabellfil
from beslutsstod.inlasning import importflode

st.title("Data")
ui.demo_banner()
st.caption("Uppgifterna som beslutsstödet räknar på, och import av egna extrakt (.csv eller .xlsx).")



@st.cache_data(show_spinner=False, max_entries=8)
def sammanfatta(data_dir: str, version: str, antal_forsok: int) -> list[importflode.TabellStatus]:
    # ~0,5 s over 10 million visits: computed once per data version and import attempt (a refused
    # attempt changes no data but is reported in the summary)
    return importflode.sammanfatta(data_dir)


data_dir = installningar.data_dir()
if ds.aterstall_om_avbruten(data_dir):  # an import that crashed mid-commit is finished first
    ui.logga("import_aterstalld")
logg = importflode.las_importlogg(data_dir)
statusar = sammanfatta(str(data_dir), db.data_version(installningar.extracts_dir()), len(logg))

st.subheader("Lagrade tabeller")
HOGER = st.column_config.TextColumn(alignment="right")  # numbers as Swedish text, aligned like numbers
st.dataframe(ds.statustabell(statusar), hide_index=True, key="data_status", column_config={
    "Rader": HOGER,
    "Månader utan data": st.column_config.TextColumn(
        help="Månader mellan första och sista datum som saknar rader helt (t.ex. ett avbrott i "
             "källsystemet). De visas som saknade på sidorna, aldrig som noll.")})
st.markdown("**Senaste import per tabell**")
st.dataframe(ds.importtabell(statusar), hide_index=True, key="data_senaste_import", column_config={
    "Tillagda": HOGER, "Ersatta": HOGER,
    "Avvisade": st.column_config.TextColumn(alignment="right",
                                            help="Rader med fel i den importen (en genomförd import har inga)."),
    "Kontrollsumma": st.column_config.TextColumn(help="Början av filens SHA-256; hela summan står i importloggen.")})
st.caption(ds.senaste_andring(logg) or "Ingen import har gjorts ännu: uppgifterna har inte kommit via sidan "
           "Data eller kommandot för import.")
for text in ds.avvisade_forsok(statusar):
    st.warning(text, icon=":material/block:")

st.subheader("Importera")
demo = db.demo_info(installningar.extracts_dir()) is not None
if demo:
    st.info("Nu visas demodata. Den första importen tar bort **all** demodata, eftersom verkliga och "
            "fiktiva uppgifter aldrig blandas. Importera därefter alla fem tabellerna – samtidigt, eller en "
            "i taget i ordningen utforare → ersattningsnivaer → besok (budget och vistelser när som helst). "
            "Tills alla fem finns visas bara den här sidan. Tabellerna insatspriser och avgiftsregler är "
            "valfria: de behövs bara för sidan Ny ersättningsmodell.", icon=":material/info:")
st.markdown(
    "Välj en fil under varje tabell som ska importeras. Filer som importeras samtidigt kontrolleras "
    "tillsammans: antingen importeras alla, eller ingen. Hela filen kontrolleras innan något skrivs, och alla "
    "fel visas på en gång. Ett besök med ett `besok_id` som redan finns ersätter det lagrade; samma fil två "
    "gånger ändrar ingenting. Ladda ned en mall för att se vilka kolumner som behövs.")

max_mb = installningar.get("upload_max_mb")
nr = st.session_state.setdefault("data_uppladdning_nr", 0)  # new uploaders after a successful import
valda = []
for flik, (tabell, beskrivning) in zip(st.tabs(list(ds.ORDNING), key="data_flik"), ds.valbara_tabeller().items()):
    with flik:
        st.caption(beskrivning)
        fil = st.file_uploader(
            f"Fil med {tabell} (.csv eller .xlsx, högst {max_mb} MB)", type=["csv", "xlsx"],
            key=f"data_fil_{tabell}_{nr}", max_upload_size=max_mb,
            help=f"Filer större än {max_mb} MB tas inte emot (webbläsaren svarar då på engelska "
                 f"”File must be {max_mb}.0MB or smaller”). Dela upp filen, t.ex. ett år per fil, "
                 "eller importera den från kommandoraden, där ingen storleksgräns gäller.")
        mallar = st.container(horizontal=True)
        mallar.download_button(
            "Mall (.xlsx)", lambda t=tabell: importflode.mall(t, "xlsx"), file_name=f"mall_{tabell}.xlsx",
            mime=tabellfil.XLSX_MIME, icon=":material/download:", key=f"data_mall_xlsx_{tabell}", on_click="ignore")
        mallar.download_button(
            "Mall (.csv)", lambda t=tabell: importflode.mall(t, "csv"), file_name=f"mall_{tabell}.csv",
            mime="text/csv", icon=":material/download:", key=f"data_mall_csv_{tabell}", on_click="ignore")
        with st.expander("Filformat (valfritt: identifieras annars)"):
            kol = st.columns(4)
            sep = kol[0].selectbox("Avgränsare (CSV)", list(ds.AVGRANSARE), format_func=ds.AVGRANSARE.get,
                                   key=f"data_sep_{tabell}")
            decimal = kol[1].selectbox("Decimaltecken", list(ds.DECIMALTECKEN), format_func=ds.DECIMALTECKEN.get,
                                       key=f"data_decimal_{tabell}")
            kodning = kol[2].selectbox("Teckenkodning (CSV)", list(ds.KODNINGAR), format_func=ds.KODNINGAR.get,
                                       key=f"data_kodning_{tabell}")
            blad = kol[3].text_input("Blad (.xlsx)", key=f"data_blad_{tabell}", placeholder="Identifiera",
                                     help="Tomt: bladet som heter som tabellen, eller arbetsbokens enda blad.")
        if fil is not None:
            valda.append((tabell, fil, dict(sep=sep, decimal=decimal, kodning=kodning, blad=blad.strip() or None)))

nyckel = installningar.get("pseudonym_nyckel")
nyckel_fel = ds.nyckel_problem(nyckel)
pseudonymisera = st.checkbox(
    "Pseudonymisera personnummer i brukare_id", key="data_pseudonymisera", disabled=nyckel_fel is not None,
    help="Ersätter värden i brukare_id som är personnummer eller samordningsnummer med en nyckelad hash "
         "(HMAC-SHA256). Gäller besok och vistelser." + (f" {nyckel_fel}" if nyckel_fel else ""))
with st.expander("Varför pseudonymer krävs"):
    st.markdown(ds.PSEUDONYM_VARFOR)
    if nyckel_fel:
        st.caption(nyckel_fel)

if valda:
    st.caption("Att importera: " + ", ".join(f"**{t}** ({saker_text.markdown(f.name)})" for t, f, _ in valda))
if st.button(f"Importera {len(valda)} {'fil' if len(valda) == 1 else 'filer'}" if valda else "Importera",
             type="primary", disabled=not valda, key="data_importera", icon=":material/upload:"):
    stapel = st.progress(0.0, text="Startar importen …")
    resultat = importflode.importera_flera(
        # the uploaded file object itself: copied to the data folder in blocks, never duplicated in memory
        [importflode.ImportFil(tabell=t, strom=f, filnamn=f.name, **val) for t, f, val in valda],
        data_dir, pseudonymisera=pseudonymisera and nyckel_fel is None, nyckel=nyckel if pseudonymisera else None,
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

resultat = st.session_state.get("data_resultat")
if resultat is not None:
    st.subheader("Senaste importen")
    typ, text = ds.slutsats(resultat)
    getattr(st, typ)(text)
    for r in resultat.filer:
        typ, text = ds.rubrik(r)
        getattr(st, typ)(text)
        for rad in r.info:
            st.markdown(f"- {saker_text.markdown(rad)}")  # may quote a sheet name or a value
        if ds.detaljer(r):
            st.caption(ds.detaljer(r))
        if r.problem:
            st.dataframe(ds.problemtabell(r), hide_index=True, key=f"data_problem_{r.tabell}",
                         column_config={"Varför": st.column_config.TextColumn(width="large")})
        if ds.utelamnade_problem(r):
            st.caption(ds.utelamnade_problem(r))
    # the report quotes values from the file: an export like any other, so it is in the audit log
    ui.nedladdning("Ladda ned rapporten (.txt)", resultat.rapport().encode("utf-8"),
                   file_name="importrapport.txt", mime="text/plain", icon=":material/download:",
                   key="data_rapport", on_click="ignore")

st.subheader("Importlogg")
if logg:
    st.dataframe(ds.loggtabell(logg), hide_index=True, key="data_logg")
else:
    st.caption("Loggen är tom.")

st.subheader("Vem gjorde vad")
st.caption("Importer, ändringar i Kartläggningens referenstabell och exporter, med användarens id (sub) och e-post "
           f"från inloggningen. Loggen fylls bara på: `{granskningslogg.FILNAMN}` i datamappen.")
handelser = granskningslogg.las(data_dir)
if handelser:
    st.dataframe(granskningslogg.tabell(handelser), hide_index=True, key="data_granskningslogg")
else:
    st.caption("Inga händelser ännu.")
