-- per_insatstyp: the base period's trial visits per insatstyp, for the cost-neutral price list.
-- One row per insatstyp (null = visits without one). kostnad_exkl_moms_kr is today's cost per
-- hour (stg_besok's rule, momskompensation both ways) with a private payee's cost divided by
-- (1 + momskompensation): a price per insats excl. momskompensation, with it added for private
-- payees (intermediate/insatsmodell_besok), then costs the same in total.
-- Parameters: $fran, $till (the base period), $regier (payees in the trial), $avgift_grund.
select
    insatstyp,
    count(*) as antal_besok,
    count(distinct brukare_id) as personer,
    sum(case
        when regi = 'privat' then kostnad_timme_kr * 10000 / (10000 + getvariable('momskompensation_bp'))
        else kostnad_timme_kr
    end) as kostnad_exkl_moms_kr,
    sum(avgift_min_timme) as avgift_min,
    count(*) filter (where kostnad_timme_kr is null) as antal_utan_timpris,
from insatsmodell_besok($fran::date, $till::date, $regier::varchar[], []::varchar[], []::bigint[], []::integer[], $avgift_grund)
where is_i_forsok
group by insatstyp
order by insatstyp nulls last
