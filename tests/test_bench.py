"""The benchmark's generator follows the data contract, and its registry covers every query.

No timing is asserted here: the benchmark itself (bench/run.py) measures; these tests only keep
it honest at a tiny scale (20 000 visits).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from bench import generate, interactions, pandas_path, run
from beslutsstod import installningar
from beslutsstod.data import db, demo
from beslutsstod.vyer.urval import Sammanhang

ROOT = Path(__file__).resolve().parent.parent
ROWS = 20_000  # visits: enough for every municipality on both sides (2 × 290 coverage stays of 7 visits)
KOMMUNER = {f["properties"]["id"] for f in json.loads(
    (ROOT / "data" / "reference" / "kommuner.geojson").read_text(encoding="utf-8"))["features"]}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    generate.generate(out, rows=ROWS, seed=7, verbose=False)
    return out


@pytest.fixture(scope="module")
def besok(data_dir):
    return duckdb.sql(f"select * from read_parquet('{data_dir}/extracts/besok/*/*.parquet')")


def test_layout_is_the_demo_datas(data_dir):
    extracts = data_dir / "extracts"
    assert sorted(p.relative_to(extracts).as_posix() for p in extracts.rglob("*.parquet")) == sorted(
        [f"besok/ar={ar}/besok.parquet" for ar in range(generate.FIRST_YEAR, generate.FIRST_YEAR + generate.YEARS)]
        + list(db.EXTRACT_FILES) + list(db.OPTIONAL_STAGING.values()))
    assert db.has_extracts(extracts)
    assert json.loads((extracts / "_demo.json").read_text(encoding="utf-8"))["demodata"] is True  # labelled fictitious


@pytest.mark.parametrize("fil, schema", [
    ("besok/ar=2020/besok.parquet", demo.BESOK_SCHEMA),
    ("utforare.parquet", demo.UTFORARE_SCHEMA),
    ("ersattningsnivaer.parquet", demo.NIVA_SCHEMA),
    ("budget.parquet", demo.BUDGET_SCHEMA),
    ("vistelser.parquet", demo.VISTELSE_SCHEMA),
    ("insatspriser.parquet", demo.INSATSPRIS_SCHEMA),
    ("avgiftsregler.parquet", demo.AVGIFT_SCHEMA),
])
def test_columns_and_types_follow_the_contract(data_dir, fil, schema):
    skrivet = pq.read_schema(data_dir / "extracts" / fil)
    # names and types as beslutsstod/data/demo.py writes them (DuckDB marks some columns not-null: allowed)
    assert [(f.name, f.type) for f in skrivet] == [(f.name, f.type) for f in schema]


def test_exact_row_count_and_unique_ids(besok):
    assert besok.aggregate("count(*), count(distinct besok_id)").fetchall() == [(ROWS, ROWS)]


def test_every_municipality_on_both_sides_and_never_at_home(besok):
    bos = {r[0] for r in besok.aggregate("bosattningskommun").distinct().fetchall()}
    vist = {r[0] for r in besok.aggregate("vistelsekommun").distinct().fetchall()}
    assert bos == KOMMUNER and vist == KOMMUNER and len(KOMMUNER) == 290
    assert besok.filter("bosattningskommun = vistelsekommun").aggregate("count(*)").fetchall() == [(0,)]


def test_every_visit_has_a_provider_and_a_rate(data_dir):
    database = db.Database(data_dir / "extracts", hemkommun="1401", momskompensation_procent=6.0)
    cur = database.cursor()
    assert cur.execute("select count(*) from stg_besok where regi is null or is_niva_saknas").fetchone() == (0,)
    # egen regi is internal and never invoiced
    assert cur.execute("select count(*) from stg_besok where regi = 'egen_regi' and fakturerat_kr is not null"
                       ).fetchone() == (0,)


def test_summer_peak(besok):
    per_manad = dict(besok.aggregate("month(datum) as m, count(*)", "m").fetchall())
    assert per_manad[7] > 3 * per_manad[1]  # stays at the coast in July: the seasonality pages show


def test_sorted_by_home_municipality_then_date(data_dir):
    # the order that lets row-group min/max statistics skip other municipalities (bench/README)
    for fil in (data_dir / "extracts" / "besok").glob("*/besok.parquet"):
        tabell = pq.read_table(fil, columns=["bosattningskommun", "datum"]).to_pylist()
        nycklar = [(r["bosattningskommun"], r["datum"]) for r in tabell]
        assert nycklar == sorted(nycklar), fil


def test_same_seed_same_data(data_dir, tmp_path):
    generate.generate(tmp_path, rows=ROWS, seed=7, verbose=False)
    sql = "select sum(hash(columns(*))) from read_parquet('{}/extracts/besok/*/*.parquet')"
    assert duckdb.sql(sql.format(tmp_path)).fetchall() == duckdb.sql(sql.format(data_dir)).fetchall()


def test_every_registered_page_exists():
    sidor = {p.stem for p in (ROOT / "sidor").glob("*.py")}
    assert set(interactions.SIDOR) - {interactions.SIDOPANEL} <= sidor


def test_bench_contains_no_copy_of_a_page():
    """The registry calls the page models; it computes nothing itself and runs no query of its own."""
    text = (ROOT / "bench" / "interactions.py").read_text(encoding="utf-8")
    assert "beslutsstod.vyer" in text
    for forbjudet in (".query(", "fraga(\"", "beslutsstod.diagram", "beslutsstod.dokument", "smatalsskydd",
                      "import plotly"):
        assert forbjudet not in text.split("def kontext(")[0], forbjudet


@pytest.fixture(scope="module")
def matning(demo_data_dir):
    """One repetition of the measurement loop on the demo data, every interaction of every page.

    The demo data, not the generator's: its last year is running (the forecast's queries run) and
    it has every optional table; the generator's shape is tested above.
    """
    mp = pytest.MonkeyPatch()
    mp.setenv("BESLUTSSTOD_DATA_DIR", str(demo_data_dir))
    hemkommun = installningar.get("hemkommun")
    extracts = demo_data_dir / "extracts"
    database = db.Database(extracts, hemkommun=hemkommun, momskompensation_procent=6.0)
    s = Sammanhang(lambda n, p=None: database.query(n, p).to_pandas(), False, 5, hemkommun)
    k = interactions.kontext(database, s)
    ram = pandas_path.ladda(extracts, hemkommun, 6.0)
    kal, matningar, fragor = run.mat_interaktioner(database, extracts, k, interactions.alla(), 1, 0, ram, 1, 2, "1GB",
                                                   lambda text: None)
    yield matningar, fragor
    mp.undo()


def test_every_interaction_runs_and_shows_something(matning):
    matningar, _ = matning
    assert [(m.inter.id, m.fel) for m in matningar if m.fel] == []
    assert all(m.fragor and m.json_bytes > 0 for m in matningar), [m.inter.id for m in matningar if not m.json_bytes]


def test_the_page_models_run_every_query_file(matning):
    """A query file that no page model runs in the benchmark is either dead or unmeasured.
    (staging/intermediate: views and macros; sammandrag: the rollups the database writes, read through views.)"""
    _, fragor = matning
    filer = {p.relative_to(ROOT / "queries").with_suffix("").as_posix()
             for p in (ROOT / "queries").rglob("*.sql") if p.parent.name not in {"staging", "intermediate", "sammandrag"}}
    korda = {f.namn for f in fragor.values()}
    assert filer - korda == set(), "en sidmodell kör inte frågan i bench/interactions.py"
    assert korda - filer == set()


def test_pandas_gives_the_same_sums(matning):
    _, fragor = matning
    jamforda = [f for f in fragor.values() if f.namn in pandas_path.FRAGOR]
    assert {f.namn for f in jamforda} == set(pandas_path.FRAGOR)
    assert [(f.id, f.pandas_fel) for f in jamforda if f.pandas_fel] == []
    assert [f.id for f in jamforda if f.lika is not True] == []


def test_json_size_of_outputs():
    import pandas as pd
    import plotly.graph_objects as go

    assert run.storlek({"a": 1}) == len('{"a": 1}')
    assert run.storlek(pd.DataFrame({"x": [1]})) == len('{"columns":["x"],"index":[0],"data":[[1]]}')
    assert run.storlek(go.Figure()) == len(go.Figure().to_json())

    @dataclasses.dataclass
    class Vy:  # a page model's result: a table, a figure, an export built on click
        tabell: pd.DataFrame
        figur: go.Figure
        xlsx: object

    vy = Vy(pd.DataFrame({"x": [1]}), go.Figure(), lambda: b"PK")
    assert run.storlek(vy) == run.storlek(vy.tabell) + run.storlek(vy.figur)


def test_upload_minne_smoke():
    """The upload-memory benchmark runs end to end on a 2 MB file (the real run is 200 MB, in bench/)."""
    from bench import upload_minne
    r = upload_minne.mat(2.0)
    assert r["mb"] >= 2.0 and r["rader"] > 20_000
    for lage in ("uppladdning", "kommandorad"):
        assert r["matningar"][lage]["topp_mb"] > 0


def test_scale_table_reads_the_parts_results():
    """bench/allt.py's table: the worst interaction of each load test, the ratios against their goals."""
    from bench import allt
    lt = {"sessioner": 30, "fel": 0, "karnor": 1.0, "cpu_ms_per_interaktion": 120.0, "topp_rss_mb": 400.0,
          "interaktioner": {"öppna Översikt": {"p50_s": 0.4, "p95_s": 1.2}, "byt kommun": {"p50_s": 0.9, "p95_s": 2.5}}}
    r = {"bench": {"kalibrering": {"p95": 30.0},
                   "interaktioner": [{"id": "a", "p95": 150.0, "fel": None}, {"id": "b", "p95": 450.0, "fel": None}],
                   "fragor": [{"namn": "x", "pandas_kvot": 4.0}, {"namn": "y", "pandas_kvot": 1.5}],
                   "kallstart": {"starter": [1], "forsta_kpi_s_median": 4.0, "tom_app_s_median": 2.0,
                                 "kvot_mot_tom_app": 2.0},
                   "sammandrag_s": 1.25},
         "lasttest_10m": lt}
    text = allt.sammanstall(r)
    assert "10 miljoner, 1 process: sämsta interaktionens p50 / p95 | 0,90 s / 2,50 s; 0 fel" in text
    assert "demodata, 1 process | ej mätt" in text
    assert "| 1 av 2; kalibrering p95 30 ms; sämst b 15,0 ×, a 5,0 ×" in text
    assert "| 1 av 2; lägst y 1,5 ×, x 4,0 ×" in text
    assert "4,00 s mot 2,00 s = 2,0 ×" in text
    assert "förberäknad maskning | 1,25 s" in text


def test_the_benchmark_command_runs_end_to_end(data_dir, tmp_path, monkeypatch):
    """bench/run.py's main on the tiny data: every page model measured, the table and the raw JSON written."""
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(data_dir))
    monkeypatch.setenv("BESLUTSSTOD_HEMKOMMUN", "0180")
    monkeypatch.setenv("BESLUTSSTOD_LOKAL_ROLL", "lasare")
    ut = tmp_path / "res"
    assert run.main(["--data", str(data_dir), "--upprepningar", "1", "--uppvarmning", "0", "--utan-pandas",
                     "--utan-apptest", "--utan-webblasare", "--utan-import", "--ut", str(ut)]) == 0
    res = json.loads(next(ut.glob("*.json")).read_text(encoding="utf-8"))
    assert res["meta"]["rader"] == ROWS
    assert res["interaktioner"] and [i["id"] for i in res["interaktioner"] if i["fel"]] == []
    assert "Kalibrering" in next(ut.glob("*.txt")).read_text(encoding="utf-8")
