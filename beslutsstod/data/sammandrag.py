"""Rollups of the whole data set, written once per data version (issue 16).

The questions over every year (kostnader/per_ar, the sidebar's year list and coverage, the revenue
lists) would otherwise read every visit on every new filter. Their rollups (``queries/sammandrag/``:
per person and month with exact sums; the date coverage per month) are written to Parquet in
``<data_dir>/sammandrag/<nyckel>/`` next to the extracts, and the views ``sam_besok`` and
``sam_tackning`` read them. The key is the data version together with the settings a cost depends
on (hemkommun, momskompensation) and the rollups' own SQL, so a rollup never outlives the data, the
rule it was summed by or the definition it was written with.

The import and the demo data write it as their last step; a process that finds none for the current
key (another machine's import through object storage, a changed setting, extracts placed by hand)
writes it the first time a question needs it (one pass over the visits: 0,1 s at 10 million). It
is written to a temporary folder and renamed into place, so a reader sees all of it or none, and
two processes writing at once both produce the same content.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import uuid
from pathlib import Path

import duckdb

# The rollups, by name: queries/sammandrag/<name>.sql is the definition, <name>.parquet the file, and
# queries/staging/sam_<name>.sql the view over it (beslutsstod.data.db).
SAMMANDRAG = ("besok", "tackning")
KLAR = "_klar"  # written last into the temporary folder: a folder without it is never read
BEHALL = 3  # rollups kept per data folder (the current and two before, for questions still running)


def rotmapp(extracts_dir: Path) -> Path:
    """Where the rollups of an extracts folder live: beside it (<data_dir>/sammandrag)."""
    return Path(extracts_dir).parent / "sammandrag"


def nyckel(version: str, hemkommun: str, momskompensation_bp: int, sql: dict[str, str]) -> str:
    """The folder name of a rollup: the data version, the settings a cost depends on, and the rollups'
    definitions (``sql``: a new version of the code that adds a column writes new rollups)."""
    text = "|".join([version, hemkommun, str(momskompensation_bp), *(sql[n] for n in SAMMANDRAG)])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def finns(mapp: Path) -> bool:
    return (mapp / KLAR).exists()


def skriv(cur: duckdb.DuckDBPyConnection, mapp: Path, sql: dict[str, str]) -> None:
    """Write every rollup into ``mapp`` (all or nothing) with the cursor's views and variables.

    ``sql`` maps a rollup's name to its definition (queries/sammandrag/<name>.sql)."""
    if finns(mapp):
        return
    mapp.parent.mkdir(parents=True, exist_ok=True)
    tmp = mapp.parent / f".{mapp.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        for namn in SAMMANDRAG:
            cur.sql(sql[namn]).write_parquet((tmp / f"{namn}.parquet").as_posix(), compression="zstd")
        (tmp / KLAR).write_text("", encoding="utf-8")
        if mapp.exists() and not finns(mapp):
            shutil.rmtree(mapp)  # never renamed into place whole (only a finished folder is): not a rollup
        try:
            os.rename(tmp, mapp)
        except OSError:
            if not finns(mapp):  # not another process's finished copy: a real failure
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rensa(mapp.parent, behall=mapp.name)


def rensa(rot: Path, *, behall: str) -> None:
    """Remove all but the newest rollups (and any left-over temporary folder older than them)."""
    mappar = sorted((p for p in rot.iterdir() if p.is_dir() and not p.name.startswith(".")),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for gammal in [p for p in mappar if p.name != behall][BEHALL - 1:]:
        shutil.rmtree(gammal, ignore_errors=True)
    for tmp in rot.glob(".*.tmp-*"):
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < (rot / behall).stat().st_mtime - 3600:
                shutil.rmtree(tmp, ignore_errors=True)
