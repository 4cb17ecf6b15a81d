"""The rollups of the whole data set (beslutsstod/data/sammandrag.py, queries/sammandrag/): written
once per data version beside the extracts, exact, and read by the whole-dataset questions."""

from __future__ import annotations

import json
import shutil

import pytest

from beslutsstod.data import db, demo, sammandrag
from tests.conftest import DEMO_AS_OF, DEMO_SEED
from tests.fixtures import write_fixture

SQL = {n: db.load_sql(f"sammandrag/{n}") for n in sammandrag.SAMMANDRAG}

ALLA = dict(insatser=[], regier=[], kommuner=[])


def _mappar(extracts) -> list:
    return sorted(p.name for p in sammandrag.rotmapp(extracts).iterdir() if not p.name.startswith("."))


def _sql(d: db.Database, text: str) -> list[tuple]:
    return d.cursor().sql(text).fetchall()


@pytest.fixture()
def fixture_extracts(tmp_path):
    return write_fixture(tmp_path / "data")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo_sammandrag")
    demo.generate(data_dir, DEMO_AS_OF, DEMO_SEED)
    d = db.Database(data_dir / "extracts", hemkommun="1401", momskompensation_procent=6.0)
    yield d
    d.close()


def test_written_beside_the_extracts_and_read_from_there(fixture_extracts):
    d = db.Database(fixture_extracts, hemkommun="1401", momskompensation_procent=6.0)
    mapp = sammandrag.rotmapp(fixture_extracts) / sammandrag.nyckel(db.data_version(fixture_extracts), "1401", 600, SQL)
    assert mapp.parent == fixture_extracts.parent / "sammandrag"
    assert sorted(p.name for p in mapp.iterdir()) == ["_klar", "besok.parquet", "tackning.parquet"]
    # The views read these files (not a query over the visits): a rollup file emptied by hand is what they see.
    assert _sql(d, "select count(*) from sam_besok")[0][0] > 0
    tom = d.cursor()
    tom.execute(f"copy (select * from sam_besok where false) to '{mapp / 'besok.parquet'}' (format parquet)")
    assert _sql(d, "select count(*) from sam_besok")[0][0] == 0
    assert d.query("filter/motpartskommuner", {"riktning": "kostnad"}).num_rows == 0


@pytest.mark.parametrize("grupp", ["ar, riktning", "ar, manad, riktning, insats, regi, motpartskommun"])
def test_rollup_sums_equal_the_visits_exactly(demo_db, grupp):
    # Every sum the questions take, per group, from the rollup and from every visit (stg_besok):
    # costs to the öre as decimals, minutes as integers, persons as distinct pseudonyms.
    fran_besok = _sql(demo_db, f"""
        select {grupp}, sum(beraknad_kostnad_kr), sum(utford_min), sum(beviljad_min),
               sum(debiterbara_min) filter (where not is_niva_saknas), count(distinct brukare_id), count(*),
               count(*) filter (where is_niva_saknas), count(*) filter (where is_betalarens_niva),
               count(*) filter (where is_egen_niva_antagande), sum(coalesce(fakturerat_kr, beraknad_kostnad_kr)),
               sum(fakturerat_kr), sum(beraknad_kostnad_kr) filter (where fakturerat_kr is null),
               count(*) filter (where fakturerat_kr is null and beraknad_kostnad_kr is null)
        from stg_besok where riktning is not null group by all order by all""")
    fran_sammandrag = _sql(demo_db, f"""
        select {grupp}, sum(kostnad_kr), sum(utford_min), sum(beviljad_min), sum(debiterbara_min_med_niva),
               count(distinct brukare_id), sum(antal_besok), sum(antal_besok_utan_niva), sum(antal_betalarens_niva),
               sum(antal_egna_nivaer), sum(utfall_kr), sum(fakturerat_kr), sum(beraknat_kr), sum(antal_besok_utan_belopp)
        from sam_besok group by all order by all""")
    assert len(fran_besok) >= 16  # 8 years × 2 directions, or more groups
    assert fran_sammandrag == fran_besok
    antal = _sql(demo_db, "select (select count(*) from sam_besok), (select count(*) from stg_besok)")[0]
    assert antal[0] * 5 < antal[1]  # a rollup: far fewer rows than visits


def test_coverage_rollup_equals_the_visits(demo_db):
    assert _sql(demo_db, "select min(forsta_datum), max(sista_datum), list(distinct ar order by ar), sum(antal_besok) "
                         "from sam_tackning") == \
        _sql(demo_db, "select min(datum), max(datum), list(distinct ar order by ar), count(*) from stg_besok_rad")


def test_a_year_with_only_missing_rates_stays_missing_through_the_rollup(tmp_path):
    # The fixture's 2023 visit has no rate in force: its cost is missing (null), never 0 kr.
    d = db.Database(write_fixture(tmp_path / "data"), hemkommun="1401", momskompensation_procent=6.0)
    rader = {(r["ar"], r["dimension"]): r for r in d.query("kostnader/per_ar", dict(
        ar=2024, till_manad=12, jmf_ar=[], utan_data=[], **ALLA)).to_pylist()
        if r["riktning"] == "kostnad" and not r["is_jamforelse"] and not r["is_jamforelse_nu"]}
    assert rader[(2023, "totalt")]["kostnad_kr"] is None
    assert rader[(2023, "totalt")]["debiterbara_timmar"] is None
    assert rader[(2024, "totalt")]["kostnad_kr"] == pytest.approx(1826.50)


def test_new_data_version_and_changed_setting_get_their_own_rollup(fixture_extracts):
    d = db.Database(fixture_extracts, hemkommun="1401", momskompensation_procent=6.0)
    forsta = _mappar(fixture_extracts)
    assert len(forsta) == 1
    # An import's commit writes a new data version: the next question writes (and reads) a new rollup.
    (fixture_extracts / db.VERSION_FIL).write_text(json.dumps({"token": "ny-version"}), encoding="utf-8")
    d.query("filter/datatackning")
    assert len(_mappar(fixture_extracts)) == 2
    assert sammandrag.nyckel("ny-version", "1401", 600, SQL) in _mappar(fixture_extracts)
    # Another momskompensation is another cost rule: not the 6 % rollup's costs.
    def kostnad(procent):
        rad = db.Database(fixture_extracts, hemkommun="1401", momskompensation_procent=procent).query(
            "kostnader/per_ar", dict(ar=2024, till_manad=12, jmf_ar=[], utan_data=[], **ALLA)).to_pylist()
        return next(r["kostnad_kr"] for r in rad if r["ar"] == 2024 and r["dimension"] == "totalt"
                    and r["riktning"] == "kostnad" and not r["is_jamforelse"] and not r["is_jamforelse_nu"])
    assert kostnad(6.0) == pytest.approx(1826.50)
    assert kostnad(0.0) != pytest.approx(1826.50)
    # Only the newest three are kept.
    for i in range(3):
        (fixture_extracts / db.VERSION_FIL).write_text(json.dumps({"token": f"v{i}"}), encoding="utf-8")
        d.query("filter/datatackning")
    assert len(_mappar(fixture_extracts)) == sammandrag.BEHALL


def test_a_folder_without_its_done_marker_is_replaced(fixture_extracts):
    db.Database(fixture_extracts, hemkommun="1401", momskompensation_procent=6.0)
    mapp = sammandrag.rotmapp(fixture_extracts) / _mappar(fixture_extracts)[0]
    shutil.rmtree(mapp)
    mapp.mkdir()  # e.g. a copy stopped half-way, never renamed into place: not read
    (mapp / "besok.parquet").write_bytes(b"inte parquet")
    d = db.Database(fixture_extracts, hemkommun="1401", momskompensation_procent=6.0)
    assert sammandrag.finns(mapp)
    assert d.query("filter/motpartskommuner", {"riktning": "kostnad"}).num_rows == 3


def test_the_import_and_the_demo_write_the_rollup(tmp_path, monkeypatch):
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BESLUTSSTOD_DEMO_PER_DATUM", DEMO_AS_OF.isoformat())
    monkeypatch.setenv("BESLUTSSTOD_HEMKOMMUN", "1401")
    monkeypatch.setenv("BESLUTSSTOD_MOMSKOMPENSATION_PROCENT", "6")
    assert db.ensure_data(tmp_path)
    extracts = tmp_path / "extracts"
    assert _mappar(extracts) == [sammandrag.nyckel(db.data_version(extracts), "1401", 600, SQL)]


def test_a_failing_last_step_never_fails_the_import_or_the_demo(tmp_path, monkeypatch):
    # The rollups and first masks run after the commit: a failure there is logged, and the data stands.
    from beslutsstod.vyer import forvarm

    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BESLUTSSTOD_DEMO_PER_DATUM", DEMO_AS_OF.isoformat())

    def fel(*a, **k):
        raise RuntimeError("trasig maskning")

    monkeypatch.setattr(forvarm, "forvarm", fel)
    assert db.ensure_data(tmp_path)  # built, though its last step failed
    assert db.has_extracts(tmp_path / "extracts")
    assert db.skriv_sammandrag(tmp_path / "extracts") is False
    # the rollup itself was written before the masks failed; the next question reads it
    assert db.Database(tmp_path / "extracts", hemkommun="1401", momskompensation_procent=6.0).query(
        "filter/datatackning").num_rows == 1
