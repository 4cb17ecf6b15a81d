-- timunderlag: one row per ar, insats, regi, vistelsekommun and manad of our residents' visits in
-- other municipalities (riktning 'kostnad'): the volume basis of the rate simulator.
--
-- The rows are the year $ar, months 1..$till_manad except $prognos_manader (the outcome), and the
-- year $ar − 1, months $prognos_manader (is_prognosunderlag: the comparison months a seasonal
-- forecast scales up to estimate the rest of $ar; an empty list = an outcome year only).
-- Minutes are summed as integers so the package can turn them into exact hours; the hours
-- columns (minutes / 60, double) are for display. regi is null for a visit whose utförare is
-- unknown (the package leaves such rows out and says so).
-- Parameters: $ar, $till_manad (12 for a whole year), $prognos_manader (integer list),
-- $insatser, $regier, $kommuner (empty list = all).
with

urval as (
    select
        ar,
        insats,
        regi,
        vistelsekommun,
        manad,
        beviljad_min,
        utford_min,
    from stg_besok
    where riktning = 'kostnad'
        and (
            (ar = $ar and manad <= $till_manad and not list_contains($prognos_manader::integer[], manad))
            or (ar = $ar - 1 and list_contains($prognos_manader::integer[], manad))
        )
        and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
)

select
    ar,
    ar = $ar - 1 as is_prognosunderlag,
    insats,
    regi,
    vistelsekommun,
    manad,
    cast(sum(beviljad_min) as bigint) as beviljad_min,
    cast(sum(utford_min) as bigint) as utford_min,
    cast(sum(beviljad_min) as double) / 60 as beviljad_timmar,
    cast(sum(utford_min) as double) / 60 as utford_timmar,
    count(*) as antal_besok,
from urval
group by ar, insats, regi, vistelsekommun, manad
order by ar, insats, regi, vistelsekommun, manad
