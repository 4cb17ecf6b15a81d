"""The page model of Data (beslutsstod.vyer.data.data and importresultat) on a copy of the demo data:
what is stored, the templates, and a refused import as the page shows it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from beslutsstod.inlasning import importflode
from beslutsstod.inlasning.schema import TABELLORDNING
from beslutsstod.vyer import data as datavy


@pytest.fixture()
def kopia(demo_data_dir: Path, tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir, data_dir)
    return data_dir


def test_stored_tables_templates_and_an_empty_log(kopia):
    vy = datavy.data(kopia, demo=True, pseudonym_nyckel=None)
    assert list(vy.statustabell["Tabell"]) == [t for t in TABELLORDNING if t in set(vy.statustabell["Tabell"])]
    besok = vy.statustabell.set_index("Tabell").loc["besok"]
    # the demo visits run from 2019 through the data's last day, with the March 2025 outage named
    assert besok["Till"] == "2026-10-31" and "mar 2025" in besok["Månader utan data"]
    assert vy.senaste_andring == datavy.INGEN_IMPORT and vy.importlogg is None and vy.avvisade == ()
    assert vy.demo == datavy.DEMO_INFO
    assert vy.nyckel_fel.startswith("Ingen nyckel för pseudonymisering")
    assert [f.tabell for f in vy.flikar] == list(TABELLORDNING)
    # templates are built on click: an .xlsx (a zip) and a ';'-separated .csv with the columns
    assert vy.flikar[0].mall_xlsx()[:2] == b"PK"
    assert ";" in vy.flikar[0].mall_csv().decode("utf-8-sig").splitlines()[0]
    assert datavy.att_importera([]) == ("", "Importera")
    assert datavy.att_importera([("besok", "b.csv"), ("budget", "x.xlsx")])[1] == "Importera 2 filer"


def test_a_refused_import_is_reported_and_changes_nothing(kopia, tmp_path):
    fore = datavy.data(kopia, demo=True, pseudonym_nyckel=None)
    fil = tmp_path / "besok.csv"
    fil.write_text("besok_id;datum\nb1;inte ett datum\n", encoding="utf-8")
    resultat = importflode.importera_flera([importflode.ImportFil(tabell="besok", strom=fil.open("rb"),
                                                                  filnamn="besok.csv")], kopia)
    rv = datavy.importresultat(resultat)
    assert rv.typ == "error" and "Ingenting har ändrats" in rv.text
    (fv,) = rv.filer
    assert fv.tabell == "besok" and fv.typ == "error" and fv.text.startswith("**besok** från besok.csv: avvisad")
    assert fv.problem is not None and len(fv.problem) >= 1 and "AVVISAD" in rv.rapport().decode("utf-8")
    efter = datavy.data(kopia, demo=True, pseudonym_nyckel=None)
    assert efter.statustabell.equals(fore.statustabell)  # the stored data are unchanged
    assert len(efter.importlogg) == 1 and efter.importlogg.iloc[0]["Resultat"] == "Avvisad"
    assert efter.avvisade and "avvisades" in efter.avvisade[0]
