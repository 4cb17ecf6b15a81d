-- stg_besok: one row per delivered visit, with hours and the cost rule applied.
--
-- Cost rule (DESIGN §4): hours on the rate's basis (utförd or beviljad) × the rate in force on
-- the visit date for that insats and regi (a regi-specific rate wins over one for all regi),
-- adjusted for momskompensation both ways (seed 000): a private payee gets + the percentage when
-- the rate excludes it; a municipality or egen regi never gets it, so a rate stated including it
-- is divided by (1 + percentage) for them. The rule is the macro kostnad_ore
-- (staging/kostnadsregel.sql; the same rule in Python: beslutsstod.kostnadsregel). A visit with
-- no rate in force gets null cost (shown as missing, never as zero).
-- The arithmetic is done in whole öre with integers: DuckDB divides decimals as doubles, and
-- a cost must be right to the öre. Rounding is half up, once per visit (a visit is an invoice
-- line); every sum over visits is then exact.
-- Reads stg_besok_rad (the visits as extracted). A question that needs no direction, provider,
-- rate or cost reads stg_besok_rad directly instead, and skips these joins on every visit.
-- Variables (set per cursor by beslutsstod.db): hemkommun, momskompensation_bp (basis points,
-- 600 = 6 %).
create or replace view stg_besok as
with

-- The direction as three disjoint branches with a constant riktning each, not one case
-- expression: a question's `riktning = $riktning` then removes the other branches, and what
-- remains is a plain `bosattningskommun = '1401'` (or `vistelsekommun = …`) that DuckDB pushes
-- into the Parquet scan, where row-group min/max statistics skip other municipalities' rows
-- when the extracts are sorted by bosattningskommun within each year (as bench/generate.py
-- writes them; at 10 million visits our cost questions then take 30–45 ms instead of 55–75).
kostnad as (
    select *, 'kostnad' as riktning, vistelsekommun as motpartskommun,
    from stg_besok_rad
    where bosattningskommun = getvariable('hemkommun')
),

intakt as (
    select *, 'intakt' as riktning, bosattningskommun as motpartskommun,
    from stg_besok_rad
    where vistelsekommun = getvariable('hemkommun')
        and bosattningskommun is distinct from getvariable('hemkommun')
),

ingen as (
    select *, cast(null as varchar) as riktning, bosattningskommun as motpartskommun,
    from stg_besok_rad
    where bosattningskommun is distinct from getvariable('hemkommun')
        and vistelsekommun is distinct from getvariable('hemkommun')
),

med_riktning as (
    select * from kostnad
    union all
    select * from intakt
    union all
    select * from ingen
),

med_regi as (
    select
        med_riktning.*,
        stg_utforare.regi,
    from med_riktning
    left join stg_utforare using (utforare_id)
),

med_niva as (
    -- Revenue (we carry out another kommun's decision) is priced by the paying kommun's rate when one
    -- is in force (a rate row naming betalande_kommun = the visit's bosättningskommun; 2 a kap. 7 § SoL),
    -- otherwise by our own rates, flagged is_egen_niva_antagande. Costs use our own rates only.
    select
        med_regi.*,
        coalesce(betalare_specifik.kr_per_timme, betalare_generell.kr_per_timme,
                 specifik.kr_per_timme, generell.kr_per_timme) as kr_per_timme,
        coalesce(betalare_specifik.grund, betalare_generell.grund, specifik.grund, generell.grund) as grund,
        coalesce(betalare_specifik.is_momskompensation_ingar, betalare_generell.is_momskompensation_ingar,
                 specifik.is_momskompensation_ingar, generell.is_momskompensation_ingar) as is_momskompensation_ingar,
        coalesce(betalare_specifik.kr_per_timme, betalare_generell.kr_per_timme) is not null as is_betalarens_niva,
        med_regi.riktning = 'intakt'
            and coalesce(betalare_specifik.kr_per_timme, betalare_generell.kr_per_timme) is null
            and coalesce(specifik.kr_per_timme, generell.kr_per_timme) is not null as is_egen_niva_antagande,
    from med_regi
    left join stg_ersattningsnivaer as betalare_specifik
        on med_regi.riktning = 'intakt'
        and betalare_specifik.betalande_kommun = med_regi.bosattningskommun
        and betalare_specifik.insats = med_regi.insats
        and betalare_specifik.regi = med_regi.regi
        and med_regi.datum between betalare_specifik.giltig_fran and betalare_specifik.giltig_till_eller_tillsvidare
    left join stg_ersattningsnivaer as betalare_generell
        on med_regi.riktning = 'intakt'
        and betalare_generell.betalande_kommun = med_regi.bosattningskommun
        and betalare_generell.insats = med_regi.insats
        and betalare_generell.regi is null
        and med_regi.datum between betalare_generell.giltig_fran and betalare_generell.giltig_till_eller_tillsvidare
    left join stg_ersattningsnivaer as specifik
        on specifik.insats = med_regi.insats
        and specifik.regi = med_regi.regi
        and (specifik.betalande_kommun is null or specifik.betalande_kommun = getvariable('hemkommun'))
        and med_regi.datum between specifik.giltig_fran and specifik.giltig_till_eller_tillsvidare
    left join stg_ersattningsnivaer as generell
        on generell.insats = med_regi.insats
        and generell.regi is null
        and (generell.betalande_kommun is null or generell.betalande_kommun = getvariable('hemkommun'))
        and med_regi.datum between generell.giltig_fran and generell.giltig_till_eller_tillsvidare
),

med_grund as (
    select
        *,
        case grund when 'utford' then utford_min when 'beviljad' then beviljad_min end as debiterbara_min,
        coalesce(regi = 'privat' and not is_momskompensation_ingar, false) as is_momskompensation,
        coalesce(regi is distinct from 'privat' and is_momskompensation_ingar, false) as is_momskompensation_avdragen,
        momsfaktor(regi, is_momskompensation_ingar, getvariable('momskompensation_bp')) as moms_faktor,
    from med_niva
),

med_ore as (
    select
        *,
        kostnad_ore(debiterbara_min, kr_per_timme, regi, is_momskompensation_ingar,
                    getvariable('momskompensation_bp')) as beraknad_kostnad_ore,
    from med_grund
)

select
    besok_id,
    datum,
    ar,
    manad,
    brukare_id,
    bosattningskommun,
    vistelsekommun,
    motpartskommun,
    riktning,
    utforare_id,
    regi,
    insats,
    beviljad_min,
    utford_min,
    beviljad_min / 60 as beviljad_timmar,
    utford_min / 60 as utford_timmar,
    grund,
    debiterbara_min,
    kr_per_timme,
    is_momskompensation_ingar,
    is_momskompensation,
    is_momskompensation_avdragen,
    moms_faktor,
    cast(cast(beraknad_kostnad_ore as decimal(18, 0)) * 0.01 as decimal(18, 2)) as beraknad_kostnad_kr,
    fakturerat_kr,
    kr_per_timme is null as is_niva_saknas,
    is_betalarens_niva,
    is_egen_niva_antagande,
from med_ore
