"""Personnummer check and keyed pseudonymisation of brukare_id.

Why this exists: brukare_id must be a pseudonym (DESIGN §4). The dashboard is shown to the
socialnämnd and its figures end up in public documents (allmänna handlingar), so a direct
identifier such as a personnummer must never be stored. The import refuses values that look
like a personnummer or samordningsnummer, or (when asked to) replaces them with a keyed hash.

Format (Skatteverket, SKV 704): YYMMDD-NNNC or YYYYMMDDNNNC. The separator is '-' or, from
the year a person turns 100, '+'. C is a Luhn (mod 10) check digit over the ten digits
YYMMDDNNN. A samordningsnummer is built the same way with 60 added to the day (61–91).

Finding a number inside any text (`hitta_personnummer`): every text column of every table is
searched for digit sequences written with any separators (' ', '-', '_', '+', '.', '/', ':') or
surrounded by any text ('pnr 1912-12-12-1212', '… 19121212-1212 enskild firma'). Each run of
10 or 12 digits whose ends fall on a separator or the run's ends is checked; whether it IS a
personnummer is decided by python-stdnum (`stdnum.se.personnummer`: date and Luhn check digit).
stdnum 2.2 does not know samordningsnummer, so for a day 61–91 the date is checked with 60
subtracted and the check digit with stdnum's Luhn over the digits as written.

The same rule exists twice: `personnummer_typ` in Python (reference, used in tests and for
single values) and the DuckDB macros in `SQL_MAKRON` (used on whole files, so that a million
rows are checked inside DuckDB). A test checks that the two agree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from stdnum import luhn as _luhn
from stdnum.se import personnummer as _stdnum_pnr

# YYMMDD or CCYYMMDD, optional '-' or '+', four digits (three serial + check digit).
_MONSTER = re.compile(r"^([0-9]{2})?([0-9]{2})([0-9]{2})([0-9]{2})[-+]?([0-9]{4})$")
SAMORDNING_DAG_TILLAGG = 60  # days added to the birth day in a samordningsnummer (SKV 707)
GODKANDA_SEKEL = ("18", "19", "20")  # centuries a living person's personnummer can carry
MIN_NYCKEL_BYTES = 16  # bytes; shorter HMAC keys are refused (guessable)
PSEUDONYM_PREFIX = "ps_"
PSEUDONYM_HEX_TECKEN = 20  # hex characters kept = 80 bits; collision risk ~1e-12 at 1e6 persons


def luhn_ok(tio_siffror: str) -> bool:
    """True if the ten digits pass the Luhn (mod 10) check used by personnummer."""
    if len(tio_siffror) != 10 or not tio_siffror.isdigit():
        return False
    summa = 0
    for i, tecken in enumerate(tio_siffror):
        produkt = int(tecken) * (2 if i % 2 == 0 else 1)
        summa += produkt // 10 + produkt % 10
    return summa % 10 == 0


def personnummer_typ(varde: str | None) -> str | None:
    """'personnummer', 'samordningsnummer' or None for a value that is neither (Luhn-checked)."""
    if varde is None:
        return None
    traff = _MONSTER.match(varde.strip(" "))
    if not traff:
        return None
    sekel, yy, mm, dd, nr = traff.groups()
    if sekel is not None and sekel not in GODKANDA_SEKEL:
        return None
    dag = int(dd)
    typ = "personnummer"
    if dag > SAMORDNING_DAG_TILLAGG:
        dag -= SAMORDNING_DAG_TILLAGG
        typ = "samordningsnummer"
    # Without a century the year is ambiguous; 2000+YY is a leap year exactly when YY % 4 == 0,
    # which is when 29 February can be a real birth day in some century.
    ar = int(sekel + yy) if sekel is not None else 2000 + int(yy)
    try:
        dt.date(ar, int(mm), dag)
    except ValueError:
        return None
    if not luhn_ok(yy + mm + dd + nr):
        return None
    return typ


def kanonisk_form(varde: str) -> str:
    """The ten digits YYMMDDNNNC of a personnummer, whatever century or separator was written.

    The pseudonym is computed from this form so that '19121212-1212', '121212-1212' and
    '121212121212'... give the same pseudonym in every extract (the century is left out
    because a '-' turns into '+' the year the person turns 100).
    """
    traff = _MONSTER.match(varde.strip(" "))
    if not traff:
        raise ValueError("inte ett personnummer")
    _, yy, mm, dd, nr = traff.groups()
    return yy + mm + dd + nr


def maskera(varde: str) -> str:
    """The value with its last four digits hidden, for error messages ('121212-****')."""
    return re.sub(r"[0-9]{4}$", "****", varde.strip(" "))


# A run of digits with at most three separator characters between two digits.
_KANDIDAT = re.compile(r"[0-9](?:[ \t_+\-./:]{0,3}[0-9])+")
_KANDIDAT_SQL = r"[0-9]([ _+./:-]{0,3}[0-9]){9}"  # DuckDB pre-filter: at least ten such digits


@dataclass(frozen=True)
class Traff:
    """A personnummer or samordningsnummer found in a text: text[start:slut] holds it."""

    start: int
    slut: int
    typ: str  # 'personnummer' or 'samordningsnummer'
    kanon: str  # the ten digits YYMMDDNNNC (the pseudonym's input)


def _typ_av_siffror(siffror: str) -> str | None:
    """'personnummer', 'samordningsnummer' or None for 10 or 12 digits (stdnum decides)."""
    if len(siffror) == 12 and siffror[:2] not in GODKANDA_SEKEL:
        return None
    dag = int(siffror[-6:-4])
    if dag <= SAMORDNING_DAG_TILLAGG:
        return "personnummer" if _stdnum_pnr.is_valid(siffror) else None
    justerad = siffror[:-6] + f"{dag - SAMORDNING_DAG_TILLAGG:02d}" + siffror[-4:]
    try:
        _stdnum_pnr.get_birth_date(justerad)
    except Exception:  # noqa: BLE001 - stdnum's InvalidComponent/ValueError: not a date
        return None
    return "samordningsnummer" if _luhn.is_valid(siffror[-10:]) else None


def hitta_personnummer(text: str | None) -> list[Traff]:
    """Every personnummer/samordningsnummer written anywhere in `text`, with any separators."""
    if not text:
        return []
    traffar: list[Traff] = []
    for m in _KANDIDAT.finditer(text):
        # Positions (in text) of the digits of the run, and which digits begin/end a segment.
        pos = [m.start() + i for i, t in enumerate(m.group()) if t.isdigit()]
        if len(pos) < 10:
            continue
        siffror = "".join(text[p] for p in pos)
        borjar = {0} | {i for i in range(1, len(pos)) if pos[i] != pos[i - 1] + 1}
        slutar = {len(pos) - 1} | {i - 1 for i in borjar if i > 0}
        i = 0
        while i < len(pos):
            langd = 0
            if i in borjar:
                for n in (12, 10):
                    if i + n <= len(pos) and (i + n - 1) in slutar:
                        typ = _typ_av_siffror(siffror[i:i + n])
                        if typ:
                            traffar.append(Traff(pos[i], pos[i + n - 1] + 1, typ,
                                                 siffror[i + n - 10:i + n]))
                            langd = n
                            break
            i += langd or 1
    return traffar


def maskera_traffar(text: str, traffar: list[Traff]) -> str:
    """The text with the last four digits of every found number replaced by '*'."""
    tecken = list(text)
    for t in traffar:
        kvar = 4
        for p in range(t.slut - 1, t.start - 1, -1):
            if kvar and tecken[p].isdigit():
                tecken[p] = "*"
                kvar -= 1
    return "".join(tecken)


def kontrollera_nyckel(nyckel: str | bytes | None) -> bytes:
    """The key as bytes; ValueError (Swedish text) if missing or shorter than MIN_NYCKEL_BYTES."""
    if nyckel is None or len(nyckel) == 0:
        raise ValueError(
            "Pseudonymisering begärdes men ingen nyckel är angiven. Nyckeln är inställningen "
            "pseudonym_nyckel (i .streamlit/secrets.toml eller miljövariabeln "
            "BESLUTSSTOD_PSEUDONYM_NYCKEL) och sparas aldrig tillsammans med data."
        )
    nyckel_bytes = nyckel.encode("utf-8") if isinstance(nyckel, str) else bytes(nyckel)
    if len(nyckel_bytes) < MIN_NYCKEL_BYTES:
        raise ValueError(
            f"Pseudonymiseringsnyckeln är för kort ({len(nyckel_bytes)} byte); "
            f"den måste vara minst {MIN_NYCKEL_BYTES} byte lång för att inte kunna gissas."
        )
    return nyckel_bytes


def pseudonym(varde: str, nyckel: str | bytes) -> str:
    """Keyed pseudonym of a personnummer: 'ps_' + HMAC-SHA256(key, ten digits), 20 hex chars.

    A keyed hash (not a plain hash) because personnummer are few and structured: anyone could
    hash all of them and reverse an unkeyed digest. Without the key the pseudonym cannot be
    linked back; with the same key the same person gets the same pseudonym in every import.
    """
    return pseudonym_av_kanon(kanonisk_form(varde), nyckel)


def pseudonym_av_kanon(tio_siffror: str, nyckel: str | bytes) -> str:
    """The pseudonym of the ten digits YYMMDDNNNC (Traff.kanon, kanonisk_form)."""
    nyckel_bytes = kontrollera_nyckel(nyckel)
    digest = hmac.new(nyckel_bytes, tio_siffror.encode("ascii"), hashlib.sha256)
    return PSEUDONYM_PREFIX + digest.hexdigest()[:PSEUDONYM_HEX_TECKEN]


# DuckDB macros doing the same as personnummer_typ / kanonisk_form / maskera, on a column.
# pnr_delar splits the value; pnr_typ returns 'personnummer', 'samordningsnummer' or NULL.
SQL_MAKRON = (
    r"""
create or replace macro pnr_luhn_ok(s) as (
    list_sum(list_transform(range(0, 10), lambda i:
        (cast(s[i + 1] as integer) * (2 - i % 2)) // 10
        + (cast(s[i + 1] as integer) * (2 - i % 2)) % 10)) % 10 = 0
)
""",
    r"""
create or replace macro pnr_delar(v) as (
    regexp_extract(trim(v), '^([0-9]{2})?([0-9]{2})([0-9]{2})([0-9]{2})[-+]?([0-9]{4})$',
                   ['sekel', 'yy', 'mm', 'dd', 'nr'])
)
""",
    r"""
create or replace macro pnr_typ_av_delar(p) as (
    case
        when p.yy = '' then null
        when p.sekel not in ('', '18', '19', '20') then null
        when not pnr_luhn_ok(p.yy || p.mm || p.dd || p.nr) then null
        when try_strptime(
                 case when p.sekel = '' then '20' || p.yy else p.sekel || p.yy end
                 || p.mm
                 || lpad(cast(cast(p.dd as integer) % 60 as varchar), 2, '0'),
                 '%Y%m%d') is null then null
        when cast(p.dd as integer) > 60 then 'samordningsnummer'
        when cast(p.dd as integer) between 1 and 31 then 'personnummer'
        else null
    end
)
""",
    r"""
create or replace macro pnr_typ(v) as (pnr_typ_av_delar(pnr_delar(v)))
""",
    r"""
create or replace macro pnr_kanon(v) as (
    pnr_delar(v).yy || pnr_delar(v).mm || pnr_delar(v).dd || pnr_delar(v).nr
)
""",
    r"""
create or replace macro pnr_maskera(v) as (regexp_replace(trim(v), '[0-9]{4}$', '****'))
""",
)


def registrera_makron(con) -> None:
    """Create the personnummer macros on a DuckDB connection."""
    con.execute(";".join(SQL_MAKRON))
