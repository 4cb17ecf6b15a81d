"""The demo generator: deterministic, on the data contract, and shaped like a real municipality."""

import datetime as dt
import hashlib
import json

import duckdb
import pytest

from beslutsstod.data import db, demo, referens
from tests.conftest import DEMO_AS_OF, DEMO_SEED


def _hashes(extracts):
    return {p.relative_to(extracts).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(extracts.rglob("*")) if p.is_file()}


def test_same_seed_and_date_give_same_bytes(tmp_path, demo_data_dir):
    again = demo.generate(tmp_path, DEMO_AS_OF, DEMO_SEED)
    assert _hashes(again) == _hashes(demo_data_dir / "extracts")


def test_other_seed_gives_other_data(tmp_path, demo_data_dir):
    other = demo.generate(tmp_path, DEMO_AS_OF, DEMO_SEED + 1)
    assert _hashes(other)["besok/ar=2024/besok.parquet"] != _hashes(demo_data_dir / "extracts")["besok/ar=2024/besok.parquet"]


@pytest.fixture(scope="module")
def con(demo_data_dir):
    return db.Database(demo_data_dir / "extracts", hemkommun="1401", momskompensation_procent=6.0).cursor()


def test_schemas_follow_the_contract(demo_data_dir):
    extracts = demo_data_dir / "extracts"
    raw = duckdb.connect()
    rows = raw.sql(f"describe select * from read_parquet('{extracts}/besok/*/*.parquet', hive_partitioning = false)").fetchall()
    schema = {r[0]: r[1] for r in rows}
    assert schema == {"besok_id": "VARCHAR", "datum": "DATE", "brukare_id": "VARCHAR", "bosattningskommun": "VARCHAR",
                      "vistelsekommun": "VARCHAR", "utforare_id": "VARCHAR", "insats": "VARCHAR",
                      "beviljad_min": "INTEGER", "utford_min": "INTEGER", "fakturerat_kr": "DECIMAL(18,2)",
                      "insatstyp": "VARCHAR"}
    for name, schema in (("utforare", demo.UTFORARE_SCHEMA), ("ersattningsnivaer", demo.NIVA_SCHEMA),
                         ("budget", demo.BUDGET_SCHEMA), ("vistelser", demo.VISTELSE_SCHEMA),
                         ("insatspriser", demo.INSATSPRIS_SCHEMA), ("avgiftsregler", demo.AVGIFT_SCHEMA)):
        cols = [r[0] for r in raw.sql(f"describe select * from '{extracts}/{name}.parquet'").fetchall()]
        assert cols == schema.names


def test_keys_and_codes_are_valid(con):
    kommuner = set(referens.kommuner())
    codes = {r[0] for r in con.sql("select distinct bosattningskommun from stg_besok union select distinct vistelsekommun from stg_besok").fetchall()}
    assert codes <= kommuner
    assert con.sql("select count(*) - count(distinct besok_id) from stg_besok").fetchall()[0][0] == 0
    assert con.sql("select count(*) from stg_besok where regi is null").fetchall()[0][0] == 0  # every utförare known
    assert con.sql("select count(*) from stg_besok where is_niva_saknas").fetchall()[0][0] == 0
    assert con.sql("select count(*) from stg_besok where brukare_id similar to '[0-9]{6,}.*'").fetchall()[0][0] == 0


def test_years_run_to_last_month(con):
    forsta, sista = con.sql("select min(datum), max(datum) from stg_besok").fetchall()[0]
    assert forsta.year == 2019
    assert sista <= dt.date(2026, 10, 31) and sista.month == 10  # as-of 2026-11-23 → through October


def test_residents_per_year_and_summer_peak(con):
    per_ar = dict(con.sql("select ar, count(distinct brukare_id) from stg_besok where riktning = 'kostnad' group by ar").fetchall())
    assert all(80 <= n <= 150 for n in per_ar.values()), per_ar
    sommar, ovrigt = con.sql("""
        select sum(utford_timmar) filter (where manad between 6 and 8) / 3,
               sum(utford_timmar) filter (where manad not between 6 and 8) / 9
        from stg_besok where riktning = 'kostnad' and ar = 2024""").fetchall()[0]
    assert sommar > 4 * ovrigt  # a strong summer peak


def test_all_regi_both_insatser_and_revenues(con):
    assert {r[0] for r in con.sql("select distinct regi from stg_besok").fetchall()} == {"egen_regi", "privat", "vistelsekommun"}
    assert {r[0] for r in con.sql("select distinct insats from stg_besok").fetchall()} == {"hemtjanst", "kommunal_primarvard"}
    intakter = con.sql("select count(distinct brukare_id) from stg_besok where riktning = 'intakt' and ar = 2024").fetchall()[0][0]
    assert 0 < intakter < 30


def test_missing_month_and_deviating_invoices(con):
    assert con.sql("select count(*) from stg_besok where ar = 2025 and manad = 3").fetchall()[0][0] == 0
    avvikande = con.sql("""select count(*) from stg_besok where fakturerat_kr is not null
                           and fakturerat_kr <> beraknad_kostnad_kr""").fetchall()[0][0]
    assert avvikande > 0
    dubbel = con.sql("""select count(*) from (select brukare_id, datum, utforare_id, insats, utford_min from stg_besok
                        group by all having count(*) > 1)""").fetchall()[0][0]
    assert dubbel >= 1


def test_rates_published_or_labelled(con):
    rows = con.sql("select year(giltig_fran), insats, kr_per_timme, kalla from stg_ersattningsnivaer").fetchall()
    niva = {(ar, insats): (kr, kalla) for ar, insats, kr, kalla in rows}
    assert niva[(2024, "hemtjanst")][0] == 454 and niva[(2024, "kommunal_primarvard")][0] == 828
    assert niva[(2021, "kommunal_primarvard")][0] == 710
    # 2020 is not published: 412 × 1,030 (OPI 2020) = 424,36 → 424, labelled as derived
    assert niva[(2020, "hemtjanst")][0] == 424 and niva[(2020, "hemtjanst")][1].startswith("Härledd")
    assert all(kalla.split(":")[0] in {"Publicerad", "Egen nivå", "Härledd", "Antagande"} for kr, kalla in niva.values())
    # issue 11 point 6 (seed 000): 454 kr is Härryda's own LOV rate, not a step in VästKom's series
    assert niva[(2024, "hemtjanst")][1].startswith("Egen nivå") and "inte ett steg i VästKoms serie" in \
        niva[(2024, "hemtjanst")][1]


def test_budget_monthly_except_one_annual_year(con):
    rows = con.sql("select ar, count(*), count(manad) from stg_budget group by ar order by ar").fetchall()
    per_ar = {ar: (n, n_manad) for ar, n, n_manad in rows}
    assert per_ar[demo.ANNUAL_BUDGET_YEAR] == (2, 0)  # one annual row per insats, manad null
    assert all(v == (24, 24) for ar, v in per_ar.items() if ar != demo.ANNUAL_BUDGET_YEAR)


def test_budget_has_no_zero_month_from_the_outage(con):
    ar, manad = demo.MISSING_MONTH
    assert con.sql("select sum(budget_kr) from stg_budget where ar = $ar and manad = $m",
                   params={"ar": ar + 1, "m": manad}).fetchall()[0][0] > 0


def test_demo_never_overwrites_imported_extracts(tmp_path):
    extracts = tmp_path / "extracts"
    extracts.mkdir()
    (extracts / "utforare.parquet").write_bytes(b"imported")
    (extracts / "_importlogg.jsonl").write_text("{}\n", encoding="utf-8")
    assert db.ensure_data(tmp_path) is False
    assert (extracts / "utforare.parquet").read_bytes() == b"imported"
    (extracts / "_importlogg.jsonl").unlink()
    (extracts / "utforare.parquet").unlink()
    fore = db.data_version(extracts)
    assert db.ensure_data(tmp_path) is True and db.has_extracts(extracts)
    assert db.data_version(extracts) != fore  # new data, new data version (the cache key)
    assert db.data_version(extracts) == json.loads((extracts / db.VERSION_FIL).read_text())["token"]


def test_hemtjanst_visits_have_an_insatstyp_that_fits_their_length(con):
    # Every hemtjänst visit has a catalogue code, no primärvård visit has one; short visits are
    # tillsyn/måltid, only hour-long ones städning (demo.INSATSTYP_VIKTER).
    rader = dict(((i, t), n) for i, t, n in con.sql("""
        select b.insats, t.insatstyp is not null, count(*) from stg_besok_rad b
        join stg_besok_insatstyp t using (besok_id) group by all""").fetchall())
    assert rader.get(("hemtjanst", False), 0) == 0 and rader.get(("kommunal_primarvard", True), 0) == 0
    typer = dict(con.sql("""select beviljad_min, list(distinct insatstyp order by insatstyp) from stg_besok_rad
        join stg_besok_insatstyp using (besok_id) where insats = 'hemtjanst' group by all""").fetchall())
    assert typer[15] == ["MAL", "TIL"] and typer[60] == ["INK", "PH", "STA"]
    assert set().union(*typer.values()) == set(demo.INSATSTYPER)


def test_the_trials_price_list_and_avgift_are_labelled_fictitious(demo_data_dir):
    d = db.Database(demo_data_dir / "extracts", hemkommun="1401", momskompensation_procent=6.0)
    assert d.har_tabell("stg_insatspriser") and d.har_tabell("stg_avgiftsregler")
    con = d.cursor()
    assert {r[0] for r in con.sql("select kalla from stg_insatspriser").fetchall()} == {
        "Demodata: fiktiv prislista per insats (jfr Österåker, Dnr VON 2022/0007, bilaga 3)"}
    assert con.sql("select count(*), min(ar), bool_and(kalla like 'Demodata: fiktiv%') from stg_avgiftsregler").fetchall() \
        == [(8, 2019, True)]
