-- insatsmodell_besok(...): one row per hemtjänst visit of our residents (riktning 'kostnad') in a
-- trial period, priced both ways (issue 17, seed 002): per hour as today (stg_besok's cost rule)
-- and per insats for the payees in the trial.
--
-- Arguments: fran, till (dates, inclusive); regier (the payees' regi in the trial, a list);
-- typer, priser_ore, normtider_min (the working price list as three parallel lists: code, price
-- per insats in whole öre excl. momskompensation, normtid in minutes or null); avgift_grund
-- ('utford' / 'beviljad': the time the avgift's timtaxa is charged for today).
-- A visit outside the trial's payees is paid per hour in both models. A trial visit without an
-- insatstyp, or whose insatstyp has no price, gets a null cost per insats (missing, not zero).
-- Per insats: öre = price öre × (10 000 + moms bp) / 10 000, half up, moms bp only for a
-- private payee (the same rule as the hourly rate excluding momskompensation).
-- The avgift per insats is charged for the insats's normtid; outside the trial as today.
create or replace macro insatsmodell_besok(fran, till, regier, typer, priser_ore, normtider_min, avgift_grund) as table
with

prislista as (
    select
        unnest(typer) as insatstyp,
        unnest(priser_ore) as pris_ore,
        unnest(normtider_min) as normtid_min,
),

besok as (
    select
        stg_besok.*,
        stg_besok_insatstyp.insatstyp,
        coalesce(list_contains(regier, stg_besok.regi), false) as is_i_forsok,
        case avgift_grund when 'utford' then stg_besok.utford_min else stg_besok.beviljad_min end as avgift_min_timme,
    from stg_besok
    left join stg_besok_insatstyp using (besok_id)
    where stg_besok.riktning = 'kostnad'
        and stg_besok.insats = 'hemtjanst'
        and stg_besok.datum between fran and till
),

prissatt as (
    select
        besok.*,
        prislista.pris_ore,
        prislista.normtid_min,
        (cast(prislista.pris_ore as hugeint)
            * (10000 + case when besok.regi = 'privat' then getvariable('momskompensation_bp') else 0 end)
            * 2 + 10000) // 20000 as pris_med_moms_ore,
    from besok
    left join prislista using (insatstyp)
)

select
    *,
    beraknad_kostnad_kr as kostnad_timme_kr,
    case
        when is_i_forsok then cast(cast(pris_med_moms_ore as decimal(18, 0)) * 0.01 as decimal(18, 2))
        else beraknad_kostnad_kr
    end as kostnad_insats_kr,
    case when is_i_forsok then normtid_min else avgift_min_timme end as avgift_min_insats,
    is_i_forsok and insatstyp is null as is_insatstyp_saknas,
    is_i_forsok and insatstyp is not null and pris_ore is null as is_pris_saknas,
    is_i_forsok and pris_ore is not null and normtid_min is null as is_normtid_saknas,
from prissatt
