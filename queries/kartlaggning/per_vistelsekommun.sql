-- per_vistelsekommun: one row per vistelsekommun and insats where the municipality's own service
-- carried out our decisions in the chosen year (cost side, regi 'vistelsekommun'), with the rate
-- we paid: the computed amount per hour on the model's basis (visits without a rate left out).
-- The coverage ratio against the municipality's own rate is computed in beslutsstod.kartlaggning.
-- Parameters: $ar, $insatser, $kommuner (empty list = all).
select
    vistelsekommun as kommunkod,
    insats,
    count(*) as antal_besok,
    sum(debiterbara_min) filter (where not is_niva_saknas) / 60 as debiterbara_timmar,
    cast(sum(beraknad_kostnad_kr) as double) as belopp_kr,
    cast(sum(beraknad_kostnad_kr) as double)
        / nullif(sum(debiterbara_min) filter (where not is_niva_saknas) / 60, 0) as betald_kr_per_timme,
from stg_besok
where riktning = 'kostnad'
    and regi = 'vistelsekommun'
    and ar = $ar
    and i_vald(insats, $insatser)
    and i_vald(motpartskommun, $kommuner)
group by vistelsekommun, insats
order by vistelsekommun, insats
