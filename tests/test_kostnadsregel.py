"""The cost rule's momskompensation both ways (seed 000, the paragraph on momskompensation).

Seed 000 (Härryda, tjänsteskrivelse 2024-05-20): the LOV rate is stated excl. momskompensation,
and "momskompensationen på 6 % dras av när betalningsmottagaren är en kommun" — a municipality or
egen regi never receives it; a private payee does. One rule, two implementations (the SQL macro
kostnad_ore in queries/staging/kostnadsregel.sql and beslutsstod.regler.kostnadsregel); these tests hold
them to hand-computed figures and to each other.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beslutsstod.data import db, demo
from beslutsstod.regler import kostnadsregel
from beslutsstod.regler import simulator as sim
from tests.fixtures import write_besok_and_utforare

UTFORARE = [("E1", "Egen", "egen_regi", "1401"), ("P1", "Privat AB", "privat", "1401"),
            ("V1", "Tanums kommun", "vistelsekommun", "1435")]
UTFORARE_PER_REGI = {"egen_regi": "E1", "privat": "P1", "vistelsekommun": "V1"}


@pytest.mark.parametrize(("regi", "ingar", "kr", "vantat"), [
    # seed 000: 530,00 incl. to a municipality → 530 / 1,06 = 500,00 kr for one hour
    ("vistelsekommun", True, "530.00", "500.00"),
    # the same to egen regi: our own staff never receive momskompensation either
    ("egen_regi", True, "530.00", "500.00"),
    # a private payee of an incl. rate is paid as it stands: 530,00
    ("privat", True, "530.00", "530.00"),
    # a private payee of an excl. rate gets + 6 %: 500 × 1,06 = 530,00
    ("privat", False, "500.00", "530.00"),
    # a municipality of an excl. rate: as it stands, 454,00 (Härryda's 2024 LOV rate, seed 000)
    ("vistelsekommun", False, "454.00", "454.00"),
    # 454 incl. to a municipality: 454 / 1,06 = 428,3018… → 428,30
    ("vistelsekommun", True, "454.00", "428.30"),
])
def test_one_hour_by_the_rule(regi, ingar, kr, vantat):
    assert kostnadsregel.kostnad_kr(1, Decimal(kr), regi, ingar, 6) == Decimal(vantat)


def test_half_ore_rounds_up_once():
    # 45 min × 0,02 kr/h = 0,015 kr = 1,5 öre → 2 öre (half up); no moms either way for egen regi excl.
    assert kostnadsregel.kostnad_ore(Decimal(45) / 60, Decimal("0.02"), "egen_regi", False, 6) == 2
    # 7 min as a Decimal (0,1166…67 h) × 454 = 52,9666… kr → 52,97 (whole minutes taken exactly)
    assert kostnadsregel.kostnad_kr(Decimal(7) / 60, Decimal("454"), "vistelsekommun", False, 6) == Decimal("52.97")


def _skriv(out: Path, besok: list[dict], niva: dict) -> None:
    write_besok_and_utforare(out, besok, UTFORARE)
    pq.write_table(pa.Table.from_pylist([dict(niva, giltig_fran=dt.date(2024, 1, 1), giltig_till=None,
                                              insats="hemtjanst", regi=None, kalla="test", beslut="test",
                                              preliminar=False)], schema=demo.NIVA_SCHEMA),
                   out / "ersattningsnivaer.parquet")
    pq.write_table(pa.Table.from_pylist([], schema=demo.BUDGET_SCHEMA), out / "budget.parquet")
    pq.write_table(pa.Table.from_pylist([], schema=demo.VISTELSE_SCHEMA), out / "vistelser.parquet")


def _staging(besok: list[dict], niva: dict, moms_bp: int) -> dict[str, Decimal]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "extracts"
        _skriv(out, besok, niva)
        database = db.Database(out, hemkommun="1401", momskompensation_procent=moms_bp / 100)
        try:
            return dict(database.cursor().sql("select besok_id, beraknad_kostnad_kr from stg_besok").fetchall())
        finally:
            database.close()


def _besok(i: int, regi: str, beviljad: int, utford: int) -> dict:
    return dict(besok_id=f"B{i}", datum=dt.date(2024, 3, 1 + i % 28), brukare_id=f"x{i}", bosattningskommun="1401",
                vistelsekommun="1435", utforare_id=UTFORARE_PER_REGI[regi], insats="hemtjanst",
                beviljad_min=beviljad, utford_min=utford, fakturerat_kr=None)


def test_staging_deducts_momskompensation_for_a_municipality_of_an_incl_rate():
    # seed 000's example as data: 530,00 incl. per utförd hour, 90 min each:
    # municipality 1,5 × 530 / 1,06 = 750,00; egen regi the same; private 1,5 × 530 = 795,00
    besok = [_besok(0, "vistelsekommun", 90, 90), _besok(1, "egen_regi", 90, 90), _besok(2, "privat", 90, 90)]
    niva = dict(kr_per_timme=Decimal("530.00"), grund="utford", momskompensation_ingar=True)
    assert _staging(besok, niva, 600) == {"B0": Decimal("750.00"), "B1": Decimal("750.00"), "B2": Decimal("795.00")}


_regi = st.sampled_from(sorted(UTFORARE_PER_REGI))
_minuter = st.integers(min_value=0, max_value=600)
_kr = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("2000.00"), places=2)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kr=_kr, ingar=st.booleans(), grund=st.sampled_from(["utford", "beviljad"]),
       moms_bp=st.sampled_from([0, 600, 650, 1225, 2500]),
       besok=st.lists(st.tuples(_regi, _minuter, _minuter), min_size=1, max_size=6))
def test_staging_cost_equals_simulator_cost_at_todays_level(kr, ingar, grund, moms_bp, besok):
    """Random rate/regi/basis/percentage: staging's cost and the simulator's "kostnad nu" agree to the öre.

    The simulator is given the visits' own hours (minutes / 60 in Decimal, as bygg_underlag makes
    them) at today's rate, with today's basis and whether the rate includes momskompensation.
    """
    rader = [_besok(i, regi, bev, utf) for i, (regi, bev, utf) in enumerate(besok)]
    niva = dict(kr_per_timme=kr, grund=grund, momskompensation_ingar=ingar)
    staging = _staging(rader, niva, moms_bp)
    timmar = pd.DataFrame([{"insats": "hemtjanst", "regi": regi, "manad": i + 1,
                            "beviljad_timmar": Decimal(bev) / 60, "utford_timmar": Decimal(utf) / 60}
                           for i, (regi, bev, utf) in enumerate(besok)])
    scenario = sim.Scenario("i dag", 2025, grund=grund, nuvarande_grund=grund,
                            momskompensation_procent=Decimal(moms_bp) / 100)
    resultat = sim.scenario_cost(timmar, scenario, {"hemtjanst": kr}, current_moms_ingar={"hemtjanst": ingar})
    per_besok = {f"B{r['manad'] - 1}": r["kostnad_nu_kr"] for r in resultat.rader}
    assert per_besok == staging
    assert resultat.totalt().kostnad_nu_kr == sum(staging.values())
    # an unchanged rate costs the same tomorrow: no double momskompensation on an incl. rate
    assert resultat.totalt().kostnad_ny_kr == resultat.totalt().kostnad_nu_kr


def test_simulator_does_not_add_momskompensation_twice_to_an_incl_rate():
    # today's rate 530 incl., 10 private hours: today 5 300,00 (as it stands), not 5 618,00 (× 1,06 again).
    # An "egen" scenario with OPI 0 % restates it excl. (500,00) and pays the private payee + 6 % = 5 300,00.
    timmar = pd.DataFrame([{"insats": "hemtjanst", "regi": "privat", "beviljad_timmar": Decimal(10),
                            "utford_timmar": Decimal(10)}])
    scenario = sim.Scenario("egen", 2025, modeller={"hemtjanst": sim.RateModel("egen_summa", belopp_kr=Decimal(500))})
    r = sim.scenario_cost(timmar, scenario, {"hemtjanst": Decimal(530)}, current_moms_ingar={"hemtjanst": True})
    assert (r.totalt().kostnad_nu_kr, r.totalt().kostnad_ny_kr) == (Decimal("5300.00"), Decimal("5300.00"))
    assert r.totalt().momskompensation_ny_kr == Decimal("300.00")  # 10 × 500 × 6 %


def test_fakturakontroll_flags_a_municipality_that_bills_the_incl_rate():
    # 530,00 incl. per utförd hour, 60 min in Tanum's own service (a municipality). Expected by the
    # rule: 530 / 1,06 = 500,00. Tanum invoices 530,00 = 500,00 × 1,06: it billed momskompensation.
    # A private payee invoicing 530,00 for the same hour is right (the incl. rate as it stands).
    besok = [dict(_besok(0, "vistelsekommun", 60, 60), fakturerat_kr=Decimal("530.00")),
             dict(_besok(1, "privat", 60, 60), fakturerat_kr=Decimal("530.00"))]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "extracts"
        _skriv(out, besok, dict(kr_per_timme=Decimal("530.00"), grund="utford", momskompensation_ingar=True))
        database = db.Database(out, hemkommun="1401", momskompensation_procent=6.0)
        rader = database.cursor().sql(
            "select besok_id, beraknad_kostnad_kr, is_momskompensation_kommun, is_annat_timpris "
            "from fakturakontroll_besok(2024, [], [], [], 5, 0.05) order by besok_id").fetchall()
        database.close()
    # (no stays are registered, so both are also "utanför vistelse": the rate flags are what matter here)
    assert rader == [("B0", Decimal("500.00"), True, False), ("B1", Decimal("530.00"), False, False)]


def test_kartlaggning_coverage_uses_the_rule():
    from beslutsstod.vyer import kartlaggning as kl

    # We paid Tanum 500,00 per hour; Tanum's own rate is 530,00 incl. momskompensation, which it
    # would not receive as a municipality: 530 / 1,06 = 500,00 → coverage 500 / 500 = 100,0 %.
    per_kommun = pd.DataFrame([{"kommunkod": "1435", "insats": "hemtjanst", "betald_kr_per_timme": 500.0}])
    egna = pd.DataFrame([{"kommunkod": "1435", "ar": 2024, "insats": "hemtjanst", "kr_per_timme": 530.0,
                          "momskompensation_ingar": True, "kalla": "test"}])
    t = kl.tackning(per_kommun, egna, 2024, 6.0)
    assert t.loc[0, "Egen nivå exkl. momskompensation (kr/tim)"] == pytest.approx(500.0)
    assert t.loc[0, "Täckningsgrad (%)"] == pytest.approx(100.0)
