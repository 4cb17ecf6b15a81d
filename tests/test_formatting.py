from decimal import Decimal

import pytest

from beslutsstod import talformat as fmt

NBSP = "\xa0"


def test_swedish_formats():
    assert fmt.fmt_kr(1234567.4) == f"1{NBSP}234{NBSP}567 kr"
    assert fmt.fmt_procent(12.46) == "12,5 %"
    assert fmt.fmt_procent(3.14, tecken=True) == "+3,1 %"
    assert fmt.fmt_tkr(1234567) == f"1{NBSP}234,6 tkr"
    assert fmt.fmt_tal(1234.5, 1) == f"1{NBSP}234,5"


def test_missing_is_not_zero():
    assert fmt.fmt_kr(None) == "–"
    assert fmt.fmt_kr(float("nan")) == "–"


# --- issue 11, point 3: numbers typed the Swedish way; point 5: one rounding rule ---------------

@pytest.mark.parametrize(("skrivet", "vantat"), [
    ("3,5", Decimal("3.5")), ("3.5", Decimal("3.5")), ("1 234,5", Decimal("1234.5")),
    ("1\u00a0234,5", Decimal("1234.5")), ("\u22122,5", Decimal("-2.5")), ("6 %", Decimal("6")), ("454", Decimal("454")),
])
def test_parse_tal_keeps_the_magnitude(skrivet, vantat):
    assert fmt.parse_tal(skrivet) == vantat


@pytest.mark.parametrize("skrivet", ["", "abc", "1.234,5", "1,234.5", "3,5,1"])
def test_parse_tal_refuses_what_it_would_have_to_guess(skrivet):
    with pytest.raises(fmt.TalFel):
        fmt.parse_tal(skrivet)


def test_inmatning_shows_a_decimal_comma():
    assert (fmt.fmt_inmatning(Decimal("3.5")), fmt.fmt_inmatning(2.7), fmt.fmt_inmatning(Decimal("454.00"))) == (
        "3,5", "2,7", "454")


def test_half_kronor_round_up_everywhere():
    # 232,50 kr → 233 kr and 1 250,50 kr → 1 251 kr (Python's round() gives 232 and 1 250: half to even)
    assert fmt.fmt_kr(232.5) == "233 kr"
    assert fmt.fmt_kr(1250.5) == "1\u00a0251 kr"
    assert fmt.fmt_kr(Decimal("1250.50")) == "1\u00a0251 kr"
    # tkr: 1 250,50 kr = 1,2505 tkr → 1,3 tkr with one decimal; 2 450 kr = 2,45 tkr → 2,5 (not 2,4)
    assert fmt.fmt_tkr(2450) == "2,5 tkr"
    assert fmt.fmt_procent(2.45) == "2,5 %"
    assert fmt.fmt_tal(-0.4) == "0"  # no "-0"
