"""Every figure of the README's scale table from one run, in one command:

    .venv/bin/python bench/allt.py            # 15–25 min on 2 cores; the table on stdout and in bench/results/

1. the 10 million visit data set (bench/generate.py) when bench/data has none;
2. bench/run.py on it: each page model's interactions against the calibration query, each query
   against pandas, whole page runs (AppTest), cold start against an empty Streamlit app, the import;
3. the load test (bench/loadtest.py, 30 sessions): on the demo data, on 10 million visits with one
   process, and on 10 million with two processes behind nginx (scripts/start_flera.sh);
4. the memory of uploading and importing a 200 MB CSV (bench/upload_minne.py).

Every part also runs alone (see its own file). The raw results go to bench/results/<tid>_skala/ and
the table to bench/results/<tid>_skala.md. Loopback only; every part has its own time limit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run, upload_minne
from bench.lokalt import ledig_port, vanta_pa_svar

PY = sys.executable


def _logg(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _senaste(mapp: Path, monster: str) -> dict | None:
    filer = sorted(mapp.glob(monster), key=lambda p: p.stat().st_mtime)
    return json.loads(filer[-1].read_text(encoding="utf-8")) if filer else None


def lasttest_tva_processer(data: Path, ut: Path, sessioner: int) -> dict | None:
    """The load test against two app processes behind nginx (the README's PROSESSER=2 start)."""
    port = ledig_port()
    appportar = f"{ledig_port()} {ledig_port()}"
    kormapp = Path(tempfile.mkdtemp(prefix="allt-nginx-"))
    env = dict(os.environ, PORT=str(port), APPORTAR=appportar, KORMAPP=str(kormapp), PROSESSER="2",
               BESLUTSSTOD_DATA_DIR=str(data))
    proc = subprocess.Popen(["bash", "scripts/start_flera.sh"], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for p in [port, *map(int, appportar.split())]:
            if not vanta_pa_svar(f"http://127.0.0.1:{p}/_stcore/health", sekunder=180, process=proc):
                _logg(f"  två processer: port {p} svarade inte (se {kormapp})")
                return None
        pids = (kormapp / "streamlit.pids").read_text().split()
        subprocess.run([PY, "bench/loadtest.py", "--port", str(port), "--cpu-pid", *pids, "--data", str(data),
                        "--sessioner", str(sessioner), "--uppvarmning", "2", "--etikett", "2 processer",
                        "--ut", str(ut / "lasttest_2")], cwd=ROOT, timeout=1800)
        return _senaste(ut / "lasttest_2", "lasttest-*.json")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _s(v, d=2) -> str:
    return "–" if v is None else f"{v:,.{d}f}".replace(",", " ").replace(".", ",")


def sammanstall(r: dict) -> str:
    """The README's scale table, from the parts' raw results."""
    rad = []
    b = r.get("bench") or {}
    kal = (b.get("kalibrering") or {}).get("p95")
    inter = [i for i in b.get("interaktioner", []) if not i.get("fel")]
    fel = [i for i in b.get("interaktioner", []) if i.get("fel")]
    inom = [i for i in inter if kal and i["p95"] <= run.MAL_KALIBRERING_GANGER * kal]
    fragor = [f for f in b.get("fragor", []) if f.get("pandas_kvot") is not None]
    pandas_ok = [f for f in fragor if f["pandas_kvot"] >= run.MAL_PANDAS_GANGER]
    ks = b.get("kallstart") or {}
    rad.append("| vad | mätt | mål |")
    rad.append("|---|---|---|")
    for namn, nyckel in (("demodata, 1 process", "lasttest_demo"), ("10 miljoner, 1 process", "lasttest_10m"),
                         ("10 miljoner, 2 processer bakom nginx", "lasttest_2")):
        lt = r.get(nyckel)
        if not lt:
            rad.append(f"| 30 samtidiga sessioner, {namn} | ej mätt | p95 < 2 s |")
            continue
        varden = [v for v in lt["interaktioner"].values() if v["p50_s"] is not None]
        p50 = max(v["p50_s"] for v in varden) if varden else None
        p95 = max(v["p95_s"] for v in varden) if varden else None
        rad.append(f"| {lt['sessioner']} samtidiga sessioner, {namn}: sämsta interaktionens p50 / p95 | "
                   f"{_s(p50)} s / {_s(p95)} s; {lt['fel']} fel; {_s(lt.get('karnor'), 1)} kärnor; "
                   f"{_s(lt.get('cpu_ms_per_interaktion'), 0)} ms CPU per interaktion; toppminne "
                   f"{_s(lt.get('topp_rss_mb'), 0)} MB | p95 < 2 s |")
    if ks.get("starter"):
        rad.append(f"| kallstart till första nyckeltalet i Chromium mot en tom Streamlit-app | "
                   f"{_s(ks['forsta_kpi_s_median'])} s mot {_s(ks['tom_app_s_median'])} s = "
                   f"{_s(ks.get('kvot_mot_tom_app'), 1)} × | ≤ {run.MAL_KALLSTART_KVOT:.0f} × |")
    if inter:
        rad.append(f"| sidmodellernas interaktioner inom {run.MAL_KALIBRERING_GANGER} × kalibreringen (p95, okachat) | "
                   f"{len(inom)} av {len(inter) + len(fel)}; kalibrering p95 {_s(kal, 0)} ms; sämst "
                   + ", ".join(f"{i['id']} {_s(i['p95'] / kal, 1)} ×" for i in
                               sorted(inter, key=lambda i: -i["p95"])[:3]) + " | alla |")
    if fragor:
        sam = sorted(fragor, key=lambda f: f["pandas_kvot"])[:3]
        rad.append(f"| frågor där pandas-vägen är ≥ {run.MAL_PANDAS_GANGER} × långsammare | "
                   f"{len(pandas_ok)} av {len(fragor)}; lägst " + ", ".join(
                       f"{f['namn']} {_s(f['pandas_kvot'], 1)} ×" for f in sam) + " | alla |")
    if b.get("sammandrag_s") is not None:
        rad.append(f"| importens sista steg: sammandrag per dataversion och förberäknad maskning | "
                   f"{_s(b['sammandrag_s'])} s | – |")
    imp = b.get("import") or {}
    if imp.get("sekunder") is not None:
        rad.append(f"| import av {_s(imp['rader'], 0)} besök som CSV | {_s(imp['sekunder'], 1)} s, toppminne "
                   f"{_s(imp['topp_rss_mb'], 0)} MB | – |")
    um = r.get("upload_minne")
    if um:
        m = um["matningar"]
        rad.append(f"| uppladdning och import av {_s(um['mb'], 0)} MB CSV: toppminne | uppladdning "
                   f"{m['uppladdning']['topp_mb']} MB, kommandorad {m['kommandorad']['topp_mb']} MB | "
                   f"≤ {upload_minne.MAL_MB} MB |")
    return "\n".join(rad)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Hela skalningstabellen i README (se bench/allt.py).")
    p.add_argument("--data", type=Path, default=run.DEFAULT_DATA)
    p.add_argument("--sessioner", type=int, default=30)
    p.add_argument("--upprepningar", type=int, default=10, help="benchmarkens varv (bench/run.py)")
    p.add_argument("--mb", type=float, default=200.0, help="uppladdningsfilens storlek")
    p.add_argument("--kallstarter", type=int, default=5, help="kallstarter (median), växelvis med en tom app")
    a = p.parse_args(argv)
    tid = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    ut = ROOT / "bench" / "results" / f"{tid}_skala"
    ut.mkdir(parents=True, exist_ok=True)
    data = a.data.resolve()
    if not (data / "extracts" / "besok").exists():
        _logg("Skapar 10 miljoner besök …")
        subprocess.run([PY, "bench/generate.py", "--out", str(data)], cwd=ROOT, check=True, timeout=1800)
    r: dict = {}
    _logg("Benchmark (bench/run.py) …")
    subprocess.run([PY, "bench/run.py", "--data", str(data), "--upprepningar", str(a.upprepningar),
                    "--kallstarter", str(a.kallstarter), "--ut", str(ut / "bench")], cwd=ROOT, timeout=3600)
    r["bench"] = _senaste(ut / "bench", "*.json")
    _logg("Lasttest: demodata …")
    subprocess.run([PY, "bench/loadtest.py", "--sessioner", str(a.sessioner), "--ut", str(ut / "lasttest_demo")],
                   cwd=ROOT, timeout=1800)
    r["lasttest_demo"] = _senaste(ut / "lasttest_demo", "lasttest-*.json")
    _logg("Lasttest: 10 miljoner, en process …")
    subprocess.run([PY, "bench/loadtest.py", "--data", str(data), "--sessioner", str(a.sessioner),
                    "--ut", str(ut / "lasttest_10m")], cwd=ROOT, timeout=1800)
    r["lasttest_10m"] = _senaste(ut / "lasttest_10m", "lasttest-*.json")
    _logg("Lasttest: 10 miljoner, två processer bakom nginx …")
    r["lasttest_2"] = lasttest_tva_processer(data, ut, a.sessioner)
    _logg("Uppladdningens minne …")
    r["upload_minne"] = upload_minne.mat(a.mb, ut / "upload_minne.json")
    text = f"Skala, mätt {dt.date.today().isoformat()} med `.venv/bin/python bench/allt.py` ({os.cpu_count()} kärnor):\n\n"
    text += sammanstall(r) + "\n"
    (ut.parent / f"{tid}_skala.md").write_text(text, encoding="utf-8")
    print(text)
    _logg(f"Rådata: {ut}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
