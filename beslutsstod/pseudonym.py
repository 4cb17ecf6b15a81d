"""Personnummer check and keyed pseudonymisation of brukare_id.

Why this exists: brukare_id must be a pseudonym (DESIGN §4). The dashboard is shown to the
socialnämnd and its figures end up in public documents (allmänna handlingar), so a direct
identifier such as a personnummer must never be stored. The import refuses values that look
like a personnummer or samordningsnummer, or (when asked to) replaces them with a keyed hash.

Format (Skatteverket, SKV 704): YYMMDD-NNNC or YYYYMMDDNNNC. The separator is '-' or, from
the year a person turns 100, '+'. C is a Luhn (mod 10) check digit over the ten digits
YYMMDDNNN. A samordningsnummer is built the same way with 60 added to the day (61–91).

The same rule exists twice: `personnummer_typ` in Python (reference, used in tests and for
single values) and the DuckDB macros in `SQL_MAKRON` (used on whole files, so that a million
rows are checked inside DuckDB). A test checks that the two agree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

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
    nyckel_bytes = kontrollera_nyckel(nyckel)
    digest = hmac.new(nyckel_bytes, kanonisk_form(varde).encode("ascii"), hashlib.sha256)
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
