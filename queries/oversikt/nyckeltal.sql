-- nyckeltal: one row per year (the chosen year and the year before), for months 1..$till_manad,
-- with cost, hours, persons, counterpart municipalities and cost per hour — as registered — and
-- the same figures on $jmf_manader only (*_jmf: the months both years have, so a change compares
-- like with like when a month lacks registrations; beslutsstod.jamforelse).
-- Parameters: $riktning, $ar, $till_manad (12 for a whole year), $jmf_manader (integer list),
-- $insatser, $regier, $kommuner (empty list = all).
-- Reads the rollup sam_besok (per person and month, exact sums: queries/sammandrag/besok.sql).
with

urval as (
    select *
    from sam_besok
    where riktning = $riktning
        and ar in ($ar - 1, $ar)
        and manad <= $till_manad
        and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
),

per_ar as (
    select
        ar,
        sum(kostnad_kr) as kostnad_kr,
        sum(utford_min) / 60 as utford_timmar,
        sum(beviljad_min) / 60 as beviljad_timmar,
        sum(debiterbara_min_med_niva) / 60 as debiterbara_timmar,
        count(distinct brukare_id) as antal_personer,
        count(distinct motpartskommun) as antal_kommuner,
        cast(sum(antal_besok) as bigint) as antal_besok,
        cast(sum(antal_besok_utan_niva) as bigint) as antal_besok_utan_niva,
        cast(coalesce(sum(antal_besok) filter (where is_jmf), 0) as bigint) as antal_besok_jmf,
        sum(kostnad_kr) filter (where is_jmf) as kostnad_kr_jmf,
        coalesce(sum(utford_min) filter (where is_jmf) / 60, 0) as utford_timmar_jmf,
        sum(debiterbara_min_med_niva) filter (where is_jmf) / 60 as debiterbara_timmar_jmf,
        count(distinct brukare_id) filter (where is_jmf) as antal_personer_jmf,
        count(distinct motpartskommun) filter (where is_jmf) as antal_kommuner_jmf,
    from (select *, list_contains($jmf_manader::integer[], manad) as is_jmf from urval)
    group by ar
),

ar_lista as (
    select unnest([$ar - 1, $ar]) as ar
)

select
    ar_lista.ar,
    -- a year with visits whose rates are all missing has a missing cost, not zero
    case when per_ar.ar is null then 0 else cast(per_ar.kostnad_kr as double) end as kostnad_kr,
    coalesce(per_ar.utford_timmar, 0) as utford_timmar,
    coalesce(per_ar.beviljad_timmar, 0) as beviljad_timmar,
    coalesce(per_ar.antal_personer, 0) as antal_personer,
    coalesce(per_ar.antal_kommuner, 0) as antal_kommuner,
    coalesce(per_ar.antal_besok, 0) as antal_besok,
    coalesce(per_ar.antal_besok_utan_niva, 0) as antal_besok_utan_niva,
    cast(per_ar.kostnad_kr as double) / nullif(per_ar.debiterbara_timmar, 0) as kr_per_timme,
    case when per_ar.ar is null or per_ar.antal_besok_jmf = 0 then 0 else cast(per_ar.kostnad_kr_jmf as double) end
        as kostnad_kr_jmf,
    coalesce(per_ar.utford_timmar_jmf, 0) as utford_timmar_jmf,
    coalesce(per_ar.antal_personer_jmf, 0) as antal_personer_jmf,
    coalesce(per_ar.antal_kommuner_jmf, 0) as antal_kommuner_jmf,
    cast(per_ar.kostnad_kr_jmf as double) / nullif(per_ar.debiterbara_timmar_jmf, 0) as kr_per_timme_jmf,
from ar_lista
left join per_ar using (ar)
order by ar_lista.ar
