"""The extracts in S3-compatible object storage: what readers follow, and how an import publishes.

Layout under the configured URL (setting ``objektlager_url``, e.g. ``s3://hink/beslutsstod``)::

  manifest.json                 {"version": ..., "prefix": "versioner/<version>/", "filer": {...}, "demo": ...}
  versioner/<version>/...       a full copy of the extracts folder, same layout as on disk

Readers (beslutsstod.data.db) read ``manifest.json`` and query only the files under the prefix it names;
the data version (the cache key of every result) is the manifest's version. Objects of a version are
never changed once written. Publishing uploads every file under a new version prefix first, and
only then writes ``manifest.json``: one PUT, which S3 applies atomically (a reader gets the whole
old object or the whole new one). So a reader sees the old version or the new one, never a mix,
whatever moment it reads. Versions older than the last ``BEHALL_VERSIONER`` are then removed; the
previous ones stay so that a query that read the old manifest a moment ago can finish.

DuckDB reads ``s3://`` through fsspec (s3fs), registered on its connection: the httpfs extension
is not needed. Only the process that runs imports needs a local data folder (the import merges
there, then publishes); the app processes on other machines read the object store only.

    python -m beslutsstod.data.objektlager publicera    # publish the configured data_dir's extracts
    python -m beslutsstod.data.objektlager visa         # the manifest readers follow now
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from beslutsstod import installningar

MANIFEST = "manifest.json"
VERSIONER = "versioner"
BEHALL_VERSIONER = 3  # the current version and the two before it stay readable
MANIFEST_TTL_S = 1.0  # a process re-reads the manifest at most once a second
DEMO_MARKOR = "_demo.json"


def publicerade_filer(extracts_dir: Path) -> list[Path]:
    """The files of an extracts folder that make up the data: the Parquet extracts and the demo marker.

    Bookkeeping (the import log, the version token, locks, journals) and an import's temporary
    files (``*.tmp-<hex>``) are left out.
    """
    filer = [p for p in sorted(extracts_dir.rglob("*.parquet"))
             if p.is_file() and not p.name.startswith("_") and ".tmp-" not in p.name]
    if (extracts_dir / DEMO_MARKOR).is_file():
        filer.append(extracts_dir / DEMO_MARKOR)
    return filer


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Objektlager:
    """One configured object store location (``s3://bucket/prefix``)."""

    def __init__(self, url: str, *, endpoint: str = "", region: str = "", nyckel_id: str = "",
                 hemlig_nyckel: str = "") -> None:
        import s3fs  # imported only when object storage is configured

        if not url.startswith("s3://"):
            raise ValueError(f"objektlager_url måste börja med s3:// (fick {url!r}).")
        self.url = url.rstrip("/")
        self._bas = self.url.removeprefix("s3://")
        client_kwargs: dict[str, Any] = {}
        if endpoint:
            client_kwargs["endpoint_url"] = endpoint
        if region:
            client_kwargs["region_name"] = region
        self.fs = s3fs.S3FileSystem(key=nyckel_id or None, secret=hemlig_nyckel or None,
                                    client_kwargs=client_kwargs, skip_instance_cache=True)
        self._las = threading.Lock()
        self._manifest: dict | None = None
        self._last_vid = -1e9

    # ------------------------------------------------------------------ readers

    def manifest(self) -> dict | None:
        """The manifest readers follow (None when nothing is published), re-read at most once a second."""
        with self._las:
            if time.monotonic() - self._last_vid < MANIFEST_TTL_S:
                return self._manifest
        try:
            text = self.fs.cat_file(f"{self._bas}/{MANIFEST}")
            manifest = json.loads(text)
        except FileNotFoundError:
            manifest = None
        with self._las:
            self._manifest, self._last_vid = manifest, time.monotonic()
        return manifest

    def _krav_manifest(self) -> dict:
        manifest = self.manifest()
        if manifest is None:
            raise FileNotFoundError(f"Inga extrakt publicerade i {self.url} (manifest.json saknas).")
        return manifest

    def har_extrakt(self, tabellfiler: tuple[str, ...]) -> bool:
        """The published version holds every table file and at least one besok partition."""
        filer = (self.manifest() or {}).get("filer", {})
        return all(f in filer for f in tabellfiler) and any(f.startswith("besok/") for f in filer)

    def har_fil(self, relativ: str) -> bool:
        """Whether the published version holds this file (an optional table, e.g. insatspriser.parquet)."""
        return relativ in (self.manifest() or {}).get("filer", {})

    def data_version(self) -> str:
        return "s3-" + self._krav_manifest()["version"]

    def version_url(self) -> str:
        """s3://bucket/prefix/versioner/<version>/ of the published version (ends with '/')."""
        return f"{self.url}/{self._krav_manifest()['prefix']}"

    def demo_info(self) -> dict | None:
        manifest = self.manifest()
        return None if manifest is None else manifest.get("demo")

    # ------------------------------------------------------------------ writer

    def publicera(self, extracts_dir: Path, *, version: str | None = None) -> str:
        """Upload the extracts as a new version, then point the manifest at it; returns the version.

        Nothing readers follow changes until the last line of the upload: the manifest PUT.
        """
        extracts_dir = Path(extracts_dir)
        filer = publicerade_filer(extracts_dir)
        if not any(p.suffix == ".parquet" for p in filer):
            raise FileNotFoundError(f"Inga extrakt att publicera i {extracts_dir}.")
        version = version or f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        prefix = f"{VERSIONER}/{version}/"
        poster = {}
        for lokal in filer:
            relativ = lokal.relative_to(extracts_dir).as_posix()
            self.fs.put_file(str(lokal), f"{self._bas}/{prefix}{relativ}")
            poster[relativ] = {"storlek": lokal.stat().st_size, "sha256": _sha256(lokal)}
        demo = extracts_dir / DEMO_MARKOR
        manifest = {
            "version": version, "prefix": prefix,
            "tid": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "filer": poster,
            "demo": json.loads(demo.read_text(encoding="utf-8")) if demo.is_file() else None,
        }
        self.fs.pipe_file(f"{self._bas}/{MANIFEST}", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        with self._las:
            self._manifest, self._last_vid = manifest, time.monotonic()
        self._rensa(version)
        return version

    def _rensa(self, aktuell: str) -> None:
        """Remove versions older than the last BEHALL_VERSIONER (names sort by time)."""
        try:
            mappar = sorted(self.fs.ls(f"{self._bas}/{VERSIONER}", detail=False, refresh=True))
        except FileNotFoundError:
            return
        for mapp in mappar[:-BEHALL_VERSIONER]:
            if not mapp.rstrip("/").endswith("/" + aktuell):
                self.fs.rm(mapp, recursive=True)


@functools.cache
def _lager(url: str, endpoint: str, region: str, nyckel_id: str, hemlig_nyckel: str) -> Objektlager:
    return Objektlager(url, endpoint=endpoint, region=region, nyckel_id=nyckel_id, hemlig_nyckel=hemlig_nyckel)


def konfigurerat() -> Objektlager | None:
    """The object store the settings name, or None when the extracts are on local disk."""
    url = installningar.get("objektlager_url")
    if not url:
        return None
    return _lager(url, installningar.get("objektlager_endpoint"), installningar.get("objektlager_region"),
                  installningar.get("objektlager_nyckel_id"), installningar.get("objektlager_hemlig_nyckel"))


def for_extrakt(extracts_dir: Path) -> Objektlager | None:
    """The object store that holds the app's extracts in place of this folder, or None.

    Only the configured extracts folder (installningar.extracts_dir) is replaced: a test's or a
    benchmark's own folder stays a folder.
    """
    lager = konfigurerat()
    if lager is None or Path(extracts_dir).resolve() != installningar.extracts_dir().resolve():
        return None
    return lager


def publicera_efter_import(extracts_dir: Path) -> str | None:
    """The import's store step: publish the committed extracts when they are the app's and an object
    store is configured. Returns the new version, or None (local disk only)."""
    lager = for_extrakt(extracts_dir)
    if lager is None:
        return None
    try:
        return lager.publicera(extracts_dir)
    except Exception as exc:
        raise RuntimeError(
            f"Importen sparades lokalt i {extracts_dir} men kunde inte publiceras till {lager.url}: {exc}. "
            "Läsarna ser fortfarande den tidigare versionen. Publicera igen med "
            "'python -m beslutsstod.data.objektlager publicera'.") from exc


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(description="Extrakten i S3-kompatibel objektlagring (se beslutsstod/data/objektlager.py).")
    p.add_argument("kommando", choices=["publicera", "visa"])
    p.add_argument("--extrakt", type=Path, help="mapp med extrakten (standard: data_dir/extracts)")
    a = p.parse_args(argv)
    lager = konfigurerat()
    if lager is None:
        print("Inställningen objektlager_url är inte satt.", file=sys.stderr)
        return 2
    if a.kommando == "publicera":
        version = lager.publicera(a.extrakt or installningar.extracts_dir())
        print(f"Publicerade version {version} i {lager.url}")
    else:
        print(json.dumps(lager.manifest(), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
