"""Swedish number formats through babel: `1 234 567 kr`, `12,5 %`, `1 234,6 tkr`."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from beslutsstod.begrepp import MASK, SAKNAS, saknas  # noqa: F401 (MASK: begrepp.MASK)

LOCALE = "sv_SE"
MANADER = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MANADER_LANG = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                "september", "oktober", "november", "december")


def avrunda(x: object, decimaler: int = 0) -> Decimal:
    """The one rounding rule: half up (away from zero), once, where an amount is shown.

    1 250,50 kr → 1 251 kr and 232,50 → 233 (Python's round() would give 1 250 and 232). A float
    goes through its shortest repr, so 232.5 is 232,5 and not 232,4999….
    """
    d = x if isinstance(x, Decimal) else Decimal(repr(float(x))) if isinstance(x, float) else Decimal(str(x))
    return d.quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)


def fmt_tal(x: float | None, decimaler: int = 0) -> str:
    """`1 234 567` or `1 234,5`; a missing value is `–`. Rounded half up (``avrunda``)."""
    if saknas(x):
        return SAKNAS
    pattern = "#,##0" + ("." + "0" * decimaler if decimaler else "")
    q = avrunda(x, decimaler)
    if q == 0:
        q = abs(q)  # no "-0"
    return format_decimal(q, format=pattern, locale=LOCALE, decimal_quantization=False)


def fmt_kr(x: float | None, decimaler: int = 0) -> str:
    return SAKNAS if saknas(x) else f"{fmt_tal(x, decimaler)} kr"


def fmt_tkr(x: float | None, decimaler: int = 1) -> str:
    """Thousands of kronor, as the committee's reports show them."""
    return SAKNAS if saknas(x) else f"{fmt_tal(float(x) / 1000, decimaler)} tkr"


def fmt_procent(x_procent: float | None, decimaler: int = 1, tecken: bool = False) -> str:
    """A value already in percent (12.5 → `12,5 %`); with tecken, `+12,5 %`."""
    if saknas(x_procent):
        return SAKNAS
    text = f"{fmt_tal(x_procent, decimaler)} %"
    return ("+" + text) if tecken and avrunda(x_procent, decimaler) > 0 else text


def fmt_timmar(x: float | None, decimaler: int = 0) -> str:
    return SAKNAS if saknas(x) else f"{fmt_tal(x, decimaler)} h"


def fmt_andring_kr(x: float | None) -> str:
    if saknas(x):
        return SAKNAS
    return ("+" if avrunda(x) > 0 else "") + fmt_kr(x)


def manad_namn(manad: int, lang: bool = False) -> str:
    return (MANADER_LANG if lang else MANADER)[manad - 1]


class TalFel(ValueError):
    """A typed number that cannot be read; the message is Swedish, for the page."""


def parse_tal(x: object) -> Decimal:
    """A number typed the Swedish way (or the English way): `3,5`, `3.5`, `1 234,5`, `−2,5` → Decimal.

    Parsed with babel for sv_SE (decimal comma; a space, no-break space or narrow no-break space
    groups thousands; a decimal point is read as a decimal mark too). A value with both a comma and
    a point (`1.234,5`, `1,234.5`) is refused: its magnitude would be a guess. Never changes the
    magnitude silently: `3,5` is 3.5, never 35. Numbers (int, float, Decimal) pass through.
    """
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool):
        raise TalFel("ett tal väntades")
    if isinstance(x, (int, float)):
        if isinstance(x, float) and not math.isfinite(x):
            raise TalFel("ett tal väntades")
        return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)
    text = str(x if x is not None else "").strip()
    for mellanslag in (" ", "\u00a0", "\u202f", "'"):
        text = text.replace(mellanslag, "")
    text = text.replace("\u2212", "-").replace("%", "").removesuffix("kr").strip()
    if not text:
        raise TalFel("fältet är tomt")
    if "," in text and "." in text:
        raise TalFel(f"”{x}” har både komma och punkt; skriv decimaler med komma, t.ex. 3,5")
    if text.count(",") > 1 or text.count(".") > 1:
        raise TalFel(f"”{x}” är inte ett tal; skriv t.ex. 3,5 eller 1 234,5")
    try:
        return parse_decimal(text.replace(".", ","), locale=LOCALE, strict=False)
    except (NumberFormatError, InvalidOperation, ValueError):
        raise TalFel(f"”{x}” är inte ett tal; skriv t.ex. 3,5 eller 1 234,5") from None


def fmt_inmatning(x: object, decimaler: int | None = None) -> str:
    """A number as it is shown in an input field: decimal comma, no thousands separator (`3,5`, `454`)."""
    d = parse_tal(x)
    if decimaler is not None:
        d = avrunda(d, decimaler)
    text = format(d.normalize() if decimaler is None else d, "f")
    if "." in text and decimaler is None:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
