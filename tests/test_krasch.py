"""Issue 13, a crash: an import killed while reading, while writing or between two renames never
leaves a page showing half an import, is logged, and leaves no temporary file behind.

A real subprocess imports; the fault-injection hook lagra.testpunkt kills it with SIGKILL
at the chosen point (BESLUTSSTOD_TEST_AVBRYT_VID). Then the app's own start-up recovery runs
(datastatus.aterstall_om_avbruten, called by app.py before any query) and the app's DuckDB views
are queried.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from beslutsstod.data import datastatus, db
from beslutsstod.inlasning import lagra
from beslutsstod.inlasning.importflode import importera
from tests.test_ingest import TAXOR_CSV, UTFORARE_CSV, besok_csv, ny_datakatalog, skriv

ROOT = Path(__file__).resolve().parent.parent


def _lagrat_data(rot: Path) -> Path:
    """All five tables; besok: B1 in 2024 and B2 in 2025, 40 minutes each."""
    data_dir = ny_datakatalog(rot)
    for tabell, text in (("utforare", UTFORARE_CSV), ("ersattningsnivaer", TAXOR_CSV + (
            "2025-01-01;;hemtjanst;;454;utford;false;Socialnämnden Härryda;SN 2024 § 45;false\r\n")),
            ("besok", besok_csv(dict(besok_id="B1", datum="2024-07-03", utford_min="40"),
                                dict(besok_id="B2", datum="2025-07-03", utford_min="40"))),
            ("budget", "ar;manad;insats;budget_kr\r\n2025;;hemtjanst;100000\r\n"),
            ("vistelser", "brukare_id;bosattningskommun;vistelsekommun;fran;till\r\n"
                          "P1;1401;1407;2025-06-01;2025-08-01\r\n")):
        assert importera(tabell, skriv(rot, f"{tabell}.csv", text), data_dir).ok
    return data_dir


def _minuter(data_dir: Path) -> dict[str, int]:
    """utford_min per besok_id as the app's staging view reads it (what every page builds on)."""
    databas = db.Database(data_dir / "extracts", hemkommun="1401", momskompensation_procent=6.0)
    try:
        return dict(databas.cursor().execute(
            "select besok_id, utford_min from stg_besok_rad order by 1").fetchall())
    finally:
        databas.close()


def _importera_och_dod(data_dir: Path, fil: Path, stage: str) -> int:
    kod = ("import sys; from beslutsstod.inlasning.importflode import importera; "
           "importera('besok', sys.argv[1], sys.argv[2])")
    env = dict(os.environ, **{lagra.AVBRYT_MILJO: stage})
    proc = subprocess.run([sys.executable, "-c", kod, str(fil), str(data_dir)], cwd=ROOT, env=env,
                          capture_output=True, timeout=120)
    return proc.returncode


# Stage → (what the pages must show after the restart, logged status). The new file changes
# both years (40 → 50 minutes), so its commit renames two partitions: killed between them, the
# journal finishes the commit; killed before the commit, nothing changed.
FALL = {
    "lasning": ({"B1": 40, "B2": 40}, "avbruten"),
    "skrivning": ({"B1": 40, "B2": 40}, "avbruten"),
    "namnbyte": ({"B1": 50, "B2": 50}, "aterstalld"),
}


@pytest.mark.parametrize("stage", list(FALL))
def test_dodad_import_visar_gammalt_eller_nytt_och_loggas(tmp_path, stage):
    data_dir = _lagrat_data(tmp_path)
    ny = skriv(tmp_path, "besok_ny.csv", besok_csv(dict(besok_id="B1", datum="2024-07-03", utford_min="50"),
                                                    dict(besok_id="B2", datum="2025-07-03", utford_min="50")))
    logg_fore = len(lagra.las_importlogg(data_dir))

    assert _importera_och_dod(data_dir, ny, stage) == -signal.SIGKILL
    ext = data_dir / "extracts"
    if stage == "namnbyte":
        # The half-import really is on disk: 2024 renamed (50), 2025 not yet (40).
        assert _minuter(data_dir) == {"B1": 50, "B2": 40}
        assert (ext / "_pagaende_import.json").exists()
    assert (ext / "_pagaende_forsok.json").exists()

    # What app.py does first at every start, before any query.
    datastatus.aterstall_om_avbruten(data_dir)
    forvantat, status = FALL[stage]
    assert _minuter(data_dir) == forvantat
    logg = lagra.las_importlogg(data_dir)
    assert len(logg) == logg_fore + 1
    assert logg[-1]["status"] == status and logg[-1]["fil"] == "besok_ny.csv"
    assert logg[-1]["tabell"] == "besok"
    # No temporary file is left: not in the data folder, nor the attempt or journal files.
    assert not list(ext.rglob("*.tmp-*")) and not (ext / "_import_tmp").exists()
    assert not (ext / "_pagaende_forsok.json").exists() and not (ext / "_pagaende_import.json").exists()
    # The same file imported again afterwards gives the new data.
    assert importera("besok", ny, data_dir).ok
    assert _minuter(data_dir) == {"B1": 50, "B2": 50}


def test_appens_start_slutfor_halv_import_innan_nagon_sida_fragar(tmp_path, monkeypatch):
    """The app itself, not only the Data page, recovers: Översikt never sees a mixed state."""
    data_dir = _lagrat_data(tmp_path)
    ny = skriv(tmp_path, "besok_ny.csv", besok_csv(dict(besok_id="B1", datum="2024-07-03", utford_min="50"),
                                                    dict(besok_id="B2", datum="2025-07-03", utford_min="50")))
    assert _importera_och_dod(data_dir, ny, "namnbyte") == -signal.SIGKILL
    assert _minuter(data_dir) == {"B1": 50, "B2": 40}
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert _minuter(data_dir) == {"B1": 50, "B2": 50}
    assert lagra.las_importlogg(data_dir)[-1]["status"] == "aterstalld"


def test_import_som_avvisas_for_att_en_annan_pagar_loggas(tmp_path):
    data_dir = _lagrat_data(tmp_path)
    fore = len(lagra.las_importlogg(data_dir))
    with lagra.importlas(data_dir):  # another import is running
        resultat = importera("besok", skriv(tmp_path, "b.csv", besok_csv(dict(besok_id="B9"))), data_dir)
    assert not resultat.ok and resultat.filer[0].problem[0].kod == "import_pagar"
    logg = lagra.las_importlogg(data_dir)
    assert len(logg) == fore + 1
    assert logg[-1]["status"] == "avvisad" and logg[-1]["fil"] == "b.csv" and logg[-1]["antal_fel"] == 1


def test_importens_temporara_filer_ligger_i_datamappen(tmp_path, monkeypatch):
    """An upload's copy and DuckDB's spill files are written inside the data folder, never /tmp."""
    data_dir = _lagrat_data(tmp_path)
    sett: list[Path] = []
    original = lagra.testpunkt

    def spion(namn):
        if namn == "skrivning":
            sett.extend(p for p in (data_dir / "extracts" / "_import_tmp").rglob("*"))
        original(namn)

    monkeypatch.setattr(lagra, "testpunkt", spion)
    from beslutsstod.inlasning import importflode
    monkeypatch.setattr(importflode, "testpunkt", spion)
    from beslutsstod.inlasning.importflode import ImportFil, importera_flera
    ny = besok_csv(dict(besok_id="B3", datum="2024-08-01")).encode("utf-8")
    assert importera_flera([ImportFil("besok", innehall=ny, filnamn="upp.csv")], data_dir).ok
    assert any(p.name == "f0.csv" for p in sett)  # the uploaded bytes, under a generated name
    assert not (data_dir / "extracts" / "_import_tmp").exists()  # removed after the import
