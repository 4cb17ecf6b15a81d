"""Load test: N people using the app at once, through Streamlit's own websocket protocol.

    python bench/loadtest.py                          # 30 sessions on the demo data (a temporary copy)
    python bench/loadtest.py --data bench/data        # 30 sessions on the 10 M set (bench/generate.py)
    python bench/loadtest.py --sessioner 5 --floden 1 # a small run
    python bench/loadtest.py --port 8501 --cpu-pid $(cat .run/nginx/streamlit.pids)
                                                      # an app already running (e.g. PROSESSER=2
                                                      # scripts/start.sh: nginx in front of 2 processes)

What it does, on this machine only (the server listens on 127.0.0.1 and every request goes there):

1. starts ``streamlit run app.py`` in a fresh process on a free loopback port over the data folder,
   with the file watcher off (as served outside development);
2. one warm-up session walks the flow once (the first run builds the connection and fills the caches:
   reported on its own as "kall");
3. N sessions start together (spread over ``--spridning`` seconds) and each walks the flow
   ``--floden`` times. A session is what a browser tab is: one websocket to ``/_stcore/stream``
   sending ``rerun_script`` messages with the page and the address's query string, exactly what the
   browser sends when a page is opened or a filter bound to the address (``bind="query-params"``)
   changes. The latency of an interaction is from the message sent to the server's
   ``script_finished`` (the page fully computed and sent);
4. reports p50/p95/max per interaction, errors, the server's CPU seconds (user + system from
   /proc) per interaction and in cores used, and its peak resident memory (VmHWM).

With ``--port`` nothing is started: the sessions go to the server or proxy already listening on
127.0.0.1:PORT, and the CPU and memory figures are those of the processes given with ``--cpu-pid``
(summed; none given: not measured).

The flow is the one in issue 16: open Översikt, change the Vistelsekommun filter, open
Vistelsekommuner, open Månadsuppföljning. Bounded: every interaction has a time-out
(``--timeout``) and the whole run a deadline (``--deadline``); it stops by itself.
The table goes to stdout and the raw figures (JSON) to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.lokalt import HOST, ledig_port, vanta_pa_svar

DEFAULT_RESULTS = ROOT / "bench" / "results"

# (name, page url_path ("" = the start page), query string); {kommun} is drawn per session.
FLODE = [
    ("Översikt: öppna", "", ""),
    ("Översikt: byt vistelsekommun", "", "kommun={kommun}"),
    ("Vistelsekommuner: öppna", "vistelsekommuner", "kommun={kommun}"),
    ("Månadsuppföljning: öppna", "manadsuppfoljning", "kommun={kommun}"),
]
KOMMUNER = ["Tanum", "Kungälv", "Göteborg", "Lerum", "Strömstad", "Sotenäs"]


def cpu_sekunder(pid: int) -> float:
    """User + system CPU of a process (all its threads) from /proc/<pid>/stat, in seconds."""
    falt = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(falt[11]) + int(falt[12])) / os.sysconf("SC_CLK_TCK")


def cpu_sekunder_alla(pids: list[int]) -> float:
    return sum(cpu_sekunder(pid) for pid in pids)


def topp_rss_mb_alla(pids: list[int]) -> float | None:
    """Peak resident memory summed over the processes (each one's VmHWM)."""
    varden = [topp_rss_mb(pid) for pid in pids]
    return sum(v for v in varden if v is not None) if varden and None not in varden else None


def topp_rss_mb(pid: int) -> float | None:
    for rad in Path(f"/proc/{pid}/status").read_text().splitlines():
        if rad.startswith("VmHWM:"):
            return int(rad.split()[1]) / 1024
    return None


@dataclass
class Matning:
    namn: str
    sekunder: float | None  # None: error or time-out
    fel: str = ""


@dataclass
class Session:
    nr: int
    kommun: str
    matningar: list[Matning] = field(default_factory=list)


async def kor_session(port: int, session: Session, floden: int, timeout: float) -> None:
    """One browser tab: a websocket, the flow `floden` times, one rerun_script at a time."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    url = f"ws://{HOST}:{port}/_stcore/stream"
    try:
        ws = await asyncio.wait_for(websockets.connect(
            url, subprotocols=["streamlit"], origin=f"http://{HOST}:{port}", max_size=None), timeout)
    except Exception as exc:  # noqa: BLE001 - every failure is a measured error, not a crash of the run
        session.matningar.append(Matning("anslutning", None, f"{type(exc).__name__}: {exc}"))
        return
    async with ws:
        for _ in range(floden):
            for namn, sida, fraga in FLODE:
                fraga = fraga.format(kommun=session.kommun)
                msg = BackMsg()
                msg.rerun_script.query_string = fraga
                msg.rerun_script.page_name = sida
                msg.rerun_script.context_info.timezone = "Europe/Stockholm"
                msg.rerun_script.context_info.locale = "sv-SE"
                msg.rerun_script.context_info.url = f"http://{HOST}:{port}/{sida}" + (f"?{fraga}" if fraga else "")
                start = time.perf_counter()
                try:
                    await ws.send(msg.SerializeToString())
                    fel = await asyncio.wait_for(_vanta_pa_slut(ws, ForwardMsg), timeout)
                except Exception as exc:  # noqa: BLE001
                    session.matningar.append(Matning(namn, None, f"{type(exc).__name__}: {exc}"))
                    return
                tid = time.perf_counter() - start
                session.matningar.append(Matning(namn, None if fel else tid, fel))


async def _vanta_pa_slut(ws, ForwardMsg) -> str:
    """Read forward messages until script_finished; '' when the run finished well, else what went wrong."""
    fel = ""
    while True:
        fm = ForwardMsg()
        fm.ParseFromString(await ws.recv())
        typ = fm.WhichOneof("type")
        if typ == "page_not_found":
            fel = "sidan hittades inte"
        elif typ == "delta" and fm.delta.WhichOneof("type") == "new_element":
            if fm.delta.new_element.WhichOneof("type") == "exception":
                fel = "undantag: " + fm.delta.new_element.exception.message[:200]
        elif typ == "script_finished":
            return fel


def sammanfatta(matningar: list[Matning]) -> dict:
    per_namn: dict[str, dict] = {}
    for namn in [n for n, _, _ in FLODE] + ["anslutning"]:
        tider = sorted(m.sekunder for m in matningar if m.namn == namn and m.sekunder is not None)
        fel = [m.fel for m in matningar if m.namn == namn and m.sekunder is None]
        if not tider and not fel:
            continue
        per_namn[namn] = {
            "n": len(tider), "fel": len(fel), "exempel_fel": fel[:3],
            "p50_s": statistics.median(tider) if tider else None,
            "p95_s": _percentil(tider, 95) if tider else None,
            "max_s": tider[-1] if tider else None,
        }
    return per_namn


def _percentil(sorterade: list[float], p: float) -> float:
    """Nearest-rank percentile of a sorted list."""
    k = max(0, min(len(sorterade) - 1, int(round(p / 100 * len(sorterade) + 0.5)) - 1))
    return sorterade[k]


def starta_server(data_dir: Path, port: int, logg_fil: Path) -> subprocess.Popen:
    env = dict(os.environ, BESLUTSSTOD_DATA_DIR=str(data_dir))
    logg = logg_fil.open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", HOST, "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
        cwd=ROOT, env=env, stdout=logg, stderr=subprocess.STDOUT)


def vanta_pa_halsa(port: int, proc: subprocess.Popen, sekunder: float) -> None:
    if not vanta_pa_svar(f"http://{HOST}:{port}/_stcore/health", sekunder=sekunder, process=proc):
        raise SystemExit(f"Servern svarade inte inom {sekunder:.0f} s eller avslutades (kod {proc.poll()}); se loggen.")


async def kor(port: int, sessioner: int, floden: int, spridning: float, timeout: float, seed: int) -> list[Session]:
    slump = random.Random(seed)
    alla = [Session(i, slump.choice(KOMMUNER)) for i in range(sessioner)]

    async def en(s: Session) -> None:
        await asyncio.sleep(slump.uniform(0, spridning))  # people do not click in the same millisecond
        await kor_session(port, s, floden, timeout)

    await asyncio.gather(*(en(s) for s in alla))
    return alla


def tabell(res: dict) -> str:
    def s(v):
        return "–" if v is None else f"{v:.2f}".replace(".", ",")

    rader = [f"Lasttest {res['tid']}: {res['sessioner']} samtidiga sessioner × {res['floden']} flöden, "
             f"data {res['data']} ({res['besok']} besök); {res['mal']}", "",
             f"{'interaktion':34} {'n':>4} {'fel':>4} {'p50 s':>7} {'p95 s':>7} {'max s':>7}"]
    for namn, r in res["interaktioner"].items():
        rader.append(f"{namn:34} {r['n']:>4} {r['fel']:>4} {s(r['p50_s']):>7} {s(r['p95_s']):>7} {s(r['max_s']):>7}")
    rader += ["", "Kall (första sessionen, tomma cacher): " + ", ".join(
        f"{n} {s(r['p50_s'])} s" for n, r in res["kall"].items()),
        f"Serverns CPU under lasten: {s(res['cpu_s'])} s på {s(res['vagg_s'])} s = {s(res['karnor'])} kärnor "
        f"(maskinen har {res['maskin_karnor']}); {s(res['cpu_ms_per_interaktion'])} ms per interaktion",
        f"Serverns toppminne (VmHWM): {s(res['topp_rss_mb'])} MB",
        f"Mål (issue 16): p95 < 2 s per interaktion – {'uppnått' if res['mal_uppnatt'] else 'EJ uppnått'}"]
    return "\n".join(rader)


def antal_besok(data_dir: Path) -> int | None:
    import duckdb

    filer = data_dir / "extracts" / "besok"
    if not filer.exists():
        return None
    return duckdb.sql(f"select count(*) from read_parquet('{filer}/*/*.parquet')").fetchall()[0][0]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Lasttest: samtidiga Streamlit-sessioner över websocket (se bench/loadtest.py).")
    p.add_argument("--data", type=Path, help="mapp med extracts/ (standard: demodata i en tillfällig mapp)")
    p.add_argument("--sessioner", type=int, default=30)
    p.add_argument("--floden", type=int, default=2, help="hur många gånger varje session går flödet")
    p.add_argument("--spridning", type=float, default=2.0, help="sekunder som sessionernas start sprids över")
    p.add_argument("--timeout", type=float, default=120.0, help="sekunder per interaktion innan den räknas som fel")
    p.add_argument("--deadline", type=float, default=900.0, help="sekunder för hela lasten; sedan avbryts den")
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--etikett", default="")
    p.add_argument("--ut", type=Path, default=DEFAULT_RESULTS)
    p.add_argument("--port", type=int, help="en app som redan lyssnar på 127.0.0.1:PORT (t.ex. nginx framför "
                   "flera processer); då startas ingen server")
    p.add_argument("--cpu-pid", type=int, nargs="*", default=[],
                   help="med --port: processerna vars CPU och minne mäts (summeras)")
    p.add_argument("--uppvarmning", type=int, default=1,
                   help="antal uppvärmningssessioner före lasten (en per process behövs för varma cacher)")
    a = p.parse_args(argv)
    if a.port is not None:
        return kor_mot_port(a)

    tmp = None
    if a.data is None:
        tmp = Path(tempfile.mkdtemp(prefix="lasttest-"))
        data_dir = tmp  # the app writes its demo data here at first start
    else:
        data_dir = a.data.resolve()
    port = ledig_port()
    logg_fil = (tmp or Path(tempfile.gettempdir())) / f"lasttest-server-{port}.log"
    proc = starta_server(data_dir, port, logg_fil)
    try:
        vanta_pa_halsa(port, proc, 120)
        return mat(a, port, [proc.pid], "demodata" if tmp else str(a.data), antal_besok(data_dir), "egen server, 1 process")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def kor_mot_port(a) -> int:
    """The load against an app already listening on 127.0.0.1:PORT (a proxy or a single process)."""
    with urllib.request.urlopen(f"http://{HOST}:{a.port}/_stcore/health", timeout=10) as svar:
        if svar.status != 200:
            raise SystemExit(f"Ingen app svarar på {HOST}:{a.port}.")
    data = str(a.data) if a.data else "appens data"
    besok = antal_besok(a.data.resolve()) if a.data else None
    return mat(a, a.port, a.cpu_pid, data, besok, f"befintlig app på port {a.port}, {len(a.cpu_pid)} mätta processer")


def mat(a, port: int, pids: list[int], data: str, besok: int | None, mal: str) -> int:
    """Warm up, run the load, write the table and the JSON; exit code 0 when no interaction failed."""
    kalla = asyncio.run(kor(port, a.uppvarmning, 1, 0.0, a.timeout * 3, a.seed))
    kall = Session(-1, "", [m for k in kalla for m in k.matningar])
    cpu0, t0 = cpu_sekunder_alla(pids), time.perf_counter()
    try:
        sessioner = asyncio.run(asyncio.wait_for(
            kor(port, a.sessioner, a.floden, a.spridning, a.timeout, a.seed + 1), a.deadline))
    except TimeoutError:
        raise SystemExit(f"Lasttestet nådde sin tidsgräns ({a.deadline:.0f} s) och avbröts.")
    vagg, cpu = time.perf_counter() - t0, (cpu_sekunder_alla(pids) - cpu0) if pids else None
    matningar = [m for s in sessioner for m in s.matningar]
    per_namn = sammanfatta(matningar)
    lyckade = sum(1 for m in matningar if m.sekunder is not None)
    res = {
        "tid": dt.datetime.now().isoformat(timespec="seconds"), "etikett": a.etikett,
        "maskin": platform.node(), "maskin_karnor": os.cpu_count(),
        "data": data, "besok": besok, "mal": mal, "processer": len(pids),
        "sessioner": a.sessioner, "floden": a.floden, "spridning_s": a.spridning,
        "kall": sammanfatta(kall.matningar),
        "interaktioner": per_namn,
        "fel": sum(r["fel"] for r in per_namn.values()),
        "vagg_s": vagg, "cpu_s": cpu, "karnor": cpu / vagg if vagg and cpu is not None else None,
        "cpu_ms_per_interaktion": 1000 * cpu / lyckade if lyckade and cpu is not None else None,
        "topp_rss_mb": topp_rss_mb_alla(pids),
    }
    res["mal_uppnatt"] = res["fel"] == 0 and all(
        r["p95_s"] is not None and r["p95_s"] < 2.0 for r in per_namn.values())
    print(tabell(res))
    a.ut.mkdir(parents=True, exist_ok=True)
    ut = a.ut / f"lasttest-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    ut.write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nRådata: {ut.relative_to(ROOT) if ut.is_relative_to(ROOT) else ut}")
    return 0 if res["fel"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
