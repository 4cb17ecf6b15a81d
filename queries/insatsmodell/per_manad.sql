-- per_manad: the nämnd's hemtjänst cost per month of the trial under both models, and the total.
-- One row per year and month, and one total row (ar and manad null). Costs in kr; a trial visit
-- that cannot be priced per insats is counted in antal_ej_prissatta and left out of
-- kostnad_insats_kr (the caller shows the total as missing then, never as a lower cost).
-- Parameters: $fran, $till (the trial period), $regier (payees in the trial), $typer, $priser_ore,
-- $normtider_min (the working price list), $avgift_grund (see intermediate/insatsmodell_besok).
select
    ar,
    manad,
    count(distinct brukare_id) as personer,
    count(distinct brukare_id) filter (where is_i_forsok) as personer_i_forsok,
    count(*) as antal_besok,
    count(*) filter (where is_i_forsok) as antal_besok_i_forsok,
    sum(kostnad_timme_kr) as kostnad_timme_kr,
    sum(kostnad_insats_kr) as kostnad_insats_kr,
    coalesce(sum(kostnad_timme_kr) filter (where is_i_forsok), 0) as kostnad_timme_i_forsok_kr,
    coalesce(sum(kostnad_insats_kr) filter (where is_i_forsok), 0) as kostnad_insats_i_forsok_kr,
    count(*) filter (where kostnad_insats_kr is null) as antal_ej_prissatta,
    count(*) filter (where kostnad_timme_kr is null) as antal_utan_timpris,
from insatsmodell_besok($fran::date, $till::date, $regier::varchar[], $typer::varchar[], $priser_ore::bigint[], $normtider_min::integer[], $avgift_grund)
group by grouping sets ((ar, manad), ())
order by ar nulls last, manad
