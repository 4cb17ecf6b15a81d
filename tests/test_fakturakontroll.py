"""Fakturakontroll: the SQL flags and deviations on a fixture with one case of every flag, and the
worklist logic (status, tolerance, order) and tables. Expected values are computed by hand from
tests/fixtures_faktura.py (400 kr/h hemtjänst, momskompensation 6 %)."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from beslutsstod.data import db
from beslutsstod.dokument import tabellfil
from beslutsstod.vyer import fakturakontroll as fk
from tests.fixtures_faktura import write_faktura_fixture

ALLA = dict(insatser=[], regier=[], kommuner=[])
FLAGGOR = ["momskompensation_kommun", "annan_grund", "annat_timpris", "over_beviljad", "utanfor_vistelse",
           "mojlig_dubblett", "utan_niva"]


@pytest.fixture(scope="module")
def faktura_db(tmp_path_factory) -> db.Database:
    return db.Database(write_faktura_fixture(tmp_path_factory.mktemp("faktura")), hemkommun="1401",
                       momskompensation_procent=6.0)


def params(**extra):
    return dict(ar=2024, tolerans_procent=1.0, avrundning_kr=fk.AVRUNDNING_KR, **ALLA) | extra


def lista_rader(faktura_db, **extra) -> pd.DataFrame:
    return faktura_db.query("fakturakontroll/arbetslista", params(**extra)).to_pandas()


def rad(rader: pd.DataFrame, utforare: str, insats: str, manad: int) -> dict:
    hit = rader.loc[(rader["utforare_id"] == utforare) & (rader["insats"] == insats) & (rader["manad"] == manad)]
    assert len(hit) == 1
    return hit.iloc[0].to_dict()


def flaggor(r: dict) -> dict:
    return {f: int(r[f"antal_{f}"]) for f in FLAGGOR if r[f"antal_{f}"]}


def test_worklist_rows_are_payee_insats_month_without_own_staff_or_revenues(faktura_db):
    rader = lista_rader(faktura_db)
    assert list(zip(rader["utforare_id"], rader["insats"], rader["manad"])) == [
        ("P1", "hemtjanst", 7), ("P1", "hemtjanst", 9),  # Privat Omsorg AB
        ("V1486", "hemtjanst", 7), ("V1486", "hemtjanst", 8),  # Strömstads kommun
        ("V1435", "hemtjanst", 7), ("V1435", "hemtjanst", 8), ("V1435", "kommunal_primarvard", 2),  # Tanums kommun
    ]  # E1 (egen regi, B12) and B13 (revenue side) are not there; B14 is 2023


def test_private_payee_billing_granted_time_and_a_duplicate(faktura_db):
    r = rad(lista_rader(faktura_db), "P1", "hemtjanst", 7)
    # B09 424 + B10 212 + D01 212
    assert r["fakturerat_kr"] == pytest.approx(848.00)
    # B09 0,75 h × 400 × 1,06 = 318; B10 and D01 0,5 × 400 × 1,06 = 212 each
    assert r["forvantat_kr"] == pytest.approx(742.00)
    assert r["avvikelse_kr"] == pytest.approx(106.00)
    # invoiced hours 424/(400×1,06) + 212/424 + 212/424 = 1 + 0,5 + 0,5; granted 60+30+30 min
    assert (r["fakturerade_timmar"], r["beviljade_timmar"]) == (pytest.approx(2.0), pytest.approx(2.0))
    # per utförd hour without the moms factor: 848/1,06 = 800 kr over 105 min = 1,75 h → 457,14; 742/1,06/1,75 = 400
    assert r["implicit_kr_per_timme"] == pytest.approx(800 / 1.75)
    assert r["beslutad_kr_per_timme"] == pytest.approx(400.0)
    assert flaggor(r) == {"annan_grund": 1, "mojlig_dubblett": 1}  # not "annat timpris": the pattern explains it
    assert r["mojlig_dubblett_kr"] == pytest.approx(212.0)
    assert (r["antal_besok"], r["antal_fakturerade"], r["antal_ej_fakturerade"], r["antal_flaggade"]) == (3, 3, 0, 2)


def test_not_yet_invoiced_is_no_deviation(faktura_db):
    r = rad(lista_rader(faktura_db), "P1", "hemtjanst", 9)
    assert (r["antal_fakturerade"], r["antal_ej_fakturerade"]) == (0, 1)
    assert pd.isna(r["fakturerat_kr"]) and pd.isna(r["avvikelse_kr"]) and pd.isna(r["forvantat_kr"])
    assert r["ej_fakturerat_forvantat_kr"] == pytest.approx(212.0)  # 0,5 × 400 × 1,06
    assert flaggor(r) == {}


def test_municipality_adding_momskompensation(faktura_db):
    r = rad(lista_rader(faktura_db), "V1486", "hemtjanst", 7)
    # B06 424 (= 400 × 1,06) + B07 200, expected 400 + 200
    assert (r["fakturerat_kr"], r["forvantat_kr"], r["avvikelse_kr"]) == (
        pytest.approx(624.0), pytest.approx(600.0), pytest.approx(24.0))
    # hours with the momskompensation removed: 424/(400×1,06) + 200/400 = 1,5 = granted: no "fler timmar"
    assert r["fakturerade_timmar"] == pytest.approx(1.5)
    assert flaggor(r) == {"momskompensation_kommun": 1}


def test_small_deviation_carries_no_flag(faktura_db):
    r = rad(lista_rader(faktura_db), "V1486", "hemtjanst", 8)
    assert r["avvikelse_kr"] == pytest.approx(0.50)  # 400,50 − 400
    # implied 400,50 kr/h is 0,125 % off, below the 1 % tolerance
    assert flaggor(r) == {}


def test_other_rate_hours_above_granted_outside_stay_and_no_rate(faktura_db):
    rader = lista_rader(faktura_db)
    juli = rad(rader, "V1435", "hemtjanst", 7)
    # B01 400 + B02 240 + B03 300; expected 400 + 200 + 300
    assert (juli["fakturerat_kr"], juli["forvantat_kr"], juli["avvikelse_kr"]) == (
        pytest.approx(940.0), pytest.approx(900.0), pytest.approx(40.0))
    # B02: 240 kr for 0,5 utförd h = 480 kr/h (20 % off). B03: a4 invoiced 300/400 = 0,75 h, granted 0,5 h.
    # a1's July: 400/400 + 240/400 = 1,6 h against 2 h granted: not above.
    assert flaggor(juli) == {"annat_timpris": 1, "over_beviljad": 1}
    assert juli["implicit_kr_per_timme"] == pytest.approx(940 / 2.25)  # 60+30+45 min = 2,25 h
    assert rad(rader, "V1435", "hemtjanst", 8)["antal_utanfor_vistelse"] == 1  # B04 on 08-05, stay ended 07-31
    feb = rad(rader, "V1435", "kommunal_primarvard", 2)
    assert flaggor(feb) == {"utan_niva": 1}  # B05: invoiced, no primärvård rate before March
    assert feb["fakturerat_kr"] == pytest.approx(400.0)
    assert pd.isna(feb["forvantat_kr"]) and pd.isna(feb["avvikelse_kr"])


def test_tolerance_percent_decides_the_rate_flag(faktura_db):
    # B08 is 0,125 % above the rate: a tolerance of 0,1 % flags it, 1 % (above) does not. Read as
    # hours it is 400,50/400 = 1,00125 h against 1 h granted × 1,001: above too.
    r = rad(lista_rader(faktura_db, tolerans_procent=0.1), "V1486", "hemtjanst", 8)
    assert flaggor(r) == {"annat_timpris": 1, "over_beviljad": 1}
    # B02 (20 % off) is not flagged with a tolerance of 25 %
    r = rad(lista_rader(faktura_db, tolerans_procent=25.0), "V1435", "hemtjanst", 7)
    assert "annat_timpris" not in flaggor(r)


def test_filters_and_year(faktura_db):
    rader = lista_rader(faktura_db, regier=["privat"])
    assert set(rader["utforare_id"]) == {"P1"}
    rader = lista_rader(faktura_db, kommuner=["1486"])
    assert set(rader["utforare_id"]) == {"V1486"}
    rader = lista_rader(faktura_db, ar=2023)
    assert list(rader["utforare_id"]) == ["V1435"]
    assert flaggor(rader.iloc[0].to_dict()) == {"utan_niva": 1, "utanfor_vistelse": 1}  # B14: no rate, no stay


def besok(faktura_db, utforare, endast_avvikande):
    return faktura_db.query("fakturakontroll/besok", params(utforare_id=utforare,
                                                            endast_avvikande=endast_avvikande)).to_pandas()


def test_visits_of_one_payee_with_their_flags(faktura_db):
    alla = besok(faktura_db, "V1435", False)
    assert list(alla["besok_id"]) == ["B05", "B01", "B02", "B03", "B04"]  # by date
    b02 = alla.set_index("besok_id").loc["B02"]
    assert b02["implicit_kr_per_timme"] == pytest.approx(480.0)
    assert b02["fakturerade_min"] == pytest.approx(36.0)  # 240/400 h
    assert b02["avvikelse_kr"] == pytest.approx(40.0)
    assert bool(b02["is_annat_timpris"]) and not bool(b02["is_over_beviljad"])
    b03 = alla.set_index("besok_id").loc["B03"]
    assert bool(b03["is_over_beviljad"]) and b03["avvikelse_kr"] == pytest.approx(0.0)
    # only visits with a flag or a deviation: B01 is right and drops out
    assert list(besok(faktura_db, "V1435", True)["besok_id"]) == ["B05", "B02", "B03", "B04"]
    p1 = besok(faktura_db, "P1", True).set_index("besok_id")
    assert list(p1.index) == ["B09", "D01"]  # B10 is the original; B11 is not invoiced and unflagged
    assert bool(p1.loc["B09", "is_annan_grund"]) and bool(p1.loc["D01", "is_mojlig_dubblett"])


# --- the worklist logic ---------------------------------------------------------------------


def test_status_and_order(faktura_db):
    lista = fk.arbetslista(lista_rader(faktura_db), tolerans_kr=100.0, tolerans_procent=1.0)
    got = list(zip(lista["utforare_id"], lista["manad"], lista["status"]))
    assert got == [
        ("P1", 7, fk.STATUS_GRANSKA),  # 106 kr ≥ 100 and 14,3 % ≥ 1 %: the only one beyond tolerance, first
        ("V1435", 7, fk.STATUS_GRANSKA),  # two flags
        ("V1486", 7, fk.STATUS_GRANSKA),  # one flag each, then by name, insats, month
        ("V1435", 8, fk.STATUS_GRANSKA),
        ("V1435", 2, fk.STATUS_GRANSKA),
        ("P1", 9, fk.STATUS_EJ_FAKTURERAT),
        ("V1486", 8, fk.STATUS_OK),  # 0,50 kr
    ]
    forsta = lista.iloc[0]
    assert forsta["avvikelse_procent"] == pytest.approx(106 / 742 * 100)
    assert forsta["orsaker"] == "Avvikelse +106 kr (+14,3 %); fel tidsgrund: 1 besök; möjlig dubblett: 1 besök"
    assert lista.loc[lista["manad"] == 9, "orsaker"].item() == "1 besök ej fakturerade"


def test_tolerances_in_kr_and_percent(faktura_db):
    rader = lista_rader(faktura_db)
    status = lambda lista: dict(zip(zip(lista["utforare_id"], lista["manad"]), lista["status"]))  # noqa: E731
    # B08's 0,50 kr is 0,125 %: both tolerances must be exceeded
    assert status(fk.arbetslista(rader, 0.1, 0.1))[("V1486", 8)] == fk.STATUS_GRANSKA
    assert status(fk.arbetslista(rader, 1.0, 0.1))[("V1486", 8)] == fk.STATUS_OK
    assert status(fk.arbetslista(rader, 0.1, 0.2))[("V1486", 8)] == fk.STATUS_OK
    # with no flag chosen only P1's July (beyond both tolerances) is left to review
    utan_flaggor = status(fk.arbetslista(rader, 100.0, 1.0, flaggor=[]))
    assert [k for k, s in utan_flaggor.items() if s == fk.STATUS_GRANSKA] == [("P1", 7)]
    # Strömstad's July (24 kr, 4 %) comes back with a kr tolerance of 20
    assert status(fk.arbetslista(rader, 20.0, 1.0, flaggor=[]))[("V1486", 7)] == fk.STATUS_GRANSKA
    # choosing only "möjlig dubblett" keeps P1 (also beyond tolerance) and drops Tanum's rows
    bara_dubbletter = status(fk.arbetslista(rader, 100.0, 1.0, flaggor=["mojlig_dubblett"]))
    assert bara_dubbletter[("V1435", 7)] == fk.STATUS_OK


def test_summary(faktura_db):
    s = fk.sammanfattning(fk.arbetslista(lista_rader(faktura_db), 100.0, 1.0))
    assert s.fakturerat_kr == pytest.approx(848 + 624 + 400.5 + 940 + 200 + 400)  # 3 412,50
    assert s.forvantat_kr == pytest.approx(742 + 600 + 400 + 900 + 200)  # 2 842 (B05 has none)
    assert s.avvikelse_kr == pytest.approx(106 + 24 + 0.5 + 40 + 0)  # 170,50
    assert s.avvikelse_procent == pytest.approx(170.5 / 2842 * 100)
    assert (s.rader_att_granska, s.rader, s.ej_fakturerade_besok) == (5, 7, 1)
    assert s.ej_fakturerat_forvantat_kr == pytest.approx(212.0)


def test_tables_and_export(faktura_db):
    lista = fk.arbetslista(lista_rader(faktura_db), 100.0, 1.0)
    visad = fk.visa_listtabell(lista).iloc[0]
    assert (visad["Utförare"], visad["Regi"], visad["Insats"], visad["Månad"]) == (
        "Privat Omsorg AB", "Privat (LOV/avtal)", "Hemtjänst", "jul")
    assert (visad["Fakturerat (kr)"], visad["Avvikelse (%)"], visad["Fakturerat (kr/tim)"]) == (
        "848,00 kr", "+14,3 %", "457,14 kr")
    assert fk.visa_listtabell(lista).iloc[5]["Avvikelse (kr)"] == "–"  # not invoiced: missing, not 0
    assert fk.radetikett(lista.iloc[0], 2024).startswith("jul 2024 · Hemtjänst · Att granska – Avvikelse +106 kr")

    visits = fk.besokstabell(besok(faktura_db, "P1", False)).set_index("Besöks-id")
    assert visits.loc["B09", "Orsak"] == "Fel tidsgrund"
    assert visits.loc["D01", "Orsak"] == "Möjlig dubblett"
    assert visits.loc["B11", "Orsak"] == "Ej fakturerat"
    assert visits.loc["B10", "Orsak"] == ""
    assert visits.loc["B09", "Datum"] == dt.date(2024, 7, 5)
    assert fk.visa_besokstabell(besok(faktura_db, "P1", False)).iloc[0]["Förväntat (kr)"] == "318,00 kr"

    meta = tabellfil.build_metadata("test", "År 2024", False, dt.date(2024, 12, 31), True)
    bok = load_workbook(io.BytesIO(tabellfil.to_xlsx(fk.besokstabell(besok(faktura_db, "P1", True)), titel="Underlag P1",
                                                  metadata=meta, kolumnformat=fk.BESOK_FORMAT)))
    blad = bok.worksheets[0]
    rubriker = [c.value for c in blad[1]]
    assert rubriker[:3] == ["Besöks-id", "Datum", "Orsak"]
    assert blad.cell(row=2, column=rubriker.index("Fakturerat (kr)") + 1).value == pytest.approx(424.0)
    assert blad.cell(row=3, column=rubriker.index("Orsak") + 1).value == "Möjlig dubblett"
    lista_bok = load_workbook(io.BytesIO(tabellfil.to_xlsx(fk.listtabell(lista), titel="Lista", metadata=meta,
                                                        kolumnformat=fk.LISTA_FORMAT)))
    rubriker = [c.value for c in lista_bok.worksheets[0][1]]
    procent = lista_bok.worksheets[0].cell(row=2, column=rubriker.index("Avvikelse (%)") + 1)
    assert procent.value == pytest.approx(106 / 742) and procent.number_format == "0.0%"


def test_explanation_states_the_derivation():
    text = fk.forklaring(6.0)
    assert "fakturerat belopp ÷ (beslutad nivå × momsfaktor)" in text
    assert "1,06" in text and "ej fakturerat" in text
