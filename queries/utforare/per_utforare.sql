-- per_utforare: for one year and direction, one row per utförare (nivå 'utforare'), one row per
-- regi (nivå 'regi', the regi's subtotal) and one total row (nivå 'totalt').
-- Persons are distinct pseudonyms per row; a person served by two utförare counts once in the
-- regi and total rows, so persons are not additive (the other figures are).
-- kr per utförd timme divides the cost by the delivered hours of the visits that have a rate
-- (a visit without a rate has no cost, and its hours would otherwise lower the figure).
-- Parameters: $riktning ('kostnad' | 'intakt'), $ar, $insatser, $regier, $kommuner.
with

urval as (
    select
        stg_besok.*,
        coalesce(stg_utforare.utforare_namn, stg_besok.utforare_id) as utforare_namn,
    from stg_besok
    left join (select utforare_id, utforare_namn from stg_utforare) as stg_utforare using (utforare_id)
    where riktning = $riktning
        and ar = $ar
        and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
),

grupper as (
    select
        case
            when grouping(utforare_id) = 0 then 'utforare'
            when grouping(regi) = 0 then 'regi'
            else 'totalt'
        end as niva,
        regi,
        utforare_id,
        any_value(utforare_namn) as utforare_namn,
        count(distinct brukare_id) as antal_personer,
        count(*) as antal_besok,
        sum(beviljad_timmar) as beviljad_timmar,
        sum(utford_timmar) as utford_timmar,
        sum(utford_timmar) filter (where not is_niva_saknas) as utford_timmar_med_niva,
        cast(sum(beraknad_kostnad_kr) as double) as kostnad_kr,
        count(*) filter (where is_niva_saknas) as antal_besok_utan_niva,
    from urval
    group by grouping sets ((regi, utforare_id), (regi), ())
    having count(*) > 0  -- the empty grouping set gives a row even when no visit matches
)

select
    niva,
    regi,
    utforare_id,
    case when niva = 'utforare' then utforare_namn end as utforare_namn,
    antal_personer,
    antal_besok,
    beviljad_timmar,
    utford_timmar,
    utford_timmar / nullif(beviljad_timmar, 0) * 100 as utford_andel_procent,
    kostnad_kr,
    kostnad_kr / nullif(utford_timmar_med_niva, 0) as kr_per_utford_timme,
    antal_besok_utan_niva,
from grupper
order by case niva when 'utforare' then 0 when 'regi' then 1 else 2 end, regi, kostnad_kr desc nulls last, utforare_id
