"""Reading an import file (.csv or .xlsx) into a DuckDB table of text values.

The result is a table `<namn>` with a column `rad` (the row number as the user sees it: header
= row 1; in an .xlsx the sheet's own row number) and one VARCHAR column per header cell, named
c0, c1, ... in file order. Nothing is interpreted here except the file's structure (encoding,
separator, fields per row, sheets, merged cells, formulas); values are checked in
ingest_validate.

CSV goes through DuckDB's read_csv (all columns VARCHAR), so a large file streams through
DuckDB rather than pandas. Before that one pass in Python, chunk by chunk, checks the encoding
(and writes a UTF-8 copy when the file is Windows-1252), finds empty lines and text that was
decoded with the wrong encoding ('Ã¥'). DuckDB's rejects table gives the rows it could not
split (too few or too many fields, unterminated quotes).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pyarrow as pa

from beslutsstod.inlasning.problem import Avbryt, Problem, problem
from beslutsstod.inlasning.schema import TABELLER, normalisera_namn
from beslutsstod.inlasning.sql import ident

LAS_BLOCK_TECKEN = 1 << 20  # characters decoded per chunk in the encoding pass
HUVUD_TECKEN = 1 << 16  # characters of the file's start used to find the header and separator
MAX_STRUKTURPROBLEM = 1000  # encoding/structure problems kept per file (the rest are counted)
RUBRIK_SOK_RADER = 20  # rows of a sheet searched for the header row
XLSX_BATCH_RADER = 50_000  # rows per Arrow batch when copying a sheet into DuckDB
AVGRANSARE = (";", ",", "\t")  # separators tried when none is given
# Limits checked before anything is allocated for the rows: the widest table has 10 columns and
# its longest row (ids 64, names 200 characters) is well under 2 000 characters.
MAX_KOLUMNER = 50  # header cells
MAX_RAD_TECKEN = 10_000  # characters of one CSV line
DECIMAL_BADA = "båda"  # .xlsx: numeric cells carry '.', text cells typed by hand may carry ','

# Characters that follow 'Ã' when UTF-8 text (å = C3 A5, ä = C3 A4, ö = C3 B6, Å = C3 85,
# Ä = C3 84, Ö = C3 96, é = C3 A9) has been decoded as Windows-1252.
_MOJIBAKE = re.compile(
    "Ã[" + re.escape(bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")) + "]"
)
_SURROGAT = re.compile("[\udc80-\udcff]")
_TOM_RAD = re.compile(r"(?m)^\r?\n")
_NUL = re.compile("\x00")

_KODNINGAR = {
    "utf8": "utf-8", "utf-8": "utf-8", "utf-8-sig": "utf-8", "utf8-sig": "utf-8",
    "cp1252": "cp1252", "windows-1252": "cp1252", "windows1252": "cp1252", "ansi": "cp1252",
    "latin1": "latin-1", "latin-1": "latin-1", "iso-8859-1": "latin-1",
}
KODNING_NAMN = {"utf-8": "UTF-8", "cp1252": "Windows-1252", "latin-1": "ISO-8859-1"}


@dataclass
class Inlast:
    """What reading a file produced."""

    tabell_sql: str  # DuckDB table holding rad + c0..cN (VARCHAR)
    kolumner: list[tuple[str, str]]  # per c-index: (header text as written, normalised name)
    rubrikrad: int
    rader_i_fil: int  # data rows in the file (not counting empty rows)
    problem: list[Problem] = field(default_factory=list)
    kodning: str | None = None
    avgransare: str | None = None
    decimal: str | None = None  # ',' '.' DECIMAL_BADA or None (= detect from the values)
    blad: str | None = None
    info: list[str] = field(default_factory=list)


def tolka_kodning(kodning: str | None) -> str | None:
    """Normalised Python codec name for a user-given encoding; ValueError if unknown."""
    if kodning is None:
        return None
    namn = _KODNINGAR.get(kodning.strip().lower())
    if namn:
        return namn
    try:
        return codecs.lookup(kodning).name
    except LookupError:
        raise ValueError(f"okänd teckenkodning '{kodning}'") from None


def tolka_avgransare(sep: str | None) -> str | None:
    if sep is None:
        return None
    return {"\\t": "\t", "tab": "\t", "semikolon": ";", "komma": ","}.get(sep.lower(), sep)


# ---------------------------------------------------------------- CSV


@dataclass
class _Skanning:
    ogiltiga: list[tuple[int, str]]  # (line, '0xE5')
    mojibake: list[tuple[int, str]]  # (line, snippet)
    tomma_rader: list[int]  # physical line numbers of empty lines
    antal_rader: int
    slutar_med_radbrytning: bool
    bara_avkortat_tecken: bool  # the only invalid bytes are a cut multi-byte char at the end
    borjan: str  # decoded start of the file (for the header)
    lang_rad: int | None = None  # first line longer than MAX_RAD_TECKEN (scan stopped there)
    nul_rader: list[int] = field(default_factory=list)  # lines holding a NUL character


def _med_radnummer(text: str, monster: re.Pattern, forega_rader: int, max_antal: int | None):
    """(line number, match) for each match, counting newlines incrementally (linear time)."""
    pos, rad, antal = 0, forega_rader, 0
    for m in monster.finditer(text):
        if max_antal is not None and antal >= max_antal:
            return
        rad += text.count("\n", pos, m.start())
        pos = m.start()
        antal += 1
        yield rad + 1, m


def _skanna(sokvag: Path, kodning: str, utfil: Path | None) -> _Skanning:
    """One pass over the file: decode in chunks, note problems, optionally write UTF-8."""
    ogiltiga: list[tuple[int, str]] = []
    mojibake: list[tuple[int, str]] = []
    tomma: list[int] = []
    rader = 0
    sista = ""
    borjan = ""
    lang_rad: int | None = None
    nul_rader: list[int] = []
    python_kodning = "utf-8-sig" if kodning == "utf-8" else kodning
    ut = open(utfil, "w", encoding="utf-8", newline="") if utfil else None
    try:
        with open(sokvag, encoding=python_kodning, errors="surrogateescape", newline="") as f:
            while True:
                text = f.read(LAS_BLOCK_TECKEN)
                if not text:
                    break
                if not text.endswith("\n"):
                    # finish the line so line numbers stay exact, but never read an over-long
                    # line whole: at most MAX_RAD_TECKEN + 1 more characters
                    text += f.readline(MAX_RAD_TECKEN + 1)
                if not borjan:
                    borjan = text[:HUVUD_TECKEN]
                if len(text) > MAX_RAD_TECKEN and max(map(len, text.split("\n"))) > MAX_RAD_TECKEN:
                    for nr, rad_text in enumerate(text.split("\n"), start=rader + 1):
                        if len(rad_text) > MAX_RAD_TECKEN:
                            lang_rad = nr
                            break
                    break
                for radnr, _m in _med_radnummer(text, _NUL, rader, MAX_STRUKTURPROBLEM):
                    nul_rader.append(radnr)
                for radnr, m in _med_radnummer(text, _SURROGAT, rader, MAX_STRUKTURPROBLEM):
                    ogiltiga.append((radnr, f"0x{ord(m.group()) - 0xDC00:02X}"))
                for radnr, m in _med_radnummer(text, _MOJIBAKE, rader, MAX_STRUKTURPROBLEM):
                    start = text.rfind("\n", 0, m.start()) + 1
                    slut = text.find("\n", m.end())
                    mojibake.append((radnr, text[start: slut if slut >= 0 else len(text)].strip()))
                for radnr, _m in _med_radnummer(text, _TOM_RAD, rader, None):
                    tomma.append(radnr)
                rader += text.count("\n")
                sista = text[-1]
                if ut is not None and not ogiltiga:
                    ut.write(text)
    finally:
        if ut is not None:
            ut.close()
    slutar = sista == "\n"
    if sista and not slutar:
        rader += 1
    # A file cut inside a multi-byte UTF-8 character ends with 1–3 undecodable bytes.
    bara_avkortat = (
        bool(ogiltiga) and not slutar and all(r == rader for r, _ in ogiltiga) and len(ogiltiga) <= 3
    )
    return _Skanning(ogiltiga, mojibake, tomma, rader, slutar, bara_avkortat, borjan, lang_rad,
                     nul_rader)


def _valj_avgransare(rubrikrad_text: str, tabell: str) -> tuple[str, list[str]]:
    """The separator giving the most known column names (then the most fields)."""
    kanda = set(TABELLER[tabell].kolumnnamn)
    basta: tuple[int, int, str, list[str]] | None = None
    for sep in AVGRANSARE:
        falt = next(csv.reader([rubrikrad_text], delimiter=sep, quotechar='"'), [])
        traffar = sum(1 for f in falt if normalisera_namn(f) in kanda)
        kandidat = (traffar, len(falt), sep, falt)
        if basta is None or kandidat[:2] > basta[:2]:
            basta = kandidat
    assert basta is not None
    return basta[2], basta[3]


def las_csv(con, sokvag: Path, filnamn: str, tabell: str, tabell_sql: str, tmpdir: Path, *,
            sep: str | None = None, decimal: str | None = None,
            kodning: str | None = None) -> Inlast:
    """Read a CSV file into DuckDB table `tabell_sql`; Avbryt if it cannot be read at all."""
    def fel(kod: str, **kw) -> Problem:
        return problem(filnamn, kod, tabell=tabell, **kw)

    storlek = sokvag.stat().st_size
    if storlek == 0:
        raise Avbryt([fel("tom_fil")])
    with open(sokvag, "rb") as f:
        huvud = f.read(8)
    if huvud.startswith(b"PK\x03\x04"):
        raise Avbryt([fel("xlsx_som_csv")])
    if huvud.startswith(b"\xd0\xcf\x11\xe0"):
        raise Avbryt([fel("xls_format")])
    if huvud.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Avbryt([fel("utf16")])
    with open(sokvag, "rb") as f:
        if b"\x00" in f.read(HUVUD_TECKEN):
            raise Avbryt([fel("binar_fil")])

    vald_kodning = tolka_kodning(kodning)
    utfil = tmpdir / "utf8.csv"
    if vald_kodning is None:
        skanning = _skanna(sokvag, "utf-8", None)
        anvand = "utf-8"
        if skanning.ogiltiga and not skanning.bara_avkortat_tecken:
            # Not UTF-8: Swedish Windows programs write Windows-1252 ("ANSI").
            skanning = _skanna(sokvag, "cp1252", utfil)
            anvand = "cp1252"
    else:
        anvand = vald_kodning
        skanning = _skanna(sokvag, anvand, None if anvand == "utf-8" else utfil)
    las_fran = sokvag if anvand == "utf-8" else utfil

    problem_lista: list[Problem] = []
    if skanning.lang_rad is not None:
        raise Avbryt([fel("for_lang_rad", rad=skanning.lang_rad, info1=f"{MAX_RAD_TECKEN:_}"
                          .replace("_", " "))])
    if skanning.nul_rader:
        raise Avbryt([fel("nul_tecken", rad=rad) for rad in skanning.nul_rader])
    if skanning.bara_avkortat_tecken:
        raise Avbryt([fel("avkortad", rad=skanning.antal_rader,
                          info1="sista tecknet är ofullständigt")])
    if skanning.ogiltiga:
        if anvand == "utf-8":
            rad2 = ("Filen verkar vara sparad som Windows-1252 (ANSI): ange kodningen cp1252 "
                    "eller spara filen som 'CSV UTF-8'.")
        else:
            rad2 = ("Filen har en annan teckenkodning; spara den som 'CSV UTF-8' och "
                    "importera igen.")
        for rad, byte in skanning.ogiltiga:
            problem_lista.append(fel("okand_kodning", rad=rad, varde=byte,
                                     info1=KODNING_NAMN.get(anvand, anvand), info2=rad2))
        raise Avbryt(problem_lista)
    if skanning.mojibake:
        rad1 = ("Ange kodningen utf-8 (filen är sparad som UTF-8)." if anvand != "utf-8" else
                "Texten har konverterats fel redan innan den sparades; rätta den i källan och "
                "exportera igen.")
        for rad, text in skanning.mojibake:
            problem_lista.append(fel("mojibake", rad=rad, varde=text, info1=rad1))
        raise Avbryt(problem_lista)

    rubrik_text = skanning.borjan.split("\n", 1)[0].rstrip("\r")
    if not rubrik_text.strip():
        raise Avbryt([fel("inga_rader", info1="en tom första rad (rubrikraden saknas)")])
    vald_sep = tolka_avgransare(sep)
    if vald_sep is None:
        vald_sep, rubriker = _valj_avgransare(rubrik_text, tabell)
    else:
        rubriker = next(csv.reader([rubrik_text], delimiter=vald_sep, quotechar='"'), [])
    kanda = set(TABELLER[tabell].kolumnnamn)
    if len(rubriker) <= 1 and not any(normalisera_namn(r) in kanda for r in rubriker):
        raise Avbryt([fel("ingen_avgransare", rad=1, varde=rubrik_text)])
    if len(rubriker) > MAX_KOLUMNER:
        raise Avbryt([fel("for_manga_kolumner", rad=1, info1=len(rubriker), info2=MAX_KOLUMNER)])

    kolumner = [(r.strip(), normalisera_namn(r)) for r in rubriker]
    typer = {f"c{i}": "VARCHAR" for i in range(len(kolumner))}
    # the tables this reader makes: names from the caller's prefix (f0_rad), never from the file
    las, rej, hopp_tabell = ident(f"{tabell_sql}_las"), ident(f"{tabell_sql}_rej"), ident(f"{tabell_sql}_hopp")
    try:
        con.execute(
            f"""create table {las} as
                select * from read_csv($fil, delim = $sep, quote = '"', escape = '"',
                    header = true, auto_detect = false, columns = $typer, strict_mode = true,
                    max_line_size = $max_rad, store_rejects = true, rejects_table = $rej,
                    rejects_scan = $scan, all_varchar = true)""",
            {"fil": str(las_fran), "sep": vald_sep, "typer": typer, "max_rad": 4 * MAX_RAD_TECKEN + 2,
             "rej": f"{tabell_sql}_rej", "scan": f"{tabell_sql}_scan"},
        )
    except Exception as exc:  # noqa: BLE001 - any reader failure is reported, not raised
        raise Avbryt([fel("olasbar_rad", info1=_forkorta_fel(exc))]) from None

    avvisade = con.execute(
        f"""select line, any_value(error_type), any_value(csv_line), any_value(error_message)
            from {rej} group by line order by line"""
    ).fetchall()
    hoppade = set(skanning.tomma_rader)
    rader_avvisade = 0
    for rad, typ, csv_rad, meddelande in avvisade:
        rad = int(rad)
        hoppade.add(rad)
        rad_text = (csv_rad or "").strip("\r\n")
        if not rad_text.strip():
            continue  # a line of only spaces: treated like an empty line
        rader_avvisade += 1
        sista_raden = rad >= skanning.antal_rader and not skanning.slutar_med_radbrytning
        antal = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", meddelande or "")
        if sista_raden and typ in ("MISSING COLUMNS", "UNQUOTED VALUE"):
            problem_lista.append(fel("avkortad", rad=rad, varde=rad_text,
                                     info1="sista raden är ofullständig"))
        elif typ == "MISSING COLUMNS":
            problem_lista.append(fel("for_fa_falt", rad=rad, varde=rad_text,
                                     info1=antal.group(2) if antal else "för få",
                                     info2=antal.group(1) if antal else len(kolumner)))
        elif typ == "TOO MANY COLUMNS":
            problem_lista.append(fel("for_manga_falt", rad=rad, varde=rad_text,
                                     info1=antal.group(2) if antal else "fler",
                                     info2=antal.group(1) if antal else len(kolumner)))
        elif typ == "UNQUOTED VALUE":
            problem_lista.append(fel("citat_fel", rad=rad, varde=rad_text))
        else:
            problem_lista.append(fel("olasbar_rad", rad=rad, varde=rad_text,
                                     info1=meddelande or typ))

    # Row numbers: DuckDB keeps the file's order (preserve_insertion_order), so the k-th row
    # read is the k-th data line not skipped. With skipped lines s_1 < s_2 < ... (empty or
    # rejected), row k sits on line k + 1 + #{j : s_j - j <= k}; an ASOF join finds that count.
    hopp = sorted(h for h in hoppade if h > 1)
    con.execute(f"create table {hopp_tabell} (nyckel bigint, antal bigint)")
    if hopp:
        con.execute(f"insert into {hopp_tabell} select unnest($n), unnest($a)",
                    {"n": [s - j for j, s in enumerate(hopp, start=1)],
                     "a": list(range(1, len(hopp) + 1))})
    kolumnlista = ", ".join(f"l.{ident(f'c{i}')}" for i in range(len(kolumner)))
    inte_tom = " or ".join(f"nullif(trim(l.{ident(f'c{i}')}), '') is not null" for i in range(len(kolumner)))
    con.execute(
        f"""create table {ident(tabell_sql)} as
            with l as (select rowid + 1 as k, * from {las}),
            h as (select nyckel, max(antal) as antal from {hopp_tabell} group by nyckel)
            select cast(l.k + 1 + coalesce(h.antal, 0) as integer) as rad, {kolumnlista}
            from l asof left join h on h.nyckel <= l.k
            where {inte_tom}"""
    )
    con.execute(f"drop table {las}")
    antal_rader = con.execute(f"select count(*) from {ident(tabell_sql)}").fetchone()[0]
    if antal_rader == 0 and not problem_lista:
        raise Avbryt([fel("inga_rader", info1="rubrikraden")])
    inlast = Inlast(
        tabell_sql=tabell_sql, kolumner=kolumner, rubrikrad=1,
        rader_i_fil=antal_rader + rader_avvisade, problem=problem_lista,
        kodning=KODNING_NAMN.get(anvand, anvand), avgransare=vald_sep, decimal=decimal,
    )
    return inlast


def _forkorta_fel(exc: Exception) -> str:
    """The library's own message, first line, as a technical detail after a Swedish sentence."""
    from beslutsstod.inlasning.problem import synliga_kontrolltecken
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return synliga_kontrolltecken(text[:200])


# ---------------------------------------------------------------- XLSX

_NS_HUVUD = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
_FORMEL = re.compile(rb"<(?:\w+:)?f[\s>/]")
_XML_BLOCK_BYTES = 1 << 20  # bytes of sheet XML scanned per chunk
_XML_OVERLAPP_BYTES = 256  # bytes kept between chunks so a tag split across them is found


def _bladdelar(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML part inside the .xlsx archive."""
    arbetsbok = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    mal = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{_NS_PKG}}}Relationship")}
    delar: dict[str, str] = {}
    for blad in arbetsbok.iter(f"{{{_NS_HUVUD}}}sheet"):
        target = mal.get(blad.get(f"{{{_NS_REL}}}id"), "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        delar[blad.get("name")] = target
    return delar


def _skanna_bladxml(zf: zipfile.ZipFile, del_namn: str) -> tuple[list[str], bool]:
    """Merged ranges and whether any formula exists, streaming through the sheet's XML."""
    sammanfogade: list[str] = []
    har_formel = False
    rest = b""
    with zf.open(del_namn) as f:
        while True:
            block = f.read(_XML_BLOCK_BYTES)
            if not block:
                break
            data = rest + block
            har_formel = har_formel or bool(_FORMEL.search(data))
            # Only take merges that end before the overlap zone, so none is counted twice.
            grans = len(data) - _XML_OVERLAPP_BYTES
            for m in _MERGE.finditer(data):
                if m.end() <= grans:
                    sammanfogade.append(m.group(1).decode())
            rest = data[max(grans, 0):]
        for m in _MERGE.finditer(rest):
            sammanfogade.append(m.group(1).decode())
    return sammanfogade, har_formel


def _cellomrade(ref: str) -> tuple[int, int, int, int]:
    """'B2:D3' -> (min_col, min_row, max_col, max_row), 1-based."""
    from openpyxl.utils.cell import range_boundaries
    return range_boundaries(ref if ":" in ref else f"{ref}:{ref}")


def _som_text(varde) -> str | None:
    """A cell value as the text the validator expects; numbers with '.' as decimal mark."""
    if varde is None:
        return None
    if isinstance(varde, bool):
        return "true" if varde else "false"
    if isinstance(varde, int):
        return str(varde)
    if isinstance(varde, float):
        if varde.is_integer() and abs(varde) < 1e15:
            return str(int(varde))
        return repr(varde)
    if isinstance(varde, dt.datetime):
        if varde.time() == dt.time(0, 0):
            return varde.date().isoformat()
        return varde.isoformat(sep=" ")
    if isinstance(varde, (dt.date, dt.time)):
        return varde.isoformat()
    text = str(varde).strip()
    return text or None


def _ar_formel(varde) -> bool:
    return (isinstance(varde, str) and varde.startswith("=")) or type(varde).__name__ in (
        "ArrayFormula", "DataTableFormula")


def las_xlsx(con, sokvag: Path, filnamn: str, tabell: str, tabell_sql: str, *,
             blad: str | None = None) -> Inlast:
    """Read one sheet of an .xlsx into DuckDB table `tabell_sql`; Avbryt if impossible.

    No decimal mark is needed: numeric cells are numbers, and a number typed as text may
    carry either ',' or '.' (DECIMAL_BADA).
    """
    import openpyxl

    def fel(kod: str, **kw) -> Problem:
        return problem(filnamn, kod, tabell=tabell, **kw)

    if sokvag.stat().st_size == 0:
        raise Avbryt([fel("tom_fil")])
    zf = None
    try:
        zf = zipfile.ZipFile(sokvag)
        delar = _bladdelar(zf)
        wb = openpyxl.load_workbook(sokvag, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        with open(sokvag, "rb") as f:
            borjan = f.read(4)
        orsak = ("filen är i det gamla .xls-formatet" if borjan == b"\xd0\xcf\x11\xe0" else
                 "zip-strukturen saknas eller är trasig")
        raise Avbryt([fel("skadad_xlsx", info1=orsak)]) from None
    except Exception as exc:  # noqa: BLE001 - a broken workbook is reported, not raised
        if zf is not None:
            zf.close()
        raise Avbryt([fel("skadad_xlsx", info1=_forkorta_fel(exc))]) from None

    wb_formler = None
    try:
        namn = list(wb.sheetnames)
        if blad is not None:
            traff = [n for n in namn if n == blad or normalisera_namn(n) == normalisera_namn(blad)]
            if not traff:
                raise Avbryt([fel("blad_saknas", varde=blad, info1=", ".join(namn))])
            valt = traff[0]
        else:
            traff = [n for n in namn if normalisera_namn(n) == tabell]
            if traff:
                valt = traff[0]
            else:
                ifyllda = [n for n in namn if not _tomt_blad(wb[n])]
                if not ifyllda:
                    raise Avbryt([fel("tom_arbetsbok")])
                if len(ifyllda) > 1:
                    raise Avbryt([fel("flera_blad", info1=", ".join(ifyllda))])
                valt = ifyllda[0]

        try:
            sammanfogade, har_formel = _skanna_bladxml(zf, delar[valt])
        except KeyError:
            sammanfogade, har_formel = [], False
        ws = wb[valt]
        ws_f = None
        if har_formel:
            # A second read without data_only shows which empty cells hold a formula.
            wb_formler = openpyxl.load_workbook(sokvag, read_only=True, data_only=False)
            ws_f = wb_formler[valt]
        rader = _rader_med_formler(ws, ws_f)

        # The header is the first row (of the first RUBRIK_SOK_RADER) naming a known column,
        # so a title above the table is skipped; failing that, the first non-empty row.
        kanda = set(TABELLER[tabell].kolumnnamn)
        buffert_rader = []
        for rad in rader:
            buffert_rader.append(rad)
            if len(buffert_rader) >= RUBRIK_SOK_RADER or any(
                    normalisera_namn(str(v)) in kanda for v in rad[1] if isinstance(v, str)):
                break
        ifyllda = [r for r in buffert_rader if any(_som_text(v) is not None for v in r[1])]
        if not ifyllda:
            raise Avbryt([fel("tom_arbetsbok")])
        rubrik = next((r for r in ifyllda if any(
            normalisera_namn(str(v)) in kanda for v in r[1] if isinstance(v, str))), ifyllda[0])
        rubrikrad = rubrik[0]
        rubriker = [(_som_text(v) or "") for v in rubrik[1]]
        rader = itertools.chain((r for r in buffert_rader if r[0] > rubrikrad), rader)
        problem_lista: list[Problem] = []

        for ref in sammanfogade:
            min_k, min_r, max_k, max_r = _cellomrade(ref)
            if min_r <= rubrikrad <= max_r:
                problem_lista.append(fel("sammanfogad_rubrik", rad=rubrikrad, varde=ref))
        if problem_lista:
            raise Avbryt(problem_lista)
        for ref in sammanfogade:
            min_k, min_r, max_k, max_r = _cellomrade(ref)
            if max_r > rubrikrad:
                problem_lista.append(fel("sammanfogade_celler", rad=max(min_r, rubrikrad + 1),
                                         varde=ref))

        index = [i for i, r in enumerate(rubriker) if r]
        if len(index) > MAX_KOLUMNER:
            raise Avbryt([fel("for_manga_kolumner", rad=rubrikrad, info1=len(index),
                              info2=MAX_KOLUMNER)])
        kolumner = [(rubriker[i], normalisera_namn(rubriker[i])) for i in index]
        utan_rubrik: dict[int, int] = {}  # column index -> first row with a value there
        antal_formler = 0
        antal_rader = 0
        buffert: list[list] = [[] for _ in range(len(index) + 1)]

        def tom_buffert() -> None:
            if not buffert[0]:
                return
            arrays = [pa.array(buffert[0], pa.int32())] + [
                pa.array(b, pa.string()) for b in buffert[1:]]
            batch = pa.table(arrays, names=["rad"] + [f"c{i}" for i in range(len(index))])
            con.register("_xlsx_batch", batch)
            con.execute(f"insert into {ident(tabell_sql)} select * from _xlsx_batch")
            con.unregister("_xlsx_batch")
            for b in buffert:
                b.clear()

        kolumndef = ", ".join(["rad integer"] + [f"{ident(f'c{i}')} varchar" for i in range(len(index))])
        con.execute(f"create table {ident(tabell_sql)} ({kolumndef})")
        for radnr, varden, formelvarden in rader:
            texter = [_som_text(v) for v in varden]
            if not any(t is not None for t in texter):
                continue
            antal_rader += 1
            if ws_f is not None:
                for i, fv in enumerate(formelvarden):
                    if _ar_formel(fv):
                        if i < len(texter) and texter[i] is None:
                            kol = rubriker[i] if i < len(rubriker) and rubriker[i] else None
                            if len(problem_lista) < MAX_STRUKTURPROBLEM:
                                problem_lista.append(fel(
                                    "formel_utan_varde", rad=radnr,
                                    kolumn=normalisera_namn(kol) if kol else None,
                                    varde=getattr(fv, "text", fv)))
                        else:
                            antal_formler += 1
            for i, t in enumerate(texter):
                if t is not None and (i >= len(rubriker) or not rubriker[i]):
                    utan_rubrik.setdefault(i, radnr)
            buffert[0].append(radnr)
            for j, i in enumerate(index, start=1):
                buffert[j].append(texter[i] if i < len(texter) else None)
            if len(buffert[0]) >= XLSX_BATCH_RADER:
                tom_buffert()
        tom_buffert()

        from openpyxl.utils import get_column_letter
        for i, radnr in sorted(utan_rubrik.items()):
            problem_lista.append(fel("varde_utan_rubrik", rad=radnr,
                                     varde=get_column_letter(i + 1)))
        if antal_rader == 0:
            raise Avbryt(problem_lista + [fel("inga_rader", info1="rubrikraden")])
        inlast = Inlast(
            tabell_sql=tabell_sql, kolumner=kolumner, rubrikrad=rubrikrad,
            rader_i_fil=antal_rader, problem=problem_lista, blad=valt,
            decimal=DECIMAL_BADA,
        )
        ovanfor = [r[0] for r in ifyllda if r[0] < rubrikrad]
        inlast.info.append(f"Läste bladet '{valt}' med rubrikerna på rad {rubrikrad}"
                           + (f"; raderna {ovanfor[0]}–{ovanfor[-1]} ovanför lästes inte."
                              if ovanfor else "."))
        if antal_formler:
            inlast.info.append(f"{antal_formler} celler innehöll formler; deras sparade värden "
                               "lästes.")
        return inlast
    except Avbryt:
        raise
    except Exception as exc:  # noqa: BLE001 - e.g. a truncated sheet inside a valid zip
        raise Avbryt([fel("skadad_xlsx", info1=_forkorta_fel(exc))]) from None
    finally:
        wb.close()
        if wb_formler is not None:
            wb_formler.close()
        zf.close()


def _rader_med_formler(ws, ws_f):
    """(row number, values, formulas) for every row; formulas () when ws_f is None."""
    ws.reset_dimensions()  # some writers store a wrong size; read every row
    formler = None
    if ws_f is not None:
        ws_f.reset_dimensions()
        formler = ws_f.iter_rows(values_only=True)
    for radnr, varden in enumerate(ws.iter_rows(values_only=True), start=1):
        yield radnr, varden, (next(formler, ()) if formler is not None else ())


def _tomt_blad(ws) -> bool:
    ws.reset_dimensions()
    for varden in ws.iter_rows(values_only=True):
        if any(_som_text(v) is not None for v in varden):
            return False
    return True


def las_fil(con, sokvag: Path, filnamn: str, tabell: str, tabell_sql: str, tmpdir: Path, *,
            sep: str | None = None, decimal: str | None = None, kodning: str | None = None,
            blad: str | None = None) -> Inlast:
    """Read a .csv or .xlsx; the extension of `filnamn` decides which."""
    andelse = Path(filnamn).suffix.lower()
    if andelse == ".xlsx":
        return las_xlsx(con, sokvag, filnamn, tabell, tabell_sql, blad=blad)
    if andelse == ".csv":
        return las_csv(con, sokvag, filnamn, tabell, tabell_sql, tmpdir, sep=sep,
                       decimal=decimal, kodning=kodning)
    raise Avbryt([problem(filnamn, "fel_filandelse", tabell=tabell, varde=andelse or filnamn)])


__all__ = ["Inlast", "las_fil", "las_csv", "las_xlsx", "tolka_kodning", "tolka_avgransare",
           "DECIMAL_BADA"]
