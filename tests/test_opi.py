"""OPI: the published table, SKR's formula (half-up to one decimal), and one value per year."""

from __future__ import annotations

from decimal import Decimal

import pytest

from beslutsstod.regler import opi

D = Decimal


@pytest.fixture(scope="module")
def table():
    return opi.load_opi()


def test_default_path_is_the_repos_reference_file():
    path = opi.default_path()
    assert path.name == "opi.csv" and path.parent.name == "reference"
    assert path.exists()


# The published table in data/reference/opi.csv (SKL cirkulär 18:63; SKR cirkulär 2020-12-16;
# Järfälla 2022; Vårdföretagarna 2023).
@pytest.mark.parametrize("ar, procent, kalla_del", [
    (2015, "2.2", "18:63"),
    (2016, "2.6", "18:63"),
    (2017, "2.7", "2020-12-16"),
    (2018, "2.6", "2020-12-16"),
    (2019, "2.7", "2020-12-16"),
    (2020, "3.0", "2020-12-16"),
    (2021, "1.5", "2020-12-16"),
    (2022, "1.9", "Järfälla"),
    (2023, "4.6", "Vårdföretagarna"),
])
def test_published_table(table, ar, procent, kalla_del):
    row = table[ar]
    assert row.opi_procent == D(procent)
    assert row.status == opi.STATUS_DEFINITIV
    assert kalla_del in row.kalla
    v = opi.opi_for_year(ar, table)
    assert v.value_procent == D(procent) and v.is_published and not v.is_assumption and not v.is_derived


def test_table_has_exactly_the_published_years(table):
    assert sorted(table) == list(range(2015, 2024))
    # 2022 and 2023 were published without components in our sources.
    assert table[2022].summa_lonekostnadsforandring is None and table[2023].kpi is None


# SKR: OPI = 0,8 × summa lönekostnadsförändring + 0,2 × KPI, rounded to one decimal.
@pytest.mark.parametrize("ar, lon, kpi, formel", [
    (2015, "2.75", "-0.10", "2.2"),  # 2,200 − 0,020 = 2,180 → 2,2
    (2016, "3.22", "-0.10", "2.6"),  # 2,576 − 0,020 = 2,556 → 2,6
    (2017, "3.17", "0.84", "2.7"),   # 2,536 + 0,168 = 2,704 → 2,7
    (2018, "2.81", "1.70", "2.6"),   # 2,248 + 0,340 = 2,588 → 2,6
    (2019, "2.93", "1.92", "2.7"),   # 2,344 + 0,384 = 2,728 → 2,7
    (2020, "3.23", "1.82", "2.9"),   # 2,584 + 0,364 = 2,948 → 2,9 (published: 3,0)
    (2021, "1.70", "0.74", "1.5"),   # 1,360 + 0,148 = 1,508 → 1,5
])
def test_formula_on_published_components(table, ar, lon, kpi, formel):
    assert table[ar].summa_lonekostnadsforandring == D(lon)
    assert table[ar].kpi == D(kpi)
    assert opi.opi_from_components(lon, kpi) == D(formel)
    assert opi.opi_for_year(ar, table).formel_procent == D(formel)


def test_published_wins_over_formula_for_2020(table):
    # The formula gives 2,9 % on SKR's own components; SKR published 3,0 %. Published wins.
    v = opi.opi_for_year(2020, table)
    assert v.value_procent == D("3.0")
    assert v.formel_procent == D("2.9")
    assert v.value_procent != v.formel_procent
    # Every other year with components agrees with the formula.
    differ = [ar for ar, row in table.items() if row.kpi is not None
              and opi.opi_from_components(row.summa_lonekostnadsforandring, row.kpi) != row.opi_procent]
    assert differ == [2020]


def test_formula_rounds_half_up_not_half_even():
    # 0,8 × 3,0 + 0,2 × 1,25 = 2,40 + 0,25 = 2,65 → 2,7 (half-even would give 2,6).
    assert opi.opi_from_components("3.0", "1.25") == D("2.7")
    # 0,8 × 0 + 0,2 × −0,25 = −0,05 → −0,1 (half-up rounds away from zero; half-even gives −0,0).
    assert opi.opi_from_components(0, "-0.25") == D("-0.1")
    # Floats go through str(): 0,8 × 2,75 + 0,2 × −0,1 = 2,18 → 2,2.
    assert opi.opi_from_components(2.75, -0.1) == D("2.2")


def test_missing_year_is_missing(table):
    v = opi.opi_for_year(2024, table)
    assert v.value_procent is None and v.is_missing
    assert v.status == opi.STATUS_SAKNAS
    assert "saknas" in v.beskrivning()


def test_assumed_value_is_labelled(table):
    v = opi.opi_for_year(2025, table, assumed_procent="3,0")
    assert v.value_procent == D("3.0")
    assert v.status == opi.STATUS_ANTAGANDE and v.is_assumption and not v.is_published


def test_components_give_a_derived_value(table):
    # 0,8 × 3,50 + 0,2 × 2,00 = 2,80 + 0,40 = 3,20 → 3,2
    v = opi.opi_for_year(2026, table, summa_lonekostnadsforandring="3.50", kpi="2.00")
    assert v.value_procent == D("3.2")
    assert v.status == opi.STATUS_HARLEDD and v.is_derived and not v.is_assumption


def test_published_wins_over_an_assumption(table):
    v = opi.opi_for_year(2023, table, assumed_procent="9.9")
    assert v.value_procent == D("4.6") and not v.is_assumption


def test_preliminary_status_is_read(tmp_path):
    path = tmp_path / "opi.csv"
    path.write_text(
        "ar,arskostnad_loneavtal,loneokning_utover_avtal,lagstadgade_arbetsgivaravgifter,semesterloneskuld,"
        "summa_lonekostnadsforandring,kpi,opi_procent,status,kalla\n"
        "2026,,,,,3.10,1.00,2.7,preliminär,\"SKR cirkulär (test)\"\n", encoding="utf-8")
    table = opi.load_opi(path)
    v = opi.opi_for_year(2026, table)
    assert v.status == opi.STATUS_PRELIMINAR and v.is_published
    # 0,8 × 3,10 + 0,2 × 1,00 = 2,48 + 0,20 = 2,68 → 2,7
    assert v.formel_procent == D("2.7")


def test_unknown_status_is_an_error(tmp_path):
    path = tmp_path / "opi.csv"
    path.write_text("ar,summa_lonekostnadsforandring,kpi,opi_procent,status,kalla\n2026,,,2.7,gissning,x\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match="gissning"):
        opi.load_opi(path)


def test_preliminary_2023_for_arrears():
    v = opi.preliminary_opi(2023)
    assert v.value_procent == D("3.5") and v.status == opi.STATUS_PRELIMINAR
    assert opi.preliminary_opi(2019) is None


def test_to_decimal_keeps_decimal_text():
    assert opi.to_decimal(0.1) == D("0.1")
    assert opi.to_decimal("4,6") == D("4.6")
    assert opi.to_decimal("\u22121,5") == D("-1.5")


def test_beskrivning_names_value_status_and_source(table):
    text = opi.opi_for_year(2023, table).beskrivning().replace("\u00a0", " ")
    assert "OPI 2023 4,6 %" in text and "definitiv" in text and "Vårdföretagarna" in text
