-- per_manad_kommun: for one year, both directions, the month × counterpart-municipality
-- crosstab with its margins: one row per (manad, kommunkod), per manad (kommunkod null = all
-- kommuner), per kommunkod (manad null = whole year) and one grand total (both null).
-- The counterpart is the vistelsekommun for costs and the bosättningskommun for revenues.
-- Persons are distinct pseudonyms per cell, so the margins come from here, not from summing.
-- Parameters: $ar, $insatser, $regier, $kommuner (empty list = all).
select
    riktning,
    manad,
    motpartskommun as kommunkod,
    cast(sum(beraknad_kostnad_kr) as double) as kostnad_kr,
    sum(utford_timmar) as utford_timmar,
    count(distinct brukare_id) as antal_personer,
    count(*) as antal_besok,
    count(*) filter (where is_niva_saknas) as antal_besok_utan_niva,
from stg_besok
where riktning is not null
    and ar = $ar
    and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
group by grouping sets ((riktning, manad, motpartskommun), (riktning, manad), (riktning, motpartskommun), (riktning))
order by riktning, manad nulls last, kommunkod nulls last
