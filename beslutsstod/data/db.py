"""DuckDB over the Parquet extracts: staging views, named queries, the data version.

One in-memory DuckDB database per process holds only view definitions over the extracts
(nothing is written to the extracts through it). Each script run takes its own cursor; the
cursor carries the per-session settings (where the extracts are: the variable ``extrakt`` that
the staging views prefix their file names with, hemkommun, momskompensation), since DuckDB keeps
those per connection. The extracts are a local folder, or, when the setting objektlager_url is
set, the version in S3-compatible object storage that its manifest names (beslutsstod.data.objektlager).
Queries live in ``queries/<area>/<name>.sql`` and take named parameters (``$ar``); values are
always bound, never formatted into SQL text.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import tempfile
import threading
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from beslutsstod import installningar
from beslutsstod.data import sammandrag

QUERIES_DIR = installningar.REPO_ROOT / "queries"
# Staging views in dependency order: later views read earlier ones (kostnadsregel: the cost
# rule's macros, read by stg_besok).
STAGING = ("kostnadsregel", "stg_utforare", "stg_ersattningsnivaer", "stg_budget", "stg_vistelser", "stg_besok_rad",
           "stg_besok", "stg_besok_insatstyp")
# Staging views over the optional tables (issue 17), by their file: a view over a missing file
# cannot be created, so each is created once its file exists (see Database.har_tabell).
OPTIONAL_STAGING = {"stg_insatspriser": "insatspriser.parquet", "stg_avgiftsregler": "avgiftsregler.parquet"}
# Macros shared by several question queries (queries/intermediate/), in dependency order: urval
# (the sidebar's filter, i_urval and i_vald) first, as the table macros over the staging views use it.
INTERMEDIATE = ("urval", "fakturakontroll_besok", "insatsmodell_besok")
EXTRACT_FILES = ("utforare.parquet", "ersattningsnivaer.parquet", "budget.parquet", "vistelser.parquet")
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@functools.cache
def load_sql(name: str) -> str:
    """The text of queries/<name>.sql (name may contain a folder: 'oversikt/nyckeltal')."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _objektlager(extracts_dir: Path):
    """The object store holding the app's extracts instead of this folder, or None (local disk)."""
    if not installningar.get("objektlager_url"):
        return None
    from beslutsstod.data import objektlager

    return objektlager.for_extrakt(extracts_dir)


def has_extracts(extracts_dir: Path) -> bool:
    if (lager := _objektlager(extracts_dir)) is not None:
        return lager.har_extrakt(EXTRACT_FILES)
    return all((extracts_dir / f).exists() for f in EXTRACT_FILES) and any(extracts_dir.glob("besok/*/*.parquet"))


VERSION_FIL = "_version.json"  # {"token": ..., "tid": ...}: written by beslutsstod.inlasning.lagra


def data_version(extracts_dir: Path) -> str:
    """The data version: the one token that cached query results are keyed by (ui.run).

    It changes when, and only when, the data is replaced through the app's own paths: an import
    commits (lagra.genomfor writes a new token to extracts/_version.json after the last rename;
    finishing an interrupted import does too), or the demo data is built (ensure_data). The same
    token is the import's ``dataversion`` in the import log. A refused or unchanged import, reading,
    restarting, or touching a file leaves it as it is. In object storage the token is the version
    that the manifest names: a new one per publication, which an import does after its commit.

    Extracts placed in the folder by hand and never imported (no token file: tests, the benchmark's
    data) fall back to a fingerprint of the Parquet files (name, size, modification time).
    """
    if (lager := _objektlager(extracts_dir)) is not None:
        return lager.data_version()
    try:
        return json.loads((extracts_dir / VERSION_FIL).read_text(encoding="utf-8"))["token"]
    except (FileNotFoundError, KeyError, TypeError, ValueError):
        pass
    digest = hashlib.sha256()
    for path in sorted(extracts_dir.rglob("*.parquet")):
        if path.is_file() and not path.name.startswith("_"):
            stat = path.stat()
            digest.update(f"{path.relative_to(extracts_dir)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return "filer-" + digest.hexdigest()[:16]


def demo_info(extracts_dir: Path) -> dict[str, Any] | None:
    """The demo marker's content when the extracts are the built-in demo data, else None."""
    if (lager := _objektlager(extracts_dir)) is not None:
        return lager.demo_info()
    marker = extracts_dir / "_demo.json"
    return json.loads(marker.read_text(encoding="utf-8")) if marker.exists() else None


class Database:
    """Views over one extracts folder; ``query`` runs a named question and returns Arrow."""

    def __init__(self, extracts_dir: Path, *, hemkommun: str, momskompensation_procent: float,
                 threads: int = 2, memory_limit: str = "1GB") -> None:
        self.extracts_dir = Path(extracts_dir).resolve()
        self.hemkommun = hemkommun
        # Basis points keep the cost arithmetic in integers (6 % → 600).
        self.momskompensation_bp = round(momskompensation_procent * 100)
        self._con = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit})
        self._lager = _objektlager(self.extracts_dir)
        if self._lager is not None:
            self._con.register_filesystem(self._lager.fs)  # DuckDB reads s3:// through fsspec (s3fs)
        self._lock = threading.Lock()
        self._sam_lock = threading.Lock()
        self._sam: tuple[str, str] | None = None  # (data version, its rollup folder with '/')
        cur = self._bas_cursor()
        for name in STAGING:
            cur.execute(load_sql(f"staging/{name}"))
        for name in INTERMEDIATE:
            cur.execute(load_sql(f"intermediate/{name}"))
        cur.execute("set variable sammandrag = $p", {"p": self._sammandrag()})  # written now if missing
        for name in sammandrag.SAMMANDRAG:
            cur.execute(load_sql(f"staging/sam_{name}"))
        self._optional: set[str] = set()

    def har_tabell(self, view: str) -> bool:
        """Whether an optional staging view (OPTIONAL_STAGING) has its file; creates the view the first time."""
        fil = OPTIONAL_STAGING[view]
        if not (self._lager.har_fil(fil) if self._lager is not None else (self.extracts_dir / fil).exists()):
            return False
        with self._lock:
            if view not in self._optional:
                cur = self._con.cursor()
                cur.execute("set variable extrakt = $p", {"p": self._plats()})
                cur.execute(load_sql(f"staging/{view}"))
                self._optional.add(view)
        return True

    def _plats(self) -> str:
        """Where the staging views read: the folder, or the object store's current version (ends with '/')."""
        return self._lager.version_url() if self._lager is not None else self.extracts_dir.as_posix() + "/"

    def _bas_cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor over the extracts with the settings, without the rollups' folder."""
        with self._lock:
            cur = self._con.cursor()
        cur.execute("set variable extrakt = $p", {"p": self._plats()})
        cur.execute("set variable hemkommun = $v", {"v": self.hemkommun})
        cur.execute("set variable momskompensation_bp = $v", {"v": self.momskompensation_bp})
        return cur

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self._bas_cursor()
        cur.execute("set variable sammandrag = $p", {"p": self._sammandrag()})
        return cur

    def _sammandrag(self) -> str:
        """The folder of the current data version's rollups (sammandrag.py); written when missing."""
        version = data_version(self.extracts_dir)
        if self._sam is not None and self._sam[0] == version:
            return self._sam[1]
        with self._sam_lock:
            if self._sam is None or self._sam[0] != version:
                self._sam = (version, self._skriv_sammandrag(version).as_posix() + "/")
            return self._sam[1]

    def _skriv_sammandrag(self, version: str) -> Path:
        sql = {n: load_sql(f"sammandrag/{n}") for n in sammandrag.SAMMANDRAG}
        namn = sammandrag.nyckel(version, self.hemkommun, self.momskompensation_bp, sql)
        mapp = sammandrag.rotmapp(self.extracts_dir) / namn
        try:
            sammandrag.skriv(self._bas_cursor(), mapp, sql)
        except OSError:  # a data folder that cannot be written (read-only data): the temp folder instead
            mapp = Path(tempfile.gettempdir()) / "beslutsstod-sammandrag" / namn
            sammandrag.skriv(self._bas_cursor(), mapp, sql)
        return mapp

    def query(self, name: str, params: dict[str, Any] | None = None,
              cur: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
        """Run queries/<name>.sql with the parameters it names; return an Arrow table."""
        sql = load_sql(name)
        wanted = set(_PARAM.findall(sql))
        given = params or {}
        missing = wanted - given.keys()
        if missing:
            raise KeyError(f"Frågan {name} saknar parametrar: {sorted(missing)}")
        bound = {k: given[k] for k in wanted}
        for view in OPTIONAL_STAGING:
            if view in sql:
                self.har_tabell(view)  # an optional table imported since the views were made
        cur = cur or self.cursor()
        return cur.sql(sql, params=bound).to_arrow_table()

    def close(self) -> None:
        self._con.close()


def open_database(extracts_dir: Path | None = None) -> Database:
    """A Database over the configured extracts, with the configured installningar."""
    return Database(
        extracts_dir or installningar.extracts_dir(),
        hemkommun=installningar.get("hemkommun"),
        momskompensation_procent=installningar.get("momskompensation_procent"),
        threads=installningar.get("duckdb_threads"),
        memory_limit=installningar.get("duckdb_memory_limit"),
    )


def skriv_sammandrag(extracts_dir: Path | None = None) -> bool:
    """Write the current data version's rollups (sammandrag.py) for the configured settings, and the
    protected view's first masks (vyer/forvarm.py), as the last step of an import or of building the
    demo data, so the first question after it does not have to.

    Never raises: it runs after an import's commit, which must not be reported as failed because of
    it. False when the extracts are incomplete or something failed (logged); the first question
    then writes the rollups, and the first page computes its masks, as without this step.
    """
    extracts_dir = extracts_dir or installningar.extracts_dir()
    try:
        if not has_extracts(extracts_dir):
            return False
        from beslutsstod.vyer import forvarm  # the page layer's first masks (imported here: it reads through db)

        database = open_database(extracts_dir)  # opening writes the rollups (Database._sammandrag)
        try:
            forvarm.forvarm(lambda namn, params=None: database.query(namn, params).to_pandas(),
                            installningar.get("smatal_grans"), installningar.get("hemkommun"))
        finally:
            database.close()
    except Exception:  # noqa: BLE001  an optimisation after the commit: never the import's error
        logging.getLogger(__name__).warning("Sammandrag eller förberäknad maskning kunde inte skrivas för %s",
                                            extracts_dir, exc_info=True)
        return False
    return True


def has_import_history(extracts_dir: Path) -> bool:
    """Real extracts have been imported here (the import log exists): never replace them with demo data."""
    return (extracts_dir / "_importlogg.jsonl").exists()


def ensure_data(data_dir: Path | None = None) -> bool:
    """Build the demo data when the data folder holds no extracts and nothing was ever imported.

    True if it was built. An incomplete set of imported extracts is left alone: building demo
    data would delete what the municipality imported.
    """
    from beslutsstod.data import demo
    from beslutsstod.inlasning import lagra

    data_dir = data_dir or installningar.data_dir()
    extracts = data_dir / "extracts"
    if has_extracts(extracts) or has_import_history(extracts):
        return False
    demo.generate(data_dir, installningar.demo_as_of(), installningar.get("demo_seed"))
    lagra.bump_data_version(data_dir)  # new data: a new data version (the cache key)
    if (lager := _objektlager(extracts)) is not None:
        lager.publicera(extracts)  # an empty object store gets the demo data as its first version
    skriv_sammandrag(extracts)
    return True
