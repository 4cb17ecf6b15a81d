-- per_manad_kommun: for one year, both directions, the month × counterpart-municipality
-- crosstab with its margins: one row per (manad, kommunkod), per manad (kommunkod null = all
-- kommuner), per kommunkod (manad null = whole year) and one grand total (both null).
-- The counterpart is the vistelsekommun for costs and the bosättningskommun for revenues.
-- Persons are distinct pseudonyms per cell, so the margins come from here, not from summing.
-- Parameters: $ar, $insatser, $regier, $kommuner (empty list = all).
-- Reads the rollup sam_besok (per person and month, exact sums: queries/sammandrag/besok.sql).
select
    riktning,
    manad,
    motpartskommun as kommunkod,
    cast(sum(kostnad_kr) as double) as kostnad_kr,
    sum(utford_min) / 60 as utford_timmar,
    count(distinct brukare_id) as antal_personer,
    cast(sum(antal_besok) as bigint) as antal_besok,
    cast(sum(antal_besok_utan_niva) as bigint) as antal_besok_utan_niva,
from sam_besok
where ar = $ar
    and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
group by grouping sets ((riktning, manad, motpartskommun), (riktning, manad), (riktning, motpartskommun), (riktning))
order by riktning, manad nulls last, kommunkod nulls last
