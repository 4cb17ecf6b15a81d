-- kostnad_per_manad: one row per year (chosen and the one before) and month with visits,
-- with the computed cost, delivered hours and persons.
-- Parameters: $riktning, $ar, $insatser, $regier, $kommuner (empty list = all).
-- Reads the rollup sam_besok (per person and month, exact sums: queries/sammandrag/besok.sql).
select
    ar,
    manad,
    cast(sum(kostnad_kr) as double) as kostnad_kr,
    sum(utford_min) / 60 as utford_timmar,
    count(distinct brukare_id) as antal_personer,
from sam_besok
where riktning = $riktning
    and ar in ($ar - 1, $ar)
    and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
group by ar, manad
order by ar, manad
