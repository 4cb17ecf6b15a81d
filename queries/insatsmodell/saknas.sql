-- saknas: what keeps the trial's visits from being priced per insats or per hour. One row.
-- insatstyper_utan_pris: codes on the trial's visits with no price in the working price list.
-- antal_utan_timpris counts every visit of the period (both models' totals need their hourly cost).
-- Parameters: $fran, $till (the trial period), $regier (payees in the trial), $typer, $priser_ore,
-- $normtider_min (the working price list), $avgift_grund (see intermediate/insatsmodell_besok).
select
    count(*) filter (where is_i_forsok) as antal_besok_i_forsok,
    count(*) filter (where is_insatstyp_saknas) as antal_utan_insatstyp,
    count(*) filter (where is_pris_saknas) as antal_pris_saknas,
    coalesce(list_sort(list(distinct insatstyp) filter (where is_pris_saknas)), []) as insatstyper_utan_pris,
    count(*) filter (where is_normtid_saknas) as antal_normtid_saknas,
    coalesce(list_sort(list(distinct insatstyp) filter (where is_normtid_saknas)), []) as insatstyper_utan_normtid,
    count(*) filter (where kostnad_timme_kr is null) as antal_utan_timpris,
from insatsmodell_besok($fran::date, $till::date, $regier::varchar[], $typer::varchar[], $priser_ore::bigint[], $normtider_min::integer[], $avgift_grund)
