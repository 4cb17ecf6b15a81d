-- ersattningsnivaer: one row per insats and regi (null = all regi) of the rate in force on $datum,
-- with its basis, whether momskompensation is included, its source and decision.
-- A regi-specific rate wins over the one for all regi in the cost rule (stg_besok); both are
-- returned so the simulator can say when they differ.
-- Parameters: $datum (DATE), $insatser (empty list = all).
select
    insats,
    regi,
    giltig_fran,
    giltig_till,
    cast(kr_per_timme as double) as kr_per_timme,
    grund,
    is_momskompensation_ingar,
    kalla,
    beslut,
    is_preliminar,
from stg_ersattningsnivaer
where cast($datum as date) between giltig_fran and giltig_till_eller_tillsvidare
    -- our own rates (a paying kommun's rate prices only that kommun's revenue)
    and (betalande_kommun is null or betalande_kommun = getvariable('hemkommun'))
    and i_vald(insats, $insatser)
order by insats, regi nulls first
