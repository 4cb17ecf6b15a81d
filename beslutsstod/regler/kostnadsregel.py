"""The cost rule's momskompensation, both ways (DESIGN §4, seed 000), in Python.

The same rule as the SQL macros in ``queries/staging/kostnadsregel.sql`` (used by stg_besok and
so by every cost, the invoice check and the mapping); the simulator and the mapping's own
rates use this module. ``tests/test_kostnadsregel.py`` checks that the two agree to the öre.

- payee private (regi ``privat``): a rate excl. momskompensation gets + the percentage
  (default 6 %); a rate incl. is paid as it stands;
- a municipality (regi ``vistelsekommun``) or egen regi never receives it: a rate excl. is paid as
  it stands; a rate incl. is paid with the compensation deducted, ÷ (1 + percentage):
  530,00 incl. → 500,00 kr per hour;
- momskompensation_ingar unknown (None): the rate as it stands.

Arithmetic is exact (fractions); an amount is rounded once, half up, to whole öre.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

MOMS_REGI = "privat"  # the only payee that receives momskompensation

ORE_PER_KR = 100


def _fraction(x: object) -> Fraction:
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(Decimal(repr(x)))
    if isinstance(x, Decimal):
        f = Fraction(x)
        # Hours computed as minutes / 60 in Decimal (0,11666…67 for 7 min) are whole minutes:
        # take the exact fraction when it is within Decimal's precision of one.
        m = f.limit_denominator(60)
        return m if abs(f - m) < Fraction(1, 10**20) else f
    return Fraction(x)


def momsfaktor(regi: str | None, momskompensation_ingar: bool | None, momskompensation_procent: object) -> Fraction:
    """The factor a rate is paid with for this payee: 1,06, 1 or 1/1,06 (exactly)."""
    p = _fraction(momskompensation_procent) / 100
    if regi == MOMS_REGI:
        return 1 + p if momskompensation_ingar is False else Fraction(1)
    return 1 / (1 + p) if momskompensation_ingar is True else Fraction(1)


def ore_half_up(x: Fraction) -> int:
    """x kr → whole öre, half up (away from zero), as the SQL macro kostnad_ore rounds."""
    ore = x * ORE_PER_KR
    sign = -1 if ore < 0 else 1
    return sign * int((abs(ore) * 2 + 1) // 2)


def kostnad_ore(timmar: object, kr_per_timme: object, regi: str | None, momskompensation_ingar: bool | None,
                momskompensation_procent: object) -> int:
    """hours × rate × momsfaktor, in whole öre, rounded once, half up."""
    exakt = _fraction(timmar) * _fraction(kr_per_timme) * momsfaktor(regi, momskompensation_ingar,
                                                                      momskompensation_procent)
    return ore_half_up(exakt)


def kostnad_kr(timmar: object, kr_per_timme: object, regi: str | None, momskompensation_ingar: bool | None,
               momskompensation_procent: object) -> Decimal:
    """``kostnad_ore`` in kr as a Decimal with two decimals."""
    return Decimal(kostnad_ore(timmar, kr_per_timme, regi, momskompensation_ingar, momskompensation_procent)).scaleb(-2)


def exklusive(kr_per_timme: object, momskompensation_ingar: bool | None, momskompensation_procent: object) -> Fraction:
    """A rate restated excl. momskompensation (what a municipality is paid): 530 incl. → 500."""
    return _fraction(kr_per_timme) * momsfaktor("vistelsekommun", momskompensation_ingar, momskompensation_procent)


def avrunda_kr(x: object) -> Decimal:
    """An amount in kr to öre, half up."""
    return Decimal(ore_half_up(_fraction(x))).scaleb(-2)
