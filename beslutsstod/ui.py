"""The only module of the package that imports Streamlit: connection, cached queries, filters."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from beslutsstod import begrepp, behorighet, installningar, saker_text
from beslutsstod import talformat as fmt
from beslutsstod.data import db, granskningslogg, referens
from beslutsstod.dokument import tabellfil
from beslutsstod.vyer import urval
from beslutsstod.vyer.tabell import Tabellvy
from beslutsstod.vyer.urval import Filter, Sammanhang

TITEL = "Beslutsstöd för socialnämnden"
_ASSETS = installningar.REPO_ROOT / "assets"


@st.cache_resource(show_spinner=False)
def _database(extracts_dir: str) -> db.Database:
    return db.open_database(db.Path(extracts_dir))


def data_ready() -> bool:
    """Whether all five extracts are in place; builds the demo data when nothing was ever imported."""
    extracts = installningar.extracts_dir()
    if not db.has_extracts(extracts) and not db.has_import_history(extracts):
        with st.spinner("Inga extrakt finns i datamappen – skapar demodata (fiktiva personer)…"):
            db.ensure_data()
    return db.has_extracts(extracts)


def database() -> db.Database:
    """The process's one DuckDB connection over the extracts (see data_ready)."""
    if not data_ready():
        raise RuntimeError("Extrakten är ofullständiga; importera dem på sidan Data.")
    return _database(str(installningar.extracts_dir()))


def data_version() -> str:
    """The data version (db.data_version): changed by an import's commit and by nothing else."""
    return db.data_version(installningar.extracts_dir())


@st.cache_data(max_entries=512, show_spinner=False)
def _run(name: str, params: tuple[tuple[str, Any], ...], version: str) -> pd.DataFrame:
    # `version` is only part of the cache key: an import gives a new version, so new keys; the
    # old entries are never asked for again and fall out (max_entries). No time limit: a result
    # is valid as long as its data version is current.
    return database().query(name, {k: list(v) if isinstance(v, tuple) else v for k, v in params}).to_pandas()


def run(name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run a named query (queries/<name>.sql); cached per data version. Returns a small frame.
    (Whether the extracts are complete is checked once per run, by app.py: data_ready.)"""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in (params or {}).items()))
    return _run(name, frozen, data_version())


@st.cache_resource(show_spinner=False, max_entries=256)
def _modell(namn: str, nyckel: str, version: str, extrakt: str, oppen_vy: bool, smatal_grans: int, hemkommun: str,
            momskompensation: float, _modellen: Any, _args: tuple, _kwargs: dict) -> Any:
    # Everything a page model's figures depend on is in the key: the model, the page's choices (its
    # arguments' repr: the Filter, strings, numbers), the data version, the view (masked or detailed)
    # and the settings that enter a figure. The result is shared by every session that asks the same.
    return _modellen(sammanhang(), *_args, **_kwargs)


def modell(modellen: Any, *args: Any, **kwargs: Any) -> Any:
    """A page model's result, built once per (page model, choices, data version, view) and shared by
    sessions: a rerun with the same choices (another session, a widget elsewhere on the page) costs
    a cache lookup, not the model's queries, masking and figures. For models whose arguments are the
    Filter and plain values (their repr is the key)."""
    s = sammanhang()
    return _modell(f"{modellen.__module__}.{modellen.__qualname__}", repr((args, sorted(kwargs.items()))),
                   data_version(), str(installningar.extracts_dir()), s.oppen_vy, s.smatal_grans, s.hemkommun,
                   installningar.get("momskompensation_procent"), modellen, args, kwargs)


def auth_konfigurerad() -> bool:
    """Whether sign-in (an `[auth]` section in .streamlit/secrets.toml) is configured."""
    # Streamlit keeps secrets.toml parsed once found, but while there is none it looks for every
    # candidate file again on each call (5 % of the server's CPU per rerun under load).
    if not any(Path(p).exists() for p in st.get_option("secrets.files")):
        return False
    return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)


def lyssnar_lokalt() -> bool:
    return behorighet.ar_loopback(st.get_option("server.address"))


def anvandare() -> behorighet.Anvandare | None:
    """The user of this session: from the ID token when sign-in is configured (None while not
    signed in), else the local user with every role (the server then listens on 127.0.0.1 only)."""
    if not auth_konfigurerad():
        roll = installningar.get("lokal_roll")
        if roll not in behorighet.ROLLER:
            raise ValueError(f"lokal_roll ska vara en av {', '.join(behorighet.ROLLER)}; fick {roll!r}")
        return behorighet.LOKAL_ANVANDARE if roll == behorighet.FORVALTARE else \
            behorighet.Anvandare(roll, "lokal", "", f"Lokal användare ({behorighet.ROLL_NAMN[roll].lower()})", True)
    if not st.user.is_logged_in:
        return None
    claims = {k: st.user.get(k) for k in st.user.keys()} if hasattr(st.user, "keys") else dict(st.user)
    roll = behorighet.roll_fran_claims(claims, installningar.get("roll_claim"), installningar.get("roll_grupper"))
    epost = str(claims.get("email") or "")
    return behorighet.Anvandare(roll=roll, sub=str(claims.get("sub") or ""), epost=epost,
                                namn=str(claims.get("name") or claims.get("preferred_username") or epost or "Inloggad"))


def roll() -> str | None:
    a = anvandare()
    return a.roll if a else None


def oppen_vy() -> bool:
    """Masked public view or detailed view: the role decides (behorighet.detaljerad)."""
    return not behorighet.detaljerad(roll())


def identitet() -> dict[str, str]:
    """The user's subject and e-mail, for the audit log."""
    a = anvandare()
    return a.identitet() if a else {"sub": "", "epost": ""}


def logga(handelse: str, **vad: Any) -> None:
    """Record who did what in the audit log (data folder)."""
    granskningslogg.skriv(installningar.data_dir(), identitet(), handelse, vad)


def loggad_nedladdning(data: Any, **vad: Any):
    """The data of a download button as a callable that records the export when it is clicked.

    Streamlit runs the callable on another thread after the click, without the session: the
    identity and the data folder are therefore read now.
    """
    vem, data_dir = identitet(), installningar.data_dir()

    def hamta():
        granskningslogg.skriv(data_dir, vem, "export", vad)
        return data() if callable(data) else data
    return hamta


def smatal_grans() -> int:
    return installningar.get("smatal_grans")


def sammanhang() -> Sammanhang:
    """The context every page model runs in: cached queries, this user's view, the threshold."""
    return Sammanhang(run, oppen_vy(), smatal_grans(), installningar.get("hemkommun"),
                      db.demo_info(installningar.extracts_dir()) is not None)


def utseende() -> None:
    """The frame every run gets first (README, Tillgänglighet): the app's stylesheet (contrast, focus,
    phone, print) and a small script (lang="sv", keyboard access to scrolling tables, the menu's
    landmark and current page). Style-only HTML goes to Streamlit's event container and takes no room;
    the script's container is hidden by the stylesheet."""
    st.html(_ASSETS / "tillganglighet.css")
    with st.container(key="tillganglighet_skript"):
        st.html(f"<script>{(_ASSETS / 'tillganglighet.js').read_text(encoding='utf-8')}</script>",
                unsafe_allow_javascript=True)


def sidtitel(sida: str | None = None) -> None:
    """The browser tab's title: the page's name first, then the app's (WCAG 2.4.2)."""
    st.set_page_config(page_title=f"{sida} – {TITEL}" if sida else TITEL)


def meny(avsnitt: dict[str, list[st.Page]], plats: Any) -> None:
    """The sidebar menu: a heading per section and a link per page the role may open.

    Streamlit's own navigation menu puts its section headings inside its list (axe: `list`,
    `listitem`), so app.py hides it (position="hidden") and draws this one with st.page_link.
    """
    with plats.container(key="meny"):
        for namn, sidor in avsnitt.items():
            if not sidor:
                continue
            st.html(f'<p class="meny-rubrik" role="heading" aria-level="2">{html.escape(namn)}</p>')
            for sida in sidor:
                st.page_link(sida, label=sida.title, icon=sida.icon, width="stretch")
    plats.divider()


# Names of the values a link may carry (the keys of the widgets bound to the address), for the notice
# of values that were reset. A key not named here is reported by its values alone.
ADRESSNAMN = {
    "ar": "År", "insats": "Insats", "regi": "Regi", "kommun": "Vistelsekommun",
    "oversikt_riktning": "Visa", "kostnader_riktning": "Visa", "utforare_riktning": "Visa",
    "vistelse_riktning": "Visa", "kostnader_dela": "Dela upp", "kostnader_pris": "Prisnivå",
    "kostnader_basar": "Basår", "utforare_val": "Utförare", "utforare_matt": "Rangordna efter",
    "vistelse_matt": "Färga efter", "manad_manad": "Till och med", "manad_metod": "Prognosmetod",
    "fakturakontroll_visa": "Visa", "fakturakontroll_flaggor": "Flaggor",
    "insatsmodell_fran": "Försöket från", "insatsmodell_till": "Till och med",
    "insatsmodell_regi": "Utförare i försöket", "insatsmodell_prislista": "Prislista",
}


def adressens_varden() -> dict[str, list[str]]:
    """The link's values as this run received them, before any widget accepted or reset them.
    (Called at the start of every run: it also forgets the previous run's place for the notice.)"""
    st.session_state.pop("_lanknotis_plats", None)
    return {k: st.query_params.get_all(k) for k in st.query_params}


def aterstallda_varden(fore: dict[str, list[str]]) -> list[tuple[str, list[str], list[str]]]:
    """The link values a widget bound to the address did not take as they were: (key, the link's
    values, the values shown instead). Streamlit resets such a widget to its default (or drops the
    unknown items of a multiselect) without a word; this is what the notice says.

    Compares each bound widget's value, serialised as Streamlit writes it to the address, with what
    the link said. Uses Streamlit's binding registry (not public API, Streamlit pinned in
    requirements.txt); if it changes, no notice is shown rather than a wrong one, and the browser
    test tests/browser/test_tillganglighet_browser.py fails.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    from streamlit.runtime.state.query_params import parse_url_param

    ctx = get_script_run_ctx()
    if ctx is None or not fore:
        return []
    try:
        with ctx.session_state.query_params() as qp:
            bindningar = {k: qp.get_binding_for_param(k) for k in fore}
        tillstand = ctx.session_state._state
        metadata = tillstand._new_widget_state.widget_metadata
        ut = []
        for nyckel, lank in fore.items():
            bindning = bindningar.get(nyckel)
            meta = metadata.get(bindning.widget_id) if bindning else None
            if meta is None or meta.bind != "query-params":
                continue
            visat = meta.serializer(tillstand[bindning.widget_id])
            visat_lista = [str(v) for v in visat] if isinstance(visat, (list, tuple)) else \
                ([] if visat is None else [str(visat)])
            try:
                tolkat = parse_url_param(lank if len(lank) != 1 else lank[0], meta.value_type)
            except (ValueError, TypeError, IndexError):
                tolkat = None
            tolkat_lista = [str(v) for v in tolkat] if isinstance(tolkat, (list, tuple)) else \
                ([] if tolkat is None else [str(tolkat)])
            if tolkat_lista != visat_lista:
                ut.append((nyckel, list(lank), visat_lista))
        return ut
    except (AttributeError, KeyError, TypeError):
        return []


def lanknotis_text(aterstallda: list[tuple[str, list[str], list[str]]]) -> str | None:
    """The Swedish notice of what a link asked for and what is shown instead. The link's values are
    data (anyone can write a link): escaped, so they show as typed and never as Markdown."""
    if not aterstallda:
        return None
    delar = []
    for nyckel, lank, visat in aterstallda:
        namn = ADRESSNAMN.get(nyckel)
        fran = ", ".join(f"”{saker_text.markdown(v)}”" for v in lank) or "tomt"
        till = ", ".join(saker_text.markdown(v) for v in visat) if visat else "inget val (alla)"
        delar.append(f"{namn}: {fran} → {till}" if namn else f"{fran} → {till}")
    return ("Länken innehöll värden som inte finns här; de har ersatts: " + "; ".join(delar) +
            ". Välj igen i menyn eller på sidan om du menade något annat.")


def lanknotis(fore: dict[str, list[str]], sida: str) -> None:
    """After the page has run: say which of the link's values were reset (kept until the page changes)."""
    text = lanknotis_text(aterstallda_varden(fore))
    sparad = st.session_state.get("_lanknotis")
    if text:
        sparad = st.session_state["_lanknotis"] = (sida, text)
    elif sparad and sparad[0] != sida:
        sparad = st.session_state["_lanknotis"] = None
    plats = st.session_state.pop("_lanknotis_plats", None)
    if sparad:
        (plats or st).warning(sparad[1], icon=":material/link_off:")


def sidebar_filters() -> Filter:
    """The global filters, in the sidebar and in the URL (so a copied link opens the same view).

    In the protected public view (läsare) only the year can be chosen: insats, regi and kommun
    are always "all", so the tables a läsare can reach are a finite, jointly protected set
    (beslutsstod/regler/lasarvy.py). The URL cannot change that: the role decides, not the parameters.
    """
    panel = urval.sidopanel(sammanhang())
    years, sista = panel.ar_lista, panel.sista_datum
    if oppen_vy():
        with st.sidebar:
            st.header("Urval")
            ar = st.selectbox("År", years[::-1], key="ar", bind="query-params", persist_state="session")
            st.caption("Den skyddade vyn visar alla insatser, regier och kommuner tillsammans.")
        return Filter(int(ar), [], [], [], sista)
    kommuner = panel.kommuner
    with st.sidebar:
        st.header("Urval")
        ar = st.selectbox("År", years[::-1], key="ar", bind="query-params", persist_state="session")
        insatser = st.multiselect("Insats", list(begrepp.INSATS_NAMN), format_func=begrepp.INSATS_NAMN.get, key="insats",
                                  placeholder="Alla insatser", bind="query-params", persist_state="session")
        regier = st.multiselect("Regi", list(begrepp.REGI_NAMN), format_func=begrepp.REGI_NAMN.get, key="regi",
                                placeholder="Alla regier", bind="query-params", persist_state="session",
                                help=begrepp.lank("regi", "Vad är regi?"))
        valda_kommuner = st.multiselect(
            "Vistelsekommun", kommuner, format_func=referens.kommunnamn, key="kommun",
            placeholder="Alla kommuner", bind="query-params", persist_state="session",
            help=f"Vid intäkter gäller valet {begrepp.lank('bosattningskommun', 'bosättningskommunen')}, den kommun "
                 f"vars invånare vi utför insatser åt. {begrepp.lank('vistelsekommun', 'Om vistelsekommun')}.")
        st.caption("Urvalet sparas i adressen: kopiera länken för att dela vyn.")
    return Filter(int(ar), list(insatser), list(regier), list(valda_kommuner), sista)


def filters() -> Filter:
    """The filters app.py rendered for this run."""
    return st.session_state["_filter"]


def nedladdning(label: str, data: Any, file_name: str | None = None, *, plats: Any = None, **kwargs: Any) -> bool:
    """st.download_button whose click is recorded in the audit log (who exported which file).

    A click does not rerun the page (on_click="ignore"): a download built on click (a callable) is
    fetched after the click, and a rerun at the same moment replaces the button's registered callable,
    so the browser could get no file, or the previous choice's file."""
    kwargs.setdefault("on_click", "ignore")
    return (plats or st).download_button(label, loggad_nedladdning(data, fil=file_name), file_name, **kwargs)


def datum_text(d: dt.date) -> str:
    """A date as the pages write it: 23 november 2026."""
    return f"{d.day} {fmt.manad_namn(d.month, lang=True)} {d.year}"


def demo_banner() -> None:
    """Under every page's title: the date of the data, the demo data's label, and (filled in by app.py
    after the page has run) the notice of link values that were reset."""
    filter_ = st.session_state.get("_filter")
    if filter_ is not None:
        st.caption(f"Data till och med {datum_text(filter_.sista_datum)}.")
    info = db.demo_info(installningar.extracts_dir())
    if info:
        st.info(f"**Demodata – fiktiva personer, besök, utförare och fakturor.** Skapade med slumpfrö "
                f"{info['seed']}. Ersättningsnivåerna följer publicerade beslut där sådana finns; övriga år är "
                "härledda eller antagna och märkta så.", icon=":material/science:")
    st.session_state["_lanknotis_plats"] = st.empty()


def tal_input(etikett: str, key: str, *, rimligt: tuple[float, float] | None = None, enhet: str = "%",
              help: str | None = None, placeholder: str | None = None, tomt_ok: bool = False,
              bind: str | None = None, standard: object = None) -> Decimal | None:
    """A number typed the Swedish way (`3,5`, `3.5`, `1 234,5`) in a text field; never changes magnitude.

    A browser's number field drops a decimal comma (`3,5` becomes 35), so every numeric input is a
    text field read by ``formatting.parse_tal``. Returns the value, or None when it cannot be used:
    unreadable (a Swedish error under the field), empty (unless ``tomt_ok``), or outside the
    plausible range ``rimligt`` until the user ticks the confirmation (a new value asks again).
    """
    kwargs: dict[str, Any] = {"bind": bind} if bind else {"persist_state": "session"}
    if standard is not None:
        kwargs["value"] = fmt.fmt_inmatning(standard)
    text = st.text_input(etikett, key=key, help=help, placeholder=placeholder, **kwargs)
    if tomt_ok and not str(text or "").strip():
        return None
    try:
        varde = fmt.parse_tal(text)
    except fmt.TalFel as exc:
        st.error(f"{etikett}: {exc}. Värdet används inte.", icon=":material/error:")
        return None
    if rimligt is not None and not rimligt[0] <= varde <= rimligt[1]:
        lo, hi = (fmt.fmt_inmatning(v) for v in rimligt)
        visat = fmt.fmt_inmatning(varde)
        st.warning(f"{etikett}: {visat} {enhet} ligger utanför det rimliga intervallet {lo} … {hi} {enhet}. "
                   "Kontrollera värdet; det används inte förrän du bekräftar det.", icon=":material/warning:")
        if not st.checkbox(f"Använd {visat} {enhet} ändå", key=f"{key}_bekraftat_{visat}"):
            return None
    return varde


def utskriftstabell(tabell: pd.DataFrame, key: str, *, hide_index: bool = True) -> None:
    """The print version of the table just shown with st.dataframe: a canvas cannot reflow on an A4
    page and is cut, so an HTML table follows it, hidden on screen; the print stylesheet prints it in
    the dataframe's place. Call it right after the st.dataframe. Text cells are data: escaped."""
    with st.container(key=f"utskriftstabell_{key}"):
        st.table(saker_text.tabell(tabell), hide_index=hide_index)


def visa_tabell(t: Tabellvy, key: str) -> None:
    """A protected table as the page model shows it, its footnote, and its .xlsx/.csv downloads."""
    st.dataframe(t.visning, hide_index=True,
                 height=min(35 * (len(t.visning) + 1) + 3, 913),  # px: every row without scrolling, up to 25
                 column_config={k: st.column_config.TextColumn(alignment="right") for k in t.talkolumner})
    utskriftstabell(t.visning, key)
    if t.fotnot:
        st.caption(t.fotnot)
    with st.container(horizontal=True):
        nedladdning("Ladda ner .xlsx", t.xlsx, f"{t.filnamn}.xlsx", mime=tabellfil.XLSX_MIME, key=f"{key}_xlsx",
                    icon=":material/download:")
        nedladdning("Ladda ner .csv", t.csv, f"{t.filnamn}.csv", mime=tabellfil.CSV_MIME, key=f"{key}_csv",
                    icon=":material/download:")


def visa_diagram(fig: Any, text: Any, key: str, *, config: dict[str, Any] | None = None) -> None:
    """A chart with its text alternative (beslutsstod.diagram.grund.Diagramtext): the summary as the
    chart's accessible name and under it, and the chart's numbers in a table (HTML) in an expander.
    The mode bar is Swedish with one button (grund.PLOTLY_CONFIG)."""
    from beslutsstod.diagram import grund
    st.plotly_chart(grund.fardig(fig), key=key, config={**grund.PLOTLY_CONFIG, **(config or {})},
                    alt=text.sammanfattning if text else None)
    if text is None:
        return
    st.caption(saker_text.markdown(text.sammanfattning))
    with st.expander("Diagrammets siffror"):
        # st.table is a real HTML <table> (row and column headers), which a screen reader can walk;
        # st.dataframe draws on a canvas. st.table renders Markdown in every cell and header, so
        # each (an utförare's or a kommun's name) is made literal first (Diagramtext.tabell).
        st.table(text.tabell)
