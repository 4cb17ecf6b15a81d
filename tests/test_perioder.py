"""The simulator's years (regler/perioder.py): volume year, forecast months, target years."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from beslutsstod.regler import perioder


def test_period_running_year():
    p = perioder.period(pd.Timestamp("2026-10-31"), range(2019, 2027))
    assert (p.senaste_hela_ar, p.pagaende_ar, p.pagaende_manader) == (2025, 2026, 10)
    assert p.volymbaser == ("prognos", "utfall")  # 10 ≥ 6 months: the forecast is the default
    assert p.malar == (2027, 2028)
    assert (p.volymar("prognos"), p.till_manad("prognos")) == (2026, 10)
    assert (p.volymar("utfall"), p.till_manad("utfall")) == (2025, 12)
    assert p.text("prognos") == "Prognos helår 2026 (utfall jan–okt + prognos)"
    assert p.text("utfall") == "Utfall 2025 (senaste hela året)"
    # the months after October, and March (an outage of 2026) come from a forecast; 2025's outage does not
    assert p.prognos_manader("prognos", [(2026, 3), (2025, 5)]) == [3, 11, 12]
    assert p.prognos_manader("utfall", [(2025, 3)]) == []


def test_period_early_in_the_year_defaults_to_the_last_complete_year():
    p = perioder.period(dt.date(2026, 3, 20), [2025, 2026])
    assert p.volymbaser == ("utfall", "prognos")  # 3 < 6 months of data


def test_period_complete_year_has_no_forecast():
    p = perioder.period(dt.date(2025, 12, 31), [2024, 2025])
    assert (p.senaste_hela_ar, p.pagaende_ar) == (2025, None)
    assert p.volymbaser == ("utfall",)
    assert p.malar == (2026, 2027)


def test_period_single_partial_year_offers_its_outcome():
    p = perioder.period(dt.date(2026, 8, 31), [2026])
    assert p.volymbaser == ("utfall",)
    assert (p.volymar("utfall"), p.till_manad("utfall")) == (2026, 8)
    assert p.text("utfall") == "Utfall jan–aug 2026 (inte ett helt år)"


