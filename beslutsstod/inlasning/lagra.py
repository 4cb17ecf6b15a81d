"""Stored extracts: atomic writes, merge rules, import log, data version, table summary.

Layout under <data_dir>/extracts/ (DESIGN §4):
  besok/ar=YYYY/besok.parquet      hive-partitioned by the year of `datum`
  utforare.parquet, ersattningsnivaer.parquet, budget.parquet, vistelser.parquet
  _importlogg.jsonl                one JSON object per import attempt (also refused ones)
  _version.json                    {"token": ..., "tid": ...}; a new token after each change
  _pagaende_import.json            commit journal, exists only while files are renamed
  _import.lock                     held while an import runs (one import at a time)
  _pagaende_forsok.json            the files of the running attempt (so a killed one is logged)
  _import_tmp/                     the running import's temporary files (upload copy, DuckDB
                                   spill); inside the data folder, on the file system of the final
                                   renames, and emptied at the next start or import

Merge rules (why):
- besok: merged by besok_id. A re-imported id replaces the stored row (also when its date
  moved to another year), never duplicates it. Only partitions whose rows change are
  rewritten. Importing the same file again changes nothing, not a byte.
- budget: a file replaces the budget of the years it contains; other years are kept. A revised
  budget for a year is the whole budget for that year, so merging month by month would keep
  months that were removed from the new version.
- utforare, ersattningsnivaer, vistelser: the file replaces the whole table (they are small,
  and a register exported in full is the truth as of today).

Atomicity: every new file is first written completely as a temporary file next to its target
(`<name>.tmp-<hex>`, which no `*.parquet` glob matches) and flushed to disk. Then a journal
listing all renames is written atomically, the renames (os.replace, atomic per file) are done,
and the journal is removed. A crash during the renames leaves the journal; the next import
(or `aterstall_avbruten_import`) finishes the renames, so a multi-year or multi-table import
is all-or-nothing once its temporary files exist. Residual risk: a reader in another process
that scans the partitions in the milliseconds between two renames can see some years new and
others old (the data version changes only after the last rename, so cached results are
recomputed); and on Windows os.replace fails if another process holds the target file open.

A killed import is always logged: `_pagaende_forsok.json` names its files from the start. The
next start of the app or the next import (`aterstall_avbruten_import`, under the lock) logs each
file as 'aterstalld' (the commit was finished from the journal: the new data is in place) or
'avbruten' (killed before its commit: nothing changed), then removes every temporary file.

`testpunkt(namn)` is a fault-injection hook for the crash tests: with the environment variable
BESLUTSSTOD_TEST_AVBRYT_VID=namn the process kills itself (SIGKILL) at that point: 'lasning'
(a file read, nothing written), 'skrivning' (a temporary Parquet file written) or 'namnbyte'
(between two renames of a commit).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from beslutsstod.data import db, jsonlogg, objektlager
from beslutsstod.inlasning.schema import TABELLER
from beslutsstod.inlasning.sql import ident, identlista, konstant

PARQUET_KOMPRESSION = "zstd"
HASH_BLOCK_BYTES = 1 << 20  # bytes read per step when computing a file's checksum
_TMP_MARKOR = ".tmp-"


def extrakt_dir(data_dir: str | Path) -> Path:
    return Path(data_dir) / "extracts"


def tabell_sokvag(data_dir: str | Path, tabell: str) -> Path:
    """Stored file of a table (for besok: its directory)."""
    if tabell == "besok":
        return extrakt_dir(data_dir) / "besok"
    return extrakt_dir(data_dir) / f"{tabell}.parquet"


def besok_partition(data_dir: str | Path, ar: int) -> Path:
    return extrakt_dir(data_dir) / "besok" / f"ar={ar}" / "besok.parquet"


def logg_sokvag(data_dir: str | Path) -> Path:
    return extrakt_dir(data_dir) / "_importlogg.jsonl"


def version_sokvag(data_dir: str | Path) -> Path:
    return extrakt_dir(data_dir) / db.VERSION_FIL


def _journal_sokvag(data_dir: str | Path) -> Path:
    return extrakt_dir(data_dir) / "_pagaende_import.json"


def _forsok_sokvag(data_dir: str | Path) -> Path:
    return extrakt_dir(data_dir) / "_pagaende_forsok.json"


def import_tmp_dir(data_dir: str | Path) -> Path:
    """Folder for an import's temporary files (created; emptied by aterstall_avbruten_import)."""
    katalog = extrakt_dir(data_dir) / "_import_tmp"
    katalog.mkdir(parents=True, exist_ok=True)
    return katalog


AVBRYT_MILJO = "BESLUTSSTOD_TEST_AVBRYT_VID"


def testpunkt(namn: str) -> None:
    """Crash-test hook: SIGKILL this process here when BESLUTSSTOD_TEST_AVBRYT_VID == namn."""
    if os.environ.get(AVBRYT_MILJO) == namn:
        import signal
        os.kill(os.getpid(), signal.SIGKILL)


def borja_forsok(data_dir: str | Path, filer: list[dict]) -> None:
    """Note the running attempt's files ({tabell, fil}) so that a killed attempt is logged."""
    extrakt_dir(data_dir).mkdir(parents=True, exist_ok=True)
    _skriv_atomiskt(_forsok_sokvag(data_dir), json.dumps(
        {"tid": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "filer": filer},
        ensure_ascii=False))


def avsluta_forsok(data_dir: str | Path) -> None:
    """The attempt has been logged: forget it (and the emptied temporary folder)."""
    with contextlib.suppress(FileNotFoundError):
        _forsok_sokvag(data_dir).unlink()
    with contextlib.suppress(OSError):
        (extrakt_dir(data_dir) / "_import_tmp").rmdir()


def _markera_genomfort(data_dir: str | Path, token: str) -> None:
    """The commit is done (data version `token`); its log entries may still be missing."""
    sokvag = _forsok_sokvag(data_dir)
    with contextlib.suppress(FileNotFoundError, ValueError):
        forsok = json.loads(sokvag.read_text(encoding="utf-8"))
        forsok["dataversion"] = token
        _skriv_atomiskt(sokvag, json.dumps(forsok, ensure_ascii=False))


def lagrade_filer(data_dir: str | Path, tabell: str) -> list[Path]:
    if tabell == "besok":
        katalog = tabell_sokvag(data_dir, "besok")
        return sorted(katalog.glob("ar=*/besok.parquet")) if katalog.exists() else []
    sokvag = tabell_sokvag(data_dir, tabell)
    return [sokvag] if sokvag.exists() else []


def lagrad_relation(con, data_dir: str | Path, tabell: str) -> str | None:
    """SQL for the stored table (columns of DESIGN §4; besok also `ar`), or None if absent.

    The path is not written into the SQL: it is set as the session variable ``lagrad_<tabell>``
    on `con` (a bound parameter), which the returned SQL reads with getvariable, so it can also
    stand in a view (a view definition takes no parameters; the staging views do the same).
    """
    filer = lagrade_filer(data_dir, tabell)
    if not filer:
        return None
    variabel = f"lagrad_{TABELLER[tabell].namn}"  # a table of the schema, so a plain name
    if tabell == "besok":
        monster = tabell_sokvag(data_dir, "besok") / "ar=*" / "besok.parquet"
        con.execute(f"set variable {ident(variabel)} = $fil", {"fil": str(monster)})
        relation = f"read_parquet(getvariable({konstant(variabel)}), hive_partitioning = true, union_by_name = true)"
    else:
        con.execute(f"set variable {ident(variabel)} = $fil", {"fil": str(filer[0])})
        relation = f"read_parquet(getvariable({konstant(variabel)}))"
    # a file stored before an optional column existed (ersattningsnivaer.betalande_kommun,
    # besok.insatstyp) reads as null there; besok's years are read by name, as they may differ
    valfria = [k for k in TABELLER[tabell].kolumner if k.kan_utelamnas] if tabell in TABELLER else []
    if valfria:
        tomma = ", ".join(f"cast(null as {k.sql_typ}) as {ident(k.namn)}" for k in valfria)
        return f"(select {tomma} where false union all by name select * from {relation})"
    return relation


# ---------------------------------------------------------------- checksum, lock, version


def sha256_fil(sokvag: str | Path) -> str:
    h = hashlib.sha256()
    with open(sokvag, "rb") as f:
        while block := f.read(HASH_BLOCK_BYTES):
            h.update(block)
    return h.hexdigest()


class ImportPagar(Exception):
    """Another import holds the lock."""


@contextlib.contextmanager
def importlas(data_dir: str | Path):
    """Exclusive lock for the duration of an import (released by the OS if the process dies)."""
    katalog = extrakt_dir(data_dir)
    katalog.mkdir(parents=True, exist_ok=True)
    f = open(katalog / "_import.lock", "a+")
    try:
        try:
            import fcntl
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ImportPagar() from None
            las_upp = lambda: fcntl.flock(f.fileno(), fcntl.LOCK_UN)  # noqa: E731
        except ImportError:  # Windows
            import msvcrt
            try:
                msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
            except OSError:
                raise ImportPagar() from None
            las_upp = lambda: msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)  # noqa: E731
        try:
            yield
        finally:
            las_upp()
    finally:
        f.close()


def _skriv_atomiskt(sokvag: Path, text: str) -> None:
    tmp = sokvag.with_name(sokvag.name + _TMP_MARKOR + uuid.uuid4().hex)
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, sokvag)


def bump_data_version(data_dir: str | Path) -> str:
    """Write a new token to extracts/_version.json: the data version (db.data_version), so cached
    query results are recomputed. Called once per commit, after the last rename."""
    token = uuid.uuid4().hex
    katalog = extrakt_dir(data_dir)
    katalog.mkdir(parents=True, exist_ok=True)
    _skriv_atomiskt(version_sokvag(data_dir), json.dumps(
        {"token": token, "tid": dt.datetime.now().astimezone().isoformat(timespec="seconds")}))
    return token


def read_data_version(data_dir: str | Path) -> str | None:
    """The current data-version token, or None before the first import."""
    try:
        return json.loads(version_sokvag(data_dir).read_text(encoding="utf-8"))["token"]
    except (FileNotFoundError, KeyError, ValueError):
        return None


# ---------------------------------------------------------------- temporary files and commit


@dataclass
class Andring:
    """Replace `mal` by the finished temporary file `tmp`, or delete `mal` if tmp is None."""

    mal: Path
    tmp: Path | None


def tmp_for(mal: Path) -> Path:
    mal.parent.mkdir(parents=True, exist_ok=True)
    return mal.with_name(mal.name + _TMP_MARKOR + uuid.uuid4().hex)


def skriv_parquet(con, select_sql: str, mal: Path, params: dict | None = None) -> Andring:
    """Write the query's rows (with its bound `params`) to a temporary file next to `mal`, flushed to disk."""
    tmp = tmp_for(mal)
    con.execute(f"copy ({select_sql}) to $fil (format parquet, compression {PARQUET_KOMPRESSION})",
                {**(params or {}), "fil": str(tmp)})
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    testpunkt("skrivning")
    return Andring(mal=mal, tmp=tmp)


def _fsync_katalog(katalog: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):  # not possible on Windows
        fd = os.open(katalog, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _utfor(andringar: list[Andring]) -> None:
    for nr, a in enumerate(andringar):
        if nr == 1:
            testpunkt("namnbyte")
        if a.tmp is not None:
            if a.tmp.exists():
                os.replace(a.tmp, a.mal)
        elif a.mal.exists():
            a.mal.unlink()
            if a.mal.parent.name.startswith("ar="):
                with contextlib.suppress(OSError):
                    a.mal.parent.rmdir()  # an emptied ar=YYYY directory
    for katalog in {a.mal.parent for a in andringar}:
        if katalog.exists():
            _fsync_katalog(katalog)


def genomfor(data_dir: str | Path, andringar: list[Andring]) -> str | None:
    """Rename all temporary files into place, all-or-nothing through a journal.

    Returns the new data-version token (None if there was nothing to do). The version is
    written before the journal is removed, so a crash cannot leave changed data behind an
    old version.
    """
    if not andringar:
        return None
    katalog = extrakt_dir(data_dir)
    journal = _journal_sokvag(data_dir)
    # Paths relative to extracts/, so recovery works whatever the working directory is.
    _skriv_atomiskt(journal, json.dumps([
        {"mal": a.mal.relative_to(katalog).as_posix(),
         "tmp": None if a.tmp is None else a.tmp.relative_to(katalog).as_posix()}
        for a in andringar]))
    _utfor(andringar)
    token = bump_data_version(data_dir)
    _markera_genomfort(data_dir, token)
    journal.unlink()
    _fsync_katalog(journal.parent)
    objektlager.publicera_efter_import(katalog)  # object storage configured: a new version, then the manifest
    db.skriv_sammandrag(katalog)  # the new version's rollups, before anyone asks (issue 16)
    return token


def kasta(andringar: list[Andring]) -> None:
    """Remove the temporary files of an import that will not be committed."""
    for a in andringar:
        if a.tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                a.tmp.unlink()


def aterstall_avbruten_import(data_dir: str | Path) -> bool:
    """Finish or forget an import that was killed; log it; remove every temporary file.

    Call it holding the import lock. Returns True if an interrupted commit was completed from
    the journal. Temporary files without a journal come from an import that stopped before its
    commit began: they are deleted and the stored data is as before that import.
    """
    journal = _journal_sokvag(data_dir)
    katalog = extrakt_dir(data_dir)
    fullfoljd = False
    token = None
    if journal.exists():
        try:
            poster = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:
            poster = None  # the journal itself is written atomically; treat as absent
        if poster is not None:
            _utfor([Andring(katalog / p["mal"], None if p["tmp"] is None else katalog / p["tmp"])
                    for p in poster])
            token = bump_data_version(data_dir)
            fullfoljd = True
        journal.unlink()
    _logga_avbrutet_forsok(data_dir, fullfoljd, token)
    if katalog.exists():
        for tmp in katalog.rglob(f"*{_TMP_MARKOR}*"):
            with contextlib.suppress(OSError):
                tmp.unlink()
        import shutil
        shutil.rmtree(katalog / "_import_tmp", ignore_errors=True)
    return fullfoljd


def _logga_avbrutet_forsok(data_dir: str | Path, fullfoljd: bool, token: str | None) -> None:
    """One log entry per file of a killed attempt: 'aterstalld' or 'avbruten'."""
    sokvag = _forsok_sokvag(data_dir)
    if not sokvag.exists():
        if fullfoljd:  # a journal without an attempt file (written by an older version)
            skriv_logg(data_dir, {"tid": _nu(), "tabell": None, "fil": None,
                                  "status": "aterstalld", "dataversion": token})
        return
    try:
        forsok = json.loads(sokvag.read_text(encoding="utf-8"))
    except ValueError:
        forsok = {"filer": [], "tid": None}
    committad = fullfoljd or bool(forsok.get("dataversion"))
    for fil in forsok.get("filer") or [{"tabell": None, "fil": None}]:
        skriv_logg(data_dir, {
            "tid": _nu(), "tabell": fil.get("tabell"), "fil": fil.get("fil"),
            "status": "aterstalld" if committad else "avbruten",
            "dataversion": token or forsok.get("dataversion"), "startad": forsok.get("tid"),
        })
    sokvag.unlink()


def _nu() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# ---------------------------------------------------------------- demo data

DEMO_MARKOR = "_demo.json"  # written by beslutsstod.data.demo next to fictitious extracts


def har_demodata(data_dir: str | Path) -> bool:
    return (extrakt_dir(data_dir) / DEMO_MARKOR).exists()


def ta_bort_demodata(data_dir: str | Path, behall: set[Path]) -> list[Andring]:
    """Deletions of every demo extract (and the marker) not replaced by `behall` targets.

    Real data is never mixed with the fictitious demo data: the first import replaces it all,
    in the same all-or-nothing commit.
    """
    katalog = extrakt_dir(data_dir)
    filer = [p for tabell in TABELLER for p in lagrade_filer(data_dir, tabell)]
    return [Andring(mal=p, tmp=None) for p in filer + [katalog / DEMO_MARKOR]
            if p not in behall]


# ---------------------------------------------------------------- merge plans


@dataclass
class Plan:
    andringar: list[Andring] = field(default_factory=list)
    tillagda: int = 0
    ersatta: int = 0
    oforandrade: int = 0
    borttagna: int = 0

    @property
    def forandrad(self) -> bool:
        return bool(self.andringar)


def _kolumner(tabell: str) -> list[str]:
    return list(TABELLER[tabell].kolumnnamn)


def _lika(a: str, b: str, kolumner: list[str]) -> str:
    return " and ".join(f"{a}.{ident(k)} is not distinct from {b}.{ident(k)}" for k in kolumner)


def planera_besok(con, data_dir: str | Path, typ_tabell: str, *, anvand_lagrat: bool = True
                  ) -> Plan:
    """Merge new visits into the stored partitions by besok_id; temp files for changed years.

    anvand_lagrat=False plans as if nothing were stored (used when demo data is replaced).
    """
    kol = _kolumner("besok")
    kol_sql = identlista(kol)
    ordning = identlista(TABELLER["besok"].sortering)
    con.execute(f"create or replace temp table ny_besok as "
                f"select {kol_sql}, year(datum) as ar from {ident(typ_tabell)}")
    lagrad = lagrad_relation(con, data_dir, "besok") if anvand_lagrat else None
    if lagrad is None:
        con.execute(f"create or replace temp view gammal_besok as "
                    f"select {kol_sql}, cast(null as bigint) as ar from ny_besok where false")
    else:
        con.execute(f"create or replace temp view gammal_besok as "
                    f"select {kol_sql}, cast(ar as bigint) as ar from {lagrad}")
    con.execute(f"""
        create or replace temp table jmf_besok as
        select n.besok_id, n.ar as ny_ar, g.ar as gammal_ar,
               case when g.besok_id is null then 'tillagd'
                    when {_lika('n', 'g', kol)} then 'oforandrad'
                    else 'ersatt' end as status
        from ny_besok n left join gammal_besok g on g.besok_id = n.besok_id""")
    plan = Plan()
    antal = dict(con.execute("select status, count(*) from jmf_besok group by status").fetchall())
    plan.tillagda = antal.get("tillagd", 0)
    plan.ersatta = antal.get("ersatt", 0)
    plan.oforandrade = antal.get("oforandrad", 0)
    ar_att_skriva = sorted(r[0] for r in con.execute("""
        select ny_ar from jmf_besok where status <> 'oforandrad'
        union select gammal_ar from jmf_besok where status = 'ersatt'""").fetchall())
    for ar in ar_att_skriva:
        urval = f"""
            select {kol_sql} from gammal_besok
            where ar = $ar and besok_id not in (select besok_id from ny_besok)
            union all
            select {kol_sql} from ny_besok where ar = $ar"""
        mal = besok_partition(data_dir, int(ar))
        if con.execute(f"select count(*) from ({urval})", {"ar": int(ar)}).fetchone()[0] == 0:
            plan.andringar.append(Andring(mal=mal, tmp=None))  # every row moved to another year
        else:
            plan.andringar.append(skriv_parquet(con, f"{urval} order by {ordning}", mal, {"ar": int(ar)}))
    return plan


def planera_tabell(con, data_dir: str | Path, tabell: str, typ_tabell: str, *,
                   anvand_lagrat: bool = True) -> Plan:
    """Replace a whole table (budget: the years in the file); temp file only if it changes."""
    spec = TABELLER[tabell]
    kol = _kolumner(tabell)
    kol_sql = identlista(kol)
    typ_tabell = ident(typ_tabell)
    gammal, ny = ident(f"gammal_{spec.namn}"), ident(f"ny_{spec.namn}")
    lagrad = lagrad_relation(con, data_dir, tabell) if anvand_lagrat else None
    if lagrad is None:
        con.execute(f"create or replace temp view {gammal} as "
                    f"select {kol_sql} from {typ_tabell} where false")
    else:
        con.execute(f"create or replace temp view {gammal} as "
                    f"select {kol_sql} from {lagrad}")
    if tabell == "budget":
        innehall = f"""
            select {kol_sql} from {typ_tabell}
            union all
            select {kol_sql} from {gammal}
            where ar not in (select distinct ar from {typ_tabell})"""
    else:
        innehall = f"select {kol_sql} from {typ_tabell}"
    con.execute(f"create or replace temp table {ny} as {innehall}")
    nyckel_lika = _lika("n", "g", list(spec.nyckel))
    plan = Plan()
    plan.tillagda, plan.ersatta, plan.oforandrade = con.execute(f"""
        select count(*) filter (where g.rad_finns is null),
               count(*) filter (where g.rad_finns and not ({_lika('n', 'g', kol)})),
               count(*) filter (where g.rad_finns and {_lika('n', 'g', kol)})
        from {typ_tabell} n
        left join (select *, true as rad_finns from {gammal}) g on {nyckel_lika}""").fetchone()
    plan.borttagna = con.execute(f"""
        select count(*) from {gammal} g
        where not exists (select 1 from {ny} n where {nyckel_lika})""").fetchone()[0]
    oforandrad = con.execute(f"""
        select (select count(*) from {ny}) = (select count(*) from {gammal})
           and not exists (select * from {ny} except all select * from {gammal})
    """).fetchone()[0]
    if lagrad is not None and oforandrad:
        return plan
    ordning = identlista(spec.sortering)
    plan.andringar.append(skriv_parquet(
        con, f"select {kol_sql} from {ny} order by {ordning}",
        tabell_sokvag(data_dir, tabell)))
    return plan


# ---------------------------------------------------------------- import log


def skriv_logg(data_dir: str | Path, post: dict) -> None:
    """Append one import attempt to _importlogg.jsonl (flushed to disk)."""
    jsonlogg.lagg_till(logg_sokvag(data_dir), post)


def las_importlogg(data_dir: str | Path) -> list[dict]:
    """All logged import attempts, oldest first (a damaged line is skipped)."""
    return jsonlogg.las(logg_sokvag(data_dir))


# ---------------------------------------------------------------- summary

# Per table: SQL for (first date, last date) and for the first day of each month with data.
# Months are those between the first and the last month that have no row at all.
_DATUMINTERVALL = {
    "besok": ("min(datum)", "max(datum)"),
    "ersattningsnivaer": ("min(giltig_fran)", "max(coalesce(giltig_till, giltig_fran))"),
    # manad null is an annual budget: it covers January to December of its year.
    "budget": ("min(make_date(ar, coalesce(manad, 1), 1))",
               "max(make_date(ar, coalesce(manad, 12), 1))"),
    "vistelser": ("min(fran)", "max(till)"),
    "insatspriser": ("min(giltig_fran)", "max(coalesce(giltig_till, giltig_fran))"),
    "avgiftsregler": ("min(make_date(ar, 1, 1))", "max(make_date(ar, 12, 1))"),
}
_MANADER_MED_DATA = {
    "besok": "select distinct date_trunc('month', datum) as m from t",
    "budget": """select distinct make_date(t.ar, cast(g.manad as integer), 1) as m
        from t, unnest(case when t.manad is null then range(1, 13)
                            else [cast(t.manad as bigint)] end) as g(manad)""",
    # A month has data when some period covers at least one of its days.
    "ersattningsnivaer": """select distinct m from s join t
        on t.giltig_fran <= last_day(m)
       and coalesce(t.giltig_till, date '9999-12-31') >= m""",
    "vistelser": "select distinct m from s join t on t.fran <= last_day(m) and t.till >= m",
    "insatspriser": """select distinct m from s join t
        on t.giltig_fran <= last_day(m)
       and coalesce(t.giltig_till, date '9999-12-31') >= m""",
    "avgiftsregler": "select distinct m from s join t on year(m) = t.ar",
}


@dataclass
class TabellStatus:
    """What is stored for one table, for the Data page."""

    tabell: str
    rader: int
    forsta_datum: dt.date | None
    sista_datum: dt.date | None
    manader_utan_data: list[str]  # 'YYYY-MM' between the first and last month
    senaste_import: dict | None  # last log entry that changed or confirmed the data
    senaste_forsok: dict | None  # last log entry of any status (may be a refusal)
    filer: int


def sammanfatta(data_dir: str | Path) -> list[TabellStatus]:
    """Rows, date range, months with no data and last import for each of the five tables."""
    import duckdb

    logg = las_importlogg(data_dir)
    ut = []
    con = duckdb.connect()
    try:
        for tabell in ("besok", "utforare", "ersattningsnivaer", "budget", "vistelser",
                       "insatspriser", "avgiftsregler"):
            poster = [p for p in logg if p.get("tabell") == tabell]
            lyckade = [p for p in poster if p.get("status") in ("genomford", "oforandrad")]
            relation = lagrad_relation(con, data_dir, tabell)
            rader, forsta, sista, saknas = 0, None, None, []
            if relation is not None:
                con.execute(f"create or replace temp view t as select * from {relation}")
                rader = con.execute("select count(*) from t").fetchone()[0]
                if tabell in _DATUMINTERVALL and rader:
                    lo, hi = _DATUMINTERVALL[tabell]
                    forsta, sista = con.execute(f"select {lo}, {hi} from t").fetchone()
                    con.execute("""create or replace temp table s as
                        select cast(m as date) as m from generate_series(
                            cast(date_trunc('month', cast($a as date)) as timestamp),
                            cast(date_trunc('month', cast($b as date)) as timestamp),
                            interval 1 month) g(m)""", {"a": forsta, "b": sista})
                    saknas = [r[0].strftime("%Y-%m") for r in con.execute(
                        f"""select m from s where m not in
                            (select cast(m as date) from ({_MANADER_MED_DATA[tabell]}))
                            order by m""").fetchall()]
            ut.append(TabellStatus(
                tabell=tabell, rader=rader, forsta_datum=forsta, sista_datum=sista,
                manader_utan_data=saknas, senaste_import=lyckade[-1] if lyckade else None,
                senaste_forsok=poster[-1] if poster else None,
                filer=len(lagrade_filer(data_dir, tabell))))
    finally:
        con.close()
    return ut
