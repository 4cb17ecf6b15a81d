"""Checking every value of a file read by ingest_read, in DuckDB SQL, and casting it.

Three steps in DuckDB, so a large file never passes through pandas:
1. `<p>_norm` (a view): per column the trimmed text as written (r_<col>) and a normalised
   text (n_<col>): thousands spaces removed from numbers, 'Hemtjänst' -> 'hemtjanst',
   '180' -> '0180' ...
2. `<p>_problem`: one row per problem (rad, kolumn, varde, kod, info1..3): first each cell on
   its own, then rules across rows (duplicates, unknown provider, overlapping periods, ...).
3. `<p>_typ`: the values cast to the storage types of DESIGN §4 (NULL where invalid).
All problems of a file are collected; the caller refuses the file if any of them is an error.

The SQL is generated from the column list in the schema (beslutsstod.inlasning.schema): identifiers
(quoted by sql.ident) and regular expressions come from this code, never from the file; values from
the file only travel as table data or as bound parameters (see beslutsstod.inlasning.sql).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from beslutsstod.inlasning import pseudonym
from beslutsstod.inlasning.las import DECIMAL_BADA, Inlast
from beslutsstod.inlasning.problem import FEL, MEDDELANDEN, Problem, problem
from beslutsstod.inlasning.schema import (
    BOOL,
    DATUM,
    DECIMAL,
    ENUM,
    HELTAL,
    ID,
    KOMMUN,
    MAX_MIN_PER_BESOK,
    MAX_TECKEN,
    MINUTER,
    PSEUDONYM,
    TABELLER,
    TEXT,
    Kolumn,
    Tabell,
)
from beslutsstod.inlasning.sql import ident, identlista, konstant

MAX_PROBLEM_VISADE = 10_000  # problems returned as records; beyond that they are only counted
SANT = ("true", "sant", "ja", "1")
FALSKT = ("false", "falskt", "nej", "0")
_HELTAL_RE = "[+-]?[0-9]+"
_DECIMAL_RE = {",": "[+-]?[0-9]+(,[0-9]+)?", ".": r"[+-]?[0-9]+(\.[0-9]+)?",
               DECIMAL_BADA: r"[+-]?[0-9]+([.,][0-9]+)?"}
_ANNAN_DECIMAL_RE = {",": r"[+-]?[0-9]+\.[0-9]+", ".": "[+-]?[0-9]+,[0-9]+"}
_DECIMAL_NAMN = {",": "decimalkomma (,)", ".": "decimalpunkt (.)"}
_DATUM_RE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
_INSATS_TIPS = {"hemsjukvard": " Hemsjukvård heter numera kommunal primärvård: skriv "
                               "kommunal_primarvard."}
_TRIM_TECKEN = " \t\r\n\u00a0"
# Control characters (C0 incl. NUL, tab and line breaks inside a value, DEL, C1) and the Unicode
# bidirectional overrides that can make a name display as something else (RE2 syntax).
KONTROLLTECKEN_RE = r"[\x{00}-\x{1F}\x{7F}-\x{9F}\x{202A}-\x{202E}\x{2066}-\x{2069}]"
TEXTKOLUMNER = (ID, PSEUDONYM, TEXT)  # searched for personnummer anywhere in the value
_DUBBLETT_TEXT = {
    "besok": "varje besök får bara finnas en gång i filen",
    "utforare": "varje utförare får bara finnas en gång i filen",
    "budget": "varje kombination av år, månad och insats får bara finnas en gång i filen",
    "vistelser": "en brukare kan inte ha två vistelser som börjar samma dag",
    "insatspriser": "varje kombination av insatstyp, regi och giltig_fran får bara finnas en gång i filen",
    "avgiftsregler": "varje år får bara finnas en gång i filen",
}
VARNINGSKODER = tuple(k for k, (grad, _) in MEDDELANDEN.items() if grad != FEL)


def tolka_decimal(decimal: str | None) -> str | None:
    if decimal is None:
        return None
    d = decimal.strip().lower()
    return {"komma": ",", "punkt": ".", ",": ",", ".": "."}.get(d) or (
        DECIMAL_BADA if d == DECIMAL_BADA else None)


@dataclass
class Kontext:
    """What a file is checked against besides itself (relations in the same connection)."""

    utforare_sql: str | None = None  # relation with utforare_id, regi
    ersattning_sql: str | None = None  # relation with the ersattningsnivaer columns
    lagrade_besok_sql: str | None = None  # stored visits (for removed providers)
    pseudonymisera: bool = False
    nyckel: bytes | None = None


@dataclass
class Validering:
    problem: list[Problem]
    antal_fel: int
    antal_varningar: int
    antal_per_kod: dict[str, int]
    avvisade_rader: int
    typ_tabell: str | None
    decimal: str | None
    pseudonymiserade: int = 0
    info: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.antal_fel == 0


# ---------------------------------------------------------------- step 1: normalise


def _norm_uttryck(kol: Kolumn, t: str) -> str:
    if kol.typ in (MINUTER, HELTAL, DECIMAL):
        # Swedish programs group thousands with (non-breaking) spaces and may write '−' (U+2212).
        return f"regexp_replace(replace({t}, '\u2212', '-'), '[ \u00a0\u202f]', '', 'g')"
    if kol.typ == DATUM:
        return (f"regexp_replace({t}, '^({_DATUM_RE})[ T]00:00(:00(\\.0+)?)?$', '\\1')")
    if kol.typ == KOMMUN:
        return (f"case when regexp_full_match({t}, '[0-9]{{3}}') and '0' || {t} in "
                f"(select kod from kommun) then '0' || {t} else {t} end")
    if kol.typ == ENUM:
        return f"regexp_replace(translate(lower({t}), 'åäöé -', 'aaoe__'), '_+', '_', 'g')"
    if kol.typ == BOOL:
        return f"lower({t})"
    return t


# ---------------------------------------------------------------- step 2: cell checks


def _cellkontroll(kol: Kolumn, decimal: str, kontext: Kontext, n: str, r: str
                  ) -> tuple[str, dict[str, str]]:
    """(CASE expression giving the problem kod of a cell, {kod: info1 expression}).

    `n` is the column's normalised text and `r` the text as written.
    """
    fall: list[str] = []
    info: dict[str, str] = {}
    fall.append(f"when regexp_matches({r}, '{KONTROLLTECKEN_RE}') then 'kontrolltecken'")
    if not kol.nullbar:
        fall.append(f"when {n} is null then 'saknas'")
    if kol.typ in MAX_TECKEN:
        fall.append(f"when length({r}) > {MAX_TECKEN[kol.typ]} then 'for_langt'")
        info["for_langt"] = konstant(str(MAX_TECKEN[kol.typ]))
    if kol.typ in (ID, PSEUDONYM):
        fall.append(f"when strlen({n}) <> length({n}) then 'id_ej_ascii'")
    if kol.typ == DATUM:
        fall.append(f"when not regexp_full_match({n}, '{_DATUM_RE}') then 'datum_format'")
        fall.append(f"when try_strptime({n}, '%Y-%m-%d') is null then 'datum_finns_inte'")
        info["datum_format"] = (
            f"case when regexp_full_match({n}, '[0-9]{{5}}') then ' (det ser ut som ett "
            f"Excel-datumnummer: formatera cellen som datum)' "
            f"when regexp_full_match({n}, '[0-9]{{1,2}}[./-][0-9]{{1,2}}[./-][0-9]{{4}}') "
            f"then ' (skriv året först, t.ex. 2024-03-31)' "
            f"when regexp_full_match({n}, '[0-9]{{8}}') then ' (med bindestreck, t.ex. "
            f"2024-03-31)' else '' end")
    if kol.typ in (MINUTER, HELTAL):
        fall.append(f"when not regexp_full_match({n}, '{_HELTAL_RE}') and "
                    f"regexp_full_match({n}, '{_DECIMAL_RE[DECIMAL_BADA]}') then 'inte_heltal'")
        fall.append(f"when not regexp_full_match({n}, '{_HELTAL_RE}') then 'inte_tal'")
        fall.append(f"when try_cast({n} as integer) is null then 'for_stort'")
        info["inte_heltal"] = konstant("minuter" if kol.typ == MINUTER else "tal")
        if kol.typ == MINUTER:
            fall.append(f"when cast({n} as integer) < 0 then 'negativ_tid'")
            fall.append(f"when cast({n} as integer) > {MAX_MIN_PER_BESOK} then 'over_24h'")
        elif kol.min_varde is not None:
            kod = "manad_utanfor" if kol.namn == "manad" else "ar_utanfor"
            fall.append(f"when cast({n} as integer) not between {int(kol.min_varde)} and "
                        f"{int(kol.max_varde)} then '{kod}'")
            info[kod] = konstant(str(int(kol.min_varde)))
    if kol.typ == DECIMAL:
        ok_re = _DECIMAL_RE[decimal]
        if decimal in _ANNAN_DECIMAL_RE:
            fall.append(f"when not regexp_full_match({n}, '{ok_re}') and "
                        f"regexp_full_match({n}, '{_ANNAN_DECIMAL_RE[decimal]}') "
                        f"then 'fel_decimaltecken'")
            annan = "." if decimal == "," else ","
            info["fel_decimaltecken"] = konstant(_DECIMAL_NAMN[annan])
        fall.append(f"when not regexp_full_match({n}, '{ok_re}') then 'inte_tal'")
        fall.append(f"when try_cast(replace({n}, ',', '.') as {kol.sql_typ}) is null "
                    f"then 'for_stort'")
        if kol.positiv:
            fall.append(f"when cast(replace({n}, ',', '.') as {kol.sql_typ}) <= 0 "
                        f"then 'taxa_ej_positiv'")
            info["taxa_ej_positiv"] = (f"case when cast(replace({n}, ',', '.') as {kol.sql_typ})"
                                       f" = 0 then 'noll' else 'negativ' end")
    if kol.typ == KOMMUN:
        fall.append(f"when {n} not in (select kod from kommun) then 'okand_kommun'")
        fall.append(f"when {n} <> {r} then 'kommun_nolla'")
        info["kommun_nolla"] = n
    if kol.typ == ENUM:
        lista = ", ".join(konstant(v) for v in kol.tillatna)
        fall.append(f"when {n} not in ({lista}) then 'okant_varde'")
        info["okant_varde"] = konstant(" och ".join(kol.tillatna))
    if kol.typ == BOOL:
        lista = ", ".join(konstant(v) for v in SANT + FALSKT)
        fall.append(f"when {n} not in ({lista}) then 'inte_bool'")
    if not fall:
        return "null", info
    # A missing optional value is fine: only 'saknas' may fire on NULL.
    hela = "case " + " ".join(fall) + " end"
    if kol.nullbar:
        hela = f"case when {n} is null then null else {hela} end"
    return hela, info


def _info2_uttryck(kol: Kolumn, decimal: str, n: str, kod: str) -> str:
    if kol.typ == DECIMAL and decimal in _DECIMAL_NAMN:
        return f"case when {kod} = 'fel_decimaltecken' then {konstant(_DECIMAL_NAMN[decimal])} end"
    if kol.typ == ENUM and kol.namn == "insats":
        delar = " ".join(f"when {n} = {konstant(k)} then {konstant(v)}" for k, v in _INSATS_TIPS.items())
        return f"case when {kod} = 'okant_varde' then (case {delar} else '' end) end"
    if kol.min_varde is not None and kol.typ == HELTAL:
        return f"case when {kod} = 'ar_utanfor' then {konstant(str(int(kol.max_varde)))} end"
    return "cast(null as varchar)"


# ---------------------------------------------------------------- the whole check


def validera(con, inlast: Inlast, tabell: str, filnamn: str, kontext: Kontext,
             prefix: str) -> Validering:
    """Check every value and rule of one file; build `<prefix>_typ` with the cast values."""
    spec = TABELLER[tabell]
    problem_lista = list(inlast.problem)
    rad_tabell = ident(inlast.tabell_sql)
    # the tables of this file: the caller's prefix (f0) and a suffix, never text from the file
    norm, problem_t, pmap_t, typ_t = (ident(f"{prefix}_{d}") for d in ("norm", "problem", "pmap", "typ"))
    info_rader: list[str] = []

    def fel(kod: str, **kw) -> Problem:
        return problem(filnamn, kod, tabell=tabell, **kw)

    # Header: map each known column to its c-index. This is the only place a file's header text
    # meets the SQL: it is compared with the schema's names; the SQL below names columns by the
    # schema (kol.namn) and by position (c0, c1, ...), never by what the file wrote.
    index: dict[str, int] = {}
    alla = ", ".join(spec.kolumnnamn)
    for i, (skrivet, rubrik) in enumerate(inlast.kolumner):
        if rubrik == "":
            forsta = con.execute(
                f"select min(rad) from {rad_tabell} where nullif(trim({ident(f'c{i}')}, $t), '') is not null",
                {"t": _TRIM_TECKEN}).fetchone()[0]
            if forsta is not None:
                problem_lista.append(fel("varde_utan_rubrik", rad=forsta, varde=f"nr {i + 1}"))
        elif rubrik not in spec.kolumnnamn:
            problem_lista.append(fel("okand_kolumn", rad=inlast.rubrikrad, varde=skrivet,
                                     info1=alla))
        elif rubrik in index:
            problem_lista.append(fel("dubbel_kolumn", rad=inlast.rubrikrad, kolumn=rubrik,
                                     varde=skrivet))
        else:
            index[rubrik] = i
    for kol in spec.kolumner:
        if kol.namn not in index and not kol.kan_utelamnas:
            problem_lista.append(fel("saknad_kolumn", rad=inlast.rubrikrad, kolumn=kol.namn,
                                     info1=alla))
    finns = [k for k in spec.kolumner if k.namn in index]

    # Step 1: normalised text per column.
    valjare = ["rad"]
    for kol in finns:
        t = f"nullif(trim({ident(f'c{index[kol.namn]}')}, {konstant(_TRIM_TECKEN)}), '')"
        valjare.append(f"{t} as {ident('r_' + kol.namn)}")
        valjare.append(f"{_norm_uttryck(kol, t)} as {ident('n_' + kol.namn)}")
    con.execute(f"create view {norm} as select {', '.join(valjare)} from {rad_tabell}")

    decimal = _valj_decimal(con, prefix, inlast, finns)

    # Step 2a: each cell.
    con.execute(f"""create table {problem_t} (rad integer, kolumn varchar, varde varchar,
                    kod varchar, info1 varchar, info2 varchar, info3 varchar)""")
    # One pass over the rows computes every column's problem kod; only rows with a problem
    # build the list of (kolumn, varde, kod, info) structs that is unnested into the table.
    kodkolumner, structar, villkor = [], [], []
    for kol in finns:
        n, r, kod = ident(f"n_{kol.namn}"), ident(f"r_{kol.namn}"), ident(f"kod_{kol.namn}")
        kod_sql, info = _cellkontroll(kol, decimal or ",", kontext, n, r)
        if kod_sql == "null":
            continue
        info1 = ("case " + " ".join(f"when {kod} = {konstant(k)} then {v}" for k, v in info.items())
                 + " end") if info else "cast(null as varchar)"
        varde = (f"case when {kod} = 'for_langt' then left({r}, 40) || '…' else {r} end"
                 if kol.typ in MAX_TECKEN else r)
        kodkolumner.append(f"{kod_sql} as {kod}")
        structar.append(
            f"struct_pack(kolumn := {konstant(kol.namn)}, varde := {varde}, kod := {kod}, "
            f"info1 := cast({info1} as varchar), "
            f"info2 := cast({_info2_uttryck(kol, decimal, n, kod)} as varchar))")
        villkor.append(f"{kod} is not null")
    if structar:
        con.execute(f"""
            insert into {problem_t}
            select rad, p.kolumn, p.varde, p.kod, p.info1, p.info2, null
            from (select rad, unnest(list_filter([{', '.join(structar)}],
                                                 lambda s: s.kod is not null)) as p
                  from (select *, {', '.join(kodkolumner)} from {norm})
                  where {' or '.join(villkor)})""")

    # Personnummer anywhere in a text column: refused, or in brukare_id pseudonymised on request.
    antal_pseudonymiserade, pmap = _personnummer(con, prefix, finns, kontext)
    pseudo_kol = next((k for k in finns if k.typ == PSEUDONYM), None)
    con.execute(f"create table {pmap_t} (varde varchar, pseudonym varchar)")
    if pmap:
        con.execute(f"insert into {pmap_t} select unnest($v), unnest($p)",
                    {"v": list(pmap), "p": list(pmap.values())})
        personer = len(set(pmap.values()))
        info_rader.append(
            f"{antal_pseudonymiserade} {'värde' if antal_pseudonymiserade == 1 else 'värden'}"
            f" i {pseudo_kol.namn} ({personer} {'person' if personer == 1 else 'personer'}) "
            "såg ut som personnummer (eller samordningsnummer) och ersattes med pseudonymer "
            "(nyckelad HMAC-SHA256).")

    # Step 3: cast values (NULL where invalid) so rules across rows can use real types.
    valjare = ["rad"]
    for kol in spec.kolumner:
        if kol.namn in index:
            valjare.append(f"{_cast_uttryck(kol, decimal or ',')} as {ident(kol.namn)}")
        else:
            valjare.append(f"cast(null as {kol.sql_typ}) as {ident(kol.namn)}")
    fran = norm
    if pseudo_kol is not None:
        fran += f" left join {pmap_t} pm on pm.varde = {ident('n_' + pseudo_kol.namn)}"
    con.execute(f"create table {typ_t} as select {', '.join(valjare)} from {fran}")

    # Step 2b: rules across rows.
    _regler_over_rader(con, spec, prefix, set(index), kontext, problem_lista, fel)

    # Collect.
    per_kod = dict(con.execute(
        f"select kod, count(*) from {problem_t} group by kod").fetchall())
    for p in problem_lista:
        per_kod[p.kod] = per_kod.get(p.kod, 0) + 1
    antal_varningar = sum(n for k, n in per_kod.items() if k in VARNINGSKODER)
    antal_fel = sum(per_kod.values()) - antal_varningar
    kolumnordning = list(spec.kolumnnamn)
    rader = con.execute(
        f"""select rad, kolumn, varde, kod, info1, info2, info3 from {problem_t}
            order by rad nulls first, list_position($ordning, kolumn), kod
            limit $max""", {"ordning": kolumnordning, "max": MAX_PROBLEM_VISADE}).fetchall()
    for rad, kolumn, varde, kod, i1, i2, i3 in rader:
        problem_lista.append(fel(kod, rad=rad, kolumn=kolumn, varde=varde, info1=i1, info2=i2,
                                 info3=i3))
    problem_lista.sort(key=lambda p: (p.rad is not None, p.rad or 0,
                                      kolumnordning.index(p.kolumn)
                                      if p.kolumn in kolumnordning else -1))
    avvisade = con.execute(
        f"""select count(distinct rad) from (
                select rad from {problem_t} where kod not in (select unnest($v))
                union all select unnest($extra))""",
        {"v": list(VARNINGSKODER),
         "extra": [p.rad for p in inlast.problem if p.rad is not None]}).fetchone()[0]
    return Validering(
        problem=problem_lista, antal_fel=antal_fel, antal_varningar=antal_varningar,
        antal_per_kod=per_kod, avvisade_rader=int(avvisade),
        typ_tabell=f"{prefix}_typ",
        decimal=decimal if any(k.typ == DECIMAL for k in finns) else None,
        pseudonymiserade=antal_pseudonymiserade, info=info_rader,
    )


def _personnummer(con, prefix: str, finns: list[Kolumn], kontext: Kontext
                  ) -> tuple[int, dict[str, str]]:
    """Search every text column for personnummer; (values pseudonymised, {value: pseudonym}).

    DuckDB pre-filters the values holding ten digits with short separators between them; only
    those reach Python, where pseudonym.hitta_personnummer decides (stdnum). A hit is a
    problem row with the value masked, except in brukare_id when pseudonymisation was asked
    for: then the whole value is replaced by the pseudonym of the number it holds.
    """
    pmap: dict[str, str] = {}
    antal = 0
    for kol in finns:
        if kol.typ not in TEXTKOLUMNER:
            continue
        r = ident(f"r_{kol.namn}")
        kandidater = con.execute(
            f"""select {r}, list(rad order by rad), count(*) from {ident(prefix + '_norm')}
                where regexp_matches({r}, '{pseudonym._KANDIDAT_SQL}')
                  and not regexp_matches({r}, '{KONTROLLTECKEN_RE}')
                group by {r}""").fetchall()
        problemrader = []
        for varde, rader, n in kandidater:
            traffar = pseudonym.hitta_personnummer(varde)
            if not traffar:
                continue
            if kol.typ == PSEUDONYM and kontext.pseudonymisera:
                pmap[varde] = pseudonym.pseudonym_av_kanon(traffar[0].kanon, kontext.nyckel)
                antal += n
                continue
            maskerat = pseudonym.maskera_traffar(varde, traffar)
            kod = "personnummer" if kol.typ == PSEUDONYM else "personnummer_i_text"
            problemrader += [(rad, kol.namn, maskerat, kod, traffar[0].typ) for rad in rader]
        if problemrader:
            con.execute(f"""insert into {ident(prefix + '_problem')}
                select unnest($rad), unnest($kol), unnest($v), unnest($kod), unnest($typ),
                       null, null""",
                        {"rad": [p[0] for p in problemrader], "kol": [p[1] for p in problemrader],
                         "v": [p[2] for p in problemrader], "kod": [p[3] for p in problemrader],
                         "typ": [p[4] for p in problemrader]})
    return antal, pmap


def _valj_decimal(con, prefix: str, inlast: Inlast, finns: list[Kolumn]) -> str | None:
    """The decimal mark: as given; '.' in a comma-separated file; else the most common."""
    given = tolka_decimal(inlast.decimal)
    if given is not None:
        return given
    if inlast.avgransare == ",":
        return "."
    decimalkolumner = [k for k in finns if k.typ == DECIMAL]
    if not decimalkolumner:
        return ","
    komma = " + ".join(
        f"count(*) filter (where regexp_full_match({ident('n_' + k.namn)}, '{_ANNAN_DECIMAL_RE['.']}'))"
        for k in decimalkolumner)
    punkt = " + ".join(
        f"count(*) filter (where regexp_full_match({ident('n_' + k.namn)}, '{_ANNAN_DECIMAL_RE[',']}'))"
        for k in decimalkolumner)
    antal_komma, antal_punkt = con.execute(
        f"select {komma}, {punkt} from {ident(prefix + '_norm')}").fetchone()
    # Swedish exports write a decimal comma; a point only wins when it is the more common.
    return "." if antal_punkt > antal_komma else ","


def _cast_uttryck(kol: Kolumn, decimal: str) -> str:
    n = ident(f"n_{kol.namn}")
    if kol.typ == DATUM:
        return (f"case when regexp_full_match({n}, '{_DATUM_RE}') "
                f"then cast(try_strptime({n}, '%Y-%m-%d') as date) end")
    if kol.typ in (MINUTER, HELTAL):
        return f"case when regexp_full_match({n}, '{_HELTAL_RE}') then try_cast({n} as integer) end"
    if kol.typ == DECIMAL:
        return (f"case when regexp_full_match({n}, '{_DECIMAL_RE[decimal]}') "
                f"then try_cast(replace({n}, ',', '.') as {kol.sql_typ}) end")
    if kol.typ == BOOL:
        sant = ", ".join(konstant(v) for v in SANT)
        falskt = ", ".join(konstant(v) for v in FALSKT)
        return f"case when {n} in ({sant}) then true when {n} in ({falskt}) then false end"
    if kol.typ == PSEUDONYM:
        return f"coalesce(pm.pseudonym, {n})"
    return n


def _period_text(fran: str, till: str) -> str:
    return (f"strftime({fran}, '%Y-%m-%d') || '–' || "
            f"coalesce(strftime({till}, '%Y-%m-%d'), 'tills vidare')")


def _regler_over_rader(con, spec: Tabell, prefix: str, finns: set[str], kontext: Kontext,
                       problem_lista: list[Problem], fel) -> None:
    typ = ident(f"{prefix}_typ")
    ins = f"insert into {ident(prefix + '_problem')} "

    # Duplicate natural key within the file (ersattningsnivaer: the overlap rule covers it).
    if spec.namn in _DUBBLETT_TEXT and set(spec.nyckel) <= finns:
        nyckel = identlista(spec.nyckel)
        ej_null = " and ".join(f"{ident(k)} is not null" for k in spec.nyckel
                               if not spec.kolumn(k).nullbar) or "true"
        varde = " || ', ' || ".join(f"coalesce(cast({ident(k)} as varchar), '(tom)')"
                                    for k in spec.nyckel)
        con.execute(ins + f"""
            select rad, {konstant(', '.join(spec.nyckel))}, {varde}, 'dubblett',
                   cast(forsta as varchar), {konstant(_DUBBLETT_TEXT[spec.namn])}, null
            from (select *, min(rad) over (partition by {nyckel}) as forsta from {typ}
                  where {ej_null})
            where rad > forsta""")

    if spec.namn == "budget" and {"ar", "manad", "insats"} <= finns:
        # An annual row (manad empty) and monthly rows for the same year and insats would be
        # counted twice when the budget is periodised.
        con.execute(ins + f"""
            select rad, 'manad', cast(ar as varchar), 'budget_blandad', insats,
                   cast(forsta_ars as varchar), null
            from (select *, min(rad) filter (where manad is null)
                                over (partition by ar, insats) as forsta_ars,
                            count(*) filter (where manad is not null)
                                over (partition by ar, insats) as antal_man
                  from {typ} where ar is not null and insats is not null)
            where forsta_ars is not null and antal_man > 0 and manad is not null""")

    if spec.namn == "besok":
        if "utforare_id" in finns:
            if kontext.utforare_sql is None:
                con.execute(ins + f"""
                    select rad, 'utforare_id', utforare_id, 'okand_utforare',
                           ' (inga utförare är importerade ännu)', null, null
                    from {typ} where utforare_id is not null""")
            else:
                con.execute(ins + f"""
                    select rad, 'utforare_id', utforare_id, 'okand_utforare', '', null, null
                    from {typ} where utforare_id is not null and utforare_id not in
                        (select utforare_id from {ident(kontext.utforare_sql)})""")
        if {"beviljad_min", "utford_min", "insats", "datum"} <= finns:
            _regel_beviljad(con, prefix, kontext)

    if spec.namn == "utforare" and kontext.lagrade_besok_sql and "utforare_id" in finns:
        saknade = con.execute(f"""
            select utforare_id, count(*) from {ident(kontext.lagrade_besok_sql)}
            where utforare_id not in (select utforare_id from {typ} where utforare_id is not null)
            group by utforare_id order by utforare_id""").fetchall()
        if saknade:
            exempel = ", ".join(u for u, _ in saknade[:10]) + (" …" if len(saknade) > 10 else "")
            problem_lista.append(fel("utforare_anvands", kolumn="utforare_id", varde=exempel,
                                     info1=sum(n for _, n in saknade)))

    if spec.namn == "ersattningsnivaer" and {"giltig_fran", "giltig_till", "insats"} <= finns:
        con.execute(ins + f"""
            select rad, 'giltig_till', strftime(giltig_till, '%Y-%m-%d'), 'period_omvand',
                   'giltig_fran', strftime(giltig_fran, '%Y-%m-%d'), null
            from {typ} where giltig_till < giltig_fran""")
        regi = "regi" if "regi" in finns else "cast(null as varchar)"
        # a paying kommun's rate (betalande_kommun) is its own series: it may overlap ours
        betalare = "betalande_kommun" if "betalande_kommun" in finns else "cast(null as varchar)"
        con.execute(ins + f"""
            with p as (select rad, giltig_fran, giltig_till, insats, {regi} as regi,
                              {betalare} as betalande_kommun from {typ}
                       where giltig_fran is not null and insats is not null
                         and (giltig_till is null or giltig_till >= giltig_fran))
            select b.rad, 'giltig_fran', {_period_text('b.giltig_fran', 'b.giltig_till')},
                   'period_overlapp', {_period_text('a.giltig_fran', 'a.giltig_till')},
                   cast(a.rad as varchar),
                   'insats ' || b.insats || ', regi ' || coalesce(b.regi, 'alla (tom)')
            from p a join p b
              on a.rad < b.rad and a.insats = b.insats and a.regi is not distinct from b.regi
             and a.betalande_kommun is not distinct from b.betalande_kommun
             and a.giltig_fran <= coalesce(b.giltig_till, date '9999-12-31')
             and b.giltig_fran <= coalesce(a.giltig_till, date '9999-12-31')""")

    if spec.namn == "vistelser" and {"fran", "till", "brukare_id"} <= finns:
        con.execute(ins + f"""
            select rad, 'till', strftime(till, '%Y-%m-%d'), 'period_omvand', 'fran',
                   strftime(fran, '%Y-%m-%d'), null
            from {typ} where till < fran""")
        con.execute(ins + f"""
            with p as (select rad, brukare_id, fran, till from {typ}
                       where brukare_id is not null and fran is not null and till >= fran)
            select b.rad, 'fran', {_period_text('b.fran', 'b.till')}, 'vistelse_overlapp',
                   {_period_text('a.fran', 'a.till')}, cast(a.rad as varchar), null
            from p a join p b
              on a.rad < b.rad and a.brukare_id = b.brukare_id and a.fran <> b.fran
             and a.fran <= b.till and b.fran <= a.till""")


def _regel_beviljad(con, prefix: str, kontext: Kontext) -> None:
    """Visits with delivered but no granted time: an error where the rate is per granted time.

    The rate in force is the one for the visit's insats and date whose regi is the provider's
    (a rate with empty regi applies to all regier; a rate for the specific regi wins).
    Without a rate or when it is paid per delivered time it is a warning: the cost can be
    computed, but comparisons of granted and delivered time leave the visit out.
    """
    typ = ident(f"{prefix}_typ")
    if kontext.utforare_sql:
        regi = (f"left join (select utforare_id, any_value(regi) as regi from "
                f"{ident(kontext.utforare_sql)} group by utforare_id) u using (utforare_id)")
        regi_kol = "u.regi"
    else:
        regi, regi_kol = "", "cast(null as varchar)"
    if kontext.ersattning_sql:
        taxa = f"""
            left join {ident(kontext.ersattning_sql)} e
              on e.insats = b.insats and b.datum >= e.giltig_fran
             and (e.giltig_till is null or b.datum <= e.giltig_till)
             and (e.regi is null or e.regi = b.regi)"""
        taxa_kol = "e.grund, e.regi as taxa_regi, e.kr_per_timme, e.giltig_fran"
        ordning = "qualify row_number() over (partition by b.rad order by e.regi nulls last) = 1"
    else:
        taxa = ""
        taxa_kol = ("cast(null as varchar) as grund, cast(null as varchar) as taxa_regi, "
                    "null as kr_per_timme, cast(null as date) as giltig_fran")
        ordning = ""
    con.execute(f"""
        insert into {ident(prefix + '_problem')}
        with b as (select t.rad, t.datum, t.insats, t.utford_min, {regi_kol} as regi
                   from {typ} t {regi}
                   where t.beviljad_min is null and t.utford_min is not null
                     and t.datum is not null and t.insats is not null),
        m as (select b.rad, b.insats, {taxa_kol} from b {taxa} {ordning})
        select rad, 'beviljad_min', null,
               case when grund = 'beviljad' then 'beviljad_saknas'
                    else 'beviljad_saknas_varning' end,
               case when grund = 'beviljad' then
                   insats || ', ' || coalesce(taxa_regi, 'alla regier') || ', '
                   || replace(cast(kr_per_timme as varchar), '.', ',') || ' kr/tim från '
                   || strftime(giltig_fran, '%Y-%m-%d') end,
               null, null
        from m""")
