-- per_brukare_manad: the minutes each brukare's monthly avgift is charged for, under both models.
-- One row per brukare and month with hemtjänst in the trial period. Per hour: the avgift basis
-- (utförd or beviljad) of every visit; per insats: the normtid of the trial's visits and the
-- basis of the others. A visit whose minutes are missing is counted, never taken as zero.
-- Parameters: $fran, $till (the trial period), $regier (payees in the trial), $typer, $priser_ore,
-- $normtider_min (the working price list), $avgift_grund (see intermediate/insatsmodell_besok).
select
    brukare_id,
    ar,
    manad,
    count(*) as antal_besok,
    count(*) filter (where is_i_forsok) as antal_besok_i_forsok,
    sum(avgift_min_timme) as avgift_min_timme,
    sum(avgift_min_insats) as avgift_min_insats,
    count(*) filter (where avgift_min_timme is null) as antal_timme_min_saknas,
    count(*) filter (where avgift_min_insats is null) as antal_insats_min_saknas,
from insatsmodell_besok($fran::date, $till::date, $regier::varchar[], $typer::varchar[], $priser_ore::bigint[], $normtider_min::integer[], $avgift_grund)
group by brukare_id, ar, manad
order by brukare_id, ar, manad
