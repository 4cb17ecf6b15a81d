-- timmar_per_manad: one row per ar, insats and manad (years $ar − 1 and $ar) of our residents'
-- visits in other municipalities: the monthly series a seasonal forecast of $ar's volume reads.
-- A month without any row had no visits in the selection (or is a registration outage; the
-- page learns those from filter/manader_utan_data).
-- Parameters: $ar, $insatser, $regier, $kommuner (empty list = all).
select
    ar,
    insats,
    manad,
    cast(sum(beviljad_min) as bigint) as beviljad_min,
    cast(sum(utford_min) as bigint) as utford_min,
from stg_besok
where riktning = 'kostnad'
    and ar in ($ar - 1, $ar)
    and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
group by ar, insats, manad
order by ar, insats, manad
