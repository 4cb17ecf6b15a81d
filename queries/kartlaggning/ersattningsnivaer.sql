-- ersattningsnivaer: one row per decided rate period (how our compensation is designed: basis,
-- rate, momskompensation, with source and decision), and whether it applies in the chosen year.
-- Parameters: $ar.
select
    giltig_fran,
    giltig_till,
    insats,
    regi,
    cast(kr_per_timme as double) as kr_per_timme,
    grund,
    is_momskompensation_ingar,
    kalla,
    beslut,
    is_preliminar,
    giltig_fran <= make_date($ar, 12, 31) and giltig_till_eller_tillsvidare >= make_date($ar, 1, 1) as is_valt_ar,
from stg_ersattningsnivaer
-- our own rates (how our compensation is designed); paying kommuners rates price only their revenue
where betalande_kommun is null or betalande_kommun = getvariable('hemkommun')
order by insats, giltig_fran, regi nulls first
