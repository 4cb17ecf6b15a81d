"""What the Data page shows, from hand-built import results, log entries and table summaries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from beslutsstod.data import datastatus
from beslutsstod.inlasning.importflode import AVVISAD, EJ_GENOMFORD, GENOMFORD, OFORANDRAD, FilResultat, ImportResultat
from beslutsstod.inlasning.lagra import TabellStatus
from beslutsstod.inlasning.problem import problem
from beslutsstod.vyer import data as ds

LOGG_OK = {"tid": "2026-11-20T09:05:41+01:00", "tabell": "besok", "fil": "besok_okt.csv", "sha256": "ab" * 32,
           "status": GENOMFORD, "rader_i_fil": 120, "tillagda": 100, "ersatta": 20, "oforandrade": 0,
           "borttagna": 0, "avvisade": 0, "antal_fel": 0, "antal_varningar": 1}
LOGG_AVVISAD = {**LOGG_OK, "tid": "2026-11-21T10:00:00+01:00", "fil": "besok_nov.csv", "sha256": "cd" * 32,
                "status": AVVISAD, "tillagda": 0, "ersatta": 0, "avvisade": 3, "antal_fel": 4}


def status(tabell: str, **andring) -> TabellStatus:
    grund = dict(tabell=tabell, rader=0, forsta_datum=None, sista_datum=None, manader_utan_data=[],
                 senaste_import=None, senaste_forsok=None, filer=0)
    return TabellStatus(**{**grund, **andring})


def test_status_table_has_one_row_per_table_in_import_order():
    statusar = [
        status("besok", rader=44047, forsta_datum=dt.date(2019, 1, 24), sista_datum=dt.date(2026, 10, 31),
               manader_utan_data=["2025-03"], senaste_import=LOGG_OK, senaste_forsok=LOGG_OK, filer=8),
        status("utforare", rader=26, filer=1),
        status("budget"), status("vistelser"), status("ersattningsnivaer"),
    ]
    tabell = ds.statustabell(statusar)
    assert list(tabell["Tabell"]) == ["utforare", "ersattningsnivaer", "budget", "vistelser", "besok"]
    besok = tabell.iloc[4]
    assert besok["Rader"] == "44\xa0047" and (besok["Från"], besok["Till"]) == ("2019-01-24", "2026-10-31")
    assert besok["Månader utan data"] == "mar 2025"
    assert tabell.iloc[0].to_dict() == {"Tabell": "utforare", "Rader": "26", "Från": "", "Till": "",
                                        "Månader utan data": ""}

    imp = ds.importtabell(statusar)
    assert list(imp["Tabell"]) == list(tabell["Tabell"])
    assert imp.iloc[4].to_dict() == {"Tabell": "besok", "Senaste import": "2026-11-20 09:05", "Fil": "besok_okt.csv",
                                     "Tillagda": "100", "Ersatta": "20", "Avvisade": "0",
                                     "Kontrollsumma": "abababababab…"}  # the first 12 of 64 hex characters
    assert set(imp.iloc[0].drop("Tabell")) == {""}  # never imported


def test_many_months_without_data_are_cut_and_counted():
    manader = [f"2024-{m:02d}" for m in range(1, 9)]  # jan–aug: 8 months, 6 named
    assert ds._manader(manader) == "jan 2024, feb 2024, mar 2024, apr 2024, maj 2024, jun 2024 … (8 månader)"


def test_a_refusal_after_the_last_import_is_pointed_out():
    # refused after the last import → said; an older refusal followed by a success → not said
    senare = status("besok", senaste_import=LOGG_OK, senaste_forsok=LOGG_AVVISAD)
    tidigare = status("budget", senaste_import={**LOGG_OK, "tid": "2026-11-22T08:00:00+01:00"},
                      senaste_forsok={**LOGG_OK, "tid": "2026-11-22T08:00:00+01:00"})
    texter = ds.avvisade_forsok([senare, tidigare])
    assert texter == ["Senaste försöket att importera **besok** (besok\\_nov.csv, 2026-11-21 10:00) avvisades; "
                      "det som är lagrat är oförändrat."]


def test_log_is_latest_first_with_swedish_results_and_full_checksum():
    logg = ds.loggtabell([LOGG_OK, LOGG_AVVISAD])
    assert list(logg["Fil"]) == ["besok_nov.csv", "besok_okt.csv"]
    assert list(logg["Resultat"]) == ["Avvisad", "Genomförd"]
    assert logg.iloc[0]["Avvisade rader"] == 3 and logg.iloc[0]["Fel"] == 4
    assert logg.iloc[1]["Kontrollsumma (SHA-256)"] == "ab" * 32
    assert ds.loggtabell([]).empty


def refused() -> FilResultat:
    fel = [problem("besök.csv", "inte_tal", rad=2, kolumn="utford_min", varde="sextio"),
           problem("besök.csv", "okand_kommun", rad=3, kolumn="bosattningskommun", varde="9999"),
           problem("besök.csv", "kommun_nolla", rad=3, kolumn="vistelsekommun", varde="584", info1="0584")]
    return FilResultat(tabell="besok", fil="besök.csv", status=AVVISAD, problem=fel, antal_fel=2,
                       antal_varningar=1, avvisade=2, rader_i_fil=2, sha256="ef" * 32, kodning="Windows-1252",
                       avgransare=";", decimal=",")


def test_problem_table_has_file_row_column_value_and_why():
    tabell = ds.problemtabell(refused())
    assert list(tabell.columns) == ["Fil", "Rad", "Kolumn", "Värde", "Varför", "Typ"]
    assert tabell.iloc[0].to_dict() == {"Fil": "besök.csv", "Rad": 2, "Kolumn": "utford_min", "Värde": "sextio",
                                        "Varför": "Värdet 'sextio' är inte ett tal.", "Typ": "Fel"}
    assert list(tabell["Typ"]) == ["Fel", "Fel", "Varning"]


def test_headlines_say_what_happened_to_the_stored_data():
    assert ds.rubrik(refused()) == (
        "error", "**besok** från besök.csv: avvisad – ingenting har ändrats. 2 fel och 1 varning på 2 rader.")
    klar = FilResultat(tabell="besok", fil="b.csv", status=GENOMFORD, tillagda=1234, ersatta=2, oforandrade=0)
    assert ds.rubrik(klar) == ("success", "**besok** från b.csv: importerad. Tillagda 1\xa0234, ersatta 2, "
                                          "oförändrade 0, borttagna 0.")
    samma = FilResultat(tabell="utforare", fil="u.csv", status=OFORANDRAD, oforandrade=26)
    assert ds.rubrik(samma)[1] == "**utforare** från u.csv: samma innehåll som redan är lagrat (26 rader); " \
                                  "ingenting behövde ändras."
    assert ds.rubrik(FilResultat(tabell="budget", fil="b.xlsx", status=EJ_GENOMFORD))[0] == "warning"

    assert ds.slutsats(ImportResultat([refused()]))[0] == "error"
    assert "Ingenting har ändrats" in ds.slutsats(ImportResultat([refused()]))[1]
    assert ds.slutsats(ImportResultat([klar], dataversion="abc")) == (
        "success", "Importen är klar. Sidorna visar nu de nya uppgifterna.")
    assert "inget nytt" in ds.slutsats(ImportResultat([samma]))[1]


def test_details_name_how_the_file_was_read():
    assert ds.detaljer(refused()) == ("2 datarader lästa (teckenkodning Windows\\-1252, avgränsare semikolon, "
                                      "decimalkomma). Kontrollsumma (SHA-256): " + "ef" * 32)
    r = refused()
    r.antal_fel = 10_002  # ingest returns at most 10 000 problems as records and counts the rest
    assert ds.utelamnade_problem(refused()) is None
    assert ds.utelamnade_problem(r) == ("Tabellen visar de första 3 problemen; ytterligare 10\xa0000 räknades men "
                                        "visas inte (rapporten räknar dem per slag).")  # 10 002 + 1 − 3


def test_key_problem_explains_a_missing_or_short_key():
    assert "Ingen nyckel" in ds.nyckel_problem("")
    assert "för kort (5 byte)" in ds.nyckel_problem("hemli")
    assert ds.nyckel_problem("x" * 16) is None  # 16 bytes is the minimum (pseudonym.MIN_NYCKEL_BYTES)


def test_missing_tables_and_recovery_that_writes_nothing_when_there_is_nothing_to_do(tmp_path: Path):
    ext = tmp_path / "extracts"
    assert datastatus.saknade_tabeller(tmp_path) == ["utforare", "ersattningsnivaer", "budget", "vistelser", "besok"]
    assert datastatus.aterstall_om_avbruten(tmp_path) is False and not ext.exists()
    (ext / "besok" / "ar=2024").mkdir(parents=True)
    (ext / "besok" / "ar=2024" / "besok.parquet").write_bytes(b"x")
    (ext / "budget.parquet").write_bytes(b"x")
    assert datastatus.saknade_tabeller(tmp_path) == ["utforare", "ersattningsnivaer", "vistelser"]
    fore = sorted(p.name for p in ext.rglob("*"))
    assert datastatus.aterstall_om_avbruten(tmp_path) is False
    assert sorted(p.name for p in ext.rglob("*")) == fore  # no lock file either


def test_recovery_finishes_an_interrupted_commit(tmp_path: Path):
    # A crash after the journal was written: the rename it lists is done and stray temp files go.
    ext = tmp_path / "extracts"
    ext.mkdir()
    (ext / "budget.parquet").write_bytes(b"gammal")
    (ext / "budget.parquet.tmp-1").write_bytes(b"ny")
    (ext / "vistelser.parquet.tmp-2").write_bytes(b"over")  # not in the journal: stray
    (ext / "_pagaende_import.json").write_text(json.dumps([{"mal": "budget.parquet", "tmp": "budget.parquet.tmp-1"}]))
    assert datastatus.aterstall_om_avbruten(tmp_path) is True
    assert (ext / "budget.parquet").read_bytes() == b"ny"
    assert not list(ext.glob("*.tmp-*")) and not (ext / "_pagaende_import.json").exists()
