-- arbetslista: one row per payee (utförare), insats and month of the chosen year on the cost side:
-- what the payee invoiced against what the decided rates give for the same visits, the
-- deviation, and how many visits carry each flag. Egen regi is left out: our own staff are
-- never invoiced. Visits not yet invoiced (fakturerat_kr null) are counted apart and are no
-- deviation.
-- The flags are computed per visit by the table macro queries/intermediate/fakturakontroll_besok.sql
-- (shared with besok.sql); see it for each rule.
-- Parameters: $ar, $insatser, $regier, $kommuner (empty list = all), $tolerans_procent (a rate
-- or hours deviation smaller than this many percent is no flag), $avrundning_kr (kr per visit
-- that "equal" amounts may differ by through rounding).
with

besok as (
    select * from fakturakontroll_besok($ar, $insatser, $regier, $kommuner, $tolerans_procent, $avrundning_kr)
),

per_manad as (
    select
        utforare_id,
        insats,
        manad,
        count(*) as antal_besok,
        count(*) filter (where is_fakturerat) as antal_fakturerade,
        count(*) filter (where not is_fakturerat) as antal_ej_fakturerade,
        cast(sum(fakturerat_kr) as double) as fakturerat_kr,
        cast(sum(beraknad_kostnad_kr) filter (where is_jamforbar) as double) as forvantat_kr,
        cast(sum(fakturerat_kr - beraknad_kostnad_kr) filter (where is_jamforbar) as double) as avvikelse_kr,
        cast(sum(beraknad_kostnad_kr) filter (where not is_fakturerat) as double) as ej_fakturerat_forvantat_kr,
        sum(fakturerade_timmar) as fakturerade_timmar,
        sum(beviljad_min) filter (where is_jamforbar) / 60 as beviljade_timmar,
        sum(debiterbara_min) filter (where is_jamforbar) / 60 as debiterbara_timmar,
        -- both per hour on the model's basis with the moms factor removed, so they compare
        sum(cast(fakturerat_kr as double) / moms_faktor) filter (where is_jamforbar)
            / nullif(sum(debiterbara_min) filter (where is_jamforbar) / 60, 0) as implicit_kr_per_timme,
        sum(cast(beraknad_kostnad_kr as double) / moms_faktor) filter (where is_jamforbar)
            / nullif(sum(debiterbara_min) filter (where is_jamforbar) / 60, 0) as beslutad_kr_per_timme,
        count(*) filter (where is_flaggad) as antal_flaggade,
        count(*) filter (where is_momskompensation_kommun) as antal_momskompensation_kommun,
        count(*) filter (where is_annan_grund) as antal_annan_grund,
        count(*) filter (where is_annat_timpris) as antal_annat_timpris,
        count(*) filter (where is_over_beviljad) as antal_over_beviljad,
        count(*) filter (where is_utanfor_vistelse) as antal_utanfor_vistelse,
        count(*) filter (where is_mojlig_dubblett) as antal_mojlig_dubblett,
        count(*) filter (where is_utan_niva) as antal_utan_niva,
        cast(coalesce(sum(fakturerat_kr) filter (where is_mojlig_dubblett), 0) as double) as mojlig_dubblett_kr,
    from besok
    group by utforare_id, insats, manad
)

select
    per_manad.utforare_id,
    coalesce(stg_utforare.utforare_namn, per_manad.utforare_id) as utforare_namn,
    stg_utforare.regi,
    per_manad.* exclude (utforare_id),
from per_manad
left join stg_utforare using (utforare_id)
order by utforare_namn, per_manad.utforare_id, per_manad.insats, per_manad.manad
