"""The benchmark of issue 7: one command, one run, every figure against the issue's ratio targets.

    python bench/generate.py            # once: 10 million visits under bench/data (15–40 s)
    python bench/run.py                 # 10–20 minutes on 2 cores; table on stdout, JSON in bench/results/

What it measures, interleaved (each repetition runs the calibration and then every interaction
once, starting at a different interaction each time, so that a noisy neighbour hits all alike):

- calibration: a raw DuckDB ``sum`` over all visit Parquet, with the app's threads and memory limit;
- every interaction of every page (bench/interactions.py): the page's own model (beslutsstod/vyer/)
  called as the page calls it, its queries through beslutsstod.data.db.Database.query → Arrow →
  pandas uncached (a new choice's first view), p50 and p95 after a warm-up, split into query and
  build time; rows returned and bytes of JSON of what the page shows, per interaction;
- for each query the models ran that has a pandas twin (bench/pandas_path.FRAGOR): the same
  aggregation in pandas on a frame of all visits already in memory, with the same parameters,
  checked to give the same sums, and that frame's load time and memory;
- a full page run through streamlit.testing AppTest: cold (no cached results, no connection),
  data-cold (connection kept, no cached results: the first view of a new filter) and warm;
- cold start: ``streamlit run app.py`` in a fresh process to the first KPI in Debian's Chromium
  (Playwright), then every page opened in the browser, and the server's peak RSS (VmHWM);
- the import of 1 000 000 visits as CSV (beslutsstod.inlasning.importflode), when that module exists.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb
import numpy as np
import pandas as pd

from bench.lokalt import ledig_port, vanta_pa_svar
from beslutsstod import behorighet, installningar
from beslutsstod.data import db

DEFAULT_DATA = ROOT / "bench" / "data"
DEFAULT_RESULTS = ROOT / "bench" / "results"

# The targets (ratios, because these machines are noisy).
MAL_KALIBRERING_GANGER = 10  # each interaction's p95 ≤ 10 × the calibration query's p95
MAL_PANDAS_GANGER = 3  # the pandas path ≥ 3 × slower than ours
MAL_KALLSTART_KVOT = 2.0  # cold start to the first KPI ≤ 2 × an empty Streamlit app's, same loop (issue 16)
MAL_MINNE_MB = 1024  # peak RSS of the app process, MB (1 GB)
MAL_RADER = 100_000  # rows into Python per interaction
MAL_JSON_BYTES = 1_000_000  # bytes of figure JSON per interaction (1 MB)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
IMPORT_RADER = 1_000_000


def _ms(sekunder: list[float]) -> dict:
    if not sekunder:
        return {"p50": None, "p95": None, "n": 0}
    a = np.array(sekunder) * 1000
    return {"p50": float(np.percentile(a, 50)), "p95": float(np.percentile(a, 95)), "min": float(a.min()),
            "max": float(a.max()), "n": len(a)}


def _rss_mb(pid: int | str = "self", falt: str = "VmRSS") -> float | None:
    """Resident memory of a process from /proc (VmRSS now, VmHWM peak), in MB."""
    try:
        for rad in Path(f"/proc/{pid}/status").read_text().splitlines():
            if rad.startswith(falt + ":"):
                return int(rad.split()[1]) / 1024
    except OSError:
        return None
    return None


def storlek(obj) -> int:
    """Bytes sent to the browser for one output: plotly figure JSON, a table as JSON, or plain JSON."""
    import plotly.graph_objects as go
    from pandas.io.formats.style import Styler

    if isinstance(obj, go.Figure):
        return len(obj.to_json().encode())
    if isinstance(obj, Styler):
        obj = obj.data
    if isinstance(obj, pd.DataFrame):
        return len(obj.to_json(orient="split", date_format="iso", default_handler=str).encode())
    if hasattr(obj, "data") and isinstance(getattr(obj, "data"), pd.DataFrame):  # smatalsskydd.MaskedTable
        return storlek(obj.data)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):  # a page model's result: what it shows
        return sum(storlek(getattr(obj, f.name)) for f in dataclasses.fields(obj))
    if isinstance(obj, (list, tuple)) and any(isinstance(o, (go.Figure, pd.DataFrame, Styler)) or
                                             dataclasses.is_dataclass(o) for o in obj):
        return sum(storlek(o) for o in obj)
    if isinstance(obj, dict) and any(isinstance(o, (go.Figure, pd.DataFrame)) or dataclasses.is_dataclass(o)
                                     for o in obj.values()):
        return sum(storlek(o) for o in obj.values())
    if isinstance(obj, (bytes, bytearray)):
        return len(obj)  # a file the user downloads (an interaction that is the click)
    if callable(obj):
        return 0  # an export built on click: not sent with the page
    return len(json.dumps(obj, default=str).encode())


@dataclasses.dataclass
class Fraga:
    """One named query with one set of parameters, as a page model ran it; our times and pandas'."""

    namn: str
    params: dict | None
    tid: list[float] = dataclasses.field(default_factory=list)
    tid_pandas: list[float] = dataclasses.field(default_factory=list)
    rader: int | None = None
    df: pd.DataFrame | None = None  # the last result, for the comparison with pandas
    lika: bool | None = None
    pandas_fel: str | None = None

    @property
    def id(self) -> str:
        return f"{self.namn} {json.dumps(self.params or {}, sort_keys=True, default=str, ensure_ascii=False)}"


class Mätning:
    """One interaction: the page model's call under a variant of the filters, and its measurements.

    The model runs with a query runner that times and records every named query it asks for
    (uncached: the first view of a new choice); build time = the call's time − its queries' time.
    """

    def __init__(self, inter, k):
        self.inter = inter
        self.fel = None
        self.tid: list[float] = []
        self.tid_fraga: list[float] = []
        self.tid_bygg: list[float] = []
        self.fragor: list[str] = []  # Fraga.id of the queries the model ran
        self.rader = None
        self.json_bytes = None
        try:
            self.k = inter.variant(k)
        except Exception:  # a page model that changed under us: report, do not stop the run
            self.k = None
            self.fel = traceback.format_exc(limit=3)

    def var(self, database, spara: bool, fragor: dict[str, Fraga]) -> None:
        inspelade: list[tuple[Fraga, float, pd.DataFrame, int]] = []

        def fraga(namn: str, params: dict | None = None) -> pd.DataFrame:
            t0 = time.perf_counter()
            tabell = database.query(namn, params)
            df = tabell.to_pandas()
            rec = fragor.setdefault(Fraga(namn, params).id, Fraga(namn, params))
            inspelade.append((rec, time.perf_counter() - t0, df, tabell.num_rows))
            return df

        k = dataclasses.replace(self.k, s=dataclasses.replace(self.k.s, fraga=fraga))
        t0 = time.perf_counter()
        utdata = self.inter.kor(k)
        t1 = time.perf_counter()
        json_bytes = storlek(utdata)
        t_fragor = sum(t for _, t, _, _ in inspelade)
        if spara:
            self.tid.append(t1 - t0)
            self.tid_fraga.append(t_fragor)
            self.tid_bygg.append(t1 - t0 - t_fragor)
            for rec, t, df, n in inspelade:
                rec.tid.append(t)
                rec.df, rec.rader = df, n
        self.fragor = list(dict.fromkeys(rec.id for rec, _, _, _ in inspelade))
        self.rader = sum(n for _, _, _, n in inspelade)
        self.json_bytes = json_bytes


def mat_interaktioner(database, extracts: Path, k, registret, upprepningar: int, uppvarmning: int, ram,
                      pandas_upprepningar: int, threads: int, memory_limit: str,
                      logg) -> tuple[dict, list[Mätning], dict[str, Fraga]]:
    from bench import pandas_path

    kalib_con = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit})
    kalib_sql = f"select sum(utford_min) from read_parquet('{(extracts / 'besok' / '*' / '*.parquet').as_posix()}')"
    kalib: list[float] = []
    matningar = [Mätning(i, k(i.sida) if callable(k) else k) for i in registret]
    fragor: dict[str, Fraga] = {}
    for rep in range(uppvarmning + upprepningar):
        spara = rep >= uppvarmning
        t0 = time.perf_counter()
        kalib_con.sql(kalib_sql).fetchall()
        if spara:
            kalib.append(time.perf_counter() - t0)
        aktiva = [m for m in matningar if m.fel is None]
        start = rep % max(len(aktiva), 1)
        for m in aktiva[start:] + aktiva[:start]:
            try:
                m.var(database, spara, fragor)
            except Exception:
                m.fel = traceback.format_exc(limit=4)
        # pandas in the last repetitions only (it is the slow side; a ratio needs few samples): each
        # distinct query and parameters the models ran, on the frame of all visits already in memory
        if ram is not None and rep >= uppvarmning + upprepningar - pandas_upprepningar:
            for rec in fragor.values():
                fn = pandas_path.FRAGOR.get(rec.namn)
                if fn is None or rec.pandas_fel is not None or rec.df is None:
                    continue
                try:
                    t1 = time.perf_counter()
                    pdf = fn(ram, rec.params or {})
                    if spara:
                        rec.tid_pandas.append(time.perf_counter() - t1)
                    if rec.lika is None:
                        rec.lika = pandas_path.lika(rec.df, pdf)
                except Exception:
                    rec.pandas_fel = traceback.format_exc(limit=3)
        text = f"  varv {rep + 1}/{uppvarmning + upprepningar}"
        logg(text + (f": kalibrering {kalib[-1] * 1000:.0f} ms" if spara else " (uppvärmning)"))
    kalib_con.close()
    for rec in fragor.values():
        rec.df = None
    return _ms(kalib), matningar, fragor


def mat_pandas_laddning(extracts: Path, hemkommun: str, moms: float):
    from bench import pandas_path

    fore = _rss_mb()
    t0 = time.perf_counter()
    ram = pandas_path.ladda(extracts, hemkommun, moms)
    sekunder = time.perf_counter() - t0
    return ram, {"sekunder": sekunder, "rss_okning_mb": (_rss_mb() or 0) - (fore or 0),
                 "ram_mb": float(ram.memory_usage(deep=True).sum() / 1e6), "rader": len(ram)}


def mat_apptest(upprepningar: int, logg) -> dict:
    """A full run of each page through AppTest: cold, data-cold and warm (seconds)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    roller = {fil: lagsta_roll(url) for fil, url, _ in _sidor_i_app()}
    sidor = sorted(roller)
    ut: dict[str, dict] = {}
    fore = os.environ.get("BESLUTSSTOD_LOKAL_ROLL")
    for rep in range(upprepningar):
        for sida in sidor[rep % len(sidor):] + sidor[:rep % len(sidor)]:
            r = ut.setdefault(sida, {"kall": [], "datakall": [], "varm": [], "fel": None, "roll": roller[sida]})
            if r["fel"]:
                continue
            os.environ["BESLUTSSTOD_LOKAL_ROLL"] = roller[sida]
            try:
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
                at.run()
                at.switch_page(sida)
                for lage in ("kall", "datakall", "varm"):
                    if lage == "kall":
                        st.cache_data.clear()
                        st.cache_resource.clear()
                    elif lage == "datakall":
                        st.cache_data.clear()
                    t0 = time.perf_counter()
                    at.run()
                    r[lage].append(time.perf_counter() - t0)
                    if at.exception:
                        raise RuntimeError(str(at.exception[0].value)[:500])
            except Exception:
                r["fel"] = traceback.format_exc(limit=3)
        logg(f"  AppTest-varv {rep + 1}/{upprepningar}")
    if fore is None:
        os.environ.pop("BESLUTSSTOD_LOKAL_ROLL", None)
    else:
        os.environ["BESLUTSSTOD_LOKAL_ROLL"] = fore
    return {s: {"kall": _ms(r["kall"]), "datakall": _ms(r["datakall"]), "varm": _ms(r["varm"]), "fel": r["fel"],
                "roll": r["roll"]} for s, r in ut.items()}


def _sidor_i_app() -> list[tuple[str, str, str]]:
    """(file, url_path, title) of every page registered in app.py."""
    import re

    text = (ROOT / "app.py").read_text(encoding="utf-8")
    return [(m.group(1), m.group(3), m.group(2)) for m in re.finditer(
        r'st\.Page\("([^"]+)",\s*title="([^"]+)"[^)]*?url_path="([^"]+)"', text)]


def lagsta_roll(url_path: str) -> str:
    """The least-privileged role that may open a page: each page is measured as the role that uses it
    (Översikt and Vistelsekommuner in the protected view, the officials' pages in the detailed view)."""
    from beslutsstod import behorighet

    return next(r for r in behorighet.ROLLER if behorighet.far_se_sida(r, url_path))


def _kallstart_en(browser, skript: str, env: dict) -> tuple[float | None, float, "subprocess.Popen", object, str]:
    """Start `streamlit run <skript>` in a fresh process; seconds to /_stcore/health and to the first KPI."""
    import re

    from playwright.sync_api import expect

    port = ledig_port()
    url = f"http://127.0.0.1:{port}"
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(120_000)
    logfil = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", skript, "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=logfil, stderr=subprocess.STDOUT)
    t_halsa = (time.perf_counter() - t0
               if vanta_pa_svar(f"{url}/_stcore/health", sekunder=120, process=proc, intervall=0.02) else None)
    page.goto(url)
    kpi = page.get_by_test_id("stMetric").filter(has_text="Kostnad").get_by_test_id("stMetricValue").first
    expect(kpi).to_have_text(re.compile(r"(kr|\.\.)$"), timeout=120_000)
    return t_halsa, time.perf_counter() - t0, proc, context, url


def _stoppa(proc, context) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    context.close()


def mat_kallstart(data_dir: Path, antal: int, logg) -> dict:
    """Fresh `streamlit run app.py` → first KPI in Chromium, beside an empty Streamlit app (bench/tom_app.py)
    in the same loop (alternating, so a noisy neighbour hits both alike); then every page, and peak RSS."""
    from playwright.sync_api import expect, sync_playwright

    from beslutsstod import behorighet

    if not Path(CHROMIUM).exists():
        return {"fel": f"{CHROMIUM} saknas: installera Debians paket chromium", "metod": None}
    env = dict(os.environ, BESLUTSSTOD_DATA_DIR=str(data_dir), BESLUTSSTOD_LOKAL_ROLL="lasare")
    starter = []
    tomma = []
    sidor = []
    topp_mb = None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for n in range(antal):
                _, t_tom, proc, context, _ = _kallstart_en(browser, "bench/tom_app.py", env)
                _stoppa(proc, context)
                tomma.append(t_tom)
                t_halsa, t_kpi, proc, context, url = _kallstart_en(browser, "app.py", env)
                page = context.pages[0]
                try:
                    starter.append({"halsa_s": t_halsa, "forsta_kpi_s": t_kpi, "tom_app_s": t_tom})
                    logg(f"  kallstart {n + 1}/{antal}: /_stcore/health {t_halsa:.2f} s, första KPI {t_kpi:.2f} s "
                         f"(tom app {t_tom:.2f} s)")
                    if n == antal - 1:
                        # every page once in the same browser session; the server's peak memory after
                        # the pages the server's role (BESLUTSSTOD_LOKAL_ROLL, läsare by default) may open
                        roll = env.get("BESLUTSSTOD_LOKAL_ROLL", "lasare")
                        for _, url_path, titel in _sidor_i_app():
                            if not behorighet.far_se_sida(roll, url_path):
                                continue
                            t1 = time.perf_counter()
                            page.goto(f"{url}/{url_path}")
                            expect(page.get_by_role("heading", name=titel, level=1)).to_be_visible(timeout=120_000)
                            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                                                   timeout=120_000)
                            sidor.append({"sida": url_path, "sekunder": time.perf_counter() - t1,
                                          "rss_mb": _rss_mb(proc.pid)})
                        topp_mb = _rss_mb(proc.pid, "VmHWM")
                finally:
                    _stoppa(proc, context)
        finally:
            browser.close()
    app_median = statistics.median(s["forsta_kpi_s"] for s in starter) if starter else None
    tom_median = statistics.median(tomma) if tomma else None
    return {"metod": "streamlit run app.py → första KPI (Kostnad) synlig i Chromium via Playwright, "
                     "växelvis med en tom Streamlit-app (bench/tom_app.py) i samma slinga",
            "starter": starter, "sidor_i_webblasaren": sidor, "app_topp_rss_mb": topp_mb,
            "forsta_kpi_s_median": app_median, "tom_app_s_median": tom_median,
            "kvot_mot_tom_app": app_median / tom_median if app_median and tom_median else None}


def mat_import(extracts: Path, logg) -> dict:
    """The 1 000 000-row CSV import (beslutsstod.inlasning.importflode.importera) into a copy of the small extracts."""
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        tmp = Path(tmp)
        data_dir = tmp / "data"
        (data_dir / "extracts" / "besok").mkdir(parents=True)
        for f in ("utforare.parquet", "ersattningsnivaer.parquet", "budget.parquet", "vistelser.parquet"):
            shutil.copy(extracts / f, data_dir / "extracts" / f)
        shutil.copytree(ROOT / "data" / "reference", data_dir / "reference")
        fil = tmp / "besok.csv"
        # The file as a Swedish export looks: ';', decimal comma, the contract's columns.
        duckdb.sql(f"""
            copy (
                select besok_id, strftime(datum, '%Y-%m-%d') as datum, brukare_id, bosattningskommun,
                    vistelsekommun, utforare_id, insats, beviljad_min, utford_min,
                    replace(cast(fakturerat_kr as varchar), '.', ',') as fakturerat_kr,
                from read_parquet('{(extracts / 'besok' / '*' / '*.parquet').as_posix()}')
                where year(datum) = (select max(year(datum)) from read_parquet('{(extracts / 'besok' / '*' / '*.parquet').as_posix()}'))
                limit {IMPORT_RADER}
            ) to '{fil.as_posix()}' (header, delimiter ';')
        """)
        rader = sum(1 for _ in fil.open(encoding="utf-8")) - 1
        kod = (
            "import json, sys, time\n"
            "from beslutsstod.inlasning import importflode\n"
            "t0 = time.perf_counter()\n"
            f"r = importflode.importera('besok', {str(fil)!r}, {str(data_dir)!r})\n"
            "s = time.perf_counter() - t0\n"
            # VmHWM, not ru_maxrss: ru_maxrss of a child keeps the parent's size at fork (here the
            # pandas frame), VmHWM is this program's own peak
            "hwm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
            "print(json.dumps({'sekunder': s, 'ok': bool(r.ok), 'topp_rss_mb': hwm / 1024, "
            "'rapport': r.rapport()[:2000]}))\n"
        )
        logg(f"  import av {rader:,} besök (CSV, {fil.stat().st_size / 1e6:.0f} MB) …".replace(",", " "))
        res = subprocess.run([sys.executable, "-c", kod], cwd=ROOT, capture_output=True, text=True, timeout=1800,
                             env=dict(os.environ, BESLUTSSTOD_DATA_DIR=str(data_dir)))
        if res.returncode != 0:
            return {"fel": res.stderr[-2000:], "rader": rader}
        ut = json.loads(res.stdout.strip().splitlines()[-1])
        ut.update(rader=rader, csv_mb=fil.stat().st_size / 1e6)
        return ut


def _ok(villkor: bool | None) -> str:
    return "–" if villkor is None else ("ok" if villkor else "EJ")


def tabell(res: dict) -> str:
    """The results as a plain-text table with the ratios against the issue's targets."""
    kal = res["kalibrering"]["p95"]
    ut = io.StringIO()
    w = ut.write
    m = res["meta"]
    w(f"\nBenchmark {m['tid']}  {m['rader']:,} besök ({m['sortering']})  {m['karnor']} kärnor  "
      f"DuckDB {m['duckdb']}  threads={m['threads']} memory_limit={m['memory_limit']}  etikett: {m['etikett']}\n"
      .replace(",", " "))
    w(f"Kalibrering (sum över alla besök-Parquet): p50 {res['kalibrering']['p50']:.1f} ms, p95 {kal:.1f} ms "
      f"→ mål per interaktion p95 ≤ {MAL_KALIBRERING_GANGER} × {kal:.1f} = {MAL_KALIBRERING_GANGER * kal:.0f} ms\n\n")
    huvud = (f"{'interaktion (sidmodellens anrop)':<66} {'frågor':>6} {'rader':>7} {'JSON kB':>8} {'p50 ms':>7} "
             f"{'p95 ms':>7} {'p95/kal':>7} {'fråga ms':>8} {'bygge ms':>8}  mål\n")
    w(huvud)
    w("-" * (len(huvud) + 4) + "\n")
    for r in res["interaktioner"]:
        if r["fel"]:
            w(f"{r['id'][:66]:<66} FEL: {r['fel'].strip().splitlines()[-1][:90]}\n")
            continue
        kvot = r["p95"] / kal
        mal = [kvot <= MAL_KALIBRERING_GANGER, r["rader"] <= MAL_RADER, r["json_bytes"] <= MAL_JSON_BYTES]
        w(f"{r['id'][:66]:<66} {len(r['fragor']):>6} {r['rader']:>7} {r['json_bytes'] / 1000:>8.1f} {r['p50']:>7.0f} "
          f"{r['p95']:>7.0f} {kvot:>7.1f} {r['fraga_p50']:>8.0f} {r['bygg_p50']:>8.0f}  {'ok' if all(mal) else 'EJ'}\n")
    jamforda = [r for r in res.get("fragor", []) if r["pandas_kvot"] is not None or r["pandas_fel"]]
    if jamforda:
        w(f"\n{'fråga (parametrar)':<90} {'rader':>7} {'vår ms':>7} {'pandas ms':>9} {'pandas/vår':>10}  mål\n")
        for r in sorted(jamforda, key=lambda r: r["id"]):
            if r["pandas_fel"]:
                w(f"{r['id'][:90]:<90} pandas FEL: {r['pandas_fel'].strip().splitlines()[-1][:60]}\n")
                continue
            pk = r["pandas_kvot"]
            w(f"{r['id'][:90]:<90} {r['rader']:>7} {r['p50']:>7.0f} {r['pandas_p50']:>9.0f} {pk:>10.1f}  "
              f"{_ok(pk >= MAL_PANDAS_GANGER)}" + (" (olika!)" if r["lika"] is False else "") + "\n")
    pl = res.get("pandas_laddning")
    if pl:
        w(f"\npandas-vägen: läsa in och berika alla {pl['rader']:,} besök {pl['sekunder']:.1f} s, ramen "
          f"{pl['ram_mb']:.0f} MB (processens RSS +{pl['rss_okning_mb']:.0f} MB)\n".replace(",", " "))
        w("pandas/vår = pandas-aggregeringen mot vår fråga → Arrow → pandas (p50), samma parametrar som sidmodellen gav.\n")
    if res.get("apptest"):
        w("\nHel sidkörning (AppTest), p50 / max sekunder:  kall (ingen cache, ny anslutning) | datakall | varm\n")
        for sida, r in res["apptest"].items():
            if r["fel"]:
                w(f"  {sida:<30} FEL: {r['fel'].strip().splitlines()[-1][:100]}\n")
                continue
            w(f"  {sida:<30} " + " | ".join(f"{r[lage]['p50'] / 1000:5.2f} / {r[lage]['max'] / 1000:5.2f}"
                                          for lage in ("kall", "datakall", "varm")) + "\n")
    if res.get("sammandrag_s") is not None:
        w(f"\nImportens sista steg (sammandrag per dataversion och förberäknad maskning): {res['sammandrag_s']:.2f} s"
          " (en gång per dataversion)\n")
    ks = res.get("kallstart") or {}
    if ks.get("starter"):
        med, kvot = ks["forsta_kpi_s_median"], ks.get("kvot_mot_tom_app")
        w(f"\nKallstart ({ks['metod']}): median {med:.2f} s mot tom app {ks['tom_app_s_median']:.2f} s = {kvot:.1f} × "
          f"(mål ≤ {MAL_KALLSTART_KVOT:.0f} ×: {_ok(kvot <= MAL_KALLSTART_KVOT)}); "
          + ", ".join(f"{s['forsta_kpi_s']:.2f}" for s in ks["starter"]) + " s; /_stcore/health "
          + ", ".join(f"{s['halsa_s']:.2f}" for s in ks["starter"]) + " s\n")
        topp = ks.get("app_topp_rss_mb")
        if topp:
            w(f"Appens toppminne (VmHWM efter första sidan och alla sidor i webbläsaren): {topp:.0f} MB "
              f"(mål ≤ {MAL_MINNE_MB} MB: {_ok(topp <= MAL_MINNE_MB)})\n")
        for s in ks.get("sidor_i_webblasaren", []):
            w(f"  {s['sida']:<22} {s['sekunder']:5.2f} s  RSS {s['rss_mb']:.0f} MB\n")
    elif ks:
        w(f"\nKallstart: {ks.get('fel')}\n")
    imp = res.get("import")
    if imp:
        if imp.get("fel"):
            w(f"\nImport av CSV: {imp['fel'].strip().splitlines()[-1] if imp['fel'].strip() else imp['fel']}\n")
        else:
            w(f"\nImport av {imp['rader']:,} besök som CSV ({imp['csv_mb']:.0f} MB): {imp['sekunder']:.1f} s, "
              f"toppminne {imp['topp_rss_mb']:.0f} MB, {'godkänd' if imp['ok'] else 'AVVISAD'}\n".replace(",", " "))
    return ut.getvalue()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmarken i issue 7 (se bench/run.py).")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="mapp med extracts/ (från bench/generate.py)")
    p.add_argument("--upprepningar", type=int, default=20)
    p.add_argument("--uppvarmning", type=int, default=2)
    p.add_argument("--pandas-upprepningar", type=int, default=5,
                   help="pandas-vägen mäts i de sista N varven (den är den långsamma sidan)")
    p.add_argument("--apptest-upprepningar", type=int, default=3)
    p.add_argument("--kallstarter", type=int, default=3)
    p.add_argument("--utan-pandas", action="store_true")
    p.add_argument("--utan-apptest", action="store_true")
    p.add_argument("--utan-webblasare", action="store_true")
    p.add_argument("--utan-import", action="store_true")
    p.add_argument("--sidor", nargs="*", help="bara dessa sidor i registret (t.ex. oversikt app)")
    p.add_argument("--etikett", default="", help="fritext i resultatet, t.ex. 'före' eller 'efter'")
    p.add_argument("--ut", type=Path, default=DEFAULT_RESULTS)
    args = p.parse_args(argv)

    def logg(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    data_dir = args.data.resolve()
    extracts = data_dir / "extracts"
    if not db.has_extracts(extracts):
        logg(f"Inga extrakt i {extracts}: kör först  python bench/generate.py")
        return 2
    os.environ["BESLUTSSTOD_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("BESLUTSSTOD_LOKAL_ROLL", "lasare")
    from bench import interactions

    hemkommun = installningar.get("hemkommun")
    moms = installningar.get("momskompensation_procent")
    threads, memory_limit = installningar.get("duckdb_threads"), installningar.get("duckdb_memory_limit")
    info = db.demo_info(extracts) or {}
    database = db.open_database(extracts)
    from beslutsstod.vyer.urval import Sammanhang

    s = Sammanhang(lambda namn, params=None: database.query(namn, params).to_pandas(), True,
                   installningar.get("smatal_grans"), hemkommun)
    k = interactions.kontext(database, s)

    def kontext_for(sida: str):
        """Each page in the view of the least-privileged role that may open it (the sidebar: läsare)."""
        roll = behorighet.LASARE if sida == interactions.SIDOPANEL else lagsta_roll(sida)
        return dataclasses.replace(k, s=dataclasses.replace(k.s, oppen_vy=not behorighet.detaljerad(roll)))
    registret = [i for sida, fn in interactions.SIDOR.items() if not args.sidor or sida in args.sidor for i in fn()]
    n_rader = database.cursor().execute("select count(*) from read_parquet($p)",
                                        {"p": (extracts / "besok" / "*" / "*.parquet").as_posix()}).fetchone()[0]
    res: dict = {"meta": {
        "tid": dt.datetime.now().isoformat(timespec="seconds"), "etikett": args.etikett, "rader": n_rader,
        "sortering": info.get("sortering", "okänd"), "hemkommun": hemkommun, "karnor": os.cpu_count(),
        "duckdb": duckdb.__version__, "pandas": pd.__version__, "python": platform.python_version(),
        "threads": threads, "memory_limit": memory_limit, "upprepningar": args.upprepningar,
        "uppvarmning": args.uppvarmning, "data": str(data_dir),
        "kontext": {"ar": k.f.ar, "kommun": k.kommun, "utforare_id": k.utforare_id, "sista_datum": str(k.f.sista_datum)}}}

    # The import's last step (the rollups and the protected view's first masks), if the data set has
    # not had it: timed, since an import pays it once per data version.
    t0 = time.perf_counter()
    db.skriv_sammandrag(extracts)
    res["sammandrag_s"] = time.perf_counter() - t0
    logg(f"Sammandrag och förberäknad maskning (importens sista steg): {res['sammandrag_s']:.2f} s")

    ram = None
    if not args.utan_pandas:
        logg("Läser in alla besök i pandas (jämförelsen) …")
        ram, res["pandas_laddning"] = mat_pandas_laddning(extracts, hemkommun, moms)
    logg(f"Mäter {len(registret)} interaktioner, {args.uppvarmning} + {args.upprepningar} varv …")
    kal, matningar, fragor = mat_interaktioner(database, extracts, kontext_for, registret, args.upprepningar,
                                               args.uppvarmning, ram, min(args.pandas_upprepningar, args.upprepningar),
                                               threads, memory_limit, logg)
    res["kalibrering"] = kal
    res["interaktioner"] = []
    for m in matningar:
        tid, fr, by = _ms(m.tid), _ms(m.tid_fraga), _ms(m.tid_bygg)
        res["interaktioner"].append({
            "id": m.inter.id, "sida": m.inter.sida, "fragor": m.fragor, "fel": m.fel, "rader": m.rader,
            "json_bytes": m.json_bytes, "p50": tid["p50"], "p95": tid["p95"], "fraga_p50": fr["p50"],
            "fraga_p95": fr["p95"], "bygg_p50": by["p50"], "sekunder": m.tid})
    res["fragor"] = []
    for rec in fragor.values():
        tid, pa = _ms(rec.tid), _ms(rec.tid_pandas)
        res["fragor"].append({
            "id": rec.id, "namn": rec.namn, "params": json.loads(json.dumps(rec.params, default=str)),
            "rader": rec.rader, "p50": tid["p50"], "p95": tid["p95"], "pandas_p50": pa["p50"],
            "pandas_p95": pa["p95"], "pandas_kvot": (pa["p50"] / tid["p50"]) if pa["p50"] and tid["p50"] else None,
            "lika": rec.lika, "pandas_fel": rec.pandas_fel})
    del ram
    if not args.utan_apptest:
        logg("AppTest: hela sidkörningar …")
        res["apptest"] = mat_apptest(args.apptest_upprepningar, logg)
    if not args.utan_webblasare:
        logg("Kallstart i Chromium …")
        try:
            res["kallstart"] = mat_kallstart(data_dir, args.kallstarter, logg)
        except Exception:
            res["kallstart"] = {"fel": traceback.format_exc(limit=3)}
    if not args.utan_import:
        logg("Import …")
        try:
            res["import"] = mat_import(extracts, logg)
        except Exception:
            res["import"] = {"fel": traceback.format_exc(limit=3)}

    text = tabell(res)
    print(text)
    args.ut.mkdir(parents=True, exist_ok=True)
    namn = f"{res['meta']['tid'].replace(':', '')}_{n_rader // 1_000_000}M" + (f"_{args.etikett}" if args.etikett else "")
    (args.ut / f"{namn}.json").write_text(json.dumps(res, indent=1, default=str, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    (args.ut / f"{namn}.txt").write_text(text, encoding="utf-8")
    logg(f"Rådata: {args.ut / (namn + '.json')}")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
