"""Kartläggning: scope per direction with small-number protection, the compensation design and the
coverage ratio against the vistelsekommuner's own rates (their CSV: tests/test_egna_nivaer.py).
Expected values are computed by hand from tests/fixtures_faktura.py (400 kr/h hemtjänst 2024)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from beslutsstod.data import db
from beslutsstod.diagram import kartlaggning as diagram_kartlaggning
from beslutsstod.dokument import tabellfil
from beslutsstod.inlasning import egna_nivaer
from beslutsstod.vyer import kartlaggning as kl
from tests.fixtures_faktura import write_faktura_fixture
from tests.test_egna_nivaer import CSV_SV

ALLA = dict(insatser=[], regier=[], kommuner=[])


@pytest.fixture(scope="module")
def faktura_db(tmp_path_factory) -> db.Database:
    return db.Database(write_faktura_fixture(tmp_path_factory.mktemp("kartlaggning")), hemkommun="1401",
                       momskompensation_procent=6.0)


def omfattning(faktura_db, **extra) -> pd.DataFrame:
    return faktura_db.query("kartlaggning/omfattning", dict(ar=2024, **ALLA) | extra).to_pandas()


def test_scope_per_direction_and_regi(faktura_db):
    rader = omfattning(faktura_db)
    got = {(r.riktning, None if r.is_totalt else r.regi): (r.antal_kommuner, r.antal_personer, r.antal_besok,
                                                           r.utford_timmar, r.beviljad_timmar, r.belopp_kr)
           for r in rader.itertuples()}
    assert got == {
        # B12: x9 in Mölndal by our own staff, 1 h × 400
        ("kostnad", "egen_regi"): (1, 1, 1, pytest.approx(1.0), pytest.approx(1.0), pytest.approx(400.0)),
        # B09 B10 D01 B11 (a3, Göteborg): utförd 45+30+30+30 = 135 min, beviljad 150 min; 318 + 3 × 212 = 954
        ("kostnad", "privat"): (1, 1, 4, pytest.approx(2.25), pytest.approx(2.5), pytest.approx(954.0)),
        # B01–B05 in Tanum and B06–B08 in Strömstad; a1, a4, a2; utförd 60+30+45+30+30+60+30+60 = 345 min,
        # beviljad 360 min; 400+200+300+200 + 400+200+400 = 2 100 (B05 has no rate: missing, not 0)
        ("kostnad", "vistelsekommun"): (2, 3, 8, pytest.approx(5.75), pytest.approx(6.0), pytest.approx(2100.0)),
        # 4 municipalities, 5 persons, 540 min, 570 min, 3 454 kr
        ("kostnad", None): (4, 5, 13, pytest.approx(9.0), pytest.approx(9.5), pytest.approx(3454.0)),
        # B13: g1 from Göteborg in Härryda, 0,5 h × 400
        ("intakt", "egen_regi"): (1, 1, 1, pytest.approx(0.5), pytest.approx(0.5), pytest.approx(200.0)),
        ("intakt", None): (1, 1, 1, pytest.approx(0.5), pytest.approx(0.5), pytest.approx(200.0)),
    }
    assert rader.loc[rader["riktning"].eq("kostnad") & rader["is_totalt"], "antal_besok_utan_niva"].item() == 1


def test_scope_follows_filters(faktura_db):
    rader = omfattning(faktura_db, insatser=["kommunal_primarvard"])
    assert set(rader["riktning"]) == {"kostnad"} and rader["antal_besok"].tolist() == [1, 1]  # B05 only


def test_scope_tables_are_protected_in_the_open_view(faktura_db):
    rader = omfattning(faktura_db)
    kostnad = kl.omfattning_tabell(rader, "kostnad", oppen_vy=True, smatal_grans=5)
    assert kostnad.data["Regi"].tolist() == ["Egen regi", "Privat (LOV/avtal)", "Vistelsekommunen", "Totalt"]
    # 1, 1 and 3 persons are hidden with all their figures; the total describes 5 and is shown
    assert kostnad.mask["Personer"].tolist() == [True, True, True, False]
    assert kostnad.mask["Kostnad, beräknad (kr)"].tolist() == [True, True, True, False]
    assert not kostnad.mask["Regi"].any()
    visad = kl.visa_omfattning(kostnad)
    assert visad.iloc[0]["Personer"] == ".." and visad.iloc[3]["Utförda timmar"] == "9,0"
    assert visad.iloc[3]["Kostnad, beräknad (kr)"] == "3\xa0454 kr"  # babel groups with a no-break space
    intakt = kl.omfattning_tabell(rader, "intakt", oppen_vy=True, smatal_grans=5)
    assert intakt.mask["Personer"].all()  # 1 person, total included
    detalj = kl.omfattning_tabell(rader, "kostnad", oppen_vy=False, smatal_grans=5)
    assert not detalj.any_masked

    svar = kl.omfattning_svar(kostnad, intakt)
    texter = {s.fraga: s.text for s in svar}
    assert texter["Kommuner som med egen personal verkställt våra beslut"] == ".."
    assert texter["Vistelsekommuner där våra invånare fått insatser, alla utförare"] == "4"
    assert texter["Utförda timmar i en annan kommun, alla utförare"] == "9,0"
    assert texter["Kommuner vars beslut vi verkställt"] == ".."
    detalj_svar = {s.fraga: s.text for s in kl.omfattning_svar(detalj, kl.omfattning_tabell(rader, "intakt", False, 5))}
    assert detalj_svar["Kommuner som med egen personal verkställt våra beslut"] == "2"
    assert detalj_svar["Personer vars beslut en annan kommun verkställt"] == "3"
    assert detalj_svar["Utförda timmar åt andra kommuner"] == "0,5"


def test_empty_direction_gives_zero_answers(faktura_db):
    rader = omfattning(faktura_db, insatser=["kommunal_primarvard"])  # no revenue rows
    intakt = kl.omfattning_tabell(rader, "intakt", oppen_vy=True, smatal_grans=5)
    assert intakt.data.empty
    svar = {s.fraga: s for s in kl.omfattning_svar(kl.omfattning_tabell(rader, "kostnad", True, 5), intakt)}
    assert svar["Kommuner vars beslut vi verkställt"].text == "0"


def test_compensation_design(faktura_db):
    nivaer = faktura_db.query("kartlaggning/ersattningsnivaer", {"ar": 2024}).to_pandas()
    assert nivaer["is_valt_ar"].tolist() == [True, True]
    rader = kl.ersattning_beskrivning(nivaer, 2024, 6.0)
    assert rader[0] == ("**Hemtjänst**: 400 kr/tim per utförd tid (alla utförare, från 2024-01-01), exklusive "
                        "momskompensation: privata utförare får 6 % extra, kommuner inte. Källa: Fixtur\\: hemtjänst. "
                        "Beslut: SN 2023\\-12\\-01 § 1.")
    assert rader[1].startswith("**Kommunal primärvård**: 800 kr/tim per utförd tid (alla utförare, från 2024-03-01)")
    ingen = kl.ersattning_beskrivning(faktura_db.query("kartlaggning/ersattningsnivaer", {"ar": 2023}).to_pandas(),
                                      2023, 6.0)
    assert ingen[0] == "**Hemtjänst**: ingen beslutad nivå för 2023 i ersättningsnivåerna."
    tabell = kl.visa_nivatabell(nivaer)
    assert tabell.iloc[0][["Ersättningsnivå (kr/tim)", "Giltig till", "Momskompensation"]].tolist() == [
        "400,00 kr", "tills vidare", "ingår inte"]
    fig = diagram_kartlaggning.ersattningsniva_over_tid(nivaer, 2024)
    assert [t.name for t in fig.data] == ["Hemtjänst", "Kommunal primärvård"]
    assert list(fig.data[0].y) == [400.0, 400.0]  # one level, drawn as a step to the end of 2024


def test_coverage_ratio(faktura_db):
    per_kommun = faktura_db.query("kartlaggning/per_vistelsekommun",
                                  dict(ar=2024, insatser=[], kommuner=[])).to_pandas()
    # Tanum hemtjänst: B01–B04 1 100 kr over 60+30+45+30 = 165 min → 400 kr/h; Strömstad 1 000 kr / 2,5 h = 400;
    # Tanum primärvård: B05 has no rate, so nothing was paid per hour
    got = {(r.kommunkod, r.insats): r.betald_kr_per_timme for r in per_kommun.itertuples()}
    assert got[("1435", "hemtjanst")] == pytest.approx(400.0)
    assert got[("1486", "hemtjanst")] == pytest.approx(400.0)
    assert pd.isna(got[("1435", "kommunal_primarvard")])
    egna, _ = egna_nivaer.las(CSV_SV.encode("utf-8"), "egna.csv")
    tackning = kl.tackning(per_kommun, egna, 2024, 6.0)
    rader = tackning.set_index(["Vistelsekommun", "Insats"])
    assert list(rader.index) == [("Strömstad", "Hemtjänst"), ("Tanum", "Hemtjänst"), ("Tanum", "Kommunal primärvård")]
    # Strömstad's own 424 kr/h includes momskompensation: 424 / 1,06 = 400 → 400 / 400 = 100 %
    assert rader.loc[("Strömstad", "Hemtjänst"), "Egen nivå exkl. momskompensation (kr/tim)"] == pytest.approx(400.0)
    assert rader.loc[("Strömstad", "Hemtjänst"), "Täckningsgrad (%)"] == pytest.approx(100.0)
    # Tanum 2024: 400 / 500 = 80 % (its 2023 rate of 480 is not used for 2024)
    assert rader.loc[("Tanum", "Hemtjänst"), "Täckningsgrad (%)"] == pytest.approx(80.0)
    assert pd.isna(rader.loc[("Tanum", "Kommunal primärvård"), "Täckningsgrad (%)"])
    visad = kl.visa_tackning(tackning)
    assert visad.iloc[1]["Täckningsgrad (%)"] == "80,0 %" and visad.iloc[2]["Täckningsgrad (%)"] == "–"
    bara_tanum = kl.tackning(per_kommun, egna.loc[egna["kommunkod"] == "1435"], 2024, 6.0)
    assert list(zip(bara_tanum["Vistelsekommun"], bara_tanum["Insats"])) == [
        ("Tanum", "Hemtjänst"), ("Strömstad", "Hemtjänst"), ("Tanum", "Kommunal primärvård")]  # known first
    utan = kl.tackning(per_kommun, egna_nivaer.tom(), 2024, 6.0)
    assert utan["Täckningsgrad (%)"].isna().all()  # unknown own rate: missing, never 0 or 100

    svar = kl.tackning_svar(tackning)
    assert [(s.fraga, s.varde, s.kommentar) for s in svar] == [
        ("Vistelsekommuner (och insatser) med känd egen nivå", 2.0, "av 3 som verkställt våra beslut"),
        ("Lägsta täckningsgrad", pytest.approx(80.0), ""),
        ("Högsta täckningsgrad", pytest.approx(100.0), ""),
    ]
    assert kl.visa_svar(svar)["Svar"].tolist() == ["2", "80,0 %", "100,0 %"]


def test_answers_export_keeps_hidden_cells_hidden(faktura_db):
    rader = omfattning(faktura_db)
    svar = kl.omfattning_svar(kl.omfattning_tabell(rader, "kostnad", True, 5),
                              kl.omfattning_tabell(rader, "intakt", True, 5))
    meta = tabellfil.build_metadata("test", "År 2024", True, "2024-12-31", True)
    bok = load_workbook(io.BytesIO(tabellfil.to_xlsx(kl.svarstabell(svar, 5), titel="Kartläggning", metadata=meta)))
    blad = bok.worksheets[0]
    varden = {blad.cell(row=r, column=1).value: blad.cell(row=r, column=2).value for r in range(2, blad.max_row + 1)}
    assert varden["Kommuner som med egen personal verkställt våra beslut"] == ".."
    assert varden["Personer med insatser i en annan kommun, alla utförare"] == 5
    assert "färre än 5 personer" in bok["Om tabellen"]["B9"].value
