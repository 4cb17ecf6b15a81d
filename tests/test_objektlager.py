"""The extracts in S3-compatible object storage, against a real local S3 server (moto, tests/conftest.py).

What a user relies on: the app shows the same figures from the object store as from disk; an import
publishes a new version that readers switch to at once; and a reader never sees a half-published
import (some files new, others old), whatever moment it reads.
"""

from __future__ import annotations

import json

import pytest

from beslutsstod import installningar
from beslutsstod.data import db, demo, objektlager
from beslutsstod.inlasning import importflode
from tests.conftest import DEMO_AS_OF, DEMO_SEED


@pytest.fixture()
def lager_env(s3_miljo, tmp_path, monkeypatch):
    """The app configured for an empty bucket, its data_dir an empty folder (as on a reading machine)."""
    for namn, varde in s3_miljo.items():
        monkeypatch.setenv(namn, varde)
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    return objektlager.konfigurerat()


def _alla_rader(database: db.Database, vy: str):
    return database.cursor().sql(f"select * from {vy} order by all").to_arrow_table()


def test_the_app_reads_the_same_rows_from_the_object_store_as_from_disk(demo_data_dir, lager_env):
    lokal = db.Database(demo_data_dir / "extracts", hemkommun="1401", momskompensation_procent=6.0)
    assert not db.has_extracts(installningar.extracts_dir())  # empty bucket: nothing published yet

    version = lager_env.publicera(demo_data_dir / "extracts")

    extrakt = installningar.extracts_dir()
    assert not extrakt.exists()  # the reading machine has no local copy: every row below comes from S3
    assert db.has_extracts(extrakt)
    assert db.data_version(extrakt) == f"s3-{version}"
    assert db.demo_info(extrakt) == db.demo_info(demo_data_dir / "extracts")
    fran_s3 = db.open_database()
    assert fran_s3.cursor().sql("select getvariable('extrakt')").fetchall()[0][0].startswith("s3://")
    # the optional tables (issue 17) are found in the published version too
    assert fran_s3.har_tabell("stg_insatspriser") and lokal.har_tabell("stg_insatspriser")
    for vy in ("stg_besok", "stg_vistelser", "stg_utforare", "stg_budget", "stg_ersattningsnivaer",
               "stg_insatspriser"):
        assert _alla_rader(fran_s3, vy) == _alla_rader(lokal, vy), vy
    # and a question the Översikt page asks, with the costs the cost rule computes
    sql = "select ar, count(*), sum(beraknad_kostnad_kr) from stg_besok group by ar order by ar"
    assert fran_s3.cursor().sql(sql).fetchall() == lokal.cursor().sql(sql).fetchall()


def _per_ar(database: db.Database) -> tuple:
    """Rows per year of visits and the number of providers: files that every import version changes."""
    cur = database.cursor()
    return (tuple(cur.sql("select ar, count(*) from stg_besok_rad group by ar order by ar").fetchall()),
            cur.sql("select count(*), sum(hash(utforare_id)) from stg_utforare").fetchall()[0])


def test_a_reader_sees_the_old_or_the_new_version_never_a_mix(tmp_path, lager_env):
    # Two full data sets that differ in every file (another seed: other visits in every year).
    gammal, ny = tmp_path / "gammal", tmp_path / "ny"
    demo.generate(gammal, DEMO_AS_OF, DEMO_SEED)
    demo.generate(ny, DEMO_AS_OF, DEMO_SEED + 1)
    lokal_gammal = _per_ar(db.Database(gammal / "extracts", hemkommun="1401", momskompensation_procent=6.0))
    lokal_ny = _per_ar(db.Database(ny / "extracts", hemkommun="1401", momskompensation_procent=6.0))
    assert lokal_gammal != lokal_ny and lokal_gammal[0][0] != lokal_ny[0][0]

    lager_env.publicera(gammal / "extracts")
    lasare = db.open_database()
    assert _per_ar(lasare) == lokal_gammal

    # Read after every single object the publisher uploads (the moments a reader could hit mid-import),
    # each read with a fresh manifest (no one-second cache).
    sett = []
    ladda_upp = lager_env.fs.put_file

    def ladda_upp_och_las(*args, **kwargs):
        ladda_upp(*args, **kwargs)
        lager_env._last_vid = -1e9
        sett.append(_per_ar(lasare))

    lager_env.fs.put_file = ladda_upp_och_las
    try:
        lager_env.publicera(ny / "extracts")
    finally:
        del lager_env.fs.put_file
    # 8 year partitions + 6 tables (4 required, insatspriser, avgiftsregler) + the demo marker uploaded:
    # 15 reads, all of the old version
    assert len(sett) == len(objektlager.publicerade_filer(ny / "extracts")) == 15
    assert set(sett) == {lokal_gammal}
    # the manifest swap is the one moment the readers switch, all files at once
    assert _per_ar(lasare) == lokal_ny


def test_a_failed_upload_leaves_readers_on_the_published_version(tmp_path, lager_env, demo_data_dir):
    version = lager_env.publicera(demo_data_dir / "extracts")
    ladda_upp, antal = lager_env.fs.put_file, []

    def fel_pa_tredje(*args, **kwargs):
        antal.append(1)
        if len(antal) == 3:
            raise OSError("nätverket föll bort")
        ladda_upp(*args, **kwargs)

    lager_env.fs.put_file = fel_pa_tredje
    try:
        with pytest.raises(OSError):
            lager_env.publicera(demo_data_dir / "extracts")
    finally:
        del lager_env.fs.put_file
    lager_env._last_vid = -1e9
    assert db.data_version(installningar.extracts_dir()) == f"s3-{version}"


def test_an_import_publishes_a_new_version_and_keeps_the_last_three(tmp_path, s3_miljo, monkeypatch):
    # The importing machine: a local data folder (where the import merges), the same bucket as the readers.
    for namn, varde in s3_miljo.items():
        monkeypatch.setenv(namn, varde)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(data_dir))
    lager = objektlager.konfigurerat()
    budget = tmp_path / "budget.csv"
    versioner, budgetar = [], []
    for kr in (100, 200, 300, 400):
        budget.write_text(f"ar;manad;insats;budget_kr\n2025;1;hemtjanst;{kr}\n", encoding="utf-8")
        assert importflode.importera("budget", budget, data_dir).ok
        lager._last_vid = -1e9
        manifest = lager.manifest()
        versioner.append(manifest["version"])
        # what a reader of the published version gets: the budget just imported
        budgetar.append(lager.fs.cat_file(f"{lager.version_url().removeprefix('s3://')}budget.parquet"))
        assert list(manifest["filer"]) == ["budget.parquet"]
        assert manifest["filer"]["budget.parquet"]["storlek"] == (data_dir / "extracts" / "budget.parquet").stat().st_size
    assert len(set(versioner)) == 4 and len(set(budgetar)) == 4
    # the import log, the version token and the lock stay local: they are not data
    kvar = sorted(p.rsplit("/", 1)[-1] for p in lager.fs.ls(f"{lager.url}/versioner", detail=False, refresh=True))
    assert kvar == versioner[1:]  # the oldest of four removed; the last three readable
    assert [f.rsplit("/", 1)[-1] for f in lager.fs.find(f"{lager.url}/versioner/{versioner[-1]}")] == ["budget.parquet"]


def test_the_command_line_publishes_the_configured_extracts(demo_data_dir, lager_env, monkeypatch, capsys):
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(demo_data_dir))
    assert objektlager.main(["publicera"]) == 0
    assert "Publicerade version" in capsys.readouterr().out
    assert objektlager.main(["visa"]) == 0
    manifest = json.loads(capsys.readouterr().out)
    assert manifest["demo"]["demodata"] is True
    assert set(manifest["filer"]) == {p.relative_to(demo_data_dir / "extracts").as_posix()
                                      for p in objektlager.publicerade_filer(demo_data_dir / "extracts")}
    assert not any(f.startswith("_importlogg") or ".tmp-" in f for f in manifest["filer"])
