-- per_insatstyp: the base period's trial visits per insatstyp, for the cost-neutral price list.
-- One row per insatstyp (null = visits without one). kostnad_exkl_moms_kr is today's cost per
-- hour without the momskompensation a private payee gets on top, so that a price per insats
-- excl. momskompensation, with it added for private payees, costs the same in total.
-- Parameters: $fran, $till (the base period), $regier (payees in the trial), $avgift_grund.
select
    insatstyp,
    count(*) as antal_besok,
    count(distinct brukare_id) as personer,
    sum(case
        when is_momskompensation then kostnad_timme_kr * 10000 / (10000 + getvariable('momskompensation_bp'))
        else kostnad_timme_kr
    end) as kostnad_exkl_moms_kr,
    sum(avgift_min_timme) as avgift_min,
    count(*) filter (where kostnad_timme_kr is null) as antal_utan_timpris,
from insatsmodell_besok($fran::date, $till::date, $regier::varchar[], []::varchar[], []::bigint[], []::integer[], $avgift_grund)
where is_i_forsok
group by insatstyp
order by insatstyp nulls last
