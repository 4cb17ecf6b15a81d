"""Data's page model: what is stored per table, the import log, the audit log, the upload tabs with
their templates, and an import's result, as frames and text.

`data(data_dir, demo, pseudonym_nyckel)` returns what the page shows before an import;
`importresultat(resultat)` what it shows after one (beslutsstod.inlasning.importflode.importera_flera,
which the page runs with its progress bar). Pure of Streamlit; the import pipeline is beslutsstod/inlasning/.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from beslutsstod import talformat as fmt
from beslutsstod.data import granskningslogg
from beslutsstod.inlasning import importflode, pseudonym
from beslutsstod.inlasning.importflode import (
    AVVISAD,
    EJ_GENOMFORD,
    GENOMFORD,
    OFORANDRAD,
    FilResultat,
    ImportResultat,
    TabellStatus,
)
from beslutsstod.inlasning.problem import FEL
from beslutsstod.inlasning.schema import TABELLER, TABELLORDNING, VALFRIA_TABELLER
from beslutsstod.saker_text import markdown as md  # file and sheet names are data, never Markdown

# Tables are shown in TABELLORDNING, the order they are imported one by one: besok is checked
# against the providers and rates already stored, so those come first.

STATUS_TEXT = {
    "aterstalld": "Genomförd efter avbrott (slutförd vid nästa start)",
    "avbruten": "Avbruten – ingenting ändrades",
    GENOMFORD: "Genomförd",
    OFORANDRAD: "Genomförd, inga ändringar",
    AVVISAD: "Avvisad",
    EJ_GENOMFORD: "Ej genomförd (annan fil avvisad)",
}
MANADER_VISADE = 6  # months with no data listed by name in the status table; the rest are counted
KONTROLLSUMMA_TECKEN = 12  # hex characters of a SHA-256 shown in the status table (full in the log)

# Choices for reading a CSV; None lets the import detect it (inlasning/las.py).
AVGRANSARE = {None: "Identifiera", ";": "Semikolon (;)", ",": "Komma (,)", "\t": "Tabb"}
DECIMALTECKEN = {None: "Identifiera", ",": "Komma (12,5)", ".": "Punkt (12.5)"}
KODNINGAR = {None: "Identifiera", "utf-8": "UTF-8", "cp1252": "Windows-1252 (ANSI)"}

PSEUDONYM_VARFOR = (
    "**Varför pseudonymer?** `brukare_id` får aldrig vara ett personnummer eller "
    "samordningsnummer. Det är direkta personuppgifter, och beslutsstödets siffror visas för "
    "nämnden och blir allmänna handlingar. Importen avvisar därför värden som ser ut som "
    "personnummer (kontrollerade med kontrollsiffran). Kan källsystemet inte exportera "
    "pseudonymer kan importen ersätta personnumren med en nyckelad hash (HMAC-SHA256): samma "
    "person får samma pseudonym i varje import, men personnumret kan inte räknas fram utan "
    "nyckeln. Nyckeln är inställningen `pseudonym_nyckel` (i `.streamlit/secrets.toml` eller "
    "miljövariabeln `BESLUTSSTOD_PSEUDONYM_NYCKEL`) och lagras aldrig med data.")


def nyckel_problem(nyckel: str | None) -> str | None:
    """Why the pseudonymisation key cannot be used (Swedish), or None when it can."""
    try:
        pseudonym.kontrollera_nyckel(nyckel)
    except ValueError as exc:
        return ("Ingen nyckel för pseudonymisering är inställd, så personnummer kan inte "
                "pseudonymiseras här." if not nyckel else str(exc))
    return None


def _tid(iso: str | None) -> str:
    """'2026-11-23T14:02:11+01:00' → '2026-11-23 14:02' (the server's local time as logged)."""
    if not iso:
        return ""
    try:
        return dt.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(iso)


def _manader(manader: list[str]) -> str:
    """['2025-03', '2025-04'] → 'mar 2025, apr 2025'; a long list is cut and counted."""
    if not manader:
        return ""
    namn = [f"{fmt.manad_namn(int(m[5:7]))} {m[:4]}" for m in manader]
    if len(namn) > MANADER_VISADE:
        return ", ".join(namn[:MANADER_VISADE]) + f" … ({len(namn)} månader)"
    return ", ".join(namn)


def _heltal(post: dict | None, nyckel: str) -> int | None:
    return None if post is None or post.get(nyckel) is None else int(post[nyckel])


def _tal(post: dict | None, nyckel: str) -> str:
    varde = _heltal(post, nyckel)
    return "" if varde is None else fmt.fmt_tal(varde)


def statustabell(statusar: list[TabellStatus]) -> pd.DataFrame:
    """One row per stored table, as display text: rows, date range and months with no data.

    Empty text where a figure does not apply (utforare has no dates).
    """
    per_tabell = {s.tabell: s for s in statusar}
    return pd.DataFrame([{
        "Tabell": t,
        "Rader": ("ej importerad (valfri)" if t in VALFRIA_TABELLER and not per_tabell[t].filer
                  else fmt.fmt_tal(per_tabell[t].rader)),
        "Från": per_tabell[t].forsta_datum.isoformat() if per_tabell[t].forsta_datum else "",
        "Till": per_tabell[t].sista_datum.isoformat() if per_tabell[t].sista_datum else "",
        "Månader utan data": _manader(per_tabell[t].manader_utan_data),
    } for t in TABELLORDNING if t in per_tabell])


def importtabell(statusar: list[TabellStatus]) -> pd.DataFrame:
    """One row per table: its last import that changed or confirmed the data (empty if none)."""
    per_tabell = {s.tabell: s.senaste_import for s in statusar}
    return pd.DataFrame([{
        "Tabell": t,
        "Senaste import": _tid(imp.get("tid")) if imp else "",
        "Fil": imp.get("fil", "") if imp else "",
        "Tillagda": _tal(imp, "tillagda"),
        "Ersatta": _tal(imp, "ersatta"),
        "Avvisade": _tal(imp, "avvisade"),
        "Kontrollsumma": (imp.get("sha256") or "")[:KONTROLLSUMMA_TECKEN] + "…" if imp and imp.get("sha256") else "",
    } for t, imp in ((t, per_tabell[t]) for t in TABELLORDNING if t in per_tabell)])


def avvisade_forsok(statusar: list[TabellStatus]) -> list[str]:
    """A sentence per table whose latest attempt was refused after its last import."""
    ut = []
    for s in statusar:
        forsok = s.senaste_forsok
        if not forsok or forsok.get("status") not in (AVVISAD, EJ_GENOMFORD):
            continue
        if s.senaste_import is not None and s.senaste_import.get("tid", "") > forsok.get("tid", ""):
            continue
        ut.append(f"Senaste försöket att importera **{s.tabell}** ({md(forsok.get('fil', ''))}, "
                  f"{_tid(forsok.get('tid'))}) avvisades; det som är lagrat är oförändrat.")
    return ut


def senaste_andring(poster: list[dict]) -> str | None:
    """When the stored data last changed, by which file (the data's freshness), or None."""
    andrade = [p for p in poster if p.get("status") == GENOMFORD]
    if not andrade:
        return None
    p = andrade[-1]
    return (f"Senaste ändring av data: {_tid(p.get('tid'))}, {p.get('tabell', '')} från {md(p.get('fil', ''))} "
            f"(tillagda {fmt.fmt_tal(p.get('tillagda') or 0)}, ersatta {fmt.fmt_tal(p.get('ersatta') or 0)}, "
            f"borttagna {fmt.fmt_tal(p.get('borttagna') or 0)}).")


def loggtabell(poster: list[dict]) -> pd.DataFrame:
    """Every logged import attempt, latest first."""
    kolumner = ["Tid", "Tabell", "Fil", "Resultat", "Rader i filen", "Tillagda", "Ersatta",
                "Oförändrade", "Borttagna", "Avvisade rader", "Fel", "Varningar",
                "Kontrollsumma (SHA-256)"]
    rader = [{
        "Tid": _tid(p.get("tid")),
        "Tabell": p.get("tabell", ""),
        "Fil": p.get("fil", ""),
        "Resultat": STATUS_TEXT.get(p.get("status"), p.get("status", "")),
        "Rader i filen": _heltal(p, "rader_i_fil"),
        "Tillagda": _heltal(p, "tillagda"),
        "Ersatta": _heltal(p, "ersatta"),
        "Oförändrade": _heltal(p, "oforandrade"),
        "Borttagna": _heltal(p, "borttagna"),
        "Avvisade rader": _heltal(p, "avvisade"),
        "Fel": _heltal(p, "antal_fel"),
        "Varningar": _heltal(p, "antal_varningar"),
        "Kontrollsumma (SHA-256)": p.get("sha256") or "",
    } for p in reversed(poster)]
    ut = pd.DataFrame(rader, columns=kolumner)
    for kolumn in kolumner[4:12]:
        ut[kolumn] = ut[kolumn].astype("Int64")
    return ut


def problemtabell(r: FilResultat) -> pd.DataFrame:
    """All problems of one file: file, row, column, value and why (errors and warnings)."""
    ut = pd.DataFrame([{
        "Fil": p.fil, "Rad": p.rad, "Kolumn": p.kolumn or "", "Värde": p.varde or "",
        "Varför": p.orsak[:1].upper() + p.orsak[1:],
        "Typ": "Fel" if p.allvarlighet == FEL else "Varning",
    } for p in r.problem], columns=["Fil", "Rad", "Kolumn", "Värde", "Varför", "Typ"])
    ut["Rad"] = ut["Rad"].astype("Int64")
    return ut


def _antal(n: int, en: str, flera: str) -> str:
    return f"{fmt.fmt_tal(n)} {en if n == 1 else flera}"


def rubrik(r: FilResultat) -> tuple[str, str]:
    """(kind, text) for one file of an import: kind is 'success', 'warning' or 'error'."""
    vad = f"**{r.tabell}** från {md(r.fil)}"
    if r.status == GENOMFORD:
        return "success", (f"{vad}: importerad. Tillagda {fmt.fmt_tal(r.tillagda)}, ersatta "
                           f"{fmt.fmt_tal(r.ersatta)}, oförändrade {fmt.fmt_tal(r.oforandrade)}, "
                           f"borttagna {fmt.fmt_tal(r.borttagna)}.")
    if r.status == OFORANDRAD:
        return "success", (f"{vad}: samma innehåll som redan är lagrat "
                           f"({_antal(r.oforandrade, 'rad', 'rader')}); ingenting behövde ändras.")
    if r.status == EJ_GENOMFORD:
        return "warning", (f"{vad}: filen är felfri men importerades inte, eftersom en annan fil i "
                           "samma import avvisades. Ingenting har ändrats.")
    fel = _antal(r.antal_fel, "fel", "fel")
    varningar = _antal(r.antal_varningar, "varning", "varningar")
    pa_rader = f" på {_antal(r.avvisade, 'rad', 'rader')}" if r.avvisade else ""
    return "error", f"{vad}: avvisad – ingenting har ändrats. {fel} och {varningar}{pa_rader}."


def detaljer(r: FilResultat) -> str:
    """How the file was read and its checksum, in one line (Markdown: the sheet name escaped)."""
    delar = [md(d) for d in r.lasning()]
    text = ""
    if r.rader_i_fil:
        text = _antal(r.rader_i_fil, "datarad läst", "datarader lästa")
        text += f" ({', '.join(delar)})." if delar else "."
    if r.pseudonymiserade:
        text += f" {_antal(r.pseudonymiserade, 'personnummer pseudonymiserat', 'personnummer pseudonymiserade')}."
    if r.sha256:
        text += f" Kontrollsumma (SHA-256): {r.sha256}"
    return text.strip()


def utelamnade_problem(r: FilResultat) -> str | None:
    """A note when problems were counted but not returned as records (ingest keeps the first 10 000)."""
    utelamnade = r.antal_fel + r.antal_varningar - len(r.problem)
    if utelamnade <= 0:
        return None
    return (f"Tabellen visar de första {fmt.fmt_tal(len(r.problem))} problemen; ytterligare "
            f"{fmt.fmt_tal(utelamnade)} räknades men visas inte (rapporten räknar dem per slag).")


def slutsats(resultat: ImportResultat) -> tuple[str, str]:
    """The import as a whole: what happened to the stored data."""
    if not resultat.ok:
        return "error", ("Importen avvisades. **Ingenting har ändrats**: de lagrade uppgifterna är "
                         "exakt som före importen. Rätta filen enligt listan nedan och importera igen.")
    if resultat.dataversion:
        return "success", "Importen är klar. Sidorna visar nu de nya uppgifterna."
    return "success", "Importen är klar. Filerna innehöll inget nytt, så ingenting ändrades."


def valbara_tabeller() -> dict[str, str]:
    """{tabell: Swedish description} in import order, for the upload tabs."""
    return {t: TABELLER[t].beskrivning for t in TABELLORDNING}


# --- the page ---------------------------------------------------------------------------------

DEMO_INFO = ("Nu visas demodata. Den första importen tar bort **all** demodata, eftersom verkliga och "
             "fiktiva uppgifter aldrig blandas. Importera därefter alla fem tabellerna – samtidigt, eller en "
             "i taget i ordningen utforare → ersattningsnivaer → besok (budget och vistelser när som helst). "
             "Tills alla fem finns visas bara den här sidan. Tabellerna insatspriser och avgiftsregler är "
             "valfria: de behövs bara för sidan Ny ersättningsmodell.")
INGEN_IMPORT = ("Ingen import har gjorts ännu: uppgifterna har inte kommit via sidan Data eller kommandot "
                "för import.")


@dataclass(frozen=True)
class Flik:
    """One upload tab: the table, what it holds, and its templates (built on click)."""

    tabell: str
    beskrivning: str
    mall_xlsx: Callable[[], bytes]
    mall_csv: Callable[[], bytes]


@dataclass(frozen=True)
class DataVy:
    """Everything the Data page shows apart from an import's result."""

    statustabell: pd.DataFrame  # one row per stored table
    importtabell: pd.DataFrame  # each table's last import
    senaste_andring: str  # caption: when the data last changed (or that nothing was imported)
    avvisade: tuple[str, ...]  # warnings: refused attempts since the last import
    demo: str | None  # info: importing removes the demo data
    flikar: tuple[Flik, ...]  # the upload tabs, in import order
    nyckel_fel: str | None  # why personnummer cannot be pseudonymised here, or None
    importlogg: pd.DataFrame | None  # every import attempt, latest first (None: the log is empty)
    granskningslogg: pd.DataFrame | None  # who did what (None: no event yet)


def data(data_dir: str | Path, demo: bool, pseudonym_nyckel: str | None,
         sammanfatta: Callable[[Path, int], list[TabellStatus]] | None = None) -> DataVy:
    """The Data page for the data folder `data_dir`.

    `sammanfatta(data_dir, antal_forsok)` summarises the stored tables (about 0,5 s over ten million
    visits): the page passes it cached per data version and number of logged attempts.
    """
    data_dir = Path(data_dir)
    logg = importflode.las_importlogg(data_dir)
    statusar = (sammanfatta or (lambda d, _n: importflode.sammanfatta(d)))(data_dir, len(logg))
    handelser = granskningslogg.las(data_dir)
    return DataVy(
        statustabell=statustabell(statusar),
        importtabell=importtabell(statusar),
        senaste_andring=senaste_andring(logg) or INGEN_IMPORT,
        avvisade=tuple(avvisade_forsok(statusar)),
        demo=DEMO_INFO if demo else None,
        flikar=tuple(Flik(t, beskrivning, lambda t=t: importflode.mall(t, "xlsx"), lambda t=t: importflode.mall(t, "csv"))
                     for t, beskrivning in valbara_tabeller().items()),
        nyckel_fel=nyckel_problem(pseudonym_nyckel),
        importlogg=loggtabell(logg) if logg else None,
        granskningslogg=granskningslogg.tabell(handelser) if handelser else None,
    )


@dataclass(frozen=True)
class FilVy:
    """One file of an import: its heading (kind: 'success', 'warning' or 'error') and what was found."""

    tabell: str
    typ: str
    text: str
    info: tuple[str, ...]  # Markdown lines (quoted values escaped)
    detaljer: str  # how the file was read and its checksum ('' when nothing to say)
    problem: pd.DataFrame | None
    utelamnade: str | None


@dataclass(frozen=True)
class ResultatVy:
    """An import's result: the conclusion, each file, and the report as a .txt (an export: logged)."""

    typ: str
    text: str
    filer: tuple[FilVy, ...]
    rapport: Callable[[], bytes]


def importresultat(resultat: ImportResultat) -> ResultatVy:
    typ, text = slutsats(resultat)
    filer = []
    for r in resultat.filer:
        ftyp, ftext = rubrik(r)
        filer.append(FilVy(r.tabell, ftyp, ftext, tuple(md(rad) for rad in r.info), detaljer(r),
                           problemtabell(r) if r.problem else None, utelamnade_problem(r)))
    return ResultatVy(typ, text, tuple(filer), lambda: resultat.rapport().encode("utf-8"))


def att_importera(valda: list[tuple[str, str]]) -> tuple[str, str]:
    """(caption, button label) for the chosen (tabell, filnamn): '' caption when nothing is chosen."""
    if not valda:
        return "", "Importera"
    text = "Att importera: " + ", ".join(f"**{t}** ({md(namn)})" for t, namn in valda)
    return text, f"Importera {len(valda)} {'fil' if len(valda) == 1 else 'filer'}"
