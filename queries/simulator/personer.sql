-- personer: distinct persons behind the simulator's volume basis, for small-number protection.
-- One row per grouping (niva) and group: 'totalt' (one row), 'insats', 'regi',
-- 'vistelsekommun', 'manad'. The selection is the same as timunderlag's: year $ar, months
-- 1..$till_manad except $prognos_manader, and year $ar − 1, months $prognos_manader (the months
-- a forecast is built from describe the persons of that year). Distinct persons are not
-- additive (one person can stay in two kommuner), so every level is counted here.
-- Parameters: $ar, $till_manad, $prognos_manader (integer list), $insatser, $regier, $kommuner.
with

urval as (
    select
        brukare_id,
        insats,
        regi,
        vistelsekommun,
        manad,
    from stg_besok
    where riktning = 'kostnad'
        and (
            (ar = $ar and manad <= $till_manad and not list_contains($prognos_manader::integer[], manad))
            or (ar = $ar - 1 and list_contains($prognos_manader::integer[], manad))
        )
        and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
),

grupper as (
    select
        -- grouping() sets a bit per rolled-up column, first argument highest
        case grouping(insats, regi, vistelsekommun, manad)
            when 15 then 'totalt'
            when 7 then 'insats'
            when 11 then 'regi'
            when 13 then 'vistelsekommun'
            when 14 then 'manad'
        end as niva,
        insats,
        regi,
        vistelsekommun,
        manad,
        count(distinct brukare_id) as antal_personer,
    from urval
    group by grouping sets ((), (insats), (regi), (vistelsekommun), (manad))
)

select *
from grupper
order by niva, insats, regi, vistelsekommun, manad
