"""Import of real extracts (besok, utforare, ersattningsnivaer, budget, vistelser).

An import either fully happens or changes nothing:
1. read each file (.csv or .xlsx) into DuckDB as text (ingest_read);
2. check every value and rule, collecting all problems of the file (ingest_validate);
3. only if no file has an error: write the new Parquet files as temporary files, then rename
   them into place through a journal (ingest_store), append to the import log and write a new
   data version so the app's caches are invalidated.

Command line (prints a Swedish report, exit code 1 when the file is refused):
    python -m beslutsstod.inlasning.importflode TABELL FIL [--data-dir data] [--sep ;] [--decimal ,]
        [--encoding cp1252] [--blad NAMN] [--pseudonymisera]
With --pseudonymisera the key is the setting `pseudonym_nyckel` (environment variable
BESLUTSSTOD_PSEUDONYM_NYCKEL or .streamlit/secrets.toml), never a command-line argument, where
it would end up in the shell history. --data-dir defaults to the setting `data_dir`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable

from beslutsstod.inlasning import pseudonym
from beslutsstod.inlasning.lagra import (
    ImportPagar,
    Plan,
    TabellStatus,
    aterstall_avbruten_import,
    avsluta_forsok,
    borja_forsok,
    bump_data_version,
    extrakt_dir,
    genomfor,
    har_demodata,
    import_tmp_dir,
    importlas,
    kasta,
    lagrad_relation,
    las_importlogg,
    planera_besok,
    planera_tabell,
    read_data_version,
    sammanfatta,
    sha256_fil,
    skriv_logg,
    ta_bort_demodata,
    testpunkt,
)
from beslutsstod.inlasning.las import las_fil, tolka_avgransare, tolka_kodning
from beslutsstod.inlasning.mallar import mall
from beslutsstod.inlasning.problem import FEL, Avbryt, Problem, problem
from beslutsstod.inlasning.schema import TABELLER, TABELLORDNING, kommunkoder
from beslutsstod.inlasning.sql import ident
from beslutsstod.inlasning.validera import Kontext, tolka_decimal, validera

TILLATNA_ANDELSER = (".csv", ".xlsx")
RAPPORT_MAX_PROBLEM = 100  # problems printed in a report; the rest are counted per kind
# DuckDB spills to its temp directory (inside the data folder) beyond this. bench/upload_minne.py,
# a 200 MB besok CSV (3 million visits): peak 279 MB for the whole process from the command line,
# 482 MB as an upload held in memory (issue 13's target: 500 MB), 2,7 min; with 1 GB it was
# 1,1 GB and 1,3 GB.
DUCKDB_MINNESGRANS = "128MB"
BYTES_PER_MB = 1024 * 1024
KOPIERA_BLOCK_BYTES = 1 << 20  # bytes copied per step from an upload to its temporary file
FILNAMN_MAX_TECKEN = 200  # characters of a user-supplied file name kept for display and log

GENOMFORD = "genomford"  # written
OFORANDRAD = "oforandrad"  # valid, identical to what was stored: nothing written
AVVISAD = "avvisad"  # refused because of its own errors
EJ_GENOMFORD = "ej_genomford"  # valid, but another file of the same import was refused

Framsteg = Callable[[float, str], None]

__all__ = [
    "ImportFil", "FilResultat", "ImportResultat", "Problem", "TabellStatus",
    "importera", "importera_flera", "mall", "sammanfatta", "las_importlogg",
    "bump_data_version", "read_data_version", "aterstall_avbruten_import", "main",
]


@dataclass
class ImportFil:
    """One file to import: from a path (CLI) or from uploaded bytes (the Data page)."""

    tabell: str
    sokvag: str | Path | None = None
    innehall: bytes | None = None  # uploaded bytes; stored under a generated temp name
    strom: BinaryIO | None = None  # or an uploaded file object, copied to disk in blocks
    filnamn: str | None = None  # shown in reports and the log (only its last part is used)
    sep: str | None = None  # ';' ',' or '\t'; None = detect
    decimal: str | None = None  # ',' or '.'; None = detect
    kodning: str | None = None  # 'utf-8', 'cp1252', ...; None = detect
    blad: str | None = None  # .xlsx sheet; None = the sheet named like the table, or the only one


@dataclass
class FilResultat:
    tabell: str
    fil: str
    status: str
    problem: list[Problem] = field(default_factory=list)
    antal_fel: int = 0
    antal_varningar: int = 0
    antal_per_kod: dict[str, int] = field(default_factory=dict)
    rader_i_fil: int = 0
    tillagda: int = 0
    ersatta: int = 0
    oforandrade: int = 0
    borttagna: int = 0
    avvisade: int = 0
    sha256: str | None = None
    blad: str | None = None
    kodning: str | None = None
    avgransare: str | None = None
    decimal: str | None = None
    pseudonymiserade: int = 0
    info: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in (GENOMFORD, OFORANDRAD)

    def lasning(self) -> list[str]:
        """How the file was read (sheet, encoding, separator, decimal mark), as Swedish phrases."""
        delar = []
        if self.blad:
            delar.append(f"blad '{self.blad}'")
        if self.kodning:
            delar.append(f"teckenkodning {self.kodning}")
        if self.avgransare:
            delar.append("avgränsare " + {";": "semikolon", ",": "komma", "\t": "tabb"}.get(
                self.avgransare, self.avgransare))
        if self.decimal in (",", "."):
            delar.append("decimalkomma" if self.decimal == "," else "decimalpunkt")
        return delar

    def rapport(self) -> str:
        """The Swedish report for this file."""
        rubrik = {
            GENOMFORD: "GENOMFÖRD",
            OFORANDRAD: "GENOMFÖRD – inga ändringar (samma innehåll som redan är lagrat)",
            AVVISAD: "AVVISAD – ingenting har ändrats",
            EJ_GENOMFORD: "EJ GENOMFÖRD – filen är felfri, men en annan fil i samma import "
                          "avvisades, så ingenting har ändrats",
        }[self.status]
        rader = [f"Import av {self.tabell} från {self.fil}: {rubrik}."]
        detaljer = self.lasning()
        if self.rader_i_fil:
            rader.append(f"{_tal(self.rader_i_fil)} "
                         + ("datarad läst" if self.rader_i_fil == 1 else "datarader lästa")
                         + (f" ({', '.join(detaljer)})." if detaljer else "."))
        rader.extend(self.info)
        if self.ok:
            rader.append(f"Tillagda {_tal(self.tillagda)}, ersatta {_tal(self.ersatta)}, "
                         f"oförändrade {_tal(self.oforandrade)}, borttagna "
                         f"{_tal(self.borttagna)}.")
        if self.sha256:
            rader.append(f"Kontrollsumma (SHA-256): {self.sha256}")
        if self.antal_fel or self.antal_varningar:
            varningar = "varning" if self.antal_varningar == 1 else "varningar"
            rader.append(f"{_tal(self.antal_fel)} fel och {_tal(self.antal_varningar)} "
                         f"{varningar}"
                         + (f" på {_tal(self.avvisade)} "
                            f"{'rad' if self.avvisade == 1 else 'rader'}:" if self.avvisade else ":"))
            for p in self.problem[:RAPPORT_MAX_PROBLEM]:
                markor = "" if p.allvarlighet == FEL else "(varning) "
                rader.append(f"  {markor}{p.text}")
            visade = min(len(self.problem), RAPPORT_MAX_PROBLEM)
            totalt = self.antal_fel + self.antal_varningar
            if totalt > visade:
                slag = ", ".join(f"{k} {_tal(n)}" for k, n in
                                 sorted(self.antal_per_kod.items(), key=lambda x: -x[1]))
                rader.append(f"  … och {_tal(totalt - visade)} till (per slag: {slag}).")
        return "\n".join(rader)


@dataclass
class ImportResultat:
    filer: list[FilResultat]
    dataversion: str | None = None  # new token when data changed, else None

    @property
    def ok(self) -> bool:
        return bool(self.filer) and all(f.ok for f in self.filer)

    @property
    def problem(self) -> list[Problem]:
        return [p for f in self.filer for p in f.problem]

    def rapport(self) -> str:
        return "\n\n".join(f.rapport() for f in self.filer)


def _tal(n: int) -> str:
    """Integer with Swedish digit grouping ('1 234')."""
    try:
        from beslutsstod.talformat import fmt_tal  # the shared helper, when present
        return fmt_tal(n)
    except ImportError:
        from babel.numbers import format_decimal
        return format_decimal(n, locale="sv_SE")


def sakert_filnamn(namn: str) -> str:
    """Only the last part of a user-supplied name, without control characters."""
    bas = re.split(r"[\\/]", str(namn))[-1]
    bas = "".join(t for t in bas if t.isprintable()).strip()
    return bas[:FILNAMN_MAX_TECKEN] or "fil"


def _logga(data_dir: Path, r: FilResultat, dataversion: str | None) -> None:
    skriv_logg(data_dir, {
        "tid": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "tabell": r.tabell, "fil": r.fil, "sha256": r.sha256, "status": r.status,
        "rader_i_fil": r.rader_i_fil, "tillagda": r.tillagda, "ersatta": r.ersatta,
        "oforandrade": r.oforandrade, "borttagna": r.borttagna, "avvisade": r.avvisade,
        "antal_fel": r.antal_fel, "antal_varningar": r.antal_varningar, "blad": r.blad,
        "kodning": r.kodning, "avgransare": r.avgransare, "decimal": r.decimal,
        "pseudonymiserade": r.pseudonymiserade, "dataversion": dataversion,
    })


def _avvisa(r: FilResultat, problem_lista: list[Problem]) -> FilResultat:
    r.status = AVVISAD
    r.problem = problem_lista
    r.antal_fel = sum(1 for p in problem_lista if p.allvarlighet == FEL)
    r.antal_varningar = len(problem_lista) - r.antal_fel
    r.avvisade = len({p.rad for p in problem_lista if p.rad is not None})
    for p in problem_lista:
        r.antal_per_kod[p.kod] = r.antal_per_kod.get(p.kod, 0) + 1
    return r


def importera(tabell: str, fil: str | Path, data_dir: str | Path = "data", *,
              sep: str | None = None, decimal: str | None = None, kodning: str | None = None,
              blad: str | None = None, pseudonymisera: bool = False,
              nyckel: str | bytes | None = None, framsteg: Framsteg | None = None
              ) -> ImportResultat:
    """Validate and import one file into the stored extracts; see importera_flera."""
    return importera_flera(
        [ImportFil(tabell=tabell, sokvag=fil, sep=sep, decimal=decimal, kodning=kodning,
                   blad=blad)],
        data_dir, pseudonymisera=pseudonymisera, nyckel=nyckel, framsteg=framsteg)


def importera_flera(filer: list[ImportFil], data_dir: str | Path = "data", *,
                    pseudonymisera: bool = False, nyckel: str | bytes | None = None,
                    max_bytes: int | None = None, framsteg: Framsteg | None = None
                    ) -> ImportResultat:
    """Validate all files, then write all or nothing; every attempt is logged.

    Files of one call are checked together: besok is checked against the utforare and
    ersattningsnivaer of the same call when present, otherwise against the stored ones.
    `max_bytes` limits each file's size (the upload limit setting); `framsteg(andel, text)`
    is called as the import advances (for a progress bar).
    """
    data_dir = Path(data_dir)
    for f in filer:
        if f.tabell not in TABELLER:
            raise ValueError(f"okänd tabell '{f.tabell}'; välj en av {', '.join(TABELLORDNING)}")
    steg = framsteg or (lambda andel, text: None)
    resultat = [FilResultat(tabell=f.tabell, fil=sakert_filnamn(
        f.filnamn or (Path(f.sokvag).name if f.sokvag is not None else "uppladdning")),
        status=EJ_GENOMFORD) for f in filer]
    try:
        with importlas(data_dir):
            aterstall_avbruten_import(data_dir)  # a killed import is finished or forgotten, and logged
            borja_forsok(data_dir, [{"tabell": r.tabell, "fil": r.fil} for r in resultat])
            try:
                ut = _importera_last(filer, resultat, data_dir, pseudonymisera, nyckel,
                                     max_bytes, steg)
            except BaseException:
                # An unforeseen error (not a kill): log what is known now. The journal, if any,
                # is finished by the next import or start, which logs it as 'aterstalld'.
                if not (extrakt_dir(data_dir) / "_pagaende_import.json").exists():
                    for r in resultat:
                        r.status = "avbruten"
                    _logga_alla(data_dir, resultat, None)
                    avsluta_forsok(data_dir)
                raise
            avsluta_forsok(data_dir)
            return ut
    except ImportPagar:
        for r in resultat:
            _avvisa(r, [problem(r.fil, "import_pagar", tabell=r.tabell)])
        _logga_alla(data_dir, resultat, None)  # every attempt is logged, this one too
        return ImportResultat(resultat)


def _importera_last(filer, resultat, data_dir, pseudonymisera, nyckel, max_bytes, steg):
    import duckdb

    nyckel_bytes = None
    if pseudonymisera:
        try:
            nyckel_bytes = pseudonym.kontrollera_nyckel(nyckel)
        except ValueError as exc:
            for r in resultat:
                _avvisa(r, [problem(r.fil, "ogiltig_nyckel", tabell=r.tabell, info1=str(exc))])
            _logga_alla(data_dir, resultat, None)
            return ImportResultat(resultat)

    ordning = sorted(range(len(filer)), key=lambda i: (
        TABELLORDNING.index(filer[i].tabell) if filer[i].tabell in TABELLORDNING else -1))
    sedda: set[str] = set()
    # Demo data is fictitious: it is neither checked against nor merged with, but replaced.
    demo = har_demodata(data_dir)
    # Temporary files inside the data folder (same file system as the final renames); a killed
    # import leaves them for aterstall_avbruten_import to remove.
    with tempfile.TemporaryDirectory(prefix="import-", dir=import_tmp_dir(data_dir)) as tmp:
        tmpdir = Path(tmp)
        (tmpdir / "duckdb").mkdir()
        con = duckdb.connect(config={"temp_directory": str(tmpdir / "duckdb"),
                                     "preserve_insertion_order": True,
                                     "memory_limit": DUCKDB_MINNESGRANS})
        try:
            pseudonym.registrera_makron(con)
            con.execute("create table kommun as select unnest($k) as kod",
                        {"k": sorted(kommunkoder(data_dir))})
            giltiga: dict[str, str] = {}  # tabell -> typed table of a file validated so far
            for steg_nr, i in enumerate(ordning):
                f, r = filer[i], resultat[i]
                steg(0.05 + 0.6 * steg_nr / len(filer), f"Läser och kontrollerar {r.fil} …")
                if f.tabell in sedda:
                    _avvisa(r, [problem(r.fil, "dubbel_tabell", tabell=f.tabell)])
                    continue
                sedda.add(f.tabell)
                typ = _kontrollera_fil(con, f, r, f"f{i}", tmpdir, data_dir, giltiga,
                                       pseudonymisera, nyckel_bytes, max_bytes, not demo)
                if typ is not None:
                    giltiga[f.tabell] = typ
                    if f.tabell == "ersattningsnivaer":
                        r.info.extend(momskompensation_info(con, typ))

            if not all(r.status != AVVISAD for r in resultat):
                for r in resultat:
                    if r.status != AVVISAD:
                        r.status = EJ_GENOMFORD
                _logga_alla(data_dir, resultat, None)
                steg(1.0, "Importen avvisades.")
                return ImportResultat(resultat)

            planer: list[Plan] = []
            try:
                for steg_nr, i in enumerate(ordning):
                    f, r = filer[i], resultat[i]
                    steg(0.7 + 0.25 * steg_nr / len(filer), f"Skriver {f.tabell} …")
                    if f.tabell == "besok":
                        plan = planera_besok(con, data_dir, giltiga["besok"],
                                             anvand_lagrat=not demo)
                    else:
                        plan = planera_tabell(con, data_dir, f.tabell, giltiga[f.tabell],
                                              anvand_lagrat=not demo)
                    planer.append(plan)
                    r.tillagda, r.ersatta = plan.tillagda, plan.ersatta
                    r.oforandrade, r.borttagna = plan.oforandrade, plan.borttagna
                    r.status = GENOMFORD if plan.forandrad else OFORANDRAD
            except BaseException:
                for p in planer:
                    kasta(p.andringar)
                raise
            # From here the journal makes the renames all-or-nothing (even across a crash),
            # so the temporary files must not be discarded.
            andringar = [a for p in planer for a in p.andringar]
            if demo:
                andringar += ta_bort_demodata(data_dir, {a.mal for a in andringar})
                resultat[ordning[0]].info.append(
                    "Demodata fanns och har tagits bort: importerade uppgifter blandas aldrig "
                    "med fiktiva. Importera alla fem tabellerna.")
            version = genomfor(data_dir, andringar)
        finally:
            con.close()
    _logga_alla(data_dir, resultat, version)
    steg(1.0, "Klart.")
    return ImportResultat(resultat, dataversion=version)


def momskompensation_info(con, typ: str) -> list[str]:
    """The report's sentences on rates stated incl. momskompensation: who gets it deducted.

    The cost rule (beslutsstod.regler.kostnadsregel): a private payee is paid an incl. rate as it stands;
    a municipality (regi vistelsekommun) or egen regi never receives momskompensation, so an incl.
    rate is paid to them with it deducted. An incl. row is accepted for any regi.
    """
    antal = {(regi, n) for regi, n in con.execute(
        f"select regi, count(*) from {ident(typ)} where momskompensation_ingar group by regi").fetchall()}
    if not antal:
        return []
    ord_regi = {None: "alla regier", "privat": "privata utförare", "egen_regi": "egen regi",
                "vistelsekommun": "vistelsekommuner"}
    delar = [f"{_tal(n)} för {ord_regi.get(regi, regi)}" for regi, n in sorted(antal, key=lambda x: str(x[0]))]
    avdrag = sorted({regi for regi, _ in antal if regi != "privat"}, key=str)
    text = f"Nivåer inklusive momskompensation: {', '.join(delar)}. "
    if avdrag:
        text += ("Till vistelsekommuner och egen regi betalas de med momskompensationen avdragen "
                 "(delat med 1 + momskompensationen); privata utförare får dem som de står.")
    else:
        text += "Privata utförare får dem som de står; ingen avdras."
    return [text]


def _logga_alla(data_dir: Path, resultat: list[FilResultat], version: str | None) -> None:
    for r in resultat:
        _logga(data_dir, r, version)


def _kontrollera_val(f: ImportFil) -> str | None:
    """A Swedish explanation if a stated separator, decimal mark or encoding is unusable."""
    if f.kodning is not None:
        try:
            tolka_kodning(f.kodning)
        except ValueError:
            return (f"Teckenkodningen '{f.kodning}' är okänd; ange t.ex. utf-8 eller cp1252 "
                    "(Windows-1252), eller utelämna den så identifieras den.")
    if f.decimal is not None and tolka_decimal(f.decimal) not in (",", "."):
        return f"Decimaltecknet '{f.decimal}' är okänt; ange ',' (komma) eller '.' (punkt)."
    sep = tolka_avgransare(f.sep)
    if sep is not None and (len(sep) != 1 or sep in '"\r\n'):
        return (f"Avgränsaren '{f.sep}' kan inte användas; ange ett enda tecken, t.ex. ';' "
                "eller ',' (eller 'tab').")
    return None


def _megabyte(antal_bytes: int) -> str:
    """'2,0 MB' (1 MB = 1 048 576 bytes, as Streamlit's upload limit counts)."""
    return f"{antal_bytes / BYTES_PER_MB:.1f}".replace(".", ",") + " MB"


def _kontrollera_fil(con, f: ImportFil, r: FilResultat, prefix: str, tmpdir: Path,
                     data_dir: Path, giltiga: dict[str, str], pseudonymisera: bool,
                     nyckel_bytes: bytes | None, max_bytes: int | None,
                     anvand_lagrat: bool = True) -> str | None:
    """Read and validate one file; fill `r`; return its typed table if it has no error."""
    andelse = Path(r.fil).suffix.lower()
    if andelse not in TILLATNA_ANDELSER:
        _avvisa(r, [problem(r.fil, "fel_filandelse", tabell=r.tabell, varde=andelse or r.fil)])
        return None
    if f.strom is not None or f.innehall is not None:
        # An upload is stored under a generated name: no user-supplied path touches the disk.
        # It is copied in blocks into the data folder's temporary folder; a file over the size
        # limit is refused as soon as the limit is passed, before the rest is copied.
        sokvag = tmpdir / f"{prefix}{andelse}"
        kalla = f.strom if f.strom is not None else io.BytesIO(f.innehall)
        if hasattr(kalla, "seek"):
            kalla.seek(0)
        kopierat = 0
        with open(sokvag, "wb") as ut:
            while block := kalla.read(KOPIERA_BLOCK_BYTES):
                kopierat += len(block)
                if max_bytes is not None and kopierat > max_bytes:
                    break
                ut.write(block)
        if max_bytes is not None and kopierat > max_bytes:
            sokvag.unlink()
            storlek = getattr(kalla, "size", None) or kopierat
            _avvisa(r, [problem(r.fil, "for_stor", tabell=r.tabell, varde=_megabyte(storlek),
                                info1=_megabyte(max_bytes))])
            return None
    else:
        sokvag = Path(f.sokvag)
        if not sokvag.is_file():
            _avvisa(r, [problem(r.fil, "filen_saknas", tabell=r.tabell, info1=str(sokvag))])
            return None
    storlek = sokvag.stat().st_size
    if max_bytes is not None and storlek > max_bytes:
        _avvisa(r, [problem(r.fil, "for_stor", tabell=r.tabell, varde=_megabyte(storlek),
                            info1=_megabyte(max_bytes))])
        return None
    r.sha256 = sha256_fil(sokvag)
    fel_val = _kontrollera_val(f)
    if fel_val:
        _avvisa(r, [problem(r.fil, "ogiltigt_val", tabell=r.tabell, info1=fel_val)])
        return None
    try:
        return _las_och_validera(con, f, r, sokvag, prefix, tmpdir, data_dir, giltiga,
                                 pseudonymisera, nyckel_bytes, anvand_lagrat)
    except Avbryt as avbrott:
        _avvisa(r, avbrott.problem)
    except Exception as exc:  # noqa: BLE001 - an unforeseen failure refuses the file; nothing
        # has been written at this point, so the stored data is untouched.
        text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        _avvisa(r, [problem(r.fil, "internt_fel", tabell=r.tabell, info1=text)])
    return None


def _las_och_validera(con, f: ImportFil, r: FilResultat, sokvag: Path, prefix: str,
                      tmpdir: Path, data_dir: Path, giltiga: dict[str, str],
                      pseudonymisera: bool, nyckel_bytes: bytes | None, anvand_lagrat: bool
                      ) -> str | None:
    inlast = las_fil(con, sokvag, r.fil, f.tabell, f"{prefix}_rad", tmpdir, sep=f.sep,
                     decimal=f.decimal, kodning=f.kodning, blad=f.blad)
    testpunkt("lasning")
    r.rader_i_fil, r.blad, r.kodning = inlast.rader_i_fil, inlast.blad, inlast.kodning
    r.avgransare = inlast.avgransare
    r.info.extend(inlast.info)

    kontext = Kontext(pseudonymisera=pseudonymisera, nyckel=nyckel_bytes)
    for tabell, attr in (("utforare", "utforare_sql"), ("ersattningsnivaer", "ersattning_sql")):
        if tabell in giltiga:
            setattr(kontext, attr, giltiga[tabell])
        elif anvand_lagrat:
            relation = lagrad_relation(con, data_dir, tabell)
            if relation is not None:
                con.execute(f"create or replace temp view {ident(f'lagrad_{tabell}')} as "
                            f"select * from {relation}")
                setattr(kontext, attr, f"lagrad_{tabell}")
    if f.tabell == "utforare" and anvand_lagrat:
        relation = lagrad_relation(con, data_dir, "besok")
        if relation is not None:
            con.execute(f"create or replace temp view lagrad_besok as "
                        f"select utforare_id from {relation}")
            kontext.lagrade_besok_sql = "lagrad_besok"

    v = validera(con, inlast, f.tabell, r.fil, kontext, prefix)
    r.problem, r.antal_fel, r.antal_varningar = v.problem, v.antal_fel, v.antal_varningar
    r.antal_per_kod, r.decimal, r.pseudonymiserade = v.antal_per_kod, v.decimal, v.pseudonymiserade
    r.info.extend(v.info)
    if not v.ok:
        r.status = AVVISAD
        r.avvisade = v.avvisade_rader
        return None
    return v.typ_tabell


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m beslutsstod.inlasning.importflode",
        description="Importera ett extrakt (.csv eller .xlsx) till beslutsstödets data.")
    parser.add_argument("tabell", choices=TABELLORDNING, help="tabellen som filen innehåller")
    parser.add_argument("fil", help="sökväg till .csv- eller .xlsx-filen")
    parser.add_argument("--data-dir", help="datakatalogen (standard: inställningen data_dir)")
    parser.add_argument("--sep", help="kolumnavgränsare i CSV: ';', ',' eller 'tab' "
                                      "(standard: identifieras)")
    parser.add_argument("--decimal", choices=(",", ".", "komma", "punkt"),
                        help="decimaltecken i CSV (standard: identifieras)")
    parser.add_argument("--encoding", help="teckenkodning: utf-8 eller cp1252 "
                                           "(standard: identifieras)")
    parser.add_argument("--blad", help="bladet som ska läsas i en .xlsx")
    parser.add_argument("--pseudonymisera", action="store_true",
                        help="ersätt personnummer i brukare_id med pseudonymer (nyckelad "
                             "HMAC-SHA256); nyckeln är inställningen pseudonym_nyckel "
                             "(miljövariabeln BESLUTSSTOD_PSEUDONYM_NYCKEL eller secrets.toml)")
    args = parser.parse_args(argv)

    def visa_framsteg(andel: float, text: str) -> None:
        print(f"[{andel:4.0%}] {text}", file=sys.stderr)

    from beslutsstod import installningar

    resultat = importera(
        args.tabell, args.fil, args.data_dir or installningar.data_dir(), sep=args.sep,
        decimal=args.decimal, kodning=args.encoding, blad=args.blad,
        pseudonymisera=args.pseudonymisera,
        nyckel=installningar.get("pseudonym_nyckel") if args.pseudonymisera else None,
        framsteg=visa_framsteg)
    print(resultat.rapport())
    return 0 if resultat.ok else 1


if __name__ == "__main__":
    sys.exit(main())
