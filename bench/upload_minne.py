"""Peak memory of an upload and import of a large besok CSV (issue 13), one command:

    .venv/bin/python bench/upload_minne.py            # 200 MB (2–5 min on 2 cores); target ≤ 500 MB
    .venv/bin/python bench/upload_minne.py --mb 2     # a smoke run (the test suite runs this size)

A fresh Python process per measurement (so its peak resident memory, VmHWM, is the import's):

- "uppladdning": the file's bytes are held in memory as Streamlit holds an upload (a BytesIO,
  Streamlit's UploadedFile is one), and handed to the import as the Data page does
  (ImportFil(strom=...)): copied to the data folder in 1 MB blocks, never duplicated in memory;
- "kommandorad": the same file imported from its path (python -m beslutsstod.inlasning.importflode).

The data folder holds utforare and ersattningsnivaer first, so every visit is checked in full.
Prints a table and writes bench/results/upload_minne.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MAL_MB = 500  # the target for a 200 MB upload
RAD = "B{i:09d};2024-{m:02d}-{d:02d};P{p:07d};1401;1407;U001;hemtjanst;45;40;302,67\r\n"

_BARN = r"""
import io, json, resource, sys, time
from pathlib import Path
from beslutsstod.inlasning.importflode import ImportFil, importera_flera
lage, fil, data_dir = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
start = time.monotonic()
if lage == "uppladdning":
    buffert = io.BytesIO(fil.read_bytes())  # what Streamlit holds for an uploaded file
    filer = [ImportFil("besok", strom=buffert, filnamn=fil.name)]
else:
    filer = [ImportFil("besok", sokvag=fil)]
r = importera_flera(filer, data_dir)
assert r.ok, r.rapport()[:2000]
with open("/proc/self/status") as f:
    hwm = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
print(json.dumps({"vmhwm_kb": hwm, "sekunder": time.monotonic() - start,
                  "rader": r.filer[0].rader_i_fil}))
"""


def skriv_csv(sokvag: Path, mb: float) -> int:
    """A valid besok CSV of about `mb` MB (1 MB = 1 048 576 bytes); returns its rows."""
    mal = int(mb * 1024 * 1024)
    rader = 0
    with open(sokvag, "w", encoding="utf-8", newline="") as f:
        f.write("besok_id;datum;brukare_id;bosattningskommun;vistelsekommun;utforare_id;insats;"
                "beviljad_min;utford_min;fakturerat_kr\r\n")
        storlek = 0
        block = []
        while storlek < mal:
            rad = RAD.format(i=rader, m=rader % 12 + 1, d=rader % 28 + 1, p=rader % 50_000)
            block.append(rad)
            storlek += len(rad)
            rader += 1
            if len(block) == 100_000:
                f.write("".join(block))
                block = []
        f.write("".join(block))
    return rader


def forbered(data_dir: Path, rot: Path) -> None:
    from beslutsstod.inlasning.importflode import importera
    from tests.test_ingest import TAXOR_CSV, UTFORARE_CSV, ny_datakatalog
    ny_datakatalog(rot)
    for tabell, text in (("utforare", UTFORARE_CSV), ("ersattningsnivaer", TAXOR_CSV)):
        p = rot / f"{tabell}.csv"
        p.write_text(text, encoding="utf-8")
        assert importera(tabell, p, data_dir).ok


def mat(mb: float, ut: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="upload-minne-") as tmp:
        rot = Path(tmp)
        fil = rot / "besok_stor.csv"
        rader = skriv_csv(fil, mb)
        resultat = {"mb": round(fil.stat().st_size / 1024 / 1024, 1), "rader": rader, "matningar": {}}
        for lage in ("uppladdning", "kommandorad"):
            data_dir = rot / "data"
            if data_dir.exists():
                import shutil
                shutil.rmtree(data_dir)
            forbered(data_dir, rot)
            proc = subprocess.run([sys.executable, "-c", _BARN, lage, str(fil), str(data_dir)],
                                  cwd=ROOT, capture_output=True, text=True, timeout=3600)
            if proc.returncode != 0:
                raise RuntimeError(proc.stderr[-3000:])
            data = json.loads(proc.stdout.strip().splitlines()[-1])
            resultat["matningar"][lage] = {"topp_mb": round(data["vmhwm_kb"] / 1024),
                                           "sekunder": round(data["sekunder"], 1)}
    if ut is not None:
        ut.parent.mkdir(parents=True, exist_ok=True)
        ut.write_text(json.dumps({**resultat, "tid": time.strftime("%Y-%m-%d %H:%M")}, indent=2))
    return resultat


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200.0, help="filens storlek i MB (standard 200)")
    args = parser.parse_args(argv)
    r = mat(args.mb, ROOT / "bench" / "results" / "upload_minne.json")
    print(f"Fil: {r['mb']} MB, {r['rader']} besök")
    print(f"{'sätt':<14}{'toppminne (MB)':>16}{'tid (s)':>10}")
    for lage, m in r["matningar"].items():
        print(f"{lage:<14}{m['topp_mb']:>16}{m['sekunder']:>10}")
    print(f"Mål för uppladdning: högst {MAL_MB} MB toppminne.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
