"""The vistelsekommuner's own rates (Kartläggning's reference table): read, checked and saved.

The municipalities' own compensation per hour is not in the extracts: the user keeps it in a
table on the page Kartläggning (typed in its editor or imported from a CSV file). The table is a
CSV under the data folder, outside extracts/ so that rebuilding the demo data or re-importing
extracts never deletes it: ``<data_dir>/kartlaggning/vistelsekommuners_nivaer.csv``. Format: ';'
separated, decimal comma, UTF-8 with BOM (as ``tabellfil.to_csv`` writes it, so Excel opens it);
columns kommunkod, ar, insats, kr_per_timme, momskompensation_ingar (ja/nej), kalla. Reading also
accepts ',' separated files with a decimal point, Windows-1252, and true/false/1/0 for the yes/no
column.

Problems are the import pipeline's (``inlasning.problem``): the file, the row as the user sees it
(the header is row 1), the column and a Swedish reason from the same catalogue.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pandas as pd

from beslutsstod import begrepp
from beslutsstod import talformat as fmt
from beslutsstod.data import referens
from beslutsstod.dokument import tabellfil
from beslutsstod.inlasning.problem import Problem, problem
from beslutsstod.inlasning.schema import normalisera_namn

KOLUMNER = ("kommunkod", "ar", "insats", "kr_per_timme", "momskompensation_ingar", "kalla")
OBLIGATORISKA = ("kommunkod", "ar", "insats", "kr_per_timme")  # the other two may be left out of a file
TABELL = "vistelsekommunernas egna nivåer"  # the table's name in the problem texts
FIL = Path("kartlaggning") / "vistelsekommuners_nivaer.csv"
REDIGERAREN = "tabellen"  # the "file" of rows typed in the page's editor
MIN_AR, MAX_AR = 2000, 2100  # years outside are typing errors
_JA = {"ja", "j", "true", "sant", "1", "yes", "x"}
_NEJ = {"nej", "n", "false", "falskt", "0", "no", ""}
_INSATS_ALIAS = {**{k: k for k in begrepp.INSATSER}, **{v.lower(): k for k, v in begrepp.INSATS_NAMN.items()},
                 "kommunal primarvard": "kommunal_primarvard", "primärvård": "kommunal_primarvard",
                 "hemsjukvård": "kommunal_primarvard"}


def sokvag(data_dir: Path) -> Path:
    """Where the reference table of the vistelsekommuner's own rates is kept."""
    return Path(data_dir) / FIL


def tom() -> pd.DataFrame:
    return pd.DataFrame({
        "kommunkod": pd.Series(dtype=object), "ar": pd.Series(dtype="Int64"), "insats": pd.Series(dtype=object),
        "kr_per_timme": pd.Series(dtype=float), "momskompensation_ingar": pd.Series(dtype=bool),
        "kalla": pd.Series(dtype=object)})


def las_sparad(fil: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """The saved reference table and its problems (an empty table when the file does not exist)."""
    fil = Path(fil)
    if not fil.exists():
        return tom(), []
    return las(fil.read_bytes(), fil.name)


def _utan_formelskydd(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2].startswith(tabellfil.FORMEL_START) else text


def las(data: bytes, filnamn: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse an uploaded or saved CSV into the reference table; rows with problems are left out.

    Returns the valid rows and one problem per error (row numbers as in the file: the header is
    row 1).
    """
    if not data.strip():
        return tom(), [problem(filnamn, "tom_fil")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    forsta = text.splitlines()[0]
    sep = ";" if forsta.count(";") >= forsta.count(",") else ","
    rader = list(csv.reader(io.StringIO(text), delimiter=sep))
    rubrik = [normalisera_namn(h) for h in rader[0]]
    saknas = [k for k in OBLIGATORISKA if k not in rubrik]
    if saknas:
        return tom(), [problem(filnamn, "saknad_kolumn", rad=1, kolumn=k, tabell=TABELL, info1=sep.join(KOLUMNER))
                       for k in saknas]
    poster = []
    for nummer, rad in enumerate(rader[1:], start=2):
        if not any(cell.strip() for cell in rad):
            continue
        celler = dict(zip(rubrik, rad))  # a short row leaves its last columns empty
        # tabellfil.to_csv wrote "'-…" for a text starting with a formula character; undo that
        poster.append({"_rad": nummer, **{k: _utan_formelskydd(celler.get(k, "")) for k in KOLUMNER}})
    return validera(pd.DataFrame(poster, columns=["_rad", *KOLUMNER]) if poster else None, filnamn,
                    decimalkomma=sep == ";")


def validera(df: pd.DataFrame | None, filnamn: str = REDIGERAREN,
             decimalkomma: bool = True) -> tuple[pd.DataFrame, list[Problem]]:
    """Check and type the reference table (from a file or the page's editor).

    Accepted: kommunkod as the four-digit SCB code (or "1435 Tanum", as the editor shows it),
    ar 2000..2100, insats as code or Swedish name, kr_per_timme > 0 (decimal comma or point),
    momskompensation_ingar ja/nej. The same kommun, year and insats twice is an error. Rows
    without `_rad` (the editor's) are numbered from 1.
    """
    if df is None or df.empty:
        return tom(), []
    kommuner = referens.kommuner()
    fel: list[Problem] = []
    ok = []
    sedda: dict[tuple[str, int, str], int] = {}
    for i, rad in enumerate(df.to_dict("records")):
        nr = int(rad["_rad"]) if "_rad" in rad else i + 1

        def problem_i(kolumn: str, kod: str, **kw) -> Problem:
            return problem(filnamn, kod, rad=nr, kolumn=kolumn, varde=rad.get(kolumn), tabell=TABELL, **kw)

        if all(_tom(rad.get(k)) for k in OBLIGATORISKA):
            continue  # an empty row (e.g. added in the editor and left blank)
        kod = str(rad.get("kommunkod") or "").strip()[:4]
        kod = kod.zfill(4) if kod.isdigit() else kod
        if kod not in kommuner:
            fel.append(problem_i("kommunkod", "saknas" if _tom(rad.get("kommunkod")) else "okand_kommun"))
            continue
        ar_tal = _tal(rad.get("ar"), decimalkomma)
        if ar_tal is None:
            fel.append(problem_i("ar", "saknas" if _tom(rad.get("ar")) else "inte_tal"))
            continue
        if not float(ar_tal).is_integer():
            fel.append(problem_i("ar", "inte_heltal", info1="år"))
            continue
        ar = int(ar_tal)
        if not MIN_AR <= ar <= MAX_AR:
            fel.append(problem_i("ar", "ar_utanfor", info1=MIN_AR, info2=MAX_AR))
            continue
        insats = _INSATS_ALIAS.get(str(rad.get("insats") or "").strip().lower())
        if insats is None:
            fel.append(problem_i("insats", "saknas" if _tom(rad.get("insats")) else "okant_varde",
                                 info1=" och ".join(begrepp.INSATSER)))
            continue
        kr = _tal(rad.get("kr_per_timme"), decimalkomma)
        if kr is None:
            fel.append(problem_i("kr_per_timme", "saknas" if _tom(rad.get("kr_per_timme")) else "inte_tal"))
            continue
        if kr <= 0:
            fel.append(problem_i("kr_per_timme", "taxa_ej_positiv", info1="noll" if kr == 0 else "negativ"))
            continue
        moms_varde = rad.get("momskompensation_ingar")
        moms_text = "" if _tom(moms_varde) else str(moms_varde).strip().lower()
        if isinstance(moms_varde, bool):
            moms = moms_varde
        elif moms_text in _JA or moms_text in _NEJ:
            moms = moms_text in _JA  # empty = no: most own rates are stated without it
        else:
            fel.append(problem_i("momskompensation_ingar", "inte_bool"))
            continue
        nyckel = (kod, ar, insats)
        if nyckel in sedda:
            fel.append(problem(filnamn, "dubblett", rad=nr, kolumn="kommunkod, ar, insats",
                               varde=f"{kod}, {ar}, {insats}", tabell=TABELL, info1=sedda[nyckel],
                               info2=f"{referens.kommunnamn(kod)} kan ha en egen nivå per år och insats"))
            continue
        sedda[nyckel] = nr
        kalla = "" if _tom(rad.get("kalla")) else str(rad["kalla"]).strip()
        ok.append(dict(kommunkod=kod, ar=ar, insats=insats, kr_per_timme=kr, momskompensation_ingar=bool(moms),
                       kalla=kalla))
    if not ok:
        return tom(), fel
    out = pd.DataFrame(ok).sort_values(["kommunkod", "ar", "insats"]).reset_index(drop=True)
    out["ar"] = out["ar"].astype("Int64")
    return out, fel


def _tom(varde: object) -> bool:
    return begrepp.saknas(varde) or (isinstance(varde, str) and not varde.strip())


def _tal(varde: object, decimalkomma: bool) -> float | None:
    if _tom(varde):
        return None
    if isinstance(varde, (int, float)) and not isinstance(varde, bool):
        return float(varde)
    if decimalkomma:  # the editor and ';' files: typed the Swedish way, `3,5`, `3.5` or `1 234,5`
        try:
            return float(fmt.parse_tal(varde))
        except fmt.TalFel:
            return None
    text = str(varde or "").strip().replace("\xa0", "").replace(" ", "")
    try:
        return float(text)
    except ValueError:
        return None


def till_csv(egna: pd.DataFrame) -> bytes:
    """The reference table as CSV (';', decimal comma, UTF-8 with BOM), as it is saved."""
    return tabellfil.to_csv(egna[list(KOLUMNER)].reset_index(drop=True))


def spara(egna: pd.DataFrame, fil: Path) -> None:
    """Write the table atomically: a failed write leaves the previous file as it was."""
    fil = Path(fil)
    fil.parent.mkdir(parents=True, exist_ok=True)
    tmp = fil.with_suffix(".csv.tmp")
    tmp.write_bytes(till_csv(egna))
    os.replace(tmp, fil)
