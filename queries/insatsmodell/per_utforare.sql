-- per_utforare: each utförare's ersättning for hemtjänst in the trial period under both models.
-- One row per utförare, and one total row (utforare_id null). Hours are delivered hours.
-- Parameters: $fran, $till (the trial period), $regier (payees in the trial), $typer, $priser_ore,
-- $normtider_min (the working price list), $avgift_grund (see intermediate/insatsmodell_besok).
select
    utforare_id,
    case when grouping(utforare_id) = 0 then any_value(stg_utforare.utforare_namn) end as utforare_namn,
    case when grouping(utforare_id) = 0 then any_value(b.regi) end as regi,
    bool_or(is_i_forsok) as is_i_forsok,
    count(distinct brukare_id) as personer,
    count(*) as antal_besok,
    sum(utford_timmar) as utford_timmar,
    sum(kostnad_timme_kr) as kostnad_timme_kr,
    sum(kostnad_insats_kr) as kostnad_insats_kr,
    count(*) filter (where kostnad_insats_kr is null) as antal_ej_prissatta,
from insatsmodell_besok($fran::date, $till::date, $regier::varchar[], $typer::varchar[], $priser_ore::bigint[], $normtider_min::integer[], $avgift_grund) as b
left join stg_utforare using (utforare_id)
group by grouping sets ((utforare_id), ())
order by utforare_id nulls last
