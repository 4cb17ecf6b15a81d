"""Kartläggning's page model (vyer/kartlaggning.kartlaggning) against the invoice fixture: the cards,
tables, coverage and exports the page shows. Figures worked by hand in tests/test_kartlaggning.py."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from beslutsstod.data import db
from beslutsstod.inlasning import egna_nivaer
from beslutsstod.vyer import kartlaggning as kl
from beslutsstod.vyer.urval import Filter, Sammanhang
from tests.fixtures_faktura import write_faktura_fixture

F = Filter(2024, [], [], [], dt.date(2024, 12, 31))


@pytest.fixture(scope="module")
def faktura_db(tmp_path_factory) -> db.Database:
    return db.Database(write_faktura_fixture(tmp_path_factory.mktemp("vyer_kartlaggning")), hemkommun="1401",
                       momskompensation_procent=6.0)


def sammanhang(database, oppen_vy=False) -> Sammanhang:
    return Sammanhang(lambda n, p: database.query(n, p).to_pandas(), oppen_vy, 5, "1401")


def test_the_page_for_officials_with_one_own_rate(faktura_db, tmp_path):
    # Tanum's own hemtjänst rate 2024: 500 kr/h; we paid Tanum 400 kr/h → 80,0 %
    egna_nivaer.sokvag(tmp_path).parent.mkdir(parents=True)
    egna_nivaer.sokvag(tmp_path).write_text("kommunkod;ar;insats;kr_per_timme\n1435;2024;hemtjanst;500\n"
                                            "1435;2024;stadning;500\n", encoding="utf-8")
    vy = kl.kartlaggning(sammanhang(faktura_db), F, data_dir=tmp_path, momskompensation_procent=6.0)
    assert "Härrydas svar för 2024" in vy.inledning and vy.insats_notis is not None
    (rubrik1, kostnad), (rubrik2, intakt) = vy.kort
    # our decisions carried out by Tanum and Strömstad's own staff: 2 kommuner, 3 persons, 345 min
    assert [(k.etikett, k.varde) for k in kostnad] == [("Kommuner", "2"), ("Personer", "3"), ("Utförda timmar", "5,8")]
    assert [k.varde for k in intakt] == ["1", "1", "0,5"]  # g1 from Göteborg in Härryda, 30 min
    assert vy.omfattning[0].tabell["Personer"].tolist() == ["1", "1", "3", "5"]
    assert vy.ersattning[0].startswith("**Hemtjänst**: 400 kr/tim per utförd tid (alla utförare")
    assert [t.name for t in vy.ersattning_diagram.data] == ["Hemtjänst", "Kommunal primärvård"]
    # the saved table's bad row is reported with its file, row and column
    assert vy.egna_lasfel == ["Den sparade tabellen: Rad 3, kolumn insats: värdet 'stadning' är inte tillåtet i "
                              "insats; tillåtna värden är hemtjanst och kommunal_primarvard."]
    assert vy.egna_redigerbar["kommunkod"].tolist() == ["1435 Tanum"]
    tackning = vy.tackning.set_index(["Vistelsekommun", "Insats"])
    assert tackning.loc[("Tanum", "Hemtjänst"), "Täckningsgrad (%)"] == "80,0 %"
    assert tackning.loc[("Strömstad", "Hemtjänst"), "Täckningsgrad (%)"] == "–"
    assert vy.tackning_text.startswith("Känd egen nivå för 1 av 3 kommuner och insatser 2024.")
    svar = vy.svar.set_index("Fråga")["Svar"]
    assert svar["Kommuner som med egen personal verkställt våra beslut"] == "2"
    assert svar["Lägsta täckningsgrad"] == "80,0 %"
    bok = load_workbook(io.BytesIO(vy.svar_xlsx.data()))
    assert vy.svar_xlsx.filnamn == "kartlaggning_2024.xlsx" and bok.worksheets[0]["A1"].value == "Fråga"
    assert vy.egna_csv.data().startswith(b"\xef\xbb\xbfkommunkod;ar;insats")


def test_the_open_view_hides_few_persons_and_nothing_saved(faktura_db, tmp_path):
    vy = kl.kartlaggning(sammanhang(faktura_db, oppen_vy=True), F.__class__(2024, ["hemtjanst"], [], [],
                                                                                  F.sista_datum),
                         data_dir=tmp_path, momskompensation_procent=6.0)
    assert vy.insats_notis is None
    assert [k.varde for k in vy.kort[0][1]] == ["..", "..", ".."]  # 3 persons < 5
    assert vy.egna.empty and vy.egna_lasfel == []
    assert vy.tackning_text.startswith("Känd egen nivå för 0 av")
    assert any("färre än 5" in t for t in vy.omfattning_fotnoter)


def test_an_uploaded_file_names_its_problems():
    imp = kl.import_fil("kommunkod;ar;insats;kr_per_timme\n1435;2024;hemtjänst;512,5\n1435;2024;x;1\n"
                        .encode("cp1252"), "tanum.csv")
    assert imp.text == "Filen har 1 giltiga rader."
    assert imp.meddelanden == ["tanum.csv: Rad 3, kolumn insats: värdet 'x' är inte tillåtet i insats; tillåtna "
                               "värden är hemtjanst och kommunal_primarvard."]
