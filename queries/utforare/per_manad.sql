-- per_manad: one row per month of year $ar in which utförare $utforare_id has visits, for one
-- direction, plus one total row (manad null) for the whole year.
-- Parameters: $riktning, $ar, $utforare_id, $insatser, $regier, $kommuner.
select
    manad,
    count(distinct brukare_id) as antal_personer,
    count(*) as antal_besok,
    sum(beviljad_timmar) as beviljad_timmar,
    sum(utford_timmar) as utford_timmar,
    sum(utford_timmar) / nullif(sum(beviljad_timmar), 0) * 100 as utford_andel_procent,
    cast(sum(beraknad_kostnad_kr) as double) as kostnad_kr,
    cast(sum(beraknad_kostnad_kr) as double)
        / nullif(sum(utford_timmar) filter (where not is_niva_saknas), 0) as kr_per_utford_timme,
from stg_besok
where riktning = $riktning
    and ar = $ar
    and utforare_id = $utforare_id
    and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
group by grouping sets ((manad), ())
having count(*) > 0  -- the empty grouping set gives a row even when no visit matches
order by manad nulls last
