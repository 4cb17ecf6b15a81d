-- per_ar: one row per year, direction and breakdown group, for every year up to $ar, both
-- directions (kostnad and intakt), as three breakdowns of the same visits:
--   dimension 'totalt' (grupp null): the year's total;
--   dimension 'insats' (grupp = insats) and dimension 'regi' (grupp = the utförare's regi).
-- When the chosen year is still running ($till_manad < 12), the year before is also returned
-- for months 1..$till_manad only (is_jamforelse true), so the running year is compared with
-- the same months and not with a whole year.
-- Persons are distinct pseudonyms per row (not additive: one person can have both insatser).
-- Parameters: $ar, $till_manad (12 for a completed year), $insatser, $regier, $kommuner
-- (empty list = all; kommuner filters the counterpart municipality).
with

urval as (
    select *
    from stg_besok
    where riktning is not null
        and ar <= $ar
        and (len($insatser::varchar[]) = 0 or list_contains($insatser::varchar[], insats))
        and (len($regier::varchar[]) = 0 or list_contains($regier::varchar[], regi))
        and (len($kommuner::varchar[]) = 0 or list_contains($kommuner::varchar[], motpartskommun))
),

perioder as (
    select *, false as is_jamforelse from urval
    union all
    select *, true as is_jamforelse from urval
    where $till_manad < 12 and ar = $ar - 1 and manad <= $till_manad
)

select
    ar,
    is_jamforelse,
    riktning,
    case
        when grouping(insats) = 0 then 'insats'
        when grouping(regi) = 0 then 'regi'
        else 'totalt'
    end as dimension,
    coalesce(insats, regi) as grupp,
    cast(sum(beraknad_kostnad_kr) as double) as kostnad_kr,
    sum(utford_timmar) as utford_timmar,
    sum(debiterbara_min) filter (where not is_niva_saknas) / 60 as debiterbara_timmar,
    count(distinct brukare_id) as antal_personer,
    count(*) as antal_besok,
    count(*) filter (where is_niva_saknas) as antal_besok_utan_niva,
from perioder
group by grouping sets (
    (ar, is_jamforelse, riktning),
    (ar, is_jamforelse, riktning, insats),
    (ar, is_jamforelse, riktning, regi)
)
order by ar, is_jamforelse, riktning, dimension, grupp
