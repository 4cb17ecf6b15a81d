"""Swedish number formats through babel: `1 234 567 kr`, `12,5 %`, `1 234,6 tkr`."""

from __future__ import annotations

import math
from numbers import Real

from babel.numbers import format_decimal

LOCALE = "sv_SE"
MASK = ".."  # Kolada's code for a value withheld to protect individuals
SAKNAS = "–"  # a value that does not exist (no data), never shown as 0
MANADER = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MANADER_LANG = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                "september", "oktober", "november", "december")


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, Real) and math.isnan(float(x)))


def fmt_tal(x: float | None, decimaler: int = 0) -> str:
    """`1 234 567` or `1 234,5`; a missing value is `–`."""
    if _missing(x):
        return SAKNAS
    pattern = "#,##0" + ("." + "0" * decimaler if decimaler else "")
    return format_decimal(round(float(x), decimaler), format=pattern, locale=LOCALE)


def fmt_kr(x: float | None, decimaler: int = 0) -> str:
    return SAKNAS if _missing(x) else f"{fmt_tal(x, decimaler)} kr"


def fmt_tkr(x: float | None, decimaler: int = 1) -> str:
    """Thousands of kronor, as the committee's reports show them."""
    return SAKNAS if _missing(x) else f"{fmt_tal(float(x) / 1000, decimaler)} tkr"


def fmt_procent(x_procent: float | None, decimaler: int = 1, tecken: bool = False) -> str:
    """A value already in percent (12.5 → `12,5 %`); with tecken, `+12,5 %`."""
    if _missing(x_procent):
        return SAKNAS
    text = f"{fmt_tal(x_procent, decimaler)} %"
    return ("+" + text) if tecken and round(float(x_procent), decimaler) > 0 else text


def fmt_timmar(x: float | None, decimaler: int = 0) -> str:
    return SAKNAS if _missing(x) else f"{fmt_tal(x, decimaler)} h"


def fmt_andring_kr(x: float | None) -> str:
    if _missing(x):
        return SAKNAS
    return ("+" if round(float(x)) > 0 else "") + fmt_kr(x)


def manad_namn(manad: int, lang: bool = False) -> str:
    return (MANADER_LANG if lang else MANADER)[manad - 1]
