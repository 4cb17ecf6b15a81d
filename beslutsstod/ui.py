"""The only module of the package that imports Streamlit: connection, cached queries, filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from beslutsstod import begrepp, behorighet, installningar
from beslutsstod import talformat as fmt
from beslutsstod.data import db, granskningslogg, referens
from beslutsstod.dokument import tabellfil
from beslutsstod.vyer import urval
from beslutsstod.vyer.tabell import Tabellvy
from beslutsstod.vyer.urval import Filter, Sammanhang

INSATSER = begrepp.INSATS_NAMN
REGIER = begrepp.REGI_NAMN
RIKTNINGAR = begrepp.RIKTNINGAR


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
    """Run a named query (queries/<name>.sql); cached per data version. Returns a small frame."""
    database()
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in (params or {}).items()))
    return _run(name, frozen, data_version())


def auth_konfigurerad() -> bool:
    """Whether sign-in (an `[auth]` section in .streamlit/secrets.toml) is configured."""
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
    return Sammanhang(run, oppen_vy(), smatal_grans(), installningar.get("hemkommun"))


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
        insatser = st.multiselect("Insats", list(INSATSER), format_func=INSATSER.get, key="insats",
                                  placeholder="Alla insatser", bind="query-params", persist_state="session")
        regier = st.multiselect("Regi", list(REGIER), format_func=REGIER.get, key="regi",
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
    """st.download_button whose click is recorded in the audit log (who exported which file)."""
    return (plats or st).download_button(label, loggad_nedladdning(data, fil=file_name), file_name, **kwargs)


def demo_banner() -> None:
    info = db.demo_info(installningar.extracts_dir())
    if info:
        st.info(f"**Demodata – fiktiva personer, besök, utförare och fakturor.** Skapade med slumpfrö "
                f"{info['seed']}, data till och med {info['data_till_och_med']}. Ersättningsnivåerna följer "
                "publicerade beslut där sådana finns; övriga år är härledda eller antagna och märkta så.",
                icon=":material/science:")


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


def visa_tabell(t: Tabellvy, key: str) -> None:
    """A protected table as the page model shows it, its footnote, and its .xlsx/.csv downloads."""
    st.dataframe(t.visning, hide_index=True,
                 height=min(35 * (len(t.visning) + 1) + 3, 913),  # px: every row without scrolling, up to 25
                 column_config={k: st.column_config.TextColumn(alignment="right") for k in t.talkolumner})
    if t.fotnot:
        st.caption(t.fotnot)
    with st.container(horizontal=True):
        st.download_button("Ladda ner .xlsx", loggad_nedladdning(t.xlsx, fil=f"{t.filnamn}.xlsx"),
                           f"{t.filnamn}.xlsx", mime=tabellfil.XLSX_MIME,
                           key=f"{key}_xlsx", on_click="ignore", icon=":material/download:")
        st.download_button("Ladda ner .csv", loggad_nedladdning(t.csv, fil=f"{t.filnamn}.csv"),
                           f"{t.filnamn}.csv", mime=tabellfil.CSV_MIME,
                           key=f"{key}_csv", on_click="ignore", icon=":material/download:")


def visa_diagram(fig: Any, text: Any, key: str, *, config: dict[str, Any] | None = None) -> None:
    """A chart with its text alternative (beslutsstod.diagram.grund.Diagramtext): the summary as the
    chart's accessible name and under it, and the chart's numbers in a table (HTML) in an expander.
    The mode bar is Swedish with one button (grund.PLOTLY_CONFIG)."""
    from beslutsstod import saker_text
    from beslutsstod.diagram import grund
    st.plotly_chart(fig, key=key, config={**grund.PLOTLY_CONFIG, **(config or {})},
                    alt=text.sammanfattning if text else None)
    if text is None:
        return
    st.caption(saker_text.markdown(text.sammanfattning))
    with st.expander("Diagrammets siffror"):
        # st.table is a real HTML <table> (row and column headers), which a screen reader can walk;
        # st.dataframe draws on a canvas. st.table renders Markdown in every cell and header, so
        # each (an utförare's or a kommun's name) is made literal first.
        siffror = text.siffror.map(saker_text.markdown)
        siffror.columns = [saker_text.markdown(k) for k in siffror.columns]
        st.table(siffror.set_index(siffror.columns[0]))
