"""National-scale fictitious extracts for the benchmark, in the data contract of beslutsstod/data/demo.py.

All 290 municipalities appear both as bosättningskommun and as vistelsekommun. The model, per
person (a pseudonym with a home municipality, a care need and a favourite place to stay):

- a home municipality drawn by population (approximate SCB figures for the largest, a log-normal
  spread for the rest), a stay type (summer at the coast 60 %, all year 32 %, winter in the
  mountains 8 %) and a favourite vistelsekommun (coast/mountain hot spots, or the same län);
- each year the person stays away with probability 55 %, mostly at the favourite place;
- a stay of days × visits per day hemtjänst (1–3 a day, as decided) plus kommunal primärvård
  every third day for about a third of persons; the visit minutes as in the demo data.

Every draw is a hash of (seed, entity, tag), so the output depends only on the arguments, not on
DuckDB's thread scheduling. The visits are generated and written by DuckDB SQL per year
(partition ar=YYYY), sorted so that row-group min/max statistics prune (see --sortering), and the
row count is exact: the last stay kept is cut short.

Run: ``python bench/generate.py [--rows 10000000] [--out bench/data]`` (15–40 s per 10 million
rows on 2 shared cores; 70 MB of Parquet per 10 million visits sorted by municipality).
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import json
import math
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from beslutsstod import installningar
from beslutsstod.data import db, demo

DEFAULT_ROWS = 10_000_000
DEFAULT_OUT = ROOT / "bench" / "data"
FIRST_YEAR = 2020
YEARS = 6
P_ACTIVE = 0.55  # share of persons who stay away in a given year
VISITS_PER_STAY = 44  # expected visits per stay under the model below (26.3 days × 1.69 a day), for sizing
HEADROOM = 1.15  # generate 15 % more stays than needed, then cut at exactly --rows
FORCED_DAYS = 7  # the coverage stays (one per municipality and side) are short: 7 days, 1 visit a day
ROW_GROUP_ROWS = 122_880  # DuckDB's default row group; ~27 days of national visits at 10 M / 6 years
MOMS = 0.06  # momskompensation to private providers, as in the demo data

# Approximate population in thousands (SCB 2024, rounded) of the largest municipalities and of
# Härryda; the others get a log-normal spread around 12 000 inhabitants.
POPULATION_K = {
    "Stockholm": 980, "Göteborg": 600, "Malmö": 360, "Uppsala": 240, "Linköping": 168, "Örebro": 160,
    "Västerås": 158, "Helsingborg": 150, "Norrköping": 145, "Jönköping": 145, "Umeå": 132, "Lund": 128,
    "Borås": 115, "Huddinge": 115, "Eskilstuna": 108, "Nacka": 108, "Gävle": 103, "Halmstad": 104,
    "Södertälje": 102, "Sundsvall": 99, "Växjö": 96, "Karlstad": 95, "Botkyrka": 95, "Kristianstad": 86,
    "Luleå": 79, "Härryda": 39,
}
# Where people stay in summer (coast, islands, lakes) and in winter (ski resorts).
SOMMAR = ["Tanum", "Strömstad", "Sotenäs", "Lysekil", "Orust", "Tjörn", "Kungsbacka", "Varberg", "Falkenberg",
          "Halmstad", "Laholm", "Båstad", "Höganäs", "Ängelholm", "Vellinge", "Ystad", "Simrishamn", "Tomelilla",
          "Gotland", "Borgholm", "Mörbylånga", "Norrtälje", "Värmdö", "Österåker", "Nynäshamn", "Vaxholm",
          "Valdemarsvik", "Västervik", "Karlskrona", "Kalmar", "Öckerö", "Kungälv", "Uddevalla", "Oskarshamn",
          "Hudiksvall", "Nordanstig", "Kramfors", "Härnösand", "Östhammar", "Söderhamn", "Leksand", "Rättvik"]
VINTER = ["Åre", "Härjedalen", "Malung-Sälen", "Älvdalen", "Berg", "Storuman", "Kiruna", "Vilhelmina", "Mora",
          "Orsa", "Sollefteå"]
HOTSPOT_WEIGHT_SOMMAR = 30  # a summer hot spot is this many times as likely as an ordinary municipality
HOTSPOT_WEIGHT_VINTER = 40

SORTERINGAR = {
    # Rows of one year ordered so that a filter on the home municipality (the cost side of every
    # page) reads one or two row groups instead of all of them; the date is second.
    "kommun": "bosattningskommun, datum, vistelsekommun",
    # Chronological, as an export from a time-registration system comes.
    "datum": "datum, bosattningskommun",
}


def _municipalities(geojson: Path, seed: int) -> list[dict]:
    """One dict per municipality: kod, namn, lan, population weight, summer and winter weights."""
    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    rows = sorted(({"kod": f["properties"]["id"], "namn": f["properties"]["kom_namn"],
                    "lan": f["properties"]["lan_code"]} for f in features), key=lambda r: r["kod"])
    names = {r["namn"] for r in rows}
    missing = [n for n in [*POPULATION_K, *SOMMAR, *VINTER] if n not in names]
    if missing:
        raise ValueError(f"Kommuner saknas i {geojson}: {missing}")
    # z ~ N(0, 1) approximately, from three hashed uniforms (Irwin–Hall: sum − 1.5, variance 1/4)
    z = dict(duckdb.sql(
        "select kod, 2 * (hash(hash($s, kod, 'pop1')) / 18446744073709551616.0"
        " + hash(hash($s, kod, 'pop2')) / 18446744073709551616.0"
        " + hash(hash($s, kod, 'pop3')) / 18446744073709551616.0 - 1.5) from unnest($koder) t(kod)",
        params={"s": seed, "koder": [r["kod"] for r in rows]}).fetchall())
    for r in rows:
        pop_k = POPULATION_K.get(r["namn"]) or 12 * math.exp(0.8 * z[r["kod"]])
        r["w_pop"] = max(1, round(pop_k))
        r["w_sommar"] = HOTSPOT_WEIGHT_SOMMAR if r["namn"] in SOMMAR else 1
        r["w_vinter"] = HOTSPOT_WEIGHT_VINTER if r["namn"] in VINTER else 1
        r["n_privata"] = 3 if pop_k >= 100 else (2 if r["namn"] in SOMMAR else 0)
    return rows


def _pool(rows: list[dict], weight: str) -> list[str]:
    """Codes repeated by their integer weight: a uniform index into it is a weighted draw."""
    return [r["kod"] for r in rows for _ in range(r[weight])]


def generate(out: Path, rows: int = DEFAULT_ROWS, seed: int = 42, first_year: int = FIRST_YEAR,
             years: int = YEARS, hemkommun: str | None = None, sortering: str = "kommun",
             threads: int = 2, memory_limit: str = "3GB", verbose: bool = True,
             radgrupp: int = ROW_GROUP_ROWS) -> Path:
    """Write extracts/ under `out` (besok/ar=YYYY/besok.parquet and the four small extracts)."""
    t_start = time.perf_counter()
    hemkommun = hemkommun or installningar.get("hemkommun")
    last_year = first_year + years - 1
    last_date = dt.date(last_year, 12, 31)
    kommuner = _municipalities(ROOT / "data" / "reference" / "kommuner.geojson"
                               if (ROOT / "data" / "reference" / "kommuner.geojson").exists()
                               else installningar.reference_dir() / "kommuner.geojson", seed)
    n_stays = math.ceil(rows / VISITS_PER_STAY * HEADROOM)
    n_persons = max(2 * len(kommuner) + 20, math.ceil(n_stays / (years * P_ACTIVE)))

    extracts = out / "extracts"
    tmp = out / "extracts.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "besok").mkdir(parents=True)
    spill = out / "duckdb_tmp"
    spill.mkdir(parents=True, exist_ok=True)

    con = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit,
                                 "temp_directory": str(spill), "preserve_insertion_order": False})
    # hash(s, a, b, tag) alone combines its arguments' hashes so that two tags give almost perfectly
    # (anti-)correlated values (measured r = −0.998); hashing the combination again makes them independent.
    con.execute("create macro u(s, a, b, tag) as hash(hash(s, a, b, tag)) / 18446744073709551616.0")
    con.execute("create table kommun (i integer, kod varchar, namn varchar, lan varchar, n_privata integer)")
    con.executemany("insert into kommun values (?, ?, ?, ?, ?)",
                    [(i, r["kod"], r["namn"], r["lan"], r["n_privata"]) for i, r in enumerate(kommuner)])
    con.execute("create table pool as select $alla as alla, $pop as pop, $sommar as sommar, $vinter as vinter",
                {"alla": [r["kod"] for r in kommuner], "pop": _pool(kommuner, "w_pop"),
                 "sommar": _pool(kommuner, "w_sommar"), "vinter": _pool(kommuner, "w_vinter")})
    con.execute("create table lan_pool as select lan, list(kod order by kod) as koder from kommun group by lan")
    p = {"seed": seed, "n_persons": n_persons, "n_kommuner": len(kommuner), "first_year": first_year,
         "years": years, "last_date": last_date, "rows": rows, "p_active": P_ACTIVE, "forced_days": FORCED_DAYS}

    # One row per person. Persons 0..289 are resident in municipality i and persons 290..579 stay
    # in municipality i − 290, so every municipality is on both sides whatever the scale.
    con.execute("""
    create table person as
    with base as (
        select
            p,
            case
                when u($seed, p, 0, 'typ') < 0.60 then 'sommar'
                when u($seed, p, 0, 'typ') < 0.92 then 'aret'
                else 'vinter'
            end as typ,
            case when p < $n_kommuner then pool.alla[p + 1]
                 else pool.pop[1 + floor(u($seed, p, 0, 'bos') * len(pool.pop))::bigint] end as bos0,
            case when p >= $n_kommuner and p < 2 * $n_kommuner then pool.alla[p - $n_kommuner + 1] end as tvingad_vist,
            u($seed, p, 0, 'vist') as u_vist,
            u($seed, p, 0, 'lan') as u_lan,
            case
                when u($seed, p, 0, 'behov') < 0.10 then 0
                when u($seed, p, 0, 'behov') < 0.10 + 0.90 * 5 / 11 then 1
                when u($seed, p, 0, 'behov') < 0.10 + 0.90 * 9 / 11 then 2
                else 3
            end as besok_per_dag,
            u($seed, p, 0, 'hsl') < 0.35 as har_hsl0,
            -- letters only (hex digits mapped to g–p): a pseudonym with a run of digits can look like a
            -- samordningsnummer to the import's personnummer check, which then rightly refuses it
            'p' || translate(substr(md5(concat($seed, '-', p)), 1, 14), '0123456789', 'ghijklmnop') as brukare_id,
        from range($n_persons) t(p), pool
    ),
    med_bos as (
        -- a forced vistelsekommun must differ from the home municipality: move the home instead
        select base.*,
            case when bos0 = tvingad_vist
                 then (select kod from kommun where i = ((select i from kommun where kod = bos0) + 1) % $n_kommuner)
                 else bos0 end as bos,
        from base
    ),
    med_val as (
        select med_bos.*,
            coalesce(tvingad_vist, case
                when typ = 'sommar' then pool.sommar[1 + floor(u_vist * len(pool.sommar))::bigint]
                when typ = 'vinter' then pool.vinter[1 + floor(u_vist * len(pool.vinter))::bigint]
                -- all year: six in ten near home (same län), the rest with family anywhere
                when u_lan < 0.6 then lan_pool.koder[1 + floor(u_vist * len(lan_pool.koder))::bigint]
                else pool.pop[1 + floor(u_vist * len(pool.pop))::bigint]
            end) as vist0,
        from med_bos
        cross join pool
        join kommun hem on hem.kod = med_bos.bos
        join lan_pool on lan_pool.lan = hem.lan
    )
    select
        p, typ, bos, brukare_id, besok_per_dag,
        (har_hsl0 or besok_per_dag = 0) as har_hsl,
        tvingad_vist is not null or p < $n_kommuner as tvingad,
        -- a stay is never in the home municipality: take the next code instead
        case when vist0 = bos
             then (select kod from kommun where i = ((select i from kommun where kod = vist0) + 1) % $n_kommuner)
             else vist0 end as favorit,
    from med_val
    """, {k: p[k] for k in ("seed", "n_persons", "n_kommuner")})

    # One row per stay (person × year when away), cut so that the visits sum to exactly $rows.
    con.execute("""
    create table vistelse as
    with kandidat as (
        select
            person.*,
            y,
            hash(hash($seed, p, y, 'ordning')) as ordning,
            -- the coverage stay: the first year for the forced persons, short and simple
            person.tvingad and y = $first_year + p % $years as kort,
        from person, range($first_year, $first_year + $years) t(y)
        where u($seed, p, y, 'aktiv') < $p_active or (person.tvingad and y = $first_year + p % $years)
    ),
    plats as (
        select kandidat.*,
            case when kort or u($seed, p, y, 'favorit') < 0.8 then favorit
                 else (select case when k.kod = kandidat.bos then pool.alla[1 + (k.i + 1) % $n_kommuner] else k.kod end
                       from kommun k, pool where k.i = floor(u($seed, p, y, 'annan') * $n_kommuner)::int)
            end as vist,
            case typ
                when 'sommar' then make_date(y, 6, 1) + floor(u($seed, p, y, 'start') * 75)::int
                when 'vinter' then [make_date(y, 2, 1), make_date(y, 3, 1), make_date(y, 12, 18)]
                                   [1 + floor(u($seed, p, y, 'manad') * 3)::int] + floor(u($seed, p, y, 'start') * 13)::int
                else make_date(y, 1, 1) + floor(u($seed, p, y, 'start') * 330)::int
            end as fran,
            case
                when kort then $forced_days
                when typ = 'sommar' then 7 + floor(u($seed, p, y, 'dagar') * 36)::int
                when typ = 'vinter' then 5 + floor(u($seed, p, y, 'dagar') * 12)::int
                else 7 + floor(u($seed, p, y, 'dagar') * 54)::int
            end as dagar0,
            case when kort then 1 else besok_per_dag end as hemtjanst_per_dag,
            har_hsl and not kort as hsl,
        from kandidat
    ),
    klippt as (
        select plats.*,
            least(dagar0, date_diff('day', fran, $last_date::date) + 1)::integer as dagar,
        from plats
    ),
    med_antal as (
        select klippt.*,
            dagar * hemtjanst_per_dag + case when hsl then (dagar + 2) // 3 else 0 end as antal,
        from klippt
    ),
    kumulativ as (
        select med_antal.*,
            coalesce(sum(antal) over (order by kort desc, ordning rows between unbounded preceding and 1 preceding), 0)
                as antal_fore,
        from med_antal
    )
    select
        row_number() over (order by ordning) as vistelse_nr,
        p, y, brukare_id, bos, vist, fran, dagar, fran + (dagar - 1) as till, hemtjanst_per_dag, hsl,
        least(antal, $rows - antal_fore)::bigint as antal,
        u($seed, p, y, 'utforare') as u_utforare,
    from kumulativ
    where antal_fore < $rows
    """, {k: p[k] for k in ("seed", "first_year", "years", "p_active", "n_kommuner", "forced_days",
                            "last_date", "rows")})
    total, n_kept = con.execute("select sum(antal), count(*) from vistelse").fetchone()
    if total != rows:
        raise RuntimeError(f"Modellen räckte inte till {rows} besök (bara {total} i {n_kept} vistelser, "
                           f"{total / n_kept:.1f} per vistelse); justera VISITS_PER_STAY")

    # Providers: every municipality's own service (V = as vistelsekommun, E = its own staff working
    # in neighbouring municipalities) and 2–3 private (LOV) companies in large and summer ones.
    con.execute("""
    create table utforare as
    select 'E' || kod as utforare_id, namn || ' kommun, hemtjänst i egen regi (fiktiv)' as namn,
           'egen_regi' as regi, kod as kommun from kommun
    union all
    select 'V' || kod, namn || ' kommun, hemtjänst och hemsjukvård (fiktiv)', 'vistelsekommun', kod from kommun
    union all
    select 'P' || kod || '-' || k, 'Omsorg ' || namn || ' ' || k || ' AB (fiktiv)', 'privat', kod
    from kommun, range(1, 4) t(k) where k <= n_privata
    order by utforare_id
    """)
    # Which provider carries out a stay's hemtjänst: a private company (30 % where one exists),
    # the home municipality's own staff within the same län (12 %), else the vistelsekommun.
    con.execute("""
    create table vistelse_utforare as
    select v.vistelse_nr,
        case
            when vk.n_privata > 0 and v.u_utforare < 0.30
                then 'P' || v.vist || '-' || (1 + floor(v.u_utforare / 0.30 * vk.n_privata)::int)
            when hk.lan = vk.lan and v.u_utforare < 0.42 then 'E' || v.bos
            else 'V' || v.vist
        end as utforare_id,
    from vistelse v
    join kommun vk on vk.kod = v.vist
    join kommun hk on hk.kod = v.bos
    """)

    levels = [n for n in demo.rate_levels(last_year) if n.ar >= first_year - 1]
    con.execute("create table niva (ar integer, insats varchar, kr decimal(10, 2))")
    con.executemany("insert into niva values (?, ?, ?)", [(n.ar, n.insats, n.kr) for n in levels])

    # Invoices: what the payee billed, except for own staff (internal) and the last two months
    # (not yet invoiced); one in a hundred deviates (momskompensation added to a municipality).
    invoice_cutoff = dt.date(last_date.year, last_date.month, 1) - dt.timedelta(days=32)
    order_by = SORTERINGAR[sortering]
    for y in range(first_year, last_year + 1):
        part = tmp / "besok" / f"ar={y}"
        part.mkdir()
        con.execute(f"""
        copy (
            with besok as (
                select
                    v.vistelse_nr, j, v.brukare_id, v.bos, v.vist, v.fran, v.hemtjanst_per_dag,
                    j < v.dagar * v.hemtjanst_per_dag as is_hemtjanst,
                    case when j < v.dagar * v.hemtjanst_per_dag then j // v.hemtjanst_per_dag
                         else (j - v.dagar * v.hemtjanst_per_dag) * 3 end as dag,
                    vu.utforare_id as vistelse_utforare,
                    u($seed, v.vistelse_nr, j, 'bev') as u_bev,
                    u($seed, v.vistelse_nr, j, 'utf') as u_utf,
                    u($seed, v.vistelse_nr, j, 'faktura') as u_faktura,
                    u($seed, v.vistelse_nr, j, 'typ') as u_typ,
                from vistelse v
                join vistelse_utforare vu using (vistelse_nr)
                cross join unnest(range(v.antal)) r(j)
                where v.fran <= make_date($y, 12, 31) and v.till >= make_date($y, 1, 1)
            ),
            rad as (
                select
                    printf('B%08d-%04d', vistelse_nr, j) as besok_id,
                    fran + dag::int as datum,
                    brukare_id,
                    bos as bosattningskommun,
                    vist as vistelsekommun,
                    case when is_hemtjanst then vistelse_utforare else 'V' || vist end as utforare_id,
                    case when is_hemtjanst then 'hemtjanst' else 'kommunal_primarvard' end as insats,
                    case when is_hemtjanst then [15, 20, 30, 30, 45, 60][1 + floor(u_bev * 6)::int]
                         else [20, 30, 45][1 + floor(u_bev * 3)::int] end::integer as beviljad_min,
                    u_utf, u_faktura, u_typ,
                    is_hemtjanst,
                from besok
            ),
            med_utford as (
                select rad.*,
                    greatest(5, round(beviljad_min * case when is_hemtjanst then 0.75 + 0.30 * u_utf
                                                          else 0.80 + 0.30 * u_utf end))::integer as utford_min,
                from rad
                where year(datum) = $y
            )
            select
                besok_id, datum, brukare_id, bosattningskommun, vistelsekommun, m.utforare_id, m.insats,
                beviljad_min, utford_min,
                case
                    when utforare.regi = 'egen_regi' or datum > $cutoff::date then null
                    else cast(round(niva.kr * utford_min / 60
                                    * case when utforare.regi = 'privat' or u_faktura < 0.01 then {1 + MOMS} else 1 end, 2)
                              as decimal(18, 2))
                end as fakturerat_kr,
                -- the demo's insatstyp mix by granted length (demo.INSATSTYP_VIKTER)
                case when m.insats = 'hemtjanst' then case beviljad_min
                    when 15 then case when u_typ < 0.6 then 'TIL' else 'MAL' end
                    when 20 then case when u_typ < 0.5 then 'MAL' when u_typ < 0.8 then 'TIL' else 'PH' end
                    when 30 then case when u_typ < 0.5 then 'PH' when u_typ < 0.8 then 'MAL' else 'INK' end
                    when 45 then case when u_typ < 0.4 then 'PH' when u_typ < 0.7 then 'INK' else 'TVA' end
                    else case when u_typ < 0.6 then 'STA' when u_typ < 0.8 then 'INK' else 'PH' end
                end end as insatstyp,
            from med_utford m
            join utforare using (utforare_id)
            join niva on niva.ar = year(m.datum) and niva.insats = m.insats
            order by {order_by}
        ) to '{part / "besok.parquet"}' (format parquet, compression zstd, row_group_size {radgrupp})
        """, {"seed": seed, "y": y, "cutoff": invoice_cutoff})
        if verbose:
            print(f"  besok {y} skrivet ({time.perf_counter() - t_start:.0f} s)", flush=True)

    besok_glob = str(tmp / "besok" / "*" / "*.parquet")
    con.execute(f"""
    copy (
        select brukare_id, bos as bosattningskommun, vist as vistelsekommun, fran, till
        from vistelse where antal > 0 order by fran, brukare_id
    ) to '{tmp / "vistelser.parquet"}' (format parquet, compression zstd)
    """)
    con.execute(f"copy utforare to '{tmp / 'utforare.parquet'}' (format parquet, compression zstd)")
    con.execute(f"""
    copy (
        select make_date(ar, 1, 1) as giltig_fran,
            case when ar < {last_year} then make_date(ar, 12, 31) end as giltig_till,
            insats, null::varchar as regi, kr as kr_per_timme, 'utford' as grund,
            false as momskompensation_ingar, $kalla as kalla, $beslut as beslut, false as preliminar,
            null::varchar as betalande_kommun,
        from niva order by insats, ar
    ) to '{tmp / 'ersattningsnivaer.parquet'}' (format parquet, compression zstd)
    """, {"kalla": "Benchmarkdata: nivåerna i demodatan (publicerade eller härledda), för alla kommuner",
          "beslut": "Benchmarkdata, inget beslut"})
    # The hemkommun's budget: last year's cost and hours per month + 5 % (the first year: its own),
    # as the demo data does; the rates do not depend on regi, so cost = hours × rate (+ 6 % privat).
    con.execute(f"""
    copy (
        with utfall as (
            select year(b.datum) as ar, month(b.datum) as manad, b.insats,
                sum(niva.kr * b.utford_min / 60 * case when u.regi = 'privat' then {1 + MOMS} else 1 end) as kr,
                sum(b.utford_min) / 60 as timmar,
            from read_parquet('{besok_glob}') b
            join utforare u using (utforare_id)
            join niva on niva.ar = year(b.datum) and niva.insats = b.insats
            where b.bosattningskommun = $hem
            group by all
        ),
        ramar as (
            select ar, manad, insats
            from range({first_year}, {last_year + 1}) a(ar), range(1, 13) m(manad),
                 (values ('hemtjanst'), ('kommunal_primarvard')) i(insats)
        )
        select ramar.ar::integer as ar, ramar.manad::integer as manad, ramar.insats,
            cast(round(coalesce(utfall.kr, 0) * case when ramar.ar > {first_year} then 1.05 else 1 end, -3)
                 as decimal(18, 2)) as budget_kr,
            cast(round(coalesce(utfall.timmar, 0) * 1.02, 2) as decimal(18, 2)) as budget_timmar,
        from ramar
        left join utfall on utfall.ar = greatest(ramar.ar - 1, {first_year}) and utfall.manad = ramar.manad
            and utfall.insats = ramar.insats
        order by ramar.ar, ramar.manad, ramar.insats
    ) to '{tmp / 'budget.parquet'}' (format parquet, compression zstd)
    """, {"hem": hemkommun})
    con.close()
    shutil.rmtree(spill, ignore_errors=True)
    # The optional tables of the trial per insats: the demo's price list and timtaxa, for every year.
    pq.write_table(pa.Table.from_pylist([
        dict(giltig_fran=dt.date(first_year, 1, 1), giltig_till=None, insatstyp=kod, benamning=namn, regi=None,
             kr_per_insats=decimal.Decimal(kr), normtid_min=normtid, kalla="Benchmarkdata: demodatans prislista",
             beslut=None) for kod, (namn, kr, normtid) in sorted(demo.INSATSTYPER.items())],
        schema=demo.INSATSPRIS_SCHEMA), tmp / "insatspriser.parquet", compression="zstd")
    pq.write_table(pa.Table.from_pylist([
        dict(ar=ar, timtaxa_kr=decimal.Decimal(demo.TIMTAXA_2019 + 10 * (ar - demo.FIRST_YEAR)), grund="beviljad",
             kalla="Benchmarkdata: demodatans timtaxa") for ar in range(first_year, last_year + 1)],
        schema=demo.AVGIFT_SCHEMA), tmp / "avgiftsregler.parquet", compression="zstd")

    (tmp / "_demo.json").write_text(json.dumps(
        {"demodata": True, "benchmark": True, "seed": seed, "rader": rows, "sortering": sortering,
         "per_datum": (last_date + dt.timedelta(days=1)).isoformat(), "data_till_och_med": last_date.isoformat()},
        indent=2) + "\n", encoding="utf-8")
    if extracts.exists():
        shutil.rmtree(extracts)
    tmp.rename(extracts)
    if verbose:
        size = sum(f.stat().st_size for f in extracts.rglob("*") if f.is_file())
        print(f"{rows:,} besök ({n_persons:,} personer i modellen) skrivna till {extracts} "
              f"({size / 1e6:.0f} MB) på {time.perf_counter() - t_start:.0f} s".replace(",", " "))
    return extracts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Skapa fiktiva extrakt i nationell skala för benchmarken.")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="antal besök (standard 10 000 000)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="mapp; extrakten hamnar i <out>/extracts")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    parser.add_argument("--years", type=int, default=YEARS)
    parser.add_argument("--hemkommun", default=None, help="kommunen som budgeten avser (standard: inställningen)")
    parser.add_argument("--sortering", choices=sorted(SORTERINGAR), default="kommun",
                        help="radordning inom varje år (påverkar hur väl min/max-statistiken gallrar)")
    parser.add_argument("--radgrupp", type=int, default=ROW_GROUP_ROWS, help="rader per Parquet-radgrupp")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    extracts = generate(args.out, args.rows, args.seed, args.first_year, args.years, args.hemkommun, args.sortering,
                        args.threads, radgrupp=args.radgrupp)
    # What an import does last: the rollups and the protected view's first masks (db.skriv_sammandrag),
    # so the benchmark meets the data as the app meets imported data.
    os.environ["BESLUTSSTOD_DATA_DIR"] = str(args.out.resolve())
    if args.hemkommun:
        os.environ["BESLUTSSTOD_HEMKOMMUN"] = args.hemkommun
    t0 = time.perf_counter()
    db.skriv_sammandrag(extracts)
    print(f"Sammandrag och förberäknad maskning: {time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
