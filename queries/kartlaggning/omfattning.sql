-- omfattning: for the chosen year, one row per direction and regi, and one total row per direction
-- (regi null): how many municipalities are on the other side, persons, visits, hours and the
-- computed amount. Direction 'kostnad' = other municipalities (or providers there) carried out
-- our decisions; 'intakt' = we carried out other municipalities' decisions.
-- Persons and municipalities are distinct per row, so they are not additive across rows.
-- Parameters: $ar, $insatser, $regier, $kommuner (empty list = all).
with

urval as (
    select *
    from stg_besok
    where riktning is not null
        and ar = $ar
        and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
)

select
    riktning,
    regi,
    grouping(regi) = 1 as is_totalt,
    count(distinct motpartskommun) as antal_kommuner,
    count(distinct brukare_id) as antal_personer,
    count(*) as antal_besok,
    sum(utford_timmar) as utford_timmar,
    sum(beviljad_timmar) as beviljad_timmar,
    cast(sum(beraknad_kostnad_kr) as double) as belopp_kr,
    count(*) filter (where is_niva_saknas) as antal_besok_utan_niva,
from urval
group by grouping sets ((riktning, regi), (riktning))
order by riktning, is_totalt, regi
